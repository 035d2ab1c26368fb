//! The size of each raster image of the site (JPEG, PNG, WebP, by its name's extension),
//! read from its header when the site is loaded, so that link can give `<img>` its
//! `width`, `height` and `srcset` without decoding anything. Input: a file's path.
//! Output: its [`Raster`] (or `None` for other files).

use std::path::Path;

use image::ImageDecoder as _;

use crate::model::Raster;

/// The image format of `path` by its extension, for the kinds gloss resizes.
pub(crate) fn format_of(path: &Path) -> Option<image::ImageFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(image::ImageFormat::Jpeg),
        "png" => Some(image::ImageFormat::Png),
        "webp" => Some(image::ImageFormat::WebP),
        _ => None,
    }
}

/// The size of the image at `path` as a browser shows it (a JPEG's EXIF rotation
/// applied), or why its header cannot be read; `None` when it is no raster image.
pub(super) fn probe(path: &Path) -> Option<Raster> {
    let format = format_of(path)?;
    Some(match size(path, format) {
        Ok((width, height)) if width > 0 && height > 0 => Raster::Size { width, height },
        Ok(_) => Raster::Unreadable("it has no pixels".into()),
        Err(why) => Raster::Unreadable(why),
    })
}

fn size(path: &Path, format: image::ImageFormat) -> Result<(u32, u32), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let reader = image::ImageReader::with_format(std::io::BufReader::new(file), format);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    let turned = matches!(
        decoder.orientation(),
        Ok(image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH)
    );
    Ok(if turned { (h, w) } else { (w, h) })
}
