//! Heap samples from several threads at once: each thread's retained bytes, told apart by
//! its `with_labels` labels and its thread name, while other allocations come and go.
#![cfg(feature = "profiling")]

mod profiling_support;

use std::sync::{Arc, Barrier};

use perfkit::profiling::proto::Profile;
use profiling_support::get;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

const BLOCK: usize = 16 * 1024;
const RETAINED: usize = 24 * 1024 * 1024;
const RATE: usize = 32 * 1024;

#[inline(never)]
fn perfkit_retain_and_churn() -> Vec<Vec<u8>> {
    let mut kept = Vec::new();
    for i in 0..RETAINED / BLOCK {
        kept.push(vec![i as u8; BLOCK]);
        // Garbage freed at once: sampled too, but never in use at the end.
        std::hint::black_box(vec![0u8; BLOCK * 2]);
    }
    kept
}

fn inuse_for_label(p: &Profile, key: &str, value: &str) -> (i64, Vec<String>) {
    let idx = p
        .sample_type
        .iter()
        .position(|t| p.string(t.r#type) == "inuse_space")
        .unwrap();
    let mut total = 0;
    let mut threads = Vec::new();
    for s in &p.sample {
        let has = s
            .label
            .iter()
            .any(|l| p.string(l.key) == key && p.string(l.str) == value);
        if has
            && p.stack_names(s)
                .iter()
                .any(|n| n.contains("perfkit_retain_and_churn"))
        {
            total += s.value[idx];
            for l in &s.label {
                if p.string(l.key) == "thread" {
                    threads.push(p.string(l.str).to_owned());
                }
            }
        }
    }
    (total, threads)
}

#[test]
fn concurrent_threads_are_sampled_and_told_apart_by_labels() {
    let server = perfkit::profiling::Profiling::new()
        .heap_sample_rate(Some(RATE))
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let dropped_before = perfkit::profiling::heap::dropped_samples();
    let start = Arc::new(Barrier::new(3));
    let done = Arc::new(Barrier::new(3));
    let workers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|w| {
            let (start, done) = (Arc::clone(&start), Arc::clone(&done));
            std::thread::Builder::new()
                .name(format!("heap-{w}"))
                .spawn(move || {
                    start.wait();
                    let kept =
                        perfkit::profiling::with_labels(&[("worker", w)], perfkit_retain_and_churn);
                    done.wait(); // profiled here
                    done.wait();
                    drop(kept);
                })
                .unwrap()
        })
        .collect();
    start.wait();
    done.wait();

    let p = get(addr, "/debug/pprof/heap").profile();
    for w in ["a", "b"] {
        let (inuse, threads) = inuse_for_label(&p, "worker", w);
        let ratio = inuse as f64 / RETAINED as f64;
        assert!(
            (0.8..=1.2).contains(&ratio),
            "worker {w}: inuse_space {inuse} vs {RETAINED} (ratio {ratio:.3})"
        );
        assert!(
            !threads.is_empty() && threads.iter().all(|t| *t == format!("heap-{w}")),
            "worker {w}: {threads:?}"
        );
    }
    assert_eq!(
        perfkit::profiling::heap::dropped_samples(),
        dropped_before,
        "samples were dropped"
    );

    done.wait();
    for h in workers {
        h.join().unwrap();
    }
    let after = get(addr, "/debug/pprof/heap").profile();
    for w in ["a", "b"] {
        let (inuse, _) = inuse_for_label(&after, "worker", w);
        assert!(
            inuse < (RETAINED / 20) as i64,
            "worker {w}: {inuse} bytes still in use after the drop"
        );
    }
}
