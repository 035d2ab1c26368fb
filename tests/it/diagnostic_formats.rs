//! `gloss check --format json|github` (issue 17, item 5): the documents a CI system or
//! an editor reads, on a broken fixture. See: issue 17.

use crate::util::{Site, article};

/// A site with one error (unknown source) and one warning (quote without a source).
fn broken() -> Site {
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        &article(
            "sources:\n  fox: {title: Fox}\nspeakers: [jane-doe]\nquotes:\n  - speaker: jane-doe\n    text: \"Hello there\"\n    source: foxx\n",
            "Body text.\n",
        ),
    );
    site
}

#[test]
fn check_format_json_is_one_document_with_every_field() {
    let site = broken();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    assert_eq!(doc["version"], 1);
    let list = doc["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(list.len(), 1, "{doc}");
    let d = &list[0];
    assert_eq!(d["path"], "content/articles/a.md");
    assert_eq!(d["line"], 10);
    assert_eq!(d["column"], 13);
    assert_eq!(d["end"]["line"], 10);
    assert_eq!(d["end"]["column"], 17);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "E007");
    assert_eq!(d["message"], "unknown source `foxx` in quote 1");
    assert_eq!(
        d["hint"],
        "sources of this article: `fox`; did you mean `fox`?"
    );
    let fields: Vec<&str> = d
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "code", "column", "end", "hint", "line", "message", "path", "severity"
        ]
    );
    assert_eq!(
        doc["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "files": 1, "failed": true})
    );
    // Nothing but the document on stdout; the human form is not printed too.
    assert!(!run.stderr.contains("unknown source"), "{}", run.stderr);
}

#[test]
fn check_format_json_snapshot() {
    let site = broken();
    let run = site.run(&["check", "--format", "json"]);
    insta::assert_snapshot!(run.stdout, @r#"
    {
      "version": 1,
      "diagnostics": [
        {
          "path": "content/articles/a.md",
          "line": 10,
          "column": 13,
          "end": {
            "line": 10,
            "column": 17
          },
          "severity": "error",
          "code": "E007",
          "message": "unknown source `foxx` in quote 1",
          "hint": "sources of this article: `fox`; did you mean `fox`?"
        }
      ],
      "summary": {
        "errors": 1,
        "warnings": 0,
        "files": 1,
        "failed": true
      }
    }
    "#);
}

#[test]
fn check_format_github_snapshot() {
    let site = broken();
    let run = site.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout, @"::error file=content/articles/a.md,line=10,col=13,endColumn=16,title=gloss E007::unknown source `foxx` in quote 1%0Ahint: sources of this article: `fox`; did you mean `fox`?");
}

#[test]
fn check_format_json_of_a_clean_site_is_an_empty_list() {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "Body.\n"));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(doc["summary"]["failed"], false);
}

#[test]
fn build_format_github_reports_like_check() {
    let site = broken();
    let run = site.run(&["build", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        site.run(&["check", "--format", "github"]).stdout,
        "{}",
        run.stderr
    );
    let json = site.run(&["build", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", json.stdout));
    assert_eq!(doc["summary"]["failed"], true);
}
