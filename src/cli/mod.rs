//! The command line: argument definitions (also the source of the
//! completions and man pages), the context shared by commands, and output.

pub mod complete;
pub mod generated;
pub mod input;
pub mod output;
pub mod wording;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::commands;
use tix_core::domain::{LinkRel, Priority, Status};
use tix_core::error::{Error, ErrorKind};

#[derive(Parser, Debug)]
#[command(
    name = "tix",
    version,
    about = "A help desk that lives in a git repository",
    long_about = "tix keeps support tickets as append-only entries in a git repository: every \
                  change is one commit by the acting agent, the trail is plain files, and teams \
                  share it through any git remote.",
    after_help = "Exit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 ambiguous id, \
                  5 locked, 6 invalid input, 7 no store, 8 store busy, 9 not permitted, \
                  10 check found problems, 11 mail server unreachable, 12 mail login refused."
)]
pub struct Cli {
    /// Run as if tix was started in DIR
    #[arg(
        short = 'C',
        global = true,
        help_heading = "Global options",
        value_name = "DIR"
    )]
    pub directory: Option<PathBuf>,

    /// Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email
    #[arg(
        long = "as",
        global = true,
        help_heading = "Global options",
        value_name = "AGENT",
        env = "TIX_AGENT",
        add = ArgValueCompleter::new(complete::agents)
    )]
    pub as_agent: Option<String>,

    /// Answer yes to confirmations
    #[arg(short = 'y', long, global = true, help_heading = "Global options")]
    pub yes: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a tix store here (and a git repository if there is none)
    Init(InitArgs),
    /// Open a new ticket
    Create(CreateArgs),
    /// List tickets (open ones, newest activity first)
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Show a ticket and its whole trail
    Show(ShowArgs),
    /// Add a public reply for the customer
    Reply(ReplyArgs),
    /// Add a private internal note
    #[command(visible_alias = "note")]
    Comment(CommentArgs),
    /// Assign a ticket to an agent, or unassign it
    Assign(AssignArgs),
    /// Set a ticket's status
    Status(StatusArgs),
    /// Set a ticket's priority
    Priority(PriorityArgs),
    /// Change a ticket's subject
    Subject(SubjectArgs),
    /// Add tags to a ticket
    Tag(TagArgs),
    /// Remove tags from a ticket
    Untag(TagArgs),
    /// Add people to, or remove them from, a ticket's Cc
    Cc(CcArgs),
    /// Set or clear a custom field
    Field(FieldArgs),
    /// Link a ticket to another
    Link(LinkArgs),
    /// Remove a link
    Unlink(LinkArgs),
    /// Close a ticket, optionally locking it
    Close(CloseArgs),
    /// Reopen a closed ticket
    Reopen(ReopenArgs),
    /// Lock a ticket against every further change
    Lock(LockArgs),
    /// Lift a lock (admins only)
    Unlock(LockArgs),
    /// Show the git history of a ticket
    Log(LogArgs),
    /// Verify the store: unreadable entries, rewritten history, config
    Check(CheckArgs),
    /// Rebuild the derived index in .git/tix/ from the store (never needed
    /// for correctness: it is refreshed automatically)
    Reindex(CheckArgs),
    /// Service reports over a period: volumes, response and resolution
    /// times, agents, trends, breakdowns, SLA breaches
    #[command(subcommand)]
    Report(ReportCommand),
    /// Manage the agents of this store
    #[command(subcommand)]
    Agent(AgentCommand),
    /// File mail from a mailbox into tickets
    #[command(subcommand)]
    Import(ImportCommand),
    /// Messages that could not be filed
    #[command(subcommand)]
    Quarantine(QuarantineCommand),
    /// Replies recorded but not (yet) delivered by e-mail
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Move a ticket to the next group (level), with a note for the next agent
    Escalate(EscalateArgs),
    /// Hide a ticket from the list until a time; it wakes then (tix tick) or
    /// when the customer writes
    Snooze(SnoozeArgs),
    /// Apply the time rules once: wake snoozed tickets, assign those waiting
    /// for room, auto-close and lock, and act on SLA warnings and breaches
    /// (run it from cron or a systemd timer)
    #[command(
        long_about = "Apply the time rules once, as .tix/config.yaml sets them:\n\
                            - wake snoozed tickets whose time has come;\n\
                            - assign tickets waiting for an agent with room;\n\
                            - auto-close and lock tickets as the rules say;\n\
                            - SLA: when a clock passes its warning threshold or its deadline, \
                            do what sla.on_warning / sla.on_breach say (notify the agent, \
                            escalate to a group, raise the priority, assign), once per clock; \
                            an `sla` entry records it.\n\
                            Run it from cron or a systemd timer; --dry-run says what it would do."
    )]
    Tick(TickArgs),
    /// Open tickets' SLA clocks by time left, breached first
    Sla(SlaArgs),
    /// Senders whose mail is skipped
    #[command(subcommand)]
    Blacklist(BlacklistCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
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

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The team's name
    #[arg(long)]
    pub name: Option<String>,
    /// Handle of the first (admin) agent; default: from git user.email
    #[arg(long)]
    pub handle: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The customer, as `Name <address>` or `address`
    #[arg(long, value_name = "ADDRESS")]
    pub customer: Option<String>,
    /// One line saying what the ticket is about
    #[arg(long)]
    pub subject: Option<String>,
    #[command(flatten)]
    pub body: BodyArgs,
    /// How urgent the ticket is
    #[arg(long, value_enum, default_value_t = PriorityValue::Normal)]
    pub priority: PriorityValue,
    /// Add a tag (repeatable)
    #[arg(long = "tag", value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tags: Vec<String>,
    /// Add someone to Cc (repeatable)
    #[arg(long = "cc", value_name = "ADDRESS")]
    pub cc: Vec<String>,
    /// Set a custom field (repeatable)
    #[arg(long = "field", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::field_assignments))]
    pub fields: Vec<String>,
    /// Assign to an agent at once
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assign: Option<String>,
    /// Attach a file (repeatable)
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// What to print: the id only (default when piped), text, or json
    #[arg(long, value_enum)]
    pub format: Option<CreateFormat>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateFormat {
    Text,
    Ids,
    Json,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: TicketFilterArgs,
    /// Include closed tickets (by default `list` leaves them out)
    #[arg(short, long, conflicts_with = "status")]
    pub all: bool,
    /// Only snoozed tickets (hidden otherwise until they wake)
    #[arg(long, conflicts_with = "all")]
    pub snoozed: bool,
    /// Only tickets whose SLA clocks are in this state
    #[arg(long, value_enum, value_name = "STATE")]
    pub sla: Option<SlaFilter>,
    /// Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)
    #[arg(long, value_name = "WHEN")]
    pub created_since: Option<String>,
    /// Created before WHEN
    #[arg(long, value_name = "WHEN")]
    pub created_until: Option<String>,
    /// Last changed at or after WHEN
    #[arg(long, value_name = "WHEN")]
    pub updated_since: Option<String>,
    /// Last changed before WHEN
    #[arg(long, value_name = "WHEN")]
    pub updated_until: Option<String>,
    /// Only tickets whose subject or text contains TEXT (case-insensitive)
    #[arg(long, short = 's', value_name = "TEXT")]
    pub text: Option<String>,
    /// Order of the list
    #[arg(long, value_enum, default_value_t = SortKey::Updated)]
    pub sort: SortKey,
    /// Reverse the order
    #[arg(long)]
    pub reverse: bool,
    /// Print at most N tickets
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format; default: table on a terminal, tsv when piped
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
    /// Table: show every cell whole instead of cutting long ones to the
    /// terminal width (COLUMNS, else the terminal's)
    #[arg(long)]
    pub wide: bool,
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

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Last activity, newest first
    Updated,
    /// Creation time, newest first
    Created,
    /// Most urgent first
    Priority,
    Status,
    Id,
    Subject,
    /// Earliest SLA deadline first (breached first); tickets without a
    /// running SLA clock last
    Sla,
}

/// Tickets by the state of their SLA clocks.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaFilter {
    /// A target is breached
    Breached,
    /// Breached, or past the warning threshold
    AtRisk,
    /// Any SLA clock running or paused
    Running,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Ids,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Leave out internal notes and internal changes: what the customer may see
    #[arg(long)]
    pub public: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ReplyArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Also set the status (default: a new ticket becomes open)
    #[arg(long, value_enum)]
    pub status: Option<StatusValue>,
    /// Attach a file (repeatable)
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// A canned answer: the text of .tix/templates/NAME.md (after any -m/-F text)
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// Record the reply without e-mailing it
    #[arg(long)]
    pub no_send: bool,
}

