//! The search index: every article's title, summary, names and quotes, and every person,
//! topic and outlet, as small JSON files a browser reads without a server. A search
//! downloads `search/meta.json`, one term shard per word (`search/t/KEY.json`) and the
//! documents it shows (`search/d/N.json`), never the whole index. The theme's
//! `search.js` is the reader; README.md, section Search, describes the format.
//!
//! Shards are keyed by the first characters of their terms: two, or more where a
//! prefix holds many postings, so shards stay small at any size and a word typed so
//! far (a prefix) is found in one shard or a few.

use std::fmt::Write as _;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

use super::views::Shared;
use super::{Content, Output};
use crate::link::{Archive, Entity, EntityKind};

/// Version of the file format, checked by `search.js` (2: a quote carries its fragment).
const FORMAT: u32 = 2;
/// Documents per `search/d/N.json` file.
const DOCS_PER_FILE: usize = 16;
/// Postings a shard may hold before its key grows by a character.
const SHARD_POSTINGS: usize = 6_000;
/// Characters of the shortest and longest shard keys.
const MIN_KEY: usize = 2;
const MAX_KEY: usize = 8;
/// Longest term kept, in characters; longer words are cut to it.
const MAX_TERM: usize = 24;
/// Characters of a summary or quote kept in a document for showing.
const MAX_TEXT: usize = 300;
/// Documents per parallel indexing task.
const DOCS_PER_TASK: usize = 2048;

/// Where a term occurs in a document: bits of a posting, ranked by `search.js`.
mod field {
    /// The article's headline.
    pub(super) const TITLE: u32 = 1;
    /// A person, topic or outlet the article names.
    pub(super) const NAME: u32 = 2;
    /// A quote of the article.
    pub(super) const QUOTE: u32 = 4;
    /// The summary (an entity's role).
    pub(super) const SUMMARY: u32 = 8;
    /// A person's, topic's or outlet's own name (or alias), on its own document: ranks
    /// the person above the articles about them.
    pub(super) const ENTITY: u32 = 16;
    /// Bits a posting keeps for the fields.
    pub(super) const BITS: u32 = 5;
}

/// The words too common to search for: the English stop words of [`crate::text`].
/// `search.js` drops them from queries too (it reads them from `meta.json`).
fn stop_words() -> &'static crate::text::Language {
    crate::text::Language::of("en")
}

/// Calls `f` with each term of `text`: maximal runs of letters and digits, accents
/// removed (NFKD without combining marks), lower-cased, cut to [`MAX_TERM`]
/// characters; single characters and stop words are skipped. `search.js` splits
/// queries the same way.
pub(crate) fn terms(text: &str, f: impl FnMut(&str)) {
    let mut words = Words {
        word: String::new(),
        chars: 0,
        f,
    };
    for c in text.chars() {
        if c.is_ascii() {
            // Most text is ASCII: no Unicode tables.
            if c.is_ascii_alphanumeric() {
                words.push(c.to_ascii_lowercase());
            } else {
                words.end();
            }
        } else {
            // Decomposing character by character is NFKD but for the order of
            // combining marks, which are dropped.
            unicode_normalization::char::decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                } else if d.is_alphanumeric() {
                    for l in d.to_lowercase().filter(|&l| !is_combining_mark(l)) {
                        words.push(l);
                    }
                } else {
                    words.end();
                }
            });
        }
    }
    words.end();
}

/// The word being read by [`terms`].
struct Words<F> {
    word: String,
    chars: usize,
    f: F,
}

impl<F: FnMut(&str)> Words<F> {
    fn push(&mut self, c: char) {
        if self.chars < MAX_TERM {
            self.word.push(c);
            self.chars += 1;
        }
    }

    fn end(&mut self) {
        if self.chars >= 2 && !stop_words().is_stop_word(&self.word) {
            (self.f)(&self.word);
        }
        self.word.clear();
        self.chars = 0;
    }
}

/// One search result as `search.js` shows it (short field names: there are many).
#[derive(Debug, Serialize)]
struct Doc<'a> {
    /// Headline or name.
    t: &'a str,
    /// Href from the site root.
    h: String,
    /// Kind: `a`rticle, `p`erson, `t`opic or `o`utlet.
    k: &'static str,
    /// Date, `YYYY-MM-DD` (articles).
    #[serde(skip_serializing_if = "String::is_empty")]
    d: String,
    /// Summary, or a person's role.
    #[serde(skip_serializing_if = "String::is_empty")]
    s: String,
    /// Quotes: text, speaker, fragment in the article (`quote-ID`, which stays put when
    /// quotes are added), and the 1-based number readers see.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    q: Vec<(String, &'a str, String, usize)>,
}

