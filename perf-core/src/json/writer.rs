//! [`JsonWriter`]: the output buffer plus the formatting state (compact or pretty, HTML-safe).

use super::FastJson;
use super::escape;

/// Indentation of the pretty printer: two spaces per level, as serde_json's default
/// `PrettyFormatter`.
const INDENT: &[u8] = b"  ";

/// Where a [`FastJson`] encoder writes: a `Vec<u8>` it appends to, and the output options.
///
/// Everything written through this API is valid UTF-8, which is what lets
/// [`to_string`](super::to_string) skip a validation pass.
///
/// Generated code writes pre-escaped keys with [`raw`](Self::raw) in compact mode and goes
/// through [`begin_object`](Self::begin_object) / [`object_key`](Self::object_key) /
/// [`end_object`](Self::end_object) in pretty mode. Hand-written impls and `with` functions
/// can use the same calls.
///
/// # Examples
///
/// ```
/// use perf_core::json::JsonWriter;
///
/// let mut buf = Vec::new();
/// let mut w = JsonWriter::new(&mut buf);
/// w.begin_object();
/// w.object_key(true, "id");
/// w.value(&7u32);
/// w.object_key(false, "tags");
/// w.value(&["a", "b"]);
/// w.end_object(true);
/// assert_eq!(buf, br#"{"id":7,"tags":["a","b"]}"#);
/// ```
#[derive(Debug)]
pub struct JsonWriter<'a> {
    buf: &'a mut Vec<u8>,
    depth: usize,
    pretty: bool,
    html_safe: bool,
}

impl<'a> JsonWriter<'a> {
    /// A compact writer appending to `buf`.
    #[inline]
    pub fn new(buf: &'a mut Vec<u8>) -> Self {
        JsonWriter {
            buf,
            depth: 0,
            pretty: false,
            html_safe: false,
        }
    }

    /// A pretty writer (serde_json's `PrettyFormatter`: two-space indent, `": "`) appending
    /// to `buf`.
    #[inline]
    pub fn new_pretty(buf: &'a mut Vec<u8>) -> Self {
        JsonWriter {
            buf,
            depth: 0,
            pretty: true,
            html_safe: false,
        }
    }

    /// Turns Go's HTML-safe escaping on or off: `<`, `>`, `&`, U+2028 and U+2029 become
    /// `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029` in every string and key.
    #[inline]
    pub fn set_html_safe(&mut self, on: bool) {
        self.html_safe = on;
    }

    /// Whether the output is pretty-printed.
    #[inline]
    pub fn is_pretty(&self) -> bool {
        self.pretty
    }

    /// Whether HTML-safe escaping is on.
    #[inline]
    pub fn is_html_safe(&self) -> bool {
        self.html_safe
    }

