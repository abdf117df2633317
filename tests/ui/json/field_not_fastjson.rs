use std::collections::HashMap;

use perfkit::FastJson;

struct Opaque;

#[derive(FastJson)]
struct S {
    ok: u8,
    opaque: Opaque,
    by_float: HashMap<Vec<u8>, u8>,
}

fn main() {}
