use core::ops::Sub;

use super::state::{self, ThreadState};

/// What one thread asked of the allocator over some span.
///
/// Produced by [`measure`] and [`thread_stats`]; two snapshots subtract to a span.
/// A `realloc` counts in `reallocs` only (not in `allocs` nor `deallocs`); its new size is
/// added to `bytes_allocated` and its old size to `bytes_deallocated`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllocStats {
    /// Calls to `alloc` and `alloc_zeroed`.
    pub allocs: u64,
    /// Calls to `realloc` (a `Vec` or `String` growing in place or moving).
    pub reallocs: u64,
    /// Calls to `dealloc`.
    pub deallocs: u64,
    /// Bytes requested by `alloc`, `alloc_zeroed` and (new size) `realloc`.
    pub bytes_allocated: u64,
    /// Bytes released by `dealloc` and (old size) `realloc`.
    pub bytes_deallocated: u64,
}

impl AllocStats {
    /// Allocation events as Go counts them: fresh allocations plus reallocations.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = perf_core::alloc::AllocStats { allocs: 2, reallocs: 1, ..Default::default() };
    /// assert_eq!(s.total_allocs(), 3);
    /// ```
    pub const fn total_allocs(&self) -> u64 {
        self.allocs + self.reallocs
    }

    /// Whether nothing was allocated, reallocated or freed.
    pub const fn is_zero(&self) -> bool {
        self.allocs == 0 && self.reallocs == 0 && self.deallocs == 0
    }

    fn read(s: &ThreadState) -> Self {
        Self {
            allocs: s.allocs.get(),
            reallocs: s.reallocs.get(),
            deallocs: s.deallocs.get(),
            bytes_allocated: s.bytes_allocated.get(),
            bytes_deallocated: s.bytes_deallocated.get(),
        }
    }
}

impl Sub for AllocStats {
    type Output = AllocStats;

    fn sub(self, rhs: Self) -> Self {
        Self {
            allocs: self.allocs.wrapping_sub(rhs.allocs),
            reallocs: self.reallocs.wrapping_sub(rhs.reallocs),
            deallocs: self.deallocs.wrapping_sub(rhs.deallocs),
            bytes_allocated: self.bytes_allocated.wrapping_sub(rhs.bytes_allocated),
            bytes_deallocated: self.bytes_deallocated.wrapping_sub(rhs.bytes_deallocated),
        }
    }
}

impl core::fmt::Display for AllocStats {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} allocs, {} reallocs, {} deallocs, {} B allocated, {} B freed",
            self.allocs, self.reallocs, self.deallocs, self.bytes_allocated, self.bytes_deallocated
        )
    }
}

/// This thread's counters since it started (all zero if [`CountingAlloc`](super::CountingAlloc)
/// is not the global allocator).
///
/// # Examples
///
/// ```
/// let before = perf_core::alloc::thread_stats();
/// let after = perf_core::alloc::thread_stats();
/// assert!((after - before).allocs <= 1);
/// ```
pub fn thread_stats() -> AllocStats {
    state::with_state(AllocStats::read).unwrap_or_default()
}

/// Runs `f` and returns its result with what it allocated **on this thread**.
///
/// Allocations made by other threads (a thread pool `f` hands work to) are not included;
/// run `measure` inside those threads to count them. The count is exact: no sampling.
/// If `CountingAlloc` is not the global allocator the stats are all zero; use
/// [`is_installed`](super::is_installed) where that matters.
///
/// # Examples
///
/// ```
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// let (s, stats) = perf_core::alloc::measure(|| String::with_capacity(10));
/// assert_eq!((stats.allocs, stats.bytes_allocated), (1, 10));
/// # drop(s);
/// ```
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, AllocStats) {
    let before = thread_stats();
    let r = f();
    let after = thread_stats();
    (r, after - before)
}

/// Go's `testing.AllocsPerRun`: calls `f` once to warm up, then `runs` times, and returns the
/// average number of allocation events ([`AllocStats::total_allocs`]) per call on this thread.
///
/// Unlike Go, the result is not truncated to an integer: `0.5` means every other call
/// allocates. `runs == 0` only warms up and returns `0.0`.
///
/// # Examples
///
/// ```
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// let mut buf = Vec::new();
/// let avg = perf_core::alloc::allocs_per_run(100, || {
///     buf.clear();
///     buf.extend_from_slice(b"reused after the warm-up call");
/// });
/// assert_eq!(avg, 0.0);
/// ```
pub fn allocs_per_run(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    if runs == 0 {
        return 0.0;
    }
    let before = thread_stats();
    for _ in 0..runs {
        f();
    }
    let d = thread_stats() - before;
    d.total_allocs() as f64 / runs as f64
}

