//! One test per rule of DESIGN.md §3 (and the file-level rules): each asserts the exact
//! `path:line:col: error: message` that `gloss check` prints, and the exit code.

use crate::util::{Site, article};

const A: &str = "content/articles/a.md";

/// The headline of every diagnostic `gloss check` printed; asserts exit code 1.
fn check_fails(site: &Site) -> Vec<String> {
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "check should fail:\n{}", run.stderr);
    run.stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(str::to_string)
        .collect()
}

fn one_error(file_text: &str) -> (String, String) {
    let site = Site::new();
    site.file(A, file_text);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "check should fail:\n{}", run.stderr);
    let headlines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(headlines.len(), 1, "expected one error:\n{}", run.stderr);
    (headlines[0].to_string(), run.stderr)
}

#[test]
fn title_is_required() {
    let (e, out) = one_error("---\ndate: 2025-01-02\n---\nBody\n");
    assert_eq!(
        e,
        "content/articles/a.md:1:1: error: missing required key `title`"
    );
    assert!(
        out.contains("hint: add `title: \"The headline\"` to the front matter"),
        "{out}"
    );
}

#[test]
fn date_is_required() {
    let (e, _) = one_error("---\ntitle: T\n---\nBody\n");
    assert_eq!(
        e,
        "content/articles/a.md:1:1: error: missing required key `date`"
    );
}

#[test]
fn a_date_that_does_not_parse_is_an_error() {
    let (e, out) = one_error("---\ntitle: T\ndate: 23/12/2025\n---\n");
    assert_eq!(
        e,
        "content/articles/a.md:3:7: error: invalid date `23/12/2025` in `date`"
    );
    // Issue 15: a foreign form gets its value written out, not the list of forms.
    assert!(out.contains("hint: write `2025-12-23`"), "{out}");
    let (_, out) = one_error("---\ntitle: T\ndate: yesterday\n---\n");
    assert!(out.contains("`YYYY-MM-DD`"), "{out}");
    let (e, out) = one_error(&article("updated: 2025-02-30\n", ""));
    assert!(
        out.contains("the day does not exist (February 2025 has 28 days)"),
        "{out}"
    );
    assert_eq!(
        e,
        "content/articles/a.md:4:10: error: invalid date `2025-02-30` in `updated`"
    );
}

#[test]
fn said_takes_partial_dates_only() {
    let text = article(
        "speakers: [x]\nquotes:\n  - speaker: x\n    text: Hi\n    said: 2025-1\n",
        "",
    );
    let (e, out) = one_error(&text);
    assert_eq!(
        e,
        "content/articles/a.md:8:11: error: invalid date `2025-1` in `said`"
    );
    assert!(out.contains("`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"), "{out}");
}

#[test]
fn person_ids_are_slugs() {
    let (e, out) = one_error(&article("speakers: [Nayib Bukele]\n", ""));
    assert_eq!(
        e,
        "content/articles/a.md:4:12: error: invalid person id `Nayib Bukele`"
    );
    assert!(out.contains("write `nayib-bukele`"), "{out}");
    let (e, _) = one_error(&article("mentions: [ok, Not_OK]\n", ""));
    assert_eq!(
        e,
        "content/articles/a.md:4:16: error: invalid person id `Not_OK`"
    );
    let (e, _) = one_error(&article("speakers:\n  - { id: BAD, role: x }\n", ""));
    assert_eq!(
        e,
        "content/articles/a.md:5:11: error: invalid person id `BAD`"
    );
}

