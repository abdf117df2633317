//! Per-thread and process-wide counters written by [`CountingAlloc`](super::CountingAlloc).
//!
//! Everything here is touched from inside the global allocator, so it obeys the allocator's
//! rules: const-initialised thread-locals without destructors (they never register a TLS
//! destructor, so they stay usable while a thread exits), plain `Cell`s on the hot path,
//! no lock, no allocation, no panic.

use core::cell::{Cell, UnsafeCell};
use core::ffi::c_void;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Bit of `ThreadState::suspended` set while `permit_alloc` is in effect.
pub(crate) const PERMIT: u8 = 1;
/// Bit of `ThreadState::suspended` set while the allocator's own slow path runs (re-entrancy).
pub(crate) const BUSY: u8 = 2;

/// `Watch::sample`: no hooks were installed when this thread last looked.
pub(crate) const SAMPLE_OFF: u8 = 0;
/// `Watch::sample`: hooks were installed when this thread last looked.
pub(crate) const SAMPLE_ON: u8 = 1;
/// `Watch::sample`: this thread has not looked yet (its first allocator call will).
const SAMPLE_UNSYNCED: u8 = 2;

/// `ThreadState::violations` before the thread found the counting allocator installed.
pub(crate) const UNPROBED: u64 = u64::MAX;

/// How many allocator events a thread batches before it publishes them process-wide.
const FLUSH_EVERY: u64 = 64;

/// Number of raw return addresses kept for the first violating allocation.
pub(crate) const SITE_FRAMES: usize = 48;

/// What kind of allocator call broke a guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SiteKind {
    Alloc,
    Realloc,
    Dealloc,
}

/// The first violating call inside the innermost guard: raw frames, resolved later.
pub(crate) struct Site {
    pub(crate) frames: [*mut c_void; SITE_FRAMES],
    pub(crate) len: usize,
    pub(crate) size: usize,
    pub(crate) kind: SiteKind,
}

/// The bytes the allocator's fast path tests with a single load: while they are zero (all of
/// them for an allocation or reallocation, all but `armed` for a deallocation) and no counter
/// reaches a multiple of `FLUSH_EVERY`, an allocator call only bumps its counters.
///
/// Each byte has one writer pattern that never needs the others' values: guards store their
/// saved byte back on drop, and the sampling copy is refreshed by the slow path.
#[repr(C, align(4))]
pub(crate) struct Watch {
    /// 1 while a guard is active on this thread.
    pub(crate) armed: Cell<u8>,
    /// 1 while a strict guard is active on this thread.
    pub(crate) strict: Cell<u8>,
    /// This thread's copy of "sampling hooks installed": `SAMPLE_OFF`, `SAMPLE_ON` or
    /// `SAMPLE_UNSYNCED` (see [`ThreadState::sync_sampling`] for when it is refreshed).
    pub(crate) sample: Cell<u8>,
    /// Always 0: pads the word so it is read whole.
    spare: Cell<u8>,
}

/// The `Watch` bytes that send an allocation or reallocation to the slow path: all of them.
const ALLOC_MASK: u32 = u32::from_ne_bytes([0xFF, 0xFF, 0xFF, 0xFF]);
/// The `Watch` bytes that send a deallocation to the slow path: a plain guard allows freeing.
const DEALLOC_MASK: u32 = u32::from_ne_bytes([0, 0xFF, 0xFF, 0xFF]);

impl Watch {
    /// The four bytes as one word.
    #[inline(always)]
    fn word(&self) -> u32 {
        // SAFETY: `Watch` is `repr(C, align(4))` with four `Cell<u8>` fields and no padding, so
        // it is exactly one initialised, aligned `u32`. The pointer comes from a shared
        // reference to cells, which allows reading them through a raw pointer; the thread-local
        // is only ever touched by this thread and nothing writes it during this read.
        unsafe { core::ptr::from_ref(self).cast::<u32>().read() }
    }
}

pub(crate) struct ThreadState {
    pub(crate) allocs: Cell<u64>,
    pub(crate) reallocs: Cell<u64>,
    pub(crate) deallocs: Cell<u64>,
    pub(crate) bytes_allocated: Cell<u64>,
    pub(crate) bytes_deallocated: Cell<u64>,
    /// Why the allocator must leave its fast path, tested in one load.
    pub(crate) watch: Watch,
    /// `PERMIT` and `BUSY` bits: while any is set, nothing breaks a guard (and `BUSY` keeps
    /// the sampling hooks from running re-entrantly). Only the slow path reads it.
    pub(crate) suspended: Cell<u8>,
    /// Active guards, kept in debug builds to catch guards dropped out of order.
    #[cfg(debug_assertions)]
    pub(crate) depth: Cell<u32>,
    // Batching of the process-wide totals.
    published: Cell<[u64; 5]>,
    /// Set once this thread has arranged to publish its last counts when it exits.
    exit_publish: Cell<bool>,
    // Guard bookkeeping.
    /// Violations recorded on this thread; `UNPROBED` until the thread found the counting
    /// allocator installed (before that no guard can be armed, so nothing is recorded). One
    /// load then serves a guard as both its installation check and its snapshot.
    pub(crate) violations: Cell<u64>,
    pub(crate) violation_bytes: Cell<u64>,
    pub(crate) violation_reallocs: Cell<u64>,
    pub(crate) violation_deallocs: Cell<u64>,
    /// Index (in `violations`) of the violation whose frames `site` holds; 0 while free.
    /// The guard that reports a site frees it.
    pub(crate) site_for: Cell<u64>,
    pub(crate) site: UnsafeCell<Site>,
}

