//! FastJson against serde_json and sonic-rs, one criterion group per data set.
//!
//! Each group encodes the same value three ways into a `Vec<u8>` reused across iterations
//! (cleared, capacity kept): `perfkit::json::write_to`, `serde_json::to_writer` (the baseline)
//! and `sonic_rs::to_writer`. Throughput is in bytes of compact output, so criterion prints
//! MB/s; allocations per op are counted exactly with the counting allocator.
//!
//! Groups: the three standard documents (`twitter`, `citm_catalog`, `canada`; read from
//! `$PERFKIT_BENCH_DATA` or `../shared/data/json-benchmark`, generated stand-ins with a message
//! when absent), an 11-field ~330-byte struct, long strings and short strings.
//!
//! ```text
//! cargo bench --bench json
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use perfkit::FastJson;
use perfkit::bench::BenchGroup;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

#[allow(dead_code)]
#[path = "../tests/support/json_models/mod.rs"]
mod json_models;

use json_models::{canada, citm_catalog, generated, record, strings, twitter};

/// Parses `name` from the data directory, or builds the generated stand-in (with a message).
fn document<T: DeserializeOwned>(name: &str, fallback: impl FnOnce() -> T) -> T {
    match json_models::read_document(name) {
        Ok(text) => serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} does not match its model: {e}")),
        Err(why) => {
            eprintln!("json bench: {why}; measuring a generated stand-in for {name} instead");
            fallback()
        }
    }
}

/// One group: the three encoders on `value`, each into its own warm, reused buffer.
fn group<T: Serialize + FastJson>(c: &mut Criterion, name: &str, value: &T) {
    let expected = serde_json::to_vec(value).expect("serde_json encodes the model");
    // The bench only means something if the outputs agree; `tests/json_data_standard.rs`
    // checks this byte for byte, here it guards against measuring a different document.
    assert_eq!(
        perfkit::json::to_vec(value),
        expected,
        "{name}: FastJson and serde_json disagree"
    );
    let len = expected.len();

    let mut g = BenchGroup::new(c, format!("json/{name}"));
    g.throughput(Throughput::Bytes(len as u64));
    g.baseline("serde_json");

    let mut buf = Vec::with_capacity(len);
    g.bench("serde_json", || {
        buf.clear();
        serde_json::to_writer(&mut buf, black_box(value)).expect("serde_json encodes");
        buf.len()
    });

    let mut buf = Vec::with_capacity(len);
    g.bench("sonic_rs", || {
        buf.clear();
        sonic_rs::to_writer(&mut buf, black_box(value)).expect("sonic-rs encodes");
        buf.len()
    });

    let mut buf = Vec::with_capacity(len);
    g.bench("perfkit", || {
        buf.clear();
        perfkit::json::write_to(&mut buf, black_box(value));
        buf.len()
    });

    g.finish();
}

fn benches(c: &mut Criterion) {
    let value: twitter::Twitter = document("twitter.json", || generated::twitter(100));
    group(c, "twitter", &value);

    let value: citm_catalog::CitmCatalog =
        document("citm_catalog.json", || generated::citm_catalog(180));
    group(c, "citm_catalog", &value);

    let value: canada::Canada = document("canada.json", || generated::canada(480, 116));
    group(c, "canada", &value);

    group(c, "struct", &record::sample());
    group(c, "long_strings", &strings::long_strings());
    group(c, "short_strings", &strings::short_strings());
}

criterion::criterion_group!(benches_group, benches);
criterion::criterion_main!(benches_group);
