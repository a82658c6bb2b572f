//! `tix snooze`: hide a ticket from the default list until a time.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Draft};

use super::prelude::{Ctx, future_time, write_on};

#[derive(Args, Debug)]
pub struct SnoozeArgs {
    /// Ticket id, or any unique prefix of it
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
    let (store, actor, id) = ctx.target(&args.id)?;
    let now = ops::now()?;
    let until = match &args.until {
        Some(u) => Some(future_time("until", u, now)?),
        None => None,
    };
    write_on(&store, &actor, id, "snooze", |_, _, ticket| {
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
    })?;
    Ok(())
}
