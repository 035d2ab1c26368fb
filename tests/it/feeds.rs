//! Issue 15, item 8: feeds with the whole text (`feeds.full_text: true`), read by a real
//! feed parser with their links made absolute, and a feed for every outlet.

use std::process::Command;

use crate::util::{Site, article};
use crate::validators::{python_with_feedparser, skip};

fn site(full_text: bool) -> Site {
    let site = Site::new();
    site.file("site.yaml", &format!("feeds:\n  full_text: {full_text}\n"));
    site.file(
        "content/articles/a.md",
        &article(
            "sources:\n  fox:\n    outlet: fox-news\n    url: https://www.foxnews.com/x\nmentions: [jane-doe]\n",
            "The *whole* text, naming [Jane](person:jane-doe).\n\nA second paragraph.\n",
        ),
    );
    site
}

#[test]
fn a_full_text_feed_holds_the_body_with_absolute_links() {
    let site = site(true);
    site.build_ok(&["--base-url", "https://news.example.org/sub/"]);
    let feed = site.read("feed.xml");
    assert!(
        feed.contains(
            r#"<content type="html" xml:base="https://news.example.org/sub/articles/a/">"#
        ),
        "{feed}"
    );
    assert!(feed.contains("A second paragraph."), "{feed}");
    let Some(python) = python_with_feedparser() else {
        return skip("Python's feedparser", "apt-get install python3-feedparser");
    };
    let script = r#"
import sys, feedparser
f = feedparser.parse(sys.argv[1])
assert not f.bozo, f.get("bozo_exception")
e = f.entries[0]
print(e.content[0].type)
print(e.content[0].value)
"#;
    let path = site.path().join("public/feed.xml");
    let run = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.starts_with("text/html\n"), "{out}");
    assert!(out.contains("<em>whole</em>"), "{out}");
    // The relative link of the body, resolved against the article's page.
    assert!(
        out.contains(r#"href="https://news.example.org/sub/people/jane-doe/index.html""#),
        "{out}"
    );
    assert!(out.contains("A second paragraph."), "{out}");
}

#[test]
fn feeds_carry_summaries_only_by_default() {
    let site = site(false);
    site.build_ok(&[]);
    let feed = site.read("feed.xml");
    assert!(!feed.contains("<content"), "{feed}");
    assert!(feed.contains("<summary>"), "{feed}");
}

#[test]
fn every_outlet_has_a_feed_linked_from_its_page() {
    let site = site(false);
    site.build_ok(&["--base-url", "https://news.example.org/"]);
    let feed = site.read("outlets/fox-news/feed.xml");
    assert!(
        feed.contains(r#"<link rel="self" type="application/atom+xml" href="https://news.example.org/outlets/fox-news/feed.xml"/>"#),
        "{feed}"
    );
    assert!(
        feed.contains("<id>https://news.example.org/articles/a/</id>"),
        "{feed}"
    );
    let page = site.read("outlets/fox-news/index.html");
    assert!(
        page.contains(r#"<link rel="alternate" type="application/atom+xml""#)
            && crate::util::unescape(&page).contains(r#"href="../../outlets/fox-news/feed.xml""#),
        "{page}"
    );
}