#[derive(Args, Debug)]
pub struct CommentArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Attach a file (repeatable)
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct AssignArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Agent handle or address; `me` for yourself
    #[arg(required_unless_present = "none", add = ArgValueCompleter::new(complete::agents))]
    pub agent: Option<String>,
    /// Remove the assignee
    #[arg(long, conflicts_with = "agent")]
    pub none: bool,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new status
    #[arg(value_enum)]
    pub status: StatusValue,
}

#[derive(Args, Debug)]
pub struct PriorityArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new priority
    #[arg(value_enum)]
    pub priority: PriorityValue,
}

#[derive(Args, Debug)]
pub struct SubjectArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The new subject
    pub subject: String,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// One or more tags
    #[arg(required = true, value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tags: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CcArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Add this address (repeatable)
    #[arg(long = "add", value_name = "ADDRESS")]
    pub add: Vec<String>,
    /// Remove this address (repeatable)
    #[arg(long = "remove", value_name = "ADDRESS")]
    pub remove: Vec<String>,
}

#[derive(Args, Debug)]
pub struct FieldArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Field name, as declared in .tix/config.yaml
    #[arg(add = ArgValueCompleter::new(complete::field_names))]
    pub name: String,
    /// The value: text, a number, a date (YYYY-MM-DD) or one of the choices
    #[arg(required_unless_present = "unset")]
    pub value: Option<String>,
    /// Clear the field
    #[arg(long, conflicts_with = "value")]
    pub unset: bool,
}