#[test]
fn a_quote_speaker_must_be_listed_or_have_a_profile() {
    let text = article(
        "speakers: [jane-doe]\nquotes:\n  - speaker: jane-do\n    text: Hi\n",
        "",
    );
    let (e, out) = one_error(&text);
    assert_eq!(
        e,
        "content/articles/a.md:6:14: error: speaker `jane-do` of quote 1 is not in `speakers` and has no profile"
    );
    // Either spelling may be the typo (issue 17): the hint offers both fixes.
    assert!(
        out.contains("`jane-doe` in `speakers` has no quote and no profile: if it is misspelt there, write `jane-do` in `speakers`; otherwise write `speaker: jane-doe` here"),
        "{out}"
    );
    // A profile is enough.
    let site = Site::new();
    site.file(
        A,
        &article("quotes:\n  - speaker: jane-do\n    text: Hi\n", ""),
    );
    site.file("content/people/jane-do.md", "---\nname: Jane Do\n---\n");
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn quote_sources_must_be_keys_of_sources() {
    let text = article(
        "sources:\n  fox: { title: F }\nspeakers: [x]\nquotes:\n  - speaker: x\n    text: Hi\n    source: foxx\n",
        "",
    );
    let (e, out) = one_error(&text);
    assert_eq!(
        e,
        "content/articles/a.md:10:13: error: unknown source `foxx` in quote 1"
    );
    assert!(
        out.contains("hint: sources of this article: `fox`; did you mean `fox`?"),
        "{out}"
    );
}

#[test]
fn annotation_sources_must_be_keys_of_sources() {
    let text = article(
        "sources:\n  fox: { title: F }\nannotations:\n  - kind: note\n    note: N\n    sources: [fox, cnn]\n",
        "",
    );
    let (e, _) = one_error(&text);
    assert_eq!(
        e,
        "content/articles/a.md:9:20: error: unknown source `cnn` in annotation 1"
    );
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let (e, out) = one_error(&article("topcis: [a]\n", ""));
    assert_eq!(
        e,
        "content/articles/a.md:4:1: error: unknown key `topcis` in an article"
    );
    assert!(out.contains("did you mean `topics`?"), "{out}");
    let text = article("quotes:\n  - speaker: x\n    txt: Hi\n", "");
    let site = Site::new();
    site.file(A, &text);
    let errors = check_fails(&site);
    assert!(
        errors.contains(
            &"content/articles/a.md:6:5: error: unknown key `txt` in a quote".to_string()
        ),
        "{errors:?}"
    );
}

#[test]
fn anything_goes_under_extra() {
    let site = Site::new();
    site.file(
        A,
        &article(
            "extra:\n  anything: [1, 2]\n  nested: { deep: true }\n",
            "Body\n",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn annotation_kinds_and_fact_check_fields() {
    let (e, out) = one_error(&article(
        "annotations:\n  - kind: factcheck\n    note: N\n",
        "",
    ));
    assert_eq!(
        e,
        "content/articles/a.md:5:11: error: unknown annotation kind `factcheck`"
    );
    assert!(out.contains("did you mean `fact-check`?"), "{out}");
    let (e, _) = one_error(&article(
        "annotations:\n  - kind: opinion\n    rating: False\n    note: N\n",
        "",
    ));
    assert_eq!(
        e,
        "content/articles/a.md:6:5: error: `rating` on a opinion annotation"
    );
}

#[test]
fn quote_status_is_one_of_three() {
    let (e, _) = one_error(&article(
        "speakers: [x]\nquotes:\n  - speaker: x\n    text: Hi\n    status: fake\n",
        "",
    ));
    assert_eq!(
        e,
        "content/articles/a.md:8:13: error: unknown quote status `fake`"
    );
}

#[test]
fn body_links_resolve_or_fail_with_a_suggestion() {
    let body = "Intro.\n\nSee [her](person:jane-do), [t](topic:x), [o](outlet:y), [s](source:z), [a](article:nope), [q](quote:3).\n";
    let site = Site::new();
    site.file(A, &article("mentions: [jane-doe]\n", body));
    let errors = check_fails(&site);
    let at = |col: usize, target: &str| {
        format!("content/articles/a.md:8:{col}: error: unknown link target `{target}`")
    };
    assert_eq!(
        errors,
        [
            at(11, "person:jane-do"),
            at(32, "topic:x"),
            at(46, "outlet:y"),
            at(61, "source:z"),
            at(76, "article:nope"),
            at(95, "quote:3")
        ]
    );
    let run = site.run(&["check"]);
    // Either spelling may be the typo (issue 17): the hint offers both fixes.
    assert!(
        run.stderr.contains("`jane-doe` in `mentions` (line 4) is close and has no profile: if it is misspelt there, write `jane-do` in `mentions`; otherwise link `person:jane-doe`"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_that_are_not_utf8_are_located_errors() {
    let site = Site::new();
    site.bytes(A, b"---\ntitle: caf\xe9\ndate: 2025-01-01\n---\n");
    let errors = check_fails(&site);
    assert_eq!(
        errors,
        ["content/articles/a.md:2:11: error: file is not valid UTF-8 (byte 14)"]
    );
}

#[test]
fn an_unclosed_front_matter_is_located() {
    let (e, out) = one_error("---\ntitle: T\ndate: 2025-01-01\nBody without a closing line\n");
    assert_eq!(
        e,
        "content/articles/a.md:1:1: error: front matter is never closed"
    );
    assert!(
        out.contains("hint: end the front matter with a line `---`"),
        "{out}"
    );
}

#[test]
fn yaml_syntax_errors_are_located() {
    let (e, _) = one_error("---\ntitle: T\ndate: 2025-01-01\ntopics: [a, b\n---\n");
    assert!(e.starts_with("content/articles/a.md:"), "{e}");
    assert!(e.contains(": error: invalid YAML: "), "{e}");
    let line: u32 = e
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    assert!((4..=5).contains(&line), "{e}");
}

#[test]
fn duplicate_keys_are_errors() {
    let (e, _) = one_error("---\ntitle: T\ntitle: U\ndate: 2025-01-01\n---\n");
    assert!(e.starts_with("content/articles/a.md:3:"), "{e}");
}

/// Issue 15: one file name in two folders is an error only when the permalinks give
/// both the same URL; then the output-path check names both files.
#[test]
fn duplicate_slugs_name_both_files() {
    let site = Site::new();
    site.file("content/articles/2024/same.md", &article("", ""));
    site.file("content/articles/2025/same.md", &article("", ""));
    let errors = check_fails(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("error: two sources make `articles/same/index.html`")
            && errors[0].contains("`content/articles/2024/same.md`")
            && errors[0].contains("`content/articles/2025/same.md`"),
        "{errors:?}"
    );
}

#[test]
fn archived_copies_must_exist() {
    let (e, _) = one_error(&article(
        "sources:\n  x:\n    copy: sources/missing.md\n",
        "",
    ));
    assert_eq!(
        e,
        "content/articles/a.md:6:11: error: archived copy `sources/missing.md` not found"
    );
}

#[test]
fn site_yaml_rejects_unknown_keys_with_the_known_ones() {
    let site = Site::new();
    site.file("site.yaml", "title: T\nbase_ulr: https://x.org/\n");
    site.file(A, &article("", ""));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.yaml:2:1: error: unknown key `base_ulr` in site.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `base_url`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`paginate`"), "{}", run.stderr);
}

#[test]
fn all_errors_of_all_files_come_in_one_run() {
    let site = Site::new();
    site.file("content/articles/a.md", "---\ndate: 2025-01-01\n---\n");
    site.file("content/articles/b.md", "---\ntitle: B\ndate: never\n---\n");
    let errors = check_fails(&site);
    assert_eq!(errors.len(), 2, "{errors:?}");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn the_error_shows_the_offending_line() {
    let (_, out) = one_error(&article(
        "sources:\n  fox: { title: F }\nannotations:\n  - note: N\n    sources: [foks]\n",
        "",
    ));
    assert!(out.contains("    sources: [foks]"), "{out}");
    assert!(out.contains("^^^^"), "{out}");
}

#[test]
fn an_article_needs_front_matter() {
    let (e, out) = one_error("Just text, no front matter.\n");
    assert_eq!(
        e,
        "content/articles/a.md:1:1: error: article has no front matter"
    );
    assert!(
        out.contains("hint: start the file with a front matter block"),
        "{out}"
    );
}
