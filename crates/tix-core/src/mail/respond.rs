//! Sending what tix wrote, and the mail it writes on its own: the
//! delivery step every outbound message takes (send, then record the
//! outcome as a `delivery` entry), and the auto-responder's
//! acknowledgement of new tickets from e-mail.

use std::collections::BTreeMap;

use crate::domain::{DeliveryStatus, Event, Party, Task, Ticket, TicketId, Timestamp, fold};
use crate::error::{Error, Result};
use crate::ops::{self, Actor, Draft, NewAttachment};
use crate::search::similar;
use crate::store::Store;

use super::compose::{self, Composed, Content, Context, Writer};
use super::send::{self, Transport};
use super::template::{self, Template, Templates};

/// Where an outbound message goes.
pub struct Envelope<'a> {
    pub from: &'a str,
    pub recipients: &'a [String],
}

/// What became of sending a message tix recorded.
#[derive(Debug)]
pub enum Delivery {
    /// No outgoing mail is configured: the message is recorded, not sent.
    NotConfigured,
    Sent,
    /// The transport's error; the message waits in the outbox.
    Failed(Error),
}

impl From<std::result::Result<(), Error>> for Delivery {
    fn from(sent: std::result::Result<(), Error>) -> Delivery {
        match sent {
            Ok(()) => Delivery::Sent,
            Err(e) => Delivery::Failed(e),
        }
    }
}

/// Sends the recorded outbound message `entry` of ticket `id` and records
/// what happened in a `delivery` entry (its own commit): `Sent` or
/// `Failed`, never `NotConfigured`, since the transport is given. The
/// error is a failure to record.
pub fn deliver(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    entry: &str,
    transport: &dyn Transport,
    envelope: &Envelope<'_>,
    bytes: &[u8],
) -> Result<Delivery> {
    let delivery = Delivery::from(transport.send(envelope.from, envelope.recipients, bytes));
    if let Some(recorded) = delivery_draft(entry, &delivery) {
        ops::append(store, actor, id, "delivery", |_| Ok(vec![recorded]))?;
    }
    Ok(delivery)
}

/// The `delivery` entry recording what became of sending `entry`; None
/// when nothing was sent.
pub fn delivery_draft(entry: &str, delivery: &Delivery) -> Option<Draft> {
    let (status, note) = match delivery {
        Delivery::NotConfigured => return None,
        Delivery::Sent => (DeliveryStatus::Sent, String::new()),
        Delivery::Failed(e) => (DeliveryStatus::Failed, format!("{}\n", e.message())),
    };
    Some(Draft::with_body(
        Event::Delivery {
            entry: entry.to_string(),
            status,
        },
        note,
    ))
}

/// The note that records an outbound message tix wrote: its mail block
/// and exact bytes, and `what` followed by its recipients.
pub(super) fn outbound_note(what: &str, composed: &Composed) -> Draft {
    Draft {
        event: Event::Note {
            mail: Some(Box::new(composed.meta.clone())),
        },
        body: format!("{what} {}.\n", composed.outgoing.recipients().join(", ")),
        attachments: Vec::new(),
        original: Some(composed.bytes.clone()),
        author: None,
        mail_text: None,
        rule: None,
    }
}

/// Records `composed` on ticket `id` as a note by `actor` saying `what`
/// (the mail block and its exact bytes go with it), then delivers it.
/// Nothing recorded (the ticket refused the note) is `Ok(None)`; else
/// the delivery is `Sent` or `Failed`.
#[allow(clippy::too_many_arguments)]
fn record_and_deliver(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    what: &str,
    composed: &compose::Composed,
    transport: &dyn Transport,
) -> Result<Option<Delivery>> {
    record_and_deliver_for(store, actor, id, verb, what, composed, transport, None)
}

/// [`record_and_deliver`] of mail an automation `rule` asked for: the
/// note names the rule.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_and_deliver_for(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    what: &str,
    composed: &compose::Composed,
    transport: &dyn Transport,
    rule: Option<&str>,
) -> Result<Option<Delivery>> {
    let recipients = composed.outgoing.recipients();
    let recorded = ops::append(store, actor, id, verb, |_| {
        let mut note = outbound_note(what, composed);
        if let Some(rule) = rule {
            note.rule = Some(rule.to_string());
        }
        Ok(vec![note])
    })?;
    let Some(recorded) = recorded else {
        return Ok(None);
    };
    // The envelope sender is the message's own From (a department's
    // address for its tickets), so SPF and bounces follow it.
    let envelope = Envelope {
        from: &composed.outgoing.from.email,
        recipients: &recipients,
    };
    deliver(
        store,
        actor,
        id,
        &recorded.files[0],
        transport,
        &envelope,
        &composed.bytes,
    )
    .map(Some)
}

