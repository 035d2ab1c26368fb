//! Per-language rules: the Snowball stemmer, the stop words and the abbreviations whose
//! `.` ends no sentence, picked by the primary subtag of a BCP 47 tag (`es-MX` -> `es`).
//! A language without rules gets the neutral ones: no stemming, no stop words, no
//! abbreviations (initials and `...` still end no sentence).
//!
//! Every list is folded and sorted once, on first use, and shared by every call.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::stop_words;

/// The text rules of one language.
#[derive(Debug)]
pub(crate) struct Language {
    /// The primary subtag these rules are for (lower case); empty for the neutral rules.
    pub(crate) code: &'static str,
    /// A number of its own, from 0, below [`Language::COUNT`]: where per-language caches
    /// keep its entries.
    pub(crate) slot: usize,
    stemmer: Option<Algorithm>,
    /// Stop words folded as [`super::fold_term`] folds them, sorted.
    stop_words: Vec<Box<str>>,
    /// Words whose `.` ends no sentence, without the dot, folded and sorted.
    abbreviations: Vec<Box<str>>,
}

/// What a language's rules are made of, as written in the source.
struct Spec {
    code: &'static str,
    stemmer: Option<Algorithm>,
    /// Stop words as written (accents kept).
    stop_words: &'static [&'static str],
    abbreviations: &'static [&'static str],
}

const fn spec(
    code: &'static str,
    stemmer: Option<Algorithm>,
    stop_words: &'static [&'static str],
    abbreviations: &'static [&'static str],
) -> Spec {
    Spec {
        code,
        stemmer,
        stop_words,
        abbreviations,
    }
}

/// Words whose `.` ends no sentence in English (`Mr. Doe`). Single letters (`Jane Q.
/// Doe`, `U.S.`) never end one in any language.
const EN_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "rev",
    "st", "jr", "sr", "hon", "pres", "vs",
];

/// Spanish: `Sr.`, `Sra.`, `Dra.`, `EE. UU.`, `Ud.`
const ES_ABBREVIATIONS: &[&str] = &[
    "sr", "sra", "srta", "sres", "dr", "dra", "lic", "ing", "arq", "prof", "profa", "ud", "uds",
    "vd", "vds", "gral", "gob", "pdte", "pdta", "sto", "sta", "av", "avda", "ee", "uu", "núm",
    "pág", "dña", "dn",
];

/// French: `M.` is an initial; `Mme`, `Mlle`, `Dr`, `Pr`, `Me` (maître), `St`.
const FR_ABBREVIATIONS: &[&str] = &[
    "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "st", "ste", "gén", "col", "cdt", "lt",
    "sgt", "mgr", "vol", "cf",
];

/// German: `Hr.`, `Fr.`, `Dr.`, `Nr.`, `bzw.`, `vgl.`
const DE_ABBREVIATIONS: &[&str] = &[
    "hr", "fr", "dr", "prof", "st", "nr", "bzw", "vgl", "ca", "bspw", "evtl", "ggf", "inkl", "sog",
    "dt", "geb", "gest", "abs", "str",
];

/// Portuguese: `Sr.`, `Sra.`, `Dr.`, `Dra.`, `Exmo.`
const PT_ABBREVIATIONS: &[&str] = &[
    "sr", "sra", "srta", "dr", "dra", "prof", "profa", "eng", "gen", "cel", "ten", "av", "sto",
    "sta", "exmo", "exma", "dom", "pe",
];

/// Italian: `Sig.`, `Dott.`, `Avv.`, `On.`
const IT_ABBREVIATIONS: &[&str] = &[
    "sig", "sigg", "dott", "dr", "prof", "avv", "ing", "on", "sen", "gen", "col", "geom", "rag",
    "arch", "pres", "mons", "sant",
];

/// Every language with rules, sorted by code; the others get [`NEUTRAL`].
const SPECS: &[Spec] = &[
    spec("ar", Some(Algorithm::Arabic), stop_words::AR, &[]),
    spec("da", Some(Algorithm::Danish), &[], &[]),
    spec(
        "de",
        Some(Algorithm::German),
        stop_words::DE,
        DE_ABBREVIATIONS,
    ),
    spec("el", Some(Algorithm::Greek), &[], &[]),
    spec(
        "en",
        Some(Algorithm::English),
        stop_words::EN,
        EN_ABBREVIATIONS,
    ),
    spec(
        "es",
        Some(Algorithm::Spanish),
        stop_words::ES,
        ES_ABBREVIATIONS,
    ),
    spec("fi", Some(Algorithm::Finnish), &[], &[]),
    spec(
        "fr",
        Some(Algorithm::French),
        stop_words::FR,
        FR_ABBREVIATIONS,
    ),
    spec("hu", Some(Algorithm::Hungarian), &[], &[]),
    spec(
        "it",
        Some(Algorithm::Italian),
        stop_words::IT,
        IT_ABBREVIATIONS,
    ),
    spec("nb", Some(Algorithm::Norwegian), &[], &[]),
    spec("nl", Some(Algorithm::Dutch), &[], &[]),
    spec("nn", Some(Algorithm::Norwegian), &[], &[]),
    spec("no", Some(Algorithm::Norwegian), &[], &[]),
    spec(
        "pt",
        Some(Algorithm::Portuguese),
        stop_words::PT,
        PT_ABBREVIATIONS,
    ),
    spec("ro", Some(Algorithm::Romanian), &[], &[]),
    spec("ru", Some(Algorithm::Russian), &[], &[]),
    spec("sv", Some(Algorithm::Swedish), &[], &[]),
    spec("ta", Some(Algorithm::Tamil), &[], &[]),
    spec("tr", Some(Algorithm::Turkish), &[], &[]),
];

