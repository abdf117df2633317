use perfkit::FastJson;

#[derive(FastJson)]
enum Plain {
    A,
}

#[derive(FastJson)]
struct S {
    #[json(flatten)]
    plain: Plain,
}

fn main() {}
