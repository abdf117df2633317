//! What heap sampling costs the allocator: one alloc + dealloc of 64 bytes straight through
//! `System`, through `CountingAlloc` with sampling off (no instruction of its own: the
//! thread's copy of the sampling setting sits in the watch word the fast path already tests
//! with its publish tick), and with sampling on at Go's 512 KiB (a thread-local countdown per
//! allocation, a live-table probe per deallocation, a stack capture per ~8000 allocations of
//! this size).
//!
//! `cargo bench --features profiling,bench --bench profiling`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;

use perfkit::profiling::heap;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(System);

fn alloc_free(a: &impl GlobalAlloc, layout: Layout) {
    // SAFETY: `layout` has a non-zero size; the pointer is freed with the same layout and
    // allocator, and only if the allocation succeeded.
    unsafe {
        let p = a.alloc(layout);
        if !p.is_null() {
            black_box(p);
            a.dealloc(p, layout);
        }
    }
}

fn benches(c: &mut criterion::Criterion) {
    let layout = Layout::from_size_align(64, 8).unwrap();
    let mut g = perfkit::bench::BenchGroup::new(c, "alloc/sampling");
    g.baseline("system");
    g.bench("system", || alloc_free(&System, layout));
    heap::stop_heap_sampling();
    g.bench("counting_sampling_off", || alloc_free(&GLOBAL, layout));
    heap::start_heap_sampling(heap::DEFAULT_RATE);
    g.bench("counting_sampling_on", || alloc_free(&GLOBAL, layout));
    heap::stop_heap_sampling();
    g.finish();
}

criterion::criterion_group!(benches_group, benches);
criterion::criterion_main!(benches_group);
