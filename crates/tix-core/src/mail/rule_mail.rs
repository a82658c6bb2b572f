//! Sending the mail automation rules asked for, after the commit that
//! recorded what set them off: notifications to agents and addresses, and
//! reply templates to the customer (the "special responder"). Each is
//! recorded as a note by tix naming the rule, then delivered like every
//! automatic mail.

use crate::domain::automation::Recipient;
use crate::domain::{Event, Party, Ticket, TrailItem, fold};
use crate::error::Result;
use crate::ops::automation::{RuleMail, RuleMailKind};
use crate::store::Store;

use super::compose::{self, Content, Context, Writer};
use super::respond::{self, Delivery, is_no_reply, record_and_deliver_for};
use super::send;
use super::template;

/// What sending the rules' mail did.
#[derive(Debug, Default)]
pub struct RuleMailSent {
    pub sent: usize,
    /// Not sent, and why (noise, a no-reply address, sent recently, a
    /// missing template, no outgoing mail configured).
    pub skipped: Vec<String>,
    /// Recorded but not delivered (in the outbox), with the error.
    pub failed: Vec<String>,
}

/// Sends `mail`. Only a failure to record is an error; everything that
/// concerns one message is in the result.
pub fn send_all(store: &Store, mail: &[RuleMail]) -> Result<RuleMailSent> {
    let mut done = RuleMailSent::default();
    if mail.is_empty() {
        return Ok(done);
    }
    let config = store.config();
    if config.mail.outgoing.is_none() {
        for m in mail {
            done.skipped.push(format!(
                "ticket {}: rule `{}`: no mail sent: mail.outgoing is not configured",
                m.ticket, m.rule
            ));
        }
        return Ok(done);
    }
    let transport = send::transport(&config.mail, store.root())?;
    // Before anything is written: there must be an address to send from.
    compose::from_address(config)?;
    let actor = respond::system_actor(store);
    let now = crate::ops::now()?;
    for m in mail {
        let files = store.read_ticket(&m.ticket)?;
        let (ticket, trail) = fold(m.ticket, files.entries);
        let skip = |done: &mut RuleMailSent, why: String| {
            done.skipped
                .push(format!("ticket {}: rule `{}`: {why}", m.ticket, m.rule));
        };
        let (template_name, to_customer, recipients) = match &m.kind {
            RuleMailKind::Notify { to, template } => {
                let recipients = recipients(config, &ticket, to);
                if recipients.is_empty() {
                    skip(&mut done, "nobody to notify".into());
                    continue;
                }
                (
                    template
                        .clone()
                        .unwrap_or_else(|| config.mail.notify.template().to_string()),
                    false,
                    recipients,
                )
            }
            RuleMailKind::Reply { template } => {
                if let Some(why) = no_reply_reason(store, &ticket, &trail, &m.rule, now) {
                    skip(&mut done, why);
                    continue;
                }
                (template.clone(), true, Vec::new())
            }
        };
        let template = match template::load_for(store, &template_name, ticket.department.as_deref())
        {
            Ok(t) => t,
            Err(e) => {
                skip(&mut done, e.message().to_string());
                continue;
            }
        };
        let context = Context {
            config,
            ticket: &ticket,
            trail: &trail,
            writer: Writer {
                name: &actor.name,
                email: &actor.email,
            },
        };
        // The notify template says why it was sent in `{{text}}`.
        let why = if to_customer {
            String::new()
        } else {
            format!("Rule `{}` asked for this notification.\n\n", m.rule)
        };
        let content = Content {
            template: &template,
            text: &why,
            attachments: &[],
            automatic: true,
            similar_resolved: "",
        };
        let composed = if to_customer {
            compose::to_customer(&context, &content, now)?
        } else {
            compose::to_agents(&context, &content, recipients, now)?
        };
        let what = if to_customer {
            format!("Rule `{}`: template {template_name} e-mailed to", m.rule)
        } else {
            format!("Rule `{}`: notified by e-mail:", m.rule)
        };
        let Some(delivery) = record_and_deliver_for(
            store,
            &actor,
            m.ticket,
            "rule-mail",
            &what,
            &composed,
            transport.as_ref(),
            Some(&m.rule),
        )?
        else {
            skip(&mut done, "the ticket took no note".into());
            continue;
        };
        match delivery {
            Delivery::Sent => done.sent += 1,
            Delivery::NotConfigured => {}
            Delivery::Failed(e) => done.failed.push(format!(
                "ticket {}: rule `{}`: {}",
                m.ticket,
                m.rule,
                e.message()
            )),
        }
    }
    Ok(done)
}

/// The addresses a notification goes to.
fn recipients(config: &crate::domain::Config, ticket: &Ticket, to: &[Recipient]) -> Vec<Party> {
    let agent = |handle: &str| {
        config.agent(handle).map(|a| Party {
            name: a.name.clone(),
            email: a.email.clone(),
        })
    };
    let mut out: Vec<Party> = Vec::new();
    for r in to {
        let parties: Vec<Party> = match r {
            Recipient::Agent(h) => agent(h).into_iter().collect(),
            Recipient::Assignee => ticket
                .assignee
                .as_deref()
                .and_then(agent)
                .into_iter()
                .collect(),
            Recipient::Group(name) => name
                .as_ref()
                .or(ticket.group.as_ref())
                .and_then(|g| config.groups.iter().find(|x| &x.name == g))
                .map(|g| g.agents.iter().filter_map(|h| agent(h)).collect())
                .unwrap_or_default(),
            Recipient::Address(a) => vec![Party {
                name: None,
                email: a.clone(),
            }],
        };
        for p in parties {
            if !out.iter().any(|o| o.same_address(&p.email)) {
                out.push(p);
            }
        }
    }
    out
}

/// Why a reply template must not go to this ticket's customer now: an
/// address that reads nothing, an agent, automatic mail last from them,
/// or the same rule's mail within the auto-reply window.
fn no_reply_reason(
    store: &Store,
    ticket: &Ticket,
    trail: &[TrailItem],
    rule: &str,
    now: crate::domain::Timestamp,
) -> Option<String> {
    let config = store.config();
    let Some(customer) = &ticket.customer else {
        return Some("the ticket has no customer".into());
    };
    if is_no_reply(customer) {
        return Some(format!("{} reads no mail", customer.email));
    }
    if config.agent(&customer.email).is_some() {
        return Some(format!("{} is an agent", customer.email));
    }
    let last_mail = trail.iter().rev().find_map(|i| match &i.entry.event {
        Event::Message { mail: Some(m), .. } => Some(m),
        Event::Note { mail: Some(m) } if !m.outbound => Some(m),
        _ => None,
    });
    if let Some(noise) = last_mail.and_then(|m| m.noise.as_ref()) {
        return Some(format!("the last mail was automatic ({noise})"));
    }
    let window = config.mail.auto_reply.window_secs();
    let recent = trail.iter().any(|i| {
        i.entry.rule.as_deref() == Some(rule)
            && matches!(&i.entry.event, Event::Note { mail: Some(m) }
                if m.outbound && m.to.iter().any(|p| p.same_address(&customer.email)))
            && i.entry.at.seconds_until(now) < window
    });
    if recent {
        return Some("sent by the same rule within the auto-reply window".into());
    }
    None
}
