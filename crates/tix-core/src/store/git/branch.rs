//! Moving a branch as libgit2 does (a compare-and-swap under git's lock
//! file, both reflogs appended), with the new value on disk before the
//! lock file is renamed over the ref and the rename on disk after.
//!
//! libgit2 flushes a ref it writes only when told to for all its writes,
//! and then it also flushes both reflogs and their directories: four more
//! waits on the disk in a row, for a history nothing relies on. So the
//! ref is written here and the reflogs are appended without a flush (a
//! crash may lose their last line, never the ref).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use git2::{ErrorClass, ErrorCode, Oid, Signature};

use crate::store::Store;
use crate::store::durable::{Flush, dirs_to_flush, flush_all};

fn os_error(what: &str, path: &Path, e: &std::io::Error) -> git2::Error {
    git2::Error::new(
        ErrorCode::GenericError,
        ErrorClass::Os,
        format!("cannot {what} {}: {e}", path.display()),
    )
}

/// A reflog line as libgit2 writes it.
fn reflog_line(old: Oid, new: Oid, who: &Signature<'_>, message: &str) -> Vec<u8> {
    let when = who.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 || when.sign() == '-' {
        '-'
    } else {
        '+'
    };
    let offset = offset.unsigned_abs();
    let mut line = format!("{old} {new} ").into_bytes();
    line.extend_from_slice(who.name_bytes());
    line.extend_from_slice(b" <");
    line.extend_from_slice(who.email_bytes());
    line.extend_from_slice(
        format!(
            "> {} {sign}{:02}{:02}",
            when.seconds() as u32,
            offset / 60,
            offset % 60
        )
        .as_bytes(),
    );
    line.push(b'\t');
    line.extend_from_slice(message.replace('\n', " ").trim_end().as_bytes());
    line.push(b'\n');
    line
}

