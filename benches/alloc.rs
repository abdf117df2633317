//! What the counting allocator and the guards cost, against `System` and the
//! `assert_no_alloc` crate in the same run.
//!
//! The global allocator is `CountingAlloc<AllocDisabler>`, so both crates' guards are live in
//! this one binary; the per-allocation rows call each allocator directly through
//! `GlobalAlloc` on a 16-byte layout.
//!
//! `cargo bench --features bench --bench alloc`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;

use assert_no_alloc::AllocDisabler;
use criterion::{Criterion, criterion_group, criterion_main};
use perfkit::alloc::{AllocGuard, CountingAlloc};
use perfkit::bench::BenchGroup;

#[global_allocator]
static GLOBAL: CountingAlloc<AllocDisabler> = CountingAlloc::new(AllocDisabler);

static COUNTING_SYSTEM: CountingAlloc = CountingAlloc::new(System);

#[inline(always)]
fn pair<A: GlobalAlloc>(a: &A, layout: Layout) {
    // SAFETY: `layout` has a non-zero size; the pointer is freed with the same layout.
    unsafe {
        let p = a.alloc(black_box(layout));
        black_box(p);
        a.dealloc(p, layout);
    }
}

fn alloc_free_pair(c: &mut Criterion) {
    let layout = Layout::from_size_align(16, 8).unwrap();
    let mut g = BenchGroup::new(c, "alloc/alloc+free 16B");
    g.baseline("System");
    g.bench("System", || pair(&System, layout));
    g.bench("CountingAlloc<System>", || pair(&COUNTING_SYSTEM, layout));
    g.bench("assert_no_alloc::AllocDisabler", || {
        pair(&AllocDisabler, layout)
    });
    g.finish();
}

fn guard_enter_leave(c: &mut Criterion) {
    assert!(perfkit::alloc::is_installed());
    let mut g = BenchGroup::new(c, "alloc/guard enter+leave");
    g.baseline("assert_no_alloc::assert_no_alloc");
    // Both as a guarded region would use them: enter, an empty body, leave.
    g.bench("assert_no_alloc::assert_no_alloc", || {
        assert_no_alloc::assert_no_alloc(|| ())
    });
    g.bench("perfkit AllocGuard", || {
        let _guard = AllocGuard::new("bench", false);
    });
    g.finish();
}

criterion_group!(benches, alloc_free_pair, guard_enter_leave);
criterion_main!(benches);
