//! Unit tests of linking.

use std::path::Path;

use super::*;
use crate::diag::Diagnostic;

fn site(files: &[(&str, &str)]) -> (Archive, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let (site, mut diags) = crate::load::load(dir.path(), Default::default());
    let (archive, more) = link(site);
    diags.extend(more);
    (archive, diags.sorted())
}

#[test]
fn people_are_indexed_with_names_and_counts() {
    let (a, d) = site(&[
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2025-01-01\nsources: {s: {title: S}}\nspeakers: [{ id: jane-doe, name: Jane Q. Doe }]\nmentions: [john-roe]\nquotes:\n  - speaker: jane-doe\n    text: Hello\n    source: s\n---\nHello, she said. See [Jane](person:jane-doe) and [the quote](quote:1).\n",
        ),
        (
            "content/articles/b.md",
            "---\ntitle: B\ndate: 2025-02-01\nmentions: [jane-doe]\n---\nText.\n",
        ),
    ]);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(a.articles[0].article.slug.as_str(), "b", "newest first");
    let jane = &a.people[0];
    assert_eq!(
        (jane.id.as_str(), jane.name.as_str()),
        ("jane-doe", "Jane Q. Doe")
    );
    assert_eq!(
        (jane.quoted_in, jane.mentioned_in, jane.articles.clone()),
        (1, 1, vec![0, 1])
    );
    assert_eq!(a.people[1].name, "John Roe");
    let body = &a.body(1).html;
    assert!(
        body.contains(r#"href="../../people/jane-doe/index.html""#),
        "{body}"
    );
    assert!(body.contains(r##"href="#quote-jane-doe-hello""##), "{body}");
}

#[test]
fn unknown_link_targets_are_located() {
    let (_, d) = site(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-01\nmentions: [jane-doe]\n---\nFirst line.\nSee [Jane](person:jane-do).\n",
    )]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].headline(),
        "content/articles/a.md:7:12: error: unknown link target `person:jane-do`"
    );
    // Either may be the typo (issue 17): the hint offers both.
    assert_eq!(
        d[0].hint.as_deref(),
        Some(
            "`jane-doe` in `mentions` (line 4) is close and has no profile: if it is misspelt there, write `jane-do` in `mentions`; otherwise link `person:jane-doe`"
        )
    );
}

#[test]
fn thousands_of_broken_links_on_one_line_are_each_located() {
    let links: Vec<String> = (0..2000)
        .map(|i| format!("[x](person:jane-do{i})"))
        .collect();
    let body = format!(
        "First line.\n{} and [again](person:jane-do7).\n",
        links.join(" ")
    );
    let (_, d) = site(&[(
        "content/articles/a.md",
        &format!("---\ntitle: A\ndate: 2025-01-01\nmentions: [jane-doe]\n---\n{body}"),
    )]);
    assert_eq!(d.len(), 2001, "{:?}", d.first());
    // Columns count from the line's start, however many links came before.
    let col = |i: usize| links[..i].iter().map(|l| l.len() + 1).sum::<usize>() + 5;
    for i in [0, 1, 1999] {
        assert_eq!(
            d[i].headline(),
            format!(
                "content/articles/a.md:7:{}: error: unknown link target `person:jane-do{i}`",
                col(i)
            )
        );
    }
    // A target written twice gets the same hint.
    assert_eq!(d[2000].hint, d[7].hint);
    assert_eq!(
        d[7].hint.as_deref(),
        Some(
            "`jane-doe` in `mentions` (line 4) is close and has no profile: if it is misspelt there, write `jane-do7` in `mentions`; otherwise link `person:jane-doe`"
        )
    );
    assert_eq!(d[1999].hint.as_deref(), Some("did you mean `jane-doe`?"));
}

/// Issue 15: one file name in two folders links (the output-path check, in render,
/// reports them only when their URLs are the same); `article:` links find both by path.
#[test]
fn one_slug_in_two_folders_links_with_both_keys() {
    let a = "---\ntitle: A\ndate: 2025-01-01\n---\n";
    let (archive, d) = site(&[
        ("content/articles/2024/x.md", a),
        ("content/articles/2025/x.md", a),
    ]);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(archive.lookup.slugs["x"], ["2024/x", "2025/x"]);
    assert_eq!(archive.lookup.articles["2025/x"], "articles/x/");
    // Same date and slug: the path decides the order.
    let keys: Vec<&str> = archive
        .articles
        .iter()
        .map(|e| e.article.key.as_str())
        .collect();
    assert_eq!(keys, ["2024/x", "2025/x"]);
}

/// Link renders each body from its file (the loader keeps no Markdown); a file that
/// changed after it was loaded is an error at that file, not a body of another version.
#[test]
fn bodies_are_rendered_from_their_files_as_loaded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("content/articles/a.md");
    std::fs::create_dir_all(dir.path().join("content/articles")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &file,
        "---\ntitle: A\ndate: 2025-01-01\n---\nSome *text*.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (site, _) = crate::load::load(dir.path(), Default::default());
    let (a, d) = link(site.clone());
    assert!(d.is_empty(), "{d:?}");
    assert!(a.body(0).html.contains("<em>text</em>"));
    std::fs::write(
        &file,
        "---\ntitle: A\ndate: 2025-01-01\n---\nOther *words*.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (a, d) = link(site);
    assert!(!a.body(0).html.contains("words"));
    let d = d.sorted();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].path, Path::new("content/articles/a.md"));
    assert!(d[0].message.contains("changed while"), "{}", d[0].message);
}

/// `gloss serve`'s fast path renders only the edited article again, yet the links of
/// other articles to its headings must be checked anew (issue 15).
#[test]
fn relinking_an_edited_heading_checks_the_links_to_it_again() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |path: &str, text: &str| {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    };
    let a = |heading: &str| format!("---\ntitle: A\ndate: 2025-01-01\n---\n## {heading}\n");
    write("content/articles/a.md", &a("Part one"));
    write(
        "content/articles/b.md",
        "---\ntitle: B\ndate: 2025-02-01\n---\nSee [it](article:a#part-one).\n",
    );
    let load = || crate::load::load(dir.path(), Default::default()).0;
    let mut cache = BodyCache::default();
    let (mut prev, mut prev_diags) = link_with(load(), &mut cache);
    assert!(prev_diags.is_empty(), "{:?}", prev_diags.sorted());
    for (heading, errors) in [("Part two", 1), ("Part one", 0)] {
        write("content/articles/a.md", &a(heading));
        let site = load();
        let edited: Vec<_> = site
            .articles
            .iter()
            .filter(|x| x.slug.as_str() == "a")
            .cloned()
            .collect();
        let (next, diags) = relink(&prev, &prev_diags, &edited, &site.copies, &mut cache)
            .unwrap_or_else(|| panic!("a body edit takes the fast path"));
        let clean = link(load()).1.sorted();
        assert_eq!(diags.clone().sorted(), clean, "after `{heading}`");
        assert_eq!(clean.len(), errors, "{clean:?}");
        (prev, prev_diags) = (next, diags);
    }
}
