//! `tix reply`: a public answer for the customer, e-mailed when sending is
//! configured.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::mail::say_delivered;
use crate::ui::output::{print, warn};
use tix_core::domain::{Event, Party, Status};
use tix_core::error::{Error, Result};
use tix_core::mail::compose::Copies;
use tix_core::mail::respond::{self, CustomerReply};
use tix_core::ops::{self, Draft};

use super::prelude::{AttachArgs, BodyArgs, Ctx, StatusValue, report_rules};

#[derive(Args, Debug)]
pub struct ReplyArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Also set the status (default: a new ticket becomes open)
    #[arg(long, value_enum)]
    pub status: Option<StatusValue>,
    #[command(flatten)]
    pub attach: AttachArgs,
    /// A canned answer: the text of .tix/templates/NAME.md (after any -m/-F text)
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// Record the reply without e-mailing it
    #[arg(long)]
    pub no_send: bool,
    /// Also send this reply to ADDRESS in Cc (repeatable); recorded with
    /// the reply, not added to the ticket's Cc (that is `tix cc --add`)
    #[arg(long, value_name = "ADDRESS")]
    pub cc: Vec<String>,
    /// Send a blind copy to ADDRESS (repeatable); recorded with the reply,
    /// never in the mail's headers
    #[arg(long, value_name = "ADDRESS")]
    pub bcc: Vec<String>,
    /// Print the exact message the reply would send (headers and body,
    /// template applied) and write and send nothing
    #[arg(long, conflicts_with = "no_send")]
    pub preview: bool,
}

pub fn cmd_reply(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    // Read everything the user gives before taking the store lock; the
    // ticket and the attachments are checked before the editor opens, so
    // no text is written in vain.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = args.attach.read(store.config().max_attachment_bytes)?;
    let typed = match &args.template {
        Some(_) => args.body.given()?,
        None => Some(args.body.required("reply")?),
    };
    let wanted: Option<Status> = args.status.map(Into::into);
    let config = store.config();
    let mut body = typed.unwrap_or_default();
    if let Some(name) = &args.template {
        let text = respond::render_named(&store, id, &actor, name)?;
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(text.trim_end());
        body.push('\n');
    }
    // Sending: configured and wanted; prepared before anything is written
    // (a missing password is found now, not after the reply is recorded).
    let configured = config.mail.outgoing.is_some();
    let parse = |flag: &str, typed: &[String]| -> Result<Vec<Party>> {
        typed
            .iter()
            .map(|a| Party::parse(a).map_err(|e| Error::invalid(format!("--{flag}: {e}"))))
            .collect()
    };
    let copies = Copies {
        cc: parse("cc", &args.cc)?,
        bcc: parse("bcc", &args.bcc)?,
    };
    if (!copies.cc.is_empty() || !copies.bcc.is_empty())
        && !args.preview
        && (args.no_send || !configured)
    {
        return Err(Error::invalid(
            "--cc and --bcc copy the e-mail of a reply, and this one is not e-mailed (--no-send, or mail.outgoing is not configured)",
        ));
    }
    if args.preview {
        let mailer = CustomerReply::prepare_preview(&store)?.with_copies(copies);
        let (ticket, _) = tix_core::domain::fold(id, store.read_ticket(&id)?.entries);
        tix_core::ops::refuse_if_merged(&ticket)?;
        let (_, composed) = mailer.draft(&store, &ticket, &actor, (&body, &attachments), false)?;
        let Some(composed) = composed else {
            return Err(Error::internal("a preview composed no message"));
        };
        // The bytes as they would go out; nothing is recorded.
        std::io::Write::write_all(&mut std::io::stdout(), &composed.bytes)
            .map_err(|e| Error::internal(format!("cannot write the preview: {e}")))?;
        let bcc: Vec<String> = composed
            .outgoing
            .bcc
            .iter()
            .map(|p| p.email.clone())
            .collect();
        if !bcc.is_empty() {
            eprintln!("tix: blind copies (not in the headers): {}", bcc.join(", "));
        }
        eprintln!("tix: preview only: nothing was written or sent");
        return Ok(());
    }
    let mailer = CustomerReply::prepare(&store, configured && !args.no_send)?.with_copies(copies);
    // What this clone knows now (after the last `tix sync`): an answer by
    // someone else that this reply may repeat.
    let (_, trail) = tix_core::domain::fold(id, store.read_ticket(&id)?.entries);
    let answered = ops::answered_by_others(&trail, &actor.handle).map(|e| {
        format!(
            "{} already answered ticket {id} at {}, after the customer last wrote; \
             your reply is recorded as well",
            e.author,
            e.at.to_short_labelled()
        )
    });
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
    for w in outcome.warnings.iter().chain(&answered) {
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
    report_rules(&store, &outcome);
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
