use perfkit::FastJson;

#[derive(FastJson)]
#[json(content = "c")]
enum ContentWithoutTag {
    A(u8),
}

#[derive(FastJson)]
#[json(untagged, tag = "t")]
enum UntaggedAndTag {
    A(u8),
}

#[derive(FastJson)]
#[json(tag = "x", content = "x")]
enum SameTagAndContent {
    A(u8),
}

#[derive(FastJson)]
#[json(tag = "t")]
struct TupleStructTag(u8, u8);

#[derive(FastJson)]
#[json(untagged)]
struct UntaggedStruct {
    a: u8,
}

fn main() {}
