//! Appending entries: the one path every change takes.

use crate::domain::names::{safe_file_name, unique_name};
use crate::domain::{Entry, Event, Stage, StoredEntry, Ticket, TicketId, Timestamp, fold};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{FILES_DIR, Store, random_id, random_tag};

use super::Actor;

/// A file to store with an entry.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An entry to write: what happened, its text, files that go with it.
#[derive(Clone, Debug)]
pub struct Draft {
    pub event: Event,
    pub body: String,
    pub attachments: Vec<NewAttachment>,
    /// The e-mail the entry is about, byte for byte: stored as
    /// `<entry stem>.eml` beside the entry, which its mail block's `raw`
    /// then names.
    pub original: Option<Vec<u8>>,
}

impl Draft {
    pub fn new(event: Event) -> Draft {
        Draft::with_body(event, String::new())
    }

    pub fn with_body(event: Event, body: impl Into<String>) -> Draft {
        Draft {
            event,
            body: body.into(),
            attachments: Vec::new(),
            original: None,
        }
    }
}

/// What a write did.
#[derive(Debug)]
pub struct Outcome {
    pub id: TicketId,
    pub commit: String,
    /// Entry files written, relative to the ticket directory.
    pub files: Vec<String>,
    /// The state after the write.
    pub ticket: Ticket,
    /// Problems that did not stop the write (see [`crate::store::Committed`]).
    pub warnings: Vec<String>,
    /// What changed, for a confirmation: `to bob`, `+vip -new`, `until …`
    /// (times as the user reads them); empty when the verb says it all.
    pub detail: String,
}

/// What a set of drafts changes, in a few words: the first entry's change
/// without its kind (the verb names it), later ones with theirs. `time`
/// writes a time (UTC in commit subjects, the user's zone on screen).
pub fn describe_change(drafts: &[Draft], time: &dyn Fn(Timestamp) -> String) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let (kind, what) = match &d.event {
            Event::Assign { to } => (
                "assign",
                format!("to {}", to.as_deref().unwrap_or("nobody")),
            ),
            Event::Status { to, .. } => ("status", format!("to {}", to.as_str())),
            Event::Priority { to } => ("priority", to.as_str().to_string()),
            Event::Tags { add, remove } => ("tags", signed(add, remove)),
            Event::Cc { add, remove } => {
                let add: Vec<String> = add.iter().map(|p| p.email.clone()).collect();
                ("cc", signed(&add, remove))
            }
            Event::Field { name, value } => (
                "field",
                match value {
                    Some(v) => format!("{name}={v}"),
                    None => format!("{name} unset"),
                },
            ),
            Event::Link { rel, target } | Event::Unlink { rel, target } => {
                (d.event.kind(), format!("{} {target}", rel.as_str()))
            }
            Event::Snooze { until } => (
                "snooze",
                match until {
                    Some(t) => format!("until {}", time(*t)),
                    None => "off".to_string(),
                },
            ),
            Event::Escalate { to } => ("escalate", format!("to {to}")),
            Event::Close {} if i > 0 => ("close", String::new()),
            _ => continue,
        };
        parts.push(match (i, what.is_empty()) {
            (0, _) => what,
            (_, true) => kind.to_string(),
            (_, false) => format!("{kind} {what}"),
        });
    }
    parts.retain(|p| !p.is_empty());
    parts.join(", ")
}

