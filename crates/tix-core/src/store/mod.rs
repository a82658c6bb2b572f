//! The store: a git repository (or a folder in one) holding `.tix/` and
//! `tickets/`. Committed history is the source of truth; the work tree is a
//! checkout kept in step so that `ls`, `grep` and editors see the trail.
//!
//! Layout, relative to the store root:
//!
//! ```text
//! .tix/config.yaml
//! tickets/<first 2 characters of id>/<id>/<entry files>.md
//! tickets/<shard>/<id>/files/<entry file stem>/<attachment>
//! ```

mod gitindex;
mod history;
mod index;
mod lock;
mod sync;
mod tree;

use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{ObjectType, Oid, Repository, Signature, Tree};

use crate::domain::id::{SHARD_LEN, normalise_prefix};
use crate::domain::{Config, Entry, StoredEntry, TicketId};
use crate::error::{Context, Error, ErrorKind, Result};

pub use history::{CommitInfo, HistoryProblem};
pub use index::{IndexedTicket, ListRow, ListRows, Refresh, TicketIndex};
pub use lock::StoreLock;
pub use sync::{ChangedTicket, NotApplied, Overrun, SyncOptions, SyncReport};
use tree::NewFiles;

pub const CONFIG_PATH: &str = ".tix/config.yaml";
pub const TICKETS_DIR: &str = "tickets";
pub const FILES_DIR: &str = "files";
pub const QUARANTINE_DIR: &str = "quarantine";

/// A file inside a ticket that could not be read as an entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Path relative to the repository root, for the user to open.
    pub path: String,
    pub message: String,
}

/// What the store holds for one ticket.
#[derive(Debug, Default)]
pub struct TicketFiles {
    pub entries: Vec<StoredEntry>,
    pub problems: Vec<Problem>,
}

/// A commit made by [`Store::commit`].
#[derive(Debug)]
pub struct Committed {
    pub oid: Oid,
    /// Set when the commit was made but the work tree or git's index could
    /// not be brought in step; says how to repair it.
    pub warning: Option<String>,
}

