//! Shared pieces of the differential tests (`tests/json_diff_*.rs`): the oracle check and the
//! proptest strategies for the awkward values (strings, integers, floats).

use std::cell::Cell;

use perfkit::FastJson;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use serde::Serialize;

thread_local! {
    /// Values compared with serde_json on this thread (libtest runs each test on its own).
    static COMPARED: Cell<u64> = const { Cell::new(0) };
}

/// Cases per property: `$PROPTEST_CASES` if set, else 512.
pub fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Encodes `value` with FastJson (`to_vec`, `to_string`, `write_to` appending after existing
/// bytes, and pretty) and with serde_json, and fails the case unless the bytes are identical
/// and serde_json parses the output back.
pub fn check<T: Serialize + FastJson + ?Sized>(value: &T) -> Result<(), TestCaseError> {
    COMPARED.with(|c| c.set(c.get() + 1));

    let expected = serde_json::to_string(value).expect("serde_json encodes the value");
    let compact = perfkit::json::to_vec(value);
    prop_assert_eq!(std::str::from_utf8(&compact).ok(), Some(expected.as_str()));
    prop_assert_eq!(perfkit::json::to_string(value), expected.as_str());

    let mut appended = b"prefix ".to_vec();
    perfkit::json::write_to(&mut appended, value);
    prop_assert_eq!(&appended[..7], b"prefix ");
    prop_assert_eq!(&appended[7..], expected.as_bytes());

    let expected_pretty =
        serde_json::to_string_pretty(value).expect("serde_json pretty-encodes the value");
    let pretty = perfkit::json::to_vec_pretty(value);
    prop_assert_eq!(
        std::str::from_utf8(&pretty).ok(),
        Some(expected_pretty.as_str())
    );
    prop_assert_eq!(
        perfkit::json::to_string_pretty(value),
        expected_pretty.as_str()
    );

    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&compact);
    prop_assert!(parsed.is_ok(), "output does not parse: {:?}", parsed.err());
    Ok(())
}

/// Runs one property over [`config`]`().cases` generated inputs, panics with the minimal
/// failing input if any fails, and prints how many inputs were generated and how many values
/// were compared with serde_json (see them with `--nocapture`).
pub fn run<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let generated = Cell::new(0u64);
    let compared_before = COMPARED.with(Cell::get);
    let result = TestRunner::new(config()).run(&strategy, |value| {
        generated.set(generated.get() + 1);
        test(value)
    });
    match result {
        Ok(()) => println!(
            "json-diff {name}: {} generated cases, {} values compared with serde_json",
            generated.get(),
            COMPARED.with(Cell::get) - compared_before
        ),
        Err(TestError::Fail(why, value)) => {
            panic!("{name}: FastJson differs from serde_json: {why}\nminimal input: {value:#?}")
        }
        Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
    }
}

/// Characters that stress escaping: every control character, quote, backslash, DEL, `/`,
/// HTML-sensitive ASCII, U+2028/U+2029, and 2-, 3- and 4-byte UTF-8.
pub fn special_char() -> BoxedStrategy<char> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).expect("control character")),
        prop::sample::select(vec![
            '"',
            '\\',
            '/',
            '\u{7f}',
            '<',
            '>',
            '&',
            '\'',
            '\u{2028}',
            '\u{2029}',
            'é',
            'ß',
            'Ω',
            '日',
            '本',
            '€',
            '\u{fffd}',
            '\u{feff}',
            '🎉',
            '𝄞',
            '\u{10ffff}',
        ]),
        any::<char>(),
    ]
    .boxed()
}

/// Plain printable ASCII, the fast path of an escaping scanner.
pub fn plain_char() -> impl Strategy<Value = char> {
    (0x20u8..0x7f)
        .prop_filter("no quote or backslash", |&b| b != b'"' && b != b'\\')
        .prop_map(char::from)
}

/// Lengths around the 8/16/32/64-byte blocks of word-at-a-time and SIMD scanners.
pub fn block_len() -> impl Strategy<Value = usize> {
    prop_oneof![
        0usize..=3,
        7usize..=9,
        15usize..=17,
        31usize..=33,
        63usize..=65,
        0usize..=300,
    ]
}

