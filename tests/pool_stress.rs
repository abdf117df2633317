//! Several threads × many operations on one pool, with objects carrying ids: no object is
//! ever held by two guards at once, none is lost, the retained count stays within the bound,
//! and `trim` brings it to 0.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};

use perfkit::{Pool, Pooled};

#[path = "support/tracked.rs"]
mod tracked;

use tracked::{CREATED, DESTROYED, HELD, RESETS, Tracked, unhold};

const THREADS: usize = 4;
const BURSTS: usize = 20_000;
const MAX_BURST: usize = 12;
const CAPACITY: usize = 16;

static POOL: Pool<Tracked> = Pool::new(Tracked::new).with_capacity(CAPACITY);

fn acquire(thread: usize) -> Pooled<'static, Tracked> {
    tracked::acquire(&POOL, thread)
}

fn release(g: Pooled<'static, Tracked>, thread: usize) {
    assert_eq!(g.log, [thread], "object {} touched by another thread", g.id);
    unhold(&g);
    drop(g);
}

/// xorshift64*: deterministic per thread, no dependency.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

#[test]
fn stress_no_double_hold_no_loss_bounded_and_trimmed() {
    let bound = CAPACITY + THREADS * perfkit::pool::THREAD_CACHE;
    let gets = AtomicU64::new(0);
    let detached = AtomicU64::new(0);
    let max_retained = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (gets, detached, max_retained) = (&gets, &detached, &max_retained);
                s.spawn(move || {
                    let mut rng = 0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1);
                    let mut kept: Vec<Tracked> = Vec::new();
                    for _ in 0..BURSTS {
                        let n = 1 + (next(&mut rng) % MAX_BURST as u64) as usize;
                        let held: Vec<_> = (0..n).map(|_| acquire(t)).collect();
                        gets.fetch_add(n as u64, SeqCst);
                        for g in held {
                            match next(&mut rng) % 16 {
                                // Keep some objects out of the pool for a while, then hand them
                                // back with `put`.
                                0 => {
                                    unhold(&g);
                                    kept.push(Pooled::detach(g));
                                    detached.fetch_add(1, SeqCst);
                                }
                                _ => release(g, t),
                            }
                        }
                        if kept.len() > 8 {
                            kept.drain(..).for_each(|o| POOL.put(o));
                        }
                        let retained = POOL.stats().retained;
                        assert!(retained <= bound, "{retained} retained, bound {bound}");
                        max_retained.fetch_max(retained, SeqCst);
                    }
                    kept.drain(..).for_each(|o| POOL.put(o));
                })
            })
            .collect();
        // An explicit join waits for the threads' thread-local destructors too, which
        // release their caches to `trim` (the implicit join of the scope does not).
        workers.into_iter().for_each(|w| w.join().unwrap());
    });

    let s = POOL.stats();
    let (created, destroyed) = (CREATED.load(SeqCst), DESTROYED.load(SeqCst));
    let gets = gets.load(SeqCst);
    eprintln!(
        "pool stress: {THREADS} threads, {gets} gets, {} detached and put back; \
         {created} objects built ({:.2}% misses), {} discarded when full, \
         max retained {} (bound {bound}), retained at end {}",
        detached.load(SeqCst),
        100.0 * s.misses as f64 / gets as f64,
        s.discarded,
        max_retained.load(SeqCst),
        s.retained,
    );
    assert_eq!(s.hits + s.misses, gets, "every get is a hit or a miss");
    assert_eq!(s.misses, created, "every miss built exactly one object");
    assert_eq!(s.dropped, 0, "the size guard kept every object");
    assert_eq!(
        created - destroyed,
        s.retained as u64,
        "every object built is either retained or dropped: none lost"
    );
    assert_eq!(
        destroyed, s.discarded,
        "only objects the full pool refused were dropped"
    );
    assert!(s.retained <= bound);
    assert_eq!(
        RESETS.load(SeqCst),
        gets - detached.load(SeqCst) + detached.load(SeqCst)
    );

    let trimmed = POOL.trim();
    assert_eq!(trimmed, s.retained);
    assert_eq!(POOL.stats().retained, 0);
    assert_eq!(
        CREATED.load(SeqCst),
        DESTROYED.load(SeqCst),
        "trim dropped all the rest"
    );
    assert!(HELD.iter().all(|h| !h.load(SeqCst)));
}
