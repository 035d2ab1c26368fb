//! Text folding for matching quotes and passages: what the match ignores.
//!
//! Folding collapses white space (line breaks and non-breaking spaces included), maps
//! every quotation mark and apostrophe to `'` and every dash to `-`, spells `…` as `...`,
//! drops zero-width characters, and composes to Unicode NFC. Case and words still count.
//! Each folded byte remembers the source range it came from, so a match in folded text
//! maps back to the original.

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Folded text with a map back to the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded text.
    pub(crate) text: String,
    /// Where the stretches of `text` came from, in order; the first starts at 0.
    pieces: Vec<Piece>,
    /// Every start (overlapping ones too, ascending) of each needle given to
    /// [`Folded::expect`], found in one pass over the text.
    expected: HashMap<String, Vec<usize>>,
}

/// Below this many needles, searching the text once per needle is cheaper than building
/// an automaton for them all.
const MANY_NEEDLES: usize = 16;

/// A stretch of folded text, from byte `at` to the next piece: either byte for byte the
/// source from byte `from` on (`to` is `None`: plain text, a space, an ASCII quote), or
/// every byte of it stands for the one source range `from..to` (`’` as `'`, `…` as
/// `...`, a run of white space as one space, a composed cluster).
///
/// Most text is plain, so an article folds to a few pieces instead of a map entry per byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    at: u32,
    from: u32,
    to: Option<u32>,
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '′'
            | '″'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '`'
            | '´'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// An ASCII byte that folds to itself: not white space, a quotation mark or a dash.
fn is_plain(b: u8) -> bool {
    b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ' | b'\'' | b'"' | b'`' | b'-')
}

/// The end of the run of bytes from `i` that fold to themselves: plain bytes, and single
/// spaces between them (a lone space folds to itself).
fn plain_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        if is_plain(b) {
            i += 1;
        } else if b == b' ' && bytes.get(i + 1).is_some_and(|&c| is_plain(c)) {
            i += 2;
        } else {
            break;
        }
    }
    i
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

