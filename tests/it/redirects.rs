//! Issue 15, item 6: old URLs kept. `aliases:` on articles and pages write a redirect page
//! at each old path (meta refresh, canonical, a plain link) and a `_redirects` file; an
//! alias that collides with a page, or leads out of the site, is a located error.

use crate::util::{Site, article, broken_links};

#[test]
fn aliases_write_redirect_pages_and_a_redirects_file() {
    let site = Site::new();
    site.file(
        "content/articles/2014/coming-soon.md",
        &article(
            "aliases:\n  - /2014/03/12/coming-soon/\n  - old/coming\n  - /blog/coming-soon.html\n",
            "Soon.\n",
        ),
    );
    site.file(
        "content/pages/about.md",
        "---\ntitle: About us\naliases: [/about-us/]\n---\nAbout.\n",
    );
    let out = site.build_ok(&["--base-url", "https://news.example.org/"]);
    let page = site.read("2014/03/12/coming-soon/index.html");
    let unescaped = crate::util::unescape(&page);
    assert!(
        unescaped.contains(r#"content="0; url=../../../../articles/coming-soon/index.html""#),
        "{unescaped}"
    );
    assert!(
        unescaped.contains(
            r#"<link rel="canonical" href="https://news.example.org/articles/coming-soon/">"#
        ),
        "{unescaped}"
    );
    assert!(unescaped.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(
        unescaped.contains(r#"<a href="../../../../articles/coming-soon/index.html">A test</a>"#),
        "{unescaped}"
    );
    assert!(!page.contains("<script"), "{page}");
    // A file alias is that file; a folder written without slashes is a folder.
    let file = crate::util::unescape(&site.read("blog/coming-soon.html"));
    assert!(
        file.contains(r#"url=../articles/coming-soon/index.html""#),
        "{file}"
    );
    assert!(out.join("old/coming/index.html").is_file());
    assert!(
        crate::util::unescape(&site.read("about-us/index.html"))
            .contains(r#"url=../about/index.html""#)
    );
    // Every link of the redirect pages leads to a page that exists.
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    let redirects = site.read("_redirects");
    for line in [
        "/2014/03/12/coming-soon/ /articles/coming-soon/ 301",
        "/old/coming/ /articles/coming-soon/ 301",
        "/blog/coming-soon.html /articles/coming-soon/ 301",
        "/about-us/ /about/ 301",
    ] {
        assert!(
            redirects.lines().any(|l| l == line),
            "no `{line}` in\n{redirects}"
        );
    }
    // Redirect pages are not pages of the site: not in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("/articles/coming-soon/</loc>"),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains("2014/03/12") && !sitemap.contains("about-us"),
        "{sitemap}"
    );
    // Under a sub-path, `_redirects` carries the path of `base_url`.
    site.build_ok(&["--base-url", "https://example.org/news/"]);
    assert!(
        site.read("_redirects")
            .lines()
            .any(|l| l == "/news/about-us/ /news/about/ 301"),
        "{}",
        site.read("_redirects")
    );
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "A.\n"));
    let out = site.build_ok(&[]);
    assert!(!out.join("_redirects").exists());
}

#[test]
fn an_alias_at_a_page_is_an_error_naming_both_files() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("aliases:\n  - /about/\n", "A.\n"),
    );
    site.file("content/pages/about.md", "---\ntitle: About\n---\nAbout.\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:5:5: error: two sources make `about/index.html`: an alias in `content/articles/a.md` and `content/pages/about.md`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("remove or change the alias"),
        "{}",
        run.stderr
    );
    // Two aliases of one path, in two files.
    site.file(
        "content/pages/about.md",
        "---\ntitle: About\naliases: [/x/]\n---\n",
    );
    site.file("content/articles/b.md", &article("aliases: [/x]\n", "B.\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("two sources make `x/index.html`: an alias in"),
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_that_are_no_path_of_the_site_are_located_errors() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article(
            "aliases:\n  - /a/../../etc/\n  - https://old.example.org/a/\n  - //host/a/\n  - /ok/\n",
            "A.\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/articles/a.md:5:5: error: invalid alias `/a/../../etc/`: it has a `..` segment",
        "content/articles/a.md:6:5: error: invalid alias `https://old.example.org/a/`: it is a URL with a host",
        "content/articles/a.md:7:5: error: invalid alias `//host/a/`",
        "e.g. `/2014/03/12/coming-soon/`",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no `{expected}` in\n{}",
            run.stderr
        );
    }
    assert_eq!(run.stderr.matches("error: invalid alias").count(), 3);
}

#[test]
fn a_sites_own_redirects_file_and_aliases_are_an_error_naming_both() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("aliases: [/old/]\n", "A.\n"),
    );
    site.file("static/_redirects", "/x /y 301\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "static/_redirects: error: two sources make `_redirects`: `static/_redirects` and gloss's `_redirects`"
        ),
        "{}",
        run.stderr
    );
    // Without aliases, the site's own file is published as it is.
    site.file("content/articles/a.md", &article("", "A.\n"));
    site.build_ok(&[]);
    assert_eq!(site.read("_redirects"), "/x /y 301\n");
}
