//! `tix log`: the commits that touched one ticket.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct LogArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_log(ctx: &Ctx, args: LogArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let commits = store.ticket_log(&id)?;
    match args.output.format {
        TextFormat::Json => print(&output::json(&commits)?),
        TextFormat::Text => {
            let s = output::Style {
                on: output::stdout_color(),
            };
            let text: String = commits
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {} <{}> {}\n",
                        s.yellow(&c.commit[..10.min(c.commit.len())]),
                        c.at.to_short_labelled(),
                        c.author,
                        c.email,
                        c.summary
                    )
                })
                .collect();
            print(&text)
        }
    }
}
