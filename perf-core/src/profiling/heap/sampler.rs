//! The allocator side of heap profiling: everything here runs inside the global allocator.
//!
//! Rules (the allocator's): no lock, no allocation, no panic. So:
//! - the Poisson sampler keeps its bytes-until-next-sample and its random state in
//!   const-initialised thread-locals without destructors;
//! - a sampled allocation's raw return addresses are written by `trace_unsynchronized`
//!   straight into a slot of a fixed ring (a bounded lock-free queue, Vyukov's design with
//!   zero-initialised sequence numbers), drained by a normal thread outside the allocator;
//! - live sampled pointers sit in a fixed open-addressing table of atomics, so a
//!   deallocation can find and retire its sample without locking.
//!
//! When the ring or the table is full a sample is dropped and counted, never waited for.

use core::cell::{Cell, UnsafeCell};
use core::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};

/// Raw frames kept per sample (the allocator's own frames included; they are trimmed later).
pub(crate) const MAX_FRAMES: usize = 64;
const RING_LEN: usize = 4096;
const RING_MASK: usize = RING_LEN - 1;
const TABLE_BITS: u32 = 16;
const TABLE_LEN: usize = 1 << TABLE_BITS;
const MAX_PROBE: usize = 32;

/// Mean bytes between samples (Go's `runtime.MemProfileRate`).
pub(crate) static RATE: AtomicUsize = AtomicUsize::new(DEFAULT_RATE);
/// Go's default `MemProfileRate`: one sample per 512 KiB on average.
pub const DEFAULT_RATE: usize = 512 * 1024;

/// Samples lost because the ring was full.
pub(crate) static DROPPED_RING: AtomicU64 = AtomicU64::new(0);
/// Samples not tracked for `inuse_*` because the live table had no free slot in reach.
pub(crate) static DROPPED_TABLE: AtomicU64 = AtomicU64::new(0);

thread_local! {
    // Bytes this thread may still allocate before its next sample; 0 = not drawn yet.
    static NEXT: Cell<isize> = const { Cell::new(0) };
    static RNG: Cell<u64> = const { Cell::new(0) };
}

/// One sampled allocation, as the drainer receives it.
#[derive(Clone, Copy)]
pub(crate) struct RawSample {
    pub(crate) frames: [usize; MAX_FRAMES],
    pub(crate) len: usize,
    pub(crate) size: usize,
    pub(crate) ptr: usize,
    pub(crate) id: u32,
    pub(crate) labels: u32,
    pub(crate) thread: [u8; 16],
}

impl RawSample {
    const EMPTY: Self = Self {
        frames: [0; MAX_FRAMES],
        len: 0,
        size: 0,
        ptr: 0,
        id: 0,
        labels: 0,
        thread: [0; 16],
    };
}

struct Slot {
    /// `lap` = ready to write, `lap + 1` = ready to read, where `lap` is the position with
    /// its low bits cleared; starts at 0, so the array needs no per-index initialiser.
    seq: AtomicUsize,
    data: UnsafeCell<RawSample>,
}

// SAFETY: `data` is only accessed by the one producer that won the slot (between its
// claim on `TAIL` and its release store to `seq`) or by the one consumer (between its acquire
// load of `seq` and its release store), never by both: the sequence number hands it over.
unsafe impl Sync for Slot {}

static RING: [Slot; RING_LEN] = [const {
    Slot {
        seq: AtomicUsize::new(0),
        data: UnsafeCell::new(RawSample::EMPTY),
    }
}; RING_LEN];
static TAIL: AtomicUsize = AtomicUsize::new(0);
static HEAD: AtomicUsize = AtomicUsize::new(0);

const EMPTY: usize = 0;
const CLAIMED: usize = 1;
const TOMBSTONE: usize = 2;

struct Entry {
    /// `EMPTY`, `CLAIMED` (being written), `TOMBSTONE` (freed) or the live pointer.
    key: AtomicUsize,
    /// Sample id in the high half, record index + 1 in the low half (0 until drained).
    meta: AtomicU64,
}

static TABLE: [Entry; TABLE_LEN] = [const {
    Entry {
        key: AtomicUsize::new(EMPTY),
        meta: AtomicU64::new(0),
    }
}; TABLE_LEN];
/// Live entries per group of 8 home slots: a deallocation whose group counts none (almost
/// all of them) stops after one load from this 8 KiB array, which stays in L1, instead of
/// touching the 1 MiB table.
static FILTER: [AtomicU8; TABLE_LEN >> 3] = [const { AtomicU8::new(0) }; TABLE_LEN >> 3];
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

