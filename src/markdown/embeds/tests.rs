//! Tests of reading figure, video and social blocks: each key, each problem at its
//! place in the Markdown.

use super::*;
use crate::diag::Lines;
use crate::markdown::{self, HeadingIds, HtmlMode, Rendered};

const OPTIONS: MarkdownOptions = MarkdownOptions {
    smart_punctuation: true,
    html: HtmlMode::Escape,
    embeds: true,
};

/// Renders `md`, root-relative paths resolving to `../../PATH`.
fn render_with(md: &str, options: MarkdownOptions) -> Rendered {
    markdown::render(md, options, HeadingIds::Off, &mut |link| {
        (link.scheme == markdown::SITE_PATH).then(|| format!("../../{}", link.target).into())
    })
}

fn render(md: &str) -> Rendered {
    render_with(md, OPTIONS)
}

/// The problems as `line:col: message`, lines counted from the Markdown's first.
fn problems(r: &Rendered, md: &str) -> Vec<String> {
    let lines = Lines::new(md, 1);
    r.embed_problems
        .iter()
        .map(|(range, d)| {
            let s = lines.span(range.start, range.end);
            format!("{}:{}: {}", s.line, s.col, d.message)
        })
        .collect()
}

fn hints(r: &Rendered) -> Vec<String> {
    r.embed_problems
        .iter()
        .map(|(_, d)| d.hint.clone().unwrap_or_default())
        .collect()
}

fn only(r: &Rendered) -> &Embed {
    assert_eq!(r.embeds.len(), 1, "{:?}", r.embed_problems);
    &r.embeds[0]
}

#[test]
fn a_figure_reads_each_key() {
    let md = "Text.\n\n```figure\nimage: /images/bridge.jpg\nalt: The bridge\ncaption: The *old* bridge\ncredit: Jane Doe\nlink: https://example.org/big.jpg\n```\n";
    let r = render(md);
    assert_eq!(problems(&r, md), Vec::<String>::new());
    assert_eq!(
        only(&r),
        &Embed::Figure(Figure {
            image: Image {
                src: "../../images/bridge.jpg".into(),
                alt: "The bridge".into(),
                is_external: false,
                sized: None,
            },
            caption: Some("The <em>old</em> bridge".into()),
            credit: Some("Jane Doe".into()),
            link: Some("https://example.org/big.jpg".into()),
        })
    );
    assert_eq!(r.html, "<p>Text.</p>\n<!--gloss:embed 0-->\n");
}

#[test]
fn an_address_is_kept_and_a_relative_path_stays_as_written() {
    let md = "```figure\nimage: https://example.org/a.png\nalt: A\n```\n\n```figure\nimage: pics/b.png\nalt: B\n```\n";
    let r = render(md);
    let srcs: Vec<(&str, bool)> = r
        .embeds
        .iter()
        .map(|e| match e {
            Embed::Figure(f) => (f.image.src.as_str(), f.image.is_external),
            _ => panic!("not a figure"),
        })
        .collect();
    assert_eq!(
        srcs,
        [("https://example.org/a.png", true), ("pics/b.png", false)]
    );
}

#[test]
fn a_figure_without_image_is_an_error_at_its_fence() {
    let md = "Text.\n\n```figure\nalt: Nothing\n```\n";
    let r = render(md);
    assert!(r.embeds.is_empty());
    assert_eq!(problems(&r, md), ["3:1: a `figure` block without `image:`"]);
    assert!(hints(&r)[0].contains("image: /images/"), "{:?}", hints(&r));
    // Nothing of the block is shown.
    assert_eq!(r.html, "<p>Text.</p>\n");
}

#[test]
fn a_figure_without_alt_is_a_warning_at_its_image() {
    let md = "```figure\nimage: /a.png\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["2:1: a figure without a text alternative"]
    );
    assert_eq!(
        r.embed_problems[0].1.severity,
        crate::diag::Severity::Warning
    );
    assert_eq!(r.embeds.len(), 1);
}

#[test]
fn unknown_keys_are_errors_with_did_you_mean() {
    let md = "Intro.\n\n```figure\nimage: /a.png\nalt: A\ncaptoin: Hi\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["6:1: unknown key `captoin` in a `figure` block"]
    );
    assert!(
        hints(&r)[0].starts_with("did you mean `caption`?"),
        "{:?}",
        hints(&r)
    );
}

#[test]
fn yaml_syntax_errors_are_placed_in_the_block() {
    let md = "Intro.\n\n```social\nurl: https://x.com/a/status/1\ntext: [unclosed\n```\n";
    let r = render(md);
    let p = problems(&r, md);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("invalid YAML"), "{p:?}");
    assert!(p[0].starts_with("5:") || p[0].starts_with("6:"), "{p:?}");
}

#[test]
fn a_block_that_is_not_a_map_is_an_error() {
    let md = "```video\n- a\n- b\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["2:1: a `video` block must be a map, found a list"]
    );
}

