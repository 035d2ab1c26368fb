//! The passage of a text nearest to one that was not found, and how the two differ word
//! by word: for "did you mean" hints and for quotes that differ from an archived copy.
//! Texts are folded ([`super::Folded`]): white space is single spaces.
//!
//! Words here keep their punctuation (`rule.` is one word, compared as `rule`), so a
//! passage is cut and quoted as written: they are the pieces between spaces, except that
//! each ideograph or kana (UAX #29's words of Chinese and Japanese) is a word of its own.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::ops::Range;

use similar::DiffOp;
use unicode_segmentation::UnicodeSegmentation;

use super::words::is_unspaced;

/// A near passage and how it differs from what was looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Near {
    /// Byte range of the passage in the searched text.
    pub(crate) range: Range<usize>,
    /// The passage.
    pub(crate) passage: String,
    /// The sought words against the passage's, in order ([`compare`]).
    pub(crate) edits: Vec<Edit>,
}

/// A step from the sought words to the found ones. Each holds words as written, spaces
/// between them as the text has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Words both have (punctuation aside): the found ones.
    Same(String),
    /// Sought words the passage lacks.
    Missing(String),
    /// Passage words not sought.
    Added(String),
    /// Sought words (first) where the passage has others (second).
    Replaced(String, String),
}

/// Word spans of `text` (folded): split at spaces, and each ideograph or kana apart.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in text.split(' ') {
        let range = at..at + piece.len();
        at = range.end + 1;
        if piece.is_empty() {
            continue;
        }
        if piece.is_ascii() || !piece.chars().any(is_unspaced) {
            out.push(range);
            continue;
        }
        // Cut around the segments of unspaced scripts; the rest stays together.
        let mut pending: Option<usize> = None;
        for (i, seg) in piece.split_word_bound_indices() {
            let i = range.start + i;
            if seg.chars().next().is_some_and(is_unspaced) {
                if let Some(s) = pending.take() {
                    out.push(s..i);
                }
                out.push(i..i + seg.len());
            } else if pending.is_none() {
                pending = Some(i);
            }
        }
        if let Some(s) = pending {
            out.push(s..range.end);
        }
    }
    out
}

/// Word steps the nearest-passage search of one article may take: a floor, plus this many
/// per word of its text, so that however many passages are not found the hints cost at
/// most a few dozen scans of the text.
const WORK_FLOOR: usize = 2_000_000;
const WORK_PER_WORD: usize = 64;

/// What the search for a passage near a sought one found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hint {
    /// The nearest passage.
    Near(Near),
    /// No passage shares half the sought words.
    Nothing,
    /// Not searched: the article's search work ([`WORK_FLOOR`]) was spent.
    Skipped,
}

/// The words of a text, and where each occurs, for finding the window of the text that
/// shares most words with a sought passage without scanning the whole text each time.
struct Index<'a> {
    hay: &'a str,
    words: Vec<Range<usize>>,
    /// Per word of the text, its id in `positions`.
    ids: Vec<u32>,
    vocab: HashMap<&'a str, u32>,
    /// Per distinct word, the indexes in `words` where it occurs, ascending.
    positions: Vec<Vec<u32>>,
}

