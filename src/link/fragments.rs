//! The ids of the pages that show Markdown and the checks of links to them: a body's
//! `[x](#fragment)` must name an id of its own page, and `article:slug#fragment` an id
//! of that article's page. Both are located errors with a did-you-mean among the ids.
//!
//! An article page's ids are its body's (headings and footnotes) and those gloss and the
//! default theme write: `quote-ID`, `list-quote-ID`, `note-ID`, `passage-ID`,
//! `source-KEY`, `main` and the `*-heading` ids of the page's sections. Headings never
//! take one of those (see `markdown::headings`); a written `{#id}` that does is an error.
//!
//! Same-page links are checked as each body is rendered. Links to another article wait
//! until every body is rendered ([`check_outbound`]), and are checked again on every
//! link, relink included, so an edit of the target's headings is seen by its linkers.

use crate::diag::Code;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::Archive;
use super::body::Suggest;
use crate::diag::{self, Diagnostic, Diagnostics, Span};
use crate::markdown::{Rendered, headings::Heading};
use crate::model::Article;

/// Ids the default theme writes on an article page outside the body.
const ARTICLE_THEME_IDS: [&str; 5] = [
    "main",
    "quotes-heading",
    "annotations-heading",
    "sources-heading",
    "people-heading",
];

/// Ids the default theme writes on a person, topic or outlet page outside the profile.
pub(crate) const ENTITY_THEME_IDS: [&str; 5] = [
    "main",
    "disputed-heading",
    "ratings-heading",
    "articles-heading",
    "related-heading",
];

/// Ids the default theme writes on a plain page outside its body.
pub(crate) const PAGE_THEME_IDS: [&str; 1] = ["main"];

/// The ids of one page. Kept with every article's body (10^5 of them), so each id is
/// stored once; a page has tens of ids, so a lookup scans them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageIds {
    /// Every id once: the headings' in document order, then the others sorted (the
    /// order of hints).
    ordered: Box<[Box<str>]>,
}

impl PageIds {
    fn new(headings: &[Heading], others: impl IntoIterator<Item = String>) -> Self {
        let mut rest: Vec<String> = others.into_iter().collect();
        rest.sort_unstable();
        rest.dedup();
        let mut placed: HashSet<&str> = HashSet::with_capacity(headings.len() + rest.len());
        let mut ordered: Vec<Box<str>> = Vec::with_capacity(headings.len() + rest.len());
        for id in headings.iter().map(|h| h.id.as_str()) {
            if placed.insert(id) {
                ordered.push(id.into());
            }
        }
        for id in &rest {
            if placed.insert(id.as_str()) {
                ordered.push(id.as_str().into());
            }
        }
        PageIds {
            ordered: ordered.into_boxed_slice(),
        }
    }

    /// True when the page has the id `fragment` (percent-decoded, as browsers match it).
    pub fn contains(&self, fragment: &str) -> bool {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        self.ordered
            .iter()
            .any(|id| id.as_ref() == decoded.as_ref())
    }

    /// Headings first, then the other ids.
    fn for_hints(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.ordered.iter().map(AsRef::as_ref)
    }
}

/// Every id gloss or the default theme may write on the page of `a` outside its body.
pub(crate) fn article_reserved(a: &Article) -> HashSet<String> {
    let mut ids: HashSet<String> = ARTICLE_THEME_IDS.iter().map(|s| s.to_string()).collect();
    for q in &a.quotes {
        ids.insert(q.fragment());
        ids.insert(format!("list-{}", q.fragment()));
    }
    for n in &a.annotations {
        ids.insert(n.fragment());
        ids.insert(format!("passage-{}", n.id));
    }
    for k in a.sources.keys() {
        ids.insert(format!("source-{k}"));
    }
    ids
}

/// The ids of the page of `a`: its body's, and those gloss writes for what anchoring
/// found (`anchored`: which quotes and passages are marked).
pub(crate) fn article_ids(
    a: &Article,
    body: &Rendered,
    anchored: &super::anchors::Anchored,
) -> PageIds {
    // The sections the default theme shows (article.html), each only when it has entries.
    let sections = [
        true,
        !a.quotes.is_empty(),
        a.annotations.iter().any(|n| n.on.is_some()),
        !a.sources.is_empty(),
        !a.speakers.is_empty() || !a.mentions.is_empty(),
    ];
    let mut others: Vec<String> = ARTICLE_THEME_IDS
        .iter()
        .zip(sections)
        .filter(|(_, shown)| *shown)
        .map(|(id, _)| id.to_string())
        .collect();
    others.extend(body.footnotes.iter().cloned());
    for ((q, &found), &both) in a
        .quotes
        .iter()
        .zip(&anchored.quote_in_body)
        .zip(&anchored.both_in_body)
    {
        others.push(q.fragment());
        if found {
            others.push(format!("list-{}", q.fragment()));
        }
        if both {
            others.push(format!("{}-original", q.fragment()));
        }
    }
    for (n, &found) in a.annotations.iter().zip(&anchored.passage_found) {
        others.push(n.fragment());
        if found {
            others.push(format!("passage-{}", n.id));
        }
    }
    others.extend(a.sources.keys().map(|k| format!("source-{k}")));
    PageIds::new(&body.headings, others)
}

