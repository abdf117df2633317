//! Allocation accounting: the counting allocator, exact per-thread counts, and the guards
//! behind `#[no_alloc]`.
//!
//! Install [`CountingAlloc`] as the global allocator, then:
//! - [`measure`] tells what a closure allocated on this thread;
//! - [`allocs_per_run`] is Go's `testing.AllocsPerRun`;
//! - [`assert_allocs!`](crate::assert_allocs) asserts a bound in a test;
//! - [`AllocGuard`] / [`assert_no_alloc`] / `#[no_alloc]` fail a test that allocates where it
//!   promised not to, and [`permit_alloc`] carves out an allowed allocation.
//!
//! ```
//! use perf_core::alloc::{allocs_per_run, CountingAlloc};
//!
//! #[global_allocator]
//! static GLOBAL: CountingAlloc = CountingAlloc::new(std::alloc::System);
//!
//! fn concat_bad(parts: &[&str]) -> String {
//!     let mut s = String::new();
//!     for p in parts {
//!         s = s + p; // grows again and again
//!     }
//!     s
//! }
//! fn concat_presized(parts: &[&str]) -> String {
//!     let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
//!     for p in parts {
//!         s.push_str(p);
//!     }
//!     s
//! }
//! let parts = ["alpha", "beta", "gamma", "delta"];
//! assert!(allocs_per_run(10, || drop(concat_bad(&parts))) > 1.0);
//! assert_eq!(allocs_per_run(10, || drop(concat_presized(&parts))), 1.0);
//! ```

mod counting;
mod guard;
mod sample;
mod state;
mod stats;

pub use counting::CountingAlloc;
pub use guard::{AllocGuard, assert_no_alloc, is_installed};
pub use sample::{SampleHooks, sampling_enabled, set_sample_hooks};
pub use stats::{
    AllocStats, GlobalStats, allocs_per_run, global_stats, measure, permit_alloc, thread_stats,
};
