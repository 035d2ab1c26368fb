//! Output paths: where every page and file of the site lives in the output, how pages
//! link to each other, and the proof that nothing is written outside the output.
//!
//! - [`dirs`]: the folder of each page kind (`articles/<slug>/`, `archive/2025/01/`,
//!   `people/<id>/page/2/`), and the relative links and absolute URLs to them,
//!   percent-encoded.
//! - [`OutPath`]: a relative path proven to stay inside the output folder, whatever the
//!   content, the permalink pattern or a bookkeeping record spelled; the writer takes
//!   nothing else.
//! - [`plan`]: every page kind gloss generates ([`plan::Job`]) and the path of each.
//! - [`claims`]: every output file with what makes it, checked as a whole before
//!   anything is rendered: escapes, two sources of one path, case and Unicode twins, a
//!   file against a folder.
//! - [`redirects`]: old paths (`aliases:`) as output files of redirect pages, and the
//!   `_redirects` file of Netlify and Cloudflare Pages.

pub mod claims;
pub mod dirs;
pub(crate) mod plan;
pub mod redirects;

use std::fmt;

pub use claims::{Claim, Origin, check_claims};

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

/// Lets maps keyed by `OutPath` be looked up with a plain `&str` (no check, no copy).
impl std::borrow::Borrow<str> for OutPath {
    fn borrow(&self) -> &str {
        &self.0
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
