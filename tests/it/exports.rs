//! Exports that match the page: every W3C `TextQuoteSelector` of `/annotations.jsonld`
//! is found, prefix and suffix included, by a strict matcher in the text of the page
//! gloss serves; anchoring never writes into attributes or code blocks; JSON-LD names
//! each page's own URL.

use std::path::Path;

use crate::util::{Site, article, generated};

const A: &str = "content/articles/a.md";

/// Characters of context a selector carries on each side (README).
const CONTEXT: usize = 32;

/// The text content of the article body of an article page, as a strict W3C client sees
/// it: tags dropped (attribute values included), entities decoded, white space runs
/// collapsed to one space.
fn served_text(page: &str) -> String {
    let open = "<div class=\"article-body\">";
    let start = page
        .find(open)
        .unwrap_or_else(|| panic!("no article body in {page}"));
    // The body ends at the `</div>` that closes its `<div>`.
    let mut depth = 0usize;
    let mut end = page.len();
    let mut i = start;
    while let Some(k) = page[i..].find("div") {
        let at = i + k;
        if page[..at].ends_with("</") {
            depth -= 1;
            if depth == 0 {
                end = at - 2;
                break;
            }
        } else if page[..at].ends_with('<') {
            depth += 1;
        }
        i = at + 3;
    }
    text_content(&page[start + open.len()..end])
}

/// What `textContent` gives for an HTML fragment, white space collapsed. Written apart
/// from `src/render/selectors.rs` on purpose: the check must not share the code it checks.
fn text_content(html: &str) -> String {
    let mut raw = String::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
        } else if c == '<'
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!')
        {
            // A tag: up to the `>` outside quoted attribute values.
            let mut quote = None;
            let mut end = rest.len();
            for (k, ch) in rest.char_indices().skip(1) {
                match (quote, ch) {
                    (None, '"' | '\'') => quote = Some(ch),
                    (Some(q), ch) if ch == q => quote = None,
                    (None, '>') => {
                        end = k + 1;
                        break;
                    }
                    _ => {}
                }
            }
            let tag = &rest[..end];
            rest = &rest[end..];
            for raw_text in ["script", "style"] {
                if tag.starts_with(&format!("<{raw_text}")) {
                    let close = format!("</{raw_text}>");
                    rest = rest.find(&close).map_or("", |e| &rest[e + close.len()..]);
                }
            }
        } else if c == '&' {
            let end = rest
                .find(';')
                .filter(|&e| e <= 32)
                .unwrap_or_else(|| panic!("a bare `&` in {}", &rest[..rest.len().min(40)]));
            raw.push(decode(&rest[1..end]));
            rest = &rest[end + 1..];
        } else {
            raw.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    raw.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The character an entity (without `&` and `;`) stands for.
fn decode(entity: &str) -> char {
    let number = |s: &str, radix| u32::from_str_radix(s, radix).ok().and_then(char::from_u32);
    let c = match entity {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        e if e.starts_with("#x") || e.starts_with("#X") => number(&e[2..], 16),
        e if e.starts_with('#') => number(&e[1..], 10),
        _ => None,
    };
    c.unwrap_or_else(|| panic!("unknown entity `&{entity};`"))
}

/// Checks every selector of `out/annotations.jsonld` against the served article pages
/// under `out`, the way a strict W3C client does; returns how many it checked.
fn check_selectors(out: &Path) -> usize {
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("annotations.jsonld")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("annotations.jsonld: {e}"));
    let mut checked = 0;
    for item in doc["first"]["items"].as_array().into_iter().flatten() {
        let target = &item["target"];
        let Some(selector) = target.get("selector") else {
            continue;
        };
        assert_eq!(selector["type"], "TextQuoteSelector", "{item}");
        let source = target["source"].as_str().unwrap_or_default();
        let page = &source[source
            .find("articles/")
            .unwrap_or_else(|| panic!("{source}"))..];
        let html = std::fs::read_to_string(out.join(page).join("index.html"))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        let text = served_text(&html);
        let part = |k: &str| selector[k].as_str().unwrap_or_default().to_string();
        let (prefix, exact, suffix) = (part("prefix"), part("exact"), part("suffix"));
        assert!(!exact.is_empty(), "{item}");
        let whole = format!("{prefix}{exact}{suffix}");
        // prefix and suffix are the text right beside `exact`: a full 32 characters,
        // or all there is up to the start or end of the text.
        let fits = text.match_indices(&whole).any(|(at, _)| {
            (prefix.chars().count() == CONTEXT || at == 0)
                && (suffix.chars().count() == CONTEXT || at + whole.len() == text.len())
        });
        assert!(
            fits,
            "selector of {} not in the served text:\nprefix `{prefix}`\nexact  `{exact}`\nsuffix `{suffix}`\ntext: {text}",
            item["id"]
        );
        checked += 1;
    }
    checked
}

