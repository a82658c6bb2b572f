//! `tix agent`: the people who work tickets.

use crate::cli::output::{self, print};
use crate::cli::{AgentAddArgs, AgentCommand, AgentListArgs, RoleValue};
use crate::domain::config::is_valid_handle;
use crate::domain::{Agent, Party, Role};
use crate::error::{Error, ErrorKind, Result};

use super::Ctx;

pub fn run(ctx: &Ctx, cmd: AgentCommand) -> Result<()> {
    match cmd {
        AgentCommand::Add(args) => add(ctx, args),
        AgentCommand::List(args) => list(ctx, args),
    }
}

fn add(ctx: &Ctx, args: AgentAddArgs) -> Result<()> {
    let mut store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    if !actor.admin {
        return Err(Error::new(
            ErrorKind::Denied,
            format!("only an admin can add agents; {} is not one", actor.handle),
        ));
    }
    if !is_valid_handle(&args.handle) {
        return Err(Error::invalid(format!(
            "handle `{}`: expected letters, digits, `.`, `_` or `-`",
            args.handle
        )));
    }
    let email = Party::parse(&args.email)
        .map_err(|e| Error::invalid(format!("--email: {e}")))?
        .email;
    let lock = store.lock()?;
    let mut config = store.config().clone();
    if config.agents.iter().any(|a| a.handle == args.handle) {
        return Err(Error::invalid(format!(
            "agent `{}` already exists",
            args.handle
        )));
    }
    if let Some(a) = config
        .agents
        .iter()
        .find(|a| a.email.eq_ignore_ascii_case(&email))
    {
        return Err(Error::invalid(format!(
            "{email} already belongs to agent `{}`",
            a.handle
        )));
    }
    let mut roles: Vec<Role> = args
        .roles
        .iter()
        .map(|r| match r {
            RoleValue::Admin => Role::Admin,
            RoleValue::Agent => Role::Agent,
        })
        .collect();
    roles.dedup();
    config.agents.push(Agent {
        handle: args.handle.clone(),
        name: args.name,
        email,
        roles,
    });
    let committed = store.save_config(
        &lock,
        config,
        &format!("tix: agent add {}", args.handle),
        &actor.author(),
    )?;
    if let Some(w) = committed.warning {
        output::warn(&w);
    }
    print(&format!("Added agent {}.\n", args.handle))
}

fn list(ctx: &Ctx, args: AgentListArgs) -> Result<()> {
    let store = ctx.store()?;
    let header = ["handle", "name", "email", "roles"];
    let rows: Vec<Vec<String>> = store
        .config()
        .agents
        .iter()
        .map(|a| {
            let roles: Vec<&str> = a
                .roles
                .iter()
                .map(|r| if *r == Role::Admin { "admin" } else { "agent" })
                .collect();
            vec![
                a.handle.clone(),
                a.name.clone().unwrap_or_default(),
                a.email.clone(),
                roles.join(","),
            ]
        })
        .collect();
    output::print_rows(
        args.format,
        &header,
        &["Handle", "Name", "Email", "Roles"],
        &rows,
        &store.config().agents,
        "No agents.",
    )
}
