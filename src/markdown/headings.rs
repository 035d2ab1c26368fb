//! Heading ids and the table of contents of a rendered text.
//!
//! Input: the events of one text, before they become HTML. Output: every heading's
//! `id` filled in, and the headings as data ([`Heading`], [`TocEntry`]).
//!
//! Ids follow GitHub's algorithm (github-slugger), because that is what the in-article
//! tables of contents of imported archives were written against: the heading's text
//! lower-cased, every character that is not a letter, mark, number, `_`, `-` or space
//! dropped, each space turned into `-`; a repeat gets `-1`, `-2`, ... in document order.
//! Two departures, both deterministic: an explicit `{#id}` is kept as written and no
//! generated id takes it, nor an id the page holds besides the text (`taken`: gloss's
//! quote, note and source anchors, the theme's own ids, footnotes); and a heading with
//! no letters or digits is `section`, since an empty id is not valid HTML.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory as _};

/// A heading of a text, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its id in the page.
    pub id: String,
    /// Its visible text.
    pub title: String,
    /// The id was written (`{#id}`), not derived from the text.
    pub explicit: bool,
    /// Byte range of the heading in the Markdown text.
    pub range: Range<usize>,
}

/// One entry of a table of contents, as Zola's `page.toc` gives it: a heading and the
/// deeper headings under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The heading's id, for `#id` links.
    pub id: String,
    /// The heading's visible text (plain text, not HTML).
    pub title: String,
    /// The headings below this one up to the next heading of its level or higher.
    pub children: Vec<TocEntry>,
}

impl TocEntry {
    /// How many headings `entries` holds, at every level.
    pub fn count(entries: &[TocEntry]) -> usize {
        entries.iter().map(|e| 1 + Self::count(&e.children)).sum()
    }
}

/// GitHub's id for a heading whose visible text is `text`, before making it unique.
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' || c == '-' {
            out.push('-');
        } else if c == '_'
            || matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter
                    | GeneralCategoryGroup::Mark
                    | GeneralCategoryGroup::Number
            )
            || c.general_category() == unicode_properties::GeneralCategory::ConnectorPunctuation
        {
            out.push(c);
        }
    }
    out
}

/// Unique ids in document order, as github-slugger hands them out.
struct Slugger<'a> {
    /// Each id given so far, with the last suffix tried for it as a base.
    seen: HashMap<String, usize>,
    taken: &'a dyn Fn(&str) -> bool,
}

impl Slugger<'_> {
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = self.seen.get(&base).copied().unwrap_or(0);
        while self.seen.contains_key(&id) || (self.taken)(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.seen.insert(base, n);
        self.seen.entry(id.clone()).or_insert(0);
        id
    }
}

/// The trailing `{...}` of the heading written at `source`, with the white space before
/// it, as the text shows it: a block with no `#id` or `.class` was text, not attributes
/// (pulldown-cmark takes `## Use {braces}` as an attribute `braces` and drops it).
fn literal_block(source: &str) -> Option<&str> {
    let line = source
        .lines()
        .map(str::trim_end)
        .rfind(|l| !l.is_empty() && !l.chars().all(|c| c == '=' || c == '-' || c == ' '))?;
    let open = line.rfind('{').filter(|_| line.ends_with('}'))?;
    let start = line[..open].trim_end().len();
    Some(&line[start..])
}

