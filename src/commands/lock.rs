//! `tix lock` and `tix unlock`: a ticket frozen against every change, and
//! freed again by an admin.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops::Draft;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct LockArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Why
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
}

pub fn cmd_lock(ctx: &Ctx, args: LockArgs) -> Result<()> {
    write(ctx, &args.id, "lock", |_, _, ticket| {
        Ok(if ticket.locked.is_some() {
            vec![]
        } else {
            vec![Draft::with_body(
                Event::Lock {},
                args.message.clone().unwrap_or_default(),
            )]
        })
    })?;
    Ok(())
}

pub fn cmd_unlock(ctx: &Ctx, args: LockArgs) -> Result<()> {
    write(ctx, &args.id, "unlock", |_, actor, ticket| {
        if !actor.admin {
            return Err(Error::new(
                ErrorKind::Denied,
                format!(
                    "only an admin can unlock ticket {}; {} is not one",
                    ticket.id, actor.handle
                ),
            )
            .with_hint("admins have `roles: [admin]` in .tix/config.yaml"));
        }
        Ok(if ticket.locked.is_none() {
            vec![]
        } else {
            vec![Draft::with_body(
                Event::Unlock {},
                args.message.clone().unwrap_or_default(),
            )]
        })
    })?;
    Ok(())
}
