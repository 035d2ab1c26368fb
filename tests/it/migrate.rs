//! Issue 15, item 9: the first `gloss check` of an imported archive names gloss's keys
//! for other generators' ones, writes the corrected date, and groups an error repeated
//! in many files into one line.

use std::path::Path;

use crate::util::{Site, article};

/// Posts of the 18F blog (Eleventy, Jekyll-style front matter), copied as they are.
const REAL: &str = "/work/shared/real/18f/content/posts";
const POSTS: [&str; 3] = [
    "2014-03-19-hello-world-we-are-18f.md",
    "2014-10-01-open-source-hack-series-midas.md",
    "2015-02-24-how-to-use-github-and-the-terminal-a-guide.md",
];

#[test]
#[ignore = "reads real 18F posts from /work/shared/real/18f: cargo test -- --include-ignored"]
fn real_posts_get_hints_naming_topics_summary_and_authors() {
    if !Path::new(REAL).is_dir() {
        eprintln!("skipped: {REAL} is not on this machine");
        return;
    }
    let site = Site::new();
    for name in POSTS {
        let text = std::fs::read(Path::new(REAL).join(name)).unwrap_or_else(|e| panic!("{e}"));
        site.bytes(&format!("content/articles/{name}"), &text);
    }
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    let hello = "content/articles/2014-03-19-hello-world-we-are-18f.md";
    for want in [
        format!("{hello}:14:1: error: unknown key `tags` in an article"),
        "write `topics: [transformation-services, culture-change, modern-practices]`".to_string(),
        format!("{hello}:8:1: error: unknown key `description` in an article"),
        "gloss calls it `summary`".to_string(),
        "rename `excerpt` to `summary`".to_string(),
        "unknown key `layout` in an article".to_string(),
        "gloss has no per-page layout".to_string(),
        // The Midas post has no `date:`; its file name has one.
        "hint: add `date: 2014-10-01` to the front matter".to_string(),
    ] {
        assert!(err.contains(&want), "`{want}` not in:\n{err}");
    }
    // 18F already writes `authors:` as a list, which gloss reads as it is.
    assert!(!err.contains("key `authors`"), "{err}");
}

#[test]
fn foreign_dates_and_keys_get_exact_hints() {
    let site = Site::new();
    let post =
        |date: &str, extra: &str| format!("---\ntitle: T\ndate: {date}\n{extra}---\nBody.\n");
    site.file("content/articles/a.md", &post("Dec 3 2025", "Title: T\n"));
    site.file(
        "content/articles/b.md",
        &post("2025-12-03 14:30:00 -0500", "author: Jane Doe\n"),
    );
    site.file(
        "content/articles/c.md",
        &post("03/12/2025", "categories: Open Data, APIs\n"),
    );
    site.file("content/articles/d.md", &post("2026-11-31", ""));
    site.file(
        "content/articles/2014-03-12-no-date.md",
        "---\ntitle: T\n---\nBody.\n",
    );
    let err = site.run(&["check"]).stderr;
    for want in [
        "a.md:3:7: error: invalid date `Dec 3 2025` in `date`",
        "hint: write `2025-12-03`",
        "a.md:4:1: error: unknown key `Title` in an article",
        "keys are lower-case in gloss: write `title`",
        "hint: write an RFC 3339 date-time: `2025-12-03T14:30:00-05:00`",
        "write `authors: [Jane Doe]`",
        "`03/12/2025` is ambiguous: write `2025-03-12` if the month comes first, or `2025-12-03` if the day does",
        "write `topics: [open-data, apis]`",
        "the day does not exist (November has 30 days)",
        "add `date: 2014-03-12` to the front matter",
    ] {
        assert!(err.contains(want), "`{want}` not in:\n{err}");
    }
}

#[test]
fn one_error_in_twenty_files_is_printed_three_times_then_counted() {
    let site = Site::new();
    for i in 0..20 {
        site.file(
            &format!("content/articles/p{i:02}.md"),
            &article("tags: [news]\n", "Body.\n"),
        );
    }
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert_eq!(
        err.matches("error: unknown key `tags` in an article")
            .count(),
        3,
        "{err}"
    );
    assert!(
        err.contains(
            "… the same error in 17 more files (first: content/articles/p03.md, content/articles/p04.md, content/articles/p05.md, …)"
        ),
        "{err}"
    );
    // Counts keep every diagnostic.
    assert!(err.contains("20 errors"), "{err}");
}
