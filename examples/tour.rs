//! A tour of perfkit: `cargo run --release --example tour`.
//!
//! Each section shows one capability working on this machine, with real figures.

use std::collections::HashMap;
use std::hint::black_box;

use perfkit::alloc::{CountingAlloc, allocs_per_run, measure};
use perfkit::{FastJson, Pool, Poolable};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc::new(std::alloc::System);

fn main() {
    section("1. #[no_alloc]: a hot function that allocates fails with a clear message");
    no_alloc_violation();

    section("2. allocs_per_run: the curriculum's classic fixes, measured");
    classic_fixes();

    section("3. Pool<T> and #[derive(Poolable)]: reuse instead of allocate");
    pooling();

    section("4. #[derive(FastJson)]: serde_json's bytes, no allocation per encode");
    fast_json();

    section("5. Benchmarks and profiles");
    println!(
        "cargo bench --features bench                      # ns/op, allocs/op, B/op per function, Go -benchmem style"
    );
    println!(
        "cargo run --release --features profiling --example server   # demo API + /debug/pprof on loopback"
    );
    println!("go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=5'");
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

static BUFFERS: Pool<Vec<u8>> = Pool::new(|| Vec::with_capacity(4096));

#[derive(Poolable, Default)]
struct Scratch {
    words: Vec<String>,
    counts: HashMap<String, u32>,
    #[poolable(max_capacity = 4096)]
    bytes: Vec<u8>,
    #[poolable(skip)]
    uses: u64,
}

static SCRATCH: Pool<Scratch> = Pool::new(Scratch::default);

fn pooling() {
    let fresh = allocs_per_run(1000, || {
        let mut buf = Vec::with_capacity(4096);
        buf.extend_from_slice(&[7u8; 64]);
        black_box(&buf);
    });
    let pooled = allocs_per_run(1000, || {
        let mut buf = BUFFERS.get();
        buf.extend_from_slice(&[7u8; 64]);
        black_box(&*buf);
    });
    println!("{:<44} {:>10}", "get + write 64 B + return", "allocs/op");
    println!("{:<44} {fresh:>10.2}", "fresh Vec::with_capacity(4096)");
    println!(
        "{:<44} {pooled:>10.2}",
        "BUFFERS.get() from a static Pool<Vec<u8>>"
    );
    let s = BUFFERS.stats();
    println!(
        "pool stats: {} hits, {} misses, {} retained",
        s.hits, s.misses, s.retained
    );

    {
        let mut sc = SCRATCH.get();
        sc.words.push("hello".into());
        sc.counts.insert("hello".into(), 1);
        sc.uses += 1;
    }
    let sc = SCRATCH.get();
    println!(
        "derived reset: words={} counts={} words.capacity()={} uses={} (cleared, capacity kept; `uses` is #[poolable(skip)])",
        sc.words.len(),
        sc.counts.len(),
        sc.words.capacity(),
        sc.uses
    );
    drop(sc);
    {
        let mut sc = SCRATCH.get();
        sc.bytes.resize(10_000, 0); // grows past #[poolable(max_capacity = 4096)]
    }
    let s = SCRATCH.stats();
    println!(
        "size guard: {} object dropped on return instead of pinning a 10 kB buffer",
        s.dropped
    );
}

#[derive(FastJson, serde::Serialize)]
#[json(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
struct Item {
    id: u64,
    display_name: String,
    price: f64,
    tags: Vec<&'static str>,
    #[json(skip_if = "Option::is_none")]
    #[serde(skip_serializing_if = "Option::is_none")]
    discount: Option<f32>,
}

fn fast_json() {
    let item = Item {
        id: 42,
        display_name: "Tea \"Sencha\" <green>".into(),
        price: 1e16,
        tags: vec!["drink", "leaf"],
        discount: None,
    };
    let ours = perfkit::json::to_vec(&item);
    let theirs = serde_json::to_vec(&item).unwrap();
    println!("{}", String::from_utf8_lossy(&ours));
    println!("byte-identical to serde_json: {}", ours == theirs);
    let mut buf = Vec::with_capacity(256);
    let warm = allocs_per_run(1000, || {
        buf.clear();
        perfkit::json::write_to(&mut buf, &item);
    });
    let mut sbuf = Vec::with_capacity(256);
    let serde_warm = allocs_per_run(1000, || {
        sbuf.clear();
        serde_json::to_writer(&mut sbuf, &item).unwrap();
    });
    let cold = allocs_per_run(1000, || drop(black_box(perfkit::json::to_vec(&item))));
    println!(
        "allocs per encode: write_to warm buffer {warm:.2}, to_vec {cold:.2} (serde_json::to_writer warm: {serde_warm:.2})"
    );
}
