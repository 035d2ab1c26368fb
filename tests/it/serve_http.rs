//! The preview server's HTTP layer (`gloss::serve::http`), spoken to over raw TCP so the
//! requests are exactly what a browser or an attacker would send.

use imbl::OrdMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gloss::serve::http::{Server, start};
use gloss::serve::state::{Body, Event, Shared, Snapshot};

const TIMEOUT: Duration = Duration::from_secs(15);

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

pub(crate) fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    stream
        .set_read_timeout(Some(TIMEOUT))
        .unwrap_or_else(|e| panic!("{e}"));
    stream
        .set_write_timeout(Some(TIMEOUT))
        .unwrap_or_else(|e| panic!("{e}"));
    stream
}

pub(crate) fn send(stream: &mut TcpStream, method: &str, target: &str) {
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Reads a whole `Connection: close` response.
pub(crate) fn receive(stream: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("reading the response: {e}"));
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no head: {raw:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok());
    let headers = lines.filter_map(|l| l.split_once(':'));
    Reply {
        status: status.unwrap_or_else(|| panic!("no status: {head}")),
        headers: headers
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

/// One request on a new connection.
pub(crate) fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = connect(addr);
    send(&mut stream, method, target);
    receive(&mut stream)
}

pub(crate) fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// Reads from an open response until `needle` arrives; returns everything read so far.
pub(crate) fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str) {
    let deadline = Instant::now() + TIMEOUT;
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        assert!(
            Instant::now() < deadline,
            "no `{needle}` within {TIMEOUT:?}; got {seen:?}"
        );
        let n = stream
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("waiting for `{needle}`: {e}"));
        assert!(n > 0, "stream ended before `{needle}`; got {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

fn bytes(text: &str) -> Body {
    Body::Bytes(Arc::from(text.as_bytes()))
}

const PAGE: &str = "<!doctype html><html><head><link rel=stylesheet href=/style.css></head>\
                    <body><h1>Home</h1></body></html>";

fn site(errors: Option<&str>) -> Arc<Shared> {
    let mut files = OrdMap::new();
    files.insert("index.html".to_owned(), bytes(PAGE));
    files.insert(
        "people/x/index.html".to_owned(),
        bytes("<body>person x</body>"),
    );
    files.insert("style.css".to_owned(), bytes("body { color: red }"));
    files.insert("feed.xml".to_owned(), bytes("<feed></feed>"));
    files.insert("data.jsonld".to_owned(), bytes("{}"));
    files.insert("logo.svg".to_owned(), bytes("<svg></svg>"));
    Shared::new(Snapshot {
        files,
        errors: errors.map(Arc::from),
        ..Snapshot::default()
    })
}

fn serve(shared: &Arc<Shared>) -> Server {
    let addr = "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}"));
    start(addr, Arc::clone(shared)).unwrap_or_else(|e| panic!("{e:#}"))
}

#[test]
fn serves_files_with_their_types_and_no_store() {
    let server = serve(&site(None));
    for (target, status, content_type) in [
        ("/", 200, "text/html; charset=utf-8"),
        ("/index.html", 200, "text/html; charset=utf-8"),
        ("/people/x/", 200, "text/html; charset=utf-8"),
        ("/people/x/index.html", 200, "text/html; charset=utf-8"),
        ("/style.css", 200, "text/css; charset=utf-8"),
        ("/style.css?v=123", 200, "text/css; charset=utf-8"),
        ("/feed.xml", 200, "application/xml; charset=utf-8"),
        ("/data.jsonld", 200, "application/ld+json; charset=utf-8"),
        ("/logo.svg", 200, "image/svg+xml"),
    ] {
        let reply = get(server.addr, target);
        assert_eq!(reply.status, status, "{target}: {reply:?}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{target}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{target}");
    }
    assert!(get(server.addr, "/").body.contains("<h1>Home</h1>"));
    assert_eq!(get(server.addr, "/style.css").body, "body { color: red }");
    assert!(get(server.addr, "/people/x/").body.contains("person x"));
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let server = serve(&site(None));
    for target in ["/style.css", "/"] {
        let full = get(server.addr, target);
        let head = request(server.addr, "HEAD", target);
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-type"), full.header("content-type"));
        let length = full.body.len().to_string();
        assert_eq!(
            head.header("content-length"),
            Some(length.as_str()),
            "{target}"
        );
        assert_eq!(head.body, "");
    }
    assert_eq!(request(server.addr, "POST", "/").status, 405);
}

