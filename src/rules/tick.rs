//! One pass of the time rules.

use serde::Serialize;

use crate::domain::SlaAction;
use crate::domain::assign::{Rule, choose};
use crate::domain::sla::Standing;
use crate::domain::{Event, Status, Ticket, TicketId, Timestamp};
use crate::error::Result;
use crate::mail::respond::{self, CustomerReply};
use crate::ops::{self, Actor, Draft};
use crate::store::Store;

use super::sla;

/// One thing `tick` did (or, in a dry run, would do).
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    pub ticket: TicketId,
    pub action: String,
    /// The rule, as in the trail.
    pub why: String,
}

/// Applies the time rules as of `now`.
pub fn tick(store: &Store, now: Timestamp, dry_run: bool) -> Result<Vec<Action>> {
    let config = store.config();
    let actor = respond::system_actor(store);
    let mut team = ops::team::team_state(store, now)?;
    let index = store.index()?;
    let mut tickets: Vec<&Ticket> = index.tickets().map(|t| &t.ticket).collect();
    tickets.sort_by_key(|t| t.id);
    let mut actions = Vec::new();
    for ticket in tickets {
        let id = ticket.id;
        if ticket.locked.is_some() {
            continue;
        }
        // Woken at the end of a snooze.
        if ticket.snoozed_until.is_some_and(|u| u <= now) {
            let why = "the snooze ended".to_string();
            if !dry_run {
                apply(store, &actor, id, "wake", |t| {
                    Ok(if t.snoozed_until.is_some_and(|u| u <= now) {
                        vec![Draft::with_body(
                            Event::Snooze { until: None },
                            format!("Woken: {why}.\n"),
                        )]
                    } else {
                        Vec::new()
                    })
                })?;
            }
            actions.push(Action {
                ticket: id,
                action: "woke".into(),
                why,
            });
        }
        // Waiting for an agent with room.
        if config.assignment.rule != Rule::None
            && ticket.is_open()
            && ticket.assignee.is_none()
            && let Some(agent) = ops::team::choose_agent(config, &team)?
        {
            let why = format!("the {} rule", config.assignment.rule.as_str());
            if !dry_run {
                apply(store, &actor, id, "assign", |t| {
                    Ok(if t.assignee.is_none() && t.is_open() {
                        vec![Draft::with_body(
                            Event::Assign {
                                to: Some(agent.clone()),
                            },
                            format!("Assigned by {why} (the ticket was waiting for room).\n"),
                        )]
                    } else {
                        Vec::new()
                    })
                })?;
            }
            team.record(&agent, ticket.created_at.unwrap_or(now));
            actions.push(Action {
                ticket: id,
                action: format!("assigned to {agent}"),
                why: format!("the {} rule", config.assignment.rule.as_str()),
            });
        }
        let Some(rule) = &config.auto_close else {
            continue;
        };
        let days = |n: u32| i64::from(n) * 86_400;
        let pending_for = |t: &Ticket| {
            t.status == Status::Pending
                && t.status_since
                    .is_some_and(|s| s.seconds_until(now) >= days(rule.pending_days))
        };
        if pending_for(ticket) {
            let why = format!("pending on the customer for {} days", rule.pending_days);
            if !dry_run {
                close_pending(
                    store,
                    &actor,
                    id,
                    rule.message.as_deref(),
                    &why,
                    pending_for,
                )?;
            }
            actions.push(Action {
                ticket: id,
                action: "closed".into(),
                why,
            });
        } else if let Some(lock_days) = rule.lock_after_days {
            let due = |t: &Ticket| {
                t.status == Status::Closed
                    && t.locked.is_none()
                    && t.closed_at
                        .is_some_and(|c| c.seconds_until(now) >= days(lock_days))
            };
            if due(ticket) {
                let why = format!("closed for {lock_days} days");
                if !dry_run {
                    apply(store, &actor, id, "lock", |t| {
                        Ok(if due(t) {
                            vec![Draft::with_body(
                                Event::Lock {},
                                format!("Locked by auto_close: {why}.\n"),
                            )]
                        } else {
                            Vec::new()
                        })
                    })?;
                }
                actions.push(Action {
                    ticket: id,
                    action: "locked".into(),
                    why,
                });
            }
        }
    }
    // Clocks as the index had them before this pass: each action is
    // decided again under the lock from the ticket's current state.
    let clocks = sla::clocks_in(config, &index, now)?;
    // The process ends soon; freeing the index is wasted time.
    std::mem::forget(index);
    actions.extend(sla_actions(store, &actor, &team, clocks, now, dry_run)?);
    Ok(actions)
}