#[test]
fn wrong_types_are_errors_at_the_value() {
    let md = "```figure\nimage: /a.png\nalt: [a, b]\n```\n";
    let r = render(md);
    let p = problems(&r, md);
    assert!(
        p.contains(&"3:6: `alt` must be text, found a list".to_string()),
        "{p:?}"
    );
}

#[test]
fn script_and_data_urls_are_not_images() {
    let md = "```figure\nimage: javascript:alert(1)\nalt: x\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["2:8: `image` must be a path of the site or an `https://` address"]
    );
    assert!(r.embeds.is_empty());
}

#[test]
fn a_youtube_video_links_to_its_page_with_the_start() {
    let md =
        "```video\nyoutube: dQw4w9WgXcQ\ntitle: A talk\nstart: 90\ncaption: From *2016*\n```\n";
    let r = render(md);
    let Embed::Video(v) = only(&r) else {
        panic!("not a video")
    };
    assert_eq!(v.service, "youtube");
    assert_eq!(v.service_name, Some("YouTube"));
    assert_eq!(v.id.as_deref(), Some("dQw4w9WgXcQ"));
    assert_eq!(v.href, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s");
    assert_eq!(v.start_text.as_deref(), Some("1:30"));
    assert_eq!(v.title.as_deref(), Some("A talk"));
    assert_eq!(v.caption.as_deref(), Some("From <em>2016</em>"));
    assert_eq!(v.src, None);
}

#[test]
fn a_vimeo_video_takes_a_poster_resolved_as_an_image() {
    let md = "```video\nvimeo: 76979871\nposter: /images/still.jpg\ntitle: T\n```\n";
    let r = render(md);
    let Embed::Video(v) = only(&r) else {
        panic!("not a video")
    };
    assert_eq!(v.href, "https://vimeo.com/76979871");
    let poster = v.poster.as_ref().map(|p| (p.src.as_str(), p.alt.as_str()));
    assert_eq!(poster, Some(("../../images/still.jpg", "T")));
}

#[test]
fn a_video_file_plays_from_its_start() {
    let md = "```video\nsrc: /videos/clip.mp4\nstart: 5\n```\n";
    let r = render(md);
    let Embed::Video(v) = only(&r) else {
        panic!("not a video")
    };
    assert_eq!(v.service, "file");
    assert_eq!(v.src.as_deref(), Some("../../videos/clip.mp4#t=5"));
    assert_eq!(v.href, "../../videos/clip.mp4");
}

#[test]
fn a_video_takes_exactly_one_source() {
    let none = "```video\ntitle: T\n```\n";
    let r = render(none);
    assert_eq!(
        problems(&r, none),
        ["1:1: a `video` block without `youtube:`, `vimeo:` or `src:`"]
    );
    let two = "```video\nyoutube: dQw4w9WgXcQ\nvimeo: 1\n```\n";
    let r = render(two);
    assert_eq!(
        problems(&r, two),
        ["3:1: a `video` block takes one of `youtube`, `vimeo` and `src`, not `youtube`, `vimeo`"]
    );
}

#[test]
fn a_video_address_instead_of_an_id_gets_the_id_in_the_hint() {
    let md = "```video\nyoutube: https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["2:10: invalid `youtube` id `https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3`"]
    );
    assert_eq!(
        hints(&r),
        ["write the video's id, not its address: `youtube: dQw4w9WgXcQ`"]
    );
    let md = "```video\nvimeo: https://vimeo.com/76979871\n```\n";
    assert_eq!(
        hints(&render(md)),
        ["write the video's id, not its address: `vimeo: 76979871`"]
    );
}

#[test]
fn start_is_whole_seconds() {
    let md = "```video\nvimeo: 1\nstart: \"1:30\"\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        ["3:8: `start` must be a whole number of seconds"]
    );
    assert_eq!(hints(&r), ["write the start in seconds: `start: 90`"]);
}

#[test]
fn a_social_post_reads_each_key() {
    let md = "```social\nurl: https://www.X.com/18F/status/1\nauthor: 18F\nhandle: \"@18F\"\ndate: 2016-05-04T10:00:00-04:00\ntext: |\n  We are **hiring**.\n\n  Apply now.\narchived: https://web.archive.org/web/2016/https://x.com/18F/status/1\nimage: /images/post.png\n```\n";
    let r = render(md);
    assert_eq!(problems(&r, md), Vec::<String>::new());
    assert_eq!(
        only(&r),
        &Embed::Social(Social {
            url: "https://www.X.com/18F/status/1".into(),
            site: "x.com".into(),
            author: Some("18F".into()),
            handle: Some("@18F".into()),
            date: Some("2016-05-04".into()),
            date_iso: Some("2016-05-04T10:00:00-04:00".into()),
            text: Some("<p>We are <strong>hiring</strong>.</p>\n<p>Apply now.</p>".into()),
            archived: Some("https://web.archive.org/web/2016/https://x.com/18F/status/1".into()),
            image: Some(Image {
                src: "../../images/post.png".into(),
                alt: String::new(),
                is_external: false,
                sized: None,
            }),
        })
    );
}

