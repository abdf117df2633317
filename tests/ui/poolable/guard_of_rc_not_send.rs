use std::rc::Rc;

use perfkit::Pool;

fn main() {
    thread_local! {
        static POOL: Pool<Option<Rc<u8>>> = const { Pool::new(|| None) };
    }
    POOL.with(|pool| {
        let guard = pool.get();
        std::thread::scope(|s| {
            s.spawn(move || drop(guard));
        });
    });
}
