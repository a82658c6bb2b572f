//! `tix report summary|agents|trend|breakdown|sla|csat`: service metrics over a
//! period, computed by [`tix_core::report`] from the facts in the derived
//! index (no entry is read), for the tickets the filters keep.
//!
//! Every output echoes the period and the filters: a header line in a
//! table, `period` and `filters` objects in JSON, and `since`, `until` and
//! `filters` columns in CSV.

use std::collections::BTreeMap;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::ui::columns::Columns;
use crate::ui::output::{self, print};
use tix_core::domain::time::{parse_when_in, report_zone};
use tix_core::domain::{Channel, FieldValue, Priority, Status};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;
use tix_core::query::Filter;
use tix_core::query::report::{self as query, ReportOptions};
use tix_core::render::html::{Css, escape, page};
use tix_core::render::report as charts;
use tix_core::report::{
    self, AgentRow, Ages, Breach, Bucketing, CsatBy, CsatComment, CsatRow, GroupBy, GroupRow,
    SlaAgent, SlaCounts, Summary, TrendRow, human,
};
use tix_core::store::Store;

use super::prelude::{Ctx, TicketFilterArgs};

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Created, resolved, reopened, backlog by age, first response and
    /// resolution times, replies per ticket
    Summary(ReportArgs),
    /// Per agent: tickets assigned and closed, replies, notes, response
    /// times, open load now
    Agents(ReportArgs),
    /// Created, resolved, reopened and backlog per day, week or month
    Trend(TrendArgs),
    /// Counts and times per status, priority, tag, assignee, customer
    /// domain or custom field
    Breakdown(BreakdownArgs),
    /// Tickets that breached the first-response or resolution targets in
    /// the config's `sla` section, per agent and overall
    Sla(ReportArgs),
    /// One page of the key figures: pending backlog, handled, average
    /// first response, and per agent load, replies and response speed
    /// (html by default, or json)
    Dashboard(ReportArgs),
    /// Customer satisfaction from the e-mailed surveys (`csat:`): score,
    /// response rate and comments, overall or per agent, tag or field
    Csat(CsatArgs),
}

#[derive(Args, Debug)]
pub struct CsatArgs {
    /// Also per agent (credited: whoever closed the ticket), tag or
    /// field:NAME (a custom field)
    #[arg(long, value_name = "GROUP")]
    pub by: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// The period, the filters and the output format of a report.
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default:
    /// 30 days before its end
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, not included; default: now
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    #[command(flatten)]
    pub filter: TicketFilterArgs,
    /// Output format; default: table on a terminal, csv when piped
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

#[derive(Args, Debug)]
pub struct TrendArgs {
    /// Bucket size
    #[arg(long, value_enum, default_value_t = TrendBy::Day)]
    pub by: TrendBy,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendBy {
    /// UTC days
    Day,
    /// ISO weeks (Monday to Sunday, UTC)
    Week,
    /// Calendar months (UTC)
    Month,
}

#[derive(Args, Debug)]
pub struct BreakdownArgs {
    /// Group by status, priority, tag, assignee, domain (the customer's),
    /// channel (how the ticket came in), department or field:NAME (a
    /// custom field)
    #[arg(long, value_name = "GROUP", default_value = "status")]
    pub by: String,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    /// One self-contained page: charts (inline SVG), the tables under them
    Html,
}

/// Width of the trend bars, in cells.
const BAR_WIDTH: usize = 12;

pub fn cmd_report(ctx: &Ctx, cmd: ReportCommand) -> Result<()> {
    match cmd {
        ReportCommand::Summary(args) => summary(ctx, args),
        ReportCommand::Agents(args) => agents(ctx, args),
        ReportCommand::Trend(args) => trend(ctx, args),
        ReportCommand::Breakdown(args) => breakdown(ctx, args),
        ReportCommand::Sla(args) => sla(ctx, args),
        ReportCommand::Dashboard(args) => dashboard(ctx, args),
        ReportCommand::Csat(args) => csat(ctx, args),
    }
}

/// The filters as given, for the output.
#[derive(Serialize)]
struct FilterEcho {
    /// Empty: any status.
    status: Vec<Status>,
    assignee: Option<String>,
    unassigned: bool,
    customer: Option<String>,
    tags: Vec<String>,
    /// Empty: any priority.
    priority: Vec<Priority>,
    fields: BTreeMap<String, FieldValue>,
    group: Option<String>,
    department: Option<String>,
}

impl FilterEcho {
    fn of(f: &Filter) -> FilterEcho {
        FilterEcho {
            status: f.statuses.clone(),
            assignee: f.assignee.clone().flatten(),
            unassigned: f.assignee == Some(None),
            customer: f.customer.clone(),
            tags: f.tags.clone(),
            priority: f.priorities.clone(),
            fields: f.fields.iter().cloned().collect(),
            group: f.group.clone(),
            department: f.department.clone(),
        }
    }

