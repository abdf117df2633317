//! Every byte that needs an escape, at every position of strings of every length up to 40
//! (the short paths of the encoder work per size class with overlapping words), encodes
//! exactly as serde_json does; so do clean strings of every length and multibyte text, and
//! long strings (the 16- and 32-byte block loops and their tails) with escapes at every
//! position and in runs.

fn check(s: &str) {
    let ours = perfkit::json::to_vec(s);
    let theirs = serde_json::to_vec(s).unwrap();
    assert_eq!(
        ours,
        theirs,
        "{s:?}: perfkit {:?}, serde_json {:?}",
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs)
    );
}

#[test]
fn every_escaped_byte_at_every_position_of_every_short_length() {
    let specials: Vec<char> = (0u8..0x20)
        .map(char::from)
        .chain(['"', '\\', '\u{7f}', ' ', '~'])
        .collect();
    let mut cases = 0;
    for len in 0..=40usize {
        check(&"x".repeat(len));
        for pos in 0..len {
            for &c in &specials {
                let mut s: Vec<char> = vec!['x'; len];
                s[pos] = c;
                check(&s.iter().collect::<String>());
                cases += 1;
            }
        }
    }
    // Two escapes, one in each half of the overlapping words.
    for len in 2..=40usize {
        let mut s: Vec<char> = vec!['y'; len];
        s[0] = '"';
        s[len - 1] = '\n';
        check(&s.iter().collect::<String>());
    }
    assert_eq!(cases, 820 * 37);
}

#[test]
fn multibyte_text_of_every_short_length() {
    let text = "žluťoučký kůň € 𝄞 \u{2028} ok";
    for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        check(&text[..cut]);
        check(&text[cut..]);
    }
}

#[test]
fn escapes_at_every_position_of_long_strings() {
    let specials = ['"', '\\', '\n', '\u{1}', '\u{1f}'];
    let mut cases = 0;
    for len in 41..=200usize {
        check(&"x".repeat(len));
        for pos in 0..len {
            let c = specials[(pos + len) % specials.len()];
            let mut s: Vec<char> = vec!['x'; len];
            s[pos] = c;
            check(&s.iter().collect::<String>());
            // A second escape 1, 16 or 33 bytes later: back-to-back and across blocks.
            for gap in [1, 16, 33] {
                if pos + gap < len {
                    s[pos + gap] = '"';
                    check(&s.iter().collect::<String>());
                    s[pos + gap] = 'x';
                }
            }
            cases += 1;
        }
    }
    // Runs of escapes, and multibyte text around them, in long strings.
    for len in [64usize, 65, 95, 96, 97, 128, 300] {
        check(&"\"".repeat(len));
        check(&"\u{2}é".repeat(len / 3));
        check(&"日本\t".repeat(len / 7 + 1));
    }
    assert_eq!(cases, (41..=200).sum::<usize>());
}