impl ThreadState {
    const fn new() -> Self {
        Self {
            allocs: Cell::new(0),
            reallocs: Cell::new(0),
            deallocs: Cell::new(0),
            bytes_allocated: Cell::new(0),
            bytes_deallocated: Cell::new(0),
            watch: Watch {
                armed: Cell::new(0),
                strict: Cell::new(0),
                sample: Cell::new(SAMPLE_UNSYNCED),
                spare: Cell::new(0),
            },
            suspended: Cell::new(0),
            #[cfg(debug_assertions)]
            depth: Cell::new(0),
            published: Cell::new([0; 5]),
            exit_publish: Cell::new(false),
            violations: Cell::new(UNPROBED),
            violation_bytes: Cell::new(0),
            violation_reallocs: Cell::new(0),
            violation_deallocs: Cell::new(0),
            site_for: Cell::new(0),
            site: UnsafeCell::new(Site {
                frames: [core::ptr::null_mut(); SITE_FRAMES],
                len: 0,
                size: 0,
                kind: SiteKind::Alloc,
            }),
        }
    }

    /// Whether an allocation now breaks a guard (slow path only).
    fn breaks_guard(&self) -> bool {
        (self.watch.armed.get() != 0) & (self.suspended.get() == 0)
    }

    /// Whether a deallocation now breaks a (strict) guard (slow path only).
    fn breaks_strict_guard(&self) -> bool {
        (self.watch.strict.get() != 0) & (self.suspended.get() == 0)
    }

    /// Whether the sampling hooks should run for this call (slow path only).
    fn samples(&self) -> bool {
        (self.watch.sample.get() == SAMPLE_ON) & (self.suspended.get() & BUSY == 0)
    }

    /// Refreshes this thread's copy of "sampling hooks installed" from the global flag.
    ///
    /// The copy keeps the fast path free of shared memory, so a change made by another
    /// thread reaches this one when it next refreshes: on its first allocator call ever, and
    /// then at each publication (every `FLUSH_EVERY` calls of any one kind). Installing
    /// hooks refreshes the installing thread at once; removing them is seen at once by every
    /// thread, because the slow path finds no hooks and refreshes then.
    pub(crate) fn sync_sampling(&self) {
        let on = super::sample::sampling_enabled();
        self.watch
            .sample
            .set(if on { SAMPLE_ON } else { SAMPLE_OFF });
    }

    /// Sets `BUSY`; false if it was already set (a re-entrant call must do nothing).
    pub(crate) fn enter_busy(&self) -> bool {
        let g = self.suspended.get();
        self.suspended.set(g | BUSY);
        g & BUSY == 0
    }

    pub(crate) fn leave_busy(&self) {
        self.suspended.set(self.suspended.get() & !BUSY);
    }

    /// What every slow path does first: publish when a counter just reached a multiple of
    /// `FLUSH_EVERY` (then refresh the sampling copy too), and take the first look at the
    /// sampling flag on a new thread.
    fn catch_up(&self, count: u64) {
        if !self.exit_publish.get() {
            self.publish_at_exit();
        }
        if count.is_multiple_of(FLUSH_EVERY) {
            self.publish();
            self.sync_sampling();
        } else if self.watch.sample.get() == SAMPLE_UNSYNCED {
            self.sync_sampling();
        }
    }

    /// Takes a one-byte allocation and its deallocation back out of this thread's counters,
    /// so that the installation probe never shows up in [`measure`](super::measure).
    pub(crate) fn uncount_probe(&self) {
        self.allocs.set(self.allocs.get() - 1);
        self.deallocs.set(self.deallocs.get() - 1);
        self.bytes_allocated.set(self.bytes_allocated.get() - 1);
        self.bytes_deallocated.set(self.bytes_deallocated.get() - 1);
        // If the probe happened to publish, the totals keep it; never let a later delta wrap.
        let now = self.counters();
        let mut published = self.published.get();
        for (p, n) in published.iter_mut().zip(now) {
            *p = (*p).min(n);
        }
        self.published.set(published);
    }

