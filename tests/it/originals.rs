//! Quotes with their original wording beside the translation (issue 18, item 4): both
//! anchored where they occur (the body may hold the translation, the archived copy the
//! original), the quote check comparing the original against a copy in its language,
//! both shown on person and quote pages and given in JSON-LD with their languages.

use crate::util::Site;

/// An English article quoting a Spanish speech through a translation, its source an
/// archived copy of the Spanish original.
fn site(body: &str, copy: &str) -> Site {
    let site = Site::new();
    site.file("content/people/ana.md", "---\nname: Ana Ruiz\n---\n");
    site.file("content/sources/discurso.md", copy);
    site.file(
        "content/articles/speech.md",
        &format!(
            "---\ntitle: The speech\ndate: 2025-04-01\nspeakers: [ana]\n\
             sources:\n  discurso:\n    title: El discurso\n    language: es\n    copy: sources/discurso.md\n\
             quotes:\n  - id: continue\n    speaker: ana\n    source: discurso\n    text: \"We will continue the work\"\n    \
             original:\n      language: es\n      text: \"Seguiremos con el trabajo\"\n---\n{body}"
        ),
    );
    site
}

#[test]
fn the_translation_in_the_body_and_the_original_in_the_copy_are_both_anchored() {
    let s = site(
        "Ana Ruiz said: “We will continue the work,” to applause.\n",
        "Dijo: «Seguiremos con el trabajo», entre aplausos.\n",
    );
    let run = s.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The copy holds the original: the check matches, no warning.
    assert!(!run.stderr.contains("differs"), "{}", run.stderr);
    let html = s.read("articles/speech/index.html");
    assert!(
        html.contains("<span class=\"quote\" id=\"quote-continue\" data-quote=\"continue\""),
        "{html}"
    );
    assert!(
        html.contains("Matches the archived source"),
        "the check is shown: {html}"
    );
    let copy = s.read("sources/discurso/index.html");
    assert!(
        copy.contains("<mark class=\"source-quote\" id=\"speech-continue\" data-quote=\"speech-continue\">Seguiremos con el trabajo</mark>"),
        "{copy}"
    );
}

#[test]
fn a_body_holding_both_wordings_marks_each_the_original_in_its_language() {
    let s = site(
        "Ana Ruiz said “Seguiremos con el trabajo” (“We will continue the work”).\n",
        "Seguiremos con el trabajo.\n",
    );
    s.build_ok(&[]);
    let html = s.read("articles/speech/index.html");
    assert!(
        html.contains("<span class=\"quote quote-original\" id=\"quote-continue-original\" lang=\"es\" data-quote=\"continue\""),
        "{html}"
    );
    assert!(html.contains("id=\"quote-continue\" data-quote"), "{html}");
    // Alone in the body, the original takes the quote's own id.
    let s = site(
        "Ana Ruiz said “Seguiremos con el trabajo”.\n",
        "Seguiremos con el trabajo.\n",
    );
    s.build_ok(&[]);
    let html = s.read("articles/speech/index.html");
    assert!(
        html.contains("<span class=\"quote quote-original\" id=\"quote-continue\" lang=\"es\""),
        "{html}"
    );
}

#[test]
fn the_check_compares_the_original_with_a_copy_in_its_language() {
    // The copy has other words than the original: flagged, the hint quoting the copy.
    let s = site(
        "“We will continue the work,” she said.\n",
        "Dijo: «Seguiremos con la obra», entre aplausos.\n",
    );
    let run = s.run(&["build"]);
    assert!(
        run.stderr
            .contains("quote 1 differs from the archived copy"),
        "{}",
        run.stderr
    );
    // The warning points at the original's text, the wording that was compared.
    assert!(
        run.stderr.contains("Seguiremos con el trabajo"),
        "{}",
        run.stderr
    );
    // A copy in the translation's language is compared with the translation.
    let s = site(
        "“We will continue the work,” she said.\n",
        "She said: “We will continue the work.”\n",
    );
    let article = s
        .read_file("content/articles/speech.md")
        .replace("language: es\n    copy", "language: en\n    copy");
    s.file("content/articles/speech.md", &article);
    let run = s.run(&["build"]);
    assert!(!run.stderr.contains("differs"), "{}", run.stderr);
}

#[test]
fn quote_pages_show_both_wordings_and_json_ld_gives_both_languages() {
    let s = site(
        "“We will continue the work,” she said.\n",
        "Seguiremos con el trabajo.\n",
    );
    s.build_ok(&[]);
    // On the article's page the words as said link to their place in the text (issue 19).
    for (page, words) in [
        ("quotes/index.html", "Seguiremos con el trabajo"),
        (
            "articles/speech/index.html",
            "<a href=\"#quote-continue\">Seguiremos con el trabajo</a>",
        ),
    ] {
        let html = s.read(page);
        assert!(
            html.contains(&format!("<blockquote class=\"quote-text quote-original\" lang=\"es\"><p>{words}</p></blockquote>")),
            "{page}: {html}"
        );
        assert!(
            html.contains(
                "<span class=\"translation-label\">Translation:</span> We will continue the work"
            ),
            "{page}: {html}"
        );
    }
    // The speaker's page lists the quote under its article, both wordings.
    let html = s.read("people/ana/index.html");
    assert!(
        html.contains(
            "<q lang=\"es\">Seguiremos con el trabajo</q> (<q>We will continue the work</q>)"
        ),
        "{html}"
    );
    let html = s.read("articles/speech/index.html");
    assert!(
        html.contains(
            "\"translationOfWork\":{\"@type\":\"Quotation\",\"text\":\"Seguiremos con el trabajo\""
        ),
        "{html}"
    );
    assert!(html.contains("\"inLanguage\":\"es\""), "{html}");
}

#[test]
fn an_original_without_its_language_is_an_error_at_the_quote() {
    let s = site("Body.\n", "Copy.\n");
    let article = s
        .read_file("content/articles/speech.md")
        .replace("      language: es\n      text", "      text");
    s.file("content/articles/speech.md", &article);
    let run = s.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the original of quote 1 has no `language`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("add `language:`"), "{}", run.stderr);
}
