//! `/annotations.jsonld`: every article's annotations as W3C Web Annotations, in one
//! `AnnotationCollection`. Input: the archive, its bodies as served (the theme's markup
//! spliced in) and the run's store; output: the file as a [`Stream`], written piece by
//! piece. Built in the render stage because a passage's selector quotes the page's text
//! around it, and the markup of that text is the theme's.
//!
//! The file holds every annotated article (175 MB at 100k articles), so it is never
//! held whole: each article's part is made once and kept in the store (the build cache)
//! under a key hashing everything it is made from ([`part_key`]), and the file is the
//! parts' bytes copied in article order. After a one-article edit only that article's
//! part is made again; the others are read back as bytes.

use std::collections::HashSet;
use std::hash::Hasher as _;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::json;

use super::selectors::{TextQuote, selectors};
use super::views::Shared;
use super::{Pieces, Stream};
use crate::link::{ArticleEntry, BodyStore, QuoteRef};

/// Bumped whenever the bytes of a part change for the same inputs (a new field, another
/// order): older parts are then never found.
const PART_FORMAT: &[u8] = b"annotations part 1\0";

/// Each annotated article's part key by a hash of its file's path: what a build made
/// `/annotations.jsonld` of, kept in the build cache for the build after it, which takes
/// the key of each article whose page shows nothing changed instead of hashing what
/// the part is made from again.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PartKeys(std::collections::HashMap<u128, u128>);

impl PartKeys {
    fn path_key(path: &std::path::Path) -> u128 {
        xxhash_rust::xxh3::xxh3_128(path.as_os_str().as_encoded_bytes())
    }

    /// The part key of the article of `path`, if it had a part.
    pub(crate) fn get(&self, path: &std::path::Path) -> Option<u128> {
        self.0.get(&Self::path_key(path)).copied()
    }

    fn insert(&mut self, path: &std::path::Path, key: u128) {
        self.0.insert(Self::path_key(path), key);
    }
}

/// One article's items, as the file holds them: kept in the store, or here when the
/// store keeps no parts.
#[derive(Clone)]
pub(crate) enum Part {
    Stored(u128),
    Inline(Vec<u8>),
}

/// The parts made while the article pages render, each from the body its page shows
/// (filling a body's marks once, not once more for this file). A part goes to the store
/// as soon as it is made, so what waits here for the file is a key per article, not
/// the items (175 MB at 100k articles when they were held as text).
pub(crate) struct Kept {
    global: u128,
    parts: Vec<std::sync::OnceLock<Part>>,
    made: AtomicUsize,
}

impl Kept {
    /// Room for every article's part of `s`'s archive; `theme` is the theme's
    /// fingerprint.
    pub(crate) fn new(s: &Shared<'_>, theme: u128) -> Kept {
        Kept {
            global: global_key(s, theme),
            parts: std::iter::repeat_with(std::sync::OnceLock::new)
                .take(s.archive.articles.len())
                .collect(),
            made: AtomicUsize::new(0),
        }
    }

    /// Makes article `i`'s part from `body`, the body its page shows, unless it is made
    /// or stored already.
    pub(crate) fn keep(&self, s: &Shared<'_>, i: usize, body: &str) -> Result<(), tera::Error> {
        let Some(cell) = self.parts.get(i) else {
            return Ok(());
        };
        if cell.get().is_none()
            && let Some(part) = part(s, i, self.global, Some(body), &self.made)?
        {
            // Another page of the same article (none today) may have set it: same bytes.
            let _ = cell.set(part);
        }
        Ok(())
    }
}

/// Article `i`'s part under `global` ([`global_key`]): the store's when it has it, else
/// made (from `served`, the body as its page shows it, when given) and offered to the
/// store; `None` for an article without annotations. `made` counts the parts made.
fn part(
    s: &Shared<'_>,
    i: usize,
    global: u128,
    served: Option<&str>,
    made: &AtomicUsize,
) -> Result<Option<Part>, tera::Error> {
    let e = &s.archive.articles[i];
    if e.article.annotations.is_empty() {
        return Ok(None);
    }
    let store = s.archive.bodies.store.as_ref();
    let key = part_key(s, i, e, global);
    if let Some(store) = store
        && store.has_part(key)
    {
        return Ok(Some(Part::Stored(key)));
    }
    let bytes = of_article(s, i, served)?.into_bytes();
    made.fetch_add(1, Ordering::Relaxed);
    Ok(Some(match store {
        Some(store) => match store.put_part(key, bytes) {
            None => Part::Stored(key),
            Some(bytes) => Part::Inline(bytes),
        },
        None => Part::Inline(bytes),
    }))
}

