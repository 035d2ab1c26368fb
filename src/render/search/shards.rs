//! The term shards (`search/t/KEY.json`), their positions (`search/p/KEY.json`) and the
//! document sets of filters, as JSON. Shards are keyed by the first characters of their
//! keys (terms and the words of the word table alike): two, or more where a prefix
//! holds many postings, so shards stay small at any size and a word typed so far (a
//! prefix) is found in one shard or a few.

use std::fmt::Write as _;
use std::ops::Range;

use base64::Engine as _;

use super::collect::{Entry, Stems};
use super::{PAIR, field};

/// Postings (or their equivalent in bytes / 4) a shard may hold before its key grows.
pub(super) const SHARD_POSTINGS: usize = 6_000;
/// Bytes of positions a positions file holds before the next starts (a term with more
/// has a file of its own): a phrase fetches the file of each of its words.
pub(super) const POSITION_BYTES: usize = 12_000;
/// Characters of the shortest and longest shard keys.
pub(super) const MIN_KEY: usize = 2;
pub(super) const MAX_KEY: usize = 8;

/// One key of the index: a term, a word of the word table, or both.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Item {
    /// The term's postings, if the key is a term.
    pub(super) entry: Option<Entry>,
    /// The stems of the key as a written word, if they differ from it.
    pub(super) stems: Stems,
}

impl Item {
    /// How much of a shard the item `key` fills, in postings. A pair term (in one quote
    /// or a few) costs its key's bytes as much as its postings: four postings more, so
    /// that a pair's shard stays as small as a word's.
    pub(super) fn weight(&self, key: &str, docs: usize) -> usize {
        let pair = if key.starts_with(PAIR) { 4 } else { 0 };
        let postings = self.entry.as_ref().map_or(0, |e| {
            let sets: usize = field_docs(&e.postings)
                .iter()
                .map(|(_, d)| d.len().min(bitmap_len(docs) / 4))
                .sum();
            e.postings.len().min(sets)
        });
        postings + pair + self.stems.len() * 3
    }
}

/// The documents of `postings` by field: `(field bit, documents)` for each field they
/// have, by ascending bit.
fn field_docs(postings: &[u32]) -> Vec<(u32, Vec<u32>)> {
    let mut out: Vec<(u32, Vec<u32>)> = Vec::new();
    for bit in (0..field::BITS).map(|b| 1 << b) {
        let docs: Vec<u32> = postings
            .iter()
            .filter(|&&p| p & bit != 0)
            .map(|p| p >> field::BITS)
            .collect();
        if !docs.is_empty() {
            out.push((bit, docs));
        }
    }
    out
}

/// The first `n` characters of `key` (all of it when shorter).
pub(super) fn prefix(key: &str, n: usize) -> &str {
    key.char_indices().nth(n).map_or(key, |(i, _)| &key[..i])
}

/// Splits the sorted `items[range]` into shards whose keys have `depth` characters or
/// more: a prefix with too many postings is split by one more character, its key equal
/// to the prefix (if any) keeping the shorter key.
pub(super) fn split(
    items: &[(Box<str>, Item)],
    range: Range<usize>,
    depth: usize,
    docs: usize,
    out: &mut Vec<(String, Range<usize>)>,
) {
    let mut i = range.start;
    while i < range.end {
        let key = prefix(&items[i].0, depth);
        let mut j = i;
        let mut weight = 0;
        while j < range.end && prefix(&items[j].0, depth) == key {
            weight += items[j].1.weight(&items[j].0, docs);
            j += 1;
        }
        if weight <= SHARD_POSTINGS || depth >= MAX_KEY || j - i == 1 {
            out.push((key.to_string(), i..j));
        } else {
            // The key equal to the prefix sorts first among the keys it prefixes.
            let longer = if *items[i].0 == *key { i + 1 } else { i };
            if longer > i {
                out.push((key.to_string(), i..longer));
            }
            split(items, longer..j, depth + 1, docs, out);
        }
        i = j;
    }
}

/// The file name of shard `key`: the key when it is ASCII letters and digits, else `_`
/// and the hex of its UTF-8 (keys never contain `_`).
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

/// Bytes of a bitmap of `docs` documents in base64.
fn bitmap_len(docs: usize) -> usize {
    docs.div_ceil(8).div_ceil(3) * 4
}

