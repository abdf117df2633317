//! Without `debug_assertions` (e.g. `cargo test --release`), a plain `#[no_alloc]` leaves no
//! code behind, while `#[no_alloc(always)]` keeps its guard. Run by `scripts/test.sh` in both
//! profiles; the assertions follow the profile it was built with.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[perfkit::no_alloc]
fn default_guard() -> usize {
    vec![1u8, 2].len()
}

#[perfkit::no_alloc(always)]
fn always_guard() -> usize {
    vec![1u8, 2].len()
}

#[test]
fn default_guard_follows_debug_assertions() {
    let result = std::panic::catch_unwind(default_guard);
    let guard_active = cfg!(debug_assertions) || cfg!(feature = "no-alloc-always");
    assert_eq!(result.is_err(), guard_active);
}

#[test]
#[should_panic(expected = "#[no_alloc] violated in `no_alloc_release::always_guard`")]
fn always_guard_is_active_in_every_profile() {
    always_guard();
}
