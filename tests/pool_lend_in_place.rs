//! Objects are lent where they lie in the lending thread's cache: a guard dropped on another
//! thread returns its object there, more guards than cache slots still work, and a detached
//! object frees its slot.

use perfkit::pool::THREAD_CACHE;
use perfkit::{Pool, Pooled};

fn buffer() -> Vec<u8> {
    Vec::with_capacity(256)
}

#[test]
fn a_guard_dropped_on_another_thread_returns_its_object_to_the_lenders_cache() {
    let pool = Pool::new(buffer);
    drop(pool.get()); // built, then idle in this thread's cache
    let mut guard = pool.get();
    let heap = guard.as_ptr();
    guard.extend_from_slice(b"filled here");
    let (dropped_tx, dropped_rx) = std::sync::mpsc::channel();
    let (checked_tx, checked_rx) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        // The other thread stays alive while this one looks: the object is not in a cache
        // it left behind, it is back where it was lent.
        s.spawn(move || {
            guard.extend_from_slice(b", more there");
            assert_eq!(&guard[..], b"filled here, more there");
            drop(guard); // reset on this thread, back in the lender's slot
            dropped_tx.send(()).unwrap();
            checked_rx.recv().unwrap();
        });
        // Owned here, so a failed check below drops it and releases the other thread.
        let checked_tx = checked_tx;
        dropped_rx.recv().unwrap();
        assert_eq!(pool.stats().retained, 1);
        let again = pool.get();
        assert_eq!(again.as_ptr(), heap, "the same object came back");
        assert!(again.is_empty(), "reset by the thread that dropped it");
        let s = pool.stats();
        assert_eq!((s.hits, s.misses), (2, 1));
        checked_tx.send(()).unwrap();
    });
}

#[test]
fn more_guards_than_cache_slots_are_distinct_and_all_come_back() {
    let pool = Pool::new(buffer);
    let n = THREAD_CACHE + 3;
    let mut held: Vec<Pooled<'_, Vec<u8>>> = (0..n).map(|_| pool.get()).collect();
    for (i, g) in held.iter_mut().enumerate() {
        g.push(i as u8);
    }
    let mut heaps: Vec<*const u8> = held.iter().map(|g| g.as_ptr()).collect();
    for (i, g) in held.iter().enumerate() {
        assert_eq!(&g[..], [i as u8], "guard {i} sees only its own object");
    }
    heaps.sort();
    heaps.dedup();
    assert_eq!(heaps.len(), n, "every guard has its own object");
    drop(held);
    assert_eq!(
        pool.stats().retained,
        n,
        "slots plus the shared level keep all"
    );

    let again: Vec<_> = (0..n).map(|_| pool.get()).collect();
    assert!(again.iter().all(|g| g.is_empty()));
    let s = pool.stats();
    assert_eq!((s.hits, s.misses), (n as u64, n as u64));
}

#[test]
fn a_detached_object_frees_its_slot_for_the_next_put() {
    let pool = Pool::new(buffer).with_capacity(0); // no shared level: only the slots keep
    let guards: Vec<_> = (0..THREAD_CACHE).map(|_| pool.get()).collect();
    let mut kept: Vec<Vec<u8>> = guards.into_iter().map(Pooled::detach).collect();
    assert_eq!(pool.stats().retained, 0);
    kept[0].push(9);
    for v in kept {
        pool.put(v);
    }
    let s = pool.stats();
    assert_eq!((s.retained, s.discarded), (THREAD_CACHE, 0));
    assert!(pool.get().is_empty(), "put resets");
}

#[test]
fn the_size_guard_applies_to_objects_returned_in_place() {
    let pool = Pool::new(buffer);
    drop(pool.get());
    let mut g = pool.get();
    g.reserve(1 << 20); // grew past the 64 KiB guard
    drop(g);
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (0, 1));
    assert_eq!(
        pool.get().capacity(),
        256,
        "a fresh object replaces the dropped one"
    );
}

#[test]
fn guards_beyond_every_slot_work_and_their_objects_are_dropped_on_return() {
    let pool = Pool::new(buffer).with_capacity(2);
    let slots = THREAD_CACHE + 2;
    let mut held: Vec<_> = (0..slots + 3).map(|_| pool.get()).collect();
    for (i, g) in held.iter_mut().enumerate() {
        g.push(i as u8);
    }
    let beyond = held.pop().unwrap();
    assert_eq!(
        Pooled::detach(beyond),
        [(slots + 2) as u8],
        "detach works from a box"
    );
    for (i, g) in held.iter().enumerate() {
        assert_eq!(&g[..], [i as u8]);
    }
    drop(held);
    let s = pool.stats();
    assert_eq!(s.retained, slots, "the pool keeps one object per slot");
    assert_eq!(
        s.discarded, 2,
        "the two returned beyond the slots were dropped"
    );
    assert_eq!((s.hits, s.misses), (0, (slots + 3) as u64));
}
