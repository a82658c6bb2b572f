//! `tix sync`: bringing this clone and its remote together with the
//! user's own `git` (so ssh and https credentials, `insteadOf` and
//! proxies behave exactly as in git), under tix's write lock so that no
//! tix command on this clone commits while git works.
//!
//! Histories are joined by a fast-forward or a merge, never a rebase: a
//! rebase rewrites commits others may already have, and the merge commit
//! is the record of who synced when. Ticket entries are files that are
//! only ever added, so `tickets/` always merges; anything that does not
//! merge (two edits of `.tix/config.yaml`) is aborted and left for a
//! person, with the clone exactly as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use git2::{Oid, Tree};
use serde::Serialize;

use super::{Author, Store, TICKETS_DIR, TicketFiles};
use crate::domain::{StoredEntry, TicketId, fold};
use crate::error::{Error, ErrorKind, Result};

/// Where fetched commits are held while sync looks at them; never left
/// behind, so a dry run changes no ref.
const INCOMING_REF: &str = "refs/tix/sync-incoming";
/// How long sync keeps retrying a push that others' pushes keep beating.
const PUSH_PATIENCE: Duration = Duration::from_secs(120);
const MAX_PUSH_ATTEMPTS: u32 = 40;

pub struct SyncOptions {
    /// The remote to sync with; default: the branch's upstream remote,
    /// else the only remote, else `origin`.
    pub remote: Option<String>,
    pub dry_run: bool,
    /// Who is syncing: the merge commit's author and committer.
    pub author: Author,
    /// The handle of the acting agent, for "newly assigned to you".
    pub me: Option<String>,
}

/// What a sync did (or, dry, would do).
#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub remote: String,
    pub branch: String,
    pub remote_branch: String,
    pub dry_run: bool,
    /// `up-to-date`, `fast-forward`, `merge` or `push-only`.
    pub how: &'static str,
    /// Commits that came in from the remote (that would, when dry).
    pub commits_in: usize,
    /// Commits of this clone that the remote did not have.
    pub commits_out: usize,
    /// Entries of this clone that the remote did not have.
    pub entries_out: usize,
    pub pushed: bool,
    /// Pushes that were rejected because someone else pushed first.
    pub retries: u32,
    /// Tickets that gained entries from the remote, with how many.
    pub changed: Vec<ChangedTicket>,
    /// Tickets assigned to the syncing agent by what came in.
    pub assigned_to_you: Vec<ChangedTicket>,
    /// Entries that the merged trail keeps but no longer applies because
    /// the ticket was locked before them in fold order.
    pub cancelled: Vec<NotApplied>,
    /// Second `created` entries that are not copies: two clones chose
    /// the same ticket id for different tickets.
    pub collisions: Vec<NotApplied>,
    /// Entries that came in as copies of ones already there (the same
    /// mail imported, the same rule run, on two clones): counted once.
    pub folded: Vec<NotApplied>,
    /// Agents with more active tickets than `assignment.max_active` after
    /// the merge (each clone respected it alone; together they may not).
    pub over_max_active: Vec<Overrun>,
}

#[derive(Debug, Serialize)]
pub struct ChangedTicket {
    pub id: TicketId,
    pub subject: String,
    pub entries: usize,
}

