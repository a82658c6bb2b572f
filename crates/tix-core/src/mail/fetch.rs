//! `tix import pop3|imap`: a server mailbox into the store, through the
//! same filing rules as a local import.
//!
//! The order of events is what makes a fetch safe to kill at any point:
//! 1. messages are downloaded and filed, and every batch is committed;
//! 2. the commit is flushed to disk (`syncfs`);
//! 3. only then is the batch recorded in the fetch state
//!    (`.git/tix/fetch/<account>.json`, written atomically and flushed);
//! 4. only then, with `after_import: delete|move`, are the messages the
//!    store now holds (filed, noted, duplicates, quarantined) removed from
//!    the server. Mail tix skipped without storing it (noise it was told
//!    not to keep, blacklisted senders) is never removed.
//!
//! Killed before 3, a re-run downloads the batch again and finds every
//! message by its Message-ID: duplicates, nothing filed twice. Killed
//! between 3 and 4, the re-run removes what the state says is stored
//! without downloading it. POP3 applies deletions only at QUIT, so a lost
//! connection deletes nothing.
//!
//! The fetch state also spares re-downloading kept messages on every run:
//! it maps each server key (POP3 UIDL, IMAP `UIDVALIDITY:UID`) to what
//! became of the message. A key whose Message-ID the store no longer has
//! (history rewritten) is fetched again.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::{AfterImport, MailAccount};
use crate::error::{Error, Result};
use crate::store::Store;

use super::file::{Action, Counts, Importer, MessageOutcome};

/// One message on the server.
#[derive(Clone, Debug)]
pub struct RemoteMessage {
    /// Stable across sessions: POP3 UIDL, IMAP `UIDVALIDITY:UID`.
    pub key: String,
    /// What the session addresses it by: POP3 message number, IMAP UID.
    pub handle: u32,
    pub size: u64,
}

/// What a fetch needs of a logged-in server session.
pub trait RemoteMailbox {
    /// Where the messages are, for the fetch state and messages
    /// (`imap://user@host:993/INBOX`).
    fn describe(&self) -> String;
    fn messages(&mut self) -> Result<Vec<RemoteMessage>>;
    fn retrieve(&mut self, message: &RemoteMessage) -> Result<Vec<u8>>;
    /// Deletes or moves the message as the account says. POP3 applies it
    /// at [`RemoteMailbox::finish`].
    fn remove(&mut self, message: &RemoteMessage) -> Result<()>;
    /// Ends the session cleanly (QUIT, LOGOUT).
    fn finish(self: Box<Self>) -> Result<()>;
}

/// What became of a fetched message, as the fetch state remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Fate {
    /// In the store (filed, noted, or already there), by Message-ID.
    Stored(String),
    /// In the quarantine, by file stem.
    Quarantined(String),
    /// Not stored (noise not kept, blacklisted): never removed.
    Skipped(String),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FetchState {
    /// The mailbox the keys belong to; another one starts afresh.
    mailbox: String,
    seen: BTreeMap<String, Fate>,
}

