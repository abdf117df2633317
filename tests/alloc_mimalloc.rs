//! `CountingAlloc` composes with another allocator: here mimalloc does the work.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc<mimalloc::MiMalloc> =
    perfkit::alloc::CountingAlloc::new(mimalloc::MiMalloc);

#[perfkit::no_alloc]
fn boxed() -> Box<u64> {
    Box::new(5)
}

#[test]
fn counts_through_mimalloc() {
    let (v, stats) = perfkit::alloc::measure(|| {
        let mut v: Vec<u64> = Vec::with_capacity(4);
        v.extend([1, 2, 3, 4, 5]);
        v
    });
    assert_eq!((stats.allocs, stats.reallocs), (1, 1));
    assert_eq!(stats.bytes_allocated, 32 + 64);
    assert_eq!(stats.bytes_deallocated, 32);
    assert_eq!(v.iter().sum::<u64>(), 15);
}

#[test]
#[should_panic(expected = "#[no_alloc] violated in `alloc_mimalloc::boxed`: 1 allocation, 8 bytes")]
fn guards_work_through_mimalloc() {
    drop(boxed());
}

#[test]
fn zeroed_allocations_are_counted() {
    let (v, stats) = perfkit::alloc::measure(|| vec![0u32; 1000]);
    assert_eq!((stats.allocs, stats.bytes_allocated), (1, 4000));
    assert!(v.iter().all(|&x| x == 0));
}
