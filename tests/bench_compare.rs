//! Two saved runs of a group compare with exact allocation deltas.
#![cfg(feature = "bench")]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::Criterion;
use perfkit::bench::{BenchGroup, compare, load_run};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

fn run(dir: &Path, boxes: usize) {
    let mut c = Criterion::default()
        .output_directory(&dir.join("criterion"))
        .without_plots()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(20))
        .measurement_time(Duration::from_millis(60));
    let mut g = BenchGroup::new(&mut c, "cmp");
    g.output_dir(dir.join("json"));
    g.bench("boxes", || {
        for i in 0..boxes {
            black_box(Box::new(black_box(i as u64)));
        }
    });
    g.bench("steady", || Box::new(black_box(1u32)));
    g.finish();
}

#[test]
fn comparison_reports_exact_allocation_deltas() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    run(&old, 2);
    run(&new, 0);
    let olds = load_run(&old.join("json")).unwrap();
    let news = load_run(&new.join("json")).unwrap();
    assert_eq!((olds.len(), news.len()), (1, 1));

    let c = compare(&olds[0], &news[0], "old", "new");
    let boxes = &c.rows[0];
    assert_eq!(boxes.key, "boxes");
    assert_eq!(boxes.allocs.0, 2 * boxes.allocs.1, "old: 2 allocs/op");
    assert_eq!(boxes.allocs.2, 0, "new: none");
    assert_eq!(boxes.bytes.0, 16 * boxes.bytes.1);
    assert_eq!(boxes.n, (10, 10));
    assert!(boxes.p_value.is_some());

    let table = c.to_table();
    let lines: Vec<&str> = table.lines().collect();
    let section = |unit: &str| lines.iter().position(|l| l.starts_with(unit)).unwrap();
    let (allocs, bytes) = (section("allocs/op"), section("B/op"));
    assert_eq!(lines[allocs + 1], "boxes      2 → 0  -2 (-100.00%)");
    assert_eq!(lines[allocs + 2], "steady     1 → 1  ~");
    assert_eq!(lines[bytes + 1], "boxes      16 → 0  -16 (-100.00%)");
    assert_eq!(lines[bytes + 2], "steady     4 → 4  ~");
}
