//! The search index kept in the build cache between runs, so that after an edit a
//! build keys again only the documents that changed and encodes again only the shards
//! whose terms changed, instead of the whole index (README, Search: the index files).
//!
//! Kept ([`crate::link::BodyStore::put_search`]): each document's [`Contribution`]
//! under a key hashing everything its files and terms are made from ([`doc_key`]); each
//! shard's items (postings, positions, the word table with a count of documents per
//! stem) under a hash of them; and a [`Manifest`] listing both, with a hash of every
//! file made. An update takes the changed documents' old contributions out of the
//! shards they touch and puts the new ones in; where that could change how a prefix
//! splits into shards (a shard too heavy, a split prefix too light, an item new to a
//! split prefix), the prefix's two-character root is split again from its shards'
//! items, as a clean build splits it. The files are a clean build's, byte for byte
//! (tests in `tests/it/cache.rs`); anything unexpected (an entry missing, a term
//! losing the documents past which its positions were dropped) makes the index whole.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::collect::{Contribution, Entry, part};
use super::docs::doc_json;
use super::shards::{
    Item, MAX_KEY, MIN_KEY, SHARD_POSTINGS, positions_file, positions_json, prefix, shard_file,
    shard_json, split,
};
use super::{FORMAT, Hashes, Noted, PAIR, field, put_one};
use crate::link::{BodyStore, Entity};
use crate::render::views::Shared;

/// The key of the [`Manifest`] in the store.
const MANIFEST: u128 = 0x5ea2_c400_0000_0000_6d61_6e69_6665_7374;

/// Most documents an update keys again; with more, the index is made whole (the
/// shards they touch would be most of them anyway).
const MAX_CHANGED: usize = 512;

/// A shard's items, sorted by key.
pub(super) type Items = Vec<(Box<str>, Item)>;

/// What the index was made of, for the next run.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// What decides every file at once ([`global_key`]).
    global: u128,
    /// By document.
    docs: Vec<DocRecord>,
    /// The shards, sorted by key.
    shards: Vec<ShardRecord>,
}

/// A document's key and the hashes of its files (as [`put_one`] hashes them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct DocRecord {
    /// [`doc_key`]: its contribution is kept under it.
    pub(super) key: u128,
    /// `search/d/N.json`.
    pub(super) doc: Hashes,
    /// `search/b/N.json`, if the body has a rest.
    pub(super) rest: Option<Hashes>,
}

/// A shard: its key, weight (as [`split`] weighs it), where its items are kept, and the
/// hashes of its files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ShardRecord {
    pub(super) key: String,
    pub(super) weight: usize,
    /// The store key of its [`Items`].
    pub(super) state: u128,
    /// `search/t/KEY.json`.
    pub(super) shard: Hashes,
    /// `search/p/KEY[-N].json`, in order.
    pub(super) positions: Vec<Hashes>,
}

/// A file made, with its path.
pub(super) type File = (String, Vec<u8>);

/// A shard of an update: kept as the previous run made it, or made again.
pub(super) enum Shard {
    Kept(ShardRecord),
    Made {
        key: String,
        weight: usize,
        /// The items, to keep for the next run.
        items: Items,
        files: Vec<File>,
    },
}

impl Shard {
    fn key(&self) -> &str {
        match self {
            Shard::Kept(r) => &r.key,
            Shard::Made { key, .. } => key,
        }
    }
}

/// What an update puts, worked out before anything is put (an update that finds it
/// cannot go on leaves no trace, and the index is made whole).
pub(super) struct Plan {
    /// The previous run's documents.
    old: Vec<DocRecord>,
    /// The changed documents: their files and contribution, by document.
    fresh: BTreeMap<usize, (Vec<File>, Contribution)>,
    shards: Vec<Shard>,
    /// Documents keyed again, shards made again, of how many.
    pub(super) counts: (usize, usize, usize),
}

/// What an index is made from besides its documents.
pub(super) struct Ctx<'a, 's> {
    pub(super) s: &'a Shared<'s>,
    pub(super) entity_list: &'a [&'a Entity],
    pub(super) docs: usize,
    pub(super) position_docs: usize,
    pub(super) store: &'a dyn BodyStore,
}

