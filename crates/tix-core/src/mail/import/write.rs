//! The entries a routed message becomes, as drafts for [`crate::ops::Batch`]:
//! the entry carrying the mail (with its original, quoted part, HTML and
//! attachments), a new ticket's first entries, what a follow-up changes.

use crate::domain::config::Department;
use crate::domain::names::{safe_file_name, unique_name};
use crate::domain::{
    Config, DeliveryStatus, Event, LinkRel, MailMeta, Party, Priority, Status, Ticket, Timestamp,
};
use crate::mail::parse::{InboundMail, MailAttachment};
use crate::mail::quote::split_reply;
use crate::ops::{Draft, MailText, NewAttachment, SYSTEM_HANDLE};

use super::kind_name;
use super::route::MailKind;

/// The entry that carries `mail` as `kind`, by `author` (`from` is the
/// sender of a message entry).
pub fn mail_draft(
    config: &Config,
    mail: &InboundMail,
    raw: &[u8],
    kind: MailKind,
    author: &str,
    from: &Party,
    now: Timestamp,
) -> Draft {
    let (sent_at, date_missing) = match mail.date {
        Some(d) if plausible_date(d, now) => (d, false),
        _ => (now, true),
    };
    let split = split_reply(&mail.text);
    let mut omitted = Vec::new();
    let mut attachments = Vec::new();
    let mut taken = Vec::new();
    for a in &mail.attachments {
        if a.bytes.len() as u64 > config.max_attachment_bytes {
            omitted.push(format!(
                "{} ({} bytes): larger than max_attachment_bytes",
                a.name.as_deref().unwrap_or("unnamed"),
                a.bytes.len()
            ));
            continue;
        }
        let safe = unique_name(
            &safe_file_name(a.name.as_deref().unwrap_or(""), &fallback_name(a)),
            &taken,
        );
        taken.push(safe.clone());
        attachments.push(NewAttachment {
            name: a.name.clone().unwrap_or_else(|| safe.clone()),
            bytes: a.bytes.clone(),
            stored_as: Some(safe),
        });
    }
    let meta = Box::new(MailMeta {
        message_id: mail.message_id.clone(),
        in_reply_to: mail.in_reply_to.clone(),
        references: mail.references.clone(),
        to: mail.to.clone(),
        cc: mail.cc.clone(),
        bcc: Vec::new(),
        subject: mail.subject.clone(),
        sent_at,
        date_missing,
        // Both named by the write, after the entry's file.
        raw: String::new(),
        quoted: None,
        noise: mail
            .noise
            .as_ref()
            .map(|n| format!("{}: {}", kind_name(n.kind), n.reason)),
        omitted,
        outbound: false,
    });
    let event = match kind {
        MailKind::Message => Event::Message {
            from: from.clone(),
            mail: Some(meta),
        },
        MailKind::Reply => Event::Reply { mail: Some(meta) },
        MailKind::Note => Event::Note { mail: Some(meta) },
    };
    Draft {
        event,
        body: split.reply,
        attachments,
        original: Some(raw.to_vec()),
        author: Some(author.to_string()),
        mail_text: Some(MailText {
            quoted: split.quoted,
            html: mail.html.clone(),
        }),
        rule: None,
    }
}

/// The first entries of a ticket `mail` opens, by its sender: `created`
/// (with the other people on the message as Cc, in `department` and its
/// group) and a link to `linked_to`. The message itself and any
/// assignment follow.
pub fn new_ticket_drafts(
    mail: &InboundMail,
    from: &Party,
    cc: Vec<Party>,
    department: Option<&Department>,
    linked_to: Option<crate::domain::TicketId>,
) -> Vec<Draft> {
    let subject = if mail.subject.trim().is_empty() {
        "(no subject)".to_string()
    } else {
        mail.subject.clone()
    };
    let mut drafts = vec![
        Draft::new(Event::Created {
            subject,
            customer: from.clone(),
            cc,
            priority: Priority::Normal,
            tags: Vec::new(),
            fields: Default::default(),
            channel: None,
            department: department.map(|d| d.name.clone()),
            group: department.and_then(|d| d.group.clone()),
        })
        .by(&from.email),
    ];
    if let Some(old) = linked_to {
        drafts.push(
            Draft::new(Event::Link {
                rel: LinkRel::Related,
                target: old,
            })
            .by(&from.email),
        );
    }
    drafts
}

/// What a customer's (or anyone's but an agent's) follow-up changes on
/// `ticket` besides adding the message, by `author`: newcomers on the
/// Cc, and the status back to open when the ticket waited on them or was
/// closed (the ball is back with the team).
pub fn follow_up_changes(
    ticket: &Ticket,
    new_cc: &[Party],
    is_agent: bool,
    author: &str,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    if !new_cc.is_empty() {
        drafts.push(
            Draft::new(Event::Cc {
                add: new_cc.to_vec(),
                remove: Vec::new(),
            })
            .by(author),
        );
    }
    if !is_agent && matches!(ticket.status, Status::Pending | Status::Closed) {
        drafts.push(
            Draft::new(Event::Status {
                to: Status::Open,
                from: Some(ticket.status),
            })
            .by(author),
        );
    }
    drafts
}

/// The note by tix saying why `from`'s mail, filed as the note before
/// it, left its closed ticket closed: mail reopened it `reopens` times in
/// the day before, and `mail.reopen_limit.per_day` is `cap`.
pub fn kept_closed_note(from: &Party, reopens: usize, cap: usize) -> Draft {
    Draft::with_body(
        Event::Note { mail: None },
        format!(
            "Not reopened: customers' mail reopened this ticket {reopens} times in the \
             past 24 hours, and mail.reopen_limit.per_day is {cap}. The mail from {} is \
             kept above as an internal note; reopen the ticket if it needs work.\n",
            from.email
        ),
    )
    .by(SYSTEM_HANDLE)
}

/// The failed delivery a bounce records for the outbound entry `entry`.
pub fn bounce_delivery(entry: String, body: String) -> Draft {
    Draft::with_body(
        Event::Delivery {
            entry,
            status: DeliveryStatus::Failed,
        },
        body,
    )
    .by(SYSTEM_HANDLE)
}

fn fallback_name(a: &MailAttachment) -> String {
    let ext = match a.content_type.as_str() {
        "message/rfc822" => "eml",
        "text/plain" => "txt",
        "text/html" => "html",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        "text/calendar" => "ics",
        "message/delivery-status" => "txt",
        _ => "bin",
    };
    format!("attachment.{ext}")
}

/// A Date header is believed between 1990 and one day ahead of now.
fn plausible_date(d: Timestamp, now: Timestamp) -> bool {
    let floor = Timestamp::parse_rfc3339("1990-01-01T00:00:00Z").expect("valid literal");
    d >= floor && now.seconds_until(d) <= 86_400
}
