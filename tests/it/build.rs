//! Whole builds: the pages of DESIGN.md §5 exist, links resolve, feeds parse, output is
//! deterministic, drafts and deletions behave.

use crate::util::{Site, article, broken_links, gen_corpus, jsonld_of, succeed, tree};

#[test]
fn the_sample_builds_every_page_of_the_url_map() {
    let site = Site::sample();
    let out = site.build_ok(&[]);
    for page in [
        "index.html",
        "articles/bukele-dares-clinton-prison-population/index.html",
        "people/index.html",
        "people/nayib-bukele/index.html",
        "quotes/index.html",
        "topics/index.html",
        "topics/cecot/index.html",
        "outlets/index.html",
        "outlets/fox-news/index.html",
        "archive/index.html",
        "archive/2025/index.html",
        "archive/2025/12/index.html",
        "feed.xml",
        "topics/cecot/feed.xml",
        "people/nayib-bukele/feed.xml",
        "sitemap.xml",
        "404.html",
        "annotations.jsonld",
        "about/index.html",
        "style.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let problems = broken_links(&out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn feeds_and_sitemap_are_well_formed_xml() {
    let site = Site::sample();
    let out = site.build_ok(&["--base-url", "https://news.example.com/sub"]);
    for file in [
        "feed.xml",
        "topics/cecot/feed.xml",
        "people/nayib-bukele/feed.xml",
        "sitemap.xml",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => elements += 1,
                Ok(_) => {}
                Err(e) => panic!("{file} is not well-formed: {e}"),
            }
        }
        assert!(elements > 3, "{file} is nearly empty");
        assert!(
            text.contains("https://news.example.com/sub/"),
            "{file} lacks absolute URLs from --base-url"
        );
    }
    let feed = site.read("feed.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    assert!(
        feed.contains(
            "https://news.example.com/sub/articles/bukele-dares-clinton-prison-population/"
        ),
        "{feed}"
    );
    let jsonld: serde_json::Value =
        serde_json::from_str(&site.read("annotations.jsonld")).unwrap_or_default();
    assert_eq!(jsonld["type"], "AnnotationCollection");
}

