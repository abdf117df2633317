//! JSON encoding with generated, hand-written-style encoders, byte-identical to serde_json.
//!
//! [`FastJson`] is implemented for the std types and derived with `#[derive(FastJson)]`
//! (re-exported by the `perfkit` facade). The output of [`to_vec`] / [`to_vec_pretty`] is the
//! same, byte for byte, as serde_json's `to_vec` / `to_vec_pretty` for the same data with the
//! equivalent serde attributes: same escapes, same float formatting (zmij, as serde_json
//! 1.0.147+), non-finite floats as `null`, same pretty layout.
//!
//! - [`write_to`] appends to a buffer and allocates nothing once the buffer has room.
//! - [`to_vec`] / [`to_string`] allocate exactly once (the result) once the thread's scratch
//!   buffer is warm, or straight into a buffer of the computed size when the type has a
//!   static size bound ([`FastJson::MAX_LEN`]).
//! - [`to_writer`] encodes into the thread's scratch buffer and writes it in one call.
//! - [`to_pooled`] encodes into a buffer from a [`Pool`](crate::pool::Pool) (Go's
//!   `sync.Pool` pattern) that returns to the pool when dropped.
//! - [`Options`] adds HTML-safe escaping (Go's default) and pretty printing to any of them.
//!
//! ```
//! use perf_core::json::{self, FastJson, JsonWriter};
//!
//! struct Point { x: i32, y: i32 }
//!
//! // What `#[derive(FastJson)]` writes for you, roughly.
//! impl FastJson for Point {
//!     const MAX_LEN: Option<usize> = Some(29);
//!     fn write_json(&self, w: &mut JsonWriter<'_>) {
//!         if !w.is_pretty() {
//!             w.raw("{\"x\":");
//!             w.value(&self.x);
//!             w.raw(",\"y\":");
//!             w.value(&self.y);
//!             w.raw("}");
//!         } else {
//!             w.begin_object();
//!             w.object_key_quoted(true, "\"x\"");
//!             w.value(&self.x);
//!             w.object_key_quoted(false, "\"y\"");
//!             w.value(&self.y);
//!             w.end_object(true);
//!         }
//!     }
//! }
//!
//! let p = Point { x: 1, y: -2 };
//! assert_eq!(json::to_string(&p), r#"{"x":1,"y":-2}"#);
//! assert_eq!(json::to_string_pretty(&p), "{\n  \"x\": 1,\n  \"y\": -2\n}");
//!
//! let mut buf = Vec::with_capacity(64);
//! json::write_to(&mut buf, &[p]);
//! assert_eq!(buf, br#"[{"x":1,"y":-2}]"#);
//! ```

mod escape;
mod impls;
mod pooled;
mod raw;
mod writer;

use std::cell::RefCell;
use std::io;

pub use pooled::{BUFFERS, POOLED_BUFFER_KEEP, to_pooled, to_pooled_in};
pub use raw::{InvalidJson, RawJson};
pub use writer::JsonWriter;

/// A type that encodes itself as JSON, byte-identical to serde_json.
///
/// Derive it with `#[derive(FastJson)]`; the std impls cover numbers, `bool`, `char`,
/// strings, `Option`, sequences, tuples, smart pointers, maps with string-like or integer
/// keys, and `()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `FastJson`",
    label = "cannot be encoded as JSON",
    note = "derive it with `#[derive(perfkit::FastJson)]`, or encode the field with `#[json(with = \"path\")]` or skip it with `#[json(skip)]`"
)]
pub trait FastJson {
    /// An upper bound on the length of the compact encoding of any value of this type, when
    /// there is one (numbers, `bool`, `char`, structs and arrays of them). Encoders reserve
    /// it once up front and [`to_vec`] sizes its buffer with it.
    const MAX_LEN: Option<usize> = None;

    /// Appends the JSON encoding of `self`.
    fn write_json(&self, w: &mut JsonWriter<'_>);

    /// Go's `omitempty` test: `None`, `false`, zero, an empty string or collection.
    /// Types with no empty value keep the default, `false`.
    #[inline]
    fn is_json_empty(&self) -> bool {
        false
    }

    /// Writes `self` as a JSON string (Go's `,string` option, `#[json(as_string)]`):
    /// `"42"`, `"true"`, `"\"text\""`; `null` stays `null`.
    #[inline]
    fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
        w.quoted(|w| self.write_json(w));
    }

