use proptest::prelude::*;

use super::*;

/// The naming sentence of `names` in blocks of visible text joined as a `TextModel`
/// joins them, with the name in brackets.
fn naming(blocks: &[&str], names: &[&str]) -> Option<String> {
    let (text, breaks) = join(blocks);
    let folded = Folded::new(&text);
    let (s, r) = Sentences::new(&text, &folded, &breaks, "en").naming(names)?;
    Some(format!(
        "{}[{}]{}",
        &s[..r.start],
        &s[r.clone()],
        &s[r.end..]
    ))
}

fn join(blocks: &[&str]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut breaks = Vec::new();
    for b in blocks {
        breaks.push(text.len());
        text.push_str(b);
        breaks.push(text.len());
        text.push(' ');
    }
    (text, breaks)
}

const BUKELE: &[&str] = &["Nayib Bukele", "Bukele"];

#[test]
fn the_full_name_is_found_in_its_sentence() {
    assert_eq!(
        naming(
            &["It began online. Nayib Bukele replied on Tuesday. Clinton did not."],
            BUKELE
        )
        .as_deref(),
        Some("[Nayib Bukele] replied on Tuesday.")
    );
}

#[test]
fn the_full_name_is_preferred_to_an_earlier_surname() {
    assert_eq!(
        naming(&["Bukele spoke. Later, Nayib Bukele wrote."], BUKELE).as_deref(),
        Some("Later, [Nayib Bukele] wrote.")
    );
}

#[test]
fn the_surname_alone_is_found() {
    assert_eq!(
        naming(&["The offer stands. Bukele said it twice!"], BUKELE).as_deref(),
        Some("[Bukele] said it twice!")
    );
}

#[test]
fn case_and_accents_do_not_count() {
    let names = &["Juan José Ramos Ramos", "Ramos"];
    assert_eq!(
        naming(&["Lawyers for JUAN JOSE RAMOS RAMOS spoke."], names).as_deref(),
        Some("Lawyers for [JUAN JOSE RAMOS RAMOS] spoke.")
    );
    // Decomposed accents in the text, a plain name.
    assert_eq!(
        naming(&["We met Jose\u{301} today."], &["jose"]).as_deref(),
        Some("We met [Jose\u{301}] today.")
    );
    assert_eq!(
        naming(&["Él dijo que Núñez vino."], &["Nunez"]).as_deref(),
        Some("Él dijo que [Núñez] vino.")
    );
}

#[test]
fn only_whole_words_name_someone() {
    assert_eq!(naming(&["Bukelestan is not a country."], BUKELE), None);
    assert_eq!(
        naming(&["In Bukelestan. Then Bukele's reply came."], BUKELE).as_deref(),
        Some("Then [Bukele]'s reply came.")
    );
}

#[test]
fn sentences_end_at_sentence_ends_and_at_blocks() {
    assert_eq!(
        naming(
            &["First one? Yes, Bukele \u{201c}said\u{201d} so.\u{201d} Next."],
            BUKELE
        )
        .as_deref(),
        Some("Yes, [Bukele] \u{201c}said\u{201d} so.\u{201d}")
    );
    // A heading and the next paragraph, neither with a full stop.
    assert_eq!(
        naming(
            &["Reaction", "Bukele replied on X", "Clinton did not"],
            BUKELE
        )
        .as_deref(),
        Some("[Bukele] replied on X")
    );
    // A name split across two blocks is not a name.
    assert_eq!(naming(&["Nayib", "Bukele!"], &["Nayib Bukele"]), None);
}

#[test]
fn a_short_attribution_keeps_the_quote_before_it() {
    assert_eq!(
        naming(
            &["Talks failed. \u{201c}We will not pay.\u{201d} Bukele said. Then he left."],
            BUKELE
        )
        .as_deref(),
        Some("\u{201c}We will not pay.\u{201d} [Bukele] said.")
    );
    // A quote of several sentences is taken whole.
    assert_eq!(
        naming(&["Then: \"One. Two.\" Bukele said."], BUKELE).as_deref(),
        Some("\"One. Two.\" [Bukele] said.")
    );
    // A longer sentence after a quote stands alone.
    assert_eq!(
        naming(
            &["\u{201c}No.\u{201d} Bukele then wrote a long reply on X to her post."],
            BUKELE
        )
        .as_deref(),
        Some("[Bukele] then wrote a long reply on X to her post.")
    );
}

