//! The text engine: what gloss knows about words, sentences and matching, on plain
//! strings and byte ranges (no HTML, no model types), for anchoring, naming sentences,
//! nearest-passage hints and search.
//!
//! - [`words`]: word boundaries from Unicode word segmentation (UAX #29), so that
//!   Chinese and Japanese give a word per ideograph or kana run instead of one per
//!   unspaced run.
//! - [`terms`]: the words as a search index keys them: lower case, stemmed by the
//!   language's Snowball stemmer, accents removed, stop words flagged.
//! - [`sentence_ends`] and [`sentences`]: sentence boundaries from UAX #29, corrected by
//!   the language's abbreviations (`Mr.`, `Sra.`) and initials (`Jane Q. Doe`).
//! - [`Language`]: the per-language rules, picked by a BCP 47 tag's primary subtag.
//!
//! Languages are passed as BCP 47 tags (`"en"`, `"es-MX"`, `"zh-Hant"`); a language
//! gloss has no rules for gets the language-neutral ones.

// Terms and words are for the search index (issue 18 item 6), which calls them from
// its own branch; until it lands, only tests do.
#[allow(dead_code, reason = "the search index (issue 18 item 6) calls it")]
mod language;
#[allow(
    dead_code,
    reason = "anchoring calls it once link's sentence finder moves here"
)]
mod sentences;
mod stop_words;
#[allow(dead_code, reason = "the search index (issue 18 item 6) calls it")]
mod terms;
#[allow(dead_code, reason = "the search index (issue 18 item 6) calls it")]
mod words;

pub(crate) use language::Language;
#[allow(
    unused_imports,
    reason = "anchoring calls it once link's sentence finder moves here"
)]
pub(crate) use sentences::{sentence_ends, sentences};
#[allow(unused_imports, reason = "the search index (issue 18 item 6) calls it")]
pub(crate) use terms::{Term, Terms, fold_term, term, terms};
#[allow(unused_imports, reason = "the search index (issue 18 item 6) calls it")]
pub(crate) use words::{Words, words};
