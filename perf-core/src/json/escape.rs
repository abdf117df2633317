//! String escaping: serde_json's escape set (`"`, `\`, and the C0 controls, with the short forms
//! `\b \t \n \f \r`), plus Go's HTML-safe set (`<`, `>`, `&`, U+2028, U+2029) on request.
//!
//! The scan for the next byte to escape is the hot loop of every encoder. A string of at most
//! 32 bytes that needs no escape (most keys and values) is checked and copied in one go, with
//! two overlapping loads and stores of its size class (SSE2 from 16 bytes, SWAR words below)
//! and no per-byte loop; that path is inlined, everything else is one call away. Longer
//! strings, and short ones with escapes, are copied while they are scanned: 32 bytes at a time
//! with AVX2 from 64 bytes on when the CPU has it (detected at run time, never assumed at
//! compile time), 16 bytes at a time with SSE2 on x86_64 (part of the baseline target), 8 bytes
//! at a time with SWAR elsewhere, and byte by byte below 16 bytes.

const BB: u8 = b'b';
const TT: u8 = b't';
const NN: u8 = b'n';
const FF: u8 = b'f';
const RR: u8 = b'r';
const QU: u8 = b'"';
const BS: u8 = b'\\';
const UU: u8 = b'u';
const __: u8 = 0;

/// `ESCAPE[b]` is the letter after the backslash for byte `b`, or 0 when `b` stays as is.
/// Same table as serde_json's, so the output is byte-identical.
pub(crate) static ESCAPE: [u8; 256] = {
    let mut t = [__; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = UU;
        i += 1;
    }
    t[0x08] = BB;
    t[0x09] = TT;
    t[0x0A] = NN;
    t[0x0C] = FF;
    t[0x0D] = RR;
    t[b'"' as usize] = QU;
    t[b'\\' as usize] = BS;
    t
};