    /// Reserves room for at least `additional` more bytes.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.buf.reserve(additional);
    }

    /// Bytes in the underlying buffer (including what was there before this writer).
    #[inline]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the underlying buffer is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends `s` verbatim: pre-encoded JSON, punctuation, pre-escaped keys.
    #[inline]
    pub fn raw(&mut self, s: &str) {
        escape::push_bytes(self.buf, s.as_bytes());
    }

    /// Appends one ASCII byte.
    #[inline]
    pub(crate) fn byte(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        self.buf.push(b);
    }

    /// Writes any encodable value.
    #[inline]
    pub fn value<T: FastJson + ?Sized>(&mut self, v: &T) {
        v.write_json(self);
    }

    /// Writes `null`.
    #[inline]
    pub fn null(&mut self) {
        escape::push_bytes(self.buf, b"null");
    }

    /// Writes `s` as a JSON string, escaped as serde_json does (plus the HTML-safe set when on).
    #[inline]
    pub fn string(&mut self, s: &str) {
        if self.html_safe {
            escape::write_escaped_html(self.buf, s);
        } else {
            escape::write_escaped(self.buf, s);
        }
    }

    /// Writes an `f64` as serde_json does (zmij's shortest round-trip form); NaN and the
    /// infinities become `null`.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        if v.is_finite() {
            let mut b = zmij::Buffer::new();
            escape::push_bytes(self.buf, b.format_finite(v).as_bytes());
        } else {
            self.null();
        }
    }

    /// Writes two `f64`s as two [`f64`](Self::f64) calls would, with whatever `between`
    /// writes between them (a comma, or a comma and indentation).
    ///
    /// Both numbers are formatted before either is copied out. Reading a number back right
    /// after the formatter stored it stalls the CPU until the stores retire; with two
    /// independent conversions in flight the second one's work fills that wait. On
    /// `canada.json`'s coordinates this cuts the time per number by about a quarter.
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::json::JsonWriter;
    ///
    /// let mut buf = Vec::new();
    /// let mut w = JsonWriter::new(&mut buf);
    /// w.f64_pair(-65.61, f64::NAN, |w| w.raw(","));
    /// assert_eq!(buf, b"-65.61,null");
    /// ```
    #[inline]
    pub fn f64_pair(&mut self, a: f64, b: f64, between: impl FnOnce(&mut Self)) {
        let finite = a.is_finite() && b.is_finite();
        self.float_pair(a, b, finite, between, Self::f64);
    }

    /// Writes two `f32`s as two [`f32`](Self::f32) calls would, with whatever `between`
    /// writes between them; both are formatted before either is copied out, as in
    /// [`f64_pair`](Self::f64_pair).
    #[inline]
    pub fn f32_pair(&mut self, a: f32, b: f32, between: impl FnOnce(&mut Self)) {
        let finite = a.is_finite() && b.is_finite();
        self.float_pair(a, b, finite, between, Self::f32);
    }

    /// Both floats formatted, then both copied out; `single` writes one float when either is
    /// not finite.
    #[inline(always)]
    fn float_pair<F: zmij::Float + Copy>(
        &mut self,
        a: F,
        b: F,
        finite: bool,
        between: impl FnOnce(&mut Self),
        single: fn(&mut Self, F),
    ) {
        if finite {
            let mut ba = zmij::Buffer::new();
            let mut bb = zmij::Buffer::new();
            let sa = ba.format_finite(a).as_bytes();
            let sb = bb.format_finite(b).as_bytes();
            escape::push_bytes(self.buf, sa);
            between(self);
            escape::push_bytes(self.buf, sb);
        } else {
            single(self, a);
            between(self);
            single(self, b);
        }
    }

    /// Writes an `f32` as serde_json does; NaN and the infinities become `null`.
    #[inline]
    pub fn f32(&mut self, v: f32) {
        if v.is_finite() {
            let mut b = zmij::Buffer::new();
            escape::push_bytes(self.buf, b.format_finite(v).as_bytes());
        } else {
            self.null();
        }
    }

    #[inline]
    pub(crate) fn integer<I: itoa::Integer>(&mut self, v: I) {
        let mut b = itoa::Buffer::new();
        escape::push_bytes(self.buf, b.format(v).as_bytes());
    }

    #[inline]
    fn newline_indent(&mut self) {
        self.buf.push(b'\n');
        for _ in 0..self.depth {
            self.buf.extend_from_slice(INDENT);
        }
    }

    /// Opens an object: `{`.
    #[inline]
    pub fn begin_object(&mut self) {
        self.depth += 1;
        self.buf.push(b'{');
    }

    /// Closes an object opened with [`begin_object`](Self::begin_object); `nonempty` says
    /// whether a key was written (pretty mode puts `}` on its own line then).
    #[inline]
    pub fn end_object(&mut self, nonempty: bool) {
        self.depth -= 1;
        if self.pretty && nonempty {
            self.newline_indent();
        }
        self.buf.push(b'}');
    }

    /// Writes the separator before a key (none for the first one), the key escaped, and the
    /// colon.
    #[inline]
    pub fn object_key(&mut self, first: bool, key: &str) {
        self.key_prefix(first);
        self.string(key);
        self.key_suffix();
    }

    /// Like [`object_key`](Self::object_key) for a key that is already a quoted, escaped
    /// JSON string (`"\"id\""`).
    #[inline]
    pub fn object_key_quoted(&mut self, first: bool, quoted: &str) {
        self.key_prefix(first);
        self.raw(quoted);
        self.key_suffix();
    }

    /// Compact mode: writes a pre-escaped `,"key":` literal, without its leading comma when
    /// `first`.
    #[inline]
    pub fn compact_key(&mut self, first: bool, comma_key_colon: &str) {
        self.raw(&comma_key_colon[usize::from(first)..]);
    }

    /// The separator before a key: `,` (compact), `\n` or `,\n` plus indentation (pretty).
    #[inline]
    pub fn key_prefix(&mut self, first: bool) {
        if !first {
            self.buf.push(b',');
        }
        if self.pretty {
            self.newline_indent();
        }
    }

    /// Between a key and its value: `:` (compact) or `: ` (pretty).
    #[inline]
    pub fn key_suffix(&mut self) {
        if self.pretty {
            self.buf.extend_from_slice(b": ");
        } else {
            self.buf.push(b':');
        }
    }

    /// Opens an array: `[`.
    #[inline]
    pub fn begin_array(&mut self) {
        self.depth += 1;
        self.buf.push(b'[');
    }

    /// The separator before an array element: `,` (none for the first), plus a newline and
    /// indentation in pretty mode.
    #[inline]
    pub fn array_element(&mut self, first: bool) {
        if !first {
            self.buf.push(b',');
        }
        if self.pretty {
            self.newline_indent();
        }
    }

    /// Closes an array; `nonempty` says whether an element was written.
    #[inline]
    pub fn end_array(&mut self, nonempty: bool) {
        self.depth -= 1;
        if self.pretty && nonempty {
            self.newline_indent();
        }
        self.buf.push(b']');
    }

    /// Writes whatever `f` writes as a JSON string (Go's `,string` option): numbers and
    /// booleans get quotes around them, anything else is escaped as string content.
    pub fn quoted(&mut self, f: impl FnOnce(&mut JsonWriter<'_>)) {
        let start = self.buf.len();
        let pretty = self.pretty;
        // The inner value is compact: it becomes the content of a string.
        self.pretty = false;
        f(self);
        self.pretty = pretty;
        let written = &self.buf[start..];
        if written == b"null" {
            return;
        }
        let plain = written
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'));
        if plain {
            self.buf.insert(start, b'"');
            self.buf.push(b'"');
        } else {
            escape::escape_in_place(self.buf, start);
        }
    }
}
