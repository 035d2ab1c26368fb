//! The persistent build cache (`.gloss/cache/`): builds in separate processes that use
//! it give exactly a clean build's files after any edit, parse only what changed, and
//! ignore a cache that is damaged or was made by another gloss, saying so.

use std::path::Path;

use crate::util::{Site, tree};

const CACHE: &str = ".gloss/cache/build.redb";

/// `gloss build` into `public/` with the cache; its stderr (debug log included).
fn cached_build(site: &Site, env: &[(&str, &str)]) -> String {
    let mut env = env.to_vec();
    env.push(("GLOSS_LOG", "debug"));
    let run = site.run_with(&["build"], &env);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run.stderr
}

/// How many Markdown files the build parsed instead of taking from the cache.
fn parsed_anew(stderr: &str) -> usize {
    if stderr.contains("nothing changed since the last build") {
        return 0;
    }
    stderr
        .lines()
        .find_map(|l| l.split("load: ").nth(1)?.strip_suffix(" files parsed anew"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count of parsed files in:\n{stderr}"))
}

/// How many article bodies the build's link rendered instead of taking them from the
/// cache (the first count the log gives: the current site's).
fn bodies_anew(stderr: &str) -> Option<usize> {
    let line = stderr
        .lines()
        .find(|l| l.contains(" bodies rendered anew"))?;
    line.split("link: ")
        .nth(1)?
        .split(" of ")
        .next()?
        .parse()
        .ok()
}

/// How many pages the build rendered, of how many the site has.
fn rendered(stderr: &str) -> Option<(usize, usize)> {
    let line = stderr.lines().find(|l| l.starts_with("render: plan"))?;
    let counts = line.rsplit_once('(')?.1.strip_suffix(" pages)")?;
    let (done, all) = counts.split_once(" of ")?;
    Some((done.parse().ok()?, all.parse().ok()?))
}

/// How many parts of `/annotations.jsonld` the build made, of how many the file has;
/// `None` when the file was not made again.
fn annotation_parts(stderr: &str) -> Option<(usize, usize)> {
    let line = stderr
        .lines()
        .find_map(|l| l.split("annotations.jsonld: ").nth(1))?;
    let (made, all) = line.strip_suffix(" parts made")?.split_once(" of ")?;
    Some((made.parse().ok()?, all.parse().ok()?))
}

/// What the search index's update did: documents keyed anew, of how many, and shards
/// made, of how many; `None` when the index was made whole (or not at all).
fn search_update(stderr: &str) -> Option<[usize; 4]> {
    let line = stderr
        .lines()
        .filter_map(|l| l.split("search: ").nth(1))
        .find(|l| l.contains(" documents keyed anew"))?;
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(4)
        .collect();
    numbers.try_into().ok()
}

/// Asserts that `public/` holds exactly what a clean build (no cache) makes.
fn assert_clean(site: &Site, when: &str) {
    let run = site.run(&["--no-cache", "build", "--output", "clean"]);
    assert_eq!(run.code, 0, "clean build failed:\n{}", run.stderr);
    let (cached, clean) = (
        tree(&site.path().join("public")),
        tree(&site.path().join("clean")),
    );
    let paths =
        |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&cached), paths(&clean), "{when}: other files");
    for (path, bytes) in &clean {
        assert!(
            cached.get(path) == Some(bytes),
            "{when}: {path} differs from a clean build"
        );
    }
    std::fs::remove_dir_all(site.path().join("clean")).unwrap_or_else(|e| panic!("{e}"));
}