/// `text` cut to [`MAX_TEXT`] characters at a word boundary, with `…` when cut.
fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_TEXT) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

/// The entities of the archive in document order (after the articles).
fn entities(a: &Archive) -> impl Iterator<Item = &Entity> {
    [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet]
        .into_iter()
        .flat_map(|k| a.entities(k).iter())
}

/// Document `id`: articles first (newest first, so a lower id is newer), then people,
/// topics and outlets.
fn doc<'a>(s: &Shared<'a>, entity_list: &[&'a Entity], id: usize) -> Doc<'a> {
    let a = s.archive;
    match a.articles.get(id) {
        Some(e) => Doc {
            t: &e.article.title,
            h: s.href(&e.dir),
            k: "a",
            d: e.article.date.date.to_string(),
            s: shorten(&e.summary),
            q: e.article
                .quotes
                .iter()
                .enumerate()
                .map(|(j, q)| {
                    let speaker = a.people[e.quote_speakers[j]].name.as_str();
                    (shorten(&q.text.value), speaker, q.fragment(), j + 1)
                })
                .collect(),
        },
        None => {
            let e = entity_list[id - a.articles.len()];
            Doc {
                t: &e.name,
                h: s.href(&e.dir),
                k: match e.kind {
                    EntityKind::Person => "p",
                    EntityKind::Topic => "t",
                    EntityKind::Outlet => "o",
                },
                d: String::new(),
                s: e.role.as_deref().map(shorten).unwrap_or_default(),
                q: Vec::new(),
            }
        }
    }
}

/// Postings by term for a run of documents: each posting is `doc << BITS | fields`.
type Postings = foldhash::HashMap<Box<str>, Vec<u32>>;

/// Adds the terms of `text`, found in `fields` of document `doc`, to `map`.
fn add(map: &mut Postings, doc: u32, fields: u32, text: &str) {
    let posting = doc << field::BITS | fields;
    terms(text, |t| match map.get_mut(t) {
        // Documents come in order, so this document's posting is the last one.
        Some(list) => match list.last_mut() {
            Some(last) if *last >> field::BITS == doc => *last |= fields,
            _ => list.push(posting),
        },
        None => {
            map.insert(t.into(), vec![posting]);
        }
    });
}

/// The postings of documents `ids`.
fn index_docs(a: &Archive, entity_list: &[&Entity], ids: Range<usize>) -> Postings {
    let mut map = Postings::default();
    for id in ids {
        let doc = id as u32;
        match a.articles.get(id) {
            Some(e) => {
                add(&mut map, doc, field::TITLE, &e.article.title);
                add(&mut map, doc, field::SUMMARY, &e.summary);
                for q in &e.article.quotes {
                    add(&mut map, doc, field::QUOTE, &q.text.value);
                }
                let people = e
                    .speakers
                    .iter()
                    .chain(&e.mentions)
                    .chain(&e.quote_speakers);
                for &p in people {
                    add(&mut map, doc, field::NAME, &a.people[p].name);
                }
                for &t in &e.topics {
                    add(&mut map, doc, field::NAME, &a.topics[t].name);
                }
                for &o in &e.outlets {
                    add(&mut map, doc, field::NAME, &a.outlets[o].name);
                }
            }
            None => {
                let e = entity_list[id - a.articles.len()];
                add(&mut map, doc, field::ENTITY, &e.name);
                for alias in e.profile.iter().flat_map(|p| &p.aliases) {
                    add(&mut map, doc, field::ENTITY, alias);
                }
                if let Some(role) = &e.role {
                    add(&mut map, doc, field::SUMMARY, role);
                }
            }
        }
    }
    map
}

/// The first `n` characters of `term` (all of it when shorter).
fn prefix(term: &str, n: usize) -> &str {
    term.char_indices().nth(n).map_or(term, |(i, _)| &term[..i])
}

/// Splits the sorted `terms[range]` into shards whose keys have `depth` characters or
/// more: a prefix with too many postings is split by one more character, its term
/// equal to the prefix (if any) keeping the shorter key.
fn split(
    terms: &[(Box<str>, Vec<u32>)],
    range: Range<usize>,
    depth: usize,
    out: &mut Vec<(String, Range<usize>)>,
) {
    let mut i = range.start;
    while i < range.end {
        let key = prefix(&terms[i].0, depth);
        let mut j = i;
        let mut postings = 0;
        while j < range.end && prefix(&terms[j].0, depth) == key {
            postings += terms[j].1.len();
            j += 1;
        }
        if postings <= SHARD_POSTINGS || depth >= MAX_KEY || j - i == 1 {
            out.push((key.to_string(), i..j));
        } else {
            // The term equal to the key sorts first among the terms it prefixes.
            let longer = if *terms[i].0 == *key { i + 1 } else { i };
            if longer > i {
                out.push((key.to_string(), i..longer));
            }
            split(terms, longer..j, depth + 1, out);
        }
        i = j;
    }
}

/// The file name of shard `key`: the key when it is ASCII letters and digits, else `_`
/// and the hex of its UTF-8 (terms never contain `_`).
pub(crate) fn shard_file(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        key.to_string()
    } else {
        key.bytes().fold("_".to_string(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }
}

/// A shard's JSON: `{"term": [posting, ...], ...}`, each posting
/// `(doc - previous doc) << BITS | fields`.
fn shard_json(terms: &[(Box<str>, Vec<u32>)]) -> Vec<u8> {
    let mut out = String::with_capacity(terms.iter().map(|t| t.1.len() * 4 + 16).sum());
    out.push('{');
    for (n, (term, postings)) in terms.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        // Terms are letters and digits: nothing to escape. Still, let serde quote them.
        out.push_str(&serde_json::to_string(&**term).unwrap_or_default());
        out.push_str(":[");
        let mut previous = 0;
        for (k, p) in postings.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let doc = p >> field::BITS;
            let _ = write!(
                out,
                "{}",
                (doc - previous) << field::BITS | p & ((1 << field::BITS) - 1)
            );
            previous = doc;
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// The path of the index's entry file.
pub(crate) const META: &str = "search/meta.json";

/// `search/meta.json`: what a search reads first.
#[derive(Debug, Serialize)]
struct Meta<'a> {
    /// [`FORMAT`].
    format: u32,
    /// Changes with the index; shard and document URLs carry it, so a browser never
    /// mixes files of two builds.
    version: String,
    /// Number of documents.
    docs: usize,
    /// Documents per file.
    per_file: usize,
    /// Bits of a posting that hold its fields.
    field_bits: u32,
    /// Longest term, in characters.
    max_term: usize,
    /// Words dropped from queries, sorted.
    stop_words: Vec<&'a str>,
    /// Shard keys, sorted.
    keys: Vec<&'a str>,
}

/// Every file of the search index, under `search/`.
pub(crate) fn index(s: &Shared<'_>) -> Vec<Output> {
    let a = s.archive;
    let t = std::time::Instant::now();
    let entity_list: Vec<&Entity> = entities(a).collect();
    let docs = a.articles.len() + entity_list.len();
    let tasks: Vec<Range<usize>> = (0..docs)
        .step_by(DOCS_PER_TASK)
        .map(|start| start..(start + DOCS_PER_TASK).min(docs))
        .collect();
    // Indexed in parallel, merged in document order so every list stays sorted.
    let parts: Vec<Postings> = tasks
        .into_par_iter()
        .map(|ids| index_docs(a, &entity_list, ids))
        .collect();
    let mut all = Postings::default();
    for part in parts {
        for (term, list) in part {
            match all.get_mut(&term) {
                Some(l) => l.extend(list),
                None => {
                    all.insert(term, list);
                }
            }
        }
    }
    tracing::debug!("search: postings {:.2?}", t.elapsed());
    let mut terms: Vec<(Box<str>, Vec<u32>)> = all.into_iter().collect();
    terms.par_sort_unstable_by(|x, y| x.0.cmp(&y.0));
    let mut shards = Vec::new();
    split(&terms, 0..terms.len(), MIN_KEY, &mut shards);
    let mut outputs: Vec<Output> = shards
        .par_iter()
        .map(|(key, range)| Output {
            path: format!("search/t/{}.json", shard_file(key)),
            content: Content::Bytes(shard_json(&terms[range.clone()])),
        })
        .collect();
    tracing::debug!("search: shards {:.2?}", t.elapsed());
    let files: Vec<usize> = (0..docs.div_ceil(DOCS_PER_FILE)).collect();
    outputs.par_extend(files.into_par_iter().map(|f| {
        let ids = f * DOCS_PER_FILE..((f + 1) * DOCS_PER_FILE).min(docs);
        let list: Vec<Doc<'_>> = ids.map(|id| doc(s, &entity_list, id)).collect();
        Output {
            path: format!("search/d/{f}.json"),
            content: Content::Bytes(serde_json::to_vec(&list).unwrap_or_default()),
        }
    }));
    tracing::debug!("search: documents {:.2?}", t.elapsed());
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for o in &outputs {
        if let Content::Bytes(b) = &o.content {
            hash.update(o.path.as_bytes());
            hash.update(b);
        }
    }
    let meta = Meta {
        format: FORMAT,
        version: format!("{:016x}", hash.digest()),
        docs,
        per_file: DOCS_PER_FILE,
        field_bits: field::BITS,
        max_term: MAX_TERM,
        stop_words: stop_words().stop_words().collect(),
        keys: shards.iter().map(|(k, _)| k.as_str()).collect(),
    };
    outputs.push(Output {
        path: META.into(),
        content: Content::Bytes(serde_json::to_vec(&meta).unwrap_or_default()),
    });
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn terms_fold_case_and_accents_and_drop_stop_words() {
        assert_eq!(
            all_terms("José RAMOS said: the Ñandú's “vote” in 2024, a.k.a x"),
            ["jose", "ramos", "said", "nandu", "vote", "2024"]
        );
    }

    #[test]
    fn stop_words_are_sorted_and_lower_case() {
        let words: Vec<&str> = stop_words().stop_words().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        assert!(words.iter().all(|w| all_terms(w).is_empty()));
    }

    #[test]
    fn long_words_are_cut() {
        let t = all_terms(&"é".repeat(40));
        assert_eq!(t, ["e".repeat(MAX_TERM)]);
    }

    #[test]
    fn shard_files_are_safe_names() {
        assert_eq!(shard_file("bu"), "bu");
        assert_eq!(shard_file("ñu"), "_c3b175");
    }

    fn postings(n: usize) -> Vec<u32> {
        (0..n as u32).map(|d| d << field::BITS | 1).collect()
    }

    #[test]
    fn a_crowded_prefix_splits_and_its_own_term_keeps_the_short_key() {
        let terms: Vec<(Box<str>, Vec<u32>)> = vec![
            ("ab".into(), postings(1)),
            ("th".into(), postings(2)),
            ("the".into(), postings(SHARD_POSTINGS - 10)),
            ("them".into(), postings(3)),
            ("thi".into(), postings(20)),
            ("zz".into(), postings(1)),
        ];
        let mut shards = Vec::new();
        split(&terms, 0..terms.len(), MIN_KEY, &mut shards);
        let keys: Vec<(&str, Range<usize>)> = shards
            .iter()
            .map(|(k, r)| (k.as_str(), r.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("ab", 0..1),
                ("th", 1..2),
                ("the", 2..4),
                ("thi", 4..5),
                ("zz", 5..6)
            ]
        );
    }

    #[test]
    fn postings_are_delta_coded_with_their_fields() {
        let terms: Vec<(Box<str>, Vec<u32>)> = vec![(
            "vote".into(),
            vec![3 << field::BITS | 1, 7 << field::BITS | 12],
        )];
        let json = String::from_utf8(shard_json(&terms)).unwrap_or_default();
        let (first, second) = (3 << field::BITS | 1, 4 << field::BITS | 12);
        assert_eq!(json, format!(r#"{{"vote":[{first},{second}]}}"#));
    }

    #[test]
    fn a_document_has_one_posting_per_term_with_every_field() {
        let mut map = Postings::default();
        add(&mut map, 5, field::TITLE, "Vote count");
        add(&mut map, 5, field::QUOTE, "the vote");
        add(&mut map, 6, field::QUOTE, "vote");
        assert_eq!(
            map["vote"],
            [
                5 << field::BITS | field::TITLE | field::QUOTE,
                6 << field::BITS | field::QUOTE
            ]
        );
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        let long = "word ".repeat(100);
        let s = shorten(&long);
        assert!(s.ends_with("word…"));
        assert!(s.chars().count() <= MAX_TEXT + 1);
        assert_eq!(shorten(" short "), "short");
    }
}
