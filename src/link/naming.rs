//! Finds the sentence of an article's visible text that names a person, for their page.

use std::ops::Range;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};

use super::Entity;
use super::fold::Folded;

/// Longest sentence kept, in characters; a longer one is cut around the name.
const MAX_CHARS: usize = 300;

/// Longest sentence, in characters, taken for the attribution of the quote before it.
const ATTRIBUTION_CHARS: usize = 40;

/// Words whose `.` ends no sentence (`Mr. Doe`), compared case-insensitively.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "rev",
    "st", "jr", "sr", "hon", "pres", "vs",
];

/// Last words of a name that are not a surname (`Martin Luther King Jr.`).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// What a person may be called in a text, in the order searched: the display name, the
/// profile's aliases, then the surname (the last word, if it has 3 characters or more).
pub(crate) fn names_of(person: &Entity) -> Vec<&str> {
    let mut names = vec![person.name.as_str()];
    if let Some(p) = &person.profile {
        names.extend(p.aliases.iter().map(String::as_str));
    }
    if let Some(s) = surname(&person.name)
        && s != person.name.trim()
    {
        names.push(s);
    }
    names
}

/// The last word of `name` that is not a suffix such as `Jr.`, if it has 3+ characters.
fn surname(name: &str) -> Option<&str> {
    let mut words = name
        .split_whitespace()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let mut last = words.next()?;
    if SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(last)) {
        last = words.next()?;
    }
    (last.chars().count() >= 3).then_some(last)
}

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
}

