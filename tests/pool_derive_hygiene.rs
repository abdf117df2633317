//! The derive's output names only absolute paths: it compiles, without warnings, next to
//! items that shadow the prelude.
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types)]

struct Result;
struct Option;
struct Some;
struct Vec;
struct String;
struct Default;
struct bool;
trait Poolable {}

mod core {}
mod std {}

#[derive(::perfkit::Poolable)]
struct Shadowed<T> {
    items: ::std::vec::Vec<T>,
    name: ::std::string::String,
    #[poolable(max_capacity = 8)]
    small: ::std::vec::Vec<u8>,
    #[poolable(skip)]
    id: u32,
}

#[derive(::perfkit::Poolable, ::core::default::Default)]
enum Mode {
    #[default]
    A,
    B,
}

#[test]
fn derive_output_is_hygienic() {
    use ::perfkit::Poolable as _;
    let mut s = Shadowed::<u8> {
        items: ::std::vec![1],
        name: "n".into(),
        small: ::std::vec::Vec::new(),
        id: 1,
    };
    s.reset();
    ::core::assert!(s.items.is_empty() && s.name.is_empty() && s.retain());
    let mut m = Mode::B;
    m.reset();
    ::core::assert!(::core::matches!(m, Mode::A));
}
