//! Each article's annotations as W3C Web Annotations, for `/annotations.jsonld`. Input:
//! an article and its body as served (the theme's markup spliced in); output: one JSON
//! object per annotation. Built in the render stage because a passage's selector quotes
//! the page's text around it, and the markup of that text is the theme's.

use super::selectors::{TextQuote, selectors};
use super::views::Shared;
use crate::link::ArticleEntry;

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
    use serde_json::json;
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
