//! Differential test: integers of every width (extremes included) and floats of every class
//! (`-0.0`, subnormals, NaN, infinities, `1e16`, `1e-7`) are encoded exactly as serde_json
//! encodes them, alone, in tuples, arrays and structs, in runs and pairs of floats, and as
//! integer map keys.

use std::collections::{BTreeMap, HashMap};

use perfkit::FastJson;
use proptest::prelude::*;
use serde::Serialize;

#[allow(dead_code)]
#[path = "support/json_diff.rs"]
mod json_diff;

use json_diff::*;

#[derive(Debug, Serialize, FastJson)]
struct Widths {
    a: i8,
    b: i16,
    c: i32,
    d: i64,
    e: i128,
    f: isize,
    g: u8,
    h: u16,
    i: u32,
    j: u64,
    k: u128,
    l: usize,
}

#[derive(Debug, Serialize, FastJson)]
struct Measurement {
    value: f64,
    single: f32,
    samples: Vec<f64>,
    range: (f32, f64),
    corners: [f64; 3],
    maybe: Option<f64>,
}

/// Float fields in a row are written in pairs by the derive: named, tuple and variant
/// fields, odd runs, renamed keys, a conditional field that breaks a run.
#[derive(Debug, Serialize, FastJson)]
struct Geo {
    lat: f64,
    lon: f64,
    alt: f32,
    #[serde(rename = "acc\u{e9}\"")]
    #[json(rename = "acc\u{e9}\"")]
    accuracy: f32,
    heading: f64,
    #[serde(skip_serializing_if = "is_zero")]
    #[json(skip_if = "is_zero")]
    speed: f64,
    climb: f64,
    label: u8,
    x: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

#[derive(Debug, Serialize, FastJson)]
struct Vector3(f64, f64, f64);

#[derive(Debug, Serialize, FastJson)]
enum Shape {
    Circle { x: f64, y: f64, r: f64 },
    Segment(f64, f64, f32, f32),
}

#[derive(Debug, Serialize, FastJson)]
#[serde(tag = "kind")]
#[json(tag = "kind")]
enum Tagged {
    Point { x: f64, y: f64 },
}

#[test]
fn float_fields_in_a_row() {
    let strategy = (
        [float_f64(), float_f64(), float_f64(), float_f64()],
        [float_f64(), float_f64(), float_f64()],
        [float_f32(), float_f32(), float_f32(), float_f32()],
        prop::bool::ANY,
    );
    run(
        "float_fields_in_a_row",
        strategy,
        |([lat, lon, heading, climb], [a, b, c], [alt, accuracy, f, g], still)| {
            check(&Geo {
                lat,
                lon,
                alt,
                accuracy,
                heading,
                speed: if still { 0.0 } else { a },
                climb,
                label: 7,
                x: b,
            })?;
            check(&Vector3(a, b, c))?;
            check(&Shape::Circle { x: a, y: b, r: c })?;
            check(&Shape::Segment(lat, lon, f, g))?;
            check(&Tagged::Point { x: c, y: a })
        },
    );
}

#[test]
fn signed_integers() {
    let strategy = (
        int_i8(),
        int_i16(),
        int_i32(),
        int_i64(),
        int_i128(),
        int_isize(),
    );
    run("signed_integers", strategy, |(a, b, c, d, e, f)| {
        check(&a)?;
        check(&b)?;
        check(&c)?;
        check(&d)?;
        check(&e)?;
        check(&f)
    });
}

#[test]
fn unsigned_integers() {
    let strategy = (
        int_u8(),
        int_u16(),
        int_u32(),
        int_u64(),
        int_u128(),
        int_usize(),
    );
    run("unsigned_integers", strategy, |(a, b, c, d, e, f)| {
        check(&a)?;
        check(&b)?;
        check(&c)?;
        check(&d)?;
        check(&e)?;
        check(&f)
    });
}

#[test]
fn integer_widths_in_a_struct() {
    let strategy = (
        (
            int_i8(),
            int_i16(),
            int_i32(),
            int_i64(),
            int_i128(),
            int_isize(),
        ),
        (
            int_u8(),
            int_u16(),
            int_u32(),
            int_u64(),
            int_u128(),
            int_usize(),
        ),
    );
    run(
        "integer_widths_in_a_struct",
        strategy,
        |((a, b, c, d, e, f), (g, h, i, j, k, l))| {
            check(&(a, e, k))?;
            check(&Widths {
                a,
                b,
                c,
                d,
                e,
                f,
                g,
                h,
                i,
                j,
                k,
                l,
            })
        },
    );
}

#[test]
fn doubles() {
    run("doubles", float_f64(), |x| check(&x));
}

#[test]
fn singles() {
    run("singles", float_f32(), |x| check(&x));
}

#[test]
fn floats_in_a_struct() {
    let strategy = (
        float_f64(),
        float_f32(),
        prop::collection::vec(float_f64(), 0..8),
        (float_f32(), float_f64()),
        [float_f64(), float_f64(), float_f64()],
        prop::option::of(float_f64()),
    );
    run(
        "floats_in_a_struct",
        strategy,
        |(value, single, samples, range, corners, maybe)| {
            check(&Measurement {
                value,
                single,
                samples,
                range,
                corners,
                maybe,
            })
        },
    );
}

/// Runs of floats are formatted two at a time (slices, arrays, `Vec`s, pairs): every length
/// and parity, non-finite values on either side of a pair, and pointers to floats.
#[test]
fn float_runs_and_pairs() {
    let strategy = (
        prop::collection::vec(float_f64(), 0..9),
        prop::collection::vec((float_f64(), float_f64()), 0..5),
        [float_f64(), float_f64(), float_f64(), float_f64()],
        (float_f64(), float_f64()),
        prop::collection::vec(float_f32(), 0..9),
    );
    run(
        "float_runs_and_pairs",
        strategy,
        |(run, points, quad, pair, singles)| {
            check(&singles)?;
            check(&[f32::NAN, 1.5, f32::NEG_INFINITY])?;
            check(&run)?;
            check(run.as_slice())?;
            check(&points)?;
            check(&quad)?;
            check(&pair)?;
            check(&(&pair.0, Box::new(pair.1)))?;
            check(&[(pair.1, pair.0)])?;
            check(&(pair.0, f64::NAN))?;
            check(&[f64::INFINITY, pair.1, f64::NAN])
        },
    );
}

#[test]
fn integer_keyed_maps() {
    let strategy = (
        prop::collection::btree_map(int_i64(), float_f64(), 0..6),
        prop::collection::btree_map(int_u128(), int_i32(), 0..6),
        prop::collection::hash_map(int_i8(), int_u16(), 0..6),
        prop::collection::btree_map(int_i128(), int_u8(), 0..4),
    );
    run(
        "integer_keyed_maps",
        strategy,
        |(signed, unsigned, small, wide)| {
            check(&signed)?;
            let named: BTreeMap<String, f64> = signed
                .iter()
                .map(|(k, v)| (format!("p{k}\"\u{e9}"), *v))
                .collect();
            check(&named)?;
            check(&named.into_iter().collect::<HashMap<_, _>>())?;
            check(&unsigned)?;
            check(&small)?;
            check(&wide)?;
            let nested: BTreeMap<u32, HashMap<i16, bool>> = [(
                7,
                small.keys().map(|&k| (i16::from(k), k % 2 == 0)).collect(),
            )]
            .into();
            check(&nested)
        },
    );
}