/// `+a +b -c`, for sets changed by add and remove.
fn signed(add: &[String], remove: &[String]) -> String {
    add.iter()
        .map(|a| format!("+{a}"))
        .chain(remove.iter().map(|r| format!("-{r}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The verbs whose point is the value they set, so a confirmation without
/// it says nothing; replies, notes, closes and reopenings say it all.
const SETTING_VERBS: [&str; 11] = [
    "assign", "status", "priority", "tag", "untag", "cc", "field", "link", "unlink", "snooze",
    "escalate",
];

/// [`describe_change`] for `verb`: empty unless it is one of the
/// [`SETTING_VERBS`].
fn detail_for(verb: &str, drafts: &[Draft], time: &dyn Fn(Timestamp) -> String) -> String {
    if SETTING_VERBS.contains(&verb) {
        describe_change(drafts, time)
    } else {
        String::new()
    }
}

/// A commit subject: `tix: <verb> <id>`, then what changed.
fn commit_subject(verb: &str, id: TicketId, drafts: &[Draft]) -> String {
    let detail = detail_for(verb, drafts, &|t| t.to_short_utc());
    if detail.is_empty() {
        format!("tix: {verb} {id}")
    } else {
        format!("tix: {verb} {id} {detail}")
    }
}

/// Appends entries to ticket `id` as one commit. `plan` sees the current
/// state (read under the lock) and returns the drafts, or an error; it may
/// return no drafts when there is nothing to do. Locked tickets refuse
/// everything except `unlock`.
pub fn append(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    plan: impl FnOnce(&Ticket) -> Result<Vec<Draft>>,
) -> Result<Option<Outcome>> {
    let lock = store.lock()?;
    let files = store.read_ticket(&id)?;
    let (ticket, _) = fold(id, files.entries.clone());
    let mut entries = files.entries;
    let drafts = plan(&ticket)?;
    if drafts.is_empty() {
        return Ok(None);
    }
    // What happened to mail already sent is recorded whatever the lock.
    if let Some(lock_info) = &ticket.locked
        && !drafts
            .iter()
            .all(|d| matches!(d.event, Event::Unlock {} | Event::Delivery { .. }))
    {
        return Err(Error::new(
            ErrorKind::Locked,
            format!(
                "ticket {id} is locked (by {} at {}); it accepts no changes",
                lock_info.by,
                lock_info.at.to_short_labelled()
            ),
        )
        .with_hint("an admin can run `tix unlock` first; a new ticket can be linked to it"));
    }
    let now = super::now()?;
    let subject = commit_subject(verb, id, &drafts);
    let detail = detail_for(verb, &drafts, &|t| t.to_short_labelled());
    let written = write_drafts(
        store,
        &lock,
        actor,
        id,
        &ticket,
        now,
        drafts,
        &format!("{subject}\n\n{}", ticket.subject),
    )?;
    let (committed, new_entries) = written;
    let files = new_entries.iter().map(|e| e.file.clone()).collect();
    // The state after the write: what was read under the lock plus what
    // was just written, without reading the ticket back from git.
    entries.extend(new_entries);
    Ok(Some(Outcome {
        id,
        commit: committed.oid.to_string(),
        warnings: committed.warning.into_iter().collect(),
        files,
        ticket: fold(id, entries).0,
        detail,
    }))
}

/// The fields of a new ticket.
pub struct NewTicket {
    pub created: Event,
    pub body: String,
    pub attachments: Vec<NewAttachment>,
    /// Further entries written in the same commit (an assignment, say).
    pub extra: Vec<Draft>,
}

pub fn create_ticket(store: &Store, actor: &Actor, new: NewTicket) -> Result<Outcome> {
    let Event::Created {
        subject, fields, ..
    } = &new.created
    else {
        return Err(Error::internal("create_ticket needs a `created` event"));
    };
    super::check_subject(subject)?;
    let missing: Vec<_> = store
        .config()
        .required_fields(Stage::Create)
        .filter(|f| !fields.contains_key(&f.name))
        .map(|f| f.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Error::invalid(format!(
            "missing required field{} at create: {} (give --field NAME=VALUE)",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }
    let summary = subject.clone();
    let lock = store.lock()?;
    let mut id = random_id()?;
    while store.ticket_exists(&id)? {
        id = random_id()?;
    }
    let now = super::now()?;
    let mut drafts = vec![Draft {
        event: new.created,
        body: new.body,
        attachments: new.attachments,
        original: None,
    }];
    drafts.extend(new.extra);
    let empty = fold(id, Vec::new()).0;
    let message = format!("tix: create {id}\n\n{summary}");
    let (commit, entries) = write_drafts(store, &lock, actor, id, &empty, now, drafts, &message)?;
    Ok(Outcome {
        id,
        commit: commit.oid.to_string(),
        warnings: commit.warning.into_iter().collect(),
        files: entries.iter().map(|e| e.file.clone()).collect(),
        ticket: fold(id, entries).0,
        detail: String::new(),
    })
}

#[allow(clippy::too_many_arguments)]
fn write_drafts(
    store: &Store,
    lock: &crate::store::StoreLock,
    actor: &Actor,
    id: TicketId,
    ticket: &Ticket,
    now: Timestamp,
    drafts: Vec<Draft>,
    message: &str,
) -> Result<(crate::store::Committed, Vec<StoredEntry>)> {
    let dir = Store::ticket_dir(&id);
    let mut seq = ticket.next_seq();
    let mut out_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut written = Vec::new();
    for draft in drafts {
        let mut entry = Entry {
            at: now,
            seq,
            author: actor.handle.clone(),
            event: draft.event,
            body: draft.body,
        };
        seq += 1;
        let file = entry.file_name(&random_tag(6)?);
        if let Some(bytes) = draft.original {
            let raw = format!("{}.eml", file.trim_end_matches(".md"));
            let Some(mail) = entry.event.mail_mut() else {
                return Err(Error::internal(format!(
                    "a `{}` entry cannot carry an e-mail",
                    entry.event.kind()
                )));
            };
            mail.raw = raw.clone();
            out_files.push((format!("{dir}/{raw}"), bytes));
        }
        out_files.push((format!("{dir}/{file}"), entry.encode().into_bytes()));
        written.push(StoredEntry {
            file: file.clone(),
            entry,
        });
        let stem = file.trim_end_matches(".md").to_string();
        let mut taken = Vec::new();
        for att in draft.attachments {
            let limit = store.config().max_attachment_bytes;
            if att.bytes.len() as u64 > limit {
                return Err(Error::invalid(format!(
                    "attachment `{}` is {} bytes; the limit is {limit} (max_attachment_bytes in .tix/config.yaml)",
                    att.name,
                    att.bytes.len()
                )));
            }
            let safe = unique_name(&safe_file_name(&att.name, "attachment"), &taken);
            taken.push(safe.clone());
            let rel = format!("{FILES_DIR}/{stem}/{safe}");
            let record = Entry {
                at: now,
                seq,
                author: actor.handle.clone(),
                event: Event::Attachment {
                    file: rel.clone(),
                    name: att.name.clone(),
                    size: att.bytes.len() as u64,
                    entry: Some(file.clone()),
                },
                body: String::new(),
            };
            seq += 1;
            let record_file = record.file_name(&random_tag(6)?);
            out_files.push((format!("{dir}/{rel}"), att.bytes));
            out_files.push((format!("{dir}/{record_file}"), record.encode().into_bytes()));
            written.push(StoredEntry {
                file: record_file,
                entry: record,
            });
        }
    }
    let committed = store.commit(lock, out_files, message, &actor.author())?;
    Ok((committed, written))
}
