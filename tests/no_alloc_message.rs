//! The violation message: function path with `Self`, counts, bytes, first site.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::no_alloc;

struct Parser {
    scratch: Vec<u8>,
}

#[inline(never)]
fn make_label(id: u32) -> String {
    let mut s = String::with_capacity(16);
    s.push_str("label-");
    s.push(char::from(b'0' + (id % 10) as u8));
    s
}

impl Parser {
    #[no_alloc]
    fn parse(&mut self, id: u32) -> usize {
        let l = make_label(id);
        self.scratch.extend_from_slice(l.as_bytes());
        perfkit::alloc::permit_alloc(move || drop(l));
        self.scratch.len()
    }
}

fn violation_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("the guard must panic");
    err.downcast_ref::<String>()
        .cloned()
        .expect("a formatted message")
}

#[test]
fn message_names_method_counts_bytes_and_site() {
    let msg = violation_message(|| {
        let mut p = Parser {
            scratch: Vec::with_capacity(1),
        };
        p.parse(7);
    });
    eprintln!("{msg}");
    assert!(
        msg.starts_with("#[no_alloc] violated in `no_alloc_message::Parser::parse`: "),
        "{msg}"
    );
    assert!(msg.contains("2 allocations (1 alloc + 1 realloc)"), "{msg}");
    assert!(msg.contains("first allocation (16 bytes) at:"), "{msg}");
    assert!(msg.contains("no_alloc_message::make_label"), "{msg}");
    assert!(msg.contains("tests/no_alloc_message.rs:"), "{msg}");
}
