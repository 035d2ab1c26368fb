//! What the preview server serves: the last good build, in memory, and the problems of
//! the latest build. The build loop replaces it; the HTTP thread only reads it.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use tokio::sync::broadcast;

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
    /// Every output file by its path in the site (`people/x/index.html`). A persistent
    /// map, so a rebuild copies it in O(1) and changes only the files it rendered.
    pub files: imbl::OrdMap<String, Body>,
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

/// State shared between the build loop and the HTTP server.
#[derive(Debug)]
pub struct Shared {
    /// The current snapshot; replaced whole after each build.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Reload and error events for the browsers' event streams.
    pub events: broadcast::Sender<Event>,
}

impl Shared {
    /// State holding `snapshot`.
    pub fn new(snapshot: Snapshot) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            events,
        })
    }

    /// The current snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the snapshot and tells the browsers.
    pub fn publish(&self, snapshot: Snapshot, event: Event) {
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
        // No receivers (no browser open) is fine.
        let _ = self.events.send(event);
    }
}
