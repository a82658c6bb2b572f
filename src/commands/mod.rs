//! One module per subcommand: each parses its arguments into calls on the
//! lower layers and renders the result.

mod agent;
mod blacklist;
mod check;
mod close;
mod create;
mod escalate;
mod filter;
mod import;
mod init;
mod list;
mod log;
mod outbox;
mod quarantine;
mod reindex;
mod report;
mod show;
mod simple;
mod sla;
mod snooze;
mod text;
mod tick;

use std::path::PathBuf;

use crate::cli::{Cli, Command};
use tix_core::domain::{Config, FieldValue, TicketId};
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Actor, Draft, Outcome};
use tix_core::store::Store;

/// What every command may need: where it runs and who it acts as.
pub struct Ctx {
    pub dir: PathBuf,
    pub as_agent: Option<String>,
    pub yes: bool,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Result<Ctx> {
        let dir = match &cli.directory {
            Some(d) => {
                check_directory(d)?;
                d.clone()
            }
            None => std::env::current_dir()
                .map_err(|e| Error::internal(format!("cannot read the current directory: {e}")))?,
        };
        Ok(Ctx {
            dir,
            as_agent: cli.as_agent.clone(),
            yes: cli.yes,
        })
    }

    pub fn store(&self) -> Result<Store> {
        let store = Store::discover(&self.dir)?;
        set_zones(Some(store.config()));
        Ok(store)
    }

    pub fn actor(&self, store: &Store) -> Result<Actor> {
        ops::resolve_actor(store, self.as_agent.as_deref())
    }

    /// The store, the actor and the ticket a write command works on.
    pub fn target(&self, typed_id: &str) -> Result<(Store, Actor, TicketId)> {
        let store = self.store()?;
        let actor = self.actor(&store)?;
        let id = store.resolve_id(typed_id)?;
        Ok((store, actor, id))
    }
}

/// The zones of this run. Display and input: `TZ` (the person's own
/// clock) over the config's `timezone` over UTC. Report days: the
/// config's `timezone` over `TZ` over UTC, so a team's figures agree
/// whoever runs the report.
fn set_zones(config: Option<&Config>) {
    use tix_core::domain::sla::Zone;
    let env = std::env::var("TZ")
        .ok()
        .map(|s| s.trim().trim_start_matches(':').to_string())
        .filter(|s| !s.is_empty());
    let env = env.and_then(|name| {
        // The tz database spells UTC several ways.
        let name = match name.as_str() {
            "Etc/UTC" | "UTC0" | "Universal" | "Zulu" | "Etc/Zulu" | "GMT" | "Etc/GMT" => "UTC",
            other => other,
        };
        match Zone::parse(name) {
            Ok(z) => Some(z),
            Err(_) => {
                static WARNED: std::sync::Once = std::sync::Once::new();
                WARNED.call_once(|| crate::ui::output::warn(&format!(
                    "TZ=`{name}` is not a time zone tix knows (expected an IANA name such as Europe/Berlin); ignored"
                )));
                None
            }
        }
    });
    let team = config.and_then(Config::zone);
    tix_core::domain::time::set_zones(
        env.or(team).unwrap_or_else(Zone::utc),
        team.or(env).unwrap_or_else(Zone::utc),
    );
}

/// `-C DIR` must name a directory, as for git; a missing one has no store
/// (exit 7), a file is bad input (exit 6).
fn check_directory(dir: &std::path::Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::invalid(format!(
            "-C {}: not a directory",
            dir.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::new(
            tix_core::error::ErrorKind::NotInitialised,
            format!(
                "-C {}: no such directory, so no tix store there",
                dir.display()
            ),
        )),
        Err(e) => Err(Error::invalid(format!("-C {}: {e}", dir.display()))),
    }
}

