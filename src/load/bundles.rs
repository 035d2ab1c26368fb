//! Page bundles: an article or page that is `index.md` in a folder of its own, with the
//! files beside it (images, PDFs, data), as Hugo's page bundles and Zola's co-located
//! assets are. Input: the paths of every file read. Output: for each file that is not
//! Markdown, the bundle it belongs to (or a warning that it is ignored), and which
//! Markdown files are part of a bundle rather than articles.
//!
//! The rules, decided as Hugo decides them for leaf bundles: everything under an
//! article's bundle folder belongs to the outermost such folder, subfolders included, and
//! a Markdown file there other than the bundle's own `index.md` is a file of the bundle,
//! neither an article nor published (Hugo does not publish a bundle's Markdown
//! resources). Pages form a tree by path (`pif/index.md` and `pif/projects/index.md` are
//! both pages), so a page's files belong to the nearest page bundle above them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::Loaded;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::bundle_dir;

/// The bundle folders of a site.
pub(super) struct Bundles<'a> {
    /// Folders of articles' `index.md` (under `content/articles/`).
    articles: BTreeSet<&'a Path>,
    /// Folders of pages' `index.md` (under `content/pages/`).
    pages: BTreeSet<&'a Path>,
    files: &'a BTreeMap<PathBuf, (Loaded, Diagnostics)>,
}

impl<'a> Bundles<'a> {
    /// The bundles among the files read (whether their `index.md` loaded or not, so the
    /// files of a broken one are not reported as strays).
    pub(super) fn of(files: &'a BTreeMap<PathBuf, (Loaded, Diagnostics)>) -> Bundles<'a> {
        let mut articles = BTreeSet::new();
        let mut pages = BTreeSet::new();
        for rel in files.keys() {
            if let Some(dir) = bundle_dir(rel) {
                if dir.starts_with("content/articles") {
                    articles.insert(dir);
                } else {
                    pages.insert(dir);
                }
            }
        }
        Bundles {
            articles,
            pages,
            files,
        }
    }

    /// The outermost article bundle folder above `rel`, if any.
    fn article_bundle(&self, rel: &Path) -> Option<&'a Path> {
        let mut found = None;
        for dir in rel.ancestors().skip(1) {
            if let Some(d) = self.articles.get(dir) {
                found = Some(*d);
            }
        }
        found
    }

    /// The warning for a Markdown file under `content/articles/` that lies inside an
    /// article's bundle (and is not its `index.md`): it is part of that article.
    pub(super) fn not_an_article(&self, rel: &Path) -> Option<Diagnostic> {
        if rel.extension().is_none_or(|e| e != "md") || !rel.starts_with("content/articles") {
            return None;
        }
        let dir = self.article_bundle(rel)?;
        let index = dir.join("index.md");
        if rel == index {
            return None;
        }
        Some(
            Diagnostic::new(
                crate::diag::Code::SkippedFile,
                rel,
                None,
                format!(
                    "not an article: it is inside the folder of the article `{}`, and the files there are part of it (a page bundle, as in Hugo)",
                    index.display()
                ),
            )
            .with_hint("move it out of that folder to make it an article of its own; Markdown files of a bundle are not published"),
        )
    }

    /// The `index.md` a non-Markdown file belongs to, and its path inside that bundle's
    /// folder (`/`-separated).
    pub(super) fn owner(&self, rel: &Path) -> Option<(PathBuf, String)> {
        let dir = if rel.starts_with("content/articles") {
            self.article_bundle(rel)?
        } else {
            rel.ancestors()
                .skip(1)
                .find_map(|d| self.pages.get(d).copied())?
        };
        let inside = rel.strip_prefix(dir).ok()?;
        let parts: Option<Vec<&str>> = inside
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect();
        Some((dir.join("index.md"), parts?.join("/")))
    }

    /// True when the article or page at `index` is a draft.
    pub(super) fn is_draft(&self, index: &Path) -> bool {
        match self.files.get(index) {
            Some((Loaded::Article(a), _)) => a.draft,
            Some((Loaded::Page(p), _)) => p.draft,
            _ => false,
        }
    }
}

/// The warning for a file under `content/articles/` or `content/pages/` that is in no
/// bundle.
pub(super) fn unowned(rel: &Path) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::SkippedFile,
        rel,
        None,
        "ignored: a file that is not Markdown is published only from the folder of an article or page",
    )
    .with_hint("make the article `index.md` in a folder of its own and put the file beside it (`content/articles/my-story/index.md` and `content/articles/my-story/chart.png`), or put site-wide files under static/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> BTreeMap<PathBuf, (Loaded, Diagnostics)> {
        paths
            .iter()
            .map(|p| (PathBuf::from(p), (Loaded::Nothing, Diagnostics::new())))
            .collect()
    }

    #[test]
    fn files_belong_to_the_outermost_article_bundle_and_the_nearest_page_bundle() {
        let f = files(&[
            "content/articles/2025/a/index.md",
            "content/articles/2025/a/chart.png",
            "content/articles/2025/a/data/x.csv",
            "content/articles/2025/a/notes.md",
            "content/articles/2025/a/sub/index.md",
            "content/articles/2025/b.md",
            "content/articles/2025/stray.png",
            "content/pages/pif/index.md",
            "content/pages/pif/logo.png",
            "content/pages/pif/projects/index.md",
            "content/pages/pif/projects/p.pdf",
        ]);
        let b = Bundles::of(&f);
        let owner = |p: &str| b.owner(Path::new(p));
        let a = PathBuf::from("content/articles/2025/a/index.md");
        assert_eq!(
            owner("content/articles/2025/a/chart.png"),
            Some((a.clone(), "chart.png".into()))
        );
        assert_eq!(
            owner("content/articles/2025/a/data/x.csv"),
            Some((a.clone(), "data/x.csv".into()))
        );
        assert_eq!(owner("content/articles/2025/stray.png"), None);
        assert_eq!(
            owner("content/pages/pif/projects/p.pdf"),
            Some(("content/pages/pif/projects/index.md".into(), "p.pdf".into()))
        );
        assert_eq!(
            owner("content/pages/pif/logo.png"),
            Some(("content/pages/pif/index.md".into(), "logo.png".into()))
        );
        let demoted = |p: &str| b.not_an_article(Path::new(p)).is_some();
        assert!(demoted("content/articles/2025/a/notes.md"));
        assert!(demoted("content/articles/2025/a/sub/index.md"));
        assert!(!demoted("content/articles/2025/a/index.md"));
        assert!(!demoted("content/articles/2025/b.md"));
        assert!(!demoted("content/pages/pif/projects/index.md"));
    }
}
