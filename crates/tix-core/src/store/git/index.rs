//! git's index: keeping it in step with tix's commits (through libgit2,
//! the split-index fast path or git itself) and comparing it with HEAD.

use std::path::Path;

use git2::{Oid, Tree};

use super::split_index;
use crate::error::{Context, Error, Result};
use crate::store::Store;
use crate::store::layout::GIT_SHARED_INDEX_PREFIX;

/// Index entries from which git's split index is on: from the first, so
/// that no commit rewrites a whole index (libgit2's way costs ~3 µs an
/// entry) at any size.
pub(in crate::store) const SPLIT_INDEX_AT: u32 = 1;

/// How long a shared index no longer referenced is kept when the user has
/// not set `splitIndex.sharedIndexExpire` (git's default is two weeks,
/// which at 100,000 tickets leaves 64 MB files behind). A reader opens the
/// shared index moments after reading `index`, and tix marks the shared
/// index in use on each write, so minutes are plenty.
pub(in crate::store) const SHARED_INDEX_EXPIRE: &str = "5.minutes.ago";

/// Added entries after which the split index is folded into a new shared
/// one of `shared_entries`. A commit writes (and hashes) the whole split
/// file, ~0.3 µs an entry, while a refold rewrites the shared index (~1 µs
/// an entry, plus a few ms to start git) once every so many additions;
/// the sum per commit is least when the split file holds about
/// 4·√(shared + 4,096) entries: 256 at the start, ~600 at 20,000 entries,
/// ~1,800 at 200,000. See docs/performance.md, "Why the split index".
pub(in crate::store) fn resplit_at(shared_entries: u32) -> usize {
    4 * (shared_entries as usize + 4_096).isqrt()
}

/// A git index entry for a regular file just written with `oid`'s content.
pub(in crate::store) fn index_entry(
    rel: &str,
    oid: Oid,
    meta: &std::fs::Metadata,
) -> git2::IndexEntry {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    let time = |t: std::io::Result<std::time::SystemTime>| {
        let d = t
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        git2::IndexTime::new(d.as_secs() as i32, d.subsec_nanos())
    };
    #[cfg(unix)]
    let (dev, ino, uid, gid) = (meta.dev() as u32, meta.ino() as u32, meta.uid(), meta.gid());
    #[cfg(not(unix))]
    let (dev, ino, uid, gid) = (0, 0, 0, 0);
    // git's ctime is the inode change time, which only unix exposes.
    #[cfg(unix)]
    let ctime = git2::IndexTime::new(meta.ctime() as i32, meta.ctime_nsec() as u32);
    #[cfg(not(unix))]
    let ctime = time(meta.modified());
    git2::IndexEntry {
        ctime,
        mtime: time(meta.modified()),
        dev,
        ino,
        mode: 0o100644,
        uid,
        gid,
        file_size: meta.len() as u32,
        id: oid,
        flags: rel.len().min(0xfff) as u16,
        flags_extended: 0,
        path: rel.as_bytes().to_vec(),
    }
}

/// A store file whose entry in git's index is not HEAD's.
#[derive(Debug)]
pub struct IndexDifference {
    /// Store-relative path.
    pub path: String,
    /// HEAD's blob, when HEAD has the file.
    pub committed: Option<Oid>,
    /// "staged deletion", "staged change" or "staged addition".
    pub change: &'static str,
}

pub(in crate::store) fn change_name(status: char) -> &'static str {
    match status {
        'D' => "staged deletion",
        'A' => "staged addition",
        _ => "staged change",
    }
}

