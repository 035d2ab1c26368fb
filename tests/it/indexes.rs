//! Editorial indexes and finish (issue 16, items 7-9): dates as words, the archive's
//! articles under each month, cards with byline, topics and fact-check badge, quotes by
//! status on pages of their own, a person's rated claims, ClaimReview's fields, the
//! favicon and the article's social-card image.
//! See: issues 16.

use crate::util::{Site, jsonld_of};

/// A newsroom of three articles: bylines (a person and a name), topics, a lead image,
/// rated fact-checks of one claimant (one with `claim:`), sources with outlets, and a
/// disputed and a misattributed quote.
pub(crate) fn newsroom() -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        "title: The Ledger\nbase_url: https://ledger.example/\n",
    )
    .file(
        "content/people/ana-ruiz.md",
        "---\nname: Ana Ruiz\n---\nReporter.\n",
    )
    .file("static/img/bridge.png", "not really a png")
    .file(
        "content/articles/taxes.md",
        r#"---
title: Taxes did not double
date: 2025-03-04
authors: [ana-ruiz, Data desk]
topics: [budget, city-hall]
image: { src: /img/bridge.png, alt: The bridge }
sources:
  tv:
    outlet: channel-nine
    title: Evening news interview
    url: https://nine.example/interview
    published: 2025-03-01
    archived: https://archive.example/nine/interview
speakers: [pol-x]
quotes:
  - speaker: pol-x
    text: "Your taxes doubled under my rival"
    source: tv
    said: 2025-03
    status: disputed
annotations:
  - on: "taxes doubled under the rival"
    kind: fact-check
    rating: "False"
    claimant: pol-x
    claim: "Your taxes doubled under my rival"
    note: "City records show a rise of 4%."
    sources: [tv]
---
The mayor said taxes doubled under the rival, which the records do not show.
"#,
    )
    .file(
        "content/articles/bridge.md",
        r#"---
title: The bridge reopens
date: 2025-02-10
topics: [city-hall]
sources:
  paper: { title: Morning paper, url: https://paper.example/bridge }
speakers: [pol-x]
quotes:
  - speaker: pol-x
    text: "We built it in a year"
    source: paper
    status: misattributed
  - speaker: pol-x
    text: "Traffic will flow again"
    source: paper
annotations:
  - on: "finished in record time"
    kind: fact-check
    rating: Misleading
    claimant: pol-x
    note: "It took three years."
---
The bridge was finished in record time, the mayor said.
"#,
    )
    .file(
        "content/articles/march-later.md",
        "---\ntitle: A later March piece\ndate: 2025-03-20\n---\nText.\n",
    );
    site
}

