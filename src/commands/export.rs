//! `tix export`: the whole store as ndjson, for other tools and for
//! `tix import json`; `tix export customer` a customer's history as a
//! static site; `tix export ticket` one ticket's public thread.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{print, warn};
use tix_core::error::Result;
use tix_core::export::site::{self, SiteOptions, Whose};
use tix_core::export::ticket::{self, TicketFormat};
use tix_core::ops;

use super::prelude::Ctx;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: Option<ExportCommand>,
    /// What to write: ndjson, one ticket per line (schema/ndjson.schema.json)
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// A customer's (or an organisation's) tickets as a static site for
    /// them: only messages and public replies, never internal notes
    Customer(CustomerExportArgs),
    /// One ticket's public thread as a page, mail or JSON, on standard
    /// output
    Ticket(TicketExportArgs),
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("whose").required(true).args(["email", "org"])))]
pub struct CustomerExportArgs {
    /// The customer's address
    pub email: Option<String>,
    /// An organisation instead, by name or domain: the tickets of all its
    /// members
    #[arg(long, value_name = "DOMAIN")]
    pub org: Option<String>,
    /// The folder to write the site into (made if missing; must be empty)
    #[arg(long, value_name = "DIR")]
    pub html: PathBuf,
}

#[derive(Args, Debug)]
pub struct TicketExportArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// html: one page; eml: one message with the thread's messages
    /// attached; mbox: the messages in mboxrd form; json: the thread as
    /// data
    #[arg(long, value_enum, default_value_t = TicketFormatArg::Html)]
    pub format: TicketFormatArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketFormatArg {
    Html,
    Eml,
    Mbox,
    Json,
}

impl From<TicketFormatArg> for TicketFormat {
    fn from(f: TicketFormatArg) -> TicketFormat {
        match f {
            TicketFormatArg::Html => TicketFormat::Html,
            TicketFormatArg::Eml => TicketFormat::Eml,
            TicketFormatArg::Mbox => TicketFormat::Mbox,
            TicketFormatArg::Json => TicketFormat::Json,
        }
    }
}

pub fn cmd_export(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    match args.what {
        Some(ExportCommand::Customer(a)) => customer(ctx, a),
        Some(ExportCommand::Ticket(a)) => one_ticket(ctx, a),
        None => ndjson(ctx, args.format),
    }
}

fn ndjson(ctx: &Ctx, format: ExportFormat) -> Result<()> {
    let ExportFormat::Ndjson = format;
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

fn customer(ctx: &Ctx, args: CustomerExportArgs) -> Result<()> {
    let store = ctx.store()?;
    let whose = match (args.email, args.org) {
        (_, Some(org)) => Whose::Organisation(org),
        (Some(email), None) => Whose::Customer(email),
        // clap's group requires one of them.
        (None, None) => unreachable!("clap requires EMAIL or --org"),
    };
    let options = SiteOptions {
        whose,
        dir: args.html.clone(),
        now: ops::now()?,
    };
    let done = site::write(&store, &options)?;
    for n in &done.not_copied {
        warn(&format!("attachment {n}; named on its page, not copied"));
    }
    print(&format!(
        "wrote the history of {}: {} tickets, {} entries, {} attachments, {} files in {}\n",
        done.heading,
        done.tickets,
        done.entries,
        done.attachments,
        done.files.len(),
        args.html.display()
    ))
}

fn one_ticket(ctx: &Ctx, args: TicketExportArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    ticket::write(&store, &id, args.format.into(), ops::now()?, &mut out)
}
