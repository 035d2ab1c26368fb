//! The postings of a run of documents: for every term (a stem, as `text::terms` keys
//! it), the documents holding it with the fields it is in and its word positions, and
//! the table from each word as written (folded, not stemmed) to its stems, which the
//! browser uses instead of a stemmer of its own (README, Search).
//!
//! A document's text is a stream of segments (headline or name, quotes, body blocks),
//! with a gap of one position between segments so that a phrase never runs from one
//! into the next. Positions count every word, stop words too, as `text::terms` does;
//! stop words themselves are not indexed.

use std::ops::Range;

use super::body_text::blocks;
use super::{MAX_TERM, field};
use crate::link::{Archive, Entity};
use crate::text;

/// A term's postings in one run of documents.
#[derive(Debug, Default)]
pub(super) struct Entry {
    /// `doc << field::BITS | fields`, by ascending document.
    pub(super) postings: Vec<u32>,
    /// Per posting: the number of positions, then the positions, ascending; `None` once
    /// the term is in more documents than positions are kept for.
    pub(super) positions: Option<Vec<u32>>,
}

/// The postings and the word table of a run of documents.
#[derive(Debug, Default)]
pub(super) struct Part {
    /// Term -> postings.
    pub(super) terms: foldhash::HashMap<Box<str>, Entry>,
    /// Word as written, folded -> its stems where they differ from it (one per language
    /// that stems it differently), sorted.
    pub(super) words: foldhash::HashMap<Box<str>, Vec<Box<str>>>,
}

/// What one document holds of a term while it is read.
#[derive(Debug, Default)]
struct Seen {
    fields: u32,
    positions: Vec<u32>,
}

/// Reads the texts of one document.
pub(super) struct Doc<'p> {
    part: &'p mut Part,
    seen: foldhash::HashMap<String, Seen>,
    lang: &'p str,
    /// The position the next segment starts at.
    next: u32,
}

/// `s` cut to [`MAX_TERM`] characters.
fn capped(mut s: String) -> String {
    if let Some((end, _)) = s.char_indices().nth(MAX_TERM) {
        s.truncate(end);
    }
    s
}

impl<'p> Doc<'p> {
    /// A document in language `lang` whose terms go into `part`.
    pub(super) fn new(part: &'p mut Part, lang: &'p str) -> Self {
        Doc {
            part,
            seen: foldhash::HashMap::default(),
            lang,
            next: 0,
        }
    }

    /// Adds the terms of `text`, found in `fields`; with positions when `positioned`.
    pub(super) fn add(&mut self, text: &str, fields: u32, positioned: bool) {
        let mut last = None;
        for t in text::terms(text, self.lang) {
            last = Some(t.position);
            if t.is_stop {
                continue;
            }
            let word = &text[t.range.clone()];
            let stem = capped(t.text);
            if !word.eq_ignore_ascii_case(&stem) {
                let folded = capped(text::fold_term(word));
                if folded != stem {
                    self.word(folded, &stem);
                }
            }
            let seen = self.seen.entry(stem).or_default();
            seen.fields |= fields;
            if positioned {
                seen.positions.push(self.next + t.position);
            }
        }
        if positioned && let Some(last) = last {
            self.next += last + 2;
        }
    }

    /// Records that `folded` stems to `stem`.
    fn word(&mut self, folded: String, stem: &str) {
        // Most words are seen before: look up first, allocate the key only when new.
        let stems = match self.part.words.get_mut(folded.as_str()) {
            Some(stems) => stems,
            None => self.part.words.entry(folded.into()).or_default(),
        };
        if let Err(at) = stems.binary_search_by(|s| (**s).cmp(stem)) {
            stems.insert(at, stem.into());
        }
    }

    /// Moves what the document holds into the part, as document `doc`.
    pub(super) fn finish(self, doc: u32, position_cap: usize) {
        for (term, seen) in self.seen {
            let entry = self.part.terms.entry(term.into()).or_insert_with(|| Entry {
                postings: Vec::new(),
                positions: Some(Vec::new()),
            });
            entry.postings.push(doc << field::BITS | seen.fields);
            if entry.postings.len() > position_cap {
                entry.positions = None;
            }
            if let Some(p) = &mut entry.positions {
                p.push(seen.positions.len() as u32);
                p.extend(&seen.positions);
            }
        }
    }
}

/// The language of article `i`'s text, a BCP 47 tag: its `language:`, else the site's.
pub(crate) fn article_language(a: &Archive, i: usize) -> &str {
    a.articles[i].article.language_or(&a.config.language)
}

/// The postings of documents `ids` (articles, then `entity_list`); a term in more than
/// `position_cap` documents of the run keeps no positions.
pub(super) fn part(
    a: &Archive,
    entity_list: &[&Entity],
    ids: Range<usize>,
    position_cap: usize,
) -> Part {
    let mut part = Part::default();
    for id in ids {
        let lang = match a.articles.get(id) {
            Some(_) => article_language(a, id),
            None => &a.config.language,
        };
        let mut doc = Doc::new(&mut part, lang);
        match a.articles.get(id) {
            Some(e) => {
                doc.add(&e.article.title, field::TITLE, true);
                for q in &e.article.quotes {
                    doc.add(&q.text.value, field::QUOTE, true);
                }
                for block in blocks(&a.body(id).html) {
                    doc.add(&block, field::BODY, true);
                }
                doc.add(&e.summary, field::SUMMARY, false);
                let people = e
                    .speakers
                    .iter()
                    .chain(&e.mentions)
                    .chain(&e.quote_speakers);
                for &p in people {
                    doc.add(&a.people[p].name, field::NAME, false);
                }
                for &t in &e.topics {
                    doc.add(&a.topics[t].name, field::NAME, false);
                }
                for &o in &e.outlets {
                    doc.add(&a.outlets[o].name, field::NAME, false);
                }
            }
            None => {
                let e = entity_list[id - a.articles.len()];
                doc.add(&e.name, field::ENTITY, true);
                for alias in e.profile.iter().flat_map(|p| &p.aliases) {
                    doc.add(alias, field::ENTITY, true);
                }
                if let Some(role) = &e.role {
                    doc.add(role, field::SUMMARY, false);
                }
            }
        }
        doc.finish(id as u32, position_cap);
    }
    part
}

/// Merges `later` (documents after those of `into`) into `into`; a term past
/// `position_cap` documents in all loses its positions.
pub(super) fn merge(into: &mut Part, later: Part, position_cap: usize) {
    for (term, entry) in later.terms {
        match into.terms.get_mut(&term) {
            Some(e) => {
                e.postings.extend(entry.postings);
                e.positions = match (e.positions.take(), entry.positions) {
                    (Some(mut p), Some(q)) if e.postings.len() <= position_cap => {
                        p.extend(q);
                        Some(p)
                    }
                    _ => None,
                };
            }
            None => {
                into.terms.insert(term, entry);
            }
        }
    }
    for (word, stems) in later.words {
        let have = into.words.entry(word).or_default();
        for s in stems {
            if let Err(at) = have.binary_search(&s) {
                have.insert(at, s);
            }
        }
    }
}
