#[perfkit::no_alloc]
async fn fetch() -> u32 {
    1
}

fn main() {}
