//! Every form `#[derive(FastJson)]` rejects is a compile error spanned on the user's tokens,
//! with all errors of one input reported together (snapshots in `tests/ui/json/`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/json/*.rs");
}
