#[perfkit::no_alloc]
const fn answer() -> u32 {
    42
}

fn main() {}
