//! `tix priority`: how urgent a ticket is.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Priority;
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, PriorityValue, write};

#[derive(Args, Debug)]
pub struct PriorityArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new priority
    #[arg(value_enum)]
    pub priority: PriorityValue,
}

pub fn cmd_priority(ctx: &Ctx, args: PriorityArgs) -> Result<()> {
    let to: Priority = args.priority.into();
    write(ctx, &args.id, "priority", |_, _, ticket| {
        Ok(ops::change::priority(ticket, to))
    })?;
    Ok(())
}
