//! Anchoring: quotes and annotations marked in the text without editing it, their
//! errors, and the quote check against archived copies.

use crate::util::{Site, article, check_nesting, visible};

const A: &str = "content/articles/a.md";

fn body_of(html: &str) -> &str {
    let start = html.find("<div class=\"article-body\">").unwrap_or(0);
    let end = html[start..]
        .find("\n</div>\n</article>")
        .map_or(html.len(), |e| start + e + "\n</div>".len());
    &html[start..end]
}

fn headlines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .collect()
}

#[test]
fn a_quote_across_markup_and_typography_is_marked_in_pieces() {
    let site = Site::new();
    let fm = "speakers: [jane-doe]\nquotes:\n  - speaker: jane-doe\n    text: \"We won't   stop -- we *never* stop\"\n";
    let fm = fm.replace(" *never* ", " never ");
    site.file(
        A,
        &article(
            &fm,
            "She said: “We won’t stop — we *never*\nstop,” and left.\n",
        ),
    );
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    let body = body_of(&html);
    assert!(body.contains(r#"<span class="quote" id="quote-jane-doe-we-wont-stop-we-never" data-quote="jane-doe-we-wont-stop-we-never" title="Quote 1: Jane Doe">We won’t stop — we </span><em><span class="quote" data-quote="jane-doe-we-wont-stop-we-never""#), "{body}");
    assert!(
        // After the closing mark and comma, not inside the quotation.
        body.contains(
            r#"stop</span>,”<span class="quote-by"><a href="../../people/jane-doe/index.html""#
        ),
        "{body}"
    );
    check_nesting(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
}

#[test]
fn a_quote_may_skip_words() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "speakers: [x]\nquotes:\n  - speaker: x\n    text: \"one two … five\"\n",
            "one two three four five\n",
        ),
    );
    site.build_ok(&[]);
    let body = site.read("articles/a/index.html");
    assert!(body.contains(r#"id="quote-x-one-two-five" data-quote="x-one-two-five" title="Quote 1: X">one two</span> three four <span class="quote" data-quote="x-one-two-five" title="Quote 1: X">five</span>"#), "{body}");
}

#[test]
fn a_quote_not_in_the_text_is_listed_without_a_warning() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources: {s: {title: S}}\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: Never said here\n    source: s\n",
            "Body.\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // DESIGN §3: a quote need not be in the body; only a near miss is a warning
    // (issue 17, see editor.rs).
    assert!(headlines(&run.stderr).is_empty(), "{}", run.stderr);
    assert_eq!(site.run(&["check", "--strict"]).code, 0);
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(
        html.contains(r#"id="quote-x-never-said-here""#)
            && html.contains("Not in the text of this article."),
        "{html}"
    );
}

/// Issue 19: the article's list of its quotes does not repeat what the page shows
/// already. A quote marked in the text links its words there (no separate "See it in
/// the text" line) and names the speaker without the role, which the list of people
/// gives once; a quote not in the text says so.
#[test]
fn the_article_quote_list_links_words_to_the_text_and_leaves_roles_to_the_people() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources: {s: {title: S}}\nspeakers:\n  - { id: x, role: Mayor of Y }\nquotes:\n  - { speaker: x, text: We will build it, source: s }\n  - { speaker: x, text: Never said here, source: s }\n",
            "She said “We will build it.”\n",
        ),
    );
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    let list = &html[html.find("<section class=\"article-quotes\"").unwrap_or(0)..];
    let list = &list[..list.find("</section>").unwrap_or(list.len())];
    assert!(
        list.contains(r##"<p><a href="#quote-x-we-will-build-it">We will build it</a></p>"##),
        "{list}"
    );
    assert!(list.contains("Not in the text of this article."), "{list}");
    assert!(!visible(list).contains("See it in the text"), "{list}");
    assert!(!list.contains("Mayor of Y"), "{list}");
    // The role is on the page once, in its list of people.
    assert_eq!(html.matches("Mayor of Y").count(), 1, "{html}");
}

