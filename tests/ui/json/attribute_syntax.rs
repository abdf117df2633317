use perfkit::FastJson;

#[derive(FastJson)]
#[json]
struct Bare {
    a: u8,
}

#[derive(FastJson)]
struct BadPath {
    #[json(skip_if = "not a path")]
    a: u8,
    #[json(rename = 5)]
    b: u8,
}

fn main() {}