    /// This thread's counters in the order of the process-wide totals.
    fn counters(&self) -> [u64; 5] {
        [
            self.allocs.get(),
            self.reallocs.get(),
            self.deallocs.get(),
            self.bytes_allocated.get(),
            self.bytes_deallocated.get(),
        ]
    }

    /// Arranges for this thread's pending counts to be published when it exits: on the first
    /// slow path of the thread (its first allocator call), a thread-local destructor is
    /// registered. Only where registering one does not allocate through the global allocator
    /// (glibc's `__cxa_thread_atexit_impl` takes its memory from libc's own `calloc`); elsewhere
    /// a thread's last unpublished counts (under 64 of each kind) are lost when it exits.
    #[cold]
    #[inline(never)]
    fn publish_at_exit(&self) {
        self.exit_publish.set(true);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            let _ = PUBLISH_AT_EXIT.try_with(|_| ());
        }
    }

    /// Adds what this thread counted since its last publication to the process-wide totals.
    #[cold]
    pub(crate) fn publish(&self) {
        let now = self.counters();
        let before = self.published.get();
        for (i, total) in TOTALS.iter().enumerate() {
            let delta = now[i].wrapping_sub(before[i]);
            if delta != 0 {
                total.fetch_add(delta, Relaxed);
            }
        }
        self.published.set(now);
    }
}

thread_local! {
    pub(crate) static STATE: ThreadState = const { ThreadState::new() };
}

