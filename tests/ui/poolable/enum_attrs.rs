use perfkit::Poolable;

#[derive(Poolable)]
enum Slot {
    #[poolable(skip)]
    Empty,
    Full(#[poolable(max_capacity = 4)] Vec<u8>),
}

#[derive(Poolable)]
enum NoDefault {
    A,
    B,
}

fn main() {}
