//! The views of the pages that check the archive's own record: an archived copy of a
//! source (`sources/<path>/`), and the corrections page and feed (`corrections/`).

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::jsonld;
use super::views::{ArticleLink, EntityLink, QuoteRef, Shared};
use crate::link::{CorrectionRef, QuoteCheck};
use crate::routes::plan::{CORRECTIONS, page_range, pages_for};

/// One source that cites a copy: its metadata as the citing article gives it.
#[derive(Serialize)]
struct CitationView<'a> {
    title: &'a str,
    url: Option<&'a str>,
    archived: Option<&'a str>,
    published: Option<String>,
    outlet: Option<EntityLink<'a>>,
    /// The article citing it, linking to the source in its list of sources.
    article: ArticleLink<'a>,
}

/// A quote taken from a copy, as its page lists it.
#[derive(Serialize)]
struct CopyQuoteView<'a> {
    /// The id of its mark in the copy's text (`differs-…` for a quote that differs).
    anchor: String,
    text: &'a str,
    speaker: EntityLink<'a>,
    /// The article using it, linking to the quote there.
    article: ArticleLink<'a>,
    /// For a quote that differs: the copy's closest passage, if any.
    closest: Option<&'a str>,
    /// For a quote that differs: the word diff against that passage.
    diff: Option<&'a [crate::link::DiffWords]>,
}

fn quote_view<'a>(s: &Shared<'a>, q: QuoteRef, anchor: String) -> CopyQuoteView<'a> {
    let a = s.archive;
    let e = &a.articles[q.article];
    let quote = &e.article.quotes[q.index];
    let mut article = s.article_link(q.article);
    article.href = format!("{}#{}", article.href, quote.fragment());
    let (closest, diff) = match e.quote_checks.get(q.index) {
        Some(QuoteCheck::Differs { closest, diff, .. }) => (closest.as_deref(), diff.as_deref()),
        _ => (None, None),
    };
    CopyQuoteView {
        anchor,
        text: &quote.text.value,
        speaker: s.entity(&a.people[e.quote_speakers[q.index]]),
        article,
        closest,
        diff,
    }
}

/// Adds the context of the page of copy `i`; an error when the theme's mark template
/// fails.
pub(crate) fn copy_context(s: &Shared<'_>, i: usize, ctx: &mut Context) -> Result<(), tera::Error> {
    let a = s.archive;
    let c = &a.copies[i];
    let citations: Vec<CitationView<'_>> = c
        .citations
        .iter()
        .filter_map(|&(ai, k)| {
            let e = &a.articles[ai];
            let (key, src) = e.article.sources.get_index(k)?;
            let mut article = s.article_link(ai);
            article.href = format!("{}#source-{key}", article.href);
            Some(CitationView {
                title: src.title.as_deref().unwrap_or(key.as_str()),
                url: src.url.as_deref(),
                archived: src.archived.as_deref(),
                published: src.published.map(|d| d.to_string()),
                outlet: e
                    .source_outlets
                    .get(k)
                    .copied()
                    .flatten()
                    .map(|o| s.entity(&a.outlets[o])),
                article,
            })
        })
        .collect();
    let mark = |q: QuoteRef| {
        let e = &a.articles[q.article];
        crate::link::copy_mark_id(&e.article, &e.article.quotes[q.index])
    };
    // One entry per distinct quote, as the text marks it once.
    let mut seen = std::collections::BTreeSet::new();
    let found: Vec<CopyQuoteView<'_>> = c
        .found
        .iter()
        .filter(|q| seen.insert(a.articles[q.article].quote_groups[q.index]))
        .map(|&q| quote_view(s, q, mark(q)))
        .collect();
    let differing: Vec<CopyQuoteView<'_>> = c
        .differing
        .iter()
        .map(|&q| quote_view(s, q, format!("differs-{}", mark(q))))
        .collect();
    let title = citations
        .first()
        .map_or(c.name.as_str(), |v| v.title)
        .to_string();
    let site = &a.config.language;
    let page_title = s
        .i18n
        .text(site, "archived_copy_title", None, &[("title", &title)])
        .unwrap_or_else(|_| title.clone());
    ctx.insert("page_title", &page_title);
    let body = super::marks::fill(s, &c.html, &[], super::marks::Owner::Copy(i), false, site)?;
    ctx.insert(
        "copy",
        &json!({
            "name": c.name,
            "title": title,
            "body": body,
        }),
    );
    ctx.insert("citations", &citations);
    ctx.insert("copy_quotes", &found);
    ctx.insert("differing", &differing);
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::web_page(&page_title, Some(s.url(&c.dir)))),
    );
    Ok(())
}

