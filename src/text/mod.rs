//! The text engine: what gloss knows about words, sentences and matching, on plain
//! strings and byte ranges (no HTML, no model types), for anchoring, naming sentences,
//! nearest-passage hints and search.
//!
//! - [`words`]: word boundaries from Unicode word segmentation (UAX #29), so that
//!   Chinese and Japanese give a word per ideograph or kana run instead of one per
//!   unspaced run.
//! - [`key`] and [`terms`]: a word as the search index keys it (lower case, stemmed by
//!   the language's Snowball stemmer, accents removed, stop words flagged); the index
//!   keys word by word, `terms` states the same contract for a whole text.
//! - [`sentence_ends`] and [`sentences`]: sentence boundaries from UAX #29, corrected by
//!   the language's abbreviations (`Mr.`, `Sra.`) and initials (`Jane Q. Doe`).
//! - [`Language`]: the per-language rules, picked by a BCP 47 tag's primary subtag.
//! - [`Folded`]: the folding anchoring matches in (white space, quote and dash forms),
//!   with a map back to the source; quote fragments and keys.
//! - [`Sentences`]: the sentence of a text that names someone.
//! - [`Nearby`] and [`nearest`]: the passage nearest to one not found, and the word
//!   [`Edit`]s between them.
//!
//! Languages are passed as BCP 47 tags (`"en"`, `"es-MX"`, `"zh-Hant"`); a language
//! gloss has no rules for gets the language-neutral ones.

mod fold;
mod language;
mod names;
mod nearest;
mod sentences;
mod stop_words;
mod terms;
mod words;

pub(crate) use fold::{Folded, contains, fragments, quote_key, without_end_punctuation};
pub(crate) use language::Language;
pub(crate) use names::Sentences;
pub(crate) use nearest::{Edit, Hint, Nearby, nearest};
pub(crate) use sentences::sentence_ends;
#[allow(
    unused_imports,
    reason = "the engine's sentence API; only its tests call it yet"
)]
pub(crate) use sentences::sentences;
#[allow(
    unused_imports,
    reason = "the engine's contract for search keys; only tests call it since the index keys word by word"
)]
pub(crate) use terms::terms;
pub(crate) use terms::{fold_term, key};
pub(crate) use words::{Words, words};
