//! Anchoring: finds each quote and annotated passage in an article's visible text and
//! turns them into [`Mark`]s, without touching the Markdown. Quotes not in the text are
//! warnings; passages not found, ambiguous, or with a bad `occurrence` are errors at the
//! `on` value, with the nearest passage as a did-you-mean. Also finds the sentence that
//! names each person of the article, for their page.

use crate::diag::Code;
use std::collections::BTreeSet;

use super::hints::differences;
use super::naming::names_of;
use super::{ArticleEntry, Entity, Naming};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::marks::{Mark, TextModel};
use crate::markdown::placeholders::{Part, mark_token};
use crate::model::Article;
use crate::text::{Folded, Hint, Nearby, Sentences, fragments, without_end_punctuation};

/// What anchoring found in one article.
#[derive(Debug, Default)]
pub(crate) struct Anchored {
    /// The marks to wrap.
    pub(crate) marks: Vec<Mark>,
    /// Per quote: found in the text (its words, or the original wording).
    pub(crate) quote_in_body: Vec<bool>,
    /// Per quote: both its words and its original wording are in the text, each marked
    /// (the original as `quote-ID-original`).
    pub(crate) both_in_body: Vec<bool>,
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
    /// Every person, for the sentences naming them.
    pub(crate) people: &'a [Entity],
    /// The BCP 47 tag of the article's language, for its sentence rules.
    pub(crate) language: &'a str,
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
        // A translated quote may stand in the text in either wording, or in both.
        let text = find_fragments(&folded, &q.text.value);
        let original = q
            .original
            .as_ref()
            .and_then(|o| find_fragments(&folded, &o.text.value));
        out.both_in_body.push(text.is_some() && original.is_some());
        out.quote_in_body.push(text.is_some() || original.is_some());
        let in_source = |ranges: Vec<std::ops::Range<usize>>| -> Vec<_> {
            ranges.into_iter().map(|r| folded.source_range(r)).collect()
        };
        if let Some(ranges) = original {
            quote_marks(model, &format!("o{j}"), &in_source(ranges), &mut out.marks);
        }
        match text {
            Some(ranges) => {
                quote_marks(model, &format!("q{j}"), &in_source(ranges), &mut out.marks);
            }
            None if out.quote_in_body[j] => {}
            None => {
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
        out.marks.push(passage_mark(j, src));
    }
    out.namings = namings(model, &folded, cx);
    out
}

/// The marks of a quote's wording (`target`: `qJ` its words, `oJ` its original), found
/// at `ranges` of the visible text: its fragments, then its
/// attribution (the theme writes the speaker's name and, when the source's copy has
/// other words, the flag) after the closing quotation mark and punctuation that follow
/// the words, so neither sits inside the quotation.
fn quote_marks(
    model: &TextModel,
    target: &str,
    ranges: &[std::ops::Range<usize>],
    marks: &mut Vec<Mark>,
) {
    for (k, r) in ranges.iter().enumerate() {
        marks.push(Mark {
            start: r.start,
            end: r.end,
            first_open: mark_token(target, if k == 0 { Part::First } else { Part::Open }),
            open: mark_token(target, Part::Open),
            close: mark_token(target, Part::Close),
            after: String::new(),
            after_block: String::new(),
        });
    }
    let after = mark_token(target, Part::After);
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

/// The mark of annotation `j` over `src` of the visible text: the passage, its marker
/// after it and its side note after the paragraph, all written by the theme.
fn passage_mark(j: usize, src: std::ops::Range<usize>) -> Mark {
    let target = format!("n{j}");
    Mark {
        start: src.start,
        end: src.end,
        first_open: mark_token(&target, Part::First),
        open: mark_token(&target, Part::Open),
        close: mark_token(&target, Part::Close),
        after: mark_token(&target, Part::After),
        after_block: mark_token(&target, Part::Block),
    }
}
