//! `tix comment` (`tix note`): a private note for the team.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::Result;
use tix_core::ops::Draft;

use super::prelude::{AttachArgs, BodyArgs, Ctx, is_several, write, write_on};

#[derive(Args, Debug)]
pub struct CommentArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub attach: AttachArgs,
}

pub fn cmd_comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    if is_several(&args.id) {
        let store = ctx.store()?;
        let attachments = args.attach.read(store.config().max_attachment_bytes)?;
        let body = args.body.required("note")?;
        write(ctx, &args.id, "comment", |_, _, _| {
            Ok(vec![Draft::with_attachments(
                Event::Note { mail: None },
                body.clone(),
                attachments.clone(),
            )])
        })?;
        return Ok(());
    }
    // The ticket and the attachments are checked before the editor opens.
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = args.attach.read(store.config().max_attachment_bytes)?;
    let body = args.body.required("note")?;
    write_on(&store, &actor, id, "comment", |_, _, _| {
        Ok(vec![Draft::with_attachments(
            Event::Note { mail: None },
            body,
            attachments,
        )])
    })?;
    Ok(())
}
