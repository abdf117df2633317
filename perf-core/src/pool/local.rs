//! Per-thread caches: a process-wide registry hands every thread that uses a pool a small
//! index (reused after the thread exits) and an id (never reused), and every pool keeps
//! one [`Shard`] per index.
//!
//! A shard records the id of the thread that uses it (`owner`). A thread whose id is
//! there is the only one that lends from the shard or caches into it, so `get` needs no
//! atomic read-modify-write and no lock: one thread-local read, an acquire load of the chunk
//! pointer, a load of `owner`, a scan of the slot states, and plain stores. An object is lent
//! where it lies in its slot, so the guard's return is a reset in place and one release store
//! of the slot's state, from whichever thread drops the guard, with no thread-local lookup.
//! The first time a thread uses a shard (a new pool, or a shard left by an exited thread), it
//! takes it over with a compare-exchange.
//!
//! A shard whose `owner` is not the id of its index's current thread was left by an
//! exited thread (or not yet taken over by the new one): any thread may lock it with a
//! compare-exchange to `LOCKED`, empty its idle slots, and put the old id back. That is how
//! `trim()` and a missing `get()` reach objects that exited threads left behind. The idle
//! slots of running threads are only ever touched by their owner, which empties its own at
//! its next operation after a `trim()` (see the pool's trim epoch).

use core::cell::{Cell, UnsafeCell};
use core::mem::MaybeUninit;
use core::sync::atomic::{
    AtomicU8, AtomicU64,
    Ordering::{AcqRel, Acquire, Relaxed, Release},
};
use std::sync::{Mutex, PoisonError};

/// Slots of one thread's cache in one pool: objects lent in place from them or idle in them.
/// More objects than this, outstanding or returned, go through the shared level.
pub const THREAD_CACHE: usize = 4;
/// Threads that can own a per-thread cache at once; the others use the shared level only.
pub(crate) const MAX_THREADS: usize = 256;
/// Shards per lazily allocated chunk.
pub(crate) const CHUNK: usize = 8;
/// Chunk pointers inline in every pool.
pub(crate) const CHUNKS: usize = MAX_THREADS / CHUNK;

/// `ID` before the thread first used a pool.
const UNSET: u64 = 0;
/// `ID` of a thread that could not get an index, or whose index was released at exit.
const NONE: u64 = 1;
/// Bits of an id that hold the thread's index (`MAX_THREADS` is 256).
const INDEX_BITS: u32 = 8;
/// `Shard::owner` while a thread other than its owner empties it.
const LOCKED: u64 = u64::MAX;

thread_local! {
    /// This thread's id: its ticket (never reused, from 1) shifted left by `INDEX_BITS`, or'ed
    /// with its index (reused after it exits); or `UNSET` / `NONE`. One word, so the hot
    /// path reads one thread-local. No destructor: it stays readable while the thread exits,
    /// after `LEASE` released the index.
    static ID: Cell<u64> = const { Cell::new(UNSET) };
    /// Releases the index when the thread exits.
    static LEASE: Lease = const { Lease };
}

/// Bitmap of the indices owned by live threads.
static REGISTRY: Mutex<[u64; MAX_THREADS / 64]> = Mutex::new([0; MAX_THREADS / 64]);

/// Id of the thread holding each index; 0 when free. Written under the registry mutex with
/// release ordering, after everything the previous holder wrote.
static TICKETS: [AtomicU64; MAX_THREADS] = [const { AtomicU64::new(0) }; MAX_THREADS];

/// Next ticket to hand out (ids from ticket 0 would collide with `UNSET` and `NONE`).
static NEXT_TICKET: AtomicU64 = AtomicU64::new(1);

/// How many threads released their index at exit: a pool that misses looks for the objects
/// they left in its caches when this moved since its last look.
static EXITS: AtomicU64 = AtomicU64::new(0);

struct Lease;

impl Drop for Lease {
    fn drop(&mut self) {
        // Anything the thread returns from now on (later thread-local destructors) goes to
        // the shared level.
        let id = ID.try_with(|i| i.replace(NONE)).unwrap_or(NONE);
        if id > NONE {
            let index = index_of(id);
            let mut bits = lock();
            TICKETS[index].store(0, Release);
            bits[index / 64] &= !(1u64 << (index % 64));
            drop(bits);
            EXITS.fetch_add(1, Relaxed);
        }
    }
}

#[inline(always)]
fn index_of(id: u64) -> usize {
    (id & ((1 << INDEX_BITS) - 1)) as usize
}

/// This thread's index and id, acquiring them on first use; `None` when the thread has no
/// cache. The id is what a shard's `owner` holds while this thread uses it.
#[inline(always)]
pub(crate) fn thread_slot() -> Option<(usize, u64)> {
    let id = ID.try_with(Cell::get).unwrap_or(NONE);
    if id > NONE {
        Some((index_of(id), id))
    } else if id == UNSET {
        acquire_for_thread()
    } else {
        None
    }
}

