//! Behaviour of `Pool` a user relies on: reuse, reset, size guard, bound, trim, stats.

use std::sync::Arc;

use perfkit::{Pool, Pooled};

#[test]
fn returned_object_is_reset_and_reused() {
    let pool = Pool::new(|| Vec::<u8>::with_capacity(100));
    let mut a = pool.get();
    a.extend_from_slice(b"abc");
    let ptr = a.as_ptr();
    drop(a);
    let b = pool.get();
    assert!(b.is_empty(), "reset cleared the vector");
    assert_eq!(b.as_ptr(), ptr, "the same allocation came back");
    let s = pool.stats();
    assert_eq!((s.hits, s.misses), (1, 1));
}

#[test]
fn detached_object_is_not_returned() {
    let pool = Pool::new(String::new);
    let mut g = pool.get();
    g.push_str("mine");
    let s = Pooled::detach(g);
    assert_eq!(s, "mine");
    assert_eq!(pool.stats().retained, 0);
}

#[test]
fn size_guard_drops_oversized_buffers() {
    let pool = Pool::new(Vec::<u8>::new);
    pool.put(Vec::with_capacity(64 * 1024));
    pool.put(Vec::with_capacity(64 * 1024 + 1));
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (1, 1));
    let mut g = pool.get();
    g.reserve(1 << 20);
    drop(g);
    assert_eq!(pool.stats().dropped, 2);
    assert_eq!(pool.stats().retained, 0);
}

#[test]
fn custom_retain_replaces_the_default_guard() {
    let pool = Pool::new(Vec::<u8>::new).with_retain(|v| v.capacity() <= 16);
    pool.put(Vec::with_capacity(16));
    pool.put(Vec::with_capacity(17));
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (1, 1));
}

#[test]
fn retained_objects_are_bounded() {
    let pool = Pool::new(Vec::<u8>::new).with_capacity(3);
    for _ in 0..100 {
        pool.put(Vec::with_capacity(8));
    }
    let s = pool.stats();
    assert_eq!(s.retained, 3 + perfkit::pool::THREAD_CACHE);
    assert_eq!(s.discarded, 100 - 3 - perfkit::pool::THREAD_CACHE as u64);
}

#[test]
fn zero_capacity_keeps_only_the_thread_cache() {
    let pool = Pool::new(String::new).with_capacity(0);
    for _ in 0..10 {
        pool.put(String::new());
    }
    assert_eq!(pool.stats().retained, perfkit::pool::THREAD_CACHE);
}

#[test]
fn trim_empties_the_pool_and_reports_the_count() {
    let pool = Pool::new(String::new);
    let guards: Vec<_> = (0..10).map(|_| pool.get()).collect();
    drop(guards);
    assert_eq!(pool.stats().retained, 10);
    assert_eq!(pool.trim(), 10);
    assert_eq!(pool.stats().retained, 0);
    assert_eq!(pool.trim(), 0);
}

#[test]
fn trim_reaches_caches_of_exited_threads() {
    let pool = Arc::new(Pool::new(Vec::<u8>::new).with_capacity(0));
    let p = Arc::clone(&pool);
    std::thread::spawn(move || {
        let a = p.get();
        let b = p.get();
        drop((a, b));
    })
    .join()
    .unwrap();
    assert_eq!(pool.stats().retained, 2);
    assert_eq!(pool.trim(), 2);
    assert_eq!(pool.stats().retained, 0);
}

#[test]
fn other_threads_drop_their_cache_after_trim() {
    let pool = Pool::new(Vec::<u8>::new).with_capacity(0);
    let (to_worker, rx) = std::sync::mpsc::channel::<()>();
    let (to_main, from_worker) = std::sync::mpsc::channel::<()>();
    let pool = &pool;
    std::thread::scope(|s| {
        s.spawn(move || {
            drop(pool.get()); // cached on this (still running) thread
            to_main.send(()).unwrap();
            rx.recv().unwrap();
            // The first use after `trim` drops the stale cache, so this is a miss.
            drop(pool.get());
        });
        from_worker.recv().unwrap();
        assert_eq!(pool.stats().retained, 1);
        assert_eq!(
            pool.trim(),
            0,
            "a running thread's cache is not touched by others"
        );
        to_worker.send(()).unwrap();
    });
    let s = pool.stats();
    assert_eq!((s.hits, s.misses), (0, 2));
}

#[test]
fn owned_guard_outlives_the_borrow_and_returns_to_its_pool() {
    let pool = Arc::new(Pool::new(String::new));
    let mut g = pool.get_owned();
    g.push('x');
    let handle = std::thread::spawn(move || {
        assert_eq!(*g, "x");
        drop(g);
    });
    handle.join().unwrap();
    assert_eq!(pool.stats().retained, 1);
    let g = pool.get_owned();
    assert!(g.is_empty());
    assert_eq!(perfkit::OwnedPooled::detach(g), "");
    assert_eq!(Arc::strong_count(&pool), 1);
}

#[test]
fn guard_returned_from_another_thread_is_kept() {
    static POOL: Pool<Vec<u64>> = Pool::new(Vec::new);
    let g = POOL.get();
    std::thread::spawn(move || drop(g)).join().unwrap();
    assert_eq!(POOL.stats().retained, 1);
    drop(POOL.get());
    assert_eq!(POOL.stats().hits, 1);
}

#[test]
fn pool_drop_drops_every_retained_object() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    impl perfkit::Poolable for Counted {
        fn reset(&mut self) {}
    }
    let pool = Pool::new(|| Counted);
    let guards: Vec<_> = (0..20).map(|_| pool.get()).collect();
    drop(guards);
    assert_eq!(DROPS.load(Ordering::SeqCst), 0);
    drop(pool);
    assert_eq!(DROPS.load(Ordering::SeqCst), 20);
}
