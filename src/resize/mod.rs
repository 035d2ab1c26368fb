//! The resized copies of the site's images: the step between link and render of
//! `gloss build` and `gloss serve` (not `gloss check`, which writes nothing). Input: the
//! copies link planned ([`Archive::variants`]: for each JPEG, PNG or WebP image a page
//! shows, the configured widths below its own). Output: each copy's bytes in the cache,
//! `.gloss/images/` ([`cache`]), which render then publishes like a static file.
//!
//! A copy keeps its image's format (JPEG quality from `images.quality`; PNG and WebP
//! lossless, the only WebP encoding the `image` crate has), is resized with a Lanczos3
//! filter (`fast_image_resize`), and has a JPEG's EXIF orientation applied, since the
//! copy carries no EXIF. Images are done in parallel, one decoded image per worker
//! thread at a time, so memory is bounded by the threads times the largest image (and
//! the `image` crate's limits refuse an image needing over 512 MB). An image decoded
//! for nothing: all its copies come from the cache when its bytes, the width and the
//! quality are those of an earlier build. An image that cannot be decoded is a warning,
//! and the original takes each copy's place.

mod cache;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use image::{DynamicImage, ImageFormat};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Archive;

pub use cache::CACHE_DIR;

/// Makes (or finds in the cache) every copy of `archive.variants`, and records where
/// each one's bytes are. Warnings for images that cannot be decoded come back; an error
/// only when the cache folder cannot be made. With `prune` (`gloss build`), the cache's
/// entries this site no longer uses are removed; a preview keeps them, its last good
/// pages still pointing at them while a new render may fail.
pub fn make(archive: &mut Archive, prune: bool) -> Result<Diagnostics> {
    let mut diags = Diagnostics::new();
    if archive.variants.is_empty() {
        // No image shows any more: the copies of earlier builds are all unused.
        if let Some(cache) = cache::Cache::existing(&archive.root)?.filter(|_| prune) {
            cache.prune();
        }
        return Ok(diags);
    }
    let t = std::time::Instant::now();
    let quality = archive.config.images.quality;
    // The copies of one image together: it is read and decoded once.
    let mut by_image: BTreeMap<&Path, Vec<(usize, u32)>> = BTreeMap::new();
    // Copies made for an earlier archive of this preview (see `link::relink`) stand.
    for (i, v) in archive.variants.iter().enumerate() {
        if v.made.is_none() {
            by_image.entry(&v.from).or_default().push((i, v.width));
        }
    }
    if by_image.is_empty() {
        return Ok(diags);
    }
    let cache = cache::Cache::open(&archive.root)?;
    let stats = Stats::default();
    let done: Vec<Done> = by_image
        .into_par_iter()
        .map(|(from, copies)| {
            match one_image(from, &copies, quality, &cache, &stats) {
                Ok(made) => (made, None),
                Err(why) => {
                    let rel = from.strip_prefix(&archive.root).unwrap_or(from);
                    let d = Diagnostic::new(
                        crate::diag::Code::UnreadableImage,
                        rel,
                        None,
                        format!("cannot make resized copies of this image: {why}; the original is published in their place"),
                    )
                    .with_hint("save it again as a JPEG, PNG or WebP file with the extension that matches its kind");
                    (Vec::new(), Some(d))
                }
            }
        })
        .collect();
    // Pruning needs every copy of the site to have been asked for.
    let pruned = if prune && archive.variants.iter().all(|v| v.made.is_none()) {
        cache.prune()
    } else {
        0
    };
    for (made, d) in done {
        for (i, path) in made {
            archive.variants[i].made = Some(path);
        }
        if let Some(d) = d {
            diags.push(d);
        }
    }
    tracing::debug!(
        "images: {} copies made, {} from the cache, {pruned} unused removed ({:.2?})",
        stats.made.load(Ordering::Relaxed),
        stats.cached.load(Ordering::Relaxed),
        t.elapsed()
    );
    Ok(diags)
}

