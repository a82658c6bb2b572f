//! `tix tasks`: the open tasks of every ticket, from the index's list
//! rows alone (no ticket is read or decoded whole); and the open tasks of
//! the tickets merged into one, which `tix show` lists with it.

use serde::Serialize;

use crate::domain::{Status, Task, Ticket, TicketId, Timestamp, fold};
use crate::error::Result;
use crate::store::{ListRow, Store};

/// Which open tasks to list.
#[derive(Clone, Debug)]
pub struct TaskOptions {
    /// Only this agent's (a checked handle).
    pub assignee: Option<String>,
    /// Only those whose deadline is at or before `now`.
    pub overdue: bool,
    /// Only those due before this time.
    pub due_before: Option<Timestamp>,
    /// What overdue is counted against.
    pub now: Timestamp,
}

/// One open task, with its ticket.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskListing {
    pub ticket: TicketId,
    pub number: u32,
    pub text: String,
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
    pub overdue: bool,
    /// The ticket this one was merged into, where the task is listed
    /// too; the task is still changed by its own ticket's id.
    pub merged_into: Option<TicketId>,
    /// The entry of the ticket the task was made from.
    pub from: Option<String>,
    pub ticket_subject: String,
    pub ticket_status: Status,
}

/// The open tasks `options` keep, soonest deadline first (tasks without
/// one last), then by ticket and number.
pub fn tasks(store: &Store, options: &TaskOptions) -> Result<Vec<TaskListing>> {
    let now = options.now;
    let listed = |rows: &crate::store::ListRows| -> Result<Vec<TaskListing>> {
        let mut out = Vec::new();
        rows.select(|row| {
            collect(row, options, now, &mut out);
            false
        })?;
        Ok(out)
    };
    let mut out = match listed(&store.list_rows()?) {
        Ok(out) => out,
        // Unreadable rows are derived data: build them again.
        Err(_) => listed(&store.rebuild_list_rows()?)?,
    };
    out.sort_by(|a, b| {
        (a.due.is_none(), a.due, a.ticket, a.number).cmp(&(
            b.due.is_none(),
            b.due,
            b.ticket,
            b.number,
        ))
    });
    Ok(out)
}

/// The tasks of `row` that `options` keep, added to `out`.
fn collect(row: &ListRow<'_>, options: &TaskOptions, now: Timestamp, out: &mut Vec<TaskListing>) {
    for task in &row.tasks {
        let overdue = task.due.is_some_and(|d| d <= now);
        let keep = options
            .assignee
            .as_deref()
            .is_none_or(|a| task.assignee == Some(a))
            && (!options.overdue || overdue)
            && options
                .due_before
                .is_none_or(|before| task.due.is_some_and(|d| d < before));
        if keep {
            out.push(TaskListing {
                ticket: row.id,
                number: task.number,
                text: task.text.to_string(),
                assignee: task.assignee.map(str::to_string),
                due: task.due,
                overdue,
                merged_into: row.merged_into,
                from: task.from.map(str::to_string),
                ticket_subject: row.subject.to_string(),
                ticket_status: row.status,
            });
        }
    }
}

/// An open task of a ticket merged into another: still that ticket's,
/// changed by its id (`tix task done SOURCE N`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergedTask {
    pub ticket: TicketId,
    #[serde(flatten)]
    pub task: Task,
}

/// The open tasks of the tickets merged into `ticket`, and of those
/// merged into them (bounded as a trail's merges are: deep, and many),
/// by ticket then number. A merged ticket that cannot be read is left
/// out, as its trail is.
pub fn of_merged(store: &Store, ticket: &Ticket) -> Result<Vec<MergedTask>> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::from([ticket.id]);
    let mut level: Vec<TicketId> = ticket.merged_from.keys().copied().collect();
    for _ in 0..crate::store::MAX_REFERENCE_DEPTH {
        let mut next = Vec::new();
        for id in level {
            if !seen.insert(id) || seen.len() > crate::store::MAX_REFERENCED_TICKETS {
                continue;
            }
            if !store.ticket_exists(&id)? {
                continue;
            }
            let (source, _) = fold(id, store.read_ticket(&id)?.entries);
            // Only a merge that stands: one refused leaves its tasks home.
            if source.merged_into.is_none() {
                continue;
            }
            out.extend(source.open_tasks().map(|task| MergedTask {
                ticket: id,
                task: task.clone(),
            }));
            next.extend(source.merged_from.keys().copied());
        }
        level = next;
    }
    out.sort_by_key(|m| (m.ticket, m.task.number));
    Ok(out)
}
