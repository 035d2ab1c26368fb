//! What the preview server serves: the last good build (its static files in memory, its
//! pages rendered on request into a cache) and the problems of the latest build. The
//! build loop replaces it; the HTTP thread only reads it.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use tokio::sync::broadcast;

use super::pages::{DEFAULT_BUDGET, Generation, PageCache, Renders};

/// The bytes of one served file, always in memory: the HTTP thread never reads the disk.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered in memory (shared, so a new build copies nothing it did not change).
    Bytes(Arc<[u8]>),
    /// A static file, read when the snapshot was built.
    Static {
        /// Its bytes, shared with earlier snapshots while the file is unchanged.
        bytes: Arc<[u8]>,
        /// Where they were read from.
        from: PathBuf,
        /// The file's stamp when it was read: a rebuild reads it again only when the
        /// stamp differs (or the watcher reported the path).
        stamp: Stamp,
    },
}

impl Body {
    /// The bytes to serve.
    pub fn bytes(&self) -> &Arc<[u8]> {
        match self {
            Body::Bytes(bytes) | Body::Static { bytes, .. } => bytes,
        }
    }
}

/// What tells a file's version apart without reading it: its size, modification time and
/// (on Unix) device and inode, so a file replaced by a rename counts as changed even with
/// the same size and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    device: u64,
    inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            device,
            inode,
        }
    }
}

/// One build as the server sees it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The files read or made when the build was done (static files), by their path in
    /// the site (`style.css`). A persistent map, so a rebuild copies it in O(1) and
    /// changes only the files that changed. A path here wins over a page.
    pub files: imbl::OrdMap<String, Body>,
    /// What its pages are rendered from, on request; `None` before the first good build.
    pub pages: Option<Arc<Generation>>,
    /// The located problems of the latest build, as the terminal shows them (plain text);
    /// `None` when it succeeded. Shown as an overlay on every page.
    pub errors: Option<Arc<str>>,
}

/// What the build loop tells connected browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: reload them without reloading the page.
    Css,
    /// The build failed: show these errors (plain text).
    Errors(Arc<str>),
}

impl Snapshot {
    /// True when `key` names a file of the snapshot: a file read or made, a page, or a
    /// file of the search index (known once the index is made).
    pub fn has(&self, key: &str) -> bool {
        self.files.contains_key(key)
            || self.pages.as_ref().is_some_and(|g| {
                g.routes.contains(key) || crate::render::on_demand::is_search_file(key)
            })
    }
}

/// State shared between the build loop and the HTTP server.
pub struct Shared {
    /// The current snapshot; replaced whole after each build.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Reload and error events for the browsers' event streams.
    pub events: broadcast::Sender<Event>,
    /// The pages of the current snapshot rendered so far.
    pub(crate) pages: Arc<Mutex<PageCache>>,
    /// The threads that render them.
    pub(crate) renders: Renders,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("snapshot", &self.snapshot)
            .finish_non_exhaustive()
    }
}

/// What a rebuild does to the cached pages (see [`PageCache::advance`]).
pub(crate) struct CacheUpdate {
    /// The cached pages that cannot differ.
    pub(crate) keep: HashSet<String>,
    /// Pages rendered from the new build already.
    pub(crate) fresh: Vec<(String, Arc<[u8]>)>,
}

impl Shared {
    /// State holding `snapshot`, whose pages are cached within the default budget.
    pub fn new(snapshot: Snapshot) -> Arc<Shared> {
        Shared::with_budget(snapshot, DEFAULT_BUDGET)
    }

    /// State holding `snapshot`, whose rendered pages are kept within `budget` bytes.
    pub fn with_budget(snapshot: Snapshot, budget: usize) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        let pages = Arc::new(Mutex::new(PageCache::new(budget)));
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            events,
            renders: Renders::start(Arc::clone(&pages), threads),
            pages,
        })
    }

    /// The page cache, locked.
    pub(crate) fn cache(&self) -> std::sync::MutexGuard<'_, PageCache> {
        self.pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces the snapshot with a new build's, whose cached pages `update` says, and
    /// tells the browsers (no event: nothing they show changed).
    pub(crate) fn publish_build(
        &self,
        snapshot: Snapshot,
        update: CacheUpdate,
        event: Option<Event>,
    ) {
        let number = snapshot.pages.as_ref().map_or(0, |g| g.number);
        self.cache().advance(number, &update.keep, update.fresh);
        self.replace(snapshot);
        if let Some(event) = event {
            let _ = self.events.send(event);
        }
    }

    fn replace(&self, snapshot: Snapshot) {
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
    }

    /// The current snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the snapshot (its pages those of the current one, or none) and tells
    /// the browsers.
    pub fn publish(&self, snapshot: Snapshot, event: Event) {
        self.replace(snapshot);
        // No receivers (no browser open) is fine.
        let _ = self.events.send(event);
    }
}
