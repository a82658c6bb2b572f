//! `tix log`: the commits that touched one ticket.

use crate::cli::{LogArgs, TextFormat};
use crate::ui::output::{self, print};
use tix_core::error::Result;

use super::Ctx;

pub fn run(ctx: &Ctx, args: LogArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let commits = store.ticket_log(&id)?;
    match args.format {
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
