//! Machine-readable outputs: Atom feeds, the sitemap and `/annotations.jsonld`.

use serde_json::{Value, json};
use tera::Context;

use super::views::{ArticleCard, Shared};
use crate::link::EntityKind;
use crate::model::AnnotationKind;

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
    let entries: Vec<&ArticleCard<'_>> = ids.iter().map(|&i| &s.cards[i]).collect();
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

fn motivation(kind: AnnotationKind) -> &'static str {
    match kind {
        AnnotationKind::Context => "describing",
        AnnotationKind::FactCheck => "assessing",
        AnnotationKind::Opinion => "classifying",
        AnnotationKind::Correction => "editing",
        AnnotationKind::Note => "commenting",
    }
}

/// Every annotation as a W3C Web Annotation, in one `AnnotationCollection`.
pub(crate) fn annotations(s: &Shared<'_>) -> Vec<u8> {
    use rayon::prelude::*;
    let a = s.archive;
    // Items are built in parallel, one line each, in article order.
    let lines: Vec<Vec<u8>> = a
        .articles
        .par_iter()
        .map(|e| article_annotations(s, e))
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
    let mut out = Vec::with_capacity(lines.iter().map(Vec::len).sum::<usize>() + head.len() + 128);
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

/// The annotations of one article as W3C Web Annotations, one per line.
fn article_annotations(s: &Shared<'_>, e: &crate::link::ArticleEntry) -> Vec<u8> {
    let url = s.url(&e.dir);
    let mut out = Vec::new();
    for (j, n) in e.article.annotations.iter().enumerate() {
        // The selector quotes the passage as readers see it, with context, so any W3C
        // client can find it again in the page.
        let target = match e.body.selectors.get(j).and_then(Option::as_ref) {
            Some(sel) => json!({
                "source": url,
                "selector": {"type": "TextQuoteSelector", "exact": sel.exact, "prefix": sel.prefix, "suffix": sel.suffix},
            }),
            None => json!(url),
        };
        let mut body = vec![
            json!({"type": "TextualBody", "value": n.note, "format": "text/markdown", "purpose": motivation(n.kind)}),
            json!({"type": "TextualBody", "value": n.kind.as_str(), "purpose": "tagging"}),
        ];
        if let Some(r) = &n.verdict.rating {
            body.push(json!({"type": "TextualBody", "value": r, "purpose": "assessing"}));
        }
        let item = json!({
            "id": format!("{url}#note-{}", j + 1),
            "type": "Annotation",
            "motivation": motivation(n.kind),
            "created": e.article.date.rfc3339,
            "body": body,
            "target": target,
        });
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        // Serialising a `Value` to memory cannot fail.
        let _ = serde_json::to_writer(&mut out, &item);
    }
    out
}
