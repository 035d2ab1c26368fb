//! The redirect pages of the archive: every `aliases:` entry of an article or page with
//! the folder it now leads to. Built from the linked articles and pages, so a rebuild
//! that changes a title or a permalink redirects to the right place.

use std::path::PathBuf;

use super::Archive;
use crate::diag::Span;

/// An old path of the site that leads to a page now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The output file of the redirect page (`2014/03/old/index.html`).
    pub path: String,
    /// The folder of the page it leads to (`articles/old/`).
    pub to: String,
    /// The title of that page.
    pub title: String,
    /// The file whose `aliases:` lists it, relative to the site root.
    pub source: PathBuf,
    /// Where in that file.
    pub span: Span,
}

/// Every redirect, articles' (newest first) then pages', each in the order written.
pub(crate) fn collect(archive: &Archive) -> Vec<Redirect> {
    let articles = archive.articles.iter().map(|e| {
        let a = &e.article;
        (&a.aliases, &e.dir, &a.title, &a.path)
    });
    let pages = archive
        .pages
        .iter()
        .map(|p| (&p.page.aliases, &p.dir, &p.page.title, &p.page.path));
    articles
        .chain(pages)
        .flat_map(|(aliases, dir, title, source)| {
            aliases.iter().map(move |alias| Redirect {
                path: alias.value.clone(),
                to: dir.clone(),
                title: title.clone(),
                source: source.clone(),
                span: alias.span,
            })
        })
        .collect()
}
