//! `tix reply` and `tix comment`: entries whose point is their text.

use crate::cli::output::{print, warn};
use crate::cli::{CommentArgs, ReplyArgs, input};
use crate::domain::{Event, Status, TicketId, fold};
use crate::error::{Error, Result};
use crate::mail::compose::{self, Writer};
use crate::mail::respond::{self, Envelope};
use crate::mail::send::{self, Transport};
use crate::mail::template;
use crate::ops::{self, Actor, Draft};
use crate::store::Store;

use super::{Ctx, write};

pub fn reply(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    // Read everything the user gives before taking the store lock.
    let typed = match &args.template {
        Some(_) => input::given_body(&args.body)?,
        None => Some(input::required_body(&args.body, "reply")?),
    };
    let attachments = input::read_attachments(&args.attach)?;
    let wanted: Option<Status> = args.status.map(Into::into);
    let (store, actor, id) = ctx.target(&args.id)?;
    let config = store.config();
    let mut body = typed.unwrap_or_default();
    if let Some(name) = &args.template {
        let canned = template::load(&store, name)?;
        let ticket = store.read_ticket(&id)?;
        let (state, trail) = fold(id, ticket.entries);
        let writer = Writer {
            name: &actor.name,
            email: &actor.email,
        };
        let text = canned.render(&compose::template_values(
            config, &state, &trail, &writer, "",
        ));
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(text.trim_end());
        body.push('\n');
    }
    // Sending: configured, wanted, and possible before anything is written
    // (a missing password is found now, not after the reply is recorded).
    let transport = if args.no_send {
        None
    } else if config.mail.outgoing.is_none() {
        warn(
            "the reply is recorded but not e-mailed: mail.outgoing is not configured (see docs/mail.md); --no-send silences this",
        );
        None
    } else {
        Some(send::transport(&config.mail, store.root())?)
    };
    let reply_template = match transport {
        Some(_) => Some(template::load(&store, "reply")?),
        None => None,
    };
    let mut composed_out = None;
    let outcome = ops::append(&store, &actor, id, "reply", |ticket| {
        let mut reply = Draft {
            event: Event::Reply { mail: None },
            body: body.clone(),
            attachments: attachments.clone(),
            original: None,
        };
        if let Some(template) = &reply_template {
            let files = store.read_ticket(&id)?;
            let (_, trail) = fold(id, files.entries);
            let writer = Writer {
                name: &actor.name,
                email: &actor.email,
            };
            let composed = compose::to_customer(
                &compose::Context {
                    config,
                    ticket,
                    trail: &trail,
                    writer,
                },
                &compose::Content {
                    template,
                    text: &body,
                    attachments: &attachments,
                    automatic: false,
                },
                ops::now()?,
            )?;
            reply.event = Event::Reply {
                mail: Some(Box::new(composed.meta.clone())),
            };
            reply.original = Some(composed.bytes.clone());
            composed_out = Some(composed);
        }
        let mut drafts = vec![reply];
        // Answering a new ticket means someone is on it.
        let next = wanted.or((ticket.status == Status::New).then_some(Status::Open));
        if let Some(to) = next.filter(|to| *to != ticket.status) {
            if to == Status::Closed {
                ops::check_closable(store.config(), ticket, &[])?;
            }
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
    print(&format!(
        "{} reply: {}\n",
        outcome.id, outcome.ticket.subject
    ))?;
    let (Some(transport), Some(composed)) = (transport, composed_out) else {
        return Ok(());
    };
    let entry = outcome.files[0].clone();
    deliver(
        &store,
        &actor,
        id,
        &entry,
        transport.as_ref(),
        &Envelope {
            from: &composed.outgoing.from.email,
            recipients: &composed.outgoing.recipients(),
        },
        &composed.bytes,
    )
}

/// Sends a recorded reply, records what happened, and says so; a failed
/// send is an error naming what to do next.
pub fn deliver(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    entry: &str,
    transport: &dyn Transport,
    envelope: &Envelope<'_>,
    bytes: &[u8],
) -> Result<()> {
    match respond::deliver(store, actor, id, entry, transport, envelope, bytes)? {
        Ok(()) => print(&format!(
            "{id} reply e-mailed to {} via {}\n",
            envelope.recipients.join(", "),
            transport.describe()
        )),
        Err(e) => Err(Error::new(
            e.kind(),
            format!(
                "the reply is recorded in ticket {id} but was not delivered: {}",
                e.message()
            ),
        )
        .with_hint("`tix outbox list` shows it; `tix outbox retry` sends it again")),
    }
}

pub fn comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    let body = input::required_body(&args.body, "note")?;
    let attachments = input::read_attachments(&args.attach)?;
    write(ctx, &args.id, "comment", |_, _, _| {
        Ok(vec![Draft {
            event: Event::Note { mail: None },
            body,
            attachments,
            original: None,
        }])
    })?;
    Ok(())
}
