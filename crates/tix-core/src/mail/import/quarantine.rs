//! The quarantine: messages that could not be filed, kept whole in
//! `quarantine/<name>.eml` with a record of why beside them, to be filed
//! again (`tix quarantine retry`) once the cause is fixed.

use serde::Serialize;

use crate::domain::Timestamp;
use crate::error::{Error, Result};
use crate::mail::parse::synthetic_message_id;

pub use crate::store::QUARANTINE_DIR;

/// A quarantined message's record, beside its `.eml`: the same bytes for
/// the same message on every clone.
#[derive(Serialize, serde::Deserialize, Clone, Debug)]
pub struct QuarantineRecord {
    pub format: u32,
    /// When it was quarantined, in records written before the record was
    /// made the same on every clone; newer ones take the time of the
    /// commit that added them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    pub reason: String,
    /// Where it came from, in older records only (see `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub size: u64,
    /// Only the header of the message is kept: it was too large to read,
    /// so it cannot be filed from the quarantine.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// The name a message is quarantined under: the same for the same bytes,
/// so quarantining it again finds it there.
pub fn name_of(raw: &[u8]) -> String {
    synthetic_message_id(raw)
        .trim_end_matches("@tix.invalid")
        .to_string()
}

/// The files that quarantine `raw` as `name`: the message and its record.
pub fn files(name: &str, raw: &[u8], record: &QuarantineRecord) -> Result<[(String, Vec<u8>); 2]> {
    let yaml = serde_yaml::to_string(record)
        .map_err(|e| Error::internal(format!("cannot write quarantine record: {e}")))?;
    Ok([
        (eml_path(name), raw.to_vec()),
        (record_path(name), yaml.into_bytes()),
    ])
}

pub fn eml_path(name: &str) -> String {
    format!("{QUARANTINE_DIR}/{name}.eml")
}

pub fn record_path(name: &str) -> String {
    format!("{QUARANTINE_DIR}/{name}.yaml")
}

/// The most of a quarantined message's text `show` prints and `file`
/// takes as the entry's text (the whole message is kept as an
/// attachment).
pub const MAX_SHOWN_TEXT: usize = 64 * 1024;

/// A quarantined message as `tix quarantine show` gives it.
#[derive(Clone, Debug, Serialize)]
pub struct Quarantined {
    pub file: String,
    pub reason: String,
    pub size: u64,
    pub truncated: bool,
    /// What could be read of it: None when it cannot be parsed at all.
    pub from: Option<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub date: Option<Timestamp>,
    /// Its text, decoded when it parses, else its bytes as far as they are
    /// text; at most [`MAX_SHOWN_TEXT`].
    pub text: String,
    /// Why it does not parse, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
}

fn clip(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("\n[… cut]");
    }
    text
}

/// Reads quarantined message `name` (as `quarantine list` names it:
/// `quarantine/<name>.eml` or `<name>`).
pub fn show(store: &crate::store::Store, name: &str) -> Result<Quarantined> {
    let name = bare_name(name);
    let eml = eml_path(&name);
    let raw = store
        .read_file(&eml)?
        .ok_or_else(|| Error::not_found(format!("{eml} is not in the quarantine")))?;
    let record = store
        .read_file(&record_path(&name))?
        .and_then(|bytes| serde_yaml::from_slice::<QuarantineRecord>(&bytes).ok());
    let own = super::super::classify::OwnMarks::default();
    let parsed = super::parse_guarded(&raw, &own, 1000);
    let (from, to, subject, date, text, parse_error) = match parsed {
        Ok(m) => (
            m.from.map(|p| p.to_string()),
            m.to.iter().map(|p| p.to_string()).collect(),
            Some(m.subject),
            m.date,
            clip(m.text, MAX_SHOWN_TEXT),
            None,
        ),
        Err(e) => (
            None,
            Vec::new(),
            None,
            None,
            clip(
                String::from_utf8_lossy(&raw[..raw.len().min(MAX_SHOWN_TEXT)]).into_owned(),
                MAX_SHOWN_TEXT,
            ),
            Some(e),
        ),
    };
    Ok(Quarantined {
        file: eml,
        reason: record
            .as_ref()
            .map(|r| r.reason.clone())
            .unwrap_or_else(|| "(record missing or unreadable)".into()),
        size: raw.len() as u64,
        truncated: record.as_ref().is_some_and(|r| r.truncated),
        from,
        to,
        subject,
        date,
        text,
        parse_error,
    })
}

