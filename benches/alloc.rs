//! What the counting allocator and the guards cost, against `System` and the
//! `assert_no_alloc` crate in the same run.
//!
//! The global allocator is `CountingAlloc<AllocDisabler>`, so both crates' guards are live in
//! this one binary; the per-allocation rows call each allocator directly through
//! `GlobalAlloc` on a 16-byte layout.
//!
//! Every row of a group calls one `#[inline(never)]` function, so each contender gets the
//! same call, the same loop and the same optimisation barrier; the `empty` row calls a function
//! that does nothing, to show what the harness itself costs per iteration.
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

const LAYOUT: Layout = match Layout::from_size_align(16, 8) {
    Ok(l) => l,
    Err(_) => panic!("16-byte layout"),
};

#[inline(always)]
fn pair<A: GlobalAlloc>(a: &A) {
    let layout = black_box(LAYOUT);
    // SAFETY: `layout` has a non-zero size; the pointer is freed with the same layout.
    unsafe {
        let p = a.alloc(layout);
        black_box(p);
        a.dealloc(p, layout);
    }
}

/// The harness alone: a call that does nothing but pass its optimisation barrier.
#[inline(never)]
fn empty() {
    black_box(());
}

#[inline(never)]
fn pair_system() {
    pair(&System);
}

#[inline(never)]
fn pair_counting_system() {
    pair(&COUNTING_SYSTEM);
}

#[inline(never)]
fn pair_alloc_disabler() {
    pair(&AllocDisabler);
}

fn alloc_free_pair(c: &mut Criterion) {
    let mut g = BenchGroup::new(c, "alloc/alloc+free 16B");
    g.baseline("System");
    g.bench("empty", empty);
    g.bench("System", pair_system);
    g.bench("CountingAlloc<System>", pair_counting_system);
    g.bench("assert_no_alloc::AllocDisabler", pair_alloc_disabler);
    g.finish();
}

/// `assert_no_alloc`'s guard around the same body as ours.
#[inline(never)]
fn guard_assert_no_alloc() {
    assert_no_alloc::assert_no_alloc(|| black_box(()));
}

/// What `#[no_alloc]` expands to, around a body the optimiser cannot see through (without it,
/// enter and leave with nothing in between could be folded away).
#[inline(never)]
fn guard_perfkit() {
    let _guard = AllocGuard::new("bench", false);
    black_box(());
}

fn guard_enter_leave(c: &mut Criterion) {
    assert!(perfkit::alloc::is_installed());
    let mut g = BenchGroup::new(c, "alloc/guard enter+leave");
    g.baseline("assert_no_alloc::assert_no_alloc");
    g.bench("empty", empty);
    g.bench("assert_no_alloc::assert_no_alloc", guard_assert_no_alloc);
    g.bench("perfkit AllocGuard", guard_perfkit);
    g.finish();
}

criterion_group!(benches, alloc_free_pair, guard_enter_leave);
criterion_main!(benches);
