//! The quote check: each quote whose source has an archived copy (`copy:`) is looked up
//! in that copy with the same matching as anchoring. A quote that is not there is flagged
//! with the copy's closest passage and a word diff, and reported as a warning at the
//! quote (an error under `check --strict`).

use crate::diag::Code;
use std::collections::BTreeMap;

use super::anchors::find_fragments;
use super::hints::{differences, word_diff};
use super::{ArticleEntry, QuoteCheck};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{self, MarkdownOptions};
use crate::model::SourceCopy;
use crate::text::{Folded, fragments, nearest};

/// Checks every quote of every article against its source's copy.
pub(crate) fn check_all(
    articles: &mut [std::sync::Arc<ArticleEntry>],
    copies: &[SourceCopy],
    options: MarkdownOptions,
    diags: &mut Diagnostics,
) {
    let folded: BTreeMap<&str, Folded> = copies
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                Folded::new(&markdown::visible_text(&c.text, options)),
            )
        })
        .collect();
    for e in articles {
        let e = std::sync::Arc::make_mut(e);
        e.quote_checks = e
            .article
            .quotes
            .iter()
            .enumerate()
            .map(|(j, q)| {
                let Some(name) = q
                    .source
                    .as_ref()
                    .and_then(|s| e.article.sources.get(&s.value))
                    .and_then(|s| s.copy.as_ref())
                else {
                    return QuoteCheck::Unchecked;
                };
                let Some(copy) = folded.get(name.value.as_str()) else {
                    return QuoteCheck::Unchecked; // reported by link as a missing copy
                };
                let copy_name = name.value.clone();
                let source = q
                    .source
                    .as_ref()
                    .and_then(|s| e.article.sources.get(&s.value));
                let wording = checked_wording(q, source);
                if find_fragments(copy, &wording.value).is_some() {
                    return QuoteCheck::Matches { copy: copy_name };
                }
                let near = nearest(&copy.text, &fragments(&wording.value).join(" "));
                let hint = match &near {
                    Some(n) => format!("the copy has “{}” ({})", n.passage, differences(&n.edits)),
                    None => "no passage of the copy is close to this quote".to_string(),
                };
                diags.push(
                    Diagnostic::new(
                        Code::QuoteDiffers,
                        &e.article.path,
                        Some(wording.span),
                        format!(
                            "quote {} differs from the archived copy `{copy_name}`",
                            j + 1
                        ),
                    )
                    .with_hint(hint),
                );
                QuoteCheck::Differs {
                    copy: copy_name,
                    closest: near.as_ref().map(|n| n.passage.clone()),
                    diff: near.map(|n| word_diff(&n.edits)),
                }
            })
            .collect();
    }
}

/// The wording of quote `q` that its source's copy should hold: the original, when the
/// quote has one and the source is in its language (or names none), else its words.
pub(crate) fn checked_wording<'q>(
    q: &'q crate::model::Quote,
    source: Option<&crate::model::Source>,
) -> &'q crate::model::Located<String> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    match (&q.original, source.and_then(|s| s.language.as_ref())) {
        (Some(o), None) => &o.text,
        (Some(o), Some(l)) if primary(&l.value) == primary(&o.language.value) => &o.text,
        _ => &q.text,
    }
}
