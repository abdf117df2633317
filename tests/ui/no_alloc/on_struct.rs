#[perfkit::no_alloc]
pub struct Buffer {
    bytes: Vec<u8>,
}

fn main() {}