/// Fills in the id of every heading of `events` (`ranges`: each event's byte range in
/// `source`, the Markdown), and returns the headings. Ids are unique among themselves,
/// the footnotes of the text and the ids `taken` holds; only explicit ids may repeat (the
/// caller reports it). With `keep_attributes` false, `{key=value}` attributes are dropped,
/// as raw HTML is: they would pass any attribute, `onclick` included, into the page. A
/// trailing `{...}` without `#id` or `.class` is given back to the heading's text.
pub(crate) fn assign(
    events: &mut Vec<Event<'_>>,
    ranges: &mut Vec<Range<usize>>,
    source: &str,
    taken: &dyn Fn(&str) -> bool,
    keep_attributes: bool,
) -> Vec<Heading> {
    let mut slugger = Slugger {
        seen: HashMap::new(),
        taken,
    };
    // Written ids and footnote names first: a generated id never takes one, wherever it is.
    for event in events.iter() {
        match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                slugger.seen.entry(id.to_string()).or_insert(0);
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                slugger.seen.entry(name.to_string()).or_insert(0);
            }
            _ => {}
        }
    }
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let level = *level as u8;
        let start = i;
        let range = ranges.get(start).cloned().unwrap_or(0..0);
        restore_literal_block(
            events,
            ranges,
            start,
            source.get(range.clone()).unwrap_or(""),
        );
        let mut title = String::new();
        let mut in_image = 0usize;
        i += 1;
        while i < events.len() && !matches!(events[i], Event::End(TagEnd::Heading(_))) {
            match &events[i] {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                Event::Text(t) | Event::Code(t) if in_image == 0 => title.push_str(t),
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
            i += 1;
        }
        let Event::Start(Tag::Heading { id, attrs, .. }) = &mut events[start] else {
            unreachable!("the loop stopped at a heading's start")
        };
        if !keep_attributes {
            attrs.clear();
        }
        let explicit = id.is_some();
        let value = match id {
            Some(written) => written.to_string(),
            None => {
                let made = slugger.unique(github_slug(title.trim()));
                *id = Some(CowStr::Boxed(made.clone().into_boxed_str()));
                made
            }
        };
        headings.push(Heading {
            level,
            id: value,
            title: title.trim().to_string(),
            explicit,
            range,
        });
    }
    headings
}

/// Gives the heading starting at `events[start]` its trailing `{...}` back as text when
/// pulldown-cmark read it as attributes with neither an id nor a class.
fn restore_literal_block(
    events: &mut Vec<Event<'_>>,
    ranges: &mut Vec<Range<usize>>,
    start: usize,
    source: &str,
) {
    let Event::Start(Tag::Heading {
        id: None, classes, ..
    }) = &events[start]
    else {
        return;
    };
    // A setext heading's block is dropped without leaving even an attribute.
    if !classes.is_empty() {
        return;
    }
    let Some(block) = literal_block(source) else {
        return;
    };
    let Some(end) =
        (start..events.len()).find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
    else {
        return;
    };
    if let Event::Text(last) = &events[end - 1]
        && last.ends_with(block.trim_start())
    {
        return; // not read as attributes: the text has it
    }
    if let Event::Start(Tag::Heading { attrs, .. }) = &mut events[start] {
        attrs.clear();
    }
    // Merged into the text before it, as every text run of the body is one event.
    if let Event::Text(prev) = &mut events[end - 1] {
        *prev = CowStr::Boxed(format!("{prev}{block}").into_boxed_str());
    } else {
        let at = ranges.get(end).map_or(0..0, |r| r.start..r.start);
        events.insert(end, Event::Text(CowStr::Boxed(block.into())));
        ranges.insert(end, at);
    }
}

