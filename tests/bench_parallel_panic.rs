//! A panic in a `bench_parallel` worker reaches the caller instead of hanging the benchmark.
#![cfg(feature = "bench")]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::BenchGroup;

#[test]
#[should_panic(expected = "operation 100 failed")]
fn worker_panic_is_raised_on_the_calling_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Criterion::default()
        .output_directory(tmp.path())
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60));
    let mut g = BenchGroup::new(&mut c, "panic");
    g.output_dir(tmp.path().join("json"));
    let ops = AtomicU64::new(0);
    g.bench_parallel("fails", 2, || {
        let n = ops.fetch_add(1, Ordering::Relaxed);
        assert!(n != 100, "operation {n} failed");
        n
    });
}
