use perfkit::FastJson;

fn never(_: &u8) -> bool {
    false
}

#[derive(FastJson)]
struct S {
    #[json(skip_if = "never", omit_empty)]
    a: u8,
    #[json(with = "w", as_string)]
    b: u8,
    #[json(rename = "x", rename = "y")]
    c: u8,
}

#[derive(FastJson)]
struct Tuple(#[json(rename = "x")] u8, #[json(omit_empty)] u8);

fn main() {}
