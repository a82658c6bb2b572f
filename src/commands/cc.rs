//! `tix cc`: who else is copied on a ticket's mail.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::{Event, Party};
use tix_core::error::{Error, Result};
use tix_core::ops::Draft;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct CcArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Add this address (repeatable)
    #[arg(long = "add", value_name = "ADDRESS")]
    pub add: Vec<String>,
    /// Remove this address (repeatable)
    #[arg(long = "remove", value_name = "ADDRESS")]
    pub remove: Vec<String>,
}

pub fn cmd_cc(ctx: &Ctx, args: CcArgs) -> Result<()> {
    if args.add.is_empty() && args.remove.is_empty() {
        return Err(Error::invalid(
            "nothing to do: give --add ADDRESS and/or --remove ADDRESS",
        ));
    }
    let add = args
        .add
        .iter()
        .map(|a| Party::parse(a).map_err(|e| Error::invalid(format!("--add: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    write(ctx, &args.id, "cc", |_, _, ticket| {
        let add: Vec<Party> = add
            .iter()
            .filter(|p| !ticket.cc.iter().any(|c| c.same_address(&p.email)))
            .cloned()
            .collect();
        let remove: Vec<String> = args
            .remove
            .iter()
            .filter(|r| ticket.cc.iter().any(|c| c.same_address(r)))
            .cloned()
            .collect();
        Ok(if add.is_empty() && remove.is_empty() {
            vec![]
        } else {
            vec![Draft::new(Event::Cc { add, remove })]
        })
    })?;
    Ok(())
}
