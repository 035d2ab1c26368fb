//! Unit tests of the index writer: what a document contributes, how shards, positions
//! and document sets are written.

use std::ops::Range;

use super::collect::{Doc, Entry, Part, merge, pair_key};
use super::field;
use super::shards::*;

fn one_doc(part: &mut Part, doc: u32, lang: &str, texts: &[(&str, u32, bool)], cap: usize) {
    let mut d = Doc::new(part, lang);
    for &(text, fields, positioned) in texts {
        d.add(text, fields, positioned);
    }
    d.finish(doc, cap, false);
}

fn positions_of(part: &Part, term: &str) -> Vec<u32> {
    part.terms[term].positions.clone().unwrap_or_default()
}

#[test]
fn body_words_are_indexed_with_positions_that_count_stop_words() {
    let mut part = Part::default();
    let texts = [
        ("Vote count", field::TITLE, true),
        ("We will continue the count", field::BODY, true),
        ("Count", field::SUMMARY, false),
    ];
    one_doc(&mut part, 3, "en", &texts, 10);
    // `count`: headline position 1; body block after a gap (title ends at 1, so the
    // body starts at 3): `we`=3 `will`=4 `continue`=5 `the`=6 `count`=7.
    let fields = field::TITLE | field::BODY | field::SUMMARY;
    assert_eq!(part.terms["count"].postings, [3 << field::BITS | fields]);
    assert_eq!(positions_of(&part, "count"), [2, 1, 7]);
    assert_eq!(positions_of(&part, "continu"), [1, 5]);
    // Stop words are not indexed, but kept their places.
    assert!(!part.terms.contains_key("will") && !part.terms.contains_key("we"));
}

#[test]
fn consecutive_quote_words_give_pair_terms_stop_words_aside_and_bodies_none() {
    let mut part = Part::default();
    let texts = [
        ("We will continue the count", field::QUOTE, true),
        ("Ballot boxes", field::BODY, true),
    ];
    one_doc(&mut part, 2, "en", &texts, 10);
    // `we will` are stop words; `continue the count`: `the` is skipped, so the pair is
    // `continu` then `count`.
    let pair = pair_key("continu", "count");
    assert_eq!(
        part.terms[pair.as_str()].postings,
        [2 << field::BITS | field::QUOTE]
    );
    assert!(part.terms[pair.as_str()].positions.is_none());
    let pairs: Vec<&str> = part
        .terms
        .keys()
        .filter(|t| t.starts_with('.'))
        .map(|t| &**t)
        .collect();
    assert_eq!(pairs, [pair.as_str()], "a pair of body words");
}

#[test]
fn pair_keys_are_fnv_1a_in_hex_as_search_js_computes_them() {
    // The same digits as `pairKey` in search.js and bench/search_query.py.
    assert_eq!(pair_key("continu", "count"), ".b42d0c3a");
    assert_eq!(pair_key("tamarind", "orchard"), ".7436c40c");
    assert_ne!(pair_key("count", "continu"), pair_key("continu", "count"));
}

#[test]
fn the_word_table_maps_written_words_to_their_stems_in_the_language() {
    let mut part = Part::default();
    one_doc(
        &mut part,
        0,
        "es",
        &[("Canciones y una canción", field::BODY, true)],
        10,
    );
    assert!(
        part.terms.contains_key("cancion"),
        "{:?}",
        part.terms.keys()
    );
    assert_eq!(part.words["canciones"], [("cancion".into(), 1)]);
    // `canción` folds to its stem: nothing to look up.
    assert!(!part.words.contains_key("cancion"));
}

#[test]
fn a_term_in_more_documents_than_the_cap_keeps_no_positions() {
    let (mut a, mut b) = (Part::default(), Part::default());
    for doc in 0..2 {
        one_doc(&mut a, doc, "en", &[("ballot", field::BODY, true)], 3);
    }
    for doc in 2..4 {
        one_doc(&mut b, doc, "en", &[("ballot", field::BODY, true)], 3);
    }
    assert!(a.terms["ballot"].positions.is_some());
    merge(&mut a, b, 3);
    assert_eq!(a.terms["ballot"].postings.len(), 4);
    assert!(a.terms["ballot"].positions.is_none());
}

#[test]
fn chinese_is_indexed_by_ideograph_with_consecutive_positions() {
    let mut part = Part::default();
    one_doc(
        &mut part,
        0,
        "es",
        &[("新专辑在上海", field::BODY, true)],
        10,
    );
    assert_eq!(positions_of(&part, "上"), [1, 4]);
    assert_eq!(positions_of(&part, "海"), [1, 5]);
}

fn item(postings: Vec<u32>) -> Item {
    Item {
        entry: Some(Entry {
            postings,
            positions: None,
        }),
        stems: Vec::new(),
    }
}

