//! The postings of a run of documents: for every term (a stem, as `text::terms` keys
//! it), the documents holding it with the fields it is in and its word positions, and
//! the table from each word as written (folded, not stemmed) to its stems, which the
//! browser uses instead of a stemmer of its own (README, Search).
//!
//! A document's text is a stream of segments (headline or name, quotes, body blocks),
//! with a gap of one position between segments so that a phrase never runs from one
//! into the next. Positions count every word, stop words too, as `text::terms` does;
//! stop words themselves are not indexed.
//!
//! A quote also gives a pair term for each two consecutive words of it (stop words
//! aside, [`pair_key`]): three words typed in a quote's order find the articles whose
//! quotes hold them in that order from the shards alone, however common the words.

use std::ops::Range;

use super::body_text::blocks;
use super::{MAX_TERM, PAIR, field};
use crate::link::{Archive, Entity};
use crate::text;

/// A term's postings in one run of documents.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Entry {
    /// `doc << field::BITS | fields`, by ascending document.
    pub(super) postings: Vec<u32>,
    /// Per posting: the number of positions, then the positions, ascending; `None` once
    /// the term is in more documents than positions are kept for.
    pub(super) positions: Option<Vec<u32>>,
}

/// What one document gives the index: kept in the build cache, so that a later run can
/// take it out of the shards again when the document changes (`state`).
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Contribution {
    /// `(term, fields, positions)`, by term.
    pub(super) terms: Vec<(Box<str>, u32, Vec<u32>)>,
    /// `(word as written, folded; its stem)` for the words whose stem differs, sorted.
    pub(super) words: Vec<(Box<str>, Box<str>)>,
}

/// A word's stems in the word table, each with the number of documents that write the
/// word so (a later run takes a document out again: `state`), by stem.
pub(super) type Stems = Vec<(Box<str>, u32)>;

/// The postings and the word table of a run of documents.
#[derive(Debug, Default)]
pub(super) struct Part {
    /// Term -> postings.
    pub(super) terms: foldhash::HashMap<Box<str>, Entry>,
    /// Word as written, folded -> its stems where they differ from it (one per language
    /// that stems it differently).
    pub(super) words: foldhash::HashMap<Box<str>, Stems>,
    /// The word table's entries met in the run, `(folded word, stem)`, by number.
    entries: Vec<(Box<str>, Box<str>)>,
    /// Per language of the run: each word as written (exactly) -> what it keys to. A
    /// text's words repeat, so each is keyed once a run (keying lower-cases, stems and
    /// folds: the index's main cost per word) and read by its number after.
    known: Vec<(Box<str>, WordKeys)>,
    /// The terms of `known`, by number, and each term's number: words written apart
    /// (`Vote`, `votes`) share their term's.
    vocabulary: Vec<Box<str>>,
    numbers: foldhash::HashMap<Box<str>, u32>,
}

/// Written words (exactly) -> what they key to, in one language.
type WordKeys = foldhash::HashMap<Box<str>, Known>;

