use perfkit::Poolable;

fn clear(v: &mut Vec<u8>) {
    v.clear();
}

#[derive(Poolable)]
#[poolable(skip, crate = perfkit)]
struct Everything {
    #[poolable(skipp)]
    a: Vec<u8>,
    #[poolable(skip, reset_with = clear)]
    b: Vec<u8>,
    #[poolable(max_capacity = "64")]
    c: Vec<u8>,
    #[poolable(max_capacity = 1, max_capacity = 2)]
    d: Vec<u8>,
    #[poolable(reset_with = 5)]
    e: Vec<u8>,
    #[poolable(bound = "T: Clone")]
    f: Vec<u8>,
}

fn main() {}
