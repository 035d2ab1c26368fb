//! Side notes beside their passages (issue 16, item 1) and quotes that read as quotes
//! (item 4): numbers in reading order on markers and notes, the note in the margin at
//! its marker on wide screens without gaps in the text or notes over each other, after
//! its paragraph on narrow screens; the attribution and flag after the closing mark.
//! The layout is measured in headless Chromium (`#[ignore]`d as the other browser tests).

use serde_json::{Value, json};

use crate::browser::{driver, eval, open, resize, session};
use crate::util::{Site, static_server};

/// An article whose annotations of every kind, and quotes of every status, are listed in
/// an order that is not the text's, with notes long enough that they cannot all sit
/// level with their markers.
pub(crate) fn many_notes() -> Site {
    let site = Site::new();
    let long = "A long note, to make the notes taller than the text beside them. ".repeat(6);
    let front = format!(
        r#"---
title: Many notes
date: 2025-03-04
speakers: [ada-mayor, bo-clerk]
quotes:
  - speaker: bo-clerk
    text: "The minutes were lost"
    status: misattributed
  - speaker: ada-mayor
    text: "We will open the bridge in May"
    status: disputed
  - speaker: ada-mayor
    text: "Nobody asked us"
annotations:
  - on: "the fifth paragraph"
    kind: note
    note: "{long}"
  - on: "a council vote"
    kind: fact-check
    rating: Half true
    claimant: ada-mayor
    note: "The vote was 5 to 4. {long}"
  - on: "the old bridge"
    kind: context
    note: "Built in 1901."
  - on: "costly delay"
    kind: opinion
    note: "{long}"
  - on: "on Tuesday"
    kind: correction
    date: 2025-03-05
    note: "It was Monday."
  - on: "the river"
    kind: context
    note: "Short."
  - on: "the mayor's office"
    kind: context
    note: "- a list\n- cannot sit inside a paragraph"
---
"#
    );
    let body = "The council met on Tuesday to talk about the old bridge over the river.\n\n\
        “We will open the bridge in May,” said the mayor, after a council vote that many \
        called a costly delay.\n\n\
        “Nobody asked us,” a resident said. “The minutes were lost,” the clerk is said to \
        have written.\n\n\
        A statement from the mayor's office followed.\n\n\
        This is the fifth paragraph, and it is short.\n\n\
        The last paragraph closes the article.\n";
    site.file("content/articles/many.md", &format!("{front}{body}"));
    site
}

/// The numbers of the markers and of the notes after the paragraphs, in page order.
fn numbers(html: &str) -> (Vec<String>, Vec<String>) {
    let markers = html
        .match_indices("<a class=\"to-after\" href=\"#note-")
        // A marker whose note has no margin copy has one link.
        .chain(
            html.match_indices("\"><a href=\"#note-")
                .map(|(i, m)| (i + 2, m)),
        )
        .map(|(i, _)| i)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|i| {
            let rest = &html[i..];
            let from = rest.find('>').map_or(0, |k| k + 1);
            let rest = &rest[from..];
            rest[..rest.find('<').unwrap_or(0)].to_string()
        })
        .collect();
    let notes = html
        .match_indices("<aside class=\"sidenote")
        .map(|(i, _)| {
            let rest = &html[i..];
            let rest = &rest[rest.find("<span class=\"note-num\">").unwrap_or(0) + 23..];
            rest[..rest.find('<').unwrap_or(0)].to_string()
        })
        .collect();
    (markers, notes)
}

#[test]
fn notes_are_numbered_in_reading_order_on_markers_and_notes() {
    let site = many_notes();
    site.build_ok(&[]);
    let html = site.read("articles/many/index.html");
    let (markers, notes) = numbers(&html);
    let expected: Vec<String> = (1..=7).map(|n| n.to_string()).collect();
    assert_eq!(markers, expected, "{html}");
    assert_eq!(notes, expected, "{html}");
    // The first passage of the text is the fifth annotation of the front matter.
    assert!(
        html.contains("aria-label=\"Annotation 1: Correction, 2025-03-05\""),
        "{html}"
    );
    // The margin copy carries the number too; a note that is not phrasing content (a
    // list) has only the copy after its paragraph, shown at every width.
    assert!(
        html.contains("id=\"side-on-tuesday\"><span class=\"note-p note-label\"><a href=\"#passage-on-tuesday\"><span class=\"note-num\">1</span>"),
        "{html}"
    );
    assert!(!html.contains("id=\"side-the-mayors-office\""), "{html}");
    assert!(
        html.contains("<aside class=\"sidenote note-context\" id=\"note-the-mayors-office\""),
        "{html}"
    );
}

