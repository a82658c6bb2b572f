//! What command files share: the context every command runs in, the
//! argument groups several commands flatten into their own (entry text,
//! attachments, output format, ticket filters, import options), the value
//! enums that mirror the domain's, and the one-ticket write. Command files
//! use this and `crate::ui`, never each other.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::{complete, input, output};
use tix_core::domain::time::parse_when;
use tix_core::domain::{Channel, Config, FieldValue, Priority, Status, TicketId, Timestamp};
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Actor, Draft, NewAttachment, Outcome};
use tix_core::query::Filter;
use tix_core::store::Store;

pub use crate::ui::output::{ListFormat, TextFormat};

/// What every command may need: where it runs and who it acts as.
pub struct Ctx {
    pub dir: PathBuf,
    pub as_agent: Option<String>,
    pub yes: bool,
}

impl Ctx {
    /// The context of the global options `-C DIR`, `--as AGENT` and `--yes`.
    pub fn new(directory: Option<&Path>, as_agent: Option<String>, yes: bool) -> Result<Ctx> {
        if let Some(d) = directory {
            check_directory(d)?;
            // As git does for -C: every other relative path (-F, --attach,
            // an mbox) is then read from DIR, as if tix was started there.
            std::env::set_current_dir(d)
                .map_err(|e| Error::invalid(format!("-C {}: {e}", d.display())))?;
        }
        let dir = std::env::current_dir()
            .map_err(|e| Error::internal(format!("cannot read the current directory: {e}")))?;
        Ok(Ctx { dir, as_agent, yes })
    }

    pub fn store(&self) -> Result<Store> {
        let store = Store::discover(&self.dir)?;
        set_zones(Some(store.config()));
        Ok(store)
    }

    pub fn actor(&self, store: &Store) -> Result<Actor> {
        ops::resolve_actor(store, self.as_agent.as_deref())
    }

    /// Passes only on the clone on duty (see `ops::duty`), which syncs
    /// first; `force` runs `what` here anyway and says so in its commits.
    pub fn on_duty(&self, store: &Store, what: &str, force: bool) -> Result<()> {
        let actor = self.actor(store).ok();
        let author = actor
            .as_ref()
            .map(Actor::author)
            .unwrap_or_else(|| ops::duty::side_effect_author(store));
        let me = actor.as_ref().map(|a| a.handle.as_str());
        ops::duty::before_side_effects(store, what, force, &author, me, &output::warn)
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
pub fn set_zones(config: Option<&Config>) {
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
                WARNED.call_once(|| output::warn(&format!(
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
                output::warn(w);
            }
            let detail = if o.detail.is_empty() {
                String::new()
            } else {
                format!(" {}", o.detail)
            };
            output::print(&format!(
                "{} {verb}{}: {}\n",
                o.id,
                output::for_stdout(&detail),
                output::for_stdout(&o.ticket.subject)
            ))?;
            report_rules(store, o);
        }
        None => eprintln!("tix: {id}: nothing to change"),
    }
    Ok(outcome)
}

/// Says what the automation rules did with a write (on standard error, so
/// scripts reading the output see the same lines as before) and sends the
/// mail they asked for. A failure to send is a warning: the write stands.
pub fn report_rules(store: &Store, outcome: &Outcome) {
    for line in &outcome.rules_applied {
        eprintln!("tix: rule {}", output::for_stderr(line));
    }
    match tix_core::mail::rule_mail::send_all(store, &outcome.rule_mail) {
        Ok(done) => {
            for why in done.skipped.iter().chain(&done.failed) {
                output::warn(why);
            }
        }
        Err(e) => output::warn(&format!(
            "the mail the rules asked for was not sent: {}",
            e.message()
        )),
    }
}

/// Where an entry's text comes from.
#[derive(Args, Debug, Default, Clone)]
pub struct BodyArgs {
    /// The text (repeat for paragraphs)
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Vec<String>,
    /// Read the text from FILE, or from standard input with `-`
    #[arg(
        short = 'F',
        long = "file",
        value_name = "FILE",
        conflicts_with = "message"
    )]
    pub file: Option<PathBuf>,
}

impl BodyArgs {
    /// The text given with `-m` or `-F`, if any.
    pub fn given(&self) -> Result<Option<String>> {
        input::given_body(&self.message, self.file.as_deref())
    }

    /// The text for an entry that needs one: `-m`, `-F`, or the editor on
    /// a terminal.
    pub fn required(&self, what: &str) -> Result<String> {
        input::required_body(&self.message, self.file.as_deref(), what)
    }
}

