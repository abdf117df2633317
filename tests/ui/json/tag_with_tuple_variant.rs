use perfkit::FastJson;

#[derive(FastJson)]
#[json(tag = "type")]
enum E {
    Unit,
    Pair(u8, u8),
    Scalar(u32),
    Named { r#type: u8 },
}

fn main() {}