/// A public reply to a ticket's customer, as `tix reply`, an escalation
/// message and auto-close write it: recorded first (the draft), e-mailed
/// after the commit when sending.
pub struct CustomerReply {
    /// The transport and the reply template, when sending; both loaded
    /// before anything is written, so a missing password or a broken
    /// template stops the command early.
    sending: Option<(Box<dyn Transport>, Templates)>,
    /// For a preview: the template, with nothing to send through.
    preview: Option<Templates>,
    /// Copies beyond the ticket's Cc, for this reply only.
    copies: compose::Copies,
}

impl CustomerReply {
    /// Sends when `send` (the caller decides: configured and wanted).
    pub fn prepare(store: &Store, send: bool) -> Result<CustomerReply> {
        let sending = if send {
            Some((
                send::transport(&store.config().mail, store.root())?,
                template::load_all(store, "reply")?,
            ))
        } else {
            None
        };
        Ok(CustomerReply {
            sending,
            preview: None,
            copies: compose::Copies::default(),
        })
    }

    /// Composes the exact message a reply would send, sending nothing
    /// (`tix reply --preview`): needs the support address, not a transport.
    pub fn prepare_preview(store: &Store) -> Result<CustomerReply> {
        compose::from_address(store.config())?;
        Ok(CustomerReply {
            sending: None,
            preview: Some(template::load_all(store, "reply")?),
            copies: compose::Copies::default(),
        })
    }

    /// The reply also goes to `copies` (recorded with it; the ticket's Cc
    /// stays as it is).
    pub fn with_copies(mut self, copies: compose::Copies) -> CustomerReply {
        self.copies = copies;
        self
    }

    pub fn sends(&self) -> bool {
        self.sending.is_some()
    }

    /// The reply entry for `ticket` (read under the lock) with `text` by
    /// `actor`; when sending, it carries the mail block and the exact bytes,
    /// and the message is returned for [`CustomerReply::deliver`].
    pub fn draft(
        &self,
        store: &Store,
        ticket: &Ticket,
        actor: &Actor,
        content: (&str, &[NewAttachment]),
        automatic: bool,
    ) -> Result<(Draft, Option<Composed>)> {
        let (text, attachments) = content;
        let mut reply = Draft {
            event: Event::Reply { mail: None },
            body: text.to_string(),
            attachments: attachments.to_vec(),
            original: None,
            author: None,
            mail_text: None,
            rule: None,
        };
        let Some(templates) = self
            .sending
            .as_ref()
            .map(|(_, t)| t)
            .or(self.preview.as_ref())
        else {
            return Ok((reply, None));
        };
        let template = templates.for_department(ticket.department.as_deref());
        let files = store.read_ticket(&ticket.id)?;
        let (_, trail) = fold(ticket.id, files.entries);
        let composed = compose::to_customer_copying(
            &Context {
                config: store.config(),
                ticket,
                trail: &trail,
                writer: Writer {
                    name: &actor.name,
                    email: &actor.email,
                },
            },
            &Content {
                template,
                text,
                attachments,
                automatic,
                similar_resolved: "",
            },
            &self.copies,
            ops::now()?,
        )?;
        reply.event = Event::Reply {
            mail: Some(Box::new(composed.meta.clone())),
        };
        reply.original = Some(composed.bytes.clone());
        Ok((reply, Some(composed)))
    }

    /// Sends `composed`, recorded as `entry`, and records the outcome.
    /// The error is a failure to record.
    pub fn deliver(
        &self,
        store: &Store,
        actor: &Actor,
        id: TicketId,
        entry: &str,
        composed: &Composed,
    ) -> Result<Delivery> {
        let Some((transport, _)) = &self.sending else {
            return Ok(Delivery::NotConfigured);
        };
        let envelope = Envelope {
            from: &composed.outgoing.from.email,
            recipients: &composed.outgoing.recipients(),
        };
        deliver(
            store,
            actor,
            id,
            entry,
            transport.as_ref(),
            &envelope,
            &composed.bytes,
        )
    }