#[cold]
#[inline(never)]
fn acquire_for_thread() -> Option<(usize, u64)> {
    // Register the releasing destructor first: if that is no longer possible (the thread is
    // already exiting), the thread goes without a cache rather than leaking an index.
    if LEASE.try_with(|_| ()).is_err() {
        let _ = ID.try_with(|i| i.set(NONE));
        return None;
    }
    let ticket = NEXT_TICKET.fetch_add(1, Relaxed);
    let slot = {
        let mut bits = lock();
        let index = (0..MAX_THREADS).find(|&i| bits[i / 64] & (1u64 << (i % 64)) == 0);
        index.map(|i| {
            bits[i / 64] |= 1u64 << (i % 64);
            let id = (ticket << INDEX_BITS) | i as u64;
            TICKETS[i].store(id, Release);
            (i, id)
        })
    };
    let _ = ID.try_with(|i| i.set(slot.map_or(NONE, |(_, id)| id)));
    slot
}

fn lock() -> std::sync::MutexGuard<'static, [u64; MAX_THREADS / 64]> {
    // No user code runs under this lock, so it cannot be poisoned; stay robust anyway.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Threads that exited so far after using a pool.
pub(crate) fn exits() -> u64 {
    EXITS.load(Relaxed)
}

/// A cache slot holds nothing.
pub(crate) const EMPTY: u8 = 0;
/// A cache slot holds an idle, reset object.
pub(crate) const FREE: u8 = 1;
/// A cache slot holds an object lent in place to a guard.
pub(crate) const LENT: u8 = 2;

/// One thread's cache in one pool: [`THREAD_CACHE`] slots, each holding its object in place.
///
/// `get` lends an idle object where it lies: the guard points into the slot, so the object
/// never moves between the cache and the guard, and returning it takes no thread-local
/// lookup at all. Each slot has a state byte with these transitions:
///
/// - `EMPTY → FREE`, `FREE → LENT`, `FREE → EMPTY`: the owner (or the one thread that locked
///   the shard of an exited owner, for `FREE → EMPTY` only), with plain stores;
/// - `LENT → FREE` (returned, after `reset` in place) and `LENT → EMPTY` (detached, dropped
///   by the size guard or a panicking `reset`): the holder of the guard, on whichever thread
///   it is, with a release store that publishes what it did to the object.
///
/// So each state has exactly one writer at any time and no read-modify-write is needed. The
/// counters are written only by the owner (plain load + store) and read by `stats()`.
#[repr(align(128))]
pub(crate) struct Shard<T> {
    /// Ticket of the thread that uses this shard, 0 before any, or `LOCKED`.
    owner: AtomicU64,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// The pool's trim epoch this cache last saw (owner only).
    epoch: UnsafeCell<u64>,
    pub(crate) state: [AtomicU8; THREAD_CACHE],
    items: [UnsafeCell<MaybeUninit<T>>; THREAD_CACHE],
}

impl<T> Shard<T> {
    /// Whether the thread with `ticket` may use this shard now, taking it over if it was
    /// left by an exited thread. `false` while another thread empties it.
    #[inline(always)]
    pub(crate) fn enter(&self, ticket: u64) -> bool {
        self.owner.load(Relaxed) == ticket || self.take_over(ticket)
    }

    #[cold]
    #[inline(never)]
    fn take_over(&self, ticket: u64) -> bool {
        let mut current = self.owner.load(Acquire);
        loop {
            if current == LOCKED {
                return false;
            }
            // Acquire: see what the previous owner (through the registry) or the last thread
            // that emptied the shard (through `unlock`) wrote.
            match self
                .owner
                .compare_exchange_weak(current, ticket, AcqRel, Acquire)
            {
                Ok(_) => return true,
                Err(now) => current = now,
            }
        }
    }

    /// Locks the shard of `index` for emptying if no running thread uses it; returns the
    /// ticket to give back to [`Shard::unlock`].
    pub(crate) fn lock_orphan(&self, index: usize) -> Option<u64> {
        let owner = self.owner.load(Acquire);
        if owner == LOCKED || owner == 0 {
            return None;
        }
        // Acquire: if the owner exited, this orders everything it wrote before our reads.
        if TICKETS[index].load(Acquire) == owner {
            return None; // its owner is running: only it touches the shard
        }
        self.owner
            .compare_exchange(owner, LOCKED, AcqRel, Relaxed)
            .ok()
    }

    /// Ends what [`Shard::lock_orphan`] started.
    pub(crate) fn unlock(&self, owner: u64) {
        self.owner.store(owner, Release);
    }

