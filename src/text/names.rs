//! The sentence of a text that names someone: the first whole-word occurrence of one of
//! their names (case and accents aside) inside one block of the text, widened to its
//! sentence ([`super::sentence_ends`], in the text's language), a short attribution
//! widened to the quote before it, tidied and cut to a length around the name.

use std::ops::Range;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};

use super::Folded;
use super::sentence_ends;
use super::words::is_unspaced;

/// Longest sentence kept, in characters; a longer one is cut around the name.
pub(crate) const MAX_CHARS: usize = 300;

/// Longest sentence, in characters, taken for the attribution of the quote before it.
const ATTRIBUTION_CHARS: usize = 40;

/// Folded text lowercased and without accents, so `José`, `JOSE` and `jose` compare equal.
struct Key {
    text: String,
    /// Per byte of `text`: the offset of the folded character it comes from. Empty for
    /// ASCII, whose bytes stay where they are.
    origin: Vec<u32>,
}

impl Key {
    fn new(folded: &str) -> Key {
        if folded.is_ascii() {
            return Key {
                text: folded.to_ascii_lowercase(),
                origin: Vec::new(),
            };
        }
        let mut text = String::with_capacity(folded.len());
        let mut origin = Vec::with_capacity(folded.len());
        for (i, c) in folded.char_indices() {
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
            } else {
                decompose_canonical(c, |d| {
                    text.extend(
                        d.to_lowercase()
                            .filter(|&l| canonical_combining_class(l) == 0),
                    );
                });
            }
            origin.resize(text.len(), i as u32);
        }
        Key { text, origin }
    }

    /// The range of the folded text that key range `r` (non-empty) comes from.
    fn folded_range(&self, r: Range<usize>, folded: &str) -> Range<usize> {
        if self.origin.is_empty() {
            return r;
        }
        let start = self.origin[r.start] as usize;
        let last = self.origin[r.end - 1] as usize;
        let end = last + folded[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }
}

/// An article's visible text, ready to be searched for names.
pub(crate) struct Sentences<'a> {
    text: &'a str,
    folded: &'a Folded,
    key: Key,
    breaks: &'a [usize],
    /// The BCP 47 tag of the text's language, for its abbreviations.
    lang: &'a str,
}

impl<'a> Sentences<'a> {
    /// `text` with its folding, its block boundaries (offsets in `text`, ascending) and
    /// its language (a BCP 47 tag).
    pub(crate) fn new(
        text: &'a str,
        folded: &'a Folded,
        breaks: &'a [usize],
        lang: &'a str,
    ) -> Self {
        Sentences {
            text,
            folded,
            key: Key::new(&folded.text),
            breaks,
            lang,
        }
    }

    /// The first sentence that names someone called `names` (tried in order: a later name
    /// counts only when no earlier one is in the text), and the byte range of the name in it.
    pub(crate) fn naming(&self, names: &[&str]) -> Option<(Box<str>, Range<usize>)> {
        let found = names.iter().find_map(|n| self.find(n))?;
        Some(self.sentence(found))
    }