/// What one fetch did.
#[derive(Debug, Default, Serialize)]
pub struct FetchReport {
    pub account: String,
    pub mailbox: String,
    /// Messages on the server when the fetch began.
    pub on_server: usize,
    /// Fetched by an earlier run and left alone.
    pub already_fetched: usize,
    pub downloaded: usize,
    /// Deleted or moved on the server.
    pub removed: usize,
    /// Over `--limit`, left for the next run.
    pub deferred: usize,
    pub counts: Counts,
    pub messages: Vec<MessageOutcome>,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
pub struct FetchOptions {
    pub limit: Option<usize>,
    pub dry_run: bool,
    pub batch: usize,
    /// Keep every message's outcome in the report.
    pub keep_outcomes: bool,
}

/// Fetches `mailbox` into `store` as account `name` says. On a failure
/// part-way, what was filed stays filed and recorded, and the error says
/// how far the fetch got.
pub fn fetch(
    store: &Store,
    name: &str,
    account: &MailAccount,
    mut mailbox: Box<dyn RemoteMailbox>,
    options: FetchOptions,
) -> Result<FetchReport> {
    // The store lock first: the state file is read and written under it,
    // so two fetches of one account take turns.
    let mut importer = Importer::new(store, options.dry_run)?;
    importer.set_batch_limit(options.batch);
    let described = mailbox.describe();
    let state_path = store.fetch_state_path(name);
    let mut state = load_state(&state_path, &described);
    let mut report = FetchReport {
        account: name.to_string(),
        mailbox: described,
        ..FetchReport::default()
    };
    let removes = account.after_import != AfterImport::Keep && !options.dry_run;
    let listed = mailbox.messages()?;
    report.on_server = listed.len();
    // Keys no longer on the server need no memory.
    let on_server: std::collections::HashSet<&str> =
        listed.iter().map(|m| m.key.as_str()).collect();
    state.seen.retain(|k, _| on_server.contains(k.as_str()));

    let mut to_download = Vec::new();
    let mut to_remove = Vec::new();
    for m in &listed {
        match state.seen.get(&m.key) {
            Some(Fate::Stored(id)) if importer.knows_message_id(id)? => {
                report.already_fetched += 1;
                if removes {
                    to_remove.push(m.clone());
                }
            }
            Some(Fate::Quarantined(_)) => {
                report.already_fetched += 1;
                if removes {
                    to_remove.push(m.clone());
                }
            }
            Some(Fate::Skipped(_)) => report.already_fetched += 1,
            _ => to_download.push(m.clone()),
        }
    }
    if let Some(limit) = options.limit
        && to_download.len() > limit
    {
        report.deferred = to_download.len() - limit;
        to_download.truncate(limit);
    }

    // Stored by an earlier run that did not get to remove them.
    let mut failure = remove_all(mailbox.as_mut(), &to_remove, &mut report).err();

    let mut batch: Vec<(RemoteMessage, Fate)> = Vec::new();
    for m in &to_download {
        if failure.is_some() {
            break;
        }
        let raw = match mailbox.retrieve(m) {
            Ok(raw) => raw,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        report.downloaded += 1;
        let source = format!("{}#{}", report.mailbox, m.key);
        let outcome = importer.import(&raw, &source)?;
        batch.push((m.clone(), fate(&outcome)));
        if options.keep_outcomes {
            report.messages.push(outcome);
        }
        if batch.len() >= options.batch {
            let stored = checkpoint(
                &mut importer,
                &mut state,
                &state_path,
                &mut batch,
                &options,
                &mut report,
            )?;
            if removes && let Err(e) = remove_all(mailbox.as_mut(), &stored, &mut report) {
                failure = Some(e);
            }
        }
    }
    let stored = checkpoint(
        &mut importer,
        &mut state,
        &state_path,
        &mut batch,
        &options,
        &mut report,
    )?;
    if failure.is_none() && removes {
        failure = remove_all(mailbox.as_mut(), &stored, &mut report).err();
    }
    // What this run filed may be the ticket that held mail waits for.
    for outcome in importer.retry_held()? {
        if options.keep_outcomes {
            report.messages.push(outcome);
        }
    }
    let (counts, warnings) = importer.finish()?;
    report.counts = counts;
    report.warnings.extend(warnings);
    match failure {
        None => {
            mailbox.finish()?;
            Ok(report)
        }
        Some(e) => Err(Error::new(
            e.kind(),
            format!(
                "{} (after {} of {} messages; what was fetched is filed, and a re-run resumes)",
                e.message(),
                report.downloaded,
                to_download.len()
            ),
        )),
    }
}

/// Commits what is pending, makes it durable, records it; returns the
/// messages that may now be removed from the server.
fn checkpoint(
    importer: &mut Importer<'_>,
    state: &mut FetchState,
    state_path: &std::path::Path,
    batch: &mut Vec<(RemoteMessage, Fate)>,
    options: &FetchOptions,
    report: &mut FetchReport,
) -> Result<Vec<RemoteMessage>> {
    if batch.is_empty() || options.dry_run {
        batch.clear();
        return Ok(Vec::new());
    }
    // Each commit is on disk when it returns, before the state below
    // lets the server delete what it filed.
    report.warnings.extend(importer.flush()?);
    crate::testing_hooks::failpoint("fetch-after-commit");
    let mut removable = Vec::new();
    for (m, fate) in batch.drain(..) {
        if !matches!(fate, Fate::Skipped(_)) {
            removable.push(m.clone());
        }
        state.seen.insert(m.key, fate);
    }
    save_state(state_path, state)?;
    crate::testing_hooks::failpoint("fetch-after-state");
    Ok(removable)
}

fn remove_all(
    mailbox: &mut dyn RemoteMailbox,
    messages: &[RemoteMessage],
    report: &mut FetchReport,
) -> Result<()> {
    for m in messages {
        mailbox.remove(m)?;
        report.removed += 1;
    }
    Ok(())
}

fn fate(outcome: &MessageOutcome) -> Fate {
    let stored = || Fate::Stored(outcome.message_id.clone().unwrap_or_default());
    match &outcome.action {
        Action::Created { .. }
        | Action::FollowUp { .. }
        | Action::KeptClosed { .. }
        | Action::Noted { .. }
        | Action::Rated { .. }
        | Action::Duplicate { .. } => stored(),
        Action::Quarantined { file, .. } => Fate::Quarantined(file.clone()),
        Action::Skipped { reason, .. } => Fate::Skipped(reason.clone()),
        Action::Blacklisted { sender } => Fate::Skipped(format!("blacklisted sender {sender}")),
    }
}

fn load_state(path: &PathBuf, mailbox: &str) -> FetchState {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<FetchState>(&b).ok())
        .filter(|s| s.mailbox == mailbox)
        .unwrap_or_else(|| FetchState {
            mailbox: mailbox.to_string(),
            seen: BTreeMap::new(),
        })
}

/// Written to a temporary file, flushed, then renamed: the state is the
/// last thing a removal waits for, so it must survive a crash.
fn save_state(path: &std::path::Path, state: &FetchState) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(state)
        .map_err(|e| Error::internal(format!("cannot encode the fetch state: {e}")))?;
    crate::store::durable::write_durably(path, &bytes).map_err(|e| {
        Error::internal(format!(
            "cannot save the fetch state {}: {e}",
            path.display()
        ))
    })
}