#[test]
fn a_folder_without_its_slash_redirects_keeping_the_query() {
    let server = serve(&site(None));
    let reply = get(server.addr, "/people/x");
    assert!(matches!(reply.status, 301 | 308), "{reply:?}");
    assert_eq!(reply.header("location"), Some("/people/x/"));
    let reply = get(server.addr, "/people/x?a=1&b=%20");
    assert_eq!(reply.header("location"), Some("/people/x/?a=1&b=%20"));
    // `//host/...` must not become a redirect to another site.
    assert_eq!(get(server.addr, "//people/x").status, 404);
}

#[test]
fn missing_pages_get_404_html_or_a_built_in_page() {
    let shared = site(None);
    let server = serve(&shared);
    let reply = get(server.addr, "/nope/");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(reply.body.contains("Not found"), "{}", reply.body);
    assert!(
        reply.body.contains("/__gloss/events"),
        "the 404 page reloads too"
    );
    assert_eq!(get(server.addr, "/people").status, 404);

    let mut snapshot = shared.current().as_ref().clone();
    snapshot.files.insert(
        "404.html".to_owned(),
        bytes("<body>our own lost page</body>"),
    );
    shared.publish(snapshot, Event::Reload);
    let reply = get(server.addr, "/missing.css");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(reply.body.contains("our own lost page"), "{}", reply.body);
    assert!(reply.body.contains("/__gloss/events"));
}

#[test]
fn paths_that_leave_the_site_are_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join("site")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("secret"), "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("site/a.txt"), "a").unwrap_or_else(|e| panic!("{e}"));
    let mut files = OrdMap::new();
    files.insert("a.txt".to_owned(), bytes("a"));
    files.insert("a/b/index.html".to_owned(), bytes("<p>b"));
    let server = serve(&Shared::new(Snapshot {
        files,
        ..Snapshot::default()
    }));

    for target in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret",
        "/a/b/../../../secret",
        "/a\\..\\b",
        "/%5c..%5csecret",
        "/%5C..%5Csecret",
        "/a.txt%00.html",
        "/..",
    ] {
        let reply = get(server.addr, target);
        // 400 from gloss itself: encoded dots and backslashes are decoded before the
        // check, so none of these is merely missing.
        assert_eq!(reply.status, 400, "{target}: {reply:?}");
        for secret in ["TOP-SECRET", "[package]", "root:"] {
            assert!(!reply.body.contains(secret), "{target} leaked {secret}");
        }
    }
    assert_eq!(get(server.addr, "/a.txt").body, "a");
}

#[test]
fn html_gets_the_reload_script_and_other_files_do_not() {
    let server = serve(&site(None));
    let html = get(server.addr, "/").body;
    assert!(
        html.contains("new EventSource('/__gloss/events')"),
        "{html}"
    );
    let script_at = html.find("<script>").unwrap_or(usize::MAX);
    assert!(
        script_at < html.find("</body>").unwrap_or(0),
        "script goes before </body>"
    );
    assert!(html.ends_with("</body></html>"), "{html}");
    assert!(
        !html.contains("id=\"gloss-overlay\""),
        "no overlay without errors"
    );
    for target in ["/style.css", "/feed.xml", "/data.jsonld", "/logo.svg"] {
        assert!(
            !get(server.addr, target).body.contains("EventSource"),
            "{target}"
        );
    }
}

#[test]
fn build_errors_show_as_an_escaped_overlay() {
    let errors = "content/a.md:3:1: error: unknown key `<script>alert(1)</script>` & more";
    let server = serve(&site(Some(errors)));
    for target in ["/", "/people/x/", "/nope"] {
        let html = get(server.addr, target).body;
        assert!(html.contains("id=\"gloss-overlay\""), "{target}: {html}");
        assert!(
            html.contains("unknown key `&lt;script&gt;alert(1)&lt;/script&gt;` &amp; more"),
            "{target}: {html}"
        );
        assert!(!html.contains("<script>alert(1)"), "{target}: unescaped");
    }
    assert!(
        !get(server.addr, "/style.css")
            .body
            .contains("gloss-overlay")
    );
}

