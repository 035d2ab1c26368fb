//! The ids of an article's quotes and annotations, from which their fragments
//! (`#quote-ID`, `#note-ID`) are made. A published link must keep pointing at the same
//! quote when others are inserted, removed or reordered, so an id never depends on a
//! position: it is the `id:` written in front matter, else a default derived from the
//! content (a quote's speaker and first words, an annotation's first words of `on` or of
//! its note). Identical defaults are told apart by `-2`, `-3`, … in document order, and
//! only they: every other id stays as it was.

use std::collections::BTreeSet;

use crate::diag::Span;

/// Words of the content a default id keeps.
const WORDS: usize = 5;

/// Characters of words a default id keeps at most (whole words, at least one).
const WORD_CHARS: usize = 40;

/// The first words of `text` as a slug: accents and other scripts transliterated,
/// apostrophes dropped (`won't` -> `wont`), punctuation removed; empty when no word has
/// a letter or digit.
fn first_words(text: &str) -> String {
    let mut out = String::new();
    let words = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | '…'))
        .map(|w| {
            let w: String = w
                .chars()
                .filter(|c| !matches!(c, '\'' | '’' | '‘' | 'ʼ'))
                .collect();
            slug::slugify(w)
        })
        .filter(|w| !w.is_empty())
        .take(WORDS);
    for w in words {
        if !out.is_empty() && out.len() + 1 + w.len() > WORD_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    // A single very long word (a URL, a German compound) is cut, on a character of the
    // slug (ASCII).
    out.truncate(WORD_CHARS);
    out.trim_end_matches('-').to_string()
}

