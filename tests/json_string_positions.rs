//! Every byte that needs an escape, at every position of strings of every length up to 40
//! (the short paths of the encoder work per size class with overlapping words), encodes
//! exactly as serde_json does; so do clean strings of every length and multibyte text.

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
