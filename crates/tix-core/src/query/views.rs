//! Named views (`views:` in the config): the listing each one asks for,
//! a view combined with the flags given beside it (`tix list @name …`),
//! and every view's count in one pass over the list rows (`tix views`).

use crate::domain::config::{View, ViewAssignee};
use crate::domain::view::SortKey;
use crate::domain::{Config, Timestamp};
use crate::error::{Error, Result};
use crate::store::{ListRow, Store};

use super::Filter;
use super::list::{ListOptions, effective_filter, sla_by_ticket, sla_passes};

/// The view called `name`, or a not-found error listing the views there are.
pub fn find<'c>(config: &'c Config, name: &str) -> Result<&'c View> {
    config.view_book.get(name).ok_or_else(|| {
        let known: Vec<&str> = config.view_book.keys().map(String::as_str).collect();
        let message = if known.is_empty() {
            format!("no view `{name}`: no views are declared under `views:` in .tix/config.yaml")
        } else {
            format!("no view `{name}` (views: {})", known.join(", "))
        };
        Error::not_found(message)
    })
}

/// The listing `view` asks for at `now`; `me` gives the acting agent's
/// handle, asked only for a view of `assignee: me`.
pub fn options(
    view: &View,
    me: impl FnOnce() -> Result<String>,
    now: Timestamp,
) -> Result<ListOptions> {
    let assignee = match &view.assignee {
        None => None,
        Some(ViewAssignee::Me) => Some(Some(me()?)),
        Some(ViewAssignee::Nobody) => Some(None),
        Some(ViewAssignee::Agent(a)) => Some(Some(a.clone())),
    };
    Ok(ListOptions {
        filter: Filter {
            statuses: view.statuses.clone(),
            assignee,
            customer: view.customer.clone(),
            tags: view.tags.clone(),
            priorities: view.priorities.clone(),
            fields: view.fields.clone(),
            group: view.group.clone(),
            department: view.department.clone(),
            waiting_on: view.waiting_on,
            unanswered: view.unanswered,
            has_tasks: view.has_tasks,
            ..Filter::default()
        },
        all: view.all,
        snoozed: view.snoozed,
        sla: view.sla,
        sort: view.sort.unwrap_or(SortKey::Updated),
        reverse: view.reverse,
        limit: None,
        whole_tickets: false,
        now,
    })
}

/// A view with the flags given beside it. A filter given on the command
/// line takes the place of the view's same filter (statuses, priorities,
/// assignee, customer, group, whom it waits on, SLA state); tags and
/// fields add up, all of them must match; a switch (`--unanswered`,
/// `--all` …) set on either side is on. The order is the command line's
/// when `sort_given`, else the view's; the rest (times, text, limit,
/// format) is the command line's.
pub fn combine(view: ListOptions, given: ListOptions, sort_given: bool) -> ListOptions {
    let (v, g) = (view.filter, given.filter);
    let mut tags = v.tags;
    tags.extend(g.tags);
    let mut fields = v.fields;
    fields.extend(g.fields);
    let filter = Filter {
        statuses: or_list(g.statuses, v.statuses),
        priorities: or_list(g.priorities, v.priorities),
        assignee: g.assignee.or(v.assignee),
        customer: g.customer.or(v.customer),
        group: g.group.or(v.group),
        department: g.department.or(v.department),
        waiting_on: g.waiting_on.or(v.waiting_on),
        unanswered: g.unanswered || v.unanswered,
        has_tasks: g.has_tasks || v.has_tasks,
        tags,
        fields,
        created: g.created,
        updated: g.updated,
        text: g.text,
        snoozed: g.snoozed,
    };
    let all = given.all || view.all;
    ListOptions {
        // `--status` beside a view of `all` narrows it.
        all: all && filter.statuses.is_empty(),
        snoozed: (given.snoozed || view.snoozed) && !all,
        filter,
        sla: given.sla.or(view.sla),
        sort: if sort_given { given.sort } else { view.sort },
        reverse: given.reverse || view.reverse,
        limit: given.limit,
        whole_tickets: given.whole_tickets,
        now: given.now,
    }
}

/// How many tickets each listing shows, in the order given: one pass over
/// the list rows, with the SLA clocks computed once if any view asks.
pub fn counts(store: &Store, listings: &[ListOptions]) -> Result<Vec<usize>> {
    let Some(now) = listings.first().map(|o| o.now) else {
        return Ok(Vec::new());
    };
    let filters: Vec<Filter> = listings.iter().map(effective_filter).collect();
    let sla = if listings.iter().any(|o| o.sla.is_some()) {
        let index = store.index()?;
        let sla = sla_by_ticket(store, &index, now)?;
        // Freeing the whole index would only cost time.
        std::mem::forget(index);
        sla
    } else {
        Default::default()
    };
    let count_all = |counts: &mut Vec<usize>, row: &ListRow<'_>| {
        for (i, (filter, o)) in filters.iter().zip(listings).enumerate() {
            if sla_passes(o.sla, &sla, row.id) && filter.matches(row, Vec::new) {
                counts[i] += 1;
            }
        }
        false
    };
    let mut counts = vec![0; listings.len()];
    let rows = store.list_rows()?;
    if rows.select(|row| count_all(&mut counts, row)).is_err() {
        counts = vec![0; listings.len()];
        store
            .rebuild_list_rows()?
            .select(|row| count_all(&mut counts, row))?;
    }
    Ok(counts)
}

fn or_list<T>(given: Vec<T>, view: Vec<T>) -> Vec<T> {
    if given.is_empty() { view } else { given }
}