/// Hashes values into a key, as the parts of `/annotations.jsonld` are keyed.
type Hasher = crate::render::annotations::HashWriter;

fn hasher() -> Hasher {
    crate::render::annotations::HashWriter(xxhash_rust::xxh3::Xxh3::new())
}

/// What decides every file of the index at once: the format and the numbers of
/// documents (document sets and bitmaps are as long as there are documents).
pub(super) fn global_key(docs: usize, articles: usize, position_docs: usize) -> u128 {
    let mut h = hasher();
    h.value(&("search state 1", FORMAT, docs, articles, position_docs));
    h.0.digest128()
}

/// The key of document `id`: a hash of everything its files and its terms are made
/// from (for an article its body's fingerprint, not the body).
pub(super) fn doc_key(s: &Shared<'_>, entity_list: &[&Entity], id: usize, global: u128) -> u128 {
    let a = s.archive;
    let mut h = hasher();
    h.0.update(&global.to_le_bytes());
    h.value(&id);
    match a.articles.get(id) {
        Some(e) => {
            h.0.update(&e.body.fingerprint.to_le_bytes());
            h.value(&e.article.title);
            h.value(&s.href(&e.dir));
            h.value(&e.article.date.date.to_string());
            h.value(super::article_language(a, id));
            h.value(&e.summary);
            for (j, q) in e.article.quotes.iter().enumerate() {
                h.value(&q.text.value);
                h.value(&q.fragment());
                h.value(&a.people[e.quote_speakers[j]].name);
            }
            for list in [&e.speakers, &e.mentions, &e.quote_speakers] {
                let names: Vec<&str> = list.iter().map(|&p| a.people[p].name.as_str()).collect();
                h.value(&names);
            }
            let topics = e.topics.iter().map(|&t| a.topics[t].name.as_str());
            h.value(&topics.collect::<Vec<_>>());
            let outlets = e.outlets.iter().map(|&o| a.outlets[o].name.as_str());
            h.value(&outlets.collect::<Vec<_>>());
        }
        None => {
            let e = entity_list[id - a.articles.len()];
            h.value(&e.name);
            h.value(&e.id);
            h.value(super::docs::kind_letter(e.kind));
            h.value(&s.href(&e.dir));
            h.value(&e.role);
            let aliases: Vec<&String> = e.profile.iter().flat_map(|p| &p.aliases).collect();
            h.value(&aliases);
            h.value(&e.articles);
            h.value(&a.config.language);
        }
    }
    h.0.digest128()
}

/// The value kept under `key`, decoded.
fn load<T: for<'de> Deserialize<'de>>(store: &dyn BodyStore, key: u128) -> Option<T> {
    postcard::from_bytes(&store.get_search(key)?).ok()
}

/// Keeps `value` under `key`.
fn keep(store: &dyn BodyStore, key: u128, value: &impl Serialize) {
    if let Ok(bytes) = postcard::to_allocvec(value) {
        store.put_search(key, &bytes);
    }
}

/// The previous run's manifest, if it was made for the same `global`.
pub(super) fn manifest(store: &dyn BodyStore, global: u128, docs: usize) -> Option<Manifest> {
    let m: Manifest = load(store, MANIFEST)?;
    (m.global == global && m.docs.len() == docs).then_some(m)
}

/// Keeps a document's contribution, made by a full build.
pub(super) fn keep_contribution(store: &dyn BodyStore, key: u128, c: &Contribution) {
    keep(store, key, c);
}

/// Keeps a shard's items; their store key.
fn keep_items(store: &dyn BodyStore, items: &[(Box<str>, Item)]) -> u128 {
    let bytes = postcard::to_allocvec(items).unwrap_or_default();
    let key = xxhash_rust::xxh3::xxh3_128(&bytes);
    store.put_search(key, &bytes);
    key
}