fn body_postings(n: usize) -> Vec<u32> {
    (0..n as u32)
        .map(|d| d << field::BITS | field::BODY)
        .collect()
}

#[test]
fn shard_files_are_safe_names() {
    assert_eq!(shard_file("bu"), "bu");
    assert_eq!(shard_file("ñu"), "_c3b175");
}

#[test]
fn a_crowded_prefix_splits_and_its_own_key_keeps_the_short_key() {
    let items: Vec<(Box<str>, Item)> = vec![
        ("ab".into(), item(body_postings(1))),
        ("th".into(), item(body_postings(2))),
        ("the".into(), item(body_postings(SHARD_POSTINGS - 10))),
        ("them".into(), item(body_postings(3))),
        ("thi".into(), item(body_postings(20))),
        ("zz".into(), item(body_postings(1))),
    ];
    let mut shards = Vec::new();
    split(&items, 0..items.len(), MIN_KEY, 1 << 20, &mut shards);
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
fn postings_are_delta_coded_with_their_fields_and_words_list_their_stems() {
    let mut vote = item(vec![
        3 << field::BITS | field::TITLE,
        7 << field::BITS | field::BODY | field::QUOTE,
    ]);
    vote.stems = vec![("vot".into(), 1)];
    let items: Vec<(Box<str>, Item)> = vec![("vote".into(), vote)];
    let json = String::from_utf8(shard_json(&items, 1000, &[])).unwrap_or_default();
    let (first, second) = (
        3 << field::BITS | field::TITLE,
        4 << field::BITS | field::BODY | field::QUOTE,
    );
    assert_eq!(
        json,
        format!(r#"{{"t":{{"vote":[2,[{first},{second}]]}},"w":{{"vote":["vot"]}}}}"#)
    );
}

#[test]
fn a_term_in_most_documents_has_a_document_set_per_field() {
    // 16 documents of 16: a list of 16 numbers is longer than 2 bytes of bitmap. In
    // the body of all, the headline of document 2, quotes of documents 0-11.
    let mut postings = body_postings(16);
    postings[2] |= field::TITLE;
    for p in &mut postings[..12] {
        *p |= field::QUOTE;
    }
    let items: Vec<(Box<str>, Item)> = vec![("dense".into(), item(postings))];
    let json = String::from_utf8(shard_json(&items, 16, &[])).unwrap_or_default();
    let (title, quote, body) = (field::TITLE, field::QUOTE, field::BODY);
    assert_eq!(
        json,
        format!(
            r#"{{"t":{{"dense":[16,{{"{title}":[2],"{quote}":"/w8=","{body}":"//8="}}]}},"w":{{}}}}"#
        )
    );
}

#[test]
fn document_sets_are_differences_or_a_bitmap_whichever_is_shorter() {
    let mut out = String::new();
    write_set(&mut out, &[2, 5, 40], 1000);
    assert_eq!(out, "[2,3,35]");
    let mut out = String::new();
    write_set(&mut out, &(0..12).collect::<Vec<_>>(), 12);
    // Bits 0-11: 0xff, 0x0f.
    assert_eq!(out, "\"/w8=\"");
}

#[test]
fn positions_are_written_per_document_as_differences() {
    let items: Vec<(Box<str>, Item)> = vec![
        (
            "vote".into(),
            Item {
                entry: Some(Entry {
                    postings: vec![
                        1 << field::BITS | 1,
                        4 << field::BITS | 8,
                        6 << field::BITS | 1,
                    ],
                    // Document 4 has the term in its summary only: no positions.
                    positions: Some(vec![2, 3, 9, 0, 1, 5]),
                }),
                stems: Vec::new(),
            },
        ),
        ("common".into(), item(body_postings(3))),
    ];
    let files = positions_json(&items);
    let json: Vec<(&str, &str)> = files
        .iter()
        .map(|(t, j)| (*t, std::str::from_utf8(j).unwrap_or_default()))
        .collect();
    assert_eq!(json, [("vote", r#"{"vote":[1,2,3,6,5,1,5]}"#)]);
    assert!(positions_json(&items[1..]).is_empty());
}

/// A term in documents `0..n`, at one position each.
fn positioned(n: u32) -> Item {
    Item {
        entry: Some(Entry {
            postings: (0..n).map(|d| d << field::BITS | field::BODY).collect(),
            positions: Some((0..n).flat_map(|_| [1, 7]).collect()),
        }),
        stems: Vec::new(),
    }
}

#[test]
fn positions_files_stay_small_and_the_shard_names_where_each_starts() {
    // A term's positions take 6 bytes a document here (`1,1,7,`): 1,500 documents fill
    // most of a file, so the next such term starts another; a term of more than a file
    // has one to itself.
    let items: Vec<(Box<str>, Item)> = vec![
        ("vota".into(), positioned(1_500)),
        ("votb".into(), positioned(2)),
        ("votc".into(), positioned(1_500)),
        ("votd".into(), positioned(2)),
        ("vote".into(), positioned(3_000)),
        ("votf".into(), positioned(2)),
    ];
    let files = positions_json(&items);
    let firsts: Vec<&str> = files.iter().map(|(t, _)| *t).collect();
    assert_eq!(firsts, ["vota", "votc", "vote", "votf"]);
    assert!(
        files[..2]
            .iter()
            .all(|(_, j)| j.len() <= POSITION_BYTES + 2)
    );
    let second = std::str::from_utf8(&files[1].1).unwrap_or_default();
    assert!(second.starts_with(r#"{"votc":[0,1,7,1,1,7"#) && second.contains(r#""votd":"#));
    let shard =
        String::from_utf8(shard_json(&items[..1], 1 << 20, &firsts[..2])).unwrap_or_default();
    assert!(shard.ends_with(r#","p":["votc"]}"#), "{shard}");
    assert_eq!(positions_file("vo", 0), "search/p/vo.json");
    assert_eq!(positions_file("ñu", 2), "search/p/_c3b175-2.json");
}

#[test]
fn keys_of_a_crowded_prefix_are_listed_in_a_file_of_their_own() {
    let keys = ["ab", "th", "the", "thi", "zz", "上", "上海"];
    let (whole, split) = key_groups(&keys);
    assert_eq!(whole, ["ab", "zz", "上", "上海"]);
    assert_eq!(split, [("th", vec!["th", "the", "thi"])]);
}

#[test]
fn words_written_apart_are_one_term_of_a_document_keyed_as_terms_keys_them() {
    let mut part = Part::default();
    let text = "Votes: the vote, VOTE and voting. Votes!";
    one_doc(&mut part, 1, "en", &[(text, field::BODY, true)], 10);
    one_doc(&mut part, 2, "en", &[("A vote", field::TITLE, true)], 10);
    // One posting a document for `vote`, whatever the written forms; each at its place.
    assert_eq!(
        part.terms["vote"].postings,
        [
            1 << field::BITS | field::BODY,
            2 << field::BITS | field::TITLE
        ]
    );
    assert_eq!(positions_of(&part, "vote"), [5, 0, 2, 3, 5, 6, 1, 1]);
    // The keys are those of `text::terms`, stop words left out.
    let mut keys: Vec<String> = crate::text::terms(text, "en")
        .filter(|t| !t.is_stop)
        .map(|t| t.text)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut have: Vec<&str> = part.terms.keys().map(|k| &**k).collect();
    have.sort_unstable();
    assert_eq!(have, keys.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_document_file_holds_the_body_s_blocks_up_to_the_one_that_reaches_the_lead() {
    use super::LEAD;
    use super::docs::lead_blocks;
    let block = |n: usize| "x".repeat(n);
    // Whole blocks until one reaches the lead; the rest goes to the body's other file.
    let body = [block(LEAD / 2), block(LEAD / 2 + 1), block(10)];
    assert_eq!(lead_blocks(&body), 2);
    // A first block longer than the lead is the document's whole part.
    assert_eq!(lead_blocks(&[block(LEAD * 3), block(5)]), 1);
    // A short body stays in one file.
    assert_eq!(lead_blocks(&[block(5), block(5)]), 2);
    assert_eq!(lead_blocks(&[]), 0);
}

/// A document's contribution is what it put in the part: its terms with their fields
/// and positions, and its words' stems, each counted once per document.
#[test]
fn a_document_s_contribution_is_what_it_put_in_the_part() {
    let mut part = Part::default();
    let mut d = Doc::new(&mut part, "es");
    d.add("Canciones", field::TITLE, true);
    d.add("canciones y CANCIONES", field::BODY, true);
    let c = d.finish(2, 10, true).unwrap_or_default();
    let terms: Vec<(&str, u32, &[u32])> = c
        .terms
        .iter()
        .map(|(t, f, p)| (&**t, *f, p.as_slice()))
        .collect();
    assert_eq!(
        terms,
        [("cancion", field::TITLE | field::BODY, &[0, 2, 4][..])]
    );
    assert_eq!(c.words, [("canciones".into(), "cancion".into())]);
    assert_eq!(part.words["canciones"], [("cancion".into(), 1)]);
    let mut d = Doc::new(&mut part, "es");
    d.add("canciones", field::BODY, true);
    d.finish(3, 10, false);
    assert_eq!(part.words["canciones"], [("cancion".into(), 2)]);
}
