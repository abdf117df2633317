//! `--profile-time` also writes an allocation profile of each benchmark (Go's `-memprofile`)
//! when heap sampling is available (feature `profiling`).
#![cfg(all(feature = "bench", feature = "profiling", target_os = "linux"))]

use std::hint::black_box;
use std::io::Read;
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::{BenchGroup, RunArgs, RunMode};
use perfkit::profiling::proto::Profile;
use prost::Message;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[inline(never)]
fn make_buffer() -> Vec<u8> {
    let mut v = Vec::with_capacity(8192);
    v.push(black_box(1));
    v
}

fn decode(path: &std::path::Path) -> Profile {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut raw)
        .unwrap();
    Profile::decode(raw.as_slice()).expect("pprof protobuf")
}

#[test]
fn profile_run_writes_cpu_and_allocation_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let time = Duration::from_secs(1);
    let mut c = Criterion::default()
        .output_directory(&tmp.path().join("criterion"))
        .without_plots()
        .profile_time(Some(time));
    let mut g = BenchGroup::new(&mut c, "heap");
    g.output_dir(tmp.path().join("out"));
    g.run_args(RunArgs {
        mode: RunMode::Profile(time),
        save_baseline: None,
        compare_baseline: None,
    });
    g.bench("make_buffer", make_buffer);
    let report = g.finish();
    assert_eq!(report.get("make_buffer").unwrap().allocs_per_op, 1.0);

    let dir = tmp.path().join("out/profile/heap/make_buffer");
    assert!(dir.join("cpu.pb.gz").is_file() && dir.join("flamegraph.svg").is_file());
    let p = decode(&dir.join("heap.pb.gz"));
    let types: Vec<&str> = p.sample_type.iter().map(|t| p.string(t.r#type)).collect();
    assert_eq!(
        types,
        [
            "alloc_objects",
            "alloc_space",
            "inuse_objects",
            "inuse_space"
        ]
    );
    let space = types.iter().position(|t| *t == "alloc_space").unwrap();
    let ours: i64 = p
        .sample
        .iter()
        .filter(|s| p.stack_names(s).iter().any(|n| n.contains("make_buffer")))
        .map(|s| s.value[space])
        .sum();
    assert!(
        ours > 0,
        "the benchmarked function's allocations are in the profile"
    );
}
