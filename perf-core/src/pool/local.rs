//! Per-thread caches: a process-wide registry hands every thread that uses a pool a small
//! index (reused after the thread exits), and every pool keeps one [`Shard`] per index.
//!
//! A live thread is the only one that ever touches the shard of its index, so the hot path
//! needs no atomic read-modify-write and no lock: a thread-local read, an acquire load of the
//! chunk pointer and plain stores. Ownership of an index moves between threads only through
//! the registry's mutex, which orders everything the previous owner wrote before everything
//! the next one reads. `trim()` drains the shards of free indices by claiming them the same
//! way; shards of other live threads are drained by their owners at their next operation
//! (see the pool's trim epoch).

use core::cell::{Cell, UnsafeCell};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
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

thread_local! {
    /// This thread's index, `UNSET` or `NONE`. No destructor: it stays readable while the
    /// thread exits, after `LEASE` released the index.
    static INDEX: Cell<usize> = const { Cell::new(UNSET) };
    /// Releases the index when the thread exits.
    static LEASE: Lease = const { Lease };
}

/// Bitmap of the indices owned by live threads (or claimed for a moment by a pool that
/// empties the caches they left behind).
static REGISTRY: Mutex<[u64; MAX_THREADS / 64]> = Mutex::new([0; MAX_THREADS / 64]);

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
            release(index);
            EXITS.fetch_add(1, Relaxed);
        }
    }
}

/// This thread's index, acquiring one on first use; `None` when the thread has none.
#[inline(always)]
pub(crate) fn thread_index() -> Option<usize> {
    let index = INDEX.try_with(Cell::get).unwrap_or(NONE);
    if index < MAX_THREADS {
        Some(index)
    } else if index == UNSET {
        acquire_for_thread()
    } else {
        None
    }
}

#[cold]
#[inline(never)]
fn acquire_for_thread() -> Option<usize> {
    // Register the releasing destructor first: if that is no longer possible (the thread is
    // already exiting), the thread goes without a cache rather than leaking an index.
    if LEASE.try_with(|_| ()).is_err() {
        let _ = INDEX.try_with(|i| i.set(NONE));
        return None;
    }
    let index = claim_free();
    let _ = INDEX.try_with(|i| i.set(index.unwrap_or(NONE)));
    index
}

fn lock() -> std::sync::MutexGuard<'static, [u64; MAX_THREADS / 64]> {
    // No user code runs under this lock, so it cannot be poisoned; stay robust anyway.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Claims the lowest free index.
fn claim_free() -> Option<usize> {
    let mut bits = lock();
    (0..MAX_THREADS).find(|&i| {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let free = bits[word] & bit == 0;
        if free {
            bits[word] |= bit;
        }
        free
    })
}

/// Claims `index` if no thread owns it.
pub(crate) fn claim(index: usize) -> bool {
    let mut bits = lock();
    let (word, bit) = (index / 64, 1u64 << (index % 64));
    let free = bits[word] & bit == 0;
    bits[word] |= bit;
    free
}

/// The indices no live thread owns, as a bitmap snapshot.
pub(crate) fn free_indices() -> impl Iterator<Item = usize> {
    let bits = *lock();
    (0..MAX_THREADS).filter(move |&i| bits[i / 64] & (1u64 << (i % 64)) == 0)
}

/// Threads that exited so far after using a pool.
pub(crate) fn exits() -> u64 {
    EXITS.load(Relaxed)
}

/// Gives an index back to the registry.
pub(crate) fn release(index: usize) {
    let mut bits = lock();
    bits[index / 64] &= !(1u64 << (index % 64));
}

/// One thread's cache in one pool.
///
/// The counters are written only by the owner (plain load + store, no read-modify-write) and
/// read by `stats()` from any thread. `local` is touched only by the owner.
#[repr(align(128))]
pub(crate) struct Shard<T> {
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// Objects in `local.items`, mirrored for `stats()`.
    pub(crate) cached: AtomicUsize,
    pub(crate) local: UnsafeCell<Local<T>>,
}

pub(crate) struct Local<T> {
    /// The pool's trim epoch this cache last saw.
    pub(crate) epoch: u64,
    pub(crate) len: usize,
    pub(crate) items: [MaybeUninit<T>; THREAD_CACHE],
}

impl<T> Shard<T> {
    #[inline(always)]
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.store(counter.load(Relaxed).wrapping_add(1), Relaxed);
    }

    /// Takes the most recently cached object.
    ///
    /// # Safety
    ///
    /// The caller owns this shard (holds its index) and no reference into `local` is live.
    #[inline(always)]
    pub(crate) unsafe fn pop(&self) -> Option<T> {
        // SAFETY: the caller owns the shard and holds no other reference into it; no user
        // code runs while this borrow lives.
        let local = unsafe { &mut *self.local.get() };
        if local.len == 0 {
            return None;
        }
        local.len -= 1;
        self.cached.store(local.len, Relaxed);
        // SAFETY: slots below `len` are initialised; `len` was lowered, so this slot is
        // now logically uninitialised and read exactly once.
        Some(unsafe { read_by_words(local.items[local.len].as_ptr()) })
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
        if local.len == THREAD_CACHE {
            return Err(value);
        }
        local.items[local.len].write(value);
        local.len += 1;
        self.cached.store(local.len, Relaxed);
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
        let local = self.local.get_mut();
        let len = core::mem::replace(&mut local.len, 0);
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
