//! Machine-readable forms of a run's diagnostics, for CI systems and editors:
//! one JSON document (`gloss check --format json`) and GitHub Actions workflow commands
//! (`--format github`), which GitHub shows inline on a pull request's changed lines.
//! The human form stays in [`super::render`].

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{Diagnostic, Severity};

/// How `gloss check` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: the line, a marker and the hint, on stderr.
    #[default]
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow commands (`::error file=…::…`) on stdout.
    Github,
}

/// Version of the JSON document's shape; it changes only when a field changes meaning
/// or goes away (new fields may be added without a new version).
const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: String,
    line: Option<u32>,
    column: Option<u32>,
    end: Option<Position>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    hint: Option<&'a str>,
}

/// A place in a file: 1-based line, 1-based column counted in characters.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    files: usize,
    failed: bool,
}

/// `diags` (in report order) as one JSON document: each diagnostic's path (relative to
/// the site root, `/`-separated), line, column and end (the position just after the
/// marked text; all `null` for a problem of a whole file), severity, code, message and
/// hint, then a summary. `failed` is whether the run exits with 1.
pub fn json(diags: &[Diagnostic], failed: bool) -> String {
    let diagnostics = diags
        .iter()
        .map(|d| Entry {
            path: slashed(&d.path),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.col),
            end: d.span.map(|s| Position {
                line: s.line,
                column: s.col + s.len,
            }),
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    let mut files: Vec<&Path> = diags.iter().map(|d| d.path.as_path()).collect();
    files.dedup();
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let doc = Document {
        version: JSON_VERSION,
        diagnostics,
        summary: Summary {
            errors,
            warnings: diags.len() - errors,
            files: files.len(),
            failed,
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

/// `diags` as GitHub Actions workflow commands, one line each. `prefix` is the site's
/// folder as given on the command line (`.` for the current one): GitHub places an
/// annotation by its path from the repository's root, where the workflow runs.
pub fn github(diags: &[Diagnostic], prefix: &Path) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = slashed(&prefix.join(&d.path));
        let path = path.strip_prefix("./").unwrap_or(&path);
        let mut props = format!("file={}", property(path));
        if let Some(s) = d.span {
            // GitHub's end column is the last marked column, not the one after it.
            let _ = write!(
                props,
                ",line={},col={},endColumn={}",
                s.line,
                s.col,
                s.col + s.len.max(1) - 1
            );
        }
        let _ = write!(props, ",title={}", property(&format!("gloss {}", d.code)));
        let mut text = d.message.clone();
        if let Some(hint) = &d.hint {
            let _ = write!(text, "\nhint: {hint}");
        }
        let _ = writeln!(out, "::{level} {props}::{}", data(&text));
    }
    out
}

/// A path with `/` between its parts on every system.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The message of a workflow command, escaped as the runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command: as [`data`], and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Span};

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::new(
                Code::UnknownSource,
                "content/articles/a.md",
                Some(Span::new(14, 13, 4)),
                "unknown source `foxx` in quote 2",
            )
            .with_hint("sources of this article: `fox`; did you mean `fox`?"),
            Diagnostic::new(
                Code::SkippedFile,
                "content/articles/b.markdown",
                None,
                "skipped: 50% done, a: b",
            ),
        ]
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        insta::assert_snapshot!(github(&sample(), Path::new("site")), @r"
        ::error file=site/content/articles/a.md,line=14,col=13,endColumn=16,title=gloss E007::unknown source `foxx` in quote 2%0Ahint: sources of this article: `fox`; did you mean `fox`?
        ::warning file=site/content/articles/b.markdown,title=gloss W007::skipped: 50%25 done, a: b
        ");
        assert!(
            github(&sample(), Path::new(".")).starts_with("::error file=content/articles/a.md,")
        );
    }

    #[test]
    fn json_has_every_field_and_a_summary() {
        insta::assert_snapshot!(json(&sample(), true), @r#"
        {
          "version": 1,
          "diagnostics": [
            {
              "path": "content/articles/a.md",
              "line": 14,
              "column": 13,
              "end": {
                "line": 14,
                "column": 17
              },
              "severity": "error",
              "code": "E007",
              "message": "unknown source `foxx` in quote 2",
              "hint": "sources of this article: `fox`; did you mean `fox`?"
            },
            {
              "path": "content/articles/b.markdown",
              "line": null,
              "column": null,
              "end": null,
              "severity": "warning",
              "code": "W007",
              "message": "skipped: 50% done, a: b",
              "hint": null
            }
          ],
          "summary": {
            "errors": 1,
            "warnings": 1,
            "files": 2,
            "failed": true
          }
        }
        "#);
    }
}
