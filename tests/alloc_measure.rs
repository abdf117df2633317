//! Exact accounting: `measure`, `allocs_per_run`, `assert_allocs!` and the process totals.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::alloc::{allocs_per_run, global_stats, measure};
use perfkit::assert_allocs;
use std::collections::HashMap;

#[test]
fn measure_counts_allocs_reallocs_deallocs_and_bytes() {
    let ((), s) = measure(|| {
        let mut v: Vec<u8> = Vec::with_capacity(10);
        v.extend_from_slice(&[0; 20]); // realloc 10 -> 20
        let b = Box::new([0u8; 100]);
        drop(b);
        drop(v);
    });
    assert_eq!((s.allocs, s.reallocs, s.deallocs), (2, 1, 2));
    assert_eq!(s.bytes_allocated, 10 + 20 + 100);
    assert_eq!(s.bytes_deallocated, 10 + 100 + 20);
    assert_eq!(s.total_allocs(), 3);
}

#[test]
fn measure_ignores_other_threads() {
    let (n, s) =
        measure(|| std::thread::scope(|sc| sc.spawn(|| vec![1u8; 1 << 20].len()).join().unwrap()));
    assert_eq!(n, 1 << 20);
    assert!(
        s.bytes_allocated < 1 << 20,
        "the worker's megabyte was attributed: {s}"
    );
}

#[test]
fn allocs_per_run_has_go_semantics() {
    let mut calls = 0;
    let avg = allocs_per_run(10, || {
        calls += 1;
        std::hint::black_box(Box::new(calls));
    });
    assert_eq!(calls, 11, "one warm-up call, then `runs` calls");
    assert_eq!(avg, 1.0);
}

#[test]
fn allocs_per_run_sees_the_warm_up_amortised() {
    let mut buf: Vec<u8> = Vec::new();
    let avg = allocs_per_run(100, || {
        buf.clear();
        buf.extend_from_slice(&[1; 64]);
    });
    assert_eq!(avg, 0.0, "the warm-up call sized the buffer");
    let mut m: HashMap<u32, u32> = HashMap::new();
    assert_eq!(
        allocs_per_run(50, || {
            m.clear();
            m.extend((0..32).map(|i| (i, i)));
        }),
        0.0
    );
    assert_eq!(
        allocs_per_run(50, || drop(HashMap::<u32, u32>::from_iter(
            (0..32).map(|i| (i, i))
        ))),
        1.0
    );
}

#[test]
fn assert_allocs_passes_and_returns_the_value() {
    let mut v = Vec::with_capacity(4);
    assert_allocs!(v.push(1u8) == 0);
    let s: String = assert_allocs!(String::from("x") <= 1);
    assert_eq!(s, "x");
}

#[test]
#[should_panic(
    expected = "assert_allocs!(vec![1u8, 2, 3] == 0) failed: 1 allocation events (1 allocs"
)]
fn assert_allocs_reports_the_expression_and_counts() {
    assert_allocs!(vec![1u8, 2, 3] == 0);
}

#[test]
fn global_totals_include_this_thread() {
    let before = global_stats();
    let v: Vec<Vec<u8>> = (0..200).map(|_| Vec::with_capacity(1000)).collect();
    let after = global_stats();
    assert!(after.allocs - before.allocs >= 201);
    assert!(after.bytes_allocated - before.bytes_allocated >= 200_000);
    assert!(after.live_bytes() >= 200_000);
    drop(v);
}
