//! How a near passage ([`crate::text::Near`]) is told to the editor and the reader: the
//! differing words in a diagnostic's hint, and the word diff shown beside a quote that
//! differs from its archived copy (as data: the theme marks it).

use crate::text::Edit;

/// Why a hint has no nearest passage when the search's work for the article ran out.
pub(crate) const SKIPPED: &str =
    "this article has too many passages not found to look for the nearest of each";

/// One line naming the differing words, e.g. "`El Salvador` -> `we`".
pub(crate) fn differences(edits: &[Edit]) -> String {
    let changes: Vec<String> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Same(_) => None,
            Edit::Missing(w) => Some(format!("`{w}` missing")),
            Edit::Added(w) => Some(format!("`{w}` added")),
            Edit::Replaced(o, n) => Some(format!("`{o}` -> `{n}`")),
        })
        .collect();
    if changes.is_empty() {
        "only punctuation differs".to_string()
    } else {
        changes.join(", ")
    }
}

/// A run of words of a word diff, for the theme to mark (`mark` in the templates).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct DiffWords {
    /// Which side has these words.
    pub kind: DiffKind,
    /// The words, as plain text.
    pub words: String,
}

/// Which side of a word diff a run of words is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// In both.
    Same,
    /// Only in the sought words (the quote): the default theme strikes them.
    SoughtOnly,
    /// Only in the passage found (the copy): the default theme underlines them.
    FoundOnly,
}

/// The sought words against the passage's, as runs of words; a replacement is the
/// sought run followed by the found one.
pub(crate) fn word_diff(edits: &[Edit]) -> Vec<DiffWords> {
    let run = |kind, w: &str| DiffWords {
        kind,
        words: w.to_string(),
    };
    edits
        .iter()
        .flat_map(|e| match e {
            Edit::Same(w) => vec![run(DiffKind::Same, w)],
            Edit::Missing(w) => vec![run(DiffKind::SoughtOnly, w)],
            Edit::Added(w) => vec![run(DiffKind::FoundOnly, w)],
            Edit::Replaced(o, n) => vec![run(DiffKind::SoughtOnly, o), run(DiffKind::FoundOnly, n)],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_differing_words_are_named_and_marked() {
        let edits = [
            Edit::Same("Until then,".into()),
            Edit::Replaced("El Salvador".into(), "we".into()),
            Edit::Same("will continue".into()),
        ];
        assert_eq!(differences(&edits), "`El Salvador` -> `we`");
        let diff = word_diff(&edits);
        let diff: Vec<(DiffKind, &str)> = diff.iter().map(|d| (d.kind, d.words.as_str())).collect();
        assert_eq!(
            diff,
            [
                (DiffKind::Same, "Until then,"),
                (DiffKind::SoughtOnly, "El Salvador"),
                (DiffKind::FoundOnly, "we"),
                (DiffKind::Same, "will continue"),
            ]
        );
        assert_eq!(
            differences(&[
                Edit::Same("a".into()),
                Edit::Missing("b <c>".into()),
                Edit::Added("d".into())
            ]),
            "`b <c>` missing, `d` added"
        );
        assert_eq!(
            differences(&[Edit::Same("x".into())]),
            "only punctuation differs"
        );
    }
}