#[test]
fn a_social_post_needs_a_web_url_and_a_real_date() {
    let md = "```social\nauthor: A\n```\n";
    assert_eq!(
        problems(&render(md), md),
        ["1:1: a `social` block without `url:`"]
    );
    let md =
        "```social\nurl: x.com/a/status/1\ndate: May 4 2016\narchived: web.archive.org/x\n```\n";
    let r = render(md);
    assert_eq!(
        problems(&r, md),
        [
            "2:6: `url` must be a web address starting with `https://` or `http://`",
            "3:7: invalid `date` `May 4 2016`",
            "4:11: `archived` must be a web address starting with `https://` or `http://`",
        ]
    );
}

#[test]
fn a_block_in_a_list_is_placed_at_its_own_lines() {
    let md = "- item\n\n  ```figure\n  image: /a.png\n  alt: A\n  colour: red\n  ```\n";
    let r = render(md);
    assert_eq!(r.embeds.len(), 1);
    assert_eq!(
        problems(&r, md),
        ["6:3: unknown key `colour` in a `figure` block"]
    );
}

#[test]
fn other_info_strings_and_texts_without_embeds_stay_code() {
    let md = "```figures\nimage: /a.png\n```\n";
    assert!(
        render(md).html.contains("<pre><code"),
        "{}",
        render(md).html
    );
    let off = MarkdownOptions {
        embeds: false,
        ..OPTIONS
    };
    let md = "```figure\nimage: /a.png\n```\n";
    let r = render_with(md, off);
    assert!(r.embeds.is_empty());
    assert!(
        r.html.contains("<pre><code class=\"language-figure\">"),
        "{}",
        r.html
    );
}

#[test]
fn the_yaml_of_a_block_is_not_text_to_anchor_in() {
    let md = "Before.\n\n```figure\nimage: /a.png\nalt: The bridge\ncaption: A quoted phrase\n```\n\nAfter.\n";
    let mut text = String::new();
    markdown::render_marked(md, OPTIONS, HeadingIds::Off, &mut |_| None, &mut |model| {
        text = model.text.clone();
        Vec::new()
    });
    assert!(!text.contains("quoted phrase"), "{text}");
    assert!(!text.contains("image"), "{text}");
    assert!(
        text.contains("Before.") && text.contains("After."),
        "{text}"
    );
}

#[test]
fn placeholders_survive_the_sanitiser() {
    let sanitize = MarkdownOptions {
        html: HtmlMode::Sanitize,
        ..OPTIONS
    };
    let md = "<div onclick=\"x()\">raw</div>\n\n```figure\nimage: /a.png\nalt: A\n```\n";
    let r = render_with(md, sanitize);
    assert!(r.html.contains("<!--gloss:embed 0-->"), "{}", r.html);
    assert!(!r.html.contains("onclick"), "{}", r.html);
}

#[test]
fn a_caption_cannot_hold_raw_html_or_a_script_link() {
    let md = "```figure\nimage: /a.png\nalt: A\ncaption: \"[y](javascript:z) <script>x</script>\"\n```\n";
    let Embed::Figure(f) = only(&render(md)).clone() else {
        panic!("not a figure")
    };
    let caption = f.caption.unwrap_or_default();
    assert!(!caption.contains("<script>"), "{caption}");
    assert!(!caption.contains("javascript"), "{caption}");
}

#[test]
fn ids_are_found_in_video_addresses() {
    for (service, url, id) in [
        ("youtube", "https://youtu.be/dQw4w9WgXcQ?t=3", "dQw4w9WgXcQ"),
        (
            "youtube",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "dQw4w9WgXcQ",
        ),
        (
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
            "dQw4w9WgXcQ",
        ),
        (
            "youtube",
            "//www.youtube.com/watch?feature=x&v=dQw4w9WgXcQ",
            "dQw4w9WgXcQ",
        ),
        (
            "vimeo",
            "https://player.vimeo.com/video/76979871?h=1",
            "76979871",
        ),
        (
            "vimeo",
            "https://vimeo.com/channels/staff/76979871",
            "76979871",
        ),
    ] {
        assert_eq!(id_in_url(service, url).as_deref(), Some(id), "{url}");
    }
    assert_eq!(id_in_url("youtube", "https://example.org/watch?v=x"), None);
}

#[test]
fn start_times_read_as_clocks() {
    assert_eq!(clock(5), "0:05");
    assert_eq!(clock(90), "1:30");
    assert_eq!(clock(3723), "1:02:03");
    assert_eq!(from_clock("1:02:03"), Some(3723));
    assert_eq!(from_clock("soon"), None);
}
