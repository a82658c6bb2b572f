//! `tix list`: tickets matching filters, newest activity first.

use std::borrow::Cow;

use clap::{Args, ValueEnum};

use crate::ui::output::{self, print};
use clap_complete::engine::ArgValueCompleter;
use tix_core::domain::{TicketView, Timestamp};

use crate::ui::complete;
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;
use tix_core::query::Filter;
use tix_core::query::list::{self, ListOptions, Listed};
use tix_core::query::views;
use tix_core::store::ListRow;

use super::prelude::{Ctx, ListFormat, ListOutput, TicketFilterArgs, when};

#[derive(Args, Debug)]
pub struct ListArgs {
    /// A named view of the config, `@NAME` (`tix views` lists them); the
    /// flags given beside it narrow it or take the place of its own
    #[arg(value_name = "@VIEW", add = ArgValueCompleter::new(complete::views))]
    pub view: Option<String>,
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
    /// Order of the list [default: updated, or the view's]
    #[arg(long, value_enum)]
    pub sort: Option<SortKey>,
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

impl From<SortKey> for list::SortKey {
    fn from(v: SortKey) -> list::SortKey {
        match v {
            SortKey::Updated => list::SortKey::Updated,
            SortKey::Created => list::SortKey::Created,
            SortKey::Priority => list::SortKey::Priority,
            SortKey::Status => list::SortKey::Status,
            SortKey::Id => list::SortKey::Id,
            SortKey::Subject => list::SortKey::Subject,
            SortKey::Sla => list::SortKey::Sla,
        }
    }
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

impl From<SlaFilter> for list::SlaFilter {
    fn from(v: SlaFilter) -> list::SlaFilter {
        match v {
            SlaFilter::Breached => list::SlaFilter::Breached,
            SlaFilter::AtRisk => list::SlaFilter::AtRisk,
            SlaFilter::Running => list::SlaFilter::Running,
        }
    }
}

pub fn cmd_list(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let base = args.filter.resolve(ctx, &store)?;
    let filter = Filter {
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
    let format = output::list_format(args.output.format);
    let given = ListOptions {
        filter,
        all: args.all,
        snoozed: args.snoozed,
        sla: args.sla.map(Into::into),
        sort: args.sort.map_or(list::SortKey::Updated, Into::into),
        reverse: args.reverse,
        limit: args.limit,
        whole_tickets: format == ListFormat::Json,
        now,
    };
    let options = match args.view.as_deref() {
        None => given,
        Some(name) => {
            let Some(name) = name.strip_prefix('@') else {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "`{name}`: a view is named with @ (`tix list @{name}`); `tix views` lists them"
                    ),
                ));
            };
            let view = views::find(store.config(), name)?;
            let view = views::options(view, || Ok(ctx.actor(&store)?.handle), now)?;
            views::combine(view, given, args.sort.is_some())
        }
    };
    list::list(&store, &options, |listed| match listed {
        Listed::Tickets(tickets) => print(&output::json(&tickets)?),
        Listed::Rows(rows) => render(&rows, format, args.wide),
    })
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