/// `postings` as JSON numbers, each `(doc - previous doc) << BITS | fields`.
fn write_postings(out: &mut String, postings: impl Iterator<Item = u32>) {
    out.push('[');
    let mut previous = 0;
    for (k, p) in postings.enumerate() {
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

/// Documents `docs` (ascending, of `total`) as a document set: a JSON list of
/// differences from the previous document (the first from 0), or, where shorter, a
/// string: a bitmap in base64, bit `d % 8` of byte `d / 8` for document `d`.
pub(super) fn write_set(out: &mut String, docs: &[u32], total: usize) {
    let digits = |n: u32| n.checked_ilog10().unwrap_or(0) as usize + 2;
    let mut previous = 0;
    let list: usize = docs
        .iter()
        .map(|&d| {
            let n = digits(d - previous);
            previous = d;
            n
        })
        .sum();
    if list > bitmap_len(total) {
        let mut bits = vec![0u8; total.div_ceil(8)];
        for &d in docs {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        out.push('"');
        out.push_str(&base64::engine::general_purpose::STANDARD.encode(&bits));
        out.push('"');
    } else {
        out.push('[');
        let mut previous = 0;
        for (k, &d) in docs.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", d - previous);
            previous = d;
        }
        out.push(']');
    }
}

/// A shard's JSON: `{"t": {term: [df, postings] | [df, {field: set}]}, "w": {word: [stem,
/// ...]}, "p": [term, ...]}`. A term in many documents (where its documents are shorter
/// as a bitmap) has a document set per field instead of postings. `p` names the first
/// term of each of the shard's positions files after the first (`parts`, from
/// [`positions_json`]), omitted when there is one file or none.
pub(super) fn shard_json(items: &[(Box<str>, Item)], docs: usize, parts: &[&str]) -> Vec<u8> {
    let mut out = String::with_capacity(1024);
    out.push_str("{\"t\":{");
    let mut first = true;
    for (key, item) in items {
        let Some(e) = &item.entry else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        quoted(&mut out, key);
        let _ = write!(out, ":[{},", e.postings.len());
        let mut set = String::new();
        write_set(
            &mut set,
            &e.postings
                .iter()
                .map(|p| p >> field::BITS)
                .collect::<Vec<_>>(),
            docs,
        );
        if set.starts_with('"') {
            out.push('{');
            for (k, (bit, list)) in field_docs(&e.postings).iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"{bit}\":");
                write_set(&mut out, list, docs);
            }
            out.push('}');
        } else {
            write_postings(&mut out, e.postings.iter().copied());
        }
        out.push(']');
    }
    out.push_str("},\"w\":{");
    let mut first = true;
    for (key, item) in items.iter().filter(|(_, i)| !i.stems.is_empty()) {
        if !first {
            out.push(',');
        }
        first = false;
        quoted(&mut out, key);
        out.push_str(":[");
        for (k, (s, _)) in item.stems.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            quoted(&mut out, s);
        }
        out.push(']');
    }
    out.push('}');
    if parts.len() > 1 {
        out.push_str(",\"p\":[");
        for (k, first) in parts[1..].iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            quoted(&mut out, first);
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// The positions files of a shard, none when none of its terms keeps positions: each
/// `(first term, JSON)`, the JSON `{term: [doc difference, count, position difference,
/// ...]}` for each document with positions, positions counted from the previous one of
/// the same document (the first from 0). A file holds at most [`POSITION_BYTES`], or
/// one term that has more.
pub(super) fn positions_json(items: &[(Box<str>, Item)]) -> Vec<(&str, Vec<u8>)> {
    let mut files = Vec::new();
    let mut out = String::new();
    let mut first: Option<&str> = None;
    let mut one = String::new();
    fn close<'a>(
        files: &mut Vec<(&'a str, Vec<u8>)>,
        first: &mut Option<&'a str>,
        out: &mut String,
    ) {
        if let Some(term) = first.take() {
            files.push((term, format!("{{{out}}}").into_bytes()));
            out.clear();
        }
    }
    for (key, item) in items {
        let Some(Entry {
            postings,
            positions: Some(positions),
        }) = &item.entry
        else {
            continue;
        };
        one.clear();
        quoted(&mut one, key);
        one.push_str(":[");
        let (mut at, mut previous, mut comma) = (0, 0, false);
        for p in postings {
            let n = positions[at] as usize;
            let list = &positions[at + 1..at + 1 + n];
            at += 1 + n;
            if n == 0 {
                continue;
            }
            let doc = p >> field::BITS;
            if comma {
                one.push(',');
            }
            comma = true;
            let _ = write!(one, "{},{n}", doc - previous);
            previous = doc;
            let mut last = 0;
            for &q in list {
                let _ = write!(one, ",{}", q - last);
                last = q;
            }
        }
        one.push(']');
        if out.len() + one.len() > POSITION_BYTES {
            close(&mut files, &mut first, &mut out);
        }
        if first.is_some() {
            out.push(',');
        } else {
            first = Some(key);
        }
        out.push_str(&one);
    }
    close(&mut files, &mut first, &mut out);
    files
}

/// The file name of positions file `n` of shard `key` (the first has the shard's name).
pub(super) fn positions_file(key: &str, n: usize) -> String {
    match n {
        0 => format!("search/p/{}.json", shard_file(key)),
        n => format!("search/p/{}-{n}.json", shard_file(key)),
    }
}

/// The shard keys grouped for `meta.json`: the keys of [`MIN_KEY`] characters or fewer
/// that no longer key starts with (listed in `meta.json` itself), and each prefix of
/// [`MIN_KEY`] characters that longer keys start with, with its keys (listed in
/// `search/k/PREFIX.json`, fetched by a word of that prefix): `meta.json` stays small
/// however many shards there are.
pub(super) fn key_groups<'k>(keys: &[&'k str]) -> (Vec<&'k str>, Vec<(&'k str, Vec<&'k str>)>) {
    let mut whole = Vec::new();
    let mut split: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let root = prefix(keys[i], MIN_KEY);
        let j = i + keys[i..]
            .iter()
            .take_while(|k| prefix(k, MIN_KEY) == root)
            .count();
        if j - i == 1 && keys[i] == root {
            whole.push(root);
        } else {
            split.push((root, keys[i..j].to_vec()));
        }
        i = j;
    }
    (whole, split)
}

/// `s` as a JSON string.
fn quoted(out: &mut String, s: &str) {
    // Keys are letters and digits: nothing to escape. Still, let serde quote them.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}
