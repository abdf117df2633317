//! Differential test: strings encoded by FastJson are byte-identical to serde_json's, for every
//! control character, quotes, backslashes, multibyte UTF-8 and lengths crossing the 8/16/32/64
//! byte blocks of the escaping scanner, as values, inside containers and as map keys.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use perfkit::FastJson;
use proptest::prelude::*;
use serde::Serialize;

#[allow(dead_code)]
#[path = "support/json_diff.rs"]
mod json_diff;

use json_diff::{check, json_string, run, special_char};

/// Keys that need escaping once written as literals (quote, backslash, control, non-ASCII).
#[derive(Debug, Serialize, FastJson)]
struct Message {
    #[serde(rename = "quote\"d")]
    #[json(rename = "quote\"d")]
    quoted: String,
    #[serde(rename = "back\\slash\n")]
    #[json(rename = "back\\slash\n")]
    backslash: Box<str>,
    #[serde(rename = "clé日本")]
    #[json(rename = "clé日本")]
    unicode: Cow<'static, str>,
    shared: Rc<str>,
    arc: Arc<String>,
    letter: char,
    tags: Vec<String>,
    empty: String,
}

#[test]
fn string_values() {
    run("string_values", json_string(), |s| {
        check(&s)?;
        check(s.as_str())
    });
}

#[test]
fn chars() {
    run("chars", prop_oneof![special_char(), any::<char>()], |c| {
        check(&c)
    });
}

#[test]
fn strings_in_containers() {
    run(
        "strings_in_containers",
        prop::collection::vec(json_string(), 0..6),
        |v| {
            check(&v)?;
            let boxed: Vec<Box<str>> = v.iter().map(|s| s.as_str().into()).collect();
            check(&boxed)?;
            let borrowed: Vec<Cow<'_, str>> = v.iter().map(|s| Cow::Borrowed(s.as_str())).collect();
            check(&borrowed)?;
            let optional: Vec<Option<&str>> = v
                .iter()
                .enumerate()
                .map(|(i, s)| (i % 2 == 0).then_some(s.as_str()))
                .collect();
            check(&optional)
        },
    );
}

#[test]
fn strings_as_map_keys() {
    run(
        "strings_as_map_keys",
        prop::collection::vec((json_string(), json_string()), 0..6),
        |entries| {
            let sorted: BTreeMap<String, String> = entries.iter().cloned().collect();
            check(&sorted)?;
            // Both encoders walk the same HashMap, so they see the same iteration order.
            let hashed: HashMap<String, usize> =
                entries.iter().map(|(k, v)| (k.clone(), v.len())).collect();
            check(&hashed)
        },
    );
}

#[test]
fn strings_in_a_struct_with_escaped_keys() {
    let strategy = (
        (json_string(), json_string(), json_string()),
        (json_string(), json_string()),
        special_char(),
        prop::collection::vec(json_string(), 0..4),
    );
    run(
        "strings_in_a_struct_with_escaped_keys",
        strategy,
        |((quoted, backslash, unicode), (shared, arc), letter, tags)| {
            check(&Message {
                quoted,
                backslash: backslash.into(),
                unicode: Cow::Owned(unicode),
                shared: shared.into(),
                arc: Arc::new(arc),
                letter,
                tags,
                empty: String::new(),
            })
        },
    );
}

#[test]
fn every_control_character_alone_and_embedded() {
    for c in (0u32..0x20)
        .chain([0x7f, 0x2028, 0x2029])
        .filter_map(char::from_u32)
    {
        check(&c).unwrap();
        for len in [0usize, 1, 7, 8, 15, 16, 31, 32, 63, 64, 65] {
            let mut s = "x".repeat(len);
            s.push(c);
            check(&s).unwrap();
            s.insert(0, c);
            check(&s).unwrap();
        }
    }
}
