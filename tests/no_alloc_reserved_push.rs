//! Pushing within reserved capacity does not allocate, so the guard passes.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn fill(buf: &mut Vec<u32>, n: u32) {
    for i in 0..n {
        buf.push(i);
    }
}

#[test]
fn push_within_capacity_passes() {
    let mut buf = Vec::with_capacity(64);
    fill(&mut buf, 64);
    assert_eq!(buf.len(), 64);
}

#[test]
#[should_panic(expected = "1 allocation (0 alloc + 1 realloc)")]
fn push_past_capacity_is_caught_as_a_realloc() {
    let mut buf = Vec::with_capacity(64);
    fill(&mut buf, 65);
}
