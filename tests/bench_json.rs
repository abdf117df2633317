//! The JSON report `finish` saves parses back to the same figures.
#![cfg(feature = "bench")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use perfkit::bench::{BenchGroup, GroupReport, OpThroughput};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[test]
fn saved_json_parses_and_matches_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let json_dir = tmp.path().join("json");
    let mut c = Criterion::default()
        .output_directory(tmp.path())
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60));
    let mut g = BenchGroup::new(&mut c, "json/encode");
    g.output_dir(&json_dir);
    g.throughput(Throughput::Bytes(64));
    g.bench("copy", || black_box([1u8; 64]).to_vec());
    g.bench_parallel("copy", 2, || black_box([1u8; 64]).to_vec());
    let report = g.finish();

    let path = json_dir.join("json_encode.json");
    let text = std::fs::read_to_string(&path).expect("report saved");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["group"], "json/encode");
    assert_eq!(value["results"][0]["allocs_per_op"], 1.0);
    assert_eq!(value["results"][0]["bytes_per_op"], 64.0);
    assert_eq!(value["results"][1]["threads"], 2);
    assert_eq!(value["results"][0]["throughput"]["bytes"], 64);

    let back = GroupReport::load(&path).unwrap();
    assert_eq!(back, report);
    assert_eq!(back.results[0].throughput, Some(OpThroughput::Bytes(64)));
    assert!(back.results[0].mb_per_sec().is_some());
}