    /// Sends `composed` without recording the outcome (the caller records
    /// it with [`delivery_draft`]).
    pub fn send(&self, composed: &Composed) -> Delivery {
        let Some((transport, _)) = &self.sending else {
            return Delivery::NotConfigured;
        };
        transport
            .send(
                &composed.outgoing.from.email,
                &composed.outgoing.recipients(),
                &composed.bytes,
            )
            .into()
    }

    /// Where mail goes, for messages.
    pub fn describe(&self) -> String {
        self.sending
            .as_ref()
            .map(|(t, _)| t.describe())
            .unwrap_or_default()
    }
}

/// `template` filled for ticket `id` as `actor` writes (a canned answer,
/// the escalation message).
pub fn render_for(
    store: &Store,
    id: TicketId,
    actor: &Actor,
    template: &Template,
) -> Result<String> {
    let files = store.read_ticket(&id)?;
    let (ticket, trail) = fold(id, files.entries);
    Ok(render_folded(store, &ticket, &trail, actor, template))
}

fn render_folded(
    store: &Store,
    ticket: &Ticket,
    trail: &[crate::domain::TrailItem],
    actor: &Actor,
    template: &Template,
) -> String {
    let writer = Writer {
        name: &actor.name,
        email: &actor.email,
    };
    template.render(&compose::template_values(
        store.config(),
        ticket,
        trail,
        &writer,
        "",
    ))
}

/// The template `name` (a canned answer) filled for ticket `id` as
/// `actor` writes: the ticket's department's version when it has one.
pub fn render_named(store: &Store, id: TicketId, actor: &Actor, name: &str) -> Result<String> {
    let files = store.read_ticket(&id)?;
    let (ticket, trail) = fold(id, files.entries);
    let template = template::load_for(store, name, ticket.department.as_deref())?;
    Ok(render_folded(store, &ticket, &trail, actor, &template))
}

/// Who tix's own entries (acknowledgements, their deliveries) are by.
pub fn system_actor(store: &Store) -> Actor {
    let config = store.config();
    let from = config.mail_from();
    Actor {
        handle: crate::ops::SYSTEM_HANDLE.into(),
        name: config.name.clone().unwrap_or_else(|| "tix".into()),
        email: from
            .map(|p| p.email)
            .unwrap_or_else(|| "tix@invalid".into()),
        admin: false,
        by: None,
    }
}

/// What the auto-responder did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Acknowledged {
    pub sent: usize,
    /// Skipped: a no-reply or agent address, or acknowledged recently.
    pub skipped: usize,
    /// Recorded but not delivered (in the outbox), with the error.
    pub failed: Vec<String>,
}

/// Acknowledges new tickets from e-mail, as `mail.auto_reply` says: one
/// mail per ticket with its id, never to no-reply or agent addresses, at
/// most one per sender within the window (remembered in
/// `.git/tix/auto-reply.json`). Does nothing unless sending is
/// configured. Errors that concern one ticket are reported in the result;
/// only a failure to record is an error.
pub fn acknowledge(store: &Store, tickets: &[TicketId], now: Timestamp) -> Result<Acknowledged> {
    let config = store.config();
    let mut done = Acknowledged::default();
    if tickets.is_empty() || config.mail.outgoing.is_none() || !config.mail.acknowledges_any() {
        return Ok(done);
    }
    let transport = send::transport(&config.mail, store.root())?;
    let templates = template::load_all(store, &config.mail.auto_reply.template)?;
    // Before anything is written: there must be an address to send from.
    compose::from_address(config)?;
    let actor = system_actor(store);
    let state_path = store.auto_reply_state_path();
    let mut last_sent: BTreeMap<String, Timestamp> = std::fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let window = config.mail.auto_reply.window_secs();
    for &id in tickets {
        let files = store.read_ticket(&id)?;
        let (ticket, trail) = fold(id, files.entries);
        if !config.mail.acknowledges(ticket.department.as_deref()) {
            continue;
        }
        let Some(customer) = ticket.customer.clone() else {
            continue;
        };
        let address = customer.email.to_ascii_lowercase();
        let recent = last_sent
            .get(&address)
            .is_some_and(|t| t.seconds_until(now) < window);
        if recent || is_no_reply(&customer) || config.agent(&customer.email).is_some() {
            done.skipped += 1;
            continue;
        }
        let composed = compose::to_customer(
            &Context {
                config,
                ticket: &ticket,
                trail: &trail,
                writer: Writer {
                    name: &actor.name,
                    email: &actor.email,
                },
            },
            &Content {
                template: templates.for_department(ticket.department.as_deref()),
                text: "",
                attachments: &[],
                automatic: true,
                similar_resolved: "",
            },
            now,
        )?;
        last_sent.insert(address, now);
        save_state(&state_path, &last_sent);
        let Some(sent) = record_and_deliver(
            store,
            &actor,
            id,
            "auto-reply",
            "Acknowledgement e-mailed to",
            &composed,
            transport.as_ref(),
        )?
        else {
            continue;
        };
        tally(sent, &mut done.sent, &mut done.failed, || {
            format!("acknowledgement for ticket {id}")
        });
    }
    Ok(done)
}

