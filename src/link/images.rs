//! Images: a lead image (`image:`) that names a path of the site must be one of its
//! files (beside the article in its bundle, or under `static/`), else an error at the
//! `image` value (addresses, `https://…`, are not checked: gloss makes no network
//! requests); an image in a body without a text alternative is a warning at the image.

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
    if src.contains("://") || lead_image_path(e, site_files).is_some() {
        return d;
    }
    let shown = if image.is_root_relative {
        format!("/{src}")
    } else {
        src.clone()
    };
    d.push(
        Diagnostic::new(
            Code::MissingFile,
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

/// A resized copy of a raster image of the site, written beside it
/// ([`crate::routes::dirs::variant_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its path in the output (`articles/x/chart.960w.png`).
    pub out_path: String,
    /// The output path of the image it is a copy of.
    pub source: String,
    /// The image's file.
    pub from: std::path::PathBuf,
    /// Width in pixels.
    pub width: u32,
    /// Where its bytes are, once made (a file of the cache, see [`crate::resize`]); until
    /// then the original is published in its place.
    pub made: Option<std::path::PathBuf>,
}

/// The widths of the copies of an image `width` pixels wide: the configured widths
/// below its own, ascending. Never one as wide or wider: no upscaling, and the original
/// is the widest candidate itself.
pub(crate) fn variant_widths(widths: &[u32], width: u32) -> Vec<u32> {
    widths.iter().copied().filter(|&w| w < width).collect()
}

/// The height of a copy `width` pixels wide of an image of `size`, rounded, at least 1.
pub(crate) fn scaled_height(size: (u32, u32), width: u32) -> u32 {
    let (w, h) = size;
    let exact = u64::from(h) * u64::from(width);
    (((exact + u64::from(w) / 2) / u64::from(w.max(1))) as u32).max(1)
}

/// The URL of output file `out` from the page at `dir`: the path from the page's folder
/// when it lies under it (a bundle's file), else through the root.
fn url_from(dir: &str, out: &str) -> String {
    let folder = crate::routes::dirs::page_folder(dir);
    match out.strip_prefix(folder) {
        Some(rest) if !folder.is_empty() => crate::routes::dirs::encode(rest),
        _ => format!(
            "{}{}",
            crate::routes::dirs::root_prefix(dir),
            crate::routes::dirs::encode(out)
        ),
    }
}

/// The `sizes` of an image `width` pixels wide: the configured one, else its width up
/// to the default theme's text column, the screen's width below that.
pub(crate) fn sizes(options: &crate::model::ImageOptions, width: u32) -> String {
    match &options.sizes {
        Some(s) => s.clone(),
        None => {
            let shown = width.min(crate::model::TEXT_COLUMN);
            format!("(max-width: {shown}px) 100vw, {shown}px")
        }
    }
}

/// The size of the image at output path `out` and its `srcset` candidates: the copies,
/// narrowest first, then the original at its own width, each as (output path, width);
/// no candidates when it has no copies. `Err` with why when the file cannot be read as
/// an image; `None` for other files. The one place body images and the theme's images
/// (lead images, figures) get them from.
pub(crate) fn candidates(
    rasters: &std::collections::BTreeMap<String, crate::model::Raster>,
    options: &crate::model::ImageOptions,
    out: &str,
) -> Option<Result<Candidates, String>> {
    let (width, height) = match rasters.get(out)? {
        crate::model::Raster::Size { width, height } => (*width, *height),
        crate::model::Raster::Unreadable(why) => return Some(Err(why.clone())),
    };
    let widths = variant_widths(&options.widths, width);
    let mut list: Vec<(String, u32)> = widths
        .iter()
        .map(|&w| (crate::routes::dirs::variant_file(out, w), w))
        .collect();
    if !list.is_empty() {
        list.push((out.to_string(), width));
    }
    Some(Ok(Candidates {
        size: (width, height),
        list,
    }))
}

/// An image's size and `srcset` candidates (see [`candidates`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidates {
    /// Width and height of the original in pixels, as shown.
    pub(crate) size: (u32, u32),
    /// (output path, width) of each candidate, narrowest first; empty without copies.
    pub(crate) list: Vec<(String, u32)>,
}

/// What an image of the site needs beyond its `src` in a body: its size and, when it
/// has copies, `srcset` and `sizes`, with URLs from the page at `dir` (see
/// [`candidates`]).
pub(crate) fn responsive(
    rasters: &std::collections::BTreeMap<String, crate::model::Raster>,
    options: &crate::model::ImageOptions,
    out: &str,
    dir: &str,
) -> Option<Result<crate::markdown::ImageAttrs, String>> {
    let Candidates {
        size: (width, height),
        list,
    } = match candidates(rasters, options, out)? {
        Ok(c) => c,
        Err(why) => return Some(Err(why)),
    };
    let srcset: Vec<String> = list
        .iter()
        .map(|(path, w)| format!("{} {w}w", url_from(dir, path)))
        .collect();
    Some(Ok(crate::markdown::ImageAttrs {
        sizes: if srcset.is_empty() {
            String::new()
        } else {
            sizes(options, width)
        },
        srcset: srcset.join(", "),
        width,
        height,
    }))
}

