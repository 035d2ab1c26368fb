//! The view of an article page.

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::jsonld;
use super::views::{EntityLink, QuoteRef, Shared, SourceLink};
use crate::model::PartialDate;

/// A source in the article's list of sources.
#[derive(Debug, Serialize)]
struct SourceView<'a> {
    key: &'a str,
    anchor: String,
    title: &'a str,
    url: Option<&'a str>,
    archived: Option<&'a str>,
    published: Option<String>,
    outlet: Option<EntityLink<'a>>,
    has_copy: bool,
    /// Href from the root of the page of its archived copy.
    copy_href: Option<String>,
}

/// A correction as the notice at the top of the article shows it.
#[derive(Debug, Serialize)]
struct CorrectionNotice<'a> {
    /// `YYYY-MM-DD`.
    date: String,
    date_iso: &'a str,
    /// The note's id (`note-ID`).
    anchor: String,
    /// The marked passage's id, when the correction is on a passage found in the text.
    passage: Option<String>,
    on: Option<&'a str>,
    note: &'a str,
}

/// The article itself, as `article`.
#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    date: &'a str,
    date_iso: &'a str,
    updated: Option<String>,
    updated_iso: Option<&'a str>,
    dateline: Option<&'a str>,
    summary: &'a str,
    /// The bylines: a name, linked to the person's page when it names a person.
    authors: Vec<super::views::Byline<'a>>,
    /// The lead image, if any.
    image: Option<super::views::ImageView<'a>>,
    body: tera::Value,
    /// The body's headings, nested (Zola's `page.toc`).
    toc: &'a [crate::link::TocEntry],
    /// How many headings the body has, at every level.
    heading_count: usize,
    extra: &'a serde_json::Value,
    month: serde_json::Value,
    year: serde_json::Value,
    archive_href: String,
}

/// An annotation as the article shows it.
#[derive(Debug, Serialize)]
pub(crate) struct AnnotationView<'a> {
    /// Visible number on marker and note, 1-based in reading order; none when the
    /// annotation is on the whole article or its passage is not marked.
    n: Option<usize>,
    /// The annotation's id (`note-ID` is the note, `passage-ID` the marked passage).
    id: &'a str,
    anchor: String,
    kind: &'static str,
    /// The kind's label in the page's language.
    label: String,
    on: Option<&'a str>,
    note: &'a str,
    rating: Option<&'a str>,
    claimant: Option<EntityLink<'a>>,
    sources: Vec<SourceLink<'a>>,
    /// For a correction: when the text was corrected.
    correction: Option<CorrectionDate<'a>>,
    /// The note holds only paragraphs of inline content, so it may also stand inside a
    /// paragraph (the margin copy of a side note).
    is_inline: bool,
}

/// The date of a correction.
#[derive(Debug, Serialize)]
struct CorrectionDate<'a> {
    /// `YYYY-MM-DD`.
    date: String,
    /// RFC 3339.
    date_iso: &'a str,
}

/// The view of annotation `j` of article `i`.
pub(crate) fn annotation_view<'a>(s: &Shared<'a>, i: usize, j: usize) -> AnnotationView<'a> {
    let a = s.archive;
    let e = &a.articles[i];
    let art = &e.article;
    let n = &art.annotations[j];
    let source_link = |k: &crate::model::SourceKey| {
        let (key, src) = art.sources.get_key_value(k)?;
        Some(SourceLink {
            key: key.as_str(),
            title: src.title.as_deref().unwrap_or(key.as_str()),
            url: src.url.as_deref(),
        })
    };
    let note = &e.body.notes_html[j];
    AnnotationView {
        n: e.body.note_numbers.get(j).copied().flatten(),
        id: &n.id,
        anchor: n.fragment(),
        kind: n.kind.as_str(),
        label: s.t(s.lang_of(i), &format!("kind_{}", n.kind.as_str())),
        on: n.on.as_ref().map(|o| o.value.as_str()),
        note,
        rating: n.verdict.rating.as_deref(),
        claimant: e.claimants[j].map(|c| s.entity(&a.people[c])),
        sources: n
            .sources
            .iter()
            .filter_map(|k| source_link(&k.value))
            .collect(),
        correction: (n.kind == crate::model::AnnotationKind::Correction).then(|| {
            let date = art.correction_date(n);
            CorrectionDate {
                date: date.date.to_string(),
                date_iso: &date.rfc3339,
            }
        }),
        is_inline: super::marks::holds_only_paragraphs(note),
    }
}

