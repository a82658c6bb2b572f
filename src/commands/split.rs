//! `tix split ID --from ENTRY`: a new problem that arrived on an old
//! ticket goes on as a ticket of its own.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print, warn};
use tix_core::error::Result;
use tix_core::ops::{self, merge::SplitEntries};

use super::prelude::{CreateFormat, Ctx};

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["from", "entries"]))]
pub struct SplitArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// This entry and every later message, reply and note (an entry file
    /// name as `tix show --format json` gives it, or a unique start of it)
    #[arg(long, value_name = "ENTRY")]
    pub from: Option<String>,
    /// Just these entries, comma-separated
    #[arg(long, value_name = "ENTRY,…", value_delimiter = ',')]
    pub entries: Vec<String>,
    /// The new ticket's subject (default: the first entry's mail subject)
    #[arg(long)]
    pub subject: Option<String>,
    /// What to print: the new ticket's id only (default when piped), text,
    /// or json
    #[arg(long, value_enum)]
    pub format: Option<CreateFormat>,
}

pub fn cmd_split(ctx: &Ctx, args: SplitArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let which = match args.from {
        Some(from) => SplitEntries::From(from),
        None => SplitEntries::Only(args.entries),
    };
    let done = ops::merge::split(&store, &actor, id, which, args.subject)?;
    for w in &done.new.warnings {
        warn(w);
    }
    let format = args.format.unwrap_or(if output::stdout_is_terminal() {
        CreateFormat::Text
    } else {
        CreateFormat::Ids
    });
    match format {
        CreateFormat::Ids => print(&format!("{}\n", done.new.id)),
        CreateFormat::Text => print(&format!(
            "{} split from {id} ({} entr{}): {}\n",
            done.new.id,
            done.entries.len(),
            if done.entries.len() == 1 { "y" } else { "ies" },
            output::for_stdout(&done.new.ticket.subject)
        )),
        CreateFormat::Json => print(&output::json(&done.new.ticket)?),
    }
}
