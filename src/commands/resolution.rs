//! `tix resolution`: record what solved a ticket, so that similar tickets
//! can be offered it.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::Result;
use tix_core::ops::Draft;

use super::prelude::{BodyArgs, Ctx, write_on};

#[derive(Args, Debug)]
pub struct ResolutionArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
}

pub fn cmd_resolution(ctx: &Ctx, args: ResolutionArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let body = args.body.required("resolution")?;
    write_on(&store, &actor, id, "resolution", |_, _, _| {
        Ok(vec![Draft::with_body(Event::Resolution {}, body)])
    })?;
    Ok(())
}
