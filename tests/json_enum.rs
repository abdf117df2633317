//! Every enum representation (external, internal `tag`, adjacent `tag` + `content`,
//! `untagged`) and `rename_all` on variants encode exactly as serde_json, compact and pretty.

use std::collections::BTreeMap;

use perfkit::FastJson;
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

#[derive(FastJson, Serialize)]
struct Inner {
    a: u8,
    b: Vec<u8>,
}

#[derive(FastJson, Serialize)]
enum External {
    Unit,
    Newtype(Inner),
    NewtypeScalar(i64),
    Tuple(u8, String),
    EmptyTuple(),
    Struct {
        x: f64,
        #[json(rename = "Y")]
        #[serde(rename = "Y")]
        y: Option<bool>,
    },
    EmptyStruct {},
    #[json(rename = "re named")]
    #[serde(rename = "re named")]
    Renamed,
}

#[test]
fn externally_tagged() {
    assert_eq!(same(&External::Unit), r#""Unit""#);
    assert_eq!(
        same(&External::Newtype(Inner { a: 1, b: vec![2] })),
        r#"{"Newtype":{"a":1,"b":[2]}}"#
    );
    assert_eq!(
        same(&External::NewtypeScalar(-3)),
        r#"{"NewtypeScalar":-3}"#
    );
    assert_eq!(
        same(&External::Tuple(4, "t".into())),
        r#"{"Tuple":[4,"t"]}"#
    );
    assert_eq!(same(&External::EmptyTuple()), r#"{"EmptyTuple":[]}"#);
    assert_eq!(
        same(&External::Struct { x: 0.5, y: None }),
        r#"{"Struct":{"x":0.5,"Y":null}}"#
    );
    assert_eq!(same(&External::EmptyStruct {}), r#"{"EmptyStruct":{}}"#);
    assert_eq!(same(&External::Renamed), r#""re named""#);
    same(&vec![
        External::Unit,
        External::EmptyStruct {},
        External::Tuple(0, String::new()),
    ]);
}

#[derive(FastJson, Serialize)]
#[json(tag = "type")]
#[serde(tag = "type")]
enum Internal {
    Unit,
    Newtype(Inner),
    NewtypeMap(BTreeMap<String, u8>),
    NewtypeOption(Option<Inner>),
    Struct {
        x: i8,
        #[json(skip)]
        #[serde(skip)]
        #[allow(dead_code)]
        hidden: u8,
    },
    EmptyStruct {},
}

#[test]
fn internally_tagged() {
    assert_eq!(same(&Internal::Unit), r#"{"type":"Unit"}"#);
    assert_eq!(
        same(&Internal::Newtype(Inner { a: 1, b: vec![] })),
        r#"{"type":"Newtype","a":1,"b":[]}"#
    );
    let map = BTreeMap::from([("k".to_string(), 1), ("l".to_string(), 2)]);
    assert_eq!(
        same(&Internal::NewtypeMap(map)),
        r#"{"type":"NewtypeMap","k":1,"l":2}"#
    );
    assert_eq!(
        same(&Internal::NewtypeMap(BTreeMap::new())),
        r#"{"type":"NewtypeMap"}"#
    );
    assert_eq!(
        same(&Internal::Struct { x: -1, hidden: 0 }),
        r#"{"type":"Struct","x":-1}"#
    );
    assert_eq!(same(&Internal::EmptyStruct {}), r#"{"type":"EmptyStruct"}"#);
    // serde refuses an `Option` payload here (a run-time error); FastJson writes its members
    // when `Some` and the tag alone when `None`, as it does for a flattened `Option`.
    assert_eq!(
        perfkit::json::to_string(&Internal::NewtypeOption(None)),
        r#"{"type":"NewtypeOption"}"#
    );
    let some = Internal::NewtypeOption(Some(Inner {
        a: 2,
        b: vec![3, 4],
    }));
    assert_eq!(
        perfkit::json::to_string(&some),
        r#"{"type":"NewtypeOption","a":2,"b":[3,4]}"#
    );
}

#[derive(FastJson, Serialize)]
#[json(tag = "t", content = "c")]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Unit,
    Newtype(Inner),
    Tuple(u8, u8),
    Struct { x: u8 },
}

#[test]
fn adjacently_tagged() {
    assert_eq!(same(&Adjacent::Unit), r#"{"t":"Unit"}"#);
    assert_eq!(
        same(&Adjacent::Newtype(Inner { a: 1, b: vec![] })),
        r#"{"t":"Newtype","c":{"a":1,"b":[]}}"#
    );
    assert_eq!(same(&Adjacent::Tuple(1, 2)), r#"{"t":"Tuple","c":[1,2]}"#);
    assert_eq!(
        same(&Adjacent::Struct { x: 9 }),
        r#"{"t":"Struct","c":{"x":9}}"#
    );
}

#[derive(FastJson, Serialize)]
#[json(untagged)]
#[serde(untagged)]
enum Untagged {
    Unit,
    Newtype(String),
    Tuple(u8, bool),
    Struct { x: u8 },
}

#[test]
fn untagged() {
    assert_eq!(same(&Untagged::Unit), "null");
    assert_eq!(same(&Untagged::Newtype("s".into())), r#""s""#);
    assert_eq!(same(&Untagged::Tuple(1, true)), "[1,true]");
    assert_eq!(same(&Untagged::Struct { x: 2 }), r#"{"x":2}"#);
}

#[derive(FastJson, Serialize)]
#[json(rename_all = "snake_case", rename_all_fields = "camelCase")]
#[serde(rename_all = "snake_case", rename_all_fields = "camelCase")]
enum Cases {
    FirstVariant {
        field_one: u8,
    },
    #[json(rename_all = "SCREAMING-KEBAB-CASE")]
    #[serde(rename_all = "SCREAMING-KEBAB-CASE")]
    SecondVariant {
        field_two: u8,
    },
    HTTPServer,
}

#[test]
fn rename_all_on_variants_and_their_fields() {
    assert_eq!(
        same(&Cases::FirstVariant { field_one: 1 }),
        r#"{"first_variant":{"fieldOne":1}}"#
    );
    assert_eq!(
        same(&Cases::SecondVariant { field_two: 2 }),
        r#"{"second_variant":{"FIELD-TWO":2}}"#
    );
    assert_eq!(same(&Cases::HTTPServer), r#""h_t_t_p_server""#);
}

macro_rules! variant_case {
    ($name:ident, $rule:literal, $expected:literal) => {
        #[derive(FastJson, Serialize)]
        #[json(rename_all = $rule)]
        #[serde(rename_all = $rule)]
        enum $name {
            VeryTasty,
            A,
        }
        assert_eq!(same(&[$name::VeryTasty, $name::A]), $expected);
    };
}

#[test]
fn rename_all_on_variants_follows_serde_for_all_eight_rules() {
    variant_case!(Lower, "lowercase", r#"["verytasty","a"]"#);
    variant_case!(Upper, "UPPERCASE", r#"["VERYTASTY","A"]"#);
    variant_case!(Pascal, "PascalCase", r#"["VeryTasty","A"]"#);
    variant_case!(Camel, "camelCase", r#"["veryTasty","a"]"#);
    variant_case!(Snake, "snake_case", r#"["very_tasty","a"]"#);
    variant_case!(
        ScreamingSnake,
        "SCREAMING_SNAKE_CASE",
        r#"["VERY_TASTY","A"]"#
    );
    variant_case!(Kebab, "kebab-case", r#"["very-tasty","a"]"#);
    variant_case!(
        ScreamingKebab,
        "SCREAMING-KEBAB-CASE",
        r#"["VERY-TASTY","A"]"#
    );
}

#[derive(FastJson, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Color {
    Red,
    #[json(rename = "GREEN")]
    #[serde(rename = "GREEN")]
    Green,
}

#[test]
fn unit_enums_are_map_keys() {
    let m = BTreeMap::from([(Color::Red, 1), (Color::Green, 2)]);
    assert_eq!(same(&m), r#"{"Red":1,"GREEN":2}"#);
}

#[derive(FastJson, Serialize)]
enum Never {}

#[test]
fn empty_enum_compiles_and_is_bounded() {
    assert_eq!(<Never as FastJson>::MAX_LEN, Some(0));
    assert_eq!(<Color as FastJson>::MAX_LEN, Some(7));
}
