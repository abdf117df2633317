//! A growing `Vec` (alloc, then realloc) is caught with both kinds counted.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn collect(n: u8) -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..n {
        v.push(i);
    }
    v
}

#[test]
#[should_panic(expected = "3 allocations (1 alloc + 2 realloc), 56 bytes")]
fn growth_is_caught() {
    // capacities 8 -> 16 -> 32 for u8: 8 + 16 + 32 bytes requested
    drop(collect(17));
}