    /// The range in `text` of the first whole-word occurrence of `name` inside one block.
    fn find(&self, name: &str) -> Option<Range<usize>> {
        let needle = Key::new(&Folded::new(name).text).text;
        // Trimmed after keying: a lone accent at either end keys to nothing.
        let needle = needle.trim();
        if needle.is_empty() {
            return None;
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let hay = self.key.text.as_bytes();
        let mut from = 0;
        while let Some(i) = finder.find(&hay[from..]) {
            let r = from + i..from + i + needle.len();
            from = r.start + 1;
            if !self.whole_word(&r) {
                continue;
            }
            let src = self
                .folded
                .source_range(self.key.folded_range(r, &self.folded.text));
            if !self.crosses_break(&src) {
                return Some(src);
            }
        }
        None
    }

    /// No letter or digit right before or after key range `r`: `Bukele` is not in
    /// `Bukelestan`. Where the name or its neighbour is Han or kana, which have no
    /// spaces between words, a letter beside it is another word (`习近平说`).
    fn whole_word(&self, r: &Range<usize>) -> bool {
        let key = &self.key.text;
        let joined = |outer: Option<char>, inner: Option<char>| {
            outer.is_some_and(char::is_alphanumeric)
                && !outer.is_some_and(is_unspaced)
                && !inner.is_some_and(is_unspaced)
        };
        let name = &key[r.clone()];
        !joined(key[..r.start].chars().next_back(), name.chars().next())
            && !joined(key[r.end..].chars().next(), name.chars().next_back())
    }

    fn crosses_break(&self, r: &Range<usize>) -> bool {
        let i = self.breaks.partition_point(|&b| b <= r.start);
        self.breaks.get(i).is_some_and(|&b| b < r.end)
    }

    /// The tidied sentence around `name` (a range of `text`) and the name's range in it.
    fn sentence(&self, name: Range<usize>) -> (Box<str>, Range<usize>) {
        let i = self.breaks.partition_point(|&b| b <= name.start);
        let bounds = (
            i.checked_sub(1).map_or(0, |j| self.breaks[j]),
            self.breaks
                .get(i)
                .map_or(self.text.len(), |&b| b.max(name.end)),
        );
        // Breaks come from the text model, so they are on character boundaries.
        let (block_start, block) = match self.text.get(bounds.0..bounds.1) {
            Some(block) => (bounds.0, block),
            None => (name.start, &self.text[name.clone()]),
        };
        let name = name.start - block_start..name.end - block_start;
        let (mut before, mut start, mut end) = (0, 0, block.len());
        for e in sentence_ends(block, self.lang) {
            if e <= name.start {
                (before, start) = (start, e);
            } else if e >= name.end {
                end = e;
                break;
            }
        }
        // `“We will. Now.” Bukele said.`: a short attribution takes the quote before it,
        // from its opening mark when that is in the block.
        let closing = block[..start].chars().next_back();
        let opening = match closing {
            Some('”') => Some('“'),
            Some('»') => Some('«'),
            Some('"') => Some('"'),
            _ => None,
        };
        if let (Some(c), Some(o)) = (closing, opening)
            && block[start..end].trim().chars().count() <= ATTRIBUTION_CHARS
        {
            start = block[..start - c.len_utf8()].rfind(o).unwrap_or(before);
        }
        let (text, name) = tidy(&block[start..end], name.start - start..name.end - start);
        let (text, name) = cut(&text, name);
        (text.into_boxed_str(), name)
    }
}

/// `s` with runs of white space as one space and no space at either end, and where
/// `name` (a range of `s`) is in it.
fn tidy(s: &str, name: Range<usize>) -> (String, Range<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut mapped = 0..0;
    let mut space = false;
    for (i, c) in s.char_indices() {
        if i == name.end {
            mapped.end = out.len();
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if i == name.start {
            mapped.start = out.len();
        }
        out.push(c);
    }
    if name.end >= s.len() {
        mapped.end = out.len();
    }
    mapped.end = mapped.end.max(mapped.start);
    (out, mapped)
}

/// `s` (tidied) cut to about [`MAX_CHARS`] around `name` at word boundaries, `…` where
/// it was cut, and where `name` is in the result.
fn cut(s: &str, name: Range<usize>) -> (String, Range<usize>) {
    if s.chars().count() <= MAX_CHARS {
        return (s.to_string(), name);
    }
    let before = s[..name.start].chars().count();
    let after = s[name.end..].chars().count();
    let room = MAX_CHARS.saturating_sub(s[name.clone()].chars().count());
    // Half the room on each side, and what one side cannot use to the other.
    let take_before = (room - (room / 2).min(after)).min(before);
    let take_after = (room - take_before).min(after);
    let mut start = s[..name.start]
        .char_indices()
        .nth(before - take_before)
        .map_or(name.start, |(i, _)| i);
    if start > 0 && !s[..start].ends_with(' ') {
        start = s[start..name.start]
            .find(' ')
            .map_or(name.start, |k| start + k + 1);
    }
    let mut end = s[name.end..]
        .char_indices()
        .nth(take_after)
        .map_or(s.len(), |(i, _)| name.end + i);
    if end < s.len() && !s[end..].starts_with(' ') {
        end = s[name.end..end]
            .rfind(' ')
            .map_or(name.end, |k| name.end + k);
    }
    let mut out = String::with_capacity(end - start + 6);
    if start > 0 {
        out.push('…');
    }
    let offset = out.len();
    let kept = &s[start..end];
    if end < s.len() {
        // No dangling comma or dash before the `…`, but never into the name.
        let keep = kept
            .trim_end_matches([' ', ',', ';', ':', '-', '–', '—'])
            .len()
            .max(name.end - start);
        out.push_str(&kept[..keep]);
        out.push('…');
    } else {
        out.push_str(kept);
    }
    let name = offset + name.start - start..offset + name.end - start;
    (out, name)
}

#[cfg(test)]
mod tests;
