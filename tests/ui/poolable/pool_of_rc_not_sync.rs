use std::rc::Rc;

use perfkit::Pool;

fn main() {
    let pool: Pool<Option<Rc<u8>>> = Pool::new(|| None);
    std::thread::scope(|s| {
        s.spawn(|| drop(pool.get()));
    });
}
