//! A thread publishes its last counts when it exits (Linux with glibc): once it is joined, the
//! process-wide totals hold everything it allocated and freed, even though it made far fewer
//! than the 64 calls of a kind after which a running thread publishes.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_joined_threads_counts_are_in_the_totals() {
    const BLOCK: usize = 1 << 20;
    const BLOCKS: usize = 10;
    for round in 0..3 {
        let before = perfkit::alloc::global_stats();
        std::thread::spawn(|| {
            let mut blocks = Vec::with_capacity(BLOCKS);
            for i in 0..BLOCKS {
                blocks.push(std::hint::black_box(vec![i as u8; BLOCK]));
            }
            drop(blocks);
        })
        .join()
        .unwrap();
        let after = perfkit::alloc::global_stats();
        let allocated = after.bytes_allocated - before.bytes_allocated;
        let freed = after.bytes_deallocated - before.bytes_deallocated;
        let want = (BLOCKS * BLOCK) as u64;
        assert!(
            allocated >= want && freed >= want,
            "round {round}: the joined thread's {BLOCKS} blocks of {BLOCK} bytes are missing from \
             the totals: {allocated} bytes allocated, {freed} freed since before it started"
        );
        assert!(after.allocs - before.allocs >= BLOCKS as u64);
        assert!(after.deallocs - before.deallocs >= BLOCKS as u64);
    }
}
