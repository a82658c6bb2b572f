//! Escalation: a ticket to the next group (first level, second level, …),
//! with an entry saying why and an agent of that group chosen by the
//! assignment rule. `tix escalate` and the SLA rules of `tix tick` both
//! plan it here.

use crate::domain::assign::{self, Rule, TeamState};
use crate::domain::{Config, Event, Ticket};
use crate::error::{Error, Remedy, Result};

use super::{Draft, refuse_if_locked};

/// Where a ticket escalates to.
#[derive(Clone, Copy, Debug)]
pub enum EscalateTo<'a> {
    /// The group after the one the ticket is with now.
    Next,
    /// A group of the config.
    Group(&'a str),
    /// An agent, in their group.
    Agent { group: &'a str, handle: &'a str },
}

/// Why a name is no target of escalation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoTarget {
    /// Neither a group nor an agent.
    Unknown,
    /// An agent of no group.
    AgentInNoGroup { handle: String },
}

/// What a name stands for as a target: a group, else an agent in the
/// first group that lists them.
pub fn target_named<'c>(
    config: &'c Config,
    name: &str,
) -> std::result::Result<EscalateTo<'c>, NoTarget> {
    if let Some(g) = config.groups.iter().find(|g| g.name == name) {
        return Ok(EscalateTo::Group(&g.name));
    }
    let agent = config.agent(name).ok_or(NoTarget::Unknown)?;
    let group = config
        .groups
        .iter()
        .find(|g| g.agents.contains(&agent.handle))
        .ok_or_else(|| NoTarget::AgentInNoGroup {
            handle: agent.handle.clone(),
        })?;
    Ok(EscalateTo::Agent {
        group: &group.name,
        handle: &agent.handle,
    })
}

/// Refuses what no target can change: a config without groups, a
/// locked ticket. [`escalate`] checks it first; a caller that resolves a
/// target of its own checks it before, so these answer first.
pub fn refuse(config: &Config, ticket: &Ticket) -> Result<()> {
    if config.groups.is_empty() {
        return Err(Error::invalid(
            "no groups in .tix/config.yaml: escalation moves a ticket to the next group",
        )
        .with_hint("declare groups (first level first), see docs/rules.md"));
    }
    refuse_if_locked(ticket)
}

