use perfkit::{Pool, Pooled};

static POOL: Pool<Vec<u8>> = Pool::new(Vec::new);

fn main() {
    let guard = POOL.get();
    let buf = Pooled::detach(guard);
    drop(buf);
    let _ = guard.len();
}
