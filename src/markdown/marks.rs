//! The visible text of a rendered body and the marking of passages in it.
//!
//! [`TextModel`] concatenates the text the reader sees (text and code spans, a space for
//! each line or block break) and remembers which event each piece came from. A [`Mark`]
//! names a byte range of that visible text; [`apply`] wraps it in HTML by splitting the
//! text events at every mark boundary and wrapping each segment on its own, so the result
//! is properly nested whatever the marks cross: emphasis, links, code, other marks.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

/// A passage to wrap, in byte offsets of the visible text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mark {
    /// Start of the passage.
    pub start: usize,
    /// End of the passage (exclusive).
    pub end: usize,
    /// Opening tag of the first piece (carries the id).
    pub first_open: String,
    /// Opening tag of every later piece.
    pub open: String,
    /// Closing tag of every piece.
    pub close: String,
    /// Inline HTML after the last piece (moved past an enclosing link, so it may be one).
    pub after: String,
    /// HTML after the top-level block that holds the passage's end (e.g. a side note).
    pub after_block: String,
}

/// One piece of visible text and the event it came from.
#[derive(Debug, Clone, Copy)]
struct Run {
    event: usize,
    start: usize,
    end: usize,
    is_code: bool,
    /// Inside a code block: what follows a passage ending here waits for the block's
    /// end, so no marker is written into the code.
    in_code_block: bool,
}

