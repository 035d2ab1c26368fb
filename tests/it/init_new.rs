//! `gloss init` and `gloss new article` create files safely: never over an existing file,
//! never through a symlink, and `new` never makes a second article with a slug in use.
//! See issue 14 (Trust), item 4.

use std::path::Path;

use crate::util::Site;

/// The current year, as `gloss new` files articles under it.
fn year() -> String {
    let out = std::process::Command::new("date")
        .arg("+%Y")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn init_keeps_an_existing_gitignore_and_names_the_lines_to_add() {
    let site = Site::new();
    site.file("mysite/.gitignore", "target/\n# mine\n");
    let run = site.run(&["init", "mysite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(&site.path().join("mysite/.gitignore")),
        "target/\n# mine\n"
    );
    assert!(run.stderr.contains("kept .gitignore"), "{}", run.stderr);
    assert!(
        run.stderr.contains("does not list `public/` and `.gloss/`"),
        "{}",
        run.stderr
    );
    // The rest of the site was added and builds.
    assert!(site.path().join("mysite/site.yaml").is_file());
    assert_eq!(site.run(&["--root", "mysite", "build"]).code, 0);

    // A .gitignore that lists both gets no hint.
    let other = Site::new();
    other.file(".gitignore", "/public\n.gloss/\n");
    let run = other.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("does not list"), "{}", run.stderr);
}

#[test]
fn init_writes_a_gitignore_for_the_output_and_the_bookkeeping() {
    let site = Site::new();
    assert_eq!(site.run(&["init"]).code, 0);
    assert_eq!(read(&site.path().join(".gitignore")), "public/\n.gloss/\n");
}

#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_gitignore_symlink() {
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.path().join("their-file");
    // Dangling, then pointing at a file outside the folder.
    for exists in [false, true] {
        if exists {
            std::fs::write(&target, "theirs\n").unwrap_or_else(|e| panic!("{e}"));
        }
        let site = Site::new();
        let link = site.path().join(".gitignore");
        std::os::unix::fs::symlink(&target, &link).unwrap_or_else(|e| panic!("{e}"));
        let run = site.run(&["init"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            std::fs::symlink_metadata(&link).is_ok_and(|m| m.is_symlink()),
            "the link was replaced"
        );
        assert_eq!(std::fs::read_link(&link).ok().as_deref(), Some(&*target));
        if exists {
            assert_eq!(read(&target), "theirs\n");
        } else {
            assert!(!target.exists(), "written through the dangling link");
        }
        assert!(run.stderr.contains("kept .gitignore"), "{}", run.stderr);
    }
}

#[test]
fn init_keeps_existing_files_and_adds_the_missing_ones() {
    let site = Site::new();
    site.file("README.md", "# My archive\n");
    site.file("site.yaml", "title: Mine\n");
    let run = site.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&site.path().join("README.md")), "# My archive\n");
    assert_eq!(read(&site.path().join("site.yaml")), "title: Mine\n");
    assert!(run.stderr.contains("kept site.yaml"), "{}", run.stderr);
    assert!(site.path().join(".gitignore").is_file());
    let welcome = format!("content/articles/{}/welcome.md", year());
    assert!(site.path().join(&welcome).is_file(), "{}", run.stderr);
    assert!(run.stderr.contains(&welcome), "{}", run.stderr);

    // A folder with content of its own gets no sample content.
    let archive = Site::new();
    archive.file(
        "content/articles/mine.md",
        "---\ntitle: M\ndate: 2025-01-01\n---\nM.\n",
    );
    let run = archive.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!archive.path().join("content/people").exists());
    assert!(!archive.path().join("content/pages").exists());
    assert!(archive.path().join("site.yaml").is_file());
    assert!(run.stderr.contains("no sample content"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn new_article_refuses_a_dangling_symlink_at_its_path() {
    let site = Site::new();
    site.file("site.yaml", "title: T\n");
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.path().join("planted.md");
    let dir = site.path().join(format!("content/articles/{}", year()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&target, dir.join("court-ruling.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["new", "article", "Court ruling"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the slug `court-ruling` exists: content/articles/{}/court-ruling.md",
            year()
        )),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "written through the link");
}

#[cfg(unix)]
#[test]
fn new_article_refuses_a_year_folder_linked_out_of_the_site() {
    let site = Site::new();
    site.file("site.yaml", "title: T\n");
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(site.path().join("content/articles")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(
        elsewhere.path(),
        site.path().join(format!("content/articles/{}", year())),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["new", "article", "Court ruling"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("outside the site"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).map(|d| d.count()).ok(),
        Some(0)
    );
}

#[test]
fn new_article_refuses_a_slug_used_in_another_year() {
    let site = Site::new();
    site.file("content/articles/2019/court-ruling.md", "old\n");
    let run = site.run(&["new", "article", "Court ruling"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "an article with the slug `court-ruling` exists: content/articles/2019/court-ruling.md"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("choose a different title"),
        "{}",
        run.stderr
    );
    assert!(
        !site
            .path()
            .join(format!("content/articles/{}", year()))
            .exists()
    );
    assert_eq!(
        read(&site.path().join("content/articles/2019/court-ruling.md")),
        "old\n"
    );
}

#[test]
fn new_article_refuses_a_slug_that_differs_only_in_case() {
    let site = Site::new();
    site.file("content/articles/archive/Court-Ruling.md", "old\n");
    let run = site.run(&["new", "article", "Court ruling"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/articles/archive/Court-Ruling.md"),
        "{}",
        run.stderr
    );
    // A different title is fine.
    let run = site.run(&["new", "article", "Court ruling appealed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
