//! Located diagnostics: every content problem of a run, collected as values and printed
//! once, rustc-style, as `path:line:col: error: message`, the offending line and a hint.
//!
//! Stages push [`Diagnostic`]s into a [`Diagnostics`] sink and keep going, so a run
//! reports all problems at once. Only this module formats them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

mod codes;
mod formats;

pub use codes::Code;
pub use formats::{Format, github, json};

/// A position in a file: 1-based line, 1-based column counted in characters, and the
/// length in characters of the marked text (at least 1 when printed).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// Length of the marked text, in characters.
    pub len: u32,
}

impl Span {
    /// A span at `line:col` marking `len` characters.
    pub fn new(line: u32, col: u32, len: u32) -> Self {
        Span { line, col, len }
    }

    /// The span of a byte range `start..end` of `text`, whose first line is `first_line`.
    pub fn from_offsets(text: &str, first_line: u32, start: usize, end: usize) -> Self {
        Lines::new(text, first_line).span(start, end)
    }
}

/// A text's line starts, found on first use, to place many byte offsets of one text:
/// scanning from the start for each is quadratic when a text has thousands of problems.
#[derive(Debug)]
pub struct Lines<'a> {
    text: &'a str,
    first_line: u32,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last offset placed and its column: offsets placed in order on one long line
    /// count the characters from there rather than from the line's start.
    last: std::cell::Cell<(usize, u32)>,
}

impl<'a> Lines<'a> {
    /// The lines of `text`, whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: u32) -> Self {
        Lines {
            text,
            first_line,
            starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((usize::MAX, 0)),
        }
    }

    /// The text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// Line `i` (0-based) without its line break, as `str::lines` gives it.
    pub fn line(&self, i: usize) -> Option<&'a str> {
        let starts = self.starts();
        let start = *starts.get(i)?;
        if start >= self.text.len() {
            return None;
        }
        Some(match starts.get(i + 1) {
            Some(&next) => {
                let line = &self.text[start..next - 1];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => &self.text[start..],
        })
    }

    /// The span of the byte range `start..end`, as [`Span::from_offsets`] gives it.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let text = self.text;
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let starts = self.starts();
        let index = starts.partition_point(|&s| s <= start) - 1;
        let line_start = starts[index];
        let (last, last_col) = self.last.get();
        let col = if (line_start..=start).contains(&last) {
            last_col + text[last..start].chars().count() as u32
        } else {
            text[line_start..start].chars().count() as u32 + 1
        };
        self.last.set((start, col));
        let marked = &text[start..end];
        let marked = marked.split('\n').next().unwrap_or("");
        Span::new(
            self.first_line + index as u32,
            col,
            marked.chars().count() as u32,
        )
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How bad a diagnostic is. Errors fail the build; warnings fail only `check --strict`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the site is still built.
    Warning,
}

/// One problem in the site, at its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Path of the file, relative to the site root.
    pub path: PathBuf,
    /// Where in the file; `None` for problems of a whole file.
    pub span: Option<Span>,
    /// Error or warning, as the code says.
    pub severity: Severity,
    /// The stable code of this kind of problem.
    pub code: Code,
    /// Lower-case, no final period, bad values in backticks.
    pub message: String,
    /// What to write instead.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem of kind `code` at `span` of `path`; its severity is the code's.
    pub fn new(
        code: Code,
        path: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            span,
            severity: code.severity(),
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The first line as printed: `path:line:col: error: message`.
    pub fn headline(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = self.path.display();
        match self.span {
            Some(s) => format!("{path}:{}:{}: {level}: {}", s.line, s.col, self.message),
            None => format!("{path}: {level}: {}", self.message),
        }
    }
}

/// The sink stages push problems into.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Moves all diagnostics of `other` into this sink.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// One line counting errors and warnings, e.g. `2 errors, 1 warning`.
    pub fn tally(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            plural(self.error_count(), "error"),
            plural(self.warning_count(), "warning")
        )
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in report order: by path, then position, then message.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.span, &a.message, a.severity)
                .cmp(&(&b.path, b.span, &b.message, b.severity))
        });
        self.items.dedup();
        self.items
    }

    /// The diagnostics in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Prints diagnostics to stderr, coloured on a terminal.
pub fn print(root: &Path, diags: Vec<Diagnostic>) {
    use std::io::IsTerminal as _;
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render(&diags, root, color));
}