#[inline]
fn home(ptr: usize) -> usize {
    ((ptr as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS)) as usize
}

/// The allocation hook: counts bytes down and samples when the count crosses zero.
pub(crate) fn on_alloc(ptr: *mut u8, size: usize) {
    let sample = NEXT
        .try_with(|next| {
            let mut left = next.get();
            if left == 0 {
                left = draw();
            }
            left = left.saturating_sub(isize::try_from(size).unwrap_or(isize::MAX));
            if left > 0 {
                next.set(left);
                false
            } else {
                next.set(draw());
                true
            }
        })
        .unwrap_or(false);
    if sample {
        record(ptr as usize, size);
    }
}

/// The deallocation hook: retires the pointer if it was sampled.
pub(crate) fn on_dealloc(ptr: *mut u8, _size: usize) {
    let ptr = ptr as usize;
    let h = home(ptr);
    if FILTER[h >> 3].load(Ordering::Relaxed) == 0 {
        return;
    }
    for i in 0..MAX_PROBE {
        let e = &TABLE[(h + i) & (TABLE_LEN - 1)];
        let k = e.key.load(Ordering::Acquire);
        if k == ptr {
            if e.key
                .compare_exchange(ptr, TOMBSTONE, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                FILTER[h >> 3].fetch_sub(1, Ordering::Relaxed);
            }
            return;
        }
        if k == EMPTY {
            return;
        }
    }
}

/// An exponential draw with mean `RATE` (the gap to the next sample), at least 1.
fn draw() -> isize {
    let rate = RATE.load(Ordering::Relaxed).max(1) as f64;
    let bits = RNG
        .try_with(|rng| {
            let mut x = rng.get();
            if x == 0 {
                // Seed from the thread-local's address and a process-wide counter.
                static SEED: AtomicU64 = AtomicU64::new(0x853C_49E6_748F_EA9B);
                x = (core::ptr::from_ref(rng) as u64)
                    ^ SEED.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
                x |= 1;
            }
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            rng.set(x);
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        })
        .unwrap_or(0x2545_F491_4F6C_DD1D);
    // Uniform in (0, 1]: 53 random bits, plus one so it is never 0.
    let u = ((bits >> 11) + 1) as f64 / (1u64 << 53) as f64;
    let gap = -u.ln() * rate;
    if gap < 1.0 {
        1
    } else if gap >= isize::MAX as f64 {
        isize::MAX
    } else {
        gap as isize
    }
}

/// The address of [`record`], the function whose frame tops every sampled stack.
pub(crate) fn record_fn() -> usize {
    record as fn(usize, usize) as usize
}

#[cold]
#[inline(never)]
fn record(ptr: usize, size: usize) {
    let id = (NEXT_ID.fetch_add(1, Ordering::Relaxed) & 0xFFFF_FFFF) as u32;
    let tracked = insert(ptr, id);
    if !push(ptr, size, id) {
        DROPPED_RING.fetch_add(1, Ordering::Relaxed);
        if tracked {
            on_dealloc(ptr as *mut u8, size);
        }
    }
}

