use perfkit::Poolable;

struct Socket;

#[derive(Poolable)]
struct Conn {
    buf: Vec<u8>,
    socket: Socket,
}

fn main() {}
