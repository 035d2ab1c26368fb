//! Issue 14, items 2, 3 and 5: output paths that collide or leave the output are errors
//! of `gloss check` and `gloss build` before anything is written, naming both sources;
//! a failed build leaves the previous output as it was, and the next build after the
//! cause is gone succeeds.

use crate::util::{Site, article, tree};

/// A site with one article, built once into `public/`.
fn built() -> Site {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "A body.\n"));
    site.file("content/pages/about.md", "---\ntitle: About\n---\nAbout.\n");
    site.build_ok(&[]);
    site
}

/// `gloss check` and `gloss build` both fail with every `expected` text in their
/// output, and the output of the last good build is untouched.
fn refused(site: &Site, expected: &[&str]) {
    let before = tree(&site.path().join("public"));
    for command in [&["check"][..], &["build"][..]] {
        let run = site.run(command);
        assert_eq!(run.code, 1, "{command:?}:\n{}", run.stderr);
        for e in expected {
            assert!(
                run.stderr.contains(e),
                "{command:?}: no `{e}` in\n{}",
                run.stderr
            );
        }
        assert!(
            !run.stderr.contains("Is a directory") && !run.stderr.contains("os error"),
            "unlocated I/O error:\n{}",
            run.stderr
        );
    }
    assert!(
        tree(&site.path().join("public")) == before,
        "the output changed"
    );
}

