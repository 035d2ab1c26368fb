//! Languages: BCP 47 tags as front matter writes them (`language: es`), the direction
//! of a language's script, and the plural category of a count.
//!
//! Input: tag text; output: canonical tags, `ltr`/`rtl`, CLDR plural categories. Pure
//! functions, used by `load` (validation), `link` (per-language indexes) and `render`
//! (the `lang` and `dir` of pages and elements, interface strings). Tags are parsed by
//! ICU4X's `icu_locale_core`, already in the build through the URL crates, so gloss
//! writes no tag grammar of its own.

use icu_locale_core::Locale;

/// The language of the default theme's fallback strings, and of a site without
/// `language:`.
pub const DEFAULT: &str = "en";

/// Why a tag is refused, with the tag to write when one is likely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTag {
    /// What is wrong, lower-case, no final period.
    pub problem: String,
    /// A well-formed tag the writer probably meant.
    pub suggestion: Option<String>,
}

/// The canonical form of a BCP 47 tag (`es`, `pt-BR`, `zh-Hant-TW`, `sr-Latn`), case
/// normalised as RFC 5646 recommends (`EN-us` is `en-US`); an error for text that is
/// not a well-formed tag, or whose primary subtag is not a 2- or 3-letter code (the
/// only ones in use: `english` is well-formed but names no language).
pub fn canonical(tag: &str) -> Result<String, BadTag> {
    let trimmed = tag.trim();
    let suggestion = suggest(trimmed);
    let bad = |problem: String| BadTag {
        problem,
        suggestion: suggestion.clone(),
    };
    if trimmed.contains('_') {
        return Err(bad(
            "subtags are separated by `-`, not `_` (a POSIX locale is not a BCP 47 tag)".into(),
        ));
    }
    let locale =
        Locale::try_from_str(trimmed).map_err(|e| bad(format!("not a BCP 47 tag ({e})")))?;
    let primary = locale.id.language.as_str();
    if !(2..=3).contains(&primary.len()) {
        return Err(bad(format!(
            "the language subtag `{primary}` is not a 2- or 3-letter language code"
        )));
    }
    Ok(locale.to_string())
}

/// A likely tag for a mistaken one: `en_US` -> `en-US`, a language's name in English
/// or in itself (`Spanish`, `español`) -> its code.
fn suggest(tag: &str) -> Option<String> {
    if tag.contains('_') {
        let dashed = tag.replace('_', "-");
        return Locale::try_from_str(&dashed).ok().map(|l| l.to_string());
    }
    let lower = tag.to_lowercase();
    NAMES
        .iter()
        .find(|(_, names)| names.split('|').any(|n| n == lower))
        .map(|(code, _)| code.to_string())
}

/// Language codes with their names in English and in the language, lower-case, for
/// hints when a name is written instead of a code.
const NAMES: &[(&str, &str)] = &[
    ("ar", "arabic|العربية|عربي"),
    ("de", "german|deutsch"),
    ("el", "greek|ελληνικά"),
    ("en", "english"),
    ("es", "spanish|español|espanol|castellano"),
    ("fa", "persian|farsi|فارسی"),
    ("fr", "french|français|francais"),
    ("he", "hebrew|עברית"),
    ("hi", "hindi|हिन्दी"),
    ("it", "italian|italiano"),
    ("ja", "japanese|日本語"),
    ("ko", "korean|한국어"),
    ("nl", "dutch|nederlands"),
    ("pl", "polish|polski"),
    ("pt", "portuguese|português|portugues"),
    ("ru", "russian|русский"),
    ("sv", "swedish|svenska"),
    ("tr", "turkish|türkçe"),
    ("uk", "ukrainian|українська"),
    ("ur", "urdu|اردو"),
    ("zh", "chinese|中文"),
];

/// The primary language subtag of a canonical tag: `pt` for `pt-BR`.
pub fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Scripts written right to left (ISO 15924), for tags that name their script.
const RTL_SCRIPTS: &[&str] = &[
    "Adlm", "Arab", "Aran", "Hebr", "Mand", "Mend", "Nkoo", "Rohg", "Samr", "Syrc", "Thaa", "Yezi",
];

/// Languages whose usual script is written right to left.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "khw", "ks", "ku-arab", "mzn", "nqo", "pnb", "ps",
    "sd", "syr", "ug", "ur", "yi",
];

/// True when text in `tag` runs right to left: its script subtag says so (`az-Arab`),
/// or, without one, its language is written in such a script (`ar`, `he`, `fa`, `ur`).
pub fn is_rtl(tag: &str) -> bool {
    let mut parts = tag.split('-').skip(1);
    if let Some(script) = parts.find(|p| p.len() == 4 && p.chars().all(char::is_alphabetic)) {
        return RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(script));
    }
    RTL_LANGUAGES.contains(&primary(tag).to_ascii_lowercase().as_str())
}

/// `rtl` or `ltr`, the value of a `dir` attribute for text in `tag`.
pub fn dir(tag: &str) -> &'static str {
    if is_rtl(tag) { "rtl" } else { "ltr" }
}