#[test]
fn one_thread_and_many_give_the_same_bytes() {
    let site = Site::new();
    // Enough articles, people, topics and quotes for every parallel stage to split.
    for i in 0..120 {
        site.file(
            &format!("content/articles/a{i:03}.md"),
            &format!(
                "---\ntitle: Article {i}\ndate: 2025-{:02}-{:02}\ntopics: [t{}, t{}]\nmentions: [p{}]\nspeakers: [p{}]\nquotes:\n  - speaker: p{}\n    text: Words number {i}\n---\nHere are Words number {i}, said p{}.\n",
                i % 12 + 1,
                i % 28 + 1,
                i % 5,
                i % 3,
                i % 7,
                i % 4,
                i % 4,
                i % 4
            ),
        );
    }
    for (threads, out) in [("1", "one"), ("8", "eight")] {
        let run = site.run_with(
            &["build", "--output", out],
            &[("RAYON_NUM_THREADS", threads)],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let (one, eight) = (
        tree(&site.path().join("one")),
        tree(&site.path().join("eight")),
    );
    assert!(one.len() > 150, "{} files", one.len());
    let differ: Vec<&String> = one
        .iter()
        .filter(|(path, bytes)| eight.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty() && one.len() == eight.len(),
        "differ: {differ:?}"
    );
}

#[test]
fn two_builds_give_the_same_bytes() {
    let site = Site::sample();
    site.build_ok(&["--output", "one"]);
    site.build_ok(&["--output", "two"]);
    let (one, two) = (
        tree(&site.path().join("one")),
        tree(&site.path().join("two")),
    );
    assert!(one.len() > 20);
    assert!(one == two, "outputs differ");
}

/// Issue 14: two builds of a generated 1,000-article archive are byte-identical
/// folders, every file included, and none of gloss's records is among them.
#[test]
fn two_builds_of_a_generated_archive_are_identical_folders_holding_only_the_site() {
    let site = Site::new();
    let corpus = site.path().join("corpus");
    gen_corpus(1000, &corpus);
    for out in ["one", "two"] {
        succeed(
            std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
                .args(["-q", "build", "--root"])
                .arg(&corpus)
                .args(["--output", out])
                .current_dir(&corpus),
        );
    }
    let (one, two) = (tree(&corpus.join("one")), tree(&corpus.join("two")));
    assert!(one.len() > 1000, "{} files", one.len());
    let differ: Vec<&String> = one
        .iter()
        .filter(|(path, bytes)| two.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty() && one.len() == two.len(),
        "differ: {differ:?}"
    );
    let records: Vec<&String> = one.keys().filter(|p| p.contains(".gloss")).collect();
    assert!(records.is_empty(), "bookkeeping in the output: {records:?}");
    assert!(corpus.join(".gloss/.gitignore").is_file());
}

#[test]
fn a_rebuild_writes_nothing_and_a_deleted_article_leaves_no_page() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "A body.\n"));
    site.file(
        "content/articles/b.md",
        &article("topics: [only-b]\n", "B body.\n"),
    );
    let out = site.build_ok(&[]);
    assert!(out.join("articles/b/index.html").is_file());
    assert!(out.join("topics/only-b/index.html").is_file());
    // Saved again with the same text: a full build, whose files are all already right.
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.file("content/articles/a.md", &article("", "A body.\n"));
    let again = site.run(&["build"]);
    assert!(again.stderr.contains("(0 written"), "{}", again.stderr);
    std::fs::remove_file(site.path().join("content/articles/b.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    site.build_ok(&[]);
    assert!(
        !out.join("articles/b").exists(),
        "stale article page left behind"
    );
    assert!(
        !out.join("topics/only-b").exists(),
        "stale topic page left behind"
    );
    assert!(out.join("articles/a/index.html").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "A body.\n"));
    let out = site.build_ok(&[]);
    let before = tree(&out);
    site.file("content/articles/a.md", "---\ntitle: broken\n---\n");
    assert_eq!(site.run(&["build"]).code, 1);
    assert!(tree(&out) == before, "output changed after a failed build");
}

#[test]
fn drafts_are_built_only_with_the_flag() {
    let site = Site::new();
    site.file(
        "content/articles/d.md",
        &article("draft: true\n", "Draft.\n"),
    );
    let out = site.build_ok(&[]);
    assert!(!out.join("articles/d").exists());
    site.build_ok(&["--drafts"]);
    assert!(out.join("articles/d/index.html").is_file());
}

#[test]
fn links_are_relative_and_pretty_urls_drop_index_html() {
    let site = Site::new();
    site.file(
        "site.yaml",
        "pretty_urls: true\npermalinks:\n  article: /{year}/{month}/{slug}/\n",
    );
    site.file(
        "content/articles/a.md",
        &article("mentions: [jane-doe]\n", "See [Jane](person:jane-doe).\n"),
    );
    let out = site.build_ok(&[]);
    let html = std::fs::read_to_string(out.join("2025/01/a/index.html")).unwrap_or_default();
    assert!(
        html.contains(r#"href="../../../people/jane-doe/""#),
        "{html}"
    );
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article(
            "",
            "Hello <script>alert(1)</script>\n\n<iframe src=x></iframe>\n",
        ),
    );
    let out = site.build_ok(&[]);
    let html = std::fs::read_to_string(out.join("articles/a/index.html")).unwrap_or_default();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
    site.file("site.yaml", "markdown:\n  unsafe_html: true\n");
    site.build_ok(&[]);
    let html = std::fs::read_to_string(out.join("articles/a/index.html")).unwrap_or_default();
    assert!(html.contains("<iframe src=x></iframe>"), "{html}");
}

