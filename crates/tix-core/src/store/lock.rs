//! The store's write lock: an advisory `flock` on a file in the git
//! directory. The kernel releases it when the holder exits, however it
//! exits, so a crashed tix can never leave the store locked (git-bug #1014
//! is what a lock file that only its owner deletes leads to).

use std::cell::Cell;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::Oid;

use super::Store;
use crate::error::{Context, Error, ErrorKind, Result};

pub struct StoreLock {
    file: File,
    path: PathBuf,
    /// The commit HEAD pointed to when the lock was taken, or after the
    /// holder's last commit: what the holder's reads saw. `None` when it
    /// could not be read.
    seen_head: Cell<Option<Option<Oid>>>,
}

impl StoreLock {
    /// Waits up to `timeout` for the lock; past that, reports who holds it.
    pub fn acquire(path: &Path, timeout: Duration) -> Result<StoreLock> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .context(|| format!("cannot open lock file {}", path.display()))?;
        let started = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    if started.elapsed() >= timeout {
                        let holder = std::fs::read_to_string(path).unwrap_or_default();
                        let holder = holder.trim();
                        return Err(Error::new(
                            ErrorKind::Busy,
                            format!(
                                "the store is busy: another tix process{} has held {} for over {:.1}s",
                                if holder.is_empty() { String::new() } else { format!(" ({holder})") },
                                path.display(),
                                timeout.as_secs_f64()
                            ),
                        )
                        .with_hint("try again; set TIX_LOCK_TIMEOUT (seconds) to wait longer"));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(
                        Error::internal(format!("cannot lock {}: {e}", path.display()))
                            .with_source(e),
                    );
                }
            }
        }
        // Who holds it, for the message another process prints while it waits.
        let _ = file.set_len(0);
        let _ = writeln!(file, "pid {}", std::process::id());
        Ok(StoreLock {
            file,
            path: path.to_path_buf(),
            seen_head: Cell::new(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What HEAD was when the holder last read it (`Some(None)`: unborn).
    pub(crate) fn seen_head(&self) -> Option<Option<Oid>> {
        self.seen_head.get()
    }

    pub(crate) fn set_seen_head(&self, head: Option<Oid>) {
        self.seen_head.set(Some(head));
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
impl Store {
    /// Takes the store's write lock. Read the ticket you are about to change
    /// after taking it, so checks see every earlier write.
    pub fn lock(&self) -> Result<StoreLock> {
        let seconds = std::env::var("TIX_LOCK_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(30.0);
        let lock = StoreLock::acquire(&self.store_lock_path(), Duration::from_secs_f64(seconds))?;
        // A writer killed between its commit and the check-out of the new
        // files left a journal: finish its work before doing more. If that
        // fails the journal stays, and the next writer tries again. Not in
        // the middle of a git operation, whose index and work tree are
        // git's until it is finished (the commit itself is refused then).
        if self.refuse_during_git_operation().is_ok() {
            let _ = self.finish_interrupted_checkout();
        }
        if let Ok(head) = self.head_id() {
            lock.set_seen_head(head);
        }
        Ok(lock)
    }
}
