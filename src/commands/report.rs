//! `tix report summary|agents|trend|breakdown|sla`: service metrics over a
//! period, computed by [`tix_core::report`] from the facts in the derived
//! index (no entry is read), for the tickets the filters keep.
//!
//! Every output echoes the period and the filters: a header line in a
//! table, `period` and `filters` objects in JSON, and `since`, `until` and
//! `filters` columns in CSV.

use std::collections::BTreeMap;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::ui::output::{self, print, warn};
use tix_core::domain::time::{parse_when_in, report_zone};
use tix_core::domain::{Config, FieldValue, Priority, Status, TicketFacts, Timestamp};
use tix_core::error::{Error, Result};
use tix_core::ops;
use tix_core::report::{self, Ages, Bucketing, GroupBy, Period, human};
use tix_core::store::{Store, TicketIndex};

use super::prelude::{Ctx, Filter, TicketFilterArgs};

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
    /// Group by status, priority, tag, assignee, domain (the customer's) or
    /// field:NAME (a custom field)
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
}

/// The default period: this long before its end.
const DEFAULT_DAYS: i64 = 30;
/// Width of the trend bars, in cells.
const BAR_WIDTH: usize = 12;

pub fn cmd_report(ctx: &Ctx, cmd: ReportCommand) -> Result<()> {
    match cmd {
        ReportCommand::Summary(args) => summary(ctx, args),
        ReportCommand::Agents(args) => agents(ctx, args),
        ReportCommand::Trend(args) => trend(ctx, args),
        ReportCommand::Breakdown(args) => breakdown(ctx, args),
        ReportCommand::Sla(args) => sla(ctx, args),
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
        parts.join(" ")
    }
}

/// What every report starts from.
struct Setup {
    store: Store,
    period: Period,
    filter: Filter,
    echo: FilterEcho,
    format: ReportFormat,
}

impl Setup {
    fn new(ctx: &Ctx, args: &ReportArgs) -> Result<Setup> {
        let store = ctx.store()?;
        let now = ops::now()?;
        let parse = |flag: &str, v: &str| {
            parse_when_in(v, now, report_zone())
                .map_err(|e| Error::invalid(format!("--{flag}: {e}")))
        };
        let until = match &args.until {
            Some(v) => parse("until", v)?,
            None => now,
        };
        let since = match &args.since {
            Some(v) => parse("since", v)?,
            None => Timestamp::new(until.datetime() - chrono::TimeDelta::days(DEFAULT_DAYS)),
        };
        if since >= until {
            return Err(Error::invalid(format!(
                "the period is empty: --since {} is not before --until {}",
                since.to_short_in(report_zone(), true),
                until.to_short_in(report_zone(), true)
            )));
        }
        let filter = Filter::from_args(ctx, &store, &args.filter)?;
        let echo = FilterEcho::of(&filter);
        let format = args.format.unwrap_or(if output::stdout_is_terminal() {
            ReportFormat::Table
        } else {
            ReportFormat::Csv
        });
        Ok(Setup {
            store,
            period: Period { since, until },
            filter,
            echo,
            format,
        })
    }

    fn index(&self) -> Result<TicketIndex> {
        self.store.index()
    }

    /// The facts of the tickets the filters keep.
    fn select(&self, index: &TicketIndex) -> Result<Vec<TicketFacts>> {
        let mut problems = 0;
        let kept = index
            .tickets()
            .filter(|t| {
                problems += t.problems.len();
                self.filter.matches(&t.ticket, Vec::new)
            })
            .map(|t| t.facts())
            .collect::<Result<Vec<_>>>()?;
        if problems > 0 {
            warn(&format!(
                "{problems} unreadable entry file(s) left out of the report; `tix check` lists them"
            ));
        }
        Ok(kept)
    }

    fn config(&self) -> &Config {
        self.store.config()
    }

    /// The table's first line: what, when, which tickets.
    fn header(&self, title: &str) -> String {
        let filters = self.echo.text();
        format!(
            "{title} · {} → {} · filters: {}\n",
            self.period.since.to_short_in(report_zone(), false),
            self.period.until.to_short_in(report_zone(), true),
            if filters.is_empty() { "none" } else { &filters }
        )
    }

    /// JSON: the report's name, the period, the filters, then `body`.
    fn json(&self, report: &str, body: impl Serialize) -> Result<()> {
        #[derive(Serialize)]
        struct Envelope<'a, T: Serialize> {
            report: &'a str,
            period: &'a Period,
            filters: &'a FilterEcho,
            #[serde(flatten)]
            body: T,
        }
        print(&output::json(&Envelope {
            report,
            period: &self.period,
            filters: &self.echo,
            body,
        })?)
    }

    /// CSV with `since`, `until` and `filters` leading every row.
    fn csv(&self, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
        let mut full_header = vec!["since", "until", "filters"];
        full_header.extend_from_slice(header);
        let lead = [
            self.period.since.to_rfc3339(),
            self.period.until.to_rfc3339(),
            self.echo.text(),
        ];
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|r| lead.iter().cloned().chain(r).collect())
            .collect();
        print(&output::csv(&full_header, &rows)?)
    }
}

