//! `Box::new` allocates, and the guard reports the exact size.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn boxed(x: u64) -> Box<[u64; 4]> {
    Box::new([x; 4])
}

#[test]
#[should_panic(expected = "1 allocation, 32 bytes on this thread\nfirst allocation (32 bytes) at:")]
fn box_new_is_caught() {
    let b = boxed(1);
    drop(b);
}
