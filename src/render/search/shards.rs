//! The term shards (`search/t/KEY.json`), their positions (`search/p/KEY.json`) and the
//! document sets of filters, as JSON. Shards are keyed by the first characters of their
//! keys (terms and the words of the word table alike): two, or more where a prefix
//! holds many postings, so shards stay small at any size and a word typed so far (a
//! prefix) is found in one shard or a few.

use std::fmt::Write as _;
use std::ops::Range;

use base64::Engine as _;

use super::collect::Entry;
use super::field;

/// Postings (or their equivalent in bytes / 4) a shard may hold before its key grows.
pub(super) const SHARD_POSTINGS: usize = 6_000;
/// Characters of the shortest and longest shard keys.
pub(super) const MIN_KEY: usize = 2;
pub(super) const MAX_KEY: usize = 8;

/// One key of the index: a term, a word of the word table, or both.
#[derive(Debug, Default)]
pub(super) struct Item {
    /// The term's postings, if the key is a term.
    pub(super) entry: Option<Entry>,
    /// The stems of the key as a written word, if they differ from it.
    pub(super) stems: Vec<Box<str>>,
}

impl Item {
    /// How much of a shard the item fills, in postings.
    fn weight(&self, docs: usize) -> usize {
        let postings = self.entry.as_ref().map_or(0, |e| {
            e.postings
                .len()
                .min(bitmap_len(docs) / 4 + non_body(&e.postings).count())
        });
        postings + self.stems.len() * 3
    }
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
            weight += items[j].1.weight(docs);
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

/// The postings that hold more than the body.
fn non_body(postings: &[u32]) -> impl Iterator<Item = u32> + '_ {
    let mask = (1 << field::BITS) - 1;
    postings
        .iter()
        .copied()
        .filter(move |p| p & mask != field::BODY)
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

/// A shard's JSON: `{"t": {term: [df, postings] | [df, postings, set]}, "w": {word:
/// [stem, ...]}}`. With a set (a bitmap, for a term in many documents) the postings
/// list only the documents where the term is in more than the body.
pub(super) fn shard_json(items: &[(Box<str>, Item)], docs: usize) -> Vec<u8> {
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
            write_postings(&mut out, non_body(&e.postings));
            out.push(',');
            out.push_str(&set);
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
        for (k, s) in item.stems.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            quoted(&mut out, s);
        }
        out.push(']');
    }
    out.push_str("}}");
    out.into_bytes()
}

/// The positions JSON of a shard, `None` when none of its terms keeps positions:
/// `{term: [doc difference, count, position difference, ...]}` for each document with
/// positions, positions counted from the previous one of the same document (the first
/// from 0).
pub(super) fn positions_json(items: &[(Box<str>, Item)]) -> Option<Vec<u8>> {
    let mut out = String::from("{");
    let mut any = false;
    for (key, item) in items {
        let Some(Entry {
            postings,
            positions: Some(positions),
        }) = &item.entry
        else {
            continue;
        };
        if any {
            out.push(',');
        }
        any = true;
        quoted(&mut out, key);
        out.push_str(":[");
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
                out.push(',');
            }
            comma = true;
            let _ = write!(out, "{},{n}", doc - previous);
            previous = doc;
            let mut last = 0;
            for &q in list {
                let _ = write!(out, ",{}", q - last);
                last = q;
            }
        }
        out.push(']');
    }
    out.push('}');
    any.then(|| out.into_bytes())
}

/// `s` as a JSON string.
fn quoted(out: &mut String, s: &str) {
    // Keys are letters and digits: nothing to escape. Still, let serde quote them.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}
