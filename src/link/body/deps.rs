//! What one article's body read of the other articles and of the site's files while it
//! was rendered: the `article:` keys and slugs its links looked up and the output paths
//! its relative and root-relative links looked for, with a hash of the answers. A body
//! stored in the cache is reused while the same lookups give the same answers, so a new
//! article (new pages, a new slug) renders again only the bodies that link to it or to
//! its paths, not every body of the archive (which a hash of every article's key and
//! every output path in the body's key did).

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use super::super::Lookup;

/// The lookups of one body, and a hash of their answers when it was rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Deps {
    /// Article keys and slugs looked up, sorted, each once.
    names: Vec<String>,
    /// Output paths looked up, sorted, each once.
    files: Vec<String>,
    /// A hint compared the target with every article slug: the body depends on all of
    /// them ([`Lookup::targets`]).
    broad: bool,
    /// A hash of the answers.
    answers: u64,
}

/// The lookups of a body being rendered.
#[derive(Debug, Default)]
pub(super) struct Recorder {
    names: BTreeSet<String>,
    files: BTreeSet<String>,
    broad: bool,
}

/// Notes a lookup of article key or slug `name` in `used`, if recording.
pub(super) fn name(used: Option<&Mutex<Recorder>>, name: &str) {
    if let Some(u) = used {
        let mut u = u.lock().unwrap_or_else(PoisonError::into_inner);
        if !u.names.contains(name) {
            u.names.insert(name.to_string());
        }
    }
}

/// Notes a lookup of output path `path` in `used`, if recording.
pub(super) fn file(used: Option<&Mutex<Recorder>>, path: &str) {
    if let Some(u) = used {
        let mut u = u.lock().unwrap_or_else(PoisonError::into_inner);
        if !u.files.contains(path) {
            u.files.insert(path.to_string());
        }
    }
}

/// Notes that every article slug was read (a did-you-mean hint).
pub(super) fn broad(used: Option<&Mutex<Recorder>>) {
    if let Some(u) = used {
        u.lock().unwrap_or_else(PoisonError::into_inner).broad = true;
    }
}

impl Recorder {
    /// The lookups noted in `used`, with the answers `lookup` gives them.
    pub(super) fn finish(used: Mutex<Recorder>, lookup: &Lookup) -> Deps {
        let this = used.into_inner().unwrap_or_else(PoisonError::into_inner);
        let mut deps = Deps {
            names: this.names.into_iter().collect(),
            files: this.files.into_iter().collect(),
            broad: this.broad,
            answers: 0,
        };
        deps.answers = answers(&deps, lookup);
        deps
    }
}

impl Deps {
    /// True when `lookup` gives every lookup of the body the answer it had.
    pub(super) fn hold(&self, lookup: &Lookup) -> bool {
        answers(self, lookup) == self.answers
    }
}

fn answers(deps: &Deps, lookup: &Lookup) -> u64 {
    let mut h = DefaultHasher::new();
    for n in &deps.names {
        (n, lookup.slugs.get(n), lookup.articles.get(n)).hash(&mut h);
    }
    for f in &deps.files {
        (f, lookup.site_files.contains(f)).hash(&mut h);
    }
    if deps.broad {
        lookup.targets.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(articles: &[(&str, &str)], files: &[&str]) -> Lookup {
        let mut slugs: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (k, _) in articles {
            slugs
                .entry((*k).to_string())
                .or_default()
                .push((*k).to_string());
        }
        Lookup {
            articles: articles
                .iter()
                .map(|(k, d)| ((*k).to_string(), (*d).to_string()))
                .collect(),
            site_files: files.iter().map(|f| (*f).to_string()).collect(),
            rasters: Default::default(),
            slugs,
            environment: 0,
            targets: articles.len() as u64,
        }
    }

    #[test]
    fn a_body_holds_while_its_lookups_answer_alike() {
        let before = lookup(&[("a", "articles/a/")], &["about/index.html"]);
        let used = Mutex::new(Recorder::default());
        name(Some(&used), "a");
        name(Some(&used), "missing");
        file(Some(&used), "about/index.html");
        file(Some(&used), "new/index.html");
        let deps = Recorder::finish(used, &before);
        assert!(deps.hold(&before));
        // Another article and another page that the body did not look up: still holds.
        let other = lookup(
            &[("a", "articles/a/"), ("b", "articles/b/")],
            &["about/index.html", "articles/b/index.html"],
        );
        assert!(deps.hold(&other));
        // What it looked up changes: a target appears, moves, or a page appears.
        for changed in [
            lookup(
                &[("a", "articles/a/"), ("missing", "m/")],
                &["about/index.html"],
            ),
            lookup(&[("a", "2025/a/")], &["about/index.html"]),
            lookup(
                &[("a", "articles/a/")],
                &["about/index.html", "new/index.html"],
            ),
            lookup(&[("a", "articles/a/")], &[]),
        ] {
            assert!(!deps.hold(&changed), "{changed:?}");
        }
    }

    #[test]
    fn a_hint_over_every_slug_depends_on_them_all() {
        let before = lookup(&[("a", "articles/a/")], &[]);
        let used = Mutex::new(Recorder::default());
        broad(Some(&used));
        let deps = Recorder::finish(used, &before);
        assert!(deps.hold(&before));
        assert!(!deps.hold(&lookup(&[("a", "articles/a/"), ("b", "b/")], &[])));
    }
}
