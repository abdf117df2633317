//! Compile-fail cases of `Pool` and `#[derive(Poolable)]`: `tests/ui/poolable/*.rs`, with their
//! `.stderr` snapshots beside them (refresh with `TRYBUILD=overwrite` and read the diff).

#[test]
fn ui_poolable() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/poolable/*.rs");
}
