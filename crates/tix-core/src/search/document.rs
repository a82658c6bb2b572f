//! What the index holds of one ticket, built from its fold.

use serde::{Deserialize, Serialize};

use super::engine::TicketDoc;
use crate::domain::{Event, Party, Priority, Status, Ticket, TicketId, Timestamp, TrailItem};

/// A ticket's text beyond this is not indexed (each of public text and
/// notes): a mail of megabytes is found by its first megabyte.
const MAX_TEXT_BYTES: usize = 1 << 20;

/// What a search result shows of its ticket, kept in the index so a
/// search reads nothing else.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Card {
    pub id: TicketId,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub locked: bool,
    pub assignee: Option<String>,
    pub customer: Option<Party>,
    pub tags: Vec<String>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

pub fn build(ticket: &Ticket, trail: &[TrailItem], tree: &str) -> TicketDoc {
    let mut public_text = String::new();
    let mut notes = String::new();
    let mut attachments = Vec::new();
    let party = |p: &Party| match &p.name {
        Some(name) => format!("{name} <{}>", p.email),
        None => p.email.clone(),
    };
    let mut from: Vec<String> = ticket.customer.iter().map(party).collect();
    for item in trail {
        if item.copy_of.is_some() {
            continue;
        }
        let entry = &item.entry;
        let into = match &entry.event {
            Event::Created { .. }
            | Event::Message { .. }
            | Event::Reply { .. }
            | Event::Chat {} => Some(&mut public_text),
            Event::Note { .. } | Event::Call { .. } | Event::Close {} | Event::Escalate { .. } => {
                Some(&mut notes)
            }
            _ => None,
        };
        if let Some(out) = into {
            append_bounded(out, &entry.body);
        }
        match &entry.event {
            Event::Message { from: p, .. } if !item.outsider => from.push(party(p)),
            Event::Attachment { name, .. } => attachments.push(name.clone()),
            _ => {}
        }
    }
    from.sort();
    from.dedup();
    let card = Card {
        id: ticket.id,
        subject: ticket.subject.clone(),
        status: ticket.status,
        priority: ticket.priority,
        locked: ticket.locked.is_some(),
        assignee: ticket.assignee.clone(),
        customer: ticket.customer.clone(),
        tags: ticket.tags.iter().cloned().collect(),
        created_at: ticket.created_at,
        updated_at: ticket.updated_at,
    };
    let micros = |t: Option<Timestamp>| t.map_or(0, |t| t.datetime().timestamp_micros());
    let mut flags = Vec::new();
    if ticket.locked.is_some() {
        flags.push("locked");
    }
    if !attachments.is_empty() {
        flags.push("attachment");
    }
    if ticket.assignee.is_some() {
        flags.push("assigned");
    }
    TicketDoc {
        id: ticket.id.to_string(),
        shard: ticket.id.shard().to_string(),
        tree: tree.to_string(),
        subject: ticket.subject.clone(),
        public_text,
        notes,
        attachments,
        from,
        cc: ticket.cc.iter().map(party).collect(),
        org: ticket
            .customer
            .as_ref()
            .and_then(|c| c.email.rsplit_once('@'))
            .map(|(_, domain)| domain.to_lowercase()),
        assignee: ticket.assignee.as_ref().map(|a| a.to_lowercase()),
        tags: ticket.tags.iter().map(|t| t.to_lowercase()).collect(),
        fields: ticket
            .fields
            .iter()
            .map(|(n, v)| format!("{n}={v}").to_lowercase())
            .collect(),
        labels: ticket
            .tags
            .iter()
            .cloned()
            .chain(ticket.fields.values().map(|v| v.to_string()))
            .collect(),
        status: ticket.status.as_str().to_string(),
        priority: ticket.priority.as_str().to_string(),
        group: ticket.group.as_ref().map(|g| g.to_lowercase()),
        flags,
        created: micros(ticket.created_at),
        updated: micros(ticket.updated_at),
        closed: micros(ticket.closed_at),
        resolution: ticket.resolution.clone().filter(|r| !r.trim().is_empty()),
        merged_into: ticket.merged_into.map(|t| t.to_string()),
        // A card of plain data always encodes.
        card: serde_json::to_string(&card).unwrap_or_default(),
    }
}

fn append_bounded(out: &mut String, body: &str) {
    let room = MAX_TEXT_BYTES.saturating_sub(out.len());
    if room == 0 || body.trim().is_empty() {
        return;
    }
    let mut end = body.len().min(room);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&body[..end]);
}