impl<'a> Index<'a> {
    fn new(hay: &'a str) -> Index<'a> {
        let words = words(hay);
        let mut vocab: HashMap<&'a str, u32> = HashMap::new();
        let mut positions: Vec<Vec<u32>> = Vec::new();
        let ids = words
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let id = *vocab.entry(&hay[r.clone()]).or_insert_with(|| {
                    positions.push(Vec::new());
                    (positions.len() - 1) as u32
                });
                positions[id as usize].push(i as u32);
                id
            })
            .collect();
        Index {
            hay,
            words,
            ids,
            vocab,
            positions,
        }
    }

    /// The first word of the first `want.len()`-word window sharing most words with
    /// `want` (counted with multiplicity), if it shares at least half of them; `Err` when
    /// that would take more than `budget` word steps (which are then not spent).
    ///
    /// A window that shares half the words must hold one of the sought words that, taken
    /// rarest first, leave too few common ones to make half alone: only windows around
    /// those few occurrences are scored, each slid over once.
    fn best_start(&self, want: &[&str], budget: &Cell<usize>) -> Result<Option<usize>, ()> {
        let (k, n) = (want.len(), self.ids.len());
        if k == 0 || n == 0 {
            return Ok(None);
        }
        // Per distinct sought word that the text has: its id and how often it is sought.
        let mut slot_of: HashMap<u32, usize> = HashMap::new();
        let mut need: Vec<(u32, i32)> = Vec::new();
        for w in want {
            if let Some(&id) = self.vocab.get(w) {
                let slot = *slot_of.entry(id).or_insert_with(|| {
                    need.push((id, 0));
                    need.len() - 1
                });
                need[slot].1 += 1;
            }
        }
        let half = k.div_ceil(2);
        let mut by_rarity: Vec<(usize, u32, i32)> = need
            .iter()
            .map(|&(id, c)| (self.positions[id as usize].len(), id, c))
            .collect();
        by_rarity.sort_unstable();
        let mut common: usize = need.iter().map(|&(_, c)| c as usize).sum();
        let mut rare: Vec<u32> = Vec::new();
        for &(_, id, c) in &by_rarity {
            if common < half {
                break;
            }
            rare.push(id);
            common -= c as usize;
        }
        let occurrences: usize = rare
            .iter()
            .map(|&id| self.positions[id as usize].len())
            .sum();
        if occurrences > budget.get() {
            return Err(());
        }
        // Window starts within reach of a rare word, merged into ascending intervals.
        let last_start = n.saturating_sub(k);
        let mut spans: Vec<(usize, usize)> = rare
            .iter()
            .flat_map(|&id| &self.positions[id as usize])
            .map(|&p| {
                let p = p as usize;
                ((p + 1).saturating_sub(k).min(last_start), p.min(last_start))
            })
            .collect();
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let cost = occurrences + merged.iter().map(|&(a, b)| b - a + 1 + k).sum::<usize>();
        if cost > budget.get() {
            return Err(());
        }
        budget.set(budget.get() - cost);
        let mut have = vec![0i32; need.len()];
        let mut score = 0i32;
        let mut step = |i: usize, add: bool, score: &mut i32| {
            if let Some(&slot) = slot_of.get(&self.ids[i]) {
                let c = &mut have[slot];
                if add {
                    *c += 1;
                    if *c <= need[slot].1 {
                        *score += 1;
                    }
                } else {
                    if *c <= need[slot].1 {
                        *score -= 1;
                    }
                    *c -= 1;
                }
            }
        };
        let mut best = (0i32, 0usize);
        for (a, b) in merged {
            for i in a..(a + k).min(n) {
                step(i, true, &mut score);
            }
            for s in a..=b {
                if s > a {
                    step(s - 1, false, &mut score);
                    if s - 1 + k < n {
                        step(s - 1 + k, true, &mut score);
                    }
                }
                if score > best.0 {
                    best = (score, s);
                }
            }
            for i in b..(b + k).min(n) {
                step(i, false, &mut score);
            }
        }
        Ok(((best.0 as usize) * 2 >= k).then_some(best.1))
    }

    /// The nearest passage to `needle` (folded), or why there is none.
    fn nearest(&self, needle: &str, budget: &Cell<usize>) -> Hint {
        let want: Vec<&str> = words(needle).into_iter().map(|r| &needle[r]).collect();
        match self.best_start(&want, budget) {
            Err(()) => Hint::Skipped,
            Ok(None) => Hint::Nothing,
            Ok(Some(start)) => Hint::Near(near_at(self.hay, &self.words, &want, needle, start)),
        }
    }
}

/// The nearest-passage search over one text, for many sought passages: the text is
/// indexed on the first search, and all the searches share one budget of work.
pub(crate) struct Nearby<'a> {
    hay: &'a str,
    index: OnceCell<Index<'a>>,
    budget: Cell<usize>,
}

