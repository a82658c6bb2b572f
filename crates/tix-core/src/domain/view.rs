//! What filters and listings read of a ticket, whether it is a fully
//! folded [`Ticket`] or a compact row borrowed from the derived index:
//! `tix list` at 100,000 tickets cannot afford to build every `Ticket`.

use super::entry::{FieldValue, Priority, Status};
use super::id::TicketId;
use super::ticket::Ticket;
use super::time::Timestamp;

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
}
