//! The mail tix writes for a ticket: an agent's reply to the customer,
//! with the greeting and sign-off of the reply template around the
//! agent's text, the ticket tag in the subject, and In-Reply-To and
//! References pointing at the thread so that mail clients keep it
//! together and the customer's answer files back onto the ticket.

use std::collections::BTreeMap;

use crate::domain::{Config, Event, MailMeta, Party, Ticket, Timestamp, TrailItem};
use crate::error::{Error, Result};

use super::file::subject_tag;
use super::send::{
    MAX_SUBJECT_CHARS, Outgoing, OutgoingAttachment, message_id_domain, new_ticket_message_id,
    render, tix_headers, truncate_chars,
};
use super::template::Template;
use crate::ops::NewAttachment;

/// Who writes: the acting agent.
pub struct Writer<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// A message ready to record and send.
pub struct Composed {
    pub outgoing: Outgoing,
    /// Exactly what goes to the transport, and what the trail keeps.
    pub bytes: Vec<u8>,
    /// The entry's mail block (`raw` is set where the bytes are stored).
    pub meta: MailMeta,
}

/// The support address mail goes out from (see [`Config::mail_from`]).
pub fn from_address(config: &Config) -> Result<Party> {
    from_for(config, None)
}

/// The address mail about a ticket of `department` goes out from: the
/// department's own, else the team's.
pub fn from_for(config: &Config, department: Option<&str>) -> Result<Party> {
    config.mail_from_for(department).ok_or_else(|| {
        Error::invalid(
            "tix does not know the support address to send from: set mail.addresses \
             (or mail.from) in .tix/config.yaml",
        )
    })
}

/// The sign-off of mail about `ticket`: its department's signature,
/// else the team's name.
fn signature(config: &Config, ticket: &Ticket) -> String {
    ticket
        .department
        .as_deref()
        .and_then(|d| config.mail.department(d))
        .and_then(|d| d.signature.clone())
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|| config.name.clone().unwrap_or_default())
}

/// What a message is written about.
pub struct Context<'a> {
    pub config: &'a Config,
    pub ticket: &'a Ticket,
    pub trail: &'a [TrailItem],
    pub writer: Writer<'a>,
}

/// The message itself.
pub struct Content<'a> {
    pub template: &'a Template,
    /// The agent's text (`{{text}}`); empty for automatic mail.
    pub text: &'a str,
    pub attachments: &'a [NewAttachment],
    /// Automatic mail (an acknowledgement) carries
    /// `Auto-Submitted: auto-replied`.
    pub automatic: bool,
    /// `{{similar_resolved}}`: resolved tickets like this one, as listed
    /// for agents; empty in mail to customers.
    pub similar_resolved: &'a str,
}

/// A message to `ticket`'s customer (and Cc): `content` rendered in its
/// template, threaded onto the ticket's latest mail.
pub fn to_customer(
    context: &Context<'_>,
    content: &Content<'_>,
    now: Timestamp,
) -> Result<Composed> {
    to_customer_copying(context, content, &Copies::default(), now)
}

/// Copies of one reply beyond the ticket's Cc: recorded with the reply,
/// never added to the ticket.
#[derive(Clone, Debug, Default)]
pub struct Copies {
    pub cc: Vec<Party>,
    pub bcc: Vec<Party>,
}

/// [`to_customer`] with `copies` besides the ticket's Cc.
pub fn to_customer_copying(
    context: &Context<'_>,
    content: &Content<'_>,
    copies: &Copies,
    now: Timestamp,
) -> Result<Composed> {
    let Some(customer) = context.ticket.customer.clone() else {
        return Err(Error::invalid(format!(
            "ticket {} has no customer to send the reply to",
            context.ticket.id
        )));
    };
    let mut cc = context.ticket.cc.clone();
    for p in &copies.cc {
        if !cc
            .iter()
            .chain([&customer])
            .any(|c| c.same_address(&p.email))
        {
            cc.push(p.clone());
        }
    }
    let bcc: Vec<Party> = copies
        .bcc
        .iter()
        .filter(|p| {
            !cc.iter()
                .chain([&customer])
                .any(|c| c.same_address(&p.email))
        })
        .cloned()
        .collect();
    compose(context, content, (vec![customer], cc, bcc), true, now)
}