fn articles(site: &Site) -> Vec<String> {
    let dir = site.path().join("content/articles/2025");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| format!("content/articles/2025/{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

fn edit(site: &Site, rel: &str, f: impl FnOnce(String) -> String) {
    let text = site.read_file(rel);
    site.file(rel, &f(text));
}

/// Random edits of every kind between builds, each build a new process: the cached
/// build's output equals a clean build's after every one, only the edited files are
/// parsed again, and only the edited (or added) articles' bodies are rendered again. The edits
/// include those that change what bodies are made from besides their own text: a
/// source's archived copy (quote checks), a date (the order), a quote's words
/// appearing in a body (anchoring), a person's profile.
#[test]
fn random_edits_between_builds_equal_a_clean_build() {
    let site = Site::sample();
    let first = cached_build(&site, &[]);
    assert!(parsed_anew(&first) > 10, "a first build parses every file");
    assert!(site.path().join(CACHE).is_file());
    // A file saved again unchanged: the build is not skipped as up to date (a later
    // modification time), so it runs, and takes every file from the cache.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let seed = site.path().join("content/articles/2025/what-is-cecot.md");
    let text = std::fs::read(&seed).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&seed, text).unwrap_or_else(|e| panic!("{e}"));
    let again = cached_build(&site, &[]);
    assert_eq!(parsed_anew(&again), 0, "{again}");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html");
    let base = std::fs::read_to_string(base).unwrap_or_else(|e| panic!("{e}"));
    // A fixed-seed generator: the same edits every run.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut kinds = std::collections::BTreeSet::new();
    for round in 0..20 {
        let list = articles(&site);
        let pick = list[next(list.len() as u64) as usize].clone();
        let (what, edited) = match next(9) {
            0 => {
                edit(&site, &pick, |t| {
                    format!("{t}\nRound {round} adds a sentence.\n")
                });
                ("a body", 1)
            }
            1 => {
                edit(&site, &pick, |t| {
                    t.replacen("    text: \"", &format!("    text: \"Round {round}: "), 1)
                });
                ("a quote", 1)
            }
            2 => {
                let role = format!("role: Role of round {round}\n");
                edit(&site, "content/people/nayib-bukele.md", |t| {
                    let kept: Vec<&str> = t.lines().filter(|l| !l.starts_with("role:")).collect();
                    kept.join("\n")
                        .replacen("---\n", &format!("---\n{role}"), 1)
                        + "\n"
                });
                ("a person", 1)
            }
            3 => {
                let marked = base.replacen("</head>", &format!("<!-- round {round} --></head>"), 1);
                site.file("templates/base.html", &marked);
                ("a template", 0)
            }
            5 => {
                edit(&site, "content/sources/bukele-x-2025-12-23.md", |t| {
                    if t.contains("straightforward") {
                        t.replacen("straightforward", "simple", 1)
                    } else {
                        t.replacen("simple", "straightforward", 1)
                    }
                });
                ("a copy", 0)
            }
            6 => {
                let day = 1 + next(28);
                edit(&site, &pick, |t| {
                    t.lines()
                        .map(|l| {
                            if l.starts_with("date: ") {
                                format!("date: 2025-11-{day:02}")
                            } else {
                                l.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                        + "\n"
                });
                ("a date", 1)
            }
            7 => {
                // The words of a quote come to the body: anchoring finds it there.
                edit(&site, &pick, |t| {
                    let quote = t
                        .lines()
                        .find_map(|l| l.trim().strip_prefix("text: \""))
                        .and_then(|l| l.strip_suffix('"'))
                        .map(|q| q.replace("\\\"", "\""))
                        .unwrap_or_default();
                    format!("{t}\nAs said: {quote}\n")
                });
                ("an anchored quote", 1)
            }
            // Other articles link to that one.
            4 if list.len() > 1 && !pick.ends_with("bukele-dares-clinton-prison-population.md") => {
                std::fs::remove_file(site.path().join(&pick)).unwrap_or_else(|e| panic!("{e}"));
                ("a deleted article", 0)
            }
            _ => {
                site.file(
                    &format!("content/articles/2025/new-{round}.md"),
                    &format!(
                        "---\ntitle: New {round}\ndate: 2025-12-{:02}\ntopics: [cecot]\nspeakers: [nayib-bukele]\nquotes:\n  - speaker: nayib-bukele\n    text: \"Words of round {round}\"\n---\nNayib Bukele said: Words of round {round}.\n",
                        1 + next(28)
                    ),
                );
                ("an added article", 1)
            }
        };
        kinds.insert(what);
        let stderr = cached_build(&site, &[]);
        let when = format!("round {round}, after {what} ({pick})");
        // An edit in place renders only the pages that show it; a template, all.
        if let Some((done, all)) = rendered(&stderr) {
            match what {
                "a body" | "a quote" | "an anchored quote" => {
                    assert!(done < all, "{when}: {done} of {all} pages")
                }
                "a template" => assert_eq!(done, all, "{when}"),
                _ => {}
            }
        }
        if let ("a body", Some((made, _))) = (what, annotation_parts(&stderr)) {
            assert!(made <= 1, "{when}: {made} annotation parts made");
        }
        assert!(
            parsed_anew(&stderr) <= edited,
            "{when}: parsed {} files anew",
            parsed_anew(&stderr)
        );
        // A publish renders the new body only: the others did not look it up.
        if matches!(
            what,
            "a body" | "a quote" | "a template" | "an anchored quote" | "an added article"
        ) {
            let anew = bodies_anew(&stderr);
            assert!(
                anew.is_some_and(|n| n <= edited),
                "{when}: {anew:?} bodies rendered anew"
            );
        }
        assert_clean(&site, &when);
    }
    assert_eq!(kinds.len(), 9, "every kind of edit was made: {kinds:?}");
}

/// Each article's part of `/annotations.jsonld` is made once and kept in the cache: a
/// body edit makes that article's part again and copies the others, a build into an
/// empty output (every page rendered) makes none, a template edit all; the
/// file is a clean build's every time.
#[test]
fn annotation_parts_are_kept_in_the_cache() {
    let site = Site::sample();
    let first = cached_build(&site, &[]);
    let (made, all) = annotation_parts(&first).unwrap_or_else(|| panic!("{first}"));
    assert!(all >= 2 && made == all, "{made} of {all}");
    let annotated = "content/articles/2025/what-is-cecot.md";
    edit(&site, annotated, |t| {
        format!(
            "{t}
One more sentence.
"
        )
    });
    let stderr = cached_build(&site, &[]);
    assert_eq!(annotation_parts(&stderr), Some((1, all)), "{stderr}");
    assert_clean(&site, "after a body edit");
    // Every page rendered again (output and its records gone), from the cache: no part
    // made.
    for gone in ["public", ".gloss/outputs"] {
        std::fs::remove_dir_all(site.path().join(gone)).unwrap_or_else(|e| panic!("{e}"));
    }
    let stderr = cached_build(&site, &[]);
    assert_eq!(annotation_parts(&stderr), Some((0, all)), "{stderr}");
    assert_clean(&site, "after a full render");
    // The marks' markup is the theme's: a template edit makes every part again.
    let mark = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/mark.html");
    let mark = std::fs::read_to_string(mark).unwrap_or_else(|e| panic!("{e}"));
    site.file("templates/mark.html", &format!("{mark}{{# edited #}}"));
    let stderr = cached_build(&site, &[]);
    assert_eq!(annotation_parts(&stderr), Some((all, all)), "{stderr}");
    assert_clean(&site, "after a template edit");
}

/// How many parts of `/annotations.jsonld` the build took by the keys the previous
/// build made them under (without hashing what they are made from).
fn parts_known(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            l.split("annotations.jsonld: ")
                .nth(1)?
                .strip_suffix(" parts by the previous build's keys")
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of known parts in:\n{stderr}"))
}

/// The part keys of `/annotations.jsonld` a build made its file of are kept for the
/// next build of the same output, which takes the parts of the articles whose pages
/// show nothing changed by those keys: after a build of another output folder with
/// the same cache, and after an edit that changes what another article's marks show
/// (a quote it shares), the file is still a clean build's.
#[test]
fn annotation_part_keys_are_taken_from_the_previous_build() {
    let site = Site::sample();
    cached_build(&site, &[]);
    let annotated = "content/articles/2025/what-is-cecot.md";
    edit(&site, annotated, |t| format!("{t}\nOne more sentence.\n"));
    let stderr = cached_build(&site, &[]);
    let (made, all) = annotation_parts(&stderr).unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!((made, parts_known(&stderr)), (1, all - 1), "{stderr}");
    assert_clean(&site, "after a body edit");
    // Another output folder, with the same cache, and then an edit of another kind.
    let run = site.run(&["build", "--output", "other"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    edit(&site, annotated, |t| format!("{t}\nAnd another.\n"));
    let stderr = cached_build(&site, &[]);
    assert_eq!(
        annotation_parts(&stderr).map(|(m, _)| m),
        Some(1),
        "{stderr}"
    );
    assert_clean(&site, "after a build elsewhere and an edit");
    for rel in articles(&site) {
        edit(&site, &rel, |t| {
            if t.contains("title: \"") {
                t.replacen("title: \"", "title: \"Renamed ", 1)
            } else {
                t.replacen("title: ", "title: Renamed ", 1)
            }
        });
        cached_build(&site, &[]);
        assert_clean(&site, &format!("after renaming {rel}"));
    }
}

/// How many parts of `/annotations.jsonld` waited in memory for the file instead of in
/// the store.
fn parts_in_memory(stderr: &str) -> Option<usize> {
    stderr
        .lines()
        .find_map(|l| {
            l.split("annotations.jsonld: ")
                .nth(1)?
                .strip_suffix(" parts held in memory")
        })?
        .parse()
        .ok()
}

/// Each part of `/annotations.jsonld` goes to the store as its article's page makes it,
/// with the build cache and without (`--no-cache`, a scratch store): none waits in memory
/// for the file, whose size grows with the archive (issue 19, bounded memory), and the
/// file is a clean build's.
#[test]
fn annotation_parts_do_not_wait_in_memory() {
    let site = Site::sample();
    let run = site.run_with(
        &["--no-cache", "build", "--output", "scratch"],
        &[("GLOSS_LOG", "debug")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parts = annotation_parts(&run.stderr).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(parts.0 == parts.1 && parts.1 >= 2, "{parts:?}");
    assert_eq!(parts_in_memory(&run.stderr), Some(0), "{}", run.stderr);
    let cached = cached_build(&site, &[]);
    assert_eq!(parts_in_memory(&cached), Some(0), "{cached}");
    let file = |out: &str| tree(&site.path().join(out)).remove("annotations.jsonld");
    let scratch = file("scratch");
    assert!(scratch.as_ref().is_some_and(|f| !f.is_empty()));
    assert_eq!(scratch, file("public"));
    assert_clean(&site, "after the first build");
}

/// An article that moves to another month while keeping its place in the order (the
/// oldest stays the oldest) changes the pages of the years it left and joined and of
/// their months (each lists its year's months with their counts): they are rendered
/// again, not kept. Found by the random edits once a date edit stopped rendering every
/// body again (which had made every page count as changed).
#[test]
fn a_date_edit_renders_the_month_the_article_left() {
    let site = Site::sample();
    let new = "content/articles/2025/oldest.md";
    let article = |date: &str| {
        format!("---\ntitle: Oldest\ndate: {date}\ntopics: [cecot]\n---\nThe oldest article.\n")
    };
    site.file(new, &article("2025-12-01"));
    cached_build(&site, &[]);
    site.file(new, &article("2025-11-15"));
    let stderr = cached_build(&site, &[]);
    assert!(
        rendered(&stderr).is_some_and(|(done, all)| done < all),
        "{stderr}"
    );
    assert_clean(&site, "after the move to November");
    site.file(new, &article("2024-10-15"));
    cached_build(&site, &[]);
    assert_clean(&site, "after the move to 2024");
}

/// An edit of an article with a warning of its front matter (here a quote without a
/// source) patches the previous archive, as one without does, instead of linking the
/// earlier site again.
#[test]
fn an_article_with_warnings_patches_the_previous_archive() {
    let site = Site::sample();
    let rel = "content/articles/2025/warned.md";
    let article = |body: &str| {
        format!(
            "---\ntitle: Warned\ndate: 2025-12-20\nspeakers: [nayib-bukele]\nquotes:\n  - speaker: nayib-bukele\n    text: \"Warned words\"\n---\nHe said: Warned words. {body}\n"
        )
    };
    site.file(rel, &article("First."));
    let first = cached_build(&site, &[]);
    assert!(
        first.contains("without `source:`") || first.contains("W005"),
        "{first}"
    );
    site.file(rel, &article("First, and more."));
    let stderr = cached_build(&site, &[]);
    assert!(stderr.contains("incremental: patched"), "{stderr}");
    assert_clean(&site, "after the edit");
}

/// Bodies hold relative links only, so another base URL (`--base-url`, or `gloss
/// serve`'s own address) takes every body from the cache a build filled.
#[test]
fn another_base_url_reuses_the_cached_bodies() {
    let site = Site::sample();
    cached_build(&site, &[]);
    let run = site.run_with(
        &[
            "build",
            "--base-url",
            "https://mirror.example.org/",
            "--output",
            "mirror",
        ],
        &[("GLOSS_LOG", "debug")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(bodies_anew(&run.stderr), Some(0), "{}", run.stderr);
    let page = site.read_file("mirror/index.html");
    assert!(
        page.contains("https://mirror.example.org/"),
        "the new base URL is used"
    );
}

/// Damaged caches (garbage, cut short) are set aside with a notice, and the build's
/// output is a clean build's.
#[test]
fn a_damaged_cache_is_ignored_with_a_notice() {
    let site = Site::sample();
    cached_build(&site, &[]);
    let bytes = std::fs::read(site.path().join(CACHE)).unwrap_or_else(|e| panic!("{e}"));
    for (name, damaged) in [
        ("garbage", b"this is not a gloss build cache".repeat(100)),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("empty", Vec::new()),
    ] {
        site.bytes(CACHE, &damaged);
        // An edit, so the build is not skipped as up to date.
        edit(&site, "content/pages/about.md", |t| {
            format!("{t}\n{name}\n")
        });
        let stderr = cached_build(&site, &[]);
        if name != "empty" {
            assert!(
                stderr.contains("ignoring the build cache"),
                "{name}: no notice in\n{stderr}"
            );
        }
        assert!(!stderr.contains(": error:"), "{name}: {stderr}");
        assert_clean(&site, name);
        let after = cached_build(&site, &[]);
        assert_eq!(
            parsed_anew(&after),
            0,
            "{name}: a new cache is used: {after}"
        );
    }
}

/// A cache made by another gloss is emptied with a notice; nothing of it is used.
#[test]
fn a_cache_of_another_gloss_is_ignored_with_a_notice() {
    let site = Site::sample();
    cached_build(&site, &[("GLOSS_TEST_CACHE_IDENTITY", "gloss 0.0.1 other")]);
    edit(&site, "content/pages/about.md", |t| format!("{t}\nMore.\n"));
    let stderr = cached_build(&site, &[]);
    assert!(
        stderr.contains("the build cache was made by another gloss"),
        "{stderr}"
    );
    assert!(
        parsed_anew(&stderr) > 10,
        "every file parsed again: {stderr}"
    );
    assert_clean(&site, "after a foreign cache");
}

/// `--no-cache` neither reads nor writes the cache.
#[test]
fn no_cache_builds_without_the_cache() {
    let site = Site::sample();
    let run = site.run(&["--no-cache", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join(CACHE).exists(), "no cache written");
}

/// Sets the modification time of the site's file at `rel`.
fn set_mtime(site: &Site, rel: &str, mtime: std::time::SystemTime) {
    let file = std::fs::File::options()
        .write(true)
        .open(site.path().join(rel))
        .unwrap_or_else(|e| panic!("{e}"));
    file.set_modified(mtime).unwrap_or_else(|e| panic!("{e}"));
}

/// How many files the build took by their stamps without reading them.
fn not_read(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            let rest = l.split("load: ").nth(1)?;
            rest.contains("unchanged by their stamps")
                .then(|| rest.split(' ').next()?.parse().ok())?
        })
        .unwrap_or_else(|| panic!("no count of files not read in:\n{stderr}"))
}

/// A build after one that recorded the articles' stamps reads only the articles whose
/// size, modification time or inode changed; yet an edit in the same second as the
/// last build, which a file system keeping whole seconds gives the same time, is seen
/// (the "racy git" rule), and the output equals a clean build.
#[test]
fn unchanged_articles_are_not_read_and_a_same_second_edit_is_seen() {
    let site = Site::sample();
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let list = articles(&site);
    for rel in &list {
        set_mtime(&site, rel, old);
    }
    cached_build(&site, &[]);
    let (edited, other) = (&list[0], &list[1]);
    edit(&site, edited, |t| format!("{t}\nA sentence added.\n"));
    let second = cached_build(&site, &[]);
    assert!(not_read(&second) >= list.len() - 1, "{second}");
    assert_eq!(parsed_anew(&second), 1, "{second}");
    assert_clean(&site, "after an edit");
    // An edit in the second the last build read the file: same size, and the same
    // modification time, as a file system keeping whole seconds would give it.
    edit(&site, other, |t| t.replacen("the", "THE", 1));
    let written = std::fs::metadata(site.path().join(other))
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{e}"));
    cached_build(&site, &[]);
    edit(&site, other, |t| t.replacen("THE", "tHE", 1));
    set_mtime(&site, other, written);
    // A new file too, or the up-to-date check (sizes and times of every source) would
    // skip the build: this is the stamps' test.
    site.file(
        "content/articles/2025/new.md",
        "---\ntitle: New\ndate: 2025-03-01\n---\nText.\n",
    );
    let third = cached_build(&site, &[]);
    assert_eq!(parsed_anew(&third), 2, "{third}");
    assert_clean(&site, "after an edit in the second of the last build");
}

/// The output paths of the pages a build planned to render (its debug log), when it
/// rendered few enough to list them.
fn planned(stderr: &str) -> std::collections::BTreeSet<String> {
    stderr
        .lines()
        .find_map(|l| l.split("render: pages planned: ").nth(1))
        .map(|l| l.split(' ').map(str::to_string).collect())
        .unwrap_or_else(|| panic!("no list of pages planned in:\n{stderr}"))
}

/// An article of the publish test: dated `date`, on `topic`, quoting `speaker` with
/// `words` (disputed when `disputed`), with a correction.
fn listed_article(
    title: &str,
    date: &str,
    topic: &str,
    speaker: &str,
    words: &str,
    disputed: bool,
) -> String {
    let status = if disputed { "disputed" } else { "sourced" };
    format!(
        "---\ntitle: {title}\ndate: {date}\ntopics: [{topic}]\nspeakers: [{speaker}]\nquotes:\n  - speaker: {speaker}\n    text: \"{words}\"\n    status: {status}\nannotations:\n  - on: \"said\"\n    kind: correction\n    note: \"Corrected.\"\n---\n{speaker} said: {words}.\n"
    )
}

/// Publishing or deleting an article in a site of paginated lists (two items a page)
/// renders the pages whose window of a list changed and the pages that show the new
/// article, not the others: the article pages of the rest and the lists of entities it
/// does not touch are kept, and the output is a clean build's every time. The
/// articles land at the end of the order, in the middle, at the start, in a new
/// month, and share a quote with another.
#[test]
fn a_publish_renders_only_the_windows_it_shifts() {
    let site = Site::new();
    site.file(
        "site.yaml",
        "title: Lists\nbase_url: https://lists.example.org/\npaginate: 2\n",
    );
    let people = ["ana-pop", "ben-roe", "cy-lee"];
    let topics = ["alpha", "beta", "gamma"];
    for p in people {
        site.file(
            &format!("content/people/{p}.md"),
            &format!("---\nname: {p}\n---\n"),
        );
    }
    for t in topics {
        site.file(
            &format!("content/topics/{t}.md"),
            &format!("---\nname: {t}\n---\n"),
        );
    }
    for i in 0..14 {
        let (p, t) = (people[i % 3], topics[i % 2]);
        site.file(
            &format!("content/articles/a{i:02}.md"),
            &listed_article(
                &format!("Article {i}"),
                &format!("2024-{:02}-{:02}", 1 + i % 4, 1 + i),
                t,
                p,
                &format!("Words number {i}"),
                i % 5 == 0,
            ),
        );
    }
    cached_build(&site, &[]);
    assert_clean(&site, "the first build");
    let publishes: [(&str, String); 6] = [
        (
            "an oldest article",
            listed_article(
                "Oldest",
                "2023-12-31",
                "alpha",
                "ana-pop",
                "Oldest words",
                false,
            ),
        ),
        (
            "a newest article",
            listed_article(
                "Newest",
                "2024-06-30",
                "beta",
                "ben-roe",
                "Newest words",
                true,
            ),
        ),
        (
            "an article in the middle",
            listed_article(
                "Middle",
                "2024-02-20",
                "alpha",
                "cy-lee",
                "Middle words",
                false,
            ),
        ),
        (
            "an article quoting another's words",
            listed_article(
                "Again",
                "2024-03-25",
                "beta",
                "ana-pop",
                "Words number 3",
                false,
            ),
        ),
        (
            "an article of a new month",
            listed_article(
                "Later",
                "2024-08-01",
                "alpha",
                "ben-roe",
                "Later words",
                false,
            ),
        ),
        (
            "an article on gamma only",
            listed_article(
                "Gamma",
                "2024-01-02",
                "gamma",
                "cy-lee",
                "Gamma words",
                false,
            ),
        ),
    ];
    for (k, (what, text)) in publishes.iter().enumerate() {
        site.file(&format!("content/articles/p{k}.md"), text);
        let stderr = cached_build(&site, &[]);
        let (done, all) = rendered(&stderr).unwrap_or_else(|| panic!("{what}: {stderr}"));
        assert!(done < all, "{what}: {done} of {all} pages rendered");
        let planned = planned(&stderr);
        // The articles before it keep their pages; the lists of entities it does not
        // name keep theirs.
        for kept in [
            "articles/article-2/index.html",
            "articles/article-9/index.html",
        ] {
            assert!(!planned.contains(kept), "{what}: {kept} rendered");
        }
        let entity = |t: &&str| {
            text.contains(&format!("[{t}]")) || text.contains(&format!("speakers: [{t}]"))
        };
        for other in people.iter().chain(&topics).filter(|t| !entity(t)) {
            let kind = if people.contains(other) {
                "people"
            } else {
                "topics"
            };
            let page = format!("{kind}/{other}/index.html");
            assert!(!planned.contains(&page), "{what}: {page} rendered");
        }
        assert_clean(&site, &format!("after {what}"));
    }
    // Deleting articles shifts the windows the other way.
    for gone in ["a07", "p1", "a00"] {
        std::fs::remove_file(site.path().join(format!("content/articles/{gone}.md")))
            .unwrap_or_else(|e| panic!("{e}"));
        let stderr = cached_build(&site, &[]);
        let (done, all) = rendered(&stderr).unwrap_or_else(|| panic!("{gone}: {stderr}"));
        assert!(
            done < all,
            "deleting {gone}: {done} of {all} pages rendered"
        );
        assert_clean(&site, &format!("after deleting {gone}"));
    }
}

/// The search index is kept in the cache: after a body edit the build keys that
/// article's words again and makes only the shards whose terms changed, and the index
/// is a clean build's, whether the edit adds words (some new to the archive), takes them
/// out again or renames the article; with the output gone, every file is put again from
/// the cache. A generated archive, so that prefixes split into several shards.
#[test]
fn a_body_edit_updates_the_search_index_from_the_cache() {
    let site = Site::new();
    crate::util::gen_corpus(150, site.path());
    let first = cached_build(&site, &[]);
    assert_eq!(
        search_update(&first),
        None,
        "a first build makes the index whole"
    );
    let mut list: Vec<String> = walkdir::WalkDir::new(site.path().join("content/articles"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(site.path())
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    list.sort();
    let pick = list[list.len() / 2].clone();
    let original = site.read_file(&pick);
    let edits: [(&str, String); 3] = [
        (
            "words added",
            format!("{original}\nZqxal zqxamor flurbished the vote, and the vote again.\n"),
        ),
        ("words taken out", original.clone()),
        (
            "a new headline",
            original.replacen("title: ", "title: Zqxal ", 1),
        ),
    ];
    for (what, text) in edits {
        site.file(&pick, &text);
        let stderr = cached_build(&site, &[]);
        let [keyed, docs, made, shards] =
            search_update(&stderr).unwrap_or_else(|| panic!("{what}: no update\n{stderr}"));
        assert_eq!(keyed, 1, "{what}: {keyed} of {docs} documents keyed anew");
        // A new headline moves every word of the article by a position: most of its
        // terms change; words at the body's end change only theirs.
        let most = if what == "a new headline" {
            shards
        } else {
            shards / 4
        };
        assert!(
            made > 0 && made <= most,
            "{what}: {made} of {shards} shards made"
        );
        assert_clean(&site, what);
    }
    for gone in ["public", ".gloss/outputs"] {
        std::fs::remove_dir_all(site.path().join(gone)).unwrap_or_else(|e| panic!("{e}"));
    }
    let stderr = cached_build(&site, &[]);
    assert!(search_update(&stderr).is_some(), "{stderr}");
    assert_clean(&site, "after the output was removed");
}
