//! `tix agent`: the people who work tickets.

use clap::{Args, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::domain::config::{check_person_name, is_valid_handle};
use tix_core::domain::{Agent, Party, Role};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;

use super::prelude::{Ctx, ListOutput, future_time};

#[derive(Subcommand, Debug)]
pub enum AgentCommand {
    /// Declare an agent (admins only)
    Add(AgentAddArgs),
    /// List the agents, their active tickets, their open tasks and who is away
    List(ListOutput),
    /// Mark an agent away: assignment rules skip them, and a customer's
    /// follow-up on their tickets is re-assigned
    Away(AgentAwayArgs),
    /// Mark an agent back
    Back(AgentBackArgs),
    /// Deactivate an agent (admins only): their history stays, no rule
    /// chooses them and nobody can assign to them
    Deactivate(AgentDeactivateArgs),
    /// Make a deactivated agent active again (admins only)
    Activate(AgentBackArgs),
    /// Change an agent's name, address or roles (admins only), as a record
    /// that replaces the agent where it is declared
    Edit(AgentEditArgs),
    /// Remove an agent who has no history (admins only); deactivate
    /// anyone else
    Remove(AgentBackArgs),
}

#[derive(Args, Debug)]
pub struct AgentEditArgs {
    /// The agent's handle or address
    #[arg(add = ArgValueCompleter::new(complete::agents))]
    pub agent: String,
    /// Full name
    #[arg(long)]
    pub name: Option<String>,
    /// The agent's e-mail address
    #[arg(long)]
    pub email: Option<String>,
    /// The roles they have from now on (repeatable): admin or agent
    #[arg(long = "role", value_enum, conflicts_with = "no_roles")]
    pub roles: Vec<RoleValue>,
    /// Take every role away (a plain agent)
    #[arg(long)]
    pub no_roles: bool,
}

#[derive(Args, Debug)]
pub struct AgentDeactivateArgs {
    /// The agent's handle or address
    #[arg(add = ArgValueCompleter::new(complete::agents))]
    pub agent: String,
    /// Give their open tickets to others by the assignment rule (left
    /// unassigned when it finds nobody)
    #[arg(long)]
    pub reassign: bool,
}

#[derive(Args, Debug)]
pub struct AgentAddArgs {
    /// Short name used in commands, e.g. `bob`
    pub handle: String,
    /// The agent's e-mail address
    #[arg(long)]
    pub email: String,
    /// Full name
    #[arg(long)]
    pub name: Option<String>,
    /// Give a role (repeatable): admin or agent
    #[arg(long = "role", value_enum)]
    pub roles: Vec<RoleValue>,
}

#[derive(Args, Debug)]
pub struct AgentAwayArgs {
    /// The agent's handle or address
    #[arg(add = ArgValueCompleter::new(complete::agents))]
    pub agent: String,
    /// Back by itself at this time (RFC 3339, a date, or a duration like 3d)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
}

#[derive(Args, Debug)]
pub struct AgentBackArgs {
    /// The agent's handle or address
    #[arg(add = ArgValueCompleter::new(complete::agents))]
    pub agent: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleValue {
    Admin,
    Agent,
}

pub fn cmd_agent(ctx: &Ctx, cmd: AgentCommand) -> Result<()> {
    match cmd {
        AgentCommand::Add(args) => add(ctx, args),
        AgentCommand::List(args) => list(ctx, args),
        AgentCommand::Away(args) => availability(ctx, &args.agent, true, args.until.as_deref()),
        AgentCommand::Back(args) => availability(ctx, &args.agent, false, None),
        AgentCommand::Deactivate(args) => activation(ctx, &args.agent, false, args.reassign),
        AgentCommand::Activate(args) => activation(ctx, &args.agent, true, false),
        AgentCommand::Edit(args) => edit(ctx, args),
        AgentCommand::Remove(args) => remove(ctx, &args.agent),
    }
}

fn role(r: &RoleValue) -> Role {
    match r {
        RoleValue::Admin => Role::Admin,
        RoleValue::Agent => Role::Agent,
    }
}

fn edit(ctx: &Ctx, args: AgentEditArgs) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let roles = if args.no_roles {
        Some(Vec::new())
    } else if args.roles.is_empty() {
        None
    } else {
        Some(args.roles.iter().map(role).collect())
    };
    if args.name.is_none() && args.email.is_none() && roles.is_none() {
        return Err(Error::new(
            ErrorKind::Usage,
            "say what to change: --name, --email, --role or --no-roles",
        ));
    }
    let edit = ops::team::AgentEdit {
        name: args.name,
        email: args.email,
        roles,
    };
    let (agent, warning) = ops::team::edit_agent(&store, &actor, &args.agent, edit)?;
    if let Some(w) = warning {
        output::warn(&w);
    }
    print(&format!("Changed agent {}.\n", agent.handle))
}

fn remove(ctx: &Ctx, who: &str) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let (handle, warning) = ops::team::remove_agent(&store, &actor, who)?;
    if let Some(w) = warning {
        output::warn(&w);
    }
    print(&format!("Removed agent {handle}.\n"))
}

