//! `tix quarantine`: mail that could not be filed, kept with the reason.

use clap::{Args, Subcommand};

use crate::ui::mail::print_import_summary;
use crate::ui::output;
use tix_core::error::Result;
use tix_core::mail::answer::answer_filed;
use tix_core::mail::file::{Importer, QUARANTINE_DIR, QuarantineRecord};

use super::prelude::{Ctx, ImportOptions, ListOutput};

#[derive(Subcommand, Debug)]
pub enum QuarantineCommand {
    /// List quarantined messages and why they were refused
    List(ListOutput),
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

pub fn cmd_quarantine(ctx: &Ctx, cmd: QuarantineCommand) -> Result<()> {
    match cmd {
        QuarantineCommand::List(args) => list(ctx, args),
        QuarantineCommand::Retry(args) => retry(ctx, args),
    }
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
            .map(|f| {
                f.trim_start_matches(&format!("{QUARANTINE_DIR}/"))
                    .trim_end_matches(".eml")
                    .trim_end_matches(".yaml")
                    .to_string()
            })
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
