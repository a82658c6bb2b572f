//! What command files share: the context every command runs in, the
//! argument groups several commands flatten into their own (entry text,
//! attachments, output format, ticket filters, import options), the value
//! enums that mirror the domain's, and the one-ticket write. Command files
//! use this and `crate::ui`, never each other.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::{complete, input, output};
use tix_core::domain::automation::Side;
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
    /// With several tickets: write those that take the change and report
    /// the others, rather than writing nothing.
    pub skip_invalid: bool,
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
        Ok(Ctx {
            dir,
            as_agent,
            yes,
            skip_invalid: false,
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
    plan: impl Fn(&Store, &Actor, &tix_core::domain::Ticket) -> Result<Vec<Draft>>,
) -> Result<Option<Outcome>> {
    if let Some(ids) = several_ids(typed_id)? {
        write_many(ctx, &ids, typed_id == "-", verb, plan)?;
        return Ok(None);
    }
    let (store, actor, id) = ctx.target(typed_id)?;
    write_on(&store, &actor, id, verb, plan)
}

/// Whether a typed id names several tickets (`-` or a comma list).
pub fn is_several(typed: &str) -> bool {
    typed == "-" || typed.contains(',')
}

/// The most ids one command takes from standard input.
pub const MAX_IDS: usize = 10_000;

/// A change to this many tickets or more asks first on a terminal.
pub const CONFIRM_FROM: usize = 10;

/// The ids of a command given several: `-` reads them from standard input
/// (one per line, as `tix list --format ids` prints them; blank lines and
/// `#` comments skipped), `A,B,C` names them; None for one id.
pub fn several_ids(typed: &str) -> Result<Option<Vec<String>>> {
    if typed == "-" {
        use std::io::{BufRead, Read};
        let mut ids = Vec::new();
        // Bounded before it is read: the most ids, each on a line of its
        // own with room for a comment.
        let limit = (MAX_IDS as u64) * 128;
        let mut read = 0u64;
        let stdin = std::io::stdin();
        for (n, line) in stdin.lock().take(limit + 1).lines().enumerate() {
            let line =
                line.map_err(|e| Error::invalid(format!("standard input, line {}: {e}", n + 1)))?;
            read += line.len() as u64 + 1;
            if read > limit {
                return Err(Error::invalid(format!(
                    "standard input: more than {limit} bytes of ticket ids; change them in parts"
                )));
            }
            let id = line.split_whitespace().next().unwrap_or("");
            if id.is_empty() || id.starts_with('#') {
                continue;
            }
            if id.len() > 64 {
                return Err(Error::invalid(format!(
                    "standard input, line {}: `{}…` is not a ticket id",
                    n + 1,
                    &id[..id.char_indices().nth(16).map_or(id.len(), |(i, _)| i)]
                )));
            }
            if ids.len() == MAX_IDS {
                return Err(Error::invalid(format!(
                    "standard input: more than {MAX_IDS} ticket ids; change them in parts"
                )));
            }
            ids.push(id.to_string());
        }
        if ids.is_empty() {
            return Err(Error::invalid("no ticket ids on standard input"));
        }
        return Ok(Some(ids));
    }
    if typed.contains(',') {
        let ids: Vec<String> = typed
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if ids.is_empty() {
            return Err(Error::invalid(format!("`{typed}` names no ticket")));
        }
        return Ok(Some(ids));
    }
    Ok(None)
}

/// The same change to several tickets as one commit: every id resolved
/// and every ticket planned first, so an unknown id or a ticket that
/// refuses writes nothing (unless `--skip-invalid`); then a line per
/// ticket changed.
pub fn write_many(
    ctx: &Ctx,
    typed: &[String],
    from_stdin: bool,
    verb: &str,
    plan: impl Fn(&Store, &Actor, &tix_core::domain::Ticket) -> Result<Vec<Draft>>,
) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let mut ids: Vec<TicketId> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for t in typed {
        match store.resolve_id(t) {
            Ok(id) if ids.contains(&id) => {}
            Ok(id) => ids.push(id),
            Err(e) if ctx.skip_invalid => output::warn(&format!("skipped: {}", e.message())),
            Err(e) => unknown.push(format!("  {t}: {}", e.message())),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::not_found(format!(
            "nothing written: {} of {} ids name no ticket:\n{}",
            unknown.len(),
            typed.len(),
            unknown.join("\n")
        ))
        .with_remedy(tix_core::error::Remedy::SkipInvalid));
    }
    if ids.len() >= CONFIRM_FROM && !ctx.yes {
        let question = format!("{verb} {} tickets?", ids.len());
        if from_stdin && std::io::stderr().is_terminal() {
            // The ids came down a pipe, which cannot answer.
            return Err(Error::invalid(format!(
                "{question} The ids came from standard input, so tix cannot ask: add --yes"
            )));
        }
        if !input::confirm(&question, false)? {
            return Err(Error::invalid(format!("nothing written: {verb} cancelled")));
        }
    }
    let done = ops::append_many(&store, &actor, &ids, verb, ctx.skip_invalid, |t| {
        plan(&store, &actor, t)
    })?;
    for w in &done.warnings {
        output::warn(w);
    }
    for (id, e) in &done.skipped {
        output::warn(&format!("skipped {id}: {}", e.message()));
    }
    let mut out = String::new();
    for c in &done.changed {
        let detail = if c.detail.is_empty() {
            String::new()
        } else {
            format!(" {}", c.detail)
        };
        out.push_str(&format!(
            "{} {verb}{}: {}\n",
            c.id,
            output::for_stdout(&detail),
            output::for_stdout(&c.subject)
        ));
    }
    for id in &done.unchanged {
        eprintln!("tix: {id}: nothing to change");
    }
    output::print(&out)?;
    let changed: std::collections::BTreeSet<TicketId> = done.changed.iter().map(|c| c.id).collect();
    eprintln!(
        "tix: {verb}: {} ticket{} changed in {}{}",
        changed.len(),
        if changed.len() == 1 { "" } else { "s" },
        if done.commit.is_some() {
            "one commit"
        } else {
            "no commit"
        },
        if done.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} skipped", done.skipped.len())
        }
    );
    report_rule_work(&store, &done.rules_applied, &done.rule_mail);
    Ok(())
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
    report_rule_work(store, &outcome.rules_applied, &outcome.rule_mail);
}

