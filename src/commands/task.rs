//! `tix task`: the tasks inside a ticket (add, done, reopen, assign, due).

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::domain::time::display_zone;
use tix_core::domain::{Due, Task, TicketId};
use tix_core::error::{Error, Result};
use tix_core::mail::respond::{self, Delivery, TaskNotice};
use tix_core::ops::tasks::{self, NewTask, TaskChange, TaskWritten};
use tix_core::ops::{self, Actor};
use tix_core::store::Store;

use super::prelude::Ctx;

#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Add a task to a ticket, optionally for an agent (who is e-mailed)
    /// and with a deadline
    Add(TaskAddArgs),
    /// Mark a task done
    Done(TaskRef),
    /// Mark a done task to do again
    Reopen(TaskRef),
    /// Give a task to an agent (who is e-mailed)
    Assign(TaskAssignArgs),
    /// Set or clear a task's deadline
    Due(TaskDueArgs),
}

#[derive(Args, Debug)]
pub struct TaskAddArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// What is to be done (with --from, by default the entry's first line)
    #[arg(required_unless_present = "from")]
    pub text: Option<String>,
    /// Make it from this entry of the ticket: a message, reply or note (an
    /// entry file name as `tix show --format json` gives it, or a unique
    /// start of it), which the task names
    #[arg(long, value_name = "ENTRY")]
    pub from: Option<String>,
    /// The agent to give it to (handle or address); `me` for yourself
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub to: Option<String>,
    /// Deadline: a span from now (4h, 2d: business hours when the team has
    /// them, as SLA targets count), a date, a date and time, or RFC 3339
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
}

#[derive(Args, Debug)]
pub struct TaskRef {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The task's number, as `tix show` lists it
    #[arg(value_parser = clap::value_parser!(u32).range(1..))]
    pub number: u32,
}

#[derive(Args, Debug)]
pub struct TaskAssignArgs {
    #[command(flatten)]
    pub task: TaskRef,
    /// Agent handle or address; `me` for yourself
    #[arg(add = ArgValueCompleter::new(complete::agents))]
    pub agent: String,
}

#[derive(Args, Debug)]
pub struct TaskDueArgs {
    #[command(flatten)]
    pub task: TaskRef,
    /// The new deadline (as for `tix task add --due`)
    #[arg(required_unless_present = "clear")]
    pub when: Option<String>,
    /// Remove the deadline
    #[arg(long, conflicts_with = "when")]
    pub clear: bool,
}

pub fn cmd_task(ctx: &Ctx, cmd: TaskCommand) -> Result<()> {
    match cmd {
        TaskCommand::Add(args) => add(ctx, args),
        TaskCommand::Done(task) => change(ctx, task, |_| Ok(TaskChange::Done)),
        TaskCommand::Reopen(task) => change(ctx, task, |_| Ok(TaskChange::Reopen)),
        TaskCommand::Assign(args) => {
            let agent = args.agent;
            change(ctx, args.task, move |actor| {
                Ok(TaskChange::Assign(agent_named(actor, &agent)))
            })
        }
        TaskCommand::Due(args) => {
            let when = args.when;
            change(ctx, args.task, move |_| {
                Ok(TaskChange::Due(when.as_deref().map(due).transpose()?))
            })
        }
    }
}

/// `me` is the acting agent.
fn agent_named(actor: &Actor, who: &str) -> String {
    if who == "me" {
        actor.handle.clone()
    } else {
        who.to_string()
    }
}

/// A `--due` value, local times in the user's zone.
fn due(text: &str) -> Result<Due> {
    Due::parse(text, ops::now()?, display_zone()).map_err(|e| Error::invalid(format!("--due: {e}")))
}

fn add(ctx: &Ctx, args: TaskAddArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let new = NewTask {
        text: args.text.unwrap_or_default(),
        from: args.from,
        to: args.to.as_deref().map(|who| agent_named(&actor, who)),
        due: args.due.as_deref().map(due).transpose()?,
    };
    let written = tasks::add(&store, &actor, id, &new)?;
    say(&written, "added")?;
    notify(&store, &actor, id, &written)
}

fn change(ctx: &Ctx, task: TaskRef, what: impl FnOnce(&Actor) -> Result<TaskChange>) -> Result<()> {
    let (store, actor, id) = ctx.target(&task.id)?;
    let change = what(&actor)?;
    let Some(written) = tasks::change(&store, &actor, id, task.number, &change)? else {
        eprintln!("tix: {id}: task {}: nothing to change", task.number);
        return Ok(());
    };
    let verb = match change {
        TaskChange::Done => "done",
        TaskChange::Reopen => "reopened",
        TaskChange::Assign(_) => "assigned",
        TaskChange::Due(_) => "due changed",
    };
    say(&written, verb)?;
    notify(&store, &actor, id, &written)
}

/// One line: the ticket, the task's number, what was done, to whom and
/// until when, and its text.
fn say(written: &TaskWritten, verb: &str) -> Result<()> {
    for w in &written.outcome.warnings {
        output::warn(w);
    }
    print(&format!(
        "{} task {} {verb}{}: {}\n",
        written.outcome.id,
        written.task.number,
        output::for_stdout(&detail(&written.task)),
        output::for_stdout(first_line(&written.task.text))
    ))
}

/// ` for bob, due 2026-12-01 09:00`, as much as the task has.
fn detail(task: &Task) -> String {
    let mut out = String::new();
    if let Some(a) = &task.assignee {
        out.push_str(&format!(" for {a}"));
    }
    if let Some(d) = task.due {
        out.push_str(&format!(
            "{} due {}",
            if out.is_empty() { "" } else { "," },
            d.to_short()
        ));
    }
    out
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// E-mails the agent the write gave the task to (never the actor giving
/// it to themselves). A failed send leaves the task written and the mail
/// in the outbox, so it is a warning, not an error.
fn notify(store: &Store, actor: &Actor, id: TicketId, written: &TaskWritten) -> Result<()> {
    let Some(agent) = written.given_to.as_deref().filter(|a| *a != actor.handle) else {
        return Ok(());
    };
    let notice = TaskNotice::Given {
        by: actor.handle.clone(),
    };
    match respond::notify_task(store, id, &written.task.key, &notice, ops::now()?)? {
        None | Some(Delivery::NotConfigured) => Ok(()),
        Some(Delivery::Sent) => print(&format!(
            "{id} task {}: {agent} e-mailed\n",
            written.task.number
        )),
        Some(Delivery::Failed(e)) => {
            output::warn(&format!(
                "task {} of ticket {id} is written, but the mail to {agent} was not delivered: {} (`tix outbox retry` sends it again)",
                written.task.number,
                e.message()
            ));
            Ok(())
        }
    }
}
