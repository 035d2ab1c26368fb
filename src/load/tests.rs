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
