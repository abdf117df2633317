use core::alloc::{GlobalAlloc, Layout};
use std::alloc::System;

use super::state;

/// A global allocator that counts every allocation on the thread that makes it.
///
/// `CountingAlloc` forwards `alloc`, `alloc_zeroed`, `realloc` and `dealloc` to the inner
/// allocator `A` and records, per thread, the number of allocations, reallocations,
/// deallocations and bytes. Those counters are what [`measure`](super::measure),
/// [`allocs_per_run`](super::allocs_per_run), the `#[no_alloc]` guards and the benchmark
/// helpers read. Process-wide totals ([`global_stats`](super::global_stats)) are published in
/// batches so the hot path never touches a shared cache line.
///
/// Inside the allocator nothing locks, allocates or panics; a guard violation is only
/// recorded there and reported by the guard after the guarded body returns.
///
/// # Examples
///
/// Install it once per binary (each test file is its own binary):
///
/// ```
/// use perf_core::alloc::CountingAlloc;
///
/// #[global_allocator]
/// static GLOBAL: CountingAlloc = CountingAlloc::new(std::alloc::System);
///
/// let (v, stats) = perf_core::alloc::measure(|| vec![1u8, 2, 3]);
/// assert_eq!(stats.allocs, 1);
/// assert_eq!(stats.bytes_allocated, 3);
/// # drop(v);
/// ```
///
/// It composes with any other `GlobalAlloc`, e.g. `CountingAlloc<mimalloc::MiMalloc>`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingAlloc<A: GlobalAlloc = System> {
    inner: A,
}

impl<A: GlobalAlloc> CountingAlloc<A> {
    /// Wraps `inner`, counting every call that reaches it.
    pub const fn new(inner: A) -> Self {
        Self { inner }
    }

    /// The wrapped allocator.
    pub const fn inner(&self) -> &A {
        &self.inner
    }
}

// SAFETY: every method forwards to `A` with the caller's arguments unchanged and returns
// `A`'s result, so `A`'s guarantees carry over; the bookkeeping around the calls neither
// allocates nor unwinds.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() && state::on_alloc(layout.size()) {
            return state::on_alloc_slow(ptr, layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() && state::on_alloc(layout.size()) {
            return state::on_alloc_slow(ptr, layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Counted first, so the fast path ends in a tail call to the inner allocator and a
        // sampling hook still sees the pointer before anyone can be handed it again.
        if state::on_dealloc(layout.size()) {
            // SAFETY: as below.
            return unsafe { self.dealloc_slow(ptr, layout) };
        }
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if state::sampling_here() {
            // SAFETY: as below.
            return unsafe { self.realloc_sampled(ptr, layout, new_size) };
        }
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, which we pass on.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !new.is_null() && state::on_realloc(layout.size(), new_size) {
            return state::on_realloc_slow(Some((ptr, layout.size())), new, new_size);
        }
        new
    }
}

impl<A: GlobalAlloc> CountingAlloc<A> {
    /// A deallocation that must also publish, break a strict guard or run a sampling hook:
    /// out of line, so the fast path keeps nothing alive across a call.
    ///
    /// # Safety
    ///
    /// As for [`GlobalAlloc::dealloc`].
    #[cold]
    #[inline(never)]
    unsafe fn dealloc_slow(&self, ptr: *mut u8, layout: Layout) {
        state::on_dealloc_slow(ptr, layout.size());
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    /// A reallocation while this thread runs sampling hooks: the hook sees the old block go
    /// before the inner allocator frees it (as for a deallocation), so that no other thread
    /// can have been handed the same address and sampled it in between; if the inner
    /// reallocation fails, the old block, still live, is reported again as a fresh allocation
    /// (the sampler decides anew whether to sample it).
    ///
    /// # Safety
    ///
    /// As for [`GlobalAlloc::realloc`].
    #[cold]
    #[inline(never)]
    unsafe fn realloc_sampled(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        state::sample_now(ptr, layout.size(), false);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, which we pass on.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if new.is_null() {
            state::sample_now(ptr, layout.size(), true);
        } else if state::on_realloc(layout.size(), new_size) {
            return state::on_realloc_slow(None, new, new_size);
        }
        new
    }
}
