//! `tix list`: tickets matching filters, newest activity first.

use std::borrow::{Borrow, Cow};
use std::cmp::Reverse;
use std::collections::HashMap;

use clap::{Args, ValueEnum};

use crate::ui::output::{self, print, warn};
use tix_core::domain::sla::Standing;
use tix_core::domain::{Status, Ticket, TicketId, TicketView, Timestamp};
use tix_core::error::Result;
use tix_core::ops;
use tix_core::rules::sla;
use tix_core::store::ListRow;

use super::prelude::{Ctx, Filter, ListFormat, ListOutput, TicketFilterArgs, when};

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: TicketFilterArgs,
    /// Include closed tickets (by default `list` leaves them out)
    #[arg(short, long, conflicts_with = "status")]
    pub all: bool,
    /// Only snoozed tickets (hidden otherwise until they wake)
    #[arg(long, conflicts_with = "all")]
    pub snoozed: bool,
    /// Only tickets whose SLA clocks are in this state
    #[arg(long, value_enum, value_name = "STATE")]
    pub sla: Option<SlaFilter>,
    /// Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)
    #[arg(long, value_name = "WHEN")]
    pub created_since: Option<String>,
    /// Created before WHEN
    #[arg(long, value_name = "WHEN")]
    pub created_until: Option<String>,
    /// Last changed at or after WHEN
    #[arg(long, value_name = "WHEN")]
    pub updated_since: Option<String>,
    /// Last changed before WHEN
    #[arg(long, value_name = "WHEN")]
    pub updated_until: Option<String>,
    /// Only tickets whose subject or text contains TEXT (case-insensitive)
    #[arg(long, short = 's', value_name = "TEXT")]
    pub text: Option<String>,
    /// Order of the list
    #[arg(long, value_enum, default_value_t = SortKey::Updated)]
    pub sort: SortKey,
    /// Reverse the order
    #[arg(long)]
    pub reverse: bool,
    /// Print at most N tickets
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: ListOutput,
    /// Table: show every cell whole instead of cutting long ones to the
    /// terminal width (COLUMNS, else the terminal's)
    #[arg(long)]
    pub wide: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Last activity, newest first
    Updated,
    /// Creation time, newest first
    Created,
    /// Most urgent first
    Priority,
    Status,
    Id,
    Subject,
    /// Earliest SLA deadline first (breached first); tickets without a
    /// running SLA clock last
    Sla,
}

/// Tickets by the state of their SLA clocks.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaFilter {
    /// A target is breached
    Breached,
    /// Breached, or past the warning threshold
    AtRisk,
    /// Any SLA clock running or paused
    Running,
}