/// The files of a shard: its term file, then its positions files.
pub(super) fn shard_files(key: &str, items: &[(Box<str>, Item)], docs: usize) -> Vec<File> {
    let positions = positions_json(items);
    let firsts: Vec<&str> = positions.iter().map(|(t, _)| *t).collect();
    let shard = shard_json(items, docs, &firsts);
    let mut files = vec![(format!("search/t/{}.json", shard_file(key)), shard)];
    files.extend(
        positions
            .into_iter()
            .enumerate()
            .map(|(n, (_, p))| (positions_file(key, n), p)),
    );
    files
}

/// The weight of `items`, as [`split`] weighs them.
fn weight(items: &[(Box<str>, Item)], docs: usize) -> usize {
    items.iter().map(|(k, i)| i.weight(k, docs)).sum()
}

/// How one document's postings of a term change: `(document, its new fields and
/// positions, or none)`.
type Edit = (u32, Option<(u32, Vec<u32>)>);

/// The changes of an update, by key: to the term's postings, and to the counts of the
/// key's stems as a written word.
#[derive(Default)]
struct Changes {
    terms: BTreeMap<Box<str>, Vec<Edit>>,
    stems: BTreeMap<Box<str>, Vec<(Box<str>, i64)>>,
}

impl Changes {
    /// Notes how document `doc` changed from `old` to `new`.
    fn note(&mut self, doc: u32, old: &Contribution, new: &Contribution) {
        let (mut i, mut j) = (0, 0);
        while i < old.terms.len() || j < new.terms.len() {
            let o = old.terms.get(i);
            let n = new.terms.get(j);
            let order = match (o, n) {
                (Some(o), Some(n)) => o.0.cmp(&n.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match (order, o, n) {
                (std::cmp::Ordering::Equal, Some(o), Some(n)) => {
                    if o.1 != n.1 || o.2 != n.2 {
                        let edit = (doc, Some((n.1, n.2.clone())));
                        self.terms.entry(n.0.clone()).or_default().push(edit);
                    }
                    i += 1;
                    j += 1;
                }
                (std::cmp::Ordering::Less, Some(o), _) => {
                    self.terms.entry(o.0.clone()).or_default().push((doc, None));
                    i += 1;
                }
                (_, _, Some(n)) => {
                    let edit = (doc, Some((n.1, n.2.clone())));
                    self.terms.entry(n.0.clone()).or_default().push(edit);
                    j += 1;
                }
                _ => break,
            }
        }
        let old_words: BTreeSet<&(Box<str>, Box<str>)> = old.words.iter().collect();
        let new_words: BTreeSet<&(Box<str>, Box<str>)> = new.words.iter().collect();
        for (w, delta) in old_words
            .difference(&new_words)
            .map(|w| (w, -1))
            .chain(new_words.difference(&old_words).map(|w| (w, 1)))
        {
            self.stems
                .entry(w.0.clone())
                .or_default()
                .push((w.1.clone(), delta));
        }
    }

    /// Every key that changes, sorted.
    fn keys(&self) -> BTreeSet<&str> {
        self.terms
            .keys()
            .chain(self.stems.keys())
            .map(|k| &**k)
            .collect()
    }

    /// Applies the changes of `key` to `item`; `None` when they cannot be applied as a
    /// clean build would make the item (then the index is made whole).
    fn apply(&self, key: &str, item: &mut Item, position_docs: usize) -> Option<()> {
        if let Some(edits) = self.terms.get(key) {
            let entry = item.entry.get_or_insert_with(|| Entry {
                postings: Vec::new(),
                positions: (!key.starts_with(PAIR)).then(Vec::new),
            });
            for (doc, new) in edits {
                edit(entry, *doc, new.as_ref());
            }
            if entry.postings.len() > position_docs {
                entry.positions = None;
            } else if entry.positions.is_none() && !key.starts_with(PAIR) {
                // Its positions were dropped past the cap: they are not kept anywhere.
                return None;
            }
            if entry.postings.is_empty() {
                item.entry = None;
            }
        }
        if let Some(deltas) = self.stems.get(key) {
            for (stem, delta) in deltas {
                match item.stems.binary_search_by(|(s, _)| s.cmp(stem)) {
                    Ok(at) => {
                        let n = i64::from(item.stems[at].1) + delta;
                        match n {
                            0 => {
                                item.stems.remove(at);
                            }
                            n if n > 0 => item.stems[at].1 = u32::try_from(n).ok()?,
                            _ => return None,
                        }
                    }
                    Err(at) if *delta > 0 => {
                        let n = u32::try_from(*delta).ok()?;
                        item.stems.insert(at, (stem.clone(), n));
                    }
                    Err(_) => return None,
                }
            }
        }
        Some(())
    }
}

/// Replaces document `doc`'s posting in `entry` (and its positions) with `new`.
fn edit(entry: &mut Entry, doc: u32, new: Option<&(u32, Vec<u32>)>) {
    let at = entry.postings.partition_point(|p| p >> field::BITS < doc);
    let present = entry
        .postings
        .get(at)
        .is_some_and(|p| p >> field::BITS == doc);
    // Where the posting's positions start: after those of the postings before it.
    let offset = entry.positions.as_ref().map(|p| {
        let mut o = 0;
        for _ in 0..at {
            o += 1 + p[o] as usize;
        }
        o
    });
    if present {
        entry.postings.remove(at);
        if let (Some(p), Some(o)) = (&mut entry.positions, offset) {
            let n = p[o] as usize;
            p.drain(o..o + 1 + n);
        }
    }
    if let Some((fields, positions)) = new {
        entry.postings.insert(at, doc << field::BITS | fields);
        if let (Some(p), Some(o)) = (&mut entry.positions, offset) {
            let segment = std::iter::once(positions.len() as u32).chain(positions.iter().copied());
            p.splice(o..o, segment);
        }
    }
}

/// The root of a key: its first [`MIN_KEY`] characters, which [`split`] splits by
/// independently of the others.
fn root(key: &str) -> &str {
    prefix(key, MIN_KEY)
}

/// The index of the shard of `shards` (sorted) that holds `key`; `None` when none does
/// (a key new to a prefix that was split).
fn covering(shards: &[ShardRecord], key: &str) -> Option<usize> {
    let chars = key.chars().count();
    for n in (1..=chars.min(MAX_KEY)).rev() {
        let p = prefix(key, n);
        if let Ok(i) = shards.binary_search_by(|s| s.key.as_str().cmp(p)) {
            // A shard that longer keys extend holds only the key equal to it.
            let extended = shards
                .get(i + 1)
                .is_some_and(|next| next.key.starts_with(p));
            return (p == key || !extended).then_some(i);
        }
    }
    None
}

/// True when the shards of one root, with the new weights `weights` (by shard), split
/// as they did: no shard too heavy that would split, no split prefix light enough to
/// stay whole.
fn same_split(shards: &[ShardRecord], weights: &[usize], touched: &BTreeSet<usize>) -> bool {
    let under = |p: &str| -> usize {
        shards
            .iter()
            .zip(weights)
            .filter(|(s, _)| s.key.starts_with(p))
            .map(|(_, w)| w)
            .sum()
    };
    for &i in touched {
        let key = shards[i].key.as_str();
        let chars = key.chars().count();
        let extended = shards.get(i + 1).is_some_and(|n| n.key.starts_with(key));
        // The prefixes split to make this shard: those shorter than its key and, for a
        // shard holding only the key equal to a split prefix, its key.
        let last = if extended { chars } else { chars - 1 };
        if (MIN_KEY..=last).any(|n| under(prefix(key, n)) <= SHARD_POSTINGS) {
            return false;
        }
        if !extended && weights[i] > SHARD_POSTINGS && chars.max(MIN_KEY) < MAX_KEY {
            return false;
        }
    }
    true
}

/// Works out an update of the index the previous run made (`old`) to documents whose
/// keys are `keys`; `None` when it cannot be made exactly (then the index is made
/// whole). Reads the bodies of the changed documents only.
pub(super) fn update(ctx: &Ctx<'_, '_>, old: Manifest, keys: &[u128]) -> Option<Plan> {
    let changed: Vec<usize> = (0..ctx.docs)
        .filter(|&i| keys[i] != old.docs[i].key)
        .collect();
    if changed.len() > MAX_CHANGED {
        tracing::debug!("search: {} documents changed: made whole", changed.len());
        return None;
    }
    let made: Vec<(usize, Contribution, Vec<File>, Contribution)> = changed
        .par_iter()
        .map(|&id| {
            let before: Contribution = load(ctx.store, old.docs[id].key)?;
            let mut files = Vec::new();
            let mut now = None;
            part(
                ctx.s.archive,
                ctx.entity_list,
                id..id + 1,
                ctx.position_docs,
                true,
                |id, body, c| {
                    let (doc, rest) = doc_json(ctx.s, ctx.entity_list, id, body);
                    files.push((format!("search/d/{id}.json"), doc));
                    if let Some(rest) = rest {
                        files.push((format!("search/b/{id}.json"), rest));
                    }
                    now = c;
                },
            );
            Some((id, before, files, now?))
        })
        .collect::<Option<_>>()?;
    let mut changes = Changes::default();
    for (id, before, _, now) in &made {
        changes.note(*id as u32, before, now);
    }
    let fresh = made
        .into_iter()
        .map(|(id, _, files, now)| (id, (files, now)))
        .collect();
    // The changed keys by root, with the shards that hold them.
    let mut roots: BTreeMap<&str, (bool, BTreeSet<usize>, Vec<&str>)> = BTreeMap::new();
    let keys_changed = changes.keys();
    for &key in &keys_changed {
        let r = roots.entry(root(key)).or_default();
        match covering(&old.shards, key) {
            Some(i) if root(&old.shards[i].key) == root(key) => {
                r.1.insert(i);
            }
            _ => r.0 = true,
        }
        r.2.push(key);
    }
    let root_shards: Vec<(&str, Vec<Shard>)> = roots
        .into_par_iter()
        .map(|(r, (resplit, touched, keys))| {
            let shards = update_root(ctx, &old.shards, &changes, r, resplit, &touched, &keys)?;
            Some((r, shards))
        })
        .collect::<Option<_>>()?;
    let made_shards: usize = root_shards
        .iter()
        .flat_map(|(_, s)| s)
        .filter(|s| matches!(s, Shard::Made { .. }))
        .count();
    let replaced: HashSet<&str> = root_shards.iter().map(|(r, _)| *r).collect();
    let mut shards: Vec<Shard> = old
        .shards
        .iter()
        .filter(|s| !replaced.contains(root(&s.key)))
        .cloned()
        .map(Shard::Kept)
        .collect();
    shards.extend(root_shards.into_iter().flat_map(|(_, s)| s));
    shards.sort_by(|x, y| x.key().cmp(y.key()));
    let counts = (changed.len(), made_shards, shards.len());
    Some(Plan {
        old: old.docs,
        fresh,
        shards,
        counts,
    })
}

/// The new shards of root `r`: the shards of `touched` with the changes applied, the
/// others kept; or, with `resplit` or where the weights would split otherwise, the
/// root's items split again.
fn update_root(
    ctx: &Ctx<'_, '_>,
    all: &[ShardRecord],
    changes: &Changes,
    r: &str,
    mut resplit: bool,
    touched: &BTreeSet<usize>,
    keys: &[&str],
) -> Option<Vec<Shard>> {
    let lo = all.partition_point(|s| s.key.as_str() < r);
    let hi = lo + all[lo..].iter().take_while(|s| root(&s.key) == r).count();
    let shards = &all[lo..hi];
    let touched: BTreeSet<usize> = touched.iter().map(|i| i - lo).collect();
    let apply_all = |items: &mut Items, keys: &[&str]| -> Option<()> {
        for &key in keys {
            let at = match items.binary_search_by(|(k, _)| (**k).cmp(key)) {
                Ok(at) => at,
                Err(at) => {
                    items.insert(at, (key.into(), Item::default()));
                    at
                }
            };
            changes.apply(key, &mut items[at].1, ctx.position_docs)?;
            if items[at].1.entry.is_none() && items[at].1.stems.is_empty() {
                items.remove(at);
            }
        }
        Some(())
    };
    if !resplit {
        let mut made: BTreeMap<usize, Items> = BTreeMap::new();
        // A shard of several items left with one might not be split off as it was.
        let mut one_left = false;
        for &i in &touched {
            let mut items: Items = load(ctx.store, shards[i].state)?;
            let before = items.len();
            let mine: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|k| covering(shards, k) == Some(i))
                .collect();
            apply_all(&mut items, &mine)?;
            one_left |= items.len() == 1 && before > 1;
            made.insert(i, items);
        }
        let weights: Vec<usize> = (0..shards.len())
            .map(|i| {
                made.get(&i)
                    .map_or(shards[i].weight, |it| weight(it, ctx.docs))
            })
            .collect();
        let whole = made.values().all(|it| !it.is_empty()) && !one_left;
        if whole && same_split(shards, &weights, &touched) {
            return Some(
                shards
                    .iter()
                    .enumerate()
                    .map(|(i, s)| match made.remove(&i) {
                        Some(items) => made_shard(s.key.clone(), items, ctx.docs),
                        None => Shard::Kept(s.clone()),
                    })
                    .collect(),
            );
        }
        resplit = true;
    }
    debug_assert!(resplit);
    let mut items: Items = Vec::new();
    for s in shards {
        let it: Items = load(ctx.store, s.state)?;
        items.extend(it);
    }
    apply_all(&mut items, keys)?;
    let mut ranges = Vec::new();
    split(&items, 0..items.len(), MIN_KEY, ctx.docs, &mut ranges);
    Some(
        ranges
            .into_iter()
            .map(|(key, range)| made_shard(key, items[range].to_vec(), ctx.docs))
            .collect(),
    )
}

fn made_shard(key: String, items: Items, docs: usize) -> Shard {
    let files = shard_files(&key, &items, docs);
    Shard::Made {
        weight: weight(&items, docs),
        key,
        items,
        files,
    }
}

/// Puts the files of `plan` in a clean build's order, keeping (`keep`) those that did
/// not change or making them again where the sink no longer holds them; keeps what the
/// next run needs; returns the files put or kept with their hashes, and the shard keys.
pub(super) fn emit(
    ctx: &Ctx<'_, '_>,
    plan: Plan,
    put: &(dyn Fn(super::Output) -> anyhow::Result<()> + Sync),
    keep_file: &(dyn Fn(&str, u128) -> bool + Sync),
    keys: &[u128],
    global: u128,
) -> anyhow::Result<(Vec<Noted>, Vec<String>)> {
    let Plan {
        old, fresh, shards, ..
    } = plan;
    let docs: Vec<Vec<Noted>> = (0..ctx.docs)
        .into_par_iter()
        .map(|id| {
            if let Some((files, _)) = fresh.get(&id) {
                return files
                    .iter()
                    .map(|(p, c)| put_one(super::bytes(p.clone(), c.clone()), put))
                    .collect();
            }
            let r = &old[id];
            let mut listed = vec![(format!("search/d/{id}.json"), r.doc)];
            if let Some(h) = r.rest {
                listed.push((format!("search/b/{id}.json"), h));
            }
            kept_or_made(listed, keep_file, put, || {
                let body = match ctx.s.archive.articles.get(id) {
                    Some(_) => super::body_text::blocks(&ctx.s.archive.body(id).html),
                    None => Vec::new(),
                };
                let (doc, rest) = doc_json(ctx.s, ctx.entity_list, id, &body);
                Some(std::iter::once(doc).chain(rest).collect())
            })
        })
        .collect();
    let shard_noted: Vec<(Vec<Noted>, ShardRecord)> = shards
        .into_par_iter()
        .map(|shard| match shard {
            Shard::Kept(r) => {
                let mut listed = vec![(format!("search/t/{}.json", shard_file(&r.key)), r.shard)];
                listed.extend(
                    r.positions
                        .iter()
                        .enumerate()
                        .map(|(n, &h)| (positions_file(&r.key, n), h)),
                );
                let noted = kept_or_made(listed, keep_file, put, || {
                    let items: Items = load(ctx.store, r.state)?;
                    Some(
                        shard_files(&r.key, &items, ctx.docs)
                            .into_iter()
                            .map(|(_, c)| c)
                            .collect(),
                    )
                });
                (noted, r)
            }
            Shard::Made {
                key,
                weight,
                items,
                files,
            } => {
                let state = keep_items(ctx.store, &items);
                let noted: Vec<Noted> = files
                    .into_iter()
                    .map(|(p, c)| put_one(super::bytes(p, c), put))
                    .collect();
                let record = record_of(key, weight, state, &noted);
                (noted, record)
            }
        })
        .collect();
    let mut noted: Vec<Noted> = Vec::new();
    let mut records = Vec::with_capacity(ctx.docs);
    for (id, n) in docs.into_iter().enumerate() {
        let record = match fresh.get(&id) {
            Some(_) => doc_record(keys[id], &n),
            None => old[id].clone(),
        };
        records.push(record);
        noted.extend(n);
    }
    for (id, (_, c)) in &fresh {
        keep_contribution(ctx.store, keys[*id], c);
    }
    let mut shard_records = Vec::with_capacity(shard_noted.len());
    for (n, r) in shard_noted {
        noted.extend(n);
        shard_records.push(r);
    }
    let keys_out: Vec<String> = shard_records.iter().map(|r| r.key.clone()).collect();
    save(ctx.store, global, records, shard_records);
    Ok((noted, keys_out))
}

/// Keeps the files `listed` (path, hash) where the sink holds them; makes them all with
/// `make` (their bytes, in order) and puts the others.
fn kept_or_made(
    listed: Vec<(String, Hashes)>,
    keep_file: &(dyn Fn(&str, u128) -> bool + Sync),
    put: &(dyn Fn(super::Output) -> anyhow::Result<()> + Sync),
    make: impl FnOnce() -> Option<Vec<Vec<u8>>>,
) -> Vec<Noted> {
    let kept: Vec<bool> = listed.iter().map(|(p, h)| keep_file(p, h.1)).collect();
    if kept.iter().all(|&k| k) {
        return listed.into_iter().map(Ok).collect();
    }
    let Some(made) = make().filter(|m| m.len() == listed.len()) else {
        return vec![Err(anyhow::anyhow!(
            "cannot read the search index back from the build cache (a damaged disk?); build again with --no-cache"
        ))];
    };
    listed
        .into_iter()
        .zip(kept)
        .zip(made)
        .map(|(((path, hash), kept), bytes)| match kept {
            true => Ok((path, hash)),
            false => put_one(super::bytes(path, bytes), put),
        })
        .collect()
}

/// The record of a document whose files were put as `noted`.
pub(super) fn doc_record(key: u128, noted: &[Noted]) -> DocRecord {
    let hash = |k: usize| noted.get(k).and_then(|n| n.as_ref().ok()).map(|(_, h)| *h);
    DocRecord {
        key,
        doc: hash(0).unwrap_or_default(),
        rest: hash(1),
    }
}

/// The record of a shard whose files were put as `noted`.
pub(super) fn record_of(key: String, weight: usize, state: u128, noted: &[Noted]) -> ShardRecord {
    let hashes: Vec<Hashes> = noted
        .iter()
        .map(|n| n.as_ref().map_or((0, 0), |(_, h)| *h))
        .collect();
    ShardRecord {
        key,
        weight,
        state,
        shard: hashes.first().copied().unwrap_or_default(),
        positions: hashes.get(1..).map(<[Hashes]>::to_vec).unwrap_or_default(),
    }
}

/// A full build's shard: keeps its items; its record once its files are put.
pub(super) fn full_shard(
    store: &dyn BodyStore,
    items: &[(Box<str>, Item)],
    docs: usize,
) -> (usize, u128) {
    (weight(items, docs), keep_items(store, items))
}

/// Keeps the manifest of an index made of `docs` and `shards`, and drops at the next
/// save every entry it does not name.
pub(super) fn save(
    store: &dyn BodyStore,
    global: u128,
    docs: Vec<DocRecord>,
    shards: Vec<ShardRecord>,
) {
    let mut retain: HashSet<u128> = docs.iter().map(|d| d.key).collect();
    retain.extend(shards.iter().map(|s| s.state));
    retain.insert(MANIFEST);
    let manifest = Manifest {
        global,
        docs,
        shards,
    };
    keep(store, MANIFEST, &manifest);
    store.retain_search(retain);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(postings: &[(u32, u32)], positions: Option<Vec<u32>>) -> Entry {
        Entry {
            postings: postings
                .iter()
                .map(|&(d, f)| d << field::BITS | f)
                .collect(),
            positions,
        }
    }

    #[test]
    fn an_edit_replaces_a_document_s_posting_and_its_positions() {
        let mut e = entry(&[(1, 1), (4, 32)], Some(vec![1, 7, 2, 3, 9]));
        edit(&mut e, 4, Some(&(33, vec![5])));
        assert_eq!(e, entry(&[(1, 1), (4, 33)], Some(vec![1, 7, 1, 5])));
        edit(&mut e, 2, Some(&(32, vec![8, 10])));
        assert_eq!(
            e,
            entry(
                &[(1, 1), (2, 32), (4, 33)],
                Some(vec![1, 7, 2, 8, 10, 1, 5])
            )
        );
        edit(&mut e, 1, None);
        assert_eq!(e, entry(&[(2, 32), (4, 33)], Some(vec![2, 8, 10, 1, 5])));
    }

    #[test]
    fn changes_note_only_the_terms_that_differ() {
        let old = Contribution {
            terms: vec![("a".into(), 1, vec![0]), ("b".into(), 32, vec![2])],
            words: vec![("bs".into(), "b".into())],
        };
        let new = Contribution {
            terms: vec![("a".into(), 1, vec![0]), ("c".into(), 32, vec![2])],
            words: vec![],
        };
        let mut c = Changes::default();
        c.note(3, &old, &new);
        assert_eq!(c.keys().into_iter().collect::<Vec<_>>(), ["b", "bs", "c"]);
        let mut item = Item {
            entry: Some(entry(&[(3, 32)], Some(vec![1, 2]))),
            stems: vec![],
        };
        assert_eq!(c.apply("b", &mut item, 256), Some(()));
        assert_eq!(item.entry, None);
        let mut word = Item {
            entry: None,
            stems: vec![("b".into(), 2)],
        };
        assert_eq!(c.apply("bs", &mut word, 256), Some(()));
        assert_eq!(word.stems, vec![("b".into(), 1)]);
    }

    #[test]
    fn a_term_that_lost_its_positions_cannot_fall_back_under_the_cap() {
        let old = Contribution {
            terms: vec![("a".into(), 32, vec![1])],
            words: vec![],
        };
        let mut c = Changes::default();
        c.note(0, &old, &Contribution::default());
        let mut item = Item {
            entry: Some(entry(&[(0, 32), (1, 32), (2, 32)], None)),
            stems: vec![],
        };
        assert_eq!(c.apply("a", &mut item, 2), None);
    }

    fn record(key: &str, weight: usize) -> ShardRecord {
        ShardRecord {
            key: key.into(),
            weight,
            state: 0,
            shard: (0, 0),
            positions: vec![],
        }
    }

    #[test]
    fn a_key_is_held_by_the_longest_shard_that_takes_it() {
        let shards = [
            record("ab", 10),
            record("ac", 6001),
            record("aca", 10),
            record("acb", 10),
        ];
        assert_eq!(covering(&shards, "abzz"), Some(0));
        assert_eq!(covering(&shards, "ac"), Some(1));
        assert_eq!(covering(&shards, "acbq"), Some(3));
        assert_eq!(covering(&shards, "acq"), None, "new to a split prefix");
        assert_eq!(covering(&shards, "ad"), None);
    }

    #[test]
    fn a_split_stands_while_its_prefix_stays_heavy_and_its_shards_light() {
        let shards = [record("ac", 10), record("aca", 3000), record("acb", 3500)];
        let touched: BTreeSet<usize> = [1].into();
        assert!(same_split(&shards, &[10, 3000, 3500], &touched));
        assert!(
            !same_split(&shards, &[10, 2000, 3500], &touched),
            "prefix too light"
        );
        assert!(
            !same_split(&shards, &[10, 6500, 3500], &touched),
            "shard too heavy"
        );
    }
}
