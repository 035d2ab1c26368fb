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
            "sources:\n  s: {title: S}\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: \"We will continues the work of the council\"\n    source: s\n",
            "“We will continue the work of the council,” she said.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline = "content/articles/a.md:9:11: warning: quote 1 is not in the text of the article";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "the body has “We will continue the work of the council” (`continues` -> `continue`); to mark the quote in the text, write `text: \"We will continue the work of the council\"`"
    );
    // Applied as written, the hint fixes it: the quote is marked, nothing is reported.
    site.file(
        A,
        &article(
            "sources:\n  s: {title: S}\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: \"We will continue the work of the council\"\n    source: s\n",
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
                &format!("sources:\n  s: {{title: S}}\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: \"{text}\"\n    source: s\n"),
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

// Item 1: near-miss ids.

#[test]
fn a_topic_a_letter_off_a_profile_is_a_warning_naming_it() {
    let site = Site::new();
    site.file(
        "content/topics/riverton-water.md",
        "---\nname: Riverton water\n---\n",
    );
    site.file(A, &article("topics: [riverton-watr]\n", "Body.\n"));
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline = "content/articles/a.md:4:10: warning: topic `riverton-watr` in `topics` looks like a misspelling of `riverton-water`";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "did you mean `riverton-water`? (it has a profile, content/topics/riverton-water.md); if `riverton-watr` is meant, create content/topics/riverton-watr.md"
    );
    assert!(err.contains("= code: W003"), "{err}");
    assert_eq!(check(&site, &["--strict"]).0, 1);
    site.file(A, &article("topics: [riverton-water]\n", "Body.\n"));
    assert_eq!(check(&site, &["--strict"]).1, Vec::<String>::new());
}

#[test]
fn a_misspelt_speaker_is_named_by_the_quote_error_and_warned() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources:\n  s: {title: S}\nspeakers: [dana-whitfeld]\nquotes:\n  - speaker: dana-whitfield\n    text: Hello\n    source: s\n",
            "Hello.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let error = "content/articles/a.md:8:14: error: speaker `dana-whitfield` of quote 1 is not in `speakers` and has no profile";
    let warning = "content/articles/a.md:6:12: warning: person `dana-whitfeld` in `speakers` looks like a misspelling of `dana-whitfield`";
    assert_eq!(lines, [warning, error]);
    assert_eq!(
        hint_of(&err, error),
        "`dana-whitfeld` in `speakers` has no quote and no profile: if it is misspelt there, write `dana-whitfield` in `speakers`; otherwise write `speaker: dana-whitfeld` here"
    );
    assert_eq!(
        hint_of(&err, warning),
        "did you mean `dana-whitfield`? (quote 1 names it as its speaker); if `dana-whitfeld` is meant, create content/people/dana-whitfeld.md"
    );
}

#[test]
fn a_correct_body_link_is_not_told_to_follow_a_misspelt_mention() {
    let site = Site::new();
    site.file(
        A,
        &article("mentions: [tom-beker]\n", "Ask [Tom](person:tom-becker).\n"),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    // Neither spelling can be known to be right: the error offers both, and the mention
    // gets no warning of its own.
    let error = "content/articles/a.md:6:11: error: unknown link target `person:tom-becker`";
    assert_eq!(lines, [error]);
    assert_eq!(
        hint_of(&err, error),
        "`tom-beker` in `mentions` (line 4) is close and has no profile: if it is misspelt there, write `tom-becker` in `mentions`; otherwise link `person:tom-beker`"
    );
    site.file(
        A,
        &article(
            "mentions: [tom-becker]\n",
            "Ask [Tom](person:tom-becker).\n",
        ),
    );
    assert_eq!(check(&site, &["--strict"]).1, Vec::<String>::new());
}

#[test]
fn two_people_with_near_ids_in_one_article_warn_neither() {
    let site = Site::new();
    site.file(
        A,
        &article("mentions: [jon-smith, john-smith]\n", "Body.\n"),
    );
    let (code, lines, err) = check(&site, &["--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{err}");
}

// Item 3: warnings for what was accepted without a word.

#[test]
fn a_speaker_never_quoted_is_a_warning() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources:\n  s: {title: S}\nspeakers: [ana, ben]\nquotes:\n  - speaker: ana\n    text: Hello\n    source: s\n",
            "Hello.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline =
        "content/articles/a.md:6:17: warning: speaker `ben` has no quote in this article";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "add a quote with `speaker: ben`, or move `ben` from `speakers` to `mentions` (people named but not quoted)"
    );
}

