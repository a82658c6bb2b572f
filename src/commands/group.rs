//! `tix group`: the groups (levels) agents work in, changed as records.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::{Ctx, ListOutput};

#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Create a group with nobody in it (admins only); it comes after the
    /// config's groups in escalation order
    Create(GroupCreateArgs),
    /// Put agents into a group (admins only)
    Add(GroupMembersArgs),
    /// Take agents out of a group, the config's members too (admins only)
    Remove(GroupMembersArgs),
    /// The groups in escalation order, their members and open tickets
    List(ListOutput),
}

#[derive(Args, Debug)]
pub struct GroupCreateArgs {
    /// The group's name: letters, digits, `.`, `_` or `-`
    pub name: String,
}

#[derive(Args, Debug)]
pub struct GroupMembersArgs {
    /// The group's name
    #[arg(add = ArgValueCompleter::new(complete::groups))]
    pub group: String,
    /// Agents, by handle or address
    #[arg(required = true, add = ArgValueCompleter::new(complete::agents))]
    pub agents: Vec<String>,
}

pub fn cmd_group(ctx: &Ctx, cmd: GroupCommand) -> Result<()> {
    match cmd {
        GroupCommand::Create(args) => {
            let store = ctx.store()?;
            let actor = ctx.actor(&store)?;
            if let Some(w) = ops::team::create_group(&store, &actor, &args.name)? {
                output::warn(&w);
            }
            print(&format!("Created group {}.\n", args.name))
        }
        GroupCommand::Add(args) => members(ctx, args, false),
        GroupCommand::Remove(args) => members(ctx, args, true),
        GroupCommand::List(args) => list(ctx, args),
    }
}

fn members(ctx: &Ctx, args: GroupMembersArgs, remove: bool) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let done = ops::team::change_group(&store, &actor, &args.group, &args.agents, remove)?;
    for w in &done.warnings {
        output::warn(w);
    }
    if done.changed.is_empty() {
        return print("Nothing changed.\n");
    }
    print(&format!(
        "{} {} {} group {}.\n",
        if remove { "Took" } else { "Put" },
        done.changed.join(", "),
        if remove { "out of" } else { "into" },
        done.group
    ))
}

fn list(ctx: &Ctx, args: ListOutput) -> Result<()> {
    let store = ctx.store()?;
    let groups = ops::team::list_groups(&store)?;
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let members: Vec<String> = g
                .members
                .iter()
                .map(|m| {
                    if m.inactive {
                        format!("{} (deactivated)", m.handle)
                    } else {
                        m.handle.clone()
                    }
                })
                .collect();
            vec![
                g.name.clone(),
                members.join(", "),
                g.open_tickets.to_string(),
                if g.assignment { "yes" } else { "" }.to_string(),
            ]
        })
        .collect();
    output::print_rows(
        args.format,
        &["group", "members", "open", "assignment"],
        &["Group", "Members", "Open", "Assignment"],
        &rows,
        &groups,
        "No groups.",
    )
}
