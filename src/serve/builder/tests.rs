//! The build loop's snapshots against a site on disk: static files are read into the
//! snapshot when it is built, so what is on disk later (an edit, a planted symlink) is
//! not served until a rebuild, and a rebuild applies the loader's symlink rule.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::serve::http;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir
            .path()
            .canonicalize()
            .unwrap_or_else(|e| panic!("{e}"))
            .join("site");
        let outside = root.with_file_name("secret.txt");
        let fixture = Fixture {
            _dir: dir,
            root,
            outside,
        };
        fixture.write("site.yaml", "title: T\n");
        fixture.write(
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2025-01-01\n---\nFirst.\n",
        );
        fixture.write("static/a.txt", "first");
        std::fs::write(&fixture.outside, "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
        fixture
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[cfg(unix)]
    fn plant_link(&self, rel: &str) {
        let path = self.path(rel);
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&self.outside, &path).unwrap_or_else(|e| panic!("{e}"));
    }

    fn builder(&self) -> Builder {
        let options = BuildOptions {
            drafts: false,
            base_url: Some("http://127.0.0.1:1111/".into()),
            progress: false,
            no_cache: true,
        };
        Builder::new(&self.root, options)
    }
}

/// A build that must succeed, published: the paths it changed (`None`: all) and its
/// diagnostics as text.
fn good(builder: &mut Builder, shared: &Shared) -> (Vec<String>, String) {
    match builder.build(shared) {
        Built::Good(snapshot, update, changed, diags) => {
            let text: Vec<String> = diags
                .iter()
                .map(|d| format!("{}: {}", d.path.display(), d.message))
                .collect();
            shared.publish_build(snapshot, update, None);
            (changed.files, text.join("\n"))
        }
        Built::Failed(text, _) => panic!("build failed: {text}"),
    }
}

fn bytes<'a>(snapshot: &'a Snapshot, key: &str) -> Option<&'a [u8]> {
    snapshot.files.get(key).map(|b| &b.bytes()[..])
}

/// `GET target` over HTTP/1.1; the status and body.
fn get(addr: std::net::SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    let request = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = String::new();
    stream
        .read_to_string(&mut raw)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok());
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    (status.unwrap_or(0), body.unwrap_or_default())
}

#[cfg(unix)]
#[test]
fn static_files_are_served_as_the_snapshot_read_them() {
    let site = Fixture::new();
    let mut builder = site.builder();
    let shared = Shared::new(Snapshot::default());
    good(&mut builder, &shared);
    let addr = "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}"));
    let server = http::start(addr, Arc::clone(&shared)).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(get(server.addr, "/a.txt"), (200, "first".into()));

    // Edited on disk, no rebuild yet: the snapshot's bytes.
    site.write("static/a.txt", "second");
    assert_eq!(get(server.addr, "/a.txt"), (200, "first".into()));
    // Swapped for a link out of the site: still the snapshot's bytes, never the target's.
    site.plant_link("static/a.txt");
    assert_eq!(get(server.addr, "/a.txt"), (200, "first".into()));

    // The rebuild refuses the link as the loader does, and the file is gone.
    builder.apply(&[site.path("static/a.txt")]);
    let (changed, diags) = good(&mut builder, &shared);
    assert!(changed.contains(&"a.txt".to_owned()), "{changed:?}");
    assert!(
        diags.contains("static/a.txt: skipped: symlink to `")
            && diags.contains("secret.txt`, outside the site"),
        "{diags}"
    );
    let (status, body) = get(server.addr, "/a.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("TOP-SECRET"), "{body}");
    server.shutdown();
}

#[cfg(unix)]
#[test]
fn a_link_planted_between_the_walk_and_the_snapshot_is_not_read() {
    let site = Fixture::new();
    // The walk (in `Builder::new`) sees a plain file; the snapshot is built after it
    // became a link out of the site.
    let mut builder = site.builder();
    site.plant_link("static/a.txt");
    let shared = Shared::new(Snapshot::default());
    let (_, diags) = good(&mut builder, &shared);
    assert_eq!(bytes(&shared.current(), "a.txt"), None);
    assert!(
        diags.contains("static/a.txt: skipped: symlink to `"),
        "{diags}"
    );
}

