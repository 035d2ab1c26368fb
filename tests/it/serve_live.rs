//! `gloss serve` end to end: the real binary on a fixture site, edited while it runs.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::serve_http::{get, open_events, read_until};
use crate::util::{Site, article, tree};

/// A running `gloss serve`, killed on drop.
pub(crate) struct Preview {
    child: Child,
    pub(crate) addr: SocketAddr,
    log: mpsc::Receiver<String>,
}

impl Preview {
    pub(crate) fn start(site: &Site) -> Preview {
        Preview::start_with(site, &[])
    }

    /// `gloss serve` with more arguments.
    pub(crate) fn start_with(site: &Site, args: &[&str]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let addr = loop {
            let line = log
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|e| panic!("no URL printed: {e}"));
            if let Some(rest) = line.split("at http://").nth(1) {
                let addr = rest.split('/').next().unwrap_or_default();
                break addr.parse().unwrap_or_else(|e| panic!("{addr}: {e}"));
            }
        };
        Preview { child, addr, log }
    }

    pub(crate) fn page(&self, path: &str) -> (u16, String) {
        let reply = get(self.addr, path);
        (reply.status, reply.body)
    }

    /// Waits for the next event `name` on `stream` (events before it are skipped).
    pub(crate) fn wait_event(stream: &mut TcpStream, name: &str) {
        let mut seen = String::new();
        read_until(stream, &mut seen, &format!("event: {name}"));
    }

    /// Log lines printed so far.
    pub(crate) fn drain_log(&self) -> Vec<String> {
        self.log.try_iter().collect()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const A: &str = "content/articles/a.md";

fn site() -> Site {
    let site = Site::new();
    site.file(A, &article("topics: [t]\n", "First version.\n"));
    site.file("content/articles/b.md", &article("", "Another article.\n"));
    site
}

/// Writes like an editor with atomic saves: a temporary file renamed over the target.
fn atomic_write(site: &Site, rel: &str, text: &str) {
    let tmp = site.path().join(format!("{rel}.tmp~"));
    std::fs::write(&tmp, text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&tmp, site.path().join(rel)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_edit_reloads_the_browser_with_the_new_text() {
    let site = site();
    let p = Preview::start(&site);
    assert!(p.page("/articles/a/").1.contains("First version."));
    let (mut events, _) = open_events(p.addr);
    site.file(A, &article("topics: [t]\n", "Second version.\n"));
    Preview::wait_event(&mut events, "reload");
    assert!(p.page("/articles/a/").1.contains("Second version."));
    atomic_write(
        &site,
        A,
        &article("topics: [t]\n", "Third version, saved atomically.\n"),
    );
    Preview::wait_event(&mut events, "reload");
    assert!(
        p.page("/articles/a/")
            .1
            .contains("Third version, saved atomically.")
    );
}

#[test]
fn a_broken_file_shows_the_errors_and_keeps_the_last_good_site() {
    let site = site();
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    site.file(A, "---\ntitle: <b>Broken</b>\n---\nNo date.\n");
    Preview::wait_event(&mut events, "errors");
    let (status, page) = p.page("/articles/a/");
    assert_eq!(status, 200);
    assert!(
        page.contains("First version."),
        "the last good page is still served"
    );
    assert!(
        page.contains("gloss-overlay")
            && page.contains("content/articles/a.md:1:1: error: missing required key `date`"),
        "{page}"
    );
    site.file(A, &article("topics: [t]\n", "Fixed.\n"));
    Preview::wait_event(&mut events, "reload");
    let page = p.page("/articles/a/").1;
    assert!(
        page.contains("Fixed.") && !page.contains("<div id=\"gloss-overlay\""),
        "{page}"
    );
    assert!(p.drain_log().iter().all(|l| !l.contains("panicked")));
}

#[test]
fn new_renamed_and_deleted_articles_appear_and_disappear() {
    let site = site();
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    std::fs::create_dir_all(site.path().join("content/articles/2026"))
        .unwrap_or_else(|e| panic!("{e}"));
    site.file("content/articles/2026/c.md", &article("", "New one.\n"));
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/articles/c/").0, 200);
    std::fs::rename(
        site.path().join("content/articles/2026/c.md"),
        site.path().join("content/articles/2026/d.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/articles/c/").0, 404);
    assert_eq!(p.page("/articles/d/").0, 200);
    std::fs::remove_file(site.path().join("content/articles/2026/d.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/articles/d/").0, 404);
}

#[test]
fn static_files_are_served_fresh_and_a_stylesheet_edit_only_restyles() {
    let site = site();
    site.file("static/extra.css", "p { color: red }\n");
    site.file("static/notes.txt", "first\n");
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    // A stylesheet alone: the browser swaps stylesheets instead of reloading.
    site.file("static/extra.css", "p { color: blue }\n");
    Preview::wait_event(&mut events, "css");
    assert_eq!(p.page("/extra.css").1, "p { color: blue }\n");
    // Any other static file: a reload.
    site.file("static/notes.txt", "second\n");
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/notes.txt").1, "second\n");
    std::fs::remove_file(site.path().join("static/notes.txt")).unwrap_or_else(|e| panic!("{e}"));
    Preview::wait_event(&mut events, "reload");
    assert_eq!(p.page("/notes.txt").0, 404);
}

#[test]
fn a_burst_of_changes_ends_in_the_right_site() {
    let site = site();
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    for i in 0..100 {
        site.file(
            &format!("content/articles/burst/n{i}.md"),
            &article("", &format!("Burst {i}.\n")),
        );
    }
    Preview::wait_event(&mut events, "reload");
    // The burst may end in more than one rebuild; wait until the last file is served.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while p.page("/articles/n99/").0 != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the last file of the burst never appeared"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for i in [0, 50, 99] {
        assert!(
            p.page(&format!("/articles/n{i}/"))
                .1
                .contains(&format!("Burst {i}."))
        );
    }
    let rebuilds = p
        .drain_log()
        .iter()
        .filter(|l| l.starts_with("rebuilt"))
        .count();
    // One rebuild when the writes land within the debounce window; a loaded test
    // machine spreads them over a few.
    assert!(rebuilds <= 10, "{rebuilds} rebuilds for one burst");
}

#[test]
fn the_served_site_equals_a_clean_build_after_edits() {
    let site = site();
    site.file("content/people/jane.md", "---\nname: Jane\n---\nBio.\n");
    site.file(
        "content/sources/s.md",
        "Jane said: Edited bodies, and more.\n",
    );
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    let quote = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: Edited body\nannotations:\n  - on: body\n    kind: context\n    note: A note.\n";
    let disputed = |status: &str| {
        quote.replace(
            "text: Edited body\n",
            &format!("text: Edited body\n    status: {status}\n"),
        )
    };
    let checked = "  - on: with a quote\n    kind: fact-check\n    rating: \"False\"\n    claimant: jane\n    claim: Jane said so\n    note: No.\n";
    let figure = |caption: &str| {
        format!(
            "Before.\n\n```figure\nimage: https://example.org/cat.png\nalt: A cat\ncaption: {caption}\n```\n\nAfter the figure.\n"
        )
    };
    let edits: Vec<(&str, String)> = vec![
        // Body only: the fast path (indexes reused, one body rendered again).
        (A, article("topics: [t]\n", "First version, edited in place.\n")),
        (A, article("topics: [t, u]\nmentions: [jane]\n", "Edited body.\n")),
        // Headings: ids and a table of contents, then one heading renamed.
        (A, article("topics: [t]\n", "## One\n\n## Two\n\n## Two\n\n[Back](#two-1).\n")),
        (A, article("topics: [t]\n", "## One\n\n## Three\n\n## Two\n\n[Back](#two).\n")),
        ("content/articles/b.md", article("topics: [u]\n", "B now has topic u.\n")),
        ("content/people/jane.md", "---\nname: Jane Roe\n---\nNew bio.\n".to_string()),
        ("content/articles/c.md", "---\ntitle: C\ndate: 2024-06-01\n---\nOlder.\n".to_string()),
        (A, article(&format!("topics: [t]\n{quote}"), "Edited body, with a quote.\n")),
        // The quote's sentence leaves the text: fast path, the quote is now "not in the text".
        (A, article(&format!("topics: [t]\n{quote}"), "Rewritten body.\n")),
        ("content/articles/c.md", "---\ntitle: C moved\ndate: 2026-06-01\ntopics: [t]\n---\nNewest now.\n".to_string()),
        ("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n".to_string()),
        ("templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.body | safe }}{% endblock main %}".to_string()),
        ("site.yaml", "title: Renamed archive\npaginate: 1\n".to_string()),
        // Topic `u` gains a page (paginate: 1) without any new name: an incremental
        // rebuild whose sitemap must change.
        (A, article(&format!("topics: [t, u]\n{quote}"), "Edited body, with a quote.\n")),
        // ... and loses it again: a page disappears, the sitemap must drop it.
        (A, article(&format!("topics: [t]\n{quote}"), "Edited body, with a quote.\n")),
        ("content/articles/b.md", article("topics: [u]\nmentions: [zed]\n", "B mentions a new person.\n")),
        // Issue 16: the quote becomes disputed (a page of disputed quotes appears) and a
        // rated fact-check of Jane's joins (her tally, on each of her pages: C, newer,
        // fills her first page); then the claim's words change on the fast path (her
        // tally shows them); then the quote is sourced again.
        ("content/articles/c.md", "---\ntitle: C moved\ndate: 2026-06-01\ntopics: [t]\nmentions: [jane]\n---\nNewest now.\n".to_string()),
        (A, article(&format!("topics: [t]\n{}{checked}", disputed("disputed")), "Edited body, with a quote.\n")),
        (A, article(&format!("topics: [t]\n{}{}", disputed("disputed"), checked.replace("Jane said", "Jane wrote")), "Edited body, with a quote.\n")),
        (A, article(&format!("topics: [t]\n{}{checked}", disputed("sourced")), "Edited body, with a quote.\n")),
        // Issue 15: an alias appears (a redirect page and `_redirects`), then the title it
        // shows changes on the fast path, then the alias moves.
        (A, article(&format!("topics: [t]\naliases: [/old-a/]\n{quote}"), "Edited body, with a quote.\n")),
        (A, format!("---\ntitle: A renamed\ndate: 2025-01-02\ntopics: [t]\naliases: [/old-a/]\n{quote}---\nEdited body, with a quote.\n")),
        (A, format!("---\ntitle: A renamed\ndate: 2025-01-02\ntopics: [t]\naliases: [/older-a.html]\n{quote}---\nEdited body, with a quote.\n")),
        // Issue 16, item 6: B takes up A's quote (A's page names B, the quote is counted
        // once), then B's copy of it changes its words (it is B's own again).
        ("content/articles/b.md", article("topics: [u]\nspeakers: [jane]\nquotes:\n  - speaker: jane\n    text: \"Edited body.\"\n", "B quotes Jane.\n")),
        ("content/articles/b.md", article("topics: [u]\nspeakers: [jane]\nquotes:\n  - speaker: jane\n    text: \"Edited bodies\"\n", "B quotes Jane.\n")),
        // Item 3: B's quote comes from an archived copy (there from the start), which
        // gets a page; then the copy changes.
        ("content/articles/b.md", article("topics: [u]\nsources:\n  s:\n    copy: sources/s.md\nspeakers: [jane]\nquotes:\n  - speaker: jane\n    text: \"Edited bodies\"\n    source: s\n", "B quotes Jane.\n")),
        ("content/sources/s.md", "Jane said: Edited bodies, and much more.\n".to_string()),
        // Item 5: a correction appears (the corrections page and feed, the footer link on
        // every page), its note changes on the fast path, then its date.
        ("content/articles/b.md", article("topics: [u]\nannotations:\n  - on: Jane\n    kind: correction\n    date: 2025-02-01\n    note: First note.\n", "B quotes Jane.\n")),
        ("content/articles/b.md", article("topics: [u]\nannotations:\n  - on: Jane\n    kind: correction\n    date: 2025-02-01\n    note: Second note.\n", "B quotes Jane.\n")),
        ("content/articles/b.md", article("topics: [u]\nannotations:\n  - on: Jane\n    kind: correction\n    date: 2025-03-01\n    note: Second note.\n", "B quotes Jane.\n")),
        // Issue 16, item 2: a passage beside a figure; the selector quotes the figure's
        // caption as the theme writes it, so a new caption (fast path) and then the
        // site's own figure markup change `/annotations.jsonld`.
        ("content/articles/d.md", article("annotations:\n  - on: After the figure\n    note: N.\n", &figure("One cat"))),
        ("content/articles/d.md", article("annotations:\n  - on: After the figure\n    note: N.\n", &figure("Two cats"))),
        ("templates/embed.html", "<p>A {{ embed.kind }} the site drew</p>".to_string()),
        // Issue 18, item 5: the site's language picks the sentence rules of the sentence
        // naming a person (`Sra.` ends none in Spanish), which the bodies' cache must see.
        ("content/articles/e.md", article("mentions: [maria-diaz]\n", "Llegó tarde. La Sra. Díaz habló.\n")),
        ("site.yaml", "title: Renamed archive\npaginate: 1\nlanguage: es\n".to_string()),
    ];
    for (path, text) in &edits {
        site.file(path, text);
        Preview::wait_event(&mut events, "reload");
        assert_same_as_clean(&site, &p, &format!("after writing {path}"));
    }
    std::fs::remove_file(site.path().join("content/articles/c.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    Preview::wait_event(&mut events, "reload");
    let served_paths = assert_same_as_clean(&site, &p, "after deleting c.md");
    assert!(served_paths > 20, "{served_paths} pages compared");
    assert_eq!(
        p.page("/articles/c/").0,
        404,
        "a deleted article's page is gone"
    );
    assert_eq!(
        p.page("/page/2/").0,
        200,
        "paginate: 1 made more home pages"
    );
}

/// Issue 18: edits of a multilingual archive (a version's headline, shown by the others;
/// a body; an article changing language; a new translation; a site translation file; a
/// profile's language) serve what a clean build writes.
#[test]
fn a_multilingual_preview_equals_a_clean_build_after_edits() {
    let site = crate::languages::multilingual();
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    let es = "content/articles/2025/prison-offer-es.md";
    let agua = "content/articles/2025/tarifas-agua.md";
    let water = "content/articles/2025/water-rates.md";
    let edit = |path: &str, from: &str, to: &str| {
        let text = site.read_file(path);
        assert!(text.contains(from), "{path}: {from}");
        (path.to_string(), text.replacen(from, to, 1))
    };
    let steps = [
        edit(
            es,
            "a toda nuestra población carcelaria\", escribió",
            "a toda nuestra población carcelaria\", escribió el presidente",
        ),
        edit(es, "title: \"Bukele ofrece", "title: \"Bukele propone"),
        edit(agua, "language: es", "language: ar"),
        edit(
            water,
            "topics: [water]",
            "topics: [water]\ntranslations: [tarifas-agua]",
        ),
        edit("i18n/es.toml", "Lo último del archivo", "Novedades"),
        edit(
            "content/people/nayib-bukele.md",
            "language: es",
            "language: en",
        ),
    ];
    for (path, text) in &steps {
        site.file(path, text);
        Preview::wait_event(&mut events, "reload");
        assert_same_as_clean(&site, &p, &format!("after writing {path}"));
    }
}

/// Compares every file of a clean build with what the preview serves; returns how many.
pub(crate) fn assert_same_as_clean(site: &Site, p: &Preview, when: &str) -> usize {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let out = format!("clean-{n}");
    site.build_ok(&[
        "--output",
        &out,
        "--base-url",
        &format!("http://{}/", p.addr),
    ]);
    let mut compared = 0;
    for (path, bytes) in &tree(&site.path().join(&out)) {
        if path.starts_with(".gloss") {
            continue;
        }
        let reply = get(p.addr, &format!("/{path}"));
        assert_eq!(reply.status, 200, "{path} {when}");
        let served = strip_live_script(&reply.body);
        assert!(
            served == String::from_utf8_lossy(bytes),
            "{path} differs from a clean build {when}"
        );
        compared += 1;
    }
    compared
}

/// The served page without the live-reload script `serve` adds.
fn strip_live_script(html: &str) -> String {
    match html.find("<script>(function(){") {
        Some(start) => match html[start..].find("</script>") {
            Some(end) => {
                let rest = &html[start + end + "</script>".len()..];
                format!(
                    "{}{}",
                    &html[..start],
                    rest.strip_prefix('\n').unwrap_or(rest)
                )
            }
            None => html.to_string(),
        },
        None => html.to_string(),
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_cleanly() {
    let site = site();
    let mut p = Preview::start(&site);
    let pid = p.child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(code) = p.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            assert_eq!(code.code(), Some(0));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        !leftovers.iter().any(|n| n == "public"),
        "serve writes nothing to disk: {leftovers:?}"
    );
}

#[test]
fn a_body_edit_that_loses_an_annotated_passage_is_reported() {
    let site = Site::new();
    let fm = "annotations:\n  - on: Hello\n    note: A note.\n";
    site.file(A, &article(fm, "Hello world.\n"));
    let p = Preview::start(&site);
    let (mut events, _) = open_events(p.addr);
    // Same front matter, new body: the fast path, which must still find the error.
    site.file(A, &article(fm, "Goodbye world.\n"));
    Preview::wait_event(&mut events, "errors");
    let page = p.page("/articles/a/").1;
    assert!(
        page.contains("annotation 1: passage `Hello` is not in the text"),
        "{page}"
    );
    site.file(A, &article(fm, "Hello again, world.\n"));
    Preview::wait_event(&mut events, "reload");
    let page = p.page("/articles/a/").1;
    assert!(
        page.contains("Hello</mark>") && !page.contains("<div id=\"gloss-overlay\""),
        "{page}"
    );
}

/// Resident memory of a process, in KB (Linux).
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A soak: 1,000 random edits, renames, deletes and new files under `gloss serve` while
/// a client keeps fetching pages. The server answers every request, ends serving
/// exactly a clean build of the final files, and its memory stays flat.
#[cfg(target_os = "linux")]
#[test]
fn a_thousand_random_changes_under_load_end_in_the_right_site() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let site = site();
    for n in 0..20 {
        site.file(
            &format!("content/articles/s{n}.md"),
            &article("topics: [t]\n", &format!("Soak {n}.\n")),
        );
    }
    let p = Preview::start(&site);
    let pid = p.child.id();
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let requests = std::sync::Arc::new(AtomicUsize::new(0));
    let failures = std::sync::Arc::new(AtomicUsize::new(0));
    let client = {
        let (stop, requests, failures, addr) =
            (stop.clone(), requests.clone(), failures.clone(), p.addr);
        std::thread::spawn(move || {
            let pages = [
                "/",
                "/articles/s3/",
                "/topics/t/",
                "/archive/",
                "/search/meta.json",
            ];
            let mut k = 0;
            while !stop.load(Ordering::Relaxed) {
                let reply = get(addr, pages[k % pages.len()]);
                if reply.status >= 500 || reply.status == 0 {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
                requests.fetch_add(1, Ordering::Relaxed);
                k += 1;
            }
        })
    };
    // A fixed-seed generator: the same operations every run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut rss_start = 0;
    for op in 0..1000 {
        if op == 100 {
            rss_start = rss_kb(pid);
        }
        let n = next(30);
        let path = format!("content/articles/s{n}.md");
        let exists = site.path().join(&path).exists();
        match next(4) {
            0 if exists => {
                std::fs::remove_file(site.path().join(&path)).unwrap_or_else(|e| panic!("{e}"));
            }
            1 if exists => {
                let to = format!("content/articles/s{}.md", next(30));
                std::fs::rename(site.path().join(&path), site.path().join(&to))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            _ => atomic_write(
                &site,
                &path,
                &article(
                    &format!("topics: [t{}]\n", next(3)),
                    &format!("Edit {op} of s{n}.\n"),
                ),
            ),
        }
        if op % 10 == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // Let the last change settle: a fresh event stream, then a final write to wait on.
    let (mut events, _) = open_events(p.addr);
    atomic_write(
        &site,
        "content/articles/last.md",
        &article("", "Last edit.\n"),
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !p.page("/articles/last/").1.contains("Last edit.") {
        assert!(
            std::time::Instant::now() < deadline,
            "the last edit never showed"
        );
        Preview::wait_event(&mut events, "reload");
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    client
        .join()
        .unwrap_or_else(|_| panic!("the client thread panicked"));
    let rss_end = rss_kb(pid);
    let compared = assert_same_as_clean(&site, &p, "after 1,000 random changes");
    let requests = requests.load(Ordering::Relaxed);
    eprintln!(
        "soak: 1,000 changes, {requests} requests, {compared} files compared, RSS {rss_start} kB -> {rss_end} kB"
    );
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed requests");
    assert!(requests > 100, "only {requests} requests");
    assert!(
        rss_end < rss_start * 2 + 20_000,
        "memory grew from {rss_start} kB to {rss_end} kB"
    );
}

/// An editor's atomic save of a file and its deletion in quick succession, with nothing
/// else happening: the page goes away.
#[test]
fn a_file_saved_then_deleted_at_once_disappears() {
    let site = site();
    let p = Preview::start(&site);
    assert_eq!(p.page("/articles/b/").0, 200);
    atomic_write(&site, "content/articles/b.md", &article("", "Saved.\n"));
    std::fs::remove_file(site.path().join("content/articles/b.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while p.page("/articles/b/").0 != 404 {
        assert!(
            std::time::Instant::now() < deadline,
            "the deleted article is still served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A static file swapped for a symlink to a file outside the site while the preview runs:
/// the outside file's bytes are never served (the snapshot holds what the build read),
/// and the rebuild refuses the link as `gloss build` does, with the loader's warning.
#[cfg(unix)]
#[test]
fn a_static_file_swapped_for_a_link_out_of_the_site_is_never_served() {
    let site = site();
    site.file("static/notes.txt", "inside\n");
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secret = elsewhere.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET\n").unwrap_or_else(|e| panic!("{e}"));
    let p = Preview::start(&site);
    assert_eq!(p.page("/notes.txt"), (200, "inside\n".to_owned()));
    let notes = site.path().join("static/notes.txt");
    std::fs::remove_file(&notes).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&secret, &notes).unwrap_or_else(|e| panic!("{e}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = p.page("/notes.txt");
        assert!(!body.contains("TOP-SECRET"), "served the outside file");
        if status == 404 {
            break;
        }
        assert_eq!(body, "inside\n");
        assert!(
            std::time::Instant::now() < deadline,
            "the link is still served"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = p.drain_log().join("\n");
    assert!(
        log.contains("static/notes.txt: warning: skipped: symlink to `"),
        "{log}"
    );
}
