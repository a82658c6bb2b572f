//! `tix import`: mailboxes into tickets.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use crate::ui::mail::print_import_summary;
use crate::ui::output::{self, print, warn};
use crate::ui::wording;
use tix_core::domain::{MailAccount, MailProtocol};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::mail::answer::answer_filed;
use tix_core::mail::fetch::{self, FetchOptions};
use tix_core::mail::file::{Action, Importer};
use tix_core::mail::import::route::HELD_PREFIX;
use tix_core::mail::mailbox::{self, MaildirItem, RawMessage};
use tix_core::store::Store;

use super::prelude::{Ctx, ImportOptions, OneMessageOptions, TextFormat};

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
    /// Import tickets from ndjson (as `tix export --format ndjson` writes it;
    /// schema/ndjson.schema.json), keeping their ids and times; FILE or `-`
    Json(ImportJsonArgs),
}

#[derive(Args, Debug)]
pub struct ImportJsonArgs {
    /// The ndjson file, or `-` for standard input
    pub file: PathBuf,
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

pub fn cmd_import(ctx: &Ctx, cmd: ImportCommand) -> Result<()> {
    match cmd {
        ImportCommand::Mbox(args) => {
            let file = mailbox::open_mbox(&args.file)?;
            let store = ctx.store()?;
            on_duty(ctx, &store, &args.options)?;
            let cap = Importer::read_limit_of(&store);
            let total = file.metadata().map(|m| m.len()).unwrap_or(0);
            let name = args.file.display().to_string();
            let messages = mailbox::MboxReader::new(file, &name, cap).map(|m| m.map(Item::Message));
            import_all(&store, &args.options, messages, Progress::Bytes(total))
        }
        ImportCommand::Maildir(args) => {
            let files = mailbox::maildir_files(&args.dir)?;
            let store = ctx.store()?;
            on_duty(ctx, &store, &args.options)?;
            let cap = Importer::read_limit_of(&store);
            let count = files.len() as u64;
            let messages = files.into_iter().map(move |path| {
                mailbox::read_maildir_file(&path, cap).map(|item| match item {
                    MaildirItem::Message(m) => Item::Message(m),
                    MaildirItem::Skipped { path, reason } => {
                        Item::Skipped(format!("{}: {reason}", path.display()))
                    }
                })
            });
            import_all(&store, &args.options, messages, Progress::Messages(count))
        }
        ImportCommand::Eml(args) => {
            import_eml(ctx, args.file.as_deref(), &args.options.clone().into())
        }
        ImportCommand::Pop3(args) => fetch_account(ctx, MailProtocol::Pop3, args),
        ImportCommand::Imap(args) => fetch_account(ctx, MailProtocol::Imap, args),
        ImportCommand::Json(args) => import_json(ctx, &args.file),
    }
}

fn import_json(ctx: &Ctx, file: &Path) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let (source, done) = if file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let source = "standard input".to_string();
        let done = tix_core::ops::ndjson::import(&store, &actor, &mut input, &source)?;
        (source, done)
    } else {
        let source = file.display().to_string();
        let opened = std::fs::File::open(file).map_err(|e| {
            let message = format!("cannot read {source}: {e}");
            match e.kind() {
                std::io::ErrorKind::NotFound => Error::not_found(message),
                _ => Error::invalid(message),
            }
        })?;
        let mut input = std::io::BufReader::new(opened);
        let done = tix_core::ops::ndjson::import(&store, &actor, &mut input, &source)?;
        (source, done)
    };
    print(&format!(
        "Imported {} ticket(s), {} entries, {} file(s) from {source} in {} commit(s)\n",
        done.tickets, done.entries, done.files, done.commits
    ))
}

