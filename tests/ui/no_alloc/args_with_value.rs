#[perfkit::no_alloc(strict = true)]
fn hot() -> u32 {
    1
}

fn main() {}