/// The visible text of a list of events.
#[derive(Debug, Default)]
pub struct TextModel {
    /// What the reader sees, breaks as spaces.
    pub text: String,
    /// Offsets in `text` where a block (paragraph, heading, list item, cell…) starts or
    /// ends, ascending: no sentence crosses one.
    pub breaks: Vec<usize>,
    runs: Vec<Run>,
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

impl TextModel {
    /// Builds the model of `events` in one pass.
    pub fn new(events: &[Event<'_>]) -> Self {
        let mut m = TextModel {
            text: String::new(),
            breaks: Vec::new(),
            runs: Vec::new(),
        };
        // An image's text is its `alt` attribute: not on the page, and never wrapped.
        let mut image_depth = 0usize;
        let mut in_code_block = false;
        for (i, e) in events.iter().enumerate() {
            match e {
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                _ if image_depth > 0 => {}
                Event::Text(t) | Event::Code(t) => {
                    let start = m.text.len();
                    m.text.push_str(t);
                    m.runs.push(Run {
                        event: i,
                        start,
                        end: m.text.len(),
                        is_code: matches!(e, Event::Code(_)),
                        in_code_block,
                    });
                }
                Event::SoftBreak | Event::HardBreak => m.text.push(' '),
                // A block's start counts too: a tight list item's text runs straight
                // into the nested list after it, and the page shows two words.
                Event::Start(tag) if !is_inline(tag) => {
                    in_code_block |= matches!(tag, Tag::CodeBlock(_));
                    m.add_break();
                    if !m.text.is_empty() && !m.text.ends_with(' ') {
                        m.text.push(' ');
                    }
                }
                Event::End(tag) if !is_inline_end(tag) => {
                    in_code_block &= !matches!(tag, TagEnd::CodeBlock);
                    m.add_break();
                    m.text.push(' ');
                }
                _ => {}
            }
        }
        m
    }

    fn add_break(&mut self) {
        let at = self.text.len();
        if self.breaks.last() != Some(&at) {
            self.breaks.push(at);
        }
    }
}

/// Wraps every mark in `events`. Marks may overlap and nest.
pub fn apply<'a>(events: Vec<Event<'a>>, model: &TextModel, marks: &[Mark]) -> Vec<Event<'a>> {
    if marks.is_empty() {
        return events;
    }
    // Outer marks first: earlier start, then longer.
    let mut order: Vec<usize> = (0..marks.len())
        .filter(|&i| marks[i].start < marks[i].end)
        .collect();
    order.sort_by(|&a, &b| {
        marks[a]
            .start
            .cmp(&marks[b].start)
            .then(marks[b].end.cmp(&marks[a].end))
            .then(a.cmp(&b))
    });
    // The same marks by end, to retire them as the sweep passes their end.
    let mut by_end = order.clone();
    by_end.sort_by_key(|&m| marks[m].end);
    let mut rank = vec![0; marks.len()];
    for (r, &m) in order.iter().enumerate() {
        rank[m] = r;
    }
    let in_link = link_depths(&events);
    let mut replaced: Vec<Option<String>> = vec![None; events.len()];
    // Marks whose inline `after` waits for the end of the link or code block they end
    // in (a marker inside either would be part of the link or of the code).
    let mut after_link = vec![false; marks.len()];
    let mut last_event: Vec<Option<usize>> = vec![None; marks.len()];
    let mut opened = vec![false; marks.len()];
    // One sweep over the text: each mark joins `covering` at its start and leaves at its
    // end, so the work is the marks plus the wrapped pieces, not marks times pieces.
    let (mut next_start, mut next_end) = (0, 0); // in `order`, in `by_end`
    // The marks covering the sweep's position, by rank: outer marks first.
    let mut covering: BTreeSet<usize> = BTreeSet::new();
    for run in &model.runs {
        while next_start < order.len() && marks[order[next_start]].start <= run.start {
            covering.insert(next_start);
            next_start += 1;
        }
        // A mark that ends between runs (never at a piece's end) has no inline `after`.
        while next_end < by_end.len() && marks[by_end[next_end]].end <= run.start {
            covering.remove(&rank[by_end[next_end]]);
            next_end += 1;
        }
        let starts_here = next_start < order.len() && marks[order[next_start]].start < run.end;
        if run.start == run.end || (covering.is_empty() && !starts_here) {
            continue;
        }
        let mut html = String::new();
        // What follows a passage ending in a code span goes after the span.
        let mut after_code = String::new();
        if run.is_code {
            html.push_str("<code>");
        }
        let mut a = run.start;
        while a < run.end {
            // The next cut: a mark starting or ending inside the run, or the run's end.
            let next_cut = |list: &[usize], at: usize, edge: fn(&Mark) -> usize| {
                list.get(at).map(|&m| edge(&marks[m])).filter(|&c| c > a)
            };
            let b = [
                next_cut(&order, next_start, |m| m.start),
                next_cut(&by_end, next_end, |m| m.end),
            ]
            .into_iter()
            .flatten()
            .fold(run.end, usize::min);
            for &r in &covering {
                let m = order[r];
                html.push_str(if opened[m] {
                    &marks[m].open
                } else {
                    &marks[m].first_open
                });
                opened[m] = true;
                last_event[m] = Some(run.event);
            }
            let _ = escape_html(&mut html, &model.text[a..b]);
            for &r in covering.iter().rev() {
                html.push_str(&marks[order[r]].close);
            }
            let mut ending = Vec::new();
            while next_end < by_end.len() && marks[by_end[next_end]].end <= b {
                ending.push(rank[by_end[next_end]]);
                next_end += 1;
            }
            ending.sort_unstable();
            for r in ending {
                let m = order[r];
                // Only a mark that covered this piece ends in it.
                if covering.remove(&r) {
                    if in_link[run.event] || run.in_code_block {
                        after_link[m] = true;
                    } else if run.is_code {
                        after_code.push_str(&marks[m].after);
                    } else {
                        html.push_str(&marks[m].after);
                    }
                }
            }
            while next_start < order.len() && marks[order[next_start]].start <= b {
                covering.insert(next_start);
                next_start += 1;
            }
            a = b;
        }
        if run.is_code {
            html.push_str("</code>");
            html.push_str(&after_code);
        }
        replaced[run.event] = Some(html);
    }
    let mut ends: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
    for (m, e) in last_event.iter().enumerate() {
        if let Some(e) = e {
            ends[*e].push(m);
        }
    }
    rebuild(events, replaced, &ends, &after_link, marks)
}

