//! Duty: the one clone that imports mail, ticks and sends automatic mail.
//!
//! The record `.tix/duty.yaml` lives on the shared branch. Taking or
//! handing it over is a commit built on what the remote has and pushed
//! without merging: git rejects a push that is not a fast-forward, so of
//! two clones taking duty at once exactly one gets through, and the other
//! fetches again and sees the winner. A lease expires, so the duty of a
//! machine that died can be taken over.
//!
//! A store without a remote is one clone, on duty by itself; a store whose
//! branch has no record has not opted in, and every clone may run side
//! effects as before. Once a record exists, only its live holder may.

use git2::{FileMode, Oid, build::TreeUpdateBuilder};
use serde::{Deserialize, Serialize};

use super::layout::DUTY_PATH;
use super::sync::{Pushed, SyncOptions, backoff};
use super::{Author, Store};
use crate::domain::Timestamp;
use crate::error::{Error, ErrorKind, Result};

const MAX_TAKE_ATTEMPTS: u32 = 20;

/// What to write over the remote's record (`None`: leave it), with the
/// commit message that says so.
type RecordChange<'a> = &'a dyn Fn(Option<&DutyRecord>) -> Result<Option<(DutyRecord, String)>>;

/// What `.tix/duty.yaml` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DutyRecord {
    /// The agent (or person) who took duty; absent once released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// The clone that holds it (its `tix/clone-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clone: Option<String>,
    /// When it was taken (or released).
    pub since: String,
    /// When the lease ends, unless renewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The lease as typed, renewed at that length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<String>,
}

impl DutyRecord {
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires.as_deref().and_then(Timestamp::parse_rfc3339)
    }
}

/// Who may run side effects here, as this clone knows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DutyState {
    /// No git remote: this clone is the store, on duty by itself.
    NoRemote,
    /// The branch has no duty record: every clone may, as before duty.
    NotInUse,
    /// Nobody holds duty (released, or a lease that ran out).
    Free,
    /// This clone holds a live lease.
    Mine,
    /// Another clone holds a live lease.
    Theirs,
}

#[derive(Clone, Debug, Serialize)]
pub struct DutyStatus {
    pub state: DutyState,
    /// This clone's identity.
    pub clone: String,
    pub record: Option<DutyRecord>,
    /// The record names this clone but its lease ran out.
    pub expired_mine: bool,
}

impl DutyStatus {
    /// Whether this clone may import, tick and send automatic mail.
    pub fn allows_side_effects(&self) -> bool {
        matches!(
            self.state,
            DutyState::NoRemote | DutyState::NotInUse | DutyState::Mine
        )
    }

    /// Who holds duty, in words, for messages.
    pub fn describe(&self) -> String {
        let Some(r) = &self.record else {
            return "nobody holds duty".into();
        };
        match (&r.holder, &r.clone) {
            (Some(h), Some(c)) => format!(
                "{h} on clone {c} holds duty until {}{}",
                r.expires.as_deref().unwrap_or("released"),
                if matches!(self.state, DutyState::Free) {
                    " (expired)"
                } else {
                    ""
                }
            ),
            _ => format!("nobody holds duty (released {})", r.since),
        }
    }
}