impl Store {
    /// Adds the entries through the split index when there is one, making
    /// it one when the index has grown large (20,000 entries; the tests
    /// lower that through `testing_hooks`) and git is installed. Returns false when the caller
    /// must take the slow path.
    fn add_to_split_index(
        &self,
        files: &[(String, Oid)],
        stats: &[std::fs::Metadata],
    ) -> Result<bool> {
        let entries: Vec<gitindex::NewEntry> = files
            .iter()
            .zip(stats)
            .map(|((path, oid), meta)| {
                let e = index_entry(&self.repo_path(path), *oid, meta);
                let mut id = [0u8; 20];
                id.copy_from_slice(oid.as_bytes());
                gitindex::NewEntry {
                    path: e.path,
                    oid: id,
                    stat: gitindex::Stat {
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
        match gitindex::add_to_split_index(git_dir, &entries)? {
            gitindex::Added::Done { additions } => {
                let resplit_at = crate::testing_hooks::resplit_at(RESPLIT_AT);
                if additions > resplit_at {
                    // Fold the additions into a new shared index, as git
                    // does by itself past splitIndex.maxPercentChange.
                    let _ = self.git(&["update-index", "--split-index"]);
                }
                Ok(true)
            }
            gitindex::Added::Unsupported(_) => Ok(false),
            gitindex::Added::NotSplit => {
                let threshold = crate::testing_hooks::split_index_at(20_000);
                let big = gitindex::entry_count(git_dir).is_some_and(|n| n >= threshold);
                if !big || self.enable_split_index().is_err() {
                    return Ok(false);
                }
                Ok(matches!(
                    gitindex::add_to_split_index(git_dir, &entries)?,
                    gitindex::Added::Done { .. }
                ))
            }
        }
    }

    fn index_is_split(&self) -> bool {
        std::fs::read_dir(self.repo.path())
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."))
            })
            .unwrap_or(false)
    }

    fn enable_split_index(&self) -> Result<()> {
        self.git(&["config", "core.splitIndex", "true"])?;
        self.git(&["update-index", "--split-index"])
    }

    /// The slow but general path for a split index: git's own plumbing.
    fn update_index_with_git(&self, files: &[(String, Oid)], removals: &[String]) -> Result<()> {
        if !files.is_empty() {
            let info: String = files
                .iter()
                .map(|(p, oid)| format!("100644 {oid}\t{}\n", self.repo_path(p)))
                .collect();
            self.git_with_input(&["update-index", "--index-info"], info.as_bytes())?;
        }
        if !removals.is_empty() {
            let mut args = vec![
                "update-index".to_string(),
                "--force-remove".into(),
                "--".into(),
            ];
            args.extend(removals.iter().map(|p| self.repo_path(p)));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.git(&args)?;
        }
        Ok(())
    }

    fn git(&self, args: &[&str]) -> Result<()> {
        self.git_with_input(args, b"")
    }

    /// Runs git and returns what it printed.
    fn git_output(&self, args: &[&str]) -> Result<Vec<u8>> {
        let workdir = self.repo.workdir().unwrap_or(self.repo.path());
        let out = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(self.repo.path())
            .arg("--work-tree")
            .arg(workdir)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(Error::internal(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }

    fn git_with_input(&self, args: &[&str], input: &[u8]) -> Result<()> {
        use std::io::Write as _;
        let workdir = self.repo.workdir().unwrap_or(self.repo.path());
        let mut child = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(self.repo.path())
            .arg("--work-tree")
            .arg(workdir)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(input)
                .map_err(|e| Error::internal(format!("cannot talk to git: {e}")))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::internal(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }
}

/// How old git's lock on a ref must be for tix to take it as left by a
/// killed process.
const REF_LOCK_STALE: Duration = Duration::from_secs(3);
/// How long a writer waits for a ref lock that keeps being renewed.
const REF_LOCK_WAIT: Duration = Duration::from_secs(6);

/// How long ago a lock file was last written; `None` when there is none.
fn lock_age(path: &Path) -> Option<Duration> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(
        meta.modified()
            .ok()
            .and_then(|t| std::time::SystemTime::now().duration_since(t).ok())
            .unwrap_or_default(),
    )
}

fn ref_locked(path: &Path, why: &str) -> Error {
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

/// The branch is not where it was when tix read it: something else
/// committed, reset or pulled meanwhile.
fn branch_moved(seen: Option<Oid>, now: Option<Oid>) -> Error {
    let name = |oid: Option<Oid>| {
        oid.map_or_else(
            || "no commit".to_string(),
            |o| o.to_string()[..10].to_string(),
        )
    };
    Error::new(
        ErrorKind::Busy,
        format!(
            "the branch moved while tix was writing (from {} to {}: a git command committed, reset or pulled meanwhile); nothing was committed",
            name(seen),
            name(now)
        ),
    )
    .with_hint("run the command again: it reads the store as it is now")
}

/// Added entries after which the split index is folded into a new shared
/// one, so that each commit's write stays small.
const RESPLIT_AT: usize = 5_000;

/// A git index entry for a regular file just written with `oid`'s content.
fn index_entry(rel: &str, oid: Oid, meta: &std::fs::Metadata) -> git2::IndexEntry {
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

fn change_name(status: char) -> &'static str {
    match status {
        'D' => "staged deletion",
        'A' => "staged addition",
        _ => "staged change",
    }
}

/// Who a commit is by.
#[derive(Clone, Debug)]
pub struct Author {
    pub name: String,
    pub email: String,
}

pub struct Store {
    repo: Repository,
    /// The store root on disk, if the repository has a work tree.
    root: PathBuf,
    /// The store root relative to the repository root: "" or "dir/".
    prefix: String,
    config: Config,
}

impl Store {
    /// Finds the store that `start` is in.
    pub fn discover(start: &Path) -> Result<Store> {
        // libgit2 re-hashes every object it reads to check its id; git
        // itself leaves that to `git fsck`. Reading a store's whole history
        // (a cold reindex, `tix check`) spends a tenth of its time on it.
        git2::opts::strict_hash_verification(false);
        let start = std::fs::canonicalize(start)
            .context(|| format!("cannot open directory {}", start.display()))?;
        let root = start
            .ancestors()
            .find(|dir| dir.join(CONFIG_PATH).is_file())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotInitialised,
                    format!(
                        "no tix store in {} or any parent directory (no {CONFIG_PATH})",
                        start.display()
                    ),
                )
                .with_hint("run `tix init` to create one here")
            })?
            .to_path_buf();
        let repo = Repository::discover(&root).map_err(|e| {
            Error::new(
                ErrorKind::NotInitialised,
                format!(
                    "{} has {CONFIG_PATH} but is not in a git repository: {}",
                    root.display(),
                    e.message()
                ),
            )
        })?;
        let config = read_config(&root)?;
        Self::from_parts(repo, root, config)
    }

    /// Creates a store in `dir`, making it a git repository if it is not in
    /// one, and commits the config.
    pub fn init(dir: &Path, config: Config, author: &Author) -> Result<Store> {
        std::fs::create_dir_all(dir).context(|| format!("cannot create {}", dir.display()))?;
        let root =
            std::fs::canonicalize(dir).context(|| format!("cannot open {}", dir.display()))?;
        if root.join(CONFIG_PATH).exists() {
            return Err(Error::invalid(format!(
                "{} is already a tix store ({CONFIG_PATH} exists)",
                root.display()
            )));
        }
        let repo = match Repository::discover(&root) {
            Ok(repo) => repo,
            Err(_) => {
                let mut opts = git2::RepositoryInitOptions::new();
                let branch = git2::Config::open_default()
                    .ok()
                    .and_then(|c| c.get_string("init.defaultBranch").ok())
                    .unwrap_or_else(|| "main".into());
                opts.initial_head(&branch);
                Repository::init_opts(&root, &opts)
                    .context(|| format!("cannot create a git repository in {}", root.display()))?
            }
        };
        let store = Self::from_parts(repo, root, config)?;
        let lock = store.lock()?;
        store.commit(
            &lock,
            vec![(CONFIG_PATH.to_string(), store.config.to_yaml().into_bytes())],
            "tix: init",
            author,
        )?;
        Ok(store)
    }

    fn from_parts(repo: Repository, root: PathBuf, config: Config) -> Result<Store> {
        let prefix = match repo.workdir() {
            Some(workdir) => {
                let workdir = std::fs::canonicalize(workdir)
                    .context(|| format!("cannot open {}", workdir.display()))?;
                let rel = root.strip_prefix(&workdir).map_err(|_| {
                    Error::internal(format!(
                        "store {} is outside its repository's work tree {}",
                        root.display(),
                        workdir.display()
                    ))
                })?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel.is_empty() {
                    rel
                } else {
                    format!("{rel}/")
                }
            }
            None => {
                return Err(Error::invalid(format!(
                    "{} is a bare repository; tix needs a work tree",
                    repo.path().display()
                )));
            }
        };
        Ok(Store {
            repo,
            root,
            prefix,
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The repository-relative path of a store-relative path.
    pub fn repo_path(&self, store_path: &str) -> String {
        format!("{}{store_path}", self.prefix)
    }

    pub fn ticket_dir(id: &TicketId) -> String {
        format!("{TICKETS_DIR}/{}/{id}", id.shard())
    }

    /// git's idea of the current user, for identity and for `tix init`.
    pub fn git_identity(&self) -> (Option<String>, Option<String>) {
        let cfg = self.repo.config().ok();
        let get = |key: &str| cfg.as_ref().and_then(|c| c.get_string(key).ok());
        (get("user.name"), get("user.email"))
    }

    /// Takes the store's write lock. Read the ticket you are about to change
    /// after taking it, so checks see every earlier write.
    pub fn lock(&self) -> Result<StoreLock> {
        let seconds = std::env::var("TIX_LOCK_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(30.0);
        let lock = StoreLock::acquire(
            &self.repo.path().join("tix.lock"),
            Duration::from_secs_f64(seconds),
        )?;
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

    /// Refuses, naming the state and the way out, while git is half way
    /// through an operation in this work tree or HEAD is detached. A commit
    /// made then lands where git drops it (`git rebase --abort` resets the
    /// branch to where the rebase started; a detached HEAD belongs to no
    /// branch) or makes git's own ref update fail and wedges it (a merge).
    /// Reading is not affected. Exit code 8: nothing is wrong with the
    /// store or the input, and the same command succeeds once git is done.
    pub fn refuse_during_git_operation(&self) -> Result<()> {
        use git2::RepositoryState as S;
        let git_dir = self.repo.path();
        let (what, fix) = match self.repo.state() {
            S::Merge => (
                "a merge is in progress".to_string(),
                "`git commit` (once any conflicts are resolved) or `git merge --abort`",
            ),
            S::Rebase | S::RebaseInteractive | S::RebaseMerge => (
                "a rebase is in progress".into(),
                "`git rebase --continue` or `git rebase --abort`",
            ),
            S::ApplyMailbox => (
                "`git am` is in progress".into(),
                "`git am --continue` or `git am --abort`",
            ),
            S::ApplyMailboxOrRebase => (
                "a rebase or `git am` is in progress".into(),
                "`git rebase --continue` or `git rebase --abort` (`git am --continue` or `git am --abort` for am)",
            ),
            S::CherryPick | S::CherryPickSequence => (
                "a cherry-pick is in progress".into(),
                "`git cherry-pick --continue` or `git cherry-pick --abort`",
            ),
            S::Revert | S::RevertSequence => (
                "a revert is in progress".into(),
                "`git revert --continue` or `git revert --abort`",
            ),
            S::Bisect => ("a bisect is in progress".into(), "`git bisect reset`"),
            S::Clean if git_dir.join("sequencer").is_dir() => (
                // A cherry-pick or revert of several commits whose current
                // one was committed by hand: git still has the rest to do.
                "a cherry-pick or revert of several commits is in progress".into(),
                "`git cherry-pick --continue` (or `git revert --continue`), or `--abort`",
            ),
            S::Clean if self.repo.head_detached().unwrap_or(false) => {
                let at = self
                    .head_id()
                    .ok()
                    .flatten()
                    .map(|oid| format!(" (at {})", &oid.to_string()[..10]))
                    .unwrap_or_default();
                (
                    format!("HEAD is detached{at}"),
                    "`git switch <branch>` (`git switch -c <new branch>` keeps what was committed here)",
                )
            }
            S::Clean => return Ok(()),
        };
        let place = self.repo.workdir().unwrap_or(git_dir);
        Err(Error::new(
            ErrorKind::Busy,
            format!(
                "{what} in {} (see `git status`); tix writes nothing onto a half-finished git operation: \
                 finish it with {fix}, then run tix again",
                place.display()
            ),
        ))
    }

    fn journal_path(&self) -> PathBuf {
        self.repo.path().join("tix-checkout")
    }

    /// The commit at which the work tree and git's index were last known
    /// to be in step, if a journal says they may not be. `Some(None)`: the
    /// branch had no commit then.
    fn journal_base(&self) -> Option<Option<Oid>> {
        let text = std::fs::read_to_string(self.journal_path()).ok()?;
        let text = text.trim();
        if let Some(base) = text.strip_prefix("base ") {
            return Some(Oid::from_str(base.trim()).ok());
        }
        // Earlier versions named the commit being checked out: its parent
        // is the base, if it landed at all.
        let landed = Oid::from_str(text).ok().and_then(|oid| {
            let head = self.repo.head().ok()?.target()?;
            let reachable = head == oid || self.repo.graph_descendant_of(head, oid).ok()?;
            reachable.then_some(oid)
        });
        Some(match landed {
            Some(oid) => self
                .repo
                .find_commit(oid)
                .ok()
                .and_then(|c| c.parent_id(0).ok())
                .or(Some(oid)),
            None => self.head_id().ok().flatten(),
        })
    }

    /// Brings the work tree and git's index in step with HEAD when a
    /// journal says an earlier writer could not (it was killed, or git's
    /// index was locked): every file the commits since the journal's base
    /// added or removed, and every store file whose entry in git's index
    /// differs from HEAD (a staged deletion left by a failed update). The
    /// journal stays until that succeeds, so each writer tries again.
    fn finish_interrupted_checkout(&self) -> Result<()> {
        let path = self.journal_path();
        let Some(base) = self.journal_base() else {
            return Ok(());
        };
        if !self.entries_dropped_since_journal()?.is_empty() {
            // The journal is what says they were dropped: it stays until
            // the next commit has put them back.
            return Ok(());
        }
        let Some(head) = self.head_id()? else {
            return std::fs::remove_file(&path)
                .context(|| format!("cannot remove {}", path.display()));
        };
        let head_tree = self
            .repo
            .find_commit(head)
            .and_then(|c| c.tree())
            .context(|| format!("cannot read commit {head}"))?;
        // A base HEAD no longer descends from (a reset) says nothing about
        // what tix wrote since; the comparison with the index still does.
        let base_tree = match base {
            None => Some(None),
            Some(b) if b == head || self.repo.graph_descendant_of(head, b).unwrap_or(false) => {
                Some(Some(
                    self.repo
                        .find_commit(b)
                        .and_then(|c| c.tree())
                        .context(|| format!("cannot read commit {b}"))?,
                ))
            }
            Some(_) => None,
        };
        let mut files = Vec::new();
        let mut removals = Vec::new();
        if let Some(base_tree) = base_tree {
            let diff = self
                .repo
                .diff_tree_to_tree(base_tree.as_ref(), Some(&head_tree), None)
                .context(|| "cannot read what the last commits changed".into())?;
            for delta in diff.deltas() {
                let rel = |f: git2::DiffFile<'_>| {
                    f.path()
                        .and_then(|p| p.to_str())
                        .and_then(|p| p.strip_prefix(self.prefix.as_str()))
                        .map(str::to_string)
                };
                match delta.status() {
                    git2::Delta::Deleted => removals.extend(rel(delta.old_file())),
                    _ => {
                        if let Some(p) = rel(delta.new_file()) {
                            files.push((p, delta.new_file().id()));
                        }
                    }
                }
            }
        }
        let known: std::collections::HashSet<String> =
            files.iter().map(|(p, _)| p.clone()).collect();
        let differences = match self.index_differences(&head_tree) {
            Ok(differences) => differences,
            Err(e) => {
                // git's index cannot be read (empty, damaged): the work
                // tree can still be brought in step, so that a missing
                // entry file is not an unstaged deletion `git commit -a`
                // would commit once the index is rebuilt.
                let _ = self.check_out_new_files(&files, &removals);
                return Err(e);
            }
        };
        for d in differences {
            let Some(blob) = d.committed else { continue };
            if known.contains(&d.path) {
                continue;
            }
            // A file that is missing, or already holds what HEAD has, is
            // tix's to restore; one with other content is a user's edit,
            // left for them (and for `tix check` to report).
            let on_disk = std::fs::read(self.root.join(&d.path)).ok();
            let same =
                |bytes: &[u8]| Oid::hash_object(ObjectType::Blob, bytes).is_ok_and(|id| id == blob);
            if on_disk.as_deref().is_none_or(same) {
                files.push((d.path, blob));
            }
        }
        self.check_out_new_files(&files, &removals)?;
        std::fs::remove_file(&path).context(|| format!("cannot remove {}", path.display()))
    }

    /// Ticket entries that a commit since the journal's base added and
    /// HEAD no longer has. While git's index is behind HEAD (a git command
    /// held its lock when tix committed), a `git commit` builds its tree
    /// from that index and so deletes what tix committed; entries are
    /// append-only, so the next write puts them back.
    fn entries_dropped_since_journal(&self) -> Result<Vec<(String, Oid)>> {
        let Some(base) = self.journal_base() else {
            return Ok(Vec::new());
        };
        let Some(head) = self.head_id()? else {
            return Ok(Vec::new());
        };
        let head_tree = self
            .repo
            .find_commit(head)
            .and_then(|c| c.tree())
            .context(|| format!("cannot read commit {head}"))?;
        let mut walk = self
            .repo
            .revwalk()
            .context(|| "cannot walk the history".into())?;
        walk.push(head)
            .context(|| format!("cannot walk from {head}"))?;
        if let Some(base) = base {
            // A base HEAD no longer descends from (a reset) bounds nothing.
            if !(base == head || self.repo.graph_descendant_of(head, base).unwrap_or(false)) {
                return Ok(Vec::new());
            }
            walk.hide(base)
                .context(|| format!("cannot walk from {base}"))?;
        }
        let tickets = self.repo_path(&format!("{TICKETS_DIR}/"));
        let mut out: Vec<(String, Oid)> = Vec::new();
        for oid in walk {
            let oid = oid.context(|| "cannot walk the history".into())?;
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let tree = commit
                .tree()
                .context(|| format!("cannot read commit {oid}"))?;
            let parent_tree = match commit.parent(0) {
                Ok(p) => Some(p.tree().context(|| format!("cannot read commit {oid}"))?),
                Err(_) => None,
            };
            let mut opts = git2::DiffOptions::new();
            opts.pathspec(&tickets);
            let diff = self
                .repo
                .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))
                .context(|| format!("cannot read what commit {oid} changed"))?;
            for delta in diff.deltas() {
                if delta.status() != git2::Delta::Added {
                    continue;
                }
                let Some(path) = delta.new_file().path().and_then(|p| p.to_str()) else {
                    continue;
                };
                let Some(rel) = path.strip_prefix(self.prefix.as_str()) else {
                    continue;
                };
                if head_tree.get_path(Path::new(path)).is_err()
                    && !out.iter().any(|(p, _)| p == rel)
                {
                    out.push((rel.to_string(), delta.new_file().id()));
                }
            }
        }
        Ok(out)
    }

    /// Whether an earlier writer left the work tree or git's index behind
    /// HEAD (the next writer catches up).
    pub fn checkout_pending(&self) -> bool {
        self.journal_base().is_some()
    }

    /// The top-level folders of the store that tix alone writes.
    fn owned_dirs(&self) -> Vec<String> {
        [".tix", TICKETS_DIR, QUARANTINE_DIR]
            .iter()
            .map(|d| self.repo_path(d))
            .collect()
    }

    /// The file git keeps its index in.
    pub fn git_index_file(&self) -> PathBuf {
        self.repo.path().join("index")
    }

    /// Store files whose entry in git's index differs from HEAD's, by
    /// content (not stat data): what `git diff --cached` would show.
    pub fn index_differences(&self, head_tree: &Tree<'_>) -> Result<Vec<IndexDifference>> {
        let dirs = self.owned_dirs();
        let mut out = Vec::new();
        let rel = |p: &str| p.strip_prefix(self.prefix.as_str()).map(str::to_string);
        if gitindex::entry_count(self.repo.path()).is_some() && self.index_is_split() {
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

    /// The lock file git takes to move `refname` (`HEAD` or `refs/...`).
    fn ref_lock_path(&self, refname: &str) -> PathBuf {
        let base = if refname == "HEAD" {
            self.repo.path()
        } else {
            self.repo.commondir()
        };
        base.join(format!("{refname}.lock"))
    }

    /// Waits for git's lock on a ref to go; removes it once it is stale.
    ///
    /// tix holds the store lock, so no other tix can be moving the ref; a
    /// git command can, but only for the moment it takes to rename one
    /// small file (git itself gives up on a held ref lock after 0.1 s). A
    /// lock older than [`REF_LOCK_STALE`] was left by a process that was
    /// killed, and every later write would fail on it.
    fn clear_stale_ref_lock(&self, refname: &str) -> Result<()> {
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
    fn remove_old_lock(&self, path: &Path) {
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
        let index_lock = self.repo.path().join("index.lock");
        if let Some(age) = lock_age(&index_lock).filter(|a| *a >= REF_LOCK_STALE) {
            out.push(format!(
                "git's index is locked by {} ({:.0}s old); if no git command is running (an editor open for `git commit` keeps it), remove it: until then git's index cannot follow tix's commits",
                index_lock.display(),
                age.as_secs_f64()
            ));
        }
        out
    }

    /// Points HEAD's branch (or a detached HEAD) at `new`, which must have
    /// the current HEAD as parent.
    fn advance_head(&self, old: Option<Oid>, new: Oid, message: &str) -> Result<()> {
        let head = self
            .repo
            .find_reference("HEAD")
            .context(|| "cannot read HEAD".into())?;
        let log = message.lines().next().unwrap_or("tix");
        let refname = head
            .symbolic_target()
            .ok()
            .flatten()
            .unwrap_or("HEAD")
            .to_string();
        self.clear_stale_ref_lock(&refname)?;
        if refname != "HEAD" {
            // Moving a branch does not take HEAD's lock, but a killed git
            // command's HEAD.lock makes every `git commit` fail and `tix
            // check` promises the next write removes it. Only an old one:
            // a fresh one may be a `git checkout` under way.
            self.remove_old_lock(&self.ref_lock_path("HEAD"));
        }
        // A compare-and-swap against the commit the new one was built on:
        // a branch that moved meanwhile keeps what moved it.
        let result = match head.symbolic_target().ok().flatten() {
            Some(branch) => match old {
                Some(old) => self
                    .repo
                    .reference_matching(branch, new, true, old, log)
                    .map(|_| ()),
                None => self.repo.reference(branch, new, false, log).map(|_| ()),
            },
            // The state check refused a detached HEAD; one detached since
            // is a git command's, and a commit there would belong to no
            // branch.
            None => {
                return Err(self
                    .refuse_during_git_operation()
                    .err()
                    .unwrap_or_else(|| branch_moved(old, self.head_id().ok().flatten())));
            }
        };
        match result {
            Err(e) if e.code() == git2::ErrorCode::Locked => Err(ref_locked(
                &self.ref_lock_path(&refname),
                "a git command took it just now",
            )),
            Err(e)
                if matches!(
                    e.code(),
                    git2::ErrorCode::Modified | git2::ErrorCode::Exists
                ) =>
            {
                let now = self
                    .repo
                    .find_reference(&refname)
                    .ok()
                    .and_then(|r| r.target());
                Err(branch_moved(old, now))
            }
            other => other.context(|| "cannot move HEAD to the new commit".into()),
        }
    }

    pub fn head_tree(&self) -> Result<Option<Tree<'_>>> {
        let Some(oid) = self.head_id()? else {
            return Ok(None);
        };
        let commit = self
            .repo
            .find_commit(oid)
            .context(|| "cannot read the commit HEAD points to".into())?;
        Ok(Some(
            commit.tree().context(|| "cannot read HEAD's tree".into())?,
        ))
    }

    pub(crate) fn subtree<'r>(
        &'r self,
        root: &Tree<'r>,
        store_path: &str,
    ) -> Result<Option<Tree<'r>>> {
        let full = self.repo_path(store_path);
        match root.get_path(Path::new(&full)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Ok(Some(
                self.repo
                    .find_tree(entry.id())
                    .context(|| format!("cannot read git tree {full}"))?,
            )),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::internal(format!(
                "cannot read {full}: {}",
                e.message()
            ))),
        }
    }

    /// Every ticket id in the store, sorted.
    pub fn ticket_ids(&self) -> Result<Vec<TicketId>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tickets) = self.subtree(&head, TICKETS_DIR)? else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for shard in tickets.iter() {
            if shard.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let shard_tree = self
                .repo
                .find_tree(shard.id())
                .context(|| format!("cannot read tickets/{}", shard.name().ok().unwrap_or("?")))?;
            for t in shard_tree.iter() {
                if let Some(id) = t.name().ok().and_then(|n| n.parse::<TicketId>().ok()) {
                    ids.push(id);
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Turns what a user typed into a ticket id: any unique prefix works.
    pub fn resolve_id(&self, typed: &str) -> Result<TicketId> {
        let prefix = normalise_prefix(typed).ok_or_else(|| {
            Error::invalid(format!(
                "`{typed}` is not a ticket id (expected up to 8 characters of 0-9 and A-Z without I, L, O, U)"
            ))
        })?;
        let candidates: Vec<TicketId> = if prefix.len() >= SHARD_LEN {
            self.ids_in_shard(&prefix[..SHARD_LEN])?
        } else {
            self.ticket_ids()?
        };
        let matches: Vec<TicketId> = candidates
            .into_iter()
            .filter(|id| id.as_str().starts_with(&prefix))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::not_found(format!("no ticket matches `{typed}`"))),
            many => {
                let shown: Vec<_> = many.iter().take(20).map(|id| id.to_string()).collect();
                Err(Error::new(
                    ErrorKind::Ambiguous,
                    format!(
                        "`{typed}` matches {} tickets: {}{}",
                        many.len(),
                        shown.join(", "),
                        if many.len() > 20 { ", …" } else { "" }
                    ),
                )
                .with_hint("type more characters of the id"))
            }
        }
    }

    fn ids_in_shard(&self, shard: &str) -> Result<Vec<TicketId>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, &format!("{TICKETS_DIR}/{shard}"))? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter_map(|t| t.name().ok().and_then(|n| n.parse::<TicketId>().ok()))
            .collect())
    }

