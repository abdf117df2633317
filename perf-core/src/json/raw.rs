//! [`RawJson`]: a pre-encoded JSON value written verbatim.

use std::fmt;

use super::{FastJson, JsonWriter};

/// A pre-encoded JSON value, written verbatim (also in pretty mode, as serde_json's
/// `RawValue`). [`RawJson::new`] checks that the text is one valid JSON value.
///
/// # Examples
///
/// ```
/// use perf_core::json::{self, RawJson};
///
/// let cached = RawJson::new(r#"{"cached":true}"#).unwrap();
/// assert_eq!(json::to_string(&vec![cached]), r#"[{"cached":true}]"#);
/// assert!(RawJson::new("{oops}").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawJson(Box<str>);

/// The text given to [`RawJson::new`] is not exactly one JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidJson {
    offset: usize,
}

impl InvalidJson {
    /// Byte offset of the first unexpected byte.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for InvalidJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}", self.offset)
    }
}

impl std::error::Error for InvalidJson {}

impl RawJson {
    /// Checks that `json` is exactly one JSON value (surrounding whitespace allowed) and keeps
    /// it.
    pub fn new(json: impl Into<Box<str>>) -> Result<Self, InvalidJson> {
        let json = json.into();
        validate(json.as_bytes()).map_err(|offset| InvalidJson { offset })?;
        Ok(RawJson(json))
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&&*self.0).finish()
    }
}

impl FastJson for RawJson {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.raw(&self.0);
    }
}

/// Recursive-descent check of RFC 8259; the error is the offset of the offending byte.
fn validate(s: &[u8]) -> Result<(), usize> {
    let mut p = Parser { s, i: 0, depth: 0 };
    p.ws();
    p.value()?;
    p.ws();
    if p.i == s.len() { Ok(()) } else { Err(p.i) }
}

struct Parser<'s> {
    s: &'s [u8],
    i: usize,
    depth: usize,
}

/// Nesting limit, as serde_json's default recursion limit.
const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<(), usize> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.i)
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Result<(), usize> {
        for &b in lit {
            self.eat(b)?;
        }
        Ok(())
    }

    fn value(&mut self) -> Result<(), usize> {
        match self.peek() {
            Some(b'{') => self.container(b'}', true),
            Some(b'[') => self.container(b']', false),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.i),
        }
    }

    fn container(&mut self, close: u8, object: bool) -> Result<(), usize> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.i);
        }
        self.i += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if object {
                self.string()?;
                self.ws();
                self.eat(b':')?;
                self.ws();
            }
            self.value()?;
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b) if b == close => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.i),
            }
        }
    }

    fn string(&mut self) -> Result<(), usize> {
        self.eat(b'"')?;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    Some(b) if b.is_ascii_hexdigit() => self.i += 1,
                                    _ => return Err(self.i),
                                }
                            }
                        }
                        _ => return Err(self.i),
                    }
                }
                Some(0x00..=0x1F) | None => return Err(self.i),
                Some(_) => self.i += 1,
            }
        }
    }

    fn digits(&mut self) -> Result<(), usize> {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        if self.i == start { Err(self.i) } else { Ok(()) }
    }

    fn number(&mut self) -> Result<(), usize> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.digits()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_json_values() {
        for ok in [
            "null",
            " true ",
            "false",
            "0",
            "-0.5e+10",
            "1E3",
            "\"a\\u00e9\\n\"",
            "[]",
            "{}",
            "[1,[2,{\"a\":[]}]]",
            "{ \"k\" : \"v\" , \"n\" : null }",
            "\"é\"",
        ] {
            assert_eq!(validate(ok.as_bytes()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_text_at_the_offending_byte() {
        for (bad, at) in [
            ("", 0),
            ("nul", 3),
            ("01", 1),
            ("1.", 2),
            ("-", 1),
            ("[1,]", 3),
            ("{\"a\"}", 4),
            ("{a:1}", 1),
            ("\"\\x\"", 2),
            ("\"a\nb\"", 2),
            ("[1] 2", 4),
            ("\"open", 5),
            ("+1", 0),
        ] {
            assert_eq!(validate(bad.as_bytes()), Err(at), "{bad:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(validate(deep.as_bytes()).is_err());
    }
}