/// What relaying agents' e-mailed replies did.
#[derive(Debug, Default)]
pub struct Relayed {
    pub sent: usize,
    /// Recorded but not delivered (in the outbox), with the error.
    pub failed: Vec<String>,
}

/// Passes agents' e-mailed replies (filed as their public replies, quoted
/// text already split off) on to the customer, in the reply template with
/// the agent as the writer. Each relayed message is recorded as a note by
/// the agent carrying the mail and its exact bytes, then delivered like
/// any reply. Does nothing unless sending is configured.
pub fn relay(store: &Store, replies: &[(TicketId, String)], now: Timestamp) -> Result<Relayed> {
    let config = store.config();
    let mut done = Relayed::default();
    if replies.is_empty() || config.mail.outgoing.is_none() {
        return Ok(done);
    }
    let transport = send::transport(&config.mail, store.root())?;
    let templates = template::load_all(store, "reply")?;
    // Before anything is written: there must be an address to send from.
    compose::from_address(config)?;
    for (id, entry) in replies {
        let files = store.read_ticket(id)?;
        let (ticket, trail) = fold(*id, files.entries);
        let Some(item) = trail.iter().find(|i| &i.file == entry) else {
            continue;
        };
        let Some(agent) = config.agent(&item.entry.author) else {
            continue;
        };
        let actor = Actor {
            handle: agent.handle.clone(),
            name: agent.name.clone().unwrap_or_else(|| agent.handle.clone()),
            email: agent.email.clone(),
            admin: false,
            by: None,
        };
        let composed = compose::to_customer(
            &Context {
                config,
                ticket: &ticket,
                trail: &trail,
                writer: Writer {
                    name: &actor.name,
                    email: &actor.email,
                },
            },
            &Content {
                template: templates.for_department(ticket.department.as_deref()),
                text: &item.entry.body,
                attachments: &[],
                automatic: false,
                similar_resolved: "",
            },
            now,
        )?;
        let what = format!("The reply {entry}, written by e-mail, passed on to");
        let Some(sent) = record_and_deliver(
            store,
            &actor,
            *id,
            "relay",
            &what,
            &composed,
            transport.as_ref(),
        )?
        else {
            continue;
        };
        tally(sent, &mut done.sent, &mut done.failed, || {
            format!("relaying {entry} of ticket {id}")
        });
    }
    Ok(done)
}

/// E-mails agents about customers' mail, as `mail.notify` says: the
/// assigned agent, or every agent when the ticket is unassigned, gets the
/// thread for a ticket opened by mail (`new_ticket`) or a follow-up
/// (`follow_up`), which includes mail that left a ticket closed
/// (`kept_closed`: each ticket with the entries import wrote, the mail as
/// a note and the note saying why), told in the template's `{{text}}`.
/// Each notification is recorded as a note by tix carrying the mail, and
/// delivered like a reply; an agent who answers it answers the customer
/// (see [`relay`]). Returns how many were sent, and the failures.
pub fn notify(
    store: &Store,
    new_tickets: &[TicketId],
    follow_ups: &[TicketId],
    kept_closed: &[(TicketId, Vec<String>)],
    now: Timestamp,
) -> Result<Relayed> {
    let settings = &store.config().mail.notify;
    let mut tickets: Vec<(TicketId, &[String])> = Vec::new();
    if settings.new_ticket {
        tickets.extend(new_tickets.iter().map(|&id| (id, &[][..])));
    }
    if settings.follow_up {
        tickets.extend(follow_ups.iter().map(|&id| (id, &[][..])));
        tickets.extend(
            kept_closed
                .iter()
                .map(|(id, files)| (*id, files.as_slice())),
        );
    }
    tickets.sort();
    // One mail a ticket: what left it closed is told even when another
    // message of the same run followed up on it.
    tickets.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same && kept.1.is_empty() {
            kept.1 = later.1;
        }
        same
    });
    notify_about(store, &tickets, now)
}

