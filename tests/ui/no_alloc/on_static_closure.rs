#[perfkit::no_alloc]
static HOT: fn() -> u32 = || 1;

fn main() {}
