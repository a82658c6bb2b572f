//! One pass of the time rules.

use serde::Serialize;

use crate::domain::automation::{Situation, Trigger, may_fire_idle};
use crate::domain::csat;
use crate::domain::sla::Standing;
use crate::domain::{Config, SlaAction};
use crate::domain::{Event, Status, Ticket, TicketId, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::mail::compose::Composed;
use crate::mail::respond::{self, AgentMail, CustomerReply, Delivery, TaskNotice};
use crate::mail::{rule_mail, survey, template};
use crate::ops::escalate::{EscalateTo, EscalatedBy, escalate};
use crate::ops::{self, Actor, Batch, Draft};
use crate::store::Store;

use super::sla;

/// One thing `tick` did (or, in a dry run, would do), or left undone.
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    pub ticket: TicketId,
    pub action: String,
    /// The rule, as in the trail; for a skipped action, why it was not done.
    pub why: String,
}

/// What one pass did.
#[derive(Debug, Default, Serialize)]
pub struct Ticked {
    pub actions: Vec<Action>,
    /// Actions a rule called for that a ticket refused (a field required
    /// at close has no value, say): nothing was written for them.
    pub skipped: Vec<Action>,
    /// Mail recorded but not delivered (left in the outbox), with the error.
    pub failed: Vec<String>,
    /// What did not stop the pass: rules that could not act, hooks that
    /// failed, mail a rule asked for that was not sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A message recorded in the batch, to send once it is committed.
struct Outgoing {
    ticket: TicketId,
    entry: String,
    composed: Composed,
    to_customer: bool,
}

/// Applies the time rules as of `now`, all of them as one commit (and one
/// more recording deliveries when mail was sent). Every action is planned
/// under the store lock against the ticket's current state, so a dry run
/// (the same planning, not committed) lists exactly what a real run does.
pub fn tick(store: &Store, now: Timestamp, dry_run: bool) -> Result<Ticked> {
    let config = store.config();
    let actor = respond::system_actor(store);
    let mut batch = Batch::begin(store)?;
    let mut team = ops::team::team_state(store, now)?;
    let index = store.index()?;
    let mut tickets: Vec<&Ticket> = index.tickets().map(|t| &t.ticket).collect();
    tickets.sort_by_key(|t| t.id);
    let mut done = Ticked::default();
    let mut outgoing = Vec::new();
    let auto_close_message = config.auto_close.as_ref().and_then(|r| r.message.clone());
    // Surveys are mail or nothing: without outgoing mail none is recorded.
    let surveying = config.csat.enabled && config.mail.outgoing.is_some();
    let customer_mail = CustomerReply::prepare(
        store,
        (auto_close_message.is_some() || surveying) && config.mail.outgoing.is_some(),
    )?;
    let mut survey_due = Vec::new();
    for ticket in tickets {
        let id = ticket.id;
        if ticket.locked.is_some() {
            continue;
        }
        // Woken at the end of a snooze.
        if ticket.snoozed_until.is_some_and(|u| u <= now) {
            let why = "the snooze ended".to_string();
            let planned = batch.append(&actor, id, "wake", |t| {
                Ok(if t.snoozed_until.is_some_and(|u| u <= now) {
                    vec![Draft::with_body(
                        Event::Snooze { until: None },
                        format!("Woken: {why}.\n"),
                    )]
                } else {
                    Vec::new()
                })
            });
            note(&mut done, id, "woke", &why, planned)?;
        }
        // Waiting for an agent with room.
        if ops::assign::is_automatic(config)
            && ticket.is_open()
            && ticket.assignee.is_none()
            && let Some(assignment) = ops::assign::assign(
                config,
                &team,
                ticket.group.as_deref(),
                ops::assign::Occasion::WaitingForRoom,
            )?
        {
            let why = format!("the {} rule", config.assignment.rule.as_str());
            let planned = batch.append(&actor, id, "assign", |t| {
                Ok(if t.assignee.is_none() && t.is_open() {
                    vec![assignment.draft.clone()]
                } else {
                    Vec::new()
                })
            });
            let agent = &assignment.agent;
            if note(
                &mut done,
                id,
                &format!("assigned to {agent}"),
                &why,
                planned,
            )?
            .is_some()
            {
                team.record(agent, now);
            }
        }
        if surveying && survey_not_due(config, ticket, now).is_none() {
            survey_due.push(id);
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
            let mut composed = None;
            let planned = batch.append(&actor, id, "auto-close", |t| {
                if !pending_for(t) {
                    return Ok(Vec::new());
                }
                let mut drafts = Vec::new();
                if let Some(text) = &rule.message {
                    let (reply, mail) =
                        customer_mail.draft(store, t, &actor, (&format!("{text}\n"), &[]), true)?;
                    composed = mail;
                    drafts.push(reply);
                }
                drafts.push(Draft::with_body(
                    Event::Close {},
                    format!("Closed by auto_close: {why}.\n"),
                ));
                Ok(drafts)
            });
            if let Some(files) = note(&mut done, id, "closed", &why, planned)?
                && let Some(composed) = composed
            {
                outgoing.push(Outgoing {
                    ticket: id,
                    entry: files[0].clone(),
                    composed,
                    to_customer: true,
                });
            }
        } else if let Some(lock_days) = rule.lock_after_days {
            let due = |t: &Ticket| {
                t.status == Status::Closed
                    && t.locked.is_none()
                    && t.closed_at
                        .is_some_and(|c| c.seconds_until(now) >= days(lock_days))
            };
            if due(ticket) {
                let why = format!("closed for {lock_days} days");
                let planned = batch.append(&actor, id, "lock", |t| {
                    Ok(if due(t) {
                        vec![Draft::with_body(
                            Event::Lock {},
                            format!("Locked by auto_close: {why}.\n"),
                        )]
                    } else {
                        Vec::new()
                    })
                });
                note(&mut done, id, "locked", &why, planned)?;
            }
        }
    }
    // Clocks as the index had them before this pass: each action is
    // decided again from the ticket's state in the batch.
    let clocks = sla::clocks_in(config, &index, now)?;
    let due_tasks: Vec<(TicketId, String)> = index
        .tickets()
        .map(|t| &t.ticket)
        .filter(|t| t.locked.is_none() && t.merged_into.is_none())
        .flat_map(|t| {
            t.tasks
                .iter()
                .filter(|task| task.needs_reminder(now) && task.assignee.is_some())
                .map(|task| (t.id, task.key.clone()))
        })
        .collect();
    // Only tickets an idle rule may fire on are read in full.
    let hours = config.sla.policy().hours.clone();
    let organisations = config.organisations();
    let idle: Vec<TicketId> = if config.rule_book.waits_for(Trigger::Idle) {
        index
            .tickets()
            .map(|t| &t.ticket)
            .filter(|t| t.locked.is_none() && t.merged_into.is_none())
            .filter(|t| {
                let situation = Situation {
                    trigger: Trigger::Idle,
                    now,
                    text: "",
                    from: None,
                    to: &[],
                    channel: t.channel(),
                    hours: &hours,
                    organisations: &organisations,
                };
                config
                    .rule_book
                    .rules
                    .iter()
                    .any(|r| may_fire_idle(r, t, &situation))
            })
            .map(|t| t.id)
            .collect()
    } else {
        Vec::new()
    };
    // The process ends soon; freeing the index is wasted time.
    std::mem::forget(index);
    sla_actions(
        store,
        &mut batch,
        &actor,
        &mut team,
        clocks,
        &mut done,
        &mut outgoing,
    )?;
    task_reminders(
        store,
        &mut batch,
        &actor,
        due_tasks,
        &mut done,
        &mut outgoing,
    )?;
    surveys(
        store,
        &mut batch,
        &actor,
        survey_due,
        &mut done,
        &mut outgoing,
    )?;
    for id in idle {
        for rule in batch.run_rules(&actor, id, Trigger::Idle)? {
            done.actions.push(Action {
                ticket: id,
                action: format!("rule `{rule}`"),
                why: "idle".into(),
            });
        }
    }
    done.warnings.extend(batch.take_rule_warnings());
    if dry_run {
        return Ok(done);
    }
    let Some(committed) = batch.commit(&actor.author(), "tick")? else {
        return Ok(done);
    };
    done.warnings.extend(committed.warnings);
    deliver(store, &actor, &customer_mail, outgoing, &mut done)?;
    let rule_mail = rule_mail::send_all(store, &committed.rule_mail)?;
    done.failed.extend(rule_mail.failed);
    done.warnings.extend(rule_mail.skipped);
    Ok(done)
}

/// Why `ticket` is not due a survey now (None: it is). Agents and no-reply
/// addresses get none, as they get no acknowledgement.
fn survey_not_due(config: &Config, ticket: &Ticket, now: Timestamp) -> Option<&'static str> {
    csat::not_due(&config.csat, ticket, now, |p| {
        respond::is_no_reply(p) || config.agent(&p.email).is_some()
    })
}

