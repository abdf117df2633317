use perfkit::FastJson;

#[derive(FastJson)]
struct S {
    #[json(flatten)]
    count: u32,
    #[json(flatten)]
    list: Vec<String>,
    #[json(flatten, rename = "x")]
    other: Other,
}

#[derive(FastJson)]
struct Other(u8, u8);

fn main() {}
