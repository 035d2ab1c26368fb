use super::*;

fn keys(text: &str, lang: &str) -> Vec<String> {
    terms(text, lang).map(|t| t.text).collect()
}

/// The keys of the words that are not stop words.
fn indexed(text: &str, lang: &str) -> Vec<String> {
    terms(text, lang)
        .filter(|t| !t.is_stop)
        .map(|t| t.text)
        .collect()
}

#[test]
fn english_terms_are_stemmed_and_lower_case() {
    assert_eq!(
        keys("Continuing the RIGHTS of prisoners", "en"),
        ["continu", "the", "right", "of", "prison"]
    );
    // Forms of one word share a key, so a query for one finds the others.
    for w in ["continue", "continued", "continues", "Continuing"] {
        assert_eq!(term(w, "en-US"), "continu", "{w}");
    }
}

#[test]
fn positions_count_stop_words_so_phrases_match() {
    let t: Vec<Term> = terms("Until then, we will continue.", "en").collect();
    let got: Vec<(&str, u32, bool)> = t
        .iter()
        .map(|t| (t.text.as_str(), t.position, t.is_stop))
        .collect();
    assert_eq!(
        got,
        [
            ("until", 0, false),
            ("then", 1, true),
            ("we", 2, true),
            ("will", 3, true),
            ("continu", 4, false)
        ]
    );
    // The query's terms have the same keys at the same distances.
    let q: Vec<(String, u32)> = terms("We will continue", "en")
        .map(|t| (t.text, t.position))
        .collect();
    assert_eq!(
        q,
        [("we".into(), 0), ("will".into(), 1), ("continu".into(), 2)]
    );
    assert_eq!(
        &"Until then, we will continue."[t[4].range.clone()],
        "continue"
    );
}

#[test]
fn spanish_terms_are_stemmed_with_their_accents_then_folded() {
    assert_eq!(
        indexed(
            "Los presidentes cantaron las canciones de la revolución",
            "es-MX"
        ),
        ["president", "cant", "cancion", "revolu"]
    );
    // With or without the accent, singular or plural: one key.
    for w in ["canción", "cancion", "canciones", "CANCIÓN"] {
        assert_eq!(term(w, "es"), "cancion", "{w}");
    }
    // `está` is a stop word written with or without its accent.
    let stops: Vec<bool> = terms("Está aquí; esta casa", "es")
        .map(|t| t.is_stop)
        .collect();
    assert_eq!(stops, [true, true, true, false]);
}

#[test]
fn lone_letters_are_stop_words_but_ideographs_are_not() {
    let flags: Vec<(String, bool)> = terms("Bukele's U.S. 5", "en")
        .map(|t| (t.text, t.is_stop))
        .collect();
    assert_eq!(
        flags,
        [
            ("bukel".into(), false),
            ("s".into(), true),
            ("u".into(), true),
            ("s".into(), true),
            ("5".into(), true)
        ]
    );
    let zh: Vec<(String, bool)> = terms("继续", "zh").map(|t| (t.text, t.is_stop)).collect();
    assert_eq!(zh, [("继".into(), false), ("续".into(), false)]);
    let ja: Vec<(String, bool)> = terms("東京で", "ja").map(|t| (t.text, t.is_stop)).collect();
    assert_eq!(
        ja,
        [
            ("東".into(), false),
            ("京".into(), false),
            ("で".into(), false)
        ]
    );
}

#[test]
fn folding_removes_accents_and_case() {
    assert_eq!(fold_term("José"), "jose");
    assert_eq!(fold_term("JOSE\u{301}"), "jose");
    assert_eq!(fold_term("Ñandú"), "nandu");
    assert_eq!(fold_term("Müller"), "muller");
    assert_eq!(fold_term("Ελλάδα"), "ελλαδα");
    // Vowel signs of Devanagari are letters of the word: kept.
    assert_eq!(fold_term("हिन्दी"), "हिन्दी");
}

#[test]
fn folding_makes_full_width_and_ligatures_plain() {
    assert_eq!(fold_term("ＮＨＫ"), "nhk");
    assert_eq!(fold_term("２０２５"), "2025");
    assert_eq!(fold_term("ﬁnal"), "final");
    assert_eq!(keys("ＷＯＲＬＤ", "en"), keys("world", "en"));
}

#[test]
fn folding_drops_arabic_diacritics_tatweel_and_hamza_seats() {
    // Harakat (fatha, damma, kasra, shadda, sukun) and tatweel.
    assert_eq!(fold_term("مُحَمَّد"), "محمد");
    assert_eq!(fold_term("مـــرحبا"), "مرحبا");
    // Alef with hamza or madda is alef.
    assert_eq!(fold_term("أحمد"), "احمد");
    assert_eq!(fold_term("إسلام"), "اسلام");
    assert_eq!(fold_term("آمن"), "امن");
    // Arabic stop words are found with or without their diacritics.
    let flags: Vec<bool> = terms("فِي البيت", "ar").map(|t| t.is_stop).collect();
    assert_eq!(flags, [true, false]);
}

#[test]
fn arabic_terms_are_stemmed() {
    assert_eq!(term("الكتاب", "ar"), term("كتاب", "ar"));
}

#[test]
fn languages_without_a_stemmer_only_fold() {
    assert_eq!(
        keys("Continuing Prisoners", "zh"),
        ["continuing", "prisoners"]
    );
    assert_eq!(keys("Continuing", "x-unknown"), ["continuing"]);
}

#[test]
fn cached_keys_are_the_keys_made_afresh_and_the_cache_stays_bounded() {
    let text = "Continuing the continued continue, canción";
    let first: Vec<Term> = terms(text, "en").collect();
    let again: Vec<Term> = terms(text, "en").collect();
    assert_eq!(first, again);
    // Another language's keys for the same words are its own.
    assert_eq!(term("canciones", "es"), "cancion");
    assert_eq!(term("continued", "zh"), "continued");
    assert_eq!(term("continued", "en"), "continu");
    for i in 0..CACHED_KEYS + 10 {
        let _ = term(&format!("w{i}"), "de");
    }
    KEYS.with_borrow(|k| assert!(k.iter().all(|m| m.len() <= CACHED_KEYS)));
    assert_eq!(term("continued", "en"), "continu");
}
