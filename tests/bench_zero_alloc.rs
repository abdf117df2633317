//! A function that never allocates reports 0 allocs/op and 0 B/op and keeps its row (a criterion
//! `Measurement` counting allocations would have skipped it).
#![cfg(feature = "bench")]

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::BenchGroup;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[test]
fn zero_allocation_function_reports_zero_and_is_not_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Criterion::default()
        .output_directory(tmp.path())
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60));
    let mut g = BenchGroup::new(&mut c, "zero");
    g.output_dir(tmp.path().join("json"));
    g.baseline("boxed");
    g.bench("boxed", || Box::new(black_box(7u64)));
    g.bench("sum", || (0..black_box(64u64)).sum::<u64>());
    let report = g.finish();

    let names: Vec<&str> = report.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["boxed", "sum"]);
    let sum = report.get("sum").unwrap();
    assert!(sum.iterations > 0 && sum.ns_per_op > 0.0);
    assert_eq!((sum.total_allocs, sum.total_bytes), (0, 0));
    assert_eq!(report.get("boxed").unwrap().allocs_per_op, 1.0);

    let table = report.to_table(false);
    let line = table
        .lines()
        .find(|l| l.starts_with("zero/sum "))
        .expect("row printed");
    assert!(
        line.contains(" 0 B/op") && line.contains(" 0 allocs/op"),
        "{line}"
    );
    assert!(line.contains("x vs boxed"), "{line}");
}
