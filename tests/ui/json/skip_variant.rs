use perfkit::FastJson;

#[derive(FastJson)]
enum E {
    A,
    #[json(skip)]
    B,
}

fn main() {}
