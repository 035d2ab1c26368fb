//! Editorial indexes and finish (issue 16, items 7-9): dates as words, the archive's
//! articles under each month, cards with byline, topics and fact-check badge, quotes by
//! status on pages of their own, a person's rated claims, ClaimReview's fields, the
//! favicon and the article's social-card image.
//! See: issues 16.

use crate::util::{Site, attr_values, jsonld_of, visible};

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
fn dates_read_as_words_and_keep_their_machine_form() {
    let site = newsroom();
    site.build_ok(&[]);
    let article = site.read("articles/taxes/index.html");
    assert!(
        article.contains(r#"<time datetime="2025-03-04">4 March 2025</time>"#),
        "the article's date"
    );
    assert!(
        article.contains(r#"<time datetime="2025-03-01">1 March 2025</time>"#),
        "a source's publication date"
    );
    assert!(
        article.contains(r#"<time datetime="2025-03">March 2025</time>"#),
        "a quote said in a month"
    );
    let home = site.read("index.html");
    assert!(
        home.contains(r#"<time datetime="2025-02-10">10 February 2025</time>"#),
        "a card's date"
    );
    assert!(
        !visible(&home).contains("2025-02-10"),
        "no ISO date left for readers"
    );
}

#[test]
fn the_archive_lists_each_months_articles_under_it() {
    let site = newsroom();
    site.build_ok(&[]);
    let archive = site.read("archive/index.html");
    let march = archive.find("March 2025").unwrap_or(usize::MAX);
    let february = archive.find("February 2025").unwrap_or(usize::MAX);
    let later = archive.find("A later March piece").unwrap_or(usize::MAX);
    let taxes = archive.find("Taxes did not double").unwrap_or(usize::MAX);
    let bridge = archive.find("The bridge reopens").unwrap_or(usize::MAX);
    assert!(
        march < later && later < taxes && taxes < february && february < bridge,
        "months newest first, each with its articles newest first:\n{archive}"
    );
    assert!(archive.contains(r#"href="../articles/taxes/index.html""#));
    assert!(!archive.contains("All 2 articles"), "every one is listed");
    // A month with more articles than its page lists links to the rest.
    site.file(
        "site.yaml",
        "title: The Ledger\nbase_url: https://ledger.example/\npaginate: 1\n",
    );
    site.build_ok(&[]);
    let archive = site.read("archive/index.html");
    assert!(archive.contains("A later March piece") && !archive.contains("Taxes did not double"));
    assert!(
        archive.contains(
            r#"<a href="../archive/2025/03/index.html">All 2 articles of March 2025</a>"#
        ),
        "{archive}"
    );
}

#[test]
fn cards_carry_byline_topics_lead_image_and_fact_check_ratings() {
    let site = newsroom();
    site.build_ok(&[]);
    let home = site.read("index.html");
    let card = home
        .split(r#"<li class="card">"#)
        .find(|c| c.contains("Taxes did not double"))
        .unwrap_or_default();
    assert!(
        card.contains(
            r#"By <a href="./people/ana-ruiz/index.html" rel="author">Ana Ruiz</a>, Data desk"#
        ),
        "byline, the person linked: {card}"
    );
    // The card's topics are its article's, not the page's: no rel="tag" (issue 19).
    assert!(card.contains(
        r#"Topics:</span> <a href="./topics/budget/index.html">Budget</a>, <a href="./topics/city-hall/index.html">City Hall</a></p>"#
    ), "{card}");
    assert!(
        card.contains(r#"<p class="summary">"#),
        "home cards keep the summary: {card}"
    );
    assert!(card.contains(r#"<img class="card-image" src="./img/bridge.png""#));
    assert!(
        card.contains(
            r#"<span class="badge-label">Fact check:</span> <strong class="rating">False</strong>"#
        ),
        "{card}"
    );
    let plain = home
        .split(r#"<li class="card">"#)
        .find(|c| c.contains("A later March piece"))
        .unwrap_or_default();
    assert!(
        !plain.contains("badge") && !plain.contains("By "),
        "{plain}"
    );
    // The same cards on a topic's page, compact (issue 19): no summary and no topics
    // (both are on the article and its home card).
    let topic = site.read("topics/city-hall/index.html");
    assert!(topic.contains(r#"<strong class="rating">Misleading</strong>"#));
    let card = topic
        .split(r#"<li class="card">"#)
        .skip(1)
        .find(|c| c.contains("Taxes did not double"))
        .unwrap_or_default();
    assert!(
        card.contains(r#"<strong class="rating">False</strong>"#),
        "the headline and rating stay: {card}"
    );
    assert!(
        !card.contains("Topics:") && !card.contains("budget") && !card.contains("summary"),
        "{card}"
    );
    let person = site.read("people/ana-ruiz/index.html");
    assert!(
        person.contains("Taxes did not double") && !person.contains(r#"class="summary""#),
        "{person}"
    );
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
    let bridge = site.read("articles/bridge/index.html");
    assert!(bridge.contains(r#"<meta name="twitter:card" content="summary">"#));
    // Title and description once each as Open Graph tags, which X reads in place of
    // twitter:title and twitter:description (issue 19: no second copy on every page).
    assert!(bridge.contains(r#"<meta property="og:title""#));
    assert!(!bridge.contains("twitter:title") && !bridge.contains("twitter:description"));
}

#[test]
fn quotes_by_status_have_pages_of_their_own_linked_from_every_quote_list() {
    let site = newsroom();
    let out = site.build_ok(&[]);
    let disputed = site.read("quotes/disputed/index.html");
    assert!(disputed.contains("Your taxes doubled under my rival"));
    assert!(!disputed.contains("We built it in a year") && !disputed.contains("Traffic will flow"));
    assert!(disputed.contains("<h1>Disputed quotes"));
    let misattributed = site.read("quotes/misattributed/index.html");
    assert!(misattributed.contains("We built it in a year"));
    assert!(!misattributed.contains("Your taxes doubled"));
    let all = site.read("quotes/index.html");
    for (page, current) in [(&all, "All"), (&disputed, "Disputed")] {
        assert!(
            page.contains(&format!(
                r#"<span aria-current="page">{current}</span> <span class="count">"#
            )),
            "{current} marked"
        );
    }
    assert!(
        all.contains(
            r#"<a href="../quotes/disputed/index.html">Disputed</a> <span class="count">(1)</span>"#
        ),
        "{all}"
    );
    assert!(all.contains(r#"<a href="../quotes/misattributed/index.html">Misattributed</a> <span class="count">(1)</span>"#));
    assert!(
        disputed.contains(
            r#"<a href="../../quotes/index.html">All</a> <span class="count">(3)</span>"#
        )
    );
    assert!(
        !out.join("quotes/sourced").exists(),
        "sourced ones are /quotes/ itself"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("quotes/disputed/"));
    // A site without such quotes has no such pages, and no filters.
    let sample = Site::sample();
    let out = sample.build_ok(&[]);
    assert!(!out.join("quotes/disputed").exists());
    assert!(!sample.read("quotes/index.html").contains("quote-filters"));
}

#[test]
fn a_persons_fact_check_tally_links_to_each_rated_claim() {
    let site = newsroom();
    site.build_ok(&[]);
    let person = site.read("people/pol-x/index.html");
    let tally = person
        .split(r#"<ul class="tally">"#)
        .nth(1)
        .and_then(|t| t.split("</section>").next())
        .unwrap_or_default();
    let hrefs = attr_values(tally, "href");
    assert_eq!(hrefs.len(), 2, "{tally}");
    assert!(
        hrefs[0].starts_with("../../articles/taxes/index.html#note-")
            && hrefs[1].starts_with("../../articles/bridge/index.html#note-"),
        "{hrefs:?}"
    );
    let article = site.read("articles/taxes/index.html");
    let anchor = hrefs[0].split('#').nth(1).unwrap_or_default();
    assert!(
        article.contains(&format!(r#"id="{anchor}""#)),
        "the link lands on the note"
    );
    let text = visible(tally);
    assert!(
        text.contains("“Your taxes doubled under my rival”"),
        "the claim as stated: {text}"
    );
    assert!(
        text.contains("“finished in record time”"),
        "else the passage: {text}"
    );
    assert!(
        text.contains("in The bridge reopens, 10 February 2025"),
        "{text}"
    );
}

/// The `review` of an article's NewsArticle JSON-LD.
fn reviews(html: &str) -> Vec<serde_json::Value> {
    jsonld_of(html)[0]["review"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Where the first claim reviewed on `page` appeared: its reference (`{"@id": …}`) to
/// one of the article's `citation`s, resolved to that citation.
fn first_appearance(site: &Site, page: &str) -> serde_json::Value {
    let doc = &jsonld_of(&site.read(page))[0];
    let place = &doc["review"][0]["itemReviewed"]["appearance"][0];
    assert_eq!(
        place.as_object().map(|o| o.len()),
        Some(1),
        "a reference: {place}"
    );
    let id = place["@id"].as_str().unwrap_or_default();
    assert!(id.starts_with("#source-"), "{id}");
    doc["citation"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["@id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("{id} is not a citation of {doc}"))
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
        r["url"].as_str().is_some_and(|u| u.starts_with("#note-")),
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
    let appearance = &first_appearance(&site, "articles/taxes/index.html");
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
        first_appearance(&site, "articles/a/index.html")["url"],
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
            "content/articles/a.md:6:11: warning: annotation 1 is a fact-check without a `rating`"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: add `rating:`"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("without a `rating`").count(),
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
