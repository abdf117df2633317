//! Per-thread caches: a process-wide registry hands every thread that uses a pool a small
//! index (reused after the thread exits) and a ticket (never reused), and every pool keeps
//! one [`Shard`] per index.
//!
//! A shard records the ticket of the thread that uses it (`owner`). A thread whose ticket is
//! there is the only one that touches the shard, so the hot path needs no atomic
//! read-modify-write and no lock: two thread-local reads, an acquire load of the chunk
//! pointer, a load of `owner`, and plain stores. The first time a thread uses a shard (a new
//! pool, or a shard left by an exited thread), it takes it over with a compare-exchange.
//!
//! A shard whose `owner` is not the ticket of its index's current thread was left by an
//! exited thread (or not yet taken over by the new one): any thread may lock it with a
//! compare-exchange to `LOCKED`, empty it, and put the old ticket back. That is how `trim()`
//! and a missing `get()` reach objects that exited threads left behind. Shards of running
//! threads are only ever touched by their owner, which empties its own at its next operation
//! after a `trim()` (see the pool's trim epoch).

use core::cell::{Cell, UnsafeCell};
use core::mem::MaybeUninit;
use core::sync::atomic::{
    AtomicU64, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed, Release},
};
use std::sync::{Mutex, PoisonError};

/// Objects one thread keeps per pool before it returns them to the shared level.
pub const THREAD_CACHE: usize = 4;
/// Threads that can own a per-thread cache at once; the others use the shared level only.
pub(crate) const MAX_THREADS: usize = 256;
/// Shards per lazily allocated chunk.
pub(crate) const CHUNK: usize = 8;
/// Chunk pointers inline in every pool.
pub(crate) const CHUNKS: usize = MAX_THREADS / CHUNK;

/// `INDEX` before the thread first used a pool.
const UNSET: usize = usize::MAX;
/// `INDEX` of a thread that could not get an index, or whose index was released at exit.
const NONE: usize = usize::MAX - 1;
/// `Shard::owner` while a thread other than its owner empties it.
const LOCKED: u64 = u64::MAX;

thread_local! {
    /// This thread's index, `UNSET` or `NONE`. No destructor: it stays readable while the
    /// thread exits, after `LEASE` released the index.
    static INDEX: Cell<usize> = const { Cell::new(UNSET) };
    /// This thread's ticket (valid while `INDEX` is an index).
    static TICKET: Cell<u64> = const { Cell::new(0) };
    /// Releases the index when the thread exits.
    static LEASE: Lease = const { Lease };
}

/// Bitmap of the indices owned by live threads.
static REGISTRY: Mutex<[u64; MAX_THREADS / 64]> = Mutex::new([0; MAX_THREADS / 64]);

/// Ticket of the thread holding each index; 0 when free. Written under the registry mutex
/// with release ordering, after everything the previous holder wrote.
static TICKETS: [AtomicU64; MAX_THREADS] = [const { AtomicU64::new(0) }; MAX_THREADS];

/// Next ticket to hand out (0 means "none" and `u64::MAX` is `LOCKED`).
static NEXT_TICKET: AtomicU64 = AtomicU64::new(1);

/// How many threads released their index at exit: a pool that misses looks for the objects
/// they left in its caches when this moved since its last look.
static EXITS: AtomicU64 = AtomicU64::new(0);

struct Lease;

impl Drop for Lease {
    fn drop(&mut self) {
        // Anything the thread returns from now on (later thread-local destructors) goes to
        // the shared level.
        let index = INDEX.try_with(|i| i.replace(NONE)).unwrap_or(NONE);
        if index < MAX_THREADS {
            let mut bits = lock();
            TICKETS[index].store(0, Release);
            bits[index / 64] &= !(1u64 << (index % 64));
            drop(bits);
            EXITS.fetch_add(1, Relaxed);
        }
    }
}

/// This thread's index and ticket, acquiring them on first use; `None` when the thread has
/// no cache.
#[inline(always)]
pub(crate) fn thread_slot() -> Option<(usize, u64)> {
    let index = INDEX.try_with(Cell::get).unwrap_or(NONE);
    if index < MAX_THREADS {
        Some((index, TICKET.try_with(Cell::get).unwrap_or(0)))
    } else if index == UNSET {
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
        let _ = INDEX.try_with(|i| i.set(NONE));
        return None;
    }
    let ticket = NEXT_TICKET.fetch_add(1, Relaxed);
    let index = {
        let mut bits = lock();
        let index = (0..MAX_THREADS).find(|&i| bits[i / 64] & (1u64 << (i % 64)) == 0);
        if let Some(i) = index {
            bits[i / 64] |= 1u64 << (i % 64);
            TICKETS[i].store(ticket, Release);
        }
        index
    };
    let _ = TICKET.try_with(|t| t.set(ticket));
    let _ = INDEX.try_with(|i| i.set(index.unwrap_or(NONE)));
    index.map(|i| (i, ticket))
}

