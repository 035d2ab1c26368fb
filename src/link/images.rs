//! Images: a lead image (`image:`) that names a path of the site must be one of its
//! files (beside the article in its bundle, or under `static/`), else an error at the
//! `image` value (addresses, `https://…`, are not checked: gloss makes no network
//! requests); an image in a body without a text alternative is a warning at the image.

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
    if src.contains("://") || lead_image_path(e, site_files).is_some() {
        return d;
    }
    let shown = if image.is_root_relative {
        format!("/{src}")
    } else {
        src.clone()
    };
    d.push(
        Diagnostic::error(
            &e.article.path,
            Some(image.src.span),
            format!("the lead image `{shown}` is not a file of this site"),
        )
        .with_hint(format!(
            "put the image at static/{src} (or, without a leading `/`, beside the article as `my-story/index.md` in a folder of its own), or give its full https:// address"
        )),
    );
    d
}

/// The output path of `e`'s lead image when it is a file of the site: a path without a
/// leading `/` is looked for beside the article (its bundle) first, then from the root
/// (`static/`); `/path` only from the root. `None` for an address or a missing file.
pub(crate) fn lead_image_path(
    e: &ArticleEntry,
    site_files: &std::collections::BTreeSet<String>,
) -> Option<String> {
    let image = e.article.image.as_ref()?;
    let src = &image.src.value;
    if src.contains("://") {
        return None;
    }
    let beside = crate::routes::dirs::bundle_file(&e.dir, src);
    if !image.is_root_relative && site_files.contains(&beside) {
        return Some(beside);
    }
    site_files.contains(src).then(|| src.clone())
}

/// A warning for each image of a rendered text without a text alternative.
pub(crate) fn missing_alt(
    body: &crate::markdown::Rendered,
    place: &super::fragments::Place<'_>,
    diags: &mut Diagnostics,
) {
    for range in &body.images_without_alt {
        diags.push(
            Diagnostic::warning(place.path, place.span(range, "!["), "an image without a text alternative")
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
