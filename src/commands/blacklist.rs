//! `tix blacklist`: senders whose mail import skips.

use clap::{Args, Subcommand};

use crate::ui::output::{self, print, warn};
use tix_core::domain::config::BlacklistEntry;
use tix_core::error::{Error, Result};
use tix_core::ops;

use super::prelude::{Ctx, ListOutput};

#[derive(Subcommand, Debug)]
pub enum BlacklistCommand {
    /// Skip mail from an address or a whole domain
    Add(BlacklistAddArgs),
    /// List the blacklist
    List(ListOutput),
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

pub fn cmd_blacklist(ctx: &Ctx, cmd: BlacklistCommand) -> Result<()> {
    match cmd {
        BlacklistCommand::List(args) => {
            let store = ctx.store()?;
            let rows: Vec<Vec<String>> = store
                .config()
                .mail
                .blacklist
                .iter()
                .map(|b| vec![b.sender.clone(), b.subject.clone().unwrap_or_default()])
                .collect();
            output::print_rows(
                args.format,
                &["sender", "subject"],
                &["Sender", "Subject contains"],
                &rows,
                &store.config().mail.blacklist,
                "The blacklist is empty.",
            )
        }
        BlacklistCommand::Add(args) => {
            let sender = ops::team::blacklist_sender(&args.sender)?;
            change(ctx, &format!("tix: blacklist add {sender}"), |list| {
                let entry = BlacklistEntry {
                    sender: sender.clone(),
                    subject: args.subject.clone(),
                };
                if list.contains(&entry) {
                    return Ok(Vec::new());
                }
                Ok(vec![(entry, false)])
            })
        }
        BlacklistCommand::Remove(args) => {
            let sender = args.sender.trim().to_ascii_lowercase();
            change(ctx, &format!("tix: blacklist remove {sender}"), |list| {
                let removed: Vec<_> = list
                    .iter()
                    .filter(|b| {
                        b.sender == sender && (args.subject.is_none() || b.subject == args.subject)
                    })
                    .map(|b| (b.clone(), true))
                    .collect();
                if removed.is_empty() {
                    return Err(Error::not_found(format!(
                        "`{sender}` is not on the blacklist"
                    )));
                }
                Ok(removed)
            })
        }
    }
}

/// Records the changes `plan` gives for the blacklist (an entry, and
/// whether it is removed) as one commit; admins only.
fn change(
    ctx: &Ctx,
    message: &str,
    plan: impl FnOnce(&[BlacklistEntry]) -> Result<Vec<(BlacklistEntry, bool)>>,
) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    ops::team::refuse_blacklist_change(&actor)?;
    let lock = store.lock()?;
    let changes = plan(&store.config().mail.blacklist)?;
    if changes.is_empty() {
        eprintln!("tix: already on the blacklist; nothing to change");
        return Ok(());
    }
    let committed = ops::team::record_blacklist(&store, &lock, &actor, &changes, message)?;
    if let Some(w) = committed.warning {
        warn(&w);
    }
    print(&format!("{}\n", message.trim_start_matches("tix: ")))
}
