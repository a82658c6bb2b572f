//! `tix escalate`: a ticket to the next group (first level, second
//! level, …), with an internal note saying why, and an agent of that group
//! chosen by the assignment rule.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::mail::say_delivered;
use crate::ui::output::{print, warn};
use tix_core::domain::Config;
use tix_core::domain::TicketId;
use tix_core::error::{Error, Result};
use tix_core::mail::respond::{self, CustomerReply};
use tix_core::mail::template::Template;
use tix_core::ops::escalate::{EscalateTo, EscalatedBy, NoTarget, escalate, target_named};
use tix_core::ops::{self, Actor};
use tix_core::store::Store;

use super::prelude::{BodyArgs, Ctx, report_rules};

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
    let team = ops::team::team_state(&store, ops::now()?)?;
    let mut chosen = (String::new(), None);
    let outcome = ops::append(&store, &actor, id, "escalate", |ticket| {
        // A missing group or a lock answers before a mistyped `--to`.
        ops::escalate::refuse(config, ticket)?;
        let to = match args.to.as_deref() {
            Some(name) => target(config, name)?,
            None => EscalateTo::Next,
        };
        let e = escalate(config, &team, ticket, to, EscalatedBy::Agent { note: &why })?;
        chosen = (e.group, e.agent);
        Ok(e.drafts)
    })?;
    let Some(outcome) = outcome else {
        return Ok(());
    };
    for w in &outcome.warnings {
        warn(w);
    }
    report_rules(&store, &outcome);
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

/// The target `--to NAME` names.
fn target<'c>(config: &'c Config, name: &str) -> Result<EscalateTo<'c>> {
    target_named(config, name).map_err(|e| match e {
        NoTarget::Unknown => Error::not_found(format!(
            "--to {name}: neither a group ({}) nor an agent",
            config
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        NoTarget::AgentInNoGroup { handle } => Error::invalid(format!(
            "--to {name}: {handle} is in no group; escalation goes to a group"
        )),
    })
}
