//! Runtime of [perfkit](https://docs.rs/perfkit): the counting allocator and its guards, the
//! object pool, the JSON writer, benchmark helpers and profiling endpoints.
//!
//! Depend on the `perfkit` facade instead of this crate: it re-exports everything here
//! together with the derives and attributes.

pub mod alloc;
pub mod json;
pub mod pool;

#[cfg(feature = "profiling")]
pub mod profiling;

#[cfg(feature = "bench")]
pub mod bench;
