//! Word boundaries: the words of a text as byte ranges, from Unicode word segmentation
//! (UAX #29, `unicode-segmentation`) rather than spaces.
//!
//! A word is a run of letters and digits (with the combining marks and joiners that
//! belong to them) inside one UAX #29 word segment. UAX #29 keeps `don't`, `3.14` and
//! `l'homme` as one segment; they are split at the apostrophe or the point, as search
//! has always split them, so that a query need not know where UAX #29 joins. What UAX #29
//! adds is the boundaries spaces do not show: each Chinese ideograph and each hiragana is
//! a word, a katakana run is one word, a change from Latin to Han ends a word.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The words of `text` in order, as byte ranges of `text`. `lang` (a BCP 47 tag) is
/// taken for languages whose words UAX #29 alone does not find; none needs it yet.
///
/// A text is cut at ASCII white space first (UAX #29 has a boundary there anyway), and a
/// piece that is all ASCII is split by hand: the same words, without the Unicode tables.
pub(crate) fn words<'a>(text: &'a str, lang: &str) -> Words<'a> {
    let _ = lang;
    Words {
        text,
        at: 0,
        chunk: None,
        segment: None,
    }
}

/// The iterator of [`words`].
#[derive(Debug, Clone)]
pub(crate) struct Words<'a> {
    text: &'a str,
    /// Where the next piece between ASCII white space starts.
    at: usize,
    /// The UAX #29 segments of the current non-ASCII piece, and where the piece starts.
    chunk: Option<(usize, UWordBoundIndices<'a>)>,
    /// The current segment (or ASCII piece): where it starts, its text, and how far its
    /// words have been read.
    segment: Option<(usize, &'a str, usize)>,
}

/// Whether `c` is of a script written without spaces between words, whose characters
/// (Han ideographs and kana) are words on their own, or may be. Korean spaces its words.
pub(super) fn is_unspaced(c: char) -> bool {
    matches!(
        c,
        '\u{2E80}'..='\u{2FDF}'
            | '\u{3005}'..='\u{3007}'
            | '\u{3021}'..='\u{3029}'
            | '\u{3040}'..='\u{30FF}'
            | '\u{31F0}'..='\u{31FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF66}'..='\u{FF9F}'
            | '\u{20000}'..='\u{3FFFF}'
    )
}

/// A character that is part of a word: a letter or digit, or a mark or joiner after one.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

/// The first word of `segment` at or after byte `from`: a run of word characters that
/// starts with a letter or digit.
fn next_run(segment: &str, from: usize) -> Option<Range<usize>> {
    let rest = segment.get(from..)?;
    let bytes = rest.as_bytes();
    let start = if rest.is_ascii() {
        from + bytes.iter().position(u8::is_ascii_alphanumeric)?
    } else {
        from + rest.char_indices().find(|(_, c)| c.is_alphanumeric())?.0
    };
    let tail = &segment[start..];
    let len = if tail.is_ascii() {
        tail.bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(tail.len())
    } else {
        tail.char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(tail.len(), |(i, _)| i)
    };
    Some(start..start + len)
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        loop {
            if let Some((offset, segment, from)) = &mut self.segment {
                if let Some(r) = next_run(segment, *from) {
                    *from = r.end;
                    return Some(*offset + r.start..*offset + r.end);
                }
                self.segment = None;
            }
            if let Some((offset, segments)) = &mut self.chunk {
                match segments.next() {
                    Some((i, s)) => self.segment = Some((*offset + i, s, 0)),
                    None => self.chunk = None,
                }
                continue;
            }
            let bytes = self.text.as_bytes();
            let start = self.at
                + bytes
                    .get(self.at..)?
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())?;
            let end = bytes[start..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(bytes.len(), |i| start + i);
            self.at = end;
            // Both ends are ASCII bytes or the text's ends: character boundaries.
            let piece = &self.text[start..end];
            if piece.is_ascii() {
                self.segment = Some((start, piece, 0));
            } else {
                self.chunk = Some((start, piece.split_word_bound_indices()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn split<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
        words(text, lang).map(|r| &text[r]).collect()
    }

    /// The words by UAX #29 alone, for comparing with the pieces the iterator cuts.
    fn by_segments(text: &str) -> Vec<&str> {
        text.split_word_bound_indices()
            .flat_map(|(i, s)| {
                let mut out = Vec::new();
                let mut from = 0;
                while let Some(r) = next_run(s, from) {
                    from = r.end;
                    out.push(&text[i + r.start..i + r.end]);
                }
                out
            })
            .collect()
    }

    #[test]
    fn english_words_are_runs_of_letters_and_digits() {
        assert_eq!(
            split("We will continue, in 2025 (don't we?) -- U.S. e-mail", "en"),
            [
                "We", "will", "continue", "in", "2025", "don", "t", "we", "U", "S", "e", "mail"
            ]
        );
        assert_eq!(split("  ", "en"), Vec::<&str>::new());
        assert_eq!(split("", "en"), Vec::<&str>::new());
    }

    #[test]
    fn spanish_words_keep_their_accents_and_marks() {
        assert_eq!(
            split("¿Qué dijo el Sr. Núñez? «¡Pingüino!»", "es"),
            ["Qué", "dijo", "el", "Sr", "Núñez", "Pingüino"]
        );
        // A decomposed accent stays with its letter.
        assert_eq!(split("Jose\u{301} vino", "es"), ["Jose\u{301}", "vino"]);
    }

    #[test]
    fn arabic_words_keep_their_diacritics_and_joiners() {
        assert_eq!(
            split("قالَ الرئيسُ: سنواصل، حتى النهاية؟", "ar"),
            ["قالَ", "الرئيسُ", "سنواصل", "حتى", "النهاية"]
        );
        // Tatweel (a letter of its own, Lm) stays inside the word.
        assert_eq!(split("مـــرحبا", "ar"), ["مـــرحبا"]);
    }

    #[test]
    fn chinese_gives_a_word_per_ideograph() {
        assert_eq!(
            split("我们将继续努力。2025年", "zh"),
            ["我", "们", "将", "继", "续", "努", "力", "2025", "年"]
        );
        assert_eq!(split("用iPhone拍", "zh-Hant"), ["用", "iPhone", "拍"]);
    }

    #[test]
    fn japanese_gives_a_word_per_kanji_and_kana_a_katakana_run_as_one() {
        assert_eq!(
            split("東京でテレビを見た。", "ja"),
            ["東", "京", "で", "テレビ", "を", "見", "た"]
        );
        // Full-width Latin and digits are words too.
        assert_eq!(
            split("ＮＨＫ　２０２５年", "ja"),
            ["ＮＨＫ", "２０２５", "年"]
        );
    }

    proptest! {
        /// Cutting at ASCII white space and splitting ASCII by hand finds the words that
        /// UAX #29 finds in the whole text.
        #[test]
        fn pieces_find_the_words_of_the_whole_text(
            text in "[a-zA-Z09 \t\n.,'’\\-é\u{301}\u{200d}我テを،ـ؟]{0,40}"
        ) {
            prop_assert_eq!(split(&text, "en"), by_segments(&text));
        }
    }
}
