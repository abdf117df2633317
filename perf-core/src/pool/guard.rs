//! RAII guards: [`Pooled`] borrows its pool, [`OwnedPooled`] holds it in an `Arc`.

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::{Pool, Poolable};

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
    value: ManuallyDrop<T>,
    pool: &'a Pool<T>,
}

// SAFETY: sending the guard sends the `T` it owns (`T: Send`) and a `&Pool<T>`, which is
// `Send` because `Pool<T>: Sync` exactly when `T: Send`; the object is returned to the pool
// from whichever thread drops the guard, which the pool supports for `T: Send`.
unsafe impl<T: Poolable + Send> Send for Pooled<'_, T> {}

// SAFETY: a shared guard gives access to `&T` only (Deref, Debug); nothing reachable through
// `&Pooled` touches the pool, so `T: Sync` is all sharing requires.
unsafe impl<T: Poolable + Sync> Sync for Pooled<'_, T> {}

impl<'a, T: Poolable> Pooled<'a, T> {
    #[inline]
    pub(crate) fn new(value: T, pool: &'a Pool<T>) -> Self {
        Self {
            value: ManuallyDrop::new(value),
            pool,
        }
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
        // SAFETY: `this` is never dropped, so the value is taken exactly once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }

    /// The pool the guard returns its object to.
    #[inline]
    pub fn pool(this: &Self) -> &'a Pool<T> {
        this.pool
    }
}

impl<T: Poolable> Drop for Pooled<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once and `value` is not touched afterwards.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.pool.give_back(value);
    }
}

impl<T: Poolable> Deref for Pooled<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Poolable> DerefMut for Pooled<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: Poolable + fmt::Debug> fmt::Debug for Pooled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.value, f)
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
    value: ManuallyDrop<T>,
    pool: Arc<Pool<T>>,
}

// SAFETY: as for `Pooled`: the guard owns a `T` (`T: Send`) and an `Arc<Pool<T>>`, which is
// `Send` because `Pool<T>` is `Send + Sync` exactly when `T: Send`.
unsafe impl<T: Poolable + Send> Send for OwnedPooled<T> {}

// SAFETY: `&OwnedPooled` exposes `&T` only; nothing reachable through it touches the pool.
unsafe impl<T: Poolable + Sync> Sync for OwnedPooled<T> {}

impl<T: Poolable> OwnedPooled<T> {
    #[inline]
    pub(crate) fn new(value: T, pool: Arc<Pool<T>>) -> Self {
        Self {
            value: ManuallyDrop::new(value),
            pool,
        }
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
        // SAFETY: `this` is never dropped, so both fields are taken exactly once.
        unsafe {
            drop(core::ptr::read(&this.pool));
            ManuallyDrop::take(&mut this.value)
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
        // SAFETY: `drop` runs once and `value` is not touched afterwards.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.pool.give_back(value);
    }
}

impl<T: Poolable> Deref for OwnedPooled<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Poolable> DerefMut for OwnedPooled<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: Poolable + fmt::Debug> fmt::Debug for OwnedPooled<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.value, f)
    }
}