#[derive(Args, Debug)]
pub struct LinkArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The other ticket
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub target: String,
    /// How ID relates to TARGET
    #[arg(long, value_enum, default_value_t = LinkValue::Related)]
    pub rel: LinkValue,
}

#[derive(Args, Debug)]
pub struct CloseArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Also lock the ticket: it can never be silently reopened
    #[arg(long)]
    pub lock: bool,
    /// An internal resolution note
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    /// Set a custom field on the way (repeatable), e.g. one required at close
    #[arg(long = "field", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::field_assignments))]
    pub fields: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReopenArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
}

#[derive(Args, Debug)]
pub struct LockArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Why
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Created, resolved, reopened, backlog by age, first response and
    /// resolution times, replies per ticket
    Summary(ReportArgs),
    /// Per agent: tickets assigned and closed, replies, notes, response
    /// times, open load now
    Agents(ReportArgs),
    /// Created, resolved, reopened and backlog per day, week or month
    Trend(TrendArgs),
    /// Counts and times per status, priority, tag, assignee, customer
    /// domain or custom field
    Breakdown(BreakdownArgs),
    /// Tickets that breached the first-response or resolution targets in
    /// the config's `sla` section, per agent and overall
    Sla(ReportArgs),
}

/// The period, the filters and the output format of a report.
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default:
    /// 30 days before its end
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, not included; default: now
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    #[command(flatten)]
    pub filter: TicketFilterArgs,
    /// Output format; default: table on a terminal, csv when piped
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

#[derive(Args, Debug)]
pub struct TrendArgs {
    /// Bucket size
    #[arg(long, value_enum, default_value_t = TrendBy::Day)]
    pub by: TrendBy,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendBy {
    /// UTC days
    Day,
    /// ISO weeks (Monday to Sunday, UTC)
    Week,
    /// Calendar months (UTC)
    Month,
}

#[derive(Args, Debug)]
pub struct BreakdownArgs {
    /// Group by status, priority, tag, assignee, domain (the customer's) or
    /// field:NAME (a custom field)
    #[arg(long, value_name = "GROUP", default_value = "status")]
    pub by: String,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import every message of an mbox file
    Mbox(ImportMboxArgs),
    /// Import every message of a Maildir folder (cur/ and new/)
    Maildir(ImportMaildirArgs),
    /// Import one message from standard input (or FILE), e.g. piped from an MTA;
    /// exits 0 when filed or skipped, 65 when refused, 75 when the store is busy
    Eml(ImportEmlArgs),
    /// Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what
    /// happens on the server afterwards is the account's after_import
    Pop3(ImportFetchArgs),
    /// Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what
    /// happens on the server afterwards is the account's after_import
    Imap(ImportFetchArgs),
}

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
}

#[derive(Args, Debug)]
pub struct ImportMboxArgs {
    /// The mbox file
    pub file: PathBuf,
    #[command(flatten)]
    pub options: ImportOptions,
}

#[derive(Args, Debug)]
pub struct ImportMaildirArgs {
    /// The Maildir folder (holding cur/ and new/)
    pub dir: PathBuf,
    #[command(flatten)]
    pub options: ImportOptions,
}

#[derive(Args, Debug)]
pub struct ImportEmlArgs {
    /// A message file; default: standard input
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub options: OneMessageOptions,
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
}

impl From<OneMessageOptions> for ImportOptions {
    fn from(o: OneMessageOptions) -> ImportOptions {
        ImportOptions {
            dry_run: o.dry_run,
            format: o.format,
            verbose: o.verbose,
            // One message is one commit whatever the batch size.
            batch: 1,
        }
    }
}

#[derive(Args, Debug)]
pub struct ImportFetchArgs {
    /// The account's name under mail.accounts; may be left out when one
    /// account uses this protocol
    pub account: Option<String>,
    /// IMAP: fetch this folder instead of the account's
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Download at most N new messages this run; the rest wait for the next
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub options: ImportOptions,
}

