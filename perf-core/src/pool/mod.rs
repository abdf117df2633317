//! A bounded object pool: Go's `sync.Pool`, with a bound, a size guard and reset on return.
//!
//! [`Pool<T>`] keeps objects that implement [`Poolable`] for reuse. [`Pool::get`] returns a
//! [`Pooled`] guard; dropping it resets the object and returns it. The return path is:
//!
//! 1. [`Poolable::reset`], with no lock held. A panicking `reset` drops the object and
//!    leaves the pool as it was; the panic propagates.
//! 2. The size guard, [`Poolable::retain`] (or the pool's own, see [`Pool::with_retain`]):
//!    std buffers that grew past [`DEFAULT_MAX_BYTES`] are dropped rather than kept.
//! 3. The slot the object was lent from: `get` lends an object where it lies, in a slot of the
//!    calling thread's cache ([`THREAD_CACHE`] slots per thread and pool; no atomic
//!    read-modify-write and no lock on this path) or of the shared level ([`Pool::capacity`]
//!    slots, claimed with a compare-exchange, allocated on first use). The guard resets the
//!    object there and marks the slot idle with one release store, from whichever thread drops
//!    it: the object never moves and the return reads no thread-local.
//! 4. An object that has no slot (given to [`Pool::put`], or lent from a box because every
//!    slot was taken) goes to an empty slot of the calling thread's cache, else of the shared
//!    level.
//! 5. Otherwise the object is dropped.
//!
//! `get` lends from the calling thread's cache, then from the shared level, then builds an
//! object with the pool's factory and lends it from an empty slot. A slot holds its object
//! while it is lent, so at most `capacity() + THREAD_CACHE × threads` objects are kept,
//! idle or lent; objects beyond that (more guards alive at once than the pool has slots) are
//! built, lent from a box and dropped when returned. [`Pool::trim`] gives the idle ones back.
//!
//! A thread gets its cache slot on its first use of any pool; up to 256 threads at a time
//! have one, the others use the shared level only. What an exiting thread's caches hold stays
//! in the pools: the next thread given its slot, the next `get` that misses, or `trim` takes
//! it. Objects returned from thread-local destructors after that go to the shared level.
//!
//! # Examples
//!
//! ```
//! use perf_core::pool::{Pool, Poolable};
//!
//! static BUFFERS: Pool<Vec<u8>> = Pool::new(Vec::new);
//!
//! fn render(id: u32) -> usize {
//!     let mut buf = BUFFERS.get(); // reused: no allocation once warm
//!     buf.extend_from_slice(b"item-");
//!     buf.extend_from_slice(id.to_string().as_bytes());
//!     buf.len()
//! } // cleared (capacity kept) and cached for this thread's next `get`
//!
//! assert_eq!(render(7), 6);
//! assert_eq!(render(42), 7);
//! assert_eq!(BUFFERS.stats().hits, 1);
//!
//! #[derive(Default)] // `#[derive(Poolable)]` writes this impl (with `perfkit`)
//! struct Request {
//!     path: String,
//!     headers: Vec<(String, String)>,
//!     status: u16,
//!     served: u64,
//! }
//!
//! impl Poolable for Request {
//!     fn reset(&mut self) {
//!         self.path.reset();    // cleared, capacity kept
//!         self.headers.reset();
//!         self.status.reset();  // back to 0
//!         // `served` is kept as it is (`#[poolable(skip)]`)
//!     }
//!
//!     fn retain(&self) -> bool {
//!         self.path.retain() && self.headers.retain()
//!     }
//! }
//!
//! static REQUESTS: Pool<Request> = Pool::new(Request::default);
//! let mut r = REQUESTS.get();
//! r.path.push_str("/index.html");
//! r.status = 200;
//! r.served += 1;
//! drop(r);
//! let r = REQUESTS.get();
//! assert!(r.path.is_empty() && r.status == 0 && r.served == 1);
//! ```

use core::fmt;
use core::marker::PhantomData;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

mod guard;
mod hot;
mod local;
mod poolable;
mod shared;