/// A correction as the corrections page and feed show it.
#[derive(Serialize)]
pub(crate) struct CorrectionView<'a> {
    /// `YYYY-MM-DD`.
    date: String,
    /// RFC 3339.
    date_iso: &'a str,
    /// The note as plain text: its HTML's links are relative to the article's page.
    text: String,
    /// The corrected passage, if the correction is on one.
    on: Option<&'a str>,
    /// The article, linking to the correction's note there.
    article: ArticleLink<'a>,
    /// Absolute URL of the note in the article.
    url: String,
}

/// A note's Markdown as the plain text a reader sees (for JSON-LD, feeds' summaries and
/// pages where the note's relative links would not work).
pub(crate) fn plain_note(note: &str, config: &crate::model::Config) -> String {
    let text = crate::markdown::visible_text(note, crate::markdown::MarkdownOptions::of(config));
    text.trim().to_string()
}

/// The view of correction `c`.
pub(crate) fn correction_view<'a>(s: &Shared<'a>, c: &'a CorrectionRef) -> CorrectionView<'a> {
    let e = &s.archive.articles[c.article];
    let n = &e.article.annotations[c.index];
    let mut article = s.article_link(c.article);
    article.href = format!("{}#{}", article.href, n.fragment());
    CorrectionView {
        date: c.date.date.to_string(),
        date_iso: &c.date.rfc3339,
        text: plain_note(&n.note, &s.archive.config),
        on: n.on.as_ref().map(|o| o.value.as_str()),
        article,
        url: format!("{}#{}", s.url(&e.dir), n.fragment()),
    }
}

/// Adds the context of page `k` of the corrections page.
pub(crate) fn corrections_context(s: &Shared<'_>, k: usize, ctx: &mut Context) {
    let a = s.archive;
    let per = a.config.paginate;
    let shown: Vec<CorrectionView<'_>> = a.corrections[page_range(a.corrections.len(), k, per)]
        .iter()
        .map(|c| correction_view(s, c))
        .collect();
    ctx.insert("corrections", &shown);
    ctx.insert(
        "pager",
        &s.pager(CORRECTIONS, k, pages_for(a.corrections.len(), per)),
    );
    let title = s.t(&a.config.language, "corrections");
    ctx.insert("page_title", &title);
    ctx.insert("feed", &s.href(&format!("{CORRECTIONS}feed.xml")));
    let dir = crate::routes::dirs::pager_dir(CORRECTIONS, k);
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::collection(s, &dir, &title, &[])),
    );
}

/// Adds the context of the corrections feed (`feed.xml`'s): the newest corrections,
/// each an entry linking to its note in the article.
pub(crate) fn corrections_feed_context(s: &Shared<'_>, ctx: &mut Context) {
    let a = s.archive;
    let entries: Vec<serde_json::Value> = a
        .corrections
        .iter()
        .take(super::feeds::FEED_ENTRIES)
        .map(|c| {
            let v = correction_view(s, c);
            let e = &a.articles[c.article];
            let title = s
                .i18n
                .text(
                    &a.config.language,
                    "correction_of",
                    None,
                    &[("title", &e.article.title)],
                )
                .unwrap_or_else(|_| e.article.title.clone());
            json!({
                "title": title,
                "lang": s.lang_of(c.article),
                "url": v.url,
                "date_iso": v.date_iso,
                "updated_iso": v.date_iso,
                "summary": v.text,
                // Its links are relative to the article, which `xml:base` (the entry's
                // URL) resolves.
                "content": e.body.notes_html[c.index],
            })
        })
        .collect();
    let updated = a
        .corrections
        .first()
        .map_or("1970-01-01T00:00:00Z", |c| c.date.rfc3339.as_str());
    let url = s.url(&format!("{CORRECTIONS}feed.xml"));
    ctx.insert(
        "feed",
        &json!({
            "title": s.i18n.text(&a.config.language, "feed_of", None, &[("site", &a.config.title), ("name", &s.t(&a.config.language, "corrections"))]).unwrap_or_else(|_| a.config.title.clone()),
            "id": url,
            "self_url": url,
            "alternate": s.url(CORRECTIONS),
            "updated": updated,
        }),
    );
    ctx.insert("entries", &entries);
}
