//! `tix quarantine`: mail that could not be filed, kept with the reason.

use clap::{Args, Subcommand};

use crate::ui::mail::print_import_summary;
use crate::ui::output;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Party;
use tix_core::error::{Error, Result};
use tix_core::mail::answer::answer_filed;
use tix_core::mail::file::{Importer, QUARANTINE_DIR, QuarantineRecord, quarantine};

use super::prelude::{Ctx, ImportOptions, ListOutput, TextFormat, TextOutput, report_rules};

#[derive(Subcommand, Debug)]
pub enum QuarantineCommand {
    /// List quarantined messages and why they were refused
    List(ListOutput),
    /// File quarantined messages again (after a fix or a config change);
    /// those filed leave the quarantine
    Retry(QuarantineRetryArgs),
    /// What a quarantined message says: its reason, headers and text
    Show(QuarantineShowArgs),
    /// Remove a quarantined message for good (a commit records who and why)
    Drop(QuarantineDropArgs),
    /// File a quarantined message by hand as a customer's: a new ticket of
    /// theirs, or a message on a ticket
    File(QuarantineFileArgs),
}

#[derive(Args, Debug)]
pub struct QuarantineShowArgs {
    /// The quarantined file (`quarantine/<id>.eml` or `<id>`)
    pub file: String,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Args, Debug)]
pub struct QuarantineDropArgs {
    /// The quarantined file (`quarantine/<id>.eml` or `<id>`)
    pub file: String,
    /// Why, for the commit message
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Args, Debug)]
pub struct QuarantineFileArgs {
    /// The quarantined file (`quarantine/<id>.eml` or `<id>`)
    pub file: String,
    /// Whose message it is (`Name <address>` or `address`)
    #[arg(long, value_name = "ADDRESS")]
    pub customer: String,
    /// File it on this ticket rather than as a new one
    #[arg(long, value_name = "ID", add = ArgValueCompleter::new(complete::ticket_ids))]
    pub ticket: Option<String>,
}

#[derive(Args, Debug)]
pub struct QuarantineRetryArgs {
    /// Quarantined files (`quarantine/<id>.eml` or `<id>`); default: all
    pub files: Vec<String>,
    #[command(flatten)]
    pub options: ImportOptions,
}

pub fn cmd_quarantine(ctx: &Ctx, cmd: QuarantineCommand) -> Result<()> {
    match cmd {
        QuarantineCommand::List(args) => list(ctx, args),
        QuarantineCommand::Retry(args) => retry(ctx, args),
        QuarantineCommand::Show(args) => show(ctx, args),
        QuarantineCommand::Drop(args) => drop_one(ctx, args),
        QuarantineCommand::File(args) => file_one(ctx, args),
    }
}

fn show(ctx: &Ctx, args: QuarantineShowArgs) -> Result<()> {
    let store = ctx.store()?;
    let q = quarantine::show(&store, &args.file)?;
    if args.output.format == TextFormat::Json {
        return output::print(&output::json(&q)?);
    }
    let mut out = format!(
        "{}  ({} bytes)\nquarantined because: {}\n",
        q.file, q.size, q.reason
    );
    if q.truncated {
        out.push_str("only its header was kept: it was too large to read\n");
    }
    if let Some(e) = &q.parse_error {
        out.push_str(&format!("it does not parse: {e}; its bytes as text:\n"));
    }
    for (label, value) in [
        ("From", q.from.clone()),
        ("To", (!q.to.is_empty()).then(|| q.to.join(", "))),
        ("Subject", q.subject.clone()),
        ("Date", q.date.map(|d| d.to_short_labelled())),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("{label}: {v}\n"));
        }
    }
    out.push('\n');
    out.push_str(&q.text);
    if !q.text.ends_with('\n') {
        out.push('\n');
    }
    output::print(&output::for_stdout(&out))
}

fn drop_one(ctx: &Ctx, args: QuarantineDropArgs) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let commit = quarantine::drop_message(&store, &actor, &args.file, args.reason.as_deref())?;
    output::print(&format!(
        "dropped {} ({})\n",
        quarantine::eml_path(&quarantine::bare_name(&args.file)),
        &commit[..commit.len().min(12)]
    ))
}

fn file_one(ctx: &Ctx, args: QuarantineFileArgs) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let customer =
        Party::parse(&args.customer).map_err(|e| Error::invalid(format!("--customer: {e}")))?;
    let ticket = match &args.ticket {
        Some(t) => Some(store.resolve_id(t)?),
        None => None,
    };
    let outcome = quarantine::file_for(&store, &actor, &args.file, &customer, ticket)?;
    for w in &outcome.warnings {
        output::warn(w);
    }
    output::print(&format!(
        "{} {}: {}\n",
        outcome.id,
        if ticket.is_some() { "filed" } else { "created" },
        output::for_stdout(&outcome.ticket.subject)
    ))?;
    report_rules(&store, &outcome);
    Ok(())
}

fn retry(ctx: &Ctx, args: QuarantineRetryArgs) -> Result<()> {
    let store = ctx.store()?;
    if !args.options.dry_run {
        ctx.on_duty(&store, "importing mail", args.options.force)?;
    }
    let names: Vec<String> = if args.files.is_empty() {
        store.quarantined_names()?
    } else {
        args.files
            .iter()
            .map(|f| quarantine::bare_name(f))
            .collect()
    };
    let mut importer = Importer::new(&store, args.options.dry_run)?;
    importer.set_batch_limit(args.options.batch);
    // Held mail named by hand is filed now, as a new ticket if need be.
    importer.set_hold_missing(args.files.is_empty());
    let mut outcomes = Vec::new();
    for name in &names {
        outcomes.push(importer.retry_quarantined(name)?);
    }
    let (mut counts, warnings) = importer.finish()?;
    answer_filed(&store, &mut counts, output::warn);
    for w in &warnings {
        output::warn(w);
    }
    print_import_summary(
        args.options.format,
        args.options.dry_run,
        &counts,
        &outcomes,
    )
}

fn list(ctx: &Ctx, args: ListOutput) -> Result<()> {
    let store = ctx.store()?;
    let mut rows = Vec::new();
    let added = store.first_added_in(QUARANTINE_DIR)?;
    for name in store.quarantined_names()? {
        let record = store
            .read_file(&format!("{QUARANTINE_DIR}/{name}.yaml"))?
            .and_then(|bytes| serde_yaml::from_slice::<QuarantineRecord>(&bytes).ok());
        let (at, reason, source, size) = match record {
            Some(r) => (
                r.at.or_else(|| added.get(&format!("{name}.yaml")).copied())
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
                r.reason,
                r.source.unwrap_or_default(),
                r.size.to_string(),
            ),
            None => (
                String::new(),
                "(record missing or unreadable)".into(),
                String::new(),
                String::new(),
            ),
        };
        rows.push(vec![
            format!("{QUARANTINE_DIR}/{name}.eml"),
            at,
            size,
            source,
            reason,
        ]);
    }
    rows.sort_by(|a, b| a[1].cmp(&b[1]));
    let header = ["file", "at", "size", "source", "reason"];
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::json!({"file": r[0], "at": r[1], "size": r[2], "source": r[3], "reason": r[4]}))
        .collect();
    output::print_rows(
        args.format,
        &header,
        &["File", "At", "Size", "Source", "Reason"],
        &rows,
        &items,
        "The quarantine is empty.",
    )
}
