//! `tix snooze`: hide a ticket from the default list until a time.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Draft};

use super::prelude::{Ctx, future_time, is_several, write, write_on};
use tix_core::domain::Ticket;
use tix_core::ops::Actor;
use tix_core::store::Store;

#[derive(Args, Debug)]
pub struct SnoozeArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Until when (RFC 3339, a date, or a duration like 3d from now)
    #[arg(long, value_name = "TIME", required_unless_present = "wake")]
    pub until: Option<String>,
    /// Wake it now
    #[arg(long, conflicts_with = "until")]
    pub wake: bool,
}

pub fn cmd_snooze(ctx: &Ctx, args: SnoozeArgs) -> Result<()> {
    // The store's config says which zone `--until 2026-12-03 09:00` is in.
    let store = ctx.store()?;
    let now = ops::now()?;
    let until = match &args.until {
        Some(u) => Some(future_time("until", u, now)?),
        None => None,
    };
    let plan = |_: &Store, _: &Actor, ticket: &Ticket| {
        if until.is_none() && ticket.snoozed_until.is_none() {
            return Err(Error::invalid(format!(
                "ticket {} is not snoozed",
                ticket.id
            )));
        }
        if !ticket.is_open() {
            return Err(Error::invalid(format!(
                "ticket {} is closed; there is nothing to snooze",
                ticket.id
            )));
        }
        Ok(vec![Draft::new(Event::Snooze { until })])
    };
    if is_several(&args.id) {
        write(ctx, &args.id, "snooze", plan)?;
    } else {
        let actor = ctx.actor(&store)?;
        let id = store.resolve_id(&args.id)?;
        write_on(&store, &actor, id, "snooze", plan)?;
    }
    Ok(())
}
