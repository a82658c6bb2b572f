//! `tix list`'s rows: what the summary keeps of each ticket.

use serde::{Deserialize, Serialize};

use super::IndexedTicket;
use super::files::ShardFile;
use crate::domain::automation::{Side, last_side};
use crate::domain::{FieldValue, LinkRel, Priority, Status, TicketId, TicketView, Timestamp};
use crate::error::Result;

/// What `tix list` needs of a ticket, borrowed from the summary file.
#[derive(Debug, Serialize, Deserialize)]
pub struct ListRow<'a> {
    pub id: TicketId,
    pub status: Status,
    pub priority: Priority,
    pub locked: bool,
    pub subject: &'a str,
    pub assignee: Option<&'a str>,
    pub customer: Option<PartyRow<'a>>,
    pub cc: Vec<PartyRow<'a>>,
    pub tags: Vec<&'a str>,
    pub fields: Vec<(&'a str, FieldRow<'a>)>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// Entry files that could not be read, as (path, message).
    pub problems: Vec<(&'a str, &'a str)>,
    /// No tab or line break in any text above, so a listing can print the
    /// row without checking every cell.
    pub plain: bool,
    pub snoozed_until: Option<Timestamp>,
    /// The ticket's own links, so `show` finds the tickets linking to one
    /// from the summary alone.
    pub links: Vec<(LinkRel, TicketId)>,
    /// See [`IndexedTicket::assigned_at`](super::IndexedTicket::assigned_at).
    pub assigned_at: Option<Timestamp>,
    /// The text of the ticket's resolution, if it has one: what a search
    /// for similar tickets offers, and ranks resolved tickets by, from
    /// the summary alone.
    pub resolution: Option<&'a str>,
    /// The ticket this one was merged into: mail and readers follow it.
    pub merged_into: Option<TicketId>,
    /// The ticket's open tasks, so `tix tasks` and the team's counts come
    /// from the summary alone.
    pub tasks: Vec<TaskRow<'a>>,
    /// See [`Ticket::group`](crate::domain::Ticket::group).
    pub group: Option<&'a str>,
    pub department: Option<&'a str>,
    pub last_customer_at: Option<Timestamp>,
    pub last_agent_at: Option<Timestamp>,
    pub first_response_at: Option<Timestamp>,
}

/// An open task as the summary keeps it.
#[derive(Debug, Serialize, Deserialize)]
pub struct TaskRow<'a> {
    pub number: u32,
    pub text: &'a str,
    pub assignee: Option<&'a str>,
    pub due: Option<Timestamp>,
    /// The entry it was made from.
    pub from: Option<&'a str>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PartyRow<'a> {
    pub name: Option<&'a str>,
    pub email: &'a str,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum FieldRow<'a> {
    Number(f64),
    Text(&'a str),
}

impl<'a> ListRow<'a> {
    pub(super) fn of(t: &'a IndexedTicket) -> ListRow<'a> {
        let party = |p: &'a crate::domain::Party| PartyRow {
            name: p.name.as_deref(),
            email: &p.email,
        };
        let ticket = &t.ticket;
        let mut row = ListRow {
            id: ticket.id,
            status: ticket.status,
            priority: ticket.priority,
            locked: ticket.locked.is_some(),
            subject: &ticket.subject,
            assignee: ticket.assignee.as_deref(),
            customer: ticket.customer.as_ref().map(party),
            cc: ticket.cc.iter().map(party).collect(),
            tags: ticket.tags.iter().map(String::as_str).collect(),
            fields: ticket
                .fields
                .iter()
                .map(|(n, v)| {
                    let v = match v {
                        FieldValue::Number(x) => FieldRow::Number(*x),
                        FieldValue::Text(s) => FieldRow::Text(s),
                    };
                    (n.as_str(), v)
                })
                .collect(),
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
            problems: t
                .problems
                .iter()
                .map(|p| (p.path.as_str(), p.message.as_str()))
                .collect(),
            plain: false,
            snoozed_until: ticket.snoozed_until,
            links: ticket.links.iter().map(|l| (l.rel, l.target)).collect(),
            assigned_at: t.assigned_at,
            resolution: ticket.resolution.as_deref(),
            merged_into: ticket.merged_into,
            tasks: ticket
                .open_tasks()
                .map(|task| TaskRow {
                    number: task.number,
                    text: &task.text,
                    assignee: task.assignee.as_deref(),
                    due: task.due,
                    from: task.from.as_deref(),
                })
                .collect(),
            group: ticket.group.as_deref(),
            department: ticket.department.as_deref(),
            last_customer_at: ticket.last_customer_at,
            last_agent_at: ticket.last_agent_at,
            first_response_at: ticket.first_response_at,
        };
        let plain = |s: &str| !s.contains(['\t', '\n', '\r']);
        row.plain = plain(row.subject)
            && row.assignee.is_none_or(plain)
            && row
                .customer
                .iter()
                .chain(row.cc.iter())
                .all(|p| plain(p.email) && p.name.is_none_or(plain))
            && row.tags.iter().all(|t| plain(t));
        row
    }
}

impl TicketView for ListRow<'_> {
    fn id(&self) -> TicketId {
        self.id
    }
    fn subject(&self) -> &str {
        self.subject
    }
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn is_locked(&self) -> bool {
        self.locked
    }
    fn assignee(&self) -> Option<&str> {
        self.assignee
    }
    fn customer(&self) -> Option<(Option<&str>, &str)> {
        self.customer.as_ref().map(|p| (p.name, p.email))
    }
    fn parties(&self) -> Vec<(Option<&str>, &str)> {
        self.customer
            .iter()
            .chain(self.cc.iter())
            .map(|p| (p.name, p.email))
            .collect()
    }
    fn tags(&self) -> Vec<&str> {
        self.tags.clone()
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.tags
            .iter()
            .any(|t| crate::domain::ticket::same_tag(t, tag))
    }
    fn field_is(&self, name: &str, value: &FieldValue) -> bool {
        self.fields.iter().any(|(n, v)| {
            *n == name
                && match (v, value) {
                    (FieldRow::Number(a), FieldValue::Number(b)) => a == b,
                    (FieldRow::Text(a), FieldValue::Text(b)) => a == b,
                    _ => false,
                }
        })
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
    fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }
    fn snoozed_until(&self) -> Option<Timestamp> {
        self.snoozed_until
    }
    fn group(&self) -> Option<&str> {
        self.group
    }
    fn department(&self) -> Option<&str> {
        self.department
    }
    fn last_from(&self) -> Option<Side> {
        last_side(self.last_customer_at, self.last_agent_at)
    }
    fn answered(&self) -> bool {
        self.first_response_at.is_some()
    }
    fn has_open_tasks(&self) -> bool {
        !self.tasks.is_empty()
    }
}

pub(super) fn encode_rows(file: &ShardFile) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for (_, t) in file.tickets.values() {
        out = postcard::to_extend(&ListRow::of(t), out).map_err(|e| {
            crate::Error::internal(format!("cannot encode a list row: {e}")).with_source(e)
        })?;
    }
    Ok(out)
}
