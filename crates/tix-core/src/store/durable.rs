//! Putting what a command wrote on stable storage before anything relies
//! on it: a commit's objects before the branch names them, the branch
//! before the command reports success, the work tree before the checkout
//! journal that stands in for it goes. docs/format.md ("Order of writes and
//! syncs") gives the order and what a crash at each point leaves.
//!
//! Always on: git's `core.fsync` and `core.fsyncMethod` describe git's own
//! writes and are not read here. The derived ticket index under
//! `.git/tix/index` is never synced: it is rebuilt when missing or damaged.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::{Oid, Tree};

use super::Store;
use crate::error::{Error, Result};

/// How many flushes run at once. Flushes of different files wait on the
/// same journal commit of the file system, so running them together costs
/// about as much as one; past a handful the threads only add overhead.
const CONCURRENT_SYNCS: usize = 8;

/// What to flush: a file's content and size, or a directory's entries.
pub(crate) enum Flush {
    /// A file that must exist.
    File(PathBuf),
    /// A loose git object, which may since have been packed (then it is
    /// in a pack that was flushed when it was written).
    Object(PathBuf),
    Dir(PathBuf),
    /// A fan-out directory of loose objects, which git's maintenance
    /// removes once it has packed them all.
    FanoutDir(PathBuf),
}

impl Flush {
    fn path(&self) -> &Path {
        match self {
            Flush::File(p) | Flush::Object(p) | Flush::Dir(p) | Flush::FanoutDir(p) => p,
        }
    }

    fn run(&self) -> Result<()> {
        let path = self.path();
        let fail = |e: std::io::Error| {
            Error::internal(format!("cannot flush {} to disk: {e}", path.display())).with_source(e)
        };
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e)
                if matches!(self, Flush::Object(_) | Flush::FanoutDir(_))
                    && e.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(());
            }
            Err(e) => return Err(fail(e)),
        };
        if let Flush::Object(_) = self {
            // A loose object is compressed and never empty. An empty one is
            // what a power cut leaves of an object written but not yet
            // flushed; git would take it as present and never write it
            // again, so a commit naming it would point at nothing.
            if file.metadata().map_err(fail)?.len() == 0 {
                let _ = std::fs::remove_file(path);
                return Err(Error::internal(format!(
                    "git object {} was empty (left by a crash); it was removed and nothing was committed",
                    path.display()
                ))
                .with_hint("run the command again: it writes the object anew"));
            }
        }
        file.sync_all().map_err(fail)
    }
}

/// Flushes everything in `work`, several at a time; the first failure is
/// returned once all have been tried. The calling thread takes its share,
/// so a thread that cannot be started only makes it slower.
pub(crate) fn flush_all(work: &[Flush]) -> Result<()> {
    if work.len() <= 1 {
        return work.iter().try_for_each(Flush::run);
    }
    let next = AtomicUsize::new(0);
    let drain = || {
        let mut outcome = Ok(());
        while let Some(item) = work.get(next.fetch_add(1, Ordering::Relaxed)) {
            if let Err(e) = item.run()
                && outcome.is_ok()
            {
                outcome = Err(e);
            }
        }
        outcome
    };
    let helpers = work.len().min(CONCURRENT_SYNCS) - 1;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, drain).ok())
            .collect();
        let mine = drain();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::internal("a flush to disk panicked")))
            })
            .fold(mine, Result::and)
    })
}

/// Flushes files just written into the work tree and the directories
/// that name them: see [`dirs_to_flush`].
pub(crate) fn flush_work_tree(
    files: impl IntoIterator<Item = PathBuf>,
    created: &BTreeSet<PathBuf>,
) -> Result<()> {
    let files: Vec<PathBuf> = files.into_iter().collect();
    let dirs = dirs_to_flush(files.iter().cloned(), created);
    let work: Vec<Flush> = files
        .into_iter()
        .map(Flush::File)
        .chain(dirs.into_iter().map(Flush::Dir))
        .collect();
    flush_all(&work)
}

/// The directories to flush so that new files are found after a crash:
/// each file's directory, and the parent of every directory in `created`
/// (made for these files), up to one that existed before.
pub(crate) fn dirs_to_flush(
    files: impl IntoIterator<Item = PathBuf>,
    created: &BTreeSet<PathBuf>,
) -> BTreeSet<PathBuf> {
    let mut dirs = BTreeSet::new();
    for file in files {
        let mut at = file.parent().map(Path::to_path_buf);
        while let Some(dir) = at {
            let new = created.contains(&dir);
            at = new.then(|| dir.parent().map(Path::to_path_buf)).flatten();
            dirs.insert(dir);
        }
    }
    dirs
}

/// Writes a small file that something later relies on (this clone's
/// identity, the record of what a mail server may delete): to a
/// temporary file, flushed, renamed over the old one, and the directory
/// flushed, so a crash leaves either the old file or the new one.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let created = !dir.is_dir();
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    std::fs::File::open(dir)?.sync_all()?;
    if created && let Some(parent) = dir.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

