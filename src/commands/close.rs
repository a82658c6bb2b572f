//! Closing, reopening, locking and unlocking.

use crate::cli::{CloseArgs, LockArgs, ReopenArgs};
use crate::ui::input;
use tix_core::domain::{Event, Status, fold};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops::{self, Draft};

use super::{Ctx, parse_field_args, write};

pub fn close(ctx: &Ctx, args: CloseArgs) -> Result<()> {
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
    let verb = if args.lock { "close-and-lock" } else { "close" };
    write(ctx, id.as_str(), verb, |_, _, ticket| {
        Ok(ops::close::drafts(
            ticket,
            &fields,
            args.message.as_deref(),
            args.lock,
        ))
    })?;
    Ok(())
}

pub fn reopen(ctx: &Ctx, args: ReopenArgs) -> Result<()> {
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

pub fn lock(ctx: &Ctx, args: LockArgs) -> Result<()> {
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

pub fn unlock(ctx: &Ctx, args: LockArgs) -> Result<()> {
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