/// Sends the satisfaction survey of each ticket in `due`, once: the
/// `survey` entry, with a token no one can guess, and the note carrying
/// the mail are written in the pass's commit, the mail sent after it
/// like every reply (see [`deliver`]), so no later tick, on this clone or
/// another, sends another; one whose delivery fails waits in the outbox.
fn surveys(
    store: &Store,
    batch: &mut Batch<'_>,
    actor: &Actor,
    due: Vec<TicketId>,
    done: &mut Ticked,
    outgoing: &mut Vec<Outgoing>,
) -> Result<()> {
    if due.is_empty() {
        return Ok(());
    }
    let config = store.config();
    let template = template::load(store, &config.csat.template)?;
    let scale = config.csat.scale;
    let now = batch.now();
    for id in due {
        let (_, trail) = batch.trail(id)?;
        let token = csat::token(id, &crate::store::random_tag(csat::SECRET_LEN)?);
        let mut composed = None;
        let planned = batch.append(actor, id, "survey", |t| {
            if survey_not_due(config, t, now).is_some() {
                return Ok(Vec::new());
            }
            let (drafts, mail) =
                survey::draft(config, t, &trail, actor, &template, &token, scale, now)?;
            composed = Some(mail);
            Ok(drafts)
        });
        let why = format!("closed more than {} ago", config.csat.delay);
        if let Some(files) = note(done, id, "survey sent", &why, planned)?
            && let (Some(composed), Some(entry)) = (composed, files.get(1))
        {
            outgoing.push(Outgoing {
                ticket: id,
                entry: entry.clone(),
                composed,
                to_customer: true,
            });
        }
    }
    Ok(())
}

