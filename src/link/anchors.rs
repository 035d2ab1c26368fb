//! Anchoring: finds each quote and annotated passage in an article's visible text and
//! turns them into [`Mark`]s, without touching the Markdown. Quotes not in the text are
//! warnings; passages not found, ambiguous, or with a bad `occurrence` are errors at the
//! `on` value, with the nearest passage as a did-you-mean. Also finds the sentence that
//! names each person of the article, for their page.

use crate::diag::Code;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::hints::differences;
use super::naming::names_of;
use super::{ArticleEntry, Entity, Naming};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::marks::{Mark, TextModel};
use crate::model::{AnnotationKind, Article};
use crate::text::{Folded, Hint, Nearby, Sentences, fragments, without_end_punctuation};

/// What anchoring found in one article.
#[derive(Debug, Default)]
pub(crate) struct Anchored {
    /// The marks to wrap.
    pub(crate) marks: Vec<Mark>,
    /// Per quote: found in the text.
    pub(crate) quote_in_body: Vec<bool>,
    /// Per annotation: its passage was found and marked (its W3C selector is taken from
    /// the served HTML by the render stage, see `render::selectors`).
    pub(crate) passage_found: Vec<bool>,
    /// Per annotation: its visible number, in the reading order of the marked passages
    /// (the front matter's order need not be the text's); `None` when not marked.
    pub(crate) numbers: Vec<Option<usize>>,
    /// The sentence naming each person of the article, by person index.
    pub(crate) namings: Vec<Naming>,
}

/// What the anchoring of one article needs besides its text.
pub(crate) struct Context<'a> {
    /// The article.
    pub(crate) entry: &'a ArticleEntry,
    /// Every person, for speaker and claimant links.
    pub(crate) people: &'a [Entity],
    /// Rendered notes, per annotation.
    pub(crate) notes_html: &'a [String],
    /// Prefix from the article page to the site root.
    pub(crate) root: &'a str,
    /// Links end in `/` rather than `index.html`.
    pub(crate) pretty: bool,
    /// The BCP 47 tag of the article's language, for its sentence rules.
    pub(crate) language: &'a str,
}

/// `s` escaped for HTML text and attributes.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

/// `s` as the value of an `href` attribute.
pub(super) fn href_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_href(&mut out, s);
    esc(&out)
}

/// Anchors the quotes and annotations of `cx.entry` in `model`.
pub(crate) fn anchor(model: &TextModel, cx: &Context<'_>, diags: &mut Diagnostics) -> Anchored {
    let article = &cx.entry.article;
    let mut folded = Folded::new(&model.text);
    // Every passage and quote fragment found in one pass: linear in many annotations.
    folded.expect(
        article
            .annotations
            .iter()
            .filter_map(|a| Some(Folded::new(a.on.as_ref()?.value.trim()).text))
            .chain(article.quotes.iter().flat_map(|q| fragments(&q.text.value))),
    );
    let near = Nearby::new(&folded.text);
    let mut out = Anchored::default();
    for (j, q) in article.quotes.iter().enumerate() {
        let n = j + 1;
        let speaker = &cx.people[cx.entry.quote_speakers[j]];
        match find_fragments(&folded, &q.text.value) {
            Some(ranges) => {
                out.quote_in_body.push(true);
                let ranges: Vec<_> = ranges.into_iter().map(|r| folded.source_range(r)).collect();
                quote_marks(model, cx, j, speaker, &ranges, &mut out.marks);
            }
            None => {
                out.quote_in_body.push(false);
                // A quote need not be in the body (DESIGN §3): only one that nearly is,
                // a word or a mark off, is a likely slip worth a warning.
                if let Hint::Near(near) = near.nearest(&fragments(&q.text.value).join(" ")) {
                    // The passage without the quotation marks and closing punctuation
                    // around it, which the quote's text does not need.
                    let passage = near
                        .passage
                        .trim_matches(['\'', '"'])
                        .trim_end_matches([',', ';', '.', '\'', '"']);
                    diags.push(
                        Diagnostic::new(Code::QuoteNotFound, &article.path, Some(q.text.span), format!("quote {n} is not in the text of the article"))
                            .with_hint(format!(
                                "the body has “{}” ({}); to mark the quote in the text, write `text: {}`",
                                passage,
                                differences(&near.edits),
                                crate::load::yaml::quoted(passage)
                            )),
                    );
                }
            }
        }
    }
    let mut passages = Vec::new();
    for (j, a) in article.annotations.iter().enumerate() {
        let range =
            a.on.as_ref()
                .and_then(|_| find_passage(&folded, &near, article, j, diags));
        out.passage_found.push(range.is_some());
        if let Some(range) = range {
            passages.push((folded.source_range(range), j));
        }
    }
    // Numbered as the reader meets them: by where the passage starts, then ends.
    passages.sort_by_key(|(r, j)| (r.start, r.end, *j));
    out.numbers = vec![None; article.annotations.len()];
    for (k, (src, j)) in passages.into_iter().enumerate() {
        out.numbers[j] = Some(k + 1);
        out.marks.push(passage_mark(cx, j, k + 1, src));
    }
    out.namings = namings(model, &folded, cx);
    out
}

