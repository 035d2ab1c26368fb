//! Hints for YAML syntax errors that say what to write: the offending line rewritten
//! (a tab in the indentation replaced by spaces; a value with `: ` or inner quotation
//! marks wrapped in single quotes), proposed only when the whole document then parses.
//! Input: the document, the error's line and a parse test; output: a located fix.

use crate::diag::Span;

/// A rewrite of one line that makes the document parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    /// Where the problem is (a tab is marked where it is, not where the parser stopped).
    pub(crate) span: Option<Span>,
    /// A clearer message than the parser's, if there is one.
    pub(crate) message: Option<String>,
    /// What to write.
    pub(crate) hint: String,
}

/// The fix for a syntax error reported at file line `error_line` of `text` (whose first
/// line is file line `first_line`), if a rewrite of one line makes `parses` true.
pub(crate) fn suggest(
    text: &str,
    first_line: u32,
    error_line: u32,
    parses: impl Fn(&str) -> bool,
) -> Option<Fix> {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = (error_line.checked_sub(first_line)? as usize).min(lines.len().saturating_sub(1));
    let with = |i: usize, line: &str| {
        let mut copy = lines.clone();
        copy[i] = line;
        copy.join("\n")
    };
    // The parser reports a tab on the line after it, or before: look up to one past.
    if let Some(i) = (0..=(at + 1).min(lines.len() - 1)).find(|&i| leading_tab(lines[i]).is_some())
    {
        let line = lines[i];
        let col = leading_tab(line).unwrap_or(0);
        let span = Some(Span::new(first_line + i as u32, col as u32 + 1, 1));
        let message = Some("invalid YAML: a tab in the indentation".to_string());
        let rest = line.trim_start();
        let fixed = indents(&lines[..i])
            .into_iter()
            .map(|n| format!("{}{rest}", " ".repeat(n)))
            .find(|l| parses(&with(i, l)));
        let hint = match fixed {
            Some(l) => format!(
                "YAML indents with spaces only: replace the tab with spaces, `{}`",
                l.trim_end()
            ),
            None => "YAML indents with spaces only: replace the tab with spaces".to_string(),
        };
        return Some(Fix {
            span,
            message,
            hint,
        });
    }
    let line = lines[at];
    let (key, value) = key_value(line)?;
    let (inner, why) = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if inner.contains('"') => (inner, "it has quotation marks inside"),
        _ if value.contains(": ") || value.ends_with(':') => {
            (value, "a value without quotes cannot hold `: `")
        }
        _ if value.contains(" #") => (value, "` #` would start a comment"),
        _ => (value, "it starts with a character YAML reads as syntax"),
    };
    let indent = &line[..line.len() - line.trim_start().len()];
    let fixed = format!("{indent}{key}: '{}'", inner.replace('\'', "''"));
    parses(&with(at, &fixed)).then(|| Fix {
        span: None,
        message: None,
        hint: format!(
            "wrap the value in single quotes ({why}): `{}`",
            fixed.trim_start()
        ),
    })
}

/// The byte offset of the first tab in `line`'s leading white space.
fn leading_tab(line: &str) -> Option<usize> {
    let lead = &line[..line.len() - line.trim_start().len()];
    lead.find('\t')
}

/// The indentations a line after `before` may have, most likely first: that of the
/// line above (deeper when it opens a map), then shallower ones down to none.
fn indents(before: &[&str]) -> Vec<usize> {
    let above = before.iter().rev().find(|l| !l.trim().is_empty());
    let Some(above) = above else {
        return vec![0];
    };
    let n = above.len() - above.trim_start_matches(' ').len();
    let mut out = Vec::new();
    if above.trim_end().ends_with(':') {
        out.push(n + 2);
    }
    out.extend((0..=n).rev().step_by(2));
    out.push(0);
    out.dedup();
    out
}

/// `key` and the value of a `key: value` line (keys without quotes), trimmed.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start();
    let (key, value) = body.split_once(": ")?;
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    (!key.is_empty() && key.chars().all(plain) && !value.trim().is_empty())
        .then(|| (key, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in parser: a document parses when no line has a tab or an unquoted `: `
    /// in its value, or a double-quoted value with quotes inside.
    fn toy(text: &str) -> bool {
        text.lines().all(|l| {
            leading_tab(l).is_none()
                && !l.starts_with(' ')
                && key_value(l).is_none_or(|(_, v)| {
                    v.starts_with('\'')
                        || !(v.contains(": ")
                            || v.strip_prefix('"')
                                .is_some_and(|v| v[..v.len() - 1].contains('"')))
                })
        })
    }

    #[test]
    fn a_tab_is_located_and_replaced() {
        let fix = suggest("title: x\n\tdateline: y\n", 2, 2, toy);
        assert_eq!(
            fix,
            Some(Fix {
                span: Some(Span::new(3, 1, 1)),
                message: Some("invalid YAML: a tab in the indentation".into()),
                hint: "YAML indents with spaces only: replace the tab with spaces, `dateline: y`"
                    .into(),
            })
        );
    }

    #[test]
    fn values_with_colons_or_inner_quotes_are_single_quoted() {
        let fix = suggest("title: Mayor: no deal\n", 2, 2, toy).map(|f| f.hint);
        assert_eq!(
            fix.as_deref(),
            Some(
                "wrap the value in single quotes (a value without quotes cannot hold `: `): `title: 'Mayor: no deal'`"
            )
        );
        let fix = suggest("title: \"He said \"no\" to O'Neil\"\n", 2, 2, toy).map(|f| f.hint);
        assert_eq!(
            fix.as_deref(),
            Some(
                "wrap the value in single quotes (it has quotation marks inside): `title: 'He said \"no\" to O''Neil'`"
            )
        );
    }

    #[test]
    fn no_fix_is_proposed_that_does_not_parse() {
        assert_eq!(suggest("title: a: b\n", 2, 2, |_| false), None);
    }
}