impl Store {
    /// Moves `branch` (`refs/...`) to `new` if it is at `old`, or, with
    /// `old` `None`, if it does not exist yet. Fails with libgit2's codes:
    /// `Locked` (git's lock file is there), `Modified` or `Exists` (the
    /// branch is not where the caller saw it).
    pub(in crate::store) fn move_branch(
        &self,
        branch: &str,
        old: Option<Oid>,
        new: Oid,
        log: &str,
    ) -> Result<(), git2::Error> {
        let lock = self.ref_lock_path(branch);
        let target = self.loose_ref_path(branch);
        let mut created = BTreeSet::new();
        if let Some(dir) = target.parent()
            && !dir.is_dir()
        {
            created.extend(
                dir.ancestors()
                    .take_while(|d| !d.is_dir())
                    .map(Path::to_path_buf),
            );
            std::fs::create_dir_all(dir).map_err(|e| os_error("create", dir, &e))?;
        }
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(git2::Error::new(
                    ErrorCode::Locked,
                    ErrorClass::Reference,
                    format!("{} exists", lock.display()),
                ));
            }
            Err(e) => return Err(os_error("create", &lock, &e)),
        };
        let written = self.write_locked_branch(&mut file, branch, old, new, log);
        drop(file);
        if let Err(e) = written.and_then(|()| {
            std::fs::rename(&lock, &target).map_err(|e| os_error("rename", &lock, &e))
        }) {
            let _ = std::fs::remove_file(&lock);
            return Err(e);
        }
        let dirs = dirs_to_flush([target.clone()], &created);
        let work: Vec<Flush> = dirs.into_iter().map(Flush::Dir).collect();
        if let Err(e) = flush_all(&work) {
            // The branch has moved: reporting that nothing was committed
            // would be false, and the disk that failed the flush is
            // what the user must hear about.
            crate::warnings::warn(&format!(
                "{branch} moved to {}, but {e}; a power cut now could undo it",
                &new.to_string()[..10]
            ));
        }
        Ok(())
    }

    /// Under the lock: the compare, the new value flushed, the reflogs.
    fn write_locked_branch(
        &self,
        file: &mut std::fs::File,
        branch: &str,
        old: Option<Oid>,
        new: Oid,
        log: &str,
    ) -> Result<(), git2::Error> {
        let current = match self.repo.find_reference(branch) {
            Ok(r) => Some(r.target().unwrap_or(Oid::ZERO_SHA1)),
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(e),
        };
        match old {
            Some(old) if current != Some(old) => {
                return Err(git2::Error::new(
                    ErrorCode::Modified,
                    ErrorClass::Reference,
                    "old reference value does not match",
                ));
            }
            None if current.is_some() => {
                return Err(git2::Error::new(
                    ErrorCode::Exists,
                    ErrorClass::Reference,
                    "the reference already exists",
                ));
            }
            _ => {}
        }
        let lock = self.ref_lock_path(branch);
        file.write_all(format!("{new}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| os_error("write", &lock, &e))?;
        if self.logs_ref_updates(branch)? {
            let who = self
                .repo
                .signature()
                .or_else(|_| Signature::now("unknown", "unknown"))?;
            let line = reflog_line(current.unwrap_or(Oid::ZERO_SHA1), new, &who, log);
            self.append_reflog(branch, &line)?;
            let head = self.repo.find_reference("HEAD").ok();
            if head
                .as_ref()
                .and_then(|h| h.symbolic_target().ok().flatten())
                == Some(branch)
            {
                self.append_reflog("HEAD", &line)?;
            }
        }
        Ok(())
    }

    /// Whether git would log a move of `refname` (`core.logAllRefUpdates`).
    fn logs_ref_updates(&self, refname: &str) -> Result<bool, git2::Error> {
        let setting = self
            .repo
            .config()?
            .snapshot()?
            .get_string("core.logAllRefUpdates")
            .ok();
        Ok(match setting.as_deref() {
            Some(v) if v.eq_ignore_ascii_case("always") => true,
            Some(v) if !git2::Config::parse_bool(v).unwrap_or(true) => false,
            None if self.repo.is_bare() => false,
            _ => {
                self.reflog_path(refname).is_file()
                    || refname == "HEAD"
                    || ["refs/heads/", "refs/remotes/", "refs/notes/"]
                        .iter()
                        .any(|p| refname.starts_with(p))
            }
        })
    }

    fn append_reflog(&self, refname: &str, line: &[u8]) -> Result<(), git2::Error> {
        let path = self.reflog_path(refname);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| os_error("create", dir, &e))?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(line))
            .map_err(|e| os_error("append to", &path, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reflog_line_is_written_as_libgit2_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut config = repo.config().unwrap();
        config.set_str("user.name", "Ann Agent").unwrap();
        config.set_str("user.email", "ann@example.com").unwrap();
        let sig = repo.signature().unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let first = repo
            .commit(Some("HEAD"), &sig, &sig, "first", &tree, &[])
            .unwrap();
        let parent = repo.find_commit(first).unwrap();
        let second = repo
            .commit(None, &sig, &sig, "second", &tree, &[&parent])
            .unwrap();
        let head = repo.head().unwrap().name().unwrap().to_string();
        let log = dir.path().join(".git/logs").join(&head);
        let before = std::fs::read(&log).unwrap().len();
        repo.reference_matching(&head, second, true, first, "tix: a note  ")
            .unwrap();
        let line = String::from_utf8(std::fs::read(&log).unwrap()[before..].to_vec()).unwrap();
        // The time is libgit2's own clock: take it from its line.
        let (_, after_email) = line.split_once("> ").unwrap();
        let mut fields = after_email.split([' ', '\t']);
        let seconds: i64 = fields.next().unwrap().parse().unwrap();
        let zone = fields.next().unwrap();
        let minutes = zone[1..3].parse::<i32>().unwrap() * 60 + zone[3..5].parse::<i32>().unwrap();
        let offset = if zone.starts_with('-') {
            -minutes
        } else {
            minutes
        };
        let who = Signature::new(
            "Ann Agent",
            "ann@example.com",
            &git2::Time::new(seconds, offset),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(reflog_line(first, second, &who, "tix: a note  ")).unwrap(),
            line
        );
    }
}