/// The rules of a language gloss knows nothing particular about (Chinese and Japanese
/// too: UAX #29 already splits their words, and they have no stemmer).
static NEUTRAL: Language = Language {
    code: "",
    slot: SPECS.len(),
    stemmer: None,
    stop_words: Vec::new(),
    abbreviations: Vec::new(),
};

/// The rules of [`SPECS`], their stop words folded and sorted: built once, on first use.
static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(|| {
    SPECS
        .iter()
        .enumerate()
        .map(|(slot, s)| Language {
            code: s.code,
            slot,
            stemmer: s.stemmer,
            stop_words: folded_set(s.stop_words),
            abbreviations: folded_set(s.abbreviations),
        })
        .collect()
});

/// `words` folded as terms are, sorted, without duplicates.
fn folded_set(words: &[&str]) -> Vec<Box<str>> {
    let mut out: Vec<Box<str>> = words
        .iter()
        .map(|w| super::fold_term(w).into_boxed_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Language {
    /// How many rule sets there are, the neutral ones included.
    pub(crate) const COUNT: usize = SPECS.len() + 1;

    /// The rules for BCP 47 tag `tag` (`en`, `es-MX`, `zh-Hant`; `_` is taken for `-`),
    /// by its primary subtag, case-insensitively; the neutral rules for any other tag.
    pub(crate) fn of(tag: &str) -> &'static Language {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        let languages: &'static [Language] = &LANGUAGES;
        languages
            .binary_search_by(|l| {
                l.code
                    .bytes()
                    .cmp(primary.bytes().map(|b| b.to_ascii_lowercase()))
            })
            .map_or(&NEUTRAL, |i| &languages[i])
    }

    /// Whether the language has a Snowball stemmer.
    #[allow(dead_code, reason = "only its tests call it yet")]
    pub(crate) fn has_stemmer(&self) -> bool {
        self.stemmer.is_some()
    }

    /// `word` (lower case, accents kept) stemmed, or as it is without a stemmer.
    pub(crate) fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        match self.stemmer {
            // `create` only picks a function: nothing to keep between calls.
            Some(a) => Stemmer::create(a).stem(word),
            None => std::borrow::Cow::Borrowed(word),
        }
    }

    /// The stop words, folded as [`super::fold_term`] folds them (`él` is `el`), sorted.
    pub(crate) fn stop_words(&self) -> impl Iterator<Item = &str> {
        self.stop_words.iter().map(|w| &**w)
    }

    /// Whether `folded` (a word folded by [`super::fold_term`], not stemmed) is a stop word.
    pub(crate) fn is_stop_word(&self, folded: &str) -> bool {
        self.stop_words
            .binary_search_by(|w| (**w).cmp(folded))
            .is_ok()
    }

    /// Whether a `.` after `word` (the letters before it) is an abbreviation's, which
    /// ends no sentence; compared without case or accents.
    pub(crate) fn is_abbreviation(&self, word: &str) -> bool {
        if self.abbreviations.is_empty() {
            return false;
        }
        let word = super::fold_term(word);
        self.abbreviations
            .binary_search_by(|a| (**a).cmp(&word))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_rules_by_their_primary_subtag() {
        assert_eq!(Language::of("en").code, "en");
        assert_eq!(Language::of("es-MX").code, "es");
        assert_eq!(Language::of("PT_br").code, "pt");
        assert_eq!(Language::of(" ar ").code, "ar");
        assert_eq!(Language::of("zh-Hant").code, "");
        assert_eq!(Language::of("").code, "");
        assert_eq!(Language::of("x-klingon").code, "");
        assert!(!Language::of("ja").has_stemmer());
        assert!(Language::of("de-CH").has_stemmer());
    }

    #[test]
    fn languages_are_sorted_for_binary_search() {
        assert!(SPECS.windows(2).all(|w| w[0].code < w[1].code));
        let slots: Vec<usize> = LANGUAGES
            .iter()
            .map(|l| l.slot)
            .chain([NEUTRAL.slot])
            .collect();
        assert_eq!(slots, (0..Language::COUNT).collect::<Vec<_>>());
    }

    #[test]
    fn stop_words_are_folded_sorted_and_found() {
        for l in LANGUAGES.iter() {
            let words: Vec<&str> = l.stop_words().collect();
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{}", l.code);
            assert!(words.iter().all(|w| super::super::fold_term(w) == *w));
        }
        for (lang, word) in [
            ("en", "the"),
            ("es", "el"),
            ("es", "esta"),
            ("fr", "les"),
            ("de", "und"),
            ("pt", "nao"),
            ("it", "della"),
            ("ar", "في"),
        ] {
            assert!(Language::of(lang).is_stop_word(word), "{lang} {word}");
        }
        assert!(!Language::of("en").is_stop_word("continue"));
        assert!(!Language::of("ja").is_stop_word("the"));
        assert_eq!(NEUTRAL.stop_words().count(), 0);
    }

    #[test]
    fn abbreviations_ignore_case_and_accents() {
        let es = Language::of("es");
        assert!(es.is_abbreviation("Sra"));
        assert!(es.is_abbreviation("NUM"));
        assert!(es.is_abbreviation("núm"));
        assert!(!es.is_abbreviation("casa"));
        assert!(Language::of("en").is_abbreviation("MR"));
        assert!(!Language::of("zh").is_abbreviation("mr"));
    }
}