impl Store {
    /// Adds the entries through the split index when there is one, making
    /// it one when the index has [`SPLIT_INDEX_AT`] entries (the tests
    /// change that through `testing_hooks`) and git is installed. Returns
    /// false when the caller must take the slow path.
    pub(in crate::store) fn add_to_split_index(
        &self,
        files: &[(String, Oid)],
        stats: &[std::fs::Metadata],
    ) -> Result<bool> {
        let entries: Vec<split_index::NewEntry> = files
            .iter()
            .zip(stats)
            .map(|((path, oid), meta)| {
                let e = index_entry(&self.repo_path(path), *oid, meta);
                let mut id = [0u8; 20];
                id.copy_from_slice(oid.as_bytes());
                split_index::NewEntry {
                    path: e.path,
                    oid: id,
                    stat: split_index::Stat {
                        ctime: (e.ctime.seconds() as u32, e.ctime.nanoseconds()),
                        mtime: (e.mtime.seconds() as u32, e.mtime.nanoseconds()),
                        dev: e.dev,
                        ino: e.ino,
                        mode: e.mode,
                        uid: e.uid,
                        gid: e.gid,
                        size: e.file_size,
                    },
                }
            })
            .collect();
        let git_dir = self.repo.path();
        match split_index::add_to_split_index(git_dir, &entries)? {
            split_index::Added::Done { additions, shared } => {
                let shared_entries = split_index::entries_in(
                    &git_dir.join(format!("{GIT_SHARED_INDEX_PREFIX}{shared}")),
                )
                .unwrap_or(0);
                let resplit_at = crate::testing_hooks::resplit_at(resplit_at(shared_entries));
                if additions > resplit_at {
                    // Fold the additions into a new shared index, as git
                    // does by itself past splitIndex.maxPercentChange.
                    let _ = self.split_index_with_git();
                }
                Ok(true)
            }
            split_index::Added::Unsupported(_) => Ok(false),
            split_index::Added::NotSplit => {
                let threshold = crate::testing_hooks::split_index_at(SPLIT_INDEX_AT);
                let big = split_index::entry_count(git_dir).is_some_and(|n| n >= threshold);
                if !big || self.enable_split_index().is_err() {
                    return Ok(false);
                }
                Ok(matches!(
                    split_index::add_to_split_index(git_dir, &entries)?,
                    split_index::Added::Done { .. }
                ))
            }
        }
    }

