use proptest::prelude::*;

use super::*;

#[test]
fn a_passage_is_found_in_a_quote_whatever_its_quotes_and_spaces() {
    assert!(
        !contains("We will continue", ""),
        "an empty passage is in no quote"
    );
    assert!(contains(
        "“We will  continue,” he said",
        "\"We will continue,\""
    ));
    assert!(contains(
        "\"We will  continue,\" he said",
        "We will continue"
    ));
    assert!(
        !contains("We will continue", "we will continue"),
        "case is kept"
    );
}

#[test]
fn quote_keys_ignore_what_matching_ignores_and_the_ends_punctuation() {
    let a = quote_key("“We are willing—to release ‘political prisoners’: it must be everyone.”");
    let b = quote_key("We are  willing-to release 'political prisoners': it must be everyone");
    assert_eq!(a, b);
    assert_eq!(quote_key("a b… c d."), quote_key("a b ... c d"));
    // Words and case still count.
    assert_ne!(
        quote_key("it must be everyone"),
        quote_key("it must be anyone")
    );
    assert_ne!(quote_key("It must"), quote_key("it must"));
}

#[test]
fn folding_ignores_what_design_says() {
    let body = Folded::new("“We are\u{a0}willing—to  release\n‘political prisoners’…” it’s");
    let quote = Folded::new("\"We are willing-to release 'political prisoners'...\" it's");
    assert_eq!(body.text, quote.text);
}

#[test]
fn dash_runs_are_one_dash() {
    assert_eq!(
        Folded::new("stop -- we --- go - now").text,
        Folded::new("stop — we – go ‐ now").text
    );
    let f = Folded::new("a--b");
    assert_eq!(f.source_range(1..2), 1..3);
}

#[test]
fn every_folded_byte_maps_to_the_character_it_came_from() {
    let src = "a  b’c…d\ne";
    let f = Folded::new(src);
    assert_eq!(f.text, "a b'c...d e");
    let sources: Vec<&str> = (0..f.text.len())
        .map(|k| &src[f.source_range(k..k + 1)])
        .collect();
    assert_eq!(
        sources,
        ["a", " ", "b", "’", "c", "…", "…", "…", "d", "\n", "e"]
    );
}

#[test]
fn case_and_words_still_count() {
    assert_ne!(Folded::new("We will").text, Folded::new("we will").text);
}

#[test]
fn nfc_composes_decomposed_text() {
    let decomposed = "Jose\u{301}";
    assert_eq!(Folded::new(decomposed).text, Folded::new("José").text);
    let f = Folded::new(decomposed);
    assert_eq!(f.source_range(0..f.text.len()), 0..decomposed.len());
}

#[test]
fn matches_map_back_to_the_source() {
    let src = "He said: “Until then,  El Salvador will continue”.";
    let f = Folded::new(src);
    let r = f.find_all(&Folded::new("'Until then, El Salvador").text);
    assert_eq!(r.len(), 1);
    assert_eq!(
        &src[f.source_range(r[0].clone())],
        "“Until then,  El Salvador"
    );
}

#[test]
fn quote_fragments() {
    assert_eq!(
        fragments("We are willing … it must be everyone"),
        ["We are willing", "it must be everyone"]
    );
    assert_eq!(fragments("...a...b..."), ["a", "b"]);
    // Without the punctuation at the ends, for a second try.
    let loose = |q: &str| without_end_punctuation(&fragments(q));
    assert_eq!(
        loose("It must be everyone."),
        Some(vec!["It must be everyone".into()])
    );
    assert_eq!(
        loose("it must be everyone;'"),
        Some(vec!["it must be everyone".into()])
    );
    assert_eq!(loose(", we go, ..."), Some(vec!["we go".into()]));
    assert_eq!(loose("a ... b."), Some(vec!["a".into(), "b".into()]));
    assert_eq!(loose("a ... b"), None);
    assert_eq!(loose("."), None);
}

proptest! {
    /// Needles found all at once (`expect`) are found where searching each finds them:
    /// the same non-overlapping occurrences, the same first one after any point.
    #[test]
    fn expected_needles_are_found_as_searched(
        text in "[ab ]{0,80}",
        needles in prop::collection::btree_set("[ab]{1,4}", MANY_NEEDLES..MANY_NEEDLES + 8),
        from in 0usize..80,
    ) {
        let plain = Folded::new(&text);
        let mut all = plain.clone();
        all.expect(needles.iter().cloned());
        prop_assert!(!all.expected.is_empty());
        for n in &needles {
            prop_assert_eq!(all.find_all(n), plain.find_all(n), "{:?}", n);
            prop_assert_eq!(all.find_from(n, from), plain.find_from(n, from), "{:?}", n);
        }
    }
}

proptest! {
    /// Any substring of a text, folded, is found in the folded text, and maps back to
    /// a source range whose folding contains it.
    #[test]
    fn substrings_are_found(text in "[a-zé \u{a0}’“”—…\n.]{1,60}", a in 0usize..60, len in 1usize..30) {
        let chars: Vec<char> = text.chars().collect();
        let a = a.min(chars.len() - 1);
        let part: String = chars[a..(a + len).min(chars.len())].iter().collect();
        let needle = Folded::new(&part).text;
        prop_assume!(!needle.trim().is_empty());
        let needle = needle.trim().to_string();
        let f = Folded::new(&text);
        let hits = f.find_all(&needle);
        prop_assert!(!hits.is_empty(), "{needle:?} not in {:?}", f.text);
        let src = f.source_range(hits[0].clone());
        let back = Folded::new(&text[src]).text;
        // A match may start inside the expansion of `…`, so compare by containment.
        prop_assert!(back.contains(needle.as_str()), "{back:?} lacks {needle:?}");
    }
}
