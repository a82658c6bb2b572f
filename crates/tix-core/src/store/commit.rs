//! Committing: building the tree, moving the branch, and checking the new
//! files out into the work tree and git's index.

use git2::{Oid, Signature};

use super::git::lock_files::ref_locked;
use super::git::tree::NewFiles;
use super::layout::{CONFIG_PATH, TICKETS_DIR};
use super::{Author, Committed, Store, StoreLock};
use crate::error::{Context, Error, ErrorKind, Result};

/// The branch is not where it was when tix read it: something else
/// committed, reset or pulled meanwhile.
pub(in crate::store) fn branch_moved(seen: Option<Oid>, now: Option<Oid>) -> Error {
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

impl Store {
    /// Points HEAD's branch (or a detached HEAD) at `new`, which must have
    /// the current HEAD as parent.
    pub(in crate::store) fn advance_head(
        &self,
        old: Option<Oid>,
        new: Oid,
        message: &str,
    ) -> Result<()> {
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
            Some(branch) => self.move_branch_waiting(branch, old, new, log),
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

    /// [`Store::move_branch`], waiting while a git command holds the
    /// branch's lock, as git itself does for `core.filesRefLockTimeout`
    /// (tix waits 1 s unless that says otherwise): git's own background
    /// maintenance packs refs under that lock for a moment, and a write
    /// that comes just then must not fail for it.
    fn move_branch_waiting(
        &self,
        branch: &str,
        old: Option<Oid>,
        new: Oid,
        log: &str,
    ) -> std::result::Result<(), git2::Error> {
        let wait_ms = self
            .repo
            .config()
            .and_then(|mut c| c.snapshot())
            .and_then(|c| c.get_i64("core.filesRefLockTimeout"))
            .unwrap_or(1000)
            .clamp(0, 60_000) as u64;
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(wait_ms);
        let mut pause = std::time::Duration::from_millis(1);
        loop {
            match self.move_branch(branch, old, new, log) {
                Err(e)
                    if e.code() == git2::ErrorCode::Locked
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(std::time::Duration::from_millis(50));
                }
                other => return other,
            }
        }
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
    pub(in crate::store) fn write_blob(&self, path: &str, bytes: &[u8]) -> Result<Oid> {
        super::git::write_objects(|| self.repo.blob(bytes))
            .context(|| format!("cannot store {path} in git"))
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
        // HEAD is resolved once for the whole commit: the warning below,
        // the check against what the caller saw, and the base tree.
        let head_commit = match self.repo.head() {
            Ok(h) => Some(h.peel_to_commit().context(|| "cannot read HEAD".into())?),
            Err(_) => None,
        };
        let base = match &head_commit {
            Some(c) => Some(c.tree().context(|| "cannot read HEAD's tree".into())?),
            None => None,
        };
        self.warn_uncommitted_hand_written_once(base.as_ref());
        let noted = self.with_commit_note(message);
        let message = noted.as_str();
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
        // What the caller checked its change against (tickets, locks,
        // duplicates) was read at the HEAD it saw under the lock; a branch
        // that git moved since may hold what makes the change wrong.
        let head_id = head_commit.as_ref().map(|c| c.id());
        if let Some(seen) = lock.seen_head()
            && seen != head_id
        {
            return Err(branch_moved(seen, head_id));
        }
        let mut trees_written = std::collections::BTreeSet::new();
        let tree_id = match new_files.write_noting(&self.repo, base.as_ref(), &mut trees_written)? {
            Some(id) => id,
            None => {
                super::git::write_objects(|| self.repo.treebuilder(None).and_then(|b| b.write()))
                    .context(|| "cannot write an empty tree".into())?
            }
        };
        let tree = self
            .repo
            .find_tree(tree_id)
            .context(|| "cannot read the new tree".into())?;
        // libgit2 writes a name with a line break into the commit as is, and
        // every later read of the history then fails; refuse it here, the
        // last point before anything is written.
        let (committer_name, committer_email) = author.committer();
        for (what, value) in [
            ("author name", author.name.as_str()),
            ("author e-mail", author.email.as_str()),
            ("committer name", committer_name),
            ("committer e-mail", committer_email),
        ] {
            crate::domain::config::check_identity_part(value).map_err(|e| {
                Error::invalid(format!("commit {what}: {e}")).with_hint(format!(
                    "fix the agent in {CONFIG_PATH}, or git's user.name/user.email"
                ))
            })?;
        }
        let signature = |name: &str, email: &str| {
            Signature::now(name, email)
                .context(|| format!("`{name} <{email}>` is not a usable git identity"))
        };
        let author_sig = signature(&author.name, &author.email)?;
        let committer_sig = signature(committer_name, committer_email)?;
        let message = author.message(message);
        let message = message.as_str();
        let parents: Vec<&git2::Commit<'_>> = head_commit.iter().collect();
        let oid = self.write_commit(&author_sig, &committer_sig, message, &tree, &parents)?;
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
        let flushed = self.flush_commit_objects(
            oid,
            tree_id,
            trees_written,
            files.iter().map(|(_, blob)| *blob),
            if behind {
                &[]
            } else {
                std::slice::from_ref(&journal)
            },
        );
        if let Err(e) = flushed.and_then(|()| self.advance_head(head_id, oid, message)) {
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
            let lock = self.git_index_lock_path();
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
        self.maintain_in_background();
        Ok(Committed { oid, warning })
    }

    pub(in crate::store) fn check_out_new_files(
        &self,
        files: &[(String, Oid)],
        removals: &[String],
    ) -> Result<()> {
        let mut stats = Vec::with_capacity(files.len());
        let mut created = std::collections::BTreeSet::new();
        for (path, oid) in files {
            let blob = self
                .repo
                .find_blob(*oid)
                .context(|| format!("cannot read {path} back from git"))?;
            let on_disk = self.root.join(path);
            if let Some(parent) = on_disk.parent()
                && !parent.is_dir()
            {
                created.extend(
                    parent
                        .ancestors()
                        .take_while(|d| !d.is_dir())
                        .map(std::path::Path::to_path_buf),
                );
                std::fs::create_dir_all(parent)
                    .context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&on_disk, blob.content())
                .context(|| format!("cannot write {}", on_disk.display()))?;
            let meta = std::fs::metadata(&on_disk)
                .context(|| format!("cannot read {}", on_disk.display()))?;
            stats.push(meta);
        }
        // Before the journal that stands in for them goes.
        super::durable::flush_work_tree(files.iter().map(|(p, _)| self.root.join(p)), &created)?;
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
}
