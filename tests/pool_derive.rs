//! `#[derive(Poolable)]`: what each kind of field becomes on reset, and what `retain` says.

use std::collections::{BTreeMap, HashMap, VecDeque};

use perfkit::pool::Capacity;
use perfkit::{Pool, Poolable};

#[derive(Poolable, Default, Debug)]
struct Headers {
    names: Vec<String>,
    count: usize,
}

fn reset_to_seven(v: &mut u32) {
    *v = 7;
}

#[derive(Poolable, Default, Debug)]
struct Request {
    path: String,
    body: Vec<u8>,
    queue: VecDeque<u32>,
    params: HashMap<String, String>,
    sorted: BTreeMap<u32, u32>,
    status: u16,
    ok: bool,
    ratio: f64,
    etag: Option<String>,
    headers: Headers,
    boxed: Box<Headers>,
    pair: (u8, String),
    grid: [u32; 3],
    #[poolable(skip)]
    served: u64,
    #[poolable(reset_with = reset_to_seven)]
    retries: u32,
    #[poolable(max_capacity = 128)]
    scratch: Vec<u16>,
}

fn dirty() -> Request {
    let mut r = Request {
        path: String::with_capacity(64),
        body: Vec::with_capacity(256),
        ..Request::default()
    };
    r.path.push_str("/a");
    r.body.extend_from_slice(b"xyz");
    r.queue.push_back(1);
    r.params.insert("k".into(), "v".into());
    r.sorted.insert(1, 2);
    r.status = 404;
    r.ok = true;
    r.ratio = 0.5;
    r.etag = Some("x".into());
    r.headers.names.push("Host".into());
    r.headers.count = 1;
    r.boxed.count = 9;
    r.pair = (3, "p".into());
    r.grid = [1, 2, 3];
    r.served = 41;
    r.retries = 2;
    r.scratch.push(1);
    r
}

#[test]
fn reset_clears_collections_keeping_capacity_and_defaults_scalars() {
    let mut r = dirty();
    let (path_ptr, body_cap) = (r.path.as_ptr(), r.body.capacity());
    r.reset();
    assert!(r.path.is_empty() && r.body.is_empty() && r.queue.is_empty());
    assert!(r.params.is_empty() && r.sorted.is_empty());
    assert_eq!(r.path.as_ptr(), path_ptr, "same allocation kept");
    assert_eq!(r.body.capacity(), body_cap);
    assert!(r.params.capacity() >= 1);
    assert_eq!((r.status, r.ok, r.ratio), (0, false, 0.0));
    assert_eq!(r.etag, None);
    assert!(r.headers.names.is_empty() && r.headers.names.capacity() >= 1);
    assert_eq!(
        r.headers.count, 0,
        "nested Poolable struct reset field by field"
    );
    assert_eq!(r.boxed.count, 0, "Box resets what it holds");
    assert_eq!(r.pair, (0, String::new()));
    assert_eq!(r.grid, [0; 3]);
    assert_eq!(r.served, 41, "skipped field kept");
    assert_eq!(r.retries, 7, "reset_with called");
    assert!(r.scratch.is_empty());
    assert!(r.retain());
}

#[test]
fn retain_follows_max_capacity_and_field_guards() {
    let mut r = dirty();
    r.scratch.reserve_exact(1000);
    r.reset();
    assert!(r.scratch.capacity() > 128);
    assert!(!r.retain(), "max_capacity = 128 exceeded");

    let mut r = dirty();
    r.body.reserve(1 << 20);
    r.reset();
    assert!(!r.retain(), "a field's own size guard (64 KiB) applies");

    let pool = Pool::new(Request::default);
    let mut g = pool.get();
    g.scratch.reserve_exact(129);
    drop(g);
    assert_eq!(pool.stats().dropped, 1);
}

#[derive(Poolable)]
struct Generic<T, U: Clone> {
    items: Vec<T>,
    value: U,
    #[poolable(skip)]
    tag: &'static str,
}

#[test]
fn generics_get_inferred_bounds() {
    // `Vec<T>` is Poolable for any `T`: no bound on `T`, so a non-Poolable `T` works.
    struct NotPoolable;
    let mut g = Generic {
        items: vec![NotPoolable],
        value: 5u8,
        tag: "t",
    };
    g.reset();
    assert!(g.items.is_empty());
    assert_eq!((g.value, g.tag), (0, "t"));
}

#[derive(Poolable)]
#[poolable(bound = "T: Default")]
struct Explicit<T> {
    #[poolable(reset_with = reset_default)]
    value: T,
}

fn reset_default<T: Default>(v: &mut T) {
    *v = T::default();
}

#[test]
fn explicit_bound_replaces_inferred_ones() {
    let mut e = Explicit {
        value: String::from("x"),
    };
    e.reset();
    assert!(e.value.is_empty());
}

#[derive(Poolable)]
struct Tuple(Vec<u8>, #[poolable(skip)] u8, u32);

#[derive(Poolable)]
struct Unit;

#[test]
fn tuple_and_unit_structs() {
    let mut t = Tuple(vec![1], 2, 3);
    t.reset();
    assert_eq!((t.0.len(), t.1, t.2), (0, 2, 0));
    Unit.reset();
    assert!(Unit.retain());
}

#[derive(Poolable, Default, Debug, PartialEq)]
enum State {
    #[default]
    Idle,
    Busy(Vec<u8>),
}

#[test]
fn enums_reset_to_their_default() {
    let mut s = State::Busy(vec![1]);
    s.reset();
    assert_eq!(s, State::Idle);
}

#[test]
fn capacity_trait_reports_the_collection_capacity() {
    let v: Vec<u8> = Vec::with_capacity(10);
    assert_eq!(Capacity::capacity(&v), v.capacity());
    let s = String::with_capacity(20);
    assert_eq!(Capacity::capacity(&s), s.capacity());
}