    pub(in crate::store) fn index_is_split(&self) -> bool {
        std::fs::read_dir(self.repo.path())
            .map(|d| {
                d.flatten().any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(GIT_SHARED_INDEX_PREFIX)
                })
            })
            .unwrap_or(false)
    }

    pub(in crate::store) fn enable_split_index(&self) -> Result<()> {
        self.git(&["config", "core.splitIndex", "true"])?;
        self.split_index_with_git()
    }

    /// Has git write a new shared index, which also removes the shared
    /// indexes no longer referenced and older than
    /// `splitIndex.sharedIndexExpire` (the user's, or tix's
    /// [`SHARED_INDEX_EXPIRE`]).
    fn split_index_with_git(&self) -> Result<()> {
        let users_expiry = self
            .repo
            .config()
            .and_then(|c| c.get_string("splitIndex.sharedIndexExpire"))
            .is_ok();
        if users_expiry {
            self.git(&["update-index", "--split-index"])
        } else {
            let expiry = format!("splitIndex.sharedIndexExpire={SHARED_INDEX_EXPIRE}");
            self.git(&["-c", &expiry, "update-index", "--split-index"])
        }
    }

    /// Store files whose entry in git's index differs from HEAD's, by
    /// content (not stat data): what `git diff --cached` would show.
    pub fn index_differences(&self, head_tree: &Tree<'_>) -> Result<Vec<IndexDifference>> {
        let dirs = self.owned_dirs();
        let mut out = Vec::new();
        let rel = |p: &str| p.strip_prefix(self.prefix.as_str()).map(str::to_string);
        if split_index::entry_count(self.repo.path()).is_some() && self.index_is_split() {
            // libgit2 cannot read a split index; git itself can.
            let mut args = vec!["diff-index", "--cached", "--no-renames", "-z", "HEAD", "--"];
            args.extend(dirs.iter().map(String::as_str));
            let raw = self.git_output(&args)?;
            // `:<mode> <mode> <HEAD's id> <index's id> <status>\0<path>\0`
            let mut fields = raw.split(|b| *b == 0);
            while let (Some(meta), Some(path)) = (fields.next(), fields.next()) {
                let meta = String::from_utf8_lossy(meta);
                let parts: Vec<&str> = meta.split(' ').collect();
                let (Some(id), Some(status)) = (parts.get(2), parts.get(4)) else {
                    continue;
                };
                let Some(path) = rel(&String::from_utf8_lossy(path)) else {
                    continue;
                };
                out.push(IndexDifference {
                    path,
                    committed: (!status.starts_with('A'))
                        .then(|| Oid::from_str(id).ok())
                        .flatten(),
                    change: change_name(status.chars().next().unwrap_or('M')),
                });
            }
            return Ok(out);
        }
        let index = self.fresh_git_index()?;
        let mut opts = git2::DiffOptions::new();
        for d in &dirs {
            opts.pathspec(d);
        }
        let diff = self
            .repo
            .diff_tree_to_index(Some(head_tree), Some(&index), Some(&mut opts))
            .context(|| "cannot compare git's index with HEAD".into())?;
        for delta in diff.deltas() {
            let (file, status) = match delta.status() {
                git2::Delta::Added => (delta.new_file(), 'A'),
                git2::Delta::Deleted => (delta.old_file(), 'D'),
                _ => (delta.old_file(), 'M'),
            };
            let Some(path) = file.path().and_then(|p| p.to_str()).and_then(rel) else {
                continue;
            };
            out.push(IndexDifference {
                path,
                committed: (status != 'A').then(|| delta.old_file().id()),
                change: change_name(status),
            });
        }
        Ok(out)
    }

    /// git's index as it is on disk now: another process may have changed
    /// it since libgit2 cached this repository's handle.
    pub(in crate::store) fn fresh_git_index(&self) -> Result<git2::Index> {
        let mut index = self
            .repo
            .index()
            .context(|| "cannot open the git index".into())?;
        index
            .read(false)
            .context(|| "cannot read the git index".into())?;
        Ok(index)
    }

    pub(in crate::store) fn update_index(
        &self,
        files: &[(String, Oid)],
        removals: &[String],
        stats: &[std::fs::Metadata],
    ) -> Result<()> {
        // The work tree loses what the commit removed whichever way git's
        // index is updated.
        for path in removals {
            let on_disk = self.root.join(path);
            match std::fs::remove_file(&on_disk) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::internal(format!(
                        "cannot remove {}: {e}",
                        on_disk.display()
                    )));
                }
            }
        }
        if removals.is_empty() && self.add_to_split_index(files, stats)? {
            return Ok(());
        }
        if split_index::entry_count(self.repo.path()).is_some() && self.index_is_split() {
            // libgit2 cannot read a split index; git itself can.
            return self.update_index_with_git(files, removals);
        }
        let mut index = self.fresh_git_index()?;
        for ((path, oid), meta) in files.iter().zip(stats) {
            let rel = self.repo_path(path);
            // The content's id is known, so the entry is built directly
            // rather than by `add_path`, which would read and hash the
            // file again and consult attributes and filters for each one.
            index
                .add(&index_entry(&rel, *oid, meta))
                .context(|| format!("cannot add {rel} to the git index"))?;
        }
        for path in removals {
            let rel = self.repo_path(path);
            index
                .remove_path(Path::new(&rel))
                .context(|| format!("cannot remove {rel} from the git index"))?;
        }
        index
            .write()
            .context(|| "cannot write the git index".into())
    }
}

#[cfg(test)]
mod tests {
    use super::resplit_at;

    #[test]
    fn the_split_file_grows_with_the_square_root_of_the_shared_index() {
        assert_eq!(resplit_at(0), 256);
        assert_eq!(resplit_at(20_000), 4 * 155);
        // Ten times the shared index, about three times the split file: a
        // commit's share of the split file stays a fraction of a ms.
        let (small, large) = (resplit_at(100_000), resplit_at(1_000_000));
        assert!(large > 3 * small && large < 4 * small, "{small} {large}");
        assert!(resplit_at(1_000_000) < 4_100);
    }
}
