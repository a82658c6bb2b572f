//! `tix assign`: a ticket to an agent, or to nobody.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct AssignArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Agent handle or address; `me` for yourself
    #[arg(required_unless_present = "none", add = ArgValueCompleter::new(complete::agents))]
    pub agent: Option<String>,
    /// Remove the assignee
    #[arg(long, conflicts_with = "agent")]
    pub none: bool,
}

pub fn cmd_assign(ctx: &Ctx, args: AssignArgs) -> Result<()> {
    write(ctx, &args.id, "assign", |store, actor, ticket| {
        ops::change::assign(store.config(), &actor.handle, ticket, args.agent.as_deref())
    })?;
    Ok(())
}
