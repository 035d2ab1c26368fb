//! Unit tests of whole-file loading.

use std::path::Path;

use super::*;

fn parse(text: &str) -> (Option<crate::model::Article>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new();
    let kind = FileKind::Article { slug: "a".into() };
    let item = parse_file(Path::new("content/articles/a.md"), &kind, text, &mut diags);
    let article = match item {
        Some(Loaded::Article(a)) => Some(*a),
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
    assert_eq!(a.body, "Body text.\n");
    assert_eq!(a.body_line, 5);
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