/// Bytes that the HTML-safe mode also inspects: `<`, `>`, `&` and 0xE2, the lead byte of
/// U+2028 and U+2029 (whether the character is one of them is checked on the next two bytes).
static HTML_CANDIDATE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ESCAPE[i] != 0;
        i += 1;
    }
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'&' as usize] = true;
    t[0xE2] = true;
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Index of the first byte of `bytes` that needs an escape (serde_json's set), if any.
#[inline]
pub(crate) fn find_escape(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 16 {
        return bytes.iter().position(|&b| ESCAPE[b as usize] != 0);
    }
    find_escape_wide(bytes)
}

/// Bit `k` set when byte `k` of `v` needs serde_json's escape: a control byte (`<= 0x1F`:
/// `max_epu8(v, 0x1F) == 0x1F` exactly then), `"` or `\\`. Register-only; SSE2 is part of the
/// x86_64 baseline and enabled at compile time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn escape_mask(v: core::arch::x86_64::__m128i) -> u32 {
    use core::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is enabled at compile time (cfg above); these intrinsics only touch
    // registers.
    unsafe {
        let ctrl_max = _mm_set1_epi8(0x1F);
        let ctrl = _mm_cmpeq_epi8(_mm_max_epu8(v, ctrl_max), ctrl_max);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(ctrl, _mm_or_si128(quote, backslash))) as u32
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn find_escape_wide(bytes: &[u8]) -> Option<usize> {
    use core::arch::x86_64::{__m128i, _mm_loadu_si128};
    let len = bytes.len();
    let ptr = bytes.as_ptr();
    let mask_at = |i: usize| -> u32 {
        // SAFETY: callers pass `i + 16 <= len`, so the unaligned 16-byte load stays inside
        // `bytes`; SSE2 is enabled at compile time.
        escape_mask(unsafe { _mm_loadu_si128(ptr.add(i).cast::<__m128i>()) })
    };
    let mut i = 0;
    while i + 16 <= len {
        let m = mask_at(i);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i < len {
        // Re-scan the last 16 bytes (overlapping what was already clean) instead of a
        // byte-by-byte tail.
        let last = len - 16;
        let m = mask_at(last);
        if m != 0 {
            return Some(last + m.trailing_zeros() as usize);
        }
    }
    None
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn find_escape_wide(bytes: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn has_zero(x: u64) -> u64 {
        x.wrapping_sub(LO) & !x & HI
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte below 0x20 has its high bit set after subtracting 0x20, unless it was >= 0xA0
        // (which `!w & HI` filters out); the quote and backslash tests are exact zero tests.
        let ctrl = w.wrapping_sub(LO * 0x20) & !w & HI;
        let quote = has_zero(w ^ (LO * u64::from(b'"')));
        let backslash = has_zero(w ^ (LO * u64::from(b'\\')));
        if ctrl | quote | backslash != 0 {
            // The SWAR zero test can flag a byte after a real hit (borrow), never before it,
            // so the first flagged byte is exact; confirm with the table to be safe.
            if let Some(p) = chunk.iter().position(|&b| ESCAPE[b as usize] != 0) {
                return Some(base + p);
            }
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| ESCAPE[b as usize] != 0)
        .map(|p| base + p)
}

/// Appends `bytes`; up to 32 bytes are copied with at most two overlapping fixed-size moves
/// instead of a call to `memcpy` (numbers, keys and short strings are that short).
#[inline(always)]
pub(crate) fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n > 32 {
        out.extend_from_slice(bytes);
        return;
    }
    out.reserve(n);
    let len = out.len();
    let src = bytes.as_ptr();
    // SAFETY: `reserve(n)` guarantees `n` writable bytes after `len`; every copy below reads
    // inside `bytes` (offsets `0..n`) and writes inside `len..len + n`, the two ranges do not
    // overlap (`bytes` is a shared borrow, `out` a unique one), and all `n` bytes are written
    // before `set_len`. Unaligned reads and writes are used throughout.
    unsafe {
        let dst = out.as_mut_ptr().add(len);
        if n >= 16 {
            let a = src.cast::<[u8; 16]>().read_unaligned();
            let b = src.add(n - 16).cast::<[u8; 16]>().read_unaligned();
            dst.cast::<[u8; 16]>().write_unaligned(a);
            dst.add(n - 16).cast::<[u8; 16]>().write_unaligned(b);
        } else if n >= 8 {
            let a = src.cast::<u64>().read_unaligned();
            let b = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(a);
            dst.add(n - 8).cast::<u64>().write_unaligned(b);
        } else if n >= 4 {
            let a = src.cast::<u32>().read_unaligned();
            let b = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(a);
            dst.add(n - 4).cast::<u32>().write_unaligned(b);
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        out.set_len(len + n);
    }
}

/// Appends `"s"` with serde_json's escapes.
#[inline]
pub(crate) fn write_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    if bytes.len() <= 32 && write_short_clean(out, bytes) {
        return;
    }
    write_escaped_blocks(out, bytes);
}

/// [`write_escaped`] for a string longer than 32 bytes or one that needs an escape: out of
/// line, so the short path stays small where it is inlined.
#[inline(never)]
fn write_escaped_blocks(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let mut rest = bytes;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        if rest.len() >= AVX2_MIN && has_avx2() {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            rest = unsafe { copy_clean_prefix_avx2(out, rest) };
        }
        if rest.len() >= 16 {
            rest = copy_clean_prefix_sse2(out, rest);
        }
    }
    while let Some(i) = find_escape(rest) {
        push_bytes(out, &rest[..i]);
        push_escape(out, rest[i]);
        rest = &rest[i + 1..];
    }
    push_bytes(out, rest);
    out.push(b'"');
}

/// SWAR: whether no byte of `w` needs an escape (a control byte, `"` or `\\`). Each test is
/// exact for "any byte of the word" (a borrow can only flag bytes after a real hit).
#[inline(always)]
fn word_is_clean(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let quote = zero(w ^ (LO * u64::from(b'"')));
    let backslash = zero(w ^ (LO * u64::from(b'\\')));
    below_space | quote | backslash == 0
}

/// Appends `"bytes"` when `bytes` (at most 32 of them, `len + 2` bytes already reserved)
/// needs no escape, with two overlapping loads and stores per size class instead of a
/// per-byte loop; returns false, writing nothing, when some byte needs an escape.
#[inline(always)]
fn write_short_clean(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let n = bytes.len();
    let src = bytes.as_ptr();
    let at = out.len();
    // SAFETY: `n + 2` bytes are reserved past `at` (the caller's `reserve`). Every load reads
    // inside `bytes` (offsets `0..n`, the pairs overlap when `n` is not twice the width), every
    // store writes inside `at..at + n + 2`, and all of those bytes are written before
    // `set_len`. Unaligned accesses throughout; SSE2 is enabled at compile time.
    unsafe {
        let dst = out.as_mut_ptr().add(at);
        if n >= 16 {
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            {
                use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};
                let a = _mm_loadu_si128(src.cast::<__m128i>());
                let b = _mm_loadu_si128(src.add(n - 16).cast::<__m128i>());
                if escape_mask(a) | escape_mask(b) != 0 {
                    return false;
                }
                _mm_storeu_si128(dst.add(1).cast::<__m128i>(), a);
                _mm_storeu_si128(dst.add(1 + n - 16).cast::<__m128i>(), b);
            }
            #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
            {
                return false;
            }
        } else if n >= 8 {
            let a = src.cast::<u64>().read_unaligned();
            let b = src.add(n - 8).cast::<u64>().read_unaligned();
            if !word_is_clean(a) || !word_is_clean(b) {
                return false;
            }
            dst.add(1).cast::<u64>().write_unaligned(a);
            dst.add(1 + n - 8).cast::<u64>().write_unaligned(b);
        } else if n >= 4 {
            let a = src.cast::<u32>().read_unaligned();
            let b = src.add(n - 4).cast::<u32>().read_unaligned();
            if !word_is_clean(u64::from(a) | (u64::from(b) << 32)) {
                return false;
            }
            dst.add(1).cast::<u32>().write_unaligned(a);
            dst.add(1 + n - 4).cast::<u32>().write_unaligned(b);
        } else {
            for i in 0..n {
                let b = *src.add(i);
                if ESCAPE[b as usize] != 0 {
                    return false;
                }
                *dst.add(1 + i) = b;
            }
        }
        *dst = b'"';
        *dst.add(1 + n) = b'"';
        out.set_len(at + n + 2);
    }
    true
}

/// The copy-while-scanning loop of the SIMD paths, `W` bytes at a time: `block(src, dst)`
/// copies `W` bytes from `src` to `dst` and returns their escape mask (bit `k` set when byte
/// `k` needs an escape). Escapes are written as they are met; `out` ends holding every byte
/// consumed. Returns how many input bytes were consumed (the tail left is under `W`) and the
/// input index from which the output is a plain copy (the byte after the last escape). At
/// least `bytes.len() - consumed` bytes are reserved past `out.len()` on return.
///
/// # Safety
///
/// `block` reads exactly `W` bytes at `src`, writes exactly `W` bytes at `dst`, and returns
/// a mask as described.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
unsafe fn copy_clean_blocks<const W: usize>(
    out: &mut Vec<u8>,
    bytes: &[u8],
    block: impl Fn(*const u8, *mut u8) -> u32,
) -> (usize, usize) {
    let len = bytes.len();
    let src = bytes.as_ptr();
    let mut i = 0;
    // Room for every remaining source byte unescaped; re-established after each escape.
    out.reserve(len);
    // The output length and pointer stay in registers over a clean run (a length stored and
    // reloaded every block would chain the iterations through memory) and are committed at
    // each escape and at the end.
    let mut w = out.len();
    let mut base = out.as_mut_ptr();
    let mut copied_from = 0;
    while i + W <= len {
        // SAFETY: `i + W <= len`, so `block` reads inside `bytes`. It writes `W` bytes at `w`:
        // at least `len - i >= W` bytes are reserved past `w` (reserved before the loop and
        // after every escape, and `w` moves on exactly as `i` does between them). Only clean
        // bytes are committed with `set_len`.
        let mask = unsafe { block(src.add(i), base.add(w)) };
        if mask == 0 {
            w += W;
            i += W;
        } else {
            let k = mask.trailing_zeros() as usize;
            // SAFETY: every byte up to `w + k` was written (by earlier blocks and this one)
            // and is clean.
            unsafe { out.set_len(w + k) };
            push_escape(out, bytes[i + k]);
            i += k + 1;
            copied_from = i;
            out.reserve(len - i);
            w = out.len();
            base = out.as_mut_ptr();
        }
    }
    // SAFETY: every byte up to `w` was written and is clean.
    unsafe { out.set_len(w) };
    (i, copied_from)
}

/// Copies `bytes` to `out` 16 bytes at a time while scanning them, in one pass, escaping as it
/// goes; returns the tail (under 16 bytes) left for the scalar loop.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn copy_clean_prefix_sse2<'b>(out: &mut Vec<u8>, bytes: &'b [u8]) -> &'b [u8] {
    use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};
    let len = bytes.len();
    // SAFETY: the block reads and writes 16 bytes and returns their escape mask; SSE2 is
    // enabled at compile time.
    let (mut i, copied_from) = unsafe {
        copy_clean_blocks::<16>(out, bytes, |src, dst| {
            let v = _mm_loadu_si128(src.cast::<__m128i>());
            _mm_storeu_si128(dst.cast::<__m128i>(), v);
            escape_mask(v)
        })
    };
    // The tail (under 16 bytes): when the 16 bytes ending the string lie in the plain-copy
    // run, scan them again as one block and, if clean, store them over their own copy.
    let tail = len - i;
    if tail > 0 && len - 16 >= copied_from {
        let w = out.len();
        // SAFETY: `len >= 16`, so the load reads `len - 16..len` inside `bytes`. The store
        // writes `w - (16 - tail)..w + tail`: the first part is the output of the input
        // bytes `len - 16..i`, a plain copy (no escape since `copied_from <= len - 16`), so it
        // is rewritten with the same bytes, and `tail` bytes are reserved past `w` (at least
        // `len - i` are, see `copy_clean_blocks`); all of them are written before `set_len`.
        // SSE2 is enabled at compile time.
        unsafe {
            let v = _mm_loadu_si128(bytes.as_ptr().add(len - 16).cast::<__m128i>());
            if escape_mask(v) == 0 {
                let dst = out.as_mut_ptr().add(w - (16 - tail));
                _mm_storeu_si128(dst.cast::<__m128i>(), v);
                out.set_len(w + tail);
                i = len;
            }
        }
    }
    &bytes[i..]
}