    /// The commit HEAD points to, if any.
    pub fn head_id(&self) -> Result<Option<Oid>> {
        match self.repo.head() {
            Ok(h) => Ok(h.target()),
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(Error::internal(format!(
                "cannot read HEAD: {}",
                e.message()
            ))),
        }
    }

    /// Flushes everything written to the repository's file system to the
    /// disk, for when something outside the store (a mail server asked to
    /// delete what was just filed) must not act on a commit a power cut
    /// could still undo.
    pub fn sync_to_disk(&self) -> Result<()> {
        use std::os::fd::AsRawFd;
        let dir = std::fs::File::open(self.repo.path()).map_err(|e| {
            Error::internal(format!("cannot open {}: {e}", self.repo.path().display()))
        })?;
        // SAFETY: syncfs takes a valid open descriptor, which `dir` holds
        // for the duration of the call.
        let rc = unsafe { libc::syncfs(dir.as_raw_fd()) };
        if rc != 0 {
            return Err(Error::internal(format!(
                "cannot flush {} to disk: {}",
                self.repo.path().display(),
                std::io::Error::last_os_error()
            )));
        }
        Ok(())
    }

    /// Where derived data (caches, never the source of truth) lives: inside
    /// the git directory, so it is never committed or pushed.
    pub fn cache_path(&self, name: &str) -> PathBuf {
        self.repo.path().join("tix").join(name)
    }