/// What one image gave: (variant index, file) of each copy, or the warning why none.
type Done = (Vec<(usize, PathBuf)>, Option<Diagnostic>);

/// Counts of copies, for the debug log (and the tests that read it).
#[derive(Default)]
struct Stats {
    made: AtomicUsize,
    cached: AtomicUsize,
}

/// Version of the way copies are made (filter, encoders): part of every cache key, so
/// a change makes new entries instead of reusing ones made the old way.
const PIPELINE: u32 = 1;

/// The copies `copies` (index, width) of the image at `from`, from the cache or made now.
fn one_image(
    from: &Path,
    copies: &[(usize, u32)],
    quality: u8,
    cache: &cache::Cache,
    stats: &Stats,
) -> Result<Vec<(usize, PathBuf)>, String> {
    let format = crate::load::raster::format_of(from).ok_or("not a JPEG, PNG or WebP name")?;
    let bytes = std::fs::read(from).map_err(|e| e.to_string())?;
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    let ext = from
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("img")
        .to_ascii_lowercase();
    let mut out = Vec::with_capacity(copies.len());
    let mut decoded: Option<DynamicImage> = None;
    for &(i, width) in copies {
        let key = cache::key(hash, width, quality, PIPELINE);
        if let Some(path) = cache.get(&key) {
            stats.cached.fetch_add(1, Ordering::Relaxed);
            out.push((i, path));
            continue;
        }
        let image = match &decoded {
            Some(img) => img,
            None => decoded.insert(decode(&bytes, format)?),
        };
        let copy = encode(&resized(image, width)?, format, quality)?;
        let path = cache.put(&key, &ext, &copy).map_err(|e| format!("{e:#}"))?;
        stats.made.fetch_add(1, Ordering::Relaxed);
        out.push((i, path));
    }
    Ok(out)
}

/// The image as shown: decoded, a JPEG's EXIF orientation applied.
fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, String> {
    use image::ImageDecoder as _;
    let reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// `image` scaled to `width` pixels, its aspect kept.
fn resized(image: &DynamicImage, width: u32) -> Result<DynamicImage, String> {
    use fast_image_resize::{FilterType, IntoImageView as _, ResizeAlg, ResizeOptions, Resizer};
    // Pixel kinds the resizer does not take (none of the three decoders makes them).
    let converted;
    let image = if image.pixel_type().is_some() {
        image
    } else {
        converted = DynamicImage::ImageRgba8(image.to_rgba8());
        &converted
    };
    let height = crate::link::images::scaled_height((image.width(), image.height()), width);
    let mut copy = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(image, &mut copy, &options)
        .map_err(|e| e.to_string())?;
    Ok(copy)
}

/// `image` in `format`: JPEG at `quality`, PNG and WebP lossless.
fn encode(image: &DynamicImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>, String> {
    use image::codecs::{jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder};
    let mut bytes = Vec::new();
    let result = match format {
        ImageFormat::Jpeg => {
            // JPEG holds 8-bit grey or RGB only.
            let image = match image {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => image.clone(),
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))
        }
        ImageFormat::WebP => {
            let image = match image {
                DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image.clone(),
                other => DynamicImage::ImageRgba8(other.to_rgba8()),
            };
            image.write_with_encoder(WebPEncoder::new_lossless(&mut bytes))
        }
        _ => image.write_with_encoder(PngEncoder::new(&mut bytes)),
    };
    result.map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_has_the_asked_width_the_aspect_and_the_format() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        let copy = resized(&image, 120).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((copy.width(), copy.height()), (120, 80));
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let bytes = encode(&copy, format, 80).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(image::guess_format(&bytes).ok(), Some(format));
            let back = decode(&bytes, format).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((back.width(), back.height()), (120, 80));
        }
        assert!(decode(b"not an image", ImageFormat::Png).is_err());
    }
}
