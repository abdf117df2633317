//! Field and container attributes: `skip_if`, `omit_empty`, `flatten`, `transparent`, `with`,
//! `as_string`, `crate`, `bound`, generics. Compared with serde_json where serde has the same
//! attribute, with the expected bytes where it has none.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use perfkit::FastJson;
use perfkit::json::JsonWriter;
use serde::Serialize;

fn same<T: FastJson + Serialize>(v: &T) -> String {
    let ours = perfkit::json::to_string(v);
    assert_eq!(ours, serde_json::to_string(v).unwrap(), "compact");
    assert_eq!(
        perfkit::json::to_string_pretty(v),
        serde_json::to_string_pretty(v).unwrap(),
        "pretty"
    );
    ours
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

fn empty_str(v: &str) -> bool {
    v.is_empty()
}

#[derive(FastJson, Serialize)]
struct Conditional {
    #[json(skip_if = "is_zero")]
    #[serde(skip_serializing_if = "is_zero")]
    first: u32,
    #[json(skip_if = "Option::is_none")]
    #[serde(skip_serializing_if = "Option::is_none")]
    second: Option<String>,
    always: bool,
    #[json(omit_empty)]
    #[serde(skip_serializing_if = "empty_str")]
    last: String,
}

#[test]
fn skip_if_leaves_fields_out_with_correct_commas() {
    for first in [0, 1] {
        for second in [None, Some("s".to_string())] {
            for last in ["", "l"] {
                let v = Conditional {
                    first,
                    second: second.clone(),
                    always: true,
                    last: last.into(),
                };
                same(&v);
            }
        }
    }
    let v = Conditional {
        first: 0,
        second: None,
        always: false,
        last: String::new(),
    };
    assert_eq!(same(&v), r#"{"always":false}"#);
}

#[derive(FastJson, Serialize)]
struct OnlyOptional {
    #[json(skip_if = "Option::is_none")]
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<u8>,
    #[json(skip_if = "Option::is_none")]
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<u8>,
}

#[test]
fn all_fields_skipped_gives_an_empty_object() {
    assert_eq!(same(&OnlyOptional { a: None, b: None }), "{}");
    assert_eq!(
        same(&OnlyOptional {
            a: None,
            b: Some(2)
        }),
        r#"{"b":2}"#
    );
    assert_eq!(
        same(&OnlyOptional {
            a: Some(1),
            b: None
        }),
        r#"{"a":1}"#
    );
    assert_eq!(
        same(&OnlyOptional {
            a: Some(1),
            b: Some(2)
        }),
        r#"{"a":1,"b":2}"#
    );
}

#[derive(FastJson)]
struct GoOmitEmpty<'a> {
    #[json(omit_empty)]
    none: Option<u8>,
    #[json(omit_empty)]
    zero: i64,
    #[json(omit_empty)]
    zero_f: f64,
    #[json(omit_empty)]
    no: bool,
    #[json(omit_empty)]
    text: &'a str,
    #[json(omit_empty)]
    cow: Cow<'a, str>,
    #[json(omit_empty)]
    list: Vec<u8>,
    #[json(omit_empty)]
    map: HashMap<String, u8>,
    #[json(omit_empty)]
    arr: [u8; 0],
    #[json(omit_empty)]
    some_zero: Option<u8>,
}

#[test]
fn omit_empty_follows_go() {
    let empty = GoOmitEmpty {
        none: None,
        zero: 0,
        zero_f: -0.0,
        no: false,
        text: "",
        cow: Cow::Borrowed(""),
        list: vec![],
        map: HashMap::new(),
        arr: [],
        some_zero: Some(0),
    };
    // Go: a non-nil pointer to zero is not empty; neither is `Some(0)`.
    assert_eq!(perfkit::json::to_string(&empty), r#"{"some_zero":0}"#);
    let full = GoOmitEmpty {
        none: Some(1),
        zero: 2,
        zero_f: 0.5,
        no: true,
        text: "t",
        cow: Cow::Owned("c".into()),
        list: vec![3],
        map: HashMap::from([("k".into(), 4)]),
        arr: [],
        some_zero: None,
    };
    assert_eq!(
        perfkit::json::to_string(&full),
        r#"{"none":1,"zero":2,"zero_f":0.5,"no":true,"text":"t","cow":"c","list":[3],"map":{"k":4}}"#
    );
}

#[derive(FastJson, Serialize)]
struct Meta {
    created: u64,
    #[json(skip_if = "Option::is_none")]
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
}

#[derive(FastJson, Serialize)]
struct Doc {
    #[json(flatten)]
    #[serde(flatten)]
    lead: Meta,
    id: u32,
    #[json(flatten)]
    #[serde(flatten)]
    meta: Option<Meta>,
    #[json(flatten)]
    #[serde(flatten)]
    extra: BTreeMap<String, i32>,
}

#[test]
fn flatten_structs_options_and_maps() {
    let d = Doc {
        lead: Meta {
            created: 1,
            author: None,
        },
        id: 7,
        meta: Some(Meta {
            created: 2,
            author: Some("x".into()),
        }),
        extra: BTreeMap::from([("z".into(), -1)]),
    };
    assert_eq!(
        same(&d),
        r#"{"created":1,"id":7,"created":2,"author":"x","z":-1}"#
    );
    let d = Doc {
        lead: Meta {
            created: 1,
            author: None,
        },
        id: 7,
        meta: None,
        extra: BTreeMap::new(),
    };
    assert_eq!(same(&d), r#"{"created":1,"id":7}"#);
}

#[derive(FastJson, Serialize)]
struct OnlyFlatten {
    #[json(flatten)]
    #[serde(flatten)]
    extra: BTreeMap<String, i32>,
}

#[test]
fn flatten_of_an_empty_map_alone_is_an_empty_object() {
    assert_eq!(
        same(&OnlyFlatten {
            extra: BTreeMap::new()
        }),
        "{}"
    );
    assert_eq!(
        same(&OnlyFlatten {
            extra: BTreeMap::from([("a".into(), 1)])
        }),
        r#"{"a":1}"#
    );
}

#[derive(FastJson, Serialize)]
#[json(transparent)]
#[serde(transparent)]
struct UserId {
    id: u64,
    #[json(skip)]
    #[serde(skip)]
    #[allow(dead_code)]
    cache: Option<String>,
}

#[derive(FastJson, Serialize)]
#[json(transparent)]
#[serde(transparent)]
struct Wrapper<T>(T);

#[derive(FastJson, Serialize)]
struct UsesTransparent {
    #[json(omit_empty)]
    #[serde(skip_serializing_if = "no_ids")]
    ids: Wrapper<Vec<UserId>>,
}

fn no_ids(w: &Wrapper<Vec<UserId>>) -> bool {
    w.0.is_empty()
}

#[test]
fn transparent_writes_the_single_field() {
    assert_eq!(same(&UserId { id: 5, cache: None }), "5");
    assert_eq!(same(&Wrapper("w")), r#""w""#);
    let v = UsesTransparent {
        ids: Wrapper(vec![UserId { id: 1, cache: None }]),
    };
    assert_eq!(same(&v), r#"{"ids":[1]}"#);
    assert_eq!(
        perfkit::json::to_string(&UsesTransparent {
            ids: Wrapper(vec![])
        }),
        "{}"
    );
    assert_eq!(<UserId as FastJson>::MAX_LEN, Some(20));
}

fn hex(v: &u32, w: &mut JsonWriter<'_>) {
    w.string(&format!("{v:#x}"));
}

fn upper(v: &str, w: &mut JsonWriter<'_>) {
    w.string(&v.to_uppercase());
}

#[derive(FastJson)]
struct With {
    #[json(with = "hex")]
    color: u32,
    #[json(with = "upper")]
    name: &'static str,
}

#[test]
fn with_calls_the_function() {
    let v = With {
        color: 0xff00,
        name: "abc",
    };
    assert_eq!(
        perfkit::json::to_string(&v),
        r#"{"color":"0xff00","name":"ABC"}"#
    );
    assert_eq!(
        perfkit::json::to_string_pretty(&v),
        "{\n  \"color\": \"0xff00\",\n  \"name\": \"ABC\"\n}"
    );
}

#[derive(FastJson)]
struct AsString {
    #[json(as_string)]
    id: u64,
    #[json(as_string)]
    neg: i8,
    #[json(as_string)]
    ratio: f64,
    #[json(as_string)]
    on: bool,
    #[json(as_string)]
    text: String,
    #[json(as_string)]
    missing: Option<u32>,
    #[json(as_string)]
    present: Option<u32>,
}

#[test]
fn as_string_follows_go() {
    let v = AsString {
        id: u64::MAX,
        neg: -8,
        ratio: 1e21,
        on: true,
        text: "a\"b".into(),
        missing: None,
        present: Some(3),
    };
    assert_eq!(
        perfkit::json::to_string(&v),
        r#"{"id":"18446744073709551615","neg":"-8","ratio":"1e+21","on":"true","text":"\"a\\\"b\"","missing":null,"present":"3"}"#
    );
}

#[derive(FastJson)]
struct Generic<'a, T, U: Clone, const N: usize> {
    items: Vec<T>,
    #[json(skip)]
    #[allow(dead_code)]
    phantom: std::marker::PhantomData<U>,
    fixed: [u8; N],
    borrowed: &'a str,
}

#[test]
fn generics_get_inferred_bounds() {
    #[derive(Clone)]
    struct NotJson;
    let g: Generic<'_, (i8, bool), NotJson, 2> = Generic {
        items: vec![(1, true)],
        phantom: std::marker::PhantomData,
        fixed: [1, 2],
        borrowed: "b",
    };
    let _ = NotJson;
    assert_eq!(
        perfkit::json::to_string(&g),
        r#"{"items":[[1,true]],"fixed":[1,2],"borrowed":"b"}"#
    );
}

trait Backend {
    type Id;
}
struct Pg;
impl Backend for Pg {
    type Id = u32;
}

#[derive(FastJson)]
#[json(bound = "B::Id: ::perfkit::FastJson")]
struct Row<B: Backend> {
    id: B::Id,
}

#[derive(FastJson)]
struct FieldBound<B: Backend> {
    #[json(bound = "B::Id: ::perfkit::FastJson")]
    id: B::Id,
    n: u8,
}

#[test]
fn bound_replaces_the_inferred_bounds() {
    assert_eq!(
        perfkit::json::to_string(&Row::<Pg> { id: 4 }),
        r#"{"id":4}"#
    );
    assert_eq!(
        perfkit::json::to_string(&FieldBound::<Pg> { id: 5, n: 6 }),
        r#"{"id":5,"n":6}"#
    );
}

mod renamed_crate {
    use ::perfkit as pk;

    #[derive(pk::FastJson)]
    #[json(crate = "pk")]
    pub struct Point {
        pub x: i8,
    }
}

#[test]
fn crate_attribute_changes_the_runtime_path() {
    assert_eq!(
        perfkit::json::to_string(&renamed_crate::Point { x: 1 }),
        r#"{"x":1}"#
    );
}
