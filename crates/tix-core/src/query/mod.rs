//! Questions asked of the derived index: which tickets `tix list` shows
//! and in what order, and the facts a report is computed from. Nothing
//! here writes; it sits above `rules` because a listing can sort and
//! filter by SLA clocks, and above `report` because a report query ends in
//! its computation.

pub mod customers;
pub mod list;
pub mod report;
pub mod tags;
pub mod tasks;
pub mod views;

use crate::domain::automation::Side;
use crate::domain::{FieldValue, Priority, Status, TicketView, Timestamp};

/// Which tickets pass, by their current state, already resolved against
/// the store and the clock. The default lets every ticket through.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only these statuses; empty: any.
    pub statuses: Vec<Status>,
    /// `Some(None)`: only unassigned tickets.
    pub assignee: Option<Option<String>>,
    /// Lower case; matched against the customer's and Cc's names and addresses.
    pub customer: Option<String>,
    /// All must be present.
    pub tags: Vec<String>,
    /// Only these priorities; empty: any.
    pub priorities: Vec<Priority>,
    pub fields: Vec<(String, FieldValue)>,
    pub created: (Option<Timestamp>, Option<Timestamp>),
    pub updated: (Option<Timestamp>, Option<Timestamp>),
    /// Lower case; matched against the subject and the text of entries.
    pub text: Option<String>,
    /// `Some((now, false))`: leave out tickets snoozed at `now`;
    /// `Some((now, true))`: only those.
    pub snoozed: Option<(Timestamp, bool)>,
    /// Only tickets last escalated to this group.
    pub group: Option<String>,
    /// Only tickets of this department.
    pub department: Option<String>,
    /// Only tickets waiting on this side (see [`waits_on`]).
    pub waiting_on: Option<Side>,
    /// Only tickets without a public reply yet.
    pub unanswered: bool,
    /// Only tickets with an open task.
    pub has_tasks: bool,
}

/// Whom an unclosed ticket waits on: `Agent` (us) when it is new or open
/// and the customer wrote last or no one has written yet; `Customer` when
/// it is pending, or new or open with a public reply as the last message.
/// On hold and closed tickets wait on neither.
pub fn waits_on(t: &impl TicketView) -> Option<Side> {
    match t.status() {
        Status::Pending => Some(Side::Customer),
        Status::New | Status::Open => Some(match t.last_from() {
            Some(Side::Agent) => Side::Customer,
            Some(Side::Customer) | None => Side::Agent,
        }),
        Status::OnHold | Status::Closed => None,
    }
}

impl Filter {
    /// Whether `t` passes. `bodies` gives the lower-cased text of the
    /// ticket's entries; it is called only for a text search, and only
    /// when every other filter passed.
    pub fn matches(&self, t: &impl TicketView, bodies: impl FnOnce() -> Vec<String>) -> bool {
        let in_range =
            |v: Option<Timestamp>, (from, until): (Option<Timestamp>, Option<Timestamp>)| match v {
                Some(v) => from.is_none_or(|f| v >= f) && until.is_none_or(|u| v < u),
                None => from.is_none() && until.is_none(),
            };
        if !self.statuses.is_empty() && !self.statuses.contains(&t.status())
            || !self.priorities.is_empty() && !self.priorities.contains(&t.priority())
            || !self.tags.iter().all(|tag| t.has_tag(tag))
            || !self.fields.iter().all(|(n, v)| t.field_is(n, v))
            || !in_range(t.created_at(), self.created)
            || !in_range(t.updated_at(), self.updated)
        {
            return false;
        }
        if let Some(a) = &self.assignee
            && a.as_deref() != t.assignee()
        {
            return false;
        }
        if let Some(g) = &self.group
            && t.group() != Some(g.as_str())
        {
            return false;
        }
        if let Some(d) = &self.department
            && t.department() != Some(d.as_str())
        {
            return false;
        }
        if self.waiting_on.is_some() && waits_on(t) != self.waiting_on
            || self.unanswered && t.answered()
            || self.has_tasks && !t.has_open_tasks()
        {
            return false;
        }
        if let Some((now, only)) = self.snoozed
            && t.snoozed_until().is_some_and(|u| u > now) != only
        {
            return false;
        }
        if let Some(c) = &self.customer {
            let hit = t.parties().iter().any(|(name, email)| {
                email.to_lowercase().contains(c)
                    || name.is_some_and(|n| n.to_lowercase().contains(c))
            });
            if !hit {
                return false;
            }
        }
        if let Some(text) = &self.text
            && !t.subject().to_lowercase().contains(text)
            && !bodies().iter().any(|b| b.contains(text))
        {
            return false;
        }
        true
    }
}
