//! Allocation counts: `write_to` into a warm buffer allocates nothing, for every shape;
//! `to_vec` allocates exactly once (the result); `to_writer` allocates nothing once warm.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use perfkit::FastJson;
use perfkit::alloc::{allocs_per_run, measure};
use perfkit::json::{self, Options, RawJson};

#[derive(FastJson)]
struct Small {
    id: u32,
    ok: bool,
    ratio: f64,
    ch: char,
}

#[derive(FastJson)]
#[json(rename_all = "camelCase")]
struct Meta {
    created_at: u64,
    #[json(skip_if = "Option::is_none")]
    author: Option<String>,
}

#[derive(FastJson)]
enum Kind {
    Plain,
    Sized(u32, u32),
    Named { label: String },
}

#[derive(FastJson)]
#[json(tag = "type")]
enum Event {
    Click { x: i32, y: i32 },
    Meta(Meta),
}

#[derive(FastJson)]
#[json(tag = "t", content = "c")]
enum Adjacent {
    A(Vec<u8>),
}

#[derive(FastJson)]
#[json(untagged)]
enum Loose {
    Num(f64),
    Text(String),
}

#[derive(FastJson)]
struct Doc {
    title: String,
    body: String,
    tags: Vec<String>,
    small: Vec<Small>,
    #[json(flatten)]
    meta: Meta,
    kinds: Vec<Kind>,
    events: Vec<Event>,
    adjacent: Adjacent,
    loose: [Loose; 2],
    counts: BTreeMap<u32, i64>,
    index: HashMap<String, Vec<Option<f32>>>,
    shared: Arc<str>,
    raw: RawJson,
    #[json(as_string)]
    big: u128,
    #[json(as_string)]
    quoted_text: String,
    #[json(omit_empty)]
    nothing: Vec<u8>,
}

fn doc() -> Doc {
    Doc {
        title: "A \"title\" with <html> & escapes\n".into(),
        body: "lorem ipsum dolor sit amet, ünïcödé 😀 ".repeat(20),
        tags: (0..10).map(|i| format!("tag{i}")).collect(),
        small: (0..10)
            .map(|i| Small {
                id: i,
                ok: i % 2 == 0,
                ratio: f64::from(i) / 7.0,
                ch: 'x',
            })
            .collect(),
        meta: Meta {
            created_at: 1_700_000_000,
            author: Some("ann".into()),
        },
        kinds: vec![
            Kind::Plain,
            Kind::Sized(1, 2),
            Kind::Named { label: "n".into() },
        ],
        events: vec![
            Event::Click { x: 1, y: -1 },
            Event::Meta(Meta {
                created_at: 0,
                author: None,
            }),
        ],
        adjacent: Adjacent::A(vec![1, 2, 3]),
        loose: [Loose::Num(f64::NAN), Loose::Text("t".into())],
        counts: (0..5).map(|i| (i, -i64::from(i))).collect(),
        index: (0..5)
            .map(|i| (format!("k{i}"), vec![Some(i as f32), None]))
            .collect(),
        shared: Arc::from("shared"),
        raw: RawJson::new(r#"{"pre":[1,2]}"#).unwrap(),
        big: u128::MAX,
        quoted_text: "in \"quotes\"\n".into(),
        nothing: vec![],
    }
}

#[test]
fn write_to_a_warm_buffer_allocates_nothing() {
    let d = doc();
    let mut buf = Vec::with_capacity(1 << 16);
    let per_run = allocs_per_run(50, || {
        buf.clear();
        json::write_to(&mut buf, &d);
    });
    assert_eq!(per_run, 0.0, "compact");
    let pretty = Options::new().pretty(true);
    let html = Options::new().html_safe(true);
    for opts in [pretty, html] {
        let per_run = allocs_per_run(50, || {
            buf.clear();
            opts.write_to(&mut buf, &d);
        });
        assert_eq!(per_run, 0.0, "{opts:?}");
    }
    assert!(!buf.is_empty());
}

#[test]
fn write_to_each_shape_allocates_nothing() {
    let d = doc();
    let mut buf = Vec::with_capacity(1 << 16);
    macro_rules! zero {
        ($($e:expr),* $(,)?) => {$(
            let v = &$e;
            let per_run = allocs_per_run(20, || {
                buf.clear();
                json::write_to(&mut buf, v);
            });
            assert_eq!(per_run, 0.0, "{}", stringify!($e));
        )*};
    }
    zero!(
        d.small[0],
        d.meta,
        d.kinds,
        d.events,
        d.adjacent,
        d.loose,
        d.counts,
        d.index,
        d.raw,
        d.title,
        d.body,
        1.5e300f64,
        -7i128,
        u64::MAX,
        'é',
        (1u8, "two", [3.0f32]),
        Some(Some(1u8)),
        None::<String>,
    );
}

#[test]
fn to_vec_of_a_bounded_type_allocates_once_even_cold() {
    let s = Small {
        id: u32::MAX,
        ok: false,
        ratio: -1e-300,
        ch: '\u{1}',
    };
    let (out, stats) = measure(|| json::to_vec(&s));
    assert_eq!(stats.total_allocs(), 1, "{stats:?}");
    assert!(out.capacity() >= out.len());
    assert_eq!(
        out,
        br#"{"id":4294967295,"ok":false,"ratio":-1e-300,"ch":"\u0001"}"#
    );
}

#[test]
fn to_vec_allocates_once_when_warm() {
    let d = doc();
    let per_run = allocs_per_run(20, || drop(json::to_vec(&d)));
    assert_eq!(per_run, 1.0);
    let per_run = allocs_per_run(20, || drop(json::to_string_pretty(&d)));
    assert_eq!(per_run, 1.0);
    let out = json::to_vec(&d);
    assert_eq!(out.capacity(), out.len(), "the result is exactly sized");
}

#[test]
fn to_writer_allocates_nothing_when_warm() {
    let d = doc();
    let mut sink = Vec::with_capacity(1 << 20);
    let per_run = allocs_per_run(20, || {
        sink.clear();
        json::to_writer(&mut sink, &d).unwrap();
    });
    assert_eq!(per_run, 0.0);
    assert_eq!(sink, json::to_vec(&d));
}
