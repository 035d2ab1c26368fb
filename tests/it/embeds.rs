//! Figures, videos and social posts (issue 15, item 2): the `figure`, `video` and
//! `social` blocks of the fixture `tests/fixtures/embeds/` rendered through the default
//! theme (one snapshot per block), without any request to another host, overridable by a
//! site, located errors, and never a place where quotes or annotations anchor.

use std::path::Path;

use crate::util::{Site, article, copy_dir};

fn fixture() -> Site {
    let site = Site::new();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embeds");
    copy_dir(&from, site.path());
    site
}

/// The `<figure class="embed …">` elements of `html`, in order.
fn embeds(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<figure class=\"embed ") {
        let tail = &rest[i..];
        let end = tail
            .find("</figure>")
            .map_or(tail.len(), |j| j + "</figure>".len());
        out.push(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

#[test]
fn each_block_renders_through_the_theme() {
    let site = fixture();
    site.build_ok(&[]);
    let html = site.read("articles/embeds/index.html");
    let found = embeds(&html);
    let names = [
        "figure_caption_credit",
        "figure_plain",
        "figure_remote_linked",
        "video_youtube",
        "video_vimeo_poster",
        "video_file_poster",
        "social_archived",
        "social_plain",
    ];
    assert_eq!(found.len(), names.len(), "{html}");
    for (name, embed) in names.iter().zip(&found) {
        insta::assert_snapshot!(format!("embed_{name}"), embed);
    }
    // Where the author wrote them: between the first paragraph and the last.
    let first = html.find("Work resumed").unwrap_or(usize::MAX);
    let last = html.find("The end.").unwrap_or(0);
    let at = html.find("<figure class=\"embed ").unwrap_or(0);
    assert!(first < at && at < last, "{html}");
    assert!(!html.contains("gloss:embed"), "placeholder left: {html}");
    crate::util::check_nesting(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !html.contains("```") && !html.contains("image: /images"),
        "{html}"
    );
}

#[test]
fn embeds_make_no_request_to_another_host() {
    let site = fixture();
    site.build_ok(&[]);
    let html = site.read("articles/embeds/index.html");
    assert!(!html.contains("<iframe"), "{html}");
    assert!(!html.contains("<script src"), "{html}");
    assert!(
        !html.contains("youtube.com/embed") && !html.contains("player.vimeo"),
        "{html}"
    );
    // The only address the page loads from elsewhere is the image the author wrote.
    let mut loaded = crate::util::attr_values(&html, "src");
    loaded.extend(crate::util::attr_values(&html, "poster"));
    let remote: Vec<&&str> = loaded.iter().filter(|s| s.contains("://")).collect();
    assert_eq!(
        remote,
        [&"https://images.example.org/bridge-wide.jpg"],
        "{loaded:?}"
    );
    assert!(crate::util::broken_links(&site.path().join("public")).is_empty());
}

#[test]
fn pages_and_full_text_feeds_show_embeds_too() {
    let site = fixture();
    site.build_ok(&[]);
    let about = site.read("about/index.html");
    assert!(
        about.contains("<img src=\"../images/bridge.jpg\" alt=\"Our office by the bridge\""),
        "{about}"
    );
    let feed = site.read("feed.xml");
    assert!(feed.contains("embed-social"), "{feed}");
    assert!(!feed.contains("gloss:embed"), "{feed}");
}

#[test]
fn a_site_overrides_the_markup_of_embeds() {
    let site = fixture();
    site.file(
        "templates/embed.html",
        "<aside class=\"mine\">{{ embed.kind }}{% if embed.image %} {{ embed.image.src }}{% endif %}</aside>",
    );
    site.build_ok(&[]);
    let html = site.read("articles/embeds/index.html");
    assert!(
        html.contains("<aside class=\"mine\">figure ../../images/bridge.jpg</aside>"),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"mine\">social</aside>"),
        "{html}"
    );
    assert!(!html.contains("embed-figure"), "{html}");
}

#[test]
fn quotes_and_annotations_never_anchor_in_a_block() {
    let site = fixture();
    site.build_ok(&[]);
    let html = site.read("articles/embeds/index.html");
    // The quote is in the first paragraph and in a social post's YAML: marked once,
    // in the paragraph.
    assert_eq!(html.matches("<span class=\"quote\"").count(), 1, "{html}");
    let mark = html.find("<span class=\"quote\"").unwrap_or(usize::MAX);
    assert!(mark < html.find("<figure").unwrap_or(0), "{html}");

    // A passage only a block's YAML holds is not in the text.
    let site = Site::new();
    site.file("static/a.png", "x");
    site.file(
        "content/articles/a.md",
        &article(
            "annotations:\n  - on: \"old bridge\"\n    kind: note\n    note: N\n",
            "Text.\n\n```figure\nimage: /a.png\nalt: The old bridge\n```\n",
        ),
    );
    let run = site.run(&["build"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("old bridge"), "{}", run.stderr);
    assert!(run.stderr.contains("is not in the text"), "{}", run.stderr);
}

#[test]
fn block_errors_are_located_in_the_article() {
    let site = Site::new();
    site.file("static/images/a.png", "x");
    site.file(
        "content/articles/a.md",
        &article(
            "",
            "Text.\n\n```figure\nimage: /images/missing.png\nalt: A\ncaptoin: C\n```\n\n```video\nyoutube: https://youtu.be/dQw4w9WgXcQ\n```\n\n```social\nauthor: Nobody\n```\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/articles/a.md:8:8: error: `/images/missing.png` is not a file of this site",
        "content/articles/a.md:10:1: error: unknown key `captoin` in a `figure` block",
        "did you mean `caption`?",
        "content/articles/a.md:14:10: error: invalid `youtube` id `https://youtu.be/dQw4w9WgXcQ`",
        "`youtube: dQw4w9WgXcQ`",
        "content/articles/a.md:17:1: error: a `social` block without `url:`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}
