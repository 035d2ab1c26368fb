//! Issue 15, item 3: `markdown.html: escape | sanitize | trust`, and the warnings
//! `gloss check` and `gloss build` give, once per file, about raw HTML escaped or removed
//! and about template syntax left in a body.

use crate::util::{Site, article};

/// A body as imported posts have them: a table, a figure, a script, an iframe embed, an
/// event handler and a link, inline HTML split over Markdown, plus Markdown around it.
const BODY: &str = "Intro *text*.\n\n\
<table>\n<thead><tr><th colspan=\"2\">Head</th></tr></thead>\n<tbody><tr><td rowspan=\"2\" onclick=\"steal()\">Cell</td></tr></tbody>\n</table>\n\n\
<figure><img src=\"chart.png\" alt=\"Chart\" width=\"300\"><figcaption>A chart</figcaption></figure>\n\n\
<script>alert('x')</script>\n\n\
<iframe src=\"https://www.youtube.com/embed/abc\" allowfullscreen></iframe>\n\n\
A <span class=\"note\">span *with* Markdown</span> and <a href=\"https://example.org/\" target=\"_blank\">a link</a>.\n";

fn site_with(html: &str) -> Site {
    let site = Site::new();
    site.file("site.yaml", &format!("markdown:\n  html: {html}\n"));
    site.file("content/articles/a.md", &article("", BODY));
    site
}

fn body_of(site: &Site) -> String {
    let page = site.read("articles/a/index.html");
    let start = page.find("<p>Intro").unwrap_or(0);
    page[start..].to_string()
}

#[test]
fn sanitize_keeps_tables_figures_and_links_and_drops_scripts_and_frames() {
    let site = site_with("sanitize");
    site.build_ok(&[]);
    let body = body_of(&site);
    for kept in [
        "<th colspan=\"2\">Head</th>",
        "<td rowspan=\"2\">Cell</td>",
        "<img src=\"chart.png\" alt=\"Chart\" width=\"300\">",
        "<figcaption>A chart</figcaption>",
        "<span class=\"note\">span <em>with</em> Markdown</span>",
        "<a href=\"https://example.org/\">a link</a>",
        "<em>text</em>",
    ] {
        assert!(body.contains(kept), "{kept} not in {body}");
    }
    for gone in [
        "<script", "alert(", "<iframe", "youtube", "onclick", "steal", "target=",
    ] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
}

#[test]
fn escape_shows_raw_html_as_text_and_trust_passes_it() {
    let site = site_with("escape");
    site.build_ok(&[]);
    let body = body_of(&site);
    assert!(
        body.contains("&lt;table&gt;") && !body.contains("<table>"),
        "{body}"
    );
    let site = site_with("trust");
    site.build_ok(&[]);
    let body = body_of(&site);
    assert!(
        body.contains("<iframe src=\"https://www.youtube.com/embed/abc\""),
        "{body}"
    );
}

#[test]
fn check_warns_once_per_file_with_a_count_at_the_first_place() {
    let site = site_with("sanitize");
    site.file("content/articles/b.md", &article("", BODY));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The `<td>` with `onclick`: line 9 (front matter 4 lines, intro, blank, two table lines).
    let want = "content/articles/a.md:9:12: warning: 4 tags or attributes removed by the sanitiser (markdown.html: sanitize)";
    assert!(run.stderr.contains(want), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("removed by the sanitiser").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "removed: `<iframe>` ×1, `<script>` ×1, `onclick` ×1, `target` ×1; embedded frames"
        ),
        "{}",
        run.stderr
    );
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);

    let site = site_with("escape");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:7:1: warning: 27 raw HTML tags escaped (markdown.html: escape)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("set `markdown.html: sanitize`"),
        "{}",
        run.stderr
    );

    let site = site_with("trust");
    let run = site.run(&["check"]);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
}

#[test]
fn template_syntax_left_in_a_body_is_reported_outside_code_only() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article(
            "",
            "Intro.\n\n{% image \"a.png\", \"Alt\" %}\n\nSee {{ \"/x/\" | url }} and {{< tweet 123 >}}.\n\n\
             `{% raw %}` in code is fine.\n\n```\n{{ site.title }}\n```\n",
        ),
    );
    site.file(
        "content/articles/b.md",
        &article("", "Only `{{ code }}` here.\n\n    {% indented %}\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:7:1: warning: literal template syntax left in the body: `{% image … %}` (3 times)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
}

/// The bench corpus found it: gloss's own side notes and note links (`aria-label`) must
/// pass the sanitiser untouched, and not be counted as removed.
#[test]
fn sanitize_keeps_glosss_own_marks_and_notes() {
    let site = Site::new();
    site.file("site.yaml", "markdown:\n  html: sanitize\n");
    let front = "speakers: [jane]\nsources:\n  s:\n    url: https://example.org/\n\
                 quotes:\n  - speaker: jane\n    text: We will build it\n    source: s\n\
                 annotations:\n  - on: \"the old bridge\"\n    kind: context\n    note: Built in 1901.\n";
    site.file(
        "content/articles/a.md",
        &article(
            front,
            "Jane said: We will build it, near the old bridge.\n\n<p onclick=\"x()\">Raw</p>\n",
        ),
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("warning: 1 tag or attribute removed by the sanitiser"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("removed: `onclick` ×1;"),
        "{}",
        run.stderr
    );
    site.build_ok(&[]);
    let page = site.read("articles/a/index.html");
    assert!(page.contains("aria-label=\"Annotation 1"), "{page}");
    assert!(page.contains("id=\"quote-"), "{page}");
    assert!(page.contains("<p>Raw</p>"), "{page}");
}
