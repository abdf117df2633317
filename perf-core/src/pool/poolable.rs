//! The [`Poolable`] trait and its implementations for std types.

use core::cell::{Cell, RefCell};
use core::hash::BuildHasher;
use core::num::Wrapping;
use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::OsString;
use std::path::PathBuf;

/// Largest buffer, in bytes of capacity, that the std implementations of [`Poolable::retain`]
/// keep: 64 KiB. A buffer that grew past it is dropped when it comes back instead of pinning
/// its memory in the pool for good (Go's `sync.Pool` keeps them: golang/go#23199). Pick
/// another limit per pool with [`Pool::with_retain`](super::Pool::with_retain), or per field
/// with `#[poolable(max_capacity = N)]`.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024;

/// A value that can be reset and reused instead of being dropped and built again.
///
/// [`Pool`](super::Pool) calls [`reset`](Poolable::reset) on every object that comes back,
/// then [`retain`](Poolable::retain) to decide whether it is worth keeping.
///
/// Collections are cleared keeping their capacity; scalars go back to their `Default`;
/// `Option` becomes `None`; `Box`, arrays and tuples reset what they hold. Derive it for your
/// own structs with [`#[derive(Poolable)]`](https://docs.rs/perfkit/latest/perfkit/derive.Poolable.html).
///
/// # Examples
///
/// ```
/// use perf_core::pool::Poolable;
///
/// let mut buf: Vec<u8> = Vec::with_capacity(1024);
/// buf.extend_from_slice(b"hello");
/// buf.reset();
/// assert!(buf.is_empty());
/// assert!(buf.capacity() >= 1024); // the allocation is kept for the next user
/// assert!(buf.retain());
///
/// let huge: Vec<u8> = Vec::with_capacity(1 << 20);
/// assert!(!huge.retain()); // past the 64 KiB size guard: dropped, not pooled
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be pooled: it does not implement `Poolable`",
    label = "`{Self}` does not implement `Poolable`",
    note = "derive it with `#[derive(Poolable)]` or implement `reset` by hand; inside a derive, a field can also use `#[poolable(reset_with = path)]` or `#[poolable(skip)]`"
)]
pub trait Poolable {
    /// Brings the value back to the state of a fresh one, keeping what is worth reusing
    /// (allocated capacity).
    fn reset(&mut self);

    /// Whether a reset value is worth keeping; the size guard. Called after [`reset`].
    /// The default keeps everything.
    ///
    /// [`reset`]: Poolable::reset
    #[inline]
    fn retain(&self) -> bool {
        true
    }
}

/// Whether `capacity` elements of `T` fit in [`DEFAULT_MAX_BYTES`].
#[inline]
fn fits<T>(capacity: usize) -> bool {
    capacity.saturating_mul(core::mem::size_of::<T>()) <= DEFAULT_MAX_BYTES
}

macro_rules! scalar {
    ($($t:ty),* $(,)?) => {$(
        impl Poolable for $t {
            #[inline]
            fn reset(&mut self) {
                *self = <$t as Default>::default();
            }
        }
    )*};
}

scalar!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    Duration
);

impl<T: Default> Poolable for Wrapping<T> {
    #[inline]
    fn reset(&mut self) {
        self.0 = T::default();
    }
}

impl<T: Copy + Default> Poolable for Cell<T> {
    #[inline]
    fn reset(&mut self) {
        self.set(T::default());
    }
}

impl<T: Poolable> Poolable for RefCell<T> {
    #[inline]
    fn reset(&mut self) {
        self.get_mut().reset();
    }

    #[inline]
    fn retain(&self) -> bool {
        // A value borrowed elsewhere cannot be inspected; keeping it is the safe choice.
        self.try_borrow().map_or(true, |v| v.retain())
    }
}

impl<T> Poolable for Option<T> {
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
}

impl<T: Poolable + ?Sized> Poolable for Box<T> {
    #[inline]
    fn reset(&mut self) {
        (**self).reset();
    }

    #[inline]
    fn retain(&self) -> bool {
        (**self).retain()
    }
}

impl<T: Poolable, const N: usize> Poolable for [T; N] {
    #[inline]
    fn reset(&mut self) {
        self.iter_mut().for_each(T::reset);
    }

    #[inline]
    fn retain(&self) -> bool {
        self.iter().all(T::retain)
    }
}

macro_rules! tuple {
    ($(($($name:ident . $i:tt),+))*) => {$(
        impl<$($name: Poolable),+> Poolable for ($($name,)+) {
            #[inline]
            fn reset(&mut self) {
                $(self.$i.reset();)+
            }

            #[inline]
            fn retain(&self) -> bool {
                true $(&& self.$i.retain())+
            }
        }
    )*};
}

tuple! {
    (A.0)
    (A.0, B.1)
    (A.0, B.1, C.2)
    (A.0, B.1, C.2, D.3)
    (A.0, B.1, C.2, D.3, E.4)
    (A.0, B.1, C.2, D.3, E.4, F.5)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7)
}

/// Collections cleared in place, kept while their capacity fits [`DEFAULT_MAX_BYTES`].
macro_rules! buffer {
    ($([$($gen:tt)*] $t:ty => $elem:ty;)*) => {$(
        impl<$($gen)*> Poolable for $t {
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }

            #[inline]
            fn retain(&self) -> bool {
                fits::<$elem>(self.capacity())
            }
        }
    )*};
}

buffer! {
    [T] Vec<T> => T;
    [T] VecDeque<T> => T;
    [T] BinaryHeap<T> => T;
    [] String => u8;
    [] OsString => u8;
    [] PathBuf => u8;
    [K, V, S: BuildHasher] HashMap<K, V, S> => (K, V);
    [T, S: BuildHasher] HashSet<T, S> => T;
}

/// Collections without a capacity: nothing to keep but the (empty) value itself.
macro_rules! unsized_buffer {
    ($([$($gen:tt)*] $t:ty;)*) => {$(
        impl<$($gen)*> Poolable for $t {
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }
        }
    )*};
}

unsized_buffer! {
    [K, V] BTreeMap<K, V>;
    [T] BTreeSet<T>;
    [T] LinkedList<T>;
}

/// Capacity of a field marked `#[poolable(max_capacity = N)]`: elements for collections,
/// bytes for strings.
#[diagnostic::on_unimplemented(
    message = "`#[poolable(max_capacity = ...)]` needs a field with a capacity, and `{Self}` has none",
    label = "`{Self}` has no `capacity()`",
    note = "`max_capacity` works on `Vec`, `VecDeque`, `String`, `OsString`, `PathBuf`, `BinaryHeap`, `HashMap` and `HashSet`, or on a type implementing `perfkit::pool::Capacity`"
)]
pub trait Capacity {
    /// Current capacity, as the type's own `capacity()` reports it.
    fn capacity(&self) -> usize;
}

macro_rules! capacity {
    ($([$($gen:tt)*] $t:ty;)*) => {$(
        impl<$($gen)*> Capacity for $t {
            #[inline]
            fn capacity(&self) -> usize {
                <$t>::capacity(self)
            }
        }
    )*};
}

capacity! {
    [T] Vec<T>;
    [T] VecDeque<T>;
    [T] BinaryHeap<T>;
    [] String;
    [] OsString;
    [] PathBuf;
    [K, V, S] HashMap<K, V, S>;
    [T, S] HashSet<T, S>;
}

impl<T: Capacity + ?Sized> Capacity for Box<T> {
    #[inline]
    fn capacity(&self) -> usize {
        (**self).capacity()
    }
}
