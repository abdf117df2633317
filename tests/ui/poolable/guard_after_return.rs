use perfkit::Pool;

static POOL: Pool<Vec<u8>> = Pool::new(Vec::new);

fn main() {
    let mut guard = POOL.get();
    drop(guard);
    guard.push(1);
}
