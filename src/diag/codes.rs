//! The stable code of every kind of diagnostic (`E0xx` errors, `W0xx` warnings), kept in
//! one table so that messages, the JSON and GitHub formats and the README's list cannot
//! drift apart. A code names a kind of problem, not one message: its number never
//! changes once released, and a new kind gets the next free number.

use super::Severity;

macro_rules! codes {
    ($($variant:ident $code:literal $summary:literal,)*) => {
        /// A kind of problem, with its stable code; its severity follows from the code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E002`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What kind of problem the code stands for, as the README lists it.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    Yaml "E001" "front matter or site.yaml that is not valid YAML, or has no closing `---`",
    UnknownKey "E002" "a key gloss does not know (the hint names the right one)",
    InvalidValue "E003" "a value of the wrong type or form (not a list, not a URL, an unknown kind)",
    MissingKey "E004" "a required key left out (`title`, `date`, a quote's `text`)",
    InvalidDate "E005" "a date that does not parse, or a day that does not exist",
    InvalidId "E006" "an id that is not a slug, has no letter, or is used twice in an article",
    UnknownSource "E007" "a quote's or annotation's source that is not a key of `sources`",
    UnknownReference "E008" "an id or link target that names nothing (a speaker, `person:x`, `article:x`)",
    PassageNotFound "E009" "an annotation's `on` that is not in the body, or is there more than once",
    MissingFile "E010" "a file named by the content that does not exist (image, archived copy, `/path`)",
    MissingFragment "E011" "a `#fragment` with no heading or anchor, or a heading id used twice",
    UrlCollision "E012" "two files or pages claiming one output URL",
    Template "E013" "a theme or template that is missing or does not render",
    Unreadable "E014" "a file that cannot be read, is not UTF-8, or changed while the site was built",
    DateBeforePublication "E015" "`updated`, or a correction's `date`, earlier than the article's `date`",
    QuoteNotFound "W001" "a quote almost in the body: the hint shows the passage and the words that differ",
    QuoteDiffers "W002" "a quote that differs from the archived copy of its source",
    NearMissId "W003" "an id no profile defines, one letter or two from one that exists",
    SpeakerNotQuoted "W004" "a speaker listed with no quote in the article",
    QuoteWithoutSource "W005" "a quote without `source:`",
    FactCheckWithoutRating "W006" "a fact-check without `rating:` (no ClaimReview is published)",
    SkippedFile "W007" "a file under content/ that gloss skips, with the reason",
    RawHtml "W008" "raw HTML escaped or removed from a body (`markdown.html`)",
    TemplateSyntax "W009" "another generator's template syntax left in a body",
    MissingAlt "W010" "an image without a text alternative",
    MissingPage "W011" "a root-relative link to a page the site does not have",
    UnreadableImage "W012" "an image gloss cannot read or resize: published as is, without resized copies",
}

impl Code {
    /// Errors fail the build; warnings fail only `check --strict`.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read back from the build cache: the code as printed.
impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code `{text}`")))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_numbered_in_order_and_match_their_severity() {
        let mut last = ("", 0);
        for code in Code::ALL {
            let s = code.as_str();
            let (letter, number) = s.split_at(1);
            let number: u32 = number.parse().unwrap_or(0);
            assert_eq!(s.len(), 4, "{s}");
            if letter == last.0 {
                assert_eq!(number, last.1 + 1, "{s} follows {}{:03}", last.0, last.1);
            } else {
                assert_eq!(number, 1, "{s} starts its letter");
            }
            last = (if letter == "E" { "E" } else { "W" }, number);
            let expected = if letter == "E" {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(code.severity(), expected, "{s}");
        }
    }

    #[test]
    fn the_readme_lists_every_code_with_its_summary() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let listed: Vec<(String, String)> = readme
            .lines()
            .filter_map(|l| {
                let row = l.strip_prefix("| `")?;
                let (code, rest) = row.split_once("` | ")?;
                let summary = rest.strip_suffix(" |")?;
                (code.len() == 4).then(|| (code.to_string(), summary.to_string()))
            })
            .collect();
        let expected: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.summary().to_string()))
            .collect();
        assert_eq!(
            listed, expected,
            "README.md's table of codes and codes.rs differ"
        );
    }
}
