//! Issue 15, item 5: co-located assets. An article or page that is `index.md` in a folder
//! of its own publishes the files beside it beside its page; relative paths in its body
//! and `image:` resolve against that folder first, then `static/`.

use crate::util::{Site, article, broken_links};

const STORM: &str = "content/articles/2025/storm/index.md";

fn storm_site() -> Site {
    let site = Site::new();
    site.file(
        STORM,
        &article(
            "image: {src: chart.png, alt: Rain by hour}\n",
            "![Rain by hour](chart.png)\n\nThe [data](data/rain.csv), our [logo](logo.png) and ![Logo](/logo.png).\n",
        ),
    );
    site.bytes("content/articles/2025/storm/chart.png", b"not decoded here");
    site.file(
        "content/articles/2025/storm/data/rain.csv",
        "hour,mm\n1,3\n",
    );
    site.file(
        "content/articles/2025/storm/notes.md",
        "# Notes\nkept with the article\n",
    );
    site.file("content/articles/2025/stray.png", "x");
    site.file("static/logo.png", "logo");
    site
}

#[test]
fn a_bundle_publishes_its_files_beside_the_article_and_its_body_finds_them() {
    let site = storm_site();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.path().join("public");
    // Named by its folder; its files (subfolders too) beside the page.
    assert!(out.join("articles/storm/index.html").is_file());
    assert!(out.join("articles/storm/chart.png").is_file());
    assert!(out.join("articles/storm/data/rain.csv").is_file());
    // Markdown of a bundle is part of it, as in Hugo: not an article, not published.
    assert!(!out.join("articles/notes").exists());
    assert!(!out.join("articles/storm/notes.md").exists());
    assert!(
        run.stderr
            .contains("content/articles/2025/storm/notes.md: warning: not an article"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/articles/2025/stray.png: warning: ignored: a file that is not Markdown"
        ),
        "{}",
        run.stderr
    );
    let html = site.read("articles/storm/index.html");
    assert!(html.contains("src=\"chart.png\""), "{html}");
    assert!(html.contains("href=\"data/rain.csv\""), "{html}");
    // Not beside the article: the static file, written relative to the page.
    assert!(html.contains("href=\"../../logo.png\""), "{html}");
    assert!(html.contains("src=\"../../logo.png\""), "{html}");
    // The lead image from the bundle, in the article, on the cards and in og:image.
    assert!(
        html.contains("<img src=\"../../articles/storm/chart.png\" alt=\"Rain by hour\""),
        "{html}"
    );
    assert!(site.read("index.html").contains("articles/storm/chart.png"));
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_missing_file_of_a_bundle_is_an_error_at_its_place() {
    let site = Site::new();
    site.file(
        STORM,
        &article(
            "",
            "Intro.\n\n![Gone](gone.png) and [the report](report.pdf).\n",
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/2025/storm/index.md:7:9: error: the image `gone.png` is not a file of this site"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("7:36: error: the file `report.pdf` is not a file of this site"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bundle_file_and_a_static_file_of_one_path_collide() {
    let site = storm_site();
    site.file("static/articles/storm/chart.png", "other");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("two sources make `articles/storm/chart.png`")
            && run
                .stderr
                .contains("`content/articles/2025/storm/chart.png`")
            && run.stderr.contains("`static/articles/storm/chart.png`"),
        "{}",
        run.stderr
    );
    // A file of the bundle against the page itself.
    let site = storm_site();
    site.file("content/articles/2025/storm/index.html", "<p>old</p>");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("two sources make `articles/storm/index.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_page_bundle_publishes_its_files_and_nested_pages_stay_pages() {
    let site = Site::new();
    site.file(
        "content/pages/about/index.md",
        "---\ntitle: About\n---\n![The team](team.jpg)\n\n[Projects](projects/)\n",
    );
    site.bytes("content/pages/about/team.jpg", b"jpeg");
    site.file(
        "content/pages/about/projects/index.md",
        "---\ntitle: Projects\n---\n[Plan](plan.pdf)\n",
    );
    site.bytes("content/pages/about/projects/plan.pdf", b"%PDF");
    site.file("content/articles/a.md", &article("", "A.\n"));
    let out = site.build_ok(&[]);
    assert!(out.join("about/team.jpg").is_file());
    assert!(out.join("about/projects/index.html").is_file());
    assert!(out.join("about/projects/plan.pdf").is_file());
    assert!(site.read("about/index.html").contains("src=\"team.jpg\""));
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_draft_bundle_publishes_its_files_only_with_drafts() {
    let site = Site::new();
    site.file(STORM, &article("draft: true\n", "![Chart](chart.png)\n"));
    site.bytes("content/articles/2025/storm/chart.png", b"png");
    site.file("content/articles/a.md", &article("", "A.\n"));
    let out = site.build_ok(&[]);
    assert!(!out.join("articles/storm").exists());
    let out = site.build_ok(&["--drafts"]);
    assert!(out.join("articles/storm/chart.png").is_file());
}

#[test]
fn serve_picks_up_a_changed_and_an_added_file_of_a_bundle() {
    use crate::serve_http::open_events;
    use crate::serve_live::Preview;
    let site = storm_site();
    let p = Preview::start(&site);
    assert_eq!(p.page("/articles/storm/data/rain.csv").1, "hour,mm\n1,3\n");
    let (mut events, _) = open_events(p.addr);
    site.file(
        "content/articles/2025/storm/data/rain.csv",
        "hour,mm\n1,4\n",
    );
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/articles/storm/data/rain.csv").1, "hour,mm\n1,4\n");
    site.file("content/articles/2025/storm/more.txt", "more");
    Preview::wait_event(&mut events, "reload");
    assert_eq!(
        p.page("/articles/storm/more.txt"),
        (200, "more".to_string())
    );
}