#[test]
fn every_selector_of_the_sample_matches_the_served_text_strictly() {
    let site = Site::sample();
    let out = site.build_ok(&[]);
    let checked = check_selectors(&out);
    assert!(checked >= 8, "{checked} selectors checked");
}

#[test]
fn every_selector_of_a_generated_archive_matches_the_served_text_strictly() {
    let (_site, out) = generated(60);
    let checked = check_selectors(&out);
    assert!(checked >= 20, "{checked} selectors checked");
}

#[test]
fn a_selector_holds_the_note_numbers_and_speaker_links_around_it() {
    // A quote ending inside a passage, a passage nested in another, two side notes
    // after one paragraph, a nested list: what gloss adds is in the served text.
    let site = Site::new();
    let fm = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: we build\nannotations:\n  - on: Then we build the bridge\n    note: First.\n  - on: the bridge\n    note: Second.\n  - on: item two\n    note: Third.\n";
    site.file(
        A,
        &article(
            fm,
            "Then we build the bridge, said Jane. It is *long*.\n\n- item\n  - two\n",
        ),
    );
    let out = site.build_ok(&[]);
    assert_eq!(check_selectors(&out), 3);
}

#[test]
fn a_selector_holds_the_caption_of_a_figure_beside_it() {
    // The figure's markup is the theme's, put in by the render stage: a selector taken
    // before that would miss the caption a W3C client finds in the page.
    let site = Site::new();
    let fm = "annotations:\n  - on: After the figure\n    note: N\n";
    site.file(
        A,
        &article(
            fm,
            "Before.\n\n```figure\nimage: /cat.png\nalt: A cat\ncaption: A cat on a mat\n```\n\nAfter the figure, text.\n",
        ),
    );
    site.file("static/cat.png", "not decoded");
    let out = site.build_ok(&[]);
    assert!(
        site.read("articles/a/index.html")
            .contains("A cat on a mat")
    );
    assert_eq!(check_selectors(&out), 1);
}

#[test]
fn the_annotation_page_has_an_id() {
    let site = Site::sample();
    site.build_ok(&[]);
    let doc: serde_json::Value =
        serde_json::from_str(&site.read("annotations.jsonld")).unwrap_or_default();
    let page = &doc["first"];
    assert_eq!(page["type"], "AnnotationPage");
    assert_eq!(
        page["id"], "https://archive.example.org/annotations.jsonld#page-1",
        "{page}"
    );
    assert_eq!(page["partOf"], doc["id"]);
    assert_eq!(doc["last"], page["id"]);
}

#[test]
fn a_passage_across_an_image_leaves_the_alt_text_alone() {
    let site = Site::new();
    let fm = "annotations:\n  - on: \"Look: and see\"\n    note: N\n";
    site.file(
        A,
        &article(fm, "Look: ![a *cat* on a mat](cat.png) and see.\n"),
    );
    site.file("static/cat.png", "not decoded");
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(html.contains("alt=\"a cat on a mat\""), "{html}");
    for alt in crate::util::attr_values(&html, "alt") {
        assert!(!alt.contains('<') && !alt.contains("&lt;"), "{alt}");
    }
    assert!(html.contains("id=\"passage-look-and-see\""), "{html}");
    check_selectors(&site.path().join("public"));
}

