//! `tix reply` and `tix comment`: entries whose point is their text.

use crate::cli::output::{print, warn};
use crate::cli::{CommentArgs, ReplyArgs, input};
use tix_core::domain::{Event, Status, TicketId};
use tix_core::error::{Error, Result};
use tix_core::mail::compose::Composed;
use tix_core::mail::respond::{self, CustomerReply};
use tix_core::mail::template;
use tix_core::ops::{self, Actor, Draft};
use tix_core::store::Store;

use super::{Ctx, write_on};

pub fn reply(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    // Read everything the user gives before taking the store lock; the
    // ticket and the attachments are checked before the editor opens, so
    // no text is written in vain.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = input::read_attachments(&args.attach, store.config().max_attachment_bytes)?;
    let typed = match &args.template {
        Some(_) => input::given_body(&args.body)?,
        None => Some(input::required_body(&args.body, "reply")?),
    };
    let wanted: Option<Status> = args.status.map(Into::into);
    let config = store.config();
    let mut body = typed.unwrap_or_default();
    if let Some(name) = &args.template {
        let text = respond::render_for(&store, id, &actor, &template::load(&store, name)?)?;
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(text.trim_end());
        body.push('\n');
    }
    // Sending: configured and wanted; prepared before anything is written
    // (a missing password is found now, not after the reply is recorded).
    let configured = config.mail.outgoing.is_some();
    let mailer = CustomerReply::prepare(&store, configured && !args.no_send)?;
    let mut composed = None;
    let outcome = ops::append(&store, &actor, id, "reply", |ticket| {
        let (reply, message) =
            mailer.draft(&store, ticket, &actor, (&body, &attachments), false)?;
        composed = message;
        let mut drafts = vec![reply];
        // Answering a new ticket means someone is on it.
        let next = wanted.or((ticket.status == Status::New).then_some(Status::Open));
        if let Some(to) = next.filter(|to| *to != ticket.status) {
            drafts.push(Draft::new(if to == Status::Closed {
                Event::Close {}
            } else {
                Event::Status {
                    to,
                    from: Some(ticket.status),
                }
            }));
        }
        Ok(drafts)
    })?;
    let Some(outcome) = outcome else {
        return Ok(());
    };
    for w in &outcome.warnings {
        warn(w);
    }
    // Said only now: a refused write (a locked ticket, say) recorded nothing.
    if !args.no_send && !configured {
        warn(
            "the reply is recorded but not e-mailed: mail.outgoing is not configured (see docs/mail.md); --no-send silences this",
        );
    }
    let detail = match outcome.detail.as_str() {
        "" => String::new(),
        d => format!(" {d}"),
    };
    print(&format!(
        "{} reply{detail}: {}\n",
        outcome.id, outcome.ticket.subject
    ))?;
    match composed {
        Some(composed) => deliver(&store, &actor, id, &outcome.files[0], &mailer, &composed),
        None => Ok(()),
    }
}

/// Sends a recorded reply, records what happened, and says so; a failed
/// send is an error naming what to do next.
pub fn deliver(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    entry: &str,
    mailer: &CustomerReply,
    composed: &Composed,
) -> Result<()> {
    match mailer.deliver(store, actor, id, entry, composed)? {
        None => Ok(()),
        Some(Ok(())) => print(&format!(
            "{id} reply e-mailed to {} via {}\n",
            composed.outgoing.recipients().join(", "),
            mailer.describe()
        )),
        Some(Err(e)) => Err(not_delivered(id, &e)),
    }
}

/// The error for a reply recorded but not delivered.
pub fn not_delivered(id: TicketId, e: &Error) -> Error {
    Error::new(
        e.kind(),
        format!(
            "the reply is recorded in ticket {id} but was not delivered: {}",
            e.message()
        ),
    )
    .with_hint("`tix outbox list` shows it; `tix outbox retry` sends it again")
}

pub fn comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    // The ticket and the attachments are checked before the editor opens.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = input::read_attachments(&args.attach, store.config().max_attachment_bytes)?;
    let body = input::required_body(&args.body, "note")?;
    write_on(&store, &actor, id, "comment", |_, _, _| {
        Ok(vec![Draft {
            event: Event::Note { mail: None },
            body,
            attachments,
            original: None,
            author: None,
            mail_text: None,
        }])
    })?;
    Ok(())
}