/// Anyone may say they are away or back; only an admin may say so of
/// someone else.
fn availability(ctx: &Ctx, who: &str, away: bool, until: Option<&str>) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let agent = store
        .config()
        .agent(who)
        .ok_or_else(|| Error::not_found(format!("no agent `{who}` in .tix/config.yaml")))?
        .handle
        .clone();
    if agent != actor.handle && !actor.admin {
        return Err(Error::new(
            ErrorKind::Denied,
            format!(
                "only an admin can mark someone else away or back; {} is not one",
                actor.handle
            ),
        ));
    }
    let now = ops::now()?;
    let until = until.map(|u| future_time("until", u, now)).transpose()?;
    if let Some(w) = ops::team::record_availability(&store, &actor, &agent, away, until)? {
        output::warn(&w);
    }
    print(&match (away, until) {
        (true, Some(u)) => format!("{agent} is away until {}.\n", u.to_short_labelled()),
        (true, None) => format!("{agent} is away until further notice.\n"),
        (false, _) => format!("{agent} is back.\n"),
    })
}

fn activation(ctx: &Ctx, who: &str, active: bool, reassign: bool) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let done = ops::team::set_active(&store, &actor, who, active, reassign)?;
    for w in &done.warnings {
        output::warn(w);
    }
    let mut out = format!(
        "{} is {}.\n",
        done.handle,
        if active {
            "active again"
        } else {
            "deactivated"
        }
    );
    for (id, to) in &done.reassigned {
        out.push_str(&format!(
            "{id} {}\n",
            to.as_deref()
                .map(|a| format!("assigned to {a}"))
                .unwrap_or_else(|| "unassigned".into())
        ));
    }
    print(&out)
}

fn add(ctx: &Ctx, args: AgentAddArgs) -> Result<()> {
    let store = ctx.store()?;
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
    if let Some(name) = &args.name {
        check_person_name(name).map_err(|e| Error::invalid(format!("--name: {e}")))?;
    }
    let lock = store.lock()?;
    let config = store.config();
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
    let roles: Vec<Role> = args.roles.iter().map(role).collect();
    let agent = Agent {
        handle: args.handle.clone(),
        name: args.name,
        email,
        roles,
        signing_key: None,
        inactive: false,
    };
    let committed = ops::team::record_agent(&store, &lock, &actor, &agent)?;
    if let Some(w) = committed.warning {
        output::warn(&w);
    }
    print(&format!("Added agent {}.\n", args.handle))
}

fn list(ctx: &Ctx, args: ListOutput) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let state = ops::team::team_state(&store, now)?;
    let away = &state.away;
    let header = [
        "handle",
        "name",
        "email",
        "roles",
        "active",
        "tasks",
        "available",
    ];
    let open_tasks = |handle: &str| state.open_tasks.get(handle).copied().unwrap_or(0);
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
            let available = match away.get(&a.handle) {
                _ if a.inactive => "deactivated".to_string(),
                None => "yes".to_string(),
                Some(None) => "away".to_string(),
                Some(Some(until)) => format!("away until {}", until.to_short()),
            };
            vec![
                a.handle.clone(),
                a.name.clone().unwrap_or_default(),
                a.email.clone(),
                roles.join(","),
                state.loads.get(&a.handle).copied().unwrap_or(0).to_string(),
                open_tasks(&a.handle).to_string(),
                available,
            ]
        })
        .collect();
    let json: Vec<serde_json::Value> = store
        .config()
        .agents
        .iter()
        .zip(&rows)
        .map(|(a, row)| {
            serde_json::json!({
                "handle": a.handle,
                "name": a.name,
                "email": a.email,
                "roles": a.roles,
                "active": state.loads.get(&a.handle).copied().unwrap_or(0),
                "open_tasks": open_tasks(&a.handle),
                "away": away.contains_key(&a.handle),
                "away_until": away.get(&a.handle).copied().flatten(),
                "available": row[6],
            })
        })
        .collect();
    output::print_rows(
        args.format,
        &header,
        &[
            "Handle",
            "Name",
            "Email",
            "Roles",
            "Active",
            "Tasks",
            "Available",
        ],
        &rows,
        &json,
        "No agents.",
    )
}
