//! Derived structs (named, tuple, newtype, unit) encode exactly as serde_json, compact and
//! pretty, with `rename`, `skip` and `rename_all`.

use perfkit::FastJson;
use serde::Serialize;

/// Our compact and pretty output against serde_json's; returns the compact text.
fn same<T: FastJson + Serialize>(v: &T) -> String {
    let ours = perfkit::json::to_string(v);
    assert_eq!(ours, serde_json::to_string(v).unwrap(), "compact");
    assert_eq!(
        perfkit::json::to_string_pretty(v),
        serde_json::to_string_pretty(v).unwrap(),
        "pretty"
    );
    assert_eq!(
        perfkit::json::to_vec(v),
        serde_json::to_vec(v).unwrap(),
        "to_vec"
    );
    ours
}

#[derive(FastJson, Serialize)]
struct Item {
    id: u64,
    name: String,
    price: f64,
    tags: Vec<String>,
    parent: Option<Box<Item>>,
}

#[test]
fn named_struct_nested() {
    let leaf = Item {
        id: 1,
        name: "leaf \"quoted\"\n".into(),
        price: 1e16,
        tags: vec![],
        parent: None,
    };
    let root = Item {
        id: u64::MAX,
        name: "root é 😀".into(),
        price: -0.0,
        tags: vec!["a".into(), "b\\c".into()],
        parent: Some(Box::new(leaf)),
    };
    assert_eq!(
        same(&root),
        r#"{"id":18446744073709551615,"name":"root é 😀","price":-0.0,"tags":["a","b\\c"],"parent":{"id":1,"name":"leaf \"quoted\"\n","price":1e+16,"tags":[],"parent":null}}"#
    );
}

#[derive(FastJson, Serialize)]
struct Renamed {
    #[json(rename = "type")]
    #[serde(rename = "type")]
    kind: u8,
    #[json(skip)]
    #[serde(skip)]
    #[allow(dead_code)]
    secret: String,
    #[json(rename = "needs \"escaping\" <&>")]
    #[serde(rename = "needs \"escaping\" <&>")]
    odd: bool,
    r#loop: i8,
}

#[test]
fn rename_skip_and_raw_identifiers() {
    let v = Renamed {
        kind: 3,
        secret: "hidden".into(),
        odd: true,
        r#loop: -1,
    };
    assert_eq!(
        same(&v),
        r#"{"type":3,"needs \"escaping\" <&>":true,"loop":-1}"#
    );
    let html = perfkit::json::Options::new().html_safe(true).to_string(&v);
    assert_eq!(
        html,
        r#"{"type":3,"needs \"escaping\" \u003c\u0026\u003e":true,"loop":-1}"#
    );
}

#[derive(FastJson, Serialize)]
struct Empty {}

#[derive(FastJson, Serialize)]
struct Unit;

#[derive(FastJson, Serialize)]
struct Newtype(String);

#[derive(FastJson, Serialize)]
struct Pair(
    i32,
    #[json(skip)]
    #[serde(skip)]
    #[allow(dead_code)]
    u8,
    Option<&'static str>,
);

#[derive(FastJson, Serialize)]
struct NoFields();

#[derive(FastJson, Serialize)]
struct AllSkipped {
    #[json(skip)]
    #[serde(skip)]
    #[allow(dead_code)]
    a: u8,
}

#[test]
fn struct_shapes() {
    assert_eq!(same(&Empty {}), "{}");
    assert_eq!(same(&AllSkipped { a: 1 }), "{}");
    assert_eq!(same(&Unit), "null");
    assert_eq!(same(&Newtype("x".into())), r#""x""#);
    assert_eq!(same(&Pair(-5, 9, Some("y"))), r#"[-5,"y"]"#);
    assert_eq!(same(&NoFields()), "[]");
    assert_eq!(
        same(&vec![Pair(1, 0, None), Pair(2, 0, None)]),
        "[[1,null],[2,null]]"
    );
    assert_eq!(same(&vec![Empty {}, Empty {}]), "[{},{}]");
}

macro_rules! rename_all_case {
    ($name:ident, $rule:literal, $expected:literal) => {
        #[derive(FastJson, Serialize)]
        #[json(rename_all = $rule)]
        #[serde(rename_all = $rule)]
        struct $name {
            user_id: u8,
            very_long_name2: u8,
            a: u8,
            #[json(rename = "Kept")]
            #[serde(rename = "Kept")]
            kept_as_is: u8,
        }
        assert_eq!(
            same(&$name {
                user_id: 1,
                very_long_name2: 2,
                a: 3,
                kept_as_is: 4
            }),
            $expected
        );
    };
}

#[test]
fn rename_all_on_fields_follows_serde_for_all_eight_rules() {
    rename_all_case!(
        Lower,
        "lowercase",
        r#"{"user_id":1,"very_long_name2":2,"a":3,"Kept":4}"#
    );
    rename_all_case!(
        Upper,
        "UPPERCASE",
        r#"{"USER_ID":1,"VERY_LONG_NAME2":2,"A":3,"Kept":4}"#
    );
    rename_all_case!(
        Pascal,
        "PascalCase",
        r#"{"UserId":1,"VeryLongName2":2,"A":3,"Kept":4}"#
    );
    rename_all_case!(
        Camel,
        "camelCase",
        r#"{"userId":1,"veryLongName2":2,"a":3,"Kept":4}"#
    );
    rename_all_case!(
        Snake,
        "snake_case",
        r#"{"user_id":1,"very_long_name2":2,"a":3,"Kept":4}"#
    );
    rename_all_case!(
        ScreamingSnake,
        "SCREAMING_SNAKE_CASE",
        r#"{"USER_ID":1,"VERY_LONG_NAME2":2,"A":3,"Kept":4}"#
    );
    rename_all_case!(
        Kebab,
        "kebab-case",
        r#"{"user-id":1,"very-long-name2":2,"a":3,"Kept":4}"#
    );
    rename_all_case!(
        ScreamingKebab,
        "SCREAMING-KEBAB-CASE",
        r#"{"USER-ID":1,"VERY-LONG-NAME2":2,"A":3,"Kept":4}"#
    );
}

#[derive(FastJson, Serialize)]
#[json(tag = "kind", rename = "point")]
#[serde(tag = "kind", rename = "point")]
struct Tagged {
    x: i32,
}

#[test]
fn struct_tag_names_the_struct() {
    assert_eq!(same(&Tagged { x: 2 }), r#"{"kind":"point","x":2}"#);
}

#[derive(FastJson, Serialize)]
struct Bounded {
    a: u8,
    b: (bool, char),
    c: [i16; 3],
    d: Option<f32>,
}

#[test]
fn static_size_bound_is_an_upper_bound() {
    let max = <Bounded as FastJson>::MAX_LEN.expect("all fields bounded");
    let v = Bounded {
        a: 255,
        b: (false, '\u{1f}'),
        c: [i16::MIN; 3],
        d: Some(-1.1754944e-38),
    };
    let out = same(&v);
    assert!(out.len() <= max, "{} > {max}", out.len());
    assert_eq!(<Item as FastJson>::MAX_LEN, None);
}