#[derive(Debug, Serialize)]
pub struct NotApplied {
    pub id: TicketId,
    pub file: String,
    pub kind: String,
    /// Who wrote the entry.
    pub writer: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct Overrun {
    pub agent: String,
    pub active: usize,
    pub max_active: usize,
}

impl SyncReport {
    pub fn entries_in(&self) -> usize {
        self.changed.iter().map(|c| c.entries).sum()
    }
}

/// What git printed when it failed.
struct GitFailure {
    stderr: String,
}

impl Store {
    /// Fetches, fast-forwards or merges, and pushes (retrying with backoff
    /// while other clones push first), holding the store lock throughout.
    pub fn sync(&self, opts: &SyncOptions) -> Result<SyncReport> {
        let lock = self.lock()?;
        self.refuse_during_git_operation()?;
        let branch = self.current_branch()?;
        let remote = self.sync_remote(&branch, opts.remote.as_deref())?;
        let remote_branch = self.upstream_branch(&branch, &remote);
        crate::domain::config::check_identity_part(&opts.author.name)
            .and_then(|()| crate::domain::config::check_identity_part(&opts.author.email))
            .map_err(|e| Error::invalid(format!("merge commit author: {e}")))?;
        let before = self.head_id()?;
        let mut report = SyncReport {
            remote: remote.clone(),
            branch: branch.clone(),
            remote_branch: remote_branch.clone(),
            dry_run: opts.dry_run,
            how: "up-to-date",
            ..SyncReport::default()
        };
        let result = self.exchange(&mut report, opts, before);
        self.drop_incoming_ref();
        let remote_now = result?;
        let heads: Vec<Oid> = if opts.dry_run {
            self.head_id()?.into_iter().chain(remote_now).collect()
        } else {
            let after = self.head_id()?;
            if let Some(after) = after {
                lock.set_seen_head(Some(after));
            }
            if let Some(oid) = remote_now {
                self.set_remote_tracking(&remote, &remote_branch, oid);
            }
            after.into_iter().collect()
        };
        self.describe_incoming(&mut report, before, &heads, opts.me.as_deref())?;
        if !opts.dry_run {
            // The derived index follows HEAD; bring it up now, under the
            // lock, rather than in the next command.
            self.list_rows()?;
            report.over_max_active = self.max_active_overruns()?;
        }
        drop(lock);
        Ok(report)
    }

    /// Fetch, join and push until the push goes through (or, dry, fetch
    /// once); returns what the remote has now, as far as this clone knows.
    fn exchange(
        &self,
        report: &mut SyncReport,
        opts: &SyncOptions,
        before: Option<Oid>,
    ) -> Result<Option<Oid>> {
        let (remote, remote_branch) = (report.remote.clone(), report.remote_branch.clone());
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            let incoming = self.fetch_incoming(&remote, &remote_branch)?;
            // Counted against the last fetch: it holds every commit others
            // pushed before ours went through.
            let (commits_in, commits_out) = self.ahead_behind(before, incoming)?;
            report.commits_in = commits_in;
            report.commits_out = commits_out;
            report.entries_out = self.entries_added(incoming, before)?.len();
            let head = self.head_id()?;
            let how = self.how(head, incoming);
            // A merge on any attempt makes the whole sync one.
            if report.how != "merge" && (attempt == 0 || how != "up-to-date") {
                report.how = how;
            }
            if opts.dry_run {
                return Ok(incoming);
            }
            self.join(head, incoming, &remote, &remote_branch, &opts.author)?;
            let Some(head) = self.head_id()? else {
                return Ok(incoming);
            };
            if Some(head) == incoming {
                return Ok(incoming);
            }
            match self.push(&remote, &remote_branch) {
                Ok(()) => {
                    report.pushed = true;
                    return Ok(Some(head));
                }
                Err(Pushed::Behind(why)) => {
                    attempt += 1;
                    report.retries = attempt;
                    if attempt >= MAX_PUSH_ATTEMPTS || started.elapsed() > PUSH_PATIENCE {
                        return Err(Error::new(
                            ErrorKind::Busy,
                            format!(
                                "gave up pushing to {remote} after {attempt} attempts: others kept pushing first ({why}); what was merged here is kept"
                            ),
                        )
                        .with_hint("run `tix sync` again"));
                    }
                    backoff(attempt);
                }
                Err(Pushed::Failed(e)) => return Err(e),
            }
        }
    }

