//! A real browser (headless Chromium through chromedriver) sees an edit without a manual
//! reload. The tests are `#[ignore]`d, so `cargo test` lists them as ignored with what
//! they need; `cargo test -- --include-ignored` runs them, and skips one whose tool is
//! missing unless `GLOSS_BROWSER_TESTS=1` (set by `.ci/run`, which installs Debian's
//! chromium and chromium-driver) demands it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{Site, article, static_server};

/// A running chromedriver, stopped when dropped.
pub(crate) struct Driver {
    child: Child,
    /// Where chromedriver listens.
    pub(crate) addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

/// One WebDriver call: `method path` with a JSON body; returns the `value`.
pub(crate) fn call(addr: SocketAddr, method: &str, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("chromedriver: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap_or_else(|e| panic!("{e}"));
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    // Read the head, then exactly Content-Length bytes: chromedriver keeps connections open.
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        let n = s
            .read(&mut byte)
            .unwrap_or_else(|e| panic!("chromedriver {path}: {e}"));
        assert!(n == 1, "chromedriver closed the connection");
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap_or_else(|e| panic!("{e}"));
    let v: Value = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}: {head}"));
    v["value"].clone()
}

pub(crate) fn driver() -> Option<Driver> {
    let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(exe) = exe else {
        assert!(
            std::env::var_os("GLOSS_BROWSER_TESTS").is_none(),
            "GLOSS_BROWSER_TESTS is set but chromedriver is missing"
        );
        eprintln!("skipped: chromedriver not installed (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    let child = Command::new(exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver { child, addr })
}

/// Opens a headless Chromium session; returns its id and the profile folder to keep.
pub(crate) fn session(driver: &Driver) -> (String, tempfile::TempDir) {
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}});
    let session = call(driver.addr, "POST", "/session", &caps);
    let id = session["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_string();
    (id, profile)
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored (GLOSS_BROWSER_TESTS=1 makes their absence a failure)"]
fn the_browser_shows_an_edit_without_a_manual_reload() {
    let Some(driver) = driver() else { return };
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "Before the edit.\n"));
    let preview = crate::serve_live::Preview::start(&site);
    let (id, _profile) = session(&driver);
    let url = format!("http://{}/articles/a/", preview.addr);
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/url"),
        &json!({ "url": url }),
    );
    let text = |d: &Driver| {
        call(
            d.addr,
            "POST",
            &format!("/session/{id}/execute/sync"),
            &json!({"script": "return document.body.innerText", "args": []}),
        )
    };
    assert!(
        text(&driver)
            .as_str()
            .unwrap_or_default()
            .contains("Before the edit.")
    );
    // Let the page's event stream connect before editing.
    std::thread::sleep(Duration::from_millis(500));
    site.file("content/articles/a.md", &article("", "After the edit.\n"));
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if text(&driver)
            .as_str()
            .unwrap_or_default()
            .contains("After the edit.")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the browser never showed the edit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    call(driver.addr, "DELETE", &format!("/session/{id}"), &json!({}));
}

/// The violations axe-core finds on the page open in session `id` (WCAG 2.x A/AA and
/// best practices), one line each.
pub(crate) fn axe_violations(driver: &Driver, id: &str, axe: &str) -> Vec<Value> {
    let run = r#"const done = arguments[arguments.length - 1];
axe.run(document).then(r => done(r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))), e => done(["axe failed: " + e]));"#;
    eval(driver, id, &format!("{axe}\nreturn true;"));
    let violations = call(
        driver.addr,
        "POST",
        &format!("/session/{id}/execute/async"),
        &json!({"script": run, "args": []}),
    );
    assert!(violations.is_array(), "axe did not run: {violations}");
    violations.as_array().cloned().unwrap_or_default()
}

/// axe-core's script: `GLOSS_AXE_JS` (set by `.ci/run`, which fetches axe-core).
pub(crate) fn axe_script() -> Option<String> {
    let path = std::env::var_os("GLOSS_AXE_JS");
    match path.and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(js) => Some(js),
        None => {
            assert!(
                std::env::var_os("GLOSS_VALIDATOR_TESTS").is_none_or(|v| v != "1"),
                "GLOSS_VALIDATOR_TESTS is set but GLOSS_AXE_JS is not axe-core's script"
            );
            eprintln!("skipped: GLOSS_AXE_JS not set (fetch axe-core from npm as .ci/run does)");
            None
        }
    }
}