#[test]
fn a_page_and_an_index_page_of_the_same_folder_collide() {
    let site = built();
    site.file("content/pages/help.md", "---\ntitle: Help\n---\nOne.\n");
    site.file(
        "content/pages/help/index.md",
        "---\ntitle: Help 2\n---\nTwo.\n",
    );
    refused(
        &site,
        &[
            "two sources make `help/index.html`",
            "`content/pages/help.md`",
            "`content/pages/help/index.md`",
        ],
    );
    // The cause gone, the next build succeeds without anything deleted by hand.
    std::fs::remove_file(site.path().join("content/pages/help/index.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    site.build_ok(&[]);
    assert!(site.read("help/index.html").contains("One."));
}

#[test]
fn a_page_at_an_articles_url_collides() {
    let site = built();
    site.file(
        "content/pages/articles/a.md",
        "---\ntitle: Page\n---\nPage.\n",
    );
    refused(
        &site,
        &[
            "two sources make `articles/a/index.html`",
            "`content/articles/a.md`",
            "`content/pages/articles/a.md`",
        ],
    );
}

#[test]
fn a_static_file_against_a_generated_page_a_theme_file_or_a_folder() {
    let site = built();
    site.file("static/feed.xml", "<feed/>");
    refused(
        &site,
        &[
            "static/feed.xml",
            "two sources make `feed.xml`",
            "gloss's page `/feed.xml`",
        ],
    );
    std::fs::remove_file(site.path().join("static/feed.xml")).unwrap_or_else(|e| panic!("{e}"));
    // A file where a page needs a folder.
    site.file("static/about", "plain");
    refused(
        &site,
        &["`about` would be both a file and the folder of `about/index.html`"],
    );
    std::fs::remove_file(site.path().join("static/about")).unwrap_or_else(|e| panic!("{e}"));
    // A theme's static file against a generated page.
    site.file("site.yaml", "theme: t\n");
    site.file("themes/t/static/404.html", "theme's own");
    refused(
        &site,
        &["themes/t/static/404.html", "two sources make `404.html`"],
    );
    std::fs::remove_file(site.path().join("themes/t/static/404.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Into the search index's folders.
    site.file("static/search/t/zz.json", "{}");
    refused(&site, &["holds gloss's search index"]);
}

#[test]
fn slugs_equal_but_for_case_or_normalisation_collide() {
    let site = built();
    site.file("content/articles/2024/Report.md", &article("", "Upper.\n"));
    site.file("content/articles/2025/report.md", &article("", "Lower.\n"));
    refused(
        &site,
        &[
            "`articles/Report/index.html` and `articles/report/index.html` differ only by case or Unicode normalisation",
            "content/articles/2024/Report.md",
            "content/articles/2025/report.md",
        ],
    );
    std::fs::remove_file(site.path().join("content/articles/2024/Report.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    // "café" composed (NFC) and decomposed (NFD, as macOS writes names).
    site.file("content/articles/caf\u{e9}.md", &article("", "Composed.\n"));
    site.file(
        "content/articles/cafe\u{301}.md",
        &article("", "Decomposed.\n"),
    );
    refused(&site, &["two sources make `articles/caf\u{e9}/index.html`"]);
}

#[test]
fn a_permalink_or_theme_leaving_the_site_is_an_error_at_its_key() {
    let site = built();
    site.file(
        "site.yaml",
        "title: T\npermalinks:\n  article: /../../victim/{slug}/\n",
    );
    refused(
        &site,
        &["site.yaml:3:12: error: invalid article permalink `/../../victim/{slug}/`"],
    );
    site.file("site.yaml", "theme: ../../elsewhere\n");
    refused(
        &site,
        &["site.yaml:1:8: error: invalid theme `../../elsewhere`"],
    );
    let victim = site.path().parent().map(|p| p.join("victim"));
    assert!(victim.is_none_or(|v| !v.exists()));
}

#[cfg(unix)]
#[test]
fn a_theme_folder_linked_from_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(outside.path().join("static")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(outside.path().join("static/secret.txt"), "secret")
        .unwrap_or_else(|e| panic!("{e}"));
    let site = built();
    std::fs::create_dir_all(site.path().join("themes")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(outside.path(), site.path().join("themes/t"))
        .unwrap_or_else(|e| panic!("{e}"));
    site.file("site.yaml", "theme: t\n");
    refused(&site, &["theme `t` is a link to", "outside the site"]);
}

/// Issue 14, item 5: file names that hold URL syntax are linked as folders, in pages,
/// feeds and the sitemap.
#[test]
fn links_to_files_with_url_syntax_in_their_names_are_percent_encoded() {
    let site = Site::new();
    for name in ["a#b", "100%", "my file", "caf\u{e9}?"] {
        site.file(
            &format!("content/articles/{name}.md"),
            &article("topics: [t]\n", &format!("Body of {name}.\n")),
        );
    }
    site.file(
        "content/articles/index.md",
        &article("", "See [one](article:a#b) and [two](article:100%).\n"),
    );
    let out = site.build_ok(&[]);
    let broken = crate::util::broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    let home = site.read("index.html");
    assert!(home.contains("articles/a%23b/index.html"), "{home}");
    assert!(home.contains("articles/100%25/index.html"), "{home}");
    assert!(home.contains("articles/my%20file/index.html"), "{home}");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("/articles/caf%C3%A9%3F/"), "{sitemap}");
    assert!(!sitemap.contains("my file"), "{sitemap}");
    let feed = site.read("feed.xml");
    assert!(feed.contains("/articles/my%20file/"), "{feed}");
    let body = site.read("articles/index/index.html");
    assert!(body.contains("../../articles/a%23b/index.html"), "{body}");
}

mod random {
    use proptest::prelude::*;
    use std::path::Path;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "/", "..", ".", "{slug}", "{year}", "{month}", "x", "\\", "%2e%2e", "//", "a.b",
        ])
    }

    fn name() -> impl Strategy<Value = String> {
        r"[a-zA-Z0-9 ._#%\\-]{1,8}"
    }

    /// Every file under `dir`, relative to it.
    fn files(dir: &Path) -> Vec<String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Issue 14: whatever the permalink pattern, article names, page paths and static
        /// file names, `gloss build` writes nothing outside the output folder and its
        /// own `.gloss/`.
        #[test]
        fn random_permalinks_and_file_names_never_write_outside_the_output(
            pattern in prop::collection::vec(piece(), 1..5),
            articles in prop::collection::vec(name(), 1..4),
            pages in prop::collection::vec(prop::collection::vec(name(), 1..3), 0..3),
            statics in prop::collection::vec(prop::collection::vec(name(), 1..3), 0..3),
        ) {
            let sandbox = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let site = sandbox.path().join("site");
            std::fs::create_dir_all(&site).unwrap_or_else(|e| panic!("{e}"));
            let permalink = format!("/{}/", pattern.concat());
            let mut sources = vec!["site.yaml".to_string()];
            std::fs::write(
                site.join("site.yaml"),
                format!("permalinks:\n  article: '{}'\n", permalink.replace('\'', "''")),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let mut put = |rel: String, text: &str| {
                let p = site.join(&rel);
                if std::fs::create_dir_all(p.parent().unwrap_or(&site)).is_ok()
                    && std::fs::write(&p, text).is_ok()
                {
                    sources.push(rel);
                }
            };
            for (i, a) in articles.iter().enumerate() {
                put(
                    format!("content/articles/{a}.md"),
                    &format!("---\ntitle: A {i}\ndate: 2025-01-0{}\n---\nText {i}.\n", i + 1),
                );
            }
            for p in &pages {
                put(format!("content/pages/{}.md", p.join("/")), "---\ntitle: P\n---\nPage.\n");
            }
            for s in &statics {
                put(format!("static/{}", s.join("/")), "static");
            }
            let run = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
                .args(["-q", "build"])
                .current_dir(&site)
                .env("NO_COLOR", "1")
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            let stderr = String::from_utf8_lossy(&run.stderr);
            prop_assert!(!stderr.contains("internal error"), "{stderr}");
            for f in files(sandbox.path()) {
                let inside = f.starts_with("site/public/")
                    || f.starts_with("site/.gloss/")
                    || sources.iter().any(|s| Path::new("site").join(s) == Path::new(&f));
                prop_assert!(inside, "`{f}` written outside the output (permalink `{permalink}`)\n{stderr}");
            }
        }
    }
}

/// Issue 15: root-relative paths in bodies (`/assets/x.png`, `/about/`, raw HTML too)
/// are written relative to the page, so the site works under a sub-path; a missing
/// file is an error at its place, a missing page a warning.
#[test]
fn root_relative_paths_are_written_relative_and_checked() {
    let site = Site::new();
    site.file("site.yaml", "markdown:\n  html: sanitize\n");
    site.bytes("static/assets/x.png", b"png");
    site.file("content/pages/about.md", "---\ntitle: About\n---\nAbout.\n");
    site.file(
        "content/articles/a.md",
        &article(
            "",
            "![x](/assets/x.png) [about](/about/#top) [again](/about)\n\n<img src=\"/assets/x.png\" alt=\"y\">\n",
        ),
    );
    site.build_ok(&[]);
    let page = site.read("articles/a/index.html");
    assert!(page.contains("src=\"../../assets/x.png\""), "{page}");
    assert!(
        page.contains("href=\"../../about/index.html#top\""),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"../../assets/x.png\" alt=\"y\">"),
        "{page}"
    );
    assert!(
        !page.contains("=\"/assets") && !page.contains("=\"/about"),
        "{page}"
    );
    site.file(
        "content/articles/b.md",
        &article("", "![gone](/assets/nope.png) and [old](/nowhere/)\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/b.md:5:9: error: `/assets/nope.png` is not a file of this site"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: `/nowhere/` names no page of this site"),
        "{}",
        run.stderr
    );
}

/// Issue 15: a lead image (`image:`) shows on the article and its cards, and gives
/// `og:image` and the JSON-LD `image`; a missing file is an error, a missing `alt` a
/// warning.
#[test]
fn a_lead_image_feeds_the_page_cards_og_image_and_json_ld() {
    let site = Site::new();
    site.file("site.yaml", "base_url: https://news.example.org/\n");
    site.bytes("static/assets/lead.jpg", b"jpg");
    site.file(
        "content/articles/a.md",
        &article(
            "image:\n  src: /assets/lead.jpg\n  alt: The Elm Street bridge\n  caption: Reopened\n  credit: \"Photo: Dana\"\n",
            "Text.\n",
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.read("articles/a/index.html");
    for want in [
        "<img src=\"../../assets/lead.jpg\" alt=\"The Elm Street bridge\">",
        "<figcaption>Reopened <span class=\"credit\">Photo: Dana</span></figcaption>",
        "<meta property=\"og:image\" content=\"https://news.example.org/assets/lead.jpg\">",
        "\"image\":\"https://news.example.org/assets/lead.jpg\"",
    ] {
        assert!(page.contains(want), "no `{want}` in\n{page}");
    }
    let home = site.read("index.html");
    assert!(
        home.contains("<img class=\"card-image\" src=\"./assets/lead.jpg\" alt=\"\""),
        "{home}"
    );
    site.file(
        "content/articles/b.md",
        &article("image: /assets/none.jpg\n", "B.\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/articles/b.md:4:8: error: the lead image `/assets/none.jpg` is not a file of this site"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("b.md:4:8: warning: the lead image has no `alt` text"),
        "{}",
        run.stderr
    );
    site.file(
        "content/articles/b.md",
        &article("image: \"javascript:alert(1)\"\n", "B.\n"),
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("`image` must be a path of the site or an http(s) address"),
        "{}",
        run.stderr
    );
}

/// Issue 15: a byline that is a person id links to the person's page, which lists what
/// they wrote; JSON-LD `author` links there too. A byline with capitals or spaces stays
/// a name.
#[test]
fn bylines_that_name_people_link_to_their_pages() {
    let site = Site::new();
    site.file("site.yaml", "base_url: https://news.example.org/\n");
    site.file(
        "content/people/dana-whitfield.md",
        "---\nname: Dana Whitfield\n---\nReporter.\n",
    );
    site.file(
        "content/articles/a.md",
        &article(
            "authors: [dana-whitfield, Archive desk, tom-becker]\n",
            "Text.\n",
        ),
    );
    site.build_ok(&[]);
    let page = site.read("articles/a/index.html");
    assert!(
        page.contains("By <a href=\"../../people/dana-whitfield/index.html\" rel=\"author\">Dana Whitfield</a>, Archive desk, <a href=\"../../people/tom-becker/index.html\" rel=\"author\">Tom Becker</a>"),
        "{page}"
    );
    assert!(
        page.contains("{\"@type\":\"Person\",\"name\":\"Dana Whitfield\",\"url\":\"https://news.example.org/people/dana-whitfield/\"}"),
        "{page}"
    );
    let person = site.read("people/dana-whitfield/index.html");
    assert!(person.contains("Articles by Dana Whitfield"), "{person}");
    assert!(person.contains("../../articles/a/index.html"), "{person}");
    let other = site.read("people/tom-becker/index.html");
    assert!(other.contains("Articles by Tom Becker"), "{other}");
}

/// Issue 15: an image in a body without a text alternative is a warning at the image.
#[test]
fn an_image_without_alt_text_is_a_warning_at_its_place() {
    let site = Site::new();
    site.bytes("static/x.png", b"png");
    site.file(
        "content/articles/a.md",
        &article("", "Intro.\n\nSee ![](/x.png) and ![A map](/x.png).\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/articles/a.md:7:5: warning: an image without a text alternative"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("without a text alternative").count(),
        1,
        "{}",
        run.stderr
    );
}
