//! `tix link` and `tix unlink`: relations between tickets.

use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::{Event, Link, LinkRel};
use tix_core::error::{Error, Result};
use tix_core::ops::Draft;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct LinkArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The other ticket
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub target: String,
    /// How ID relates to TARGET
    #[arg(long, value_enum, default_value_t = LinkValue::Related)]
    pub rel: LinkValue,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkValue {
    Related,
    DuplicateOf,
    ParentOf,
}

impl From<LinkValue> for LinkRel {
    fn from(v: LinkValue) -> LinkRel {
        match v {
            LinkValue::Related => LinkRel::Related,
            LinkValue::DuplicateOf => LinkRel::DuplicateOf,
            LinkValue::ParentOf => LinkRel::ParentOf,
        }
    }
}

pub fn cmd_link(ctx: &Ctx, args: LinkArgs) -> Result<()> {
    change_link(ctx, args, true)
}

pub fn cmd_unlink(ctx: &Ctx, args: LinkArgs) -> Result<()> {
    change_link(ctx, args, false)
}

fn change_link(ctx: &Ctx, args: LinkArgs, add: bool) -> Result<()> {
    let store = ctx.store()?;
    let target = store.resolve_id(&args.target)?;
    drop(store);
    let rel: LinkRel = args.rel.into();
    let verb = if add { "link" } else { "unlink" };
    write(ctx, &args.id, verb, |_, _, ticket| {
        if ticket.id == target {
            return Err(Error::invalid(format!(
                "ticket {target} cannot be linked to itself"
            )));
        }
        let present = ticket.links.contains(&Link { rel, target });
        if !add && !present {
            // Removing a link of the wrong kind is a mistake to point out,
            // not a no-op: the link the user meant is still there.
            let others: Vec<String> = ticket
                .links
                .iter()
                .filter(|l| l.target == target)
                .map(|l| l.rel.to_string())
                .collect();
            if let Some(first) = others.first() {
                return Err(Error::invalid(format!(
                    "ticket {} has no {rel} link to {target}; its link to {target} is {}",
                    ticket.id,
                    others.join(" and ")
                ))
                .with_hint(format!("tix unlink {} {target} --rel {first}", ticket.id)));
            }
        }
        Ok(match (add, present) {
            (true, false) => vec![Draft::new(Event::Link { rel, target })],
            (false, true) => vec![Draft::new(Event::Unlink { rel, target })],
            _ => vec![],
        })
    })?;
    Ok(())
}
