//! The checkout journal: a note that the work tree and git's index may be
//! behind HEAD, and the catching up the next writer does.

use std::path::Path;

use git2::{ObjectType, Oid};

use super::Store;
use super::layout::TICKETS_DIR;
use crate::error::{Context, Result};

impl Store {
    /// The commit at which the work tree and git's index were last known
    /// to be in step, if a journal says they may not be. `Some(None)`: the
    /// branch had no commit then.
    pub(in crate::store) fn journal_base(&self) -> Option<Option<Oid>> {
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
    pub(in crate::store) fn finish_interrupted_checkout(&self) -> Result<()> {
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
    pub(in crate::store) fn entries_dropped_since_journal(&self) -> Result<Vec<(String, Oid)>> {
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
}