/// A notification to agents about `ticket`: a thread of its own (not a
/// reply), under the ticket's tag, so that their answer files back onto
/// the ticket.
pub fn to_agents(
    context: &Context<'_>,
    content: &Content<'_>,
    agents: Vec<Party>,
    now: Timestamp,
) -> Result<Composed> {
    compose(
        context,
        content,
        (agents, Vec::new(), Vec::new()),
        false,
        now,
    )
}

fn compose(
    context: &Context<'_>,
    content: &Content<'_>,
    (to, cc, bcc): (Vec<Party>, Vec<Party>, Vec<Party>),
    threaded: bool,
    now: Timestamp,
) -> Result<Composed> {
    let Context {
        config,
        ticket,
        trail,
        writer,
    } = context;
    let (config, ticket, trail, template, text, attachments) = (
        *config,
        *ticket,
        *trail,
        content.template,
        content.text,
        content.attachments,
    );
    let mut values = template_values(config, ticket, trail, writer, text);
    values.insert("similar_resolved", content.similar_resolved.to_string());
    let body = template.render(&values);
    // Thread onto the latest mail the customer has seen: theirs, or ours
    // to them (not an agent's mail to the support address).
    let parent = trail
        .iter()
        .rev()
        .filter(|_| threaded)
        .find_map(|item| match &item.entry.event {
            Event::Message { mail: Some(m), .. } => Some(m),
            // Ours to the customer; not a notification to agents.
            Event::Reply { mail: Some(m) } | Event::Note { mail: Some(m) }
                if m.outbound && m.to.iter().any(|p| to_customer_address(ticket, p)) =>
            {
                Some(m)
            }
            _ => None,
        });
    let mut references: Vec<String> = parent
        .map(|m| {
            let mut r = m.references.clone();
            r.push(m.message_id.clone());
            r
        })
        .unwrap_or_default();
    // Long threads: the first reference and the latest ones, as RFC 5322
    // suggests trimming.
    if references.len() > 10 {
        let keep_from = references.len() - 9;
        let first = references[0].clone();
        references = std::iter::once(first)
            .chain(references.drain(keep_from..))
            .collect();
    }
    let tag = subject_tag(&config.mail.subject_tag, ticket.id);
    let base = if threaded {
        reply_subject(&ticket.subject)
    } else {
        ticket.subject.trim().to_string()
    };
    let subject = if base.contains(&tag) {
        base
    } else {
        format!("{tag} {base}")
    };
    let subject = fit_subject(subject, &tag);
    let outgoing = Outgoing {
        from: from_for(config, ticket.department.as_deref())?,
        to: to.clone(),
        cc: cc.clone(),
        bcc: bcc.clone(),
        subject: subject.clone(),
        text: body,
        message_id: new_ticket_message_id(&message_id_domain(&config.mail), ticket.id),
        in_reply_to: parent.map(|m| m.message_id.clone()),
        references: references.clone(),
        headers: tix_headers(config, content.automatic),
        date: now.datetime(),
        attachments: attachments
            .iter()
            .map(|a| OutgoingAttachment {
                filename: a.name.clone(),
                content_type: "application/octet-stream".into(),
                bytes: a.bytes.clone(),
            })
            .collect(),
    };
    let bytes = render(&outgoing)?;
    let meta = MailMeta {
        message_id: outgoing.message_id.clone(),
        in_reply_to: outgoing.in_reply_to.iter().cloned().collect(),
        references,
        to,
        cc,
        bcc,
        subject,
        sent_at: now,
        date_missing: false,
        raw: String::new(),
        quoted: None,
        noise: None,
        omitted: Vec::new(),
        outbound: true,
    };
    Ok(Composed {
        outgoing,
        bytes,
        meta,
    })
}

fn to_customer_address(ticket: &Ticket, party: &Party) -> bool {
    ticket
        .customer
        .as_ref()
        .is_some_and(|c| c.same_address(&party.email))
}

