//! The std impls encode exactly as serde_json: integers of every width and their extremes,
//! floats (zmij's shortest form, `-0.0`, subnormals, non-finite as `null`), strings with every
//! escape at every position around the 8/16/32/64-byte scan widths, chars, options,
//! sequences, tuples, smart pointers, maps with string-like, integer, `char` and `bool` keys.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, LinkedList, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use perfkit::FastJson;
use serde::Serialize;

fn same<T: FastJson + Serialize + ?Sized>(v: &T) -> String {
    let ours = perfkit::json::to_string(v);
    assert_eq!(ours, serde_json::to_string(v).unwrap(), "compact");
    assert_eq!(
        perfkit::json::to_string_pretty(v),
        serde_json::to_string_pretty(v).unwrap(),
        "pretty"
    );
    let mut buf = b"prefix".to_vec();
    perfkit::json::write_to(&mut buf, v);
    assert_eq!(&buf[6..], ours.as_bytes(), "write_to appends");
    ours
}

#[test]
fn integers_of_every_width() {
    macro_rules! extremes {
        ($($t:ty),*) => {$(
            for v in [<$t>::MIN, <$t>::MAX, 0 as $t, 1 as $t, (<$t>::MAX / 3) as $t, 9 as $t, 10 as $t, 99 as $t, 100 as $t] {
                same(&v);
                assert!(perfkit::json::to_string(&v).len() <= <$t as FastJson>::MAX_LEN.unwrap());
            }
        )*};
    }
    extremes!(
        u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
    );
    assert_eq!(same(&i128::MIN), "-170141183460469231731687303715884105728");
    assert_eq!(same(&u128::MAX), "340282366920938463463374607431768211455");
}

#[test]
fn floats_as_serde_json() {
    let f64s = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.1,
        1e16,
        1e15,
        1e-7,
        1e-6,
        123456789.123,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        5e-324,
        -2.2250738585072014e-308,
        f64::from_bits(0x000f_ffff_ffff_ffff),
        std::f64::consts::PI,
        1e21,
        1e22,
        12345678901234567890.0,
    ];
    for v in f64s {
        let s = same(&v);
        assert!(s.len() <= <f64 as FastJson>::MAX_LEN.unwrap(), "{s}");
    }
    for v in [
        0.0f32,
        -0.0,
        1e16,
        1e-7,
        f32::MAX,
        f32::MIN_POSITIVE,
        1e-45,
        -1.1754944e-38,
        0.3,
    ] {
        let s = same(&v);
        assert!(s.len() <= <f32 as FastJson>::MAX_LEN.unwrap(), "{s}");
    }
    assert_eq!(same(&1e16f64), "1e+16");
    assert_eq!(same(&-0.0f64), "-0.0");
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(same(&v), "null");
        assert_eq!(same(&(v as f32)), "null");
    }
}

#[test]
fn bools_chars_unit() {
    assert_eq!(same(&true), "true");
    assert_eq!(same(&false), "false");
    assert_eq!(same(&()), "null");
    for c in [
        'a', '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', 'é', '😀', '\u{2028}', '<',
    ] {
        same(&c);
    }
}

#[test]
fn strings_with_every_escape_at_every_position() {
    for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100] {
        for special in (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}', 'é', '€', '😀'])
        {
            for pos in [0, len / 2, len.saturating_sub(1), len] {
                let mut s: String = "abcdefghij".chars().cycle().take(len).collect();
                if pos <= s.len() {
                    s.insert(pos, special);
                }
                same(&s);
                same(s.as_str());
            }
        }
    }
    let all_controls: String = (0u8..0x20).map(char::from).collect();
    assert_eq!(
        same(&all_controls),
        r#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
    );
    let dense = "\"\\".repeat(40);
    same(&dense);
    let multibyte = "ünïcödé 日本語 😀 ".repeat(10);
    same(&multibyte);
}

#[test]
fn options_and_nesting() {
    assert_eq!(same(&None::<u8>), "null");
    assert_eq!(same(&Some(Some(3u8))), "3");
    assert_eq!(same(&Some(None::<u8>)), "null");
    assert_eq!(same(&vec![Some(1), None]), "[1,null]");
}

#[test]
fn sequences_and_tuples() {
    assert_eq!(same(&Vec::<u8>::new()), "[]");
    assert_eq!(same(&vec![vec![1, 2], vec![], vec![3]]), "[[1,2],[],[3]]");
    assert_eq!(same(&[1u8, 2, 3][..]), "[1,2,3]");
    assert_eq!(same(&[[0u8; 0]; 2]), "[[],[]]");
    same(&VecDeque::from([1, 2]));
    same(&LinkedList::from([1, 2]));
    same(&BTreeSet::from(["b", "a"]));
    assert_eq!(same(&(1u8,)), "[1]");
    assert_eq!(
        same(&(1u8, "two", 3.0f64, (4i8, [5u16]))),
        r#"[1,"two",3.0,[4,[5]]]"#
    );
    same(&(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    let v = [(1u8, 'x'); 3];
    assert!(same(&v[0]).len() <= <(u8, char)>::MAX_LEN.unwrap());
    assert_eq!(<[u8; 3]>::MAX_LEN, Some(2 + 3 * 3 + 2));
}

#[test]
fn pointers() {
    same(&Box::new(5u8));
    same(&Rc::new("rc"));
    same(&Arc::new(vec![1]));
    same(&Cow::Borrowed("cow"));
    same(&Cow::<str>::Owned("owned".into()));
    same(&Box::<str>::from("boxed str"));
    same(&Arc::<[u8]>::from(vec![1, 2]));
    same(&&&7u8);
}

#[test]
fn maps_with_every_key_kind() {
    let empty: BTreeMap<String, u8> = BTreeMap::new();
    assert_eq!(same(&empty), "{}");
    assert_eq!(
        same(&BTreeMap::from([("a\"b", 1), ("c", 2)])),
        r#"{"a\"b":1,"c":2}"#
    );
    assert_eq!(
        same(&BTreeMap::from([(-1i64, "neg"), (2, "pos")])),
        r#"{"-1":"neg","2":"pos"}"#
    );
    same(&BTreeMap::from([(u128::MAX, 1), (0, 2)]));
    same(&BTreeMap::from([(i8::MIN, ()), (0, ())]));
    assert_eq!(same(&BTreeMap::from([('k', 1)])), r#"{"k":1}"#);
    assert_eq!(
        same(&BTreeMap::from([(true, 1), (false, 0)])),
        r#"{"false":0,"true":1}"#
    );
    same(&BTreeMap::from([(Cow::Borrowed("c"), 1)]));
    same(&BTreeMap::from([(Rc::<str>::from("rc"), 1)]));
    same(&BTreeMap::from([(
        Box::<str>::from("b"),
        BTreeMap::from([(1u8, vec![1u8])]),
    )]));
    let hm: HashMap<String, Vec<Option<f64>>> = (0..20)
        .map(|i| (format!("key{i}"), vec![Some(i as f64 / 3.0), None]))
        .collect();
    same(&hm);
    let nested = BTreeMap::from([(
        "outer",
        BTreeMap::from([("inner", BTreeMap::<u8, u8>::new())]),
    )]);
    assert_eq!(same(&nested), r#"{"outer":{"inner":{}}}"#);
}