/// Strings from this length on are copied 32 bytes at a time when the CPU has AVX2.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const AVX2_MIN: usize = 64;

/// Whether the CPU running us has AVX2: detected once, then one load of std's cached
/// feature word. Never assumed at compile time, so no `target-cpu` flag is needed.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
}

/// [`escape_mask`] for 32 bytes.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
#[inline]
fn escape_mask_avx2(v: core::arch::x86_64::__m256i) -> u32 {
    use core::arch::x86_64::{
        _mm256_cmpeq_epi8, _mm256_max_epu8, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    let ctrl_max = _mm256_set1_epi8(0x1F);
    let ctrl = _mm256_cmpeq_epi8(_mm256_max_epu8(v, ctrl_max), ctrl_max);
    let quote = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'"' as i8));
    let backslash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\\' as i8));
    _mm256_movemask_epi8(_mm256_or_si256(ctrl, _mm256_or_si256(quote, backslash))) as u32
}

/// [`copy_clean_prefix_sse2`] 32 bytes at a time; returns the tail (under 32 bytes), which
/// the SSE2 and scalar loops finish.
///
/// # Safety
///
/// The CPU supports AVX2.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
unsafe fn copy_clean_prefix_avx2<'b>(out: &mut Vec<u8>, bytes: &'b [u8]) -> &'b [u8] {
    use core::arch::x86_64::{__m256i, _mm256_loadu_si256, _mm256_storeu_si256};
    // SAFETY: the block reads and writes 32 bytes and returns their escape mask; AVX2 is
    // enabled for this function (the closure inherits it) and the caller guarantees the CPU
    // has it.
    let (i, _) = unsafe {
        copy_clean_blocks::<32>(out, bytes, |src, dst| {
            let v = _mm256_loadu_si256(src.cast::<__m256i>());
            _mm256_storeu_si256(dst.cast::<__m256i>(), v);
            escape_mask_avx2(v)
        })
    };
    &bytes[i..]
}