/// What a notification says beyond the thread: for mail that left the
/// ticket closed, the note why and the mail itself (a note, so not in
/// the thread), from the trail entries `files`.
fn kept_closed_text(trail: &[crate::domain::TrailItem], files: &[String]) -> String {
    let body = |file: &String| {
        trail
            .iter()
            .find(|i| i.file == *file)
            .map(|i| i.entry.body.trim_end().to_string())
    };
    let mut bodies = files.iter().filter_map(body);
    let (Some(mail), Some(why)) = (bodies.next(), bodies.next()) else {
        return String::new();
    };
    format!("{why}\n\nThe mail, kept as a note:\n\n{mail}\n\n")
}

/// E-mail to a ticket's agents (the assignee, or every agent while
/// unassigned) in the notify template: composed against the ticket's
/// state, recorded as a note by tix, sent after the commit.
pub struct AgentMail {
    transport: Box<dyn Transport>,
    template: Templates,
    task_template: Templates,
    actor: Actor,
}

impl AgentMail {
    /// None unless sending is configured; the transport and the template
    /// are loaded now, before anything is written.
    pub fn prepare(store: &Store) -> Result<Option<AgentMail>> {
        let config = store.config();
        if config.mail.outgoing.is_none() {
            return Ok(None);
        }
        compose::from_address(config)?;
        Ok(Some(AgentMail {
            transport: send::transport(&config.mail, store.root())?,
            template: template::load_all(store, config.mail.notify.template())?,
            task_template: template::load_all(store, "task")?,
            actor: system_actor(store),
        }))
    }

    /// The note recording the notification about `ticket` (with its
    /// `trail`) saying `text` besides the thread, and the message; None when no agent would get it. With
    /// `similar_from`, the mail lists the resolved tickets like it that
    /// the store's search index knows (looked up only when the mail is
    /// sent, never building the index).
    pub fn draft(
        &self,
        config: &crate::domain::Config,
        ticket: &Ticket,
        trail: &[crate::domain::TrailItem],
        text: &str,
        similar_from: Option<&Store>,
        now: Timestamp,
    ) -> Result<Option<(Draft, Composed)>> {
        let agents: Vec<Party> = config
            .agents
            .iter()
            .filter(|a| ticket.assignee.as_deref().is_none_or(|h| h == a.handle))
            .map(|a| Party {
                name: a.name.clone(),
                email: a.email.clone(),
            })
            .collect();
        if agents.is_empty() {
            return Ok(None);
        }
        let similar = similar_from
            .map(|store| similar_resolved(store, ticket, trail))
            .unwrap_or_default();
        let composed = self.compose(
            (config, ticket, trail),
            &self.template,
            text,
            &similar,
            agents,
            now,
        )?;
        Ok(Some((
            outbound_note("Agents notified by e-mail:", &composed),
            composed,
        )))
    }

    /// The note recording a mail to the assignee of `task` (one of
    /// `ticket`'s) saying `notice`, and the message, in the task
    /// template; None when the task has no assignee with an address.
    pub fn draft_task(
        &self,
        config: &crate::domain::Config,
        ticket: &Ticket,
        trail: &[crate::domain::TrailItem],
        task: &Task,
        notice: &TaskNotice,
        now: Timestamp,
    ) -> Result<Option<(Draft, Composed)>> {
        let Some(agent) = task.assignee.as_deref().and_then(|h| config.agent(h)) else {
            return Ok(None);
        };
        let zone = crate::domain::time::report_zone();
        let due = task
            .due
            .map(|d| format!("Due: {}\n", d.to_short_in(zone, true)))
            .unwrap_or_default();
        let (n, id) = (task.number, ticket.id);
        let head = match notice {
            TaskNotice::Given { by } => {
                format!("Task {n} of ticket {id} was given to you by {by}:")
            }
            TaskNotice::Due => format!("Task {n} of ticket {id} is due:"),
        };
        let text = format!(
            "{head}\n\n{}\n\n{due}Mark it done with: tix task done {id} {n}",
            task.text
        );
        let composed = self.compose(
            (config, ticket, trail),
            &self.task_template,
            &text,
            "",
            vec![Party {
                name: agent.name.clone(),
                email: agent.email.clone(),
            }],
            now,
        )?;
        Ok(Some((
            outbound_note(
                &format!("Task {n}: the assignee notified by e-mail:"),
                &composed,
            ),
            composed,
        )))
    }