#[test]
fn a_quote_without_a_source_is_a_warning() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources:\n  fox: {title: Fox}\n  x: {title: X}\nspeakers: [ana]\nquotes:\n  - speaker: ana\n    text: Hello\n",
            "Hello.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline = "content/articles/a.md:9:5: warning: quote 1 has no `source`";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "add `source:` naming where it was said: `fox`, `x`"
    );
}

#[test]
fn a_fact_check_without_a_rating_is_a_warning() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "annotations:\n  - on: Hello\n    kind: fact-check\n    note: Not quite.\n",
            "Hello.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    let headline =
        "content/articles/a.md:6:11: warning: annotation 1 is a fact-check without a `rating`";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "add `rating:` with a short verdict, e.g. `rating: False` or `rating: Misleading`; without one no ClaimReview is published"
    );
}

#[test]
fn markdown_files_gloss_skips_are_named_with_the_reason() {
    let site = Site::new();
    site.file(A, &article("", "Body.\n"));
    site.file("content/articles/b.markdown", &article("", "Body.\n"));
    site.file("content/articles/2025/C.MD", &article("", "Body.\n"));
    site.file("content/articles/photo.jpg", "not markdown");
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        lines,
        [
            "content/articles/2025/C.MD: warning: skipped: gloss reads only files ending in `.md`, not `.MD`",
            "content/articles/b.markdown: warning: skipped: gloss reads only files ending in `.md`, not `.markdown`",
            "content/articles/photo.jpg: warning: ignored: a file that is not Markdown is published only from the folder of an article or page",
        ]
    );
    assert_eq!(hint_of(&err, &lines[1]), "rename it to `b.md`");
}

// `updated` before `date` is an error (E015): tests/it/sources.rs.

// Item 7: templates for new files.

