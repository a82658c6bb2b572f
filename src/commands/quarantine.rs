//! `tix quarantine`: mail that could not be filed, kept with the reason.

use crate::cli::output::{self, print};
use crate::cli::{ListFormat, QuarantineCommand};
use crate::error::Result;
use crate::mail::file::{QUARANTINE_DIR, QuarantineRecord};

use super::Ctx;

pub fn run(ctx: &Ctx, cmd: QuarantineCommand) -> Result<()> {
    let QuarantineCommand::List(args) = cmd;
    let store = ctx.store()?;
    let mut rows = Vec::new();
    for name in store.quarantined_names()? {
        let record = store
            .read_file(&format!("{QUARANTINE_DIR}/{name}.yaml"))?
            .and_then(|bytes| serde_yaml::from_slice::<QuarantineRecord>(&bytes).ok());
        let (at, reason, source, size) = match record {
            Some(r) => (r.at.to_rfc3339(), r.reason, r.source, r.size.to_string()),
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
    let format = args.format.unwrap_or(if output::stdout_is_terminal() {
        ListFormat::Table
    } else {
        ListFormat::Tsv
    });
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::json!({"file": r[0], "at": r[1], "size": r[2], "source": r[3], "reason": r[4]}))
                .collect();
            print(&output::json(&items)?)
        }
        ListFormat::Csv => print(&output::csv(&header, &rows)?),
        ListFormat::Tsv => print(&output::tsv(&header, &rows)),
        ListFormat::Ids => print(
            &rows
                .iter()
                .map(|r| format!("{}\n", r[0]))
                .collect::<String>(),
        ),
        ListFormat::Table if rows.is_empty() => print("The quarantine is empty.\n"),
        ListFormat::Table => print(&output::table(
            &["File", "At", "Size", "Source", "Reason"],
            &rows,
        )),
    }
}
