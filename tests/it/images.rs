//! Issue 15, item 5: responsive images. Each JPEG, PNG or WebP image of the site that a
//! page shows gets resized copies at the configured widths below its own, written beside
//! it, and its `<img>` a `srcset`, `sizes`, `width` and `height`; the copies are cached
//! in `.gloss/images/` across builds.

use std::path::Path;

use crate::util::{Site, article, broken_links};

const STORM: &str = "content/articles/2025/storm/index.md";

/// A PNG (or, by `format`, another kind) of `w` x `h` pixels with some detail in it.
fn picture(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 3 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut bytes, format)
        .unwrap_or_else(|e| panic!("{e}"));
    bytes.into_inner()
}

fn size_of(path: &Path) -> (u32, u32, image::ImageFormat) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = image::guess_format(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let img = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{e}"));
    (img.width(), img.height(), format)
}

fn site() -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        "base_url: https://example.org/archive/\nimages:\n  widths: [960, 480, 1600]\n",
    );
    site.file(
        STORM,
        &article(
            "image: {src: chart.png, alt: Rain by hour}\n",
            "![Rain by hour](chart.png)\n\n![The wide view](/photos/wide.jpg \"Wide\")\n\n![A small one](small.png)\n",
        ),
    );
    site.bytes(
        "content/articles/2025/storm/chart.png",
        &picture(1200, 800, image::ImageFormat::Png),
    );
    site.bytes(
        "content/articles/2025/storm/small.png",
        &picture(300, 200, image::ImageFormat::Png),
    );
    site.bytes(
        "static/photos/wide.jpg",
        &picture(2000, 1000, image::ImageFormat::Jpeg),
    );
    site
}

#[test]
fn copies_are_written_beside_their_images_and_listed_in_srcset() {
    let site = site();
    let out = site.build_ok(&[]);
    for (path, want) in [
        (
            "articles/storm/chart.480w.png",
            (480, 320, image::ImageFormat::Png),
        ),
        (
            "articles/storm/chart.960w.png",
            (960, 640, image::ImageFormat::Png),
        ),
        ("photos/wide.480w.jpg", (480, 240, image::ImageFormat::Jpeg)),
        ("photos/wide.960w.jpg", (960, 480, image::ImageFormat::Jpeg)),
        (
            "photos/wide.1600w.jpg",
            (1600, 800, image::ImageFormat::Jpeg),
        ),
    ] {
        assert_eq!(size_of(&out.join(path)), want, "{path}");
    }
    // Never upscaled: no copy as wide as the original or wider.
    assert!(!out.join("articles/storm/chart.1600w.png").exists());
    assert!(!out.join("articles/storm/small.480w.png").exists());
    let html = site.read("articles/storm/index.html");
    assert!(
        html.contains(
            "<img src=\"chart.png\" alt=\"Rain by hour\" srcset=\"chart.480w.png 480w, chart.960w.png 960w, chart.png 1200w\" sizes=\"(max-width: 720px) 100vw, 720px\" width=\"1200\" height=\"800\" />"
        ),
        "{html}"
    );
    // A static image: the copies through the root, relative (the sub-path of base_url
    // plays no part).
    assert!(
        html.contains(
            "<img src=\"../../photos/wide.jpg\" alt=\"The wide view\" title=\"Wide\" srcset=\"../../photos/wide.480w.jpg 480w, ../../photos/wide.960w.jpg 960w, ../../photos/wide.1600w.jpg 1600w, ../../photos/wide.jpg 2000w\""
        ),
        "{html}"
    );
    // No copies, but its size, so the page does not shift as it loads.
    assert!(
        html.contains("<img src=\"small.png\" alt=\"A small one\" width=\"300\" height=\"200\" />"),
        "{html}"
    );
    // The lead image, rendered by the theme from the view's data.
    assert!(
        html.contains("width=\"1200\" height=\"800\" srcset=\"../../articles/storm/chart.480w.png 480w, ../../articles/storm/chart.960w.png 960w, ../../articles/storm/chart.png 1200w\" sizes=\"(max-width: 720px) 100vw, 720px\">"),
        "{html}"
    );
    assert!(html.contains("content=\"https://example.org/archive/articles/storm/chart.png\""));
    let home = site.read("index.html");
    assert!(
        home.contains("srcset=\"./articles/storm/chart.480w.png 480w, ./articles/storm/chart.960w.png 960w, ./articles/storm/chart.png 1200w\" sizes=\"6rem\""),
        "{home}"
    );
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The log line of the resize step: (copies made, copies from the cache).
fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains("images: ") && l.contains("copies made"))
        .unwrap_or_else(|| panic!("no resize line in:\n{stderr}"));
    let number = |after: &str| -> usize {
        let rest = &line[..line.find(after).unwrap_or_else(|| panic!("{line}"))];
        rest.rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{line}"))
    };
    (number(" copies made"), number(" from the cache"))
}