impl Store {
    /// This clone's identity, made on first use. Kept in the git
    /// directory, so a fresh clone (or a copy made with `git clone`) gets
    /// its own and none is ever committed.
    pub fn clone_id(&self) -> Result<String> {
        let path = self.clone_id_path();
        if let Ok(text) = std::fs::read_to_string(&path) {
            let id = text.trim();
            if !id.is_empty() {
                return Ok(id.to_string());
            }
        }
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::internal(format!("cannot make a clone id: {e}")))?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        // Flushed before use: a duty lease taken under an id that a power
        // cut then loses would bar this clone until the lease ran out.
        super::durable::write_durably(&path, format!("{id}\n").as_bytes())
            .map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))?;
        Ok(id)
    }

    pub fn has_remote(&self) -> bool {
        self.repo.remotes().is_ok_and(|r| !r.is_empty())
    }

    /// The duty record committed at HEAD.
    pub fn duty_record(&self) -> Result<Option<DutyRecord>> {
        let Some(bytes) = self.read_file(DUTY_PATH)? else {
            return Ok(None);
        };
        parse_record(&bytes).map(Some)
    }

    /// Who holds duty at `now`, by what this clone has at HEAD.
    pub fn duty_status(&self, now: Timestamp) -> Result<DutyStatus> {
        let clone = self.clone_id()?;
        let record = self.duty_record()?;
        Ok(status_of(clone, record, now, self.has_remote()))
    }

    /// Every commit this process makes from now on carries `note` after
    /// its message.
    pub fn note_in_commits(&self, note: String) {
        *self.commit_note.borrow_mut() = Some(note);
    }

    pub(in crate::store) fn with_commit_note(&self, message: &str) -> String {
        match self.commit_note.borrow().as_deref() {
            Some(note) => format!("{}\n\n{note}\n", message.trim_end()),
            None => message.to_string(),
        }
    }

    /// Takes (or renews) duty for `lease` seconds, as `holder`. Refused
    /// (exit 8) while another clone holds a live lease, unless `force`.
    pub fn duty_take(
        &self,
        sync: &SyncOptions,
        holder: &str,
        lease: &str,
        lease_seconds: i64,
        now: Timestamp,
        force: bool,
    ) -> Result<DutyStatus> {
        let clone = self.clone_id()?;
        let new = DutyRecord {
            holder: Some(holder.to_string()),
            clone: Some(clone.clone()),
            since: now.to_rfc3339(),
            expires: Some(now.plus_seconds(lease_seconds).to_rfc3339()),
            lease: Some(lease.to_string()),
        };
        self.write_duty(sync, &|current| {
            let status = status_of(clone.clone(), current.cloned(), now, true);
            let message = match status.state {
                DutyState::Theirs if !force => {
                    return Err(Error::new(
                        ErrorKind::Busy,
                        format!("cannot take duty: {}", status.describe()),
                    )
                    .with_hint(
                        "wait for the lease to run out, ask the holder to `tix duty release`, or take it over with `tix duty take --force`",
                    ));
                }
                DutyState::Theirs => format!(
                    "tix: duty taken over by {holder} on clone {clone} until {} (forced; {})",
                    new.expires.as_deref().unwrap_or_default(),
                    status.describe()
                ),
                DutyState::Mine => format!(
                    "tix: duty renewed by {holder} on clone {clone} until {}",
                    new.expires.as_deref().unwrap_or_default()
                ),
                _ => format!(
                    "tix: duty taken by {holder} on clone {clone} until {}",
                    new.expires.as_deref().unwrap_or_default()
                ),
            };
            Ok(Some((new.clone(), message)))
        })?;
        self.duty_status(now)
    }

    /// Hands duty back: nobody holds it until a clone takes it. Only the
    /// holding clone may, unless `force`.
    pub fn duty_release(
        &self,
        sync: &SyncOptions,
        who: &str,
        now: Timestamp,
        force: bool,
    ) -> Result<DutyStatus> {
        let clone = self.clone_id()?;
        self.write_duty(sync, &|current| {
            let Some(current) = current else {
                return Ok(None);
            };
            if current.holder.is_none() {
                return Ok(None);
            }
            let status = status_of(clone.clone(), Some(current.clone()), now, true);
            let mine = current.clone.as_deref() == Some(clone.as_str());
            if !mine && !force {
                return Err(Error::new(
                    ErrorKind::Denied,
                    format!(
                        "cannot release duty: this clone ({clone}) does not hold it; {}",
                        status.describe()
                    ),
                )
                .with_hint(
                    "release it on the clone that holds it, or `tix duty release --force`",
                ));
            }
            let released = DutyRecord {
                holder: None,
                clone: None,
                since: now.to_rfc3339(),
                expires: None,
                lease: None,
            };
            let message = format!(
                "tix: duty released by {who} on clone {clone}{}",
                if mine {
                    String::new()
                } else {
                    format!(" (forced; {})", status.describe())
                }
            );
            Ok(Some((released, message)))
        })?;
        self.duty_status(now)
    }

    /// Syncs, then writes the record `change` makes of the remote's as a
    /// commit on the remote's tip and pushes it; a rejected push means
    /// another clone got there first, so fetch and decide again. Syncs
    /// once more so this clone has the commit.
    fn write_duty(&self, sync: &SyncOptions, change: RecordChange<'_>) -> Result<()> {
        if !self.has_remote() {
            return Err(Error::not_found(format!(
                "no git remote is configured in {}: a single clone is on duty by itself, there is nothing to take or hand over",
                self.root.display()
            ))
            .with_hint("`git remote add origin URL` (the team's shared repository) to share the store"));
        }
        self.sync(sync)?;
        let mut attempt = 0u32;
        loop {
            let lock = self.lock()?;
            self.refuse_during_git_operation()?;
            let branch = self.current_branch()?;
            let remote = self.sync_remote(&branch, sync.remote.as_deref())?;
            let remote_branch = self.upstream_branch(&branch, &remote);
            let result = self.fetch_incoming(&remote, &remote_branch);
            let pushed = result.and_then(|incoming| {
                let base = match incoming {
                    Some(oid) => oid,
                    None => self.head_id()?.ok_or_else(|| {
                        Error::invalid("the branch has no commit yet; nothing to record duty on")
                    })?,
                };
                let current = self.record_in(base)?;
                let Some((record, message)) = change(current.as_ref())? else {
                    return Ok(true);
                };
                let oid = self.commit_record_on(base, &record, &message, &sync.author)?;
                match self.push_commit(&oid.to_string(), &remote, &remote_branch) {
                    Ok(()) => Ok(true),
                    Err(Pushed::Behind(_)) => Ok(false),
                    Err(Pushed::Failed(e)) => Err(e),
                }
            });
            self.drop_incoming_ref();
            drop(lock);
            if pushed? {
                break;
            }
            attempt += 1;
            if attempt >= MAX_TAKE_ATTEMPTS {
                return Err(Error::new(
                    ErrorKind::Busy,
                    format!("gave up recording duty on {remote} after {attempt} attempts: others kept pushing first"),
                )
                .with_hint("run the command again"));
            }
            backoff(attempt);
        }
        self.sync(sync)?;
        Ok(())
    }

    fn record_in(&self, commit: Oid) -> Result<Option<DutyRecord>> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| {
                Error::internal(format!("cannot read commit {commit}: {}", e.message()))
            })?;
        let full = self.repo_path(DUTY_PATH);
        let Ok(entry) = tree.get_path(std::path::Path::new(&full)) else {
            return Ok(None);
        };
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| Error::internal(format!("cannot read {full}: {}", e.message())))?;
        parse_record(blob.content()).map(Some)
    }

    /// A commit whose parent is `base` and whose tree is `base`'s with the
    /// record written; no ref moves.
    fn commit_record_on(
        &self,
        base: Oid,
        record: &DutyRecord,
        message: &str,
        author: &Author,
    ) -> Result<Oid> {
        let git = |e: git2::Error| Error::internal(format!("cannot record duty: {}", e.message()));
        let parent = self.repo.find_commit(base).map_err(git)?;
        let yaml = serde_yaml::to_string(record)
            .map_err(|e| Error::internal(format!("cannot write {DUTY_PATH}: {e}")))?;
        let blob = super::git::write_objects(|| self.repo.blob(yaml.as_bytes())).map_err(git)?;
        let mut update = TreeUpdateBuilder::new();
        update.upsert(self.repo_path(DUTY_PATH), blob, FileMode::Blob);
        let base = parent.tree().map_err(git)?;
        let tree_id =
            super::git::write_objects(|| update.create_updated(&self.repo, &base)).map_err(git)?;
        let tree = self.repo.find_tree(tree_id).map_err(git)?;
        let sig = git2::Signature::now(&author.name, &author.email).map_err(git)?;
        let message = self.with_commit_note(message);
        // Signed like every other commit when the clone signs: the duty
        // record is under .tix/, an admin action for `check --signatures`.
        let oid = self.write_commit(&sig, &sig, &message, &tree, &[&parent])?;
        // Pushed, then the branch moves to it: on disk first, as any commit.
        let trees = super::durable::trees_on_paths(&tree, [self.repo_path(DUTY_PATH)]);
        self.flush_commit_objects(oid, tree.id(), trees, [blob], &[])?;
        Ok(oid)
    }
}

