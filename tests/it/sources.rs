//! Issue 16, items 3, 5 and 6: archived copies of sources as pages, corrections (a
//! dated notice, `/corrections/` and its feed, JSON-LD), and the same quote in several
//! articles counted once.

use crate::util::{Site, article, broken_links};

const COPY_PAGE: &str = "sources/bukele-x-2025-12-23/index.html";
const ARTICLE: &str = "articles/bukele-dares-clinton-prison-population/index.html";

#[test]
fn an_archived_copy_is_a_page_with_its_quotes_marked_and_linked_back() {
    let site = Site::sample();
    let out = site.build_ok(&["--base-url", "https://news.example.com/"]);
    let page = site.read(COPY_PAGE);
    // The source's metadata as the article cites it.
    assert!(
        page.contains("Nayib Bukele's post on X replying to Hillary Clinton"),
        "{page}"
    );
    assert!(
        page.contains(r##"<a href="../../outlets/x/index.html" class="outlet">X</a>"##),
        "{page}"
    );
    // Both quotes found in the copy are marked, with their id, and link to the quote in
    // the article.
    let quote =
        "2025-bukele-dares-clinton-prison-population-nayib-bukele-we-are-willing-to-release";
    assert!(
        page.contains(&format!(
            r##"<mark class="source-quote" id="{quote}" data-quote="{quote}">We are willing"##
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "../../{ARTICLE}#quote-nayib-bukele-we-are-willing-to-release"
        )),
        "{page}"
    );
    assert_eq!(
        page.matches(r##"<mark class="source-quote" id="##).count(),
        2
    );
    // The flagged quote: its closest passage marked in the text, and the word diff.
    let differs = "differs-2025-bukele-dares-clinton-prison-population-nayib-bukele-until-then-el-salvador-will";
    assert!(
        page.contains(&format!(r##"id="{differs}""##)),
        "the closest passage is marked: {page}"
    );
    assert!(
        page.contains(&format!(r##"id="list-{differs}""##)),
        "{page}"
    );
    assert!(page.contains("<del>El Salvador</del>"), "{page}");
    // The article links to the page from its list of sources and from the flagged quote.
    let art = site.read(ARTICLE);
    assert!(
        art.contains(
            r##"<a class="has-copy" href="../../sources/bukele-x-2025-12-23/index.html">"##
        ),
        "{art}"
    );
    assert!(
        art.contains(&format!(
            r##"href="../../sources/bukele-x-2025-12-23/index.html#list-{differs}">Compare with the archived text"##
        )),
        "{art}"
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://news.example.com/sources/bukele-x-2025-12-23/</loc>")
    );
    // Every link of the site, fragments included, leads somewhere.
    assert_eq!(broken_links(&out), Vec::<String>::new());
}

#[test]
fn a_copy_page_claims_its_path_like_every_page() {
    // Two copies whose pages would be one folder.
    let site = Site::new();
    site.file("content/sources/a.md", "Text A.\n");
    site.file("content/sources/a.txt", "Text A.\n");
    site.file(
        "content/articles/x.md",
        &article(
            "sources:\n  one:\n    copy: sources/a.md\n  two:\n    copy: sources/a.txt\n",
            "Body.\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("sources/a/index.html"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/sources/a.md") && run.stderr.contains("content/sources/a.txt"),
        "{}",
        run.stderr
    );
}

fn corrected_site() -> Site {
    let site = Site::new();
    site.file(
        "content/articles/old.md",
        "---\ntitle: Old story\ndate: 2025-01-02\nupdated: 2025-01-05\nannotations:\n  - on: \"twelve bridges\"\n    kind: correction\n    date: 2025-01-05\n    note: \"An earlier version said *ten* bridges.\"\n---\nThe city has twelve bridges.\n",
    );
    site.file(
        "content/articles/new.md",
        "---\ntitle: New story\ndate: 2025-02-01\nannotations:\n  - kind: correction\n    date: 2025-03-01\n    note: \"The headline was changed.\"\n---\nA text.\n",
    );
    site
}

#[test]
fn corrections_are_dated_notices_listed_newest_first_on_a_page_and_a_feed() {
    let site = corrected_site();
    let out = site.build_ok(&["--base-url", "https://news.example.com/"]);
    let old = site.read("articles/old/index.html");
    // A dated notice at the top, linking to the corrected passage.
    let notice = old.find("corrections-notice").unwrap_or(usize::MAX);
    assert!(notice < old.find("article-body").unwrap_or(0), "{old}");
    assert!(
        old.contains(r##"Correction, <time datetime="2025-01-05T00:00:00Z">2025-01-05</time>:</strong> <a href="#passage-twelve-bridges">“twelve bridges”</a>"##),
        "{old}"
    );
    // The side note at the passage carries the date too.
    assert!(
        old.contains(
            r##"Correction, <time datetime="2025-01-05T00:00:00Z">2025-01-05</time></a></p>"##
        ),
        "{old}"
    );
    // JSON-LD: a CorrectionComment with its date and text.
    assert!(
        old.contains(r##""correction":[{"@type":"CorrectionComment","text":"An earlier version said ten bridges.","datePublished":"2025-01-05T00:00:00Z","url":"#note-twelve-bridges"}]"##),
        "{old}"
    );
    // A correction of the whole article is in the notice, not among editor's notes.
    let new = site.read("articles/new/index.html");
    assert!(
        new.contains(r##"<p class="correction" id="note-the-headline-was-changed">"##),
        "{new}"
    );
    assert!(!new.contains("editor-notes"), "{new}");
    // The page: newest correction first, linking to each note.
    let page = site.read("corrections/index.html");
    let (a, b) = (
        page.find("The headline was changed.").unwrap_or(usize::MAX),
        page.find("An earlier version said ten bridges.")
            .unwrap_or(0),
    );
    assert!(a < b, "{page}");
    assert!(
        page.contains(r##"href="../articles/old/index.html#note-twelve-bridges""##),
        "{page}"
    );
    // The feed: the same order, each entry at its note.
    let feed = site.read("corrections/feed.xml");
    let (a, b) = (
        feed.find("<id>https://news.example.com/articles/new/#note-the-headline-was-changed</id>")
            .unwrap_or(usize::MAX),
        feed.find("<id>https://news.example.com/articles/old/#note-twelve-bridges</id>")
            .unwrap_or(0),
    );
    assert!(a < b, "{feed}");
    assert!(
        feed.contains("<updated>2025-03-01T00:00:00Z</updated>"),
        "{feed}"
    );
    // Every page links to the corrections page (the footer).
    assert!(
        site.read("index.html")
            .contains(r##"<a href="./corrections/index.html">Corrections</a>"##)
    );
    assert_eq!(broken_links(&out), Vec::<String>::new());
}

#[test]
fn a_site_without_corrections_has_no_corrections_page() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "Text.\n"));
    let out = site.build_ok(&[]);
    assert!(!out.join("corrections").exists());
    assert!(!site.read("index.html").contains("Corrections"));
}

#[test]
fn updated_before_date_is_an_error_at_updated() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nupdated: 2024-12-30\n---\nText.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/a.md:4:10: error: `updated` `2024-12-30` is before the article's `date` `2025-01-02`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: an update or correction comes after publication")
    );
    assert!(run.stderr.contains("code: E015"), "{}", run.stderr);
}

#[test]
fn a_correction_date_before_the_article_and_a_date_on_another_kind_are_errors() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nannotations:\n  - kind: correction\n    date: 2025-01-01\n    note: x\n  - kind: context\n    date: 2025-01-03\n    note: y\n---\nText.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "a.md:6:11: error: a correction's `date` `2025-01-01` is before the article's `date` `2025-01-02`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a.md:9:5: error: `date` on a context annotation"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_quote_in_several_articles_is_one_quote_with_its_appearances() {
    let site = Site::new();
    let quoted = |date: &str, text: &str| {
        format!(
            "---\ntitle: Story of {date}\ndate: {date}\nspeakers: [jane-doe]\nquotes:\n  - speaker: jane-doe\n    text: \"{text}\"\n  - speaker: jane-doe\n    text: \"Something else on {date}\"\n  - speaker: jane-doe\n    text: \"A disputed line.\"\n    status: disputed\n---\nBody.\n"
        )
    };
    // The same words, written with other quotation marks, dashes and final punctuation.
    site.file(
        "content/articles/a.md",
        &quoted("2025-01-01", "We will 'build' it - soon."),
    );
    site.file(
        "content/articles/b.md",
        &quoted("2025-01-02", "We will “build” it — soon"),
    );
    site.file(
        "content/articles/c.md",
        &quoted("2025-01-03", "We will ‘build’ it – soon!"),
    );
    site.build_ok(&[]);
    let person = site.read("people/jane-doe/index.html");
    // 9 quotes written, 5 distinct.
    assert!(person.contains("Quoted 5 times in 3 articles"), "{person}");
    // The disputed one is listed apart once, with the articles repeating it.
    let disputed = &person[person.find("disputed-heading").unwrap_or(0)..];
    let disputed = &disputed[..disputed.find("</section>").unwrap_or(0)];
    assert_eq!(
        disputed.matches("A disputed line.").count(),
        1,
        "{disputed}"
    );
    assert!(disputed.contains("Also quoted in"), "{disputed}");
    let quotes = site.read("quotes/index.html");
    assert_eq!(
        quotes
            .matches(r##"<li class="quote quote-sourced""##)
            .count(),
        4
    );
    assert_eq!(
        quotes
            .matches(r##"<li class="quote quote-disputed""##)
            .count(),
        1
    );
    // Listed once, from its newest article, with the two others.
    assert_eq!(
        quotes.matches("We will ‘build’ it – soon!").count(),
        1,
        "{quotes}"
    );
    assert!(!quotes.contains("We will “build” it — soon"), "{quotes}");
    assert!(
        quotes.contains(r##"Also quoted in <a href="../articles/b/index.html#quote-jane-doe-we-will-build-it-soon">Story of 2025-01-02</a>"##),
        "{quotes}"
    );
    assert!(quotes.contains("Story of 2025-01-01</a>"), "{quotes}");
    // The article's own list names the other articles using its quote.
    let a = site.read("articles/a/index.html");
    assert!(a.contains("Also quoted in"), "{a}");
    assert!(
        site.read("index.html")
            .contains(r##"<a href="./quotes/index.html">Quotes</a> <span class="count">5</span>"##),
        "the home page counts distinct quotes"
    );
}
