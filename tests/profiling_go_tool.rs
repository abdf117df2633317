//! `go tool pprof URL` fetches the profiles directly and names the burner function.
//!
//! Needs Go's toolchain (`apt-get install golang-go`; `.ci/run` installs it). Without it the
//! test fails, unless `PERFKIT_SKIP_GO=1` says to skip it on purpose.
#![cfg(feature = "profiling")]

mod profiling_support;

use std::process::Command;

use profiling_support::start_burner;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[inline(never)]
fn perfkit_go_tool_burner(x: u64) -> u64 {
    let mut h = x;
    for i in 0..200_000u64 {
        h = std::hint::black_box(h.rotate_left(5) ^ i);
    }
    h
}

#[inline(never)]
fn perfkit_go_tool_retainer() -> Vec<Vec<u8>> {
    (0..256).map(|_| vec![7u8; 64 * 1024]).collect()
}

fn go_pprof_top(url: &str, extra: &[&str]) -> String {
    let tmp = std::env::temp_dir().join(format!("perfkit-pprof-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = Command::new("go")
        .args(["tool", "pprof", "-top"])
        .args(extra)
        .arg(url)
        .env("PPROF_TMPDIR", &tmp)
        .env("HOME", &tmp)
        .output()
        .expect("run `go tool pprof` (install golang-go, or set PERFKIT_SKIP_GO=1 to skip)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        out.status.success(),
        "go tool pprof {url} failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

#[test]
fn go_tool_pprof_reads_cpu_and_heap_profiles_from_the_url() {
    if std::env::var_os("PERFKIT_SKIP_GO").is_some_and(|v| v == "1") {
        eprintln!("PERFKIT_SKIP_GO=1: not running go tool pprof");
        return;
    }
    start_burner("go-burner", perfkit_go_tool_burner);
    let server = perfkit::profiling::Profiling::new()
        .heap_sample_rate(Some(64 * 1024))
        .spawn("127.0.0.1:0")
        .unwrap();
    let base = format!("http://{}/debug/pprof", server.local_addr());

    let top = go_pprof_top(&format!("{base}/profile?seconds=2"), &[]);
    assert!(top.contains("Type: cpu"), "{top}");
    assert!(
        top.contains("perfkit_go_tool_burner"),
        "the burner is not in the top list:\n{top}"
    );

    let kept = perfkit_go_tool_retainer();
    let heap = go_pprof_top(&format!("{base}/heap"), &["-sample_index=inuse_space"]);
    assert!(heap.contains("Type: inuse_space"), "{heap}");
    assert!(heap.contains("perfkit_go_tool_retainer"), "{heap}");
    let allocs = go_pprof_top(&format!("{base}/allocs"), &[]);
    assert!(allocs.contains("Type: alloc_space"), "{allocs}");
    drop(kept);

    let threads = go_pprof_top(&format!("{base}/goroutine"), &[]);
    assert!(threads.contains("Type: thread"), "{threads}");
}
