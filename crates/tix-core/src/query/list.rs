//! `tix list` as a query: the tickets a listing shows, in its order.

use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::HashMap;

use crate::domain::sla::Standing;
use crate::domain::{Status, Ticket, TicketId, TicketView, Timestamp};
use crate::error::Result;
use crate::rules::sla;
use crate::store::{ListRow, Store};
use crate::warnings::warn;

use super::Filter;

pub use crate::domain::view::{SlaFilter, SortKey};

/// What a listing asks for.
#[derive(Clone, Debug)]
pub struct ListOptions {
    /// The filters; its statuses and snooze are completed by `all` and
    /// `snoozed`.
    pub filter: Filter,
    /// Closed and snoozed tickets too: a listing leaves them out unless
    /// asked.
    pub all: bool,
    /// Only snoozed tickets.
    pub snoozed: bool,
    pub sla: Option<SlaFilter>,
    pub sort: SortKey,
    pub reverse: bool,
    pub limit: Option<usize>,
    /// Whole tickets (for JSON) rather than the index's list rows.
    pub whole_tickets: bool,
    pub now: Timestamp,
}

/// The tickets of a listing, in order: whole, or as list rows.
pub enum Listed<'a> {
    Tickets(Vec<&'a Ticket>),
    Rows(Vec<&'a ListRow<'a>>),
}

/// Finds the tickets `options` asks for and hands them, in order, to
/// `show`. The tickets borrow from the index, which lives only for this
/// call; an entry file the index could not read is warned about, once per
/// ticket looked at.
pub fn list<T>(
    store: &Store,
    options: &ListOptions,
    show: impl FnOnce(Listed<'_>) -> Result<T>,
) -> Result<T> {
    let now = options.now;
    let filter = effective_filter(options);

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
    let by_sla = options.sort == SortKey::Sla || options.sla.is_some();
    // The full index, loaded once: whole tickets come from it, and the SLA
    // clocks are computed from it.
    let index = if options.whole_tickets || by_sla {
        Some(store.index()?)
    } else {
        None
    };
    let sla = match (by_sla, &index) {
        (true, Some(index)) => sla_by_ticket(store, index, now)?,
        _ => HashMap::new(),
    };
    let sla_ok = |id: TicketId| sla_passes(options.sla, &sla, id);
    let sla_key = |id: TicketId| {
        sla.get(&id)
            .map(|(s, due)| (false, *s != Standing::Breached, Some(*due)))
            .unwrap_or((true, true, None))
    };
    if options.whole_tickets {
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
        if options.sort == SortKey::Sla {
            tickets.sort_by_cached_key(|t| (sla_key(t.id), t.id));
        }
        arrange::<Ticket, _>(&mut tickets, options);
        let result = show(Listed::Tickets(tickets));
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
    let mut refs: Vec<&ListRow<'_>> = picked.iter().collect();
    if options.sort == SortKey::Sla {
        refs.sort_by_cached_key(|r| (sla_key(r.id), r.id));
    }
    arrange::<ListRow<'_>, _>(&mut refs, options);
    show(Listed::Rows(refs))
}

/// The filter a listing applies: `options.filter` with the statuses and
/// snooze that `all` and `snoozed` complete it with.
pub(super) fn effective_filter(options: &ListOptions) -> Filter {
    Filter {
        statuses: if options.all {
            Status::ALL.to_vec()
        } else if options.filter.statuses.is_empty() {
            Status::ALL
                .iter()
                .copied()
                .filter(|s| *s != Status::Closed)
                .collect()
        } else {
            options.filter.statuses.clone()
        },
        // Snoozed tickets stay out of the default list until they wake.
        snoozed: if options.all {
            None
        } else {
            Some((options.now, options.snoozed))
        },
        ..options.filter.clone()
    }
}

/// The worst standing and the earliest deadline of each ticket's running
/// SLA clocks.
pub(super) type SlaByTicket = HashMap<TicketId, (Standing, Timestamp)>;

pub(super) fn sla_by_ticket(
    store: &Store,
    index: &crate::store::TicketIndex,
    now: Timestamp,
) -> Result<SlaByTicket> {
    let mut map = SlaByTicket::new();
    for c in sla::clocks_in(store.config(), index, now)? {
        let e = map
            .entry(c.ticket)
            .or_insert((c.standing(), c.state.due_at));
        e.0 = e.0.max(c.standing());
        e.1 = e.1.min(c.state.due_at);
    }
    Ok(map)
}

pub(super) fn sla_passes(want: Option<SlaFilter>, sla: &SlaByTicket, id: TicketId) -> bool {
    match want {
        None => true,
        Some(SlaFilter::Running) => sla.contains_key(&id),
        Some(SlaFilter::AtRisk) => sla.get(&id).is_some_and(|(s, _)| *s >= Standing::Warning),
        Some(SlaFilter::Breached) => sla.get(&id).is_some_and(|(s, _)| *s == Standing::Breached),
    }
}

fn warn_skipped(path: &str, message: &str) {
    warn(&format!("{path}: {message} (entry skipped)"));
}

/// Sorts, reverses and limits as asked. Every key ends with the id, so the
/// order is total and the same on every run.
fn arrange<V: TicketView + ?Sized, T: Borrow<V>>(items: &mut Vec<T>, options: &ListOptions) {
    // Keys computed once per ticket: comparing through the view costs
    // more than the sort itself at 100,000 tickets.
    match options.sort {
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
        // Already sorted by the clocks, which `arrange` does not have.
        SortKey::Sla => {}
        SortKey::Subject => items.sort_by_cached_key(|t| {
            let t: &V = t.borrow();
            (t.subject().to_lowercase(), t.id())
        }),
    }
    if options.reverse {
        items.reverse();
    }
    if let Some(n) = options.limit {
        items.truncate(n);
    }
}
