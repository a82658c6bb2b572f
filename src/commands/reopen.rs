//! `tix reopen`: a closed ticket back to open.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::{Event, Status};
use tix_core::error::Result;
use tix_core::ops::Draft;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct ReopenArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
}

pub fn cmd_reopen(ctx: &Ctx, args: ReopenArgs) -> Result<()> {
    write(ctx, &args.id, "reopen", |_, _, ticket| {
        Ok(if ticket.status == Status::Closed {
            vec![Draft::new(Event::Status {
                to: Status::Open,
                from: Some(Status::Closed),
            })]
        } else {
            vec![]
        })
    })?;
    Ok(())
}