/// Runs `f` with every active `#[no_alloc]` guard of this thread suspended.
///
/// The allocations inside `f` are still counted by [`measure`], but they break no guard.
/// Nests freely, and the guards come back even if `f` panics.
///
/// # Examples
///
/// ```
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// perf_core::alloc::assert_no_alloc("example", || {
///     let log = perf_core::alloc::permit_alloc(|| format!("rare slow path"));
///     perf_core::alloc::permit_alloc(move || drop(log));
/// });
/// ```
pub fn permit_alloc<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            if !self.0 {
                state::with_state(|s| s.suspended.set(s.suspended.get() & !state::PERMIT));
            }
        }
    }
    let was_permitted = state::with_state(|s| {
        let prev = s.suspended.get();
        s.suspended.set(prev | state::PERMIT);
        prev & state::PERMIT != 0
    });
    let _restore = Restore(was_permitted.unwrap_or(true));
    f()
}

/// Process-wide allocator totals, for dashboards and `/debug/vars`.
///
/// Each thread publishes its counts every 64 allocations, 64 reallocations and 64
/// deallocations (and whenever it calls [`global_stats`]), so the totals may lag by up to 63
/// calls of each kind per running thread. On Linux with glibc a thread also publishes when it
/// exits (so a joined thread's counts are all in); elsewhere, counts a thread had not yet
/// published when it exited are lost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GlobalStats {
    /// Calls to `alloc`/`alloc_zeroed`.
    pub allocs: u64,
    /// Calls to `realloc`.
    pub reallocs: u64,
    /// Calls to `dealloc`.
    pub deallocs: u64,
    /// Bytes allocated (realloc: new size).
    pub bytes_allocated: u64,
    /// Bytes freed (realloc: old size).
    pub bytes_deallocated: u64,
}

impl GlobalStats {
    /// Bytes allocated and not yet freed.
    pub const fn live_bytes(&self) -> u64 {
        self.bytes_allocated.saturating_sub(self.bytes_deallocated)
    }
}

/// The process-wide totals, after publishing this thread's pending counts.
///
/// # Examples
///
/// ```
/// let g = perf_core::alloc::global_stats();
/// assert!(g.bytes_allocated >= g.live_bytes());
/// ```
pub fn global_stats() -> GlobalStats {
    state::with_state(ThreadState::publish);
    let [
        allocs,
        reallocs,
        deallocs,
        bytes_allocated,
        bytes_deallocated,
    ] = state::totals();
    GlobalStats {
        allocs,
        reallocs,
        deallocs,
        bytes_allocated,
        bytes_deallocated,
    }
}

/// Asserts a bound on what an expression allocates on this thread, Go-test style.
///
/// `assert_allocs!(expr <= N)` or `assert_allocs!(expr == N)` evaluates `expr` once inside
/// [`measure`](crate::alloc::measure) and compares its allocation events
/// ([`AllocStats::total_allocs`]: allocations plus reallocations) with `N`; on failure it
/// panics with the expression, the counts and the bytes. The expression's value is returned.
///
/// # Examples
///
/// ```
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// use perf_core::assert_allocs;
/// let mut v = Vec::with_capacity(8);
/// assert_allocs!(v.push(1) == 0);
/// let s = assert_allocs!(String::from("one alloc") <= 1);
/// # drop(s);
/// ```
#[macro_export]
macro_rules! assert_allocs {
    (@munch [$($e:tt)+] <= $n:expr) => {
        $crate::assert_allocs!(@check [$($e)+] [<=] $n)
    };
    (@munch [$($e:tt)+] == $n:expr) => {
        $crate::assert_allocs!(@check [$($e)+] [==] $n)
    };
    (@munch [$($e:tt)*] $t:tt $($rest:tt)*) => {
        $crate::assert_allocs!(@munch [$($e)* $t] $($rest)*)
    };
    (@munch [$($e:tt)*]) => {
        ::core::compile_error!("expected `assert_allocs!(expr <= N)` or `assert_allocs!(expr == N)`")
    };
    (@check [$($e:tt)+] [$($op:tt)+] $n:expr) => {{
        let (__value, __stats) = $crate::alloc::measure(|| $($e)+);
        let __limit: u64 = $n;
        let __got = __stats.total_allocs();
        if !(__got $($op)+ __limit) {
            ::core::panic!(
                "assert_allocs!({} {} {}) failed: {} allocation events ({})",
                ::core::stringify!($($e)+),
                ::core::stringify!($($op)+),
                __limit,
                __got,
                __stats
            );
        }
        __value
    }};
    ($($t:tt)+) => {
        $crate::assert_allocs!(@munch [] $($t)+)
    };
}
