//! What a firing rule writes: each action as an entry by `tix` naming the
//! rule, planned against the ticket as the batch holds it. Mail a rule
//! asks for (a notification, a reply template) is not sent here: it is
//! handed back as a [`RuleMail`] for the mail layer to send and record
//! once the commit is made.

use crate::domain::assign::TeamState;
use crate::domain::automation::{Action, Recipient, Rule, Trigger};
use crate::domain::task::Due;
use crate::domain::{Config, Event, Ticket, TicketId, Timestamp};
use crate::error::Result;

use super::escalate::{EscalateTo, EscalatedBy};
use super::{Draft, SYSTEM_HANDLE};

/// Mail a rule asked for, sent after the commit.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleMail {
    pub ticket: TicketId,
    pub rule: String,
    pub kind: RuleMailKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RuleMailKind {
    Notify {
        to: Vec<Recipient>,
        template: Option<String>,
    },
    /// A template to the customer.
    Reply { template: String },
}

/// What one rule does to one ticket.
#[derive(Debug, Default)]
pub struct Firing {
    pub drafts: Vec<Draft>,
    pub mail: Vec<RuleMail>,
    /// Actions that could not be done, and why (a group nobody is in).
    pub skipped: Vec<String>,
}

/// A one-line account of an action, as `tix rules` and the trail show it.
pub fn describe_action(action: &Action) -> String {
    match action {
        Action::Tag(t) => format!("tag {}", t.join(", ")),
        Action::Untag(t) => format!("untag {}", t.join(", ")),
        Action::Priority(p) => format!("priority {p}"),
        Action::Status(s) => format!("status {s}"),
        Action::Group(g) => format!("group {g}"),
        Action::Assign(Some(a)) => format!("assign {a}"),
        Action::Assign(None) => "assign by the group's rule".into(),
        Action::Unassign => "unassign".into(),
        Action::Field(n, v) => format!("field {n}={v}"),
        Action::Notify { to, template } => format!(
            "notify {}{}",
            to.iter().map(recipient_name).collect::<Vec<_>>().join(", "),
            template
                .as_ref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default()
        ),
        Action::ReplyTemplate(t) => format!("reply with template {t}"),
        Action::Escalate(Some(g)) => format!("escalate to {g}"),
        Action::Escalate(None) => "escalate".into(),
        Action::Snooze(s) => format!("snooze {}s", s),
        Action::Task { text, to, .. } => format!(
            "task \"{text}\"{}",
            to.as_ref().map(|t| format!(" for {t}")).unwrap_or_default()
        ),
        Action::Link(rel, id) => format!("link {rel} {id}"),
        Action::Stop => "stop".into(),
    }
}

pub fn recipient_name(r: &Recipient) -> String {
    match r {
        Recipient::Agent(a) => a.clone(),
        Recipient::Assignee => "assignee".into(),
        Recipient::Group(None) => "group".into(),
        Recipient::Group(Some(g)) => format!("group:{g}"),
        Recipient::Address(a) => a.clone(),
    }
}