pub fn cmd_list(ctx: &Ctx, args: ListArgs) -> Result<()> {
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
        // Snoozed tickets stay out of the default list until they wake.
        snoozed: if args.all {
            None
        } else {
            Some((now, args.snoozed))
        },
        ..base
    };

    let bodies = |id: TicketId| -> Vec<String> {
        // Bodies are in neither the index nor the rows: read only for a
        // text search, and only for tickets every other filter kept.
        store
            .read_ticket(&id)
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
    // SLA clocks, when sorting or filtering by them: the worst standing
    // and the earliest deadline of each ticket's running clocks.
    let format = output::list_format(args.output.format);
    let by_sla = args.sort == SortKey::Sla || args.sla.is_some();
    // The full index, loaded once: JSON shows whole tickets, and the SLA
    // clocks are computed from it.
    let index = if format == ListFormat::Json || by_sla {
        Some(store.index()?)
    } else {
        None
    };
    let sla: HashMap<TicketId, (Standing, Timestamp)> =
        if let (true, Some(index)) = (by_sla, &index) {
            let mut map: HashMap<TicketId, (Standing, Timestamp)> = HashMap::new();
            for c in sla::clocks_in(store.config(), index, now)? {
                let e = map
                    .entry(c.ticket)
                    .or_insert((c.standing(), c.state.due_at));
                e.0 = e.0.max(c.standing());
                e.1 = e.1.min(c.state.due_at);
            }
            map
        } else {
            HashMap::new()
        };
    let sla_ok = |id: TicketId| match args.sla {
        None => true,
        Some(SlaFilter::Running) => sla.contains_key(&id),
        Some(SlaFilter::AtRisk) => sla.get(&id).is_some_and(|(s, _)| *s >= Standing::Warning),
        Some(SlaFilter::Breached) => sla.get(&id).is_some_and(|(s, _)| *s == Standing::Breached),
    };
    let sla_key = |id: TicketId| {
        sla.get(&id)
            .map(|(s, due)| (false, *s != Standing::Breached, Some(*due)))
            .unwrap_or((true, true, None))
    };
    if format == ListFormat::Json {
        let index = match index {
            Some(index) => index,
            None => store.index()?,
        };
        let mut tickets: Vec<&Ticket> = index
            .tickets()
            .filter(|indexed| {
                for p in &indexed.problems {
                    warn_skipped(&p.path, &p.message);
                }
                sla_ok(indexed.ticket.id)
                    && filter.matches(&indexed.ticket, || bodies(indexed.ticket.id))
            })
            .map(|indexed| &indexed.ticket)
            .collect();
        if args.sort == SortKey::Sla {
            tickets.sort_by_cached_key(|t| (sla_key(t.id), t.id));
        }
        arrange::<Ticket, _>(&mut tickets, &args);
        let result = print(&output::json(&tickets)?);
        drop(tickets);
        // The process ends right after this; freeing every ticket one by
        // one would only cost time (a tenth of a list at 100,000 tickets).
        std::mem::forget(index);
        return result;
    }
    let keep = |row: &ListRow<'_>| {
        for (path, message) in &row.problems {
            warn_skipped(path, message);
        }
        sla_ok(row.id) && filter.matches(row, || bodies(row.id))
    };
    // Not needed any more; freeing it would only cost time.
    std::mem::forget(index);
    let mut rows = store.list_rows()?;
    let picked = match rows.select(keep) {
        Ok(picked) => picked,
        Err(_) => {
            // Unreadable rows are derived data: build them again.
            rows = store.rebuild_list_rows()?;
            rows.select(keep)?
        }
    };
    // Rows are large: sorting references moves far fewer bytes.
    let mut picked: Vec<&ListRow<'_>> = picked.iter().collect();
    if args.sort == SortKey::Sla {
        picked.sort_by_cached_key(|r| (sla_key(r.id), r.id));
    }
    arrange::<ListRow<'_>, _>(&mut picked, &args);
    render(&picked, format, args.wide)
}

fn warn_skipped(path: &str, message: &str) {
    warn(&format!("{path}: {message} (entry skipped)"));
}

/// Sorts, reverses and limits as asked. Every key ends with the id, so the
/// order is total and the same on every run.
fn arrange<V: TicketView + ?Sized, T: Borrow<V>>(items: &mut Vec<T>, args: &ListArgs) {
    // Keys computed once per ticket: comparing through the view costs
    // more than the sort itself at 100,000 tickets.
    match args.sort {
        SortKey::Updated => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (Reverse(t.updated_at()), t.id())
        }),
        SortKey::Created => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (Reverse(t.created_at()), t.id())
        }),
        SortKey::Priority => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (Reverse(t.priority()), Reverse(t.updated_at()), t.id())
        }),
        SortKey::Status => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (t.status(), Reverse(t.updated_at()), t.id())
        }),
        SortKey::Id => items.sort_by_cached_key(|t| Borrow::<V>::borrow(t).id()),
        // Sorted by the caller, which has the clocks.
        SortKey::Sla => {}
        SortKey::Subject => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (t.subject().to_lowercase(), t.id())
        }),
    }
    if args.reverse {
        items.reverse();
    }
    if let Some(n) = args.limit {
        items.truncate(n);
    }
}

