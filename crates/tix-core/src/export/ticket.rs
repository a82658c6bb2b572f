//! `tix export ticket ID --format html|eml|mbox|json`: one ticket's
//! public thread (see `domain::public`) for handing to its customer or
//! to another system. `html` is one page that stands alone (style
//! inlined, attachments named, not linked); `mbox` is every message of
//! the thread as an RFC 5322 message in mboxrd form; `eml` is one
//! message whose parts are those messages (`message/rfc822`), which any
//! mail program opens; `json` is the thread as data.

use std::io::Write;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use serde_json::{Value, json};

use crate::domain::public::{self, PublicEntry, PublicKind};
use crate::domain::{Party, Ticket, TicketId, Timestamp};
use crate::error::{Error, Result};
use crate::mail::send::{self, Outgoing, OutgoingAttachment};
use crate::render::html::Css;
use crate::render::site::{self as pages, SiteTicket};
use crate::store::Store;

/// The attachments one message carries at most, in bytes together;
/// past it the rest are named in the text, not attached.
pub const MAX_MAIL_ATTACHMENTS_BYTES: usize = 32 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketFormat {
    Html,
    Eml,
    Mbox,
    Json,
}

/// Writes ticket `id`'s public thread to `out`.
pub fn write(
    store: &Store,
    id: &TicketId,
    format: TicketFormat,
    now: Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let folded = store.read_folded(id)?;
    let ticket = folded.ticket;
    // Everything the ticket shows is its own thread here: an agent hands
    // it over whole, merged tickets included.
    let thread = public::thread(&ticket, &folded.trail, |_| true);
    let bytes = match format {
        TicketFormat::Html => {
            let t = SiteTicket {
                id: ticket.id,
                subject: ticket.subject.clone(),
                status: ticket.status,
                created_at: ticket.created_at,
                updated_at: thread.last().map(|e| e.at),
                thread,
            };
            pages::ticket_page(&t, None, Css::Inline, &|_| None, now).into_bytes()
        }
        TicketFormat::Json => {
            let text = serde_json::to_string_pretty(&as_json(&ticket, &thread))
                .map_err(|e| Error::internal(format!("cannot write ticket {id} as JSON: {e}")))?;
            format!("{text}\n").into_bytes()
        }
        TicketFormat::Mbox => {
            let mut all = Vec::new();
            for m in messages(store, &ticket, &thread)? {
                mboxrd(&mut all, &m.from.email, m.date, &send::render(&m)?);
            }
            all
        }
        TicketFormat::Eml => digest(&ticket, store, &thread, now)?,
    };
    out.write_all(&bytes)
        .and_then(|_| out.flush())
        .map_err(|e| Error::internal(format!("cannot write the export: {e}")).with_source(e))
}

fn as_json(ticket: &Ticket, thread: &[PublicEntry]) -> Value {
    let entries: Vec<Value> = thread
        .iter()
        .map(|e| {
            let (kind, from) = match &e.kind {
                PublicKind::Request { from } => ("request", Some(from)),
                PublicKind::Message { from } => ("message", Some(from)),
                PublicKind::Reply => ("reply", None),
                PublicKind::Chat => ("chat", None),
                PublicKind::Resolution => ("resolution", None),
                PublicKind::Status { .. } => ("status", None),
                PublicKind::Closed => ("close", None),
            };
            let mut v = json!({
                "entry_file": e.file,
                "kind": kind,
                "at": e.at.to_rfc3339(),
                "body": e.body,
            });
            if let Some(from) = from {
                v["from"] = json!(from);
            }
            if let PublicKind::Status { to } = &e.kind {
                v["to"] = json!(to);
            }
            if let Some(origin) = &e.origin {
                v["origin"] = json!(origin.as_str());
            }
            if let Some(m) = &e.mail {
                v["message_id"] = json!(m.message_id);
            }
            if e.redacted {
                v["redacted"] = json!(true);
            }
            if !e.attachments.is_empty() {
                v["attachments"] = e
                    .attachments
                    .iter()
                    .map(|a| json!({"name": a.name, "size": a.size}))
                    .collect();
            }
            v
        })
        .collect();
    json!({
        "ticket": {
            "id": ticket.id.as_str(),
            "subject": ticket.subject,
            "status": ticket.status,
            "customer": ticket.customer,
            "created_at": ticket.created_at.map(|t| t.to_rfc3339()),
            "closed_at": ticket.closed_at.map(|t| t.to_rfc3339()),
        },
        "entries": entries,
    })
}

