//! `tix department`: move a ticket to another department (its sender,
//! templates, SLA targets and reports), or out of every department.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::error::{Error, Result};
use tix_core::ops;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct DepartmentArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The department (of `mail.departments`)
    #[arg(
        value_name = "DEPARTMENT",
        required_unless_present = "none",
        add = ArgValueCompleter::new(complete::departments)
    )]
    pub department: Option<String>,
    /// Take the ticket out of its department (mail goes out from the
    /// team's address)
    #[arg(long, conflicts_with = "department")]
    pub none: bool,
    /// Why, as an internal note on the entry
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,
}

pub fn cmd_department(ctx: &Ctx, args: DepartmentArgs) -> Result<()> {
    let to = match (&args.department, args.none) {
        (Some(name), false) => {
            let store = ctx.store()?;
            Some(ops::check_department(store.config(), name)?.name.clone())
        }
        (None, true) => None,
        _ => return Err(Error::invalid("give a DEPARTMENT or --none")),
    };
    let why = args.message.unwrap_or_default();
    write(ctx, &args.id, "department", |_, _, ticket| {
        Ok(ops::change::department(ticket, to.as_deref(), &why))
    })?;
    Ok(())
}