    fn how(&self, head: Option<Oid>, incoming: Option<Oid>) -> &'static str {
        match (head, incoming) {
            (_, None) => "push-only",
            (None, Some(_)) => "fast-forward",
            (Some(h), Some(i)) if h == i => "up-to-date",
            (Some(h), Some(i)) => {
                if self.repo.graph_descendant_of(h, i).unwrap_or(false) {
                    "push-only"
                } else if self.repo.graph_descendant_of(i, h).unwrap_or(false) {
                    "fast-forward"
                } else {
                    "merge"
                }
            }
        }
    }

    pub(in crate::store) fn current_branch(&self) -> Result<String> {
        let head = self
            .repo
            .find_reference("HEAD")
            .map_err(|e| Error::internal(format!("cannot read HEAD: {}", e.message())))?;
        let target = head.symbolic_target().ok().flatten().unwrap_or_default();
        let branch = target.strip_prefix("refs/heads/").ok_or_else(|| {
            Error::new(ErrorKind::Busy, "HEAD is not on a branch; nothing to sync")
                .with_hint("`git switch <branch>`, then run `tix sync` again")
        })?;
        if self.head_id()?.is_none() {
            return Err(Error::invalid(format!(
                "branch {branch} has no commit yet; nothing to sync"
            )));
        }
        Ok(branch.to_string())
    }

    pub(in crate::store) fn sync_remote(
        &self,
        branch: &str,
        asked: Option<&str>,
    ) -> Result<String> {
        let remotes: Vec<String> = self
            .repo
            .remotes()
            .map(|r| {
                r.iter()
                    .filter_map(|name| name.ok().flatten().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let config = self.repo.config().ok();
        let upstream = config
            .as_ref()
            .and_then(|c| c.get_string(&format!("branch.{branch}.remote")).ok())
            .filter(|r| remotes.contains(r));
        let chosen = match asked {
            Some(name) => {
                if !remotes.iter().any(|r| r == name) {
                    return Err(Error::not_found(format!(
                        "no git remote `{name}` in {} (remotes: {})",
                        self.root.display(),
                        if remotes.is_empty() {
                            "none".to_string()
                        } else {
                            remotes.join(", ")
                        }
                    ))
                    .with_hint(format!("`git remote add {name} URL`")));
                }
                name.to_string()
            }
            None => match (upstream, remotes.as_slice()) {
                (Some(up), _) => up,
                (None, [only]) => only.clone(),
                (None, many) if many.iter().any(|r| r == "origin") => "origin".into(),
                (None, []) => {
                    return Err(Error::not_found(format!(
                        "no git remote is configured in {}, so there is nothing to sync with",
                        self.root.display()
                    ))
                    .with_hint("`git remote add origin URL` (the team's shared repository)"));
                }
                (None, many) => {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        format!(
                            "branch {branch} has no upstream and there are several remotes ({}); say which",
                            many.join(", ")
                        ),
                    )
                    .with_hint("`tix sync REMOTE`, or `git branch --set-upstream-to REMOTE/BRANCH`"));
                }
            },
        };
        Ok(chosen)
    }

    /// The branch on `remote` this branch follows: its configured
    /// upstream when that is on `remote`, else the same name.
    pub(in crate::store) fn upstream_branch(&self, branch: &str, remote: &str) -> String {
        let config = self.repo.config().ok();
        let get = |key: String| config.as_ref().and_then(|c| c.get_string(&key).ok());
        let tracked_remote = get(format!("branch.{branch}.remote"));
        get(format!("branch.{branch}.merge"))
            .filter(|_| tracked_remote.as_deref() == Some(remote))
            .and_then(|m| m.strip_prefix("refs/heads/").map(str::to_string))
            .unwrap_or_else(|| branch.to_string())
    }

    /// Fetches the remote branch into [`INCOMING_REF`]; `None` when the
    /// remote does not have the branch yet.
    pub(in crate::store) fn fetch_incoming(
        &self,
        remote: &str,
        branch: &str,
    ) -> Result<Option<Oid>> {
        let refspec = format!("+refs/heads/{branch}:{INCOMING_REF}");
        // No remote-tracking ref moves until the sync has succeeded, so a
        // failed or dry sync leaves every ref as it was.
        let args = [
            "fetch",
            "--quiet",
            "--no-write-fetch-head",
            "--no-tags",
            "--refmap=",
            remote,
            refspec.as_str(),
        ];
        match self.run_git(&args, &[]) {
            Ok(_) => {}
            Err(f) if f.stderr.contains("couldn't find remote ref") => return Ok(None),
            Err(f) => return Err(transport_error("fetch from", remote, &f)),
        }
        let oid = self.repo.refname_to_id(INCOMING_REF).map_err(|e| {
            Error::internal(format!("cannot read what was fetched: {}", e.message()))
        })?;
        Ok(Some(oid))
    }

    /// Moves `refs/remotes/<remote>/<branch>` to what the remote now has,
    /// as `git fetch` would, when the remote's refspecs keep one.
    fn set_remote_tracking(&self, remote: &str, branch: &str, oid: Oid) {
        let tracking = format!("refs/remotes/{remote}/{branch}");
        let kept = self.repo.find_remote(remote).is_ok_and(|r| {
            r.fetch_refspecs().is_ok_and(|specs| {
                specs
                    .iter()
                    .filter_map(|s| s.ok().flatten())
                    .any(|s| s == format!("+refs/heads/*:refs/remotes/{remote}/*"))
            })
        });
        if kept {
            let _ = self.repo.reference(&tracking, oid, true, "tix sync");
        }
    }

    pub(in crate::store) fn drop_incoming_ref(&self) {
        if let Ok(mut r) = self.repo.find_reference(INCOMING_REF) {
            let _ = r.delete();
        }
    }

    /// Commits only on this side and only on the remote's.
    fn ahead_behind(&self, head: Option<Oid>, incoming: Option<Oid>) -> Result<(usize, usize)> {
        let count = |from: Option<Oid>, hide: Option<Oid>| -> Result<usize> {
            let Some(from) = from else { return Ok(0) };
            let mut walk = self.repo.revwalk().map_err(|e| {
                Error::internal(format!("cannot walk the history: {}", e.message()))
            })?;
            walk.push(from).map_err(|e| {
                Error::internal(format!("cannot walk from {from}: {}", e.message()))
            })?;
            if let Some(hide) = hide {
                walk.hide(hide).map_err(|e| {
                    Error::internal(format!("cannot walk from {hide}: {}", e.message()))
                })?;
            }
            Ok(walk.count())
        };
        Ok((count(incoming, head)?, count(head, incoming)?))
    }

    /// Brings `incoming` into the branch: nothing, a fast-forward or a
    /// merge commit. A merge that does not go through cleanly is aborted,
    /// leaving HEAD, the index and the work tree as they were.
    fn join(
        &self,
        head: Option<Oid>,
        incoming: Option<Oid>,
        remote: &str,
        remote_branch: &str,
        author: &Author,
    ) -> Result<()> {
        let Some(incoming) = incoming else {
            return Ok(());
        };
        let incoming_hex = incoming.to_string();
        let merge_failed = |f: GitFailure| {
            Error::invalid(format!(
                "cannot bring in {remote}/{remote_branch}: {}",
                f.stderr.trim()
            ))
            .with_hint("commit, move or remove the files git names (tix never overwrites them), then run `tix sync` again")
        };
        match self.how(head, Some(incoming)) {
            "up-to-date" | "push-only" => Ok(()),
            "fast-forward" => self
                .run_git(&["merge", "--quiet", "--ff-only", &incoming_hex], &[])
                .map(drop)
                .map_err(merge_failed),
            _ => {
                let message = format!(
                    "tix sync: merge {remote}/{remote_branch} (synced by {})",
                    author.name
                );
                let (committer_name, committer_email) = author.committer();
                let env = [
                    ("GIT_AUTHOR_NAME", author.name.as_str()),
                    ("GIT_AUTHOR_EMAIL", author.email.as_str()),
                    ("GIT_COMMITTER_NAME", committer_name),
                    ("GIT_COMMITTER_EMAIL", committer_email),
                ];
                let args = [
                    "merge",
                    "--quiet",
                    "--no-ff",
                    "--no-edit",
                    "--no-verify",
                    "-m",
                    &message,
                    &incoming_hex,
                ];
                match self.run_git(&args, &env) {
                    Ok(_) => Ok(()),
                    Err(f) => {
                        if self.repo.path().join("MERGE_HEAD").exists() {
                            let conflicted = self
                                .run_git(&["diff", "--name-only", "--diff-filter=U"], &[])
                                .unwrap_or_default();
                            let aborted = self.run_git(&["merge", "--abort"], &[]);
                            let files: Vec<&str> = conflicted.lines().collect();
                            let mut e = Error::invalid(format!(
                                "{remote}/{remote_branch} does not merge with {}: {} changed on both sides ({}); the merge was aborted and nothing changed here",
                                self.current_branch().unwrap_or_default(),
                                if files.len() == 1 { "this file was" } else { "these files were" },
                                if files.is_empty() { f.stderr.trim().to_string() } else { files.join(", ") }
                            ))
                            .with_hint(format!(
                                "merge by hand: `git merge {remote}/{remote_branch}`, resolve, `git commit`, then `tix sync`"
                            ));
                            if let Err(a) = aborted {
                                e = Error::internal(format!(
                                    "{}; and `git merge --abort` failed: {}",
                                    e.message(),
                                    a.stderr.trim()
                                ))
                                .with_hint(
                                    "finish or abort the merge with git, then run `tix sync` again",
                                );
                            }
                            Err(e)
                        } else {
                            Err(merge_failed(f))
                        }
                    }
                }
            }
        }
    }

    fn push(&self, remote: &str, remote_branch: &str) -> std::result::Result<(), Pushed> {
        self.push_commit("HEAD", remote, remote_branch)
    }

    /// Pushes `source` (a commit or `HEAD`) to `remote_branch` only if the
    /// remote still has what this clone last fetched: a push that is not a
    /// fast-forward is rejected, so the first of two racing pushes wins.
    pub(in crate::store) fn push_commit(
        &self,
        source: &str,
        remote: &str,
        remote_branch: &str,
    ) -> std::result::Result<(), Pushed> {
        let refspec = format!("{source}:refs/heads/{remote_branch}");
        match self.run_git(&["push", "--quiet", "--porcelain", remote, &refspec], &[]) {
            Ok(_) => Ok(()),
            Err(f) => {
                let s = &f.stderr;
                let raced = ["fetch first", "non-fast-forward", "stale info"]
                    .iter()
                    .any(|n| s.contains(n))
                    || (s.contains("remote rejected")
                        && ["failed to update ref", "cannot lock ref", "failed to lock"]
                            .iter()
                            .any(|n| s.contains(n)));
                if raced {
                    Err(Pushed::Behind(first_line(s)))
                } else if s.contains("[remote rejected]") || s.contains("[rejected]") {
                    Err(Pushed::Failed(
                        Error::new(
                            ErrorKind::Denied,
                            format!(
                                "{remote} refused the push to {remote_branch}: {}; what was merged here is kept",
                                s.trim()
                            ),
                        )
                        .with_hint("ask whoever runs the shared repository (a protected branch or a hook refused it)"),
                    ))
                } else {
                    Err(Pushed::Failed(transport_error("push to", remote, &f)))
                }
            }
        }
    }

    /// Store-relative paths of the ticket entry files that `to` has and
    /// `from` has not.
    fn entries_added(&self, from: Option<Oid>, to: Option<Oid>) -> Result<Vec<String>> {
        let Some(to) = to else { return Ok(Vec::new()) };
        let tree_of = |oid: Oid| {
            self.repo
                .find_commit(oid)
                .and_then(|c| c.tree())
                .map_err(|e| Error::internal(format!("cannot read commit {oid}: {}", e.message())))
        };
        let to_tree = tree_of(to)?;
        let from_tree = from.map(tree_of).transpose()?;
        let mut opts = git2::DiffOptions::new();
        opts.pathspec(self.repo_path(&format!("{TICKETS_DIR}/")));
        let diff = self
            .repo
            .diff_tree_to_tree(from_tree.as_ref(), Some(&to_tree), Some(&mut opts))
            .map_err(|e| Error::internal(format!("cannot compare commits: {}", e.message())))?;
        Ok(diff
            .deltas()
            .filter(|d| d.status() == git2::Delta::Added)
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .and_then(|p| p.to_str())
                    .map(str::to_string)
            })
            .filter_map(|p| p.strip_prefix(self.prefix.as_str()).map(str::to_string))
            .filter(|p| entry_ticket(p).is_some())
            .collect())
    }

    /// Fills in what came in between `before` and the union of `after`
    /// (the merged HEAD; for a dry run, HEAD and the fetched commit, whose
    /// ticket folders merge to the union of their files).
    fn describe_incoming(
        &self,
        report: &mut SyncReport,
        before: Option<Oid>,
        after: &[Oid],
        me: Option<&str>,
    ) -> Result<()> {
        let mut added: BTreeMap<TicketId, BTreeSet<String>> = BTreeMap::new();
        for to in after {
            for path in self.entries_added(before, Some(*to))? {
                if let Some(id) = entry_ticket(&path) {
                    added.entry(id).or_default().insert(path);
                }
            }
        }
        let tree_of = |oid: Oid| {
            self.repo
                .find_commit(oid)
                .and_then(|c| c.tree())
                .map_err(|e| Error::internal(format!("cannot read commit {oid}: {}", e.message())))
        };
        let before_tree = before.map(tree_of).transpose()?;
        let after_trees = after
            .iter()
            .map(|o| tree_of(*o))
            .collect::<Result<Vec<_>>>()?;
        report.changed.clear();
        report.assigned_to_you.clear();
        report.cancelled.clear();
        report.collisions.clear();
        report.folded.clear();
        for (id, files) in added {
            let old = match &before_tree {
                Some(t) => self.ticket_files_in(&[t], &id)?,
                None => Vec::new(),
            };
            let new = self.ticket_files_in(&after_trees.iter().collect::<Vec<_>>(), &id)?;
            let (old_ticket, old_trail) = fold(id, old);
            let (new_ticket, new_trail) = fold(id, new);
            let change = |entries| ChangedTicket {
                id,
                subject: new_ticket.subject.clone(),
                entries,
            };
            report.changed.push(change(files.len()));
            if let Some(me) = me
                && new_ticket.assignee.as_deref() == Some(me)
                && old_ticket.assignee.as_deref() != Some(me)
            {
                report.assigned_to_you.push(change(files.len()));
            }
            let applied_before: BTreeSet<&str> = old_trail
                .iter()
                .filter(|i| i.not_applied.is_none())
                .map(|i| i.file.as_str())
                .collect();
            let known_before: BTreeSet<&str> = old_trail.iter().map(|i| i.file.as_str()).collect();
            for item in &new_trail {
                let Some(reason) = &item.not_applied else {
                    continue;
                };
                // Newly not applied: it came in that way, or it was applied
                // here before and the merge cancels it.
                if known_before.contains(item.file.as_str())
                    && !applied_before.contains(item.file.as_str())
                {
                    continue;
                }
                let entry = NotApplied {
                    id,
                    file: format!("{}/{}", Store::ticket_dir(&id), item.file),
                    kind: item.entry.event.kind().to_string(),
                    writer: item.entry.author.clone(),
                    reason: reason.clone(),
                };
                if item.copy_of.is_some() {
                    report.folded.push(entry);
                } else if matches!(item.entry.event, crate::domain::Event::Created { .. }) {
                    report.collisions.push(entry);
                } else if new_ticket.locked.is_some() || reason.contains("locked by") {
                    report.cancelled.push(entry);
                }
            }
        }
        Ok(())
    }

    /// A ticket's entries in the union of `trees` (a file in several is
    /// read once).
    fn ticket_files_in(&self, trees: &[&Tree<'_>], id: &TicketId) -> Result<Vec<StoredEntry>> {
        let dir = Store::ticket_dir(id);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for root in trees {
            let Some(tree) = self.subtree(root, &dir)? else {
                continue;
            };
            let TicketFiles { entries, .. } = self.read_ticket_tree(&dir, &tree)?;
            for e in entries {
                if seen.insert(e.file.clone()) {
                    out.push(e);
                }
            }
        }
        Ok(out)
    }

    /// Agents above `assignment.max_active`, by the merged store's config
    /// and tickets.
    fn max_active_overruns(&self) -> Result<Vec<Overrun>> {
        let (config, _) = self.config_in_force()?;
        let Some(max) = config.assignment.max_active else {
            return Ok(Vec::new());
        };
        let mut loads: BTreeMap<String, usize> = BTreeMap::new();
        self.list_rows()?.select(|r| {
            if let Some(a) = r.assignee
                && r.status != crate::domain::Status::Closed
            {
                *loads.entry(a.to_string()).or_default() += 1;
            }
            false
        })?;
        Ok(loads
            .into_iter()
            .filter(|(_, n)| *n > max)
            .map(|(agent, active)| Overrun {
                agent,
                active,
                max_active: max,
            })
            .collect())
    }

    /// Runs the user's git in the work tree with the user's environment
    /// (credentials, proxies), returning its standard output.
    fn run_git(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> std::result::Result<String, GitFailure> {
        let workdir = self.repo.workdir().unwrap_or(self.repo.path());
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(workdir);
        // git flushes neither loose objects nor refs by default: a fetch,
        // merge or push tix reports done must not be undone by a power cut.
        cmd.args(["-c", "core.fsync=committed", "-c", "core.fsyncMethod=fsync"]);
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.stdin(Stdio::null()).output().map_err(|e| GitFailure {
            stderr: format!("cannot run git: {e}"),
        })?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() {
            Ok(stdout)
        } else {
            // `--porcelain` push reports rejections on standard output.
            Err(GitFailure {
                stderr: format!("{}{stdout}", String::from_utf8_lossy(&out.stderr)),
            })
        }
    }
}

pub(in crate::store) enum Pushed {
    /// Someone else pushed first: fetch, merge and try again.
    Behind(String),
    Failed(Error),
}

/// The ticket a store-relative entry path belongs to
/// (`tickets/<shard>/<id>/<file>.md`; attachments are not entries).
fn entry_ticket(path: &str) -> Option<TicketId> {
    let mut parts = path.split('/');
    let (Some(TICKETS_DIR), Some(_shard), Some(id), Some(file), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if !file.ends_with(".md") {
        return None;
    }
    id.parse().ok()
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("rejected")
        .to_string()
}

/// Sleeps a random time that grows with each rejected push, so clones
/// that collided do not collide again in step.
pub(in crate::store) fn backoff(attempt: u32) {
    let ceiling_ms = (50u64 << attempt.min(6)).min(2_000);
    let mut random = [0u8; 8];
    let jitter = match getrandom::fill(&mut random) {
        Ok(()) => u64::from_le_bytes(random) % ceiling_ms.max(1),
        Err(_) => ceiling_ms / 2,
    };
    std::thread::sleep(Duration::from_millis(ceiling_ms / 2 + jitter / 2));
}

/// Tells an unreachable remote from one that refused who we are; both
/// leave the clone as it was.
fn transport_error(what: &str, remote: &str, f: &GitFailure) -> Error {
    let s = f.stderr.to_ascii_lowercase();
    let detail = f.stderr.trim();
    let auth = [
        "permission denied",
        "authentication failed",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "access denied",
        "invalid username or password",
        "http basic: access denied",
        "the requested url returned error: 401",
        "the requested url returned error: 403",
        "host key verification failed",
    ];
    if auth.iter().any(|n| s.contains(n)) {
        return Error::new(
            ErrorKind::RemoteAuthFailed,
            format!("cannot {what} {remote}: the remote refused the credentials: {detail}"),
        )
        .with_hint("check that `git fetch` works here (ssh key, credential helper, token); nothing was changed");
    }
    let unreachable = [
        "could not resolve",
        "connection refused",
        "connection timed out",
        "timed out",
        "no route to host",
        "network is unreachable",
        "does not appear to be a git repository",
        "could not read from remote repository",
        "unable to access",
        "failed to connect",
        "connection reset",
        "repository not found",
        "not found",
        "no such file or directory",
        "unable to connect",
    ];
    if unreachable.iter().any(|n| s.contains(n)) {
        return Error::new(
            ErrorKind::RemoteUnreachable,
            format!("cannot {what} {remote}: the remote cannot be reached: {detail}"),
        )
        .with_hint("check the network and `git remote -v`, then run `tix sync` again; nothing was changed here");
    }
    Error::internal(format!("git could not {what} {remote}: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_paths_name_their_ticket_and_attachments_do_not() {
        let id: TicketId = "7K3F9Q2M".parse().unwrap();
        assert_eq!(
            entry_ticket("tickets/7K/7K3F9Q2M/20260101T000000Z-abc-reply.md"),
            Some(id)
        );
        assert_eq!(entry_ticket("tickets/7K/7K3F9Q2M/files/x/report.md"), None);
        assert_eq!(entry_ticket(super::super::layout::CONFIG_PATH), None);
    }

    #[test]
    fn refused_credentials_and_unreachable_remotes_get_their_own_codes() {
        let f = |s: &str| GitFailure { stderr: s.into() };
        assert_eq!(
            transport_error("fetch from", "origin", &f("git@h: Permission denied (publickey).\nfatal: Could not read from remote repository.")).kind(),
            ErrorKind::RemoteAuthFailed
        );
        assert_eq!(
            transport_error("fetch from", "origin", &f("ssh: Could not resolve hostname h: Name or service not known\nfatal: Could not read from remote repository.")).kind(),
            ErrorKind::RemoteUnreachable
        );
        assert_eq!(
            transport_error(
                "fetch from",
                "origin",
                &f("fatal: unable to access 'https://h/x.git/': Failed to connect to h port 443")
            )
            .kind(),
            ErrorKind::RemoteUnreachable
        );
    }
}