    #[inline(always)]
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.store(counter.load(Relaxed).wrapping_add(1), Relaxed);
    }

    /// Idle objects in the cache (any thread; a snapshot).
    pub(crate) fn idle(&self) -> usize {
        self.state
            .iter()
            .filter(|s| s.load(Relaxed) == FREE)
            .count()
    }

    /// The slot of `index`: its object's place and its state.
    #[inline(always)]
    pub(crate) fn slot(&self, index: usize) -> Slot<T> {
        Slot {
            item: self.items[index].get().cast::<T>(),
            state: &raw const self.state[index],
        }
    }

    /// Lends an idle object in place: its slot becomes `LENT`.
    ///
    /// # Safety
    ///
    /// The calling thread entered the shard ([`Shard::enter`] returned `true` for its
    /// ticket).
    #[inline(always)]
    pub(crate) unsafe fn lend(&self) -> Option<Slot<T>> {
        for index in 0..THREAD_CACHE {
            // Acquire: a guard that returned the object from another thread reset it first.
            if self.state[index].load(Acquire) == FREE {
                self.state[index].store(LENT, Relaxed);
                return Some(self.slot(index));
            }
        }
        None
    }

    /// Moves `value` into an empty slot with state `to` (`FREE` to cache it, `LENT` to lend
    /// it in place), or hands it back when no slot is empty.
    ///
    /// # Safety
    ///
    /// As for [`Shard::lend`].
    #[inline(always)]
    pub(crate) unsafe fn place(&self, value: T, to: u8) -> Result<Slot<T>, T> {
        for index in 0..THREAD_CACHE {
            // Acquire: a guard that emptied the slot from another thread is done with it.
            if self.state[index].load(Acquire) == EMPTY {
                let slot = self.slot(index);
                // SAFETY: an `EMPTY` slot is touched by its owner only, which we are.
                unsafe { slot.item.write(value) };
                self.state[index].store(to, Release);
                return Ok(slot);
            }
        }
        Err(value)
    }

    /// Takes an idle object out of the cache (its slot becomes `EMPTY`).
    ///
    /// # Safety
    ///
    /// The calling thread entered the shard or holds it locked ([`Shard::lock_orphan`]).
    pub(crate) unsafe fn take_idle(&self) -> Option<T> {
        for index in 0..THREAD_CACHE {
            if self.state[index].load(Acquire) == FREE {
                // SAFETY: a `FREE` slot holds an object that only the owner (or the locker)
                // touches, which we are; the state becomes `EMPTY` right after the read, so
                // the object is read exactly once.
                let value = unsafe { self.slot(index).item.read() };
                self.state[index].store(EMPTY, Relaxed);
                return Some(value);
            }
        }
        None
    }

    /// Records `epoch` and reports whether it differs from the one the cache last saw.
    ///
    /// # Safety
    ///
    /// As for [`Shard::lend`].
    #[inline(always)]
    pub(crate) unsafe fn stale(&self, epoch: u64) -> bool {
        // SAFETY: only the owner reads or writes `epoch`.
        let seen = unsafe { &mut *self.epoch.get() };
        if *seen == epoch {
            return false;
        }
        *seen = epoch;
        true
    }
}

/// Where a lent object lies: a slot of some thread's cache.
pub(crate) struct Slot<T> {
    pub(crate) item: *mut T,
    pub(crate) state: *const AtomicU8,
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slot<T> {}

impl<T> Drop for Shard<T> {
    fn drop(&mut self) {
        // `&mut self`: no guard is alive (guards borrow the pool), so no slot is `LENT`.
        for index in 0..THREAD_CACHE {
            if *self.state[index].get_mut() == FREE {
                *self.state[index].get_mut() = EMPTY;
                // SAFETY: a `FREE` slot holds an initialised object; its state is already
                // `EMPTY`, so a panicking destructor cannot lead to a second drop.
                unsafe { self.items[index].get_mut().assume_init_drop() };
            }
        }
    }
}

/// `CHUNK` shards, allocated on the first use of an index in that range.
pub(crate) struct Chunk<T> {
    pub(crate) shards: [Shard<T>; CHUNK],
}

impl<T> Chunk<T> {
    /// A chunk of empty shards, allocated zeroed (every field is valid as all-zero bits), so
    /// a large `T` never passes through the stack.
    pub(crate) fn allocate() -> *mut Chunk<T> {
        let layout = std::alloc::Layout::new::<Chunk<T>>();
        // SAFETY: the layout is non-zero-sized (every shard has counters).
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<Chunk<T>>();
        if ptr.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        ptr
    }

    /// Drops the shards and frees the chunk.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`Chunk::allocate`], is not null and is not used afterwards.
    pub(crate) unsafe fn free(ptr: *mut Chunk<T>) {
        // SAFETY: `ptr` points to an initialised chunk that nobody else uses (caller's
        // contract); it was allocated with the global allocator and this layout.
        unsafe {
            core::ptr::drop_in_place(ptr);
            std::alloc::dealloc(ptr.cast(), std::alloc::Layout::new::<Chunk<T>>());
        }
    }
}
