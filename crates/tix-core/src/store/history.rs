//! Reading the store's git history: one ticket's log, and the check that
//! no commit ever modified or deleted an entry.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use git2::{Commit, Delta, DiffOptions, Oid, Sort};
use serde::Serialize;

use super::Store;
use super::layout::TICKETS_DIR;
use crate::domain::{TicketId, Timestamp};
use crate::error::{Context, GitError, Result};

#[derive(Clone, Debug, Serialize)]
pub struct CommitInfo {
    pub commit: String,
    pub author: String,
    pub email: String,
    pub at: Timestamp,
    pub summary: String,
}

/// An entry or attachment that some commit changed or removed.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryProblem {
    pub commit: String,
    pub path: String,
    pub change: &'static str,
}

impl Store {
    fn walk(&self) -> Result<Vec<Oid>> {
        let mut walk = self
            .repo
            .revwalk()
            .context(|| "cannot walk history".into())?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .context(|| "cannot sort history".into())?;
        match walk.push_head() {
            Ok(()) => {}
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                return Ok(Vec::new());
            }
            Err(e) => {
                return Err(
                    crate::Error::internal(format!("cannot read HEAD: {}", e.message()))
                        .with_source(GitError(e)),
                );
            }
        }
        walk.collect::<std::result::Result<Vec<_>, _>>()
            .context(|| "cannot walk history".into())
    }

    /// How many commits of HEAD's history were authored or committed with
    /// `email`: everything an agent wrote (entries, records) is in such a
    /// commit, since tix makes every commit as the agent acting.
    pub fn commits_by_address(&self, email: &str) -> Result<usize> {
        let mut count = 0;
        for oid in self.walk()? {
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let matches = |s: git2::Signature<'_>| {
                s.email()
                    .is_ok_and(|e| e.trim().eq_ignore_ascii_case(email.trim()))
            };
            if matches(commit.author()) || matches(commit.committer()) {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Commits that changed the ticket, newest first. A merge is listed only
    /// when it holds something of the ticket that none of its parents had
    /// (a hand-made change while merging): entries are files that are only
    /// added, so an ordinary merge, `tix sync`'s included, brings nothing
    /// of its own and the commits that wrote the entries are listed anyway.
    pub fn ticket_log(&self, id: &TicketId) -> Result<Vec<CommitInfo>> {
        let path = self.repo_path(&Store::ticket_dir(id));
        let mut out = Vec::new();
        for oid in self.walk()? {
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let mine = tree_id_at(&commit, &path);
            let parents: Vec<Option<Oid>> =
                commit.parents().map(|p| tree_id_at(&p, &path)).collect();
            let changed = if parents.is_empty() {
                mine.is_some()
            } else if parents.contains(&mine) {
                false
            } else if parents.len() > 1 {
                self.merge_adds_to(mine, &parents)
            } else {
                true
            };
            if changed {
                let author = commit.author();
                out.push(CommitInfo {
                    commit: oid.to_string(),
                    author: author.name().unwrap_or("").to_string(),
                    email: author.email().unwrap_or("").to_string(),
                    at: commit_time(&commit),
                    summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
                });
            }
        }
        Ok(out)
    }

    /// For each file directly in `dir` (a store path) at HEAD, the time of
    /// the oldest commit that has it: when it first came into the store,
    /// on whichever clone. Records that must be the same on every clone
    /// (the quarantine's) keep no time of their own; this is their time.
    /// One walk of the history; a version of the directory is read once
    /// however many commits share it.
    pub fn first_added_in(&self, dir: &str) -> Result<BTreeMap<String, Timestamp>> {
        let path = self.repo_path(dir);
        let names: Vec<String> = self
            .read_dir_files(dir)?
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let mut oldest: Vec<Option<Timestamp>> = vec![None; names.len()];
        // Which of `names` each version of the directory holds.
        let mut holds: HashMap<Oid, Vec<usize>> = HashMap::new();
        for oid in self.walk()? {
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let Some(tree_id) = tree_id_at(&commit, &path) else {
                continue;
            };
            let held = match holds.entry(tree_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let tree = self
                        .repo
                        .find_tree(tree_id)
                        .context(|| format!("cannot read {dir} in commit {oid}"))?;
                    e.insert(
                        names
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| tree.get_name(n).is_some())
                            .map(|(i, _)| i)
                            .collect(),
                    )
                }
            };
            let at = commit_time(&commit);
            for &i in held.iter() {
                oldest[i] = Some(oldest[i].map_or(at, |t| t.min(at)));
            }
        }
        Ok(names
            .into_iter()
            .zip(oldest)
            .filter_map(|(n, t)| Some((n, t?)))
            .collect())
    }

    /// Every commit, compared with each parent: a file under `tickets/` that
    /// a parent had and the commit modified or lost breaks the append-only
    /// rule.
    pub fn check_history(&self) -> Result<Vec<HistoryProblem>> {
        let tickets = self.repo_path(TICKETS_DIR);
        let mut out = Vec::new();
        let head = self.head_tree()?;
        // A deleted entry that HEAD has again, byte for byte, was put back
        // (see `entries_dropped_since_journal`): the trail is whole.
        let restored = |delta: &git2::DiffDelta<'_>| {
            let (Some(head), Some(path)) = (&head, delta.old_file().path()) else {
                return false;
            };
            head.get_path(path)
                .is_ok_and(|e| e.id() == delta.old_file().id())
        };
        for oid in self.walk()? {
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let tree = commit
                .tree()
                .context(|| format!("cannot read commit {oid}"))?;
            for parent in commit.parents() {
                let parent_tree = parent
                    .tree()
                    .context(|| format!("cannot read commit {}", parent.id()))?;
                let mut opts = DiffOptions::new();
                opts.pathspec(&tickets);
                let diff = self
                    .repo
                    .diff_tree_to_tree(Some(&parent_tree), Some(&tree), Some(&mut opts))
                    .context(|| format!("cannot compare commit {oid} with its parent"))?;
                for delta in diff.deltas() {
                    let change = match delta.status() {
                        Delta::Deleted if restored(&delta) => continue,
                        Delta::Deleted => "deleted",
                        Delta::Modified => "modified",
                        Delta::Typechange => "changed type of",
                        Delta::Renamed => "renamed",
                        _ => continue,
                    };
                    let path = delta
                        .old_file()
                        .path()
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    out.push(HistoryProblem {
                        commit: oid.to_string(),
                        path,
                        change,
                    });
                }
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Whether a merge's ticket tree `mine` is anything other than the
    /// union of its parents' ticket trees.
    fn merge_adds_to(&self, mine: Option<Oid>, parents: &[Option<Oid>]) -> bool {
        let files = |tree: Option<Oid>| -> Option<BTreeSet<(String, Oid)>> {
            let mut out = BTreeSet::new();
            let Some(tree) = tree else { return Some(out) };
            let tree = self.repo.find_tree(tree).ok()?;
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() == Some(git2::ObjectType::Blob) {
                    out.insert((format!("{dir}{}", entry.name().unwrap_or("")), entry.id()));
                }
                git2::TreeWalkResult::Ok
            })
            .ok()?;
            Some(out)
        };
        let union = parents.iter().try_fold(BTreeSet::new(), |mut all, p| {
            all.extend(files(*p)?);
            Some(all)
        });
        // Unreadable trees: list the merge rather than hide a change.
        match (files(mine), union) {
            (Some(merged), Some(union)) => merged != union,
            _ => true,
        }
    }
}

fn tree_id_at(commit: &Commit<'_>, path: &str) -> Option<Oid> {
    commit
        .tree()
        .ok()?
        .get_path(Path::new(path))
        .ok()
        .map(|e| e.id())
}

fn commit_time(commit: &Commit<'_>) -> Timestamp {
    Timestamp::new(chrono::DateTime::from_timestamp(commit.time().seconds(), 0).unwrap_or_default())
}
