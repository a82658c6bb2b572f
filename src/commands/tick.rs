//! `tix tick`: the time rules, once.

use serde_json::json;

use crate::cli::output::{self, print};
use crate::cli::{TextFormat, TickArgs};
use crate::error::Result;
use crate::ops;
use crate::rules::tick;

use super::Ctx;

pub fn run(ctx: &Ctx, args: TickArgs) -> Result<()> {
    let store = ctx.store()?;
    let actions = tick::tick(&store, ops::now()?, args.dry_run)?;
    if args.format == TextFormat::Json {
        return print(&output::json(&json!({
            "dry_run": args.dry_run,
            "actions": actions,
        }))?);
    }
    let mut out = String::new();
    for a in &actions {
        out.push_str(&format!("{}\t{}\t{}\n", a.ticket, a.action, a.why));
    }
    out.push_str(&format!(
        "{}{} action{}\n",
        if args.dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        actions.len(),
        if actions.len() == 1 { "" } else { "s" }
    ));
    print(&out)
}
