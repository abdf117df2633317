use perfkit::FastJson;

#[derive(FastJson)]
#[json(transparent)]
struct Two {
    a: u8,
    b: u8,
}

#[derive(FastJson)]
#[json(transparent)]
struct None_ {
    #[json(skip)]
    a: u8,
}

#[derive(FastJson)]
#[json(transparent)]
enum E {
    A(u8),
}

fn main() {}
