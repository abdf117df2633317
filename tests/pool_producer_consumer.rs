//! A producer thread getting and a consumer thread returning: objects flow back through the
//! shared level, so in steady state the producer almost never builds a new one.

use std::sync::mpsc::sync_channel;

use perfkit::alloc::measure;
use perfkit::{Pool, Pooled};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

static POOL: Pool<Vec<u8>> = Pool::new(|| Vec::with_capacity(4096));

const WARM_UP: usize = 10_000;
const STEADY: usize = 100_000;

#[test]
fn producer_consumer_steady_state_allocates_at_most_one_per_thousand_ops() {
    let (tx, rx) = sync_channel::<Pooled<'static, Vec<u8>>>(16);
    let consumer = std::thread::spawn(move || {
        let mut bytes = 0;
        for buf in rx {
            bytes += buf.len();
            drop(buf); // returned from the consumer's thread
        }
        bytes
    });
    let producer = std::thread::spawn(move || {
        let produce = |n: usize| {
            for i in 0..n {
                let mut buf = POOL.get();
                buf.extend_from_slice(&(i as u64).to_le_bytes());
                tx.send(buf).unwrap();
            }
        };
        produce(WARM_UP);
        let misses_before = POOL.stats().misses;
        let ((), stats) = measure(|| produce(STEADY));
        (stats, POOL.stats().misses - misses_before)
    });
    let (stats, misses) = producer.join().unwrap();
    assert_eq!(consumer.join().unwrap(), 8 * (WARM_UP + STEADY));

    let limit = (STEADY / 1000) as u64;
    assert!(
        misses <= limit,
        "{misses} fresh objects in {STEADY} steady-state gets (limit {limit})"
    );
    assert!(
        stats.total_allocs() <= limit,
        "{} allocations on the producer in {STEADY} steady-state gets (limit {limit})",
        stats.total_allocs()
    );
    let s = POOL.stats();
    assert!(s.retained <= POOL.capacity() + 2 * perfkit::pool::THREAD_CACHE);
}
