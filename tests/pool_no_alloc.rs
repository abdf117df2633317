//! Steady-state `get`/`put` allocates nothing, through the thread cache and through the
//! shared level.

use perfkit::alloc::{allocs_per_run, measure};
use perfkit::{Pool, Poolable};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

static BUFFERS: Pool<Vec<u8>> = Pool::new(|| Vec::with_capacity(4096));

#[perfkit::no_alloc(always)]
fn round_trip(payload: &[u8]) -> usize {
    let mut buf = BUFFERS.get();
    buf.extend_from_slice(payload);
    buf.len()
}

#[test]
fn get_write_put_does_not_allocate_once_warm() {
    let payload = [7u8; 64];
    let ((), warm) = measure(|| {
        round_trip_unguarded(&payload);
    });
    assert!(warm.total_allocs() >= 1, "the first get builds the buffer");
    for _ in 0..10_000 {
        assert_eq!(round_trip(&payload), 64);
    }
    let ((), steady) = measure(|| {
        for _ in 0..10_000 {
            round_trip(&payload);
        }
    });
    assert_eq!(steady.total_allocs(), 0);
    assert_eq!(steady.deallocs, 0);
}

fn round_trip_unguarded(payload: &[u8]) {
    let mut buf = BUFFERS.get();
    buf.extend_from_slice(payload);
}

#[test]
fn shared_level_round_trips_do_not_allocate_once_warm() {
    // More guards at once than a thread caches: the rest go through the shared level.
    const HELD: usize = 3 * perfkit::pool::THREAD_CACHE;
    static POOL: Pool<String> = Pool::new(|| String::with_capacity(64));
    let mut burst = || {
        let guards: [_; HELD] = std::array::from_fn(|_| POOL.get());
        drop(guards);
    };
    burst();
    assert_eq!(allocs_per_run(1_000, &mut burst), 0.0);
    let s = POOL.stats();
    assert_eq!(s.misses, HELD as u64, "only the first burst built objects");
}

#[test]
fn derived_struct_round_trips_do_not_allocate_once_warm() {
    #[derive(Poolable, Default)]
    struct Request {
        path: String,
        query: Vec<(String, String)>,
        status: u16,
    }
    static POOL: Pool<Request> = Pool::new(Request::default);
    let mut serve = || {
        let mut r = POOL.get();
        r.path.push_str("/index.html");
        r.status = 200;
    };
    serve();
    assert_eq!(allocs_per_run(1_000, &mut serve), 0.0);
}
