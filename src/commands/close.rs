//! `tix close`: closing a ticket, asking for the fields it requires, and
//! optionally locking it.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::{complete, input};
use tix_core::domain::fold;
use tix_core::error::{Error, Result};
use tix_core::ops::{self};

use super::prelude::{Ctx, is_several, parse_field_args, write};

#[derive(Args, Debug)]
pub struct CloseArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Also lock the ticket: it can never be silently reopened
    #[arg(long)]
    pub lock: bool,
    /// An internal resolution note (with --resolution: the resolution)
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    /// Record the text of -m as the ticket's resolution (public, offered
    /// later on similar tickets) rather than as an internal note
    #[arg(long, requires = "message")]
    pub resolution: bool,
    /// Set a custom field on the way (repeatable), e.g. one required at close
    #[arg(long = "field", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::field_assignments))]
    pub fields: Vec<String>,
}

pub fn cmd_close(ctx: &Ctx, args: CloseArgs) -> Result<()> {
    let verb = if args.lock { "close-and-lock" } else { "close" };
    let (note, resolution) = if args.resolution {
        (None, args.message.as_deref())
    } else {
        (args.message.as_deref(), None)
    };
    if is_several(&args.id) {
        // Nothing is asked per ticket: a field a ticket still needs must
        // come with --field, or that ticket refuses.
        let config = ctx.store()?.config().clone();
        let fields = parse_field_args(&config, &args.fields)?;
        if args.lock
            && !input::confirm(
                "Lock these tickets? Only an admin can unlock them.",
                ctx.yes,
            )?
        {
            return Err(Error::invalid("not locked: cancelled"));
        }
        write(ctx, &args.id, verb, |_, _, ticket| {
            Ok(ops::close::drafts(
                ticket, &fields, note, resolution, args.lock,
            ))
        })?;
        return Ok(());
    }
    // Prompts happen before the lock is taken; the plan re-checks under it.
    let store = ctx.store()?;
    let config = store.config().clone();
    let id = store.resolve_id(&args.id)?;
    let current = fold(id, store.read_ticket(&id)?.entries).0;
    drop(store);
    let mut fields = parse_field_args(&config, &args.fields)?;
    for def in ops::close::missing_fields(&config, &current, &fields)? {
        fields.push((def.name.clone(), input::field_to_close(id, def)?));
    }
    if args.lock
        && current.locked.is_none()
        && !input::confirm(&format!("Lock {id}? Only an admin can unlock it."), ctx.yes)?
    {
        return Err(Error::invalid("not locked: cancelled"));
    }
    write(ctx, id.as_str(), verb, |_, _, ticket| {
        Ok(ops::close::drafts(
            ticket, &fields, note, resolution, args.lock,
        ))
    })?;
    Ok(())
}
