//! Dropping an owned argument deallocates: a violation only in strict mode.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn consume(v: Vec<u8>) -> usize {
    v.len()
}

#[perfkit::no_alloc(strict)]
fn consume_strict(v: Vec<u8>) -> usize {
    v.len()
}

#[perfkit::no_alloc(strict)]
fn borrow_strict(v: &[u8]) -> usize {
    v.len()
}

#[test]
fn dropping_an_argument_passes_by_default() {
    assert_eq!(consume(vec![1, 2, 3]), 3);
}

#[test]
#[should_panic(
    expected = "#[no_alloc(strict)] violated in `no_alloc_strict::consume_strict`: 1 deallocation"
)]
fn dropping_an_argument_fails_in_strict_mode() {
    consume_strict(vec![1, 2, 3]);
}

#[test]
fn strict_mode_passes_without_deallocation() {
    assert_eq!(borrow_strict(&[1, 2, 3]), 3);
}