/// `quarantine/<name>.eml`, `<name>.eml` or `<name>` as the bare name.
pub fn bare_name(typed: &str) -> String {
    typed
        .trim()
        .trim_start_matches(&format!("{QUARANTINE_DIR}/"))
        .trim_end_matches(".eml")
        .trim_end_matches(".yaml")
        .to_string()
}

/// Removes quarantined message `name` for good, in a commit by `actor`
/// that says why (the message stays in git's history). Returns the
/// commit.
pub fn drop_message(
    store: &crate::store::Store,
    actor: &crate::ops::Actor,
    name: &str,
    why: Option<&str>,
) -> Result<String> {
    let name = bare_name(name);
    let eml = eml_path(&name);
    let mut batch = crate::ops::Batch::begin(store)?;
    if store.read_file(&eml)?.is_none() {
        return Err(Error::not_found(format!("{eml} is not in the quarantine")));
    }
    batch.remove_file(eml.clone())?;
    batch.remove_file(record_path(&name))?;
    let message = format!(
        "tix: quarantine drop {name}\n\n{} dropped {eml}{}\n",
        actor.handle,
        why.map(|w| format!(": {w}")).unwrap_or_default()
    );
    let done = batch
        .flush(&actor.author(), &message)?
        .ok_or_else(|| Error::internal("a dropped message was not committed"))?;
    Ok(done.commit)
}

/// Files quarantined message `name` by hand for `customer`: on `ticket`
/// as their message, or as a new ticket of theirs. What of it can be read
/// becomes the text; the message itself goes with it as an attachment,
/// byte for byte, and a note by `actor` says where it came from. It
/// leaves the quarantine in the same commit.
pub fn file_for(
    store: &crate::store::Store,
    actor: &crate::ops::Actor,
    name: &str,
    customer: &crate::domain::Party,
    ticket: Option<crate::domain::TicketId>,
) -> Result<crate::ops::Outcome> {
    use crate::domain::{Event, Priority};
    use crate::ops::{Draft, NewAttachment};
    let shown = show(store, name)?;
    let name = bare_name(name);
    let raw = store
        .read_file(&eml_path(&name))?
        .ok_or_else(|| Error::not_found(format!("{} is not in the quarantine", shown.file)))?;
    let mut message = Draft::with_body(
        Event::Message {
            from: customer.clone(),
            mail: None,
        },
        shown.text.clone(),
    )
    .by(&customer.email);
    message.attachments.push(NewAttachment {
        name: format!("{name}.eml"),
        bytes: raw,
        stored_as: Some("message.eml".into()),
    });
    let note = Draft::with_body(
        Event::Note { mail: None },
        format!(
            "Filed by hand from the quarantine ({}, quarantined because: {}) as a message from {}.",
            shown.file, shown.reason, customer.email
        ),
    );
    let mut batch = crate::ops::Batch::begin(store)?;
    let id = match ticket {
        Some(id) => {
            batch.append(actor, id, "quarantine file", |_| Ok(vec![message, note]))?;
            id
        }
        None => {
            let mut id = crate::store::random_id()?;
            while store.ticket_exists(&id)? {
                id = crate::store::random_id()?;
            }
            let subject = shown
                .subject
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "(quarantined message)".into());
            let created = Draft::new(Event::Created {
                subject,
                customer: customer.clone(),
                cc: Vec::new(),
                priority: Priority::Normal,
                tags: Vec::new(),
                fields: Default::default(),
                channel: None,
                department: None,
                group: None,
            })
            .by(&customer.email);
            batch.create(actor, id, vec![created, message, note])?;
            id
        }
    };
    batch.remove_file(eml_path(&name))?;
    batch.remove_file(record_path(&name))?;
    let ticket_now = batch.ticket(id)?.clone();
    let done = batch
        .commit(&actor.author(), "quarantine file")?
        .ok_or_else(|| Error::internal("a filed message was not committed"))?;
    let files = done
        .changes
        .iter()
        .filter(|c| c.id == id && c.rule.is_none())
        .flat_map(|c| c.files.clone())
        .collect();
    Ok(crate::ops::Outcome::committed(
        id,
        files,
        ticket_now,
        String::new(),
        done,
    ))
}
