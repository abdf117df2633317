use perfkit::FastJson;

#[derive(FastJson)]
struct S {
    #[json(skip, rename = "b")]
    a: u8,
    #[json(skip, with = "writer", as_string)]
    c: u8,
}

fn main() {}