/// The thread's entries with text as messages: the customer's with
/// their address as From, the team's from the desk's address (or a
/// placeholder when the config names none), threaded by the Message-IDs
/// recorded when they went by mail and by made-up ones otherwise.
fn messages(store: &Store, ticket: &Ticket, thread: &[PublicEntry]) -> Result<Vec<Outgoing>> {
    let desk = store.config().mail_from().unwrap_or_else(|| Party {
        name: Some("Support".into()),
        email: "support@tix.invalid".into(),
    });
    let customer = ticket.customer.clone().unwrap_or_else(|| Party {
        name: None,
        email: "customer@tix.invalid".into(),
    });
    let mut out: Vec<Outgoing> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for e in thread.iter().filter(|e| e.kind.is_text()) {
        let (from, to) = match &e.kind {
            PublicKind::Request { from } | PublicKind::Message { from } => {
                (from.clone(), vec![desk.clone()])
            }
            _ => (desk.clone(), vec![customer.clone()]),
        };
        let message_id = e
            .mail
            .as_ref()
            .map(|m| m.message_id.clone())
            .filter(|id| plain_id(id))
            .unwrap_or_else(|| {
                format!(
                    "{}.{}@tix.invalid",
                    e.file.trim_end_matches(".md"),
                    e.origin.unwrap_or(ticket.id)
                )
            });
        let subject = match (&e.mail, &e.kind) {
            (Some(m), _) if !e.redacted && !m.subject.trim().is_empty() => m.subject.clone(),
            (_, PublicKind::Request { .. }) => ticket.subject.clone(),
            _ => format!("Re: {}", ticket.subject),
        };
        let mut text = e.body.clone();
        let mut attachments = Vec::new();
        let mut budget = MAX_MAIL_ATTACHMENTS_BYTES;
        for a in &e.attachments {
            let bytes = if (a.size as usize) <= budget {
                store.read_file(&format!("{}/{}", Store::ticket_dir(&a.ticket), a.file))?
            } else {
                None
            };
            match bytes {
                Some(bytes) if bytes.len() <= budget => {
                    budget -= bytes.len();
                    attachments.push(OutgoingAttachment {
                        filename: base_name(&a.name),
                        content_type: "application/octet-stream".into(),
                        bytes,
                    });
                }
                _ => text.push_str(&format!(
                    "\n\n[attachment not included: {}]",
                    one_line(&a.name)
                )),
            }
        }
        out.push(Outgoing {
            from,
            to,
            cc: Vec::new(),
            bcc: Vec::new(),
            subject: one_line(&subject),
            text,
            message_id: message_id.clone(),
            in_reply_to: ids.last().cloned(),
            references: ids.iter().rev().take(20).rev().cloned().collect(),
            headers: Vec::new(),
            date: e.mail.as_ref().map_or(e.at, |m| m.sent_at).datetime(),
            attachments,
        });
        ids.push(message_id);
    }
    Ok(out)
}

/// A Message-ID tix can write back as it was: printable ASCII without
/// brackets or spaces, and short enough for a header line.
fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id.contains('@')
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\\'))
}

/// The last part of a sent file name: a mail program given
/// `../../etc/passwd` may not save it there, but no name of tix's says so.
fn base_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let last = one_line(last.trim_start_matches('.'));
    if last.trim().is_empty() {
        "attachment".into()
    } else {
        last
    }
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n']).collect::<Vec<_>>().join(" ")
}

/// Appends `message` to an mbox in mboxrd form: a `From ` line, every
/// line that starts with `>`s and `From ` given one more `>`, and a
/// blank line after, so a reader splits the messages where they were.
pub fn mboxrd(mbox: &mut Vec<u8>, sender: &str, date: DateTime<Utc>, message: &[u8]) {
    let sender: String = sender.chars().filter(|c| c.is_ascii_graphic()).collect();
    let sender = if sender.is_empty() {
        "MAILER-DAEMON".into()
    } else {
        sender
    };
    mbox.extend_from_slice(
        format!("From {sender} {}\n", date.format("%a %b %e %H:%M:%S %Y")).as_bytes(),
    );
    let text = String::from_utf8_lossy(message).replace("\r\n", "\n");
    for line in text.split_inclusive('\n') {
        if line.trim_start_matches('>').starts_with("From ") {
            mbox.push(b'>');
        }
        mbox.extend_from_slice(line.as_bytes());
    }
    if !mbox.ends_with(b"\n") {
        mbox.push(b'\n');
    }
    mbox.push(b'\n');
}

/// One message holding the thread: a text part saying what it is, then
/// each message as a `message/rfc822` part.
fn digest(
    ticket: &Ticket,
    store: &Store,
    thread: &[PublicEntry],
    now: Timestamp,
) -> Result<Vec<u8>> {
    let desk = store.config().mail_from().unwrap_or_else(|| Party {
        name: Some("Support".into()),
        email: "support@tix.invalid".into(),
    });
    let messages = messages(store, ticket, thread)?;
    let mailbox = |p: &Party| -> Result<Mailbox> {
        let address = p
            .email
            .parse()
            .map_err(|_| Error::invalid(format!("`{}` is not an e-mail address", p.email)))?;
        Ok(Mailbox::new(p.name.clone(), address))
    };
    let mut builder = lettre::Message::builder()
        .from(mailbox(&desk)?)
        .subject(one_line(&format!(
            "Ticket {}: {}",
            ticket.id, ticket.subject
        )))
        .date(SystemTime::from(
            thread.last().map_or(now, |e| e.at).datetime(),
        ))
        .message_id(Some(format!("<{}.export@tix.invalid>", ticket.id)));
    if let Some(c) = &ticket.customer {
        builder = builder.to(mailbox(c)?);
    } else {
        builder = builder.to(mailbox(&desk)?);
    }
    let intro = format!(
        "The messages of ticket {} ({}), {} in all, each attached as it was written.\n",
        ticket.id,
        one_line(&ticket.subject),
        messages.len()
    );
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(intro));
    for m in &messages {
        let bytes = send::render(m)?;
        // message/rfc822 takes 7bit, 8bit or binary only; lettre renders
        // ASCII lines (encoded words, quoted-printable or base64 bodies)
        // well under the limit, which is checked rather than assumed.
        let seven_bit = bytes.iter().all(|b| b.is_ascii() && *b != 0)
            && bytes.split(|b| *b == b'\n').all(|l| l.len() <= 998);
        if !seven_bit {
            return Err(Error::internal("a rendered message is not 7-bit text"));
        }
        parts = parts.singlepart(
            SinglePart::builder()
                .header(ContentType::parse("message/rfc822").map_err(|_| {
                    Error::internal("message/rfc822 is not a content type lettre reads")
                })?)
                .body(Body::dangerous_pre_encoded(
                    bytes,
                    ContentTransferEncoding::SevenBit,
                )),
        );
    }
    let built = builder
        .multipart(parts)
        .map_err(|e| Error::internal(format!("cannot build the message: {e}")))?;
    Ok(built.formatted())
}
