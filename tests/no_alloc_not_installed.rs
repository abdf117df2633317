//! Without `CountingAlloc` as the global allocator, a guard refuses to run instead of
//! passing silently, and says how to install it.

#[perfkit::no_alloc]
fn hot() -> u32 {
    1
}

#[test]
#[should_panic(
    expected = "#[global_allocator]\n    static GLOBAL: perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(std::alloc::System);"
)]
fn guard_without_counting_allocator_panics_with_instructions() {
    hot();
}

#[test]
fn is_installed_reports_false() {
    assert!(!perfkit::alloc::is_installed());
}
