//! Guards handed between threads and dropped there, while every thread also gets and returns
//! its own: objects go back to the slot they were lent from, on whichever thread. No object is
//! ever held by two guards, none is lost, none comes back unreset, and `trim` empties the pool.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::mpsc::sync_channel;

use perfkit::{Pool, Pooled};

#[path = "support/tracked.rs"]
mod tracked;

use tracked::{CREATED, DESTROYED, Tracked, unhold};

const THREADS: usize = 4;
const ROUNDS: usize = 20_000;
const CAPACITY: usize = 8;

static POOL: Pool<Tracked> = Pool::new(Tracked::new).with_capacity(CAPACITY);

fn acquire(thread: usize) -> Pooled<'static, Tracked> {
    tracked::acquire(&POOL, thread)
}

fn release(g: Pooled<'static, Tracked>) {
    unhold(&g);
    drop(g);
}

#[test]
fn guards_dropped_on_other_threads_are_never_lost_or_shared() {
    let gets = AtomicU64::new(0);
    // Thread t sends to thread t + 1 (a ring); small channels keep guards alive in flight.
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..THREADS)
        .map(|_| sync_channel::<Pooled<'static, Tracked>>(3))
        .unzip();
    std::thread::scope(|s| {
        let mut workers = Vec::new();
        for (t, rx) in receivers.into_iter().enumerate() {
            let tx = senders[(t + 1) % THREADS].clone();
            let gets = &gets;
            workers.push(s.spawn(move || {
                for round in 0..ROUNDS {
                    // One kept and returned here, one sent away to be returned over there.
                    let mut mine = Some(acquire(t));
                    let away = acquire(t);
                    gets.fetch_add(2, SeqCst);
                    tx.send(away).unwrap();
                    // Alternate the order of the returns, so both kinds race with the gets
                    // of the other threads.
                    if round % 2 == 0 {
                        release(mine.take().unwrap());
                    }
                    // Take what the previous thread sent, check it, return it here.
                    let g = rx.recv().unwrap();
                    assert_eq!(g.log.len(), 1, "object {} reset in flight", g.id);
                    release(g);
                    if let Some(mine) = mine {
                        release(mine);
                    }
                }
                drop(tx);
                // Drain what is left for this thread.
                while let Ok(g) = rx.try_recv() {
                    release(g);
                }
            }));
        }
        drop(senders);
        // An explicit join waits for the threads' thread-local destructors too, which
        // release their caches to `trim` (the implicit join of the scope does not).
        workers.into_iter().for_each(|w| w.join().unwrap());
    });
    // Whatever the last rounds left in the channels was dropped with them (receivers are
    // gone): those guards returned their objects too.
    let s = POOL.stats();
    let (created, destroyed) = (CREATED.load(SeqCst), DESTROYED.load(SeqCst));
    eprintln!(
        "pool cross-thread: {THREADS} threads, {} gets, {created} objects built, {} discarded, \
         retained {}",
        gets.load(SeqCst),
        s.discarded,
        s.retained
    );
    assert_eq!(s.hits + s.misses, gets.load(SeqCst));
    assert_eq!(s.misses, created, "every miss built exactly one object");
    assert_eq!(
        created - destroyed,
        s.retained as u64,
        "every object built is either retained or dropped: none lost"
    );
    assert!(s.retained <= CAPACITY + THREADS * perfkit::pool::THREAD_CACHE);
    assert_eq!(POOL.trim(), s.retained);
    assert_eq!(
        CREATED.load(SeqCst),
        DESTROYED.load(SeqCst),
        "trim dropped all the rest"
    );
}
