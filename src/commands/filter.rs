//! Ticket filters shared by `tix list` and `tix report`: by status,
//! assignee, customer, tag, priority, custom field, times and text, all
//! matched against a ticket's current state.

use tix_core::domain::time::parse_when;
use tix_core::domain::{FieldValue, Priority, Status, TicketView, Timestamp};
use tix_core::error::{Error, Result};
use tix_core::ops;
use tix_core::store::Store;

use super::Ctx;
use crate::cli::TicketFilterArgs;

/// Filters, resolved against the store and the clock. The default lets
/// every ticket through.
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
}

impl Filter {
    /// The filters given as [`TicketFilterArgs`]; times and text are the
    /// caller's.
    pub fn from_args(ctx: &Ctx, store: &Store, args: &TicketFilterArgs) -> Result<Filter> {
        Ok(Filter {
            statuses: args.status.iter().map(|s| (*s).into()).collect(),
            assignee: assignee(
                ctx,
                store,
                args.assignee.as_deref(),
                args.mine,
                args.unassigned,
            )?,
            customer: args.customer.as_deref().map(str::to_lowercase),
            tags: args.tags.clone(),
            priorities: args.priority.iter().map(|p| (*p).into()).collect(),
            fields: super::parse_field_args(store.config(), &args.fields)?,
            ..Filter::default()
        })
    }
}

/// Parses a `--created-since`-style time argument.
pub fn when(flag: &str, value: Option<&str>, now: Timestamp) -> Result<Option<Timestamp>> {
    value
        .map(|s| parse_when(s, now).map_err(|e| Error::invalid(format!("--{flag}: {e}"))))
        .transpose()
}

/// Parses a time that must lie ahead (`--until`): a duration counts from
/// `now` (`3d`: in three days), else a date or time as for filters.
pub fn future_time(flag: &str, value: &str, now: Timestamp) -> Result<Timestamp> {
    let t = match tix_core::domain::duration::Duration::parse(value) {
        Ok(d) => now.plus_seconds(d.seconds()),
        Err(_) => parse_when(value, now).map_err(|e| Error::invalid(format!("--{flag}: {e}")))?,
    };
    if t <= now {
        return Err(Error::invalid(format!(
            "--{flag}: {} is not in the future",
            t.to_short_labelled()
        )));
    }
    Ok(t)
}

/// Resolves `--assignee AGENT` (handle or address), `--mine` and
/// `--unassigned` into [`Filter::assignee`].
pub fn assignee(
    ctx: &Ctx,
    store: &Store,
    agent: Option<&str>,
    mine: bool,
    unassigned: bool,
) -> Result<Option<Option<String>>> {
    Ok(if mine {
        Some(Some(ctx.actor(store)?.handle))
    } else if unassigned {
        Some(None)
    } else {
        // An unknown agent is a typo, not a filter that matches nothing.
        agent
            .map(|a| ops::check_assignee(store.config(), a).map(Some))
            .transpose()?
    })
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