    /// One line: `status=open,pending assignee=bob tag=printer`; empty
    /// when there are no filters.
    fn text(&self) -> String {
        let join = |v: Vec<String>| v.join(",");
        let mut parts = Vec::new();
        if !self.status.is_empty() {
            parts.push(format!(
                "status={}",
                join(self.status.iter().map(|s| s.to_string()).collect())
            ));
        }
        if let Some(a) = &self.assignee {
            parts.push(format!("assignee={a}"));
        }
        if self.unassigned {
            parts.push("unassigned".into());
        }
        if let Some(c) = &self.customer {
            parts.push(format!("customer={c}"));
        }
        parts.extend(self.tags.iter().map(|t| format!("tag={t}")));
        if !self.priority.is_empty() {
            parts.push(format!(
                "priority={}",
                join(self.priority.iter().map(|p| p.to_string()).collect())
            ));
        }
        parts.extend(self.fields.iter().map(|(n, v)| format!("field:{n}={v}")));
        if let Some(g) = &self.group {
            parts.push(format!("group={g}"));
        }
        if let Some(d) = &self.department {
            parts.push(format!("department={d}"));
        }
        parts.join(" ")
    }
}

/// What every report starts from: the parsed arguments, and how they are
/// echoed in the output.
struct Setup {
    store: Store,
    options: ReportOptions,
    echo: FilterEcho,
    format: ReportFormat,
}

impl Setup {
    fn new(ctx: &Ctx, args: &ReportArgs) -> Result<Setup> {
        let store = ctx.store()?;
        let now = ops::now()?;
        let parse = |flag: &str, v: &Option<String>| {
            v.as_deref()
                .map(|v| {
                    parse_when_in(v, now, report_zone())
                        .map_err(|e| Error::invalid(format!("--{flag}: {e}")))
                })
                .transpose()
        };
        let until = parse("until", &args.until)?;
        let since = parse("since", &args.since)?;
        let period = query::period(since, until, now).map_err(|empty| {
            Error::invalid(format!(
                "the period is empty: --since {} is not before --until {}",
                empty.since.to_short_in(report_zone(), true),
                empty.until.to_short_in(report_zone(), true)
            ))
        })?;
        let filter = args.filter.resolve(ctx, &store)?;
        let echo = FilterEcho::of(&filter);
        let format = args.format.unwrap_or(if output::stdout_is_terminal() {
            ReportFormat::Table
        } else {
            ReportFormat::Csv
        });
        Ok(Setup {
            store,
            options: ReportOptions { period, filter },
            echo,
            format,
        })
    }

    /// The table's first line: what, when, which tickets.
    fn header(&self, title: &str) -> String {
        let filters = self.echo.text();
        format!(
            "{title} · {} → {} · filters: {}\n",
            self.options.period.since.to_short_in(report_zone(), false),
            self.options.period.until.to_short_in(report_zone(), true),
            if filters.is_empty() { "none" } else { &filters }
        )
    }

    /// JSON: the report's name, the period, the filters, then `body`.
    fn json(&self, report: &str, body: impl Serialize) -> Result<()> {
        #[derive(Serialize)]
        struct Envelope<'a, T: Serialize> {
            report: &'a str,
            period: &'a report::Period,
            filters: &'a FilterEcho,
            #[serde(flatten)]
            body: T,
        }
        print(&output::json(&Envelope {
            report,
            period: &self.options.period,
            filters: &self.echo,
            body,
        })?)
    }

