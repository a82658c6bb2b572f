//! `tix log-chat`: a chat with the customer, its transcript recorded on
//! the ticket.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::domain::channel::check_transcript;
use tix_core::error::{Error, Result};
use tix_core::ops::Draft;

use super::prelude::{AttachArgs, BodyArgs, Ctx, write_on};

#[derive(Args, Debug)]
pub struct LogChatArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub attach: AttachArgs,
}

pub fn cmd_log_chat(ctx: &Ctx, args: LogChatArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = args.attach.read(store.config().max_attachment_bytes)?;
    let body = args.body.required("chat transcript")?;
    let source = match &args.body.file {
        Some(p) if p.as_os_str() == "-" => "standard input".to_string(),
        Some(p) => p.display().to_string(),
        None => "the transcript".to_string(),
    };
    check_transcript(&body, &source).map_err(Error::invalid)?;
    write_on(&store, &actor, id, "log-chat", |_, _, _| {
        Ok(vec![Draft::with_attachments(
            Event::Chat {},
            body,
            attachments,
        )])
    })?;
    Ok(())
}