pub use guard::{OwnedPooled, Pooled};
pub use local::THREAD_CACHE;
pub use poolable::{Capacity, DEFAULT_MAX_BYTES, Poolable};

use local::{CHUNKS, Chunk};

/// Slots of the shared level of a pool unless configured with [`Pool::with_capacity`].
pub const DEFAULT_CAPACITY: usize = 64;

/// A bounded, thread-safe object pool.
///
/// `Pool::new` is a `const fn` and allocates nothing, so a pool can be a `static` and its
/// guards `Pooled<'static, T>`. For a pool created at run time, put it in an `Arc` and use
/// [`Pool::get_owned`] for guards that must be `'static`.
///
/// `Pool<T>` is `Sync` (and `Send`) exactly when `T: Send`: objects move between threads
/// but are never shared. A pool of `Rc` cannot cross threads:
///
/// ```compile_fail,E0277
/// use std::rc::Rc;
/// use perf_core::pool::Pool;
///
/// static POOL: Pool<Option<Rc<u8>>> = Pool::new(|| None); // error: `Rc<u8>` cannot be sent
/// ```
///
/// # Examples
///
/// ```
/// use perf_core::pool::{Pool, Pooled};
///
/// static POOL: Pool<String> = Pool::new(String::new).with_capacity(16);
///
/// let mut s = POOL.get();
/// s.push_str("hello");
/// assert_eq!(*s, "hello");
/// drop(s);
///
/// POOL.put(String::with_capacity(32)); // hand in an object made elsewhere
/// assert_eq!(POOL.stats().retained, 2);
/// assert_eq!(POOL.trim(), 2);
/// assert_eq!(POOL.stats().retained, 0);
/// ```
pub struct Pool<T> {
    factory: fn() -> T,
    retain: Option<fn(&T) -> bool>,
    capacity: usize,
    /// Bumped by `trim`: a thread whose cache saw an older epoch empties it at its next use.
    epoch: AtomicU64,
    /// Per-thread caches, indexed by `local::thread_slot()`, allocated a chunk at a time.
    chunks: [AtomicPtr<Chunk<T>>; CHUNKS],
    shared: OnceLock<shared::SharedSlots<T>>,
    cold: Cold,
    /// The pool owns `T`s (through `chunks`).
    _owns: PhantomData<T>,
}

/// Counters written off the hot path, away from the fields every `get` reads.
#[repr(align(128))]
struct Cold {
    /// Hits and misses of threads without a cache of their own.
    hits: AtomicU64,
    misses: AtomicU64,
    dropped: AtomicU64,
    discarded: AtomicU64,
    /// `local::exits()` when this pool last looked for caches left by exited threads.
    exits_seen: AtomicU64,
}

// SAFETY: sharing a pool lets threads move `T`s in and out of it (hence `T: Send`), never
// share one: each object is owned by one guard or sits in one cache slot. The idle slots of a
// per-thread cache are touched only by the thread whose ticket it holds, or by one thread that
// locked it after its owner exited (both hand-overs are compare-exchanges with acquire/release
// ordering); a lent slot only by its guard, which hands it back with a release store of the
// slot's state that the next lender reads with acquire (see `local::Shard`); the shared
// level's slots are claimed with compare-exchanges (`shared::SharedSlots`, `Sync` for
// `T: Send`); everything else is atomics.
unsafe impl<T: Send> Sync for Pool<T> {}

/// Figures of a [`Pool`], read with [`Pool::stats`]. Each counter is exact for what it
/// counts; a snapshot taken while other threads use the pool may mix slightly different
/// instants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStats {
    /// `get`s served by a reused object.
    pub hits: u64,
    /// `get`s that called the factory.
    pub misses: u64,
    /// Objects dropped on return by the size guard (`retain` returned `false`).
    pub dropped: u64,
    /// Objects dropped on return because the pool was full, or because the guard was dropped
    /// during a panic or `reset` panicked.
    pub discarded: u64,
    /// Objects the pool holds now (thread caches and shared level).
    pub retained: usize,
}

