//! An allocation two calls below the guarded function is caught and its site reported.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[inline(never)]
fn leaf(n: usize) -> Vec<u64> {
    Vec::with_capacity(n)
}

#[inline(never)]
fn middle(n: usize) -> usize {
    leaf(n).capacity()
}

#[perfkit::no_alloc]
fn hot(n: usize) -> usize {
    middle(n) + 1
}

#[test]
#[should_panic(
    expected = "#[no_alloc] violated in `no_alloc_two_calls_deep::hot`: 1 allocation, 64 bytes"
)]
fn allocation_two_calls_deep_is_caught() {
    hot(8);
}

#[test]
fn site_names_the_allocating_function() {
    let err = std::panic::catch_unwind(|| hot(8)).unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    let leaf = msg.find("no_alloc_two_calls_deep::leaf").expect(msg);
    let middle = msg.find("no_alloc_two_calls_deep::middle").expect(msg);
    let hot = msg.rfind("no_alloc_two_calls_deep::hot").expect(msg);
    assert!(leaf < middle && middle < hot, "frames out of order:\n{msg}");
}

#[test]
fn zero_sized_request_is_not_an_allocation() {
    assert_eq!(hot(0), 1);
}
