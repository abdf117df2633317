//! The heap sampler allocates nothing inside the allocator, even when it samples every
//! allocation; turned off, it takes no samples.
#![cfg(feature = "profiling")]

use perfkit::alloc::{measure, sampling_enabled};
use perfkit::profiling::heap;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[inline(never)]
fn perfkit_sampled_allocs() {
    for i in 0..1000u32 {
        std::hint::black_box(vec![i as u8; 100]);
    }
}

#[test]
fn sampling_every_allocation_adds_no_allocation_and_stops_when_off() {
    heap::start_heap_sampling(1); // every allocation is sampled: stack capture included
    assert!(sampling_enabled());
    let ((), stats) = measure(perfkit_sampled_allocs);
    assert_eq!(
        stats.allocs, 1000,
        "the sampler allocated on this thread: {stats:?}"
    );
    assert_eq!(stats.deallocs, 1000);
    assert_eq!(stats.reallocs, 0);
    // Back to Go's rate before symbolizing, which allocates a lot.
    heap::start_heap_sampling(heap::DEFAULT_RATE);
    let p = heap::allocs_profile();
    let idx = p
        .sample_type
        .iter()
        .position(|t| p.string(t.r#type) == "alloc_objects")
        .unwrap();
    let sampled: i64 = p
        .sample
        .iter()
        .filter(|s| {
            p.stack_names(s)
                .iter()
                .any(|n| n.contains("perfkit_sampled_allocs"))
        })
        .map(|s| s.value[idx])
        .sum();
    let dropped = heap::dropped_samples() as i64;
    assert!(
        sampled + dropped >= 1000,
        "{sampled} sampled + {dropped} dropped of 1000"
    );
    assert!(sampled > 0);

    heap::stop_heap_sampling();
    assert!(!sampling_enabled());
    assert_eq!(heap::heap_sample_rate(), None);
    perfkit_sampled_allocs();
    let off = heap::heap_profile();
    assert!(off.sample.is_empty(), "samples taken while off");
    assert!(
        off.comment
            .iter()
            .any(|&c| off.string(c).contains("heap sampling is off"))
    );
}