    /// Stems of the `.eml` files in the quarantine (see `mail::file`).
    pub fn quarantined_names(&self) -> Result<Vec<String>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, QUARANTINE_DIR)? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter_map(|e| {
                e.name()
                    .ok()
                    .and_then(|n| n.strip_suffix(".eml"))
                    .map(str::to_string)
            })
            .collect())
    }

    /// The files directly in `dir` (a store path) at HEAD, by name.
    pub fn read_dir_files(&self, dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, dir)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in tree.iter() {
            let (Ok(name), Some(ObjectType::Blob)) = (entry.name(), entry.kind()) else {
                continue;
            };
            let blob = self
                .repo
                .find_blob(entry.id())
                .context(|| format!("cannot read {dir}/{name}"))?;
            out.push((name.to_string(), blob.content().to_vec()));
        }
        Ok(out)
    }

    /// Reads a file of the store as committed at HEAD.
    pub fn read_file(&self, store_path: &str) -> Result<Option<Vec<u8>>> {
        let Some(head) = self.head_tree()? else {
            return Ok(None);
        };
        let full = self.repo_path(store_path);
        match head.get_path(Path::new(&full)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Blob) => Ok(Some(
                self.repo
                    .find_blob(entry.id())
                    .context(|| format!("cannot read {full}"))?
                    .content()
                    .to_vec(),
            )),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::internal(format!(
                "cannot read {full}: {}",
                e.message()
            ))),
        }
    }

    pub fn ticket_exists(&self, id: &TicketId) -> Result<bool> {
        let Some(head) = self.head_tree()? else {
            return Ok(false);
        };
        Ok(self.subtree(&head, &Self::ticket_dir(id))?.is_some())
    }

    /// Reads every entry of one ticket as committed at HEAD.
    pub fn read_ticket(&self, id: &TicketId) -> Result<TicketFiles> {
        let dir = Self::ticket_dir(id);
        let tree = self
            .head_tree()?
            .and_then(|head| self.subtree(&head, &dir).transpose())
            .transpose()?
            .ok_or_else(|| Error::not_found(format!("ticket {id} does not exist")))?;
        self.read_ticket_tree(&dir, &tree)
    }

    pub(crate) fn read_ticket_tree(&self, dir: &str, tree: &Tree<'_>) -> Result<TicketFiles> {
        let mut out = TicketFiles::default();
        for item in tree.iter() {
            let Some(name) = item.name().ok() else {
                continue;
            };
            if item.kind() != Some(ObjectType::Blob) || !name.ends_with(".md") {
                continue;
            }
            let path = self.repo_path(&format!("{dir}/{name}"));
            let blob = self
                .repo
                .find_blob(item.id())
                .context(|| format!("cannot read {path}"))?;
            match Entry::decode(blob.content()) {
                Ok(entry) => out.entries.push(StoredEntry {
                    file: name.to_string(),
                    entry,
                }),
                Err(message) => out.problems.push(Problem { path, message }),
            }
        }
        Ok(out)
    }

    /// Reads every ticket. `list` and `check` use this until the index of
    /// a later version makes it unnecessary.
    pub fn read_all(&self) -> Result<Vec<(TicketId, TicketFiles)>> {
        let mut out = Vec::new();
        let Some(head) = self.head_tree()? else {
            return Ok(out);
        };
        let Some(tickets) = self.subtree(&head, TICKETS_DIR)? else {
            return Ok(out);
        };
        for shard in tickets.iter() {
            if shard.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let shard_name = shard.name().ok().unwrap_or("?").to_string();
            let shard_tree = self
                .repo
                .find_tree(shard.id())
                .context(|| format!("cannot read {TICKETS_DIR}/{shard_name}"))?;
            for (id, ticket_tree) in tickets_in_shard(&shard_tree) {
                let tree = self
                    .repo
                    .find_tree(ticket_tree)
                    .context(|| format!("cannot read ticket {id}"))?;
                let files = self.read_ticket_tree(&Self::ticket_dir(&id), &tree)?;
                out.push((id, files));
            }
        }
        Ok(out)
    }

    /// Commits new files (paths relative to the store root) on top of HEAD
    /// as one commit, then writes them to the work tree and the git index so
    /// `git status` stays clean. Anything else the user has staged is left
    /// alone and is not part of the commit.
    pub fn commit(
        &self,
        lock: &StoreLock,
        files: Vec<(String, Vec<u8>)>,
        message: &str,
        author: &Author,
    ) -> Result<Committed> {
        let blobs = files
            .iter()
            .map(|(path, bytes)| Ok((path.clone(), self.write_blob(path, bytes)?)))
            .collect::<Result<Vec<_>>>()?;
        self.commit_changes(lock, blobs, Vec::new(), message, author)
    }

    /// Stores `bytes` in git's object database, ahead of a commit. `path` is
    /// only for messages.
    fn write_blob(&self, path: &str, bytes: &[u8]) -> Result<Oid> {
        self.repo
            .blob(bytes)
            .context(|| format!("cannot store {path} in git"))
    }

    /// Stores many blobs as one packfile, without deltas: a mail import
    /// batch becomes one file in `objects/pack` rather than thousands of
    /// loose objects, each a file to create. Returns their ids, in order.
    pub fn write_blobs_packed(&self, blobs: &[&[u8]]) -> Result<Vec<Oid>> {
        use std::io::Write;
        if blobs.is_empty() {
            return Ok(Vec::new());
        }
        let fail = |e: std::io::Error| Error::internal(format!("cannot write a packfile: {e}"));
        let odb = self
            .repo
            .odb()
            .context(|| "cannot open git's object database".into())?;
        let mut writer = odb
            .packwriter()
            .context(|| "cannot write a packfile".into())?;
        let mut hasher = sha1_smol::Sha1::new();
        let mut emit = |bytes: &[u8], w: &mut git2::OdbPackwriter<'_>| -> Result<()> {
            hasher.update(bytes);
            w.write_all(bytes).map_err(fail)
        };
        // A pack must not hold the same object twice (two identical
        // attachments in one batch, say): the indexer rejects it.
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::with_capacity(blobs.len());
        let mut unique = Vec::new();
        for blob in blobs {
            let id = Oid::hash_object(ObjectType::Blob, blob)
                .context(|| "cannot hash an object".into())?;
            ids.push(id);
            if seen.insert(id) {
                unique.push(*blob);
            }
        }
        let count = u32::try_from(unique.len())
            .map_err(|_| Error::internal("too many objects for one pack"))?;
        let mut header = Vec::with_capacity(12);
        header.extend_from_slice(b"PACK");
        header.extend_from_slice(&2u32.to_be_bytes());
        header.extend_from_slice(&count.to_be_bytes());
        emit(&header, &mut writer)?;
        for blob in unique {
            // Object header: type 3 (blob) and the size, 4 bits then 7 per byte.
            let mut size = blob.len() as u64;
            let mut head = vec![(3u8 << 4) | (size & 0x0f) as u8];
            size >>= 4;
            while size > 0 {
                *head.last_mut().expect("not empty") |= 0x80;
                head.push((size & 0x7f) as u8);
                size >>= 7;
            }
            emit(&head, &mut writer)?;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(blob).map_err(fail)?;
            emit(&z.finish().map_err(fail)?, &mut writer)?;
        }
        let trailer = hasher.digest().bytes();
        writer.write_all(&trailer).map_err(fail)?;
        writer
            .commit()
            .context(|| "cannot write a packfile".into())?;
        Ok(ids)
    }

    /// Commits new files and removals. Only the quarantine ever removes
    /// anything (a message that is filed on retry leaves it); entries never
    /// are, and `tix check` reports it if a commit does.
    pub fn commit_changes(
        &self,
        lock: &StoreLock,
        files: Vec<(String, Oid)>,
        removals: Vec<String>,
        message: &str,
        author: &Author,
    ) -> Result<Committed> {
        // Checked again here, the last moment before anything is built:
        // a git command may have started since the lock was taken.
        self.refuse_during_git_operation()?;
        let mut files = files;
        let restored = self.entries_dropped_since_journal()?;
        if !restored.is_empty() {
            crate::warnings::warn(&format!(
                "restored {} entr{} that a commit made while git's index was behind deleted: {}",
                restored.len(),
                if restored.len() == 1 { "y" } else { "ies" },
                restored
                    .iter()
                    .map(|(p, _)| self.repo_path(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            files.extend(restored);
        }
        let mut new_files = NewFiles::default();
        for (path, blob) in &files {
            // Tickets are append-only: a file there is never written over.
            if path.starts_with(&format!("{TICKETS_DIR}/")) {
                new_files.create(&self.repo_path(path), *blob)?;
            } else {
                new_files.replace(&self.repo_path(path), *blob)?;
            }
        }
        for path in &removals {
            new_files.remove(&self.repo_path(path))?;
        }
        let head_commit = match self.repo.head() {
            Ok(h) => Some(h.peel_to_commit().context(|| "cannot read HEAD".into())?),
            Err(_) => None,
        };
        // What the caller checked its change against (tickets, locks,
        // duplicates) was read at the HEAD it saw under the lock; a branch
        // that git moved since may hold what makes the change wrong.
        let head_id = head_commit.as_ref().map(|c| c.id());
        if let Some(seen) = lock.seen_head()
            && seen != head_id
        {
            return Err(branch_moved(seen, head_id));
        }
        let base = match &head_commit {
            Some(c) => Some(c.tree().context(|| "cannot read HEAD's tree".into())?),
            None => None,
        };
        let tree_id = match new_files.write_onto(&self.repo, base.as_ref())? {
            Some(id) => id,
            None => self
                .repo
                .treebuilder(None)
                .and_then(|b| b.write())
                .context(|| "cannot write an empty tree".into())?,
        };
        let tree = self
            .repo
            .find_tree(tree_id)
            .context(|| "cannot read the new tree".into())?;
        // libgit2 writes a name with a line break into the commit as is, and
        // every later read of the history then fails; refuse it here, the
        // last point before anything is written.
        for (what, value) in [("name", &author.name), ("e-mail", &author.email)] {
            crate::domain::config::check_identity_part(value).map_err(|e| {
                Error::invalid(format!("commit author {what}: {e}"))
                    .with_hint("fix the agent in .tix/config.yaml, or git's user.name/user.email")
            })?;
        }
        let sig = Signature::now(&author.name, &author.email).context(|| {
            format!(
                "`{} <{}>` is not a usable git identity",
                author.name, author.email
            )
        })?;
        let parents: Vec<&git2::Commit<'_>> = head_commit.iter().collect();
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &parents)
            .context(|| "cannot commit".into())?;
        // The journal names the last commit the work tree and index are in
        // step with before HEAD moves on, so a kill at any point after, or a
        // failure to update git's index, leaves a note for the next writer
        // to finish the check-out (see `finish_interrupted_checkout`). One
        // left by an earlier writer keeps its older base.
        let journal = self.journal_path();
        let behind = self.journal_base().is_some();
        if !behind {
            let base = head_commit
                .as_ref()
                .map_or_else(|| "none".to_string(), |c| c.id().to_string());
            std::fs::write(&journal, format!("base {base}\n"))
                .context(|| format!("cannot write {}", journal.display()))?;
        }
        if let Err(e) = self.advance_head(head_id, oid, message) {
            // Nothing landed: a journal left now would have the next writer
            // check out what someone else's commit holds.
            if !behind {
                let _ = std::fs::remove_file(&journal);
            }
            return Err(e);
        }
        lock.set_seen_head(Some(oid));
        // The commit is the record; a failure to mirror it into the work
        // tree must not make the caller think the change was lost (and
        // retry it).
        let checked_out = if behind {
            self.finish_interrupted_checkout()
        } else {
            self.check_out_new_files(&files, &removals).and_then(|()| {
                std::fs::remove_file(&journal)
                    .context(|| format!("cannot remove {}", journal.display()))
            })
        };
        let warning = checked_out.err().map(|e| {
            let lock = self.repo.path().join("index.lock");
            let lock_hint = if lock.exists() {
                format!(
                    " git's index is locked by {}: if no git command is running, remove it.",
                    lock.display()
                )
            } else {
                String::new()
            };
            format!(
                "the change was committed ({}), but the work tree or git's index was not updated: {e};{lock_hint} \
                 the next tix write brings them in step",
                &oid.to_string()[..10],
            )
        });
        Ok(Committed { oid, warning })
    }

    fn check_out_new_files(&self, files: &[(String, Oid)], removals: &[String]) -> Result<()> {
        let mut stats = Vec::with_capacity(files.len());
        for (path, oid) in files {
            let blob = self
                .repo
                .find_blob(*oid)
                .context(|| format!("cannot read {path} back from git"))?;
            let on_disk = self.root.join(path);
            if let Some(parent) = on_disk.parent()
                && !parent.is_dir()
            {
                std::fs::create_dir_all(parent)
                    .context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&on_disk, blob.content())
                .context(|| format!("cannot write {}", on_disk.display()))?;
            let meta = std::fs::metadata(&on_disk)
                .context(|| format!("cannot read {}", on_disk.display()))?;
            stats.push(meta);
        }
        // The marker says a tix process is writing git's index: if it is
        // killed meanwhile, the `index.lock` it leaves is known to be its
        // own, and the next writer removes it instead of failing on it.
        let marker = self.index_marker_path();
        self.clear_stale_index_lock();
        let _ = std::fs::write(&marker, format!("pid {}\n", std::process::id()));
        let result = self.update_index(files, removals, &stats);
        let _ = std::fs::remove_file(&marker);
        result
    }

    /// git's index as it is on disk now: another process may have changed
    /// it since libgit2 cached this repository's handle.
    fn fresh_git_index(&self) -> Result<git2::Index> {
        let mut index = self
            .repo
            .index()
            .context(|| "cannot open the git index".into())?;
        index
            .read(false)
            .context(|| "cannot read the git index".into())?;
        Ok(index)
    }

    fn index_marker_path(&self) -> PathBuf {
        self.repo.path().join("tix-index-write")
    }

    /// Removes an `index.lock` that a tix process killed while writing
    /// git's index left behind. It is that process's if the marker it
    /// wrote just before is still there and the lock was made within
    /// moments of it: no other tix can have run since (this one holds the
    /// store lock), and no git command can take a lock that exists. Any
    /// other `index.lock` may be a git command's (`git commit` keeps one
    /// while its editor is open) and is left alone.
    fn clear_stale_index_lock(&self) {
        let marker = self.index_marker_path();
        let Some(marked) = std::fs::metadata(&marker)
            .ok()
            .and_then(|m| m.modified().ok())
        else {
            return;
        };
        let lock = self.repo.path().join("index.lock");
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

    fn update_index(
        &self,
        files: &[(String, Oid)],
        removals: &[String],
        stats: &[std::fs::Metadata],
    ) -> Result<()> {
        if removals.is_empty() && self.add_to_split_index(files, stats)? {
            return Ok(());
        }
        if gitindex::entry_count(self.repo.path()).is_some() && self.index_is_split() {
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
            let rel = self.repo_path(path);
            index
                .remove_path(Path::new(&rel))
                .context(|| format!("cannot remove {rel} from the git index"))?;
        }
        index
            .write()
            .context(|| "cannot write the git index".into())
    }

    /// Replaces `.tix/config.yaml` with `config` in one commit.
    pub fn save_config(
        &mut self,
        lock: &StoreLock,
        config: Config,
        message: &str,
        author: &Author,
    ) -> Result<Committed> {
        let committed = self.commit(
            lock,
            vec![(CONFIG_PATH.into(), config.to_yaml().into_bytes())],
            message,
            author,
        )?;
        self.config = config;
        Ok(committed)
    }
}

fn read_config(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_PATH);
    let bytes = std::fs::read(&path).context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::invalid(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Config::parse(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))
}

/// The tags that make entry file names unique, for one writer.
///
/// Every entry of one write shares its timestamp, so the tag alone must
/// tell their names apart. Drawing each tag at random would make that a
/// matter of luck (30 bits: a mail with tens of thousands of parts is
/// likely to repeat one). Instead only the start is random, so that two
/// clones writing at the same microsecond still pick different names, and
/// the tags after it count up: within one writer no tag repeats until
/// 32^6 (about a billion) names have been made.
pub struct TagSource {
    next: u32,
}

/// 32^6: the number of distinct 6-character tags.
const TAG_SPACE: u32 = 1 << 30;

impl TagSource {
    pub fn new() -> Result<TagSource> {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
        Ok(TagSource::starting_at(u32::from_le_bytes(bytes)))
    }

    /// A source whose first tag is `start` (modulo 32^6).
    pub fn starting_at(start: u32) -> TagSource {
        TagSource {
            next: start % TAG_SPACE,
        }
    }

    /// The next tag: six characters of the id alphabet.
    pub fn next_tag(&mut self) -> String {
        let value = self.next;
        self.next = (self.next + 1) % TAG_SPACE;
        (0..6)
            .rev()
            .map(|i| crate::domain::id::ALPHABET[((value >> (5 * i)) & 31) as usize] as char)
            .collect()
    }
}

/// The tickets of a shard's tree: each ticket directory's id and tree
/// (anything else in the shard is not a ticket).
pub(crate) fn tickets_in_shard<'t>(
    shard: &'t Tree<'_>,
) -> impl Iterator<Item = (TicketId, Oid)> + 't {
    shard.iter().filter_map(|t| {
        let id = t.name().ok()?.parse::<TicketId>().ok()?;
        (t.kind() == Some(ObjectType::Tree)).then(|| (id, t.id()))
    })
}

/// Random characters for entry file names, from the id alphabet.
pub fn random_tag(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| crate::domain::id::ALPHABET[(b & 31) as usize] as char)
        .collect())
}

/// A fresh random ticket id.
pub fn random_id() -> Result<TicketId> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
    Ok(TicketId::from_random(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_do_not_repeat_within_a_writer_even_across_the_wrap() {
        let mut tags = TagSource::starting_at(TAG_SPACE - 50_000);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let tag = tags.next_tag();
            assert_eq!(tag.len(), 6);
            assert!(
                tag.bytes()
                    .all(|b| crate::domain::id::ALPHABET.contains(&b)),
                "{tag}"
            );
            assert!(seen.insert(tag.clone()), "tag {tag} repeated");
        }
    }

    #[test]
    fn tags_of_one_writer_start_at_random() {
        let a = TagSource::new().unwrap().next_tag();
        let b = TagSource::new().unwrap().next_tag();
        let c = TagSource::new().unwrap().next_tag();
        // Three equal draws of 30 random bits would be a broken source.
        assert!(a != b || b != c, "{a} {b} {c}");
    }
}