/// Runs `script` in the page and returns its value.
pub(crate) fn eval(driver: &Driver, id: &str, script: &str) -> Value {
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/execute/sync"),
        &json!({ "script": script, "args": [] }),
    )
}

pub(crate) fn open(driver: &Driver, id: &str, url: &str) {
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/url"),
        &json!({ "url": url }),
    );
}

/// Sets the browser window's size in CSS pixels.
pub(crate) fn resize(driver: &Driver, id: &str, width: u32, height: u32) {
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/window/rect"),
        &json!({"width": width, "height": height}),
    );
}

/// Waits until `condition` (a JavaScript expression) holds in the page.
pub(crate) fn wait_for(driver: &Driver, id: &str, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while eval(driver, id, &format!("return Boolean({condition})")) != json!(true) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{condition}`; the page says: {}",
            eval(driver, id, "return document.body.innerText")
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs chromium, chromedriver and axe-core (GLOSS_AXE_JS): cargo test -- --include-ignored, as .ci/run does"]
fn every_page_kind_has_no_accessibility_violations_at_phone_and_desktop_widths() {
    let Some(axe) = axe_script() else { return };
    let Some(driver) = driver() else { return };
    let site = Site::sample();
    let sample = static_server(&site.build_ok(&[]));
    // A generated archive for the pages the sample is too small to have: later pages
    // of paginated lists.
    let (_generated, out) = crate::util::generated(60);
    let generated = static_server(&out);
    // Issue 16's page kinds the sample has no content for: quotes by status, a tally.
    let newsroom_site = crate::indexes::newsroom();
    let newsroom = static_server(&newsroom_site.build_ok(&[]));
    // Side notes and quotes of every kind and status (issue 16 items 1 and 4).
    let notes_site = crate::side_notes::many_notes();
    let notes = static_server(&notes_site.build_ok(&[]));
    // Full-text search (issue 18 item 6): a snippet, the filters open with values.
    let search_site = crate::search::fixture();
    let search = static_server(&search_site.build_ok(&[]));
    let (id, _profile) = session(&driver);
    // Each page, with what must be on it before axe runs (search results come late).
    let pages = [
        (newsroom, "index.html", "true"),
        (notes, "articles/many/index.html", "true"),
        (newsroom, "quotes/disputed/index.html", "true"),
        (newsroom, "people/pol-x/index.html", "true"),
        (newsroom, "archive/index.html", "true"),
        (sample, "index.html", "true"),
        (
            sample,
            "articles/bukele-dares-clinton-prison-population/index.html",
            "true",
        ),
        (sample, "people/index.html", "true"),
        (sample, "people/nayib-bukele/index.html", "true"),
        (sample, "topics/cecot/index.html", "true"),
        (sample, "outlets/fox-news/index.html", "true"),
        (sample, "quotes/index.html", "true"),
        (sample, "archive/index.html", "true"),
        (sample, "archive/2025/12/index.html", "true"),
        (sample, "about/index.html", "true"),
        // Issue 16: an archived copy's page, the corrections page, and an article with
        // a correction notice.
        (sample, "sources/bukele-x-2025-12-23/index.html", "true"),
        (sample, "corrections/index.html", "true"),
        (sample, "articles/what-is-cecot/index.html", "true"),
        (sample, "search/index.html", "true"),
        (
            sample,
            "search/index.html?q=bukele",
            "document.querySelector('.search-result mark')",
        ),
        (
            search,
            "search/index.html?q=canciones&year=2025&person=marta-quiroga",
            "document.querySelector('.search-snippet mark') && (document.querySelector('.search-filters').open = true)",
        ),
        (sample, "404.html", "true"),
        (generated, "page/2/index.html", "true"),
        (generated, "quotes/page/2/index.html", "true"),
        (generated, "archive/index.html", "true"),
    ];
    let mut found = Vec::new();
    for (width, height) in [(375, 812), (1280, 900)] {
        resize(&driver, &id, width, height);
        for (host, page, ready) in pages {
            open(&driver, &id, &format!("http://{host}/{page}"));
            wait_for(&driver, &id, ready);
            let list = axe_violations(&driver, &id, &axe);
            found.extend(list.iter().map(|v| format!("{page} at {width}px: {v}")));
        }
    }
    call(driver.addr, "DELETE", &format!("/session/{id}"), &json!({}));
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored (GLOSS_BROWSER_TESTS=1 makes their absence a failure)"]
fn search_finds_people_quotes_and_accented_names_downloading_only_what_it_needs() {
    let Some(driver) = driver() else { return };
    let site = Site::sample();
    let host = static_server(&site.build_ok(&[]));
    let (id, _profile) = session(&driver);
    let results = "return Array.from(document.querySelectorAll('.search-result'), li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        kind: li.querySelector('.search-kind').textContent,
        marks: Array.from(li.querySelectorAll('mark'), m => m.textContent),
        quote: li.querySelector('.search-cite a') ? li.querySelector('.search-cite a').getAttribute('href') : null,
    }))";
    // A name: the person first (their name is the title), then articles naming them.
    open(
        &driver,
        &id,
        &format!("http://{host}/search/index.html?q=Bukele"),
    );
    wait_for(&driver, &id, "document.querySelector('.search-result')");
    let found = eval(&driver, &id, results);
    assert_eq!(
        found[0]["href"], "../people/nayib-bukele/index.html",
        "{found}"
    );
    assert_eq!(found[0]["kind"], "Person");
    assert!(found.as_array().is_some_and(|r| r.len() >= 3), "{found}");
    assert!(
        found[1]["marks"].as_array().is_some_and(|m| !m.is_empty()),
        "{found}"
    );
    // Only the index's first file, the word's shard and the documents shown (with the
    // rest of a body whose beginning does not have the word).
    let fetched = eval(
        &driver,
        &id,
        "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname).filter(p => p.startsWith('/search/'))",
    );
    let fetched: Vec<&str> = fetched
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(fetched.contains(&"/search/meta.json"), "{fetched:?}");
    assert_eq!(
        fetched
            .iter()
            .filter(|p| p.starts_with("/search/t/"))
            .count(),
        1,
        "{fetched:?}"
    );
    assert!(
        fetched.iter().all(|p| *p == "/search/meta.json"
            || p.starts_with("/search/t/bu")
            || p.starts_with("/search/d/")
            || p.strip_prefix("/search/b/")
                .is_some_and(|n| fetched.contains(&format!("/search/d/{n}").as_str()))),
        "{fetched:?}"
    );
    // A word of a quote: the quote is shown, marked, linking to it in its article.
    open(
        &driver,
        &id,
        &format!("http://{host}/search/index.html?q=firsthand"),
    );
    wait_for(&driver, &id, "document.querySelector('.search-result')");
    let found = eval(&driver, &id, results);
    assert!(
        found[0]["quote"]
            .as_str()
            .is_some_and(|q| q.contains("#quote-")),
        "{found}"
    );
    assert_eq!(found[0]["marks"], json!(["firsthand"]), "{found}");
    // Typed without the accent, and only the start of the last word: as-you-type.
    let typed = "const i = document.querySelector('#search-q'); i.value = 'jose ram'; i.dispatchEvent(new Event('input')); return true";
    eval(&driver, &id, typed);
    wait_for(
        &driver,
        &id,
        "document.querySelector('.search-result h2 a') && document.querySelector('.search-result h2 a').textContent.includes('José')",
    );
    assert_eq!(
        eval(&driver, &id, "return location.search"),
        json!("?q=jose+ram")
    );
    // Nothing: said so, in the live region.
    open(
        &driver,
        &id,
        &format!("http://{host}/search/index.html?q=zzyzx"),
    );
    wait_for(
        &driver,
        &id,
        "document.querySelector('.search-status').textContent.includes('Nothing found')",
    );
    call(driver.addr, "DELETE", &format!("/session/{id}"), &json!({}));
}

/// Issue 17, item 6: the serve overlay lists errors before warnings under a count, each
/// entry collapsible, and fits a phone's width (long lines scroll, not wrap). Both the
/// overlay the script builds from the event and the one in a reloaded page.
#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored (GLOSS_BROWSER_TESTS=1 makes their absence a failure)"]
fn the_overlay_puts_errors_first_under_counts_at_phone_and_desktop_widths() {
    let Some(driver) = driver() else { return };
    let (id, _profile) = session(&driver);
    // Overlay facts, as one JSON value: counts line, severities in order, all entries
    // <details>, no sideways overflow of the box, the first error on screen.
    let probe = r#"var d = document.getElementById('gloss-overlay');
if (!d) return null;
var s = Array.prototype.map.call(d.querySelectorAll('summary'), function (x) {
  return / error: /.test(x.textContent) ? 'error' : 'warning'; });
var first = d.querySelector('summary');
return { counts: d.querySelectorAll('p')[1].textContent, order: s,
  details: d.querySelectorAll('details').length,
  fits: d.scrollWidth <= d.clientWidth + 1,
  visible: first.getBoundingClientRect().bottom <= window.innerHeight };"#;
    let long = "x".repeat(300);
    for (width, height) in [(375, 812), (1280, 900)] {
        resize(&driver, &id, width, height);
        let site = Site::new();
        site.file("content/articles/a.md", &article("", "Fine.\n"));
        let preview = crate::serve_live::Preview::start(&site);
        let url = format!("http://{}/articles/a/", preview.addr);
        open(&driver, &id, &url);
        wait_for(
            &driver,
            &id,
            "document.body.innerText.indexOf('Fine.') >= 0",
        );
        std::thread::sleep(Duration::from_millis(500));
        // A warning in a.md (listed first by path) and an error in z.md, on a long line.
        site.file(
            "content/articles/a.md",
            &article(
                "sources: {s: {title: S}}\nspeakers: [ana, ben]\nquotes:\n  - speaker: ana\n    text: Fine\n    source: s\n",
                "Fine.\n",
            ),
        );
        site.file(
            "content/articles/z.md",
            &article("", &format!("{long} [x](person:nobody)\n")),
        );
        wait_for(&driver, &id, "document.getElementById('gloss-overlay')");
        for how in ["from the event", "in a reloaded page"] {
            let facts = eval(&driver, &id, probe);
            assert_eq!(
                facts,
                json!({"counts": "1 error, 1 warning", "order": ["error", "warning"],
                       "details": 2, "fits": true, "visible": true}),
                "{how} at {width}px"
            );
            open(&driver, &id, &url);
            wait_for(&driver, &id, "document.getElementById('gloss-overlay')");
        }
        // Collapsing an entry hides its lines.
        let hidden = eval(
            &driver,
            &id,
            "var x = document.querySelector('#gloss-overlay details'); x.open = false; return !x.querySelector('pre').checkVisibility();",
        );
        assert_eq!(hidden, json!(true), "at {width}px");
    }
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored (GLOSS_BROWSER_TESTS=1 makes their absence a failure)"]
fn print_shows_each_sources_addresses_and_hides_the_navigation() {
    let Some(driver) = driver() else { return };
    let site = crate::indexes::newsroom();
    let host = static_server(&site.build_ok(&[]));
    let (id, _profile) = session(&driver);
    open(
        &driver,
        &id,
        &format!("http://{host}/articles/taxes/index.html"),
    );
    // Chromium's print media, through chromedriver's DevTools bridge.
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/goog/cdp/execute"),
        &json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}}),
    );
    assert_eq!(
        eval(&driver, &id, "return matchMedia('print').matches"),
        json!(true)
    );
    let shown = |selector: &str| {
        eval(
            &driver,
            &id,
            &format!(
                "const e = document.querySelector('{selector}'); return e ? getComputedStyle(e).display : 'missing'"
            ),
        )
    };
    for hidden in [
        ".site-nav",
        ".breadcrumbs",
        ".back",
        ".site-footer",
        ".skip-link",
    ] {
        assert_eq!(shown(hidden), json!("none"), "{hidden} in print");
    }
    assert_ne!(shown(".article-body"), json!("none"));
    let after = |selector: &str| {
        eval(
            &driver,
            &id,
            &format!(
                "return getComputedStyle(document.querySelector('{selector}'), '::after').content"
            ),
        )
    };
    assert_eq!(
        after(".source-list a.source-title"),
        json!("\" <https://nine.example/interview>\"")
    );
    assert_eq!(
        after(".source-list a.archived"),
        json!("\" <https://archive.example/nine/interview>\"")
    );
    // On screen, neither shows.
    call(
        driver.addr,
        "POST",
        &format!("/session/{id}/goog/cdp/execute"),
        &json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}}),
    );
    assert_eq!(after(".source-list a.source-title"), json!("none"));
    assert_ne!(shown(".breadcrumbs"), json!("none"));
    call(driver.addr, "DELETE", &format!("/session/{id}"), &json!({}));
}