/// Who escalates: it decides the escalation entry's text and what
/// happens when nobody in the group has room.
#[derive(Clone, Copy, Debug)]
pub enum EscalatedBy<'a> {
    /// An agent, whose note for the next agent is the entry's text. With
    /// nobody available the ticket waits in the group, unassigned.
    Agent { note: &'a str },
    /// An SLA rule, for this reason. With nobody available the ticket
    /// stays with whoever has it: a rule does not take a ticket from an
    /// agent to leave it with nobody.
    SlaRule { why: &'a str },
}

/// A planned escalation.
#[derive(Debug)]
pub struct Escalation {
    pub group: String,
    /// The agent chosen (or named); None when nobody is available.
    pub agent: Option<String>,
    /// The `escalate` entry, then an `assign` one when the assignee
    /// changes.
    pub drafts: Vec<Draft>,
}

impl Escalation {
    /// The agent the planned entries assign the ticket to, if they do.
    pub fn assigned_to(&self) -> Option<&str> {
        self.drafts.iter().find_map(|d| match &d.event {
            Event::Assign { to: Some(agent) } => Some(agent.as_str()),
            _ => None,
        })
    }
}

/// Plans escalating `ticket` as it is now, against the team's loads and
/// absences in `team`.
pub fn escalate(
    config: &Config,
    team: &TeamState,
    ticket: &Ticket,
    to: EscalateTo<'_>,
    by: EscalatedBy<'_>,
) -> Result<Escalation> {
    refuse(config, ticket)?;
    let (group, named) = match to {
        EscalateTo::Next => (next_group(config, ticket)?, None),
        EscalateTo::Group(group) => (group.to_string(), None),
        EscalateTo::Agent { group, handle } => (group.to_string(), Some(handle.to_string())),
    };
    let members = config
        .groups
        .iter()
        .find(|g| g.name == group)
        .map(|g| g.agents.clone())
        .unwrap_or_default();
    // Without a rule, escalation still needs someone: round-robin.
    let rule = match config.assignment.rule {
        Rule::None => Rule::RoundRobin,
        r => r,
    };
    let agent =
        named.or_else(|| assign::choose(rule, &members, config.assignment.max_active, team, 0));
    let text = match by {
        EscalatedBy::Agent { note } => note.to_string(),
        EscalatedBy::SlaRule { why } => format!("Escalated by the SLA rule: {why}.\n"),
    };
    let mut drafts = vec![Draft::with_body(
        Event::Escalate { to: group.clone() },
        text,
    )];
    let unassign = matches!(by, EscalatedBy::Agent { .. });
    if agent != ticket.assignee && (agent.is_some() || unassign) {
        let note = match &agent {
            Some(_) => format!("Assigned on escalation to {group}.\n"),
            None => format!("Waits for the {group} group: nobody there is available.\n"),
        };
        drafts.push(Draft::with_body(Event::Assign { to: agent.clone() }, note));
    }
    Ok(Escalation {
        group,
        agent,
        drafts,
    })
}

/// The group after the ticket's current one.
fn next_group(config: &Config, ticket: &Ticket) -> Result<String> {
    // Where the ticket is now: where it was escalated to, else the group
    // of its agent, else the group new tickets go to.
    let current = ticket
        .group
        .clone()
        .or_else(|| {
            let a = ticket.assignee.as_ref()?;
            config
                .groups
                .iter()
                .find(|g| g.agents.contains(a))
                .map(|g| g.name.clone())
        })
        .or_else(|| config.assignment.group.clone())
        .unwrap_or_else(|| config.groups[0].name.clone());
    let at = config
        .groups
        .iter()
        .position(|g| g.name == current)
        .unwrap_or(0);
    match config.groups.get(at + 1) {
        Some(next) => Ok(next.name.clone()),
        None => Err(Error::invalid(format!(
            "ticket {} is already with the last group ({current})",
            ticket.id
        ))
        .with_remedy(Remedy::NameGroup)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fold;

    fn config() -> Config {
        Config::parse(
            "format: 1
agents:
- {handle: alice, email: alice@example.com}
- {handle: bob, email: bob@example.com}
- {handle: carol, email: carol@example.com}
groups:
- {name: first, agents: [alice, bob]}
- {name: second, agents: [carol]}
",
        )
        .unwrap()
    }

    fn ticket_of(assignee: Option<&str>) -> Ticket {
        let (mut t, _) = fold("0000000A".parse().unwrap(), Vec::new());
        t.assignee = assignee.map(str::to_string);
        t
    }

    fn carol_away() -> TeamState {
        let mut team = TeamState::default();
        team.away.insert("carol".into(), None);
        team
    }

    fn texts(e: &Escalation) -> Vec<(String, String)> {
        e.drafts
            .iter()
            .map(|d| (d.event.kind().to_string(), d.body.clone()))
            .collect()
    }

    #[test]
    fn an_agent_escalates_to_the_next_group_with_their_note() {
        let e = escalate(
            &config(),
            &TeamState::default(),
            &ticket_of(Some("bob")),
            EscalateTo::Next,
            EscalatedBy::Agent {
                note: "Needs root.\n",
            },
        )
        .unwrap();
        assert_eq!(
            (e.group.as_str(), e.agent.as_deref()),
            ("second", Some("carol"))
        );
        assert_eq!(
            texts(&e),
            [
                ("escalate".to_string(), "Needs root.\n".to_string()),
                (
                    "assign".to_string(),
                    "Assigned on escalation to second.\n".to_string()
                )
            ]
        );
    }

    #[test]
    fn with_nobody_free_an_agent_leaves_the_ticket_waiting_but_a_rule_leaves_it_assigned() {
        let by_agent = escalate(
            &config(),
            &carol_away(),
            &ticket_of(Some("bob")),
            EscalateTo::Group("second"),
            EscalatedBy::Agent { note: "Why.\n" },
        )
        .unwrap();
        assert_eq!(by_agent.agent, None);
        assert_eq!(
            texts(&by_agent)[1],
            (
                "assign".to_string(),
                "Waits for the second group: nobody there is available.\n".to_string()
            )
        );
        let by_rule = escalate(
            &config(),
            &carol_away(),
            &ticket_of(Some("bob")),
            EscalateTo::Group("second"),
            EscalatedBy::SlaRule {
                why: "the resolution target is breached",
            },
        )
        .unwrap();
        assert_eq!(
            texts(&by_rule),
            [(
                "escalate".to_string(),
                "Escalated by the SLA rule: the resolution target is breached.\n".to_string()
            )]
        );
    }

    #[test]
    fn a_named_agent_takes_the_ticket_to_their_group() {
        let config = config();
        let to = target_named(&config, "carol").unwrap();
        let e = escalate(
            &config,
            &TeamState::default(),
            &ticket_of(None),
            to,
            EscalatedBy::Agent { note: "x\n" },
        )
        .unwrap();
        assert_eq!(
            (e.group.as_str(), e.agent.as_deref()),
            ("second", Some("carol"))
        );
    }

    #[test]
    fn the_last_group_and_unknown_names_are_refused() {
        let last = escalate(
            &config(),
            &TeamState::default(),
            &ticket_of(Some("carol")),
            EscalateTo::Next,
            EscalatedBy::Agent { note: "x\n" },
        )
        .unwrap_err();
        assert!(
            last.message()
                .contains("already with the last group (second)"),
            "{}",
            last.message()
        );
        assert_eq!(last.remedy(), Some(&Remedy::NameGroup));
        let config = config();
        assert_eq!(
            target_named(&config, "dave").unwrap_err(),
            NoTarget::Unknown
        );
    }
}
