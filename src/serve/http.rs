//! The HTTP side of `gloss serve`: serves the current [`Snapshot`] from memory (static
//! files are read when the snapshot is built, never at request time; a page not
//! rendered yet is rendered on a render thread, see [`super::pages`]), injects
//! the live-reload script and the error overlay into every HTML page, and streams build
//! events to browsers at `/__gloss/events` (server-sent events).
//!
//! Input: a [`Shared`] that the build loop replaces. Output: HTTP on a thread of its own
//! with its own tokio runtime, so the build loop stays synchronous and never waits on
//! HTTP. Bound to loopback, it answers only requests for `localhost`, `127.0.0.1`,
//! `[::1]` or its own address (against DNS rebinding; see [`hosts`]). A request path is
//! only ever a key into `snapshot.files`, never joined onto a folder, so nothing outside
//! the snapshot can be served; paths with `..`, backslashes or NUL are refused with 400
//! all the same.

use std::convert::Infallible;
use std::future::IntoFuture as _;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;

use super::hosts::{self, Hosts};
use super::inject::{content_type, inject, is_html};
use super::pages::Reply;
use crate::serve::state::{Body, Event, Shared, Snapshot};

/// The event stream's path; the injected script connects to it.
pub(crate) const EVENTS_PATH: &str = "/__gloss/events";
/// Comments on an idle event stream, so proxies and browsers keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting to a restarted server.
const RETRY: Duration = Duration::from_secs(1);
/// How long open connections get to finish once shutdown is asked for.
const GRACE: Duration = Duration::from_secs(2);
/// Pending connections the kernel queues: browsers open many at once.
const BACKLOG: u32 = 1024;
/// The page for a page whose template failed; the overlay says why.
const BUILT_IN_500: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Cannot render this page</title></head>\n<body><h1>Cannot render this page</h1>\
<p>Its template failed: see the errors.</p></body></html>\n";
/// The page for a missing path when the site has no `404.html`.
const BUILT_IN_404: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Not found</title></head>\n<body><h1>Not found</h1>\
<p>This site has no page at this address. <a href=\"/\">Home</a></p></body></html>\n";

/// A running server. Dropping it stops it too.
#[derive(Debug)]
pub struct Server {
    /// The address it listens on, with the real port when port 0 was asked for.
    pub addr: SocketAddr,
    /// Set to `true` to stop; dropping it stops as well.
    stop: watch::Sender<bool>,
    /// The HTTP thread; `None` once joined.
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Stops serving (open event streams end, other connections get a short grace
    /// period) and joins the thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the HTTP thread panicked");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Binds `addr` (port 0 picks a free port) and serves `shared` on a thread of its own
/// with its own tokio runtime. A port in use is an error that names it and suggests
/// `--port`. Bound to loopback, it answers only requests for local host names (see
/// [`hosts`]).
pub fn start(addr: SocketAddr, shared: Arc<Shared>) -> anyhow::Result<Server> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gloss-http")
        .enable_all()
        .build()
        .context("cannot start the HTTP runtime")?;
    let listener = {
        let _entered = runtime.enter();
        bind(addr)?
    };
    let addr = listener
        .local_addr()
        .with_context(|| format!("cannot listen on {addr}"))?;
    let (stop, stopped) = watch::channel(false);
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        .with_state(App {
            shared,
            stopped: stopped.clone(),
        })
        .layer(axum::middleware::from_fn_with_state(
            Hosts::for_bind(addr.ip()),
            hosts::check,
        ));
    let thread = std::thread::Builder::new()
        .name("gloss-http".to_owned())
        .spawn(move || {
            runtime.block_on(run(listener, app, stopped));
            runtime.shutdown_timeout(Duration::from_millis(200));
        })
        .context("cannot start the HTTP thread")?;
    Ok(Server {
        addr,
        stop,
        thread: Some(thread),
    })
}

/// A listening socket on `addr` with a deep accept queue.
fn bind(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    let in_use = || {
        anyhow::anyhow!(
            "port {} is already in use\nhint: pass another port with `--port N`, \
             or `--port 0` for any free port",
            addr.port()
        )
    };
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }
    .with_context(|| format!("cannot listen on {addr}"))?;
    // As std does: a restart must not fail on the last run's connections in TIME_WAIT.
    // (On Windows the option would let two servers share the port.)
    if cfg!(unix) {
        socket
            .set_reuseaddr(true)
            .with_context(|| format!("cannot listen on {addr}"))?;
    }
    match socket.bind(addr).and_then(|()| socket.listen(BACKLOG)) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => Err(in_use()),
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}

/// Serves until `stopped` turns true, then gives open connections [`GRACE`] to finish.
async fn run(listener: tokio::net::TcpListener, app: Router, stopped: watch::Receiver<bool>) {
    let serve = axum::serve(listener, app).with_graceful_shutdown(wait_stop(stopped.clone()));
    tokio::select! {
        result = serve.into_future() => {
            if let Err(e) = result {
                tracing::error!("the preview server stopped: {e}");
            }
        }
        () = async { wait_stop(stopped).await; tokio::time::sleep(GRACE).await } => {
            tracing::debug!("connections still open after shutdown; closing them");
        }
    }
}