#[test]
fn an_articles_social_card_shows_its_lead_image() {
    let site = newsroom();
    site.build_ok(&[]);
    let article = site.read("articles/taxes/index.html");
    assert!(article.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert!(
        article.contains(
            r#"<meta property="og:image" content="https://ledger.example/img/bridge.png">"#
        )
    );
    assert!(article.contains(
        r#"<meta name="twitter:image" content="https://ledger.example/img/bridge.png">"#
    ));
    assert!(
        site.read("articles/bridge/index.html")
            .contains(r#"<meta name="twitter:card" content="summary">"#)
    );
}

/// The `review` of an article's NewsArticle JSON-LD.
fn reviews(html: &str) -> Vec<serde_json::Value> {
    jsonld_of(html)[0]["review"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn claim_review_names_the_claim_where_it_appeared_and_the_site_as_author() {
    let site = newsroom();
    site.build_ok(&[]);
    let reviews = reviews(&site.read("articles/taxes/index.html"));
    assert_eq!(reviews.len(), 1);
    let r = &reviews[0];
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["claimReviewed"], "Your taxes doubled under my rival");
    assert!(
        r["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://ledger.example/articles/taxes/#note-")),
        "{r}"
    );
    assert_eq!(r["datePublished"], "2025-03-04T00:00:00Z");
    assert_eq!(r["author"]["@type"], "Organization");
    assert_eq!(r["author"]["name"], "The Ledger");
    assert_eq!(r["author"]["url"], "https://ledger.example/");
    assert_eq!(r["reviewRating"]["@type"], "Rating");
    assert_eq!(r["reviewRating"]["alternateName"], "False");
    let claim = &r["itemReviewed"];
    assert_eq!(claim["@type"], "Claim");
    assert_eq!(claim["author"]["@type"], "Person");
    assert_eq!(claim["author"]["name"], "Pol X");
    assert_eq!(
        claim["author"]["url"],
        "https://ledger.example/people/pol-x/"
    );
    let appearance = &claim["appearance"][0];
    assert_eq!(appearance["@type"], "CreativeWork");
    assert_eq!(appearance["url"], "https://nine.example/interview");
    assert_eq!(
        appearance["archivedAt"],
        "https://archive.example/nine/interview"
    );
    assert_eq!(appearance["datePublished"], "2025-03-01");
    assert_eq!(appearance["publisher"]["@type"], "Organization");
    assert_eq!(appearance["publisher"]["name"], "Channel Nine");
    // Without `claim:`, the passage is the claim reviewed.
    let other = reviews_of(&site, "articles/bridge/index.html");
    assert_eq!(other[0]["claimReviewed"], "finished in record time");
}

fn reviews_of(site: &Site, page: &str) -> Vec<serde_json::Value> {
    reviews(&site.read(page))
}

#[test]
fn a_fact_check_without_sources_appears_where_the_quote_holding_its_passage_came_from() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        r#"---
title: A
date: 2025-01-02
sources:
  radio: { title: Radio interview, url: https://radio.example/1 }
speakers: [pol-x]
quotes:
  - { speaker: pol-x, text: "Crime fell by half last year", source: radio }
annotations:
  - { on: "fell by half", kind: fact-check, rating: "False", note: "It fell 5%." }
---
He said “Crime fell by half last year”.
"#,
    );
    site.build_ok(&[]);
    let r = reviews_of(&site, "articles/a/index.html");
    assert_eq!(
        r[0]["itemReviewed"]["appearance"][0]["url"],
        "https://radio.example/1"
    );
    assert!(
        r[0]["itemReviewed"].get("author").is_none(),
        "no claimant given"
    );
}

#[test]
fn a_fact_check_without_a_rating_is_a_warning_at_it_and_emits_no_claim_review() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nannotations:\n  - on: the claim\n    kind: fact-check\n    note: Checked.\n  - on: other words\n    kind: fact-check\n    rating: \"True\"\n    note: Fine.\n---\nHere is the claim, and other words.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:6:11: warning: fact-check annotation 1 has no `rating`: no ClaimReview will be emitted for it"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: add `rating:`"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("has no `rating`").count(),
        1,
        "{}",
        run.stderr
    );
    site.build_ok(&[]);
    let r = reviews_of(&site, "articles/a/index.html");
    assert_eq!(r.len(), 1, "only the rated one");
    assert_eq!(r[0]["reviewRating"]["alternateName"], "True");
    // `claim:` belongs to fact-checks, as `rating:` does.
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nannotations:\n  - on: the claim\n    kind: context\n    claim: x\n    note: Checked.\n---\nHere is the claim.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: `claim` on a context annotation"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_favicon_is_in_the_theme_linked_from_every_page_and_a_site_can_replace_it() {
    let site = Site::sample();
    let out = site.build_ok(&[]);
    let svg = std::fs::read_to_string(out.join("favicon.svg")).unwrap_or_default();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
    let ico = std::fs::read(out.join("favicon.ico")).unwrap_or_default();
    assert_eq!(ico.get(..4), Some(&[0u8, 0, 1, 0][..]), "an ICO file");
    assert_eq!(ico.get(22..26), Some(&b"\x89PNG"[..]), "holding a PNG");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap_or_default();
        if html.contains(r#"http-equiv="refresh""#) {
            continue;
        }
        let icons: Vec<&str> = html
            .split("<link rel=\"icon\" href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(icons.len(), 2, "{}", path.display());
        for icon in icons {
            let target = if icon.starts_with("http") {
                out.join(icon.rsplit('/').next().unwrap_or_default())
            } else {
                path.parent().unwrap_or(&out).join(icon)
            };
            assert!(target.is_file(), "{icon} from {}", path.display());
        }
        pages += 1;
    }
    assert!(pages > 20, "{pages} pages");
    // A site's own static/favicon.svg replaces the theme's.
    site.file(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let out = site.build_ok(&[]);
    assert_eq!(
        std::fs::read_to_string(out.join("favicon.svg")).unwrap_or_default(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert_eq!(
        std::fs::read(out.join("favicon.ico")).unwrap_or_default(),
        ico
    );
}