/// Files to attach to an entry.
#[derive(Args, Debug, Default, Clone)]
pub struct AttachArgs {
    /// Attach a file (repeatable)
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

impl AttachArgs {
    /// The files, read and checked against the store's size limit.
    pub fn read(&self, limit: u64) -> Result<Vec<NewAttachment>> {
        input::read_attachments(&self.attach, limit)
    }
}

/// `--format` of a command that prints a list.
#[derive(Args, Debug, Clone)]
pub struct ListOutput {
    /// Output format; default: table on a terminal, tsv when piped
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
}

/// `--format` of a command that prints one result.
#[derive(Args, Debug, Clone)]
pub struct TextOutput {
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

/// How an import runs and what it says: every mailbox kind of `tix
/// import`, and `tix quarantine retry`.
#[derive(Args, Debug, Clone)]
pub struct ImportOptions {
    /// Say what would happen to each message; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
    /// List every message's outcome, not only the summary
    #[arg(short, long)]
    pub verbose: bool,
    /// Messages per commit
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub batch: usize,
    /// Import even though this clone is not on duty (recorded in the commits)
    #[arg(long)]
    pub force: bool,
}

/// [`ImportOptions`] for one message, where a batch size means nothing.
#[derive(Args, Debug, Clone)]
pub struct OneMessageOptions {
    /// Say what would happen to the message; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
    /// List the message's outcome, not only the summary
    #[arg(short, long)]
    pub verbose: bool,
    /// Import even though this clone is not on duty (recorded in the commit)
    #[arg(long)]
    pub force: bool,
}

impl From<OneMessageOptions> for ImportOptions {
    fn from(o: OneMessageOptions) -> ImportOptions {
        ImportOptions {
            dry_run: o.dry_run,
            format: o.format,
            verbose: o.verbose,
            // One message is one commit whatever the batch size.
            batch: 1,
            force: o.force,
        }
    }
}

/// The ticket filters `list` and `report` share; they match a ticket's
/// current state.
#[derive(Args, Debug, Clone, Default)]
pub struct TicketFilterArgs {
    /// Only tickets in these statuses (repeatable or comma-separated)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub status: Vec<StatusValue>,
    /// Only tickets assigned to AGENT
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assignee: Option<String>,
    /// Only tickets assigned to me
    #[arg(long, conflicts_with_all = ["assignee", "unassigned"])]
    pub mine: bool,
    /// Only unassigned tickets
    #[arg(long, conflicts_with = "assignee")]
    pub unassigned: bool,
    /// Only tickets whose customer or Cc name or address contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub customer: Option<String>,
    /// Only tickets with this tag (repeatable: all must match)
    #[arg(long = "tag", value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tags: Vec<String>,
    /// Only these priorities (repeatable or comma-separated)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub priority: Vec<PriorityValue>,
    /// Only tickets whose custom field NAME equals VALUE (repeatable)
    #[arg(long = "field", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::field_assignments))]
    pub fields: Vec<String>,
}

/// clap value types mirroring the domain enums, so the domain does not
/// depend on clap.
/// What a command that makes a ticket prints (`create`, `split`): the id
/// only (the default when piped, for `id=$(tix create …)`), text, or json.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateFormat {
    Text,
    Ids,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusValue {
    New,
    Open,
    Pending,
    OnHold,
    Closed,
}

impl From<StatusValue> for Status {
    fn from(v: StatusValue) -> Status {
        match v {
            StatusValue::New => Status::New,
            StatusValue::Open => Status::Open,
            StatusValue::Pending => Status::Pending,
            StatusValue::OnHold => Status::OnHold,
            StatusValue::Closed => Status::Closed,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityValue {
    Low,
    Normal,
    High,
    Urgent,
}

impl From<PriorityValue> for Priority {
    fn from(v: PriorityValue) -> Priority {
        match v {
            PriorityValue::Low => Priority::Low,
            PriorityValue::Normal => Priority::Normal,
            PriorityValue::High => Priority::High,
            PriorityValue::Urgent => Priority::Urgent,
        }
    }
}

/// How a ticket came in, as `--channel` spells it.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelValue {
    Mail,
    Cli,
    Phone,
    Chat,
    Web,
    Api,
}

impl From<ChannelValue> for Channel {
    fn from(v: ChannelValue) -> Channel {
        match v {
            ChannelValue::Mail => Channel::Mail,
            ChannelValue::Cli => Channel::Cli,
            ChannelValue::Phone => Channel::Phone,
            ChannelValue::Chat => Channel::Chat,
            ChannelValue::Web => Channel::Web,
            ChannelValue::Api => Channel::Api,
        }
    }
}

impl TicketFilterArgs {
    /// The filters as the core takes them; times and text are the
    /// caller's.
    pub fn resolve(&self, ctx: &Ctx, store: &Store) -> Result<Filter> {
        Ok(Filter {
            statuses: self.status.iter().map(|s| (*s).into()).collect(),
            assignee: assignee(
                ctx,
                store,
                self.assignee.as_deref(),
                self.mine,
                self.unassigned,
            )?,
            customer: self.customer.as_deref().map(str::to_lowercase),
            tags: self.tags.clone(),
            priorities: self.priority.iter().map(|p| (*p).into()).collect(),
            fields: parse_field_args(store.config(), &self.fields)?,
            ..Filter::default()
        })
    }
}

/// Parses a `--created-since`-style time argument.
pub fn when(flag: &str, value: Option<&str>, now: Timestamp) -> Result<Option<Timestamp>> {
    value
        .map(|s| parse_when(s, now).map_err(|e| Error::invalid(format!("--{flag}: {e}"))))
        .transpose()
}

/// Parses a time that must lie ahead (`--until`): a duration counts from
/// `now` (`3d`: in three days), else a date or time as for filters.
pub fn future_time(flag: &str, value: &str, now: Timestamp) -> Result<Timestamp> {
    let t = match tix_core::domain::duration::Duration::parse(value) {
        Ok(d) => now.plus_seconds(d.seconds()),
        Err(_) => parse_when(value, now).map_err(|e| Error::invalid(format!("--{flag}: {e}")))?,
    };
    if t <= now {
        return Err(Error::invalid(format!(
            "--{flag}: {} is not in the future",
            t.to_short_labelled()
        )));
    }
    Ok(t)
}

/// Resolves `--assignee AGENT` (handle or address), `--mine` and
/// `--unassigned` into the filter's assignee.
pub fn assignee(
    ctx: &Ctx,
    store: &Store,
    agent: Option<&str>,
    mine: bool,
    unassigned: bool,
) -> Result<Option<Option<String>>> {
    Ok(if mine {
        Some(Some(ctx.actor(store)?.handle))
    } else if unassigned {
        Some(None)
    } else {
        // An unknown agent is a typo, not a filter that matches nothing.
        agent
            .map(|a| ops::check_assignee(store.config(), a).map(Some))
            .transpose()?
    })
}
