//! Appending entries: the one path every change takes.

use crate::domain::names::{safe_file_name, unique_name};
use crate::domain::{Entry, Event, Stage, StoredEntry, Ticket, TicketId, Timestamp, fold};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{FILES_DIR, Store, TagSource, random_id};

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
                lock_info.at.to_short()
            ),
        )
        .with_hint("an admin can run `tix unlock` first; a new ticket can be linked to it"));
    }
    let now = super::now()?;
    let written = write_drafts(
        store,
        &lock,
        actor,
        id,
        &ticket,
        now,
        drafts,
        &format!("tix: {verb} {id}\n\n{}", ticket.subject),
        &mut TagSource::new()?,
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
    let (commit, entries) = write_drafts(
        store,
        &lock,
        actor,
        id,
        &empty,
        now,
        drafts,
        &message,
        &mut TagSource::new()?,
    )?;
    Ok(Outcome {
        id,
        commit: commit.oid.to_string(),
        warnings: commit.warning.into_iter().collect(),
        files: entries.iter().map(|e| e.file.clone()).collect(),
        ticket: fold(id, entries).0,
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
    tags: &mut TagSource,
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
        let file = entry.file_name(&tags.next_tag());
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
            let record_file = record.file_name(&tags.next_tag());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Agent, Config, Role};
    use crate::store::Author;

    /// One draft with many attachments: every entry of the write shares
    /// the timestamp, so only the tags keep their names apart. The source
    /// starts just below the end of the tag space, so the run also wraps.
    #[test]
    fn every_entry_of_one_write_gets_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let agent = Agent {
            handle: "alice".into(),
            name: Some("Alice".into()),
            email: "alice@example.com".into(),
            roles: vec![Role::Admin],
        };
        let author = Author {
            name: "Alice".into(),
            email: "alice@example.com".into(),
        };
        let store = Store::init(dir.path(), Config::new(None, agent), &author).unwrap();
        let actor = Actor {
            handle: "alice".into(),
            name: "Alice".into(),
            email: "alice@example.com".into(),
            admin: true,
        };
        let id = random_id().unwrap();
        let now = Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456Z").unwrap();
        let count = 400;
        let mut draft = Draft::with_body(Event::Note { mail: None }, "many files");
        draft.attachments = (0..count)
            .map(|i| NewAttachment {
                name: format!("part{i}.txt"),
                bytes: format!("{i}").into_bytes(),
            })
            .collect();
        let lock = store.lock().unwrap();
        let empty = fold(id, Vec::new()).0;
        let mut tags = TagSource::starting_at((1 << 30) - 7);
        let (_, written) = write_drafts(
            &store,
            &lock,
            &actor,
            id,
            &empty,
            now,
            vec![draft],
            "test",
            &mut tags,
        )
        .unwrap();
        drop(lock);
        assert_eq!(written.len(), count + 1);
        let mut names: Vec<&str> = written.iter().map(|e| e.file.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count + 1, "two entries share a file name");
        let files = store.read_ticket(&id).unwrap();
        assert!(files.problems.is_empty(), "{:?}", files.problems);
        assert_eq!(files.entries.len(), count + 1);
    }
}
