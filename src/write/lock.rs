//! An exclusive lock on an output folder, so that two builds into it never interleave.
//!
//! The lock is an advisory `flock` on the output's `lock` file in `.gloss/` (see
//! [`super::Ledger`]), which the system releases
//! when the holder exits, however it dies: a killed build never leaves a stale lock. The
//! file stays in place (removing it would let a waiting build lock a file a third build
//! no longer sees) and holds the pid of the last build that locked it, for the message
//! of one that has to wait.

use std::fs::{File, TryLockError};
use std::io::{Seek as _, Write as _};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use super::Ledger;

/// How long a build waits for another build into the same output folder to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// The lock on an output folder, held until dropped (or the process ends).
#[derive(Debug)]
pub struct OutputLock {
    /// Kept open: closing it releases the lock.
    file: Option<File>,
    /// True when another build held the lock first and this one waited for it: the
    /// output may have changed since it was last examined.
    pub waited: bool,
}

/// Locks the output folder of `ledger`, waiting up to `wait` for a build that holds it;
/// fails with a message saying what to do when it is still held. Creates the ledger's
/// folder, not the output folder.
pub fn lock_output(ledger: &Ledger, wait: Duration) -> Result<OutputLock> {
    ledger.create()?;
    let out = ledger.out();
    let path = ledger.lock_path();
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // A lock file replaced by a symlink is refused, never written through.
        options.mode(0o644).custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let deadline = Instant::now() + wait;
    let mut waited = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&path);
                if Instant::now() >= deadline {
                    anyhow::bail!(
                        "another gloss build{holder} is still writing into `{}` (waited {} s)\nhint: wait for it to finish or stop it, then run `gloss build` again; or build into another folder with `--output`",
                        out.display(),
                        wait.as_secs()
                    );
                }
                if !waited {
                    tracing::warn!(
                        "waiting for another gloss build into {}{holder}…",
                        out.display()
                    );
                    waited = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                // Some network file systems have no locks: building unprotected beats
                // not building at all.
                tracing::warn!(
                    "cannot lock {} ({e}): nothing stops another gloss build from writing into it at the same time",
                    path.display()
                );
                return Ok(OutputLock { file: None, waited });
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
    // The pid is only for the message of a build that waits: failing to record it is
    // no reason to fail.
    let pid = format!("{}\n", std::process::id());
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(pid.as_bytes()));
    Ok(OutputLock {
        file: Some(file),
        waited,
    })
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Emptied while still locked: a pid left behind would name a finished build, and
        // the file stays the same from one build to the next.
        if let Some(file) = &self.file {
            let _ = file.set_len(0);
        }
    }
}

/// ` (pid N)` for the build holding the lock at `path`, or nothing when unknown.
fn holder(path: &std::path::Path) -> String {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map_or_else(String::new, |pid| format!(" (pid {pid})"))
}
