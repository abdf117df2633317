use perfkit::Poolable;

#[derive(Poolable)]
struct Counters {
    #[poolable(max_capacity = 16)]
    hits: u64,
}

fn main() {}