/// Publishes the exiting thread's pending counts (see [`ThreadState::publish_at_exit`]).
/// Registered at the thread's first allocator call, so it is among the first thread-local
/// destructors registered and, destructors running in reverse order, among the last to run:
/// what the others allocate and free is counted first. `STATE` has no destructor and stays
/// readable throughout.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
struct PublishAtExit;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
impl Drop for PublishAtExit {
    fn drop(&mut self) {
        let _ = STATE.try_with(ThreadState::publish);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
thread_local! {
    static PUBLISH_AT_EXIT: PublishAtExit = const { PublishAtExit };
}

/// Process-wide totals: allocs, reallocs, deallocs, bytes allocated, bytes deallocated.
static TOTALS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

/// Reads the process-wide totals (see [`GlobalStats`](super::GlobalStats)).
pub(crate) fn totals() -> [u64; 5] {
    [
        TOTALS[0].load(Relaxed),
        TOTALS[1].load(Relaxed),
        TOTALS[2].load(Relaxed),
        TOTALS[3].load(Relaxed),
        TOTALS[4].load(Relaxed),
    ]
}

/// Runs `f` on this thread's state, or does nothing if the thread-local is gone.
///
/// The state has no destructor, so `try_with` only fails on platforms without native TLS
/// while a thread is torn down; the allocator then simply does not count.
#[inline(always)]
pub(crate) fn with_state<R>(f: impl FnOnce(&ThreadState) -> R) -> Option<R> {
    STATE.try_with(f).ok()
}

/// Counts a successful allocation of `size` bytes; true if [`on_alloc_slow`] must run too.
///
/// The fast path is two counter updates and one branch on "a counter reached a multiple of
/// `FLUSH_EVERY`, or a `Watch` byte is set"; the slow path sorts out which. It is a separate
/// call, made last, so that the fast path keeps nothing alive across it.
#[inline(always)]
#[must_use]
pub(crate) fn on_alloc(size: usize) -> bool {
    with_state(|s| {
        let n = s.allocs.get() + 1;
        s.allocs.set(n);
        s.bytes_allocated.set(s.bytes_allocated.get() + size as u64);
        (s.watch.word() & ALLOC_MASK != 0) | n.is_multiple_of(FLUSH_EVERY)
    })
    .unwrap_or(false)
}

/// The rest of an allocation's bookkeeping: publication, guard violation, sampling hook.
/// Returns `ptr`, so the caller can end in a tail call.
#[cold]
#[inline(never)]
pub(crate) fn on_alloc_slow(ptr: *mut u8, size: usize) -> *mut u8 {
    with_state(|s| {
        s.catch_up(s.allocs.get());
        if s.breaks_guard() {
            violation(s, size, SiteKind::Alloc);
        }
        if s.samples() {
            super::sample::call(s, ptr, size, true);
        }
    });
    ptr
}

/// Counts a successful reallocation from `old` to `new` bytes; true if [`on_realloc_slow`]
/// must run too.
#[inline(always)]
#[must_use]
pub(crate) fn on_realloc(old: usize, new: usize) -> bool {
    with_state(|s| {
        let n = s.reallocs.get() + 1;
        s.reallocs.set(n);
        s.bytes_allocated.set(s.bytes_allocated.get() + new as u64);
        s.bytes_deallocated
            .set(s.bytes_deallocated.get() + old as u64);
        (s.watch.word() & ALLOC_MASK != 0) | n.is_multiple_of(FLUSH_EVERY)
    })
    .unwrap_or(false)
}

/// The rest of a reallocation's bookkeeping, to `new_ptr` (`new` bytes) from `old`, the old
/// block (pointer and size) when the hooks have not seen it go yet. Returns `new_ptr`.
///
/// A thread that runs sampling hooks takes `CountingAlloc::realloc_sampled`, which reports
/// the old block before the inner reallocation and passes `None`; `Some` reaches the hooks
/// only when this call is the one that refreshed the thread's copy of the sampling setting.
#[cold]
#[inline(never)]
pub(crate) fn on_realloc_slow(
    old: Option<(*mut u8, usize)>,
    new_ptr: *mut u8,
    new: usize,
) -> *mut u8 {
    with_state(|s| {
        s.catch_up(s.reallocs.get());
        if s.breaks_guard() {
            violation(s, new, SiteKind::Realloc);
        }
        if s.samples() {
            if let Some((old_ptr, old_size)) = old {
                super::sample::call(s, old_ptr, old_size, false);
            }
            super::sample::call(s, new_ptr, new, true);
        }
    });
    new_ptr
}

/// Whether this thread's copy of the sampling setting says hooks run (one thread-local byte:
/// the realloc path tests it before calling the inner allocator).
#[inline(always)]
pub(crate) fn sampling_here() -> bool {
    with_state(|s| s.watch.sample.get() == SAMPLE_ON).unwrap_or(false)
}

/// Runs the sampling hook for one block now, outside the counting (the realloc path reports
/// the old block before the inner call, and again if that call fails).
#[cold]
pub(crate) fn sample_now(ptr: *mut u8, size: usize, alloc: bool) {
    with_state(|s| {
        if s.samples() {
            super::sample::call(s, ptr, size, alloc);
        }
    });
}

/// Counts a deallocation of `size` bytes; true if [`on_dealloc_slow`] must run too.
///
/// Called before the memory is freed, so that a sampling hook sees the pointer while no other
/// thread can have been handed it again.
#[inline(always)]
#[must_use]
pub(crate) fn on_dealloc(size: usize) -> bool {
    with_state(|s| {
        let n = s.deallocs.get() + 1;
        s.deallocs.set(n);
        s.bytes_deallocated
            .set(s.bytes_deallocated.get() + size as u64);
        (s.watch.word() & DEALLOC_MASK != 0) | n.is_multiple_of(FLUSH_EVERY)
    })
    .unwrap_or(false)
}

/// The rest of a deallocation's bookkeeping: publication, strict guard violation, sampling
/// hook.
#[cold]
#[inline(never)]
pub(crate) fn on_dealloc_slow(ptr: *mut u8, size: usize) {
    with_state(|s| {
        s.catch_up(s.deallocs.get());
        if s.breaks_strict_guard() {
            violation(s, size, SiteKind::Dealloc);
        }
        if s.samples() {
            super::sample::call(s, ptr, size, false);
        }
    });
}

/// Records a violation: counts it and, if it is the first inside the innermost guard, keeps
/// its raw return addresses. Never allocates (allocations made by the unwinder land here
/// re-entrantly and are ignored thanks to `BUSY`), never panics.
#[cold]
#[inline(never)]
fn violation(s: &ThreadState, size: usize, kind: SiteKind) {
    let n = s.violations.get() + 1;
    s.violations.set(n);
    match kind {
        SiteKind::Alloc => s.violation_bytes.set(s.violation_bytes.get() + size as u64),
        SiteKind::Realloc => {
            s.violation_bytes.set(s.violation_bytes.get() + size as u64);
            s.violation_reallocs.set(s.violation_reallocs.get() + 1);
        }
        SiteKind::Dealloc => s.violation_deallocs.set(s.violation_deallocs.get() + 1),
    }
    if s.site_for.get() != 0 || !s.enter_busy() {
        return; // a guard already holds its first site, or we are re-entered
    }
    // SAFETY: `site` is only accessed from this thread, and never while another reference to
    // it is live: the guard reads it after clearing its flags, and this function is not
    // re-entered while BUSY is set.
    let site = unsafe { &mut *s.site.get() };
    let mut len = 0;
    // SAFETY: `trace_unsynchronized` is unsafe only because concurrent unwinding from several
    // threads is not serialised; on Linux the unwinder (libgcc via dl_iterate_phdr) is
    // thread-safe, and the callback only writes into our fixed array: no allocation.
    unsafe {
        backtrace::trace_unsynchronized(|frame| {
            if len < SITE_FRAMES {
                site.frames[len] = frame.ip();
                len += 1;
                true
            } else {
                false
            }
        });
    }
    site.len = len;
    site.size = size;
    site.kind = kind;
    s.site_for.set(n);
    s.leave_busy();
}
