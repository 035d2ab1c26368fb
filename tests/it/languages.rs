//! Issue 18 items 1-3: languages of pages and elements, interface strings and dates per
//! language, translations with hreflang alternates, per-language indexes and feeds, on
//! the three-language fixture `tests/fixtures/multilingual/` (English, Spanish, Arabic).

use std::path::Path;

use crate::util::{Site, copy_dir, tree};

/// A copy of the multilingual fixture.
pub(crate) fn multilingual() -> Site {
    let site = Site::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual");
    copy_dir(&fixture, site.path());
    site
}

/// The `<html …>` tag of a page.
fn html_tag(page: &str) -> &str {
    let start = page
        .find("<html")
        .unwrap_or_else(|| panic!("no <html> in {page}"));
    let end = page[start..]
        .find('>')
        .map_or(page.len(), |e| start + e + 1);
    &page[start..end]
}

/// The `<main>` of a page.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").unwrap_or(0);
    let end = page.find("</main>").unwrap_or(page.len());
    &page[start..end]
}

#[test]
fn each_page_has_the_language_and_direction_of_its_content() {
    let site = multilingual();
    site.build_ok(&[]);
    for (page, tag) in [
        ("index.html", r#"<html lang="en">"#),
        ("articles/prison-offer/index.html", r#"<html lang="en">"#),
        ("articles/prison-offer-es/index.html", r#"<html lang="es">"#),
        (
            "articles/prison-offer-ar/index.html",
            r#"<html lang="ar" dir="rtl">"#,
        ),
        // A profile and a page in Spanish; a language's own lists in it.
        ("people/nayib-bukele/index.html", r#"<html lang="es">"#),
        ("acerca/index.html", r#"<html lang="es">"#),
        ("es/index.html", r#"<html lang="es">"#),
        ("ar/archive/index.html", r#"<html lang="ar" dir="rtl">"#),
        ("topics/prisons/index.html", r#"<html lang="en">"#),
    ] {
        assert_eq!(html_tag(&site.read(page)), tag, "{page}");
    }
}

#[test]
fn elements_in_another_language_than_their_page_say_so() {
    let site = multilingual();
    site.build_ok(&[]);
    // The home page (English) lists cards of all three languages.
    let home = site.read("index.html");
    assert!(home.contains(r#"<li class="card" lang="es">"#), "{home}");
    assert!(
        home.contains(r#"<li class="card" lang="ar" dir="rtl">"#),
        "{home}"
    );
    assert!(
        home.contains("<li class=\"card\">\n"),
        "English cards carry nothing"
    );
    // A Spanish quote in the English article's list of quotes.
    let en = site.read("articles/prison-offer/index.html");
    // (Its words link to their place in the text, issue 19.)
    let quoted = |html: &str, open: &str, words: &str| {
        html.split(open).skip(1).any(|rest| {
            crate::util::visible(&rest[..rest.find("</p>").unwrap_or(0)]).starts_with(words)
        })
    };
    assert!(
        quoted(
            &en,
            r#"<blockquote class="quote-text" lang="es">"#,
            "Estamos dispuestos"
        ),
        "{en}"
    );
    // An English quote in the Arabic article turns the direction back.
    let ar = site.read("articles/prison-offer-ar/index.html");
    assert!(
        quoted(
            &ar,
            r#"<blockquote class="quote-text" lang="en" dir="ltr">"#,
            "We are willing"
        ),
        "{ar}"
    );
    // The Spanish role of a profile, and the English topic name, on the Arabic page.
    assert!(
        ar.contains(r#"<span class="role" lang="es" dir="ltr">Presidente de El Salvador</span>"#)
    );
    assert!(
        ar.contains(r#"rel="tag" lang="en" dir="ltr">Prisons</a>"#),
        "{ar}"
    );
    // The site's English title on a Spanish list.
    let es = site.read("es/index.html");
    assert!(es.contains(r#"<p class="site-title" lang="en">"#), "{es}");
}

#[test]
fn interface_strings_and_dates_are_in_the_page_language() {
    let site = multilingual();
    site.build_ok(&[]);
    let en = site.read("articles/prison-offer/index.html");
    let es = site.read("articles/prison-offer-es/index.html");
    let ar = site.read("articles/prison-offer-ar/index.html");
    for (page, words) in [
        (
            &en,
            [
                "23 December 2025",
                ">Quotes</h2>",
                ">Sources</h2>",
                "Skip to content",
            ],
        ),
        (
            &es,
            [
                "23 de diciembre de 2025",
                ">Citas</h2>",
                ">Fuentes</h2>",
                "Ir al contenido",
            ],
        ),
        (
            &ar,
            [
                "23 ديسمبر 2025",
                ">اقتباسات</h2>",
                ">المصادر</h2>",
                "انتقل إلى المحتوى",
            ],
        ),
    ] {
        for w in words {
            assert!(page.contains(w), "{w} missing");
        }
    }
    // Plural forms: the Spanish profile's page counts in Spanish.
    let person = site.read("people/nayib-bukele/index.html");
    assert!(
        person.contains("Citado 3 veces en 3 artículos"),
        "{}",
        main_of(&person)
    );
    // Month names of the archive in each language's own lists.
    assert!(
        site.read("es/archive/index.html")
            .contains("diciembre de 2025")
    );
    assert!(
        site.read("ar/archive/2025/12/index.html")
            .contains("<h1>ديسمبر 2025")
    );
    assert!(site.read("archive/index.html").contains("December 2025"));
    // No English left on an Arabic page's interface (the article's own words aside).
    let shown = crate::util::visible(main_of(&ar));
    for english in [
        "Quotes",
        "Sources",
        "Topics:",
        "See it in the text",
        "December",
    ] {
        assert!(!shown.contains(english), "{english:?} on the Arabic page");
    }
}

#[test]
fn translations_link_each_other_and_carry_hreflang_alternates() {
    let site = multilingual();
    site.build_ok(&[]);
    let base = "https://archive.example.org/articles/";
    // Named on the English side only: every version links every other.
    for (page, others) in [
        ("prison-offer", ["prison-offer-ar", "prison-offer-es"]),
        ("prison-offer-es", ["prison-offer", "prison-offer-ar"]),
        ("prison-offer-ar", ["prison-offer", "prison-offer-es"]),
    ] {
        let html = site.read(&format!("articles/{page}/index.html"));
        for (lang, slug) in [
            ("en", "prison-offer"),
            ("es", "prison-offer-es"),
            ("ar", "prison-offer-ar"),
        ] {
            let link = format!(r#"<link rel="alternate" hreflang="{lang}" href="{base}{slug}/">"#);
            assert!(html.contains(&link), "{page}: {link}");
        }
        // x-default: the version in the site's language.
        assert!(html.contains(&format!(
            r#"<link rel="alternate" hreflang="x-default" href="{base}prison-offer/">"#
        )));
        for other in others {
            assert!(
                html.contains(&format!("../../articles/{other}/index.html\" hreflang=")),
                "{page} links {other}"
            );
        }
    }
    // Each language named in itself.
    let en = site.read("articles/prison-offer/index.html");
    assert!(
        en.contains(r#"hreflang="es" lang="es" rel="alternate""#),
        "{en}"
    );
    assert!(en.contains(">Español</a>") && en.contains(">العربية</a>"));
    // JSON-LD names each version's language.
    let es = site.read("articles/prison-offer-es/index.html");
    let blocks = crate::util::jsonld_of(&es);
    assert!(
        blocks
            .iter()
            .any(|b| b["@type"] == "NewsArticle" && b["inLanguage"] == "es"),
        "{blocks:?}"
    );
    // An article without versions has no alternates.
    assert!(
        !site
            .read("articles/water-rates/index.html")
            .contains("hreflang=\"es\" href")
    );
}

#[test]
fn each_language_has_its_own_home_archive_indexes_and_feed() {
    let site = multilingual();
    let out = site.build_ok(&[]);
    let es = site.read("es/index.html");
    assert!(es.contains("prison-offer-es/") && es.contains("tarifas-agua/"));
    assert!(!es.contains("water-rates/") && !es.contains("articles/prison-offer/"));
    // The site's home lists every language.
    let home = site.read("index.html");
    for slug in [
        "prison-offer",
        "prison-offer-es",
        "prison-offer-ar",
        "water-rates",
        "tarifas-agua",
    ] {
        assert!(
            home.contains(&format!("articles/{slug}/index.html")),
            "{slug}"
        );
    }
    // Home, archive and indexes name each other's languages (x-default: all of them).
    for page in ["index.html", "es/index.html", "ar/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains(
                r#"<link rel="alternate" hreflang="es" href="https://archive.example.org/es/">"#
            ),
            "{page}"
        );
        assert!(
            html.contains(
                r#"<link rel="alternate" hreflang="x-default" href="https://archive.example.org/">"#
            ),
            "{page}"
        );
    }
    let people = site.read("es/people/index.html");
    assert!(people.contains(">Personas</h1>") && people.contains("Nayib Bukele"));
    assert!(
        site.read("ar/archive/index.html")
            .contains("ar/archive/2025/12/index.html")
    );
    // A feed per language, in that language, with only its articles.
    let feed = site.read("es/feed.xml");
    assert!(feed.contains(r#"xml:lang="es""#), "{feed}");
    assert_eq!(feed.matches("<entry").count(), 2, "{feed}");
    assert!(site.read("es/index.html").contains(
        r#"type="application/atom+xml" title="Multilingual archive" href="../es/feed.xml""#
    ));
    // The site's feed marks each entry in another language.
    let all = site.read("feed.xml");
    assert!(all.contains(r#"<entry xml:lang="ar">"#), "{all}");
    assert!(out.join("en/feed.xml").is_file() && out.join("ar/feed.xml").is_file());
    // Every link of the site resolves, the new folders included.
    assert_eq!(crate::util::broken_links(&out), Vec::<String>::new());
}

#[test]
fn a_site_translation_file_overrides_single_keys() {
    let site = multilingual();
    site.build_ok(&[]);
    let es = site.read("es/index.html");
    assert!(
        es.contains(">Lo último del archivo</h2>"),
        "{}",
        main_of(&es)
    );
    assert!(
        es.contains(">Personas</a>"),
        "the other keys stay the theme's"
    );
    // English is untouched by the Spanish file.
    assert!(site.read("en/index.html").contains(">Latest articles</h2>"));
    // A broken file is an error at its place.
    site.file("i18n/es.toml", "latest_articles = \"sin cerrar\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("i18n/es.toml:1:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid translation file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_one_language_site_keeps_its_urls_and_has_no_alternates() {
    let site = Site::sample();
    let out = site.build_ok(&[]);
    let files = tree(&out);
    assert!(
        !files.keys().any(|p| p.starts_with("en/")),
        "no language folder"
    );
    assert!(!site.read("index.html").contains("hreflang"));
    assert!(!site.read("index.html").contains("class=\"languages\""));
}

#[test]
fn the_multilingual_fixture_builds_the_same_bytes_twice() {
    let a = multilingual();
    let b = multilingual();
    assert_eq!(tree(&a.build_ok(&[])), tree(&b.build_ok(&[])));
}

#[test]
fn a_malformed_language_tag_is_an_error_at_its_place() {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nlanguage: en_US\nquotes:\n  - speaker: x\n    text: Hola\n    language: Spanish\n---\nHola.\n",
    )
    .file("content/people/x.md", "---\nname: X\nlanguage: e\n---\n")
    .file("site.yaml", "language: english\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains("content/articles/a.md:4:11: error: invalid language tag `en_US`: subtags are separated by `-`, not `_`"),
        "{err}"
    );
    assert!(err.contains("= hint: write `language: en-US`"), "{err}");
    assert!(
        err.contains("content/articles/a.md:8:15: error: invalid language tag `Spanish`"),
        "{err}"
    );
    assert!(err.contains("= hint: write `language: es`"), "{err}");
    assert!(
        err.contains("content/people/x.md:3:11: error: invalid language tag `e`"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:1:11: error: invalid language tag `english`"),
        "{err}"
    );
    assert!(err.contains("= hint: write `language: en`"), "{err}");
    assert!(err.contains("= code: E003"), "{err}");
}

#[test]
fn an_unknown_or_clashing_translation_is_an_error_with_a_hint() {
    let site = multilingual();
    let path = "content/articles/2025/water-rates.md";
    let text = site.read_file(path).replacen(
        "topics: [water]",
        "topics: [water]\ntranslations: [tarifas-agu, water-rates]",
        1,
    );
    site.file(path, &text);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains("content/articles/2025/water-rates.md:6:16: error: unknown article `tarifas-agu` in `translations`"),
        "{err}"
    );
    assert!(
        err.contains("= hint: did you mean `tarifas-agua`?"),
        "{err}"
    );
    assert!(err.contains("= code: E008"), "{err}");
    assert!(
        err.contains("article `water-rates` names itself as its translation"),
        "{err}"
    );
    // Two Spanish versions of one article.
    let text = site
        .read_file("content/articles/2025/prison-offer.md")
        .replace(
            "translations: [prison-offer-es, 2025/prison-offer-ar]",
            "translations: [prison-offer-es, 2025/prison-offer-ar, tarifas-agua]",
        );
    site.file("content/articles/2025/prison-offer.md", &text);
    site.file(
        path,
        &site
            .read_file(path)
            .replace("translations: [tarifas-agu, water-rates]\n", ""),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: two versions in `es`"),
        "{}",
        run.stderr
    );
}

#[test]
#[ignore = "needs chromium, chromedriver and axe-core (GLOSS_AXE_JS): cargo test -- --include-ignored, as .ci/run does"]
fn every_page_of_the_multilingual_fixture_has_no_accessibility_violations() {
    use crate::browser::{axe_script, axe_violations, call, driver, open, resize, session};
    let Some(axe) = axe_script() else { return };
    let Some(driver) = driver() else { return };
    let site = multilingual();
    let out = site.build_ok(&[]);
    let host = crate::util::static_server(&out);
    let pages: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 40, "{} pages", pages.len());
    let (id, _profile) = session(&driver);
    let mut found = Vec::new();
    for (width, height) in [(375, 812), (1280, 900)] {
        resize(&driver, &id, width, height);
        for page in &pages {
            open(&driver, &id, &format!("http://{host}/{page}"));
            let list = axe_violations(&driver, &id, &axe);
            found.extend(list.iter().map(|v| format!("{page} at {width}px: {v}")));
        }
    }
    call(
        driver.addr,
        "DELETE",
        &format!("/session/{id}"),
        &serde_json::json!({}),
    );
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored, as .ci/run does"]
fn an_rtl_article_mirrors_its_layout_with_notes_in_the_left_margin() {
    use crate::browser::{driver, eval, open, resize, session};
    let Some(driver) = driver() else { return };
    let site = multilingual();
    let out = site.build_ok(&[]);
    let host = crate::util::static_server(&out);
    let (id, _profile) = session(&driver);
    resize(&driver, &id, 1280, 900);
    // Where the text column and each margin note are, in CSS pixels.
    let measure = r#"const body = document.querySelector('.article-body').getBoundingClientRect();
const notes = [...document.querySelectorAll('.sidenote-margin')].map(n => n.getBoundingClientRect());
const title = document.querySelector('h1').getBoundingClientRect();
return {body: [body.left, body.right], notes: notes.map(n => [n.left, n.right, n.width]), title_right: title.right};"#;
    open(
        &driver,
        &id,
        &format!("http://{host}/articles/prison-offer-ar/index.html"),
    );
    let rtl = eval(&driver, &id, measure);
    open(
        &driver,
        &id,
        &format!("http://{host}/articles/prison-offer/index.html"),
    );
    let ltr = eval(&driver, &id, measure);
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let notes = |v: &serde_json::Value| v["notes"].as_array().cloned().unwrap_or_default();
    assert_eq!(notes(&rtl).len(), 2, "{rtl}");
    for n in notes(&rtl) {
        // Beside the text on its left, never over it.
        assert!(num(&n[2]) > 100.0, "shown in the margin: {rtl}");
        assert!(
            num(&n[1]) <= num(&rtl["body"][0]) + 1.0,
            "left of the text: {rtl}"
        );
    }
    for n in notes(&ltr) {
        assert!(
            num(&n[0]) >= num(&ltr["body"][1]) - 1.0,
            "right of the text: {ltr}"
        );
    }
    // The headline starts at the right edge of the column.
    assert!(
        (num(&rtl["title_right"]) - num(&rtl["body"][1])).abs() < 2.0,
        "{rtl}"
    );
    crate::browser::call(
        driver.addr,
        "DELETE",
        &format!("/session/{id}"),
        &serde_json::json!({}),
    );
}

#[test]
#[ignore = "needs chromium and chromedriver: cargo test -- --include-ignored, as .ci/run does"]
fn the_search_page_speaks_the_site_language_with_its_plural_forms() {
    use crate::browser::{driver, eval, open, session, wait_for};
    let Some(driver) = driver() else { return };
    let site = multilingual();
    let yaml = site
        .read_file("site.yaml")
        .replace("language: en", "language: ar");
    site.file("site.yaml", &yaml);
    let host = crate::util::static_server(&site.build_ok(&[]));
    let (id, _profile) = session(&driver);
    let status = "return document.querySelector('.search-status').textContent";
    // Arabic's form for one has no number: "نتيجة واحدة".
    open(
        &driver,
        &id,
        &format!("http://{host}/search/index.html?q=agua"),
    );
    wait_for(&driver, &id, "document.querySelector('.search-result')");
    assert_eq!(eval(&driver, &id, status), "نتيجة واحدة لـ«agua»");
    let kind = eval(
        &driver,
        &id,
        "return document.querySelector('.search-kind').textContent",
    );
    assert!(
        kind.as_str().is_some_and(|k| k.starts_with("مقال")),
        "{kind}"
    );
    open(
        &driver,
        &id,
        &format!("http://{host}/search/index.html?q=zzzqx"),
    );
    wait_for(
        &driver,
        &id,
        "document.querySelector('.search-status').textContent",
    );
    assert_eq!(eval(&driver, &id, status), "لم يُعثر على شيء لـ«zzzqx».");
    crate::browser::call(
        driver.addr,
        "DELETE",
        &format!("/session/{id}"),
        &serde_json::json!({}),
    );
}

#[test]
fn a_page_in_a_languages_folder_collides_with_its_list() {
    let site = multilingual();
    site.file(
        "content/pages/es/index.md",
        "---\ntitle: Sobre\n---\nHola.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("es/index.html"), "{}", run.stderr);
    assert!(run.stderr.contains("= code: E012"), "{}", run.stderr);
}
