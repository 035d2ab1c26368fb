//! `gloss serve` renders pages on request (issue 19, item 3): every page it serves has
//! the bytes of a clean build, before and after random edits, with the default memory
//! budget (every page cached, the rebuild keeping exactly those that cannot differ) and
//! with a tiny one (pages evicted all the time and rendered again).

use crate::serve_http::open_events;
use crate::serve_live::{Preview, assert_same_as_clean};
use crate::util::Site;

const ARTICLES: [&str; 3] = [
    "content/articles/2025/bukele-dares-clinton-prison-population.md",
    "content/articles/2025/surviving-cecot-film.md",
    "content/articles/2025/what-is-cecot.md",
];

/// A fixed-seed generator: the same edits every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// One random edit of the sample archive: a body (alone, or while files beside the site
/// change), a title, a topic, a new article or the deletion of one made before. Returns
/// what it did.
fn random_edit(site: &Site, random: &mut Random, step: usize) -> String {
    let path = ARTICLES[random.below(3) as usize];
    let text = site.read_file(path);
    let (what, new) = match random.below(6) {
        0 => (
            "a body",
            format!("{text}\nA sentence added in step {step}.\n"),
        ),
        1 => (
            "a title",
            text.replacen("title: \"", &format!("title: \"Step {step}: "), 1),
        ),
        2 => (
            "topics",
            text.replacen("topics: [", &format!("topics: [step-{step}, "), 1),
        ),
        3 => {
            let day = 1 + random.below(28);
            let rel = format!("content/articles/new/n{step}.md");
            let new = format!(
                "---\ntitle: New {step}\ndate: 2025-11-{day:02}\ntopics: [cecot]\nmentions: [nayib-bukele]\n---\nNew article {step}.\n"
            );
            site.file(&rel, &new);
            return format!("a new article {rel}");
        }
        4 => {
            // Files beside the site change in the same moment (a log next to
            // `site.yaml`, notes): they are no part of it, and the body edit still
            // counts as one.
            site.file(".serve.log", &format!("log line {step}\n"));
            site.file("notes.txt", &format!("note {step}\n"));
            (
                "a body, beside a log and notes",
                format!("{text}\nA sentence beside a log in step {step}.\n"),
            )
        }
        _ => {
            let made: Vec<_> = std::fs::read_dir(site.path().join("content/articles/new"))
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            if let Some(gone) = made.iter().min() {
                std::fs::remove_file(gone).unwrap_or_else(|e| panic!("{e}"));
                return format!("deleted {}", gone.display());
            }
            (
                "a body",
                format!("{text}\nNothing to delete in step {step}.\n"),
            )
        }
    };
    site.file(path, &new);
    format!("{what} of {path}")
}

fn every_page_equals_a_clean_build(args: &[&str]) {
    let site = Site::sample();
    let p = Preview::start_with(&site, args);
    let compared = assert_same_as_clean(&site, &p, "at the start");
    assert!(compared > 50, "{compared} files compared");
    let (mut events, _) = open_events(p.addr);
    let mut random = Random(0x5EED_0019);
    // With this seed, every kind of edit comes up (step 12 writes beside the site).
    for step in 0..14 {
        let what = random_edit(&site, &mut random, step);
        Preview::wait_event(&mut events, "reload");
        assert_same_as_clean(&site, &p, &format!("after step {step}, {what}"));
    }
    let log = p.drain_log().join("\n");
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn every_page_served_on_demand_equals_a_clean_build_after_random_edits() {
    every_page_equals_a_clean_build(&[]);
}

#[test]
fn pages_evicted_under_a_tiny_budget_are_rendered_again_with_the_same_bytes() {
    // Smaller than a few pages: nearly every request renders its page again.
    every_page_equals_a_clean_build(&["--page-cache", "40K"]);
}

#[test]
fn unknown_paths_get_404_and_a_bad_budget_is_refused() {
    let site = Site::sample();
    let p = Preview::start(&site);
    for path in [
        "/nope/",
        "/articles/nope/",
        "/search/nope.json",
        "/people/x/feed.xml",
    ] {
        let (status, body) = p.page(path);
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("<html"), "{path}: the site's 404 page");
    }
    let run = site.run(&["serve", "--page-cache", "lots"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("`lots` is not a size"),
        "{}",
        run.stderr
    );
}

/// A template broken after the start: the last good pages stay, with the error in the
/// overlay; a template that fails only on a page no rebuild rendered fails on request,
/// with status 500 and the error.
#[test]
fn a_broken_template_keeps_the_last_good_pages_and_shows_the_error() {
    let site = Site::sample();
    let p = Preview::start(&site);
    let (status, first) = p.page("/articles/what-is-cecot/");
    assert_eq!(status, 200);
    let (mut events, _) = open_events(p.addr);
    site.file(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_variable }}{% endblock main %}",
    );
    Preview::wait_event(&mut events, "errors");
    let (status, page) = p.page("/articles/what-is-cecot/");
    assert_eq!(status, 200);
    assert!(
        page.contains("gloss-overlay") && page.contains("templates/article.html"),
        "{page}"
    );
    assert!(
        page.contains("What is CECOT?") && first.contains("What is CECOT?"),
        "the last good page"
    );
    std::fs::remove_file(site.path().join("templates/article.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    Preview::wait_event(&mut events, "reload");
    let (status, page) = p.page("/articles/what-is-cecot/");
    assert_eq!(status, 200);
    assert!(!page.contains("<div id=\"gloss-overlay\""), "{page}");
    // A template that fails on one article only, which no rebuild renders (neither
    // open nor the first of its kind): it fails when that page is asked for, with 500
    // and the error in the overlay, and the other pages are served.
    let article = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/article.html"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let broken = article.replacen(
        "{% block main %}",
        "{% block main %}{% if \"Bukele dares\" in article.title %}{{ no_such_variable }}{% endif %}",
        1,
    );
    assert_ne!(broken, article, "the article template has a main block");
    site.file("templates/article.html", &broken);
    Preview::wait_event(&mut events, "reload");
    let (status, page) = p.page("/articles/bukele-dares-clinton-prison-population/");
    assert_eq!(status, 500, "{page}");
    assert!(
        page.contains("gloss-overlay") && page.contains("no_such_variable"),
        "{page}"
    );
    assert_eq!(p.page("/articles/what-is-cecot/").0, 200);
}

/// A rebuild whose warnings are those printed last does not print them again (an
/// archive with thousands would print them on every save), only their counts.
#[test]
fn the_same_warnings_are_not_printed_again_on_each_save() {
    let site = Site::new();
    let warned = "annotations:\n  - on: Hello\n    kind: fact-check\n    note: No rating.\n";
    site.file(
        "content/articles/a.md",
        &crate::util::article(warned, "Hello world.\n"),
    );
    site.file(
        "content/articles/b.md",
        &crate::util::article("", "First.\n"),
    );
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    site.file(
        "content/articles/b.md",
        &crate::util::article("", "Second.\n"),
    );
    Preview::wait_event(&mut events, "reload");
    site.file(
        "content/articles/b.md",
        &crate::util::article("", "Third.\n"),
    );
    Preview::wait_event(&mut events, "reload");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = p.drain_log().join("\n");
    // (The start printed it, before the address.)
    assert!(!log.contains("warning: fact-check"), "{log}");
    assert_eq!(
        log.matches("0 errors, 1 warning, as before").count(),
        2,
        "{log}"
    );
}
