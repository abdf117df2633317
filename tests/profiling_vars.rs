//! `/debug/vars`, `/cmdline`, `/symbol` and the index page.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::{get, request};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[test]
fn vars_report_allocator_totals_and_uptime() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let before = get(addr, "/debug/vars");
    assert_eq!(before.header("content-type"), Some("application/json"));
    let before: serde_json::Value = serde_json::from_slice(&before.body).expect("JSON");
    let kept: Vec<Box<[u8; 4096]>> = (0..100).map(|_| Box::new([1u8; 4096])).collect();
    // A thread's counts reach the process totals every 64 events of a kind, or when it reads
    // them: publish this thread's pending ones so the server thread sees all 100 boxes.
    let published = perfkit::alloc::global_stats();
    let after: serde_json::Value = serde_json::from_slice(&get(addr, "/debug/vars").body).unwrap();
    let n = |v: &serde_json::Value, k: &str| {
        v["alloc"][k]
            .as_u64()
            .unwrap_or_else(|| panic!("alloc.{k} in {v}"))
    };
    assert_eq!(after["alloc"]["counting_allocator_installed"], true);
    assert!(n(&after, "allocs") >= n(&before, "allocs") + 100);
    assert!(n(&after, "bytes_allocated") >= n(&before, "bytes_allocated") + 409_600);
    assert!(n(&after, "frees") >= n(&before, "frees"));
    assert!(n(&after, "bytes_allocated") >= published.bytes_allocated);
    assert_eq!(
        n(&after, "live_bytes"),
        n(&after, "bytes_allocated") - n(&after, "bytes_freed")
    );
    assert!(after["uptime_seconds"].as_f64().unwrap() > 0.0);
    assert_eq!(after["heap_profile"]["sample_rate"], 512 * 1024);
    drop(kept);
}

#[inline(never)]
fn perfkit_symbol_target() -> u32 {
    std::hint::black_box(7)
}

#[test]
fn cmdline_symbol_and_index_answer_as_go() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let cmdline = get(addr, "/debug/pprof/cmdline").text();
    let argv0 = std::env::args().next().unwrap();
    assert_eq!(cmdline.split('\0').next(), Some(argv0.as_str()));

    assert_eq!(get(addr, "/debug/pprof/symbol").text(), "num_symbols: 1\n");
    let f = perfkit_symbol_target as fn() -> u32 as usize;
    assert_eq!(perfkit_symbol_target(), 7);
    let body = format!("{f:#x}+{:#x}", f + 1);
    let answer = request(addr, "POST", "/debug/pprof/symbol", &[], body.as_bytes()).text();
    let lines: Vec<&str> = answer.lines().collect();
    assert_eq!(lines.len(), 2, "{answer}");
    assert!(
        lines[0].starts_with(&format!("{f:#x} ")) && lines[0].contains("perfkit_symbol_target"),
        "{answer}"
    );
    let by_query = get(addr, &format!("/debug/pprof/symbol?{f:#x}")).text();
    assert!(by_query.contains("perfkit_symbol_target"), "{by_query}");

    let index = get(addr, "/debug/pprof/");
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let index = index.text();
    for name in [
        "allocs",
        "cmdline",
        "goroutine",
        "heap",
        "profile",
        "symbol",
    ] {
        assert!(
            index.contains(&format!("<a href=\"{name}?debug=1\">{name}</a>")),
            "index lacks {name}"
        );
    }
}
