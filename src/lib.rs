//! # perfkit
//!
//! Allocation-safe, fast Rust: the tools of Go's performance curriculum, done with Rust's
//! type system and procedural macros.
//!
//! - [`alloc`]: a counting global allocator, exact per-thread allocation counts
//!   ([`alloc::measure`], [`alloc::allocs_per_run`], [`assert_allocs!`]) and
//!   [`#[no_alloc]`](no_alloc), which fails a test whose hot function allocates.
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(std::alloc::System);
//!
//! #[perfkit::no_alloc]
//! fn checksum(data: &[u8]) -> u32 {
//!     data.iter().map(|&b| u32::from(b)).sum()
//! }
//!
//! assert_eq!(checksum(b"abc"), 294);
//! ```

pub use perf_core::alloc;

/// A bounded object pool with per-thread caches, a size guard and reset on return: Go's
/// `sync.Pool`, bounded. See [`Pool`].
pub mod pool {
    pub use perf_core::pool::*;
    pub use perf_macros::Poolable;
}

pub use perf_core::assert_allocs;
pub use perf_core::pool::{OwnedPooled, Pool, Poolable, Pooled};
/// Go's `net/http/pprof`: CPU, heap, allocation and thread profiles over HTTP that
/// `go tool pprof URL` reads (feature `profiling`).
#[cfg(feature = "profiling")]
pub use perf_core::profiling;

/// Go `testing.B` parity on criterion (feature `bench`): ns/op, allocs/op and B/op per
/// benchmark, parallel benchmarks, CPU profiles and baseline comparison.
#[cfg(feature = "bench")]
pub use perf_core::bench;

/// JSON encoding byte-identical to serde_json, with generated encoders: see [`FastJson`].
pub use perf_core::json;

/// A type that encodes itself as JSON, byte-identical to serde_json; derive it with
/// `#[derive(FastJson)]`. See the [`json`] module and `docs/json.md` for the attributes.
pub use perf_core::json::FastJson;

/// Derives [`FastJson`](trait@FastJson): a generated encoder that writes pre-escaped key
/// literals and reserves once where the size is bounded.
///
/// Container attributes `#[json(...)]`: `rename = "..."`, `rename_all = "..."` (serde's eight
/// rules), `rename_all_fields = "..."` (enums), `transparent`, `tag = "..."`,
/// `tag = "...", content = "..."`, `untagged`, `crate = "..."`, `bound = "..."`.
/// Variant attributes: `rename`, `rename_all`. Field attributes: `rename`, `skip`,
/// `skip_if = "path"`, `omit_empty`, `flatten`, `with = "path"`, `as_string`, `bound`.
///
/// # Examples
///
/// ```
/// use perfkit::FastJson;
///
/// #[derive(FastJson)]
/// #[json(rename_all = "camelCase")]
/// struct User {
///     user_id: u64,
///     display_name: String,
///     #[json(omit_empty)]
///     tags: Vec<String>,
///     #[json(skip)]
///     password_hash: [u8; 32],
/// }
///
/// let u = User { user_id: 7, display_name: "Ann".into(), tags: vec![], password_hash: [0; 32] };
/// assert_eq!(perfkit::json::to_string(&u), r#"{"userId":7,"displayName":"Ann"}"#);
/// ```
pub use perf_macros::FastJson;

/// Fails the calling test if the function, or anything it calls on the same thread, allocates.
///
/// Expands to a guard local at the top of the body (not a closure around it), so `return`,
/// `?`, `self` by value, generics, trait methods, `impl Trait` returns and `unsafe fn` work
/// unchanged. When the body returns, the guard checks what the thread allocated in between
/// and, if anything was, panics with an ordinary panic naming the function (with its `Self`
/// type), the counts, the bytes and the first allocation site as symbolized frames. So
/// `#[should_panic(expected = "#[no_alloc] violated")]` works and the other tests keep
/// running.
///
/// - `#[no_alloc(strict)]` also forbids deallocation (owned arguments, except `self`, are
///   dropped inside the guard).
/// - `#[no_alloc(always)]` keeps the guard in release builds. By default guards exist only
///   with `debug_assertions`; the facade feature `no-alloc-always` turns all of them on.
///   Without either, the attribute leaves no code behind.
/// - Allocations on other threads are not attributed to the guard.
/// - Nested guards work; [`alloc::permit_alloc`] suspends them for an intended allocation.
/// - `async fn` is rejected at compile time: a guard cannot span an `.await`. Guard the
///   synchronous functions the future calls instead. `const fn` is rejected too.
///
/// # Panics
///
/// When the guard is entered, if [`alloc::CountingAlloc`] is not the global allocator: the
/// message says how to install it. A guard never passes silently.
///
/// # Examples
///
/// ```should_panic
/// #[global_allocator]
/// static GLOBAL: perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(std::alloc::System);
///
/// #[perfkit::no_alloc(always)]
/// fn label(id: u32) -> String {
///     format!("item-{id}") // allocates: the guard panics when `label` returns
/// }
///
/// label(7);
/// ```
pub use perf_macros::no_alloc;