/// Takes away the ids and attributes of every heading (annotation notes, which sit inside
/// another page's text), keeping their classes.
pub(crate) fn strip(events: &mut [Event<'_>]) {
    for event in events {
        if let Event::Start(Tag::Heading { id, attrs, .. }) = event {
            *id = None;
            attrs.clear();
        }
    }
}

/// The headings as a nested table of contents: each heading holds the deeper headings
/// that follow it; a heading deeper than the one before it by more than one level is
/// still its child (Zola's rule).
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut top: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            level: h.level,
            id: h.id.clone(),
            title: h.title.clone(),
            children: Vec::new(),
        };
        // Walk down the last entries while they are shallower than this heading.
        let mut list = &mut top;
        while list.last().is_some_and(|last| last.level < h.level) {
            list = &mut list.last_mut().expect("checked just above").children;
        }
        list.push(entry);
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    /// The headings of `text` and its HTML.
    fn run(text: &str, taken: &dyn Fn(&str) -> bool, keep: bool) -> (Vec<Heading>, String) {
        let opts = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_FOOTNOTES;
        let (mut events, mut ranges): (Vec<_>, Vec<_>) =
            Parser::new_ext(text, opts).into_offset_iter().unzip();
        let headings = assign(&mut events, &mut ranges, text, taken, keep);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (headings, html)
    }

    fn ids(text: &str, taken: &dyn Fn(&str) -> bool) -> Vec<String> {
        run(text, taken, false)
            .0
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn slugs_match_github() {
        for (text, id) in [
            ("Hello, World!", "hello-world"),
            (
                "Embrace DevOps, continuous integration, and testing",
                "embrace-devops-continuous-integration-and-testing",
            ),
            (
                "A future for Mrs. Landingham",
                "a-future-for-mrs-landingham",
            ),
            (
                "Measuring impact using analytics.usa.gov",
                "measuring-impact-using-analyticsusagov",
            ),
            (
                "Did we need a formal HTTPS policy?",
                "did-we-need-a-formal-https-policy",
            ),
            (
                "Check in on the team’s feels.",
                "check-in-on-the-teams-feels",
            ),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Two  spaces", "two--spaces"),
            ("Ünïcödé Straße", "ünïcödé-straße"),
            ("Σίσυφος und Ελλάδα", "σίσυφος-und-ελλάδα"),
            ("日本語の見出し", "日本語の見出し"),
            ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
            ("🎉 Party time 🎉", "-party-time-"),
            ("C++ & Rust: <3", "c--rust-3"),
            ("100% — done", "100--done"),
        ] {
            assert_eq!(github_slug(text), id, "{text}");
        }
    }

    #[test]
    fn repeats_get_suffixes_in_document_order() {
        assert_eq!(
            ids("# Teams\n\n## Teams\n\n## Teams-1\n\n### Teams\n", &none),
            ["teams", "teams-1", "teams-1-1", "teams-2"]
        );
    }

    #[test]
    fn explicit_ids_are_kept_and_never_generated_again() {
        assert_eq!(
            ids(
                "## Intro\n\n## Later {#intro .wide}\n\n## Only emoji 🎉 {#x}\n",
                &none
            ),
            ["intro-1", "intro", "x"]
        );
        // A repeated explicit id stays as written: the caller reports it.
        assert_eq!(ids("## A {#a}\n\n## B {#a}\n", &none), ["a", "a"]);
    }

    #[test]
    fn ids_the_page_holds_and_footnotes_are_avoided() {
        let taken = |id: &str| id == "sources-heading" || id == "quote-1";
        assert_eq!(
            ids(
                "## Sources heading\n\n## Quote 1\n\n## 1\n\nText[^1].\n\n[^1]: A note.\n",
                &taken
            ),
            ["sources-heading-1", "quote-1-1", "1-1"]
        );
    }

    #[test]
    fn empty_headings_are_sections() {
        assert_eq!(ids("## 🎉\n\n## !!!\n", &none), ["section", "section-1"]);
    }

    #[test]
    fn the_title_is_the_visible_text() {
        let h = run("## The *first* `code` ![logo](x.png) step\n", &none, false).0;
        assert_eq!(h[0].title, "The first code  step");
        assert_eq!(h[0].id, "the-first-code--step");
        assert_eq!(h[0].range, 0..42);
    }

    #[test]
    fn attributes_other_than_id_and_class_need_trust() {
        let text = "## X {#x .c onclick=alert(1)}\n";
        assert_eq!(
            run(text, &none, false).1,
            "<h2 id=\"x\" class=\"c\">X</h2>\n"
        );
        assert!(run(text, &none, true).1.contains("onclick"));
    }

    #[test]
    fn braces_without_an_id_or_class_stay_text() {
        let (h, html) = run(
            "## Use {braces}\n\n## Set *x* {x=1}\n\nSetext {y}\n===\n\n## Kept {.c}\n",
            &none,
            true,
        );
        assert_eq!(
            html,
            "<h2 id=\"use-braces\">Use {braces}</h2>\n<h2 id=\"set-x-x1\">Set <em>x</em> {x=1}</h2>\n<h1 id=\"setext-y\">Setext {y}</h1>\n<h2 id=\"kept\" class=\"c\">Kept</h2>\n"
        );
        assert_eq!(h[0].title, "Use {braces}");
    }

    #[test]
    fn toc_nests_deeper_headings() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.to_uppercase(),
            explicit: false,
            range: 0..0,
        };
        let toc = toc(&[
            h(2, "a"),
            h(3, "b"),
            h(4, "c"),
            h(2, "d"),
            h(4, "e"),
            h(1, "f"),
        ]);
        let shape: Vec<(String, Vec<String>)> = toc
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.children.iter().map(|c| c.id.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("a".into(), vec!["b".into()]),
                ("d".into(), vec!["e".into()]),
                ("f".into(), vec![])
            ]
        );
        assert_eq!(toc[0].children[0].children[0].id, "c");
        assert_eq!(toc[0].title, "A");
    }
}