fn insert(ptr: usize, id: u32) -> bool {
    let h = home(ptr);
    for i in 0..MAX_PROBE {
        let e = &TABLE[(h + i) & (TABLE_LEN - 1)];
        let k = e.key.load(Ordering::Relaxed);
        if (k == EMPTY || k == TOMBSTONE)
            && e.key
                .compare_exchange(k, CLAIMED, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        {
            e.meta.store(u64::from(id) << 32, Ordering::Relaxed);
            // Counted before the pointer is published: its free, which happens after this
            // allocation returns, must not skip the lookup. Entries homed in a group of 8 sit in
            // the 8 + MAX_PROBE slots from its start, so a count never passes 40.
            FILTER[h >> 3].fetch_add(1, Ordering::Relaxed);
            e.key.store(ptr, Ordering::Release);
            return true;
        }
    }
    DROPPED_TABLE.fetch_add(1, Ordering::Relaxed);
    false
}

fn push(ptr: usize, size: usize, id: u32) -> bool {
    let mut pos = TAIL.load(Ordering::Relaxed);
    loop {
        let slot = &RING[pos & RING_MASK];
        let lap = pos & !RING_MASK;
        let seq = slot.seq.load(Ordering::Acquire);
        let diff = seq.wrapping_sub(lap) as isize;
        if diff == 0 {
            match TAIL.compare_exchange_weak(
                pos,
                pos.wrapping_add(1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    // SAFETY: winning the CAS on `TAIL` for `pos` while `seq == lap` makes this
                    // thread the slot's only writer until the release store below.
                    let data = unsafe { &mut *slot.data.get() };
                    fill(data, ptr, size, id);
                    slot.seq.store(lap.wrapping_add(1), Ordering::Release);
                    return true;
                }
                Err(now) => pos = now,
            }
        } else if diff < 0 {
            return false; // full: the consumer has not freed this slot from the previous lap
        } else {
            pos = TAIL.load(Ordering::Relaxed);
        }
    }
}

fn fill(data: &mut RawSample, ptr: usize, size: usize, id: u32) {
    let mut len = 0;
    // SAFETY: `trace_unsynchronized` is unsafe because unwinding is not serialised across
    // threads; on Linux the unwinder (libgcc, `dl_iterate_phdr`) is thread-safe, and the
    // callback only writes into the fixed array: nothing allocates.
    unsafe {
        backtrace::trace_unsynchronized(|frame| {
            data.frames[len] = frame.ip() as usize;
            len += 1;
            len < MAX_FRAMES
        });
    }
    data.len = len;
    data.size = size;
    data.ptr = ptr;
    data.id = id;
    data.labels = super::super::labels::current();
    data.thread = [0; 16];
    // SAFETY: PR_GET_NAME writes at most 16 bytes (NUL included) into the buffer we pass.
    unsafe {
        libc::prctl(libc::PR_GET_NAME, data.thread.as_mut_ptr());
    }
}

/// Takes the oldest published sample. Callers serialise (the drainer holds a mutex).
pub(crate) fn pop() -> Option<RawSample> {
    let pos = HEAD.load(Ordering::Relaxed);
    let slot = &RING[pos & RING_MASK];
    let lap = pos & !RING_MASK;
    if slot.seq.load(Ordering::Acquire) != lap.wrapping_add(1) {
        return None;
    }
    HEAD.store(pos.wrapping_add(1), Ordering::Relaxed);
    // SAFETY: `seq == lap + 1` means the producer released the slot and, callers being
    // serialised, no other consumer reads it; producers wait for the store below.
    let sample = unsafe { *slot.data.get() };
    slot.seq
        .store(lap.wrapping_add(RING_LEN), Ordering::Release);
    Some(sample)
}

/// Marks the live entry of sample `id` at `ptr` as belonging to record `rec` (0-based).
pub(crate) fn resolve_live(ptr: usize, id: u32, rec: u32) {
    let h = home(ptr);
    for i in 0..MAX_PROBE {
        let e = &TABLE[(h + i) & (TABLE_LEN - 1)];
        let k = e.key.load(Ordering::Acquire);
        if k == ptr {
            let unresolved = u64::from(id) << 32;
            let _ = e.meta.compare_exchange(
                unresolved,
                unresolved | u64::from(rec + 1),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
            return;
        }
        if k == EMPTY {
            return;
        }
    }
}

/// Calls `f(record)` for every live sampled allocation whose sample has been drained.
pub(crate) fn for_each_live(mut f: impl FnMut(u32)) {
    for e in &TABLE {
        let k = e.key.load(Ordering::Acquire);
        if k > TOMBSTONE {
            let rec = (e.meta.load(Ordering::Acquire) & 0xFFFF_FFFF) as u32;
            if rec != 0 {
                f(rec - 1);
            }
        }
    }
}

/// Forgets every live entry (when sampling stops: frees are no longer seen).
pub(crate) fn clear_live() {
    for e in &TABLE {
        e.key.store(EMPTY, Ordering::Relaxed);
        e.meta.store(0, Ordering::Relaxed);
    }
    for f in &FILTER {
        f.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::{RATE, draw};
    use core::sync::atomic::Ordering;

    #[test]
    fn gaps_are_exponential_with_the_configured_mean() {
        let old = RATE.swap(1000, Ordering::Relaxed);
        let n = 200_000;
        let gaps: Vec<f64> = (0..n).map(|_| draw() as f64).collect();
        RATE.store(old, Ordering::Relaxed);
        let mean = gaps.iter().sum::<f64>() / n as f64;
        assert!((mean - 1000.0).abs() < 20.0, "mean gap {mean}");
        // Exponential: P(gap > mean) = 1/e.
        let above = gaps.iter().filter(|&&g| g > 1000.0).count() as f64 / n as f64;
        assert!(
            (above - (-1.0f64).exp()).abs() < 0.01,
            "P(gap > mean) = {above}"
        );
        assert!(gaps.iter().all(|&g| g >= 1.0));
    }
}
