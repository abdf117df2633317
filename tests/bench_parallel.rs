//! `bench_parallel` runs the operation on every requested thread and counts each thread's
//! allocations.
#![cfg(feature = "bench")]

use std::collections::HashSet;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::BenchGroup;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[test]
fn parallel_helper_counts_every_threads_allocations() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Criterion::default()
        .output_directory(tmp.path())
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60));
    let seen = Mutex::new(HashSet::new());
    let mut g = BenchGroup::new(&mut c, "par");
    g.output_dir(tmp.path().join("json"));
    g.bench_parallel("two_boxes", 3, || {
        // Recording the thread is a permitted side channel, not part of the counted operation.
        let id = std::thread::current().id();
        let fresh = perfkit::alloc::permit_alloc(|| seen.lock().unwrap().insert(id));
        let a = Box::new(black_box([0u8; 24]));
        let b = Box::new(black_box([0u8; 40]));
        black_box((a, b, fresh))
    });
    let report = g.finish();
    let r = report.get("two_boxes").unwrap();
    assert_eq!(
        seen.lock().unwrap().len(),
        3,
        "every worker ran the operation"
    );
    assert!(r.parallel && r.threads == 3);
    assert!(r.iterations > 0);
    // Exactly two allocations (24 + 40 bytes) per operation, whichever thread ran it; the
    // first insertion of each thread into `seen` may allocate, and happens during warm-up.
    assert_eq!(r.total_allocs, 2 * r.iterations, "{r:?}");
    assert_eq!(r.total_bytes, 64 * r.iterations);
    assert!(report.to_table(false).contains("par/two_boxes-3"));
}
