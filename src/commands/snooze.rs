//! `tix snooze`: hide a ticket from the default list until a time.

use crate::cli::SnoozeArgs;
use tix_core::domain::Event;
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Draft};

use super::{Ctx, filter, write_on};

pub fn run(ctx: &Ctx, args: SnoozeArgs) -> Result<()> {
    // The store's config says which zone `--until 2026-12-03 09:00` is in.
    let (store, actor, id) = ctx.target(&args.id)?;
    let now = ops::now()?;
    let until = match &args.until {
        Some(u) => Some(filter::future_time("until", u, now)?),
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