/// `Re: subject`, without piling up `Re: Re:`.
/// A subject that fits on one header line: a long one is cut with an
/// ellipsis, and the tag, wherever it stood, leads it so that it survives
/// the cut and the answer threads back.
fn fit_subject(subject: String, tag: &str) -> String {
    if subject.chars().count() <= MAX_SUBJECT_CHARS {
        return subject;
    }
    let rest = subject.replacen(tag, "", 1);
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let room = MAX_SUBJECT_CHARS.saturating_sub(tag.chars().count() + 1);
    format!("{tag} {}", truncate_chars(&rest, room))
}

fn reply_subject(subject: &str) -> String {
    let trimmed = subject.trim();
    if trimmed
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("re:"))
    {
        trimmed.to_string()
    } else {
        format!("Re: {trimmed}")
    }
}

/// Every placeholder's value for `ticket`.
pub fn template_values(
    config: &Config,
    ticket: &Ticket,
    trail: &[TrailItem],
    writer: &Writer<'_>,
    text: &str,
) -> BTreeMap<&'static str, String> {
    let customer = ticket.customer.as_ref();
    let name = customer
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| customer.map(|c| c.email.clone()).unwrap_or_default());
    let first_name = customer
        .and_then(|c| c.name.as_deref())
        .and_then(|n| n.split_whitespace().next())
        .unwrap_or("")
        .to_string();
    // The `created` entry is a message only when it holds the request: a
    // ticket opened by mail has an empty one, the mail in a `message`.
    let public: Vec<&TrailItem> = trail
        .iter()
        .filter(|i| {
            i.not_applied.is_none()
                && match i.entry.event {
                    Event::Created { .. } => !i.entry.body.trim().is_empty(),
                    Event::Message { .. } | Event::Reply { .. } => true,
                    _ => false,
                }
        })
        .collect();
    let thread = public
        .iter()
        .map(|i| {
            let who = match &i.entry.event {
                Event::Created { customer, .. } => customer.to_string(),
                Event::Message { from, .. } => from.to_string(),
                _ => config
                    .agent(&i.entry.author)
                    .and_then(|a| a.name.clone())
                    .unwrap_or_else(|| i.entry.author.clone()),
            };
            format!(
                "On {}, {who} wrote:\n{}",
                // For the customer: the team's zone, named.
                i.entry
                    .at
                    .to_short_in(crate::domain::time::report_zone(), true),
                i.entry.body.trim_end()
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let last_message = trail
        .iter()
        .rev()
        .find(|i| matches!(i.entry.event, Event::Created { .. } | Event::Message { .. }))
        .map(|i| i.entry.body.trim_end().to_string())
        .unwrap_or_default();
    let attachments = trail
        .iter()
        .filter_map(|i| match &i.entry.event {
            Event::Attachment { name, size, .. } => Some(format!("{name} ({size} bytes)")),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    BTreeMap::from([
        ("ticket.id", ticket.id.to_string()),
        ("ticket.subject", ticket.subject.clone()),
        ("ticket.status", ticket.status.to_string()),
        ("ticket.priority", ticket.priority.to_string()),
        ("ticket.group", ticket.group.clone().unwrap_or_default()),
        (
            "ticket.assignee",
            ticket.assignee.clone().unwrap_or_default(),
        ),
        (
            "ticket.tag",
            subject_tag(&config.mail.subject_tag, ticket.id),
        ),
        ("customer.name", name),
        ("customer.first_name", first_name),
        (
            "customer.email",
            customer.map(|c| c.email.clone()).unwrap_or_default(),
        ),
        ("agent.name", writer.name.to_string()),
        ("agent.email", writer.email.to_string()),
        ("team.name", config.name.clone().unwrap_or_default()),
        (
            "department.name",
            ticket.department.clone().unwrap_or_default(),
        ),
        ("signature", signature(config, ticket)),
        ("text", text.trim_end().to_string()),
        ("thread", thread),
        ("last_message", last_message),
        ("message_count", public.len().to_string()),
        ("attachments", attachments),
    ])
}
