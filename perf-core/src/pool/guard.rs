//! RAII guards: [`Pooled`] borrows its pool, [`OwnedPooled`] holds it in an `Arc`.

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::hot::release;
use super::local::Slot;
use super::{Pool, Poolable};

/// Where a guard's object is: lent in place from a slot of a thread's cache or of the shared
/// level, or (only when more objects are out than the pool has slots) from a box, marked by a
/// null state. Either way `item` points at the object, so `Deref` is one load.
pub(crate) struct Lent<T> {
    slot: Slot<T>,
}

impl<T: Poolable> Lent<T> {
    #[inline(always)]
    pub(crate) fn slot(slot: Slot<T>) -> Self {
        Self { slot }
    }

    #[inline(always)]
    pub(crate) fn boxed(value: T) -> Self {
        Self {
            slot: Slot {
                item: Box::into_raw(Box::new(value)),
                state: core::ptr::null(),
            },
        }
    }

    #[inline(always)]
    fn get(&self) -> &T {
        // SAFETY: a lent slot (or the box) holds an initialised object that only this guard
        // uses, inside a pool that outlives the guard.
        unsafe { &*self.slot.item }
    }

    #[inline(always)]
    fn get_mut(&mut self) -> &mut T {
        // SAFETY: as in `get`; `&mut self` makes the access exclusive.
        unsafe { &mut *self.slot.item }
    }

    /// Returns the object to `pool` (the one it was lent from).
    ///
    /// # Safety
    ///
    /// Called once, by the guard's `drop`; `self` is not used afterwards.
    #[inline(always)]
    unsafe fn give_back(&mut self, pool: &Pool<T>) {
        if self.slot.state.is_null() {
            // SAFETY: without a state, `item` came from `Box::into_raw` in `boxed`, and is
            // turned back into its box once.
            unsafe { pool.give_back_boxed(self.slot.item) };
        } else {
            // SAFETY: the slot was lent by `pool` to this guard, which ends here.
            unsafe { pool.give_back_slot(self.slot) };
        }
    }

    /// Takes the object out of the pool's care.
    ///
    /// # Safety
    ///
    /// As for [`Lent::give_back`], in place of it.
    #[inline(always)]
    unsafe fn detach(&mut self) -> T {
        if self.slot.state.is_null() {
            // SAFETY: as in `give_back`.
            *unsafe { Box::from_raw(self.slot.item) }
        } else {
            // SAFETY: the slot is lent to this guard, which ends here.
            unsafe { release(self.slot) }
        }
    }
}

/// An object taken from a [`Pool`]; resets and returns it when dropped.
///
/// It dereferences to `T` and has no methods of its own that could shadow `T`'s: the
/// operations on the guard are associated functions, such as [`Pooled::detach`].
///
/// `Pooled<T>` is `Send` when `T: Send` and `Sync` when `T: Sync`. A guard cannot be used
/// after it was returned or detached, nor outlive its pool:
///
/// ```compile_fail,E0382
/// use perf_core::pool::{Pool, Pooled};
///
/// static POOL: Pool<Vec<u8>> = Pool::new(Vec::new);
/// let guard = POOL.get();
/// let buf: Vec<u8> = Pooled::detach(guard);
/// guard.len(); // error: use of moved value
/// ```
///
/// ```compile_fail,E0597
/// use perf_core::pool::Pool;
///
/// let guard = {
///     let pool: Pool<String> = Pool::new(String::new);
///     pool.get()
/// }; // error: `pool` does not live long enough
/// ```
///
/// # Examples
///
/// ```
/// use perf_core::pool::Pool;
///
/// static BUFFERS: Pool<Vec<u8>> = Pool::new(Vec::new);
///
/// let mut buf = BUFFERS.get();
/// buf.extend_from_slice(b"pooled");
/// assert_eq!(&buf[..], b"pooled");
/// drop(buf); // cleared and cached for the next `get()` on this thread
/// assert!(BUFFERS.get().is_empty());
/// ```
pub struct Pooled<'a, T: Poolable> {
    lent: Lent<T>,
    pool: &'a Pool<T>,
}

// SAFETY: sending the guard sends the `T` it owns or is lent (`T: Send`: the object is used,
// reset and returned or dropped on the receiving thread; a lent slot is touched by nobody
// else until the guard's release store) and a `&Pool<T>`, which is `Send` because
// `Pool<T>: Sync` exactly when `T: Send`.
unsafe impl<T: Poolable + Send> Send for Pooled<'_, T> {}

// SAFETY: a shared guard gives access to `&T` only (Deref, Debug); nothing reachable through
// `&Pooled` touches the pool or the slot's state, so `T: Sync` is all sharing requires.
unsafe impl<T: Poolable + Sync> Sync for Pooled<'_, T> {}