    /// CSV with `since`, `until` and `filters` leading every row.
    fn csv<R>(&self, columns: &Columns<'_, R>, rows: &[R]) -> Result<()> {
        let mut header = vec!["since", "until", "filters"];
        header.extend(columns.keys());
        let lead = [
            self.options.period.since.to_rfc3339(),
            self.options.period.until.to_rfc3339(),
            self.echo.text(),
        ];
        let rows: Vec<Vec<String>> = columns
            .values(rows)
            .into_iter()
            .map(|r| lead.iter().cloned().chain(r).collect())
            .collect();
        print(&output::csv(&header, &rows)?)
    }

    /// A page: `title`, the period and filters, then `body` (charts and
    /// tables, already HTML).
    fn html(&self, title: &str, body: &str) -> Result<()> {
        let filters = self.echo.text();
        let head = format!(
            "<h1>{}</h1>\n<p class=\"meta\" id=\"period\">{} → {} · filters: {}</p>\n",
            escape(title),
            escape(&self.options.period.since.to_short_in(report_zone(), false)),
            escape(&self.options.period.until.to_short_in(report_zone(), true)),
            escape(if filters.is_empty() { "none" } else { &filters })
        );
        print(&page(
            &format!("tix report: {title}"),
            Css::Inline,
            &format!("{head}{body}"),
        ))
    }

    /// The table under the header line.
    fn table<R>(&self, title: &str, columns: &Columns<'_, R>, rows: &[R]) -> Result<()> {
        print(&format!("{}{}", self.header(title), columns.table(rows)))
    }
}

// ---------------------------------------------------------------------------

fn summary(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let s = query::summary(&setup.store, &setup.options)?;
    let columns = summary_columns();
    match setup.format {
        ReportFormat::Json => setup.json("summary", &s),
        ReportFormat::Csv => setup.csv(&columns, std::slice::from_ref(&s)),
        ReportFormat::Table => print(&format!(
            "{}{}",
            setup.header("Summary"),
            columns.transposed(["Metric", "Value"], &s)
        )),
        ReportFormat::Html => {
            let d = query::distributions(&setup.store, &setup.options)?;
            setup.html(
                "Summary",
                &format!(
                    "{}<h2>Figures</h2>\n{}",
                    charts::summary(&s, &d),
                    columns.html_transposed(["Metric", "Value"], &s)
                ),
            )
        }
    }
}

fn summary_columns() -> Columns<'static, Summary> {
    let mut columns =
        Columns::new().both("created", "Created", |s: &Summary| s.created.to_string());
    for channel in Channel::ALL {
        columns = columns.both(
            format!("created_{channel}"),
            format!("  by {channel}"),
            move |s: &Summary| s.created_by_channel.get(channel).to_string(),
        );
    }
    columns = columns
        .both("resolved", "Resolved", |s| s.resolved.to_string())
        .both("reopened", "Reopened", |s| s.reopened.to_string())
        .both("backlog_total", "Backlog at the end", |s| {
            s.backlog.total.to_string()
        });
    for (i, (key, label)) in Ages::KEYS.iter().zip(Ages::LABELS).enumerate() {
        columns = columns.both(
            format!("backlog_{key}"),
            format!("  aged {label}"),
            move |s| s.backlog.ages.counts()[i].to_string(),
        );
    }
    columns
        .machine("first_response_tickets", |s| {
            s.first_response.tickets.to_string()
        })
        .machine("first_response_answered", |s| {
            s.first_response.answered.to_string()
        })
        .machine("first_response_unanswered", |s| {
            s.first_response.unanswered.to_string()
        })
        .seconds(
            "first_response_median_seconds",
            "First response, median",
            |s| s.first_response.median_seconds,
        )
        .seconds("first_response_mean_seconds", "First response, mean", |s| {
            s.first_response.mean_seconds
        })
        .shown("Unanswered", |s| {
            format!(
                "{} of {}",
                s.first_response.unanswered, s.first_response.tickets
            )
        })
        .both("resolution_tickets", "First closes in the period", |s| {
            s.resolution.tickets.to_string()
        })
        .seconds("resolution_median_seconds", "Resolution, median", |s| {
            s.resolution.median_seconds
        })
        .seconds("resolution_mean_seconds", "Resolution, mean", |s| {
            s.resolution.mean_seconds
        })
        .seconds(
            "resolution_median_seconds_excluding_waiting",
            "Resolution without pending/on-hold, median",
            |s| s.resolution.median_seconds_excluding_waiting,
        )
        .seconds(
            "resolution_mean_seconds_excluding_waiting",
            "Resolution without pending/on-hold, mean",
            |s| s.resolution.mean_seconds_excluding_waiting,
        )
        .machine("replies_count", |s| s.replies.count.to_string())
        .each(
            "replies_per_ticket",
            "Replies per ticket",
            |s| {
                s.replies
                    .per_ticket
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            },
            |s| {
                s.replies
                    .per_ticket
                    .map_or_else(|| "—".to_string(), |p| format!("{p:.2}"))
            },
        )
}