/// The ids of a page that shows `body` with the theme's `theme_ids`.
pub(crate) fn page_ids(body: &Rendered, theme_ids: &[&str]) -> PageIds {
    PageIds::new(
        &body.headings,
        theme_ids
            .iter()
            .map(|s| s.to_string())
            .chain(body.footnotes.iter().cloned()),
    )
}

/// Where a text sits, for locating its problems.
pub(crate) struct Place<'a> {
    /// The file, relative to the site root.
    pub(crate) path: &'a std::path::Path,
    /// The text by lines, when positions are known.
    pub(crate) located: Option<&'a diag::Lines<'a>>,
}

impl Place<'_> {
    /// The span of `written` within `range` of the text (its start when not found).
    pub(crate) fn span(&self, range: &std::ops::Range<usize>, written: &str) -> Option<Span> {
        self.located.map(|lines| {
            let start = lines
                .text()
                .get(range.clone())
                .and_then(|s| s.find(written))
                .map_or(range.start, |i| range.start + i);
            lines.span(start, start + written.len())
        })
    }
}

/// Errors for written heading ids that repeat another heading's id, or take one that
/// `reserved` holds (gloss's anchors on the page, footnotes).
pub(crate) fn check_explicit(
    body: &Rendered,
    reserved: &dyn Fn(&str) -> bool,
    at: &Place<'_>,
    diags: &mut Diagnostics,
) {
    let mut seen: HashSet<&str> = HashSet::new();
    for h in &body.headings {
        let repeated = !seen.insert(h.id.as_str());
        if !h.explicit {
            continue;
        }
        let why = if repeated {
            "another heading of this page has it"
        } else if reserved(&h.id) || body.footnotes.contains(&h.id) {
            "gloss writes that id on this page (a quote, note, source or section anchor, or a footnote)"
        } else {
            continue;
        };
        let written = format!("#{}", h.id);
        diags.push(
            Diagnostic::new(
                Code::MissingFragment,
                at.path,
                at.span(&h.range, &written),
                format!("heading id `{}` is used twice on the page", h.id),
            )
            .with_hint(format!(
                "{why}: write another `{{#id}}`, or none to have one made from the heading's text"
            )),
        );
    }
}

/// Errors for the links of `body` to fragments of its own page that `ids` lacks.
pub(crate) fn check_local(
    body: &Rendered,
    ids: &PageIds,
    at: &Place<'_>,
    suggest: &Suggest,
    diags: &mut Diagnostics,
) {
    for (fragment, range) in &body.fragment_links {
        if ids.contains(fragment) {
            continue;
        }
        let written = format!("#{fragment}");
        let hint = suggest.hint_keyed(&written, fragment, ids.for_hints(), "ids on this page");
        diags.push(
            Diagnostic::new(
                Code::MissingFragment,
                at.path,
                at.span(range, &written),
                format!("no heading or anchor `{written}` on this page"),
            )
            .with_hint(hint.replacen("did you mean `", "did you mean `#", 1)),
        );
    }
}

/// A link to a fragment of an article's page (`article:slug#fragment`), checked once
/// every body is rendered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Outbound {
    /// The file the link is in.
    pub path: PathBuf,
    /// Where, when known.
    pub span: Option<Span>,
    /// The linked article as written (its slug, or its path under content/articles/).
    pub slug: String,
    /// The linked article's key (its path under content/articles/ without `.md`).
    pub key: String,
    /// The fragment, without `#`.
    pub fragment: String,
}

/// Errors for the `article:slug#fragment` links of every text of `archive` whose article
/// has no such id. Linear in links: one lookup per link, hints bounded per target.
pub(crate) fn check_outbound(archive: &Archive) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let by_key: BTreeMap<&str, usize> = archive
        .articles
        .iter()
        .enumerate()
        .map(|(i, e)| (e.article.key.as_str(), i))
        .collect();
    let suggest = Suggest::default();
    let links = archive
        .articles
        .iter()
        .flat_map(|e| e.body.outbound.iter())
        .chain(archive.outbound.iter());
    for o in links {
        // An unknown slug was reported where the link was resolved.
        let Some(&target) = by_key.get(o.key.as_str()) else {
            continue;
        };
        let ids = &archive.articles[target].body.ids;
        if ids.contains(&o.fragment) {
            continue;
        }
        let written = format!("article:{}#{}", o.slug, o.fragment);
        let hint = suggest
            .hint_keyed(
                &written,
                &o.fragment,
                ids.for_hints(),
                "ids of that article",
            )
            .replacen(
                "did you mean `",
                &format!("did you mean `article:{}#", o.slug),
                1,
            );
        diags.push(
            Diagnostic::new(
                Code::MissingFragment,
                o.path.clone(),
                o.span,
                format!(
                    "no heading or anchor `#{}` in article `{}`",
                    o.fragment, o.slug
                ),
            )
            .with_hint(hint),
        );
    }
    diags
}
