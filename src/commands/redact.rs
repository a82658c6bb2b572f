//! `tix redact`: hide an entry from every view, keeping who and why.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, report_rules};

#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The entry, by its file name (`entry_file` in `tix show --format
    /// json`) or a unique start of it
    pub entry: String,
    /// Why it is hidden (kept in the trail)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

pub fn cmd_redact(ctx: &Ctx, args: RedactArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let outcome = ops::redact::redact(&store, &actor, id, &args.entry, &args.reason)?;
    for w in &outcome.warnings {
        output::warn(w);
    }
    print(&format!(
        "{id} redact {}: {}\n",
        outcome.detail, outcome.ticket.subject
    ))?;
    report_rules(&store, &outcome);
    Ok(())
}
