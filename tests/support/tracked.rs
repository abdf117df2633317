//! Shared piece of the pool's concurrency tests (`tests/pool_stress.rs`,
//! `tests/pool_cross_thread.rs`): objects that carry an id, so a test can see that no object
//! is ever held by two guards at once, that each comes back reset, and that every object
//! built is either retained or dropped. Each test binary has its own counters.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};

use perfkit::{Pool, Poolable, Pooled};

const MAX_IDS: usize = 1 << 16;

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
/// Whether the object with that id is held by a guard now (set by [`acquire`]).
pub static HELD: [AtomicBool; MAX_IDS] = [const { AtomicBool::new(false) }; MAX_IDS];
pub static CREATED: AtomicU64 = AtomicU64::new(0);
pub static DESTROYED: AtomicU64 = AtomicU64::new(0);
pub static RESETS: AtomicU64 = AtomicU64::new(0);

pub struct Tracked {
    pub id: usize,
    /// The threads that acquired it since its last reset.
    pub log: Vec<usize>,
}

impl Tracked {
    pub fn new() -> Self {
        CREATED.fetch_add(1, SeqCst);
        let id = NEXT_ID.fetch_add(1, SeqCst);
        assert!(id < MAX_IDS, "more objects than the test can track");
        Self {
            id,
            log: Vec::with_capacity(8),
        }
    }
}

impl Poolable for Tracked {
    fn reset(&mut self) {
        assert!(
            !HELD[self.id].load(SeqCst),
            "object {} reset while held",
            self.id
        );
        RESETS.fetch_add(1, SeqCst);
        self.log.clear();
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        DESTROYED.fetch_add(1, SeqCst);
    }
}

/// Gets an object from `pool` on `thread`: checks it is held by no other guard and came back
/// reset, marks it held and logs the thread.
pub fn acquire(pool: &'static Pool<Tracked>, thread: usize) -> Pooled<'static, Tracked> {
    let mut g = pool.get();
    assert!(
        !HELD[g.id].swap(true, SeqCst),
        "object {} handed to two guards at once",
        g.id
    );
    assert!(g.log.is_empty(), "object {} came back without reset", g.id);
    g.log.push(thread);
    g
}

/// Marks the object as no longer held, before its guard is dropped or detached.
pub fn unhold(object: &Tracked) {
    HELD[object.id].store(false, SeqCst);
}