fn agents(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let rows = query::agents(&setup.store, &setup.options)?;
    let columns = Columns::new()
        .both("agent", "Agent", |r: &AgentRow| r.agent.clone())
        .both("assigned", "Assigned", |r| r.assigned.to_string())
        .both("closed", "Closed", |r| r.closed.to_string())
        .both("replies", "Replies", |r| r.replies.to_string())
        .both("notes", "Notes", |r| r.notes.to_string())
        .machine("first_responses", |r| r.first_responses.to_string())
        .seconds(
            "first_response_median_seconds",
            "First response (median)",
            |r| r.first_response_median_seconds,
        )
        .machine("responses", |r| r.responses.to_string())
        .seconds("response_median_seconds", "Response (median)", |r| {
            r.response_median_seconds
        })
        .both("open_now", "Open now", |r| r.open_now.to_string())
        .both("tasks_open", "Tasks open", |r| r.tasks_open.to_string())
        .both("tasks_done", "Tasks done", |r| r.tasks_done.to_string())
        .both("tasks_overdue", "Tasks overdue", |r| {
            r.tasks_overdue.to_string()
        })
        .both("csat_rated", "Rated", |r| r.csat_rated.to_string())
        .each(
            "csat_percent",
            "CSAT",
            |r| r.csat_percent.map(|p| p.to_string()).unwrap_or_default(),
            |r| {
                r.csat_percent
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "-".into())
            },
        );
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                agents: &'a [AgentRow],
            }
            setup.json("agents", Body { agents: &rows })
        }
        ReportFormat::Csv => setup.csv(&columns, &rows),
        ReportFormat::Table => setup.table("Agents", &columns, &rows),
        ReportFormat::Html => setup.html(
            "Agents",
            &format!(
                "{}<h2>Per agent</h2>\n{}",
                charts::agents(&rows),
                columns.html(&rows)
            ),
        ),
    }
}

fn trend(ctx: &Ctx, args: TrendArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args.report)?;
    let (by, name) = match args.by {
        TrendBy::Day => (Bucketing::Day, "day"),
        TrendBy::Week => (Bucketing::Week, "week"),
        TrendBy::Month => (Bucketing::Month, "month"),
    };
    let rows = query::trend(&setup.store, &setup.options, by)?;
    // Bars only for a person at a terminal; created and resolved share a
    // scale so they compare.
    let bars = setup.format == ReportFormat::Table && output::stdout_is_terminal();
    let flow_max = rows
        .iter()
        .map(|r| r.created.max(r.resolved))
        .max()
        .unwrap_or(0);
    let backlog_max = rows.iter().map(|r| r.backlog).max().unwrap_or(0);
    let digits = flow_max.max(backlog_max).to_string().len();
    let cell = move |n: usize, max: usize| {
        if bars {
            format!("{n:>digits$} {}", report::bar(n, max, BAR_WIDTH))
        } else {
            n.to_string()
        }
    };
    let columns = Columns::new()
        .both("bucket", "Bucket", |r: &TrendRow| r.bucket.clone())
        .machine("start", |r| r.start.to_rfc3339())
        .machine("end", |r| r.end.to_rfc3339())
        .each(
            "created",
            "Created",
            |r| r.created.to_string(),
            move |r| cell(r.created, flow_max),
        )
        .each(
            "resolved",
            "Resolved",
            |r| r.resolved.to_string(),
            move |r| cell(r.resolved, flow_max),
        )
        .both("reopened", "Reopened", |r| r.reopened.to_string())
        .each(
            "backlog",
            "Backlog",
            |r| r.backlog.to_string(),
            move |r| cell(r.backlog, backlog_max),
        );
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                by: &'a str,
                buckets: &'a [TrendRow],
            }
            setup.json(
                "trend",
                Body {
                    by: name,
                    buckets: &rows,
                },
            )
        }
        ReportFormat::Csv => setup.csv(&columns, &rows),
        ReportFormat::Table => setup.table(&format!("Trend by {name}"), &columns, &rows),
        ReportFormat::Html => setup.html(
            &format!("Trend by {name}"),
            &format!(
                "{}<h2>Per {name}</h2>\n{}",
                charts::trend(&rows),
                columns.html(&rows)
            ),
        ),
    }
}

