//! `tix reindex`: rebuild the derived index from scratch.

use std::time::Instant;

use serde_json::json;

use crate::cli::{CheckArgs, TextFormat};
use crate::ui::output::{self, print};
use tix_core::error::Result;

use super::Ctx;

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<()> {
    let store = ctx.store()?;
    let started = Instant::now();
    let index = store.reindex()?;
    let seconds = started.elapsed().as_secs_f64();
    let tickets = index.refresh.tickets;
    match args.format {
        TextFormat::Json => print(&output::json(
            &json!({ "tickets": tickets, "seconds": seconds }),
        )?),
        TextFormat::Text => print(&format!("Indexed {tickets} tickets in {seconds:.2} s.\n")),
    }
}
