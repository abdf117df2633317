//! `Pool<T>` against a fresh allocation and other pools, in the same groups of the same run.
//!
//! Workload (issue 3, item 5): get a `Vec<u8>` of capacity 4096, write 64 bytes, reset
//! (clear), put it back. `pool/1-thread` runs it on one thread; `pool/2-threads` runs it on
//! two threads sharing one pool of each kind (Go's `b.RunParallel`: ns/op is wall time over
//! the operations of both threads, so the cost of one operation on one thread is twice it).
//! `thread_local_floor` is the same work on a buffer each thread owns, with no pool at all:
//! the floor under every pool's row.
//!
//! `cargo bench --bench pool --features bench`

use std::hint::black_box;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::Duration;

use criterion::Throughput;
use perfkit::Pool;
use perfkit::bench::BenchGroup;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

const CAPACITY: usize = 4096;
/// Bound of the shared level in every pool that has one.
const BOUND: usize = 64;
static PAYLOAD: [u8; 64] = [0xA5; 64];

fn fresh() -> Vec<u8> {
    Vec::with_capacity(CAPACITY)
}

/// The work done with the buffer between get and put.
#[inline(always)]
fn write(buf: &mut Vec<u8>) -> usize {
    buf.extend_from_slice(black_box(&PAYLOAD));
    black_box(buf.as_mut_slice());
    buf.len()
}

fn fresh_vec() -> usize {
    let mut buf = fresh();
    write(&mut buf)
}

static PERFKIT: Pool<Vec<u8>> = Pool::new(fresh).with_capacity(BOUND);

fn perfkit_pool() -> usize {
    let mut buf = PERFKIT.get();
    write(&mut buf)
}

/// The hand-written baseline: a bounded stack behind a mutex.
static MUTEX: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

fn mutex_stack() -> usize {
    let popped = MUTEX.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let mut buf = popped.unwrap_or_else(fresh);
    let n = write(&mut buf);
    buf.clear();
    let mut stack = MUTEX.lock().unwrap_or_else(PoisonError::into_inner);
    if stack.len() < BOUND {
        stack.push(buf);
    }
    n
}

static OBJECT_POOL: LazyLock<object_pool::Pool<Vec<u8>>> =
    LazyLock::new(|| object_pool::Pool::new(0, fresh));

fn object_pool() -> usize {
    let mut buf = OBJECT_POOL.pull(fresh);
    let n = write(&mut buf);
    buf.clear(); // object-pool does not reset
    n
}

struct Buffers;

impl opool::PoolAllocator<Vec<u8>> for Buffers {
    #[inline]
    fn allocate(&self) -> Vec<u8> {
        fresh()
    }

    #[inline]
    fn reset(&self, buf: &mut Vec<u8>) {
        buf.clear();
    }
}

static OPOOL: LazyLock<opool::Pool<Buffers, Vec<u8>>> =
    LazyLock::new(|| opool::Pool::new(BOUND, Buffers));

fn opool() -> usize {
    let mut buf = OPOOL.get();
    write(&mut buf)
}

std::thread_local! {
    static OWN: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(fresh());
}

/// The floor: no pool at all, each thread reuses its own buffer (the work of the workload
/// plus a thread-local borrow). No pool can be faster than this row.
fn thread_local_floor() -> usize {
    OWN.with(|own| {
        let mut buf = own.borrow_mut();
        let n = write(&mut buf);
        buf.clear();
        n
    })
}

type Op = fn() -> usize;

const CONTENDERS: [(&str, Op); 6] = [
    ("fresh_vec", fresh_vec),
    ("mutex_stack", mutex_stack),
    ("object_pool", object_pool),
    ("opool", opool),
    ("perfkit_pool", perfkit_pool),
    ("thread_local_floor", thread_local_floor),
];

fn benches(c: &mut criterion::Criterion) {
    let mut g = BenchGroup::new(c, "pool/1-thread");
    g.throughput(Throughput::Bytes(64));
    g.baseline("fresh_vec");
    for (name, op) in CONTENDERS {
        g.bench(name, op);
    }
    g.finish();

    let mut g = BenchGroup::new(c, "pool/2-threads");
    g.throughput(Throughput::Bytes(64));
    g.baseline("fresh_vec");
    for (name, op) in CONTENDERS {
        g.bench_parallel(name, 2, op);
    }
    g.finish();
}

criterion::criterion_group! {
    name = benches_group;
    config = criterion::Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}
criterion::criterion_main!(benches_group);
