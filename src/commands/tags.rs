//! `tix tags`: the tags in use with their counts, and renaming or merging
//! a tag on every ticket that has it.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;
use tix_core::ops::tags::{self, Retag};
use tix_core::query;

use super::prelude::{Ctx, ListFormat, ListOutput};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TagsArgs {
    #[command(subcommand)]
    pub command: Option<TagsCommand>,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Subcommand, Debug)]
pub enum TagsCommand {
    /// Rename a tag on every ticket that has it (one commit); NEW must not
    /// be in use, unless it is OLD in another spelling
    Rename {
        #[arg(value_name = "OLD", add = ArgValueCompleter::new(complete::tags))]
        old: String,
        #[arg(value_name = "NEW")]
        new: String,
    },
    /// Fold tag FROM into tag INTO on every ticket that has FROM (one commit)
    Merge {
        #[arg(value_name = "FROM", add = ArgValueCompleter::new(complete::tags))]
        from: String,
        #[arg(value_name = "INTO", add = ArgValueCompleter::new(complete::tags))]
        into: String,
    },
}

pub fn cmd_tags(ctx: &Ctx, args: TagsArgs) -> Result<()> {
    match args.command {
        None => list(ctx, args.output),
        Some(TagsCommand::Rename { old, new }) => retag(ctx, &old, &new, Retag::Rename),
        Some(TagsCommand::Merge { from, into }) => retag(ctx, &from, &into, Retag::Merge),
    }
}

fn list(ctx: &Ctx, output: ListOutput) -> Result<()> {
    let store = ctx.store()?;
    let counts = query::tags::counts(&store)?;
    let header = ["tag", "count", "open"];
    let cells = || {
        counts
            .iter()
            .map(|c| vec![c.tag.clone(), c.count.to_string(), c.open.to_string()])
            .collect::<Vec<_>>()
    };
    match output::list_format(output.format) {
        ListFormat::Json => print(&output::json(&counts)?),
        ListFormat::Ids => print(
            &counts
                .iter()
                .map(|c| format!("{}\n", c.tag))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(&header, &cells())?),
        ListFormat::Tsv => {
            let mut out = output::Tsv::new(&header, counts.len());
            for row in cells() {
                for cell in &row {
                    out.cell(cell);
                }
                out.end_row();
            }
            print(&out.finish())
        }
        ListFormat::Table if counts.is_empty() => print("No ticket has a tag.\n"),
        ListFormat::Table => print(&output::table(&["Tag", "Tickets", "Open"], &cells())),
    }
}

fn retag(ctx: &Ctx, from: &str, to: &str, how: Retag) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let done = tags::retag(&store, &actor, from, to, how)?;
    for w in &done.warnings {
        output::warn(w);
    }
    for (id, why) in &done.skipped {
        output::warn(&format!("{id} keeps tag `{from}`: {why}"));
    }
    let n = done.changed.len();
    let what = match how {
        Retag::Rename => format!("Renamed tag `{from}` to `{to}`"),
        Retag::Merge => format!("Merged tag `{from}` into `{to}`"),
    };
    print(&format!(
        "{what} on {n} ticket{}{}\n",
        if n == 1 { "" } else { "s" },
        done.commit
            .as_deref()
            .map(|c| format!(" ({})", &c[..c.len().min(7)]))
            .unwrap_or_default()
    ))
}