impl<T: Poolable> Pool<T> {
    /// An empty pool that creates objects with `factory` when it has none to hand out.
    ///
    /// Allocates nothing: the caches are allocated on first use.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// static POOL: Pool<Vec<u32>> = Pool::new(|| Vec::with_capacity(256));
    /// assert!(POOL.get().capacity() >= 256);
    /// ```
    #[must_use]
    pub const fn new(factory: fn() -> T) -> Self {
        Self {
            factory,
            retain: None,
            capacity: DEFAULT_CAPACITY,
            epoch: AtomicU64::new(0),
            chunks: [const { AtomicPtr::new(ptr::null_mut()) }; CHUNKS],
            shared: OnceLock::new(),
            cold: Cold {
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
                dropped: AtomicU64::new(0),
                discarded: AtomicU64::new(0),
                exits_seen: AtomicU64::new(0),
            },
            _owns: PhantomData,
        }
    }

    /// Gives the shared level `capacity` slots (default [`DEFAULT_CAPACITY`]), each holding
    /// one object, idle or lent; `0` keeps only the per-thread caches.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// static POOL: Pool<String> = Pool::new(String::new).with_capacity(1024);
    /// assert_eq!(POOL.capacity(), 1024);
    /// ```
    #[must_use]
    pub const fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// Replaces the size guard [`Poolable::retain`] for this pool: objects for which
    /// `retain` returns `false` (after `reset`) are dropped instead of kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// // Keep buffers up to 1 MiB instead of the default 64 KiB.
    /// static BIG: Pool<Vec<u8>> = Pool::new(Vec::new).with_retain(|v| v.capacity() <= 1 << 20);
    /// BIG.put(Vec::with_capacity(512 << 10));
    /// BIG.put(Vec::with_capacity(2 << 20));
    /// let stats = BIG.stats();
    /// assert_eq!((stats.retained, stats.dropped), (1, 1));
    /// ```
    #[must_use]
    pub const fn with_retain(mut self, retain: fn(&T) -> bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// Slots of the shared level.
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.capacity
    }