/// Strings of three kinds: any mix of special and plain characters; a plain run of a block
/// length with one special character at any position (the scanner's tail and head cases);
/// and all-plain runs (no escape at all).
pub fn json_string() -> BoxedStrategy<String> {
    let mixed = block_len()
        .prop_flat_map(|len| {
            prop::collection::vec(prop_oneof![3 => plain_char(), 1 => special_char()], len)
        })
        .prop_map(|cs| cs.into_iter().collect::<String>());
    let one_special = (block_len(), any::<prop::sample::Index>(), special_char()).prop_map(
        |(len, at, special)| {
            let mut s: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            s.insert(at.index(len + 1), special);
            s
        },
    );
    let plain = block_len()
        .prop_flat_map(|len| prop::collection::vec(plain_char(), len))
        .prop_map(|cs| cs.into_iter().collect::<String>());
    prop_oneof![mixed, one_special, plain].boxed()
}

macro_rules! int_strategies {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        /// Extremes, neighbours of zero and of every power of ten, and any value.
        pub fn $name() -> BoxedStrategy<$t> {
            prop_oneof![
                prop::sample::select(vec![<$t>::MIN, <$t>::MAX, 0 as $t, 1 as $t, <$t>::MIN + 1, <$t>::MAX - 1]),
                (0u32..<$t>::MAX.ilog10() + 1, -1i8..=1).prop_map(|(exp, delta)| {
                    (10 as $t).pow(exp).wrapping_add_signed_compat(delta)
                }),
                any::<$t>(),
            ]
            .boxed()
        }
    )*};
}

/// `wrapping_add` of -1, 0 or 1 for every integer width.
pub trait WrappingAddCompat: Sized {
    fn wrapping_add_signed_compat(self, delta: i8) -> Self;
}

macro_rules! wrapping_compat {
    ($($t:ty),*) => {$(
        impl WrappingAddCompat for $t {
            fn wrapping_add_signed_compat(self, delta: i8) -> Self {
                match delta {
                    -1 => self.wrapping_sub(1),
                    1 => self.wrapping_add(1),
                    _ => self,
                }
            }
        }
    )*};
}

wrapping_compat!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

int_strategies!(
    int_i8: i8, int_i16: i16, int_i32: i32, int_i64: i64, int_i128: i128, int_isize: isize,
    int_u8: u8, int_u16: u16, int_u32: u32, int_u64: u64, int_u128: u128, int_usize: usize,
);

/// `f64`s of every class: ±0, subnormals, the normal range's ends, the exponent-notation
/// thresholds of serde_json's formatter (`1e16`, `1e-7` and neighbours), integers held in
/// floats, NaN, ±∞, and arbitrary bit patterns.
pub fn float_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        prop::sample::select(vec![
            0.0,
            -0.0,
            1e16,
            -1e16,
            1e-7,
            -1e-7,
            9_999_999_999_999_998.0,
            1e15,
            1e17,
            1e-6,
            1e-5,
            0.1,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]),
        (1u64..(1 << 52)).prop_map(f64::from_bits), // subnormal
        (1u64..(1 << 52)).prop_map(|m| -f64::from_bits(m)),
        (-30i32..=30, -9_999i32..=9_999).prop_map(|(e, m)| f64::from(m) * 10f64.powi(e)),
        any::<i64>().prop_map(|i| i as f64),
        any::<u64>().prop_map(f64::from_bits),
        any::<f64>(),
    ]
    .boxed()
}

/// `f32`s of every class, as [`float_f64`].
pub fn float_f32() -> BoxedStrategy<f32> {
    prop_oneof![
        prop::sample::select(vec![
            0.0f32,
            -0.0,
            1e16,
            1e-7,
            16_777_216.0,
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::MIN,
            1e-45,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ]),
        (1u32..(1 << 23)).prop_map(f32::from_bits),
        any::<u32>().prop_map(f32::from_bits),
        any::<f32>(),
    ]
    .boxed()
}
