//! `tix export`: the whole store as ndjson, for other tools and for
//! `tix import json`.

use clap::{Args, ValueEnum};

use crate::ui::output::warn;
use tix_core::error::Result;

use super::prelude::Ctx;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// What to write: ndjson, one ticket per line (schema/ndjson.schema.json)
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
}

pub fn cmd_export(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    let ExportFormat::Ndjson = args.format;
    let store = ctx.store()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let done = tix_core::ops::ndjson::export(&store, &mut out)?;
    for m in &done.missing {
        warn(&format!(
            "{m}: named by an entry but not in the store; left out"
        ));
    }
    for u in &done.unreadable {
        warn(&format!("{u}; left out"));
    }
    Ok(())
}