/// Has libgit2 flush what the pack writers made while this is held write:
/// the pack and its index before their renames, their directory after.
/// A process-wide libgit2 setting (it would flush loose objects and refs
/// too, one at a time), so it is held only while a writer is made.
pub(crate) struct LibgitFlushes(());

impl LibgitFlushes {
    pub(crate) fn on() -> LibgitFlushes {
        set_libgit_flushes(true);
        LibgitFlushes(())
    }
}

impl Drop for LibgitFlushes {
    fn drop(&mut self) {
        set_libgit_flushes(false);
    }
}

fn set_libgit_flushes(on: bool) {
    libgit2_sys::init();
    // SAFETY: the option takes one int; libgit2 is initialised above.
    unsafe {
        libgit2_sys::git_libgit2_opts(
            libgit2_sys::GIT_OPT_ENABLE_FSYNC_GITDIR as libc::c_int,
            libc::c_int::from(on),
        );
    }
}

impl Store {
    /// Flushes the objects a new commit needs and `also` (the checkout
    /// journal) before the branch moves to it: the commit, its root tree,
    /// `trees` (those on the path to each changed file, see
    /// [`trees_on_paths`]), the new blobs (those in a pack were flushed
    /// with it), and the directories that hold them.
    pub(in crate::store) fn flush_commit_objects(
        &self,
        commit: Oid,
        tree: Oid,
        trees: impl IntoIterator<Item = Oid>,
        blobs: impl IntoIterator<Item = Oid>,
        also: &[PathBuf],
    ) -> Result<()> {
        let mut objects: BTreeSet<Oid> = blobs.into_iter().collect();
        objects.insert(commit);
        objects.insert(tree);
        objects.extend(trees);
        let mut work = Vec::with_capacity(objects.len() * 2 + also.len() + 2);
        let mut fanout = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        for oid in objects {
            let path = self.loose_object_path(oid);
            if path.exists() {
                if let Some(dir) = path.parent() {
                    fanout.insert(dir.to_path_buf());
                }
                work.push(Flush::Object(path));
            }
        }
        if !fanout.is_empty() {
            // A fan-out directory made for one of them is an entry there.
            dirs.insert(self.objects_dir());
        }
        for file in also {
            work.push(Flush::File(file.clone()));
            if let Some(dir) = file.parent() {
                dirs.insert(dir.to_path_buf());
            }
        }
        work.extend(fanout.into_iter().map(Flush::FanoutDir));
        work.extend(dirs.into_iter().map(Flush::Dir));
        flush_all(&work)
    }
}

/// The trees of `tree` on the path to each of `changed` (repository
/// paths), for a commit whose tree was not built by
/// [`super::git::tree::NewFiles`], which knows them already.
pub(in crate::store) fn trees_on_paths(
    tree: &Tree<'_>,
    changed: impl IntoIterator<Item = String>,
) -> BTreeSet<Oid> {
    let mut trees = BTreeSet::new();
    for path in changed {
        let mut at = String::new();
        let mut parts = path.split('/').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                break;
            }
            at.push_str(part);
            if let Ok(entry) = tree.get_path(Path::new(&at)) {
                trees.insert(entry.id());
            }
            at.push('/');
        }
    }
    trees
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_directory_flushes_its_parent_and_an_old_one_stops_there() {
        let created: BTreeSet<PathBuf> = ["/s/tickets/AB", "/s/tickets/AB/ABCD"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        let dirs = dirs_to_flush(
            [
                PathBuf::from("/s/tickets/AB/ABCD/one.md"),
                PathBuf::from("/s/tickets/AB/ABCD/two.md"),
                PathBuf::from("/s/tickets/CD/CDEF/three.md"),
            ],
            &created,
        );
        let dirs: Vec<&str> = dirs.iter().map(|d| d.to_str().unwrap()).collect();
        assert_eq!(
            dirs,
            [
                "/s/tickets",
                "/s/tickets/AB",
                "/s/tickets/AB/ABCD",
                "/s/tickets/CD/CDEF"
            ]
        );
    }

    #[test]
    fn an_empty_loose_object_is_refused_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("ab");
        std::fs::write(&empty, b"").unwrap();
        let err = flush_all(&[Flush::Object(empty.clone())]).unwrap_err();
        assert!(err.message().contains("was empty"), "{err}");
        assert!(!empty.exists());
        let missing = dir.path().join("packed-since");
        flush_all(&[Flush::Object(missing.clone())]).unwrap();
        flush_all(&[Flush::FanoutDir(missing.clone())]).unwrap();
        assert!(flush_all(&[Flush::File(missing.clone())]).is_err());
        assert!(flush_all(&[Flush::Dir(missing)]).is_err());
    }

    #[test]
    fn a_durable_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/state.json");
        write_durably(&path, b"one").unwrap();
        write_durably(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