/// The file: its head, up to the opening of the items' list, and the parts.
struct Collection {
    head: Vec<u8>,
    parts: Vec<Part>,
    store: Option<Arc<dyn BodyStore>>,
}

impl Pieces for Collection {
    fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(&self.head)?;
        for (k, part) in self.parts.iter().enumerate() {
            if k > 0 {
                out.write_all(b",\n")?;
            }
            match part {
                Part::Inline(bytes) => out.write_all(bytes)?,
                Part::Stored(key) => {
                    let bytes = self
                        .store
                        .as_ref()
                        .and_then(|s| s.get_part(*key))
                        .ok_or_else(|| {
                            std::io::Error::other(
                                "cannot read a part of annotations.jsonld back from the build cache (a damaged disk?); build again with --no-cache",
                            )
                        })?;
                    out.write_all(&bytes)?;
                }
            }
        }
        out.write_all(b"\n]}}\n")
    }
}

/// Every annotation as a W3C Web Annotation, in one `AnnotationCollection`; `theme` is
/// the theme's fingerprint (the marks' markup is the theme's). Parts found in the store
/// are not made again; parts made are put there, and the store is told to keep only the
/// parts of this file.
pub(crate) fn collection(s: &Shared<'_>, theme: u128) -> Result<Stream, tera::Error> {
    let a = s.archive;
    let store = a.bodies.store.clone();
    let kept = s.annotation_parts();
    let global = kept.map_or_else(|| global_key(s, theme), |k| k.global);
    let made = AtomicUsize::new(kept.map_or(0, |k| k.made.load(Ordering::Relaxed)));
    let known = AtomicUsize::new(0);
    let parts: Vec<Option<Part>> = (0..a.articles.len())
        .into_par_iter()
        .map(|i| -> Result<Option<Part>, tera::Error> {
            // The part the article's page made, when it rendered this run.
            if let Some(p) = kept.and_then(|k| k.parts.get(i)?.get()) {
                return Ok(Some(p.clone()));
            }
            // The previous build's key when nothing the part is made from changed (the
            // article's page shows all of it), else made or found by its key.
            if !a.articles[i].article.annotations.is_empty()
                && let Some(store) = &store
                && let Some(key) = s.known_part(i)
                && store.has_part(key)
            {
                known.fetch_add(1, Ordering::Relaxed);
                return Ok(Some(Part::Stored(key)));
            }
            part(s, i, global, None, &made)
        })
        .collect::<Result<_, _>>()?;
    let mut keys = PartKeys::default();
    for (e, part) in a.articles.iter().zip(&parts) {
        if let Some(Part::Stored(key)) = part {
            keys.insert(&e.article.path, *key);
        }
    }
    s.made_parts(keys);
    let parts: Vec<Part> = parts.into_iter().flatten().collect();
    tracing::debug!(
        "render: annotations.jsonld: {} of {} parts made",
        made.into_inner(),
        parts.len()
    );
    tracing::debug!(
        "render: annotations.jsonld: {} parts by the previous build's keys",
        known.into_inner()
    );
    // Kept in memory only when the run has no store that keeps parts.
    let inline = parts
        .iter()
        .filter(|p| matches!(p, Part::Inline(_)))
        .count();
    tracing::debug!("render: annotations.jsonld: {inline} parts held in memory");
    if let Some(store) = &store {
        let keys: HashSet<u128> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Stored(k) => Some(*k),
                Part::Inline(_) => None,
            })
            .collect();
        store.retain_parts(keys);
    }
    Ok(Stream(Arc::new(Collection {
        head: head(s),
        parts,
        store,
    })))
}

/// The collection and its one page, without their closing braces, up to the opening of
/// the page's items.
fn head(s: &Shared<'_>) -> Vec<u8> {
    let a = s.archive;
    let total: usize = a.articles.iter().map(|e| e.article.annotations.len()).sum();
    let id = s.url("annotations.jsonld");
    // Every item is on one page, embedded in the collection; the Web Annotation model
    // requires the page to have an IRI of its own.
    let page_id = format!("{id}#page-1");
    let label = s
        .i18n
        .text(
            &a.config.language,
            "annotations_of",
            None,
            &[("site", &a.config.title)],
        )
        .unwrap_or_else(|_| a.config.title.clone());
    let head = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "last": page_id,
    })
    .to_string();
    let page = json!({
        "id": page_id,
        "type": "AnnotationPage",
        "partOf": id,
        "startIndex": 0,
    })
    .to_string();
    let mut out = Vec::with_capacity(head.len() + page.len() + 32);
    out.extend_from_slice(&head.as_bytes()[..head.len() - 1]);
    out.extend_from_slice(b",\"first\":");
    out.extend_from_slice(&page.as_bytes()[..page.len() - 1]);
    out.extend_from_slice(b",\"items\":[\n");
    out
}