    /// Writes a slice of values as a JSON array. Slices, arrays and `Vec`s call it, so a
    /// type can encode runs of itself better than one at a time (as [`std::hash::Hash`]'s
    /// `hash_slice`); `f64` formats its elements two at a time. The default writes each
    /// element with [`write_json`](Self::write_json).
    #[inline]
    fn write_json_slice(items: &[Self], w: &mut JsonWriter<'_>)
    where
        Self: Sized,
    {
        impls::write_seq(w, items.len(), items);
    }

    /// Writes `a`, then whatever `between` writes, then `b`, as two
    /// [`write_json`](Self::write_json) calls would. `f64` and `f32` format both numbers
    /// before copying either out ([`JsonWriter::f64_pair`]); `#[derive(FastJson)]` calls it
    /// for two adjacent float fields. Not meant to be overridden outside this crate.
    #[doc(hidden)]
    #[inline]
    fn write_json_pair(
        a: &Self,
        b: &Self,
        w: &mut JsonWriter<'_>,
        between: impl FnOnce(&mut JsonWriter<'_>),
    ) where
        Self: Sized,
    {
        a.write_json(w);
        between(w);
        b.write_json(w);
    }

    /// `Some(v)` when `self` encodes exactly as [`JsonWriter::f64`] writes `v` (`f64` and
    /// pointers to one); tuples use it to format two floats at once. Not meant to be
    /// overridden outside this crate.
    #[doc(hidden)]
    #[inline]
    fn json_f64(&self) -> Option<f64> {
        None
    }
}

/// A type whose encoding is a JSON object and that can write its members into an enclosing
/// object: the target of `#[json(flatten)]` and the payload of internally tagged newtype
/// variants. Derived for structs with named fields; implemented for maps and `Option`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be flattened into a JSON object",
    label = "not a struct with named fields or a map",
    note = "`#[json(flatten)]` and internally tagged newtype variants need a struct with named fields, a map, or an `Option` of one"
)]
pub trait JsonFields {
    /// Writes the members (`"key":value` pairs) into an already open object. `first` says
    /// whether nothing was written into it yet; returns the same for the caller's next member.
    fn write_json_fields(&self, w: &mut JsonWriter<'_>, first: bool) -> bool;
}

/// A map key type: strings and string-likes are written escaped, integers, `char` and
/// `bool` quoted (`"42"`), as serde_json does.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a JSON object key",
    label = "not a string-like, integer, `char` or `bool` key",
    note = "JSON object keys are strings; serde_json accepts strings, integers, `char`, `bool` and unit enum variants"
)]
pub trait JsonKey {
    /// Writes the key as a JSON string (without the colon).
    fn write_json_key(&self, w: &mut JsonWriter<'_>);
}

/// Output options: pretty printing and Go's HTML-safe escaping.
///
/// # Examples
///
/// ```
/// use perf_core::json::Options;
///
/// let html = Options::new().html_safe(true);
/// assert_eq!(html.to_string(&"<b>&"), r#""\u003cb\u003e\u0026""#);
/// assert_eq!(Options::new().pretty(true).to_string(&[1, 2]), "[\n  1,\n  2\n]");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pretty: bool,
    html_safe: bool,
}

impl Options {
    /// Compact, serde_json's escapes: the defaults.
    pub const fn new() -> Self {
        Options {
            pretty: false,
            html_safe: false,
        }
    }

    /// Pretty-prints as serde_json's `to_vec_pretty`.
    pub const fn pretty(mut self, on: bool) -> Self {
        self.pretty = on;
        self
    }

    /// Escapes `<`, `>`, `&`, U+2028 and U+2029 as Go's `encoding/json` does by default.
    pub const fn html_safe(mut self, on: bool) -> Self {
        self.html_safe = on;
        self
    }

    /// A writer with these options appending to `buf`.
    pub fn writer<'a>(&self, buf: &'a mut Vec<u8>) -> JsonWriter<'a> {
        let mut w = if self.pretty {
            JsonWriter::new_pretty(buf)
        } else {
            JsonWriter::new(buf)
        };
        w.set_html_safe(self.html_safe);
        w
    }

    /// Appends the encoding of `value` to `buf`.
    pub fn write_to<T: FastJson + ?Sized>(&self, buf: &mut Vec<u8>, value: &T) {
        value.write_json(&mut self.writer(buf));
    }

    /// The encoding of `value` in a new buffer (one allocation once the thread is warm).
    pub fn to_vec<T: FastJson + ?Sized>(&self, value: &T) -> Vec<u8> {
        if let Some(max) = T::MAX_LEN
            && !self.pretty
        {
            // HTML-safe escapes of a `char` stay within its 8-byte bound too.
            let mut out = Vec::with_capacity(max);
            self.write_to(&mut out, value);
            return out;
        }
        with_scratch(|buf| {
            self.write_to(buf, value);
            buf.as_slice().to_vec()
        })
    }

    /// The encoding of `value` as a `String`.
    pub fn to_string<T: FastJson + ?Sized>(&self, value: &T) -> String {
        let bytes = self.to_vec(value);
        // Everything written through `JsonWriter` is valid UTF-8 (it only ever appends `&str`
        // data, ASCII punctuation and escapes), so this check never fails.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Writes the encoding of `value` to `writer` in a single `write_all`.
    pub fn to_writer<W: io::Write, T: FastJson + ?Sized>(
        &self,
        mut writer: W,
        value: &T,
    ) -> io::Result<()> {
        with_scratch(|buf| {
            self.write_to(buf, value);
            writer.write_all(buf)
        })
    }
}

