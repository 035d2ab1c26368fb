//! Builds killed at random moments (SIGKILL, SIGINT) leave the output usable, and two
//! builds into one output folder take turns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Site, copy_dir, tree};

type Tree = BTreeMap<String, Vec<u8>>;

/// Two versions of a generated archive: `a` as generated, and `b` with another title
/// (every page changes), some articles removed (stale pages) and some added in a new
/// year (new folders); with their outputs built into clean folders, for reference.
struct Versions {
    site: Site,
    roots: [PathBuf; 2],
    /// The site the builds under test read: one root (gloss keeps an output's records in
    /// its site's `.gloss/`), whose sources [`Versions::command`] sets to a version's.
    live: PathBuf,
    /// The version the live site holds now.
    current: std::cell::Cell<Option<usize>>,
    refs: [Tree; 2],
}

impl Versions {
    fn new(articles: usize) -> Versions {
        let site = Site::new();
        let a = site.path().join("a");
        crate::util::gen_corpus(articles, &a);
        let b = site.path().join("b");
        copy_dir(&a, &b);
        let yaml = std::fs::read_to_string(b.join("site.yaml")).unwrap_or_default();
        let yaml: String = yaml
            .lines()
            .map(|l| {
                if l.starts_with("title:") {
                    "title: \"The other archive\"\n".to_string()
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(b.join("site.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
        let mut md: Vec<PathBuf> = walkdir::WalkDir::new(b.join("content/articles"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        md.sort();
        for p in md.iter().take(10) {
            std::fs::remove_file(p).unwrap_or_else(|e| panic!("{e}"));
        }
        for i in 1..=5 {
            let p = b.join(format!("content/articles/2031/fresh-{i}.md"));
            std::fs::create_dir_all(p.parent().unwrap_or(&b)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(
                &p,
                format!("---\ntitle: Fresh {i}\ndate: 2031-01-0{i}\n---\nBody {i}.\n"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let refs = [&a, &b].map(|root| {
            let out = site.path().join(format!(
                "ref-{}",
                root.file_name().unwrap_or_default().to_string_lossy()
            ));
            build(root, &out);
            site_files(&out)
        });
        assert_ne!(refs[0], refs[1]);
        let live = site.path().join("live");
        std::fs::create_dir_all(&live).unwrap_or_else(|e| panic!("{e}"));
        Versions {
            site,
            roots: [a, b],
            live,
            current: std::cell::Cell::new(None),
            refs,
        }
    }

    /// A build of `version` into `out`, the live site's sources set to that version's.
    fn command(&self, version: usize, out: &Path) -> Command {
        if self.current.replace(Some(version)) != Some(version) {
            let from = &self.roots[version];
            let content = self.live.join("content");
            if content.exists() {
                std::fs::remove_dir_all(&content).unwrap_or_else(|e| panic!("{e}"));
            }
            copy_dir(&from.join("content"), &content);
            std::fs::copy(from.join("site.yaml"), self.live.join("site.yaml"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_gloss"));
        command
            .args(["build", "--root"])
            .arg(&self.live)
            .arg("--output")
            .arg(out)
            .env("NO_COLOR", "1");
        command
    }
}

/// Builds `root` into `out`; the build must succeed.
fn build(root: &Path, out: &Path) {
    crate::util::succeed(
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["build", "--root"])
            .arg(root)
            .arg("--output")
            .arg(out),
    );
}

/// The site's files in `out`: everything but gloss's bookkeeping (`.gloss-*` at the top:
/// manifest, lock, staging folders, temporary files).
fn site_files(out: &Path) -> Tree {
    tree(out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".gloss-"))
        .collect()
}

/// Names at the top of `out` that a build leaves only when killed.
fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".gloss-staging") || n.starts_with(".gloss-tmp-"))
                .collect()
        })
        .unwrap_or_default()
}

/// A duration printed by the debug log (`{:.2?}`), e.g. `12.34ms`.
fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let unit = s.find(|c: char| c.is_ascii_alphabetic() || c == 'µ')?;
    let value: f64 = s[..unit].parse().ok()?;
    let secs = match &s[unit..] {
        "s" => value,
        "ms" => value / 1e3,
        "µs" => value / 1e6,
        "ns" => value / 1e9,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs))
}

/// A fixed-seed pseudo-random generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `[lo, hi]`.
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi.saturating_sub(lo)).mul_f64(unit)
    }
}

/// Checks the output after a build of `target` was killed, given the output before.
/// Every file is whole, the old or the new version of itself; no file of the previous
/// output is missing unless the new build was already complete (it was removing stale
/// pages); nothing but the two versions' files is published.
fn check_after_kill(v: &Versions, target: usize, before: &Tree, after: &Tree, what: &str) {
    for (path, bytes) in after {
        let versions: Vec<&Vec<u8>> = v.refs.iter().filter_map(|r| r.get(path)).collect();
        assert!(
            !versions.is_empty(),
            "{what}: `{path}` is in neither version of the site"
        );
        assert!(
            versions.contains(&bytes),
            "{what}: `{path}` ({} bytes) is neither version of itself (truncated?)",
            bytes.len()
        );
    }
    let new_complete = v.refs[target].keys().all(|p| after.contains_key(p));
    for path in before.keys() {
        assert!(
            after.contains_key(path) || (new_complete && !v.refs[target].contains_key(path)),
            "{what}: `{path}` of the previous output is missing"
        );
    }
}

/// Which version the output is entirely, if one.
fn version_of(v: &Versions, files: &Tree) -> Option<usize> {
    v.refs.iter().position(|r| r == files)
}

#[test]
fn builds_killed_at_random_moments_leave_every_file_whole() {
    let started = Instant::now();
    let v = Versions::new(150);
    let out = v.site.path().join("out");
    crate::util::succeed(&mut v.command(0, &out));
    assert_eq!(site_files(&out), v.refs[0]);

    // Full builds from a to b and back, timed: kills are spread over a build, half of
    // them near the commit, whose start the debug log gives (the write stage's time
    // before the end). The faster of the two counts: the other ran on a busier machine.
    let mut timings = Vec::new();
    for version in [1, 0] {
        let t = Instant::now();
        let run = v
            .command(version, &out)
            .env("GLOSS_LOG", "debug")
            .output()
            .unwrap_or_else(|e| panic!("run gloss: {e}"));
        let whole = t.elapsed();
        let log = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{log}");
        assert_eq!(site_files(&out), v.refs[version]);
        let write = log
            .lines()
            .find_map(|l| l.trim().strip_prefix("write: "))
            .and_then(parse_duration)
            .unwrap_or(whole / 10);
        timings.push((whole, write));
    }
    let (whole, write) = timings.into_iter().min().unwrap_or_default();
    let commit = whole.saturating_sub(write + Duration::from_millis(20));

    // Kills aimed at the commit fall between the latest SIGKILL that left the output
    // untouched and the earliest that found the build finished: the window narrows on
    // the commit, however fast this machine is today.
    let (mut lo, mut hi) = (commit.saturating_sub(whole / 10), whole);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut current = 0; // the version the output is (when not a mix)
    let (mut untouched, mut mixed, mut finished, mut staging_left) = (0, 0, 0, 0);
    let iterations = 20;
    for i in 0..iterations {
        let target = 1 - current;
        let before = site_files(&out);
        let left_before = leftovers(&out);
        let delay = if i % 2 == 0 {
            rng.between(Duration::ZERO, whole)
        } else {
            rng.between(lo, hi)
        };
        let sigint = i % 3 == 2;
        let mut child = v
            .command(target, &out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn gloss: {e}"));
        std::thread::sleep(delay);
        if sigint {
            let status = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap_or_else(|e| panic!("kill: {e}"));
            assert!(status.success());
        } else {
            // Fails only when the build already ended.
            let _ = child.kill();
        }
        let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
        let after = site_files(&out);
        let what = format!(
            "iteration {i}: {} after {delay:.2?} building {}",
            if sigint { "SIGINT" } else { "SIGKILL" },
            ["a", "b"][target]
        );
        check_after_kill(&v, target, &before, &after, &what);
        if sigint {
            // A signal stops the build before it publishes or lets the commit finish;
            // either way the staging folder is gone.
            use std::os::unix::process::ExitStatusExt as _;
            assert!(
                matches!(status.code(), Some(0 | 130)) || status.signal() == Some(2),
                "{what}: {status}"
            );
            assert!(
                after == before || after == v.refs[target],
                "{what}: the output is a mix"
            );
            // An earlier kill's leftovers stay when this build was stopped before it
            // took the lock.
            let left = leftovers(&out);
            assert!(
                left.iter().all(|l| left_before.contains(l)),
                "{what}: left {left:?}"
            );
        }
        if !leftovers(&out).is_empty() {
            staging_left += 1;
        }
        if after == before {
            untouched += 1;
            if !sigint {
                lo = lo.max(delay);
            }
        } else if after == v.refs[target] {
            finished += 1;
            if !sigint {
                hi = hi.min(delay);
            }
        } else {
            mixed += 1;
        }
        if lo + whole / 50 >= hi {
            // Timing jitter crossed them: widen again.
            lo = hi.saturating_sub(whole / 10);
        }
        // After a mix, the next build goes back to the other version.
        current = version_of(&v, &after).unwrap_or(target);
    }
    println!(
        "{iterations} kills of a {whole:.2?} build (commit from {commit:.2?}): {untouched} before the commit (output untouched), {mixed} during it (old and new files mixed), {finished} after it; {staging_left} left a staging folder; {:.1?} in all",
        started.elapsed()
    );

    // A build that runs to the end removes what the killed ones left and gives exactly
    // the clean build's files.
    for version in [1 - current, current] {
        let run = v
            .command(version, &out)
            .output()
            .unwrap_or_else(|e| panic!("run gloss: {e}"));
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
        assert!(site_files(&out) == v.refs[version], "not a clean build");
    }
}

#[test]
fn two_builds_into_one_output_take_turns() {
    let v = Versions::new(60);
    let out = v.site.path().join("out");
    crate::util::succeed(&mut v.command(0, &out));
    let spawn = || {
        v.command(1, &out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn gloss: {e}"))
    };
    let (first, second) = (spawn(), spawn());
    let runs = [first, second].map(|c| c.wait_with_output().unwrap_or_else(|e| panic!("{e}")));
    let stderr: Vec<String> = runs
        .iter()
        .map(|r| String::from_utf8_lossy(&r.stderr).into_owned())
        .collect();
    for (run, err) in runs.iter().zip(&stderr) {
        assert!(run.status.success(), "{err}");
    }
    let waited = stderr
        .iter()
        .filter(|e| e.contains("waiting for another gloss build into"))
        .count();
    assert_eq!(waited, 1, "{stderr:#?}");
    assert!(site_files(&out) == v.refs[1], "not a clean build");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}