/// The marks of quote `j`, found at `ranges` of the visible text: its fragments, then its
/// attribution (the speaker's linked name and, when the source's copy has other words,
/// the flag) after the closing quotation mark and punctuation that follow the words, so
/// neither sits inside the quotation.
fn quote_marks(
    model: &TextModel,
    cx: &Context<'_>,
    j: usize,
    speaker: &Entity,
    ranges: &[std::ops::Range<usize>],
    marks: &mut Vec<Mark>,
) {
    let article = &cx.entry.article;
    let q = &article.quotes[j];
    let n = j + 1;
    let href = href_attr(&format!(
        "{}{}",
        cx.root,
        crate::routes::dirs::href(&speaker.dir, cx.pretty)
    ));
    let title = esc(&format!("Quote {n}: {}", speaker.name));
    // Fragments and groups use the quote's id, which stays put when other quotes come
    // and go; the title keeps the visible number.
    let id = &q.id;
    let differs = match cx.entry.quote_checks.get(j) {
        Some(super::QuoteCheck::Differs { copy, .. }) => Some(copy),
        _ => None,
    };
    let status = q.status.as_str();
    let mut class = String::from("quote");
    if q.status != crate::model::QuoteStatus::Sourced {
        let _ = write!(class, " quote-{status}");
    }
    if differs.is_some() {
        class.push_str(" quote-flagged");
    }
    for (k, r) in ranges.iter().enumerate() {
        let open = format!("<span class=\"{class}\" data-quote=\"{id}\" title=\"{title}\">");
        marks.push(Mark {
            start: r.start,
            end: r.end,
            first_open: if k == 0 {
                format!("<span class=\"{class}\" id=\"quote-{id}\" data-quote=\"{id}\" title=\"{title}\">")
            } else {
                open.clone()
            },
            open,
            close: "</span>".into(),
            after: String::new(),
            after_block: String::new(),
        });
    }
    let mut after = format!(
        "<span class=\"quote-by\"><a href=\"{href}\" title=\"{title}\">{}</a>",
        esc(&speaker.name)
    );
    if q.status != crate::model::QuoteStatus::Sourced {
        // Told by a word, not by colour alone.
        let _ = write!(after, " <span class=\"quote-status-tag\">({status})</span>");
    }
    after.push_str("</span>");
    if let Some(copy) = differs {
        // To the copy's word diff of this quote, else to the article's list of quotes.
        let target = format!(
            "{}{}#list-differs-{}",
            cx.root,
            crate::routes::dirs::href(&super::sources::dir_of(copy), cx.pretty),
            super::sources::mark_id(article, q)
        );
        let _ = write!(
            after,
            "<a class=\"quote-flag\" href=\"{}\" title=\"This quote differs from the archived source\">differs from source</a>",
            href_attr(&target)
        );
    }
    let Some(last) = ranges.last() else { return };
    // The closing mark and punctuation right after the words (`,”`), which the
    // attribution follows; empty when the words are not in quotation marks.
    let tail: usize = model.text[last.end..]
        .chars()
        .take(4)
        .take_while(|c| {
            matches!(
                c,
                ',' | '.' | ';' | ':' | '!' | '?' | '…' | '”' | '’' | '"' | '\'' | '»' | '›'
            )
        })
        .map(char::len_utf8)
        .sum();
    let closes = model.text[last.end..last.end + tail].contains(['”', '’', '"', '\'', '»', '›'])
        // An apostrophe inside a word (`dog's`) closes nothing.
        && !model.text[last.end + tail..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    let tail = if closes { tail } else { 0 };
    let at = last.end + tail;
    if tail == 0 {
        if let Some(m) = marks.last_mut() {
            m.after = after;
        }
        return;
    }
    // A mark without markup over the tail carries the attribution after it.
    marks.push(Mark {
        start: last.end,
        end: at,
        after,
        ..Mark::default()
    });
}

/// `html` (a note: paragraphs of inline content) with each paragraph a
/// `<span class="note-p">`, so that it may stand inside a paragraph; `None` when it
/// holds other blocks (lists, quotations, code, tables…), which only the note after the
/// paragraph then shows.
fn as_phrasing(html: &str) -> Option<String> {
    const BLOCKS: [&str; 18] = [
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<pre",
        "<table",
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<hr",
        "<figure",
        "<dl",
        "<aside",
        "<section",
    ];
    if BLOCKS.iter().any(|b| html.contains(b)) {
        return None;
    }
    Some(
        html.replace("<p>", "<span class=\"note-p\">")
            .replace("<p class=\"", "<span class=\"note-p ")
            .replace("</p>", "</span>"),
    )
}

/// The first sentence naming each person the article involves (speakers, mentions, quote
/// speakers, claimants), in ascending person order.
fn namings(model: &TextModel, folded: &Folded, cx: &Context<'_>) -> Vec<Naming> {
    let e = cx.entry;
    let people: BTreeSet<usize> = e
        .speakers
        .iter()
        .chain(&e.mentions)
        .chain(&e.quote_speakers)
        .chain(e.claimants.iter().flatten())
        .copied()
        .collect();
    if people.is_empty() {
        return Vec::new();
    }
    let sentences = Sentences::new(&model.text, folded, &model.breaks, cx.language);
    let mut out: Vec<Naming> = people
        .into_iter()
        .filter_map(|p| {
            let (sentence, name) = sentences.naming(&names_of(&cx.people[p]))?;
            Some(Naming {
                person: p,
                sentence,
                name,
            })
        })
        .collect();
    // Kept for the whole build, one per person per article.
    out.shrink_to_fit();
    out
}

/// The ranges of a quote's fragments, in order, or `None` if any is missing.
/// A quote found as written marks its closing punctuation too; else it is looked for
/// without it (see [`without_end_punctuation`]).
pub(crate) fn find_fragments(folded: &Folded, quote: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let exact = fragments(quote);
    find_all_of(folded, &exact).or_else(|| find_all_of(folded, &without_end_punctuation(&exact)?))
}

/// The ranges of `fragments`, in order, or `None` if any is missing.
fn find_all_of(folded: &Folded, fragments: &[String]) -> Option<Vec<std::ops::Range<usize>>> {
    let mut from = 0;
    let mut ranges = Vec::new();
    for f in fragments {
        let r = folded.find_from(f, from)?;
        from = r.end;
        ranges.push(r);
    }
    (!ranges.is_empty()).then_some(ranges)
}

/// The folded range of annotation `j`'s passage, or an error.
fn find_passage(
    folded: &Folded,
    near: &Nearby<'_>,
    article: &Article,
    j: usize,
    diags: &mut Diagnostics,
) -> Option<std::ops::Range<usize>> {
    let a = &article.annotations[j];
    let on = a.on.as_ref()?;
    let n = j + 1;
    let needle = Folded::new(on.value.trim()).text;
    let hits = folded.find_all(&needle);
    let quoted = crate::diag::shorten(&on.value, 60);
    let error = |msg: String, hint: String| {
        Diagnostic::new(Code::PassageNotFound, &article.path, Some(on.span), msg).with_hint(hint)
    };
    match (hits.len(), &a.occurrence) {
        (0, _) => {
            let hint = match near.nearest(&needle) {
                Hint::Near(near) => {
                    format!(
                        "did you mean “{}”? ({})",
                        near.passage,
                        differences(&near.edits)
                    )
                }
                Hint::Nothing => {
                    "copy the passage exactly as the article's text has it".to_string()
                }
                Hint::Skipped => format!(
                    "copy the passage exactly as the article's text has it (no nearest passage looked for: {})",
                    super::hints::SKIPPED
                ),
            };
            diags.push(error(
                format!("annotation {n}: passage `{quoted}` is not in the text"),
                hint,
            ));
            None
        }
        (1, None) => Some(hits[0].clone()),
        (count, None) => {
            diags.push(error(
                format!("annotation {n}: passage `{quoted}` occurs {count} times in the text"),
                format!(
                    "add `occurrence: N` (1 to {count}) to say which one, or quote a longer passage"
                ),
            ));
            None
        }
        (count, Some(occ)) => match hits.get(occ.value as usize - 1) {
            Some(r) => Some(r.clone()),
            None => {
                let d = Diagnostic::new(Code::PassageNotFound, &article.path, Some(occ.span), format!("annotation {n}: `occurrence: {}` but passage `{quoted}` occurs {count} time{}", occ.value, if count == 1 { "" } else { "s" }))
                    .with_hint(format!("write a number from 1 to {count}"));
                diags.push(d);
                None
            }
        },
    }
}

/// The mark and side note of annotation `j`, the `n`th passage of the text.
fn passage_mark(cx: &Context<'_>, j: usize, n: usize, src: std::ops::Range<usize>) -> Mark {
    let article = &cx.entry.article;
    let a = &article.annotations[j];
    // `n` is the visible number; fragments use the id, which stays put.
    let id = &a.id;
    let kind = a.kind.as_str();
    let mut label = esc(a.kind.label());
    // Screen readers list side notes as landmarks: each needs its own name, so two
    // notes of one kind are told apart by their number.
    let mut name = format!("Annotation {n}: {}", a.kind.label());
    if let (AnnotationKind::FactCheck, Some(r)) = (a.kind, &a.verdict.rating) {
        let _ = write!(label, ": <strong class=\"rating\">{}</strong>", esc(r));
        let _ = write!(name, ": {r}");
    }
    if a.kind == AnnotationKind::Correction {
        // A correction says when the text was corrected, as newspapers do.
        let date = article.correction_date(a);
        let _ = write!(
            label,
            ", <time datetime=\"{}\">{}</time>",
            esc(&date.rfc3339),
            date.date
        );
        let _ = write!(name, ", {}", date.date);
    }
    let mut extra = String::new();
    if let Some(c) = cx.entry.claimants[j] {
        let p = &cx.people[c];
        let href = href_attr(&format!(
            "{}{}",
            cx.root,
            crate::routes::dirs::href(&p.dir, cx.pretty)
        ));
        let _ = writeln!(
            extra,
            "<p class=\"note-claimant\">Claim by <a href=\"{href}\">{}</a></p>",
            esc(&p.name)
        );
    }
    let sources: Vec<String> = a
        .sources
        .iter()
        .filter_map(|k| {
            let (key, s) = article.sources.get_key_value(&k.value)?;
            Some(format!(
                "<a href=\"#source-{}\">{}</a>",
                href_attr(key.as_str()),
                esc(s.title.as_deref().unwrap_or(key.as_str()))
            ))
        })
        .collect();
    if !sources.is_empty() {
        let _ = writeln!(
            extra,
            "<p class=\"note-sources\">Sources: {}</p>",
            sources.join("; ")
        );
    }
    let name = esc(&name);
    let inner = format!(
        "<p class=\"note-label\"><a href=\"#passage-{id}\"><span class=\"note-num\">{n}</span> {label}</a></p>\n{}{extra}",
        cx.notes_html[j]
    );
    // After the paragraph: the note on narrow screens (and wherever the margin copy
    // cannot be written).
    // At the marker: the same note floated into the margin on wide screens, so it starts
    // level with its marker. It sits inside the paragraph, so it is written only when
    // the note's HTML can be phrasing content.
    let margin = as_phrasing(&inner).map(|inner| {
        format!(
            "<span class=\"sidenote sidenote-margin note-{kind}\" id=\"side-{id}\">{inner}</span>"
        )
    });
    let after_class = if margin.is_some() { " has-margin" } else { "" };
    let note = format!(
        "<aside class=\"sidenote note-{kind}{after_class}\" id=\"note-{id}\" aria-label=\"{name}\">\n{inner}</aside>"
    );
    let title = esc(a.kind.label());
    Mark {
        start: src.start,
        end: src.end,
        first_open: format!(
            "<mark class=\"passage passage-{kind}\" id=\"passage-{id}\" data-note=\"{id}\" title=\"{title}\">"
        ),
        open: format!(
            "<mark class=\"passage passage-{kind}\" data-note=\"{id}\" title=\"{title}\">"
        ),
        close: "</mark>".into(),
        after: match margin {
            // One link per copy of the note, each shown with its copy.
            Some(margin) => format!(
                "<sup class=\"note-ref note-ref-{kind}\"><a class=\"to-margin\" href=\"#side-{id}\" aria-label=\"Annotation {n}: {title}\">{n}</a><a class=\"to-after\" href=\"#note-{id}\" aria-label=\"Annotation {n}: {title}\">{n}</a></sup>{margin}"
            ),
            None => format!(
                "<sup class=\"note-ref note-ref-{kind}\"><a href=\"#note-{id}\" aria-label=\"Annotation {n}: {title}\">{n}</a></sup>"
            ),
        },
        after_block: note,
    }
}
