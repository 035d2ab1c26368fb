//! Stable anchors: a quote's and an annotation's fragment id is its `id:` or a default
//! derived from its content, so inserting, removing or reordering others in the same
//! article never re-points a published link.

use std::collections::BTreeMap;

use crate::util::{Site, article, attr_values, unescape};

const A: &str = "content/articles/a.md";

const BODY: &str = "Jane said: “We will build the bridge.” Then John said: “Not this year.”\n\nThe council met on Monday. The budget passed.\n";

fn quote(speaker: &str, text: &str) -> String {
    format!("  - speaker: {speaker}\n    text: \"{text}\"\n")
}

fn note(on: &str) -> String {
    format!("  - on: \"{on}\"\n    note: About {on}.\n")
}

/// The front matter of the article: speakers, then `quotes` and `annotations` lines.
fn front(quotes: &[String], notes: &[String]) -> String {
    format!(
        "speakers: [jane, john]\nquotes:\n{}annotations:\n{}",
        quotes.concat(),
        notes.concat()
    )
}

/// Per quote text: the fragment the article, the person pages, the quotes index and
/// JSON-LD link it with; per passage: the note's fragment in the article and in
/// `annotations.jsonld`.
fn links(site: &Site) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) {
    let html = site.read("articles/a/index.html");
    let mut quotes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // `<span class="quote" id="quote-…" data-quote="…" title="Quote N: …">TEXT</span>`
    for (i, _) in html.match_indices("<span class=\"quote\" id=\"") {
        let rest = &html[i..];
        let id = attr_values(rest, "id")[0].to_string();
        let text = &rest[rest.find('>').unwrap_or(0) + 1..rest.find("</span>").unwrap_or(0)];
        quotes.entry(text.to_string()).or_default().push(id);
    }
    // Every other page links to the quote through its fragment.
    for page in [
        "people/jane/index.html",
        "people/john/index.html",
        "quotes/index.html",
    ] {
        let page = site.read(page);
        for href in attr_values(&page, "href") {
            if let Some((_, fragment)) = href.split_once("articles/a/index.html#") {
                let text = quotes
                    .iter()
                    .find(|(_, ids)| ids[0] == fragment)
                    .map(|(t, _)| t.clone())
                    .unwrap_or_else(|| panic!("{fragment} is not a quote in the text"));
                quotes.entry(text).or_default().push(fragment.to_string());
            }
        }
    }
    let script = html
        .split("<script type=\"application/ld+json\">")
        .find(|s| s.starts_with("{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\""))
        .and_then(|s| s.split("</script>").next())
        .unwrap_or_else(|| panic!("no NewsArticle in {html}"));
    let jsonld: serde_json::Value =
        serde_json::from_str(script).unwrap_or_else(|e| panic!("{e}: {script}"));
    for part in jsonld["hasPart"].as_array().into_iter().flatten() {
        let text = part["text"].as_str().unwrap_or_default().to_string();
        let url = part["url"].as_str().unwrap_or_default();
        let fragment = url.rsplit_once('#').map_or("", |(_, f)| f).to_string();
        quotes.entry(text).or_default().push(fragment);
    }
    let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, _) in html.match_indices("<aside class=\"sidenote") {
        let rest = &html[i..];
        let id = attr_values(rest, "id")[0].to_string();
        let about = &rest[rest.find("<p>About ").unwrap_or(0) + 9..];
        let about = unescape(&about[..about.find(".</p>").unwrap_or(0)]);
        notes.entry(about).or_default().push(id);
    }
    let all = site.read("annotations.jsonld");
    let all: serde_json::Value = serde_json::from_str(&all).unwrap_or_else(|e| panic!("{e}"));
    for item in all["first"]["items"].as_array().into_iter().flatten() {
        let value = item["body"][0]["value"].as_str().unwrap_or_default();
        let about = value.trim_start_matches("About ").trim_end_matches('.');
        let id = item["id"].as_str().unwrap_or_default();
        let fragment = id.rsplit_once('#').map_or("", |(_, f)| f).to_string();
        notes.entry(about.to_string()).or_default().push(fragment);
    }
    (quotes, notes)
}

