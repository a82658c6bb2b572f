//! `tix escalate`: a ticket to the next group (first level, second
//! level, …), with an internal note saying why, and an agent of that group
//! chosen by the assignment rule.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::mail::say_delivered;
use crate::ui::output::{print, warn};
use tix_core::domain::assign::{self, Rule};
use tix_core::domain::{Config, Event, Ticket, TicketId};
use tix_core::error::{Error, Result};
use tix_core::mail::respond::{self, CustomerReply};
use tix_core::mail::template::Template;
use tix_core::ops::{self, Actor, Draft};
use tix_core::store::Store;

use super::prelude::{BodyArgs, Ctx};

#[derive(Args, Debug)]
pub struct EscalateArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// A group, or an agent; default: the group after the ticket's current one
    #[arg(long, value_name = "GROUP|AGENT", add = ArgValueCompleter::new(complete::groups_and_agents))]
    pub to: Option<String>,
    /// Why (an internal note for the next agent)
    #[command(flatten)]
    pub body: BodyArgs,
}

pub fn cmd_escalate(ctx: &Ctx, args: EscalateArgs) -> Result<()> {
    let why = args.body.required("escalation note")?;
    let (store, actor, id) = ctx.target(&args.id)?;
    let config = store.config();
    if config.groups.is_empty() {
        return Err(Error::invalid(
            "no groups in .tix/config.yaml: escalation moves a ticket to the next group",
        )
        .with_hint("declare groups (first level first), see docs/rules.md"));
    }
    let state = ops::team::team_state(&store, ops::now()?)?;
    let mut chosen = (String::new(), None);
    let outcome = ops::append(&store, &actor, id, "escalate", |ticket| {
        ops::refuse_if_locked(ticket)?;
        let (group, explicit) = target(config, ticket, args.to.as_deref())?;
        let members = &config
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
        let agent = explicit
            .or_else(|| assign::choose(rule, members, config.assignment.max_active, &state, 0));
        let mut drafts = vec![Draft::with_body(
            Event::Escalate { to: group.clone() },
            why.clone(),
        )];
        if agent != ticket.assignee {
            let note = match &agent {
                Some(_) => format!("Assigned on escalation to {group}.\n"),
                None => format!("Waits for the {group} group: nobody there is available.\n"),
            };
            drafts.push(Draft::with_body(Event::Assign { to: agent.clone() }, note));
        }
        chosen = (group, agent);
        Ok(drafts)
    })?;
    let Some(outcome) = outcome else {
        return Ok(());
    };
    for w in &outcome.warnings {
        warn(w);
    }
    let (group, agent) = chosen;
    print(&format!(
        "{id} escalated to {group}, {}\n",
        match agent {
            Some(a) => format!("assigned to {a}"),
            None => "unassigned (nobody available)".into(),
        }
    ))?;
    match &config.escalation_message {
        Some(text) => tell_customer(&store, &actor, id, text),
        None => Ok(()),
    }
}

/// The configured escalation message, as a public reply by the acting
/// agent, e-mailed when sending is configured.
fn tell_customer(store: &Store, actor: &Actor, id: TicketId, text: &str) -> Result<()> {
    let message =
        Template::parse(text).map_err(|e| Error::invalid(format!("escalation_message: {e}")))?;
    let body = respond::render_for(store, id, actor, &message)?;
    let mailer = CustomerReply::prepare(store, store.config().mail.outgoing.is_some())?;
    let mut composed = None;
    let outcome = ops::append(store, actor, id, "reply", |ticket| {
        let (reply, message) = mailer.draft(store, ticket, actor, (&body, &[]), false)?;
        composed = message;
        Ok(vec![reply])
    })?;
    match (outcome, composed) {
        (Some(outcome), Some(composed)) => {
            let sent = mailer.deliver(store, actor, id, &outcome.files[0], &composed)?;
            say_delivered(
                id,
                &composed.outgoing.recipients(),
                &mailer.describe(),
                sent,
            )
        }
        _ => print(&format!(
            "{id}: the customer was told (recorded, not e-mailed)\n"
        )),
    }
}

/// The group (and agent, when one was named) a ticket escalates to.
fn target(config: &Config, ticket: &Ticket, to: Option<&str>) -> Result<(String, Option<String>)> {
    if let Some(to) = to {
        if config.groups.iter().any(|g| g.name == to) {
            return Ok((to.to_string(), None));
        }
        let agent = config.agent(to).ok_or_else(|| {
            Error::not_found(format!(
                "--to {to}: neither a group ({}) nor an agent",
                config
                    .groups
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let group = config
            .groups
            .iter()
            .find(|g| g.agents.contains(&agent.handle))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "--to {to}: {} is in no group; escalation goes to a group",
                    agent.handle
                ))
            })?;
        return Ok((group.name.clone(), Some(agent.handle.clone())));
    }
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
        Some(next) => Ok((next.name.clone(), None)),
        None => Err(Error::invalid(format!(
            "ticket {} is already with the last group ({current}); name one with --to",
            ticket.id
        ))),
    }
}