fn breakdown(ctx: &Ctx, args: BreakdownArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args.report)?;
    let by = GroupBy::parse(&args.by).map_err(|e| Error::invalid(format!("--by: {e}")))?;
    let config = setup.store.config();
    if let Some(name) = query::undeclared_field(config, &by) {
        let known: Vec<&str> = config.fields.iter().map(|f| f.name.as_str()).collect();
        return Err(Error::invalid(format!(
            "--by field:{name}: no such field (declared fields: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    let rows = query::breakdown(&setup.store, &setup.options, &by)?;
    let name = by.name();
    let none_label = match by {
        GroupBy::Assignee => "(unassigned)",
        _ => "(none)",
    };
    let mut title = name.clone();
    if let Some(c) = title.get_mut(0..1) {
        c.make_ascii_uppercase();
    }
    let columns = Columns::new()
        .machine("by", |_: &GroupRow| name.clone())
        .each(
            "group",
            title.as_str(),
            |r| r.group.clone().unwrap_or_default(),
            |r| r.group.clone().unwrap_or_else(|| none_label.to_string()),
        )
        .both("created", "Created", |r| r.created.to_string())
        .both("resolved", "Resolved", |r| r.resolved.to_string())
        .both("open_now", "Open now", |r| r.open_now.to_string())
        .seconds(
            "first_response_median_seconds",
            "First response (median)",
            |r| r.first_response_median_seconds,
        )
        .seconds("resolution_median_seconds", "Resolution (median)", |r| {
            r.resolution_median_seconds
        });
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                by: String,
                groups: &'a [GroupRow],
            }
            setup.json(
                "breakdown",
                Body {
                    by: by.name(),
                    groups: &rows,
                },
            )
        }
        ReportFormat::Csv => setup.csv(&columns, &rows),
        ReportFormat::Table => setup.table(&format!("Breakdown by {name}"), &columns, &rows),
        ReportFormat::Html => setup.html(
            &format!("Breakdown by {name}"),
            &format!(
                "{}<h2>Per {name}</h2>\n{}",
                charts::breakdown(&rows, &name, none_label),
                columns.html(&rows)
            ),
        ),
    }
}