/// `text` with every commented-out key line uncommented (`# key: …` -> `key: …`).
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if !rest.starts_with("Uncomment") => rest.to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_new_article_shows_each_key_once_and_checks_clean_commented_or_not() {
    let site = Site::new();
    site.file("site.yaml", "title: T\n");
    let run = site.run(&["new", "article", "Court orders due process"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let year = std::fs::read_dir(site.path().join("content/articles"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .next()
        .unwrap_or_default();
    let rel = format!("content/articles/{year}/court-orders-due-process.md");
    let text = site.read_file(&rel);
    assert!(!text.contains("summary: \"\""), "{text}");
    assert!(!text.contains(": []") && !text.contains(": {}"), "{text}");
    for key in [
        "title:",
        "date:",
        "draft:",
        "updated:",
        "dateline:",
        "summary:",
        "authors:",
        "topics:",
        "sources:",
        "speakers:",
        "mentions:",
        "quotes:",
        "annotations:",
    ] {
        // Top-level keys, written or commented out.
        let n = text
            .lines()
            .filter(|l| l.strip_prefix("# ").unwrap_or(l).starts_with(key))
            .count();
        assert_eq!(n, 1, "{key} in:\n{text}");
    }
    let (code, lines, err) = check(&site, &["--drafts", "--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{err}");
    site.file(&rel, &uncommented(&text));
    let (code, lines, err) = check(&site, &["--drafts", "--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{}\n{err}", uncommented(&text));
}

#[test]
fn new_person_topic_and_outlet_write_profiles_that_check_clean() {
    let site = Site::new();
    site.file("site.yaml", "title: T\n");
    for (kind, id, path) in [
        (
            "person",
            "dana-whitfield",
            "content/people/dana-whitfield.md",
        ),
        ("topic", "water-supply", "content/topics/water-supply.md"),
        (
            "outlet",
            "riverton-courier",
            "content/outlets/riverton-courier.md",
        ),
    ] {
        let run = site.run(&["new", kind, id]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = site.read_file(path);
        assert!(text.starts_with("---\nname: \""), "{text}");
        site.file(path, &uncommented(&text));
        // A second time: refused, the file kept.
        let again = site.run(&["new", kind, id]);
        assert_eq!(again.code, 2, "{}", again.stderr);
        assert!(
            again.stderr.contains(&format!("{path} already exists")),
            "{}",
            again.stderr
        );
    }
    assert!(
        site.read_file("content/people/dana-whitfield.md")
            .contains("name: \"Dana Whitfield\"")
    );
    let (code, lines, err) = check(&site, &["--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{err}");
    let bad = site.run(&["new", "person", "Dana Whitfield"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("write `dana-whitfield`"),
        "{}",
        bad.stderr
    );
}

// Item 4: hints that say what to write, and pass when applied.

/// Checks `front` (the lines between `title` and the closing `---`), expects exactly one
/// error with `headline` and `hint`, then applies `fixed` and expects a clean check.
fn one_fix(front: &str, headline: &str, hint: &str, fixed: &str) {
    let site = Site::new();
    site.file(A, &format!("---\ntitle: A test\n{front}---\nBody.\n"));
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines, [headline], "{err}");
    assert_eq!(hint_of(&err, headline), hint);
    site.file(A, &format!("---\ntitle: A test\n{fixed}---\nBody.\n"));
    let (code, lines, err) = check(&site, &["--strict"]);
    assert_eq!((code, lines.len()), (0, 0), "{fixed}: {err}");
}

#[test]
fn a_tab_is_reported_at_the_tab_with_the_line_to_write() {
    one_fix(
        "date: 2025-01-02\n\tdateline: Riverton\n",
        "content/articles/a.md:4:1: error: invalid YAML: a tab in the indentation",
        "YAML indents with spaces only: replace the tab with spaces, `dateline: Riverton`",
        "date: 2025-01-02\ndateline: Riverton\n",
    );
}

#[test]
fn a_colon_in_a_title_gets_the_title_in_single_quotes() {
    let site = Site::new();
    site.file(
        A,
        "---\ntitle: Mayor: no deal on water\ndate: 2025-01-02\n---\nBody.\n",
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let headline = "content/articles/a.md:2:13: error: invalid YAML: mapping values are not allowed in this context";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "wrap the value in single quotes (a value without quotes cannot hold `: `): `title: 'Mayor: no deal on water'`"
    );
    site.file(
        A,
        "---\ntitle: 'Mayor: no deal on water'\ndate: 2025-01-02\n---\nBody.\n",
    );
    assert_eq!(check(&site, &["--strict"]).1, Vec::<String>::new());
}

#[test]
fn inner_quotes_in_a_title_get_the_title_in_single_quotes() {
    let site = Site::new();
    site.file(
        A,
        "---\ntitle: \"Mayor says \"no\" to O'Neil\"\ndate: 2025-01-02\n---\nBody.\n",
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let headline = "content/articles/a.md:2:21: error: invalid YAML: invalid trailing content after double-quoted scalar";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "wrap the value in single quotes (it has quotation marks inside): `title: 'Mayor says \"no\" to O''Neil'`"
    );
    site.file(
        A,
        "---\ntitle: 'Mayor says \"no\" to O''Neil'\ndate: 2025-01-02\n---\nBody.\n",
    );
    assert_eq!(check(&site, &["--strict"]).1, Vec::<String>::new());
}

#[test]
fn topics_written_with_commas_get_the_list_form() {
    one_fix(
        "date: 2025-01-02\ntopics: Water supply, riverton\n",
        "content/articles/a.md:4:9: error: `topics: Water supply, riverton` is one text, not a list",
        "write `topics: [water-supply, riverton]`",
        "date: 2025-01-02\ntopics: [water-supply, riverton]\n",
    );
}

#[test]
fn a_date_in_words_gets_the_corrected_value() {
    one_fix(
        "date: Dec 3 2025\n",
        "content/articles/a.md:3:7: error: invalid date `Dec 3 2025` in `date`",
        "write `2025-12-03`",
        "date: 2025-12-03\n",
    );
}

#[test]
fn a_day_that_does_not_exist_says_so() {
    let site = Site::new();
    site.file(A, "---\ntitle: A test\ndate: 2026-11-31\n---\nBody.\n");
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let headline = "content/articles/a.md:3:7: error: invalid date `2026-11-31` in `date`";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "the day does not exist (November has 30 days)"
    );
}

#[test]
fn a_date_with_a_time_gets_rfc_3339() {
    one_fix(
        "date: 2026-11-28 14:30\n",
        "content/articles/a.md:3:7: error: invalid date `2026-11-28 14:30` in `date`",
        "write an RFC 3339 date-time with its offset: `2026-11-28T14:30:00Z` if the time is UTC, else your offset in place of `Z` (e.g. `2026-11-28T14:30:00-05:00`)",
        "date: 2026-11-28T14:30:00Z\n",
    );
}

#[test]
fn a_bad_date_does_not_hide_the_other_problems_of_the_article() {
    let site = Site::new();
    site.file(
        A,
        "---\ntitle: A test\ndate: Dec 3 2025\ntopics: a, b\nmentions: [Bad Id]\n---\nBody.\n",
    );
    let (_, lines, err) = check(&site, &[]);
    assert_eq!(lines.len(), 3, "{err}");
}

// Item 8: the newcomer's first minutes.

#[test]
fn the_sample_checks_with_exactly_one_warning_the_flagged_quote() {
    let site = Site::sample();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let list = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 1, "{doc:#}");
    assert_eq!(list[0]["code"], "W002");
    assert_eq!(
        list[0]["path"],
        "content/articles/2025/bukele-dares-clinton-prison-population.md"
    );
    assert_eq!(
        list[0]["message"],
        "quote 3 differs from the archived copy `sources/bukele-x-2025-12-23.md`"
    );
}

// Mistakes beyond the list, tried as a new user would.

#[test]
fn a_source_key_in_the_wrong_case_is_named() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "sources:\n  fox: {title: F}\nspeakers: [ana]\nquotes:\n  - speaker: ana\n    text: Body\n    source: Fox\n",
            "Body.\n",
        ),
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let headline = "content/articles/a.md:10:13: error: unknown source `Fox` in quote 1";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "sources of this article: `fox`; did you mean `fox`?"
    );
}

#[test]
fn sources_written_as_a_list_say_how_to_write_the_map() {
    let site = Site::new();
    site.file(A, &article("sources:\n  - fox\n", "Body.\n"));
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    let headline = "content/articles/a.md:5:3: error: `sources` must be a map, found a list";
    assert_eq!(lines, [headline]);
    assert_eq!(
        hint_of(&err, headline),
        "write `key: value` lines indented under it, without `- `"
    );
}

#[test]
fn a_title_starting_with_a_bracket_gets_single_quotes() {
    let site = Site::new();
    site.file(
        A,
        "---\ntitle: [Breaking] News today\ndate: 2025-01-02\n---\nBody.\n",
    );
    let (code, lines, err) = check(&site, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines.len(), 1, "{err}");
    assert_eq!(
        hint_of(&err, &lines[0]),
        "wrap the value in single quotes (it starts with a character YAML reads as syntax): `title: '[Breaking] News today'`"
    );
}
