//! `tix tag` and `tix untag`.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct TagArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// One or more tags
    #[arg(required = true, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tags: Vec<String>,
}

pub fn cmd_tag(ctx: &Ctx, args: TagArgs) -> Result<()> {
    change_tags(ctx, args, true)
}

pub fn cmd_untag(ctx: &Ctx, args: TagArgs) -> Result<()> {
    change_tags(ctx, args, false)
}

fn change_tags(ctx: &Ctx, args: TagArgs, add: bool) -> Result<()> {
    for t in &args.tags {
        ops::check_tag(t)?;
    }
    let verb = if add { "tag" } else { "untag" };
    write(ctx, &args.id, verb, |_, _, ticket| {
        ops::change::tags(ticket, &args.tags, add)
    })?;
    Ok(())
}
