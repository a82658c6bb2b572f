//! `tix merge SOURCE into TARGET` and `tix unmerge SOURCE`: one ticket
//! from two, both trails kept, and back.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print, warn};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;

use super::prelude::Ctx;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The duplicate: it becomes a closed pointer to TARGET
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub source: String,
    /// The word `into`
    #[arg(value_name = "into")]
    pub into: String,
    /// The ticket that goes on, showing both trails
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub target: String,
}

pub fn cmd_merge(ctx: &Ctx, args: MergeArgs) -> Result<()> {
    if args.into != "into" {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "expected `into` between the two tickets, found `{}`",
                args.into
            ),
        )
        .with_hint("usage: tix merge SOURCE into TARGET"));
    }
    let (store, actor, source) = ctx.target(&args.source)?;
    let target = store.resolve_id(&args.target)?;
    let done = ops::merge::merge(&store, &actor, source, target)?;
    for w in &done.warnings {
        warn(w);
    }
    if let Some(named) = done.followed_from {
        eprintln!(
            "tix: {named} was merged into {} already; merged {source} into {}",
            done.target, done.target
        );
    }
    print(&format!(
        "{source} merged into {}: {}\n",
        done.target,
        output::for_stdout(&done.subject)
    ))
}

#[derive(Args, Debug)]
pub struct UnmergeArgs {
    /// The ticket that was merged into another
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub source: String,
}

pub fn cmd_unmerge(ctx: &Ctx, args: UnmergeArgs) -> Result<()> {
    let (store, actor, source) = ctx.target(&args.source)?;
    let done = ops::merge::unmerge(&store, &actor, source)?;
    for w in &done.warnings {
        warn(w);
    }
    print(&format!("{source} unmerged from {}\n", done.target))
}