impl<'a> Sentences<'a> {
    /// `text` with its folding and its block boundaries (offsets in `text`, ascending).
    pub(crate) fn new(text: &'a str, folded: &'a Folded, breaks: &'a [usize]) -> Self {
        Sentences {
            text,
            folded,
            key: Key::new(&folded.text),
            breaks,
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
    /// `Bukelestan`.
    fn whole_word(&self, r: &Range<usize>) -> bool {
        let key = &self.key.text;
        let before = key[..r.start].chars().next_back();
        let after = key[r.end..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
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
        for e in sentence_ends(block) {
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

/// Offsets in `block` just past each sentence end: `.`, `?` or `!` and any closing quotes
/// or brackets, before white space. A `.` after a single letter (`Jane Q. Doe`, `U.S.`),
/// after another `.` (`...`) or after a title (`Mr.`) ends nothing.
fn sentence_ends(block: &str) -> impl Iterator<Item = usize> + '_ {
    block.char_indices().filter_map(move |(i, c)| {
        if !matches!(c, '.' | '?' | '!') {
            return None;
        }
        let rest = &block[i + 1..];
        let closed = rest.trim_start_matches(['"', '\'', '”', '’', '»', ')', ']']);
        let end = block.len() - closed.len();
        if !closed.starts_with(char::is_whitespace) {
            return None;
        }
        (c != '.' || is_full_stop(&block[..i])).then_some(end)
    })
}

/// Whether a `.` after `before` ends a sentence.
fn is_full_stop(before: &str) -> bool {
    if before.ends_with('.') {
        return false;
    }
    let word = &before[before.trim_end_matches(char::is_alphabetic).len()..];
    match word.chars().count() {
        0 => true,
        1 => false,
        _ => !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)),
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
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The naming sentence of `names` in blocks of visible text joined as a `TextModel`
    /// joins them, with the name in brackets.
    fn naming(blocks: &[&str], names: &[&str]) -> Option<String> {
        let (text, breaks) = join(blocks);
        let folded = Folded::new(&text);
        let (s, r) = Sentences::new(&text, &folded, &breaks).naming(names)?;
        Some(format!(
            "{}[{}]{}",
            &s[..r.start],
            &s[r.clone()],
            &s[r.end..]
        ))
    }

    fn join(blocks: &[&str]) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut breaks = Vec::new();
        for b in blocks {
            breaks.push(text.len());
            text.push_str(b);
            breaks.push(text.len());
            text.push(' ');
        }
        (text, breaks)
    }

    const BUKELE: &[&str] = &["Nayib Bukele", "Bukele"];

    #[test]
    fn the_full_name_is_found_in_its_sentence() {
        assert_eq!(
            naming(
                &["It began online. Nayib Bukele replied on Tuesday. Clinton did not."],
                BUKELE
            )
            .as_deref(),
            Some("[Nayib Bukele] replied on Tuesday.")
        );
    }

    #[test]
    fn the_full_name_is_preferred_to_an_earlier_surname() {
        assert_eq!(
            naming(&["Bukele spoke. Later, Nayib Bukele wrote."], BUKELE).as_deref(),
            Some("Later, [Nayib Bukele] wrote.")
        );
    }

    #[test]
    fn the_surname_alone_is_found() {
        assert_eq!(
            naming(&["The offer stands. Bukele said it twice!"], BUKELE).as_deref(),
            Some("[Bukele] said it twice!")
        );
        assert_eq!(surname("Nayib Bukele"), Some("Bukele"));
        assert_eq!(surname("Martin Luther King Jr."), Some("King"));
        assert_eq!(surname("Xi Li"), None, "too short to be found alone");
    }

    #[test]
    fn case_and_accents_do_not_count() {
        let names = &["Juan José Ramos Ramos", "Ramos"];
        assert_eq!(
            naming(&["Lawyers for JUAN JOSE RAMOS RAMOS spoke."], names).as_deref(),
            Some("Lawyers for [JUAN JOSE RAMOS RAMOS] spoke.")
        );
        // Decomposed accents in the text, a plain name.
        assert_eq!(
            naming(&["We met Jose\u{301} today."], &["jose"]).as_deref(),
            Some("We met [Jose\u{301}] today.")
        );
        assert_eq!(
            naming(&["Él dijo que Núñez vino."], &["Nunez"]).as_deref(),
            Some("Él dijo que [Núñez] vino.")
        );
    }

    #[test]
    fn only_whole_words_name_someone() {
        assert_eq!(naming(&["Bukelestan is not a country."], BUKELE), None);
        assert_eq!(
            naming(&["In Bukelestan. Then Bukele's reply came."], BUKELE).as_deref(),
            Some("Then [Bukele]'s reply came.")
        );
    }

    #[test]
    fn sentences_end_at_sentence_ends_and_at_blocks() {
        assert_eq!(
            naming(
                &["First one? Yes, Bukele \u{201c}said\u{201d} so.\u{201d} Next."],
                BUKELE
            )
            .as_deref(),
            Some("Yes, [Bukele] \u{201c}said\u{201d} so.\u{201d}")
        );
        // A heading and the next paragraph, neither with a full stop.
        assert_eq!(
            naming(
                &["Reaction", "Bukele replied on X", "Clinton did not"],
                BUKELE
            )
            .as_deref(),
            Some("[Bukele] replied on X")
        );
        // A name split across two blocks is not a name.
        assert_eq!(naming(&["Nayib", "Bukele!"], &["Nayib Bukele"]), None);
    }

    #[test]
    fn a_short_attribution_keeps_the_quote_before_it() {
        assert_eq!(
            naming(
                &["Talks failed. \u{201c}We will not pay.\u{201d} Bukele said. Then he left."],
                BUKELE
            )
            .as_deref(),
            Some("\u{201c}We will not pay.\u{201d} [Bukele] said.")
        );
        // A quote of several sentences is taken whole.
        assert_eq!(
            naming(&["Then: \"One. Two.\" Bukele said."], BUKELE).as_deref(),
            Some("\"One. Two.\" [Bukele] said.")
        );
        // A longer sentence after a quote stands alone.
        assert_eq!(
            naming(
                &["\u{201c}No.\u{201d} Bukele then wrote a long reply on X to her post."],
                BUKELE
            )
            .as_deref(),
            Some("[Bukele] then wrote a long reply on X to her post.")
        );
    }

    #[test]
    fn initials_and_titles_do_not_end_a_sentence() {
        assert_eq!(
            naming(
                &["Intro. Then Jane Q. Doe met Mr. Smith in the U.S. on Monday. Done."],
                &["Smith"]
            )
            .as_deref(),
            Some("Then Jane Q. Doe met Mr. [Smith] in the U.S. on Monday.")
        );
        assert_eq!(
            naming(&["He left. Jane Q. Doe stayed."], &["Doe"]).as_deref(),
            Some("Jane Q. [Doe] stayed.")
        );
    }

    #[test]
    fn white_space_is_tidied() {
        assert_eq!(
            naming(&["  Nayib\u{a0}  Bukele \n said  it.  "], BUKELE).as_deref(),
            Some("[Nayib Bukele] said it.")
        );
    }

    #[test]
    fn a_long_sentence_is_cut_around_the_name() {
        let before = "word ".repeat(100);
        let after = " more".repeat(100);
        let text = format!("{before}then Bukele, spoke{after}.");
        let got = naming(&[&text], BUKELE).unwrap_or_default();
        assert!(got.starts_with("…word "), "{got}");
        assert!(got.ends_with(" more…"), "{got}");
        assert!(got.contains("then [Bukele], spoke"), "{got}");
        assert!(
            got.chars().count() <= MAX_CHARS + 4,
            "{}",
            got.chars().count()
        );
        // Short after the name: the room goes before it.
        let text = format!("{before}said Bukele.");
        let got = naming(&[&text], BUKELE).unwrap_or_default();
        assert!(
            got.starts_with('…') && got.ends_with("said [Bukele]."),
            "{got}"
        );
        assert!(
            got.chars().count() > MAX_CHARS - 10,
            "{}",
            got.chars().count()
        );
    }

    #[test]
    fn no_mention_is_none() {
        assert_eq!(naming(&["Nobody is named here."], BUKELE), None);
        assert_eq!(naming(&[""], &["", " "]), None);
    }

    proptest! {
        /// The name range is a non-empty range of char boundaries in the sentence and
        /// its text is one of the names, for any text and block boundaries.
        #[test]
        fn the_name_is_in_the_sentence(
            blocks in proptest::collection::vec("[a-cé A-CÉ.?!\u{301}\u{a0}\u{201d}\"Q\n]{0,40}", 1..5),
            names in proptest::collection::vec("[a-cé A-CÉ.\u{301}]{0,6}", 1..4),
        ) {
            let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let (text, breaks) = join(&blocks);
            let folded = Folded::new(&text);
            if let Some((s, r)) = Sentences::new(&text, &folded, &breaks).naming(&names) {
                prop_assert!(r.start < r.end && r.end <= s.len(), "{r:?} in {s:?}");
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                prop_assert!(s.chars().count() <= MAX_CHARS + 2);
                let key = |t: &str| Key::new(&Folded::new(t).text).text.trim().to_string();
                prop_assert!(names.iter().any(|n| key(n) == key(&s[r.clone()])), "{:?}", &s[r]);
            }
        }
    }
}