/// Derives [`Poolable`](trait@Poolable) for a struct: each field is reset with its own
/// `Poolable::reset` (collections cleared keeping their capacity, scalars back to their
/// `Default`, `Option` to `None`, nested `Poolable` structs field by field), and `retain`
/// keeps the object only if every field's `retain` does.
///
/// Field attributes:
/// - `#[poolable(skip)]`: neither reset nor checked (a counter, an id, a handle).
/// - `#[poolable(reset_with = path)]`: reset with `path(&mut field)` instead; the field need
///   not be `Poolable`.
/// - `#[poolable(max_capacity = N)]`: the object is dropped rather than kept when the field's
///   `capacity()` is above `N` (elements; bytes for strings), on top of the field's own size
///   guard.
///
/// Container attributes: `#[poolable(bound = "T: Trait")]` replaces the inferred bounds
/// (by default, each field type that mentions a type parameter must be `Poolable`), and
/// `#[poolable(crate = "path")]` names the facade when it is re-exported under another path.
///
/// An enum is reset to its `Default` as a whole (its variants may hold different data, so
/// there is no field-by-field reset); a union is rejected.
///
/// # Examples
///
/// ```
/// use std::collections::HashMap;
/// use perfkit::{Pool, Poolable};
///
/// fn zero(v: &mut [u8; 16]) {
///     *v = [0; 16];
/// }
///
/// #[derive(Poolable)]
/// struct Scratch<T> {
///     #[poolable(max_capacity = 4096)]
///     items: Vec<T>,             // cleared; dropped if it grew past 4096 items
///     index: HashMap<String, usize>,
///     #[poolable(reset_with = zero)]
///     key: [u8; 16],
///     #[poolable(skip)]
///     uses: u64,
/// }
///
/// static POOL: Pool<Scratch<u32>> = Pool::new(|| Scratch {
///     items: Vec::new(),
///     index: HashMap::new(),
///     key: [0; 16],
///     uses: 0,
/// });
///
/// let mut s = POOL.get();
/// s.items.extend([1, 2, 3]);
/// s.key[0] = 9;
/// s.uses += 1;
/// drop(s);
/// let s = POOL.get();
/// assert!(s.items.is_empty() && s.items.capacity() >= 3);
/// assert_eq!((s.key[0], s.uses), (0, 1));
/// ```
pub use perf_macros::Poolable;

/// Not public API: what generated code names.
#[doc(hidden)]
pub mod __private {
    pub use perf_core::alloc::AllocGuard;
    pub use perf_core::pool::{Capacity, Poolable};

    /// What `#[derive(FastJson)]` output names.
    pub mod json {
        pub use perf_core::json::__private::*;
        pub use perf_core::json::{FastJson, JsonFields, JsonKey, JsonWriter};
    }

    /// `my_crate::Type::method::__perfkit_no_alloc_here` → `my_crate::Type::method`.
    pub fn fn_path(marker: &'static str) -> &'static str {
        marker
            .strip_suffix("::__perfkit_no_alloc_here")
            .unwrap_or(marker)
    }

    /// Wraps the guard statement of `#[no_alloc]`: kept only with `debug_assertions` unless the
    /// facade feature `no-alloc-always` is on.
    #[cfg(not(feature = "no-alloc-always"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __perfkit_no_alloc_guard {
        ($($guard:tt)*) => {
            #[cfg(debug_assertions)]
            $($guard)*
        };
    }

    /// Wraps the guard statement of `#[no_alloc]`: always kept (feature `no-alloc-always`).
    #[cfg(feature = "no-alloc-always")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __perfkit_no_alloc_guard {
        ($($guard:tt)*) => {
            $($guard)*
        };
    }

    pub use crate::__perfkit_no_alloc_guard as no_alloc_guard;
}
