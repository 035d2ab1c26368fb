//! The editor's loop (issue 17): the usual mistakes of a journalist writing an article,
//! each with the exact place and a hint that, applied as written, fixes it.
//! See: issue 17.

use crate::util::{Site, article};

const A: &str = "content/articles/a.md";

/// The `path:line:col: severity: message` lines of a run, and the whole stderr.
fn check(site: &Site, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    let lines = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(str::to_string)
        .collect();
    (run.code, lines, run.stderr)
}

/// The hint printed for the diagnostic whose headline is `headline`.
fn hint_of<'a>(stderr: &'a str, headline: &str) -> &'a str {
    let rest = stderr
        .split_once(&format!("{headline}\n"))
        .map_or("", |(_, r)| r);
    rest.lines()
        .take_while(|l| !l.contains(": error: ") && !l.contains(": warning: "))
        .find_map(|l| l.trim_start().strip_prefix("= hint: "))
        .unwrap_or_else(|| panic!("no hint for {headline}:\n{stderr}"))
}

// Item 2: quotes not found.

#[test]
fn a_quote_one_word_off_gets_the_body_passage_and_its_text_to_write() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "speakers: [x]\nquotes:\n  - speaker: x\n    text: \"We will continues the work of the council\"\n",
            "“We will continue the work of the council,” she said.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline = "content/articles/a.md:7:11: warning: quote 1 is not in the text of the article";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "the body has “We will continue the work of the council” (`continues` -> `continue`); to mark the quote in the text, write `text: \"We will continue the work of the council\"`"
    );
    // Applied as written, the hint fixes it: the quote is marked, nothing is reported.
    site.file(
        A,
        &article(
            "speakers: [x]\nquotes:\n  - speaker: x\n    text: \"We will continue the work of the council\"\n",
            "“We will continue the work of the council,” she said.\n",
        ),
    );
    let (code, lines, err) = check(&site, &["--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{err}");
}

#[test]
fn a_quote_ending_in_a_full_stop_matches_a_body_that_goes_on_with_a_comma() {
    let site = Site::new();
    for text in [
        "It must be everyone.",
        "It must be everyone,",
        "It must be everyone;",
    ] {
        site.file(
            A,
            &article(
                &format!("speakers: [x]\nquotes:\n  - speaker: x\n    text: \"{text}\"\n"),
                "“It must be everyone,” Bukele declared. “Then we talk.”\n",
            ),
        );
        let (code, lines, err) = check(&site, &["--strict"]);
        assert_eq!((code, lines.len()), (0, 0), "{text}: {err}");
    }
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert!(html.contains(">It must be everyone</span>"), "{html}");
}