/// The tags to look a string up in for a page in `tag`, most specific first: the tag,
/// its primary language, then English (`es-419` -> `es-419`, `es`, `en`).
pub fn fallbacks(tag: &str) -> Vec<String> {
    let mut chain = vec![tag.to_string()];
    let mut t = tag;
    while let Some((head, _)) = t.rsplit_once('-') {
        chain.push(head.to_string());
        t = head;
    }
    if !chain.iter().any(|c| c == DEFAULT) {
        chain.push(DEFAULT.to_string());
    }
    chain
}

/// The CLDR plural category of the whole number `n` in the language of `tag`: `one`,
/// `two`, `few`, `many`, `zero` or `other`. Rules of CLDR 46 for the languages the
/// default theme ships and a few more; any other language gets the English rule (`one`
/// for 1, else `other`), which translation files can always satisfy with `other`.
pub fn plural(tag: &str, n: u64) -> &'static str {
    let m100 = n % 100;
    match primary(tag) {
        // Arabic: 0 zero, 1 one, 2 two, 3-10 few (and 103-110 ...), 11-99 many.
        "ar" => match n {
            0 => "zero",
            1 => "one",
            2 => "two",
            _ if (3..=10).contains(&m100) => "few",
            _ if (11..=99).contains(&m100) => "many",
            _ => "other",
        },
        // Spanish, Italian, Portuguese: `many` for millions (1000000 and up, whole).
        "es" | "it" | "pt" if n != 0 && n.is_multiple_of(1_000_000) => "many",
        // Portuguese (Brazil, CLDR's `pt`): `one` for 0 and 1; Portugal's is English's.
        "pt" if n <= 1 && !tag.eq_ignore_ascii_case("pt-PT") => "one",
        "es" | "it" | "pt" | "en" | "de" | "nl" | "sv" | "el" | "tr" | "hi" | "ur" | "fa"
        | "he" => {
            if n == 1 || (primary(tag) == "fa" || primary(tag) == "hi") && n == 0 {
                "one"
            } else {
                "other"
            }
        }
        "fr" => {
            if n <= 1 {
                "one"
            } else if n != 0 && n.is_multiple_of(1_000_000) {
                "many"
            } else {
                "other"
            }
        }
        "ru" | "uk" => {
            let m10 = n % 10;
            if m10 == 1 && m100 != 11 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
        "pl" => {
            let m10 = n % 10;
            if n == 1 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
        "ja" | "ko" | "zh" => "other",
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_and_put_in_canonical_case() {
        assert_eq!(canonical("es").as_deref(), Ok("es"));
        assert_eq!(canonical("EN-us").as_deref(), Ok("en-US"));
        assert_eq!(canonical("zh-hant-tw").as_deref(), Ok("zh-Hant-TW"));
        assert_eq!(canonical("es-419").as_deref(), Ok("es-419"));
        assert_eq!(canonical(" ar ").as_deref(), Ok("ar"));
        let e = canonical("en_US").expect_err("underscore");
        assert_eq!(e.suggestion.as_deref(), Some("en-US"));
        assert!(e.problem.contains("`_`"), "{e:?}");
        let e = canonical("Spanish").expect_err("a name");
        assert_eq!(e.suggestion.as_deref(), Some("es"));
        assert_eq!(
            canonical("español")
                .expect_err("a name")
                .suggestion
                .as_deref(),
            Some("es")
        );
        for bad in ["", "e", "english", "es-", "-es", "es--MX", "12", "es MX"] {
            assert!(canonical(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn right_to_left_by_language_or_script() {
        for rtl in ["ar", "ar-EG", "he", "fa", "ur", "yi", "az-Arab", "pa-Arab"] {
            assert!(is_rtl(rtl), "{rtl}");
        }
        for ltr in ["en", "es", "ar-Latn", "zh-Hant", "tr", "ku", "sr-Cyrl"] {
            assert!(!is_rtl(ltr), "{ltr}");
        }
        assert_eq!(dir("he"), "rtl");
        assert_eq!(dir("en-GB"), "ltr");
    }

    #[test]
    fn strings_fall_back_to_the_primary_language_then_english() {
        assert_eq!(fallbacks("es-419"), ["es-419", "es", "en"]);
        assert_eq!(
            fallbacks("zh-Hant-TW"),
            ["zh-Hant-TW", "zh-Hant", "zh", "en"]
        );
        assert_eq!(fallbacks("en-GB"), ["en-GB", "en"]);
        assert_eq!(fallbacks("en"), ["en"]);
    }

    #[test]
    fn plural_categories_follow_cldr() {
        assert_eq!(plural("en", 1), "one");
        assert_eq!(plural("en", 0), "other");
        assert_eq!(plural("en-GB", 3), "other");
        assert_eq!(plural("es", 1), "one");
        assert_eq!(plural("es", 2), "other");
        assert_eq!(plural("es", 1_000_000), "many");
        let ar: Vec<&str> = [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111]
            .iter()
            .map(|&n| plural("ar", n))
            .collect();
        assert_eq!(
            ar,
            [
                "zero", "one", "two", "few", "few", "many", "many", "other", "other", "few", "many"
            ]
        );
        assert_eq!(plural("ru", 21), "one");
        assert_eq!(plural("ru", 12), "many");
        assert_eq!(plural("pl", 22), "few");
        assert_eq!(plural("fr", 0), "one");
        assert_eq!(plural("pt", 0), "one");
        assert_eq!(plural("pt-PT", 0), "other");
        assert_eq!(plural("hi", 0), "one");
        assert_eq!(plural("ja", 1), "other");
    }
}
