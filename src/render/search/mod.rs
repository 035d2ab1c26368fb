//! The search index: every article's headline, summary, names, quotes and body text,
//! and every person, topic and outlet, as small JSON files a browser reads without a
//! server. A search downloads `search/meta.json`, the term shard of each word
//! (`search/t/KEY.json`), the positions of a phrase's words (`search/p/KEY.json`), the
//! documents it shows (`search/d/N.json`) and, where their beginning does not do, the
//! rest of their bodies (`search/b/N.json`), never the whole index. The theme's
//! `search.js` is the reader; README.md, section Search, describes the format.

mod body_text;
mod collect;
mod docs;
mod shards;
mod state;

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Shared;
use super::{Content, Output};
use crate::link::{Archive, BodyStore, Entity, EntityKind};
pub(crate) use collect::article_language;
use collect::{Part, merge, part};
use shards::{Item, MIN_KEY, key_groups, shard_file, split, write_set};

/// Version of the file format, checked by `search.js` (3: bodies, positions, the word
/// table, filters, one file per document; 4: key files, field sets, positions files
/// of a bounded size; 5: quote pair terms, a long body's rest in a file of its own).
const FORMAT: u32 = 5;
/// Longest term kept, in characters; longer words are cut to it.
const MAX_TERM: usize = 24;
/// Characters of a summary or quote kept in a document for showing.
const MAX_TEXT: usize = 300;
/// Characters of body text a document file holds (whole blocks, so a little more): a
/// result's snippet and a phrase check read them first, and fetch the rest of the body
/// (`search/b/N.json`) only when they do not find what they look for.
const LEAD: usize = 600;
/// Documents per parallel indexing task.
const DOCS_PER_TASK: usize = 1024;
/// Terms in at most this many documents, or a 32nd of all, keep their positions; the
/// positions of commoner words would cost more to fetch than checking the text does.
const POSITION_DOCS: usize = 256;

/// The first character of a pair term (`collect::pair_key`): never a word's, so pairs
/// have shards of their own.
const PAIR: char = '.';

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
    /// The body text.
    pub(super) const BODY: u32 = 32;
    /// Bits a posting keeps for the fields.
    pub(super) const BITS: u32 = 6;
}

/// The entities of the archive in document order (after the articles).
fn entities(a: &Archive) -> impl Iterator<Item = &Entity> {
    [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet]
        .into_iter()
        .flat_map(|k| a.entities(k).iter())
}

/// The path of the index's entry file.
pub(crate) const META: &str = "search/meta.json";

/// `search/meta.json`: what a search reads first.
#[derive(Debug, Serialize)]
struct Meta<'a> {
    /// [`FORMAT`].
    format: u32,
    /// Changes with the index; every other URL carries it, so a browser never mixes
    /// files of two builds.
    version: String,
    /// Number of documents.
    docs: usize,
    /// Number of articles (documents `0..articles`; the entities follow).
    articles: usize,
    /// Documents of people, topics and outlets: `[kind, first, end]`.
    kinds: Vec<(&'static str, usize, usize)>,
    /// Bits of a posting that hold its fields.
    field_bits: u32,
    /// Longest term, in characters.
    max_term: usize,
    /// Terms in at most this many documents have positions.
    position_docs: usize,
    /// Stop words of the site's languages (not indexed; a query skips them).
    stop_words: Vec<&'a str>,
    /// Shard keys of at most two characters that no longer key starts with, sorted.
    keys: Vec<&'a str>,
    /// Two-character prefixes that longer keys start with, sorted: the keys of each are
    /// in `k/PREFIX.json`.
    split: Vec<&'a str>,
    /// Articles by year: `[year, first, end]`, newest first (articles are by date).
    years: Vec<(i16, usize, usize)>,
    /// Languages of the articles: `[tag, count]`; with more than one, `f/l/TAG.json` is
    /// the document set of each.
    languages: Vec<(String, usize)>,
}

