//! A CPU profile over HTTP names the function that burns CPU, in all three formats.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::{get, start_burner};

#[inline(never)]
fn perfkit_cpu_burner(x: u64) -> u64 {
    let mut h = x;
    for i in 0..200_000u64 {
        h = std::hint::black_box(h.wrapping_mul(0x9E37_79B9).wrapping_add(i));
    }
    h
}

#[test]
fn cpu_profile_names_the_burner_in_protobuf_svg_and_collapsed() {
    start_burner("cpu-burner", perfkit_cpu_burner);
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();

    let resp = get(addr, "/debug/pprof/profile?seconds=2&frequency=200");
    assert_eq!(
        resp.header("content-type"),
        Some("application/octet-stream")
    );
    let p = resp.profile();
    let types: Vec<(&str, &str)> = p
        .sample_type
        .iter()
        .map(|t| (p.string(t.r#type), p.string(t.unit)))
        .collect();
    assert_eq!(types, [("samples", "count"), ("cpu", "nanoseconds")]);
    assert_eq!(p.period, 5_000_000, "period = 1s / frequency");
    assert!(
        !p.mapping.is_empty(),
        "mappings let go tool pprof place addresses"
    );
    assert!(p.location.iter().all(|l| l.address != 0));
    let burner: Vec<_> = p
        .sample
        .iter()
        .filter(|s| {
            p.stack_names(s)
                .iter()
                .any(|n| n.contains("perfkit_cpu_burner"))
        })
        .collect();
    assert!(!burner.is_empty(), "no sample names the burner");
    let samples: i64 = burner.iter().map(|s| s.value[0]).sum();
    assert!(
        samples >= 10,
        "only {samples} burner samples in 2s at 200 Hz"
    );
    for s in &burner {
        let thread = s
            .label
            .iter()
            .find(|l| p.string(l.key) == "thread")
            .expect("thread label");
        assert_eq!(p.string(thread.str), "cpu-burner");
        // The leaf is user code, not the profiler's signal handler.
        let names = p.stack_names(s);
        assert!(
            !names[0].contains("perf_signal_handler"),
            "handler frames left in: {names:?}"
        );
    }

    let svg = get(addr, "/debug/pprof/profile?seconds=1&format=svg");
    assert_eq!(svg.status, 200, "{}", svg.text());
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    let svg = svg.text();
    assert!(
        svg.starts_with("<?xml") && svg.contains("<svg"),
        "not an SVG"
    );
    assert!(
        svg.contains("perfkit_cpu_burner"),
        "the flamegraph lacks the burner"
    );

    let collapsed = get(addr, "/debug/pprof/profile?seconds=1&format=collapsed").text();
    let line = collapsed
        .lines()
        .find(|l| l.contains("perfkit_cpu_burner"))
        .expect("a burner stack");
    assert!(
        line.starts_with("cpu-burner;"),
        "stacks start with the thread: {line}"
    );
    let count: u64 = line
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .expect("a count ends the line");
    assert!(count > 0);
}
