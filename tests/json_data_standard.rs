//! The standard JSON benchmark documents (`twitter.json`, `citm_catalog.json`, `canada.json`),
//! parsed into typed models and encoded by FastJson, are byte-identical to serde_json's encoding
//! of the same values, compact and pretty. Skipped with a message where the data is absent
//! (`$PERFKIT_BENCH_DATA`, else `../shared/data/json-benchmark`).

use perfkit::FastJson;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[allow(dead_code)]
#[path = "support/json_models/mod.rs"]
mod json_models;

use json_models::{canada, citm_catalog, twitter};

/// Parses `name` into `T`, or `None` with a message when the file is absent.
fn load<T: DeserializeOwned>(name: &str) -> Option<T> {
    match json_models::read_document(name) {
        Ok(text) => Some(
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} does not match its model: {e}")),
        ),
        Err(why) => {
            eprintln!("skipping {name}: {why}");
            None
        }
    }
}

/// Compares the two encoders; on a mismatch, reports the first differing byte with context
/// rather than two multi-megabyte strings.
fn assert_same_bytes(what: &str, fast: &[u8], serde: &[u8]) {
    if fast == serde {
        return;
    }
    let at = fast
        .iter()
        .zip(serde)
        .position(|(a, b)| a != b)
        .unwrap_or(fast.len().min(serde.len()));
    let window = |s: &[u8]| {
        String::from_utf8_lossy(&s[at.saturating_sub(80)..(at + 80).min(s.len())]).into_owned()
    };
    panic!(
        "{what}: FastJson ({} bytes) differs from serde_json ({} bytes) at byte {at}\n fastjson: {}\n    serde: {}",
        fast.len(),
        serde.len(),
        window(fast),
        window(serde),
    );
}

fn compare<T: Serialize + FastJson>(name: &str, value: &T) {
    let serde_compact = serde_json::to_vec(value).expect("serde_json encodes the model");
    assert_same_bytes(name, &perfkit::json::to_vec(value), &serde_compact);

    let mut appended = Vec::new();
    perfkit::json::write_to(&mut appended, value);
    assert_same_bytes(&format!("{name} (write_to)"), &appended, &serde_compact);

    let mut written = Vec::new();
    perfkit::json::to_writer(&mut written, value).expect("writing to a Vec cannot fail");
    assert_same_bytes(&format!("{name} (to_writer)"), &written, &serde_compact);

    let serde_pretty = serde_json::to_vec_pretty(value).expect("serde_json pretty-encodes");
    assert_same_bytes(
        &format!("{name} (pretty)"),
        &perfkit::json::to_vec_pretty(value),
        &serde_pretty,
    );
}

#[test]
fn twitter_matches_serde_json() {
    if let Some(doc) = load::<twitter::Twitter>("twitter.json") {
        assert_eq!(doc.statuses.len(), 100);
        compare("twitter.json", &doc);
    }
}

#[test]
fn citm_catalog_matches_serde_json() {
    if let Some(doc) = load::<citm_catalog::CitmCatalog>("citm_catalog.json") {
        assert!(!doc.performances.is_empty());
        compare("citm_catalog.json", &doc);
    }
}

#[test]
fn canada_matches_serde_json() {
    if let Some(doc) = load::<canada::Canada>("canada.json") {
        assert!(!doc.features.is_empty());
        compare("canada.json", &doc);
    }
}

/// The models are faithful: re-encoding a parsed document gives back the document's data
/// (compared as `serde_json::Value`; canada is left out because its integer coordinates come
/// back as floats by design of the model).
#[test]
fn models_keep_every_field_of_the_documents() {
    for name in ["twitter.json", "citm_catalog.json"] {
        let Ok(text) = json_models::read_document(name) else {
            eprintln!("skipping {name}: absent");
            continue;
        };
        let original: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let encoded = if name == "twitter.json" {
            perfkit::json::to_vec(&serde_json::from_str::<twitter::Twitter>(&text).unwrap())
        } else {
            perfkit::json::to_vec(
                &serde_json::from_str::<citm_catalog::CitmCatalog>(&text).unwrap(),
            )
        };
        let reparsed: serde_json::Value = serde_json::from_slice(&encoded).expect("valid JSON");
        assert!(
            original == reparsed,
            "{name}: the model loses or changes data"
        );
    }
}

/// The generated stand-ins (what the bench measures when the data is absent) agree too.
#[test]
fn generated_documents_match_serde_json() {
    compare("generated twitter", &json_models::generated::twitter(20));
    compare(
        "generated citm_catalog",
        &json_models::generated::citm_catalog(20),
    );
    compare("generated canada", &json_models::generated::canada(4, 50));
    compare("order record", &json_models::record::sample());
    compare("long strings", &json_models::strings::long_strings());
    compare("short strings", &json_models::strings::short_strings());
}
