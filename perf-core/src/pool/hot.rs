//! The hot path of [`Pool`]: where `get` finds an object and where `put` leaves it.

use core::ptr;
use core::sync::atomic::{AtomicU64, Ordering};

use crossbeam_queue::ArrayQueue;

use super::local::{self, CHUNK, Chunk, Shard};
use super::{Pool, Poolable};

impl<T: Poolable> Pool<T> {
    /// The object `get` hands out: thread cache, shared level, or factory.
    #[inline(always)]
    pub(super) fn take(&self) -> T {
        let Some(shard) = self.entered_shard() else {
            return self.take_shared(None);
        };
        // SAFETY: this thread entered the shard, so nobody else touches it; each call below
        // ends its borrow before the next one starts and before any user code runs.
        unsafe {
            if shard.stale(self.epoch.load(Ordering::Relaxed)) {
                Self::drain(shard);
            }
            if let Some(value) = shard.pop() {
                Shard::<T>::bump(&shard.hits);
                return value;
            }
        }
        self.take_shared(Some(shard))
    }

    #[inline(never)]
    fn take_shared(&self, shard: Option<&Shard<T>>) -> T {
        let (hits, misses) = match shard {
            Some(shard) => (&shard.hits, &shard.misses),
            None => (&self.cold.hits, &self.cold.misses),
        };
        let count = |counter: &AtomicU64| match shard {
            Some(_) => Shard::<T>::bump(counter),
            None => {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        };
        if let Some(value) = self.shared.get().and_then(ArrayQueue::pop) {
            count(hits);
            return value;
        }
        // Threads exited since this pool last looked: their caches may hold objects.
        let exits = local::exits();
        if self.cold.exits_seen.swap(exits, Ordering::Relaxed) != exits {
            let mut adopted = None;
            self.orphans(|value| match adopted {
                None => {
                    adopted = Some(value);
                    true
                }
                Some(_) => {
                    self.store_shared(value);
                    true
                }
            });
            if let Some(value) = adopted {
                count(hits);
                return value;
            }
        }
        count(misses);
        (self.factory)()
    }

    /// Empties the caches that no running thread uses (left by exited threads), passing
    /// each object to `keep`, which returns whether it took it; the others are dropped.
    /// Returns how many objects were dropped.
    #[cold]
    pub(super) fn orphans(&self, mut keep: impl FnMut(T) -> bool) -> usize {
        let mut dropped = 0;
        for index in 0..local::MAX_THREADS {
            let Some(shard) = self.existing_shard(index) else {
                continue;
            };
            if shard.len.load(Ordering::Relaxed) == 0 {
                continue;
            }
            let Some(owner) = shard.lock_orphan(index) else {
                continue;
            };
            // Unlocks even if a destructor panics, so the shard is not locked for good.
            struct Unlock<'a, T>(&'a Shard<T>, u64);
            impl<T> Drop for Unlock<'_, T> {
                fn drop(&mut self) {
                    self.0.unlock(self.1);
                }
            }
            let _unlock = Unlock(shard, owner);
            // SAFETY: the shard is locked for this thread until `_unlock` drops.
            while let Some(value) = unsafe { shard.pop() } {
                if !keep(value) {
                    dropped += 1;
                }
            }
        }
        dropped
    }

    /// Keeps a reset, retained object: thread cache, then shared level, else drops it.
    #[inline(always)]
    pub(super) fn store(&self, value: T) {
        let value = match self.entered_shard() {
            Some(shard) => {
                // SAFETY: this thread entered the shard; see `take`.
                unsafe {
                    if shard.stale(self.epoch.load(Ordering::Relaxed)) {
                        Self::drain(shard);
                    }
                    match shard.push(value) {
                        Ok(()) => return,
                        Err(value) => value,
                    }
                }
            }
            None => value,
        };
        self.store_shared(value);
    }

    #[inline(never)]
    fn store_shared(&self, value: T) {
        let rejected = if self.capacity == 0 {
            Err(value)
        } else {
            self.shared
                .get_or_init(|| ArrayQueue::new(self.capacity))
                .push(value)
        };
        if let Err(value) = rejected {
            self.cold.discarded.fetch_add(1, Ordering::Relaxed);
            drop(value);
        }
    }

    /// Drops what a shard caches, one object at a time so that a destructor that uses this
    /// pool again finds the shard consistent. Returns how many objects it dropped.
    ///
    /// # Safety
    ///
    /// The calling thread owns the shard's index.
    pub(super) unsafe fn drain(shard: &Shard<T>) -> usize {
        let mut dropped = 0;
        // SAFETY: forwarded from the caller.
        while let Some(value) = unsafe { shard.pop() } {
            drop(value);
            dropped += 1;
        }
        dropped
    }
}

impl<T> Pool<T> {
    /// The calling thread's shard, if it has an index and the shard is not being emptied
    /// by another thread.
    #[inline(always)]
    pub(super) fn entered_shard(&self) -> Option<&Shard<T>> {
        let (index, ticket) = local::thread_slot()?;
        let shard = self.shard(index);
        shard.enter(ticket).then_some(shard)
    }

    /// The shard of `index`, allocating its chunk on first use.
    #[inline(always)]
    fn shard(&self, index: usize) -> &Shard<T> {
        let chunk = self.chunks[index / CHUNK].load(Ordering::Acquire);
        let chunk = if chunk.is_null() {
            self.publish_chunk(index / CHUNK)
        } else {
            chunk
        };
        // SAFETY: a published chunk is initialised and lives as long as the pool.
        unsafe { &(*chunk).shards[index % CHUNK] }
    }

    /// The shard of `index` if its chunk exists.
    fn existing_shard(&self, index: usize) -> Option<&Shard<T>> {
        let chunk = self.chunks[index / CHUNK].load(Ordering::Acquire);
        // SAFETY: a published chunk is initialised and lives as long as the pool.
        (!chunk.is_null()).then(|| unsafe { &(*chunk).shards[index % CHUNK] })
    }

    #[cold]
    #[inline(never)]
    fn publish_chunk(&self, slot: usize) -> *mut Chunk<T> {
        let fresh = Chunk::<T>::allocate();
        match self.chunks[slot].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(current) => {
                // SAFETY: `fresh` was never published.
                unsafe { Chunk::free(fresh) };
                current
            }
        }
    }
}
