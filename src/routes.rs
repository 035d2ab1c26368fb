//! Output paths: every file gloss writes lives at an [`OutPath`], a relative path that
//! is proven to stay inside the output folder when it is made, whatever the content,
//! the permalink pattern or a bookkeeping record spelled.
//!
//! Input: strings built from permalinks, slugs, page and static file paths, theme files
//! and records of earlier builds. Output: [`OutPath`]s, or a [`PathProblem`] saying why
//! the string cannot be one. Joining an `OutPath` onto the output folder never leaves it.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization as _;

use crate::diag::{Diagnostic, Diagnostics};

/// A path inside the output folder: relative, `/`-separated, no empty, `.` or `..`
/// segments, no backslashes, NUL or control characters, no segment longer than 255
/// bytes. The only way to make one is [`OutPath::new`], which checks all of that.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutPath(String);

/// Why a string is not a path inside the output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    /// The path is empty.
    #[error("the path is empty")]
    Empty,
    /// The path starts at the file-system root (or a drive).
    #[error("it is an absolute path")]
    Absolute,
    /// A `..` segment would climb out of its folder.
    #[error("it has a `..` segment, which leads out of its folder")]
    Parent,
    /// An empty or `.` segment (`a//b`, `a/./b`).
    #[error("it has an empty or `.` segment")]
    EmptySegment,
    /// A character no portable file name may hold.
    #[error("it holds {0}, which no file name may hold")]
    BadChar(&'static str),
    /// A segment longer than file systems allow.
    #[error("a part of it is longer than 255 bytes")]
    TooLong,
}

impl OutPath {
    /// Checks `path` (relative to the output folder, `/`-separated).
    pub fn new(path: &str) -> Result<OutPath, PathProblem> {
        check(path)?;
        Ok(OutPath(path.to_string()))
    }

    /// The path as written, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folders above the file, outermost first (`a/b/c.html` -> `a`, `a/b`).
    pub fn folders(&self) -> impl Iterator<Item = &str> {
        self.0.match_indices('/').map(|(i, _)| &self.0[..i])
    }
}

impl fmt::Display for OutPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OutPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::path::Path> for OutPath {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.0)
    }
}

fn check(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.starts_with('/') || is_drive(path) {
        return Err(PathProblem::Absolute);
    }
    for c in path.chars() {
        let bad = match c {
            '\\' => "a backslash",
            '\0' => "a NUL character",
            c if c.is_control() => "a control character",
            _ => continue,
        };
        return Err(PathProblem::BadChar(bad));
    }
    for segment in path.split('/') {
        match segment {
            ".." => return Err(PathProblem::Parent),
            "" | "." => return Err(PathProblem::EmptySegment),
            s if s.len() > 255 => return Err(PathProblem::TooLong),
            _ => {}
        }
    }
    Ok(())
}

/// `C:` at the start: a drive on Windows, where joining it replaces the output folder.
fn is_drive(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Checks a page folder as pages use them: `""` (the home page) or a path ending in `/`
/// whose folders are all valid ([`OutPath`] rules).
pub fn check_dir(dir: &str) -> Result<(), PathProblem> {
    match dir.strip_suffix('/') {
        None if dir.is_empty() => Ok(()),
        None => check(dir),
        Some(inner) => check(inner),
    }
}

/// Where an output file comes from, for the messages of [`check_claims`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the site (an article, page, profile or static file), relative to the
    /// site root.
    File(PathBuf),
    /// A static file of the theme (its path as shown to the user).
    Theme(PathBuf),
    /// A page gloss makes, described (`the page of person \`x\``).
    Generated(String),
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::File(p) => format!("`{}`", p.display()),
            Origin::Theme(p) => format!("the theme's `{}`", p.display()),
            Origin::Generated(what) => what.clone(),
        }
    }

    /// The file a problem is reported at: a file of the site before one of the theme;
    /// a generated page has none.
    fn file(&self) -> Option<&Path> {
        match self {
            Origin::File(p) | Origin::Theme(p) => Some(p),
            Origin::Generated(_) => None,
        }
    }
}

/// One output file and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Its path in the output, `/`-separated.
    pub path: String,
    /// What makes it.
    pub origin: Origin,
}

