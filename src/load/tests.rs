//! Unit tests of whole-file loading.

use std::path::Path;

use super::*;

fn parse(text: &str) -> (Option<crate::model::Article>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new();
    let kind = FileKind::Article { slug: "a".into() };
    let item = parse_file(Path::new("content/articles/a.md"), &kind, text, &mut diags);
    let article = match item {
        Some(Loaded::Article(a)) => Some((*a).clone()),
        _ => None,
    };
    (article, diags.sorted())
}

#[test]
fn a_minimal_article_loads() {
    let (a, d) = parse("---\ntitle: Hello\ndate: 2025-01-02\n---\nBody text.\n");
    assert!(d.is_empty(), "{d:?}");
    let a = a.unwrap_or_else(|| panic!("no article"));
    assert_eq!(a.title, "Hello");
    assert_eq!(a.body_line, 5);
}

/// A site folder for one article, and the path of its file `content/articles/a.md`.
fn article_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let base = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(base.path().join("content/articles")).unwrap_or_else(|e| panic!("{e}"));
    let file = base.path().join("content/articles/a.md");
    (base, file)
}

/// The loader keeps no Markdown: the body is read again from the file, as it was when
/// loaded, and a file changed in between is an error, never its new body under the old
/// front matter.
#[test]
fn a_body_is_read_again_from_its_unchanged_file_only() {
    let (base, file) = article_dir();
    let root = base.path();
    std::fs::write(&file, "---\ntitle: T\ndate: 2025-01-02\n---\r\nBody.\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let (site, diags) = load(root, LoadOptions::default());
    assert!(diags.is_empty(), "{diags:?}");
    let a = &site.articles[0];
    assert_eq!(read_body(root, a).ok().as_deref(), Some("Body.\n"));
    std::fs::write(&file, "---\ntitle: U\ndate: 2025-01-02\n---\nBody.\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = read_body(root, a)
        .err()
        .unwrap_or_else(|| panic!("a changed file was read"));
    assert_eq!(err.code, Code::Unreadable);
    assert!(err.message.contains("changed while"), "{}", err.message);
}

#[test]
fn all_errors_of_a_file_come_at_once() {
    let text = "---\ntitel: Hello\ndate: 2025-13-02\nquotes:\n  - speaker: Bad Id\n    text: x\n    source: nope\n---\n";
    let (a, d) = parse(text);
    assert!(a.is_none());
    let messages: Vec<String> = d.iter().map(|d| d.headline()).collect();
    assert_eq!(
        messages,
        [
            "content/articles/a.md:1:1: error: missing required key `title`",
            "content/articles/a.md:2:1: error: unknown key `titel` in an article",
            "content/articles/a.md:3:7: error: invalid date `2025-13-02` in `date`",
            "content/articles/a.md:5:14: error: invalid person id `Bad Id`",
            "content/articles/a.md:7:13: error: unknown source `nope` in quote 1",
        ]
    );
}

/// A [`ParseCache`] in memory that counts lookups.
#[derive(Default)]
struct MemCache {
    entries: std::sync::Mutex<std::collections::HashMap<u128, Vec<u8>>>,
    hits: std::sync::atomic::AtomicUsize,
}

impl ParseCache for MemCache {
    fn peek(&self, key: u128) -> Option<Vec<u8>> {
        self.entries.lock().ok()?.get(&key).cloned()
    }

    fn get(&self, key: u128) -> Option<Vec<u8>> {
        let found = self.entries.lock().ok()?.get(&key).cloned();
        if found.is_some() {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        found
    }

    fn put(&self, key: u128, value: Vec<u8>) {
        if let Ok(mut e) = self.entries.lock() {
            e.insert(key, value);
        }
    }
}

/// Every part of a loaded site that parsing makes, for comparing two loads.
fn parts(site: &Site) -> String {
    format!("{:?}\n{:?}\n{:?}", site.articles, site.profiles, site.pages)
}

#[test]
fn a_site_loaded_from_the_cache_equals_one_parsed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = LoadOptions::default();
    let cache = MemCache::default();
    let (parsed, parsed_diags) = Loader::new(root, options, None).site();
    let (first, first_diags) = Loader::new(root, options, Some(&cache)).site();
    assert_eq!(cache.hits.load(std::sync::atomic::Ordering::Relaxed), 0);
    let (cached, cached_diags) = Loader::new(root, options, Some(&cache)).site();
    let hits = cache.hits.load(std::sync::atomic::Ordering::Relaxed);
    assert!(hits >= 15, "{hits} files taken from the cache");
    assert!(parsed.articles.iter().all(|a| a.source_hash != 0));
    assert_eq!(parts(&first), parts(&parsed));
    assert_eq!(
        parts(&cached),
        parts(&parsed),
        "the cache gives what parsing gives"
    );
    assert_eq!(first_diags, parsed_diags);
    assert_eq!(cached_diags, parsed_diags);
}

#[test]
fn errors_of_a_file_come_back_from_the_cache() {
    let base = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = base.path();
    let articles = root.join("content/articles");
    std::fs::create_dir_all(&articles).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        articles.join("a.md"),
        "---\ntitel: T\ndate: 2025-13-02\n---\nBody.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(articles.join("b.md"), "no front matter\n").unwrap_or_else(|e| panic!("{e}"));
    let cache = MemCache::default();
    let (_, parsed) = Loader::new(root, LoadOptions::default(), Some(&cache)).site();
    let (_, cached) = Loader::new(root, LoadOptions::default(), Some(&cache)).site();
    assert_eq!(cache.hits.load(std::sync::atomic::Ordering::Relaxed), 2);
    assert!(parsed.error_count() >= 3, "{parsed:?}");
    assert_eq!(cached, parsed);
}

#[test]
fn an_entry_that_does_not_decode_is_parsed_again() {
    let base = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = base.path();
    let articles = root.join("content/articles");
    std::fs::create_dir_all(&articles).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        articles.join("a.md"),
        "---\ntitle: T\ndate: 2025-01-02\n---\nBody.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cache = MemCache::default();
    Loader::new(root, LoadOptions::default(), Some(&cache));
    for v in cache
        .entries
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .values_mut()
    {
        v.truncate(v.len() / 2);
    }
    let (site, diags) = Loader::new(root, LoadOptions::default(), Some(&cache)).site();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(site.articles.len(), 1);
    assert_eq!(site.articles[0].title, "T");
    assert_eq!(
        read_body(root, &site.articles[0]).ok().as_deref(),
        Some("Body.\n")
    );
}

#[cfg(unix)]
#[test]
fn an_update_does_not_follow_a_new_symlink_out_of_the_site() {
    let base = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (root, outside) = (base.path().join("site"), base.path().join("secret.md"));
    let articles = root.join("content/articles");
    std::fs::create_dir_all(&articles).unwrap_or_else(|e| panic!("{e}"));
    let text = "---\ntitle: T\ndate: 2025-01-02\n---\nBody.\n";
    for file in [articles.join("a.md"), outside.clone()] {
        std::fs::write(file, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut loader = Loader::new(&root, LoadOptions::default(), None);
    std::os::unix::fs::symlink(&outside, articles.join("leak.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    loader.update(&[articles.join("leak.md")], None);
    let (site, diags) = loader.site();
    assert_eq!(site.articles.len(), 1);
    let headlines: Vec<String> = diags.iter().map(|d| d.headline()).collect();
    let expected = format!(
        "content/articles/leak.md: warning: skipped: symlink to `{}`, outside the site",
        std::fs::canonicalize(&outside).unwrap_or(outside).display()
    );
    assert_eq!(headlines, [expected]);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text is either an article or located errors; never a panic.
        #[test]
        fn any_article_text_loads_or_reports(text in "(---\n)?[a-z: \\[\\]{}\"'\n0-9-]{0,120}(\n---\n)?[^\u{0}]{0,40}") {
            let (article, diags) = parse(&text);
            prop_assert!(article.is_some() || !diags.is_empty());
            for d in diags {
                if let Some(span) = d.span {
                    prop_assert!(span.line >= 1 && span.col >= 1);
                }
            }
        }

        /// The suggested id for any name is a valid id.
        #[test]
        fn suggested_ids_are_slugs(name in "\\PC{1,40}") {
            let s = slug::slugify(&name);
            prop_assert!(s.is_empty() || crate::model::is_slug(&s));
        }

        /// Spans of any byte range land inside the text, at 1-based positions.
        #[test]
        fn spans_are_in_range(text in "\\PC{0,60}(\n\\PC{0,20}){0,3}", a in 0usize..200, b in 0usize..200) {
            let s = crate::diag::Span::from_offsets(&text, 1, a.min(b), a.max(b));
            prop_assert!(s.line >= 1 && s.col >= 1);
            prop_assert!(s.line as usize <= text.matches('\n').count() + 1);
        }
    }
}

#[test]
fn a_bom_does_not_shift_the_column_of_a_utf8_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("a.md"), b"\xef\xbb\xbf---\xff\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = read_text(dir.path(), Path::new("a.md")).err();
    let err = err.unwrap_or_else(|| panic!("read as text"));
    assert_eq!(
        err.headline(),
        "a.md:1:4: error: file is not valid UTF-8 (byte 6)"
    );
}

/// Writes `text` to `path` and sets its modification time to `mtime`.
fn write_at(path: &Path, text: &str, mtime: std::time::SystemTime) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{e}"));
    file.set_modified(mtime).unwrap_or_else(|e| panic!("{e}"));
}

/// An article whose size, modification time and inode are as the cache recorded them,
/// long before that run, is taken from the cache without reading the file: an edit
/// that keeps all three (which no editor makes) shows that it was not read. Another
/// modification time, and it is read.
#[test]
fn an_article_with_its_recorded_stamp_is_not_read_again() {
    let (base, file) = article_dir();
    let root = base.path();
    let long_ago = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    write_at(
        &file,
        "---\ntitle: Old\ndate: 2025-01-02\n---\nBody.\n",
        long_ago,
    );
    let cache = MemCache::default();
    let title = |cache: &MemCache| {
        let (site, diags) = Loader::new(root, LoadOptions::default(), Some(cache)).site();
        assert!(diags.is_empty(), "{diags:?}");
        site.articles[0].title.clone()
    };
    assert_eq!(title(&cache), "Old");
    write_at(
        &file,
        "---\ntitle: New\ndate: 2025-01-02\n---\nBody.\n",
        long_ago,
    );
    assert_eq!(
        title(&cache),
        "Old",
        "the stamp is trusted, the file not read"
    );
    let later = long_ago + std::time::Duration::from_secs(1);
    write_at(
        &file,
        "---\ntitle: New\ndate: 2025-01-02\n---\nBody.\n",
        later,
    );
    assert_eq!(title(&cache), "New");
}

/// The racy case: a file modified in the same second as the run that recorded its
/// stamp read it (a file system keeping whole seconds gives the edit the same time) is
/// read again, though its stamp matches.
#[test]
fn an_edit_in_the_second_of_the_last_load_is_seen() {
    let (base, file) = article_dir();
    let root = base.path();
    let now = std::time::SystemTime::now();
    write_at(
        &file,
        "---\ntitle: Old\ndate: 2025-01-02\n---\nBody.\n",
        now,
    );
    let cache = MemCache::default();
    let load = || {
        Loader::new(root, LoadOptions::default(), Some(&cache))
            .site()
            .0
    };
    assert_eq!(load().articles[0].title, "Old");
    write_at(
        &file,
        "---\ntitle: New\ndate: 2025-01-02\n---\nBody.\n",
        now,
    );
    assert_eq!(load().articles[0].title, "New");
}
