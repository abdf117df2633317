//! Generated code names only absolute paths: it compiles, without warnings, where `Result`,
//! `Option`, `Some`, `None`, `Vec`, `String`, `bool`, `usize` and `core` mean something else,
//! and where `f64` or `f32` (which the derive writes in pairs) name another type.
#![deny(warnings)]
#![allow(
    non_camel_case_types,
    dead_code,
    unused_imports,
    clippy::builtin_type_shadow
)]
#![no_implicit_prelude]

extern crate perfkit;
extern crate std as realstd;

struct Result;
struct Option;
struct Some;
struct None;
struct Vec;
struct String;
struct Box;
struct bool;
struct usize;
mod core {}
mod std {}
trait FastJson {}
trait JsonWriter {}

#[derive(perfkit::FastJson)]
#[json(rename_all = "camelCase")]
struct Shadowed<'a, T> {
    plain_field: u8,
    #[json(skip_if = "is_even")]
    maybe: u8,
    #[json(omit_empty)]
    items: realstd::vec::Vec<T>,
    #[json(flatten)]
    inner: Inner,
    text: &'a str,
    #[json(as_string)]
    n: i32,
}

fn is_even(v: &u8) -> realstd::primitive::bool {
    v.is_multiple_of(2)
}

#[derive(perfkit::FastJson)]
struct Inner {
    #[json(skip_if = "realstd::option::Option::is_none")]
    opt: realstd::option::Option<u8>,
}

#[derive(perfkit::FastJson)]
#[json(tag = "kind")]
enum Tagged {
    A { x: u8 },
    B(Inner),
    C,
}

#[derive(perfkit::FastJson)]
#[json(tag = "t", content = "c")]
enum Adjacent {
    A(u8, u8),
    B,
}

#[derive(perfkit::FastJson)]
#[json(untagged)]
enum Untagged {
    A(u8),
    B { y: u8 },
}

#[derive(perfkit::FastJson)]
enum Keys {
    K1,
    K2,
}

#[derive(perfkit::FastJson)]
#[json(transparent)]
struct Transparent(u8);

#[derive(perfkit::FastJson)]
struct Tuple(u8, i8);

#[derive(perfkit::FastJson)]
struct Unit;

/// Two fields spelled `f64` that are not the primitive: a local alias.
mod alias {
    type f64 = u32;
    #[derive(::perfkit::FastJson)]
    pub struct P {
        pub a: f64,
        pub b: f64,
    }
}

/// A generic parameter named `f64`, and a user type named `f32`.
#[derive(perfkit::FastJson)]
struct Generic<f64> {
    a: f64,
    b: f64,
}

mod user_type {
    #[derive(::perfkit::FastJson)]
    pub struct f32(pub &'static str);
    #[derive(::perfkit::FastJson)]
    pub struct P {
        pub a: f32,
        pub b: f32,
    }
}

/// The real floats next to each other, in a struct and a tuple struct.
#[derive(perfkit::FastJson)]
struct Point {
    lat: realstd::primitive::f64,
    lon: realstd::primitive::f64,
    x: f32,
    y: f32,
}

#[derive(perfkit::FastJson)]
struct Pair(f64, f64);

#[test]
fn float_spellings_that_are_not_floats_still_encode() {
    let out = perfkit::json::to_string(&alias::P { a: 1, b: 2 });
    realstd::assert_eq!(out, r#"{"a":1,"b":2}"#);
    let out = perfkit::json::to_string(&Generic { a: "x", b: "y" });
    realstd::assert_eq!(out, r#"{"a":"x","b":"y"}"#);
    let out = perfkit::json::to_string(&user_type::P {
        a: user_type::f32("p"),
        b: user_type::f32("q"),
    });
    realstd::assert_eq!(out, r#"{"a":"p","b":"q"}"#);
    let out = perfkit::json::to_string(&(
        Point {
            lat: -65.5,
            lon: 43.25,
            x: 1.5,
            y: f32::NAN,
        },
        Pair(1e16, -0.0),
    ));
    realstd::assert_eq!(
        out,
        r#"[{"lat":-65.5,"lon":43.25,"x":1.5,"y":null},[1e+16,-0.0]]"#
    );
}

#[test]
fn shadowed_prelude_still_compiles_and_encodes() {
    let v = Shadowed {
        plain_field: 1,
        maybe: 2,
        items: realstd::vec![7u8],
        inner: Inner {
            opt: realstd::option::Option::Some(3),
        },
        text: "t",
        n: -4,
    };
    let out = perfkit::json::to_string(&v);
    realstd::assert_eq!(
        out,
        r#"{"plainField":1,"items":[7],"opt":3,"text":"t","n":"-4"}"#
    );
    let out = perfkit::json::to_string(&(
        Tagged::A { x: 1 },
        Tagged::B(Inner {
            opt: realstd::option::Option::None,
        }),
        Tagged::C,
    ));
    realstd::assert_eq!(out, r#"[{"kind":"A","x":1},{"kind":"B"},{"kind":"C"}]"#);
    let out = perfkit::json::to_string(&(
        Adjacent::A(1, 2),
        Adjacent::B,
        Untagged::A(3),
        Untagged::B { y: 4 },
    ));
    realstd::assert_eq!(out, r#"[{"t":"A","c":[1,2]},{"t":"B"},3,{"y":4}]"#);
    let out = perfkit::json::to_string(&(Keys::K1, Transparent(5), Tuple(6, -7), Unit));
    realstd::assert_eq!(out, r#"["K1",5,[6,-7],null]"#);
}