fn parse_record(bytes: &[u8]) -> Result<DutyRecord> {
    serde_yaml::from_slice(bytes).map_err(|e| {
        Error::invalid(format!("{DUTY_PATH}: {e}")).with_hint(
            "fix the file by hand (holder, clone, since, expires), or take duty again with `tix duty take --force`",
        )
    })
}

fn status_of(
    clone: String,
    record: Option<DutyRecord>,
    now: Timestamp,
    has_remote: bool,
) -> DutyStatus {
    let live = record
        .as_ref()
        .filter(|r| r.holder.is_some())
        .and_then(|r| r.expires_at())
        .is_some_and(|e| e > now);
    let mine = record
        .as_ref()
        .is_some_and(|r| r.clone.as_deref() == Some(clone.as_str()));
    let state = match (&record, has_remote) {
        (_, false) => DutyState::NoRemote,
        (None, true) => DutyState::NotInUse,
        (Some(_), true) if live && mine => DutyState::Mine,
        (Some(_), true) if live => DutyState::Theirs,
        _ => DutyState::Free,
    };
    DutyStatus {
        expired_mine: mine && !live,
        state,
        clone,
        record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn held_by(clone: &str, expires: &str) -> DutyRecord {
        DutyRecord {
            holder: Some("alice".into()),
            clone: Some(clone.into()),
            since: "2026-01-01T00:00:00Z".into(),
            expires: Some(expires.into()),
            lease: Some("1h".into()),
        }
    }

    #[test]
    fn a_lease_is_live_until_it_expires_and_only_for_its_clone() {
        let r = held_by("aaaa", "2026-01-01T01:00:00Z");
        let before = at("2026-01-01T00:30:00Z");
        let after = at("2026-01-01T01:00:01Z");
        let s = |c: &str, now| status_of(c.into(), Some(r.clone()), now, true);
        assert_eq!(s("aaaa", before).state, DutyState::Mine);
        assert_eq!(s("bbbb", before).state, DutyState::Theirs);
        assert!(!s("bbbb", before).allows_side_effects());
        assert_eq!(s("bbbb", after).state, DutyState::Free);
        assert_eq!(s("aaaa", after).state, DutyState::Free);
        assert!(s("aaaa", after).expired_mine);
    }

    #[test]
    fn without_a_remote_or_a_record_every_clone_may() {
        let r = held_by("aaaa", "2026-01-01T01:00:00Z");
        let now = at("2026-01-01T00:30:00Z");
        assert!(status_of("bbbb".into(), Some(r), now, false).allows_side_effects());
        assert!(status_of("bbbb".into(), None, now, true).allows_side_effects());
        let released = DutyRecord {
            holder: None,
            clone: None,
            since: "2026-01-01T00:00:00Z".into(),
            expires: None,
            lease: None,
        };
        let free = status_of("bbbb".into(), Some(released), now, true);
        assert_eq!(free.state, DutyState::Free);
        assert!(!free.allows_side_effects());
    }
}