/// Feeds what is written to it into a hash: values are hashed as their JSON, without
/// building the text.
pub(super) struct HashWriter(pub(super) xxhash_rust::xxh3::Xxh3);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl HashWriter {
    pub(super) fn value(&mut self, v: &(impl serde::Serialize + ?Sized)) {
        // Writing into a hash cannot fail; a value that cannot be serialised hashes
        // what was written of it, the same in every run.
        let _ = serde_json::to_writer(&mut *self, v);
        self.0.update(b"\0");
    }
}

/// What decides every part at once: the theme (the marks' markup) and site.yaml with
/// the options (the base URL, the language, permalinks). Another gloss has another
/// cache altogether.
fn global_key(s: &Shared<'_>, theme: u128) -> u128 {
    let mut h = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    h.0.update(PART_FORMAT);
    h.0.write_u128(theme);
    h.value(&s.archive.config);
    h.0.digest128()
}

/// The key of article `i`'s part: a hash of everything it is made from. The items read
/// the article's annotations, date and address; the selectors read its body as served,
/// which is its HTML and embeds ([`crate::link::RenderedBody::fingerprint`]) with each
/// mark filled from the mark's data (the views of the article's quotes and
/// annotations, which carry what they show of other articles and people) in the
/// article's language, at its folder's depth.
fn part_key(s: &Shared<'_>, i: usize, e: &ArticleEntry, global: u128) -> u128 {
    let mut h = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    h.0.write_u128(global);
    h.0.write_u128(e.body.fingerprint);
    h.value(&e.dir);
    h.value(&s.lang_of(i));
    h.value(&e.article.date.rfc3339);
    h.value(&e.article.annotations);
    h.value(&e.body.note_numbers);
    h.value(&e.body.both_in_body);
    for index in 0..e.article.quotes.len() {
        h.value(&s.quote(QuoteRef { article: i, index }));
    }
    for j in 0..e.article.annotations.len() {
        h.value(&super::article::annotation_view(s, i, j));
    }
    h.0.digest128()
}

/// The annotations of article `i` as W3C Web Annotations, one JSON object per line, their
/// selectors taken from the body as `s` renders it: `served`, when the caller has it
/// already (the article page), else rendered here.
pub(crate) fn of_article(
    s: &Shared<'_>,
    i: usize,
    served: Option<&str>,
) -> Result<String, tera::Error> {
    let e: &ArticleEntry = &s.archive.articles[i];
    if e.article.annotations.is_empty() {
        return Ok(String::new());
    }
    let ids: Vec<Option<&str>> = e
        .article
        .annotations
        .iter()
        .zip(&e.body.note_numbers)
        .map(|(n, number)| number.is_some().then_some(n.id.as_str()))
        .collect();
    let found = if ids.iter().any(Option::is_some) {
        match served {
            Some(body) => selectors(body, &ids),
            None => selectors(&s.article_body(i, false)?, &ids),
        }
    } else {
        vec![None; ids.len()]
    };
    Ok(items(e, &found, &s.archive.config.base_url))
}

/// An article's annotations as W3C Web Annotations, one JSON object per line.
fn items(e: &ArticleEntry, selectors: &[Option<TextQuote>], base_url: &str) -> String {
    let url = crate::routes::dirs::url(base_url, &e.dir);
    let mut out = String::new();
    for (j, n) in e.article.annotations.iter().enumerate() {
        // The selector quotes the passage as readers see it, with context, so any W3C
        // client can find it again in the page.
        let target = match selectors.get(j).and_then(Option::as_ref) {
            Some(sel) => json!({
                "source": url,
                "selector": {"type": "TextQuoteSelector", "exact": sel.exact, "prefix": sel.prefix, "suffix": sel.suffix},
            }),
            None => json!(url),
        };
        let mut body = vec![
            json!({"type": "TextualBody", "value": n.note, "format": "text/markdown", "purpose": n.kind.motivation()}),
            json!({"type": "TextualBody", "value": n.kind.as_str(), "purpose": "tagging"}),
        ];
        if let Some(r) = &n.verdict.rating {
            body.push(json!({"type": "TextualBody", "value": r, "purpose": "assessing"}));
        }
        let item = json!({
            "id": format!("{url}#{}", n.fragment()),
            "type": "Annotation",
            "motivation": n.kind.motivation(),
            "created": e.article.date.rfc3339,
            "body": body,
            "target": target,
        });
        if !out.is_empty() {
            out.push_str(",\n");
        }
        out.push_str(&item.to_string());
    }
    out
}