/// Opens the event stream and waits until it is subscribed.
pub(crate) fn open_events(addr: SocketAddr) -> (TcpStream, String) {
    let mut stream = connect(addr);
    send(&mut stream, "GET", "/__gloss/events");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, ": gloss");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(
        seen.to_ascii_lowercase()
            .contains("content-type: text/event-stream"),
        "{seen}"
    );
    (stream, seen)
}

#[test]
fn the_event_stream_delivers_build_events() {
    let shared = site(None);
    let server = serve(&shared);
    let (mut stream, mut seen) = open_events(server.addr);
    assert!(!seen.contains("event: errors"));

    shared.publish(shared.current().as_ref().clone(), Event::Reload);
    read_until(&mut stream, &mut seen, "event: reload\n");
    shared.publish(shared.current().as_ref().clone(), Event::Css);
    read_until(&mut stream, &mut seen, "event: css\n");
    let failed = Snapshot {
        errors: Some(Arc::from("a.md:1:1: error: x\n  = hint: y")),
        ..Snapshot::default()
    };
    shared.publish(
        failed,
        Event::Errors(Arc::from("a.md:1:1: error: x\n  = hint: y")),
    );
    read_until(
        &mut stream,
        &mut seen,
        "event: errors\ndata: a.md:1:1: error: x\ndata:   = hint: y\n",
    );
}

#[test]
fn the_event_stream_starts_with_the_current_errors() {
    let server = serve(&site(Some("line one\nline two")));
    let (mut stream, mut seen) = open_events(server.addr);
    read_until(
        &mut stream,
        &mut seen,
        "event: errors\ndata: line one\ndata: line two\n",
    );
}

#[test]
fn shutdown_ends_open_event_streams() {
    let shared = site(None);
    let server = serve(&shared);
    let addr = server.addr;
    let (mut stream, _) = open_events(addr);
    let started = Instant::now();
    server.shutdown();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
    let mut rest = Vec::new();
    // The stream ends (EOF, or a reset), instead of hanging until the read timeout.
    let _ = stream.read_to_end(&mut rest);
    assert!(started.elapsed() < TIMEOUT);
    assert!(
        TcpStream::connect_timeout(&addr, TIMEOUT).is_err(),
        "still listening"
    );
}

#[test]
fn a_port_in_use_is_an_error_that_suggests_another() {
    let server = serve(&site(None));
    let Err(error) = start(server.addr, site(None)) else {
        panic!("a second server started on {}", server.addr);
    };
    let message = format!("{error:#}");
    assert!(
        message.contains(&format!("port {} is already in use", server.addr.port())),
        "{message}"
    );
    assert!(message.contains("`--port"), "{message}");
}

#[test]
fn many_connections_are_served_at_once() {
    let server = serve(&site(None));
    let mut streams: Vec<TcpStream> = (0..200).map(|_| connect(server.addr)).collect();
    // An open event stream must not hold anything up either.
    let _events = open_events(server.addr);
    for (i, stream) in streams.iter_mut().enumerate() {
        send(stream, "GET", if i % 2 == 0 { "/" } else { "/style.css" });
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let reply = receive(stream);
        assert_eq!(reply.status, 200, "connection {i}");
        assert!(!reply.body.is_empty(), "connection {i}");
    }
}

/// Slow clients (slowloris: headers sent a byte at a time, never finished) hold only
/// their own connections: other requests are answered at once.
#[test]
fn slow_clients_do_not_stall_other_requests() {
    use std::io::Write as _;
    let server = serve(&site(None));
    let mut slow: Vec<TcpStream> = (0..100).map(|_| connect(server.addr)).collect();
    let head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for round in 0..head.len() {
        for s in &mut slow {
            let _ = s.write_all(&head[round..=round]);
        }
        if round % 8 == 0 {
            let t = std::time::Instant::now();
            let reply = get(server.addr, "/");
            assert_eq!(reply.status, 200);
            assert!(
                t.elapsed() < std::time::Duration::from_secs(2),
                "a request took {:?} beside 100 slow clients",
                t.elapsed()
            );
        }
    }
    // Still unanswered (their headers never ended), and still no stall.
    assert_eq!(get(server.addr, "/style.css").status, 200);
    drop(slow);
    assert_eq!(get(server.addr, "/").status, 200);
}