#[test]
fn initials_and_titles_do_not_end_a_sentence() {
    assert_eq!(
        naming(
            &["Intro. Then Jane Q. Doe met Mr. Smith in the U.S. on Monday. Done."],
            &["Smith"]
        )
        .as_deref(),
        Some("Then Jane Q. Doe met Mr. [Smith] in the U.S. on Monday.")
    );
    assert_eq!(
        naming(&["He left. Jane Q. Doe stayed."], &["Doe"]).as_deref(),
        Some("Jane Q. [Doe] stayed.")
    );
}

#[test]
fn white_space_is_tidied() {
    assert_eq!(
        naming(&["  Nayib\u{a0}  Bukele \n said  it.  "], BUKELE).as_deref(),
        Some("[Nayib Bukele] said it.")
    );
}

#[test]
fn a_long_sentence_is_cut_around_the_name() {
    let before = "word ".repeat(100);
    let after = " more".repeat(100);
    let text = format!("{before}then Bukele, spoke{after}.");
    let got = naming(&[&text], BUKELE).unwrap_or_default();
    assert!(got.starts_with("…word "), "{got}");
    assert!(got.ends_with(" more…"), "{got}");
    assert!(got.contains("then [Bukele], spoke"), "{got}");
    assert!(
        got.chars().count() <= MAX_CHARS + 4,
        "{}",
        got.chars().count()
    );
    // Short after the name: the room goes before it.
    let text = format!("{before}said Bukele.");
    let got = naming(&[&text], BUKELE).unwrap_or_default();
    assert!(
        got.starts_with('…') && got.ends_with("said [Bukele]."),
        "{got}"
    );
    assert!(
        got.chars().count() > MAX_CHARS - 10,
        "{}",
        got.chars().count()
    );
}

#[test]
fn no_mention_is_none() {
    assert_eq!(naming(&["Nobody is named here."], BUKELE), None);
    assert_eq!(naming(&[""], &["", " "]), None);
}

proptest! {
    /// The name range is a non-empty range of char boundaries in the sentence and
    /// its text is one of the names, for any text and block boundaries.
    #[test]
    fn the_name_is_in_the_sentence(
        blocks in proptest::collection::vec("[a-cé A-CÉ.?!\u{301}\u{a0}\u{201d}\"Q\n]{0,40}", 1..5),
        names in proptest::collection::vec("[a-cé A-CÉ.\u{301}]{0,6}", 1..4),
    ) {
        let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (text, breaks) = join(&blocks);
        let folded = Folded::new(&text);
        if let Some((s, r)) = Sentences::new(&text, &folded, &breaks, "en").naming(&names) {
            prop_assert!(r.start < r.end && r.end <= s.len(), "{r:?} in {s:?}");
            prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            prop_assert!(s.chars().count() <= MAX_CHARS + 2);
            let key = |t: &str| Key::new(&Folded::new(t).text).text.trim().to_string();
            prop_assert!(names.iter().any(|n| key(n) == key(&s[r.clone()])), "{:?}", &s[r]);
        }
    }
}

#[test]
fn names_are_found_in_text_without_spaces() {
    let got = |text: &str, name: &str| {
        let (text, breaks) = join(&[text]);
        let folded = Folded::new(&text);
        Sentences::new(&text, &folded, &breaks, "zh")
            .naming(&[name])
            .map(|(s, r)| format!("{}[{}]{}", &s[..r.start], &s[r.clone()], &s[r.end..]))
    };
    assert_eq!(
        got("会议开始了。习近平说我们将继续。然后散会。", "习近平").as_deref(),
        Some("[习近平]说我们将继续。")
    );
    // A Latin name against Han is a word; inside Latin letters it is not.
    assert_eq!(
        got("今天Bukele说了。", "Bukele").as_deref(),
        Some("今天[Bukele]说了。")
    );
    assert_eq!(got("今天Bukelestan说了。", "Bukele"), None);
}

#[test]
fn sentences_follow_the_language_s_abbreviations() {
    let (text, breaks) = join(&["Llegó. La Sra. Díaz habló con Núñez. Fin."]);
    let folded = Folded::new(&text);
    let es = Sentences::new(&text, &folded, &breaks, "es").naming(&["Nunez"]);
    assert_eq!(
        es.map(|(s, _)| s.to_string()).as_deref(),
        Some("La Sra. Díaz habló con Núñez.")
    );
    let en = Sentences::new(&text, &folded, &breaks, "en").naming(&["Nunez"]);
    assert_eq!(
        en.map(|(s, _)| s.to_string()).as_deref(),
        Some("Díaz habló con Núñez.")
    );
}