fn build_logged(site: &Site, body: &str) -> String {
    site.file("content/articles/other.md", &article("", body));
    let run = site.run_with(&["build"], &[("GLOSS_LOG", "debug")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

#[test]
fn a_rebuild_takes_the_copies_from_the_cache_and_remakes_a_damaged_one() {
    let site = site();
    assert_eq!(counts(&build_logged(&site, "One.\n")), (5, 0));
    let cache = site.path().join(".gloss/images");
    let stamps = |dir: &Path| -> Vec<(String, std::time::SystemTime)> {
        let mut list: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| {
                let modified = e.metadata().and_then(|m| m.modified());
                (
                    e.file_name().to_string_lossy().into_owned(),
                    modified.unwrap_or_else(|e| panic!("{e}")),
                )
            })
            .collect();
        list.sort();
        list
    };
    let before = stamps(&cache);
    assert_eq!(before.len(), 5, "{before:?}");
    // An article edited: every copy comes from the cache, none is written again.
    assert_eq!(counts(&build_logged(&site, "Two.\n")), (0, 5));
    assert_eq!(stamps(&cache), before);
    // A damaged entry is ignored and made again; the output holds a whole image.
    let (name, _) = before
        .iter()
        .find(|(n, _)| n.contains("-960w-") && n.ends_with(".png"))
        .unwrap_or_else(|| panic!("{before:?}"));
    std::fs::write(cache.join(name), b"cut sh").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counts(&build_logged(&site, "Three.\n")), (1, 4));
    let out = site.path().join("public");
    assert_eq!(
        size_of(&out.join("articles/storm/chart.960w.png")),
        (960, 640, image::ImageFormat::Png)
    );
    // A width no longer configured: its copies leave the cache, the others stay.
    site.file("site.yaml", "images:\n  widths: [480]\n");
    let stderr = build_logged(&site, "Pruned.\n");
    assert_eq!(counts(&stderr), (0, 2));
    assert!(stderr.contains("3 unused removed"), "{stderr}");
    let left = stamps(&cache);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().all(|(n, _)| n.contains("-480w-")), "{left:?}");
    // `widths: []` turns copies off, and the unused copies go.
    site.file("site.yaml", "images:\n  widths: []\n");
    let stderr = build_logged(&site, "Four.\n");
    assert!(!stderr.contains("copies made"), "{stderr}");
    assert_eq!(stamps(&cache), Vec::new());
    assert!(!out.join("articles/storm/chart.480w.png").exists());
    let html = site.read("articles/storm/index.html");
    assert!(!html.contains("srcset"), "{html}");
    assert!(html.contains("width=\"1200\" height=\"800\""), "{html}");
}

#[test]
fn an_image_that_cannot_be_decoded_is_a_warning_at_its_reference_and_published_as_is() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("", "Intro.\n\nSee ![a chart](/broken.png) here.\n"),
    );
    site.bytes("static/broken.png", b"not a png at all");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:7:16: warning: the image `/broken.png` cannot be read"
        ),
        "{}",
        run.stderr
    );
    let out = site.path().join("public");
    assert_eq!(
        std::fs::read(out.join("broken.png")).unwrap_or_default(),
        b"not a png at all"
    );
    let html = site.read("articles/a/index.html");
    assert!(
        html.contains("<img src=\"../../broken.png\" alt=\"a chart\" />"),
        "{html}"
    );
}

#[test]
fn a_static_file_where_a_copy_goes_is_an_error() {
    let site = site();
    site.file("static/photos/wide.480w.jpg", "mine");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "static/photos/wide.480w.jpg: error: two sources make `photos/wide.480w.jpg`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_remakes_the_copies_of_a_changed_image_of_a_bundle() {
    use crate::serve_http::{get, open_events};
    use crate::serve_live::Preview;
    let site = site();
    let p = Preview::start(&site);
    assert!(
        p.page("/articles/storm/")
            .1
            .contains("width=\"1200\" height=\"800\"")
    );
    let (mut events, _) = open_events(p.addr);
    site.bytes(
        "content/articles/2025/storm/chart.png",
        &picture(1000, 500, image::ImageFormat::Png),
    );
    Preview::wait_event(&mut events, "reload");
    let page = p.page("/articles/storm/").1;
    assert!(page.contains("width=\"1000\" height=\"500\""), "{page}");
    let copy = get(p.addr, "/articles/storm/chart.480w.png");
    assert_eq!(copy.status, 200);
    let length = copy
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.clone());
    let made = std::fs::read_dir(site.path().join(".gloss/images"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("-480w-") && name.ends_with(".png")
        })
        .map(|e| {
            e.metadata()
                .map(|m| m.len().to_string())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>();
    // Two 480-pixel copies now: the old image's and the new one's, which is served.
    assert_eq!(made.len(), 2, "{made:?}");
    assert!(length.is_some_and(|l| made.contains(&l)));
}