/// Records the outcome of planning one action: done, skipped (the ticket
/// refused it: invalid or locked), or an error that stops the pass.
/// Returns the files of a planned action.
fn note(
    done: &mut Ticked,
    ticket: TicketId,
    action: &str,
    why: &str,
    planned: Result<Option<Vec<String>>>,
) -> Result<Option<Vec<String>>> {
    match planned {
        Ok(Some(files)) => {
            done.actions.push(Action {
                ticket,
                action: action.to_string(),
                why: why.to_string(),
            });
            Ok(Some(files))
        }
        Ok(None) => Ok(None),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Locked) => {
            done.skipped.push(Action {
                ticket,
                action: format!("not {action}"),
                why: format!("{why}, but {}", e.message()),
            });
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Sends what the committed batch recorded, then records every delivery
/// in one more commit. A failed send leaves the message in the outbox; the
/// actions stand.
fn deliver(
    store: &Store,
    actor: &Actor,
    customer_mail: &CustomerReply,
    outgoing: Vec<Outgoing>,
    done: &mut Ticked,
) -> Result<()> {
    if outgoing.is_empty() {
        return Ok(());
    }
    // Mail sent whose delivery cannot then be recorded would be sent again
    // by `tix outbox retry`; left unsent, it waits in the outbox.
    store.refuse_during_git_operation()?;
    let agent_mail = if outgoing.iter().any(|o| !o.to_customer) {
        AgentMail::prepare(store)?
    } else {
        None
    };
    let mut results = Vec::new();
    for o in outgoing {
        let delivery = if o.to_customer {
            customer_mail.send(&o.composed)
        } else {
            match &agent_mail {
                Some(m) => m.send(&o.composed).into(),
                None => Delivery::NotConfigured,
            }
        };
        if let Delivery::Failed(e) = &delivery {
            done.failed
                .push(format!("mail for ticket {}: {}", o.ticket, e.message()));
        }
        if let Some(draft) = respond::delivery_draft(&o.entry, &delivery) {
            results.push((o.ticket, draft));
        }
    }
    let mut batch = Batch::begin(store)?;
    for (ticket, draft) in results {
        batch.append(actor, ticket, "delivery", |_| Ok(vec![draft]))?;
    }
    batch.commit(&actor.author(), "delivery")?;
    Ok(())
}

/// Acts once on each SLA clock that passed its warning threshold or its
/// deadline, as `sla.on_warning` / `sla.on_breach` say; an `sla` entry
/// records it, so the next tick does not act again.
fn sla_actions(
    store: &Store,
    batch: &mut Batch<'_>,
    actor: &Actor,
    team: &mut crate::domain::assign::TeamState,
    clocks: Vec<sla::SlaClock>,
    done: &mut Ticked,
    outgoing: &mut Vec<Outgoing>,
) -> Result<()> {
    let config = store.config();
    if config.sla.on_warning.is_empty() && config.sla.on_breach.is_empty() {
        return Ok(());
    }
    let agent_mail = if config
        .sla
        .on_warning
        .iter()
        .chain(&config.sla.on_breach)
        .any(|r| *r == SlaAction::Notify)
    {
        AgentMail::prepare(store)?
    } else {
        None
    };
    let now = batch.now();
    for clock in clocks {
        let standing = clock.standing();
        let rules = match standing {
            Standing::Breached => &config.sla.on_breach,
            Standing::Warning => &config.sla.on_warning,
            Standing::OnTime => continue,
        };
        if rules.is_empty() {
            continue;
        }
        let target = clock.target;
        let mark = (target, standing);
        let why = format!(
            "the {target} target is {} (due {})",
            if standing == Standing::Breached {
                "breached"
            } else {
                "at risk"
            },
            // Kept in the trail: UTC, marked, whoever's zone ran the tick.
            clock.state.due_at.to_short_utc()
        );
        let mut did = Vec::new();
        let mut assigned = None;
        let planned = batch.append(actor, clock.ticket, "sla", |t| {
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
                        let escalation = escalate(
                            config,
                            team,
                            t,
                            EscalateTo::Group(group),
                            EscalatedBy::SlaRule { why: &why },
                        )?;
                        assigned = escalation.assigned_to().map(str::to_string);
                        drafts.extend(escalation.drafts);
                        did.push(format!("escalated to {group}"));
                    }
                }
            }
            let mut all = vec![Draft::with_body(
                Event::Sla { target, standing },
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
        });
        let action = format!("SLA {target} {standing}: {}", did.join(", "));
        if note(done, clock.ticket, &action, &why, planned)?.is_none() {
            continue;
        }
        // The next escalation in this pass takes the next turn.
        if let Some(agent) = &assigned {
            team.record(agent, now);
        }
        // The notification shows the ticket as the SLA rule left it, and is
        // recorded in the same commit.
        if rules.contains(&SlaAction::Notify)
            && let Some(mailer) = &agent_mail
        {
            let (ticket, trail) = batch.trail(clock.ticket)?;
            if let Some((draft, composed)) = mailer.draft(config, &ticket, &trail, "", None, now)? {
                let files = batch
                    .append(actor, clock.ticket, "notify", |_| Ok(vec![draft]))?
                    .ok_or_else(|| Error::internal("a notification was not planned"))?;
                outgoing.push(Outgoing {
                    ticket: clock.ticket,
                    entry: files[0].clone(),
                    composed,
                    to_customer: false,
                });
            }
        }
    }
    Ok(())
}

/// Tells the assignee of each task whose deadline passed, once: a
/// `task-reminder` entry records it (in the same commit as the mail's
/// note), so no later tick, on this clone or another, tells them again
/// about that deadline. Without outgoing mail the reminder is recorded
/// all the same, as the SLA rules record what they did.
fn task_reminders(
    store: &Store,
    batch: &mut Batch<'_>,
    actor: &Actor,
    due_tasks: Vec<(TicketId, String)>,
    done: &mut Ticked,
    outgoing: &mut Vec<Outgoing>,
) -> Result<()> {
    if due_tasks.is_empty() {
        return Ok(());
    }
    let config = store.config();
    let agent_mail = AgentMail::prepare(store)?;
    let now = batch.now();
    for (id, key) in due_tasks {
        let mut reminded = None;
        let planned = batch.append(actor, id, "task-reminder", |t| {
            let Some(task) = t.tasks.iter().find(|task| task.key == key) else {
                return Ok(Vec::new());
            };
            let Some(agent) = task
                .assignee
                .as_deref()
                .filter(|_| task.needs_reminder(now))
            else {
                return Ok(Vec::new());
            };
            let due = task.due.map(|d| d.to_short_utc()).unwrap_or_default();
            reminded = Some((task.number, agent.to_string()));
            Ok(vec![Draft::with_body(
                Event::TaskReminder { task: key.clone() },
                format!("Task {} was due {due}: {agent} reminded.\n", task.number),
            )])
        });
        let Some((number, agent)) = reminded else {
            // Done, moved or reassigned since the index was read.
            note(done, id, "task reminder", "a task was due", planned)?;
            continue;
        };
        let why = format!("task {number} is due");
        if note(
            done,
            id,
            &format!("task {number}: {agent} reminded"),
            &why,
            planned,
        )?
        .is_none()
        {
            continue;
        }
        let Some(mailer) = &agent_mail else {
            continue;
        };
        let (ticket, trail) = batch.trail(id)?;
        let Some(task) = ticket.tasks.iter().find(|task| task.key == key) else {
            continue;
        };
        if let Some((draft, composed)) =
            mailer.draft_task(config, &ticket, &trail, task, &TaskNotice::Due, now)?
        {
            let files = batch
                .append(actor, id, "notify", |_| Ok(vec![draft]))?
                .ok_or_else(|| Error::internal("a task reminder was not planned"))?;
            outgoing.push(Outgoing {
                ticket: id,
                entry: files[0].clone(),
                composed,
                to_customer: false,
            });
        }
    }
    Ok(())
}