#[test]
fn no_marker_goes_inside_code() {
    let site = Site::new();
    let fm = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: let y = 2;\nannotations:\n  - on: let x = 1;\n    note: N\n  - on: b c\n    note: M\n";
    site.file(
        A,
        &article(
            fm,
            "Intro.\n\n```\nlet x = 1;\nlet y = 2;\n```\n\nInline `a b c` code.\n",
        ),
    );
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    let pre = &html[html.find("<pre>").unwrap_or(0)..html.find("</pre>").unwrap_or(0)];
    assert!(pre.contains("<mark"), "still marked: {pre}");
    assert!(!pre.contains("<sup") && !pre.contains("<a "), "{pre}");
    assert!(
        html.contains("</code></pre>\n<sup")
            || html.contains("</code></pre>\n<span class=\"quote-by\">")
            || html.contains("</pre>\n<p><sup"),
        "markers after the block: {html}"
    );
    let inline = &html[html.find("Inline <code>").unwrap_or(0)..];
    let inline = &inline[..inline.find("</code>").unwrap_or(0)];
    assert!(!inline.contains("<sup"), "{inline}");
    check_selectors(&site.path().join("public"));
}

#[test]
fn a_tight_list_item_and_its_nested_list_are_two_words() {
    let site = Site::new();
    let fm = "annotations:\n  - on: a b\n    note: N\n";
    site.file(A, &article(fm, "- a\n  - b\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("articles/a/index.html");
    assert!(html.contains("id=\"passage-a-b\""), "{html}");
    // `ab` is not in the text.
    site.file(
        A,
        &article("annotations:\n  - on: ab\n    note: N\n", "- a\n  - b\n"),
    );
    assert_eq!(site.run(&["check"]).code, 1);
}

#[test]
fn json_ld_names_each_page_of_an_entity_by_its_own_url() {
    let site = Site::new();
    site.file("site.yaml", "base_url: https://e.example/\npaginate: 1\n");
    for (name, date) in [("a", "2025-01-01"), ("b", "2025-01-02")] {
        site.file(
            &format!("content/articles/{name}.md"),
            &format!(
                "---\ntitle: {name}\ndate: {date}\ntopics: [t]\nmentions: [jane]\nsources:\n  s: {{ outlet: o }}\n---\nText.\n"
            ),
        );
    }
    site.build_ok(&[]);
    for dir in ["topics/t/", "people/jane/", "outlets/o/"] {
        for (page, url) in [
            (
                format!("{dir}index.html"),
                format!("https://e.example/{dir}"),
            ),
            (
                format!("{dir}page/2/index.html"),
                format!("https://e.example/{dir}page/2/"),
            ),
        ] {
            let html = site.read(&page);
            let script = html
                .split("<script type=\"application/ld+json\">")
                .nth(1)
                .and_then(|s| s.split("</script>").next())
                .unwrap_or_default();
            let doc: serde_json::Value = serde_json::from_str(script).unwrap_or_default();
            assert_eq!(doc["url"], url, "{page}: {script}");
            // The last crumb is the entity: on its first page that is the page itself,
            // with no `item` (issue 19); page 2 names page 1.
            let crumbs = &crate::util::jsonld_of(&html)[1]["itemListElement"];
            let last = &crumbs[crumbs.as_array().map_or(0, |c| c.len().saturating_sub(1))];
            let first_page = format!("https://e.example/{dir}");
            if url == first_page {
                assert!(last["item"].is_null(), "{page}: {last}");
            } else {
                assert_eq!(last["item"], first_page, "{page}: {last}");
            }
        }
    }
}
