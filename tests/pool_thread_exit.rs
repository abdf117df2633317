//! Returning objects while a thread exits (from thread-local destructors, before and after
//! the pool's own per-thread state is gone) keeps them and touches no destroyed
//! thread-local.

use std::cell::RefCell;

use perfkit::{Pool, Pooled};

static POOL: Pool<Vec<u8>> = Pool::new(|| Vec::with_capacity(256));

struct ReturnsOnExit(RefCell<Vec<Pooled<'static, Vec<u8>>>>);

impl Drop for ReturnsOnExit {
    fn drop(&mut self) {
        // Uses the pool again from a destructor, after returning the held guards.
        self.0.get_mut().clear();
        let mut late = POOL.get();
        late.push(1);
    }
}

thread_local! {
    static HELD: ReturnsOnExit = const { ReturnsOnExit(RefCell::new(Vec::new())) };
}

fn hold(n: usize) {
    HELD.with(|h| h.0.borrow_mut().extend((0..n).map(|_| POOL.get())));
}

#[test]
fn guards_returned_by_thread_local_destructors_are_kept() {
    // Registered before the pool's thread state: destroyed after it (the pool's state
    // is gone when these guards come back).
    std::thread::spawn(|| {
        HELD.with(|_| ());
        hold(3);
    })
    .join()
    .unwrap();
    // Registered after: destroyed before it (the thread cache is still there).
    std::thread::spawn(|| {
        drop(POOL.get());
        hold(3);
    })
    .join()
    .unwrap();

    let s = POOL.stats();
    // The first thread built three objects; everything after reused them, including the
    // second thread (its cache, or the exited thread's, or the shared level).
    assert_eq!(s.misses, 3);
    assert_eq!(s.hits, 1 + 1 + 3 + 1);
    assert_eq!((s.dropped, s.discarded), (0, 0));
    assert_eq!(s.retained, 3, "no object was lost");
    assert_eq!(POOL.trim(), 3);
}
