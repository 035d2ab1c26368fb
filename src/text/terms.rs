//! Terms: the words of a text as a search index keys them. Search calls [`terms`] on
//! what it indexes and on every query, so both sides key a word the same way.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

use super::words::is_unspaced;
use super::{Language, Words, words};

/// One word of a text as an index keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "the engine's contract for search keys; the index keys each written word once with `key`, and the tests check both agree"
)]
pub(crate) struct Term {
    /// The key: lower case, stemmed, accents removed (see [`terms`]).
    pub(crate) text: String,
    /// The word's number in the text, from 0: every word counts, stop words too, so
    /// that consecutive positions are consecutive words.
    pub(crate) position: u32,
    /// Byte range of the word in the text.
    pub(crate) range: Range<usize>,
    /// A stop word of the language, or a lone letter or digit of a script that spaces its
    /// words (`s` of `Bukele's`): too common to look up alone, still a word of a phrase.
    pub(crate) is_stop: bool,
}

/// The terms of `text` in the language of BCP 47 tag `lang`, one per word of
/// [`words`], in order. This is the contract search relies on:
///
/// - **Words** are UAX #29 word segments cut into runs of letters and digits: `don't` is
///   `don` + `t`, each Chinese ideograph and hiragana a word, a katakana run one word.
/// - **Key** ([`Term::text`]): the word in compatibility form and lower case (`ＮＨＫ` is
///   `nhk`), stemmed by the language's Snowball stemmer (`continuing` -> `continu`;
///   Arabic, Danish, Dutch, English, Finnish, French, German, Greek, Hungarian, Italian,
///   Norwegian, Portuguese, Romanian, Russian, Spanish, Swedish, Tamil, Turkish), then
///   without accents and diacritics (`canción` -> `cancion`, Arabic harakat, hamza
///   seats and tatweel dropped). Stemming sees the accents, so `canciones` and
///   `cancion` both key as `cancion`. Other languages are not stemmed.
/// - **Position** ([`Term::position`]) counts every word, stop words included: the
///   phrase `we will continue` is three consecutive positions whatever is indexed.
/// - **Stop words** are flagged ([`Term::is_stop`]), never skipped: an index may leave
///   them out and still match phrases by position.
/// - Terms are not cut to a length: an index that caps them does so itself.
#[allow(
    dead_code,
    reason = "the engine's contract for search keys; the index keys each written word once with `key`, and the tests check both agree"
)]
pub(crate) fn terms<'a>(text: &'a str, lang: &str) -> Terms<'a> {
    Terms {
        text,
        words: words(text, lang),
        language: Language::of(lang),
        position: 0,
        lower: String::new(),
    }
}

/// The key of one word of [`words`] in language `lang` and whether it is a stop word,
/// as [`terms`] gives them ([`Term::text`], [`Term::is_stop`]): for an index that
/// splits the words itself and keys each written word once.
pub(crate) fn key(word: &str, lang: &str) -> (String, bool) {
    let mut lower = String::new();
    lower_into(word, &mut lower);
    key_of(Language::of(lang), &lower)
}

/// The key of one word in language `lang`, as [`terms`] gives it (for a word already
/// split out; the tests' way to name an expected key).
#[cfg(test)]
pub(crate) fn term(word: &str, lang: &str) -> String {
    key(word, lang).0
}

/// The iterator of [`terms`].
#[derive(Debug, Clone)]
#[allow(
    dead_code,
    reason = "the engine's contract for search keys; the index keys each written word once with `key`, and the tests check both agree"
)]
pub(crate) struct Terms<'a> {
    text: &'a str,
    words: Words<'a>,
    language: &'static Language,
    position: u32,
    /// The current word in lower case, reused from word to word.
    lower: String,
}

impl Iterator for Terms<'_> {
    type Item = Term;

    fn next(&mut self) -> Option<Term> {
        let range = self.words.next()?;
        let position = self.position;
        self.position += 1;
        let word = &self.text[range.clone()];
        lower_into(word, &mut self.lower);
        let (text, is_stop) = key_of(self.language, &self.lower);
        Some(Term {
            text,
            position,
            range,
            is_stop,
        })
    }
}

/// Most keys a thread keeps in [`KEYS`] before it starts afresh (some 10 MB at most).
const CACHED_KEYS: usize = 100_000;

/// Per language ([`Language::slot`]) and lower-case word, its key and whether it is a
/// stop word. A text's words repeat (a news archive has a vocabulary of some ten thousand
/// words in millions), and a Snowball stem costs far more than a look-up: made once per
/// thread.
type KeyCache = [foldhash::HashMap<Box<str>, (Box<str>, bool)>; Language::COUNT];

thread_local! {
    static KEYS: RefCell<KeyCache> = RefCell::new(std::array::from_fn(|_| Default::default()));
}

/// The key of `lower` (a word from [`lower_into`]) in `language`, and whether it is a
/// stop word.
fn key_of(language: &'static Language, lower: &str) -> (String, bool) {
    KEYS.with_borrow_mut(|by_language| {
        let keys = &mut by_language[language.slot];
        if let Some((key, is_stop)) = keys.get(lower) {
            return (key.to_string(), *is_stop);
        }
        let key = strip_marks(&language.stem(lower)).into_owned();
        let is_stop = language.is_stop_word(&strip_marks(lower)) || is_lone_spaced_char(lower);
        if keys.len() >= CACHED_KEYS {
            keys.clear();
        }
        keys.insert(lower.into(), (key.as_str().into(), is_stop));
        (key, is_stop)
    })
}

/// `word` folded as terms are, without stemming: compatibility form, lower case, no
/// accents or diacritics. `José`, `JOSE` and `jose` all fold to `jose`.
pub(crate) fn fold_term(word: &str) -> String {
    let mut lower = String::new();
    lower_into(word, &mut lower);
    strip_marks(&lower).into_owned()
}

/// Writes `word` in compatibility composed form (NFKC: full-width letters as ASCII,
/// ligatures split, accents composed, which is what the stemmers expect) and lower case
/// into `out`.
fn lower_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(word.nfkc().flat_map(char::to_lowercase));
    }
}

/// Whether `c` is an accent or a diacritic that folding drops: the combining diacritical
/// marks of the Latin, Greek and Cyrillic scripts, Hebrew points, Arabic harakat and
/// hamza, and the Arabic tatweel (a stretching stroke, no letter). Marks that are vowels
/// of their script (Devanagari, Thai) stay: without them the word changes.
fn is_dropped_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{0591}'..='\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}'
    )
}

/// `lower` without the marks of [`is_dropped_mark`] (decomposed to find them: `é` is
/// `e` + U+0301, `أ` is `ا` + hamza above).
fn strip_marks(lower: &str) -> Cow<'_, str> {
    if lower.is_ascii() {
        return Cow::Borrowed(lower);
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        decompose_canonical(c, |d| {
            if !is_dropped_mark(d) {
                out.push(d);
            }
        });
    }
    // Recomposed, so that what is left of a cluster compares as one character.
    Cow::Owned(out.nfc().collect())
}

/// A single letter or digit of a script that separates words by spaces. Han and kana
/// characters are words on their own, and so is many a Hangul syllable: they are not.
fn is_lone_spaced_char(lower: &str) -> bool {
    let mut chars = lower.chars().filter(|&c| !is_dropped_mark(c));
    let is_hangul = |c: char| matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}');
    matches!((chars.next(), chars.next()), (Some(c), None) if !is_unspaced(c) && !is_hangul(c))
}

#[cfg(test)]
mod tests;