/// Formats diagnostics for a terminal (or the serve overlay), reading each file once for
/// the quoted line.
pub fn render(diags: &[Diagnostic], root: &Path, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut files: BTreeMap<&Path, Option<String>> = BTreeMap::new();
    for d in diags {
        files
            .entry(d.path.as_path())
            .or_insert_with(|| read_lossy(&root.join(&d.path)));
    }
    let lines: BTreeMap<&Path, Lines<'_>> = files
        .iter()
        .filter_map(|(path, text)| Some((*path, Lines::new(text.as_deref()?, 1))))
        .collect();
    let mut long_lines: BTreeMap<(&Path, u32), Vec<usize>> = BTreeMap::new();
    let mut out = String::new();
    let groups = Groups::of(diags);
    for (i, d) in diags.iter().enumerate() {
        let Some(summary) = groups.show(i, d) else {
            continue;
        };
        let _ = writeln!(out, "{}", d.headline());
        let path = d.path.as_path();
        let line = d.span.and_then(|s| {
            let text = lines.get(path)?.line((s.line as usize).checked_sub(1)?)?;
            if text.len() <= LONG_LINE {
                return Some((s, text));
            }
            let every = long_lines
                .entry((path, s.line))
                .or_insert_with(|| checkpoints(text));
            Some(clip(s, text, every))
        });
        let body = render_body(d, line);
        if !body.is_empty() {
            let rendered = renderer.render(&body).to_string();
            for l in rendered.lines() {
                let _ = writeln!(out, "{l}");
            }
        }
        if let Some(line) = summary {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// Files whose diagnostics with one message are all printed; past them, the rest of
/// that message's files are one line. An imported archive repeats a problem in hundreds
/// of files (`unknown key `tags``), and a first run should stay readable.
pub const GROUP_SHOWN: usize = 3;

/// The files each message (with its severity) appears in, in report order, to print
/// the first [`GROUP_SHOWN`] in full and count the others. Only printing is grouped:
/// the list, its counts and `--strict` keep every diagnostic.
struct Groups<'a> {
    files: BTreeMap<(Severity, &'a str), Vec<&'a Path>>,
    /// Per group, the index of its last diagnostic in the last file shown in full: the
    /// summary line follows it.
    last_shown: BTreeMap<(Severity, &'a str), usize>,
}

impl<'a> Groups<'a> {
    fn of(diags: &'a [Diagnostic]) -> Self {
        let mut files: BTreeMap<(Severity, &str), Vec<&Path>> = BTreeMap::new();
        let mut last_shown = BTreeMap::new();
        for (i, d) in diags.iter().enumerate() {
            let key = (d.severity, d.message.as_str());
            let list = files.entry(key).or_default();
            // In report order a file's diagnostics are together, so only the last entry
            // can be the same file.
            if list.last() != Some(&d.path.as_path()) {
                list.push(&d.path);
            }
            if list.len() == GROUP_SHOWN {
                last_shown.insert(key, i);
            }
        }
        Groups { files, last_shown }
    }

    /// `None` when the `i`th diagnostic `d` is folded into its group's summary; else the
    /// summary line to print after it, if it is the group's last one shown.
    fn show(&self, i: usize, d: &Diagnostic) -> Option<Option<String>> {
        let key = (d.severity, d.message.as_str());
        let files = self.files.get(&key).map_or(&[][..], Vec::as_slice);
        // Grouping one or two files saves no lines.
        if files.len() <= GROUP_SHOWN + 1 {
            return Some(None);
        }
        files[..GROUP_SHOWN]
            .iter()
            .position(|p| *p == d.path.as_path())?;
        if self.last_shown.get(&key) != Some(&i) {
            return Some(None);
        }
        let rest = &files[GROUP_SHOWN..];
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let names: Vec<String> = rest
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = if rest.len() > 3 { ", …" } else { "" };
        Some(Some(format!(
            "… the same {kind} in {} more files (first: {}{more})",
            rest.len(),
            names.join(", ")
        )))
    }
}

/// Lines longer than this (in bytes) are cut around the marked text before printing:
/// the printer measures the whole line for each problem, quadratic for many on one line.
const LONG_LINE: usize = 1024;

/// Characters kept on each side of the marked text of a cut line: more than the printer
/// shows of a line (it cuts to the terminal's width itself).
const KEPT: usize = 400;

/// Characters between the checkpoints of a long line.
const CHECKPOINT: usize = 64;

/// The byte offset of every [`CHECKPOINT`]th character of `line`.
fn checkpoints(line: &str) -> Vec<usize> {
    line.char_indices()
        .step_by(CHECKPOINT)
        .map(|(i, _)| i)
        .collect()
}

/// The part of a long `line` around span `s`, and the span in that part.
fn clip<'a>(s: Span, line: &'a str, every: &[usize]) -> (Span, &'a str) {
    let byte_of = |chars: usize| match every.get(chars / CHECKPOINT) {
        Some(&at) => at + char_to_byte(&line[at..], chars % CHECKPOINT),
        None => line.len(),
    };
    let col = s.col.saturating_sub(1) as usize;
    let cut = col.saturating_sub(KEPT);
    let end = col + s.len.max(1) as usize + KEPT;
    let clipped = Span {
        col: (col - cut + 1) as u32,
        ..s
    };
    (clipped, &line[byte_of(cut)..byte_of(end)])
}

fn render_body<'a>(d: &'a Diagnostic, line: Option<(Span, &'a str)>) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group: Option<Group<'a>> = None;
    if let Some((span, text)) = line {
        let start = char_to_byte(text, span.col.saturating_sub(1) as usize);
        let end = char_to_byte(
            text,
            (span.col.saturating_sub(1) + span.len.max(1)) as usize,
        );
        let snippet = Snippet::source(text)
            .line_start(span.line as usize)
            .annotation(AnnotationKind::Primary.span(start..end.max(start)));
        group = Some(Group::with_level(level.clone()).element(snippet));
    }
    if let Some(hint) = &d.hint {
        let msg = Level::HELP.with_name("hint").message(hint.as_str());
        group = Some(match group {
            Some(g) => g.element(msg),
            None => Group::with_level(level.clone()).element(msg),
        });
    }
    // The code last, where a reader looks it up in the README's table.
    let code = Level::NOTE.with_name("code").message(d.code.as_str());
    group = Some(match group {
        Some(g) => g.element(code),
        None => Group::with_level(level).element(code),
    });
    group.into_iter().collect()
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn read_lossy(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(
        text.strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n"),
    )
}

/// The closest candidate to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut same_letters = None;
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        // A difference of case only is the likeliest slip (`Fox` for `fox`).
        if same_letters.is_none() && c != input && c.eq_ignore_ascii_case(input) {
            same_letters = Some(c);
        }
        let score = strsim::jaro_winkler(input, c);
        // The highest score; of equal ones, the first name in order.
        if score > 0.8
            && best.is_none_or(|(s, b)| score.total_cmp(&s).then_with(|| b.cmp(c)).is_gt())
        {
            best = Some((score, c));
        }
    }
    same_letters.or(best.map(|(_, c)| c))
}

/// `text` cut to at most `max` characters, with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A list of names as the hints print it: `` `a`, `b`, `c` ``.
pub fn list<'a, I: IntoIterator<Item = &'a str>>(names: I) -> String {
    let v: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

/// A hint naming the allowed values and the closest one to `input`.
pub fn hint_choices(what: &str, input: &str, allowed: &[&str]) -> String {
    let mut hint = format!("{what}: {}", list(allowed.iter().copied()));
    if let Some(best) = did_you_mean(input, allowed.iter().copied()) {
        let _ = write!(hint, "; did you mean `{best}`?");
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_from_offsets_counts_characters() {
        let text = "a: 1\nb: “é” x\n";
        let start = text.find('x').unwrap_or_default();
        let s = Span::from_offsets(text, 3, start, start + 1);
        assert_eq!(s, Span::new(4, 8, 1));
    }

    #[test]
    fn lines_place_many_offsets_in_any_order() {
        let text = "ab\n“é” x y\r\n\nlast line é and more";
        let lines = Lines::new(text, 7);
        let mut offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        // In order (counted on from the last one), then backwards (from the line start).
        let backwards: Vec<usize> = offsets.iter().rev().copied().collect();
        offsets.extend(backwards);
        for start in offsets {
            let before = &text[..start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let expected = Span::new(
                7 + before.matches('\n').count() as u32,
                text[line_start..start].chars().count() as u32 + 1,
                text[start..]
                    .chars()
                    .take(2)
                    .take_while(|&c| c != '\n')
                    .count() as u32,
            );
            let end = text[start..]
                .char_indices()
                .nth(2)
                .map_or(text.len(), |(i, _)| start + i);
            assert_eq!(lines.span(start, end), expected, "at {start}");
        }
        for i in 0..6 {
            assert_eq!(lines.line(i), text.lines().nth(i), "line {i}");
        }
    }

    #[test]
    fn a_problem_far_along_a_long_line_prints_as_on_the_whole_line() {
        // Wide and multi-byte characters, so cutting must count characters.
        let line: String = (0..3000).map(|i| format!("é{i:04}世 ")).collect();
        let renderer = Renderer::plain();
        let every = checkpoints(&line);
        for col in [1, 5, 700, 9_000, 20_995] {
            let span = Span::new(3, col, 6);
            let d =
                Diagnostic::new(Code::UnknownKey, "a.md", Some(span), "bad").with_hint("fix it");
            let whole = renderer
                .render(&render_body(&d, Some((span, &line))))
                .to_string();
            let (clipped, part) = clip(span, &line, &every);
            assert!(part.len() < 4 * (2 * KEPT + 6), "{}", part.len());
            let cut = renderer
                .render(&render_body(&d, Some((clipped, part))))
                .to_string();
            assert_eq!(cut, whole, "col {col}");
        }
    }

    #[test]
    fn did_you_mean_picks_close_names() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
        assert_eq!(did_you_mean("Fox", ["cnn", "fox"]), Some("fox"));
    }

    #[test]
    fn render_quotes_the_line_and_hint() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("a.md"), "---\nsource: foxx\n---\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let d = Diagnostic::new(
            Code::UnknownKey,
            "a.md",
            Some(Span::new(2, 9, 4)),
            "unknown source `foxx`",
        )
        .with_hint("did you mean `fox`?");
        let out = render(&[d], dir.path(), false);
        assert!(
            out.starts_with("a.md:2:9: error: unknown source `foxx`\n"),
            "{out}"
        );
        assert!(out.contains("source: foxx"), "{out}");
        assert!(out.contains("^^^^"), "{out}");
        assert!(out.contains("hint: did you mean `fox`?"), "{out}");
        assert!(out.contains("= code: E002"), "{out}");
    }

    #[test]
    fn a_message_in_many_files_is_printed_three_times_then_counted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut diags: Vec<Diagnostic> = (0..20)
            .map(|i| {
                Diagnostic::new(
                    Code::UnknownKey,
                    format!("f{i:02}.md"),
                    None,
                    "unknown key `tags` in an article",
                )
                .with_hint(format!("write `topics: [t{i}]`"))
            })
            .collect();
        diags.push(Diagnostic::new(
            Code::UnknownKey,
            "f02.md",
            None,
            "unknown key `tags` in an article",
        ));
        diags.push(Diagnostic::new(
            Code::SkippedFile,
            "f05.md",
            None,
            "unknown key `tags` in an article",
        ));
        diags.push(Diagnostic::new(
            Code::UnknownKey,
            "f07.md",
            None,
            "another problem",
        ));
        let list: Diagnostics = diags.into_iter().collect();
        let sorted = list.sorted();
        let out = render(&sorted, dir.path(), false);
        assert_eq!(out.matches("error: unknown key `tags`").count(), 4, "{out}");
        let summary = "… the same error in 17 more files (first: f03.md, f04.md, f05.md, …)\n";
        assert_eq!(out.matches(summary).count(), 1, "{out}");
        // The summary follows the last file shown; the other messages are untouched.
        let at = out.find(summary).unwrap_or(0);
        assert!(out[..at].contains("f02.md: error"), "{out}");
        assert!(!out[at..].contains("f02.md"), "{out}");
        assert_eq!(out[..at].matches("f02.md: error").count(), 2, "{out}");
        assert!(out.contains("f05.md: warning: unknown key `tags`"), "{out}");
        assert!(out.contains("f07.md: error: another problem"), "{out}");
        assert!(out.contains("hint: write `topics: [t1]`"), "{out}");
        assert!(!out.contains("topics: [t3]"), "{out}");
        // Four files: nothing to gain, all printed.
        let out = render(&sorted[..5], dir.path(), false);
        assert!(!out.contains("the same error"), "{out}");
    }
}