/// Scratch buffers larger than this are dropped after use, so one huge document does not
/// pin a huge buffer to the thread.
const SCRATCH_KEEP: usize = 1 << 20;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's empty scratch buffer (a fresh one when it is in use by an
/// outer call, e.g. a `with` function that encodes recursively).
fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut f = Some(f);
    let result = SCRATCH.try_with(|cell| {
        let mut guard = cell.try_borrow_mut().ok()?;
        let f = f.take()?;
        guard.clear();
        let r = f(&mut guard);
        if guard.capacity() > SCRATCH_KEEP {
            *guard = Vec::new();
        } else {
            guard.clear();
        }
        Some(r)
    });
    match (result, f) {
        (Ok(Some(r)), _) => r,
        (_, Some(f)) => f(&mut Vec::new()),
        // `f` was taken only on the path that returns `Some`.
        (_, None) => unreachable!("scratch closure consumed without a result"),
    }
}

/// Appends the compact encoding of `value` to `buf`; allocates nothing once `buf` has room.
///
/// # Examples
///
/// ```
/// let mut buf = Vec::with_capacity(256);
/// perf_core::json::write_to(&mut buf, &("id", 7u8, [1.5f64, -0.0]));
/// assert_eq!(buf, br#"["id",7,[1.5,-0.0]]"#);
/// ```
#[inline]
pub fn write_to<T: FastJson + ?Sized>(buf: &mut Vec<u8>, value: &T) {
    value.write_json(&mut JsonWriter::new(buf));
}

/// Appends the pretty encoding of `value` to `buf` (serde_json's `to_vec_pretty` layout).
#[inline]
pub fn write_to_pretty<T: FastJson + ?Sized>(buf: &mut Vec<u8>, value: &T) {
    value.write_json(&mut JsonWriter::new_pretty(buf));
}

/// The compact encoding of `value`.
///
/// # Examples
///
/// ```
/// assert_eq!(perf_core::json::to_vec(&Some(f64::NAN)), b"null");
/// ```
#[inline]
pub fn to_vec<T: FastJson + ?Sized>(value: &T) -> Vec<u8> {
    Options::new().to_vec(value)
}

/// The compact encoding of `value` as a `String`.
///
/// # Examples
///
/// ```
/// assert_eq!(perf_core::json::to_string(&"tab\there"), r#""tab\there""#);
/// ```
#[inline]
pub fn to_string<T: FastJson + ?Sized>(value: &T) -> String {
    Options::new().to_string(value)
}

/// The pretty encoding of `value`, identical to serde_json's `to_vec_pretty`.
///
/// # Examples
///
/// ```
/// let v = perf_core::json::to_vec_pretty(&vec![vec![1], vec![]]);
/// assert_eq!(v, b"[\n  [\n    1\n  ],\n  []\n]");
/// ```
#[inline]
pub fn to_vec_pretty<T: FastJson + ?Sized>(value: &T) -> Vec<u8> {
    Options::new().pretty(true).to_vec(value)
}

/// The pretty encoding of `value` as a `String`.
#[inline]
pub fn to_string_pretty<T: FastJson + ?Sized>(value: &T) -> String {
    Options::new().pretty(true).to_string(value)
}

/// Writes the compact encoding of `value` to `writer` with one `write_all` call (encoded in a
/// per-thread scratch buffer first: no allocation once it is warm).
///
/// # Examples
///
/// ```
/// let mut out = std::io::Cursor::new(Vec::new());
/// perf_core::json::to_writer(&mut out, &[true, false]).unwrap();
/// assert_eq!(out.into_inner(), b"[true,false]");
/// ```
#[inline]
pub fn to_writer<W: io::Write, T: FastJson + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    Options::new().to_writer(writer, value)
}

/// Not public API: helpers that `#[derive(FastJson)]` output calls.
#[doc(hidden)]
pub mod __private {
    /// `a + b` when both are known.
    pub const fn add_len(a: Option<usize>, b: Option<usize>) -> Option<usize> {
        match (a, b) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        }
    }

    /// The larger of two bounds when both are known.
    pub const fn max_len(a: Option<usize>, b: Option<usize>) -> Option<usize> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if a > b { a } else { b }),
            _ => None,
        }
    }

    /// `base` plus every bound in `parts`, when all are known.
    pub const fn sum_len(base: usize, parts: &[Option<usize>]) -> Option<usize> {
        let mut total = Some(base);
        let mut i = 0;
        while i < parts.len() {
            total = add_len(total, parts[i]);
            i += 1;
        }
        total
    }

    /// Whether a key contains characters the HTML-safe mode escapes (then generated code
    /// keeps an escaped variant of the key literal).
    pub fn key_needs_html(key: &str) -> bool {
        super::escape::needs_html_escape(key)
    }
}
