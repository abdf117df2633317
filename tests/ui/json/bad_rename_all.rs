use perfkit::FastJson;

#[derive(FastJson)]
#[json(rename_all = "camelcase")]
struct S {
    a_b: u8,
}

#[derive(FastJson)]
#[json(rename_all_fields = "camelCase")]
struct T {
    a_b: u8,
}

fn main() {}