#[test]
fn a_rebuild_reads_only_static_files_that_changed() {
    let site = Fixture::new();
    site.write("static/b.txt", "bee");
    let mut builder = site.builder();
    let shared = Shared::new(Snapshot::default());
    good(&mut builder, &shared);
    let first = shared.current();

    // An article edit: the static files keep their bytes, shared, and do not count.
    site.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nSecond.\n",
    );
    builder.apply(&[site.path("content/articles/a.md")]);
    let (changed, _) = good(&mut builder, &shared);
    let second = shared.current();
    assert!(!changed.iter().any(|p| p.ends_with(".txt")), "{changed:?}");
    for key in ["a.txt", "b.txt"] {
        let (Some(a), Some(b)) = (first.files.get(key), second.files.get(key)) else {
            panic!("{key} missing");
        };
        assert!(Arc::ptr_eq(a.bytes(), b.bytes()), "{key} was read again");
    }

    // A static file changed without an event of its own (its stamp differs) is read.
    site.write("static/b.txt", "bumblebee");
    builder.apply(&[site.path("content/articles/a.md")]);
    let (changed, _) = good(&mut builder, &shared);
    let third = shared.current();
    assert_eq!(bytes(&third, "b.txt"), Some(&b"bumblebee"[..]));
    assert!(changed.contains(&"b.txt".to_owned()), "{changed:?}");
    assert!(!changed.contains(&"a.txt".to_owned()), "{changed:?}");
}

#[test]
fn a_rebuild_keeps_the_cached_pages_that_cannot_differ_and_renders_the_changed_ones() {
    let site = Fixture::new();
    site.write(
        "content/articles/b.md",
        "---\ntitle: B\ndate: 2024-01-01\n---\nOther.\n",
    );
    let mut builder = site.builder();
    let shared = Shared::new(Snapshot::default());
    good(&mut builder, &shared);
    let first = shared.current();
    let number = first.pages.as_ref().map_or(0, |g| g.number);
    // Pages as a browser left them in the cache (marked, to tell a kept page from one
    // rendered again).
    for path in ["articles/a/index.html", "articles/b/index.html"] {
        shared
            .cache()
            .insert(number, path, Arc::from(&b"cached"[..]));
    }
    site.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nSecond.\n",
    );
    builder.apply(&[site.path("content/articles/a.md")]);
    let (changed, _) = good(&mut builder, &shared);
    assert_eq!(changed, ["articles/a/index.html"], "only A's page showed A");
    let now = shared.current();
    let number = now.pages.as_ref().map_or(0, |g| g.number);
    let cached = |path: &str| shared.cache().get(number, path);
    assert_eq!(
        cached("articles/b/index.html").as_deref(),
        Some(&b"cached"[..]),
        "B's page cannot differ: kept"
    );
    let a = cached("articles/a/index.html").unwrap_or_else(|| panic!("A not rendered"));
    assert!(
        String::from_utf8_lossy(&a).contains("Second."),
        "the open page is rendered again at once"
    );
}

#[test]
fn a_template_that_fails_after_a_change_keeps_the_last_good_build() {
    let site = Fixture::new();
    let mut builder = site.builder();
    let shared = Shared::new(Snapshot::default());
    good(&mut builder, &shared);
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope }}{% endblock main %}",
    );
    builder.apply(&[site.path("templates/article.html")]);
    match builder.build(&shared) {
        Built::Failed(text, _) => assert!(
            text.contains("templates/article.html") && text.contains("1 error"),
            "{text}"
        ),
        Built::Good(..) => panic!("an article page of each kind is rendered at once"),
    }
}

#[test]
fn a_file_beside_the_site_does_not_stop_an_article_edit_from_taking_the_fast_path() {
    let f = Fixture::new();
    f.write(".serve.log", "a log the editor's tools keep writing");
    f.write("notes.txt", "not part of the site");
    let edit = [
        f.path("content/articles/a.md"),
        f.path(".serve.log"),
        f.path("notes.txt"),
    ];
    let c = changes_of(&f.root, &edit);
    assert_eq!(
        c.edited_articles,
        Some(vec![PathBuf::from("content/articles/a.md")])
    );
    assert_eq!(c.sources, [f.path("content/articles/a.md")]);
    assert!(!c.theme);
    // Anything else of the site still takes the full link, and a template the theme.
    let c = changes_of(
        &f.root,
        &[f.path("content/articles/a.md"), f.path("static/a.txt")],
    );
    assert_eq!(c.edited_articles, None);
    assert_eq!(c.sources.len(), 2);
    let c = changes_of(
        &f.root,
        &[f.path("templates/base.html"), f.path(".serve.log")],
    );
    assert!(c.theme);
    assert!(c.sources.is_empty());
    assert_eq!(c.edited_articles, None);
}
