//! The document files (`search/d/N.json`, one per document: what a result shows, the
//! beginning of the body its snippet and a phrase check read first, and for a person,
//! topic or outlet the articles a filter by it keeps), the rest of each long body
//! (`search/b/N.json`, fetched only when the beginning does not do), and the id files a
//! filter in the address is resolved with (`search/f/KIND/PREFIX.json`).

use serde::Serialize;

use super::collect::article_language;
use super::shards::{prefix, shard_file, write_set};
use super::{LEAD, MAX_TEXT};
use crate::link::{Archive, Entity, EntityKind};
use crate::render::views::Shared;

/// One search result as `search.js` shows it (short field names: there are many).
#[derive(Debug, Serialize)]
struct Doc<'a> {
    /// Headline or name.
    t: &'a str,
    /// Href from the site root.
    h: String,
    /// A person's, topic's or outlet's id (the value of its filter).
    #[serde(skip_serializing_if = "str::is_empty")]
    i: &'a str,
    /// Kind: `a`rticle, `p`erson, `t`opic or `o`utlet.
    k: &'static str,
    /// Date, `YYYY-MM-DD` (articles).
    #[serde(skip_serializing_if = "String::is_empty")]
    d: String,
    /// Language, a BCP 47 tag.
    l: &'a str,
    /// Summary, or a person's role.
    #[serde(skip_serializing_if = "String::is_empty")]
    s: String,
    /// Quotes: text, speaker, fragment in the article (`quote-ID`, which stays put when
    /// quotes are added), and the 1-based number readers see.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    q: Vec<(String, &'a str, String, usize)>,
    /// The body's first blocks of text, [`LEAD`] characters or a little more (README,
    /// Search: what is indexed).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    x: &'a [String],
    /// The bytes of `search/b/N.json`, the body's other blocks; 0 when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    r: usize,
    /// A person's, topic's or outlet's articles, as a document set.
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<serde_json::Value>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The number of `body`'s blocks that a document file holds: blocks up to the one that
/// reaches [`LEAD`] characters (at least one: a snippet or phrase within the first
/// paragraph needs no second file).
pub(super) fn lead_blocks(body: &[String]) -> usize {
    let mut chars = 0;
    for (k, block) in body.iter().enumerate() {
        chars += block.chars().count();
        if chars >= LEAD {
            return k + 1;
        }
    }
    body.len()
}

/// `text` cut to [`MAX_TEXT`] characters at a word boundary, with `…` when cut.
pub(super) fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_TEXT) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

/// The letter of an entity kind in documents, ids files and the address.
pub(super) fn kind_letter(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "p",
        EntityKind::Topic => "t",
        EntityKind::Outlet => "o",
    }
}

/// The JSON of document `id` whose body has the blocks `body` (articles first, newest
/// first, so a lower id is newer, then people, topics and outlets), and of the body's
/// blocks after the document's, if any.
pub(super) fn doc_json(
    s: &Shared<'_>,
    entity_list: &[&Entity],
    id: usize,
    body: &[String],
) -> (Vec<u8>, Option<Vec<u8>>) {
    let (lead, rest) = body.split_at(lead_blocks(body));
    let rest = (!rest.is_empty()).then(|| serde_json::to_vec(rest).unwrap_or_default());
    let a = s.archive;
    let docs = a.articles.len() + entity_list.len();
    let doc = match a.articles.get(id) {
        Some(e) => Doc {
            t: &e.article.title,
            h: s.href(&e.dir),
            i: "",
            k: "a",
            d: e.article.date.date.to_string(),
            l: article_language(a, id),
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
            x: lead,
            r: rest.as_ref().map_or(0, Vec::len),
            a: None,
        },
        None => {
            let e = entity_list[id - a.articles.len()];
            let articles: Vec<u32> = e.articles.iter().map(|&i| i as u32).collect();
            let mut set = String::new();
            write_set(&mut set, &articles, docs);
            Doc {
                t: &e.name,
                h: s.href(&e.dir),
                i: &e.id,
                k: kind_letter(e.kind),
                d: String::new(),
                l: &a.config.language,
                s: e.role.as_deref().map(shorten).unwrap_or_default(),
                q: Vec::new(),
                x: &[],
                r: 0,
                // Written by this module: it parses. Entities are few, so parsing costs little.
                a: serde_json::from_str(&set).ok(),
            }
        }
    };
    (serde_json::to_vec(&doc).unwrap_or_default(), rest)
}

/// Characters of an id that key its id file.
const ID_KEY: usize = 2;

/// The id files of entities of `kind`, whose documents start at `first`:
/// `(path, {id: document})`, one file per first [`ID_KEY`] characters of the ids.
pub(super) fn id_files(a: &Archive, kind: EntityKind, first: usize) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    for (k, e) in a.entities(kind).iter().enumerate() {
        let key = prefix(&e.id, ID_KEY);
        let path = format!("search/f/{}/{}.json", kind_letter(kind), shard_file(key));
        // Entities are sorted by id, so one prefix's ids are together.
        if out.last().is_none_or(|(p, _)| *p != path) {
            out.push((path, serde_json::Map::new()));
        }
        if let Some((_, map)) = out.last_mut() {
            map.insert(e.id.clone(), (first + k).into());
        }
    }
    out.into_iter()
        .map(|(p, m)| (p, serde_json::to_vec(&m).unwrap_or_default()))
        .collect()
}
