//! Tasks inside a ticket: adding one, and changing one by its number
//! (done, reopened, given to another agent, a new deadline). Each is a
//! plan of drafts against the ticket's current state, so a rule can put
//! it into a [`super::Batch`] of its own ([`plan_add`], [`plan_change`]),
//! and a write of one change through [`super::append`] ([`add`],
//! [`change`]). Telling an agent of a task given to them is mail's
//! (`mail::respond::notify_task`), which the caller does after the write
//! with what [`TaskWritten::given_to`] says.

use crate::domain::task::{self, Due, Task};
use crate::domain::{Config, Event, Ticket, TicketId, Timestamp, TrailItem};
use crate::error::{Error, Result};
use crate::store::Store;

use super::{Actor, Batch, Draft, Outcome, append, check_assignee};

/// The longest task text taken: a line or a short paragraph, not a
/// document (that is what a note is for).
pub const MAX_TASK_TEXT: usize = 2000;

/// How much of an entry's text a task made from it takes when no text is
/// given: its first line, cut to this many characters.
pub const TASK_TEXT_FROM_ENTRY: usize = 200;

/// A task to add.
#[derive(Clone, Debug)]
pub struct NewTask {
    /// What is to be done; empty with `from`, to take the entry's first
    /// line.
    pub text: String,
    /// The entry it is made from: for [`add`], as typed (a file name of
    /// the ticket's trail or a unique start of it); for [`plan_add`], the
    /// file name itself.
    pub from: Option<String>,
    /// The agent (handle or address) to give it to.
    pub to: Option<String>,
    pub due: Option<Due>,
}

/// A change to an existing task.
#[derive(Clone, Debug)]
pub enum TaskChange {
    Done,
    Reopen,
    /// Given to this agent (handle or address).
    Assign(String),
    /// A new deadline, or none.
    Due(Option<Due>),
}

impl TaskChange {
    /// The verb of its commit and confirmation.
    pub fn verb(&self) -> &'static str {
        match self {
            TaskChange::Done => "task done",
            TaskChange::Reopen => "task reopen",
            TaskChange::Assign(_) => "task assign",
            TaskChange::Due(_) => "task due",
        }
    }
}

/// What a task write did.
#[derive(Debug)]
pub struct TaskWritten {
    pub outcome: Outcome,
    /// The task as it stands after the write.
    pub task: Task,
    /// The agent the write gave the task to, who should hear of it.
    pub given_to: Option<String>,
}

/// Checks a task's text: not blank, at most [`MAX_TASK_TEXT`] bytes.
pub fn check_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid("task text: must not be empty"));
    }
    if text.len() > MAX_TASK_TEXT {
        return Err(Error::invalid(format!(
            "task text: {} bytes; a task takes at most {MAX_TASK_TEXT} (write the details in a note)",
            text.len()
        )));
    }
    Ok(())
}

/// The instant `due` names as of `now`, counted as the SLA clocks count
/// (business hours when configured); refused unless it lies ahead.
pub fn resolve_due(config: &Config, due: &Due, now: Timestamp) -> Result<Timestamp> {
    let at = due.resolve(now, &config.sla.policy().hours);
    if at <= now {
        return Err(Error::invalid(format!(
            "due time {} is not in the future",
            at.to_short_labelled()
        )));
    }
    Ok(at)
}

/// The `task-add` entry for `new` as of `now`: the text checked, the
/// assignee an agent of the config, the deadline ahead.
pub fn plan_add(config: &Config, new: &NewTask, now: Timestamp) -> Result<Draft> {
    check_text(&new.text)?;
    let to = new
        .to
        .as_deref()
        .map(|who| check_assignee(config, who))
        .transpose()?;
    let due = new
        .due
        .as_ref()
        .map(|d| resolve_due(config, d, now))
        .transpose()?;
    let text = new.text.trim_end();
    Ok(Draft::with_body(
        Event::TaskAdd {
            to,
            due,
            from: new.from.clone(),
        },
        format!("{text}\n"),
    ))
}

/// `new` with the entry it names (as typed) of ticket `id`'s `trail`
/// resolved to its file name, and its text, when none is given, the
/// entry's first line (cut to [`TASK_TEXT_FROM_ENTRY`] characters).
/// Only a message, reply or note can be made a task of.
fn from_entry(id: TicketId, trail: &[TrailItem], new: &NewTask) -> Result<NewTask> {
    let Some(typed) = &new.from else {
        return Ok(new.clone());
    };
    let item = super::merge::entry_named(id, trail, typed)?;
    if !matches!(
        item.entry.event,
        Event::Message { .. } | Event::Reply { .. } | Event::Note { .. }
    ) {
        return Err(Error::invalid(format!(
            "entry {} of ticket {id} is a `{}`; a task is made from a message, reply or note",
            item.file,
            item.entry.event.kind()
        )));
    }
    let text = if new.text.trim().is_empty() {
        first_line(&item.entry.body).ok_or_else(|| {
            Error::invalid(format!(
                "entry {} of ticket {id} has no text to make a task of; give the task's text",
                item.file
            ))
        })?
    } else {
        new.text.clone()
    };
    Ok(NewTask {
        text,
        from: Some(item.file.clone()),
        ..new.clone()
    })
}

