//! A CPU profile of a benchmark is a gzip'd pprof protobuf (what `go tool pprof` reads) naming
//! the benchmarked function, plus a flamegraph.
#![cfg(all(feature = "bench", target_os = "linux"))]

use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

use perfkit::bench::CpuProfile;
use pprof::protos::Message;

#[inline(never)]
fn spin_hash(rounds: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for i in 0..rounds {
        h = (h ^ black_box(i)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[test]
fn cpu_profile_is_gzipped_pprof_with_the_hot_function() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = CpuProfile::start(997).expect("profiler starts");
    // CPU time, not wall time, drives the sampler: on a busy machine keep going until enough
    // work was done for samples to land (bounded so a broken profiler still ends the test).
    let started = Instant::now();
    let mut total = 0u64;
    while started.elapsed() < Duration::from_millis(300)
        || (started.elapsed() < Duration::from_secs(20) && total < 30)
    {
        black_box(spin_hash(2_000_000));
        total += 1;
    }
    let files = profile.finish(tmp.path(), "spin").expect("profile written");

    let svg = std::fs::read_to_string(&files.flamegraph).unwrap();
    assert!(
        svg.starts_with("<?xml") && svg.contains("spin_hash"),
        "flamegraph names the hot function"
    );

    let gz = std::fs::read(&files.pprof).unwrap();
    assert_eq!(gz[..2], [0x1f, 0x8b], "gzip magic");
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut raw)
        .unwrap();
    let p = pprof::protos::Profile::decode(&raw[..]).expect("pprof protobuf");
    let s = |i: i64| p.string_table[i as usize].as_str();
    let types: Vec<(&str, &str)> = p.sample_type.iter().map(|t| (s(t.ty), s(t.unit))).collect();
    assert!(types.contains(&("cpu", "nanoseconds")), "{types:?}");
    assert!(!p.sample.is_empty());
    assert!(
        p.function.iter().any(|f| s(f.name).contains("spin_hash")),
        "the hot function is symbolized"
    );
}
