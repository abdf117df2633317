//! `String::clear` keeps the buffer: reusing it inside the guard is fine.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use std::fmt::Write;

#[perfkit::no_alloc]
fn render(out: &mut String, id: u32) {
    out.clear();
    write!(out, "id={id}").unwrap();
}

#[test]
fn clear_and_reuse_passes() {
    let mut s = String::with_capacity(32);
    for id in 0..100 {
        render(&mut s, id);
    }
    assert_eq!(s, "id=99");
}