/// The warning for an image referred to at `span` whose file cannot be read as one.
pub(crate) fn unreadable(
    path: &std::path::Path,
    span: Option<crate::diag::Span>,
    image: &str,
    why: &str,
) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::UnreadableImage,
        path,
        span,
        format!("the image `{image}` cannot be read ({why}); it is published as is, without resized copies"),
    )
    .with_hint("save it again as a JPEG, PNG or WebP file with the extension that matches its kind")
}

/// The copies every image the archive shows needs: in bodies, notes, pages, profiles,
/// and lead images.
pub(crate) fn all_variants(archive: &super::Archive) -> Vec<Variant> {
    let site_files = &archive.lookup.site_files;
    let used: std::collections::BTreeSet<String> = archive
        .articles
        .iter()
        .flat_map(|e| {
            e.body
                .images
                .iter()
                .cloned()
                .chain(lead_image_path(e, site_files))
        })
        .chain(archive.page_images.iter().cloned())
        .collect();
    variants(&archive.statics, &archive.config.images, &used)
}

/// Every copy the archive's images need: for each raster image a body, page, profile
/// or lead image shows (`used`, output paths), one per width below its own, in path
/// order.
pub(crate) fn variants(
    statics: &[crate::model::StaticFile],
    options: &crate::model::ImageOptions,
    used: &std::collections::BTreeSet<String>,
) -> Vec<Variant> {
    let mut out = Vec::new();
    for s in statics {
        let Some(crate::model::Raster::Size { width, .. }) = s.raster else {
            continue;
        };
        if !used.contains(&s.out_path) {
            continue;
        }
        for w in variant_widths(&options.widths, width) {
            out.push(Variant {
                out_path: crate::routes::dirs::variant_file(&s.out_path, w),
                source: s.out_path.clone(),
                from: s.from.clone(),
                width: w,
                made: None,
            });
        }
    }
    out.sort_by(|a, b| a.out_path.cmp(&b.out_path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ImageOptions, Raster};

    #[test]
    fn copies_are_the_configured_widths_below_the_image_and_never_wider() {
        let widths = [480, 960, 1600];
        assert_eq!(variant_widths(&widths, 1200), [480, 960]);
        assert_eq!(variant_widths(&widths, 960), [480]);
        assert!(variant_widths(&widths, 480).is_empty());
        assert!(variant_widths(&[], 4000).is_empty());
        assert_eq!(scaled_height((1200, 800), 480), 320);
        assert_eq!(scaled_height((3, 1), 1), 1);
        assert_eq!(scaled_height((1000, 333), 500), 167);
    }

    #[test]
    fn srcset_lists_the_copies_then_the_original_from_the_page() {
        let mut rasters = std::collections::BTreeMap::new();
        rasters.insert(
            "articles/storm/chart.png".to_string(),
            Raster::Size {
                width: 1200,
                height: 800,
            },
        );
        rasters.insert("bad.jpg".to_string(), Raster::Unreadable("no".into()));
        let o = ImageOptions::default();
        let a = responsive(&rasters, &o, "articles/storm/chart.png", "articles/storm/")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("no attributes"));
        assert_eq!(
            a.srcset,
            "chart.480w.png 480w, chart.960w.png 960w, chart.png 1200w"
        );
        assert_eq!(a.sizes, "(max-width: 720px) 100vw, 720px");
        assert_eq!((a.width, a.height), (1200, 800));
        // From another page: through the root.
        let a = responsive(&rasters, &o, "articles/storm/chart.png", "people/x/")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("no attributes"));
        assert!(
            a.srcset
                .starts_with("../../articles/storm/chart.480w.png 480w"),
            "{}",
            a.srcset
        );
        let off = ImageOptions {
            widths: Vec::new(),
            ..o.clone()
        };
        let a = responsive(
            &rasters,
            &off,
            "articles/storm/chart.png",
            "articles/storm/",
        )
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("no attributes"));
        assert_eq!((a.srcset.as_str(), a.width), ("", 1200));
        assert!(matches!(
            responsive(&rasters, &o, "bad.jpg", ""),
            Some(Err(_))
        ));
        assert!(responsive(&rasters, &o, "x.css", "").is_none());
    }
}
