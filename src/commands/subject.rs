//! `tix subject`: a ticket's one-line summary.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::Result;
use tix_core::ops::{self, Draft};

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct SubjectArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new subject
    pub subject: String,
}

pub fn cmd_subject(ctx: &Ctx, args: SubjectArgs) -> Result<()> {
    ops::check_subject(&args.subject)?;
    write(ctx, &args.id, "subject", |_, _, ticket| {
        Ok(if ticket.subject == args.subject {
            vec![]
        } else {
            vec![Draft::new(Event::Subject {
                to: args.subject.clone(),
            })]
        })
    })?;
    Ok(())
}