/// A short, stable stand-in for content with no word a slug can keep (emoji, symbols).
fn digest(text: &str) -> String {
    format!("{:08x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as u32)
}

/// The default id of a quote of `speaker` with `text`: `speaker-first-words`.
pub(crate) fn default_quote_id(speaker: &str, text: &str) -> String {
    match first_words(text) {
        w if w.is_empty() => format!("{speaker}-{}", digest(text)),
        w => format!("{speaker}-{w}"),
    }
}

/// The default id of an annotation: the first words of its passage, else of its note
/// (Markdown, whose link targets are no words a reader sees).
pub(crate) fn default_note_id(on: Option<&str>, note: &str) -> String {
    let text = match on {
        Some(on) => on.to_string(),
        None => without_link_targets(note),
    };
    match first_words(&text) {
        w if w.is_empty() => digest(&text),
        w => w,
    }
}

/// `text` without the `(target)` of Markdown links and images (`[words](target)`).
fn without_link_targets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 2..];
        match rest.find(')') {
            Some(end) => rest = &rest[end + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// An id as one item of a list has it: written (`Some` span of the `id:` value) or a
/// default.
pub(crate) struct Candidate {
    /// The id written, or the default.
    pub(crate) id: String,
    /// Where `id:` was written; `None` for a default.
    pub(crate) written: Option<Span>,
}

impl Candidate {
    /// The `id:` written (with where), else the `default`.
    pub(crate) fn new(written: Option<(String, Span)>, default: impl FnOnce() -> String) -> Self {
        match written {
            Some((id, span)) => Candidate {
                id,
                written: Some(span),
            },
            None => Candidate {
                id: default(),
                written: None,
            },
        }
    }
}

/// A clash between ids of one list, for the caller to report.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Clash {
    /// Where the offending `id:` is written.
    pub(crate) span: Span,
    /// The id.
    pub(crate) id: String,
    /// 1-based position of the other item with that id.
    pub(crate) other: usize,
    /// True when the other item's id is its default (not written).
    pub(crate) other_default: bool,
}

/// The final ids of a list of candidates (same order), and the clashes: an `id:` written
/// twice, or written where another item's default already is. Defaults that are equal
/// get `-2`, `-3`, … in document order (skipping any suffix taken).
pub(crate) fn assign(items: &[Candidate]) -> (Vec<String>, Vec<Clash>) {
    let mut clashes = Vec::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    let mut first_written: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, c) in items.iter().enumerate() {
        if let Some(span) = c.written {
            match first_written.get(c.id.as_str()) {
                Some(&other) => clashes.push(Clash {
                    span,
                    id: c.id.clone(),
                    other: other + 1,
                    other_default: false,
                }),
                None => {
                    first_written.insert(&c.id, i);
                    taken.insert(&c.id);
                }
            }
        }
    }
    // A written id equal to another item's undecorated default would take the link
    // that item was published with: an error, not a silent renumbering.
    for (i, c) in items.iter().enumerate() {
        if c.written.is_some() {
            continue;
        }
        if let Some(&w) = first_written.get(c.id.as_str())
            && let Some(span) = items[w].written
        {
            clashes.push(Clash {
                span,
                id: c.id.clone(),
                other: i + 1,
                other_default: true,
            });
        }
    }
    // Every undecorated default is reserved before any suffix is handed out, so a
    // quote whose own default is `a-2` keeps it whatever comes before it.
    let mut assigned: BTreeSet<&str> = taken;
    let mut first_default: BTreeSet<&str> = BTreeSet::new();
    let mut is_first = vec![false; items.len()];
    for (i, c) in items.iter().enumerate() {
        if c.written.is_none() && first_default.insert(&c.id) {
            is_first[i] = true;
            assigned.insert(&c.id);
        }
    }
    let mut suffixed: BTreeSet<String> = BTreeSet::new();
    let mut ids: Vec<String> = Vec::with_capacity(items.len());
    for (i, c) in items.iter().enumerate() {
        if c.written.is_some() || is_first[i] {
            ids.push(c.id.clone());
            continue;
        }
        let id = (2..)
            .map(|k| format!("{}-{k}", c.id))
            .find(|id| !assigned.contains(id.as_str()) && !suffixed.contains(id))
            .unwrap_or_default();
        suffixed.insert(id.clone());
        ids.push(id);
    }
    (ids, clashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(ids: &[&str]) -> Vec<Candidate> {
        ids.iter()
            .map(|id| Candidate {
                id: id.to_string(),
                written: None,
            })
            .collect()
    }

    #[test]
    fn a_default_is_the_speaker_and_the_first_words() {
        assert_eq!(
            default_quote_id(
                "nayib-bukele",
                "We won't release our entire prison population …"
            ),
            "nayib-bukele-we-wont-release-our-entire"
        );
        assert_eq!(
            default_quote_id("x", "“Curious — to learn more about CECOT?”"),
            "x-curious-to-learn-more-about"
        );
        assert_eq!(default_quote_id("x", "José Ramos"), "x-jose-ramos");
        assert_eq!(
            default_note_id(Some("From a conservative standpoint"), "n"),
            "from-a-conservative-standpoint"
        );
        assert_eq!(
            default_note_id(None, "*See* [the report](https://e.example/r) now."),
            "see-the-report-now"
        );
    }

    #[test]
    fn long_words_are_cut_and_wordless_text_gets_a_digest() {
        let long = "a".repeat(100);
        assert_eq!(
            default_quote_id("x", &long),
            format!("x-{}", "a".repeat(40))
        );
        assert_eq!(
            default_quote_id("x", "internationalisation is long, indeed extraordinarily"),
            "x-internationalisation-is-long-indeed"
        );
        // Emoji have names (`slight-smile`); punctuation alone has no word.
        let id = default_quote_id("x", "?! …");
        assert!(crate::model::is_slug(&id) && id.len() == 10, "{id}");
        assert_eq!(id, default_quote_id("x", "?! …"), "stable");
        assert_ne!(id, default_quote_id("x", "?!"));
    }

    #[test]
    fn equal_defaults_are_numbered_in_document_order_and_others_stay() {
        let (ids, clashes) = assign(&defaults(&["a", "b", "a", "a-2", "a"]));
        assert!(clashes.is_empty());
        // `a-2` is the fourth item's own default: the copies of `a` skip it.
        assert_eq!(ids, ["a", "b", "a-3", "a-2", "a-4"]);
        let (ids, _) = assign(&defaults(&["a", "a-2", "a"]));
        assert_eq!(ids, ["a", "a-2", "a-3"]);
    }

    #[test]
    fn a_written_id_twice_or_on_a_default_is_a_clash() {
        let span = Span::new(3, 9, 1);
        let mut items = defaults(&["d"]);
        items.push(Candidate {
            id: "w".into(),
            written: Some(span),
        });
        items.push(Candidate {
            id: "w".into(),
            written: Some(span),
        });
        items.push(Candidate {
            id: "d".into(),
            written: Some(span),
        });
        let (_, clashes) = assign(&items);
        assert_eq!(
            clashes,
            [
                Clash {
                    span,
                    id: "w".into(),
                    other: 2,
                    other_default: false
                },
                Clash {
                    span,
                    id: "d".into(),
                    other: 1,
                    other_default: true
                },
            ]
        );
    }
}