impl<'a, T: Poolable> Pooled<'a, T> {
    #[inline(always)]
    pub(crate) fn new(lent: Lent<T>, pool: &'a Pool<T>) -> Self {
        Self { lent, pool }
    }

    /// Takes the object out of the pool's care: it is neither reset nor returned, and the
    /// guard is consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::{Pool, Pooled};
    ///
    /// static POOL: Pool<String> = Pool::new(String::new);
    ///
    /// let mut s = POOL.get();
    /// s.push_str("kept");
    /// let s: String = Pooled::detach(s);
    /// assert_eq!(s, "kept");
    /// ```
    #[inline]
    #[must_use = "the detached object is dropped at once if unused"]
    pub fn detach(this: Self) -> T {
        let mut this = ManuallyDrop::new(this);
        // SAFETY: `this` is never dropped, so the object is taken exactly once.
        unsafe { this.lent.detach() }
    }

    /// The pool the guard returns its object to.
    #[inline]
    pub fn pool(this: &Self) -> &'a Pool<T> {
        this.pool
    }
}

impl<T: Poolable> Drop for Pooled<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once and `lent` is not touched afterwards.
        unsafe { self.lent.give_back(self.pool) };
    }
}

impl<T: Poolable> Deref for Pooled<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        self.lent.get()
    }
}

impl<T: Poolable> DerefMut for Pooled<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        self.lent.get_mut()
    }
}

impl<T: Poolable + fmt::Debug> fmt::Debug for Pooled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.lent.get(), f)
    }
}

/// An object taken from an `Arc<Pool<T>>` with [`Pool::get_owned`]: a `'static` guard for
/// structs and async tasks whose pool is not a `static`.
///
/// Same behaviour as [`Pooled`]: `Send` when `T: Send`, `Sync` when `T: Sync`, resets and
/// returns the object on drop, [`OwnedPooled::detach`] keeps it.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use perf_core::pool::Pool;
///
/// let pool = Arc::new(Pool::new(Vec::<u8>::new));
/// let mut buf = pool.get_owned();
/// std::thread::spawn(move || buf.push(1)).join().unwrap();
/// assert_eq!(pool.stats().retained, 1);
/// ```
pub struct OwnedPooled<T: Poolable> {
    lent: Lent<T>,
    pool: Arc<Pool<T>>,
}

// SAFETY: as for `Pooled`: the guard owns or is lent a `T` (`T: Send`) and holds an
// `Arc<Pool<T>>`, which is `Send` because `Pool<T>` is `Send + Sync` exactly when `T: Send`.
unsafe impl<T: Poolable + Send> Send for OwnedPooled<T> {}

// SAFETY: `&OwnedPooled` exposes `&T` only; nothing reachable through it touches the pool.
unsafe impl<T: Poolable + Sync> Sync for OwnedPooled<T> {}

impl<T: Poolable> OwnedPooled<T> {
    #[inline]
    pub(crate) fn new(lent: Lent<T>, pool: Arc<Pool<T>>) -> Self {
        Self { lent, pool }
    }

    /// Takes the object out of the pool's care: it is neither reset nor returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use perf_core::pool::{OwnedPooled, Pool};
    ///
    /// let pool = Arc::new(Pool::new(String::new));
    /// let mut s = pool.get_owned();
    /// s.push('x');
    /// assert_eq!(OwnedPooled::detach(s), "x");
    /// ```
    #[inline]
    #[must_use = "the detached object is dropped at once if unused"]
    pub fn detach(this: Self) -> T {
        let mut this = ManuallyDrop::new(this);
        // SAFETY: `this` is never dropped, so both fields are taken exactly once; the object
        // leaves its slot before the pool (which holds the slot) may go.
        unsafe {
            let value = this.lent.detach();
            drop(core::ptr::read(&this.pool));
            value
        }
    }

    /// The pool the guard returns its object to.
    #[inline]
    pub fn pool(this: &Self) -> &Arc<Pool<T>> {
        &this.pool
    }
}

impl<T: Poolable> Drop for OwnedPooled<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once and `lent` is not touched afterwards; the pool field is
        // dropped after this, so the slot's pool is alive while the object is returned.
        unsafe { self.lent.give_back(&self.pool) };
    }
}

impl<T: Poolable> Deref for OwnedPooled<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        self.lent.get()
    }
}

impl<T: Poolable> DerefMut for OwnedPooled<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        self.lent.get_mut()
    }
}

impl<T: Poolable + fmt::Debug> fmt::Debug for OwnedPooled<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.lent.get(), f)
    }
}
