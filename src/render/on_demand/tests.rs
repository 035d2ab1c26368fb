//! Rendering one page at a time gives the bytes of a whole render, for every route.

use std::path::Path;

use super::*;
use crate::driver::progress::Progress;
use crate::driver::{BuildOptions, Driver};

/// A driver of the site at `root`, without the build cache.
fn driver(root: &Path) -> Driver {
    Driver::new(
        root,
        BuildOptions {
            no_cache: true,
            ..BuildOptions::default()
        },
    )
}

/// The archive and theme of the site at `root`.
fn linked(root: &Path) -> (Archive, Arc<Theme>) {
    let mut driver = driver(root);
    let (archive, diags) = driver.link(&Progress::new(false));
    let archive = archive.unwrap_or_else(|| panic!("{diags:?}"));
    let theme = driver.shared_theme().unwrap_or_else(|| panic!("no theme"));
    (archive, theme)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// The site at `root` linked as `serve` links it (one driver, so unchanged articles
/// stay the same values), then again after `content/articles/a.md` becomes `edited`:
/// the new archive, the theme, the routes of the old one, and the plan between them.
fn edit_a(root: &Path, edited: &str) -> (Archive, Arc<Theme>, Arc<Routes>, Prepared) {
    let mut driver = driver(root);
    let (old, _) = driver.link(&Progress::new(false));
    let old = Arc::new(old.unwrap_or_else(|| panic!("link failed")));
    let theme = driver.shared_theme().unwrap_or_else(|| panic!("no theme"));
    driver.succeeded(Arc::clone(&old));
    let routes = Arc::new(Routes::new(&old));
    write(root, "content/articles/a.md", edited);
    driver.apply(crate::driver::Changes {
        sources: vec![root.join("content/articles/a.md")],
        theme: false,
        edited_articles: Some(vec!["content/articles/a.md".into()]),
    });
    let (new, _) = driver.link(&Progress::new(false));
    let new = new.unwrap_or_else(|| panic!("link failed"));
    let prepared = prepare(&new, &theme, Some((&old, &routes))).unwrap_or_else(|d| panic!("{d:?}"));
    (new, theme, routes, prepared)
}

#[test]
fn every_route_renders_the_bytes_of_a_whole_render() {
    // The repository's own sample archive: every page kind but languages.
    let (archive, theme) = linked(Path::new(env!("CARGO_MANIFEST_DIR")));
    let whole = crate::render::render(&archive, &theme).unwrap_or_else(|d| panic!("{d:?}"));
    let routes = Routes::new(&archive);
    let renderer = Renderer::new(&archive, &theme, &routes);
    let search: Vec<Output> = renderer.search().unwrap_or_else(|e| panic!("{e:#}"));
    let mut pages = 0;
    for o in &whole {
        let bytes = match &o.content {
            super::super::Content::Bytes(b) => b.clone(),
            // `/annotations.jsonld`, made in pieces.
            super::super::Content::Stream(s) => s.to_bytes().unwrap_or_else(|e| panic!("{e}")),
            _ => continue,
        };
        let bytes = &bytes;
        if is_search_file(&o.path) {
            assert!(search.contains(o), "{} differs", o.path);
            continue;
        }
        let one = renderer
            .render(&o.path)
            .unwrap_or_else(|| panic!("{} has no route", o.path))
            .unwrap_or_else(|d| panic!("{d:?}"));
        assert!(one == *bytes, "{} differs from the whole render", o.path);
        pages += 1;
    }
    assert_eq!(pages, routes.len(), "every route is a page of the render");
    assert!(pages > 40, "{pages}");
    assert!(renderer.render("articles/nope/index.html").is_none());
    assert!(renderer.render("style.css").is_none(), "a static file");
    let samples = routes.samples(&archive);
    assert!(samples.contains(&"index.html".to_string()), "{samples:?}");
    assert!(!samples.contains(&"sitemap.xml".to_string()), "{samples:?}");
}

#[test]
fn an_edit_affects_the_pages_that_show_it_and_no_other() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(root, "site.yaml", "title: T\n");
    let article = |topic: &str, body: &str| {
        format!("---\ntitle: {topic}\ndate: 2025-01-01\ntopics: [{topic}]\n---\n{body}\n")
    };
    write(root, "content/articles/a.md", &article("ta", "First."));
    write(root, "content/articles/b.md", &article("tb", "Other."));
    let (new, theme, routes, prepared) = edit_a(root, &article("ta", "Second."));
    assert!(
        Arc::ptr_eq(&prepared.routes, &routes),
        "the same pages: the routes are reused"
    );
    assert!(!prepared.changes_all());
    let renderer = Renderer::new(&new, &theme, &prepared.routes);
    for (path, affected) in [
        ("articles/a/index.html", true),
        ("topics/ta/index.html", true),
        ("search/meta.json", true),
        ("articles/b/index.html", false),
        ("topics/tb/index.html", false),
        ("404.html", false),
        ("gone/index.html", true),
    ] {
        assert_eq!(prepared.affects(&renderer, path), affected, "{path}");
    }
    // A theme never seen before: everything.
    let fresh = prepare(&new, &theme, None).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(fresh.changes_all() && fresh.affects(&renderer, "articles/b/index.html"));
}

/// Found by serve's random-edit test: a quote's other appearances name their articles,
/// so a new title of one changes the page of the other.
#[test]
fn a_new_title_changes_the_pages_of_the_articles_sharing_a_quote() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(root, "site.yaml", "title: T\n");
    let article = |title: &str, day: u32| {
        format!(
            "---\ntitle: {title}\ndate: 2025-01-{day:02}\nspeakers: [jane]\nquotes:\n  - speaker: jane\n    text: We will see\n---\nJane said: We will see.\n"
        )
    };
    write(root, "content/articles/a.md", &article("A", 1));
    write(root, "content/articles/b.md", &article("B", 2));
    write(
        root,
        "content/articles/c.md",
        "---\ntitle: C\ndate: 2025-01-03\n---\nNo quote.\n",
    );
    let (new, theme, _, prepared) = edit_a(root, &article("A renamed", 1));
    let renderer = Renderer::new(&new, &theme, &prepared.routes);
    let b = renderer
        .render("articles/b/index.html")
        .unwrap_or_else(|| panic!("no page"))
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert!(
        String::from_utf8_lossy(&b).contains("A renamed"),
        "B's page names A with its quote"
    );
    assert!(prepared.affects(&renderer, "articles/b/index.html"));
    assert!(!prepared.affects(&renderer, "articles/c/index.html"));
}
