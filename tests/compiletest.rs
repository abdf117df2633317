//! Every form `#[no_alloc]` rejects, with the compiler's message pinned beside the case.

#[test]
fn ui_no_alloc() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/no_alloc/*.rs");
}