fn csat(ctx: &Ctx, args: CsatArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args.report)?;
    let by = args
        .by
        .as_deref()
        .map(CsatBy::parse)
        .transpose()
        .map_err(|e| Error::invalid(format!("--by: {e}")))?;
    let config = setup.store.config();
    if let Some(CsatBy::Field(name)) = &by
        && config.field(name).is_none()
    {
        let known: Vec<&str> = config.fields.iter().map(|f| f.name.as_str()).collect();
        return Err(Error::invalid(format!(
            "--by field:{name}: no such field (declared fields: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    let r = query::csat(&setup.store, &setup.options, by.as_ref())?;
    let name = match &by {
        Some(CsatBy::Agent) => "agent".to_string(),
        Some(CsatBy::Tag) => "tag".to_string(),
        Some(CsatBy::Field(n)) => format!("field:{n}"),
        None => "total".to_string(),
    };
    let percent = |p: Option<f64>| p.map(|p| format!("{p}")).unwrap_or_default();
    let shown = |p: Option<f64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "-".into());
    let columns = Columns::new()
        .machine("by", |_: &CsatRow| name.clone())
        .each(
            "group",
            "Group",
            |r| r.group.clone().unwrap_or_default(),
            |r| r.group.clone().unwrap_or_else(|| "(none)".to_string()),
        )
        .both("surveyed", "Surveyed", |r| r.surveyed.to_string())
        .both("rated", "Rated", |r| r.rated.to_string())
        .both("good", "Good", |r| r.good.to_string())
        .each(
            "score_percent",
            "CSAT",
            move |r| percent(r.score_percent),
            move |r| shown(r.score_percent),
        )
        .each(
            "response_rate_percent",
            "Response rate",
            move |r| percent(r.response_rate_percent),
            move |r| shown(r.response_rate_percent),
        );
    let rows: Vec<CsatRow> = if by.is_some() {
        r.groups.clone()
    } else {
        vec![r.total.clone()]
    };
    match setup.format {
        ReportFormat::Json => setup.json("csat", &r),
        ReportFormat::Csv => setup.csv(&columns, &rows),
        ReportFormat::Table => {
            let mut out = setup.header("CSAT");
            out.push_str(&format!(
                "CSAT {} of {} rated ({} surveyed, response rate {})\n",
                shown(r.total.score_percent),
                r.total.rated,
                r.total.surveyed,
                shown(r.total.response_rate_percent),
            ));
            if by.is_some() {
                out.push_str(&columns.table(&rows));
            }
            if !r.comments.is_empty() {
                let comments = Columns::new()
                    .shown("Ticket", |c: &CsatComment| c.ticket.to_string())
                    .shown("Answer", |c| c.answer.clone())
                    .shown("Agent", |c| c.agent.clone().unwrap_or_default())
                    .shown("Comment", |c| c.comment.replace('\n', " "));
                out.push_str(&comments.table(&r.comments));
            }
            print(&out)
        }
        ReportFormat::Html => {
            let mut body = format!(
                "<p id=\"csat-total\">CSAT {} of {} rated ({} surveyed, response rate {})</p>\n{}",
                escape(&shown(r.total.score_percent)),
                r.total.rated,
                r.total.surveyed,
                escape(&shown(r.total.response_rate_percent)),
                charts::csat(&rows, &name),
            );
            if by.is_some() {
                body.push_str(&format!(
                    "<h2>Per {}</h2>\n{}",
                    escape(&name),
                    columns.html(&rows)
                ));
            }
            if !r.comments.is_empty() {
                let comments = Columns::new()
                    .shown("Ticket", |c: &CsatComment| c.ticket.to_string())
                    .shown("Answer", |c| c.answer.clone())
                    .shown("Agent", |c| c.agent.clone().unwrap_or_default())
                    .shown("Comment", |c| c.comment.clone());
                body.push_str(&format!(
                    "<h2>Comments</h2>\n{}",
                    comments.html(&r.comments)
                ));
            }
            setup.html("CSAT", &body)
        }
    }
}

fn sla(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let r = query::sla(&setup.store, &setup.options)?;
    let agent = |a: &Option<String>| a.clone().unwrap_or_else(|| "(unassigned)".to_string());
    let breaches = Columns::new()
        .both("id", "ID", |b: &Breach| b.id.to_string())
        .machine("subject", |b| b.subject.clone())
        .both("priority", "Priority", |b| b.priority.to_string())
        .each(
            "target",
            "Target",
            |b| b.target.key().to_string(),
            |b| b.target.key().replace('_', " "),
        )
        .each(
            "target_seconds",
            "Limit",
            |b| b.target_seconds.to_string(),
            |b| human(b.target_seconds),
        )
        .each(
            "elapsed_seconds",
            "Elapsed",
            |b| b.elapsed_seconds.to_string(),
            |b| human(b.elapsed_seconds),
        )
        .both("state", "State", |b| b.state.as_str().to_string())
        .machine("deadline", |b| b.deadline.to_rfc3339())
        .each(
            "agent",
            "Agent",
            |b| b.agent.clone().unwrap_or_default(),
            move |b| agent(&b.agent),
        )
        .shown("Subject", |b| b.subject.clone());
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct TargetEcho {
                first_response_seconds: Option<i64>,
                resolution_seconds: Option<i64>,
            }
            let targets: BTreeMap<Priority, TargetEcho> = Priority::ALL
                .iter()
                .filter_map(|p| {
                    let (fr, res) = setup.store.config().sla.seconds(*p);
                    (fr.is_some() || res.is_some()).then_some((
                        *p,
                        TargetEcho {
                            first_response_seconds: fr,
                            resolution_seconds: res,
                        },
                    ))
                })
                .collect();
            #[derive(Serialize)]
            struct Body<'a> {
                targets: &'a BTreeMap<Priority, TargetEcho>,
                #[serde(flatten)]
                report: &'a report::SlaReport,
            }
            setup.json(
                "sla",
                Body {
                    targets: &targets,
                    report: &r,
                },
            )
        }
        ReportFormat::Csv => setup.csv(&breaches, &r.breaches),
        ReportFormat::Table | ReportFormat::Html => {
            let counts = Columns::new()
                .shown("Target", |(name, _): &(&str, &SlaCounts)| name.to_string())
                .shown("Measured", |(_, c)| c.measured.to_string())
                .shown("Met", |(_, c)| c.met.to_string())
                .shown("Breached", |(_, c)| c.breached.to_string())
                .shown("Overdue", |(_, c)| c.overdue.to_string())
                .shown("Running", |(_, c)| c.running.to_string());
            let count_rows = [
                ("First response", &r.first_response),
                ("Resolution", &r.resolution),
            ];
            let agents = Columns::new()
                .shown("Agent", |a: &SlaAgent| agent(&a.agent))
                .shown("First response breaches", |a| a.first_response.to_string())
                .shown("Resolution breaches", |a| a.resolution.to_string());
            if setup.format == ReportFormat::Html {
                let mut body = charts::sla(&r);
                body.push_str("<h2>Targets</h2>\n");
                body.push_str(&counts.html(&count_rows));
                body.push_str("<h2>Breaches</h2>\n");
                if r.breaches.is_empty() {
                    body.push_str("<p>No breaches.</p>\n");
                } else {
                    body.push_str(&agents.html(&r.agents));
                    body.push_str(&breaches.html(&r.breaches));
                }
                return setup.html("SLA", &body);
            }
            let mut out = setup.header("SLA");
            out.push_str(&counts.table(&count_rows));
            if r.breaches.is_empty() {
                out.push_str("No breaches.\n");
            } else {
                out.push_str(&agents.table(&r.agents));
                out.push_str(&breaches.table(&r.breaches));
            }
            print(&out)
        }
    }
}

