//! `tix forward`: a ticket's messages to a third party (a vendor, another
//! team), recorded as an internal note with its delivery.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::print;
use tix_core::domain::Party;
use tix_core::error::{Error, Result};
use tix_core::mail::respond::{self, Delivery, Forwarded};

use super::prelude::{AttachArgs, BodyArgs, Ctx};

#[derive(Args, Debug)]
pub struct ForwardArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Who gets it (repeatable); never added to the ticket's Cc
    #[arg(long, value_name = "ADDRESS", required = true)]
    pub to: Vec<String>,
    /// Only the customer's last message, not the whole thread
    #[arg(long)]
    pub last: bool,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub attach: AttachArgs,
}

pub fn cmd_forward(ctx: &Ctx, args: ForwardArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let to = args
        .to
        .iter()
        .map(|a| Party::parse(a).map_err(|e| Error::invalid(format!("--to: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let attachments = args.attach.read(store.config().max_attachment_bytes)?;
    let text = args.body.given()?.unwrap_or_default();
    let what = if args.last {
        Forwarded::Last
    } else {
        Forwarded::Thread
    };
    let (_, delivery) = respond::forward(&store, &actor, id, &to, &text, what, &attachments)?;
    let recipients: Vec<String> = to.iter().map(|p| p.email.clone()).collect();
    match delivery {
        Delivery::Sent | Delivery::NotConfigured => {
            print(&format!("{id} forwarded to {}\n", recipients.join(", ")))
        }
        Delivery::Failed(e) => Err(Error::new(
            e.kind(),
            format!(
                "the forward is recorded in ticket {id} but was not delivered: {}",
                e.message()
            ),
        )
        .with_hint("`tix outbox list` shows it; `tix outbox retry` sends it again")),
    }
}