/// Returns once shutdown is asked for (or the [`Server`] is gone).
async fn wait_stop(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// What every handler gets.
#[derive(Debug, Clone)]
struct App {
    shared: Arc<Shared>,
    stopped: watch::Receiver<bool>,
}

/// What a request path names in a snapshot.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file, by its key.
    File(String),
    /// A folder asked for without its final slash: redirect to the path plus `/`.
    Folder,
    /// Nothing.
    Missing,
}

/// Looks up the raw (still percent-encoded) request `path`; `None` for a path that tries
/// to leave the site (`..`, backslashes, NUL) or is not UTF-8 once decoded.
fn resolve(files: &Snapshot, path: &str) -> Option<Target> {
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    let key = decoded.strip_prefix('/')?;
    if key.contains(['\\', '\0']) || key.split('/').any(|segment| segment == "..") {
        return None;
    }
    let has = |k: &str| files.has(k);
    Some(if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        if has(&index) {
            Target::File(index)
        } else {
            Target::Missing
        }
    } else if has(key) {
        Target::File(key.to_owned())
    } else if has(&format!("{key}/index.html")) && !path.starts_with("//") {
        // (`//host` would be a redirect to another site; keys never start with `/`.)
        Target::Folder
    } else {
        Target::Missing
    })
}

/// `%XX` decoded to bytes; `None` if a `%` is not followed by two hex digits.
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let raw = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let digit = |j: usize| char::from(*raw.get(j)?).to_digit(16);
            let byte = digit(i + 1)? * 16 + digit(i + 2)?;
            out.push(u8::try_from(byte).ok()?);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    Some(out)
}

/// GET and HEAD of any path but the event stream.
async fn page(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.shared.current();
    let response = match resolve(&snapshot, uri.path()) {
        None => plain(StatusCode::BAD_REQUEST, "bad request path\n"),
        Some(Target::File(key)) => file(&app, &snapshot, &key).await,
        Some(Target::Folder) => redirect(&uri),
        Some(Target::Missing) => not_found(&app, &snapshot).await,
    };
    tracing::debug!("{method} {uri} -> {}", response.status().as_u16());
    response
}

/// What a path of a snapshot holds.
enum Fetched {
    Bytes(Bytes),
    Missing,
    /// The page's template failed: the errors.
    Failed(Arc<str>),
}

/// The bytes at `key`: a file of the snapshot, a page it cached, or a page rendered now
/// (on a render thread; this one only waits).
async fn fetch(app: &App, snapshot: &Snapshot, key: &str) -> Fetched {
    if let Some(body) = snapshot.files.get(key) {
        return Fetched::Bytes(shared(body));
    }
    let Some(generation) = &snapshot.pages else {
        return Fetched::Missing;
    };
    let cached = {
        let mut cache = app.shared.cache();
        if is_html(key) {
            cache.served(key);
        }
        cache.get(generation.number, key)
    };
    let reply = match cached {
        Some(bytes) => Reply::Page(bytes),
        None => app.shared.renders.render(Arc::clone(generation), key).await,
    };
    match reply {
        Reply::Page(bytes) => Fetched::Bytes(Bytes::from_owner(bytes)),
        Reply::Missing => Fetched::Missing,
        Reply::Failed(text) => Fetched::Failed(text),
    }
}

/// The file at `key`.
async fn file(app: &App, snapshot: &Snapshot, key: &str) -> Response {
    match fetch(app, snapshot, key).await {
        Fetched::Bytes(bytes) => respond(StatusCode::OK, key, bytes, snapshot.errors.as_deref()),
        Fetched::Missing => not_found(app, snapshot).await,
        Fetched::Failed(text) => failed(snapshot, &text),
    }
}

/// 500 with the errors of a page whose template failed (and the build's, if any).
fn failed(snapshot: &Snapshot, text: &str) -> Response {
    let errors = match &snapshot.errors {
        Some(build) => format!("{text}\n{build}"),
        None => text.to_owned(),
    };
    respond(
        StatusCode::INTERNAL_SERVER_ERROR,
        "500.html",
        Bytes::from_static(BUILT_IN_500.as_bytes()),
        Some(&errors),
    )
}

/// 404 with the site's `404.html`, or with a built-in page.
async fn not_found(app: &App, snapshot: &Snapshot) -> Response {
    let bytes = match fetch(app, snapshot, "404.html").await {
        Fetched::Bytes(bytes) => bytes,
        Fetched::Missing | Fetched::Failed(_) => Bytes::from_static(BUILT_IN_404.as_bytes()),
    };
    respond(
        StatusCode::NOT_FOUND,
        "404.html",
        bytes,
        snapshot.errors.as_deref(),
    )
}

/// A body's bytes as a response body, without copying them.
fn shared(body: &Body) -> Bytes {
    Bytes::from_owner(Arc::clone(body.bytes()))
}

