//! What the mail commands say: how sending a reply went, and what an
//! import did with each message.

use serde_json::json;

use super::output::{self, TextFormat, print};
use tix_core::domain::TicketId;
use tix_core::error::{Error, Result};
use tix_core::mail::file::{Action, Counts, MessageOutcome};
use tix_core::mail::respond::Delivery;

/// The line saying a reply went out.
pub fn e_mailed(id: TicketId, recipients: &[String], via: &str) -> String {
    format!(
        "{id} reply e-mailed to {} via {via}\n",
        recipients.join(", ")
    )
}

/// Says how sending a recorded reply went; not sent (no outgoing mail)
/// says nothing, and a failed send is an error naming what to do next.
pub fn say_delivered(
    id: TicketId,
    recipients: &[String],
    via: &str,
    delivery: Delivery,
) -> Result<()> {
    match delivery {
        Delivery::NotConfigured => Ok(()),
        Delivery::Sent => print(&e_mailed(id, recipients, via)),
        Delivery::Failed(e) => Err(not_delivered(id, &e)),
    }
}

/// The error for a reply recorded but not delivered.
pub fn not_delivered(id: TicketId, e: &Error) -> Error {
    Error::new(
        e.kind(),
        format!(
            "the reply is recorded in ticket {id} but was not delivered: {}",
            e.message()
        ),
    )
    .with_hint("`tix outbox list` shows it; `tix outbox retry` sends it again")
}

/// Prints an import's outcome per message (those given) and its totals.
pub fn print_import_summary(
    format: TextFormat,
    dry_run: bool,
    counts: &Counts,
    outcomes: &[MessageOutcome],
) -> Result<()> {
    if format == TextFormat::Json {
        return print(&output::json(&json!({
            "dry_run": dry_run,
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
        "{}{} messages: {} new tickets, {} follow-ups ({} reopened), {}{} noted on tickets; \
         skipped {} duplicates, {} auto-replies, {} bounces, {} list mail, {} loops, {} blacklisted; \
         {} quarantined{}{}\n",
        if dry_run { "dry run, nothing written: " } else { "" },
        c.messages,
        c.new_tickets,
        c.follow_ups,
        c.reopened,
        match c.kept_closed {
            0 => String::new(),
            n => format!("{n} kept closed (mail.reopen_limit), "),
        },
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
        Action::KeptClosed { ticket } => {
            format!("noted on {ticket}, not reopened (mail.reopen_limit)")
        }
        Action::Noted { ticket, noise } => format!("noted on {ticket} ({noise:?})"),
        Action::Rated { ticket, answer } => format!("rating `{answer}` on {ticket}"),
        Action::Duplicate { ticket: Some(t) } => format!("duplicate (in {t})"),
        Action::Duplicate { ticket: None } => "duplicate (already quarantined)".into(),
        Action::Skipped { noise, reason } => format!("skipped {noise:?}: {reason}"),
        Action::Blacklisted { sender } => format!("blacklisted sender {sender}"),
        Action::Quarantined { file, reason } => format!("quarantined as {file}: {reason}"),
    }
}
