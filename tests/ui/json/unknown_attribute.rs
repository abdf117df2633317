use perfkit::FastJson;

#[derive(FastJson)]
#[json(rename_everything = "camelCase")]
struct S {
    #[json(renamed = "x")]
    a: u8,
    #[json(skip, omitempty)]
    b: u8,
}

fn main() {}
