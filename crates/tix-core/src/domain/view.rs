//! What filters and listings read of a ticket, whether it is a fully
//! folded [`Ticket`] or a compact row borrowed from the derived index:
//! `tix list` at 100,000 tickets cannot afford to build every `Ticket`.

use super::automation::{Side, last_side};
use super::entry::{FieldValue, Priority, Status};
use super::id::TicketId;
use super::ticket::Ticket;
use super::time::Timestamp;

/// The order of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Last activity, newest first.
    Updated,
    /// Creation time, newest first.
    Created,
    /// Most urgent first.
    Priority,
    Status,
    Id,
    Subject,
    /// Earliest SLA deadline first (breached first); tickets without a
    /// running SLA clock last.
    Sla,
}

impl SortKey {
    pub const NAMES: &'static str = "updated, created, priority, status, id, subject, sla";

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "updated" => SortKey::Updated,
            "created" => SortKey::Created,
            "priority" => SortKey::Priority,
            "status" => SortKey::Status,
            "id" => SortKey::Id,
            "subject" => SortKey::Subject,
            "sla" => SortKey::Sla,
            _ => return None,
        })
    }
}

/// Tickets by the state of their SLA clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaFilter {
    /// A target is breached.
    Breached,
    /// Breached, or past the warning threshold.
    AtRisk,
    /// Any SLA clock running or paused.
    Running,
}

impl SlaFilter {
    pub const NAMES: &'static str = "breached, at-risk, running";

    pub fn parse(s: &str) -> Option<SlaFilter> {
        Some(match s {
            "breached" => SlaFilter::Breached,
            "at-risk" => SlaFilter::AtRisk,
            "running" => SlaFilter::Running,
            _ => return None,
        })
    }
}

pub trait TicketView {
    fn id(&self) -> TicketId;
    fn subject(&self) -> &str;
    fn status(&self) -> Status;
    fn priority(&self) -> Priority;
    fn is_locked(&self) -> bool;
    fn assignee(&self) -> Option<&str>;
    /// The customer's name and address.
    fn customer(&self) -> Option<(Option<&str>, &str)>;
    /// The customer and everyone in Cc, as (name, address).
    fn parties(&self) -> Vec<(Option<&str>, &str)>;
    fn tags(&self) -> Vec<&str>;
    fn has_tag(&self, tag: &str) -> bool;
    fn field_is(&self, name: &str, value: &FieldValue) -> bool;
    fn created_at(&self) -> Option<Timestamp>;
    fn updated_at(&self) -> Option<Timestamp>;
    fn snoozed_until(&self) -> Option<Timestamp>;
    /// The group the ticket was last escalated to.
    fn group(&self) -> Option<&str>;
    /// Its department (`mail.departments`).
    fn department(&self) -> Option<&str>;
    /// Who wrote the last public message (see [`super::automation::last_from`]).
    fn last_from(&self) -> Option<Side>;
    /// Whether an agent has replied publicly.
    fn answered(&self) -> bool;
    fn has_open_tasks(&self) -> bool;
}

impl TicketView for Ticket {
    fn id(&self) -> TicketId {
        self.id
    }
    fn subject(&self) -> &str {
        &self.subject
    }
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn is_locked(&self) -> bool {
        self.locked.is_some()
    }
    fn assignee(&self) -> Option<&str> {
        self.assignee.as_deref()
    }
    fn customer(&self) -> Option<(Option<&str>, &str)> {
        self.customer
            .as_ref()
            .map(|p| (p.name.as_deref(), p.email.as_str()))
    }
    fn parties(&self) -> Vec<(Option<&str>, &str)> {
        self.customer
            .iter()
            .chain(self.cc.iter())
            .map(|p| (p.name.as_deref(), p.email.as_str()))
            .collect()
    }
    fn tags(&self) -> Vec<&str> {
        self.tags.iter().map(String::as_str).collect()
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| super::ticket::same_tag(t, tag))
    }
    fn field_is(&self, name: &str, value: &FieldValue) -> bool {
        self.fields.get(name) == Some(value)
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
        self.group.as_deref()
    }
    fn department(&self) -> Option<&str> {
        self.department.as_deref()
    }
    fn last_from(&self) -> Option<Side> {
        last_side(self.last_customer_at, self.last_agent_at)
    }
    fn answered(&self) -> bool {
        self.first_response_at.is_some()
    }
    fn has_open_tasks(&self) -> bool {
        self.open_tasks().next().is_some()
    }
}