/// The first line of `body` with any text, cut to
/// [`TASK_TEXT_FROM_ENTRY`] characters (an ellipsis marks a cut).
fn first_line(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.chars().count() <= TASK_TEXT_FROM_ENTRY {
        return Some(line.to_string());
    }
    let cut: String = line.chars().take(TASK_TEXT_FROM_ENTRY - 1).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// The task numbered `number` on `ticket`, or an error naming both.
pub fn numbered(ticket: &Ticket, number: u32) -> Result<&Task> {
    task::numbered(&ticket.tasks, number)
        .map_err(|why| Error::not_found(format!("ticket {}: {why}", ticket.id)))
}

/// The entries that make `change` to task `number` of `ticket` as of
/// `now`; none when it is so already (done twice, the same agent).
pub fn plan_change(
    config: &Config,
    ticket: &Ticket,
    number: u32,
    change: &TaskChange,
    now: Timestamp,
) -> Result<Vec<Draft>> {
    let found = numbered(ticket, number)?;
    let key = found.key.clone();
    let event = match change {
        TaskChange::Done if found.is_open() => Event::TaskDone { task: key },
        TaskChange::Reopen if !found.is_open() => Event::TaskReopen { task: key },
        TaskChange::Done | TaskChange::Reopen => return Ok(Vec::new()),
        TaskChange::Assign(who) => {
            let to = check_assignee(config, who)?;
            if found.assignee.as_ref() == Some(&to) {
                return Ok(Vec::new());
            }
            Event::TaskAssign { task: key, to }
        }
        TaskChange::Due(due) => {
            let due = due
                .as_ref()
                .map(|d| resolve_due(config, d, now))
                .transpose()?;
            if found.due == due {
                return Ok(Vec::new());
            }
            Event::TaskDue { task: key, due }
        }
    };
    Ok(vec![Draft::new(event)])
}

/// Adds `new` to ticket `id` as `actor`, in one commit; the entry it is
/// made `from` is looked up in the ticket's trail (its own entries and
/// those it shows from tickets merged into it) under the lock.
pub fn add(store: &Store, actor: &Actor, id: TicketId, new: &NewTask) -> Result<TaskWritten> {
    let now = super::now()?;
    let mut batch = Batch::begin(store)?;
    let new = if new.from.is_some() {
        let (_, trail) = batch.trail(id)?;
        from_entry(id, &trail, new)?
    } else {
        new.clone()
    };
    let files = batch
        .append(actor, id, "task add", |_| {
            Ok(vec![plan_add(store.config(), &new, now)?])
        })?
        .ok_or_else(|| Error::internal("a planned task was not written"))?;
    let ticket = batch.ticket(id)?.clone();
    let done = batch
        .commit(&actor.author(), "task add")?
        .ok_or_else(|| Error::internal("a planned task was not committed"))?;
    let outcome = Outcome::committed(id, files, ticket, String::new(), done);
    let written = outcome.files[0].clone();
    let task = outcome
        .ticket
        .tasks
        .iter()
        .find(|t| t.key == written)
        .cloned()
        .ok_or_else(|| Error::internal(format!("task {written} was written but not folded")))?;
    Ok(TaskWritten {
        given_to: task.assignee.clone(),
        task,
        outcome,
    })
}

/// Makes `change` to task `number` of ticket `id` as `actor`, in one
/// commit; `None` when there was nothing to change.
pub fn change(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    number: u32,
    change: &TaskChange,
) -> Result<Option<TaskWritten>> {
    let now = super::now()?;
    // The number is read under the lock, so it is the task the user saw
    // unless the ticket changed in between (which the fold decides alike
    // everywhere).
    let mut key = None;
    let outcome = append(store, actor, id, change.verb(), |ticket| {
        key = Some(numbered(ticket, number)?.key.clone());
        plan_change(store.config(), ticket, number, change, now)
    })?;
    let Some(outcome) = outcome else {
        return Ok(None);
    };
    let task = outcome
        .ticket
        .tasks
        .iter()
        .find(|t| Some(&t.key) == key.as_ref())
        .cloned()
        .ok_or_else(|| Error::internal(format!("task {number} of {id} is gone after a write")))?;
    let given_to = match change {
        TaskChange::Assign(_) => task.assignee.clone(),
        _ => None,
    };
    Ok(Some(TaskWritten {
        outcome,
        task,
        given_to,
    }))
}
