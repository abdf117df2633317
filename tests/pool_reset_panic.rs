//! A panicking `reset` drops the object, leaves the pool consistent and propagates.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use perfkit::{Pool, Poolable};

static DROPS: AtomicUsize = AtomicUsize::new(0);

struct Fragile {
    poisoned: bool,
    data: Vec<u8>,
}

impl Poolable for Fragile {
    fn reset(&mut self) {
        assert!(!self.poisoned, "reset of a poisoned object");
        self.data.clear();
    }
}

impl Drop for Fragile {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

fn fragile() -> Fragile {
    Fragile {
        poisoned: false,
        data: Vec::with_capacity(16),
    }
}

#[test]
fn panicking_reset_drops_the_object_and_propagates() {
    let pool = Pool::new(fragile);
    drop(pool.get()); // one healthy object cached
    assert_eq!(pool.stats().retained, 1);

    let drops = DROPS.load(Ordering::SeqCst);
    let err = catch_unwind(AssertUnwindSafe(|| {
        let mut a = pool.get();
        a.poisoned = true;
        drop(a);
    }))
    .expect_err("the panic of reset propagates");
    assert_eq!(
        err.downcast_ref::<&str>(),
        Some(&"reset of a poisoned object")
    );
    assert_eq!(
        DROPS.load(Ordering::SeqCst),
        drops + 1,
        "the object was dropped"
    );

    let s = pool.stats();
    assert_eq!((s.retained, s.discarded), (0, 1));
    // Still usable: the next get builds a new object, returns go back as usual.
    let mut b = pool.get();
    b.data.push(1);
    drop(b);
    assert_eq!(pool.stats().retained, 1);
    assert!(pool.get().data.is_empty());
}

#[test]
fn put_with_panicking_reset_leaves_the_pool_unchanged() {
    let pool = Pool::new(fragile);
    pool.put(fragile());
    let before = pool.stats();
    let result = catch_unwind(AssertUnwindSafe(|| {
        pool.put(Fragile {
            poisoned: true,
            data: Vec::new(),
        });
    }));
    assert!(result.is_err());
    let after = pool.stats();
    assert_eq!(after.retained, before.retained);
    assert_eq!(after.discarded, before.discarded + 1);
}

#[test]
fn guard_dropped_while_unwinding_is_dropped_not_reset() {
    let pool = Pool::new(fragile);
    let drops = DROPS.load(Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        // Would make `reset` panic a second time (an abort) if the guard reset it.
        g.poisoned = true;
        panic!("user code failed");
    }));
    assert!(result.is_err());
    assert!(DROPS.load(Ordering::SeqCst) > drops);
    let s = pool.stats();
    assert_eq!((s.retained, s.discarded), (0, 1));
}
