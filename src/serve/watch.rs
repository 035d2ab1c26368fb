//! Watching the site for changes: which folders to watch, and what a changed path means.
//!
//! Folders are watched recursively, never single files: after an editor's
//! write-then-rename save, a watch on the file itself goes quiet (notify #531). The site
//! root is watched on its own (not recursively) for `site.yaml` and for source folders
//! that appear later.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::is_ignored;

/// The folders of a site whose changes trigger a rebuild.
pub use crate::load::SOURCE_DIRS;

/// What a change touches, from the cheapest rebuild to the most expensive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Not part of the site (output folder, editor leftovers, other files).
    Ignored,
    /// A file under `static/`.
    Static,
    /// A file under `content/`.
    Content,
    /// A template or theme file: everything is rendered again.
    Templates,
    /// `site.yaml`: everything is loaded again.
    Config,
}

/// Classifies a changed path of the site at `root` (pure; `out` is the output folder to
/// ignore, if it lies inside the site).
pub fn classify(root: &Path, out: Option<&Path>, path: &Path) -> ChangeKind {
    if out.is_some_and(|o| path.starts_with(o)) {
        return ChangeKind::Ignored;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| is_ignored(p)) {
        return ChangeKind::Ignored;
    }
    match parts.as_slice() {
        ["site.yaml"] => ChangeKind::Config,
        ["content", ..] => ChangeKind::Content,
        ["static", ..] => ChangeKind::Static,
        // A site's translation files are part of its theme.
        ["templates" | "themes" | "i18n", ..] => ChangeKind::Templates,
        _ => ChangeKind::Ignored,
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching the site at `root`; batches of events arrive on the returned
    /// channel about `debounce` after the last change of a burst.
    pub fn start(
        root: &Path,
        debounce: Duration,
    ) -> notify::Result<(Watcher, mpsc::Receiver<DebounceEventResult>)> {
        let (tx, rx) = mpsc::channel();
        let debouncer = new_debouncer(debounce, None, tx)?;
        let mut w = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        w.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        // Everything is read by the first build, which starts after this.
        let _ = w.watch_new_dirs();
        Ok((w, rx))
    }

    /// Watches source folders created since the last call (e.g. a new `templates/`) and
    /// returns them: files written there before the watch began raised no event, so the
    /// caller must treat the whole folder as changed.
    pub fn watch_new_dirs(&mut self) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir.clone());
                added.push(dir);
            }
        }
        self.watched.retain(|d| d.is_dir());
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_classify_changes() {
        let root = Path::new("/site");
        let out = Some(Path::new("/site/public"));
        let cases = [
            ("/site/site.yaml", ChangeKind::Config),
            ("/site/content/articles/2025/a.md", ChangeKind::Content),
            ("/site/content/people/x.md", ChangeKind::Content),
            ("/site/static/logo.png", ChangeKind::Static),
            ("/site/templates/article.html", ChangeKind::Templates),
            // Issue 18: the site's translation files are part of its theme.
            ("/site/i18n/es.toml", ChangeKind::Templates),
            (
                "/site/themes/default/static/style.css",
                ChangeKind::Templates,
            ),
            ("/site/public/index.html", ChangeKind::Ignored),
            ("/site/content/articles/.a.md.swp", ChangeKind::Ignored),
            ("/site/content/articles/a.md~", ChangeKind::Ignored),
            ("/site/content/articles/.#a.md", ChangeKind::Ignored),
            ("/site/content/articles/4913", ChangeKind::Ignored),
            ("/site/.git/index", ChangeKind::Ignored),
            ("/site/target/debug/gloss", ChangeKind::Ignored),
            ("/site/README.md", ChangeKind::Ignored),
            ("/elsewhere/content/a.md", ChangeKind::Ignored),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(root, out, Path::new(path)), kind, "{path}");
        }
    }
}
