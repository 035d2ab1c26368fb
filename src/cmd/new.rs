//! `gloss new article TITLE`: a new article file with its front matter filled in, created
//! as [`create`] does (never over a file, never through a symlink).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use unicode_normalization::UnicodeNormalization as _;

use super::check_root;
use super::create::{self, Created};
use crate::load::files_under;

/// A YAML double-quoted scalar (JSON strings are valid YAML).
pub(crate) fn yaml_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The text of a new article dated `date`.
pub(crate) fn article_text(title: &str, date: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\ndraft: true\nsummary: \"\"\ntopics: []\nsources: {{}}\nspeakers: []\nmentions: []\nquotes: []\nannotations: []\n---\nThe article text, verbatim, in Markdown.\n",
        yaml_quote(title)
    )
}

/// Creates `content/articles/<year>/<slug>.md` and returns its path. Refused when an
/// article anywhere under `content/articles/` has that slug (see [`same_slug`]), or
/// something is at the path already (a dangling symlink too: see [`create`]).
pub fn new_article(root: &Path, title: &str) -> Result<PathBuf> {
    check_root(root)?;
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!(
            "cannot make a file name from the title `{title}`\nhint: use a title with letters or digits"
        );
    }
    if let Some(existing) = find_slug(root, &slug) {
        bail!(
            "an article with the slug `{slug}` exists: {}\nhint: an article's slug is its \
             file name, so choose a different title, or edit that file",
            existing.display()
        );
    }
    let today = jiff::ZonedDateTime::now().date();
    let dir = PathBuf::from(format!("content/articles/{:04}", today.year()));
    let rel = dir.join(format!("{slug}.md"));
    create::dirs(root, &dir)?;
    if create::file(root, &rel, &article_text(title, &today.to_string()))? == Created::Kept {
        bail!(
            "{} already exists (not an article file gloss reads: a folder or a link)\nhint: \
             choose a different title, or move that away",
            rel.display()
        );
    }
    tracing::info!(
        "created {} (a draft: set `draft: false` to publish, or build with --drafts)",
        rel.display()
    );
    Ok(rel)
}

/// The first article under `content/articles/` (relative to `root`) whose slug is the
/// same as `slug` once both are folded (see [`same_slug`]); broken links count.
fn find_slug(root: &Path, slug: &str) -> Option<PathBuf> {
    let articles = root.join("content/articles");
    files_under(&articles).find_map(|item| {
        let path = match &item {
            Ok(e) if e.file_type().is_dir() => return None,
            Ok(e) => e.path(),
            // A broken link or a loop: its name is taken all the same.
            Err(e) => e.path()?,
        };
        let stem = path.file_name()?.to_str()?.strip_suffix(".md")?;
        same_slug(stem, slug).then(|| path.strip_prefix(root).unwrap_or(path).to_path_buf())
    })
}

/// True when two slugs name the same file on a case-insensitive or normalising file
/// system (macOS, Windows): equal after Unicode NFC and lower-casing.
fn same_slug(a: &str, b: &str) -> bool {
    let fold = |s: &str| s.nfc().collect::<String>().to_lowercase();
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_that_collide_on_some_file_systems_are_the_same() {
        assert!(same_slug("court-ruling", "court-ruling"));
        assert!(same_slug("Court-Ruling", "court-ruling"));
        // `é` composed and decomposed (macOS stores names decomposed).
        assert!(same_slug("caf\u{e9}", "Cafe\u{301}"));
        assert!(!same_slug("court-ruling", "court-rulings"));
    }
}