/// The postings of every document, indexed in parallel, merged in document order so
/// every list stays sorted; each document's file is put as its document is indexed (its
/// body read once) and noted in `written`, in document order. With a store, each
/// document's contribution is kept under its key (of `keys`), and the documents'
/// records are returned.
fn postings(
    s: &Shared<'_>,
    entity_list: &[&Entity],
    position_docs: usize,
    store: Option<&dyn BodyStore>,
    keys: &[u128],
    put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync),
    written: &mut Written,
) -> anyhow::Result<(Part, Vec<state::DocRecord>)> {
    let a = s.archive;
    let docs = a.articles.len() + entity_list.len();
    let mut records = Vec::with_capacity(if store.is_some() { docs } else { 0 });
    let tasks: Vec<Range<usize>> = (0..docs)
        .step_by(DOCS_PER_TASK)
        .map(|start| start..(start + DOCS_PER_TASK).min(docs))
        .collect();
    let mut all = Part::default();
    // A few tasks per thread at a time, merged before the next: the parts' own copies of
    // the vocabulary never all live at once.
    for batch in tasks.chunks(rayon::current_num_threads() * 2) {
        let parts: Vec<(Part, Vec<Vec<Noted>>)> = batch
            .par_iter()
            .map(|ids| {
                let mut noted = Vec::with_capacity(ids.len());
                let record = store.is_some();
                let part = part(
                    a,
                    entity_list,
                    ids.clone(),
                    position_docs,
                    record,
                    |id, body, c| {
                        let (doc, rest) = docs::doc_json(s, entity_list, id, body);
                        let mut mine =
                            vec![put_one(bytes(format!("search/d/{id}.json"), doc), put)];
                        if let Some(rest) = rest {
                            mine.push(put_one(bytes(format!("search/b/{id}.json"), rest), put));
                        }
                        noted.push(mine);
                        if let (Some(store), Some(c)) = (store, c) {
                            state::keep_contribution(store, keys[id], &c);
                        }
                    },
                );
                (part, noted)
            })
            .collect();
        for ((p, noted), ids) in parts.into_iter().zip(batch) {
            merge(&mut all, p, position_docs);
            if store.is_some() {
                for (id, n) in ids.clone().zip(&noted) {
                    records.push(state::doc_record(keys[id], n));
                }
            }
            written.note(noted.into_iter().flatten().collect())?;
        }
    }
    Ok((all, records))
}

/// Articles by year, as [`Meta::years`].
fn years(a: &Archive) -> Vec<(i16, usize, usize)> {
    let mut out: Vec<(i16, usize, usize)> = Vec::new();
    for (i, e) in a.articles.iter().enumerate() {
        let y = e.article.date.date.year();
        match out.last_mut() {
            Some(last) if last.0 == y => last.2 = i + 1,
            _ => out.push((y, i, i + 1)),
        }
    }
    out
}

/// The article languages with their documents, sorted by tag.
fn languages(a: &Archive) -> std::collections::BTreeMap<String, Vec<u32>> {
    let mut out: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for i in 0..a.articles.len() {
        out.entry(article_language(a, i).to_string())
            .or_default()
            .push(i as u32);
    }
    out
}

fn bytes(path: String, content: Vec<u8>) -> Output {
    Output {
        path,
        content: Content::Bytes(content),
    }
}

/// Two hashes of a file: of its path and bytes (for the index's version), and of its
/// bytes as the writer hashes them (a file kept must hold those bytes).
type Hashes = (u64, u128);

/// A file put: its path and its hashes, or why it could not be put.
type Noted = anyhow::Result<(String, Hashes)>;

/// The files written so far: their paths in order, and a hash of each.
#[derive(Default)]
struct Written {
    paths: Vec<String>,
    hashes: Vec<u64>,
}

impl Written {
    /// Notes files put, in order; the first failure to put one is the error.
    fn note(&mut self, noted: Vec<Noted>) -> anyhow::Result<()> {
        for n in noted {
            let (path, (hash, _)) = n?;
            self.paths.push(path);
            self.hashes.push(hash);
        }
        Ok(())
    }
}

/// Puts `o` into `put`; its path and a hash of it, for [`Written`].
fn put_one(o: Output, put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync)) -> Noted {
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    hash.update(o.path.as_bytes());
    let mut bytes = 0;
    if let Content::Bytes(b) = &o.content {
        hash.update(b);
        bytes = xxhash_rust::xxh3::xxh3_128(b);
    }
    let path = o.path.clone();
    put(o)?;
    Ok((path, (hash.digest(), bytes)))
}

