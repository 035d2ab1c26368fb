//! Issue 15, item 6: URL schemes of migrated archives. Permalink placeholders that
//! reproduce Jekyll's, Eleventy's and Hugo's URLs; one file name in two folders builds
//! when the permalinks keep the URLs apart, and `article:` links to such a name must say
//! which article they mean.

use crate::util::{Site, article, broken_links};

#[test]
fn dated_file_names_and_folders_give_the_old_urls() {
    let site = Site::new();
    site.file(
        "site.yaml",
        "permalinks:\n  article: /{year}/{month}/{day}/{name}/\n",
    );
    site.file(
        "content/articles/posts/2014-03-12-coming-soon.md",
        "---\ntitle: Coming soon\ndate: 2014-03-12\n---\nSoon.\n",
    );
    let out = site.build_ok(&[]);
    assert!(out.join("2014/03/12/coming-soon/index.html").is_file());
    site.file(
        "site.yaml",
        "permalinks:\n  article: /posts/{folder}/{slugified}/\n",
    );
    site.file(
        "content/articles/2014/03/My Post.md",
        "---\ntitle: Mine\ndate: 2014-03-02\n---\nMine.\n",
    );
    let out = site.build_ok(&[]);
    assert!(out.join("posts/2014/03/my-post/index.html").is_file());
    assert!(
        out.join("posts/posts/2014-03-12-coming-soon/index.html")
            .is_file()
    );
    site.file("site.yaml", "permalinks:\n  article: /{path}/\n");
    let out = site.build_ok(&[]);
    assert!(out.join("2014/03/My Post/index.html").is_file());
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn one_file_name_in_two_folders_builds_when_the_urls_differ() {
    let site = Site::new();
    site.file("site.yaml", "permalinks:\n  article: /{year}/{slug}/\n");
    site.file(
        "content/articles/2023/report.md",
        "---\ntitle: Report 2023\ndate: 2023-05-01\n---\nOld.\n",
    );
    site.file(
        "content/articles/2024/report.md",
        "---\ntitle: Report 2024\ndate: 2024-05-01\n---\nNew.\n",
    );
    site.file(
        "content/articles/links.md",
        &article(
            "",
            "See [last year](article:2023/report) and [this](article:2024/report).\n",
        ),
    );
    let out = site.build_ok(&[]);
    assert!(site.read("2023/report/index.html").contains("Old."));
    assert!(site.read("2024/report/index.html").contains("New."));
    let links = site.read("2025/links/index.html");
    assert!(
        links.contains(r#"href="../../2023/report/index.html""#),
        "{links}"
    );
    assert!(broken_links(&out).is_empty(), "{:#?}", broken_links(&out));
    // The same file name with a permalink that cannot tell them apart.
    site.file("site.yaml", "permalinks:\n  article: /articles/{slug}/\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("two sources make `articles/report/index.html`")
            && run.stderr.contains("`content/articles/2023/report.md`")
            && run.stderr.contains("`content/articles/2024/report.md`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`{path}`"), "{}", run.stderr);
}

#[test]
fn a_link_to_a_file_name_two_articles_share_is_a_located_error() {
    let site = Site::new();
    site.file("site.yaml", "permalinks:\n  article: /{year}/{slug}/\n");
    site.file(
        "content/articles/2023/report.md",
        "---\ntitle: R\ndate: 2023-05-01\n---\nOld.\n",
    );
    site.file(
        "content/articles/2024/report.md",
        "---\ntitle: R\ndate: 2024-05-01\n---\nNew.\n",
    );
    site.file(
        "content/articles/links.md",
        &article("", "Intro.\n\nSee [the report](article:report).\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/articles/links.md:7:18: error: ambiguous link target `article:report`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "2 articles have the file name `report.md`: link to one by its path under content/articles/, `article:2023/report`, `article:2024/report`"
        ),
        "{}",
        run.stderr
    );
}
