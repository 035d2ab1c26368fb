//! Sentence boundaries: Unicode sentence segmentation (UAX #29) corrected by what it
//! cannot know, the abbreviations of the language (`Mr. Smith`, `la Sra. Díaz`) and
//! initials (`Jane Q. Doe`), after which a `.` ends no sentence.
//!
//! A sentence ends at a terminator (`.`, `?`, `!`, `。`, `！`, `？`, Arabic `؟` and `۔`,
//! Devanagari `।`) and the closing quotes or brackets after it, where UAX #29 puts a
//! boundary and white space follows. The terminators of scripts written without spaces
//! (`。`) end a sentence with nothing after them, unless they close a quotation that
//! the sentence goes on after (`「本当？」と聞いた。`). A line break alone ends none: the
//! callers' texts wrap lines inside sentences.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::Language;

/// What may close a sentence after its terminator: quotation marks and brackets.
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', '»', '›', ')', ']', '」', '』', '）', '》',
];

/// What may open the next sentence right after a terminator: UAX #29 counts it with the
/// sentence before (`行った。「本当`).
const OPENERS: &[char] = &['「', '『', '（', '《', '“', '‘', '«', '(', '['];

/// Whether `c` ends a sentence; `Some(true)` when it does so without white space after
/// it (the full stops and marks of Chinese and Japanese).
fn terminator(c: char) -> Option<bool> {
    match c {
        '.' | '?' | '!' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '۔' | '।' | '॥' => {
            Some(false)
        }
        '。' | '！' | '？' | '｡' | '．' => Some(true),
        _ => None,
    }
}

/// Offsets in `block` just past each sentence end (the terminator and its closers,
/// before the white space), in order, in the language of BCP 47 tag `lang`. The end of
/// the block is not listed: it ends a sentence anyway.
pub(crate) fn sentence_ends<'a>(block: &'a str, lang: &str) -> impl Iterator<Item = usize> + 'a {
    let language = Language::of(lang);
    block
        .split_sentence_bound_indices()
        .filter_map(move |(i, s)| {
            let next = i + s.len();
            if next >= block.len() {
                return None;
            }
            let kept = s.trim_end();
            let spaced = kept.len() < s.len();
            let unopened = kept.trim_end_matches(OPENERS);
            let opens = unopened.len() < kept.len();
            let kept = if spaced { kept } else { unopened };
            let end = i + kept.len();
            let body = kept.trim_end_matches(CLOSERS);
            let last = body.chars().next_back()?;
            let ends = match terminator(last)? {
                // `。` ends with nothing after it, but `「本当？」と聞いた` is one sentence:
                // a mark inside a quotation ends it only before white space or another
                // quotation.
                true => spaced || opens || body.len() == kept.len(),
                false if !spaced => false,
                false => last != '.' || is_full_stop(&block[..i + body.len() - 1], language),
            };
            ends.then_some(end)
        })
}

/// Whether a `.` after `before` ends a sentence: not after another `.` (`...`), a lone
/// letter (`Jane Q. Doe`, `U.S.`) or an abbreviation of the language (`Mr.`).
fn is_full_stop(before: &str, language: &Language) -> bool {
    if before.ends_with('.') {
        return false;
    }
    let word = &before[before.trim_end_matches(char::is_alphabetic).len()..];
    match word.chars().count() {
        0 => true,
        1 => false,
        _ => !language.is_abbreviation(word),
    }
}

/// The sentences of `text` as byte ranges, white space trimmed, empty ones left out:
/// `text` cut at [`sentence_ends`].
#[allow(
    dead_code,
    reason = "the engine's sentence API; only its tests call it yet"
)]
pub(crate) fn sentences(text: &str, lang: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in sentence_ends(text, lang).chain([text.len()]) {
        let s = &text[start..end];
        let lead = s.len() - s.trim_start().len();
        let r = start + lead..start + s.trim_end().len();
        if !r.is_empty() {
            out.push(r);
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
        sentences(text, lang)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn english_sentences_skip_titles_and_initials() {
        assert_eq!(
            split(
                "Intro. Then Jane Q. Doe met Mr. Smith in the U.S. on Monday. Done? Yes!",
                "en"
            ),
            [
                "Intro.",
                "Then Jane Q. Doe met Mr. Smith in the U.S. on Monday.",
                "Done?",
                "Yes!"
            ]
        );
        // Closing quotes belong to the sentence they close; `...` ends nothing.
        assert_eq!(
            split("He said “we will.” Then... he left. Dr. No", "en-GB"),
            ["He said “we will.”", "Then... he left.", "Dr. No"]
        );
        // No white space after the mark: no end (`3.5`, `a.m`, `end.Next`).
        assert_eq!(
            split("It was 3.5 m.Now it is not.", "en"),
            ["It was 3.5 m.Now it is not."]
        );
        // A line break inside a sentence is not its end.
        assert_eq!(
            split("one line\nand the next. Two", "en"),
            ["one line\nand the next.", "Two"]
        );
    }

    #[test]
    fn spanish_sentences_skip_spanish_abbreviations() {
        assert_eq!(
            split(
                "¿Vino la Sra. Díaz? Sí. El Sr. Pérez habló con el Dr. Ruiz en EE. UU. ayer. Fin.",
                "es-419"
            ),
            [
                "¿Vino la Sra. Díaz?",
                "Sí.",
                "El Sr. Pérez habló con el Dr. Ruiz en EE. UU. ayer.",
                "Fin."
            ]
        );
        // English rules do not know `Sra.`.
        assert_eq!(split("La Sra. Díaz vino.", "en").len(), 2);
    }

    #[test]
    fn arabic_sentences_end_at_arabic_marks() {
        assert_eq!(
            split("هل سيأتي الرئيس؟ نعم، سيأتي غداً. انتهى۔ ثم", "ar"),
            ["هل سيأتي الرئيس؟", "نعم، سيأتي غداً.", "انتهى۔", "ثم"]
        );
    }

    #[test]
    fn chinese_and_japanese_sentences_end_without_spaces() {
        assert_eq!(
            split("我们将继续。你呢？好！", "zh"),
            ["我们将继续。", "你呢？", "好！"]
        );
        assert_eq!(
            split("東京に行った。「本当？」と聞いた。", "ja"),
            ["東京に行った。", "「本当？」と聞いた。"]
        );
    }

    #[test]
    fn unknown_languages_still_skip_initials() {
        assert_eq!(
            split("J. K. Rowling wrote. Mr. Smith", "x-none"),
            ["J. K. Rowling wrote.", "Mr.", "Smith"]
        );
        assert_eq!(split("", "en"), Vec::<&str>::new());
        assert_eq!(split("  . ", "en"), ["."]);
    }
}