#[test]
fn inserting_removing_and_reordering_keeps_every_other_fragment() {
    let site = Site::new();
    let q_bridge = quote("jane", "We will build the bridge.");
    let q_year = quote("john", "Not this year.");
    let n_council = note("The council met on Monday");
    let n_budget = note("The budget passed");
    site.file(
        A,
        &article(
            &front(
                &[q_bridge.clone(), q_year.clone()],
                &[n_council.clone(), n_budget.clone()],
            ),
            BODY,
        ),
    );
    site.build_ok(&[]);
    let (quotes, notes) = links(&site);
    assert_eq!(
        quotes["We will build the bridge."][0],
        "quote-jane-we-will-build-the-bridge"
    );
    assert_eq!(
        notes["The budget passed"][0], "note-the-budget-passed",
        "{notes:?}"
    );
    for (text, ids) in quotes.iter().chain(&notes) {
        assert!(ids.len() >= 2, "{text}: {ids:?}");
        assert!(ids.iter().all(|i| i == &ids[0]), "{text}: {ids:?}");
    }
    // A new quote and a new annotation at the top, then the others reordered.
    let body = format!("Mayor Roe said: “Bridges matter.”\n\n{BODY}");
    let q_new = quote("jane", "Bridges matter.");
    let n_new = note("Mayor Roe");
    for (quote_list, note_list) in [
        (
            vec![q_new.clone(), q_bridge.clone(), q_year.clone()],
            vec![n_new.clone(), n_council.clone(), n_budget.clone()],
        ),
        (
            vec![q_year.clone(), q_new.clone(), q_bridge.clone()],
            vec![n_budget.clone(), n_new.clone(), n_council.clone()],
        ),
        (vec![q_year.clone()], vec![n_budget.clone()]),
    ] {
        site.file(A, &article(&front(&quote_list, &note_list), &body));
        site.build_ok(&[]);
        let (now_quotes, now_notes) = links(&site);
        for (text, ids) in now_quotes.iter().chain(&now_notes) {
            assert!(ids.iter().all(|i| i == &ids[0]), "{text}: {ids:?}");
            if let Some(before) = quotes.get(text).or_else(|| notes.get(text)) {
                assert_eq!(before[0], ids[0], "{text} moved");
            }
        }
        assert_eq!(now_quotes.len(), quote_list.len(), "{now_quotes:?}");
    }
}

#[test]
fn quote_links_take_ids_and_numbers() {
    let site = Site::new();
    let fm = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: One thing.\n  - id: the-promise\n    speaker: jane\n    text: Another thing.\n";
    let body = "Jane said: “One thing.” And: “Another thing.”\n\nSee [the promise](quote:the-promise), [the first](quote:jane-one-thing) and [the second](quote:2).\n";
    site.file(A, &article(fm, body));
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(html.contains(r#"id="quote-the-promise""#), "{html}");
    assert!(
        html.contains(r##"<a href="#quote-the-promise">the promise</a>, <a href="#quote-jane-one-thing">the first</a> and <a href="#quote-the-promise">the second</a>"##),
        "{html}"
    );
    // An unknown id suggests the nearest one.
    site.file(
        A,
        &article(
            fm,
            "Jane said: “One thing.”\n\nSee [it](quote:the-promis).\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/articles/a.md:14:10: error: unknown link target `quote:the-promis`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `quote:the-promise`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn id_clashes_and_bad_ids_are_located_errors() {
    let site = Site::new();
    let fm = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: One thing.\n  - id: jane-one-thing\n    speaker: jane\n    text: Two.\n  - id: twice\n    speaker: jane\n    text: Three.\n  - id: twice\n    speaker: jane\n    text: Four.\n  - id: Not A Slug\n    speaker: jane\n    text: Five.\n  - id: \"42\"\n    speaker: jane\n    text: Six.\nannotations:\n  - id: same\n    note: A\n  - id: same\n    note: B\n";
    site.file(A, &article(fm, "One thing.\n"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "content/articles/a.md:8:9: error: quote id `jane-one-thing` is already the default id of quote 1",
            "content/articles/a.md:14:9: error: duplicate quote id `twice`: quote 3 has it too",
            "content/articles/a.md:17:9: error: invalid quote id `Not A Slug`",
            "content/articles/a.md:20:9: error: invalid quote id `42`: it has no letter",
            "content/articles/a.md:26:9: error: duplicate annotation id `same`: annotation 1 has it too",
        ],
        "{}",
        run.stderr
    );
    for hint in [
        "write `not-a-slug`",
        "so that `quote:N` stays the Nth quote",
        "quote 1 is published as `jane-one-thing` (from its words)",
    ] {
        assert!(run.stderr.contains(hint), "{hint}: {}", run.stderr);
    }
}

#[test]
fn equal_defaults_are_numbered_in_document_order() {
    let site = Site::new();
    let fm = "speakers: [jane]\nquotes:\n  - speaker: jane\n    text: No.\n  - speaker: jane\n    text: No!\nannotations:\n  - on: \"No\"\n    occurrence: 2\n    note: Second.\n  - on: \"No\"\n    occurrence: 1\n    note: First.\n";
    site.file(A, &article(fm, "She said “No.” Then: “No!”\n"));
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    for id in [
        "quote-jane-no",
        "quote-jane-no-2",
        "note-no",
        "note-no-2",
        "passage-no",
        "passage-no-2",
    ] {
        assert_eq!(
            html.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id}: {html}"
        );
    }
}
