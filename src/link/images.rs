//! Images: a lead image (`image:`) that names a path of the site must be one of its
//! files (usually under `static/`), else an error at the `image` value (addresses,
//! `https://…`, are not checked: gloss makes no network requests); an image in a body
//! without a text alternative is a warning at the image.

use super::ArticleEntry;
use crate::diag::Code;
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
        Diagnostic::new(
            Code::MissingFile,
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

/// A warning for each image of a rendered text without a text alternative.
pub(crate) fn missing_alt(
    body: &crate::markdown::Rendered,
    place: &super::fragments::Place<'_>,
    diags: &mut Diagnostics,
) {
    for range in &body.images_without_alt {
        diags.push(
            Diagnostic::new(Code::MissingAlt, place.path, place.span(range, "!["), "an image without a text alternative")
                .with_hint("say what it shows between the brackets, `![The bridge at dawn](bridge.jpg)`; screen readers read nothing for `![](…)`"),
        );
    }
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
