use perfkit::Pool;

fn main() {
    let guard = {
        let pool = Pool::new(String::new);
        pool.get()
    };
    drop(guard);
}