/// The entries and mail of `rule` firing on `ticket` for `trigger` at
/// `now`. `team` is read only when an action chooses an agent.
pub fn plan(
    config: &Config,
    team: &mut dyn FnMut() -> Result<TeamState>,
    ticket: &Ticket,
    rule: &Rule,
    trigger: Trigger,
    now: Timestamp,
) -> Result<Firing> {
    let mut out = Firing::default();
    let why = format!("Rule `{}` (on {trigger})", rule.name);
    let mut state = ticket.clone();
    for action in &rule.actions {
        let drafts = match action {
            Action::Stop => Vec::new(),
            Action::Tag(tags) => {
                let add: Vec<String> = tags
                    .iter()
                    .filter(|t| !state.tags.iter().any(|h| crate::domain::same_tag(h, t)))
                    .cloned()
                    .collect();
                if add.is_empty() {
                    Vec::new()
                } else {
                    vec![Draft::new(Event::Tags {
                        add,
                        remove: Vec::new(),
                    })]
                }
            }
            Action::Untag(tags) => {
                let remove: Vec<String> = tags
                    .iter()
                    .filter(|t| state.tags.iter().any(|h| crate::domain::same_tag(h, t)))
                    .cloned()
                    .collect();
                if remove.is_empty() {
                    Vec::new()
                } else {
                    vec![Draft::new(Event::Tags {
                        add: Vec::new(),
                        remove,
                    })]
                }
            }
            Action::Priority(p) if *p != state.priority => {
                vec![Draft::new(Event::Priority { to: *p })]
            }
            Action::Status(s) if *s != state.status => {
                vec![Draft::new(if *s == crate::domain::Status::Closed {
                    Event::Close {}
                } else {
                    Event::Status {
                        to: *s,
                        from: Some(state.status),
                    }
                })]
            }
            Action::Group(g) if state.group.as_deref() != Some(g) => {
                vec![Draft::new(Event::Escalate { to: g.clone() })]
            }
            Action::Assign(Some(agent)) if config.agent(agent).is_some_and(|a| a.inactive) => {
                out.skipped.push(format!("assign: {agent} is deactivated"));
                Vec::new()
            }
            Action::Assign(Some(agent)) if state.assignee.as_deref() != Some(agent) => {
                vec![Draft::new(Event::Assign {
                    to: Some(agent.clone()),
                })]
            }
            Action::Assign(None) => {
                let team = team()?;
                let chosen = match &state.group {
                    Some(group) => super::escalate::escalate(
                        config,
                        &team,
                        &state,
                        EscalateTo::Group(group),
                        EscalatedBy::SlaRule { why: &why },
                    )
                    .ok()
                    .and_then(|e| e.assigned_to().map(str::to_string)),
                    None => super::assign::assign(
                        config,
                        &team,
                        None,
                        super::assign::Occasion::NewTicket,
                    )?
                    .map(|a| a.agent),
                };
                match chosen {
                    Some(agent) if state.assignee.as_deref() != Some(agent.as_str()) => {
                        vec![Draft::new(Event::Assign { to: Some(agent) })]
                    }
                    Some(_) => Vec::new(),
                    None => {
                        out.skipped
                            .push("assign: no agent of the group is available".into());
                        Vec::new()
                    }
                }
            }
            Action::Unassign if state.assignee.is_some() => {
                vec![Draft::new(Event::Assign { to: None })]
            }
            Action::Field(name, value) if state.fields.get(name) != Some(value) => {
                vec![Draft::new(Event::Field {
                    name: name.clone(),
                    value: Some(value.clone()),
                })]
            }
            Action::Notify { to, template } => {
                out.mail.push(RuleMail {
                    ticket: ticket.id,
                    rule: rule.name.clone(),
                    kind: RuleMailKind::Notify {
                        to: to.clone(),
                        template: template.clone(),
                    },
                });
                Vec::new()
            }
            Action::ReplyTemplate(template) => {
                out.mail.push(RuleMail {
                    ticket: ticket.id,
                    rule: rule.name.clone(),
                    kind: RuleMailKind::Reply {
                        template: template.clone(),
                    },
                });
                Vec::new()
            }
            Action::Escalate(group) => {
                if config.groups.is_empty() {
                    out.skipped
                        .push("escalate: no groups in .tix/config.yaml".into());
                    Vec::new()
                } else {
                    let to = match group {
                        Some(g) => EscalateTo::Group(g),
                        None => EscalateTo::Next,
                    };
                    match super::escalate::escalate(
                        config,
                        &team()?,
                        &state,
                        to,
                        EscalatedBy::SlaRule { why: &why },
                    ) {
                        Ok(e) => e.drafts,
                        Err(e) => {
                            out.skipped.push(format!("escalate: {}", e.message()));
                            Vec::new()
                        }
                    }
                }
            }
            Action::Snooze(secs) => vec![Draft::new(Event::Snooze {
                until: Some(now.plus_seconds(*secs)),
            })],
            Action::Task { text, to, due } => {
                let new = super::tasks::NewTask {
                    text: text.clone(),
                    to: to.clone(),
                    due: due.clone().map(Due::After),
                    from: None,
                };
                vec![super::tasks::plan_add(config, &new, now)?]
            }
            Action::Link(rel, target) => {
                let link = crate::domain::Link {
                    rel: *rel,
                    target: *target,
                };
                if *target == ticket.id || state.links.contains(&link) {
                    Vec::new()
                } else {
                    vec![Draft::new(Event::Link {
                        rel: *rel,
                        target: *target,
                    })]
                }
            }
            _ => Vec::new(),
        };
        for draft in drafts {
            // What the plan has set so far is what later actions compare
            // against (a tag and an untag of the same tag cancel out).
            preview(&mut state, &draft.event, now);
            out.drafts.push(draft);
        }
    }
    let mut written = Vec::with_capacity(out.drafts.len());
    for (n, mut draft) in std::mem::take(&mut out.drafts).into_iter().enumerate() {
        if draft.body.is_empty() && n == 0 {
            draft.body = format!("{why}.");
        }
        draft.author = Some(SYSTEM_HANDLE.to_string());
        draft.rule = Some(rule.name.clone());
        written.push(draft);
    }
    out.drafts = written;
    Ok(out)
}

/// Folds `event` into `t` as the entry it will be, so later actions of
/// one rule compare against what the earlier ones set.
fn preview(t: &mut Ticket, event: &Event, now: Timestamp) {
    let entry = crate::domain::StoredEntry {
        file: String::new(),
        entry: crate::domain::Entry {
            at: now,
            seq: t.next_seq(),
            author: SYSTEM_HANDLE.to_string(),
            by: None,
            rule: None,
            event: event.clone(),
            body: String::new(),
        },
    };
    crate::domain::ticket::apply_appended(t, &entry);
}