#[test]
fn attribution_and_flag_follow_the_closing_mark_and_status_shows_in_words() {
    let site = many_notes();
    site.build_ok(&[]);
    let html = site.read("articles/many/index.html");
    assert!(
        html.contains("in May</span>,”<span class=\"quote-by\"><a href=\"../../people/ada-mayor/index.html\" title=\"Quote 2: Ada Mayor\">Ada Mayor</a> <span class=\"quote-status-tag\">(disputed)</span></span>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"quote quote-misattributed\" id=\"quote-"),
        "{html}"
    );
    assert!(
        html.contains("asked us</span>,”<span class=\"quote-by\"><a href=\"../../people/ada-mayor/index.html\" title=\"Quote 3: Ada Mayor\">Ada Mayor</a></span> a resident"),
        "{html}"
    );
    // The sample's altered quote: its flag after the closing mark, to the source's copy.
    let sample = Site::sample();
    sample.build_ok(&[]);
    let html = sample.read("articles/bukele-dares-clinton-prison-population/index.html");
    assert!(
        html.contains("gang rule</span>,”<span class=\"quote-by\"><a href=\"../../people/nayib-bukele/index.html\" title=\"Quote 3: Nayib Bukele\">Nayib Bukele</a></span><a class=\"quote-flag\" href=\"../../sources/bukele-x-2025-12-23/index.html#list-differs-"),
        "{html}"
    );
}

/// What the page at `url` shows at `width` px: the gaps between the text's consecutive
/// blocks, each margin note's box beside its marker's, the visible markers' numbers, and
/// for each note after a paragraph whether the paragraph before it holds its passage.
fn layout(url: &str, width: u32) -> Value {
    let Some(driver) = driver() else {
        return Value::Null;
    };
    let (id, _profile) = session(&driver);
    resize(&driver, &id, width, 900);
    open(&driver, &id, url);
    let out = eval(
        &driver,
        &id,
        r##"
const body = document.querySelector('.article-body');
const shown = e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;
const cs = getComputedStyle(body.querySelector('p'));
const line = parseFloat(cs.lineHeight) || 1.6 * parseFloat(cs.fontSize);
const blocks = [...body.children].filter(e => shown(e) && !e.matches('.sidenote'));
const gaps = blocks.slice(1).map((e, i) => e.getBoundingClientRect().top - blocks[i].getBoundingClientRect().bottom);
const notes = [...body.querySelectorAll('.sidenote-margin')].filter(shown).map(n => {
  const r = n.getBoundingClientRect();
  const m = body.querySelector('a.to-margin[href="#' + n.id + '"]').getBoundingClientRect();
  return {id: n.id, top: r.top, bottom: r.bottom, left: r.left, marker: m.top};
});
const markers = [...body.querySelectorAll('.note-ref a')].filter(shown).map(a => a.textContent);
const after = [...body.querySelectorAll('aside.sidenote')].filter(shown).map(a => {
  let p = a.previousElementSibling;
  while (p && p.matches('aside.sidenote')) p = p.previousElementSibling;
  return {id: a.id, holds: !!(p && p.querySelector('#passage-' + a.id.slice(5)))};
});
return {width: innerWidth, line, gaps, notes, markers, after, text_right: body.getBoundingClientRect().right};
"##,
    );
    crate::browser::call(driver.addr, "DELETE", &format!("/session/{id}"), &json!({}));
    out
}

/// Checks the wide and narrow layouts of the article at `url` with `count` notes.
fn check_layouts(url: &str, count: usize) {
    let wide = layout(url, 1280);
    if wide.is_null() {
        return;
    }
    let numbers: Vec<Value> = (1..=count).map(|n| json!(n.to_string())).collect();
    let line = wide["line"].as_f64().unwrap_or(0.0);
    assert!(line > 10.0, "{wide}");
    for g in wide["gaps"].as_array().into_iter().flatten() {
        assert!(
            g.as_f64().unwrap_or(f64::MAX) <= 2.0 * line,
            "gap {g} at 1280 px: {wide}"
        );
    }
    assert_eq!(wide["markers"], json!(numbers), "{wide}");
    let mut previous_bottom = f64::MIN;
    let text_right = wide["text_right"].as_f64().unwrap_or(0.0);
    let notes = wide["notes"].as_array().cloned().unwrap_or_default();
    assert!(!notes.is_empty(), "{wide}");
    for n in &notes {
        let f = |k: &str| n[k].as_f64().unwrap_or(f64::NAN);
        assert!(f("top") >= f("marker") - 2.0, "note above its marker: {n}");
        assert!(
            f("top") >= previous_bottom,
            "note over the previous one: {n}"
        );
        assert!(f("left") >= text_right, "note over the text: {n}");
        previous_bottom = f("bottom");
    }
    let narrow = layout(url, 375);
    assert_eq!(
        narrow["notes"],
        json!([]),
        "margin notes at 375 px: {narrow}"
    );
    assert_eq!(narrow["markers"], json!(numbers), "{narrow}");
    let after = narrow["after"].as_array().cloned().unwrap_or_default();
    assert_eq!(after.len(), count, "{narrow}");
    for a in after {
        assert_eq!(a["holds"], json!(true), "note not after its paragraph: {a}");
    }
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored (GLOSS_BROWSER_TESTS=1 makes their absence a failure)"]
fn side_notes_sit_beside_their_markers_when_wide_and_after_their_paragraphs_when_narrow() {
    let site = many_notes();
    let host = static_server(&site.build_ok(&[]));
    check_layouts(&format!("http://{host}/articles/many/index.html"), 7);
    let sample = Site::sample();
    let host = static_server(&sample.build_ok(&[]));
    check_layouts(
        &format!("http://{host}/articles/bukele-dares-clinton-prison-population/index.html"),
        8,
    );
}
