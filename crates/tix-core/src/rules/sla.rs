//! Service-level clocks of open tickets, as `tix sla` lists them and
//! `tix tick` acts on them.

pub use crate::domain::sla::Target;
use crate::domain::sla::{Clock, ClockState, Phase, Standing};
use crate::domain::{Config, Priority, Status, TicketId, Timestamp};
use crate::error::Result;
use crate::store::{Store, TicketIndex};

/// One running (or paused) clock of an open ticket.
#[derive(Clone, Debug)]
pub struct SlaClock {
    pub ticket: TicketId,
    pub subject: String,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub target: Target,
    pub state: ClockState,
}

impl SlaClock {
    pub fn standing(&self) -> Standing {
        self.state.standing()
    }
}

/// Every running or paused clock of every open ticket with a target, as
/// of `now`: breached first (longest overdue first), then by deadline.
pub fn clocks(store: &Store, now: Timestamp) -> Result<Vec<SlaClock>> {
    let index = store.index()?;
    let out = clocks_in(store.config(), &index, now);
    // The process ends soon; freeing the index is wasted time.
    std::mem::forget(index);
    out
}

/// [`clocks`] from an index the caller already holds.
pub fn clocks_in(config: &Config, index: &TicketIndex, now: Timestamp) -> Result<Vec<SlaClock>> {
    let policy = config.sla.policy();
    let mut out = Vec::new();
    for indexed in index.tickets() {
        let t = &indexed.ticket;
        if t.status == Status::Closed || t.locked.is_some() {
            continue;
        }
        let (first, resolution) =
            config
                .sla
                .seconds_for(t.priority, &t.tags, &t.fields, t.department.as_deref());
        if first.is_none() && resolution.is_none() {
            continue;
        }
        let facts = indexed.facts()?;
        for (target, secs) in [
            (Target::FirstResponse, first),
            (Target::Resolution, resolution),
        ] {
            let Some(secs) = secs.filter(|s| *s > 0) else {
                continue;
            };
            let clock = Clock::new(policy, secs);
            let state = match target {
                Target::FirstResponse => clock.first_response(&facts, now),
                Target::Resolution => clock.resolution(&facts, now),
            };
            let Some(state) = state.filter(|s| s.phase != Phase::Stopped) else {
                continue;
            };
            out.push(SlaClock {
                ticket: t.id,
                subject: t.subject.clone(),
                priority: t.priority,
                assignee: t.assignee.clone(),
                target,
                state,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            a.standing() != Standing::Breached,
            a.state.due_at,
            a.ticket,
            a.target,
        )
            .cmp(&(
                b.standing() != Standing::Breached,
                b.state.due_at,
                b.ticket,
                b.target,
            ))
    });
    Ok(out)
}
