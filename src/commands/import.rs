//! `tix import`: mailboxes into tickets.

use std::path::Path;

use serde_json::json;

use crate::cli::output::{self, print, warn};
use crate::cli::wording;
use crate::cli::{ImportCommand, ImportFetchArgs, ImportOptions, TextFormat};
use tix_core::domain::{MailAccount, MailProtocol};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::mail::fetch::{self, FetchOptions};
use tix_core::mail::file::{Action, Counts, Importer, MessageOutcome};
use tix_core::mail::mailbox::{self, MaildirItem, RawMessage};
use tix_core::mail::respond;
use tix_core::ops;
use tix_core::store::Store;

use super::Ctx;

pub fn run(ctx: &Ctx, cmd: ImportCommand) -> Result<()> {
    match cmd {
        ImportCommand::Mbox(args) => {
            let file = mailbox::open_mbox(&args.file)?;
            let store = ctx.store()?;
            let cap = Importer::read_limit_of(&store);
            let total = file.metadata().map(|m| m.len()).unwrap_or(0);
            let name = args.file.display().to_string();
            let messages = mailbox::MboxReader::new(file, &name, cap).map(|m| m.map(Item::Message));
            import_all(&store, &args.options, messages, Progress::Bytes(total))
        }
        ImportCommand::Maildir(args) => {
            let files = mailbox::maildir_files(&args.dir)?;
            let store = ctx.store()?;
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
    }
}

fn fetch_account(ctx: &Ctx, protocol: MailProtocol, args: ImportFetchArgs) -> Result<()> {
    let store = ctx.store()?;
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
    acknowledge_new(&store, &mut fetched.counts);
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
    report(options, &f.counts, &f.messages)
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
    let (mut counts, warnings) = importer.finish()?;
    acknowledge_new(store, &mut counts);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for w in &warnings {
        warn(w);
    }
    report(options, &counts, &outcomes)
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
    let (mut counts, warnings) = importer.finish().map_err(tempfail)?;
    // The message is filed: whatever happens to the acknowledgement, the
    // MTA must not send it again.
    acknowledge_new(&store, &mut counts);
    for w in &warnings {
        warn(w);
    }
    report(options, &counts, std::slice::from_ref(&outcome))?;
    if let Action::Quarantined { reason, file } = &outcome.action {
        return Err(Error::new(
            ErrorKind::MailRefused,
            format!("message refused ({reason}); kept as {file}"),
        ));
    }
    Ok(())
}

/// Runs the auto-responder for the tickets an import opened; its
/// problems are warnings, since the mail is filed either way.
pub fn acknowledge_new(store: &Store, counts: &mut Counts) {
    let now = match ops::now() {
        Ok(now) => now,
        Err(e) => return warn(&wording::message(&e)),
    };
    match respond::acknowledge(store, &counts.created, now) {
        Ok(done) => {
            counts.acknowledged = done.sent;
            for f in &done.failed {
                warn(&format!("{f} (recorded; `tix outbox retry` sends it)"));
            }
        }
        Err(e) => warn(&format!(
            "the new tickets are filed but were not acknowledged: {}",
            wording::message(&e)
        )),
    }
    if !counts.relay.is_empty() && store.config().mail.outgoing.is_none() {
        warn(
            "agents' e-mailed replies are filed but not passed on: mail.outgoing is not configured",
        );
    }
    match respond::notify(store, &counts.created, &counts.followed_up, now) {
        Ok(done) => {
            counts.notified = done.sent;
            for f in &done.failed {
                warn(&format!("{f} (recorded; `tix outbox retry` sends it)"));
            }
        }
        Err(e) => warn(&format!(
            "agents were not notified: {}",
            wording::message(&e)
        )),
    }
    match respond::relay(store, &counts.relay, now) {
        Ok(done) => {
            counts.relayed = done.sent;
            for f in &done.failed {
                warn(&format!("{f} (recorded; `tix outbox retry` sends it)"));
            }
        }
        Err(e) => warn(&format!(
            "agents' e-mailed replies are filed but were not passed on: {}",
            wording::message(&e)
        )),
    }
}

pub fn report(options: &ImportOptions, counts: &Counts, outcomes: &[MessageOutcome]) -> Result<()> {
    if options.format == TextFormat::Json {
        return print(&output::json(&json!({
            "dry_run": options.dry_run,
            "counts": counts,
            "messages": outcomes,
        }))?);
    }
    let mut out = String::new();
    for o in outcomes {
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            o.source,
            describe(&o.action),
            o.subject
        ));
    }
    let c = counts;
    out.push_str(&format!(
        "{}{} messages: {} new tickets, {} follow-ups ({} reopened), {} noted on tickets; \
         skipped {} duplicates, {} auto-replies, {} bounces, {} list mail, {} loops, {} blacklisted; \
         {} quarantined{}{}\n",
        if options.dry_run { "dry run, nothing written: " } else { "" },
        c.messages,
        c.new_tickets,
        c.follow_ups,
        c.reopened,
        c.noted,
        c.duplicates,
        c.auto_replies,
        c.bounces,
        c.lists,
        c.loops,
        c.blacklisted,
        c.quarantined,
        match c.skipped_files {
            0 => String::new(),
            n => format!("; {n} files not read (see the warnings)"),
        },
        match (c.acknowledged, c.relayed, c.notified) {
            (0, 0, 0) => String::new(),
            (a, r, n) => format!(
                "; e-mailed {a} acknowledgements, {r} agents' replies, {n} notifications"
            ),
        }
    ));
    print(&out)
}

fn describe(action: &Action) -> String {
    match action {
        Action::Created {
            ticket,
            linked_to: None,
        } => format!("new ticket {ticket}"),
        Action::Created {
            ticket,
            linked_to: Some(old),
        } => format!("new ticket {ticket} (linked to {old})"),
        Action::FollowUp {
            ticket,
            reopened: false,
        } => format!("follow-up on {ticket}"),
        Action::FollowUp {
            ticket,
            reopened: true,
        } => format!("follow-up on {ticket}, reopened"),
        Action::Noted { ticket, noise } => format!("noted on {ticket} ({noise:?})"),
        Action::Duplicate { ticket: Some(t) } => format!("duplicate (in {t})"),
        Action::Duplicate { ticket: None } => "duplicate (already quarantined)".into(),
        Action::Skipped { noise, reason } => format!("skipped {noise:?}: {reason}"),
        Action::Blacklisted { sender } => format!("blacklisted sender {sender}"),
        Action::Quarantined { file, reason } => format!("quarantined as {file}: {reason}"),
    }
}
