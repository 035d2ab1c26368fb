//! Refuses output folders where writing could destroy the user's files.

use std::path::{Component, Path, PathBuf};

use super::{LEGACY_LOCK, LEGACY_MANIFEST, Ledger, STAGING, TEMP, read_manifest};

/// Why an output folder was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// The output would be the site itself or a folder containing it.
    #[error("refusing to write into `{out}`: it contains the site's own files")]
    ContainsSite {
        /// The output path.
        out: PathBuf,
    },
    /// The output is inside a folder gloss reads from.
    #[error("refusing to write into `{out}`: it is inside the site's `{inside}/` folder")]
    InsideSources {
        /// The output path.
        out: PathBuf,
        /// The source folder it is in.
        inside: String,
    },
    /// The folder holds files gloss did not write.
    #[error("refusing to write into `{out}`: it holds files gloss did not write: {files}")]
    ForeignFiles {
        /// The output path.
        out: PathBuf,
        /// A few of the foreign files.
        files: String,
    },
    /// The path exists and is not a folder.
    #[error("refusing to write into `{out}`: it is not a folder")]
    NotADir {
        /// The output path.
        out: PathBuf,
    },
    /// The folder could not be examined.
    #[error("cannot examine the output folder `{out}`: {why}")]
    Io {
        /// The output path.
        out: PathBuf,
        /// The I/O error.
        why: String,
    },
}

impl OutputError {
    /// What the user should do instead.
    pub fn hint(&self) -> &'static str {
        match self {
            OutputError::ContainsSite { .. } | OutputError::InsideSources { .. } => {
                "write to a folder of its own, e.g. `--output public`"
            }
            OutputError::ForeignFiles { .. } => {
                "choose an empty or new folder with `--output`, or move those files; files the site needs belong in `static/`"
            }
            OutputError::NotADir { .. } | OutputError::Io { .. } => {
                "choose another folder with `--output`"
            }
        }
    }
}

/// Resolves `p` the way the file system will when gloss creates and writes it: made
/// absolute, each existing part with its symlinks followed, `..` after a part that does
/// not exist yet taken lexically (`create_dir_all` creates that part, then climbs out of
/// it). So `nothere/../static/gen` is `<cwd>/static/gen`, and `templates` is the site's
/// `templates/` before it exists.
pub fn resolve_output(p: &Path) -> PathBuf {
    resolve_at_depth(p, 0)
}

fn resolve_at_depth(p: &Path, depth: usize) -> PathBuf {
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut resolved = PathBuf::new();
    // True while `resolved` exists (and is canonical).
    let mut exists = true;
    for c in absolute.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => resolved.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                if !exists {
                    exists = resolved.exists();
                }
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists {
                    match std::fs::canonicalize(&resolved) {
                        Ok(c) => resolved = c,
                        // A dangling symlink: judged by where it points, so the
                        // refusals see the place a write through it would reach (40
                        // links deep at most, as the kernel allows).
                        Err(_) => match std::fs::read_link(&resolved) {
                            Ok(target) if depth < 40 => {
                                resolved.pop();
                                resolved = resolve_at_depth(&resolved.join(target), depth + 1);
                                exists = resolved.exists();
                            }
                            _ => exists = false,
                        },
                    }
                }
            }
        }
    }
    resolved
}

/// Checks that gloss may write the site at `root` into `out`. Returns the resolved path.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, OutputError> {
    let root_resolved = resolve_output(root);
    let resolved = resolve_output(out);
    let shown = out.to_path_buf();
    if root_resolved.starts_with(&resolved) {
        return Err(OutputError::ContainsSite { out: shown });
    }
    let root_dir = root_resolved;
    for inside in [
        "content",
        "static",
        "templates",
        "themes",
        super::BOOKKEEPING,
    ] {
        if resolved.starts_with(root_dir.join(inside)) {
            return Err(OutputError::InsideSources {
                out: shown,
                inside: inside.into(),
            });
        }
    }
    if !resolved.exists() {
        return Ok(resolved);
    }
    if !resolved.is_dir() {
        return Err(OutputError::NotADir { out: shown });
    }
    let io = |e: &dyn std::fmt::Display| OutputError::Io {
        out: out.to_path_buf(),
        why: e.to_string(),
    };
    let manifest = read_manifest(&Ledger::of(root, &resolved))
        .map_err(|e| io(&e))?
        .unwrap_or_default();
    let mut foreign = Vec::new();
    // Staging folders are gloss's own: a live build's, or a killed one's that the next
    // build removes.
    let walk = walkdir::WalkDir::new(&resolved)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() != 1
                || !e.file_type().is_dir()
                || !e
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(STAGING))
        });
    for entry in walk {
        let entry = entry.map_err(|e| io(&e))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(&resolved).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        // gloss makes plain files only: a symlink is foreign even when a record names it.
        let own = entry.file_type().is_file()
            && (rel == LEGACY_MANIFEST
                || rel == LEGACY_LOCK
                || manifest.contains(&rel)
                || is_own_temp(&rel));
        if own {
            continue;
        }
        foreign.push(rel);
        if foreign.len() > 5 {
            break;
        }
    }
    if foreign.is_empty() {
        return Ok(resolved);
    }
    let mut files = foreign
        .iter()
        .take(5)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if foreign.len() > 5 {
        files.push_str(", ...");
    }
    Err(OutputError::ForeignFiles { out: shown, files })
}

/// Temporary files of an interrupted gloss write.
fn is_own_temp(rel: &str) -> bool {
    rel.rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with(TEMP))
}
