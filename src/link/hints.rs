//! How a near passage ([`crate::text::Near`]) is told to the editor and the reader: the
//! differing words in a diagnostic's hint, and the word diff shown beside a quote that
//! differs from its archived copy.

use pulldown_cmark_escape::escape_html;

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

/// The sought words against the passage's as HTML: `<del>` sought only, `<ins>` passage
/// only.
pub(crate) fn diff_html(edits: &[Edit]) -> String {
    let esc = |w: &str| {
        let mut out = String::new();
        let _ = escape_html(&mut out, w);
        out
    };
    edits
        .iter()
        .map(|e| match e {
            Edit::Same(w) => esc(w),
            Edit::Missing(w) => format!("<del>{}</del>", esc(w)),
            Edit::Added(w) => format!("<ins>{}</ins>", esc(w)),
            Edit::Replaced(o, n) => format!("<del>{}</del> <ins>{}</ins>", esc(o), esc(n)),
        })
        .collect::<Vec<_>>()
        .join(" ")
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
        assert_eq!(
            diff_html(&edits),
            "Until then, <del>El Salvador</del> <ins>we</ins> will continue"
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
            diff_html(&[Edit::Same("a & b".into()), Edit::Missing("c".into())]),
            "a &amp; b <del>c</del>"
        );
        assert_eq!(
            differences(&[Edit::Same("x".into())]),
            "only punctuation differs"
        );
    }
}
