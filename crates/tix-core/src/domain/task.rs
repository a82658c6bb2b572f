//! Tasks inside a ticket: things to do, each with its own assignee and
//! deadline, recorded as entries on the ticket and folded into its state.
//!
//! A task is added by a `task-add` entry; every later record about it
//! (`task-assign`, `task-due`, `task-done`, `task-reopen`,
//! `task-reminder`) names it by that entry's file name, its key, which
//! no two clones can share. The number people type (`tix task done 7K3F
//! 2`) is not stored anywhere: it is the task's place among the ticket's
//! `task-add` entries in fold order, so every clone holding the same
//! entries numbers them the same. Two clones adding a task to one ticket
//! at once both wrote a task they saw as the next number; after they
//! sync, the fold orders the two adds (by `seq`, then time, then file)
//! and one of them moves up by one. A number is therefore valid for the
//! state it was read from: `tix task done 7K3F 1` after a sync means the
//! task listed as 1 now, which `tix show` or `tix tasks` say.

use serde::{Deserialize, Serialize};

use super::duration::Duration;
use super::sla::Hours;
use super::time::{Timestamp, parse_when_in};
use super::zone::Zone;

/// One task as folded from its entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Its place among the ticket's tasks, from 1, in fold order.
    pub number: u32,
    /// The file name of the `task-add` entry: what later records name.
    pub key: String,
    pub text: String,
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
    pub added_at: Timestamp,
    pub added_by: String,
    /// When it was last marked done, while it is done.
    pub done_at: Option<Timestamp>,
    pub done_by: Option<String>,
    /// The entry of the ticket's trail (its file name) the task was made
    /// from, if it was.
    pub from: Option<String>,
    /// `tix tick` told the assignee the deadline passed (for this
    /// deadline: a new one is told again).
    pub reminded: bool,
}

impl Task {
    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }

    /// Open with its deadline at or before `now`.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.is_open() && self.due.is_some_and(|d| d <= now)
    }

    /// Open, due, and nobody told yet: what `tix tick` reminds about.
    pub fn needs_reminder(&self, now: Timestamp) -> bool {
        self.is_overdue(now) && !self.reminded
    }
}

/// A deadline as typed: a span from now (`2d`, counted in business hours
/// when the team has them, as the SLA clocks count), or a point in time.
#[derive(Clone, Debug, PartialEq)]
pub enum Due {
    After(Duration),
    At(Timestamp),
}

impl Due {
    /// A duration of the one grammar (`4h`, `2d`, `1d12h`), or a time as
    /// filters take it (RFC 3339, `2026-11-23`, `2026-11-23 14:00`, local
    /// times in `zone`).
    pub fn parse(text: &str, now: Timestamp, zone: Zone) -> Result<Due, String> {
        if let Ok(d) = Duration::parse_positive(text) {
            return Ok(Due::After(d));
        }
        // A duration here means "from now", never an age into the past.
        if Duration::parse(text).is_ok() {
            return Err(format!("`{text}` is no time at all from now"));
        }
        parse_when_in(text, now, zone)
            .map(Due::At)
            .map_err(|_| {
                format!(
                    "`{text}` is not a due time (expected a span from now such as 4h, 2d or 1w, or a time such as 2026-11-23, 2026-11-23 14:00 or RFC 3339)"
                )
            })
    }

    /// The instant it names: a span counted from `now` as `hours` counts
    /// SLA time (calendar time, or the open hours of business hours).
    pub fn resolve(&self, now: Timestamp, hours: &Hours) -> Timestamp {
        match self {
            Due::After(d) => hours.add_seconds(now, d.seconds()),
            Due::At(t) => *t,
        }
    }
}

/// The task numbered `number` among `tasks`, or what is wrong.
pub fn numbered(tasks: &[Task], number: u32) -> Result<&Task, String> {
    tasks
        .iter()
        .find(|t| t.number == number)
        .ok_or_else(|| match tasks.len() {
            0 => format!("there is no task {number}: the ticket has no tasks"),
            n => format!("there is no task {number} (expected 1 to {n})"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sla::Schedule;
    use std::collections::BTreeSet;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn a_span_counts_business_hours_when_the_team_has_them() {
        // Monday to Friday, 09:00 to 17:00 UTC.
        let day = vec![(9 * 3600, 17 * 3600)];
        let week = [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            vec![],
            vec![],
        ];
        let hours = Hours::Business(Box::new(
            Schedule::new(Zone::utc(), week, BTreeSet::new()).unwrap(),
        ));
        // Friday 16:00: one business hour left that day, then Monday.
        let now = at("2026-11-27T16:00:00Z");
        let due = Due::parse("2h", now, Zone::utc()).unwrap();
        assert_eq!(due.resolve(now, &hours), at("2026-11-30T10:00:00Z"));
        assert_eq!(
            due.resolve(now, &Hours::Calendar),
            at("2026-11-27T18:00:00Z")
        );
    }

    #[test]
    fn absolute_times_and_bad_input() {
        let now = at("2026-11-27T16:00:00Z");
        assert_eq!(
            Due::parse("2026-12-01 09:30", now, Zone::utc()).unwrap(),
            Due::At(at("2026-12-01T09:30:00Z"))
        );
        let err = Due::parse("tomorrow", now, Zone::utc()).unwrap_err();
        assert!(err.contains("not a due time"), "{err}");
        assert!(Due::parse("0h", now, Zone::utc()).is_err());
    }

    #[test]
    fn a_missing_number_says_which_exist() {
        let err = numbered(&[], 1).unwrap_err();
        assert!(err.contains("no tasks"), "{err}");
    }
}
