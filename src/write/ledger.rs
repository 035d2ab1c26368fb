//! The build's bookkeeping, kept beside the site and never in the published folder: for
//! each output folder, the manifest of the files gloss wrote there (with their stamps and
//! the fingerprint of the sources of its last clean build) and the lock that keeps two
//! builds from writing into it at once.
//!
//! Layout: `<site>/.gloss/outputs/<key>/{manifest,lock}`, `<key>` a hash of the output
//! folder's path (relative to the site when inside it), so builds into several folders
//! keep separate records. The
//! walker skips `.gloss/` (a hidden folder), it holds its own `.gitignore` (`*`), and
//! gloss refuses a `.gloss` that is a symlink or a file, so a cloned repository cannot
//! make gloss write through it. Records are never trusted to name a place: see
//! [`super::Manifest`].
//!
//! An output folder written by an older gloss holds `.gloss-manifest` and `.gloss-lock`
//! itself: the manifest is read once from there, and both files are removed when the
//! first build that records here completes.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// The bookkeeping folder's name, beside `site.yaml`.
pub const BOOKKEEPING: &str = ".gloss";

/// The manifest of older versions, inside the output folder.
pub const LEGACY_MANIFEST: &str = ".gloss-manifest";
/// The lock file of older versions, inside the output folder.
pub const LEGACY_LOCK: &str = ".gloss-lock";

/// Prefix of the temporary file a record is written through.
pub(crate) const TEMP: &str = ".gloss-tmp-";

/// Where the records of one output folder live.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// `<site>/.gloss/outputs/<key>/`.
    dir: PathBuf,
    /// The output folder (resolved).
    out: PathBuf,
}

impl Ledger {
    /// The records of the output folder `out` (already resolved by
    /// [`super::check_output_dir`]) of the site at `root`. Creates nothing. An output
    /// inside the site is keyed by its path relative to the site, so moving or renaming
    /// the site's folder keeps its records; one elsewhere by its absolute path.
    pub fn of(root: &Path, out: &Path) -> Ledger {
        let site = super::resolve_output(root);
        let name = match super::resolve_output(out).strip_prefix(&site) {
            Ok(rel) => format!("site:{}", rel.display()),
            Err(_) => format!("path:{}", out.display()),
        };
        let key = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
        Ledger {
            dir: root
                .join(BOOKKEEPING)
                .join("outputs")
                .join(format!("{key:016x}")),
            out: out.to_path_buf(),
        }
    }

    /// The output folder these records are about.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The path of the manifest.
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest")
    }

    /// The path of the record of what the last completed build read.
    pub fn state_path(&self) -> PathBuf {
        self.dir.join("state")
    }

    /// The path of the warnings of the last completed build, shown again when the next
    /// build finds the output up to date.
    pub fn warnings_path(&self) -> PathBuf {
        self.dir.join("warnings")
    }

    /// The path of the lock file.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("lock")
    }

    /// Creates the records' folder (and `.gloss/` with its `.gitignore`), refusing to
    /// create anything through a symlink or over a file.
    pub fn create(&self) -> Result<()> {
        let Some(top) = self.dir.parent().and_then(Path::parent) else {
            anyhow::bail!("no bookkeeping folder for {}", self.dir.display());
        };
        make_bookkeeping(top)?;
        let outputs = top.join("outputs");
        make_real_dir(&outputs)?;
        make_real_dir(&self.dir)?;
        Ok(())
    }

    /// The text of the manifest: this folder's, else one an older gloss left in the
    /// output folder; `None` when there is neither.
    pub(crate) fn read(&self) -> Result<Option<String>> {
        for path in [self.manifest_path(), self.out.join(LEGACY_MANIFEST)] {
            match read_regular(&path) {
                Ok(Some(text)) => return Ok(Some(text)),
                Ok(None) => {}
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            }
        }
        Ok(None)
    }

    /// Replaces the manifest with `text`, through a temporary file and a rename.
    pub(crate) fn write(&self, text: &str) -> Result<()> {
        self.create()?;
        replace_file(&self.manifest_path(), text.as_bytes())
    }

    /// Removes the bookkeeping files an older gloss kept in the output folder, once this
    /// ledger holds their information. Only regular files go: anything else with those
    /// names was not made by gloss.
    pub(crate) fn remove_legacy(&self) {
        for name in [LEGACY_MANIFEST, LEGACY_LOCK] {
            let path = self.out.join(name);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Reads `path` when it is a regular file; `None` when nothing is there. A symlink or a
/// folder there is an error: records are never read through a link.
fn read_regular(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
        Ok(m) if m.is_file() => std::fs::read_to_string(path).map(Some),
        Ok(_) => Err(std::io::Error::other(
            "not a regular file (gloss makes its records as plain files)",
        )),
    }
}

/// Makes the bookkeeping folder `top` when missing, with its `.gitignore`.
fn make_bookkeeping(top: &Path) -> Result<()> {
    if make_real_dir(top)? {
        // Keeps the records out of the site's repository even without `gloss init`'s
        // `.gitignore`. Created new: never written through a planted link.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        if let Ok(mut f) = options.open(top.join(".gitignore")) {
            let _ = f.write_all(b"# gloss's build records: not part of the site\n*\n");
        }
    }
    Ok(())
}

/// The cache folder `name` under the bookkeeping folder of the site at `root`
/// (`.gloss/images`), made when missing; like the records, never through a symlink.
pub fn cache_dir(root: &Path, name: &str) -> Result<PathBuf> {
    let top = bookkeeping_dir(root);
    make_bookkeeping(&top)?;
    let dir = top.join(name);
    make_real_dir(&dir)?;
    Ok(dir)
}

/// Makes `dir` a real folder: creates it when missing (true), accepts a real folder
/// (false), refuses a symlink or anything else.
fn make_real_dir(dir: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => anyhow::bail!(
            "refusing to keep build records in `{}`: it is not a folder (gloss makes it as a plain folder)\nhint: remove it; gloss recreates it",
            dir.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(dir) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => make_real_dir(dir),
            Err(e) => Err(e).with_context(|| format!("cannot create {}", dir.display())),
        },
        Err(e) => Err(e).with_context(|| format!("cannot examine {}", dir.display())),
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees
/// half a file. The rename replaces whatever is at `path`, a symlink included, and never
/// writes through it.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP);
    // Temporary files are private (0600); published files must be readable by a web server.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The folder that holds the bookkeeping of the site at `root`.
pub fn bookkeeping_dir(root: &Path) -> PathBuf {
    root.join(BOOKKEEPING)
}