    /// An automatic mail from the acting agent to `agents` about `ticket`,
    /// in `templates`' version for its department.
    fn compose(
        &self,
        (config, ticket, trail): (&crate::domain::Config, &Ticket, &[crate::domain::TrailItem]),
        templates: &Templates,
        text: &str,
        similar_resolved: &str,
        agents: Vec<Party>,
        now: Timestamp,
    ) -> Result<Composed> {
        compose::to_agents(
            &Context {
                config,
                ticket,
                trail,
                writer: Writer {
                    name: &self.actor.name,
                    email: &self.actor.email,
                },
            },
            &Content {
                template: templates.for_department(ticket.department.as_deref()),
                text,
                attachments: &[],
                automatic: true,
                similar_resolved,
            },
            agents,
            now,
        )
    }

    /// Sends `composed`; the caller records the outcome.
    pub fn send(&self, composed: &Composed) -> std::result::Result<(), Error> {
        self.transport.send(
            &composed.outgoing.from.email,
            &composed.outgoing.recipients(),
            &composed.bytes,
        )
    }
}

/// E-mails the agents of each of `tickets` (the assignee, or every agent
/// while unassigned) with the notify template, whatever `mail.notify`
/// says. Does nothing unless sending is configured.
pub fn notify_tickets(store: &Store, tickets: &[TicketId], now: Timestamp) -> Result<Relayed> {
    let tickets: Vec<(TicketId, &[String])> = tickets.iter().map(|&id| (id, &[][..])).collect();
    notify_about(store, &tickets, now)
}

/// [`notify_tickets`], each ticket with the entries of mail that left it
/// closed (none for a plain notification).
fn notify_about(
    store: &Store,
    tickets: &[(TicketId, &[String])],
    now: Timestamp,
) -> Result<Relayed> {
    let config = store.config();
    let mut done = Relayed::default();
    if tickets.is_empty() {
        return Ok(done);
    }
    let Some(mailer) = AgentMail::prepare(store)? else {
        return Ok(done);
    };
    for &(id, kept_closed) in tickets {
        let files = store.read_ticket(&id)?;
        let (ticket, trail) = fold(id, files.entries);
        let text = kept_closed_text(&trail, kept_closed);
        let Some((_, composed)) = mailer.draft(config, &ticket, &trail, &text, Some(store), now)?
        else {
            continue;
        };
        let Some(sent) = record_and_deliver(
            store,
            &mailer.actor,
            id,
            "notify",
            "Agents notified by e-mail:",
            &composed,
            mailer.transport.as_ref(),
        )?
        else {
            continue;
        };
        tally(sent, &mut done.sent, &mut done.failed, || {
            format!("notifying agents of ticket {id}")
        });
    }
    Ok(done)
}

/// Answers agents whose e-mailed commands were refused: each of
/// `refused` (a ticket, the agent's handle, and the note by tix listing
/// what was refused and why) becomes a mail to that agent in the task
/// template, automatic (`Auto-Submitted`), under the ticket's tag so that
/// a corrected answer threads back. Each is recorded as a note by tix
/// before it is sent, like every notification, so a failed send waits
/// in the outbox and nothing is sent twice. Does nothing unless sending
/// is configured.
pub fn answer_refused_commands(
    store: &Store,
    refused: &[(TicketId, String, String)],
    now: Timestamp,
) -> Result<Relayed> {
    let config = store.config();
    let mut done = Relayed::default();
    if refused.is_empty() {
        return Ok(done);
    }
    let Some(mailer) = AgentMail::prepare(store)? else {
        return Ok(done);
    };
    for (id, handle, entry) in refused {
        let Some(agent) = config.agent(handle) else {
            continue;
        };
        let files = store.read_ticket(id)?;
        let (ticket, trail) = fold(*id, files.entries);
        let Some(item) = trail.iter().find(|i| &i.file == entry) else {
            continue;
        };
        let text = format!(
            "{}\nThe rest of your e-mail was filed. Answer this mail with the commands \
             corrected to apply them.",
            item.entry.body.trim_end()
        );
        let composed = mailer.compose(
            (config, &ticket, &trail),
            &mailer.task_template,
            &text,
            "",
            vec![Party {
                name: agent.name.clone(),
                email: agent.email.clone(),
            }],
            now,
        )?;
        let Some(sent) = record_and_deliver(
            store,
            &mailer.actor,
            *id,
            "notify",
            "Refused e-mail commands answered to",
            &composed,
            mailer.transport.as_ref(),
        )?
        else {
            continue;
        };
        tally(sent, &mut done.sent, &mut done.failed, || {
            format!("answering {handle} about refused commands on ticket {id}")
        });
    }
    Ok(done)
}