/// What a written word keys to: its term's number in [`Part::vocabulary`] and its entry
/// of the word table in [`Part::entries`] (if its stem differs), or a stop word.
#[derive(Debug, Clone, Copy)]
enum Known {
    Term(u32, Option<u32>),
    Stop,
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
    /// By term number.
    seen: foldhash::HashMap<u32, Seen>,
    /// The numbers of the word table's entries of the document's words, with repeats.
    entries: Vec<u32>,
    lang: &'p str,
    /// The entry of `lang` in [`Part::known`].
    slot: usize,
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
        let slot = match part.known.iter().position(|(l, _)| **l == *lang) {
            Some(slot) => slot,
            None => {
                part.known.push((lang.into(), Default::default()));
                part.known.len() - 1
            }
        };
        Doc {
            part,
            seen: foldhash::HashMap::default(),
            entries: Vec::new(),
            lang,
            slot,
            next: 0,
        }
    }

    /// Adds the terms of `text`, found in `fields`; with positions when `positioned`.
    /// The words and keys are those of `text::terms` (positions count every word).
    pub(super) fn add(&mut self, text: &str, fields: u32, positioned: bool) {
        let mut count = 0;
        // The previous word's term in a quote, for its pair with the next.
        let mut previous: Option<u32> = None;
        for range in text::words(text, self.lang) {
            let position = count;
            count += 1;
            let word = &text[range];
            let known = match self.part.known[self.slot].1.get(word) {
                Some(&known) => known,
                None => self.learn(word),
            };
            let Known::Term(id, entry) = known else {
                continue;
            };
            if let Some(entry) = entry {
                self.entries.push(entry);
            }
            if fields == field::QUOTE {
                if let Some(before) = previous {
                    self.pair(before, id);
                }
                previous = Some(id);
            }
            let seen = self.seen.entry(id).or_default();
            seen.fields |= fields;
            if positioned {
                seen.positions.push(self.next + position);
            }
        }
        if positioned && count > 0 {
            self.next += count + 1;
        }
    }

    /// Keys `word` (written as in the text) for the rest of the run, and records it in
    /// the word table where its stem differs from it.
    fn learn(&mut self, word: &str) -> Known {
        let (stem, is_stop) = text::key(word, self.lang);
        let known = if is_stop {
            Known::Stop
        } else {
            let stem = capped(stem);
            let mut entry = None;
            if !word.eq_ignore_ascii_case(&stem) {
                let folded = capped(text::fold_term(word));
                if folded != stem {
                    let entries = &mut self.part.entries;
                    entry = Some(entries.len() as u32);
                    entries.push((folded.into(), stem.as_str().into()));
                }
            }
            Known::Term(self.part.number(stem), entry)
        };
        self.part.known[self.slot].1.insert(word.into(), known);
        known
    }

    /// Notes the pair term of the consecutive quote words whose terms are `first` and
    /// `second`: in the quotes field, without positions.
    fn pair(&mut self, first: u32, second: u32) {
        let part = &mut *self.part;
        let key = pair_key(
            &part.vocabulary[first as usize],
            &part.vocabulary[second as usize],
        );
        let id = part.number(key);
        self.seen.entry(id).or_default().fields |= field::QUOTE;
    }

    /// Moves what the document holds into the part, as document `doc`; with `record`,
    /// also returns it as the document's [`Contribution`].
    pub(super) fn finish(
        mut self,
        doc: u32,
        position_cap: usize,
        record: bool,
    ) -> Option<Contribution> {
        let mut contribution = record.then(Contribution::default);
        self.entries.sort_unstable();
        self.entries.dedup();
        // Two entries may be one pair (`Vote`, `vote`): counted once per document.
        let mut pairs: Vec<&(Box<str>, Box<str>)> = self
            .entries
            .iter()
            .map(|&k| &self.part.entries[k as usize])
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (folded, stem) in pairs {
            add_stem(&mut self.part.words, folded, stem, 1);
            if let Some(c) = &mut contribution {
                c.words.push((folded.clone(), stem.clone()));
            }
        }
        for (id, seen) in self.seen {
            let term = &self.part.vocabulary[id as usize];
            if let Some(c) = &mut contribution {
                c.terms
                    .push((term.clone(), seen.fields, seen.positions.clone()));
            }
            // Most terms are known: look up first, allocate the key only when new.
            let entry = match self.part.terms.get_mut(term) {
                Some(entry) => entry,
                None => self
                    .part
                    .terms
                    .entry(term.clone())
                    .or_insert_with(|| Entry {
                        postings: Vec::new(),
                        // A pair is found in the quotes of a document, not placed.
                        positions: (!term.starts_with(PAIR)).then(Vec::new),
                    }),
            };
            entry.postings.push(doc << field::BITS | seen.fields);
            if entry.postings.len() > position_cap {
                entry.positions = None;
            }
            if let Some(p) = &mut entry.positions {
                p.push(seen.positions.len() as u32);
                p.extend(&seen.positions);
            }
        }
        if let Some(c) = &mut contribution {
            c.terms.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        }
        contribution
    }
}

/// Adds `n` documents that write `folded` with the stem `stem` to the word table
/// `words`.
pub(super) fn add_stem(
    words: &mut foldhash::HashMap<Box<str>, Stems>,
    folded: &str,
    stem: &str,
    n: u32,
) {
    // Most words are seen before: look up first, allocate the key only when new.
    let stems = match words.get_mut(folded) {
        Some(stems) => stems,
        None => words.entry(folded.into()).or_default(),
    };
    match stems.binary_search_by(|(s, _)| (**s).cmp(stem)) {
        Ok(at) => stems[at].1 += n,
        Err(at) => stems.insert(at, (stem.into(), n)),
    }
}

impl Part {
    /// The number of `term` in the vocabulary, given it if new.
    fn number(&mut self, term: String) -> u32 {
        match self.numbers.get(term.as_str()) {
            Some(&id) => id,
            None => {
                // Below `u32::MAX`: a run of documents has far fewer terms.
                let id = self.vocabulary.len() as u32;
                let term: Box<str> = term.into();
                self.vocabulary.push(term.clone());
                self.numbers.insert(term, id);
                id
            }
        }
    }
}

/// The pair term of two consecutive quote words with the terms `first` and `second`:
/// [`PAIR`], then the 32-bit FNV-1a hash of `first`, a space and `second` in UTF-8, in
/// eight hex digits (`search.js` computes the same). Short whatever the words, and
/// evenly spread, so that pair shards split evenly by their keys' first digits; two
/// pairs of one hash share a term, which the first page's check of the quote's text
/// sorts out.
pub(super) fn pair_key(first: &str, second: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in first.bytes().chain([b' ']).chain(second.bytes()) {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("{PAIR}{hash:08x}")
}

/// The language of article `i`'s text, a BCP 47 tag: its `language:`, else the site's.
pub(crate) fn article_language(a: &Archive, i: usize) -> &str {
    a.articles[i].article.language_or(&a.config.language)
}

/// The postings of documents `ids` (articles, then `entity_list`); a term in more than
/// `position_cap` documents of the run keeps no positions. `each` gets every document
/// with its body's blocks once they are indexed, so that a body is read once, and with
/// `record` its [`Contribution`].
pub(super) fn part(
    a: &Archive,
    entity_list: &[&Entity],
    ids: Range<usize>,
    position_cap: usize,
    record: bool,
    mut each: impl FnMut(usize, &[String], Option<Contribution>),
) -> Part {
    let mut part = Part::default();
    for id in ids {
        let body = match a.articles.get(id) {
            Some(_) => blocks(&a.body(id).html),
            None => Vec::new(),
        };
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
                for block in &body {
                    doc.add(block, field::BODY, true);
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
        let contribution = doc.finish(id as u32, position_cap, record);
        each(id, &body, contribution);
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
        for (stem, n) in stems {
            add_stem(&mut into.words, &word, &stem, n);
        }
    }
}
