//! Debug builds check that guards are dropped in reverse order of creation.
#![cfg(debug_assertions)]

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::alloc::AllocGuard;

#[test]
#[should_panic(expected = "perfkit: guards must be dropped in reverse order of creation")]
fn dropping_the_outer_guard_first_panics() {
    let outer = AllocGuard::new("outer", false);
    let _inner = AllocGuard::new("inner", false);
    drop(outer);
}
