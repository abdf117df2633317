//! A reallocation seen by the sampling hooks: the old block is reported freed before the
//! inner allocator frees it (as a deallocation is), and the new block after it exists; a
//! failed reallocation leaves the old block reported as live. Otherwise another thread could
//! be handed the old address, sample it, and see its sample removed by our late report.
//!
//! The inner allocator records its own `realloc` calls in the same event log as the hooks,
//! for two sizes nothing else in this test binary uses.
//!
//! One test function: the hooks are process-wide.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use perfkit::alloc::{CountingAlloc, SampleHooks, set_sample_hooks};

/// The block sizes this test reallocates between; nothing else allocates them.
const OLD: usize = 1_000_003;
const NEW: usize = 2_000_029;
/// What the inner allocator refuses to grow to (its realloc returns null).
const TOO_BIG: usize = 3_000_017;

const HOOK_FREE: usize = 1;
const INNER_REALLOC: usize = 2;
const HOOK_ALLOC: usize = 3;

/// Event log: kinds in order, written with one `fetch_add` per event (no lock, no allocation:
/// the writers run inside the global allocator).
static EVENTS: [AtomicUsize; 64] = [const { AtomicUsize::new(0) }; 64];
static LEN: AtomicUsize = AtomicUsize::new(0);
static RECORDING: AtomicBool = AtomicBool::new(false);

fn record(kind: usize, size: usize) {
    if RECORDING.load(Ordering::Relaxed) && matches!(size, OLD | NEW | TOO_BIG) {
        let i = LEN.fetch_add(1, Ordering::Relaxed);
        if let Some(slot) = EVENTS.get(i) {
            slot.store(kind * 10_000_000 + size, Ordering::Relaxed);
        }
    }
}

fn take_events() -> Vec<(usize, usize)> {
    let n = LEN.swap(0, Ordering::Relaxed).min(EVENTS.len());
    EVENTS[..n]
        .iter()
        .map(|e| {
            let e = e.load(Ordering::Relaxed);
            (e / 10_000_000, e % 10_000_000)
        })
        .collect()
}

/// `System`, logging its reallocations of the test's sizes, and refusing to grow to
/// `TOO_BIG`.
struct Recording;

// SAFETY: forwards to `System` with the caller's arguments, except that it may return null
// from `realloc`, which `GlobalAlloc` allows (the old block is then left untouched).
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(INNER_REALLOC, new_size);
        if new_size == TOO_BIG {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc<Recording> = CountingAlloc::new(Recording);

fn on_alloc(_ptr: *mut u8, size: usize) {
    record(HOOK_ALLOC, size);
}

fn on_dealloc(_ptr: *mut u8, size: usize) {
    record(HOOK_FREE, size);
}

static HOOKS: SampleHooks = SampleHooks {
    on_alloc,
    on_dealloc,
};

#[test]
fn hooks_see_the_old_block_go_before_the_inner_realloc() {
    set_sample_hooks(Some(&HOOKS));
    let old = Layout::from_size_align(OLD, 8).unwrap();

    // Grow: hook frees OLD, then the inner realloc, then the hook sees NEW.
    // SAFETY: `old` is non-zero-sized; every block is freed with the layout it has.
    unsafe {
        let p = GLOBAL.alloc(old);
        assert!(!p.is_null());
        RECORDING.store(true, Ordering::Relaxed);
        let q = GLOBAL.realloc(p, old, NEW);
        RECORDING.store(false, Ordering::Relaxed);
        assert!(!q.is_null());
        GLOBAL.dealloc(q, Layout::from_size_align(NEW, 8).unwrap());
    }
    assert_eq!(
        take_events(),
        [(HOOK_FREE, OLD), (INNER_REALLOC, NEW), (HOOK_ALLOC, NEW)],
        "events of a successful realloc (hook free, inner realloc, hook alloc)"
    );

    // Fail: the old block was reported freed, the inner realloc fails, so it is reported
    // allocated again (it is still live), and nothing is reported for the new size.
    // SAFETY: as above; the failed realloc leaves `p` allocated with `old`.
    unsafe {
        let p = GLOBAL.alloc(old);
        assert!(!p.is_null());
        RECORDING.store(true, Ordering::Relaxed);
        let q = GLOBAL.realloc(p, old, TOO_BIG);
        RECORDING.store(false, Ordering::Relaxed);
        assert!(q.is_null());
        GLOBAL.dealloc(p, old);
    }
    assert_eq!(
        take_events(),
        [
            (HOOK_FREE, OLD),
            (INNER_REALLOC, TOO_BIG),
            (HOOK_ALLOC, OLD)
        ],
        "events of a failed realloc (hook free, inner realloc, hook alloc of the old block)"
    );

    // Without hooks the inner allocator is all there is.
    set_sample_hooks(None);
    // SAFETY: as above.
    unsafe {
        let p = GLOBAL.alloc(old);
        RECORDING.store(true, Ordering::Relaxed);
        let q = GLOBAL.realloc(p, old, NEW);
        RECORDING.store(false, Ordering::Relaxed);
        GLOBAL.dealloc(q, Layout::from_size_align(NEW, 8).unwrap());
    }
    assert_eq!(take_events(), [(INNER_REALLOC, NEW)]);
}