fn lock() -> std::sync::MutexGuard<'static, [u64; MAX_THREADS / 64]> {
    // No user code runs under this lock, so it cannot be poisoned; stay robust anyway.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Threads that exited so far after using a pool.
pub(crate) fn exits() -> u64 {
    EXITS.load(Relaxed)
}

/// One thread's cache in one pool.
///
/// The counters are written only by the owner (plain load + store, no read-modify-write) and
/// read by `stats()` from any thread. `local` is touched only by the owner.
#[repr(align(128))]
pub(crate) struct Shard<T> {
    /// Ticket of the thread that uses this shard, 0 before any, or `LOCKED`.
    owner: AtomicU64,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// Initialised slots at the front of `local.items`. Written by whoever holds the shard
    /// (plain load and store), read by `stats()` from any thread.
    pub(crate) len: AtomicUsize,
    pub(crate) local: UnsafeCell<Local<T>>,
}

pub(crate) struct Local<T> {
    /// The pool's trim epoch this cache last saw.
    pub(crate) epoch: u64,
    pub(crate) items: [MaybeUninit<T>; THREAD_CACHE],
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

    /// Takes the most recently cached object.
    ///
    /// # Safety
    ///
    /// The calling thread entered the shard ([`Shard::enter`] returned `true` for its
    /// ticket) or holds it locked ([`Shard::lock_orphan`]), and no reference into `local` is
    /// live.
    #[inline(always)]
    pub(crate) unsafe fn pop(&self) -> Option<T> {
        // SAFETY: the caller owns the shard and holds no other reference into it; no user
        // code runs while this borrow lives.
        let local = unsafe { &mut *self.local.get() };
        let len = self.len.load(Relaxed);
        if len == 0 {
            return None;
        }
        self.len.store(len - 1, Relaxed);
        // SAFETY: slots below `len` are initialised; `len` was lowered, so this slot is
        // now logically uninitialised and read exactly once.
        Some(unsafe { read_by_words(local.items[len - 1].as_ptr()) })
    }

    /// Caches `value`, or hands it back when the cache is full.
    ///
    /// # Safety
    ///
    /// As for [`Shard::pop`].
    #[inline(always)]
    pub(crate) unsafe fn push(&self, value: T) -> Result<(), T> {
        // SAFETY: as in `pop`.
        let local = unsafe { &mut *self.local.get() };
        let len = self.len.load(Relaxed);
        if len == THREAD_CACHE {
            return Err(value);
        }
        local.items[len].write(value);
        self.len.store(len + 1, Relaxed);
        Ok(())
    }

    /// Records `epoch` and reports whether it differs from the one the cache last saw.
    ///
    /// # Safety
    ///
    /// As for [`Shard::pop`].
    #[inline(always)]
    pub(crate) unsafe fn stale(&self, epoch: u64) -> bool {
        // SAFETY: as in `pop`.
        let local = unsafe { &mut *self.local.get() };
        if local.epoch == epoch {
            return false;
        }
        local.epoch = epoch;
        true
    }
}

/// `src.read()`, done as separate 8-byte loads for small word-sized types.
///
/// `push` stores a small `T` (a `Vec` is three words) with one 8-byte store per word, and a
/// plain `read` may load two of those words with one 16-byte load: such a load cannot be
/// served from the store buffer, and the stall costs more than the rest of `get` together
/// (measured: `benches/pool.rs`). Volatile word loads keep the compiler from merging them.
///
/// # Safety
///
/// As for [`core::ptr::read`].
#[inline(always)]
unsafe fn read_by_words<T>(src: *const T) -> T {
    const WORD: usize = core::mem::size_of::<u64>();
    let size = core::mem::size_of::<T>();
    if !size.is_multiple_of(WORD) || core::mem::align_of::<T>() < WORD || size > 8 * WORD {
        // SAFETY: forwarded from the caller.
        return unsafe { src.read() };
    }
    let mut out = MaybeUninit::<T>::uninit();
    let (src, dst) = (
        src.cast::<MaybeUninit<u64>>(),
        out.as_mut_ptr().cast::<MaybeUninit<u64>>(),
    );
    for i in 0..size / WORD {
        // SAFETY: `T` is a whole number of aligned words and `src` is valid for reading it
        // (caller's contract); `MaybeUninit<u64>` copies padding and provenance as they are.
        unsafe { dst.add(i).write(src.add(i).read_volatile()) };
    }
    // SAFETY: every byte of `T` was copied from a valid `T`.
    unsafe { out.assume_init() }
}

impl<T> Drop for Shard<T> {
    fn drop(&mut self) {
        let len = core::mem::replace(self.len.get_mut(), 0);
        let local = self.local.get_mut();
        for item in &mut local.items[..len] {
            // SAFETY: slots below `len` are initialised; `len` is already 0, so a panicking
            // destructor cannot lead to a second drop.
            unsafe { item.assume_init_drop() };
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