/// Puts `outputs` into `put` in parallel, in order of `outputs`, and notes them.
fn put_all(
    outputs: impl IndexedParallelIterator<Item = Output>,
    put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync),
    written: &mut Written,
) -> anyhow::Result<()> {
    written.note(outputs.map(|o| put_one(o, put)).collect())
}

/// Writes every file of the search index, under `search/`, into `put` as it is made
/// (the document files hold the bodies' text: too much to keep at 100k articles), and
/// returns their paths. With a build cache that holds the index an earlier run made,
/// only what changed is made again: the files that did not are kept (`keep`, given the
/// path and the bytes' hash) or, where the sink does not hold those bytes, put again
/// from what the cache holds.
pub(crate) fn index(
    s: &Shared<'_>,
    put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync),
    keep: &(dyn Fn(&str, u128) -> bool + Sync),
) -> anyhow::Result<Vec<String>> {
    // For benchmarks only (bench/search_compare.py): the same build without the index,
    // to measure what the index costs.
    if std::env::var_os("GLOSS_BENCH_NO_SEARCH").is_some() {
        return Ok(Vec::new());
    }
    let a = s.archive;
    let t = std::time::Instant::now();
    let entity_list: Vec<&Entity> = entities(a).collect();
    let docs = a.articles.len() + entity_list.len();
    let position_docs = POSITION_DOCS.max(docs / 32);
    let store: Option<&dyn BodyStore> = a.bodies.store.as_deref().filter(|st| st.keeps_search());
    let global = state::global_key(docs, a.articles.len(), position_docs);
    let keys: Vec<u128> = match store {
        Some(_) => (0..docs)
            .into_par_iter()
            .map(|id| state::doc_key(s, &entity_list, id, global))
            .collect(),
        None => Vec::new(),
    };
    let mut written = Written::default();
    let mut updated = None;
    if let Some(store) = store
        && let Some(old) = state::manifest(store, global, docs)
    {
        let ctx = state::Ctx {
            s,
            entity_list: &entity_list,
            docs,
            position_docs,
            store,
        };
        match state::update(&ctx, old, &keys) {
            Some(plan) => {
                let (changed, made, shards) = plan.counts;
                let (noted, shard_keys) = state::emit(&ctx, plan, put, keep, &keys, global)?;
                written.note(noted)?;
                tracing::debug!(
                    "search: {changed} of {docs} documents keyed anew, {made} of {shards} shards made ({:.2?})",
                    t.elapsed()
                );
                updated = Some(shard_keys);
            }
            None => tracing::debug!("search: the kept index cannot be updated exactly: made whole"),
        }
    }
    let shard_keys = match updated {
        Some(keys) => keys,
        None => {
            let full = Full {
                s,
                entity_list: &entity_list,
                position_docs,
                store,
                keys: &keys,
                global,
            };
            full.make(put, &mut written, t)?
        }
    };
    finish(s, &shard_keys, docs, put, written, t)
}

/// A whole index, made from every document.
struct Full<'a, 's> {
    s: &'a Shared<'s>,
    entity_list: &'a [&'a Entity],
    position_docs: usize,
    /// Where what the next run needs is kept, if anywhere.
    store: Option<&'a dyn BodyStore>,
    /// The documents' keys, with a store.
    keys: &'a [u128],
    global: u128,
}

