//! `tix views`: the named views of the config (`views:`), each with what
//! it shows as `tix list` flags and how many tickets it shows now.

use clap::Args;
use serde::Serialize;

use crate::ui::output::{self, print};
use tix_core::domain::automation::Side;
use tix_core::domain::config::{View, ViewAssignee};
use tix_core::domain::view::{SlaFilter, SortKey};
use tix_core::error::Result;
use tix_core::ops;
use tix_core::query::views;

use super::prelude::{Ctx, ListFormat, ListOutput};

#[derive(Args, Debug)]
pub struct ViewsArgs {
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Serialize)]
struct Row {
    name: String,
    definition: String,
    count: usize,
}

pub fn cmd_views(ctx: &Ctx, args: ViewsArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let book = &store.config().view_book;
    // The acting agent only when a view needs it, and then once.
    let me = if book.values().any(|v| v.assignee == Some(ViewAssignee::Me)) {
        Some(ctx.actor(&store)?.handle)
    } else {
        None
    };
    let listings = book
        .values()
        .map(|v| views::options(v, || Ok(me.clone().unwrap_or_default()), now))
        .collect::<Result<Vec<_>>>()?;
    let counts = views::counts(&store, &listings)?;
    let rows: Vec<Row> = book
        .iter()
        .zip(counts)
        .map(|((name, view), count)| Row {
            name: name.clone(),
            definition: flags(view),
            count,
        })
        .collect();
    let cells = || {
        rows.iter()
            .map(|r| {
                vec![
                    format!("@{}", r.name),
                    r.count.to_string(),
                    r.definition.clone(),
                ]
            })
            .collect::<Vec<_>>()
    };
    match output::list_format(args.output.format) {
        ListFormat::Json => print(&output::json(&rows)?),
        ListFormat::Ids => print(
            &rows
                .iter()
                .map(|r| format!("@{}\n", r.name))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(&["view", "count", "definition"], &cells())?),
        ListFormat::Tsv => {
            let mut out = output::Tsv::new(&["view", "count", "definition"], rows.len());
            for row in cells() {
                for cell in &row {
                    out.cell(cell);
                }
                out.end_row();
            }
            print(&out.finish())
        }
        ListFormat::Table if rows.is_empty() => {
            print("No views: declare them under `views:` in .tix/config.yaml.\n")
        }
        ListFormat::Table => print(&output::table(&["View", "Tickets", "Shows"], &cells())),
    }
}

/// A view as the `tix list` flags that show the same tickets.
fn flags(v: &View) -> String {
    let mut out: Vec<String> = Vec::new();
    let join = |items: Vec<&str>| items.join(",");
    if !v.statuses.is_empty() {
        out.push(format!(
            "--status {}",
            join(v.statuses.iter().map(|s| s.as_str()).collect())
        ));
    }
    if !v.priorities.is_empty() {
        out.push(format!(
            "--priority {}",
            join(v.priorities.iter().map(|p| p.as_str()).collect())
        ));
    }
    for t in &v.tags {
        out.push(format!("--tag {t}"));
    }
    match &v.assignee {
        None => {}
        Some(ViewAssignee::Me) => out.push("--mine".into()),
        Some(ViewAssignee::Nobody) => out.push("--unassigned".into()),
        Some(ViewAssignee::Agent(a)) => out.push(format!("--assignee {a}")),
    }
    if let Some(c) = &v.customer {
        out.push(format!("--customer {c}"));
    }
    if let Some(g) = &v.group {
        out.push(format!("--group {g}"));
    }
    match v.waiting_on {
        None => {}
        Some(Side::Agent) => out.push("--waiting-on us".into()),
        Some(Side::Customer) => out.push("--waiting-on customer".into()),
    }
    for (switch, on) in [
        ("--unanswered", v.unanswered),
        ("--has-tasks", v.has_tasks),
        ("--all", v.all),
        ("--snoozed", v.snoozed),
    ] {
        if on {
            out.push(switch.into());
        }
    }
    for (name, value) in &v.fields {
        out.push(format!("--field {name}={value}"));
    }
    if let Some(s) = v.sla {
        out.push(format!(
            "--sla {}",
            match s {
                SlaFilter::Breached => "breached",
                SlaFilter::AtRisk => "at-risk",
                SlaFilter::Running => "running",
            }
        ));
    }
    if let Some(s) = v.sort {
        out.push(format!(
            "--sort {}",
            match s {
                SortKey::Updated => "updated",
                SortKey::Created => "created",
                SortKey::Priority => "priority",
                SortKey::Status => "status",
                SortKey::Id => "id",
                SortKey::Subject => "subject",
                SortKey::Sla => "sla",
            }
        ));
    }
    if v.reverse {
        out.push("--reverse".into());
    }
    out.join(" ")
}