#[derive(Subcommand, Debug)]
pub enum QuarantineCommand {
    /// List quarantined messages and why they were refused
    List(QuarantineListArgs),
    /// File quarantined messages again (after a fix or a config change);
    /// those filed leave the quarantine
    Retry(QuarantineRetryArgs),
}

#[derive(Args, Debug)]
pub struct QuarantineRetryArgs {
    /// Quarantined files (`quarantine/<id>.eml` or `<id>`); default: all
    pub files: Vec<String>,
    #[command(flatten)]
    pub options: ImportOptions,
}

#[derive(Args, Debug)]
pub struct QuarantineListArgs {
    /// Output format; default: table on a terminal, tsv when piped
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
}

#[derive(Args, Debug)]
pub struct SlaArgs {
    /// Only breached clocks
    #[arg(long)]
    pub breached: bool,
    /// Only tickets assigned to AGENT (handle or address)
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assignee: Option<String>,
    /// Output format; default: table on a terminal, tsv when piped
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
}

#[derive(Args, Debug)]
pub struct TickArgs {
    /// Say what would be done; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Args, Debug)]
pub struct SnoozeArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Until when (RFC 3339, a date, or a duration like 3d from now)
    #[arg(long, value_name = "TIME", required_unless_present = "wake")]
    pub until: Option<String>,
    /// Wake it now
    #[arg(long, conflicts_with = "until")]
    pub wake: bool,
}

#[derive(Args, Debug)]
pub struct EscalateArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// A group, or an agent; default: the group after the ticket's current one
    #[arg(long, value_name = "GROUP|AGENT", add = ArgValueCompleter::new(complete::groups_and_agents))]
    pub to: Option<String>,
    /// Why (an internal note for the next agent)
    #[command(flatten)]
    pub body: BodyArgs,
}

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// List replies waiting to be delivered, with the last error
    List(QuarantineListArgs),
    /// Send waiting replies again (the same message, byte for byte)
    Retry(OutboxRetryArgs),
}

#[derive(Args, Debug)]
pub struct OutboxRetryArgs {
    /// Tickets whose waiting replies to send (ids or prefixes); default: all
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub ids: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum BlacklistCommand {
    /// Skip mail from an address or a whole domain
    Add(BlacklistAddArgs),
    /// List the blacklist
    List(AgentListArgs),
    /// Remove an entry
    Remove(BlacklistRemoveArgs),
}

#[derive(Args, Debug)]
pub struct BlacklistAddArgs {
    /// An address (spam@example.com) or a domain (example.com, with its subdomains)
    pub sender: String,
    /// Only when the subject contains this text (case-insensitive)
    #[arg(long)]
    pub subject: Option<String>,
}

#[derive(Args, Debug)]
pub struct BlacklistRemoveArgs {
    /// The address or domain, as listed
    pub sender: String,
    /// Only the entry with this subject text
    #[arg(long)]
    pub subject: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AgentCommand {
    /// Declare an agent (admins only)
    Add(AgentAddArgs),
    /// List the agents, their active tickets and who is away
    List(AgentListArgs),
    /// Mark an agent away: assignment rules skip them, and a customer's
    /// follow-up on their tickets is re-assigned
    Away(AgentAwayArgs),
    /// Mark an agent back
    Back(AgentBackArgs),
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
pub struct AgentListArgs {
    /// Output format; default: table on a terminal, tsv when piped
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// clap value types mirroring the domain enums, so the domain does not
/// depend on clap.
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

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleValue {
    Admin,
    Agent,
}

/// Parses the arguments, runs the command and returns the exit code.
///
/// `tix import eml` speaks sysexits to the MTA that pipes into it: its
/// errors become 75 (try again later) and refused mail 65.
pub fn main() -> u8 {
    // Exactly one rustls crypto provider (ring) for every TLS user in the
    // process, installed before any of them runs.
    tix_core::mail::net::install_crypto_provider();
    tix_core::warnings::set_sink(output::warn);
    generated::complete_env().complete();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let ctx = match commands::Ctx::new(&cli) {
        Ok(ctx) => ctx,
        Err(e) => return report(&e),
    };
    match commands::run(&ctx, cli.command) {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

fn report(e: &Error) -> u8 {
    let color = output::stderr_color();
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let said = wording::word(e);
    eprintln!("tix: {label} {}", output::for_stderr(&said.message));
    for cause in &said.causes {
        eprintln!("caused by: {}", output::for_stderr(cause));
    }
    if let Some(hint) = &said.hint {
        eprintln!("hint: {}", output::for_stderr(hint));
    }
    if e.kind() == ErrorKind::Usage {
        eprintln!("Run `tix --help` for usage.");
    }
    e.kind().exit_code()
}