/// One raw request (`Connection: close` is added) on a new connection to `addr`.
fn raw(addr: SocketAddr, head: &str) -> Reply {
    let mut stream = connect(addr);
    let request = format!("{head}Connection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    receive(&mut stream)
}

fn with_host(addr: SocketAddr, target: &str, host: &str) -> Reply {
    raw(addr, &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n"))
}

fn serve_on(bind: &str, shared: &Arc<Shared>) -> Server {
    let addr = bind.parse().unwrap_or_else(|e| panic!("{bind}: {e}"));
    start(addr, Arc::clone(shared)).unwrap_or_else(|e| panic!("{e:#}"))
}

/// DNS rebinding: a page of `evil.example` (resolved to 127.0.0.1) must not read the
/// preview. See issue 14 (Trust), item 6.
#[test]
fn requests_for_a_foreign_host_are_refused() {
    let server = serve(&site(None));
    let port = server.addr.port();
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let reply = with_host(server.addr, "/", &host);
        assert_eq!(reply.status, 403, "{host}: {reply:?}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(
            reply.body.contains(&format!("for `{host}`")) && reply.body.contains("--bind"),
            "{}",
            reply.body
        );
        assert!(!reply.body.contains("<h1>Home"), "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_owned(),
    ] {
        let reply = with_host(server.addr, "/", &host);
        assert_eq!(reply.status, 200, "{host}: {reply:?}");
        assert!(reply.body.contains("<h1>Home"));
    }
    // An absolute target's host wins over `Host` (RFC 9112), so it is the one checked.
    let reply = raw(
        server.addr,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n",
    );
    assert_eq!(reply.status, 403, "{reply:?}");
}

#[test]
fn the_event_stream_is_refused_for_a_foreign_host() {
    let shared = site(Some("content/a.md:1:1: error: secret line"));
    let server = serve(&shared);
    let reply = with_host(server.addr, "/__gloss/events", "evil.example");
    assert_eq!(reply.status, 403, "{reply:?}");
    assert!(!reply.body.contains("secret line"), "{}", reply.body);
    // The same stream for a local host is open (its first event arrives).
    let mut stream = connect(server.addr);
    stream
        .write_all(b"GET /__gloss/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "secret line");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
}

/// HTTP/1.0 allows a request without `Host`; no browser sends one, and answering it
/// would leave a way around the check.
#[test]
fn a_request_without_a_host_is_refused() {
    let server = serve(&site(None));
    let reply = raw(server.addr, "GET / HTTP/1.0\r\n");
    assert_eq!(reply.status, 403, "{reply:?}");
    assert!(reply.body.contains("named no host"), "{}", reply.body);
    let twice = raw(
        server.addr,
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n",
    );
    assert_ne!(twice.status, 200, "{twice:?}");
}

#[test]
fn the_address_bound_is_answered_too() {
    let server = serve_on("127.0.0.2:0", &site(None));
    let port = server.addr.port();
    assert_eq!(
        with_host(server.addr, "/", &format!("127.0.0.2:{port}")).status,
        200
    );
    assert_eq!(with_host(server.addr, "/", "localhost").status, 200);
    assert_eq!(with_host(server.addr, "/", "127.0.0.3").status, 403);
}

/// `--bind 0.0.0.0` (or a LAN address) exposes the preview on purpose: any host is
/// answered, as the startup warning says.
#[test]
fn a_non_loopback_bind_answers_any_host() {
    let server = serve_on("0.0.0.0:0", &site(None));
    let local = SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    let reply = with_host(local, "/", "my-laptop.lan:8080");
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(raw(local, "GET / HTTP/1.0\r\n").status, 200);
}
