//! The passage of a text nearest to one that was not found, and how the two differ word
//! by word: for "did you mean" hints and for quotes that differ from an archived copy.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark_escape::escape_html;
use similar::DiffOp;

/// A near passage and its differences from what was looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Near {
    /// Byte range of the passage in the searched text.
    pub(crate) range: Range<usize>,
    /// The passage.
    pub(crate) passage: String,
    /// One line naming the differing words, e.g. "`El Salvador` -> `we`".
    pub(crate) differences: String,
    /// The sought words against the passage's: `<del>` sought only, `<ins>` passage only.
    pub(crate) diff_html: String,
}

/// Word spans of `text` split at spaces.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The passage of `hay` (folded) sharing most words with `needle` (folded), if it shares
/// at least half of them. Linear in `hay`: a sliding bag-of-words window.
pub(crate) fn nearest(hay: &str, needle: &str) -> Option<Near> {
    let hay_words = words(hay);
    let want: Vec<&str> = words(needle).into_iter().map(|r| &needle[r]).collect();
    let k = want.len();
    if k == 0 || hay_words.is_empty() {
        return None;
    }
    let mut need: HashMap<&str, i32> = HashMap::new();
    for w in &want {
        *need.entry(w).or_default() += 1;
    }
    let mut have: HashMap<&str, i32> = HashMap::new();
    let (mut score, mut best) = (0i32, (0i32, 0usize));
    for (i, r) in hay_words.iter().enumerate() {
        let w = &hay[r.clone()];
        let c = have.entry(w).or_default();
        *c += 1;
        if *c <= need.get(w).copied().unwrap_or(0) {
            score += 1;
        }
        if i >= k {
            let old = &hay[hay_words[i - k].clone()];
            let c = have.entry(old).or_default();
            if *c <= need.get(old).copied().unwrap_or(0) {
                score -= 1;
            }
            *c -= 1;
        }
        if score > best.0 {
            best = (score, (i + 1).saturating_sub(k));
        }
    }
    if (best.0 as usize) * 2 < k {
        return None;
    }
    // Widen by two words each side, then trim words the sought text does not share.
    let first = best.1.saturating_sub(2);
    let last = (best.1 + k + 2).min(hay_words.len());
    let window = &hay_words[first..last];
    let found: Vec<&str> = window.iter().map(|r| &hay[r.clone()]).collect();
    let ops = diff_words(&want, &found);
    let equal_new = |op: &DiffOp| match *op {
        DiffOp::Equal { new_index, len, .. } => Some((new_index, new_index + len)),
        _ => None,
    };
    let lo = ops.iter().find_map(equal_new).map_or(0, |(a, _)| a);
    let hi = ops
        .iter()
        .rev()
        .find_map(equal_new)
        .map_or(found.len(), |(_, b)| b);
    // Keep what replaces sought words next to the edges ("El Salvador" -> "we").
    let lo = match ops.first() {
        Some(DiffOp::Replace { new_index, .. }) => (*new_index).min(lo),
        _ => lo,
    };
    let hi = match ops.last() {
        Some(DiffOp::Replace {
            new_index, new_len, ..
        }) => (new_index + new_len).max(hi),
        _ => hi,
    };
    let range = window[lo].start..window[hi.max(lo + 1) - 1].end;
    let passage = hay[range.clone()].to_string();
    let (differences, diff_html) = describe(needle, &passage);
    Some(Near {
        range,
        passage,
        differences,
        diff_html,
    })
}

/// A word compared without the punctuation around it (`rule.` equals `rule`).
fn key(word: &str) -> &str {
    word.trim_matches(|c: char| c.is_ascii_punctuation())
}

fn diff_words(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.iter().map(|w| key(w)).collect(),
        new.iter().map(|w| key(w)).collect(),
    );
    similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b)
}

/// Names the differing words and renders the word diff as HTML.
pub(crate) fn describe(sought: &str, found: &str) -> (String, String) {
    let old: Vec<&str> = words(sought).into_iter().map(|r| &sought[r]).collect();
    let new: Vec<&str> = words(found).into_iter().map(|r| &found[r]).collect();
    let mut html: Vec<String> = Vec::new();
    let mut changes: Vec<String> = Vec::new();
    let esc = |ws: &[&str]| {
        let mut out = String::new();
        let _ = escape_html(&mut out, &ws.join(" "));
        out
    };
    for op in diff_words(&old, &new) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                html.push(esc(&new[new_index..new_index + len]))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                let w = &old[old_index..old_index + old_len];
                changes.push(format!("`{}` missing", w.join(" ")));
                html.push(format!("<del>{}</del>", esc(w)));
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                let w = &new[new_index..new_index + new_len];
                changes.push(format!("`{}` added", w.join(" ")));
                html.push(format!("<ins>{}</ins>", esc(w)));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let (o, n) = (
                    &old[old_index..old_index + old_len],
                    &new[new_index..new_index + new_len],
                );
                changes.push(format!("`{}` -> `{}`", o.join(" "), n.join(" ")));
                html.push(format!("<del>{}</del> <ins>{}</ins>", esc(o), esc(n)));
            }
        }
    }
    let differences = if changes.is_empty() {
        "only punctuation differs".to_string()
    } else {
        changes.join(", ")
    };
    let mut out = String::new();
    let _ = write!(out, "{}", html.join(" "));
    (differences, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_altered_sentence() {
        let copy = "Surely, a larger pool should reinforce the claim. Until then, we will continue prioritizing the human rights of the millions of Salvadorans.";
        let quote = "Until then, El Salvador will continue prioritizing the human rights";
        let near = nearest(copy, quote).unwrap_or_else(|| panic!("no near passage"));
        assert_eq!(
            near.passage,
            "Until then, we will continue prioritizing the human rights"
        );
        assert_eq!(near.differences, "`El Salvador` -> `we`");
        assert!(
            near.diff_html
                .contains("<del>El Salvador</del> <ins>we</ins>"),
            "{}",
            near.diff_html
        );
    }

    #[test]
    fn nothing_near_is_none() {
        assert_eq!(
            nearest("alpha beta gamma delta", "one two three four"),
            None
        );
    }
}
