#[perfkit::no_alloc(strict, lenient, always, strict)]
fn hot() -> u32 {
    1
}

fn main() {}
