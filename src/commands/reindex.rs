//! `tix reindex`: rebuild the derived indexes (tickets, search) from scratch.

use std::time::Instant;

use clap::Args;
use serde_json::json;

use crate::ui::output::{self, print};
use tix_core::error::Result;

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct ReindexArgs {
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_reindex(ctx: &Ctx, args: ReindexArgs) -> Result<()> {
    let store = ctx.store()?;
    let started = Instant::now();
    let index = store.reindex()?;
    let seconds = started.elapsed().as_secs_f64();
    let tickets = index.refresh.tickets;
    let search_started = Instant::now();
    tix_core::search::reindex(&store)?;
    let search_seconds = search_started.elapsed().as_secs_f64();
    match args.output.format {
        TextFormat::Json => print(&output::json(&json!({
            "tickets": tickets,
            "seconds": seconds,
            "search_seconds": search_seconds,
        }))?),
        TextFormat::Text => print(&format!(
            "Indexed {tickets} tickets in {seconds:.2} s, and their text for search in {search_seconds:.2} s.\n"
        )),
    }
}
