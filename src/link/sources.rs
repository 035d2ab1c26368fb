//! Archived copies as pages: each copy that a source names (`copy:`) gets a page under
//! `sources/`, showing its text with every quote taken from it marked (by the same
//! anchoring as article bodies: [`Folded`] and [`find_fragments`]) and linked back to
//! each article using it, and the closest passage of each quote that differs from it.
//! Input: the linked articles with their quote checks; output: [`CopyEntry`]s.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::anchors::find_fragments;
use super::{Archive, ArticleEntry, CopyEntry, QuoteCheck, QuoteRef};
use crate::markdown::placeholders::{Part, mark_token};
use crate::markdown::{self, HeadingIds, MarkdownOptions, marks::Mark};
use crate::model::{Article, Quote, SourceCopy};
use crate::text::Folded;

/// The folder of the page of copy `name` (`sources/fox/2025-12-23.md` ->
/// `sources/fox/2025-12-23/`): its path under `content/sources/` without the extension.
pub(crate) fn dir_of(name: &str) -> String {
    let under = name.strip_prefix("sources/").unwrap_or(name);
    let stem = match under.rfind('.') {
        Some(dot) if dot > under.rfind('/').map_or(0, |s| s + 1) => &under[..dot],
        _ => under,
    };
    format!("sources/{stem}/")
}

/// The copies that some article's source names, sorted by name, with who cites them.
/// A name that is not a copy of the site (an error reported by `entities`) gets none.
pub(crate) fn place(articles: &[ArticleEntry], copies: &[SourceCopy]) -> Vec<CopyEntry> {
    let known: std::collections::BTreeSet<&str> = copies.iter().map(|c| c.name.as_str()).collect();
    let mut by_name: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, e) in articles.iter().enumerate() {
        for (k, source) in e.article.sources.values().enumerate() {
            let Some(name) = &source.copy else { continue };
            if known.contains(name.value.as_str()) {
                by_name.entry(&name.value).or_default().push((i, k));
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, citations)| CopyEntry {
            name: name.to_string(),
            dir: dir_of(name),
            citations,
            html: String::new(),
            found: Vec::new(),
            differing: Vec::new(),
        })
        .collect()
}

/// Renders the text of every copy page, marking its quotes.
pub(crate) fn render_all(archive: &mut Archive, copies: &[SourceCopy], options: MarkdownOptions) {
    let texts: BTreeMap<&str, &str> = copies
        .iter()
        .map(|c| (c.name.as_str(), c.text.as_str()))
        .collect();
    let rendered: Vec<Rendered> = archive
        .copies
        .par_iter()
        .map(|c| {
            let text = texts.get(c.name.as_str()).copied().unwrap_or("");
            render(archive, c, text, options)
        })
        .collect();
    for (c, r) in archive.copies.iter_mut().zip(rendered) {
        c.html = r.html;
        c.found = r.found;
        c.differing = r.differing;
    }
}

/// What one copy's page shows besides its citations.
struct Rendered {
    html: String,
    found: Vec<QuoteRef>,
    differing: Vec<QuoteRef>,
}

/// The id of a quote's mark on a copy page: the article's path and the quote's id, so it
/// stays put when other quotes or articles come and go.
pub(crate) fn mark_id(article: &Article, quote: &Quote) -> String {
    let key: String = article
        .key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{key}-{}", quote.id)
}

/// The quotes attributed to copy `c` by its citations, found in it or differing, each in
/// article order.
fn quotes_of(archive: &Archive, c: &CopyEntry) -> (Vec<QuoteRef>, Vec<QuoteRef>) {
    let (mut found, mut differing) = (Vec::new(), Vec::new());
    for &(i, k) in &c.citations {
        let e = &archive.articles[i];
        let Some((key, _)) = e.article.sources.get_index(k) else {
            continue;
        };
        for (j, q) in e.article.quotes.iter().enumerate() {
            if q.source.as_ref().is_none_or(|s| &s.value != key) {
                continue;
            }
            let r = QuoteRef {
                article: i,
                index: j,
            };
            match e.quote_checks.get(j) {
                Some(QuoteCheck::Matches { copy }) if *copy == c.name => found.push(r),
                Some(QuoteCheck::Differs { copy, .. }) if *copy == c.name => differing.push(r),
                _ => {}
            }
        }
    }
    (found, differing)
}

fn render(archive: &Archive, c: &CopyEntry, text: &str, options: MarkdownOptions) -> Rendered {
    let (found, differing) = quotes_of(archive, c);
    // One mark per distinct quote (the same words of one speaker in several articles),
    // linking to each article that takes it from this copy (the render stage lists them).
    let mut groups: BTreeMap<usize, QuoteRef> = BTreeMap::new();
    for &q in &found {
        let g = archive.articles[q.article].quote_groups[q.index];
        groups.entry(g).or_insert(q);
    }
    let mut anchor = |model: &markdown::marks::TextModel| -> Vec<Mark> {
        let folded = Folded::new(&model.text);
        let mut marks = Vec::new();
        for &first in groups.values() {
            let e = &archive.articles[first.article];
            let quote = &e.article.quotes[first.index];
            let source = quote
                .source
                .as_ref()
                .and_then(|s| e.article.sources.get(&s.value));
            let wording = super::copies::checked_wording(quote, source);
            let Some(ranges) = find_fragments(&folded, &wording.value) else {
                continue;
            };
            let target = format!("c{}.{}", first.article, first.index);
            marks.extend(pieces(&folded, ranges, &target));
        }
        for &q in &differing {
            let e = &archive.articles[q.article];
            let Some(QuoteCheck::Differs {
                closest: Some(closest),
                ..
            }) = e.quote_checks.get(q.index)
            else {
                continue;
            };
            let Some(range) = folded.find_from(&Folded::new(closest).text, 0) else {
                continue;
            };
            let target = format!("d{}.{}", q.article, q.index);
            marks.extend(pieces(&folded, vec![range], &target));
        }
        marks
    };
    let html =
        markdown::render_marked(text, options, HeadingIds::Off, &mut |_| None, &mut anchor).html;
    Rendered {
        html,
        found,
        differing,
    }
}

/// The marks of one passage found at folded `ranges`: pieces of mark `target`, the
/// first carrying its id, what follows it after the last.
fn pieces(folded: &Folded, ranges: Vec<std::ops::Range<usize>>, target: &str) -> Vec<Mark> {
    let last = ranges.len().saturating_sub(1);
    ranges
        .into_iter()
        .enumerate()
        .map(|(k, r)| {
            let src = folded.source_range(r);
            Mark {
                start: src.start,
                end: src.end,
                first_open: mark_token(target, if k == 0 { Part::First } else { Part::Open }),
                open: mark_token(target, Part::Open),
                close: mark_token(target, Part::Close),
                after: if k == last {
                    mark_token(target, Part::After)
                } else {
                    String::new()
                },
                after_block: String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_page_is_at_its_path_under_sources_without_the_extension() {
        assert_eq!(dir_of("sources/bukele-x.md"), "sources/bukele-x/");
        assert_eq!(
            dir_of("sources/fox/2025.12.23.txt"),
            "sources/fox/2025.12.23/"
        );
        assert_eq!(dir_of("sources/fox.d/notes"), "sources/fox.d/notes/");
        assert_eq!(dir_of("sources/.hidden"), "sources/.hidden/");
    }
}