fn fetch_account(ctx: &Ctx, protocol: MailProtocol, args: ImportFetchArgs) -> Result<()> {
    let store = ctx.store()?;
    on_duty(ctx, &store, &args.options)?;
    let (name, mut account) = pick_account(&store, protocol, args.account.as_deref())?;
    if let Some(folder) = args.folder {
        if protocol == MailProtocol::Pop3 {
            return Err(Error::new(
                ErrorKind::Usage,
                "--folder: POP3 has a single mailbox, no folders",
            ));
        }
        account.folder = folder;
    }
    let password = tix_core::mail::password::resolve(&name, &account)?;
    let mailbox = tix_core::mail::net::open_mailbox(&account, &password, store.root())?;
    drop(password);
    let options = &args.options;
    let mut fetched = fetch::fetch(
        &store,
        &name,
        &account,
        mailbox,
        FetchOptions {
            limit: args.limit,
            dry_run: options.dry_run,
            batch: options.batch,
            keep_outcomes: options.verbose || options.dry_run || options.format == TextFormat::Json,
        },
    )?;
    answer_filed(&store, &mut fetched.counts, warn);
    for w in &fetched.warnings {
        warn(w);
    }
    if options.format == TextFormat::Json {
        return print(&output::json(&json!({
            "dry_run": options.dry_run,
            "fetch": fetched,
        }))?);
    }
    let f = &fetched;
    print(&format!(
        "{}: {} on the server, {} fetched before, {} downloaded, {} removed from the server{}\n",
        f.mailbox,
        f.on_server,
        f.already_fetched,
        f.downloaded,
        f.removed,
        if f.deferred > 0 {
            format!(", {} left for the next run (--limit)", f.deferred)
        } else {
            String::new()
        }
    ))?;
    print_import_summary(options.format, options.dry_run, &f.counts, &f.messages)
}

/// Mail is imported on the clone on duty only; a dry run changes nothing
/// and may run anywhere.
fn on_duty(ctx: &Ctx, store: &Store, options: &ImportOptions) -> Result<()> {
    if options.dry_run {
        return Ok(());
    }
    ctx.on_duty(store, "importing mail", options.force)
}

/// The account named, or the only one using `protocol`.
fn pick_account(
    store: &Store,
    protocol: MailProtocol,
    name: Option<&str>,
) -> Result<(String, MailAccount)> {
    let accounts = &store.config().mail.accounts;
    let proto = protocol.as_str();
    match name {
        Some(name) => {
            let account = accounts.get(name).ok_or_else(|| {
                Error::not_found(format!(
                    "no mail account `{name}` in .tix/config.yaml (mail.accounts: {})",
                    names(accounts.keys())
                ))
            })?;
            if account.protocol != protocol {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "mail account `{name}` is {}, not {proto}: use `tix import {} {name}`",
                        account.protocol.as_str(),
                        account.protocol.as_str()
                    ),
                ));
            }
            Ok((name.to_string(), account.clone()))
        }
        None => {
            let matching: Vec<_> = accounts
                .iter()
                .filter(|(_, a)| a.protocol == protocol)
                .collect();
            match matching.as_slice() {
                [(name, account)] => Ok(((*name).clone(), (*account).clone())),
                [] => Err(Error::not_found(format!(
                    "no {proto} account in .tix/config.yaml; declare one under mail.accounts \
                     (see docs/mail.md)"
                ))),
                more => Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "several {proto} accounts ({}): name one",
                        names(more.iter().map(|(n, _)| *n))
                    ),
                )),
            }
        }
    }
}

fn names<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let list: Vec<&str> = names.map(String::as_str).collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// What a mailbox reader gives the import.
enum Item {
    Message(RawMessage),
    /// A file that was not read, and why (said per file, not imported).
    Skipped(String),
}

enum Progress {
    Bytes(u64),
    Messages(u64),
}