    /// Takes an object (a cached one, or a new one from the factory) in a guard that resets
    /// and returns it when dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// let pool = Pool::new(Vec::<u8>::new);
    /// let mut buf = pool.get();
    /// buf.push(1);
    /// assert_eq!(buf.len(), 1);
    /// ```
    #[inline]
    #[must_use = "the object goes straight back to the pool if the guard is unused"]
    pub fn get(&self) -> Pooled<'_, T> {
        Pooled::new(self.lend(), self)
    }

    /// Like [`get`](Pool::get), with a guard that holds the pool's `Arc` and so is `'static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use perf_core::pool::{OwnedPooled, Pool};
    ///
    /// struct Conn {
    ///     scratch: OwnedPooled<Vec<u8>>,
    /// }
    ///
    /// let pool = Arc::new(Pool::new(Vec::new));
    /// let conn = Conn { scratch: pool.get_owned() };
    /// drop(conn);
    /// assert_eq!(pool.stats().retained, 1);
    /// ```
    #[inline]
    #[must_use = "the object goes straight back to the pool if the guard is unused"]
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        OwnedPooled::new(self.lend(), Arc::clone(self))
    }

    /// Resets `value` and keeps it for a later `get`, unless the size guard rejects it or
    /// the pool is full.
    ///
    /// # Panics
    ///
    /// If `value.reset()` panics: the value is dropped, the pool is unchanged, and the panic
    /// propagates.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// static POOL: Pool<Vec<u8>> = Pool::new(Vec::new);
    /// POOL.put(vec![1, 2, 3]);
    /// let buf = POOL.get();
    /// assert!(buf.is_empty() && buf.capacity() >= 3);
    /// ```
    #[inline]
    pub fn put(&self, mut value: T) {
        // Counts the object as discarded if `reset` unwinds (the value is then dropped by
        // the unwinding itself).
        struct OnUnwind<'a>(&'a AtomicU64);
        impl Drop for OnUnwind<'_> {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        let on_unwind = OnUnwind(&self.cold.discarded);
        value.reset();
        core::mem::forget(on_unwind);

        let keep = match self.retain {
            None => value.retain(),
            Some(retain) => retain(&value),
        };
        if keep {
            self.store(value);
        } else {
            self.cold.dropped.fetch_add(1, Ordering::Relaxed);
            drop(value);
        }
    }

    /// Return path of the guards: as `put`, except that an object whose guard is dropped
    /// while the thread panics is dropped rather than reset (it may be half-updated, and a
    /// second panic in `reset` would abort).
    #[inline]
    pub(crate) fn give_back(&self, value: T) {
        if std::thread::panicking() {
            self.cold.discarded.fetch_add(1, Ordering::Relaxed);
            drop(value);
        } else {
            self.put(value);
        }
    }

    /// Drops every object the pool retains and returns how many there were.
    ///
    /// The shared level, the calling thread's cache and the caches of exited threads are
    /// emptied at once. Other running threads empty their own cache at their next use of
    /// the pool (their caches are never touched by another thread while they run).
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// let pool = Pool::new(String::new);
    /// pool.put(String::from("a"));
    /// pool.put(String::from("b"));
    /// assert_eq!(pool.trim(), 2);
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn trim(&self) -> usize {
        let epoch = self.epoch.fetch_add(1, Ordering::Relaxed) + 1;
        let mut dropped = 0;
        if let Some(shard) = self.entered_shard() {
            // SAFETY: this thread entered the shard.
            unsafe { shard.stale(epoch) };
            // SAFETY: as above.
            dropped += unsafe { Self::drain(shard) };
        }
        dropped += self.orphans(|_| false);
        if let Some(shared) = self.shared.get() {
            while let Some(value) = shared.take_idle() {
                drop(value);
                dropped += 1;
            }
        }
        dropped
    }

    /// Counters and the number of retained objects.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::pool::Pool;
    ///
    /// let pool = Pool::new(Vec::<u8>::new);
    /// drop(pool.get()); // miss: built by the factory
    /// drop(pool.get()); // hit
    /// pool.put(Vec::with_capacity(1 << 20)); // dropped by the size guard
    /// let s = pool.stats();
    /// assert_eq!((s.hits, s.misses, s.dropped, s.retained), (1, 1, 1, 1));
    /// ```
    #[must_use]
    pub fn stats(&self) -> PoolStats {
        let mut stats = PoolStats {
            hits: self.cold.hits.load(Ordering::Relaxed),
            misses: self.cold.misses.load(Ordering::Relaxed),
            dropped: self.cold.dropped.load(Ordering::Relaxed),
            discarded: self.cold.discarded.load(Ordering::Relaxed),
            retained: self.shared.get().map_or(0, shared::SharedSlots::idle),
        };
        for chunk in &self.chunks {
            let chunk = chunk.load(Ordering::Acquire);
            if chunk.is_null() {
                continue;
            }
            // SAFETY: a published chunk lives as long as the pool; only its atomics are read.
            for shard in unsafe { &(*chunk).shards } {
                stats.hits += shard.hits.load(Ordering::Relaxed);
                stats.misses += shard.misses.load(Ordering::Relaxed);
                stats.retained += shard.idle();
            }
        }
        stats
    }
}

impl<T> Drop for Pool<T> {
    fn drop(&mut self) {
        for chunk in &mut self.chunks {
            let chunk = core::mem::replace(chunk.get_mut(), ptr::null_mut());
            if !chunk.is_null() {
                // SAFETY: `&mut self`: no thread uses the pool any more, and whatever they
                // wrote happened before this drop (the borrow or `Arc` that ended ordered it).
                unsafe { Chunk::free(chunk) };
            }
        }
    }
}

impl<T: Poolable + Default> Default for Pool<T> {
    fn default() -> Self {
        Self::new(T::default)
    }
}

impl<T: Poolable> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("capacity", &self.capacity)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