/// For each event, whether it sits inside a link.
fn link_depths(events: &[Event<'_>]) -> Vec<bool> {
    let mut depth = 0usize;
    events
        .iter()
        .map(|e| {
            match e {
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(TagEnd::Link) => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth > 0
        })
        .collect()
}

/// Emits the events with replaced runs, the inline `after` HTML of marks that end inside
/// a link or a code block once it closes, and `after_block` HTML at the end of the
/// top-level block.
fn rebuild<'a>(
    events: Vec<Event<'a>>,
    mut replaced: Vec<Option<String>>,
    ends: &[Vec<usize>],
    after_link: &[bool],
    marks: &[Mark],
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len() + ends.len());
    let (mut link_depth, mut block_depth) = (0usize, 0usize);
    let (mut inline_pending, mut block_pending) = (String::new(), String::new());
    for (i, event) in events.into_iter().enumerate() {
        let mut block_closed = false;
        match &event {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Start(tag) if !is_inline(tag) => block_depth += 1,
            Event::End(tag) if !is_inline_end(tag) => {
                block_depth = block_depth.saturating_sub(1);
                block_closed = block_depth == 0;
            }
            _ => {}
        }
        let closes_deferral = matches!(event, Event::End(TagEnd::Link | TagEnd::CodeBlock));
        match replaced[i].take() {
            Some(html) => out.push(Event::InlineHtml(CowStr::Boxed(html.into_boxed_str()))),
            None => out.push(event),
        }
        for &m in &ends[i] {
            if after_link[m] {
                inline_pending.push_str(&marks[m].after);
            }
            block_pending.push_str(&marks[m].after_block);
        }
        if !inline_pending.is_empty() && link_depth == 0 && closes_deferral {
            out.push(Event::InlineHtml(CowStr::Boxed(
                std::mem::take(&mut inline_pending).into_boxed_str(),
            )));
        }
        if block_closed && !block_pending.is_empty() {
            let mut html = std::mem::take(&mut block_pending);
            let _ = writeln!(html);
            out.push(Event::Html(CowStr::Boxed(html.into_boxed_str())));
        }
    }
    if !inline_pending.is_empty() || !block_pending.is_empty() {
        out.push(Event::Html(CowStr::Boxed(
            format!("{inline_pending}{block_pending}").into_boxed_str(),
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn mark(model: &TextModel, passage: &str, name: &str) -> Mark {
        let start = model
            .text
            .find(passage)
            .unwrap_or_else(|| panic!("`{passage}` not in `{}`", model.text));
        Mark {
            start,
            end: start + passage.len(),
            first_open: format!("<span id=\"{name}\" class=\"{name}\">"),
            open: format!("<span class=\"{name}\">"),
            close: "</span>".into(),
            after: format!("<sup>{name}</sup>"),
            after_block: format!("<aside>{name}</aside>"),
        }
    }

    fn render(md: &str, passages: &[(&str, &str)]) -> String {
        let events: Vec<Event<'_>> =
            pulldown_cmark::TextMergeStream::new(Parser::new_ext(md, Options::empty())).collect();
        let model = TextModel::new(&events);
        let marks: Vec<Mark> = passages.iter().map(|(p, n)| mark(&model, p, n)).collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, apply(events, &model, &marks).into_iter());
        html
    }

    #[test]
    fn a_passage_across_emphasis_is_wrapped_in_pieces() {
        let html = render("foo *bar* baz\n", &[("o bar b", "q1")]);
        assert_eq!(
            html,
            "<p>fo<span id=\"q1\" class=\"q1\">o </span><em><span class=\"q1\">bar</span></em><span class=\"q1\"> b</span><sup>q1</sup>az</p>\n<aside>q1</aside>\n"
        );
    }

    #[test]
    fn overlapping_marks_nest_properly() {
        let html = render(
            "one two three four\n",
            &[("one two three", "a"), ("two three four", "b")],
        );
        assert_eq!(
            html,
            "<p><span id=\"a\" class=\"a\">one </span><span class=\"a\"><span id=\"b\" class=\"b\">two three</span></span><sup>a</sup><span class=\"b\"> four</span><sup>b</sup></p>\n<aside>a</aside><aside>b</aside>\n"
        );
    }

    #[test]
    fn inline_html_after_a_passage_inside_a_link_moves_past_the_link() {
        let html = render("see [the report](http://x) now\n", &[("report", "n")]);
        assert!(
            html.contains("the <span id=\"n\" class=\"n\">report</span></a><sup>n</sup> now"),
            "{html}"
        );
    }

    #[test]
    fn code_spans_and_line_breaks_are_visible_text() {
        let html = render("a `b c` d\ne f\n", &[("c d e", "m")]);
        assert!(html.contains("<code>b <span id=\"m\" class=\"m\">c</span></code><span class=\"m\"> d</span>\n<span class=\"m\">e</span>"), "{html}");
    }

    #[test]
    fn block_starts_and_ends_are_breaks_and_the_text_is_unchanged() {
        let md = "# Title\n\nOne.\nTwo.\n\n- item\n  - nested\n";
        let events: Vec<Event<'_>> =
            pulldown_cmark::TextMergeStream::new(Parser::new_ext(md, Options::empty())).collect();
        let model = TextModel::new(&events);
        assert_eq!(model.text, "Title One. Two. item nested    ");
        let pieces: Vec<&str> = model
            .breaks
            .windows(2)
            .map(|w| model.text[w[0]..w[1]].trim())
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(pieces, ["Title", "One. Two.", "item", "nested"]);
    }

    #[test]
    fn an_image_is_no_text_and_its_alt_is_never_wrapped() {
        let html = render("a ![b *c*](x.png) d\n", &[("a  d", "m")]);
        assert!(
            html.contains("<span id=\"m\" class=\"m\">a </span><img src=\"x.png\" alt=\"b c\" /><span class=\"m\"> d</span><sup>m</sup>"),
            "{html}"
        );
    }

    #[test]
    fn what_follows_a_passage_in_code_goes_after_the_code() {
        let html = render(
            "```\nx = 1\n```\n\nin `a b` c\n",
            &[("x = 1", "m"), ("b", "n")],
        );
        assert!(
            html.contains("x = 1</span>\n</code></pre>\n<sup>m</sup>"),
            "{html}"
        );
        assert!(
            html.contains("<span id=\"n\" class=\"n\">b</span></code><sup>n</sup> c"),
            "{html}"
        );
    }

    #[test]
    fn thousands_of_marks_in_one_paragraph_are_each_wrapped_once() {
        // One run of text holding every mark: the sweep must still cut it at each.
        let md: String = (0..3000).map(|i| format!("w{i:05} x ")).collect();
        let events: Vec<Event<'_>> =
            pulldown_cmark::TextMergeStream::new(Parser::new_ext(&md, Options::empty())).collect();
        let model = TextModel::new(&events);
        let marks: Vec<Mark> = (0..3000)
            .map(|i| mark(&model, &format!("w{i:05}"), &format!("m{i}")))
            .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, apply(events, &model, &marks).into_iter());
        for i in [0, 1, 1500, 2999] {
            let piece = format!("<span id=\"m{i}\" class=\"m{i}\">w{i:05}</span><sup>m{i}</sup> x");
            assert_eq!(html.matches(&piece).count(), 1, "m{i}");
        }
        assert_eq!(html.matches("<sup>").count(), 3000);
    }

    #[test]
    fn text_escapes_survive_wrapping() {
        let html = render("a &lt;b&gt; &amp; c\n", &[("<b> &", "m")]);
        assert!(
            html.contains("<span id=\"m\" class=\"m\">&lt;b&gt; &amp;</span>"),
            "{html}"
        );
    }
}
