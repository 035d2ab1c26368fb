//! Machine-readable outputs: Atom feeds, the sitemap and `/annotations.jsonld`.

use serde_json::{Value, json};
use tera::Context;

use super::views::{ArticleCard, Shared};
use crate::link::EntityKind;

/// Entries per feed.
pub(crate) const FEED_ENTRIES: usize = 20;

/// Adds a feed's context: the site's (`None`) or a person's or topic's.
pub(crate) fn feed_context(s: &Shared<'_>, of: Option<(EntityKind, usize)>, ctx: &mut Context) {
    let a = s.archive;
    let (title, dir, ids): (String, String, Vec<usize>) = match of {
        None => (
            a.config.title.clone(),
            String::new(),
            (0..a.articles.len().min(FEED_ENTRIES)).collect(),
        ),
        Some((kind, i)) => {
            let e = &a.entities(kind)[i];
            (
                format!("{}: {}", a.config.title, e.name),
                e.dir.clone(),
                e.articles.iter().take(FEED_ENTRIES).copied().collect(),
            )
        }
    };
    let entries: Vec<&ArticleCard<'_>> = ids.iter().map(|&i| s.card(i)).collect();
    let updated = entries
        .iter()
        .map(|c| c.updated_iso)
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    ctx.insert(
        "feed",
        &json!({
            "title": title,
            "id": s.url(&format!("{dir}feed.xml")),
            "self_url": s.url(&format!("{dir}feed.xml")),
            "alternate": s.url(&dir),
            "updated": updated,
        }),
    );
    ctx.insert("entries", &entries);
}

/// Adds the sitemap's context: every HTML page's absolute URL.
pub(crate) fn sitemap_context(urls: &[(String, Option<&str>)], ctx: &mut Context) {
    let list: Vec<Value> = urls
        .iter()
        .map(|(loc, lastmod)| json!({"loc": loc, "lastmod": lastmod}))
        .collect();
    ctx.insert("urls", &list);
}

/// Every annotation as a W3C Web Annotation, in one `AnnotationCollection`.
pub(crate) fn annotations(s: &Shared<'_>) -> Vec<u8> {
    let a = s.archive;
    // Each article's items were built with its body (link); here they are joined.
    let lines: Vec<&[u8]> = a
        .articles
        .iter()
        .map(|e| e.body.annotations_jsonld.as_bytes())
        .collect();
    let total: usize = a.articles.iter().map(|e| e.article.annotations.len()).sum();
    let head = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": s.url("annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": format!("Annotations of {}", a.config.title),
        "total": total,
    })
    .to_string();
    let mut out =
        Vec::with_capacity(lines.iter().map(|l| l.len()).sum::<usize>() + head.len() + 128);
    // The head without its closing brace, then the page of items.
    out.extend_from_slice(&head.as_bytes()[..head.len() - 1]);
    out.extend_from_slice(
        b",\"first\":{\"type\":\"AnnotationPage\",\"startIndex\":0,\"items\":[\n",
    );
    let mut first = true;
    for line in lines.iter().filter(|l| !l.is_empty()) {
        if !first {
            out.extend_from_slice(b",\n");
        }
        first = false;
        out.extend_from_slice(line);
    }
    out.extend_from_slice(b"\n]}}\n");
    out
}