#[inline]
fn push_escape(out: &mut Vec<u8>, byte: u8) {
    let e = ESCAPE[byte as usize];
    if e == UU {
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(byte >> 4) as usize],
            HEX[(byte & 0xF) as usize],
        ]);
    } else {
        out.extend_from_slice(&[b'\\', e]);
    }
}

/// Turns `buf[start..]` into a JSON string of itself (quotes added, serde_json's escapes),
/// in place: the buffer grows once and the bytes move back to front, so nothing else is
/// allocated.
pub(crate) fn escape_in_place(buf: &mut Vec<u8>, start: usize) {
    let end = buf.len();
    let escaped_len = |b: u8| match ESCAPE[b as usize] {
        0 => 1,
        UU => 6,
        _ => 2,
    };
    let grown: usize = buf[start..end]
        .iter()
        .map(|&b| escaped_len(b))
        .sum::<usize>()
        + 2;
    buf.resize(start + grown, 0);
    // Every suffix of the output is at least as long as the matching suffix of the input, so
    // writing from the back never overwrites a byte not yet read.
    let mut w = start + grown - 1;
    buf[w] = b'"';
    let mut r = end;
    while r > start {
        r -= 1;
        let b = buf[r];
        let e = ESCAPE[b as usize];
        match e {
            0 => {
                w -= 1;
                buf[w] = b;
            }
            UU => {
                w -= 6;
                buf[w..w + 6].copy_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xF) as usize],
                ]);
            }
            _ => {
                w -= 2;
                buf[w] = b'\\';
                buf[w + 1] = e;
            }
        }
    }
    w -= 1;
    buf[w] = b'"';
    debug_assert_eq!(w, start);
}