/// Acts once on each SLA clock that passed its warning threshold or its
/// deadline, as `sla.on_warning` / `sla.on_breach` say; an `sla` entry
/// records it, so the next tick does not act again.
fn sla_actions(
    store: &Store,
    actor: &Actor,
    team: &crate::domain::assign::TeamState,
    clocks: Vec<sla::SlaClock>,
    now: Timestamp,
    dry_run: bool,
) -> Result<Vec<Action>> {
    let config = store.config();
    if config.sla.on_warning.is_empty() && config.sla.on_breach.is_empty() {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    let mut notify = Vec::new();
    for clock in clocks {
        let (standing, rules) = match clock.standing() {
            Standing::Breached => ("breached", &config.sla.on_breach),
            Standing::Warning => ("warning", &config.sla.on_warning),
            Standing::OnTime => continue,
        };
        if rules.is_empty() {
            continue;
        }
        let target = clock.target.as_str();
        let mark = format!("{target}:{standing}");
        let why = format!(
            "the {target} target is {} (due {})",
            if standing == "breached" {
                "breached"
            } else {
                "at risk"
            },
            // Kept in the trail: UTC, marked, whoever's zone ran the tick.
            clock.state.due_at.to_short_utc()
        );
        let mut did = Vec::new();
        let mut wrote = dry_run;
        if !dry_run {
            let outcome = ops::append(store, actor, clock.ticket, "sla", |t| {
                if t.sla_marks.contains(&mark) || !t.is_open() {
                    return Ok(Vec::new());
                }
                let mut drafts = Vec::new();
                for rule in rules {
                    match rule {
                        SlaAction::Notify => did.push("agents notified".to_string()),
                        SlaAction::Priority(p) if *p > t.priority => {
                            drafts.push(Draft::with_body(
                                Event::Priority { to: *p },
                                format!("Raised by the SLA rule: {why}.\n"),
                            ));
                            did.push(format!("priority {p}"));
                        }
                        SlaAction::Priority(_) => {}
                        SlaAction::Assign(a) if t.assignee.as_ref() != Some(a) => {
                            drafts.push(Draft::with_body(
                                Event::Assign {
                                    to: Some(a.clone()),
                                },
                                format!("Re-assigned by the SLA rule: {why}.\n"),
                            ));
                            did.push(format!("assigned to {a}"));
                        }
                        SlaAction::Assign(_) => {}
                        SlaAction::Escalate(group) => {
                            drafts.push(Draft::with_body(
                                Event::Escalate { to: group.clone() },
                                format!("Escalated by the SLA rule: {why}.\n"),
                            ));
                            let members = config
                                .groups
                                .iter()
                                .find(|g| &g.name == group)
                                .map(|g| g.agents.clone())
                                .unwrap_or_default();
                            let rule = match config.assignment.rule {
                                Rule::None => Rule::RoundRobin,
                                r => r,
                            };
                            let agent =
                                choose(rule, &members, config.assignment.max_active, team, 0);
                            if agent.is_some() && agent != t.assignee {
                                drafts.push(Draft::with_body(
                                    Event::Assign { to: agent.clone() },
                                    format!("Assigned on escalation to {group}.\n"),
                                ));
                            }
                            did.push(format!("escalated to {group}"));
                        }
                    }
                }
                let mut all = vec![Draft::with_body(
                    Event::Sla {
                        target: target.to_string(),
                        standing: standing.to_string(),
                    },
                    format!(
                        "SLA: {why}.{}\n",
                        if did.is_empty() {
                            String::new()
                        } else {
                            format!(" Done: {}.", did.join(", "))
                        }
                    ),
                )];
                all.extend(drafts);
                Ok(all)
            })?;
            wrote = outcome.is_some();
        } else {
            did.extend(rules.iter().map(|r| format!("{r:?}").to_lowercase()));
        }
        if !wrote {
            continue;
        }
        if rules.contains(&SlaAction::Notify) && !dry_run {
            notify.push(clock.ticket);
        }
        done.push(Action {
            ticket: clock.ticket,
            action: format!("SLA {target} {standing}: {}", did.join(", ")),
            why,
        });
    }
    if !notify.is_empty() {
        respond::notify_tickets(store, &notify, now)?;
    }
    Ok(done)
}

fn apply(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    plan: impl FnOnce(&Ticket) -> Result<Vec<Draft>>,
) -> Result<()> {
    ops::append(store, actor, id, verb, plan).map(drop)
}

/// Closes a ticket left pending, with the configured message as a public
/// reply (e-mailed when sending is configured).
fn close_pending(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    message: Option<&str>,
    why: &str,
    still_due: impl Fn(&Ticket) -> bool,
) -> Result<()> {
    let sending = message.is_some() && store.config().mail.outgoing.is_some();
    let mailer = CustomerReply::prepare(store, sending)?;
    let mut composed = None;
    let outcome = ops::append(store, actor, id, "auto-close", |ticket| {
        if !still_due(ticket) {
            return Ok(Vec::new());
        }
        let mut drafts = Vec::new();
        if let Some(text) = message {
            let (reply, mail) =
                mailer.draft(store, ticket, actor, (&format!("{text}\n"), &[]), true)?;
            composed = mail;
            drafts.push(reply);
        }
        drafts.push(Draft::with_body(
            Event::Close {},
            format!("Closed by auto_close: {why}.\n"),
        ));
        Ok(drafts)
    })?;
    if let (Some(outcome), Some(composed)) = (outcome, composed) {
        // A failed send leaves the reply in the outbox; the close stands.
        let _ = mailer.deliver(store, actor, id, &outcome.files[0], &composed)?;
    }
    Ok(())
}
