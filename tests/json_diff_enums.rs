//! Differential test: every enum representation (externally tagged, internally tagged,
//! adjacently tagged, untagged) with unit, newtype, tuple and struct variants, with `rename`
//! and `rename_all` on variants, encodes exactly as serde_json encodes it.

use std::collections::BTreeMap;

use perfkit::FastJson;
use proptest::prelude::*;
use serde::Serialize;

#[allow(dead_code)]
#[path = "support/json_diff.rs"]
mod json_diff;

use json_diff::*;

#[derive(Debug, Clone, Serialize, FastJson)]
struct Inner {
    id: i64,
    name: String,
}

/// Externally tagged (the default).
#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(rename_all = "snake_case")]
#[json(rename_all = "snake_case")]
enum External {
    Unit,
    Newtype(String),
    Tuple(i32, f64, Option<String>),
    Struct {
        x: f64,
        label: String,
    },
    #[serde(rename = "re\"named")]
    #[json(rename = "re\"named")]
    Renamed(Inner),
    EmptyTuple(),
    EmptyStruct {},
}

/// Internally tagged: no tuple variants (serde rejects them at run time, FastJson at compile
/// time).
#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(tag = "type")]
#[json(tag = "type")]
enum Internal {
    Unit,
    Newtype(Inner),
    Struct {
        x: f64,
        label: String,
    },
    #[serde(rename = "kebab-named")]
    #[json(rename = "kebab-named")]
    Renamed {
        values: Vec<u8>,
    },
}

/// Adjacently tagged.
#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(tag = "t", content = "c", rename_all = "SCREAMING-KEBAB-CASE")]
#[json(tag = "t", content = "c", rename_all = "SCREAMING-KEBAB-CASE")]
enum Adjacent {
    UnitKind,
    Newtype(String),
    TuplePair(i32, f64),
    StructKind { x: f64, label: String },
}

/// Untagged.
#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(untagged)]
#[json(untagged)]
enum Untagged {
    Unit,
    Newtype(String),
    Tuple(i32, f64),
    Struct { x: f64, label: String },
    Nested(External),
}

#[derive(Debug, Clone, Serialize, FastJson)]
struct Document {
    external: Vec<External>,
    internal: Option<Internal>,
    adjacent: BTreeMap<u8, Adjacent>,
    untagged: Vec<Untagged>,
}

fn inner() -> impl Strategy<Value = Inner> {
    (int_i64(), json_string()).prop_map(|(id, name)| Inner { id, name })
}

fn external() -> impl Strategy<Value = External> {
    prop_oneof![
        Just(External::Unit),
        json_string().prop_map(External::Newtype),
        (int_i32(), float_f64(), prop::option::of(json_string()))
            .prop_map(|(a, b, c)| External::Tuple(a, b, c)),
        (float_f64(), json_string()).prop_map(|(x, label)| External::Struct { x, label }),
        inner().prop_map(External::Renamed),
        Just(External::EmptyTuple()),
        Just(External::EmptyStruct {}),
    ]
}

fn internal() -> impl Strategy<Value = Internal> {
    prop_oneof![
        Just(Internal::Unit),
        inner().prop_map(Internal::Newtype),
        (float_f64(), json_string()).prop_map(|(x, label)| Internal::Struct { x, label }),
        prop::collection::vec(int_u8(), 0..4).prop_map(|values| Internal::Renamed { values }),
    ]
}

fn adjacent() -> impl Strategy<Value = Adjacent> {
    prop_oneof![
        Just(Adjacent::UnitKind),
        json_string().prop_map(Adjacent::Newtype),
        (int_i32(), float_f64()).prop_map(|(a, b)| Adjacent::TuplePair(a, b)),
        (float_f64(), json_string()).prop_map(|(x, label)| Adjacent::StructKind { x, label }),
    ]
}

fn untagged() -> impl Strategy<Value = Untagged> {
    prop_oneof![
        Just(Untagged::Unit),
        json_string().prop_map(Untagged::Newtype),
        (int_i32(), float_f64()).prop_map(|(a, b)| Untagged::Tuple(a, b)),
        (float_f64(), json_string()).prop_map(|(x, label)| Untagged::Struct { x, label }),
        external().prop_map(Untagged::Nested),
    ]
}

#[test]
fn externally_tagged() {
    run("externally_tagged", external(), |v| check(&v));
}

#[test]
fn internally_tagged() {
    run("internally_tagged", internal(), |v| check(&v));
}

#[test]
fn adjacently_tagged() {
    run("adjacently_tagged", adjacent(), |v| check(&v));
}

#[test]
fn untagged_enums() {
    run("untagged_enums", untagged(), |v| check(&v));
}

#[test]
fn enums_nested_in_containers() {
    let strategy = (
        prop::collection::vec(external(), 0..4),
        prop::option::of(internal()),
        prop::collection::btree_map(int_u8(), adjacent(), 0..4),
        prop::collection::vec(untagged(), 0..4),
    );
    run(
        "enums_nested_in_containers",
        strategy,
        |(external, internal, adjacent, untagged)| {
            check(&Document {
                external,
                internal,
                adjacent,
                untagged,
            })
        },
    );
}
