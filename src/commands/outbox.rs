//! `tix outbox`: replies recorded but not delivered by e-mail, and
//! sending them again.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::mail::{e_mailed, not_delivered};
use crate::ui::output::{self, print};
use tix_core::domain::{Event, TicketId, fold};
use tix_core::error::{Error, Result};
use tix_core::mail::compose;
use tix_core::mail::respond::{self, Delivery, Envelope};
use tix_core::mail::send;
use tix_core::store::Store;

use super::prelude::{Ctx, ListFormat, ListOutput};

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// List replies waiting to be delivered, with the last error
    List(ListOutput),
    /// Send waiting replies again (the same message, byte for byte)
    Retry(OutboxRetryArgs),
}

#[derive(Args, Debug)]
pub struct OutboxRetryArgs {
    /// Tickets whose waiting replies to send (ids or prefixes); default: all
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub ids: Vec<String>,
    /// Send even though this clone is not on duty (recorded in the commits)
    #[arg(long)]
    pub force: bool,
}

pub fn cmd_outbox(ctx: &Ctx, cmd: OutboxCommand) -> Result<()> {
    match cmd {
        OutboxCommand::List(args) => list(ctx, args),
        OutboxCommand::Retry(args) => retry(ctx, args),
    }
}

fn list(ctx: &Ctx, args: ListOutput) -> Result<()> {
    let store = ctx.store()?;
    let index = store.index()?;
    let mut rows = Vec::new();
    for t in index.tickets() {
        for (entry, error) in &t.ticket.outbox {
            rows.push(vec![
                t.ticket.id.to_string(),
                entry.clone(),
                t.ticket.subject.clone(),
                if error.is_empty() {
                    "not attempted".to_string()
                } else {
                    error.clone()
                },
            ]);
        }
    }
    let header = ["ticket", "entry", "subject", "last error"];
    match output::list_format(args.format) {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "ticket": r[0], "entry": r[1], "subject": r[2], "error": r[3],
                    })
                })
                .collect();
            print(&output::json(&items)?)
        }
        ListFormat::Ids => print(
            &rows
                .iter()
                .map(|r| format!("{}\n", r[0]))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(&header, &rows)?),
        ListFormat::Tsv => print(&output::tsv(&header, &rows)),
        ListFormat::Table if rows.is_empty() => print("The outbox is empty.\n"),
        ListFormat::Table => print(&output::table(&header, &rows)),
    }
}

fn retry(ctx: &Ctx, args: OutboxRetryArgs) -> Result<()> {
    let store = ctx.store()?;
    ctx.on_duty(&store, "tix outbox retry", args.force)?;
    let actor = ctx.actor(&store)?;
    let wanted: Vec<TicketId> = args
        .ids
        .iter()
        .map(|i| store.resolve_id(i))
        .collect::<Result<_>>()?;
    let waiting: Vec<TicketId> = store
        .index()?
        .tickets()
        .filter(|t| !t.ticket.outbox.is_empty())
        .map(|t| t.ticket.id)
        .filter(|id| wanted.is_empty() || wanted.contains(id))
        .collect();
    if waiting.is_empty() {
        return print("Nothing to send: the outbox is empty.\n");
    }
    let transport = send::transport(&store.config().mail, store.root())?;
    // Before anything is sent: there must be an address to send from.
    compose::from_address(store.config())?;
    let mut failed = 0;
    let mut last_error = None;
    for id in waiting {
        let files = store.read_ticket(&id)?;
        let (ticket, trail) = fold(id, files.entries);
        let sender = compose::from_for(store.config(), ticket.department.as_deref())?;
        for entry in ticket.outbox.keys() {
            let Some(mail) =
                trail
                    .iter()
                    .find(|i| &i.file == entry)
                    .and_then(|i| match &i.entry.event {
                        // Replies, and tix's own mail (acknowledgements,
                        // relays, notifications), which are notes.
                        Event::Reply { mail: Some(m) } | Event::Note { mail: Some(m) } => {
                            Some(m.clone())
                        }
                        _ => None,
                    })
            else {
                continue;
            };
            let bytes = read_original(&store, id, &mail.raw)?;
            let recipients = send::recipients(&mail.to, &mail.cc, &mail.bcc);
            let envelope = Envelope {
                from: &sender.email,
                recipients: &recipients,
            };
            match respond::deliver(
                &store,
                &actor,
                id,
                entry,
                transport.as_ref(),
                &envelope,
                &bytes,
            )? {
                Delivery::Sent => print(&e_mailed(id, &recipients, &transport.describe()))?,
                // A transport was given, so this is not the outcome.
                Delivery::NotConfigured => {}
                Delivery::Failed(e) => {
                    let e = not_delivered(id, &e);
                    output::warn(e.message());
                    failed += 1;
                    last_error = Some(e);
                }
            }
        }
    }
    match last_error {
        None => Ok(()),
        Some(e) => Err(Error::new(
            e.kind(),
            format!(
                "{failed} repl{} still not delivered",
                if failed == 1 { "y" } else { "ies" }
            ),
        )),
    }
}

fn read_original(store: &Store, id: TicketId, raw: &str) -> Result<Vec<u8>> {
    let path = format!("{}/{raw}", Store::ticket_dir(&id));
    store.read_file(&path)?.ok_or_else(|| {
        Error::invalid(format!(
            "{path}: the message to send is missing from the store (ticket {id})"
        ))
    })
}