impl Full<'_, '_> {
    /// Puts the documents' and the shards' files; returns the shard keys.
    fn make(
        &self,
        put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync),
        written: &mut Written,
        t: std::time::Instant,
    ) -> anyhow::Result<Vec<String>> {
        let (s, store) = (self.s, self.store);
        let docs = s.archive.articles.len() + self.entity_list.len();
        let (all, doc_records) = postings(
            s,
            self.entity_list,
            self.position_docs,
            store,
            self.keys,
            put,
            written,
        )?;
        tracing::debug!("search: postings and documents {:.2?}", t.elapsed());
        let mut items: foldhash::HashMap<Box<str>, Item> = all
            .terms
            .into_iter()
            .map(|(k, e)| {
                let item = Item {
                    entry: Some(e),
                    stems: Vec::new(),
                };
                (k, item)
            })
            .collect();
        for (word, stems) in all.words {
            items.entry(word).or_default().stems = stems;
        }
        let mut items: Vec<(Box<str>, Item)> = items.into_iter().collect();
        items.par_sort_unstable_by(|x, y| x.0.cmp(&y.0));
        let mut shards = Vec::new();
        split(&items, 0..items.len(), MIN_KEY, docs, &mut shards);
        // Per shard: its files, and with a store its weight and where its items are kept.
        type Made = (Vec<Noted>, Option<(usize, u128)>);
        let made: Vec<Made> = shards
            .par_iter()
            .map(|(key, range)| {
                let slice = &items[range.clone()];
                let kept = store.map(|st| state::full_shard(st, slice, docs));
                let noted = state::shard_files(key, slice, docs)
                    .into_iter()
                    .map(|(p, c)| put_one(bytes(p, c), put))
                    .collect();
                (noted, kept)
            })
            .collect();
        drop(items);
        let mut records = Vec::new();
        for ((key, _), (noted, kept)) in shards.iter().zip(made) {
            if let Some((weight, state)) = kept {
                records.push(state::record_of(key.clone(), weight, state, &noted));
            }
            written.note(noted)?;
        }
        if let Some(store) = store {
            state::save(store, self.global, doc_records, records);
        }
        Ok(shards.into_iter().map(|(k, _)| k).collect())
    }
}

/// Puts the key files, the filters' files and `meta.json`, after the documents and
/// shards noted in `written`; returns the paths of every file.
fn finish(
    s: &Shared<'_>,
    shard_keys: &[String],
    docs: usize,
    put: &(dyn Fn(Output) -> anyhow::Result<()> + Sync),
    mut written: Written,
    t: std::time::Instant,
) -> anyhow::Result<Vec<String>> {
    let a = s.archive;
    let keys: Vec<&str> = shard_keys.iter().map(String::as_str).collect();
    let (whole, split) = key_groups(&keys);
    put_all(
        split.par_iter().map(|(root, keys)| {
            let path = format!("search/k/{}.json", shard_file(root));
            bytes(path, serde_json::to_vec(keys).unwrap_or_default())
        }),
        put,
        &mut written,
    )?;
    tracing::debug!("search: shards {:.2?}", t.elapsed());
    let mut first = a.articles.len();
    let mut kinds = Vec::new();
    let mut small = Vec::new();
    for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
        let n = a.entities(kind).len();
        kinds.push((docs::kind_letter(kind), first, first + n));
        small.extend(
            docs::id_files(a, kind, first)
                .into_iter()
                .map(|(p, c)| bytes(p, c)),
        );
        first += n;
    }
    let languages = languages(a);
    if languages.len() > 1 {
        for (tag, list) in &languages {
            let mut set = String::new();
            write_set(&mut set, list, docs);
            let path = format!("search/f/l/{}.json", shard_file(&tag.to_ascii_lowercase()));
            small.push(bytes(path, set.into_bytes()));
        }
    }
    put_all(small.into_par_iter(), put, &mut written)?;
    tracing::debug!("search: filters {:.2?}", t.elapsed());
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for h in &written.hashes {
        hash.update(&h.to_le_bytes());
    }
    let mut stop_words: Vec<&str> = languages
        .keys()
        .chain(std::iter::once(&a.config.language))
        .flat_map(|l| crate::text::Language::of(l).stop_words())
        .collect();
    stop_words.sort_unstable();
    stop_words.dedup();
    let meta = Meta {
        format: FORMAT,
        version: format!("{:016x}", hash.digest()),
        docs,
        articles: a.articles.len(),
        kinds,
        field_bits: field::BITS,
        max_term: MAX_TERM,
        position_docs: POSITION_DOCS.max(docs / 32),
        stop_words,
        keys: whole,
        split: split.iter().map(|(root, _)| *root).collect(),
        years: years(a),
        languages: languages
            .iter()
            .map(|(l, d)| (l.clone(), d.len()))
            .collect(),
    };
    let meta = bytes(META.into(), serde_json::to_vec(&meta).unwrap_or_default());
    written.paths.push(meta.path.clone());
    put(meta)?;
    Ok(written.paths)
}

#[cfg(test)]
mod tests;
