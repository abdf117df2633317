//! Per-thread and process-wide counters written by [`CountingAlloc`](super::CountingAlloc).
//!
//! Everything here is touched from inside the global allocator, so it obeys the allocator's
//! rules: const-initialised thread-locals without destructors (they never register a TLS
//! destructor, so they stay usable while a thread exits), plain `Cell`s on the hot path,
//! no lock, no allocation, no panic.

use core::cell::{Cell, UnsafeCell};
use core::ffi::c_void;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Bit of `ThreadState::gstate`: a guard is active.
pub(crate) const ARMED: u8 = 1;
/// Bit of `ThreadState::gstate`: the counting allocator is known to be installed.
pub(crate) const VERIFIED: u8 = 2;
/// Bit of `ThreadState::suspended` set while `permit_alloc` is in effect.
pub(crate) const PERMIT: u8 = 1;
/// Bit of `ThreadState::suspended` set while the allocator's own slow path runs (re-entrancy).
pub(crate) const BUSY: u8 = 2;

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

pub(crate) struct ThreadState {
    /// `ARMED` while a guard is active, `VERIFIED` once this thread found the counting
    /// allocator installed. Guards nest by saving the byte and restoring it (they are locals,
    /// dropped in reverse order), so entering and leaving store constants and never wait on a
    /// read-modify-write of the same cell.
    pub(crate) gstate: Cell<u8>,
    /// Whether a strict guard is active.
    pub(crate) armed_strict: Cell<bool>,
    /// `PERMIT` and `BUSY` bits: while any is set, nothing breaks a guard.
    pub(crate) suspended: Cell<u8>,
    /// Active guards, kept in debug builds to catch guards dropped out of order.
    #[cfg(debug_assertions)]
    pub(crate) depth: Cell<u32>,
    pub(crate) allocs: Cell<u64>,
    pub(crate) reallocs: Cell<u64>,
    pub(crate) deallocs: Cell<u64>,
    pub(crate) bytes_allocated: Cell<u64>,
    pub(crate) bytes_deallocated: Cell<u64>,
    // Batching of the process-wide totals.
    published: Cell<[u64; 5]>,
    // Guard bookkeeping.
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
            gstate: Cell::new(0),
            armed_strict: Cell::new(false),
            suspended: Cell::new(0),
            #[cfg(debug_assertions)]
            depth: Cell::new(0),
            allocs: Cell::new(0),
            reallocs: Cell::new(0),
            deallocs: Cell::new(0),
            bytes_allocated: Cell::new(0),
            bytes_deallocated: Cell::new(0),
            published: Cell::new([0; 5]),
            violations: Cell::new(0),
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

    /// Whether an allocation now breaks a guard.
    #[inline(always)]
    pub(crate) fn breaks_guard(&self) -> bool {
        (self.gstate.get() & ARMED != 0) & (self.suspended.get() == 0)
    }

    /// Whether a deallocation now breaks a (strict) guard.
    #[inline(always)]
    pub(crate) fn breaks_strict_guard(&self) -> bool {
        self.armed_strict.get() & (self.suspended.get() == 0)
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

    /// Publishes when a counter just reached a multiple of `FLUSH_EVERY`: the test reuses
    /// the value the hot path already has in a register.
    #[inline(always)]
    fn tick(&self, count: u64) {
        if count.is_multiple_of(FLUSH_EVERY) {
            self.publish();
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
        let now = [
            self.allocs.get(),
            self.reallocs.get(),
            self.deallocs.get(),
            self.bytes_allocated.get(),
            self.bytes_deallocated.get(),
        ];
        let mut published = self.published.get();
        for (p, n) in published.iter_mut().zip(now) {
            *p = (*p).min(n);
        }
        self.published.set(published);
    }

    /// Adds what this thread counted since its last publication to the process-wide totals.
    #[cold]
    pub(crate) fn publish(&self) {
        let now = [
            self.allocs.get(),
            self.reallocs.get(),
            self.deallocs.get(),
            self.bytes_allocated.get(),
            self.bytes_deallocated.get(),
        ];
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

#[inline(always)]
pub(crate) fn on_alloc(size: usize) {
    with_state(|s| {
        let n = s.allocs.get() + 1;
        s.allocs.set(n);
        s.bytes_allocated.set(s.bytes_allocated.get() + size as u64);
        s.tick(n);
        if s.breaks_guard() {
            violation(s, size, SiteKind::Alloc);
        }
    });
}

#[inline(always)]
pub(crate) fn on_realloc(old: usize, new: usize) {
    with_state(|s| {
        let n = s.reallocs.get() + 1;
        s.reallocs.set(n);
        s.bytes_allocated.set(s.bytes_allocated.get() + new as u64);
        s.bytes_deallocated
            .set(s.bytes_deallocated.get() + old as u64);
        s.tick(n);
        if s.breaks_guard() {
            violation(s, new, SiteKind::Realloc);
        }
    });
}

#[inline(always)]
pub(crate) fn on_dealloc(size: usize) {
    with_state(|s| {
        let n = s.deallocs.get() + 1;
        s.deallocs.set(n);
        s.bytes_deallocated
            .set(s.bytes_deallocated.get() + size as u64);
        s.tick(n);
        if s.breaks_strict_guard() {
            violation(s, size, SiteKind::Dealloc);
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