/// A file's response; HTML gets the script and, when the build failed, the overlay.
fn respond(status: StatusCode, key: &str, bytes: Bytes, errors: Option<&str>) -> Response {
    let bytes = if is_html(key) {
        Bytes::from(inject(&bytes, errors))
    } else {
        bytes
    };
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type(key));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 308 to the request path plus `/`, query kept.
fn redirect(uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(query) => format!("{}/?{query}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    // The path and query come from a parsed URI, so they are valid header bytes.
    match HeaderValue::try_from(location) {
        Ok(location) => {
            let mut response = plain(StatusCode::PERMANENT_REDIRECT, "");
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad request path\n"),
    }
}

/// `GET /__gloss/events`: the build events as server-sent events, starting with the
/// current errors if the last build failed.
async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    // Subscribe before reading the snapshot, so no event falls in between.
    let events = app.shared.events.subscribe();
    let mut first = vec![SseEvent::default().retry(RETRY).comment("gloss")];
    if let Some(errors) = app.shared.current().errors.clone() {
        first.push(to_sse(&Event::Errors(errors)));
    }
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(forward(events, tx, app.stopped, first));
    Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// Sends `first`, then each build event, until the browser leaves or the server stops.
async fn forward(
    mut events: broadcast::Receiver<Event>,
    tx: mpsc::Sender<Result<SseEvent, Infallible>>,
    stopped: watch::Receiver<bool>,
    first: Vec<SseEvent>,
) {
    for event in first {
        if tx.send(Ok(event)).await.is_err() {
            return;
        }
    }
    let stop = wait_stop(stopped);
    tokio::pin!(stop);
    loop {
        let event = tokio::select! {
            () = &mut stop => return,
            () = tx.closed() => return,
            event = next_event(&mut events) => match event {
                Some(event) => event,
                None => return,
            },
        };
        if tx.send(Ok(to_sse(&event))).await.is_err() {
            return;
        }
    }
}

/// The next event for a browser; one that fell behind missed something, so it reloads.
/// `None` once the build loop's sender is gone.
async fn next_event(events: &mut broadcast::Receiver<Event>) -> Option<Event> {
    match events.recv().await {
        Ok(event) => Some(event),
        Err(RecvError::Lagged(_)) => Some(Event::Reload),
        Err(RecvError::Closed) => None,
    }
}

/// An event as the script expects it (a browser drops events without data).
fn to_sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload => SseEvent::default().event("reload").data("reload"),
        Event::Css => SseEvent::default().event("css").data("css"),
        Event::Errors(text) => SseEvent::default().event("errors").data(&**text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(keys: &[&str]) -> Snapshot {
        let files = keys
            .iter()
            .map(|k| (k.to_string(), Body::Bytes(Arc::from(&b""[..]))));
        Snapshot {
            files: files.collect(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn resolves_paths_to_keys() {
        let s = snapshot(&["index.html", "a/b/index.html", "style.css", "a b.txt"]);
        let file = |k: &str| Some(Target::File(k.to_owned()));
        assert_eq!(resolve(&s, "/"), file("index.html"));
        assert_eq!(resolve(&s, "/a/b/"), file("a/b/index.html"));
        assert_eq!(resolve(&s, "/a/b"), Some(Target::Folder));
        assert_eq!(resolve(&s, "/style.css"), file("style.css"));
        assert_eq!(resolve(&s, "/a%20b.txt"), file("a b.txt"));
        assert_eq!(resolve(&s, "/nope"), Some(Target::Missing));
        assert_eq!(resolve(&s, "//a/b"), Some(Target::Missing));
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        let s = snapshot(&["index.html"]);
        let bad =
            r"/../x /a/.. /%2e%2e/x /%2E%2E/x /..%2fx /a%5c..%5cx /a\b /%00 /%zz /%2 /%+1 /%ff x";
        for bad in bad.split(' ') {
            assert_eq!(resolve(&s, bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<body>a</body><!-- </BODY> -->", None);
        let out = String::from_utf8(out).unwrap_or_default();
        assert!(out.starts_with("<body>a</body><!-- <script>"), "{out}");
        assert!(out.ends_with("</script>\n</BODY> -->"), "{out}");
        let out = String::from_utf8(inject(b"<p>x", Some("1 error\n<b>&"))).unwrap_or_default();
        assert!(out.starts_with("<p>x<div id=\"gloss-overlay\""), "{out}");
        assert!(
            out.contains("<pre style=\"") && out.contains("&lt;b&gt;&amp;</pre>"),
            "{out}"
        );
    }

    #[test]
    fn content_types() {
        for (key, want) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("a.jsonld", "application/ld+json; charset=utf-8"),
            ("a.json", "application/json; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(key), want, "{key}");
        }
    }

    #[tokio::test]
    async fn a_lagging_browser_reloads() {
        let (tx, mut rx) = broadcast::channel(1);
        for _ in 0..3 {
            let _ = tx.send(Event::Css);
        }
        assert_eq!(next_event(&mut rx).await, Some(Event::Reload));
        drop(tx);
        assert_eq!(next_event(&mut rx).await, Some(Event::Css));
        assert_eq!(next_event(&mut rx).await, None);
    }
}
