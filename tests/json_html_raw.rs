//! Go's HTML-safe escaping (opt-in) in strings, keys, chars and map keys, compact and pretty;
//! `RawJson` written verbatim; a hand-written `FastJson` impl through `JsonWriter`.

use std::collections::BTreeMap;

use perfkit::FastJson;
use perfkit::json::{self, JsonWriter, Options, RawJson};

#[derive(FastJson)]
struct Page {
    #[json(rename = "<title>")]
    title: String,
    body: &'static str,
    mark: char,
    attrs: BTreeMap<&'static str, &'static str>,
}

fn page() -> Page {
    Page {
        title: "Tom & Jerry".into(),
        body: "<script>alert(1)</script>\u{2028}\u{2029}\n",
        mark: '>',
        attrs: BTreeMap::from([("a&b", "<>")]),
    }
}

#[test]
fn html_safe_escapes_strings_keys_and_chars() {
    let html = Options::new().html_safe(true);
    assert_eq!(
        html.to_string(&page()),
        r#"{"\u003ctitle\u003e":"Tom \u0026 Jerry","body":"\u003cscript\u003ealert(1)\u003c/script\u003e\u2028\u2029\n","mark":"\u003e","attrs":{"a\u0026b":"\u003c\u003e"}}"#
    );
    // Off by default: serde_json's escapes only.
    assert_eq!(
        json::to_string(&page()),
        "{\"<title>\":\"Tom & Jerry\",\"body\":\"<script>alert(1)</script>\u{2028}\u{2029}\\n\",\"mark\":\">\",\"attrs\":{\"a&b\":\"<>\"}}"
    );
    let pretty = html.pretty(true).to_string(&page());
    assert!(
        pretty.starts_with("{\n  \"\\u003ctitle\\u003e\": \"Tom \\u0026 Jerry\",\n"),
        "{pretty}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(parsed["<title>"], "Tom & Jerry");
    assert_eq!(parsed["body"], page().body);
}

#[test]
fn html_safe_output_parses_back_to_the_same_strings() {
    let tricky = [
        "<",
        ">&<",
        "\u{2028}x\u{2029}",
        "\u{2027}\u{202a}€",
        "a\"<\\>b",
        "&amp;",
    ];
    for s in tricky {
        let out = Options::new().html_safe(true).to_string(&s);
        assert!(
            !out.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
            "{out}"
        );
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, s);
    }
}

#[derive(FastJson)]
struct Cached {
    id: u32,
    payload: RawJson,
    maybe: Option<RawJson>,
}

#[test]
fn raw_json_is_written_verbatim() {
    let c = Cached {
        id: 1,
        payload: RawJson::new(r#"{"a": [1, 2]}"#).unwrap(),
        maybe: None,
    };
    assert_eq!(
        json::to_string(&c),
        r#"{"id":1,"payload":{"a": [1, 2]},"maybe":null}"#
    );
    // As serde_json's `RawValue`: verbatim in pretty output too.
    assert_eq!(
        json::to_string_pretty(&c),
        "{\n  \"id\": 1,\n  \"payload\": {\"a\": [1, 2]},\n  \"maybe\": null\n}"
    );
    let err = RawJson::new("[1, 2").unwrap_err();
    assert_eq!(err.offset(), 5);
    assert_eq!(err.to_string(), "invalid JSON at byte 5");
    assert_eq!(RawJson::new(" 3 ").unwrap().get(), " 3 ");
}

/// A hand-written impl, the way a user writes one for a foreign type.
struct Rgb(u8, u8, u8);

impl FastJson for Rgb {
    const MAX_LEN: Option<usize> = Some(9);

    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.string(&format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2));
    }
}

#[derive(FastJson)]
struct Theme {
    fg: Rgb,
    bg: Option<Rgb>,
    palette: Vec<Rgb>,
}

#[test]
fn hand_written_impls_compose_with_derived_ones() {
    let t = Theme {
        fg: Rgb(255, 0, 16),
        bg: None,
        palette: vec![Rgb(1, 2, 3)],
    };
    assert_eq!(
        json::to_string(&t),
        r##"{"fg":"#ff0010","bg":null,"palette":["#010203"]}"##
    );
    assert_eq!(
        json::to_string_pretty(&t),
        "{\n  \"fg\": \"#ff0010\",\n  \"bg\": null,\n  \"palette\": [\n    \"#010203\"\n  ]\n}"
    );
    let mut buf = Vec::new();
    let mut w = JsonWriter::new_pretty(&mut buf);
    w.begin_object();
    w.object_key(true, "k\"");
    w.begin_array();
    w.end_array(false);
    w.end_object(true);
    assert_eq!(buf, b"{\n  \"k\\\"\": []\n}");
}