const HEADER: [&str; 9] = [
    "id", "status", "priority", "assignee", "customer", "subject", "tags", "created", "updated",
];

/// The cells of [`HEADER`]; the tags only when `with_tags` (joining them
/// costs a tenth of a long listing).
fn row(t: &impl TicketView, short_times: bool, with_tags: bool) -> [Cow<'_, str>; 9] {
    let time = |v: Option<Timestamp>| {
        Cow::Owned(
            v.map(|v| {
                if short_times {
                    v.to_short()
                } else {
                    v.to_rfc3339()
                }
            })
            .unwrap_or_default(),
        )
    };
    [
        Cow::Owned(t.id().to_string()),
        if t.is_locked() {
            Cow::Owned(format!("{} (locked)", t.status()))
        } else {
            Cow::Borrowed(t.status().as_str())
        },
        Cow::Borrowed(t.priority().as_str()),
        Cow::Borrowed(t.assignee().unwrap_or_default()),
        Cow::Borrowed(
            t.customer()
                .map(|(name, email)| match name {
                    Some(name) if short_times => name,
                    _ => email,
                })
                .unwrap_or_default(),
        ),
        Cow::Borrowed(t.subject()),
        if with_tags {
            Cow::Owned(t.tags().join(","))
        } else {
            Cow::Borrowed("")
        },
        time(t.created_at()),
        time(t.updated_at()),
    ]
}

fn render(tickets: &[&ListRow<'_>], format: ListFormat, wide: bool) -> Result<()> {
    match format {
        ListFormat::Json => unreachable!("JSON is rendered from whole tickets"),
        ListFormat::Ids => print(
            &tickets
                .iter()
                .map(|t| format!("{}\n", t.id()))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(
            &HEADER,
            &tickets
                .iter()
                .map(|t| row(*t, false, true).map(Cow::into_owned).to_vec())
                .collect::<Vec<_>>(),
        )?),
        ListFormat::Tsv => {
            // Written straight into the output, without `row`'s strings:
            // this is the form scripts read, at any size.
            let mut out = output::Tsv::new(&HEADER, tickets.len());
            for t in tickets {
                let status = if t.locked {
                    Cow::Owned(format!("{} (locked)", t.status))
                } else {
                    Cow::Borrowed(t.status.as_str())
                };
                let text = [
                    t.id.as_str(),
                    &status,
                    t.priority.as_str(),
                    t.assignee.unwrap_or_default(),
                    t.customer.as_ref().map_or("", |c| c.email),
                    t.subject,
                ];
                if t.plain {
                    for cell in text {
                        out.plain_cell(cell);
                    }
                    out.plain_cell("");
                    for (i, tag) in t.tags.iter().enumerate() {
                        if i > 0 {
                            out.append_plain(",");
                        }
                        out.append_plain(tag);
                    }
                } else {
                    for cell in text {
                        out.cell(cell);
                    }
                    out.cell_parts(t.tags.iter().copied(), ",");
                }
                for time in [t.created_at, t.updated_at] {
                    out.plain_cell("");
                    if let Some(time) = time {
                        time.write_rfc3339(out.buffer());
                    }
                }
                out.end_row();
            }
            print(&out.finish())
        }
        ListFormat::Table => {
            if tickets.is_empty() {
                return print("No tickets match.\n");
            }
            let rows: Vec<Vec<String>> = tickets
                .iter()
                .map(|t| {
                    let [
                        id,
                        status,
                        priority,
                        assignee,
                        customer,
                        subject,
                        _,
                        _,
                        updated,
                    ] = row(*t, true, false);
                    [id, status, priority, assignee, customer, subject, updated]
                        .map(Cow::into_owned)
                        .to_vec()
                })
                .collect();
            let header = [
                "ID", "Status", "Priority", "Assignee", "Customer", "Subject", "Updated",
            ];
            print(&if wide {
                output::wide_table(&header, &rows)
            } else {
                output::table(&header, &rows)
            })
        }
    }
}
