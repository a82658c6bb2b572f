//! git's own lock files: waiting for them, and removing the ones a killed
//! process left behind.

use std::path::Path;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;

/// How old git's lock on a ref must be for tix to take it as left by a
/// killed process.
pub(in crate::store) const REF_LOCK_STALE: Duration = Duration::from_secs(3);
/// How long a writer waits for a ref lock that keeps being renewed.
pub(in crate::store) const REF_LOCK_WAIT: Duration = Duration::from_secs(6);

/// How long ago a lock file was last written; `None` when there is none.
pub(in crate::store) fn lock_age(path: &Path) -> Option<Duration> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(
        meta.modified()
            .ok()
            .and_then(|t| std::time::SystemTime::now().duration_since(t).ok())
            .unwrap_or_default(),
    )
}

pub(in crate::store) fn ref_locked(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::Busy,
        format!(
            "cannot move the branch: git's lock {} exists ({why}); nothing was committed",
            path.display()
        ),
    )
    .with_hint(format!(
        "if no git command is running, remove {} and try again",
        path.display()
    ))
}

impl Store {
    /// Waits for git's lock on a ref to go; removes it once it is stale.
    ///
    /// tix holds the store lock, so no other tix can be moving the ref; a
    /// git command can, but only for the moment it takes to rename one
    /// small file (git itself gives up on a held ref lock after 0.1 s). A
    /// lock older than [`REF_LOCK_STALE`] was left by a process that was
    /// killed, and every later write would fail on it.
    pub(in crate::store) fn clear_stale_ref_lock(&self, refname: &str) -> Result<()> {
        let path = self.ref_lock_path(refname);
        let started = std::time::Instant::now();
        loop {
            let Some(age) = lock_age(&path) else {
                return Ok(());
            };
            if age >= REF_LOCK_STALE {
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(ref_locked(&path, &format!("cannot remove it: {e}"))),
                }
                crate::warnings::warn(&format!(
                    "removed {}, a stale git lock ({:.0}s old) that a killed process left behind",
                    path.display(),
                    age.as_secs_f64()
                ));
                return Ok(());
            }
            if started.elapsed() >= REF_LOCK_WAIT {
                return Err(ref_locked(&path, "it is still being renewed"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Removes a git lock file already older than [`REF_LOCK_STALE`],
    /// with a warning; a younger one, or none, is left alone.
    pub(in crate::store) fn remove_old_lock(&self, path: &Path) {
        let Some(age) = lock_age(path).filter(|a| *a >= REF_LOCK_STALE) else {
            return;
        };
        match std::fs::remove_file(path) {
            Ok(()) => crate::warnings::warn(&format!(
                "removed {}, a stale git lock ({:.0}s old) that a killed process left behind",
                path.display(),
                age.as_secs_f64()
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => crate::warnings::warn(&format!(
                "cannot remove {}, a stale git lock: {e}",
                path.display()
            )),
        }
    }

    /// Git's lock files in this repository that have been there longer
    /// than a git command holds them, for `tix check`.
    pub fn stale_git_locks(&self) -> Vec<String> {
        let mut out = Vec::new();
        let head = self
            .repo
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
        for refname in head.iter().map(String::as_str).chain(["HEAD"]) {
            let path = self.ref_lock_path(refname);
            if let Some(age) = lock_age(&path).filter(|a| *a >= REF_LOCK_STALE) {
                out.push(format!(
                    "stale git lock {} ({:.0}s old): git cannot move {refname}; the next tix write removes it, or remove it yourself",
                    path.display(),
                    age.as_secs_f64()
                ));
            }
        }
        let index_lock = self.git_index_lock_path();
        if let Some(age) = lock_age(&index_lock).filter(|a| *a >= REF_LOCK_STALE) {
            out.push(format!(
                "git's index is locked by {} ({:.0}s old); if no git command is running (an editor open for `git commit` keeps it), remove it: until then git's index cannot follow tix's commits",
                index_lock.display(),
                age.as_secs_f64()
            ));
        }
        out
    }

    /// Removes an `index.lock` that a tix process killed while writing
    /// git's index left behind. It is that process's if the marker it
    /// wrote just before is still there and the lock was made within
    /// moments of it: no other tix can have run since (this one holds the
    /// store lock), and no git command can take a lock that exists. Any
    /// other `index.lock` may be a git command's (`git commit` keeps one
    /// while its editor is open) and is left alone.
    pub(in crate::store) fn clear_stale_index_lock(&self) {
        let marker = self.index_marker_path();
        let Some(marked) = std::fs::metadata(&marker)
            .ok()
            .and_then(|m| m.modified().ok())
        else {
            return;
        };
        let lock = self.git_index_lock_path();
        let locked = std::fs::symlink_metadata(&lock)
            .ok()
            .and_then(|m| m.modified().ok());
        if let Some(locked) = locked {
            let after_marker = locked
                .duration_since(marked)
                .is_ok_and(|d| d <= Duration::from_secs(2))
                || marked
                    .duration_since(locked)
                    .is_ok_and(|d| d <= Duration::from_millis(50));
            if after_marker && std::fs::remove_file(&lock).is_ok() {
                crate::warnings::warn(&format!(
                    "removed {}, which a tix process killed while writing git's index left behind",
                    lock.display()
                ));
            }
        }
        let _ = std::fs::remove_file(&marker);
    }
}