/// [`report_rules`] of what the rules `applied` and the `mail` they asked
/// for, however many tickets the write changed.
fn report_rule_work(store: &Store, applied: &[String], mail: &[ops::automation::RuleMail]) {
    for line in applied {
        eprintln!("tix: rule {}", output::for_stderr(line));
    }
    match tix_core::mail::rule_mail::send_all(store, mail) {
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
    /// Only tickets last escalated to GROUP
    #[arg(long, value_name = "GROUP", add = ArgValueCompleter::new(complete::groups))]
    pub group: Option<String>,
    /// Only tickets of DEPARTMENT (`mail.departments`)
    #[arg(long, value_name = "DEPARTMENT", add = ArgValueCompleter::new(complete::departments))]
    pub department: Option<String>,
    /// Only new or open tickets whose last message is the customer's or
    /// that nobody has written to yet (us), or pending tickets and those
    /// an agent replied to last (customer)
    #[arg(long, value_enum, value_name = "SIDE")]
    pub waiting_on: Option<WaitingOn>,
    /// Only tickets without a public reply yet
    #[arg(long)]
    pub unanswered: bool,
    /// Only tickets with an open task
    #[arg(long)]
    pub has_tasks: bool,
}

/// Whom a ticket waits on (`--waiting-on`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingOn {
    /// The team: the customer wrote last, or nobody has yet
    Us,
    /// The customer: pending, or an agent replied last
    Customer,
}

impl From<WaitingOn> for Side {
    fn from(v: WaitingOn) -> Side {
        match v {
            WaitingOn::Us => Side::Agent,
            WaitingOn::Customer => Side::Customer,
        }
    }
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
            group: self
                .group
                .as_deref()
                .map(|g| check_group(store.config(), g))
                .transpose()?,
            department: self
                .department
                .as_deref()
                .map(|d| ops::check_department(store.config(), d).map(|d| d.name.clone()))
                .transpose()?,
            waiting_on: self.waiting_on.map(Into::into),
            unanswered: self.unanswered,
            has_tasks: self.has_tasks,
            ..Filter::default()
        })
    }
}

/// `--group GROUP`: a group of the config, since an unknown one is a typo
/// rather than a filter that matches nothing.
fn check_group(config: &Config, group: &str) -> Result<String> {
    if config.groups.iter().any(|g| g.name == group) {
        return Ok(group.to_string());
    }
    let known: Vec<&str> = config.groups.iter().map(|g| g.name.as_str()).collect();
    Err(Error::not_found(if known.is_empty() {
        format!("--group {group}: no groups are declared in .tix/config.yaml")
    } else {
        format!(
            "--group {group}: no such group (groups: {})",
            known.join(", ")
        )
    }))
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