fn secs(v: Option<i64>) -> String {
    v.map(|s| s.to_string()).unwrap_or_default()
}

fn duration(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_string(), human)
}

// ---------------------------------------------------------------------------

fn summary(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let index = setup.index()?;
    let facts = setup.select(&index)?;
    let s = report::summary(&facts.iter().collect::<Vec<_>>(), &setup.period);
    forget_index(index, facts);
    let fr = &s.first_response;
    let res = &s.resolution;
    match setup.format {
        ReportFormat::Json => setup.json("summary", &s),
        ReportFormat::Csv => {
            let mut header = vec!["created", "resolved", "reopened", "backlog_total"];
            let age_keys: Vec<String> = Ages::KEYS.iter().map(|k| format!("backlog_{k}")).collect();
            header.extend(age_keys.iter().map(String::as_str));
            header.extend([
                "first_response_tickets",
                "first_response_answered",
                "first_response_unanswered",
                "first_response_median_seconds",
                "first_response_mean_seconds",
                "resolution_tickets",
                "resolution_median_seconds",
                "resolution_mean_seconds",
                "resolution_median_seconds_excluding_waiting",
                "resolution_mean_seconds_excluding_waiting",
                "replies_count",
                "replies_per_ticket",
            ]);
            let mut row = vec![
                s.created.to_string(),
                s.resolved.to_string(),
                s.reopened.to_string(),
                s.backlog.total.to_string(),
            ];
            row.extend(s.backlog.ages.counts().iter().map(|n| n.to_string()));
            row.extend([
                fr.tickets.to_string(),
                fr.answered.to_string(),
                fr.unanswered.to_string(),
                secs(fr.median_seconds),
                secs(fr.mean_seconds),
                res.tickets.to_string(),
                secs(res.median_seconds),
                secs(res.mean_seconds),
                secs(res.median_seconds_excluding_waiting),
                secs(res.mean_seconds_excluding_waiting),
                s.replies.count.to_string(),
                s.replies
                    .per_ticket
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ]);
            setup.csv(&header, vec![row])
        }
        ReportFormat::Table => {
            let row = |k: &str, v: String| vec![k.to_string(), v];
            let mut rows = vec![
                row("Created", s.created.to_string()),
                row("Resolved", s.resolved.to_string()),
                row("Reopened", s.reopened.to_string()),
                row("Backlog at the end", s.backlog.total.to_string()),
            ];
            for (label, n) in Ages::LABELS.iter().zip(s.backlog.ages.counts()) {
                rows.push(row(&format!("  aged {label}"), n.to_string()));
            }
            rows.extend([
                row("First response, median", duration(fr.median_seconds)),
                row("First response, mean", duration(fr.mean_seconds)),
                row("Unanswered", format!("{} of {}", fr.unanswered, fr.tickets)),
                row("First closes in the period", res.tickets.to_string()),
                row("Resolution, median", duration(res.median_seconds)),
                row("Resolution, mean", duration(res.mean_seconds)),
                row(
                    "Resolution without pending/on-hold, median",
                    duration(res.median_seconds_excluding_waiting),
                ),
                row(
                    "Resolution without pending/on-hold, mean",
                    duration(res.mean_seconds_excluding_waiting),
                ),
                row(
                    "Replies per ticket",
                    s.replies
                        .per_ticket
                        .map_or_else(|| "—".to_string(), |p| format!("{p:.2}")),
                ),
            ]);
            print(&format!(
                "{}{}",
                setup.header("Summary"),
                output::table(&["Metric", "Value"], &rows)
            ))
        }
    }
}