impl Folded {
    /// Folds `source`.
    pub(crate) fn new(source: &str) -> Folded {
        let mut f = Folded {
            text: String::with_capacity(source.len()),
            pieces: Vec::new(),
            expected: HashMap::new(),
        };
        let bytes = source.as_bytes();
        let mut pending_space: Option<(u32, u32)> = None;
        let mut cluster = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // ASCII that no combining mark follows: no Unicode work.
            if b.is_ascii() && bytes.get(i + 1).is_none_or(u8::is_ascii) {
                let at = (i as u32, i as u32 + 1);
                if matches!(b, b'\t'..=b'\r' | b' ') {
                    if !f.text.is_empty() && pending_space.is_none() {
                        pending_space = Some(at);
                    }
                    i += 1;
                    continue;
                }
                if let Some(space) = pending_space.take() {
                    f.push(' ', space);
                }
                match b {
                    b'\'' | b'"' | b'`' => f.push('\'', at),
                    b'-' => f.push_dash(at),
                    _ => {
                        // Copy the run of plain bytes, leaving its last character to the
                        // loop when a non-ASCII byte (maybe a combining mark) follows.
                        let mut end = plain_run_end(bytes, i + 1);
                        if bytes.get(end).is_some_and(|c| !c.is_ascii()) {
                            end -= 1;
                        }
                        f.copy(&source[i..end], i);
                        i = end;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            let Some(c) = source[i..].chars().next() else {
                break;
            };
            let mut end = i + c.len_utf8();
            if c.is_whitespace() {
                if !f.text.is_empty() && pending_space.is_none() {
                    pending_space = Some((i as u32, end as u32));
                }
                i = end;
                continue;
            }
            if is_invisible(c) {
                i = end;
                continue;
            }
            if let Some(space) = pending_space.take() {
                f.push(' ', space);
            }
            let range = |end: usize| (i as u32, end as u32);
            let next_is_mark = source[end..]
                .chars()
                .next()
                .is_some_and(|d| !d.is_ascii() && canonical_combining_class(d) != 0);
            if is_quote(c) {
                f.push('\'', range(end));
            } else if is_dash(c) {
                f.push_dash(range(end));
            } else if c == '…' {
                "...".chars().for_each(|d| f.push(d, range(end)));
            } else if c.is_ascii() && !next_is_mark {
                f.push(c, range(end));
            } else {
                // A character with the combining marks after it, composed as one cluster.
                cluster.clear();
                cluster.push(c);
                for d in source[end..].chars() {
                    if canonical_combining_class(d) == 0 {
                        break;
                    }
                    cluster.push(d);
                    end += d.len_utf8();
                }
                for d in cluster.nfc() {
                    f.push(d, range(end));
                }
            }
            i = end;
        }
        f
    }

    /// Appends `text`, a copy of the source from byte `from`.
    fn copy(&mut self, text: &str, from: usize) {
        let at = self.text.len() as u32;
        let from = from as u32;
        let continues = self
            .pieces
            .last()
            .is_some_and(|p| p.to.is_none() && p.from + (at - p.at) == from);
        if !continues {
            self.pieces.push(Piece { at, from, to: None });
        }
        self.text.push_str(text);
    }

    /// Appends `c`, folded from the source range `from`.
    fn push(&mut self, c: char, from: (u32, u32)) {
        if c.is_ascii() && from.1 == from.0 + 1 {
            return self.copy(c.encode_utf8(&mut [0; 4]), from.0 as usize);
        }
        let piece = Piece {
            at: self.text.len() as u32,
            from: from.0,
            to: Some(from.1),
        };
        // `...` for `…` and the characters of a cluster share one piece.
        if self
            .pieces
            .last()
            .is_none_or(|p| (p.from, p.to) != (piece.from, piece.to))
        {
            self.pieces.push(piece);
        }
        self.text.push(c);
    }

    /// Appends a dash: `--`, `---`, `–` and `—` are all one dash.
    fn push_dash(&mut self, from: (u32, u32)) {
        let last = self.text.len().wrapping_sub(1);
        let joins = self.text.ends_with('-')
            && self
                .source_of(last)
                .is_some_and(|r| r.end >= from.0 as usize);
        if !joins {
            return self.push('-', from);
        }
        // The previous dash now stands for both.
        let start = self.source_of(last).map_or(from.0, |r| r.start as u32);
        let piece = Piece {
            at: last as u32,
            from: start,
            to: Some(from.1),
        };
        match self.pieces.last_mut() {
            Some(p) if p.at == piece.at => *p = piece,
            _ => self.pieces.push(piece),
        }
    }

    /// The source range of folded byte `k`.
    fn source_of(&self, k: usize) -> Option<Range<usize>> {
        if k >= self.text.len() {
            return None;
        }
        let p = self.pieces[self.pieces.partition_point(|p| p.at as usize <= k) - 1];
        Some(match p.to {
            None => {
                let s = p.from as usize + (k - p.at as usize);
                s..s + 1
            }
            Some(to) => p.from as usize..to as usize,
        })
    }

    /// The source byte range of the folded range `r` (non-empty).
    pub(crate) fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.source_of(r.start).map_or(0, |s| s.start);
        let end = self
            .source_of(r.end.saturating_sub(1))
            .map_or(start, |s| s.end);
        start..end.max(start)
    }

    /// Finds every occurrence of each of `needles` (already folded) in one pass, for the
    /// later [`Folded::find_all`] and [`Folded::find_from`] of them. Searching once per
    /// needle costs needles times text: quadratic when an article's annotations grow with
    /// its text. A few needles are left to that search, which is then cheaper.
    pub(crate) fn expect(&mut self, needles: impl IntoIterator<Item = String>) {
        let mut distinct: Vec<String> = needles.into_iter().filter(|n| !n.is_empty()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < MANY_NEEDLES {
            return;
        }
        let Ok(automaton) = aho_corasick::AhoCorasick::new(&distinct) else {
            // Too many needles for the automaton's state ids: search one by one.
            return;
        };
        let mut starts = vec![Vec::new(); distinct.len()];
        for m in automaton.find_overlapping_iter(&self.text) {
            starts[m.pattern().as_usize()].push(m.start());
        }
        self.expected = distinct.into_iter().zip(starts).collect();
    }

    /// Every non-overlapping occurrence of `needle` (already folded), in order.
    pub(crate) fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        if needle.is_empty() {
            return Vec::new();
        }
        if let Some(starts) = self.expected.get(needle) {
            // Leftmost first, each after the previous one's end, as a search would.
            let mut next = 0;
            return starts
                .iter()
                .filter(|&&s| {
                    let keep = s >= next;
                    if keep {
                        next = s + needle.len();
                    }
                    keep
                })
                .map(|&s| s..s + needle.len())
                .collect();
        }
        // memchr's searcher is SIMD; `str::match_indices` was a tenth of the link stage.
        memchr::memmem::find_iter(self.text.as_bytes(), needle.as_bytes())
            .map(|i| i..i + needle.len())
            .collect()
    }

    /// The first occurrence of `needle` at or after byte `from`.
    pub(crate) fn find_from(&self, needle: &str, from: usize) -> Option<Range<usize>> {
        let rest = self.text.get(from..)?;
        if let Some(starts) = self.expected.get(needle) {
            let s = *starts.get(starts.partition_point(|&s| s < from))?;
            return Some(s..s + needle.len());
        }
        memchr::memmem::find(rest.as_bytes(), needle.as_bytes())
            .map(|i| from + i..from + i + needle.len())
    }
}

/// The fragments of a quote: its folded text split at `...` (written `…` or `...`), each
/// trimmed; empty fragments dropped.
pub(crate) fn fragments(quote: &str) -> Vec<String> {
    Folded::new(quote)
        .text
        .split("...")
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect()
}

/// The words of a quote as matching sees them, for telling whether two quotes of one
/// speaker are the same: its [`fragments`] (folded, `…` splitting), each without the
/// punctuation and quotation marks at its ends (a quote ending "everyone" and one ending
/// "everyone." say the same words), joined by ` ... `.
pub(crate) fn quote_key(quote: &str) -> String {
    let end = |c: char| !c.is_alphanumeric();
    fragments(quote)
        .iter()
        .map(|f| f.trim_matches(end))
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join(" ... ")
}

/// The fragments of a quote (as [`fragments`] gives them) without the sentence
/// punctuation at their ends (`.` `,` `;`, and the quotation marks around it), if they
/// had any. That punctuation is the writer's, not the speaker's: a quote ending in `.`
/// should still match a body that goes on with `,” she said`.
pub(crate) fn without_end_punctuation(fragments: &[String]) -> Option<Vec<String>> {
    let is_end = |c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | '\'' | '"');
    let mut out = fragments.to_vec();
    if let Some(first) = out.first_mut() {
        *first = first
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
            .to_string();
    }
    if let Some(last) = out.last_mut() {
        *last = last.trim_end_matches(is_end).to_string();
    }
    out.retain(|f| !f.is_empty());
    (out != fragments && !out.is_empty()).then_some(out)
}

/// True when `passage` occurs in `text` under the matching rules of DESIGN.md §3
/// (white space, quote and dash forms folded): a fact-check's passage within a quote.
pub(crate) fn contains(text: &str, passage: &str) -> bool {
    let needle = Folded::new(passage).text;
    !needle.is_empty() && Folded::new(text).find_from(&needle, 0).is_some()
}

#[cfg(test)]
mod tests;
