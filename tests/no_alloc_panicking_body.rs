//! A body that panics propagates its own panic; the guard adds none, even if it allocated.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn explode(allocate_first: bool) -> u32 {
    if allocate_first {
        let v = vec![1u8; 10];
        std::hint::black_box(&v);
    }
    panic!("body failed on its own")
}

#[test]
#[should_panic(expected = "body failed on its own")]
fn body_panic_propagates() {
    explode(false);
}

#[test]
fn guard_adds_no_second_panic() {
    let err = std::panic::catch_unwind(|| explode(true)).unwrap_err();
    assert_eq!(err.downcast_ref::<&str>(), Some(&"body failed on its own"));
    // the thread's guard state is clean afterwards
    perfkit::alloc::assert_no_alloc("after", || ());
    drop(Vec::<u8>::with_capacity(4));
}