/// Adds the article page's context; an error when the theme's embed template fails.
pub(crate) fn insert(s: &Shared<'_>, i: usize, ctx: &mut Context) -> Result<(), tera::Error> {
    let a = s.archive;
    let e = &a.articles[i];
    let art = &e.article;
    let lang = s.lang_of(i);
    let sources: Vec<SourceView<'_>> = art
        .sources
        .iter()
        .zip(&e.source_outlets)
        .map(|((k, src), outlet)| SourceView {
            key: k.as_str(),
            anchor: format!("source-{k}"),
            title: src.title.as_deref().unwrap_or(k.as_str()),
            url: src.url.as_deref(),
            archived: src.archived.as_deref(),
            published: src.published.map(|d: PartialDate| d.to_string()),
            outlet: outlet.map(|o| s.entity(&a.outlets[o])),
            has_copy: src.copy.is_some(),
            copy_href: src.copy.as_ref().and_then(|c| s.copy_href(&c.value)),
        })
        .collect();
    let annotations: Vec<AnnotationView<'_>> = (0..art.annotations.len())
        .map(|j| annotation_view(s, i, j))
        .collect();
    // Corrections of the whole article are in the notice at the top, not among the
    // editor's notes.
    let (passage_notes, article_notes): (Vec<_>, Vec<_>) = annotations
        .into_iter()
        .filter(|n| n.on.is_some() || n.kind != "correction")
        .partition(|n| n.on.is_some());
    // Listed as the reader meets them in the text.
    let mut passage_notes = passage_notes;
    passage_notes.sort_by_key(|n| (n.n.is_none(), n.n));
    let corrections: Vec<CorrectionNotice<'_>> = art
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == crate::model::AnnotationKind::Correction)
        .map(|(j, n)| {
            let date = art.correction_date(n);
            let found = e.body.note_numbers.get(j).is_some_and(Option::is_some);
            CorrectionNotice {
                date: date.date.to_string(),
                date_iso: &date.rfc3339,
                anchor: n.fragment(),
                passage: found.then(|| format!("passage-{}", n.id)),
                on: n.on.as_ref().map(|o| o.value.as_str()),
                note: &e.body.notes_html[j],
            }
        })
        .collect();
    let quotes: Vec<tera::Value> = (0..art.quotes.len())
        .map(|j| {
            s.quote_value(QuoteRef {
                article: i,
                index: j,
            })
        })
        .collect();
    let people = |ids: &[usize]| -> Vec<EntityLink<'_>> {
        ids.iter().map(|&p| s.entity(&a.people[p])).collect()
    };
    let topics: Vec<_> = e.topics.iter().map(|&t| s.entity(&a.topics[t])).collect();
    let card = s.card(i);
    let month_dir = crate::routes::dirs::month_dir(art.date.date.year(), art.date.date.month());
    ctx.insert("page_title", &art.title);
    let year = art.date.date.year();
    let body = s.article_body(i, false)?;
    s.keep_annotations(i, &body)?;
    let month_title = super::pages::month_title(s, lang, year, art.date.date.month());
    let view = ArticleView {
        title: &art.title,
        date: &card.date,
        date_iso: card.date_iso,
        updated: art.updated.as_ref().map(|u| u.date.to_string()),
        updated_iso: art.updated.as_ref().map(|u| u.rfc3339.as_str()),
        dateline: art.dateline.as_deref(),
        summary: &e.summary,
        authors: card.authors,
        image: card.image,
        // Marked safe here, so the page copies the body once.
        body: tera::Value::safe_string(&body),
        toc: &e.body.toc,
        heading_count: crate::link::TocEntry::count(&e.body.toc),
        extra: &art.extra,
        month: json!({"name": s.i18n.month(lang, art.date.date.month()), "title": month_title, "year": year, "href": s.href(&month_dir)}),
        year: json!({"year": year, "href": s.href(&crate::routes::dirs::year_dir(year))}),
        archive_href: s.href(crate::routes::dirs::ARCHIVE),
    };
    ctx.insert("article", &view);
    ctx.insert("sources", &sources);
    ctx.insert("quotes", &quotes);
    ctx.insert("annotations", &passage_notes);
    ctx.insert("article_notes", &article_notes);
    ctx.insert("corrections", &corrections);
    ctx.insert("speakers", &people(&e.speakers));
    ctx.insert("mentions", &people(&e.mentions));
    ctx.insert("topics", &topics);
    ctx.insert("translations", &super::languages::translations(s, i));
    let url = s.url(&e.dir);
    ctx.insert("jsonld", &jsonld::to_script(jsonld::article(s, i, &url)));
    let year_name = year.to_string();
    let (home, archive) = (s.t(lang, "home"), s.t(lang, "archive"));
    let trail = [
        (home.as_str(), s.url("")),
        (archive.as_str(), s.url(crate::routes::dirs::ARCHIVE)),
        (
            year_name.as_str(),
            s.url(&crate::routes::dirs::year_dir(year)),
        ),
        (month_title.as_str(), s.url(&month_dir)),
        (art.title.as_str(), url.clone()),
    ];
    ctx.insert(
        "breadcrumbs_jsonld",
        &jsonld::to_script(jsonld::breadcrumbs(&trail, &url)),
    );
    Ok(())
}
