//! What of a ticket its customer may see: the one definition shared by
//! `tix show --public` and the exports meant for customers (`tix export
//! customer`, `tix export ticket`). It works on the folded trail, so
//! redaction has already happened and copies are marked.

use std::collections::BTreeSet;

use super::entry::{Event, MailMeta, Status};
use super::id::TicketId;
use super::party::Party;
use super::ticket::{Ticket, TrailItem};
use super::time::Timestamp;

/// Kinds a customer may see: their messages, public replies, chat
/// transcripts (they took part), the ticket's opening, its status and its
/// resolution (written to be offered to other customers with the same
/// problem, so never internal). Notes, calls (the agent's summary for the
/// team), fields, tags, assignments, tasks, SLA marks and the rest are
/// internal.
pub fn is_public(event: &Event) -> bool {
    matches!(
        event,
        Event::Created { .. }
            | Event::Message { .. }
            | Event::Reply { .. }
            | Event::Chat {}
            | Event::Close {}
            | Event::Status { .. }
            | Event::Resolution {}
    )
}

/// What a customer sees in place of a redacted entry: that something was
/// removed, not who removed it or why (the reason is the team's).
pub const REMOVED: &str = "[This message was removed.]";

/// One entry of the public thread.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicEntry {
    /// The entry's file name in its ticket.
    pub file: String,
    pub at: Timestamp,
    /// The ticket it was read from when not the one shown (a merged one).
    pub origin: Option<TicketId>,
    pub kind: PublicKind,
    /// The text; empty for a status change or a close.
    pub body: String,
    /// The mail headers that thread it, when it came or went by mail.
    pub mail: Option<MailThread>,
    pub attachments: Vec<PublicAttachment>,
    pub redacted: bool,
}

/// Who said what, as the customer sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum PublicKind {
    /// The opening request, from the ticket's customer.
    Request {
        from: Party,
    },
    /// A message from the customer or someone in Cc.
    Message {
        from: Party,
    },
    /// A public reply from the team.
    Reply,
    /// A chat transcript.
    Chat,
    Status {
        to: Status,
    },
    Closed,
    Resolution,
}

impl PublicKind {
    /// Whether it carries text the customer reads (not a bare change).
    pub fn is_text(&self) -> bool {
        !matches!(self, PublicKind::Status { .. } | PublicKind::Closed)
    }
}

/// The headers that place a mail in its thread.
#[derive(Clone, Debug, PartialEq)]
pub struct MailThread {
    pub message_id: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub sent_at: Timestamp,
}

impl MailThread {
    fn of(m: &MailMeta) -> MailThread {
        MailThread {
            message_id: m.message_id.clone(),
            in_reply_to: m.in_reply_to.clone(),
            references: m.references.clone(),
            subject: m.subject.clone(),
            sent_at: m.sent_at,
        }
    }
}

/// An attachment of a public entry.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicAttachment {
    /// Where it is stored, relative to the directory of `ticket`.
    pub file: String,
    /// The ticket holding it.
    pub ticket: TicketId,
    /// The name it was sent with, as typed by whoever sent it (not safe
    /// as a file name).
    pub name: String,
    pub size: u64,
}

/// The public thread of `ticket`, in trail order: what [`is_public`]
/// lets through, each close and closing message once (no redundant
/// entries, no copies), no message from someone outside the ticket (it
/// threaded by headers alone), a close without its internal text, and
/// only the entries of tickets `keep_origin` accepts (an export for one
/// customer leaves out the trail of another customer's ticket merged
/// into theirs). A redacted entry shows [`REMOVED`] and no attachment.
/// Attachments are those of the kept entries only: a file attached to a
/// note stays internal.
pub fn thread(
    ticket: &Ticket,
    trail: &[TrailItem],
    keep_origin: impl Fn(TicketId) -> bool,
) -> Vec<PublicEntry> {
    let mut out: Vec<PublicEntry> = Vec::new();
    let mut kept: BTreeSet<(TicketId, &str)> = BTreeSet::new();
    for item in trail {
        let home = item.origin.unwrap_or(ticket.id);
        if !keep_origin(home) || item.redundant || item.copy_of.is_some() {
            continue;
        }
        if !is_public(&item.entry.event) {
            continue;
        }
        let kind = match &item.entry.event {
            // A ticket opened by mail has its text in the message that
            // follows; its empty opening is no entry of its own.
            Event::Created { .. } if item.entry.body.trim().is_empty() => continue,
            Event::Created { customer, .. } => PublicKind::Request {
                from: customer.clone(),
            },
            Event::Message { .. } if item.outsider => continue,
            Event::Message { from, .. } => PublicKind::Message { from: from.clone() },
            Event::Reply { .. } => PublicKind::Reply,
            Event::Chat {} => PublicKind::Chat,
            Event::Status { to, .. } if item.not_applied.is_none() => {
                PublicKind::Status { to: *to }
            }
            Event::Close {} if item.not_applied.is_none() => PublicKind::Closed,
            Event::Resolution {} => PublicKind::Resolution,
            _ => continue,
        };
        let redacted = item.redacted.is_some();
        let body = if redacted {
            REMOVED.to_string()
        } else if kind.is_text() {
            item.entry.body.clone()
        } else {
            String::new()
        };
        kept.insert((home, item.file.as_str()));
        out.push(PublicEntry {
            file: item.file.clone(),
            at: item.entry.at,
            origin: item.origin,
            kind,
            body,
            mail: item.entry.event.mail().map(MailThread::of),
            attachments: Vec::new(),
            redacted,
        });
    }
    for item in trail {
        let Event::Attachment {
            file,
            name,
            size,
            entry: Some(of),
        } = &item.entry.event
        else {
            continue;
        };
        if item.redacted.is_some() || item.copy_of.is_some() {
            continue;
        }
        let home = item.origin.unwrap_or(ticket.id);
        if !kept.contains(&(home, of.as_str())) {
            continue;
        }
        if let Some(e) = out
            .iter_mut()
            .find(|e| e.origin.unwrap_or(ticket.id) == home && &e.file == of && !e.redacted)
        {
            e.attachments.push(PublicAttachment {
                file: file.clone(),
                ticket: home,
                name: name.clone(),
                size: *size,
            });
        }
    }
    out
}