fn agents(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let index = setup.index()?;
    let facts = setup.select(&index)?;
    let known: Vec<String> = setup
        .config()
        .agents
        .iter()
        .map(|a| a.handle.clone())
        .collect();
    let rows = report::agents(&facts.iter().collect::<Vec<_>>(), &setup.period, &known);
    forget_index(index, facts);
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                agents: &'a [report::AgentRow],
            }
            setup.json("agents", Body { agents: &rows })
        }
        ReportFormat::Csv => setup.csv(
            &[
                "agent",
                "assigned",
                "closed",
                "replies",
                "notes",
                "first_responses",
                "first_response_median_seconds",
                "responses",
                "response_median_seconds",
                "open_now",
            ],
            rows.iter()
                .map(|r| {
                    vec![
                        r.agent.clone(),
                        r.assigned.to_string(),
                        r.closed.to_string(),
                        r.replies.to_string(),
                        r.notes.to_string(),
                        r.first_responses.to_string(),
                        secs(r.first_response_median_seconds),
                        r.responses.to_string(),
                        secs(r.response_median_seconds),
                        r.open_now.to_string(),
                    ]
                })
                .collect(),
        ),
        ReportFormat::Table => {
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.agent.clone(),
                        r.assigned.to_string(),
                        r.closed.to_string(),
                        r.replies.to_string(),
                        r.notes.to_string(),
                        duration(r.first_response_median_seconds),
                        duration(r.response_median_seconds),
                        r.open_now.to_string(),
                    ]
                })
                .collect();
            print(&format!(
                "{}{}",
                setup.header("Agents"),
                output::table(
                    &[
                        "Agent",
                        "Assigned",
                        "Closed",
                        "Replies",
                        "Notes",
                        "First response (median)",
                        "Response (median)",
                        "Open now",
                    ],
                    &table_rows
                )
            ))
        }
    }
}

fn trend(ctx: &Ctx, args: TrendArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args.report)?;
    let index = setup.index()?;
    let facts = setup.select(&index)?;
    let (by, name) = match args.by {
        TrendBy::Day => (Bucketing::Day, "day"),
        TrendBy::Week => (Bucketing::Week, "week"),
        TrendBy::Month => (Bucketing::Month, "month"),
    };
    let rows = report::trend(&facts.iter().collect::<Vec<_>>(), &setup.period, by);
    forget_index(index, facts);
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                by: &'a str,
                buckets: &'a [report::TrendRow],
            }
            setup.json(
                "trend",
                Body {
                    by: name,
                    buckets: &rows,
                },
            )
        }
        ReportFormat::Csv => setup.csv(
            &[
                "bucket", "start", "end", "created", "resolved", "reopened", "backlog",
            ],
            rows.iter()
                .map(|r| {
                    vec![
                        r.bucket.clone(),
                        r.start.to_rfc3339(),
                        r.end.to_rfc3339(),
                        r.created.to_string(),
                        r.resolved.to_string(),
                        r.reopened.to_string(),
                        r.backlog.to_string(),
                    ]
                })
                .collect(),
        ),
        ReportFormat::Table => {
            // Bars only for a person at a terminal; created and resolved
            // share a scale so they compare.
            let bars = output::stdout_is_terminal();
            let flow_max = rows
                .iter()
                .map(|r| r.created.max(r.resolved))
                .max()
                .unwrap_or(0);
            let backlog_max = rows.iter().map(|r| r.backlog).max().unwrap_or(0);
            let digits = flow_max.max(backlog_max).to_string().len();
            let cell = |n: usize, max: usize| {
                if bars {
                    format!("{n:>digits$} {}", report::bar(n, max, BAR_WIDTH))
                } else {
                    n.to_string()
                }
            };
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.bucket.clone(),
                        cell(r.created, flow_max),
                        cell(r.resolved, flow_max),
                        r.reopened.to_string(),
                        cell(r.backlog, backlog_max),
                    ]
                })
                .collect();
            print(&format!(
                "{}{}",
                setup.header(&format!("Trend by {name}")),
                output::table(
                    &["Bucket", "Created", "Resolved", "Reopened", "Backlog"],
                    &table_rows
                )
            ))
        }
    }
}

fn breakdown(ctx: &Ctx, args: BreakdownArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args.report)?;
    let by = GroupBy::parse(&args.by).map_err(|e| Error::invalid(format!("--by: {e}")))?;
    if let GroupBy::Field(name) = &by
        && setup.config().field(name).is_none()
    {
        let known: Vec<&str> = setup
            .config()
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        return Err(Error::invalid(format!(
            "--by field:{name}: no such field (declared fields: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    let index = setup.index()?;
    let facts = setup.select(&index)?;
    let rows = report::breakdown(&facts.iter().collect::<Vec<_>>(), &setup.period, &by);
    forget_index(index, facts);
    let none_label = match by {
        GroupBy::Assignee => "(unassigned)",
        _ => "(none)",
    };
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                by: String,
                groups: &'a [report::GroupRow],
            }
            setup.json(
                "breakdown",
                Body {
                    by: by.name(),
                    groups: &rows,
                },
            )
        }
        ReportFormat::Csv => setup.csv(
            &[
                "by",
                "group",
                "created",
                "resolved",
                "open_now",
                "first_response_median_seconds",
                "resolution_median_seconds",
            ],
            rows.iter()
                .map(|r| {
                    vec![
                        by.name(),
                        r.group.clone().unwrap_or_default(),
                        r.created.to_string(),
                        r.resolved.to_string(),
                        r.open_now.to_string(),
                        secs(r.first_response_median_seconds),
                        secs(r.resolution_median_seconds),
                    ]
                })
                .collect(),
        ),
        ReportFormat::Table => {
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.group.clone().unwrap_or_else(|| none_label.to_string()),
                        r.created.to_string(),
                        r.resolved.to_string(),
                        r.open_now.to_string(),
                        duration(r.first_response_median_seconds),
                        duration(r.resolution_median_seconds),
                    ]
                })
                .collect();
            let title = by.name();
            let mut first = title.clone();
            if let Some(c) = first.get_mut(0..1) {
                c.make_ascii_uppercase();
            }
            print(&format!(
                "{}{}",
                setup.header(&format!("Breakdown by {title}")),
                output::table(
                    &[
                        &first,
                        "Created",
                        "Resolved",
                        "Open now",
                        "First response (median)",
                        "Resolution (median)",
                    ],
                    &table_rows
                )
            ))
        }
    }
}