/// Why an agent hears of a task.
#[derive(Clone, Debug)]
pub enum TaskNotice {
    /// Given to them by this agent (added for them, or reassigned).
    Given { by: String },
    /// Its deadline passed (`tix tick`).
    Due,
}

/// E-mails the assignee of task `key` (the file of its `task-add`) of
/// ticket `id` about `notice`, recorded as a note by tix and delivered
/// like every notification. None when sending is not configured or the
/// task has no assignee with an address; else whether it went out.
pub fn notify_task(
    store: &Store,
    id: TicketId,
    key: &str,
    notice: &TaskNotice,
    now: Timestamp,
) -> Result<Option<Delivery>> {
    let Some(mailer) = AgentMail::prepare(store)? else {
        return Ok(None);
    };
    let files = store.read_ticket(&id)?;
    let (ticket, trail) = fold(id, files.entries);
    let Some(task) = ticket.tasks.iter().find(|t| t.key == key) else {
        return Err(Error::internal(format!("ticket {id} has no task {key}")));
    };
    let Some((_, composed)) =
        mailer.draft_task(store.config(), &ticket, &trail, task, notice, now)?
    else {
        return Ok(None);
    };
    record_and_deliver(
        store,
        &mailer.actor,
        id,
        "notify",
        &format!("Task {}: the assignee notified by e-mail:", task.number),
        &composed,
        mailer.transport.as_ref(),
    )
}

/// `{{similar_resolved}}` of a notification: a heading, a line per
/// resolved ticket like this one (its id, subject and the resolution's
/// first line) and a blank line; empty when there are none, so a
/// template reads the same as before for a ticket like no other.
fn similar_resolved(store: &Store, ticket: &Ticket, trail: &[crate::domain::TrailItem]) -> String {
    let Some(found) = similar::resolved_for(store, ticket, trail) else {
        return String::new();
    };
    if found.tickets.is_empty() {
        return String::new();
    }
    let mut out = String::from("Similar resolved tickets:\n");
    for t in &found.tickets {
        out.push_str(&format!(
            "  {}  {}\n    {}\n",
            t.id,
            t.subject,
            t.resolution
                .as_deref()
                .map(similar::first_line)
                .unwrap_or_default()
        ));
    }
    out.push('\n');
    out
}

/// Counts one automatic mail's delivery: sent, or recorded but not
/// delivered with `what` it was and the error. A transport was given, so
/// "not configured" cannot be the outcome and counts as neither.
fn tally(
    outcome: Delivery,
    sent: &mut usize,
    failed: &mut Vec<String>,
    what: impl FnOnce() -> String,
) {
    match outcome {
        Delivery::Sent => *sent += 1,
        Delivery::NotConfigured => {}
        Delivery::Failed(e) => failed.push(format!("{}: {}", what(), e.message())),
    }
}

