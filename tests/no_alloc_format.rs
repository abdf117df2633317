//! `format!` allocates, and the guard says so.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn describe(id: u32) -> usize {
    format!("request {id}").len()
}

#[test]
#[should_panic(expected = "#[no_alloc] violated in `no_alloc_format::describe`")]
fn format_is_caught() {
    describe(42);
}
