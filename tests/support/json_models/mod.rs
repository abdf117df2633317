//! Typed models of the standard JSON benchmark documents (`twitter.json`, `citm_catalog.json`,
//! `canada.json`) plus the small shapes the bench measures, shared by the tests and by
//! `benches/json.rs` (included with `#[path]`).
//!
//! Every type derives `serde::Serialize`/`serde::Deserialize` (serde_json is the oracle) and
//! `perfkit::FastJson` with the equivalent attributes. Fields are declared in the order the
//! documents use, so an encoded model reads like the original document.

use std::path::PathBuf;

/// Where the benchmark documents live: `$PERFKIT_BENCH_DATA`, else `../shared/data/json-benchmark`
/// next to the workspace.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("PERFKIT_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/json-benchmark"
        )),
    }
}

/// Reads one benchmark document, or why it could not be read.
pub fn read_document(name: &str) -> Result<String, String> {
    let path = data_dir().join(name);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

pub mod canada;
pub mod citm_catalog;
pub mod generated;
pub mod record;
pub mod strings;
pub mod twitter;
