//! The shared level of a pool: `capacity` slots that any thread may lend from or cache into.
//!
//! Like a thread's cache, the shared level lends an object where it lies, so a guard
//! returns it with a reset in place and one release store, whichever level it came from. A
//! slot's state is claimed with a compare-exchange (several threads compete here), and a slot
//! being filled or emptied is `BUSY` for the few instructions that move its object.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{
    AtomicU8,
    Ordering::{Acquire, Relaxed, Release},
};

use super::local::{EMPTY, FREE, LENT, Slot};

/// A shared slot whose object is being moved in or out by the thread that claimed it.
const BUSY: u8 = 3;

pub(crate) struct SharedSlots<T> {
    state: Box<[AtomicU8]>,
    items: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

// SAFETY: each object is used by one thread at a time: the one whose compare-exchange moved
// its slot to `BUSY` (moving it in or out), or the holder of the guard it is lent to; the
// acquire/release pairs on the state order those uses. Objects cross threads, hence `T: Send`.
unsafe impl<T: Send> Sync for SharedSlots<T> {}

impl<T> SharedSlots<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            state: (0..capacity).map(|_| AtomicU8::new(EMPTY)).collect(),
            items: (0..capacity)
                .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
                .collect(),
        }
    }

    fn slot(&self, index: usize) -> Slot<T> {
        Slot {
            item: self.items[index].get().cast::<T>(),
            state: &raw const self.state[index],
        }
    }

    /// Claims the first slot in state `from`, moving it to `to`.
    fn claim(&self, from: u8, to: u8) -> Option<usize> {
        self.state.iter().position(|s| {
            // Acquire: see the object as the thread that released the slot left it.
            s.load(Relaxed) == from && s.compare_exchange(from, to, Acquire, Relaxed).is_ok()
        })
    }

    /// Lends an idle object in place.
    pub(crate) fn lend(&self) -> Option<Slot<T>> {
        self.claim(FREE, LENT).map(|index| self.slot(index))
    }

    /// Moves `value` into an empty slot with state `to` (`FREE` to keep it, `LENT` to lend
    /// it in place), or hands it back when every slot is taken.
    pub(crate) fn place(&self, value: T, to: u8) -> Result<Slot<T>, T> {
        let Some(index) = self.claim(EMPTY, BUSY) else {
            return Err(value);
        };
        let slot = self.slot(index);
        // SAFETY: the compare-exchange to `BUSY` gave this thread the empty slot.
        unsafe { slot.item.write(value) };
        // Release: whoever claims the slot next sees the object written.
        self.state[index].store(to, Release);
        Ok(slot)
    }

    /// Takes an idle object out (its slot becomes `EMPTY`).
    pub(crate) fn take_idle(&self) -> Option<T> {
        let index = self.claim(FREE, BUSY)?;
        // SAFETY: the compare-exchange to `BUSY` gave this thread the slot and its object,
        // which is read once before the slot is released as empty.
        let value = unsafe { self.slot(index).item.read() };
        self.state[index].store(EMPTY, Release);
        Some(value)
    }

    /// Idle objects (a snapshot).
    pub(crate) fn idle(&self) -> usize {
        self.state
            .iter()
            .filter(|s| s.load(Relaxed) == FREE)
            .count()
    }
}

impl<T> Drop for SharedSlots<T> {
    fn drop(&mut self) {
        // `&mut self`: no guard is alive (guards borrow the pool), so no slot is `LENT`.
        for (state, item) in self.state.iter_mut().zip(self.items.iter_mut()) {
            if *state.get_mut() == FREE {
                *state.get_mut() = EMPTY;
                // SAFETY: a `FREE` slot holds an initialised object; its state is already
                // `EMPTY`, so a panicking destructor cannot lead to a second drop.
                unsafe { item.get_mut().assume_init_drop() };
            }
        }
    }
}
