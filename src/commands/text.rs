//! `tix reply` and `tix comment`: entries whose point is their text.

use crate::cli::{CommentArgs, ReplyArgs};
use crate::ui::input;
use crate::ui::mail::say_delivered;
use crate::ui::output::{print, warn};
use tix_core::domain::{Event, Status};
use tix_core::error::Result;
use tix_core::mail::respond::{self, CustomerReply};
use tix_core::mail::template;
use tix_core::ops::{self, Draft};

use super::{Ctx, write_on};

pub fn reply(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    // Read everything the user gives before taking the store lock; the
    // ticket and the attachments are checked before the editor opens, so
    // no text is written in vain.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = input::read_attachments(&args.attach, store.config().max_attachment_bytes)?;
    let typed = match &args.template {
        Some(_) => args.body.given()?,
        None => Some(args.body.required("reply")?),
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
        Some(composed) => {
            let sent = mailer.deliver(&store, &actor, id, &outcome.files[0], &composed)?;
            say_delivered(
                id,
                &composed.outgoing.recipients(),
                &mailer.describe(),
                sent,
            )
        }
        None => Ok(()),
    }
}

pub fn comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    // The ticket and the attachments are checked before the editor opens.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = input::read_attachments(&args.attach, store.config().max_attachment_bytes)?;
    let body = args.body.required("note")?;
    write_on(&store, &actor, id, "comment", |_, _, _| {
        Ok(vec![Draft {
            event: Event::Note { mail: None },
            body,
            attachments,
            original: None,
            author: None,
        }])
    })?;
    Ok(())
}
