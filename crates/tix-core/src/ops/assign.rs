//! Automatic assignment: when the team's rule picks an agent and the note
//! that says why, for every place that assigns on its own (a ticket
//! created by hand or by mail, one waiting for room, one whose agent is
//! away when the customer writes).

use crate::domain::Event;
use crate::domain::assign::{Rule, TeamState};
use crate::domain::config::Config;
use crate::error::Result;

use super::{Draft, SYSTEM_HANDLE};

/// Why the rule is asked for an agent; it words the note.
#[derive(Clone, Copy, Debug)]
pub enum Occasion<'a> {
    /// A ticket just opened.
    NewTicket,
    /// An open ticket nobody could take when it came in.
    WaitingForRoom,
    /// The customer wrote while the ticket's agent `away` is away.
    AssigneeAway { away: &'a str },
}

/// The agent the rule chose and the entry that records it, by `tix`: the
/// rule chose, not whoever ran the command (the commit stays theirs).
#[derive(Clone, Debug)]
pub struct Assignment {
    pub agent: String,
    pub draft: Draft,
}

/// Whether the team assigns tickets by a rule at all: when it does not,
/// callers need not gather the team's state.
pub fn is_automatic(config: &Config) -> bool {
    config.assignment.rule != Rule::None
}

/// The assignment the configured rule makes on `occasion` for a ticket
/// in `group` (None: the group new tickets go to), or None when the rule
/// is `none` or every agent it could choose is away or at `max_active`.
pub fn assign(
    config: &Config,
    team: &TeamState,
    group: Option<&str>,
    occasion: Occasion<'_>,
) -> Result<Option<Assignment>> {
    let Some(agent) = super::team::choose_agent(config, team, group)? else {
        return Ok(None);
    };
    let rule = config.assignment.rule.as_str();
    let note = match occasion {
        Occasion::NewTicket => format!("Assigned by the {rule} rule.\n"),
        Occasion::WaitingForRoom => {
            format!("Assigned by the {rule} rule (the ticket was waiting for room).\n")
        }
        Occasion::AssigneeAway { away } => {
            format!("Re-assigned by the {rule} rule: {away} is away and the customer wrote.\n")
        }
    };
    let draft = Draft::with_body(
        Event::Assign {
            to: Some(agent.clone()),
        },
        note,
    )
    .by(SYSTEM_HANDLE);
    Ok(Some(Assignment { agent, draft }))
}
