//! A tour of perfkit: `cargo run --release --example tour`.
//!
//! Each section shows one capability working on this machine, with real figures.

use std::collections::HashMap;
use std::hint::black_box;

use perfkit::alloc::{CountingAlloc, allocs_per_run, measure};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc::new(std::alloc::System);

fn main() {
    section("1. #[no_alloc]: a hot function that allocates fails with a clear message");
    no_alloc_violation();

    section("2. allocs_per_run: the curriculum's classic fixes, measured");
    classic_fixes();
}

fn section(title: &str) {
    println!("\n== {title}\n");
}

struct Request {
    path: String,
    query: Vec<(String, String)>,
}

impl Request {
    /// The handler's hot path: it should only read the request, but it builds a key.
    #[perfkit::no_alloc(always)]
    fn cache_key(&self) -> u64 {
        let key = format!("{}?{}", self.path, self.query.len());
        key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        })
    }
}

fn no_alloc_violation() {
    let req = Request {
        path: "/api/items".into(),
        query: vec![("page".into(), "2".into())],
    };
    // Show the message the test would fail with, without the default panic hook's noise.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| req.cache_key());
    std::panic::set_hook(hook);
    match result {
        Ok(_) => println!("(no violation: unexpected)"),
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .unwrap_or("?");
            println!("{msg}");
        }
    }
}

fn concat_naive(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(p);
    }
    s
}

fn concat_presized(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

fn doubled_fresh(input: &[u32]) -> Vec<u32> {
    input.iter().map(|x| x * 2).collect::<Vec<_>>()
}

fn doubled_reused(input: &[u32], out: &mut Vec<u32>) {
    out.clear();
    out.extend(input.iter().map(|x| x * 2));
}

fn word_counts_fresh(words: &[&str]) -> usize {
    let mut m: HashMap<&str, u32> = HashMap::new();
    for w in words {
        *m.entry(w).or_default() += 1;
    }
    m.len()
}

fn word_counts_cleared<'a>(words: &[&'a str], m: &mut HashMap<&'a str, u32>) -> usize {
    m.clear();
    for w in words {
        *m.entry(w).or_default() += 1;
    }
    m.len()
}

fn classic_fixes() {
    let parts = [
        "GET ",
        "/api/items",
        "?page=",
        "2",
        " HTTP/1.1",
        "\r\n",
        "Host: localhost",
    ];
    let input: Vec<u32> = (0..1000).collect();
    let words: Vec<&str> = "the quick brown fox jumps over the lazy dog the end"
        .split(' ')
        .collect();

    let mut out = Vec::new();
    let mut map = HashMap::new();
    let rows = [
        (
            "string concat, growing",
            allocs_per_run(1000, || drop(black_box(concat_naive(&parts)))),
        ),
        (
            "string concat, pre-sized",
            allocs_per_run(1000, || drop(black_box(concat_presized(&parts)))),
        ),
        (
            "collect into a fresh Vec",
            allocs_per_run(1000, || drop(black_box(doubled_fresh(&input)))),
        ),
        (
            "extend a reused Vec",
            allocs_per_run(1000, || doubled_reused(&input, &mut out)),
        ),
        (
            "new HashMap per call",
            allocs_per_run(1000, || {
                black_box(word_counts_fresh(&words));
            }),
        ),
        (
            "clear() a reused HashMap",
            allocs_per_run(1000, || {
                black_box(word_counts_cleared(&words, &mut map));
            }),
        ),
    ];
    println!("{:<28} {:>12}", "function", "allocs/run");
    for (name, avg) in rows {
        println!("{name:<28} {avg:>12.2}");
    }
    let (_, stats) = measure(|| concat_naive(&parts));
    println!("\nmeasure(concat_naive): {stats}");
}
