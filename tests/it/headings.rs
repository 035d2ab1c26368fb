//! Heading ids, fragment links and the table of contents (issue 15: in migrated
//! archives most in-article table-of-contents links broke, as headings had no `id`).

use std::collections::BTreeMap;

use crate::util::{Site, article, attr_values, broken_links, tree, unescape};

/// An article with an in-article table of contents as the 18F posts write it.
const TOC_BODY: &str = "\
Contents:

- [Architect systems anticipating the ATO process](#architect-systems-anticipating-the-ato-process)
- [Embrace DevOps, testing, while staying flexible](#embrace-devops-testing-while-staying-flexible)
- [A future for Mrs. Landingham](#a-future-for-mrs-landingham)
- [Teams](#teams), [again](#teams-1)

## Architect systems anticipating the ATO process

Text.

## Embrace DevOps, testing, while staying flexible

### Teams

## A future for Mrs. Landingham

### Teams

[Back to contents](#contents-1)

## Contents {#contents-1}
";

#[test]
fn headings_get_github_ids_and_in_article_toc_links_resolve() {
    let site = Site::new();
    site.file("content/articles/ato.md", &article("", TOC_BODY));
    let out = site.build_ok(&[]);
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    let page = site.read("articles/ato/index.html");
    for h in [
        "<h2 id=\"architect-systems-anticipating-the-ato-process\">",
        "<h3 id=\"teams\">Teams</h3>",
        "<h3 id=\"teams-1\">Teams</h3>",
        "<h2 id=\"contents-1\">Contents</h2>",
    ] {
        assert!(page.contains(h), "{h} in {page}");
    }
}

#[test]
fn a_broken_fragment_is_a_located_error_with_a_suggestion() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("", "## Methods used\n\nSee [the methods](#methods-usd).\n"),
    );
    site.file(
        "content/articles/b.md",
        &article(
            "",
            "Intro.\n\nRead [it](article:a#method-used) or [this](article:a#zzz).\n",
        ),
    );
    site.file(
        "content/pages/about.md",
        "---\ntitle: About\n---\n## Who we are\n\n[Us](#who-we-were)\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = &run.stderr;
    for expected in [
        "content/articles/a.md:7:19: error: no heading or anchor `#methods-usd` on this page",
        "hint: did you mean `#methods-used`?",
        "content/articles/b.md:7:11: error: no heading or anchor `#method-used` in article `a`",
        "hint: did you mean `article:a#methods-used`?",
        "content/articles/b.md:7:44: error: no heading or anchor `#zzz` in article `a`",
        "hint: known ids of that article: `methods-used`, `main`",
        "content/pages/about.md:6:6: error: no heading or anchor `#who-we-were` on this page",
        "hint: did you mean `#who-we-are`?",
    ] {
        assert!(e.contains(expected), "{expected}\nnot in:\n{e}");
    }
}

#[test]
fn article_fragment_links_resolve_to_the_heading() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("", "Intro.\n\n## The section\n\nText.\n"),
    );
    site.file(
        "content/articles/b.md",
        &article("", "See [the section](article:a#the-section).\n"),
    );
    let out = site.build_ok(&[]);
    assert!(broken_links(&out).is_empty(), "{:#?}", broken_links(&out));
    let b = site.read("articles/b/index.html");
    assert!(
        b.contains("href=\"../../articles/a/index.html#the-section\""),
        "{b}"
    );
}

#[test]
fn fragments_only_go_on_article_links() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article("mentions: [jane]\n", "See [Jane](person:jane#bio).\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("only `article:` links take a `#fragment`; write `person:jane`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_written_id_used_twice_is_an_error_at_the_second() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article(
            "sources:\n  fox: { title: Fox }\n",
            "## One {#part}\n\n## Two {#part}\n\n## Three {#source-fox}\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = &run.stderr;
    assert!(
        e.contains("content/articles/a.md:9:9: error: heading id `part` is used twice on the page"),
        "{e}"
    );
    assert!(e.contains("another heading of this page has it"), "{e}");
    assert!(
        e.contains(
            "content/articles/a.md:11:11: error: heading id `source-fox` is used twice on the page"
        ),
        "{e}"
    );
    assert!(!e.contains("a.md:7:"), "the first use is fine: {e}");
}

#[test]
fn the_theme_shows_a_table_of_contents_from_three_headings() {
    let site = Site::new();
    site.file(
        "content/articles/long.md",
        &article("", "## One\n\n### One and a half\n\n## Two\n\nText.\n"),
    );
    site.file(
        "content/articles/short.md",
        &article("", "## One\n\n## Two\n"),
    );
    site.file(
        "content/articles/off.md",
        &article("extra:\n  toc: false\n", "## One\n\n## Two\n\n## Three\n"),
    );
    site.file(
        "content/pages/guide.md",
        "---\ntitle: Guide\n---\n## A\n\n## B\n\n## C\n",
    );
    site.build_ok(&[]);
    let long = site.read("articles/long/index.html");
    assert!(
        long.contains(
            "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n\
             <li><a href=\"#one\">One</a><ol>\n<li><a href=\"#one-and-a-half\">One and a half</a></li>\n</ol></li>\n\
             <li><a href=\"#two\">Two</a></li>\n</ol>\n</nav>"
        ),
        "{long}"
    );
    assert!(
        !site
            .read("articles/short/index.html")
            .contains("class=\"toc\"")
    );
    assert!(
        !site
            .read("articles/off/index.html")
            .contains("class=\"toc\"")
    );
    assert!(
        site.read("guide/index.html")
            .contains("<li><a href=\"#c\">C</a></li>")
    );
}

/// Every id of every built page of `out`, with the pages holding one twice.
fn repeated_ids(out: &std::path::Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in tree(out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for id in attr_values(&html, "id") {
            *seen.entry(unescape(id)).or_default() += 1;
        }
        problems.extend(
            seen.into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(id, n)| format!("{path}: id `{id}` {n} times")),
        );
    }
    problems
}

#[test]
fn no_page_of_the_sample_repeats_an_id_even_with_headings_named_like_gloss_anchors() {
    let site = Site::sample();
    // Headings that spell gloss's own ids, a footnote and a note with a heading.
    site.file(
        "content/articles/2025/clash.md",
        &article(
            "speakers: [jane]\nsources:\n  fox: { title: Fox }\nquotes:\n  - speaker: jane\n    text: We will build\n    source: fox\nannotations:\n  - on: The plan\n    kind: context\n    note: \"## Main\\n\\nA note with a heading.\"\n",
            "## Main\n\n## Sources heading\n\n## Source fox\n\n## Quote jane we will build\n\n## 1\n\nThe plan: “We will build.”[^1]\n\n## People heading\n\n[^1]: A footnote.\n",
        ),
    );
    let out = site.build_ok(&[]);
    let repeated = repeated_ids(&out);
    assert!(repeated.is_empty(), "{repeated:#?}");
    assert!(broken_links(&out).is_empty(), "{:#?}", broken_links(&out));
    let page = site.read("articles/clash/index.html");
    assert!(page.contains("<h2 id=\"main-1\">Main</h2>"), "{page}");
    assert!(page.contains("<h2 id=\"source-fox-1\">"), "{page}");
}
