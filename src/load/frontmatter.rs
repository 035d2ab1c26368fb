//! Splits a content file into its YAML front matter and Markdown body, keeping the line
//! numbers of both so diagnostics point into the file, not into the YAML block.

use crate::diag::Code;
use std::path::Path;

use crate::diag::{Diagnostic, Span};

/// A content file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` lines; `None` when the file has no front matter.
    pub(crate) yaml: Option<&'a str>,
    /// File line of the YAML's first line.
    pub(crate) yaml_line: u32,
    /// The Markdown after the closing `---`.
    pub(crate) body: &'a str,
    /// File line of the body's first line.
    pub(crate) body_line: u32,
}

/// Normalises what editors vary on: a BOM at the start and CRLF line ends.
pub(crate) fn normalise(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// Splits `text` (already normalised). A front matter that is opened but never closed is
/// an error at the opening line.
pub(crate) fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text == "---").then_some(""))
    else {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (line, l) in (2u32..).zip(rest.split_inclusive('\n')) {
        let bare = l.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: Some(&rest[..offset]),
                yaml_line: 2,
                body: &rest[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::new(
        Code::Yaml,
        path,
        Some(Span::new(1, 1, 3)),
        "front matter is never closed",
    )
    .with_hint("end the front matter with a line `---` before the article text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let text = "---\ntitle: x\ndate: 2025-01-01\n---\nBody\n";
        let s = split(text, Path::new("a.md")).unwrap_or_else(|d| panic!("{}", d.message));
        assert_eq!(s.yaml, Some("title: x\ndate: 2025-01-01\n"));
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("Just text\n", Path::new("a.md")).unwrap_or_else(|d| panic!("{}", d.message));
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "Just text\n");
    }

    #[test]
    fn unclosed_front_matter_is_located() {
        let err = split("---\ntitle: x\n", Path::new("a.md")).err();
        assert_eq!(err.and_then(|d| d.span), Some(Span::new(1, 1, 3)));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise("\u{feff}---\r\na: 1\r\n".into()), "---\na: 1\n");
    }
}