fn sla(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let setup = Setup::new(ctx, &args)?;
    let targets = &setup.config().sla;
    #[derive(Serialize)]
    struct TargetEcho {
        first_response_seconds: Option<i64>,
        resolution_seconds: Option<i64>,
    }
    let echo: BTreeMap<Priority, TargetEcho> = Priority::ALL
        .iter()
        .filter_map(|p| {
            let (fr, res) = targets.seconds(*p);
            (fr.is_some() || res.is_some()).then_some((
                *p,
                TargetEcho {
                    first_response_seconds: fr,
                    resolution_seconds: res,
                },
            ))
        })
        .collect();
    if echo.is_empty() {
        warn("no SLA targets: add an `sla` section to .tix/config.yaml (see docs/reports.md)");
    }
    let index = setup.index()?;
    let facts = setup.select(&index)?;
    let r = report::sla(&facts.iter().collect::<Vec<_>>(), &setup.period, targets);
    forget_index(index, facts);
    let agent = |a: &Option<String>| a.clone().unwrap_or_else(|| "(unassigned)".to_string());
    match setup.format {
        ReportFormat::Json => {
            #[derive(Serialize)]
            struct Body<'a> {
                targets: &'a BTreeMap<Priority, TargetEcho>,
                #[serde(flatten)]
                report: &'a report::SlaReport,
            }
            setup.json(
                "sla",
                Body {
                    targets: &echo,
                    report: &r,
                },
            )
        }
        ReportFormat::Csv => setup.csv(
            &[
                "id",
                "subject",
                "priority",
                "target",
                "target_seconds",
                "elapsed_seconds",
                "state",
                "deadline",
                "agent",
            ],
            r.breaches
                .iter()
                .map(|b| {
                    vec![
                        b.id.to_string(),
                        b.subject.clone(),
                        b.priority.to_string(),
                        b.target.key().to_string(),
                        b.target_seconds.to_string(),
                        b.elapsed_seconds.to_string(),
                        b.state.as_str().to_string(),
                        b.deadline.to_rfc3339(),
                        b.agent.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        ReportFormat::Table => {
            let counts = |name: &str, c: &report::SlaCounts| {
                vec![
                    name.to_string(),
                    c.measured.to_string(),
                    c.met.to_string(),
                    c.breached.to_string(),
                    c.overdue.to_string(),
                    c.running.to_string(),
                ]
            };
            let mut out = setup.header("SLA");
            out.push_str(&output::table(
                &[
                    "Target", "Measured", "Met", "Breached", "Overdue", "Running",
                ],
                &[
                    counts("First response", &r.first_response),
                    counts("Resolution", &r.resolution),
                ],
            ));
            if r.breaches.is_empty() {
                out.push_str("No breaches.\n");
            } else {
                out.push_str(&output::table(
                    &["Agent", "First response breaches", "Resolution breaches"],
                    &r.agents
                        .iter()
                        .map(|a| {
                            vec![
                                agent(&a.agent),
                                a.first_response.to_string(),
                                a.resolution.to_string(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                ));
                out.push_str(&output::table(
                    &[
                        "ID", "Priority", "Target", "Limit", "Elapsed", "State", "Agent", "Subject",
                    ],
                    &r.breaches
                        .iter()
                        .map(|b| {
                            vec![
                                b.id.to_string(),
                                b.priority.to_string(),
                                b.target.key().replace('_', " "),
                                human(b.target_seconds),
                                human(b.elapsed_seconds),
                                b.state.as_str().to_string(),
                                agent(&b.agent),
                                b.subject.clone(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                ));
            }
            print(&out)
        }
    }
}

/// A report ends the process right after printing; freeing every ticket
/// and fact one by one would only cost time.
fn forget_index(index: TicketIndex, facts: Vec<TicketFacts>) {
    std::mem::forget(index);
    std::mem::forget(facts);
}
