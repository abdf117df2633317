//! The hot path of [`Pool`]: where `get` finds an object and where `put` leaves it.

use core::ptr;
use core::sync::atomic::{AtomicU64, Ordering};

use super::guard::Lent;
use super::local::{self, CHUNK, Chunk, EMPTY, FREE, LENT, Shard, Slot};
use super::shared::SharedSlots;
use super::{Pool, Poolable};

impl<T: Poolable> Pool<T> {
    /// What `get` hands out: an idle object of this thread's cache, lent where it lies; else
    /// see [`Pool::lend_slow`].
    #[inline(always)]
    pub(super) fn lend(&self) -> Lent<T> {
        let shard = self.entered_shard();
        if let Some(shard) = shard {
            // SAFETY: this thread entered the shard, so it is its owner for these calls.
            unsafe {
                if shard.stale(self.epoch.load(Ordering::Relaxed)) {
                    Self::drain(shard);
                }
                if let Some(slot) = shard.lend() {
                    Shard::<T>::bump(&shard.hits);
                    return Lent::slot(slot);
                }
            }
        }
        self.lend_slow(shard)
    }

    /// An idle object of the shared level, lent where it lies; else one left in the cache of
    /// an exited thread, or a new one from the factory, lent from an empty slot.
    #[inline(never)]
    fn lend_slow(&self, shard: Option<&Shard<T>>) -> Lent<T> {
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
        if let Some(slot) = self.shared.get().and_then(SharedSlots::lend) {
            count(hits);
            return Lent::slot(slot);
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
                return self.lend_value(shard, value);
            }
        }
        count(misses);
        let value = (self.factory)();
        self.lend_value(shard, value)
    }

    /// Lends `value` from an empty slot of this thread's cache or of the shared level, or,
    /// when every slot is taken (more objects are out than the pool retains), from a box.
    fn lend_value(&self, shard: Option<&Shard<T>>, value: T) -> Lent<T> {
        let value = match shard {
            // SAFETY: `lend` entered the shard for this thread; the factory or a destructor
            // that ran since may have used the pool, which re-enters the same shard.
            Some(shard) => match unsafe { shard.place(value, LENT) } {
                Ok(slot) => return Lent::slot(slot),
                Err(value) => value,
            },
            None => value,
        };
        let value = match self.shared_slots() {
            Some(shared) => match shared.place(value, LENT) {
                Ok(slot) => return Lent::slot(slot),
                Err(value) => value,
            },
            None => value,
        };
        Lent::boxed(value)
    }

    /// The shared level, allocated on first use; `None` for a pool of capacity 0.
    fn shared_slots(&self) -> Option<&SharedSlots<T>> {
        (self.capacity != 0).then(|| self.shared.get_or_init(|| SharedSlots::new(self.capacity)))
    }

    /// Empties the caches that no running thread uses (left by exited threads), passing
    /// each idle object to `keep`, which returns whether it took it; the others are dropped.
    /// Objects still lent from those caches stay where they are. Returns how many objects
    /// were dropped.
    #[cold]
    pub(super) fn orphans(&self, mut keep: impl FnMut(T) -> bool) -> usize {
        let mut dropped = 0;
        for index in 0..local::MAX_THREADS {
            let Some(shard) = self.existing_shard(index) else {
                continue;
            };
            if shard.idle() == 0 {
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
            while let Some(value) = unsafe { shard.take_idle() } {
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
                // SAFETY: this thread entered the shard; see `lend`.
                unsafe {
                    if shard.stale(self.epoch.load(Ordering::Relaxed)) {
                        Self::drain(shard);
                    }
                    match shard.place(value, FREE) {
                        Ok(_) => return,
                        Err(value) => value,
                    }
                }
            }
            None => value,
        };
        self.store_shared(value);
    }

    #[inline(never)]
    pub(super) fn store_shared(&self, value: T) {
        let rejected = match self.shared_slots() {
            Some(shared) => shared.place(value, FREE).err(),
            None => Some(value),
        };
        if let Some(value) = rejected {
            self.cold.discarded.fetch_add(1, Ordering::Relaxed);
            drop(value);
        }
    }

    /// Drops the idle objects of a shard, one at a time so that a destructor that uses this
    /// pool again finds the shard consistent. Returns how many objects it dropped.
    ///
    /// # Safety
    ///
    /// The calling thread owns the shard's index.
    pub(super) unsafe fn drain(shard: &Shard<T>) -> usize {
        let mut dropped = 0;
        // SAFETY: forwarded from the caller.
        while let Some(value) = unsafe { shard.take_idle() } {
            drop(value);
            dropped += 1;
        }
        dropped
    }

    /// Return path of an object lent in place, from whichever thread holds its guard:
    /// `reset` in place, the size guard, then the slot becomes `FREE` again; or the object
    /// is moved out, the slot becomes `EMPTY` and the object is dropped.
    ///
    /// # Safety
    ///
    /// `slot` was lent by this pool (its state is `LENT`) and the caller's guard, which is
    /// consumed, was its only user.
    #[inline(always)]
    pub(super) unsafe fn give_back_slot(&self, slot: Slot<T>) {
        if std::thread::panicking() {
            // SAFETY: forwarded from the caller.
            return unsafe { self.discard_slot(slot) };
        }
        /// Empties the slot and drops its object if `reset` unwinds.
        struct OnUnwind<'a, T: Poolable>(&'a Pool<T>, Slot<T>);
        impl<T: Poolable> Drop for OnUnwind<'_, T> {
            fn drop(&mut self) {
                // SAFETY: as in `give_back_slot`: the slot is ours until it is emptied.
                unsafe { self.0.discard_slot(self.1) };
            }
        }
        let on_unwind = OnUnwind(self, slot);
        // SAFETY: a `LENT` slot holds an initialised object that only its guard touches.
        let value = unsafe { &mut *slot.item };
        value.reset();
        core::mem::forget(on_unwind);
        let keep = match self.retain {
            None => value.retain(),
            Some(retain) => retain(value),
        };
        if keep {
            // SAFETY: `slot.state` points into a shard of this pool, alive while it is.
            // Release: the owner that lends the object next sees it reset.
            unsafe { (*slot.state).store(FREE, Ordering::Release) };
        } else {
            // SAFETY: forwarded from the caller.
            unsafe { self.drop_slot(slot) };
        }
    }

    /// A lent object that must not be reused (the thread panics, or `reset` did): emptied
    /// out of its slot, counted as discarded, dropped.
    ///
    /// # Safety
    ///
    /// As for [`Pool::give_back_slot`].
    #[cold]
    #[inline(never)]
    unsafe fn discard_slot(&self, slot: Slot<T>) {
        self.cold.discarded.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        drop(unsafe { release(slot) });
    }

    /// A lent object the size guard rejected: emptied out of its slot, counted, dropped.
    ///
    /// # Safety
    ///
    /// As for [`Pool::give_back_slot`].
    #[cold]
    #[inline(never)]
    unsafe fn drop_slot(&self, slot: Slot<T>) {
        self.cold.dropped.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        drop(unsafe { release(slot) });
    }

    /// Return path of an object lent from a box: as [`Pool::give_back`] (the box is freed,
    /// the object kept where there is room).
    ///
    /// # Safety
    ///
    /// `item` came from `Box::into_raw` and is not used afterwards.
    #[inline(never)]
    pub(super) unsafe fn give_back_boxed(&self, item: *mut T) {
        // SAFETY: forwarded from the caller.
        let value = *unsafe { Box::from_raw(item) };
        self.give_back(value);
    }
}

/// Moves a lent object out of its slot and marks the slot `EMPTY`.
///
/// # Safety
///
/// The slot is `LENT` to the caller, who does not use it afterwards.
#[inline]
pub(super) unsafe fn release<T>(slot: Slot<T>) -> T {
    // SAFETY: a `LENT` slot holds an initialised object; it is read once, and the release
    // store below hands the (now logically empty) slot back to its owner.
    unsafe {
        let value = slot.item.read();
        (*slot.state).store(EMPTY, Ordering::Release);
        value
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