fn import_all(
    store: &Store,
    options: &ImportOptions,
    messages: impl Iterator<Item = Result<Item>>,
    progress: Progress,
) -> Result<()> {
    let mut importer = Importer::new(store, options.dry_run)?;
    importer.set_batch_limit(options.batch);
    let bar = progress_bar(&progress);
    let mut outcomes = Vec::new();
    let mut seen_bytes = 0u64;
    for item in messages {
        let m = match item? {
            Item::Message(m) => m,
            Item::Skipped(why) => {
                importer.skip_file();
                match &bar {
                    Some(bar) => bar.suspend(|| warn(&format!("skipped {why}"))),
                    None => warn(&format!("skipped {why}")),
                }
                continue;
            }
        };
        seen_bytes += m.size.unwrap_or(m.bytes.len() as u64);
        let outcome = importer.import_message(&m)?;
        if let Some(bar) = &bar {
            bar.set_position(match progress {
                Progress::Bytes(_) => seen_bytes,
                Progress::Messages(_) => importer.counts().messages as u64,
            });
        }
        if options.verbose || options.dry_run || options.format == TextFormat::Json {
            outcomes.push(outcome);
        }
    }
    // What this run filed may be the ticket that held mail waits for.
    let retried = importer.retry_held()?;
    if options.verbose || options.dry_run || options.format == TextFormat::Json {
        outcomes.extend(retried);
    }
    let (mut counts, warnings) = importer.finish()?;
    answer_filed(store, &mut counts, warn);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for w in &warnings {
        warn(w);
    }
    print_import_summary(options.format, options.dry_run, &counts, &outcomes)
}

fn progress_bar(progress: &Progress) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let (len, template) = match progress {
        Progress::Bytes(n) => (*n, "{bar:40} {bytes}/{total_bytes} {msg}"),
        Progress::Messages(n) => (*n, "{bar:40} {pos}/{len} messages {msg}"),
    };
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(bar)
}

fn import_eml(ctx: &Ctx, file: Option<&Path>, options: &ImportOptions) -> Result<()> {
    // An MTA retries on 75; anything that is not the message's fault must
    // map to it, or mail would bounce or vanish.
    let tempfail = |e: Error| {
        if matches!(e.kind(), ErrorKind::MailRefused) {
            e
        } else {
            Error::new(ErrorKind::MailTempFail, wording::message(&e).into_owned())
        }
    };
    let store = ctx.store().map_err(tempfail)?;
    on_duty(ctx, &store, options).map_err(tempfail)?;
    let cap = Importer::read_limit_of(&store);
    let message = match file {
        Some(p) if p.as_os_str() != "-" => std::fs::File::open(p)
            .and_then(|f| mailbox::read_file_bounded(f, cap, &p.display().to_string()))
            .map_err(|e| {
                Error::new(
                    ErrorKind::MailRefused,
                    format!("cannot read message {}: {e}", p.display()),
                )
            })?,
        _ => mailbox::read_bounded(std::io::stdin().lock(), cap, "stdin").map_err(|e| {
            Error::new(
                ErrorKind::MailTempFail,
                format!("cannot read standard input: {e}"),
            )
        })?,
    };
    let mut importer = Importer::new(&store, options.dry_run).map_err(tempfail)?;
    let outcome = importer.import_message(&message).map_err(tempfail)?;
    // The message is filed first: it may be the ticket held mail waits for.
    importer.retry_held().map_err(tempfail)?;
    let (mut counts, warnings) = importer.finish().map_err(tempfail)?;
    // The message is filed: whatever happens to the acknowledgement, the
    // MTA must not send it again.
    answer_filed(&store, &mut counts, warn);
    for w in &warnings {
        warn(w);
    }
    print_import_summary(
        options.format,
        options.dry_run,
        &counts,
        std::slice::from_ref(&outcome),
    )?;
    // Held mail is kept and will be filed when its ticket arrives: neither
    // a bounce nor a retry by the MTA.
    if let Action::Quarantined { reason, file } = &outcome.action
        && !reason.starts_with(HELD_PREFIX)
    {
        return Err(Error::new(
            ErrorKind::MailRefused,
            format!("message refused ({reason}); kept as {file}"),
        ));
    }
    Ok(())
}
