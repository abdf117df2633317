//! Differential test: derived structs with serde-equivalent attributes (`rename`, `rename_all`,
//! `skip`, `skip_if`, `flatten`, `transparent`, generics), nested options, smart pointers and
//! every struct shape (named, tuple, newtype, unit) encode exactly as serde_json encodes them.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use perfkit::FastJson;
use proptest::prelude::*;
use serde::Serialize;

#[allow(dead_code)]
#[path = "support/json_diff.rs"]
mod json_diff;

use json_diff::*;

#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
struct Profile {
    user_id: u64,
    display_name: String,
    #[serde(rename = "e-mail")]
    #[json(rename = "e-mail")]
    email: Option<String>,
    #[serde(skip)]
    #[json(skip)]
    password_hash: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[json(skip_if = "Vec::is_empty")]
    roles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[json(skip_if = "Option::is_none")]
    manager: Option<Box<Profile>>,
    #[serde(flatten)]
    #[json(flatten)]
    audit: Audit,
    nested: Option<Option<Option<i32>>>,
    scores: Option<Vec<Option<f64>>>,
}

#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[json(rename_all = "SCREAMING_SNAKE_CASE")]
struct Audit {
    created_at: String,
    revision: u32,
}

#[derive(Debug, Clone, Serialize, FastJson)]
struct Point(f64, f64, Option<String>);

#[derive(Debug, Clone, Serialize, FastJson)]
struct Meters(f64);

#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(transparent)]
#[json(transparent)]
struct Label {
    text: String,
}

#[derive(Debug, Clone, Serialize, FastJson)]
struct Marker;

#[derive(Debug, Clone, Serialize, FastJson)]
struct Shapes {
    point: Point,
    distance: Meters,
    label: Label,
    marker: Marker,
    unit: (),
    boxed: Box<Option<Meters>>,
    shared: Rc<Vec<Label>>,
    arc: Arc<(u8, String)>,
    by_id: BTreeMap<u16, Point>,
}

/// Generic over the payload; the derive infers `T: FastJson` from the field.
#[derive(Debug, Clone, Serialize, FastJson)]
#[serde(rename_all = "kebab-case")]
#[json(rename_all = "kebab-case")]
struct Page<T> {
    page_number: u32,
    items: Vec<T>,
    next_cursor: Option<String>,
}

/// Every case rule serde knows, on fields with awkward names.
macro_rules! case_rule {
    ($name:ident, $rule:literal) => {
        #[derive(Debug, Clone, Serialize, FastJson)]
        #[serde(rename_all = $rule)]
        #[json(rename_all = $rule)]
        #[allow(non_snake_case)]
        struct $name {
            field: u8,
            two_words: u8,
            three_word_name: u8,
            with_digit2: u8,
            _leading: u8,
            trailing_: u8,
            r#type: u8,
        }

        impl $name {
            fn from(v: [u8; 7]) -> Self {
                Self {
                    field: v[0],
                    two_words: v[1],
                    three_word_name: v[2],
                    with_digit2: v[3],
                    _leading: v[4],
                    trailing_: v[5],
                    r#type: v[6],
                }
            }
        }
    };
}

case_rule!(Lower, "lowercase");
case_rule!(Upper, "UPPERCASE");
case_rule!(Pascal, "PascalCase");
case_rule!(Camel, "camelCase");
case_rule!(Snake, "snake_case");
case_rule!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
case_rule!(Kebab, "kebab-case");
case_rule!(ScreamingKebab, "SCREAMING-KEBAB-CASE");

fn audit() -> impl Strategy<Value = Audit> {
    (json_string(), int_u32()).prop_map(|(created_at, revision)| Audit {
        created_at,
        revision,
    })
}

fn profile() -> impl Strategy<Value = Profile> {
    let leaf = (
        (int_u64(), json_string(), prop::option::of(json_string())),
        prop::collection::vec(json_string(), 0..3),
        audit(),
        prop::option::of(prop::option::of(prop::option::of(int_i32()))),
        prop::option::of(prop::collection::vec(prop::option::of(float_f64()), 0..4)),
    )
        .prop_map(
            |((user_id, display_name, email), roles, audit, nested, scores)| Profile {
                user_id,
                display_name,
                email,
                password_hash: "must never appear".to_owned(),
                roles,
                manager: None,
                audit,
                nested,
                scores,
            },
        );
    leaf.prop_recursive(3, 4, 1, |inner| {
        (inner.clone(), prop::option::of(inner)).prop_map(|(mut p, manager)| {
            p.manager = manager.map(Box::new);
            p
        })
    })
}

fn point() -> impl Strategy<Value = Point> {
    (float_f64(), float_f64(), prop::option::of(json_string())).prop_map(|(x, y, n)| Point(x, y, n))
}

#[test]
fn named_structs_with_attributes_and_nested_options() {
    run(
        "named_structs_with_attributes_and_nested_options",
        profile(),
        |p| {
            check(&p)?;
            prop_assert!(!perfkit::json::to_string(&p).contains(p.password_hash.as_str()));
            Ok(())
        },
    );
}

#[test]
fn tuple_newtype_unit_and_transparent_structs() {
    let strategy = (
        point(),
        float_f64(),
        json_string(),
        prop::option::of(float_f64()),
        prop::collection::vec(json_string(), 0..3),
        (int_u8(), json_string()),
        prop::collection::btree_map(int_u16(), point(), 0..4),
    );
    run(
        "tuple_newtype_unit_and_transparent_structs",
        strategy,
        |(point, distance, text, boxed, labels, arc, by_id)| {
            check(&Shapes {
                point,
                distance: Meters(distance),
                label: Label { text },
                marker: Marker,
                unit: (),
                boxed: Box::new(boxed.map(Meters)),
                shared: Rc::new(labels.into_iter().map(|text| Label { text }).collect()),
                arc: Arc::new(arc),
                by_id,
            })
        },
    );
}

#[test]
fn generic_structs() {
    let strategy = (
        int_u32(),
        prop::collection::vec(point(), 0..4),
        prop::collection::vec(prop::option::of(json_string()), 0..4),
        prop::option::of(json_string()),
    );
    run(
        "generic_structs",
        strategy,
        |(page_number, points, names, next_cursor)| {
            check(&Page {
                page_number,
                items: points,
                next_cursor: next_cursor.clone(),
            })?;
            check(&Page {
                page_number,
                items: names,
                next_cursor,
            })
        },
    );
}

#[test]
fn every_rename_all_rule() {
    run(
        "every_rename_all_rule",
        prop::array::uniform7(int_u8()),
        |v| {
            check(&Lower::from(v))?;
            check(&Upper::from(v))?;
            check(&Pascal::from(v))?;
            check(&Camel::from(v))?;
            check(&Snake::from(v))?;
            check(&ScreamingSnake::from(v))?;
            check(&Kebab::from(v))?;
            check(&ScreamingKebab::from(v))
        },
    );
}