/// Appends `"s"` with serde_json's escapes and Go's HTML-safe ones (`\u003c`, `\u003e`,
/// `\u0026`, `\u2028`, `\u2029`).
pub(crate) fn write_escaped_html(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !HTML_CANDIDATE[b as usize] {
            i += 1;
            continue;
        }
        let escape: &[u8] = match b {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            b'&' => b"\\u0026",
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                b"\\u2028"
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                b"\\u2029"
            }
            0xE2 => {
                i += 1;
                continue;
            }
            _ => {
                out.extend_from_slice(&bytes[start..i]);
                push_escape(out, b);
                i += 1;
                start = i;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        i += if b == 0xE2 { 3 } else { 1 };
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether `s` contains anything the HTML-safe mode escapes beyond serde_json's set.
pub(crate) fn needs_html_escape(s: &str) -> bool {
    s.contains(['<', '>', '&', '\u{2028}', '\u{2029}'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&b| ESCAPE[b as usize] != 0)
    }

    #[test]
    fn wide_scan_matches_the_table_at_every_position() {
        for len in 0..80 {
            for pos in 0..len {
                for special in [0u8, 0x1F, b'"', b'\\', b'\n'] {
                    let mut v = vec![b'a'; len];
                    // Bytes >= 0x80 must not be mistaken for controls.
                    if len > 3 {
                        v[len - 1] = 0xA0;
                        v[0] = 0xFF;
                    }
                    v[pos] = special;
                    assert_eq!(
                        find_escape(&v),
                        naive(&v),
                        "len {len} pos {pos} byte {special}"
                    );
                }
            }
            let v: Vec<u8> = (0..len).map(|i| 0x20 + (i as u8 % 0x5F)).collect();
            assert_eq!(find_escape(&v), naive(&v), "len {len} printable");
        }
    }

    #[test]
    fn push_bytes_copies_every_length() {
        let src: Vec<u8> = (0..80u8).collect();
        for n in 0..80 {
            let mut out = b"ab".to_vec();
            push_bytes(&mut out, &src[..n]);
            assert_eq!(&out[..2], b"ab");
            assert_eq!(&out[2..], &src[..n], "{n}");
        }
    }

    #[test]
    fn escape_in_place_matches_appending() {
        for s in [
            "",
            "plain",
            "\"q\"",
            "a\\b\n\u{1}\u{1f}c",
            "é\t😀\"",
            "\"{\"a\":1}\"",
        ] {
            let mut expected = b"xy".to_vec();
            write_escaped(&mut expected, s);
            let mut buf = b"xy".to_vec();
            buf.extend_from_slice(s.as_bytes());
            escape_in_place(&mut buf, 2);
            assert_eq!(buf, expected, "{s:?}");
        }
    }

    #[test]
    fn html_escapes_only_the_html_set() {
        let mut out = Vec::new();
        write_escaped_html(&mut out, "<a href=\"x\">&\u{2028}\u{2029}\u{2027}é\n</a>");
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            r#""\u003ca href=\"x\"\u003e\u0026\u2028\u2029\u{2027}é\n\u003c/a\u003e""#
                .replace("\\u{2027}", "\u{2027}")
        );
    }
}
