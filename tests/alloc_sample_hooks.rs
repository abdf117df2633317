//! When sampling hooks start and stop running on each thread: each thread keeps its own copy
//! of the setting, so the allocator's fast path never reads shared memory (see
//! `perfkit::alloc::set_sample_hooks`).
//!
//! One test function: the hooks are process-wide, so tests running in parallel would see
//! each other's.

use std::cell::Cell;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};

use perfkit::alloc::{SampleHooks, measure, sampling_enabled, set_sample_hooks};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

thread_local! {
    // Const-initialised, no destructor: safe to touch from inside the allocator.
    static HOOKED_ALLOCS: Cell<u64> = const { Cell::new(0) };
    static HOOKED_FREES: Cell<u64> = const { Cell::new(0) };
}

fn on_alloc(_ptr: *mut u8, _size: usize) {
    HOOKED_ALLOCS.with(|c| c.set(c.get() + 1));
}

fn on_dealloc(_ptr: *mut u8, _size: usize) {
    HOOKED_FREES.with(|c| c.set(c.get() + 1));
}

static HOOKS: SampleHooks = SampleHooks {
    on_alloc,
    on_dealloc,
};

/// Hook calls on this thread while `f` runs: (allocations, deallocations).
fn hooked(f: impl FnOnce()) -> (u64, u64) {
    let before = (HOOKED_ALLOCS.with(Cell::get), HOOKED_FREES.with(Cell::get));
    f();
    let after = (HOOKED_ALLOCS.with(Cell::get), HOOKED_FREES.with(Cell::get));
    (after.0 - before.0, after.1 - before.1)
}

#[inline(never)]
fn boxes(n: u64) {
    for i in 0..n {
        drop(std::hint::black_box(Box::new(i)));
    }
}

#[test]
fn hooks_reach_each_thread_as_documented() {
    // A thread that has used the allocator before the hooks exist: its copy says "off".
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    static IN_STEP: AtomicBool = AtomicBool::new(false);
    static REMOVED: AtomicBool = AtomicBool::new(false);
    let ready = Barrier::new(2);
    std::thread::scope(|scope| {
        let old = scope.spawn(|| {
            boxes(10);
            ready.wait();
            while !INSTALLED.load(Ordering::Acquire) {
                std::hint::spin_loop();
            }
            // Starts within its next 64 allocations or 64 deallocations.
            let (a, f) = hooked(|| boxes(200));
            assert!(
                (200 - 64..=200).contains(&a),
                "{a} allocations hooked of 200"
            );
            assert!(
                (200 - 64..=200).contains(&f),
                "{f} deallocations hooked of 200"
            );
            // Now in step: every call.
            assert_eq!(hooked(|| boxes(100)), (100, 100));
            IN_STEP.store(true, Ordering::Release);
            while !REMOVED.load(Ordering::Acquire) {
                std::hint::spin_loop();
            }
            // Removal is seen at once, although this thread's copy still says "on".
            assert_eq!(hooked(|| boxes(100)), (0, 0));
        });

        ready.wait();
        set_sample_hooks(Some(&HOOKS));
        assert!(sampling_enabled());
        // The installing thread runs them at once.
        assert_eq!(hooked(|| boxes(5)), (5, 5));
        INSTALLED.store(true, Ordering::Release);

        // A thread that starts after installation runs them from its first call.
        let fresh = std::thread::spawn(|| {
            let hooks = hooked(|| boxes(7));
            let ((), stats) = measure(|| boxes(3));
            (hooks, stats.allocs, stats.deallocs)
        })
        .join()
        .unwrap();
        assert_eq!(fresh, ((7, 7), 3, 3));

        // Counts stay exact while the hooks run, and a guard still sees allocations.
        let ((), stats) = measure(|| boxes(50));
        assert_eq!((stats.allocs, stats.deallocs), (50, 50));
        let broke =
            std::panic::catch_unwind(|| perfkit::alloc::assert_no_alloc("hooked", || boxes(1)));
        assert!(broke.is_err(), "a guard must still catch an allocation");
        assert_eq!(
            hooked(|| {
                perfkit::alloc::assert_no_alloc("clean", || std::hint::black_box(1) + 1);
            }),
            (0, 0)
        );

        // (If the old thread failed, join below reports it instead of waiting forever.)
        while !IN_STEP.load(Ordering::Acquire) && !old.is_finished() {
            std::hint::spin_loop();
        }
        set_sample_hooks(None);
        assert!(!sampling_enabled());
        assert_eq!(hooked(|| boxes(5)), (0, 0));
        REMOVED.store(true, Ordering::Release);
        old.join().unwrap();
    });
}