/// Addresses that say no one reads what is sent to them.
pub fn is_no_reply(party: &Party) -> bool {
    let local = party
        .email
        .split('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(['-', '_', '.'], "");
    local.starts_with("noreply")
        || local.starts_with("donotreply")
        || ["mailerdaemon", "postmaster", "bounce", "bounces"].contains(&local.as_str())
}

/// Losing the state only risks a second acknowledgement.
fn save_state(path: &std::path::Path, state: &BTreeMap<String, Timestamp>) {
    let Ok(bytes) = serde_json::to_vec_pretty(state) else {
        return;
    };
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .is_err()
    {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_reply_addresses() {
        for a in [
            "noreply@example.com",
            "no-reply@example.com",
            "do_not_reply@example.com",
            "MAILER-DAEMON@example.com",
            "noreply.billing@example.com",
        ] {
            assert!(is_no_reply(&Party::parse(a).unwrap()), "{a}");
        }
        for a in [
            "ann@example.com",
            "replyall@example.com",
            "norah@example.com",
        ] {
            assert!(!is_no_reply(&Party::parse(a).unwrap()), "{a}");
        }
    }
}

/// What `tix forward` sends of a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forwarded {
    /// Every public message: the request, the customer's messages, the
    /// replies. Internal notes never.
    Thread,
    /// The customer's last message.
    Last,
}

/// The most of a ticket's text one forward carries.
pub const MAX_FORWARD_BYTES: usize = 1 << 20;

/// Forwards ticket `id`'s public messages (or the last one) to `to`, a
/// third party, with `text` from `actor` above them, in the `forward`
/// template, under the ticket's tag so an answer files back onto it.
/// Recorded as an internal note by the actor carrying the mail, then
/// delivered; the third party is not added to the ticket's Cc.
pub fn forward(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    to: &[Party],
    text: &str,
    what: Forwarded,
    attachments: &[NewAttachment],
) -> Result<(String, Delivery)> {
    let config = store.config();
    if config.mail.outgoing.is_none() {
        return Err(Error::invalid(
            "forwarding e-mails the ticket, and mail.outgoing is not configured (see docs/mail.md)",
        ));
    }
    if to.is_empty() {
        return Err(Error::invalid("forward to whom? give --to ADDRESS"));
    }
    let transport = send::transport(&config.mail, store.root())?;
    let templates = template::load_all(store, "forward")?;
    // Before anything is written: there must be an address to send from.
    compose::from_address(config)?;
    let files = store.read_ticket(&id)?;
    let (ticket, trail) = fold(id, files.entries);
    ops::refuse_if_merged(&ticket)?;
    ops::refuse_if_locked(&ticket)?;
    let public: Vec<&crate::domain::TrailItem> = trail
        .iter()
        .filter(|i| i.not_applied.is_none() && !i.redundant && i.copy_of.is_none())
        .filter(|i| match &i.entry.event {
            Event::Created { .. } => !i.entry.body.trim().is_empty(),
            Event::Message { .. } => true,
            Event::Reply { .. } => what == Forwarded::Thread,
            _ => false,
        })
        .collect();
    let chosen: Vec<&crate::domain::TrailItem> = match what {
        Forwarded::Thread => public,
        Forwarded::Last => public.last().copied().into_iter().collect(),
    };
    if chosen.is_empty() {
        return Err(Error::invalid(format!(
            "ticket {id} has no message to forward"
        )));
    }
    let zone = crate::domain::time::report_zone();
    let mut body = String::new();
    if !text.trim().is_empty() {
        body.push_str(text.trim_end());
        body.push_str("\n\n");
    }
    body.push_str(&format!(
        "---------- Forwarded from ticket {id}: {} ----------\n",
        ticket.subject
    ));
    for item in chosen {
        let who = match &item.entry.event {
            Event::Created { customer, .. } => customer.to_string(),
            Event::Message { from, .. } => from.to_string(),
            _ => config
                .agent(&item.entry.author)
                .map(|a| a.display_name().to_string())
                .unwrap_or_else(|| item.entry.author.clone()),
        };
        body.push_str(&format!(
            "\nOn {}, {who} wrote:\n\n{}\n",
            item.entry.at.to_short_in(zone, true),
            item.entry.body.trim_end()
        ));
        if body.len() > MAX_FORWARD_BYTES {
            return Err(Error::invalid(format!(
                "ticket {id}'s messages are more than {} bytes: forward the last one (--last)",
                MAX_FORWARD_BYTES
            )));
        }
    }
    let composed = compose::to_agents(
        &Context {
            config,
            ticket: &ticket,
            trail: &trail,
            writer: Writer {
                name: &actor.name,
                email: &actor.email,
            },
        },
        &Content {
            template: templates.for_department(ticket.department.as_deref()),
            text: &body,
            attachments,
            automatic: false,
            similar_resolved: "",
        },
        to.to_vec(),
        ops::now()?,
    )?;
    let note = match text.trim() {
        "" => String::new(),
        t => format!("{t}\n\n"),
    };
    let scope = match what {
        Forwarded::Thread => "the thread",
        Forwarded::Last => "the last message",
    };
    let recorded = ops::append(store, actor, id, "forward", |_| {
        let mut draft = outbound_note(&format!("{note}Forwarded {scope} by e-mail to"), &composed);
        draft.attachments = attachments.to_vec();
        Ok(vec![draft])
    })?
    .ok_or_else(|| Error::internal("a forward was not recorded"))?;
    let entry = recorded.files[0].clone();
    let delivery = deliver(
        store,
        actor,
        id,
        &entry,
        transport.as_ref(),
        &Envelope {
            from: &composed.outgoing.from.email,
            recipients: &composed.outgoing.recipients(),
        },
        &composed.bytes,
    )?;
    Ok((entry, delivery))
}
