//! The top of the command line: the `Cli` with its global options, the
//! `Command` enum whose variants point into the command modules (which own
//! their arguments), the dispatch, and the completions and man pages
//! generated from them.

pub mod generated;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::commands::prelude::{Ctx, set_zones};
use crate::commands::{
    agent, assign, blacklist, cc, check, close, comment, create, customer, department, duty,
    escalate, export, field, forward, group, import, init, link, list, lock, log, log_call,
    log_chat, merge, outbox, priority, purge, quarantine, redact, reindex, reopen, reply, report,
    resolution, rules, search, show, similar, sla, snooze, split, status, subject, sync, tag, tags,
    task, tasks, tick, views,
};
use crate::ui::{complete, output, wording};
use tix_core::error::{Error, ErrorKind, Result};

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
                  10 check found problems, 11 mail server unreachable, 12 mail login refused, \
                  13 git remote unreachable, 14 git remote refused the credentials."
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

    /// With several tickets (`ID,ID` or `-` for ids on standard input):
    /// change those that take the change and report the others, rather
    /// than writing nothing
    #[arg(long, global = true, help_heading = "Global options")]
    pub skip_invalid: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a tix store here (and a git repository if there is none)
    Init(init::InitArgs),
    /// Open a new ticket
    Create(create::CreateArgs),
    /// List tickets (open ones, newest activity first)
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    /// The named views of the config, each with its ticket count (`tix list
    /// @NAME` shows one)
    Views(views::ViewsArgs),
    /// Search tickets by words, phrases and filters, best match first
    #[command(long_about = search::LONG_ABOUT)]
    Search(search::SearchArgs),
    /// Show a ticket and its whole trail
    Show(show::ShowArgs),
    /// Closed tickets like this one, resolved ones first, with what solved them
    #[command(long_about = similar::LONG_ABOUT)]
    Similar(similar::SimilarArgs),
    /// A customer's card: names, organisation, figures, then every ticket
    /// naming them (open first; Cc'd ones marked)
    Customer(customer::CustomerArgs),
    /// The customer directory, or with --org one organisation: its people,
    /// figures and tickets
    Customers(customer::CustomersArgs),
    /// Add a public reply for the customer
    Reply(reply::ReplyArgs),
    /// Add a private internal note
    #[command(visible_alias = "note")]
    Comment(comment::CommentArgs),
    /// Write every ticket, with its entries and files, as ndjson
    Export(export::ExportArgs),
    /// Record a phone call with the customer
    LogCall(log_call::LogCallArgs),
    /// Record a chat with the customer, its transcript read with -F
    LogChat(log_chat::LogChatArgs),
    /// Assign a ticket to an agent, or unassign it
    Assign(assign::AssignArgs),
    /// Set a ticket's status
    Status(status::StatusArgs),
    /// Set a ticket's priority
    Priority(priority::PriorityArgs),
    /// Move a ticket to another department (its sender and templates)
    Department(department::DepartmentArgs),
    /// Change a ticket's subject
    Subject(subject::SubjectArgs),
    /// Add tags to a ticket
    Tag(tag::TagArgs),
    /// Remove tags from a ticket
    Untag(tag::TagArgs),
    /// The tags in use with their counts; `rename` and `merge` change a
    /// tag on every ticket that has it
    Tags(tags::TagsArgs),
    /// Add people to, or remove them from, a ticket's Cc
    Cc(cc::CcArgs),
    /// Set or clear a custom field
    Field(field::FieldArgs),
    /// Link a ticket to another
    Link(link::LinkArgs),
    /// Remove a link
    Unlink(link::LinkArgs),
    /// Merge a duplicate into another ticket: `tix merge SOURCE into TARGET`
    /// (both trails shown on TARGET; SOURCE becomes a closed pointer)
    Merge(merge::MergeArgs),
    /// Undo a merge: both tickets fold as before it
    Unmerge(merge::UnmergeArgs),
    /// Start a new ticket from entries of this one (shown there by reference)
    Split(split::SplitArgs),
    /// Close a ticket, optionally locking it
    Close(close::CloseArgs),
    /// Record what solved a ticket (offered later on similar tickets)
    Resolution(resolution::ResolutionArgs),
    /// Reopen a closed ticket
    Reopen(reopen::ReopenArgs),
    /// Lock a ticket against every further change
    Lock(lock::LockArgs),
    /// Lift a lock (admins only)
    Unlock(lock::LockArgs),
    /// Show the git history of a ticket
    Log(log::LogArgs),
    /// Verify the store: unreadable entries, rewritten history, config
    Check(check::CheckArgs),
    /// Rebuild the derived indexes in .git/tix/ (tickets, search) from the
    /// store (never needed for correctness: they are refreshed automatically)
    Reindex(reindex::ReindexArgs),
    /// Service reports over a period: volumes, response and resolution
    /// times, agents, trends, breakdowns, SLA breaches
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Manage the agents of this store
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// The groups (levels) agents work in: create, add, remove, list
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// File mail from a mailbox into tickets
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Messages that could not be filed
    #[command(subcommand)]
    Quarantine(quarantine::QuarantineCommand),
    /// Replies recorded but not (yet) delivered by e-mail
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Tasks inside a ticket, each with its own assignee and deadline
    #[command(subcommand)]
    Task(task::TaskCommand),
    /// Open tasks across tickets, soonest deadline first
    Tasks(tasks::TasksArgs),
    /// Hide an entry's text and attachments from every view; who and why
    /// stay in the trail
    Redact(redact::RedactArgs),
    /// Take redacted entries out of the whole history (admins only, --yes):
    /// rewrites the branch, records a manifest `tix check` verifies
    Purge(purge::PurgeArgs),
    /// Send a ticket's messages to a third party (a vendor), recorded as an
    /// internal note; they are not added to the ticket
    Forward(forward::ForwardArgs),
    /// The automation rules in order, with how often each fired; `tix rules
    /// test ID` shows what they would do to a ticket
    Rules(rules::RulesArgs),
    /// Move a ticket to the next group (level), with a note for the next agent
    Escalate(escalate::EscalateArgs),
    /// Hide a ticket from the list until a time; it wakes then (tix tick) or
    /// when the customer writes
    Snooze(snooze::SnoozeArgs),
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
                            an `sla` entry records it;\n\
                            - tasks: e-mail the assignee of a task whose deadline passed, once \
                            (a `task-reminder` entry records it).\n\
                            Run it from cron or a systemd timer; --dry-run says what it would do."
    )]
    Tick(tick::TickArgs),
    /// Open tickets' SLA clocks by time left, breached first
    Sla(sla::SlaArgs),
    /// Senders whose mail is skipped
    #[command(subcommand)]
    Blacklist(blacklist::BlacklistCommand),
    /// Fetch, merge and push the shared store through git, under tix's lock,
    /// and say what others did
    #[command(
        long_about = "Bring this clone and the team's remote together: fetch, fast-forward or merge \
                      (never rebase; a merge commit records who synced when), push, and on a push \
                      others beat, fetch, merge and push again. No tix command on this clone writes \
                      meanwhile. Prints the entries and tickets that came in, tickets newly assigned \
                      to you, entries a lock cancelled, ticket id collisions and agents over \
                      assignment.max_active. Transport is your own git (ssh, https, credentials, \
                      insteadOf and proxies as configured for git). See docs/team.md."
    )]
    Sync(sync::SyncArgs),
    /// Which clone is on duty (imports mail, ticks, sends automatic mail);
    /// take or release duty
    #[command(
        long_about = "Show which clone holds duty, or take or release it. Importing mail, \
                      tix tick, tix outbox retry and the automatic mail they send run only on the \
                      clone on duty once a clone has taken it; other clones refuse them (exit 9, \
                      --force overrides and the commits say so). Duty is a record on the shared \
                      branch, taken by a push only one clone can win, with a lease that the clone \
                      on duty renews as it works and that another clone can take over once it has \
                      run out. Without a git remote the clone is on duty by itself. See docs/team.md."
    )]
    Duty(duty::DutyArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
    let mut ctx = match Ctx::new(cli.directory.as_deref(), cli.as_agent.clone(), cli.yes) {
        Ok(ctx) => ctx,
        Err(e) => return report(&e),
    };
    ctx.skip_invalid = cli.skip_invalid;
    match run(&ctx, cli.command) {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

/// Runs one parsed command.
pub fn run(ctx: &Ctx, command: Command) -> Result<()> {
    if !matches!(command, Command::Completions(_)) {
        set_zones(None);
    }
    match command {
        Command::Init(args) => init::cmd_init(ctx, args),
        Command::Create(args) => create::cmd_create(ctx, args),
        Command::List(args) => list::cmd_list(ctx, args),
        Command::Search(args) => search::cmd_search(ctx, args),
        Command::Similar(args) => similar::cmd_similar(ctx, args),
        Command::Show(args) => show::cmd_show(ctx, args),
        Command::Reply(args) => reply::cmd_reply(ctx, args),
        Command::Comment(args) => comment::cmd_comment(ctx, args),
        Command::Export(args) => export::cmd_export(ctx, args),
        Command::LogCall(args) => log_call::cmd_log_call(ctx, args),
        Command::LogChat(args) => log_chat::cmd_log_chat(ctx, args),
        Command::Merge(args) => merge::cmd_merge(ctx, args),
        Command::Unmerge(args) => merge::cmd_unmerge(ctx, args),
        Command::Split(args) => split::cmd_split(ctx, args),
        Command::Resolution(args) => resolution::cmd_resolution(ctx, args),
        Command::Assign(args) => assign::cmd_assign(ctx, args),
        Command::Status(args) => status::cmd_status(ctx, args),
        Command::Priority(args) => priority::cmd_priority(ctx, args),
        Command::Department(args) => department::cmd_department(ctx, args),
        Command::Subject(args) => subject::cmd_subject(ctx, args),
        Command::Tag(args) => tag::cmd_tag(ctx, args),
        Command::Untag(args) => tag::cmd_untag(ctx, args),
        Command::Tags(args) => tags::cmd_tags(ctx, args),
        Command::Views(args) => views::cmd_views(ctx, args),
        Command::Cc(args) => cc::cmd_cc(ctx, args),
        Command::Field(args) => field::cmd_field(ctx, args),
        Command::Link(args) => link::cmd_link(ctx, args),
        Command::Unlink(args) => link::cmd_unlink(ctx, args),
        Command::Close(args) => close::cmd_close(ctx, args),
        Command::Reopen(args) => reopen::cmd_reopen(ctx, args),
        Command::Lock(args) => lock::cmd_lock(ctx, args),
        Command::Unlock(args) => lock::cmd_unlock(ctx, args),
        Command::Log(args) => log::cmd_log(ctx, args),
        Command::Check(args) => check::cmd_check(ctx, args),
        Command::Reindex(args) => reindex::cmd_reindex(ctx, args),
        Command::Report(cmd) => report::cmd_report(ctx, cmd),
        Command::Agent(cmd) => agent::cmd_agent(ctx, cmd),
        Command::Group(cmd) => group::cmd_group(ctx, cmd),
        Command::Import(cmd) => import::cmd_import(ctx, cmd),
        Command::Quarantine(cmd) => quarantine::cmd_quarantine(ctx, cmd),
        Command::Outbox(cmd) => outbox::cmd_outbox(ctx, cmd),
        Command::Escalate(args) => escalate::cmd_escalate(ctx, args),
        Command::Snooze(args) => snooze::cmd_snooze(ctx, args),
        Command::Task(cmd) => task::cmd_task(ctx, cmd),
        Command::Tasks(args) => tasks::cmd_tasks(ctx, args),
        Command::Rules(args) => rules::cmd_rules(ctx, args),
        Command::Forward(args) => forward::cmd_forward(ctx, args),
        Command::Redact(args) => redact::cmd_redact(ctx, args),
        Command::Purge(args) => purge::cmd_purge(ctx, args),
        Command::Customer(args) => customer::cmd_customer(ctx, args),
        Command::Customers(args) => customer::cmd_customers(ctx, args),
        Command::Tick(args) => tick::cmd_tick(ctx, args),
        Command::Sla(args) => sla::cmd_sla(ctx, args),
        Command::Blacklist(cmd) => blacklist::cmd_blacklist(ctx, cmd),
        Command::Sync(args) => sync::cmd_sync(ctx, args),
        Command::Duty(args) => duty::cmd_duty(ctx, args),
        Command::Completions(args) => generated::print_completions(args.shell),
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
