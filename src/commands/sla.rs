//! `tix sla`: open tickets' service-level clocks, breached first.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::{complete, output};
use tix_core::domain::sla::{Phase, Standing};
use tix_core::error::Result;
use tix_core::ops;
use tix_core::rules::sla;

use super::prelude::{Ctx, ListOutput};

#[derive(Args, Debug)]
pub struct SlaArgs {
    /// Only breached clocks
    #[arg(long)]
    pub breached: bool,
    /// Only tickets assigned to AGENT (handle or address)
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assignee: Option<String>,
    #[command(flatten)]
    pub output: ListOutput,
}

pub fn cmd_sla(ctx: &Ctx, args: SlaArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let assignee = args
        .assignee
        .as_deref()
        .map(|a| ops::check_assignee(store.config(), a))
        .transpose()?;
    let clocks: Vec<sla::SlaClock> = sla::clocks(&store, now)?
        .into_iter()
        .filter(|c| !args.breached || c.standing() == Standing::Breached)
        .filter(|c| assignee.is_none() || c.assignee == assignee)
        .collect();
    let header = [
        "id", "target", "state", "due", "left", "priority", "assignee", "subject",
    ];
    let rows: Vec<Vec<String>> = clocks
        .iter()
        .map(|c| {
            let state = match (c.standing(), c.state.phase) {
                (Standing::Breached, _) => "breached",
                (Standing::Warning, _) => "warning",
                (_, Phase::Paused) => "paused",
                _ => "running",
            };
            // Time left, or overdue (negative), in wall-clock time.
            let left = now.seconds_until(c.state.due_at);
            vec![
                c.ticket.to_string(),
                c.target.as_str().to_string(),
                state.to_string(),
                c.state.due_at.to_rfc3339(),
                human(left),
                c.priority.to_string(),
                c.assignee.clone().unwrap_or_default(),
                c.subject.clone(),
            ]
        })
        .collect();
    let json: Vec<serde_json::Value> = clocks
        .iter()
        .zip(&rows)
        .map(|(c, r)| {
            serde_json::json!({
                "ticket": c.ticket,
                "target": c.target,
                "state": r[2],
                "due_at": c.state.due_at,
                "left_seconds": now.seconds_until(c.state.due_at),
                "elapsed_seconds": c.state.elapsed,
                "priority": c.priority,
                "assignee": c.assignee,
                "subject": c.subject,
            })
        })
        .collect();
    output::print_rows(
        args.output.format,
        &header,
        &[
            "ID", "Target", "State", "Due", "Left", "Priority", "Assignee", "Subject",
        ],
        &rows,
        &json,
        "No open ticket has an SLA clock running.",
    )
}

/// `2d 3h`, `45m`, `-1h 5m` (overdue).
fn human(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    let text = match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    };
    format!("{sign}{text}")
}
