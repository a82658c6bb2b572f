//! `tix status`: a ticket's status; `closed` closes it as `tix close` does.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::{complete, input};
use tix_core::domain::{Status, fold};
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, StatusValue, is_several, write};

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new status
    #[arg(value_enum)]
    pub status: StatusValue,
}

pub fn cmd_status(ctx: &Ctx, args: StatusArgs) -> Result<()> {
    let to: Status = args.status.into();
    if to == Status::Closed && !is_several(&args.id) {
        // A close like `tix close ID`'s: the fields it requires are asked
        // for before the lock is taken, and the plan re-checks under it.
        let store = ctx.store()?;
        let config = store.config().clone();
        let id = store.resolve_id(&args.id)?;
        let current = fold(id, store.read_ticket(&id)?.entries).0;
        drop(store);
        let mut fields = Vec::new();
        for def in ops::close::missing_fields(&config, &current, &fields)? {
            fields.push((def.name.clone(), input::field_to_close(id, def)?));
        }
        write(ctx, id.as_str(), "close", |_, _, ticket| {
            Ok(ops::close::drafts(ticket, &fields, None, None, false))
        })?;
        return Ok(());
    }
    if to == Status::Closed {
        write(ctx, &args.id, "close", |_, _, ticket| {
            Ok(ops::close::drafts(ticket, &[], None, None, false))
        })?;
        return Ok(());
    }
    write(ctx, &args.id, "status", |_, _, ticket| {
        Ok(ops::change::status(ticket, to))
    })?;
    Ok(())
}
