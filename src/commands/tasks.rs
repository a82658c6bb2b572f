//! `tix tasks`: the open tasks of every ticket, from the index.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, ListFormat, print};
use tix_core::domain::Timestamp;
use tix_core::error::{Error, Result};
use tix_core::ops;
use tix_core::query::tasks::{self, TaskListing, TaskOptions};

use super::prelude::{Ctx, ListOutput, assignee};

#[derive(Args, Debug)]
pub struct TasksArgs {
    /// Only your tasks
    #[arg(long, conflicts_with = "assignee")]
    pub mine: bool,
    /// Only this agent's tasks (handle or address)
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assignee: Option<String>,
    /// Only tasks whose deadline has passed
    #[arg(long)]
    pub overdue: bool,
    /// Only tasks due before this time (a date, a date and time, RFC 3339,
    /// or a span from now such as 2d)
    #[arg(long, value_name = "WHEN")]
    pub due_before: Option<String>,
    #[command(flatten)]
    pub output: ListOutput,
}

pub fn cmd_tasks(ctx: &Ctx, args: TasksArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let who = assignee(ctx, &store, args.assignee.as_deref(), args.mine, false)?;
    let due_before = match args.due_before.as_deref() {
        None => None,
        Some(text) => Some(
            tix_core::domain::Due::parse(text, now, tix_core::domain::time::display_zone())
                // Calendar time: a filter is a moment, not a deadline.
                .map(|d| d.resolve(now, &tix_core::domain::sla::Hours::Calendar))
                .map_err(|e| Error::invalid(format!("--due-before: {e}")))?,
        ),
    };
    let options = TaskOptions {
        assignee: who.flatten(),
        overdue: args.overdue,
        due_before,
        now,
    };
    let listed = tasks::tasks(&store, &options)?;
    let format = output::list_format(args.output.format);
    if format == ListFormat::Ids {
        // One line per ticket, however many of its tasks are listed.
        let mut seen = std::collections::BTreeSet::new();
        let ids: String = listed
            .iter()
            .filter(|t| seen.insert(t.ticket))
            .map(|t| format!("{}\n", t.ticket))
            .collect();
        return print(&ids);
    }
    let header = [
        "ticket",
        "task",
        "assignee",
        "due",
        "overdue",
        "text",
        "subject",
        "from",
        "merged_into",
    ];
    // People read times in their zone; scripts get RFC 3339.
    let time = |d: Timestamp| {
        if format == ListFormat::Table {
            d.to_short()
        } else {
            d.to_rfc3339()
        }
    };
    let rows: Vec<Vec<String>> = listed.iter().map(|t| row(t, &time)).collect();
    output::print_rows(
        args.output.format,
        &header,
        &[
            "Ticket",
            "Task",
            "Assignee",
            "Due",
            "Overdue",
            "Text",
            "Subject",
            "From",
            "Merged into",
        ],
        &rows,
        &listed,
        "No open tasks.",
    )
}

fn row(t: &TaskListing, time: &dyn Fn(Timestamp) -> String) -> Vec<String> {
    vec![
        t.ticket.to_string(),
        t.number.to_string(),
        t.assignee.clone().unwrap_or_default(),
        t.due.map(time).unwrap_or_default(),
        if t.overdue { "yes" } else { "" }.to_string(),
        t.text.clone(),
        t.ticket_subject.clone(),
        t.from.clone().unwrap_or_default(),
        t.merged_into.map(|m| m.to_string()).unwrap_or_default(),
    ]
}