impl<'a> Nearby<'a> {
    /// A search over `hay` (folded); nothing is done until the first [`Nearby::nearest`].
    pub(crate) fn new(hay: &'a str) -> Nearby<'a> {
        Nearby {
            hay,
            index: OnceCell::new(),
            budget: Cell::new(0),
        }
    }

    /// The passage sharing most words with `needle` (folded), as [`nearest`] finds it,
    /// unless the work of this text's searches ran out.
    pub(crate) fn nearest(&self, needle: &str) -> Hint {
        let index = self.index.get_or_init(|| {
            let index = Index::new(self.hay);
            self.budget
                .set(WORK_FLOOR.saturating_add(WORK_PER_WORD.saturating_mul(index.words.len())));
            index
        });
        index.nearest(needle, &self.budget)
    }
}

/// The passage of `hay` (folded) sharing most words with `needle` (folded), if it shares
/// at least half of them: the first of the windows as long as `needle` that share most.
pub(crate) fn nearest(hay: &str, needle: &str) -> Option<Near> {
    match Index::new(hay).nearest(needle, &Cell::new(usize::MAX)) {
        Hint::Near(near) => Some(near),
        Hint::Nothing | Hint::Skipped => None,
    }
}

/// The near passage around the window of `want.len()` words from word `start`.
fn near_at(
    hay: &str,
    hay_words: &[Range<usize>],
    want: &[&str],
    needle: &str,
    start: usize,
) -> Near {
    let k = want.len();
    // Widen by two words each side, then trim words the sought text does not share.
    let first = start.saturating_sub(2);
    let last = (start + k + 2).min(hay_words.len());
    let window = &hay_words[first..last];
    let found: Vec<&str> = window.iter().map(|r| &hay[r.clone()]).collect();
    let ops = diff_words(want, &found);
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
    let edits = compare(needle, &passage);
    Near {
        range,
        passage,
        edits,
    }
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

/// The word diff from `sought` to `found` (both folded), punctuation around words
/// ignored.
pub(crate) fn compare(sought: &str, found: &str) -> Vec<Edit> {
    let old_words = words(sought);
    let new_words = words(found);
    let old: Vec<&str> = old_words.iter().map(|r| &sought[r.clone()]).collect();
    let new: Vec<&str> = new_words.iter().map(|r| &found[r.clone()]).collect();
    // The words `from..from + len` as the text has them, spaces kept.
    let span = |text: &str, spans: &[Range<usize>], from: usize, len: usize| {
        text[spans[from].start..spans[from + len - 1].end].to_string()
    };
    diff_words(&old, &new)
        .into_iter()
        .map(|op| match op {
            DiffOp::Equal { new_index, len, .. } => {
                Edit::Same(span(found, &new_words, new_index, len))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => Edit::Missing(span(sought, &old_words, old_index, old_len)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => Edit::Added(span(found, &new_words, new_index, new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => Edit::Replaced(
                span(sought, &old_words, old_index, old_len),
                span(found, &new_words, new_index, new_len),
            ),
        })
        .collect()
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
        assert_eq!(
            near.edits,
            [
                Edit::Same("Until then,".into()),
                Edit::Replaced("El Salvador".into(), "we".into()),
                Edit::Same("will continue prioritizing the human rights".into()),
            ]
        );
    }

    #[test]
    fn many_searches_share_one_index_and_stop_when_their_work_runs_out() {
        let hay = (0..1000)
            .map(|i| format!("reporter {i:05} said the council met"))
            .collect::<Vec<_>>()
            .join(" ");
        let near = Nearby::new(&hay);
        // A rare word each: only the windows around it are scored, as one search finds.
        for i in [0, 500, 999] {
            let needle = format!("reporter {i:05} told the council");
            let expected = nearest(&hay, &needle).unwrap_or_else(|| panic!("{needle}"));
            assert!(
                expected
                    .passage
                    .starts_with(&format!("reporter {i:05} said")),
                "{}",
                expected.passage
            );
            assert_eq!(near.nearest(&needle), Hint::Near(expected));
        }
        // Only common words: each search scores the whole text, until the work runs out.
        let hints: Vec<Hint> = (0..600)
            .map(|_| near.nearest("said the council sat"))
            .collect();
        assert!(matches!(hints[0], Hint::Near(_)), "{:?}", hints[0]);
        assert_eq!(hints.last(), Some(&Hint::Skipped));
        // A search that needs little work still runs: one rare word makes half of two.
        assert!(matches!(near.nearest("00123 told"), Hint::Near(_)));
        assert_eq!(near.nearest("nothing like it"), Hint::Nothing);
    }

    #[test]
    fn nothing_near_is_none() {
        assert_eq!(
            nearest("alpha beta gamma delta", "one two three four"),
            None
        );
    }

    #[test]
    fn chinese_and_japanese_passages_are_compared_by_character() {
        let near = nearest("他说我们将继续努力。然后离开了。", "我们会继续努力")
            .unwrap_or_else(|| panic!("no near passage"));
        assert_eq!(near.passage, "我们将继续努力");
        assert_eq!(
            near.edits,
            [
                Edit::Same("我们".into()),
                Edit::Replaced("会".into(), "将".into()),
                Edit::Same("继续努力".into()),
            ]
        );
        assert_eq!(
            words("東京でiPhone 2台"),
            [0..3, 3..6, 6..9, 9..15, 16..17, 17..20]
        );
    }

    #[test]
    fn words_keep_their_punctuation_and_compare_without_it() {
        assert_eq!(
            compare("the rule. it holds", "the rule, it held"),
            [
                Edit::Same("the rule, it".into()),
                Edit::Replaced("holds".into(), "held".into())
            ]
        );
        assert_eq!(
            compare("a b", "a b c"),
            [Edit::Same("a b".into()), Edit::Added("c".into())]
        );
        assert_eq!(
            compare("a b c", "a c"),
            [
                Edit::Same("a".into()),
                Edit::Missing("b".into()),
                Edit::Same("c".into())
            ]
        );
    }
}