fn dashboard(ctx: &Ctx, mut args: ReportArgs) -> Result<()> {
    // A page, whatever the terminal: html unless json is asked for.
    let format = args.format.take().unwrap_or(ReportFormat::Html);
    if matches!(format, ReportFormat::Table | ReportFormat::Csv) {
        return Err(Error::new(
            ErrorKind::Usage,
            "the dashboard is a page: --format html or json (the tables are `tix report summary` and `tix report agents`)",
        ));
    }
    args.format = Some(format);
    let setup = Setup::new(ctx, &args)?;
    let d = query::dashboard(&setup.store, &setup.options)?;
    if format == ReportFormat::Json {
        return setup.json("dashboard", &d);
    }
    let columns = Columns::new()
        .both("agent", "Agent", |r: &AgentRow| r.agent.clone())
        .both("open_now", "Load (open now)", |r| r.open_now.to_string())
        .both("replies", "Replies", |r| r.replies.to_string())
        .seconds("response_median_seconds", "Response (median)", |r| {
            r.response_median_seconds
        })
        .seconds(
            "first_response_median_seconds",
            "First response (median)",
            |r| r.first_response_median_seconds,
        )
        .both("closed", "Closed", |r| r.closed.to_string());
    setup.html(
        "Dashboard",
        &format!(
            "{}<h2>Per agent</h2>\n{}",
            charts::dashboard(&d.summary, &d.agents),
            columns.html(&d.agents)
        ),
    )
}
