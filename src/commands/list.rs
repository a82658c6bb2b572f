//! `tix list`: tickets matching filters, newest activity first.

use crate::cli::output::{self, print, warn};
use crate::cli::{ListArgs, ListFormat, SortKey};
use crate::domain::{Status, Ticket, Timestamp};
use crate::error::Result;
use crate::ops;

use super::Ctx;
use super::filter::{Filter, when};

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let base = Filter::from_args(ctx, &store, &args.filter)?;
    let filter = Filter {
        // `list` leaves closed tickets out unless asked.
        statuses: if args.all {
            Status::ALL.to_vec()
        } else if base.statuses.is_empty() {
            Status::ALL
                .iter()
                .copied()
                .filter(|s| *s != Status::Closed)
                .collect()
        } else {
            base.statuses.clone()
        },
        created: (
            when("created-since", args.created_since.as_deref(), now)?,
            when("created-until", args.created_until.as_deref(), now)?,
        ),
        updated: (
            when("updated-since", args.updated_since.as_deref(), now)?,
            when("updated-until", args.updated_until.as_deref(), now)?,
        ),
        text: args.text.as_deref().map(str::to_lowercase),
        ..base
    };

    let mut tickets = Vec::new();
    let index = store.index()?;
    for indexed in index.tickets() {
        for p in &indexed.problems {
            warn(&format!("{}: {} (entry skipped)", p.path, p.message));
        }
        let ticket = &indexed.ticket;
        // Bodies are not in the index: read only for a text search, and
        // only for tickets every other filter kept.
        let bodies = || {
            store
                .read_ticket(&ticket.id)
                .map(|files| {
                    files
                        .entries
                        .iter()
                        .filter(|e| e.entry.event.has_text())
                        .map(|e| e.entry.body.to_lowercase())
                        .collect()
                })
                .unwrap_or_default()
        };
        if filter.matches(ticket, bodies) {
            tickets.push(ticket);
        }
    }
    sort(&mut tickets, args.sort);
    if args.reverse {
        tickets.reverse();
    }
    if let Some(n) = args.limit {
        tickets.truncate(n);
    }
    let result = render(&tickets, args.format);
    drop(tickets);
    // The process ends right after this; freeing every ticket one by one
    // would only cost time (a tenth of a list at 100,000 tickets).
    std::mem::forget(index);
    result
}

fn sort(tickets: &mut [&Ticket], key: SortKey) {
    match key {
        SortKey::Updated => {
            tickets.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)))
        }
        SortKey::Created => {
            tickets.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)))
        }
        SortKey::Priority => tickets.sort_by(|a, b| {
            b.priority
                .cmp(&a.priority)
                .then(b.updated_at.cmp(&a.updated_at))
                .then(a.id.cmp(&b.id))
        }),
        SortKey::Status => tickets.sort_by(|a, b| {
            a.status
                .cmp(&b.status)
                .then(b.updated_at.cmp(&a.updated_at))
                .then(a.id.cmp(&b.id))
        }),
        SortKey::Id => tickets.sort_by_key(|t| t.id),
        SortKey::Subject => tickets.sort_by(|a, b| {
            a.subject
                .to_lowercase()
                .cmp(&b.subject.to_lowercase())
                .then(a.id.cmp(&b.id))
        }),
    }
}

const HEADER: [&str; 9] = [
    "id", "status", "priority", "assignee", "customer", "subject", "tags", "created", "updated",
];

fn row(t: &Ticket, short_times: bool) -> Vec<String> {
    let time = |v: Option<Timestamp>| {
        v.map(|v| {
            if short_times {
                v.to_short()
            } else {
                v.to_rfc3339()
            }
        })
        .unwrap_or_default()
    };
    vec![
        t.id.to_string(),
        if t.locked.is_some() {
            format!("{} (locked)", t.status)
        } else {
            t.status.to_string()
        },
        t.priority.to_string(),
        t.assignee.clone().unwrap_or_default(),
        t.customer
            .as_ref()
            .map(|c| {
                if short_times {
                    c.name.clone().unwrap_or_else(|| c.email.clone())
                } else {
                    c.email.clone()
                }
            })
            .unwrap_or_default(),
        t.subject.clone(),
        t.tags.iter().cloned().collect::<Vec<_>>().join(","),
        time(t.created_at),
        time(t.updated_at),
    ]
}

fn render(tickets: &[&Ticket], format: Option<ListFormat>) -> Result<()> {
    match output::list_format(format) {
        ListFormat::Json => print(&output::json(&tickets)?),
        ListFormat::Ids => print(
            &tickets
                .iter()
                .map(|t| format!("{}\n", t.id))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(
            &HEADER,
            &tickets.iter().map(|t| row(t, false)).collect::<Vec<_>>(),
        )?),
        ListFormat::Tsv => print(&output::tsv(
            &HEADER,
            &tickets.iter().map(|t| row(t, false)).collect::<Vec<_>>(),
        )),
        ListFormat::Table => {
            if tickets.is_empty() {
                return print("No tickets match.\n");
            }
            let rows: Vec<Vec<String>> = tickets
                .iter()
                .map(|t| {
                    let r = row(t, true);
                    vec![
                        r[0].clone(),
                        r[1].clone(),
                        r[2].clone(),
                        r[3].clone(),
                        r[4].clone(),
                        r[5].clone(),
                        r[8].clone(),
                    ]
                })
                .collect();
            print(&output::table(
                &[
                    "ID", "Status", "Priority", "Assignee", "Customer", "Subject", "Updated",
                ],
                &rows,
            ))
        }
    }
}
