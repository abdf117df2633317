//! The bench's string groups: long strings (≥ 200 bytes, few escapes) and short strings.

const WORDS: &[&str] = &[
    "latency",
    "buffer",
    "allocation",
    "pool",
    "encoder",
    "the",
    "a",
    "of",
    "fast",
    "zero",
    "benchmark",
    "profile",
    "escape",
    "analysis",
    "heap",
    "stack",
    "inline",
    "vector",
    "café",
    "naïve",
    "über",
    "東京",
    "データ",
    "reuse",
    "warm",
    "cache",
    "line",
    "branch",
    "predictor",
];

/// Deterministic sentence material: a tiny LCG walks the word list.
fn words(seed: u64, min_len: usize) -> String {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = String::new();
    while out.len() < min_len {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
    }
    out
}

/// 64 strings of 200–420 bytes; one in four carries a quote or a newline.
pub fn long_strings() -> Vec<String> {
    (0..64u64)
        .map(|i| {
            let mut s = words(i, 200 + (i as usize * 37) % 220);
            match i % 8 {
                0 => s.push_str(" \"quoted\""),
                4 => s.push_str("\nnext line"),
                _ => {}
            }
            s
        })
        .collect()
}

/// 512 strings of 1–24 bytes, mostly plain words, a few with an escape.
pub fn short_strings() -> Vec<String> {
    (0..512u64)
        .map(|i| {
            let mut s = words(i ^ 0x5bd1_e995, 1 + (i as usize * 7) % 16);
            let mut end = s.len().min(24);
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
            if i % 32 == 0 {
                s.push('\t');
            }
            s
        })
        .collect()
}