/// The folders under which gloss writes files of names it chooses (the search index):
/// nothing else may have a file there.
const GENERATED_FOLDERS: &[&str] = &["search/t/", "search/d/"];

/// Checks every output file of a site before anything is rendered: each path lies
/// inside the output, no two sources make the same path, or paths that differ only by
/// case or Unicode normalisation (one file on macOS and Windows), and no path is a file
/// for one source and a folder for another. Each problem is an error at the source that
/// can move (a site file before a theme file before a generated page), naming the other.
pub fn check_claims(claims: &[Claim]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut valid: Vec<&Claim> = Vec::with_capacity(claims.len());
    for c in claims {
        match OutPath::new(&c.path) {
            Ok(_) => valid.push(c),
            Err(why) => diags.push(
                Diagnostic::error(
                    c.origin.file().unwrap_or(Path::new("site.yaml")),
                    None,
                    format!(
                        "the output path `{}` of {} is not inside the output: {why}",
                        c.path,
                        c.origin.describe()
                    ),
                )
                .with_hint("rename the file, or fix the permalink pattern in site.yaml"),
            ),
        }
    }
    valid.sort_by(|a, b| a.path.cmp(&b.path));
    let clash = |diags: &mut Diagnostics, a: &Claim, b: &Claim, what: String| {
        // Reported at the one that can move: a site file, else a theme file.
        let rank = |c: &Claim| match c.origin {
            Origin::File(_) => 0,
            Origin::Theme(_) => 1,
            Origin::Generated(_) => 2,
        };
        let (here, other) = if rank(b) <= rank(a) { (b, a) } else { (a, b) };
        let at = here.origin.file().unwrap_or(Path::new("site.yaml"));
        diags.push(
            Diagnostic::error(
                at,
                None,
                format!(
                    "{what}: {} and {}",
                    here.origin.describe(),
                    other.origin.describe()
                ),
            )
            .with_hint(match other.origin {
                Origin::Generated(_) => "rename or move the file: gloss makes that page",
                _ => "rename or move one of the two files",
            }),
        );
    };
    for pair in valid.windows(2) {
        if pair[0].path == pair[1].path {
            clash(
                &mut diags,
                pair[0],
                pair[1],
                format!("two sources make `{}`", pair[0].path),
            );
        }
    }
    valid.dedup_by(|b, a| a.path == b.path);
    let mut folded: HashMap<String, &Claim> = HashMap::with_capacity(valid.len());
    let mut folders: HashMap<&str, &Claim> = HashMap::with_capacity(valid.len());
    for &c in &valid {
        let fold: String = c.path.nfc().flat_map(char::to_lowercase).collect();
        if let Some(first) = folded.get(&fold) {
            clash(
                &mut diags,
                first,
                c,
                format!(
                    "`{}` and `{}` differ only by case or Unicode normalisation (one file on macOS and Windows)",
                    first.path, c.path
                ),
            );
        } else {
            folded.insert(fold, c);
        }
        for folder in c.path.match_indices('/').map(|(i, _)| &c.path[..i]) {
            folders.entry(folder).or_insert(c);
        }
    }
    for &c in &valid {
        if let Some(inside) = folders.get(c.path.as_str()) {
            clash(
                &mut diags,
                c,
                inside,
                format!(
                    "`{}` would be both a file and the folder of `{}`",
                    c.path, inside.path
                ),
            );
        }
        if !matches!(c.origin, Origin::Generated(_))
            && let Some(folder) = GENERATED_FOLDERS.iter().find(|f| c.path.starts_with(*f))
        {
            diags.push(
                Diagnostic::error(
                    c.origin.file().unwrap_or(Path::new("site.yaml")),
                    None,
                    format!(
                        "{} would be written into `{folder}`, which holds gloss's search index",
                        c.origin.describe()
                    ),
                )
                .with_hint("move the file to another folder"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/..",
            "..",
            "a//b",
            "./a",
            "a/./b",
            "a\\..\\b",
            "a\0b",
            "C:/x",
            "c:x",
            "a/\n/b",
        ] {
            assert!(OutPath::new(bad).is_err(), "{bad:?} accepted");
        }
        for good in [
            "index.html",
            "a/b/index.html",
            "a b/x.html",
            "é/..x/x..",
            "a/.well-known",
        ] {
            assert!(OutPath::new(good).is_ok(), "{good:?} refused");
        }
        assert_eq!(OutPath::new("../x"), Err(PathProblem::Parent));
    }

    #[test]
    fn folders_of_a_path() {
        let p = OutPath::new("a/b/c.html").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.folders().collect::<Vec<_>>(), ["a", "a/b"]);
        assert!(check_dir("").is_ok() && check_dir("a/b/").is_ok());
        assert!(check_dir("a/../").is_err() && check_dir("/a/").is_err());
    }

    fn claim(path: &str, origin: Origin) -> Claim {
        Claim {
            path: path.into(),
            origin,
        }
    }

    fn file(p: &str) -> Origin {
        Origin::File(PathBuf::from(p))
    }

    fn messages(claims: &[Claim]) -> Vec<String> {
        check_claims(claims)
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.message))
            .collect()
    }

    #[test]
    fn two_sources_of_one_path_are_found_with_both_named() {
        let got = messages(&[
            claim("help/index.html", file("content/pages/help.md")),
            claim("about/index.html", file("content/pages/about.md")),
            claim("help/index.html", file("content/pages/help/index.md")),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("two sources make `help/index.html`"),
            "{got:?}"
        );
        assert!(
            got[0].contains("content/pages/help.md")
                && got[0].contains("content/pages/help/index.md"),
            "{got:?}"
        );
        // Against a generated page or a theme file: reported at the site's file.
        let got = messages(&[
            claim("feed.xml", Origin::Generated("the site's feed".into())),
            claim("feed.xml", file("static/feed.xml")),
            claim(
                "style.css",
                Origin::Theme("themes/t/static/style.css".into()),
            ),
            claim("style.css", Origin::Generated("x".into())),
        ]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("static/feed.xml: two sources make `feed.xml`"),
            "{got:?}"
        );
        assert!(got[1].starts_with("themes/t/static/style.css:"), "{got:?}");
    }

    #[test]
    fn a_file_against_a_folder_and_case_twins_are_found() {
        let got = messages(&[
            claim("help", file("static/help")),
            claim("help/index.html", file("content/pages/help.md")),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`help` would be both a file and the folder of `help/index.html`"),
            "{got:?}"
        );
        let got = messages(&[
            claim("articles/Café/index.html", file("content/articles/Café.md")),
            claim(
                "articles/cafe\u{301}/index.html",
                file("content/articles/cafe\u{301}.md"),
            ),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("differ only by case or Unicode normalisation"),
            "{got:?}"
        );
    }

    #[test]
    fn escapes_and_the_search_folders_are_errors_at_their_source() {
        let got = messages(&[
            claim("victim/x/index.html", file("content/articles/x.md")),
            claim("../victim/x/index.html", file("content/articles/y.md")),
            claim("search/t/ab.json", file("static/search/t/ab.json")),
            claim(
                "search/t/ab.json",
                Origin::Generated("the search index".into()),
            ),
        ]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.iter().any(|m| m
                .starts_with("content/articles/y.md: the output path `../victim/x/index.html`")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|m| m.contains("holds gloss's search index")),
            "{got:?}"
        );
    }

    proptest! {
        /// Whatever string is accepted, joined onto a folder and normalised the way the
        /// file system resolves it (no symlinks inside: the writer makes none), stays
        /// strictly inside that folder.
        #[test]
        fn an_accepted_path_never_leaves_the_folder(s in r"[a-z./\\:\x00 -]{0,24}") {
            if let Ok(p) = OutPath::new(&s) {
                let base = std::path::Path::new("/srv/out");
                let mut depth: i64 = 0;
                for c in base.join(p.as_str()).strip_prefix(base).map(|r| r.components().collect::<Vec<_>>()).unwrap_or_default() {
                    match c {
                        std::path::Component::Normal(_) => depth += 1,
                        std::path::Component::ParentDir => depth -= 1,
                        _ => depth = -100,
                    }
                    prop_assert!(depth > 0, "{s:?} leaves the folder");
                }
                prop_assert!(base.join(p.as_str()).starts_with(base));
            }
        }
    }
}