#[test]
fn a_passage_that_is_not_found_suggests_the_nearest() {
    let site = Site::new();
    site.file(A, &article("annotations:\n  - on: \"Until then, we will continue\"\n    kind: fact-check\n    rating: Misquoted\n    note: N\n", "Intro.\n\n“Until then, El Salvador will continue prioritizing rights,” he added.\n"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        headlines(&run.stderr),
        [
            "content/articles/a.md:5:9: error: annotation 1: passage `Until then, we will continue` is not in the text"
        ]
    );
    assert!(
        run.stderr.contains(
            "hint: did you mean “'Until then, El Salvador will continue”? (`we` -> `El Salvador`)"
        ) || run.stderr.contains("`we` -> `El Salvador`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_ambiguous_passage_needs_an_occurrence() {
    let site = Site::new();
    let body = "The cat sat. The cat ran.\n";
    site.file(
        A,
        &article("annotations:\n  - on: The cat\n    note: N\n", body),
    );
    let run = site.run(&["check"]);
    assert_eq!(
        headlines(&run.stderr),
        [
            "content/articles/a.md:5:9: error: annotation 1: passage `The cat` occurs 2 times in the text"
        ]
    );
    assert!(
        run.stderr.contains("add `occurrence: N` (1 to 2)"),
        "{}",
        run.stderr
    );
    site.file(
        A,
        &article(
            "annotations:\n  - on: The cat\n    occurrence: 3\n    note: N\n",
            body,
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(
        headlines(&run.stderr),
        [
            "content/articles/a.md:6:17: error: annotation 1: `occurrence: 3` but passage `The cat` occurs 2 times"
        ]
    );
    site.file(
        A,
        &article(
            "annotations:\n  - on: The cat\n    occurrence: 2\n    note: N\n",
            body,
        ),
    );
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(
        html.contains(r#"The cat sat. <mark class="passage passage-note" id="passage-the-cat""#),
        "{html}"
    );
}

#[test]
fn overlapping_quotes_and_passages_nest_properly() {
    let site = Site::new();
    let fm = "speakers: [x]\nquotes:\n  - speaker: x\n    text: b c d\nannotations:\n  - on: a b c\n    kind: opinion\n    note: One\n  - on: c d e\n    kind: context\n    note: Two\n  - on: c\n    kind: note\n    note: Three\n";
    site.file(A, &article(fm, "a b *c* d e\n\n- list a item\n"));
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    let body = body_of(&html);
    check_nesting(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
    for id in [
        "quote-x-b-c-d",
        "passage-a-b-c",
        "passage-c-d-e",
        "passage-c",
        "note-a-b-c",
        "note-c-d-e",
        "note-c",
    ] {
        assert_eq!(
            body.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id} in {body}"
        );
    }
    let text = visible(&without_additions(body));
    assert!(
        text.contains("a b c d e"),
        "the text itself is unchanged: {text}"
    );
}

#[test]
fn a_quote_that_differs_from_the_archived_copy_is_flagged() {
    let site = Site::new();
    let fm = "sources:\n  post:\n    copy: sources/post.md\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: Until then, El Salvador will continue\n    source: post\n  - speaker: x\n    text: Surely not\n    source: post\n";
    site.file(
        A,
        &article(
            fm,
            "“Until then, El Salvador will continue,” he said. “Surely not.”\n",
        ),
    );
    site.file(
        "content/sources/post.md",
        "Surely not. Until then, we will continue prioritizing.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        headlines(&run.stderr),
        [
            "content/articles/a.md:10:11: warning: quote 1 differs from the archived copy `sources/post.md`"
        ]
    );
    assert!(
        run.stderr
            .contains("hint: the copy has “Until then, we will continue” (`El Salvador` -> `we`)"),
        "{}",
        run.stderr
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(
        html.contains(r#"class="quote quote-flagged" id="quote-x-until-then-el-salvador-will""#),
        "{html}"
    );
    assert!(
        html.contains("<del>El Salvador</del> <ins>we</ins>"),
        "{html}"
    );
    assert!(
        html.contains(r#"Matches the archived source (<a href="../../sources/post/index.html#a-"#),
        "quote 2 matches, linking to its place in the copy's page: {html}"
    );
}

#[test]
fn the_sample_flags_exactly_the_altered_bukele_sentence() {
    let site = Site::sample();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let flagged: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("differs from the archived copy"))
        .collect();
    assert_eq!(
        flagged,
        [
            "content/articles/2025/bukele-dares-clinton-prison-population.md:41:11: warning: quote 3 differs from the archived copy `sources/bukele-x-2025-12-23.md`"
        ]
    );
}

/// The body without what gloss adds to the archived text: side notes (after the
/// paragraph and in the margin), the small reference links after marked passages, and
/// the attribution and flag after quotes.
fn without_additions(body: &str) -> String {
    let mut out = body.to_string();
    for (open, tag) in [
        ("<aside class=\"sidenote", "aside"),
        ("<span class=\"sidenote", "span"),
        ("<sup class=\"note-ref", "sup"),
        ("<span class=\"quote-by", "span"),
        ("<a class=\"quote-flag", "a"),
    ] {
        while let Some(i) = out.find(open) {
            let Some(e) = element_end(&out[i..], tag) else {
                break;
            };
            out.replace_range(i..i + e, "");
        }
    }
    out
}

/// The length of the `tag` element `html` opens with, elements of the same name nested
/// in it included.
fn element_end(html: &str, tag: &str) -> Option<usize> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let next_open = html[at + 1..].find(&open).map(|k| k + at + 1);
        let next_close = html[at..].find(&close).map(|k| k + at)?;
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o;
            }
            _ => {
                if depth == 0 {
                    return Some(next_close + close.len());
                }
                depth -= 1;
                at = next_close + 1;
            }
        }
    }
}