#[test]
fn pagination_splits_long_lists() {
    let site = Site::new();
    site.file("site.yaml", "paginate: 2\n");
    for i in 1..=5 {
        site.file(
            &format!("content/articles/a{i}.md"),
            &format!("---\ntitle: A{i}\ndate: 2025-01-0{i}\ntopics: [t]\n---\nBody.\n"),
        );
    }
    let out = site.build_ok(&[]);
    for page in [
        "page/2/index.html",
        "page/3/index.html",
        "topics/t/page/3/index.html",
        "archive/2025/01/page/3/index.html",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    assert!(!out.join("page/4").exists());
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn init_and_new_article_make_a_site_that_builds() {
    let site = Site::new();
    assert_eq!(site.run(&["init", "mysite"]).code, 0);
    let run = site.run(&[
        "--root",
        "mysite",
        "new",
        "article",
        "Court orders due process",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["--root", "mysite", "build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.path().join("mysite/public");
    assert!(
        out.join("articles/court-orders-due-process/index.html")
            .is_file()
    );
    assert!(out.join("people/jane-editor/index.html").is_file());
    // Again: nothing to add, and nothing replaced.
    let before = crate::util::tree(&site.path().join("mysite/content"));
    let run = site.run(&["init", "mysite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("nothing to add"), "{}", run.stderr);
    assert_eq!(
        crate::util::tree(&site.path().join("mysite/content")),
        before
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let site = Site::new();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no gloss site"), "{}", run.stderr);
}

#[test]
fn a_build_without_a_terminal_prints_no_progress_line() {
    let site = Site::sample();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for stage in ["loading", "linking", "rendering", "writing"] {
        assert!(
            !run.stderr.contains(stage),
            "progress in a pipe: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("built 3 articles"), "{}", run.stderr);
}

#[test]
fn a_build_with_nothing_changed_is_skipped_until_something_does() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "A body.\n"));
    // Saved just now: a second save in the same clock tick could go unseen, so the
    // build after this one is not skipped.
    let first = site.run(&["build"]);
    assert!(!first.stderr.contains("warning"), "{}", first.stderr);
    let out = site.path().join("public");
    let skipped = |run: &crate::util::Run| run.stderr.contains("nothing changed");
    assert!(!skipped(&site.run(&["build"])));
    site.settle();
    assert!(!skipped(&site.run(&["build"])));
    assert!(skipped(&site.run(&["build"])));
    // An edit is seen (a later modification time).
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.file("content/articles/a.md", &article("", "An edited body.\n"));
    assert!(!skipped(&site.run(&["build"])));
    assert!(
        site.read("articles/a/index.html")
            .contains("An edited body.")
    );
    // A damaged output is rebuilt.
    std::fs::remove_file(out.join("articles/a/index.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!skipped(&site.run(&["build"])));
    assert!(out.join("articles/a/index.html").is_file());
    // Other options are another build.
    site.settle();
    assert!(!skipped(&site.run(&[
        "build",
        "--base-url",
        "https://other.example/"
    ])));
    assert!(skipped(&site.run(&[
        "build",
        "--base-url",
        "https://other.example/"
    ])));
}

#[test]
fn a_skipped_build_shows_the_warnings_of_the_build_that_made_the_output() {
    let site = Site::sample();
    site.settle();
    let first = site.run(&["build"]);
    let warnings = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.contains("warning") || l.starts_with("  "))
            .filter(|l| !l.contains("nothing changed"))
            .map(str::to_string)
            .collect()
    };
    assert!(first.stderr.contains("warning"), "{}", first.stderr);
    let again = site.run(&["build"]);
    assert!(again.stderr.contains("nothing changed"), "{}", again.stderr);
    assert_eq!(warnings(&again.stderr), warnings(&first.stderr));
    let json = site.run(&["build", "--format", "json"]);
    assert!(json.stderr.contains("nothing changed"), "{}", json.stderr);
    assert!(json.stdout.contains("\"severity\""), "{}", json.stdout);
    // A damaged or missing record of them: the build runs, to show them.
    let record = site.path().join(".gloss/outputs");
    let files: Vec<_> = walkdir::WalkDir::new(&record)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "warnings")
        .map(|e| e.into_path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::write(&files[0], b"[]").unwrap_or_else(|e| panic!("{e}"));
    let rebuilt = site.run(&["build"]);
    assert!(
        !rebuilt.stderr.contains("nothing changed"),
        "{}",
        rebuilt.stderr
    );
    assert_eq!(warnings(&rebuilt.stderr), warnings(&first.stderr));
    std::fs::remove_file(&files[0]).unwrap_or_else(|e| panic!("{e}"));
    let rebuilt = site.run(&["build"]);
    assert!(
        !rebuilt.stderr.contains("nothing changed"),
        "{}",
        rebuilt.stderr
    );
    assert!(site.run(&["build"]).stderr.contains("nothing changed"));
}

#[test]
fn a_topic_lists_its_most_frequent_people_not_all_of_them() {
    let site = Site::new();
    // p00 is in every article, p01..p34 in one each: 35 people on the topic.
    for i in 1..35 {
        site.file(
            &format!("content/articles/a{i:02}.md"),
            &article(
                &format!("topics: [t]\nmentions: [p00, p{i:02}]\n"),
                "Text.\n",
            ),
        );
    }
    site.build_ok(&[]);
    let page = site.read("topics/t/index.html");
    let related = &page[page.find("id=\"related-heading\"").unwrap_or(0)..];
    assert!(related.contains("The 30 most frequent of 35"), "{related}");
    assert_eq!(related.matches("people/p").count(), 30);
    assert!(
        related.contains("people/p00/"),
        "the most frequent is listed first"
    );
}

#[test]
fn every_page_kind_has_json_ld_of_its_schema_org_type() {
    let site = Site::sample();
    site.build_ok(&["--base-url", "https://news.example.com/"]);
    for (page, kind) in [
        ("index.html", "CollectionPage"),
        (
            "articles/bukele-dares-clinton-prison-population/index.html",
            "NewsArticle",
        ),
        ("people/index.html", "CollectionPage"),
        ("people/nayib-bukele/index.html", "ProfilePage"),
        ("topics/cecot/index.html", "CollectionPage"),
        ("outlets/fox-news/index.html", "CollectionPage"),
        ("quotes/index.html", "CollectionPage"),
        ("archive/index.html", "CollectionPage"),
        ("archive/2025/12/index.html", "CollectionPage"),
        ("about/index.html", "WebPage"),
        ("search/index.html", "WebPage"),
        ("404.html", "WebPage"),
    ] {
        let blocks = jsonld_of(&site.read(page));
        assert_eq!(blocks[0]["@context"], "https://schema.org", "{page}");
        assert_eq!(blocks[0]["@type"], kind, "{page}");
        // Article and entity pages say where they sit: a BreadcrumbList ending at them.
        let trail = page.matches('/').count() == 2; // articles/x/, people/x/, topics/x/, …
        assert_eq!(blocks.len(), if trail { 2 } else { 1 }, "{page}");
        if trail {
            let crumbs = blocks[1]["itemListElement"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(blocks[1]["@type"], "BreadcrumbList");
            assert_eq!(crumbs[0]["item"], "https://news.example.com/");
            // The last crumb is the page itself: no `item`, its URL is the page's
            // (issue 19: not written a third time after canonical and `url`).
            let last = &crumbs[crumbs.len() - 1];
            assert!(last["item"].is_null(), "{page}: {last}");
            let name = if kind == "NewsArticle" {
                "headline"
            } else {
                "name"
            };
            assert_eq!(last["name"], blocks[0][name], "{page}: {last}");
            assert_eq!(last["position"], crumbs.len());
            assert!(
                crumbs[..crumbs.len() - 1].iter().all(|c| c["item"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://"))),
                "{page}: {crumbs:?}"
            );
        }
    }
    let article =
        &jsonld_of(&site.read("articles/bukele-dares-clinton-prison-population/index.html"))[0];
    assert_eq!(
        article["url"],
        "https://news.example.com/articles/bukele-dares-clinton-prison-population/"
    );
    let quotes = article["hasPart"].as_array().cloned().unwrap_or_default();
    assert!(!quotes.is_empty(), "{article}");
    let citations = article["citation"].as_array().cloned().unwrap_or_default();
    // A quote names its source by reference to one of the citations (the source's entry
    // in the page's list of sources), not by a second copy of it; the reference is a
    // fragment, which resolves against the page (issue 19: the article's URL is not
    // repeated in every citation, quote and review).
    let source = quotes[0]["isBasedOn"]["@id"].as_str().unwrap_or_default();
    assert!(
        source.starts_with("#source-"),
        "the quote's source: {source}"
    );
    assert!(
        quotes
            .iter()
            .all(|q| q["url"].as_str().is_some_and(|u| u.starts_with("#quote-"))),
        "{quotes:?}"
    );
    assert!(
        citations.iter().any(|c| c["@id"] == source),
        "{source} is one of {citations:?}"
    );
    assert_eq!(quotes[0]["isBasedOn"].as_object().map(|o| o.len()), Some(1));
    for q in &quotes {
        assert_eq!(q["@type"], "Quotation");
        assert_eq!(q["spokenByCharacter"]["@type"], "Person");
        assert!(q["text"].as_str().is_some_and(|t| !t.is_empty()), "{q}");
    }
    assert!(
        citations.iter().all(|c| c["@type"] == "CreativeWork"),
        "{article}"
    );
    assert!(citations.iter().any(|c| c["url"].is_string()), "{article}");
    let reviews = article["review"].as_array().cloned().unwrap_or_default();
    assert_eq!(reviews.len(), 1, "the one rated fact-check: {article}");
    assert_eq!(reviews[0]["@type"], "ClaimReview");
    assert_eq!(reviews[0]["itemReviewed"]["@type"], "Claim");
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "Misquoted");
    // Where the claim appeared: references to the citations, not copies of them.
    let appearance = reviews[0]["itemReviewed"]["appearance"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!appearance.is_empty(), "{article}");
    for place in &appearance {
        assert_eq!(place.as_object().map(|o| o.len()), Some(1), "{place}");
        assert!(
            citations.iter().any(|c| c["@id"] == place["@id"]),
            "{place}"
        );
    }
    assert!(
        reviews[0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("#note-")),
        "{article}"
    );
    assert_eq!(
        reviews[0]["claimReviewed"],
        "Bukele wrote: \"Until then, El Salvador will continue prioritizing the human rights of the millions of Salvadorans who today live free from gang rule.\"",
        "the sample's `claim:`"
    );
    let person = &jsonld_of(&site.read("people/nayib-bukele/index.html"))[0];
    assert_eq!(person["mainEntity"]["@type"], "Person");
    assert_eq!(person["mainEntity"]["name"], "Nayib Bukele");
}

#[test]
fn a_person_page_shows_the_sentence_naming_them_escaped_with_the_name_marked() {
    let site = Site::new();
    site.file(
        "content/people/jane-doe.md",
        "---\nname: Jane Q. Doe\naliases: [JQD]\n---\nA person.\n",
    );
    let mentions = "mentions: [jane-doe]\ntopics: [t]\n";
    for (slug, body) in [
        // The full name, its sentence bounded by the one before and the one after; text
        // that looks like HTML stays text.
        (
            "full",
            "# Reaction\n\nThe board met. Critics of AT&T said Jane Q. Doe will &lt;win&gt; today. Nobody agreed.\n",
        ),
        // An alias before the surname.
        ("alias", "Analysts doubt it. JQD replied. Doe agreed.\n"),
        // The surname alone, in any case.
        ("surname", "A heading\n\nThen DOE spoke.\n"),
        // Not named in the text: no sentence.
        ("unnamed", "Nobody is named here.\n"),
    ] {
        site.file(
            &format!("content/articles/{slug}.md"),
            &article(mentions, body),
        );
    }
    site.build_ok(&[]);
    let page = site.read("people/jane-doe/index.html");
    for naming in [
        "<p class=\"naming\">Critics of AT&amp;T said <mark>Jane Q. Doe</mark> will &lt;win&gt; today.</p>",
        "<p class=\"naming\"><mark>JQD</mark> replied.</p>",
        "<p class=\"naming\">Then <mark>DOE</mark> spoke.</p>",
    ] {
        assert!(page.contains(naming), "missing {naming} in {page}");
    }
    assert_eq!(page.matches("class=\"naming\"").count(), 3, "{page}");
    assert!(!page.contains("<win>"), "{page}");
    // Only a person's page shows it.
    assert!(
        !site
            .read("topics/t/index.html")
            .contains("class=\"naming\"")
    );
}

/// Issue 18, item 5: the sentence naming a person follows the sentence rules of the
/// site's language (its abbreviations), and is found in text without spaces.
#[test]
fn a_naming_sentence_follows_the_site_language() {
    let naming = |language: &str, name: &str, body: &str| {
        let site = Site::new();
        site.file("site.yaml", &format!("language: {language}\n"));
        site.file(
            "content/people/p.md",
            &format!("---\nname: {name}\n---\nA person.\n"),
        );
        site.file("content/articles/a.md", &article("mentions: [p]\n", body));
        site.build_ok(&[]);
        let page = site.read("people/p/index.html");
        let open = "<p class=\"naming\">";
        let start = page.find(open).map_or(0, |i| i + open.len());
        let end = page[start..].find("</p>").map_or(start, |i| start + i);
        page[start..end].to_string()
    };
    let spanish = "Llegó tarde. La Sra. Díaz habló con el Dr. Ruiz. Fin.";
    assert_eq!(
        naming("es-MX", "María Díaz", spanish),
        "La Sra. <mark>Díaz</mark> habló con el Dr. Ruiz."
    );
    // English rules do not know `Sra.`: the sentence starts after it.
    assert_eq!(
        naming("en", "María Díaz", spanish),
        "<mark>Díaz</mark> habló con el Dr. Ruiz."
    );
    assert_eq!(
        naming("zh", "习近平", "会议开始了。习近平说我们将继续。然后散会。"),
        "<mark>习近平</mark>说我们将继续。"
    );
}

#[test]
fn the_search_index_covers_every_document_in_small_consistent_files() {
    let site = Site::sample();
    let out = site.build_ok(&[]);
    let json = |rel: &str| -> serde_json::Value {
        serde_json::from_str(&site.read(&format!("search/{rel}")))
            .unwrap_or_else(|e| panic!("search/{rel}: {e}"))
    };
    let meta = json("meta.json");
    let docs = meta["docs"].as_u64().unwrap_or_default();
    let bits = meta["field_bits"].as_u64().unwrap_or_default();
    // 3 articles, 6 people, 4 topics, 4 outlets.
    assert_eq!(docs, 17);
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|k| {
                k.iter()
                    .filter_map(|k| Some(k.as_str()?.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let file_name = |key: &str| {
        if key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            key.to_string()
        } else {
            key.bytes()
                .fold("_".to_string(), |s, b| format!("{s}{b:02x}"))
        }
    };
    // The short keys are in meta.json; a crowded prefix's keys in its key file.
    let mut keys = strings(&meta["keys"]);
    for root in strings(&meta["split"]) {
        let listed = strings(&json(&format!("k/{}.json", file_name(&root))));
        assert!(!listed.is_empty() && listed.iter().all(|k| k.starts_with(&root)));
        keys.extend(listed);
    }
    keys.sort_unstable();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys unique");
    // A document set: differences, or a base64 bitmap.
    let set_docs = |set: &serde_json::Value| -> Vec<u64> {
        use base64::Engine as _;
        match set.as_str() {
            Some(bitmap) => {
                let bits = base64::engine::general_purpose::STANDARD
                    .decode(bitmap)
                    .unwrap_or_default();
                (0..docs)
                    .filter(|&d| bits[d as usize / 8] >> (d % 8) & 1 == 1)
                    .collect()
            }
            None => {
                let mut d = 0;
                set.as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| {
                        d += x.as_u64().unwrap_or_default();
                        d
                    })
                    .collect()
            }
        }
    };
    let mut found = std::collections::BTreeMap::new();
    let mut words = std::collections::BTreeMap::new();
    for key in &keys {
        let shard = json(&format!("t/{}.json", file_name(key)));
        for (word, stems) in shard["w"].as_object().into_iter().flatten() {
            assert!(word.starts_with(key), "{word} in shard {key}");
            words.insert(
                word.clone(),
                stems[0].as_str().unwrap_or_default().to_string(),
            );
        }
        for (term, entry) in shard["t"].as_object().into_iter().flatten() {
            assert!(term.starts_with(key), "{term} in shard {key}");
            let mut doc = 0;
            let mut docs_of_term = Vec::new();
            for p in entry[1].as_array().into_iter().flatten() {
                let p = p.as_u64().unwrap_or_default();
                doc += p >> bits;
                assert!(doc < docs, "{term}: document {doc} of {docs}");
                assert!(
                    p & ((1 << bits) - 1) != 0,
                    "{term}: a posting without a field"
                );
                docs_of_term.push(doc);
            }
            // A term in many documents: a document set per field it is in.
            if let Some(sets) = entry[1].as_object() {
                let mut all: Vec<u64> = sets.values().flat_map(set_docs).collect();
                all.sort_unstable();
                all.dedup();
                assert!(all.iter().all(|&d| d < docs), "{term}");
                docs_of_term = all;
            }
            assert_eq!(entry[0], docs_of_term.len(), "{term}: its document count");
            found.insert(term.clone(), docs_of_term);
        }
    }
    // A word as written finds its stem's documents (the word table).
    let docs_of = |word: &str| -> Vec<u64> {
        let term = words.get(word).map_or(word, String::as_str);
        found.get(term).cloned().unwrap_or_default()
    };
    let doc = |id: u64| -> serde_json::Value { json(&format!("d/{id}.json")) };
    // The person's own document and the articles naming them; folded and accent-free.
    let bukele: Vec<String> = docs_of("bukele")
        .iter()
        .map(|&d| doc(d)["h"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(bukele.contains(&"people/nayib-bukele/index.html".to_string()));
    assert!(bukele.iter().filter(|h| h.starts_with("articles/")).count() >= 2);
    assert!(!docs_of("jose").is_empty() && !found.contains_key("josé"));
    assert!(!found.contains_key("the"), "stop words are not indexed");
    // Quotes are kept whole enough to show, with their speaker, fragment and number.
    let article = doc(docs_of("firsthand")[0]);
    let quote = &article["q"][0];
    assert!(
        quote[0].as_str().is_some_and(|t| t.contains("firsthand")),
        "{article}"
    );
    assert!(
        quote[2].as_str().is_some_and(|f| f.starts_with("quote-")),
        "{article}"
    );
    assert_eq!(quote[3], 1);
    // The body's text is there, for snippets and phrases.
    assert!(
        article["x"].as_array().is_some_and(|x| !x.is_empty()),
        "{article}"
    );
    // Every link of a document leads to a page of the site.
    for id in 0..docs {
        let href = doc(id)["h"].as_str().unwrap_or_default().to_string();
        assert!(out.join(&href).is_file(), "{href}");
    }
}
