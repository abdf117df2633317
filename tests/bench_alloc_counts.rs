//! A benchmark's allocs/op and B/op are exact, and come from the measured samples only.
#![cfg(feature = "bench")]

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::BenchGroup;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

fn quick_criterion(dir: &std::path::Path) -> Criterion {
    Criterion::default()
        .output_directory(dir)
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60))
}

#[test]
fn three_allocations_of_32_bytes_report_3_allocs_and_96_bytes_per_op() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = quick_criterion(tmp.path());
    let mut g = BenchGroup::new(&mut c, "counts");
    g.output_dir(tmp.path().join("json"));
    g.bench("three_vecs", || {
        let a: Vec<u8> = Vec::with_capacity(32);
        let b: Vec<u8> = Vec::with_capacity(32);
        let c: Vec<u8> = Vec::with_capacity(32);
        black_box((a, b, c))
    });
    let report = g.finish();
    let r = report.get("three_vecs").expect("row present");
    assert!(r.iterations > 0);
    assert_eq!(r.allocs_per_op, 3.0);
    assert_eq!(r.bytes_per_op, 96.0);
    assert_eq!(r.total_allocs, 3 * r.iterations);
    assert_eq!(r.total_bytes, 96 * r.iterations);
    assert!(
        r.samples.len() >= 10,
        "criterion's samples are kept: {}",
        r.samples.len()
    );
    assert!(
        r.samples
            .iter()
            .all(|s| s.allocs == 3 * s.iters && s.bytes == 96 * s.iters)
    );
    assert!(report.to_table(false).contains("96 B/op"));
}

#[test]
fn allocations_made_only_during_warm_up_are_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = quick_criterion(tmp.path());
    let mut g = BenchGroup::new(&mut c, "warm");
    g.output_dir(tmp.path().join("json"));
    let mut cache: Option<Vec<u64>> = None;
    g.bench("lazy_cache", || {
        let v = cache.get_or_insert_with(|| vec![7; 16]);
        black_box(v[3])
    });
    let r = g.finish().results.pop().unwrap();
    assert_eq!((r.allocs_per_op, r.bytes_per_op), (0.0, 0.0));
    assert!(r.iterations > 0);
}
