//! Heap and allocation profiles estimate the bytes a known function retains, with labels.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::{get, total_for};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

const BLOCK: usize = 32 * 1024;
const RETAINED: usize = 64 * 1024 * 1024;
/// A smaller mean than Go's 512 KiB so the estimate's spread is ~3% and ±20% cannot flake.
const RATE: usize = 64 * 1024;

#[inline(never)]
fn perfkit_retain_blocks() -> Vec<Vec<u8>> {
    (0..RETAINED / BLOCK)
        .map(|i| vec![i as u8; BLOCK])
        .collect()
}

#[test]
fn heap_profile_estimates_retained_bytes_within_20_percent() {
    let server = perfkit::profiling::Profiling::new()
        .heap_sample_rate(Some(RATE))
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let kept = perfkit::profiling::with_labels(&[("worker", "1")], perfkit_retain_blocks);

    let p = get(addr, "/debug/pprof/heap").profile();
    let types: Vec<(&str, &str)> = p
        .sample_type
        .iter()
        .map(|t| (p.string(t.r#type), p.string(t.unit)))
        .collect();
    assert_eq!(
        types,
        [
            ("alloc_objects", "count"),
            ("alloc_space", "bytes"),
            ("inuse_objects", "count"),
            ("inuse_space", "bytes")
        ]
    );
    assert_eq!(p.string(p.default_sample_type), "inuse_space");
    assert_eq!(p.period, RATE as i64);
    let pt = p.period_type.unwrap();
    assert_eq!((p.string(pt.r#type), p.string(pt.unit)), ("space", "bytes"));
    assert!(!p.mapping.is_empty());

    let inuse = total_for(&p, "inuse_space", "perfkit_retain_blocks");
    let expected = RETAINED as f64;
    let ratio = inuse as f64 / expected;
    assert!(
        (0.8..=1.2).contains(&ratio),
        "inuse_space {inuse} vs retained {RETAINED} (ratio {ratio:.3})"
    );
    let objects =
        total_for(&p, "inuse_objects", "perfkit_retain_blocks") as f64 / (RETAINED / BLOCK) as f64;
    assert!(
        (0.8..=1.2).contains(&objects),
        "inuse_objects ratio {objects:.3}"
    );

    // Every sample of the retaining function carries the labels of `with_labels` and the
    // thread, and the allocator's own frames are trimmed from the top of its stacks.
    for s in p.sample.iter().filter(|s| {
        p.stack_names(s)
            .iter()
            .any(|n| n.contains("perfkit_retain_blocks"))
    }) {
        let label = |k: &str| {
            s.label
                .iter()
                .find(|l| p.string(l.key) == k)
                .map(|l| p.string(l.str))
        };
        assert_eq!(label("worker"), Some("1"));
        assert!(label("thread").is_some());
        let leaf = p.stack_names(s)[0];
        assert!(
            !leaf.starts_with("perf_core::") && !leaf.starts_with("backtrace::"),
            "leaf {leaf}"
        );
    }

    // /allocs: the same samples, alloc_space first.
    let a = get(addr, "/debug/pprof/allocs").profile();
    assert_eq!(a.string(a.default_sample_type), "alloc_space");
    let allocated = total_for(&a, "alloc_space", "perfkit_retain_blocks") as f64 / expected;
    assert!(
        (0.8..=1.2).contains(&allocated),
        "alloc_space ratio {allocated:.3}"
    );

    // Freed: nothing in use any more, while the allocation history stays.
    drop(kept);
    let after = get(addr, "/debug/pprof/heap").profile();
    let inuse_after = total_for(&after, "inuse_space", "perfkit_retain_blocks");
    assert!(
        inuse_after < RETAINED as i64 / 20,
        "{inuse_after} bytes still in use after the drop"
    );
    let still_allocated =
        total_for(&after, "alloc_space", "perfkit_retain_blocks") as f64 / expected;
    assert!((0.8..=1.2).contains(&still_allocated));

    // debug=1: the same data as text.
    let text = get(addr, "/debug/pprof/heap?debug=1").text();
    assert!(text.starts_with(
        "# alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes"
    ));
    assert!(text.contains("perfkit_retain_blocks") && text.contains("worker=1"));
}
