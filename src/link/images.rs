//! Lead images (`image:`): one that names a path of the site must be one of its files
//! (usually under `static/`), else an error at the `image` value. Addresses (`https://…`)
//! are not checked (gloss makes no network requests).

use super::ArticleEntry;
use crate::diag::{Diagnostic, Diagnostics};

/// The problems of `e`'s lead image, given the files the site writes.
pub(crate) fn problems(
    e: &ArticleEntry,
    site_files: &std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut d = Diagnostics::new();
    let Some(image) = &e.article.image else {
        return d;
    };
    let src = &image.src.value;
    if src.contains("://") || site_files.contains(src) {
        return d;
    }
    d.push(
        Diagnostic::error(
            &e.article.path,
            Some(image.src.span),
            format!("the lead image `/{src}` is not a file of this site"),
        )
        .with_hint(format!(
            "put the image at static/{src}, or give its full https:// address"
        )),
    );
    d
}

/// The problems of every article's lead image.
pub(crate) fn all(
    articles: &[std::sync::Arc<ArticleEntry>],
    site_files: &std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut d = Diagnostics::new();
    for e in articles {
        d.extend(problems(e, site_files));
    }
    d
}