pub fn run(ctx: &Ctx, command: Command) -> Result<()> {
    if !matches!(command, Command::Completions(_)) {
        set_zones(None);
    }
    match command {
        Command::Init(args) => init::run(ctx, args),
        Command::Create(args) => create::run(ctx, args),
        Command::List(args) => list::run(ctx, args),
        Command::Show(args) => show::run(ctx, args),
        Command::Reply(args) => text::reply(ctx, args),
        Command::Comment(args) => text::comment(ctx, args),
        Command::Assign(args) => simple::assign(ctx, args),
        Command::Status(args) => simple::status(ctx, args),
        Command::Priority(args) => simple::priority(ctx, args),
        Command::Subject(args) => simple::subject(ctx, args),
        Command::Tag(args) => simple::tags(ctx, args, true),
        Command::Untag(args) => simple::tags(ctx, args, false),
        Command::Cc(args) => simple::cc(ctx, args),
        Command::Field(args) => simple::field(ctx, args),
        Command::Link(args) => simple::link(ctx, args, true),
        Command::Unlink(args) => simple::link(ctx, args, false),
        Command::Close(args) => close::close(ctx, args),
        Command::Reopen(args) => close::reopen(ctx, args),
        Command::Lock(args) => close::lock(ctx, args),
        Command::Unlock(args) => close::unlock(ctx, args),
        Command::Log(args) => log::run(ctx, args),
        Command::Check(args) => check::run(ctx, args),
        Command::Reindex(args) => reindex::run(ctx, args),
        Command::Report(cmd) => report::run(ctx, cmd),
        Command::Agent(cmd) => agent::run(ctx, cmd),
        Command::Import(cmd) => import::run(ctx, cmd),
        Command::Quarantine(cmd) => quarantine::run(ctx, cmd),
        Command::Outbox(cmd) => outbox::run(ctx, cmd),
        Command::Escalate(args) => escalate::run(ctx, args),
        Command::Snooze(args) => snooze::run(ctx, args),
        Command::Tick(args) => tick::run(ctx, args),
        Command::Sla(args) => sla::run(ctx, args),
        Command::Blacklist(cmd) => blacklist::run(ctx, cmd),
        Command::Completions(args) => crate::cli::generated::print_completions(args.shell),
    }
}

/// Parses `--field NAME=VALUE` arguments against the config.
pub fn parse_field_args(config: &Config, args: &[String]) -> Result<Vec<(String, FieldValue)>> {
    args.iter()
        .map(|arg| {
            let (name, value) = arg
                .split_once('=')
                .ok_or_else(|| Error::invalid(format!("--field `{arg}`: expected NAME=VALUE")))?;
            let name = name.trim();
            let value = config
                .parse_field_value(name, value)
                .map_err(Error::invalid)?;
            Ok((name.to_string(), value))
        })
        .collect()
}

/// Runs a write on one ticket and prints one line saying what was done.
pub fn write(
    ctx: &Ctx,
    typed_id: &str,
    verb: &str,
    plan: impl FnOnce(&Store, &Actor, &tix_core::domain::Ticket) -> Result<Vec<Draft>>,
) -> Result<Option<Outcome>> {
    let (store, actor, id) = ctx.target(typed_id)?;
    write_on(&store, &actor, id, verb, plan)
}

/// [`write`] for a command that opened the store already (to check what
/// it was given before an editor or a prompt), so it is not opened twice.
pub fn write_on(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    plan: impl FnOnce(&Store, &Actor, &tix_core::domain::Ticket) -> Result<Vec<Draft>>,
) -> Result<Option<Outcome>> {
    let outcome = ops::append(store, actor, id, verb, |t| plan(store, actor, t))?;
    match &outcome {
        Some(o) => {
            for w in &o.warnings {
                crate::ui::output::warn(w);
            }
            let detail = if o.detail.is_empty() {
                String::new()
            } else {
                format!(" {}", o.detail)
            };
            crate::ui::output::print(&format!(
                "{} {verb}{}: {}\n",
                o.id,
                crate::ui::output::for_stdout(&detail),
                crate::ui::output::for_stdout(&o.ticket.subject)
            ))?
        }
        None => eprintln!("tix: {id}: nothing to change"),
    }
    Ok(outcome)
}
