//! `tix tick`: the time rules, once.

use clap::Args;
use serde_json::json;

use crate::ui::output::{self, print, warn};
use tix_core::error::Result;
use tix_core::mail::answer::answer_filed;
use tix_core::mail::file::Importer;
use tix_core::ops;
use tix_core::rules::tick;
use tix_core::store::Store;

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct TickArgs {
    /// Say what would be done; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Tick even though this clone is not on duty (recorded in the commit)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub output: TextOutput,
}

/// Mail held for a ticket that had not reached this clone is tried again
/// on every tick too, so it does not wait for the next message.
fn retry_held_mail(store: &Store) -> Result<()> {
    if !store.has_remote() {
        return Ok(());
    }
    let mut importer = Importer::new(store, false)?;
    let filed = importer.retry_held()?;
    let (mut counts, warnings) = importer.finish()?;
    if !filed.is_empty() {
        answer_filed(store, &mut counts, warn);
    }
    for w in &warnings {
        warn(w);
    }
    Ok(())
}

pub fn cmd_tick(ctx: &Ctx, args: TickArgs) -> Result<()> {
    let store = ctx.store()?;
    if !args.dry_run {
        ctx.on_duty(&store, "tix tick", args.force)?;
        retry_held_mail(&store)?;
    }
    let ticked = tick::tick(&store, ops::now()?, args.dry_run)?;
    for w in &ticked.warnings {
        warn(w);
    }
    for f in &ticked.failed {
        warn(&format!(
            "recorded but not delivered (see `tix outbox list`): {f}"
        ));
    }
    if args.output.format == TextFormat::Json {
        return print(&output::json(&json!({
            "dry_run": args.dry_run,
            "actions": ticked.actions,
            "skipped": ticked.skipped,
        }))?);
    }
    let mut out = String::new();
    for a in &ticked.actions {
        out.push_str(&format!("{}\t{}\t{}\n", a.ticket, a.action, a.why));
    }
    for a in &ticked.skipped {
        out.push_str(&format!("{}\tskipped: {}\t{}\n", a.ticket, a.action, a.why));
    }
    let n = ticked.actions.len();
    out.push_str(&format!(
        "{}{n} action{}{}\n",
        if args.dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        if n == 1 { "" } else { "s" },
        if ticked.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} skipped", ticked.skipped.len())
        }
    ));
    print(&out)
}
