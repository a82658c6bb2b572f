//! The charts of `tix report … --format html`, one function per report,
//! from the report's own rows; the tables under them are the report's
//! declared columns (the binary's `ui::columns`). A new report's chart is
//! one more function here over its rows, calling [`chart::bars`] or
//! [`chart::lines`].

use super::chart::{bars, lines};
use super::html;
use crate::report::{
    AgentRow, Ages, CsatRow, Distributions, GroupRow, SlaReport, Summary, TIME_RANGES, TrendRow,
    human,
};

fn count(v: f64) -> String {
    format!("{}", v as i64)
}

fn hours(v: f64) -> String {
    human(v.round() as i64)
}

fn ranges(counts: &[usize; 6]) -> Vec<(String, f64)> {
    TIME_RANGES
        .iter()
        .zip(counts)
        .map(|((label, _), n)| (label.to_string(), *n as f64))
        .collect()
}

/// Backlog by age, created by channel, and how first-response and
/// resolution times spread.
pub fn summary(s: &Summary, d: &Distributions) -> String {
    let ages: Vec<(String, f64)> = Ages::LABELS
        .iter()
        .zip(s.backlog.ages.counts())
        .map(|(l, n)| (l.to_string(), n as f64))
        .collect();
    let channels: Vec<(String, f64)> = crate::domain::Channel::ALL
        .iter()
        .map(|c| (c.to_string(), s.created_by_channel.get(*c) as f64))
        .collect();
    let mut out = String::new();
    out.push_str(&html::figures(&[
        ("Created".into(), s.created.to_string()),
        ("Resolved".into(), s.resolved.to_string()),
        ("Backlog at the end".into(), s.backlog.total.to_string()),
        (
            "First response, median".into(),
            s.first_response.median_seconds.map_or("—".into(), human),
        ),
        (
            "Resolution, median".into(),
            s.resolution.median_seconds.map_or("—".into(), human),
        ),
    ]));
    out.push_str(&bars(
        "first-response-distribution",
        "First response times (tickets created in the period)",
        &ranges(&d.first_response),
        &count,
    ));
    out.push_str(&bars(
        "resolution-distribution",
        "Resolution times (tickets first closed in the period)",
        &ranges(&d.resolution),
        &count,
    ));
    out.push_str(&bars(
        "backlog-ages",
        "Backlog at the end of the period, by age",
        &ages,
        &count,
    ));
    out.push_str(&bars(
        "created-by-channel",
        "Created, by channel",
        &channels,
        &count,
    ));
    out
}

fn per_agent(rows: &[AgentRow], value: impl Fn(&AgentRow) -> Option<f64>) -> Vec<(String, f64)> {
    rows.iter()
        .map(|r| (r.agent.clone(), value(r).unwrap_or(0.0)))
        .collect()
}

/// Replies, closes, open load and response time per agent.
pub fn agents(rows: &[AgentRow]) -> String {
    let mut out = String::new();
    out.push_str(&bars(
        "replies-per-agent",
        "Replies per agent",
        &per_agent(rows, |r| Some(r.replies as f64)),
        &count,
    ));
    out.push_str(&bars(
        "closed-per-agent",
        "Closed per agent",
        &per_agent(rows, |r| Some(r.closed as f64)),
        &count,
    ));
    out.push_str(&bars(
        "load-per-agent",
        "Open tickets per agent now",
        &per_agent(rows, |r| Some(r.open_now as f64)),
        &count,
    ));
    out.push_str(&bars(
        "response-per-agent",
        "Response time per agent (median)",
        &per_agent(rows, |r| r.response_median_seconds.map(|s| s as f64)),
        &hours,
    ));
    out
}

/// Created, resolved and backlog over the buckets.
pub fn trend(rows: &[TrendRow]) -> String {
    let x: Vec<String> = rows.iter().map(|r| r.bucket.clone()).collect();
    let series = |f: fn(&TrendRow) -> usize| rows.iter().map(|r| f(r) as f64).collect();
    lines(
        "trend",
        "Volume and backlog over time",
        &x,
        &[
            ("created".into(), series(|r| r.created)),
            ("resolved".into(), series(|r| r.resolved)),
            ("backlog".into(), series(|r| r.backlog)),
        ],
    )
}

/// Created and open now per group.
pub fn breakdown(rows: &[GroupRow], by: &str, none: &str) -> String {
    let group = |r: &GroupRow| r.group.clone().unwrap_or_else(|| none.to_string());
    let created: Vec<(String, f64)> = rows.iter().map(|r| (group(r), r.created as f64)).collect();
    let open: Vec<(String, f64)> = rows.iter().map(|r| (group(r), r.open_now as f64)).collect();
    let mut out = bars(
        "created-per-group",
        &format!("Created, by {by}"),
        &created,
        &count,
    );
    out.push_str(&bars(
        "open-per-group",
        &format!("Open now, by {by}"),
        &open,
        &count,
    ));
    out
}

/// The CSAT score (good over rated, in percent) per group, and how many
/// answered; `rows` are the groups, or the total alone.
pub fn csat(rows: &[CsatRow], by: &str) -> String {
    let group = |r: &CsatRow| r.group.clone().unwrap_or_else(|| by.to_string());
    let score: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|r| r.score_percent.map(|p| (group(r), p)))
        .collect();
    let rated: Vec<(String, f64)> = rows.iter().map(|r| (group(r), r.rated as f64)).collect();
    let mut out = bars(
        "csat-score",
        &format!("CSAT (good of rated, %), by {by}"),
        &score,
        &|v| format!("{v:.1}%"),
    );
    out.push_str(&bars(
        "csat-rated",
        &format!("Ratings, by {by}"),
        &rated,
        &count,
    ));
    out
}

/// Met, breached and overdue per target, and breaches per agent.
pub fn sla(r: &SlaReport) -> String {
    let targets = [
        ("First response", &r.first_response),
        ("Resolution", &r.resolution),
    ];
    let mut standing = Vec::new();
    for (name, c) in targets {
        standing.push((format!("{name}: met"), c.met as f64));
        standing.push((format!("{name}: breached"), c.breached as f64));
        standing.push((format!("{name}: overdue"), c.overdue as f64));
    }
    let mut out = bars(
        "sla-standing",
        "SLA targets in the period",
        &standing,
        &count,
    );
    let per_agent: Vec<(String, f64)> = r
        .agents
        .iter()
        .map(|a| {
            (
                a.agent.clone().unwrap_or_else(|| "(unassigned)".into()),
                (a.first_response + a.resolution) as f64,
            )
        })
        .collect();
    out.push_str(&bars(
        "sla-breaches-per-agent",
        "SLA breaches per agent",
        &per_agent,
        &count,
    ));
    out
}

/// The key figures: the backlog waiting, what was handled, the average
/// first response, and per agent the load, the replies and the speed.
pub fn dashboard(s: &Summary, agents: &[AgentRow]) -> String {
    let mut out = html::figures(&[
        ("Pending backlog".into(), s.backlog.total.to_string()),
        ("Handled (resolved)".into(), s.resolved.to_string()),
        (
            "Average first response".into(),
            s.first_response.mean_seconds.map_or("—".into(), human),
        ),
        ("Created".into(), s.created.to_string()),
        ("Replies".into(), s.replies.count.to_string()),
    ]);
    out.push_str(&bars(
        "load-per-agent",
        "Load per agent (open tickets assigned now)",
        &per_agent(agents, |r| Some(r.open_now as f64)),
        &count,
    ));
    out.push_str(&bars(
        "replies-per-agent",
        "Replies per agent",
        &per_agent(agents, |r| Some(r.replies as f64)),
        &count,
    ));
    out.push_str(&bars(
        "response-per-agent",
        "Response speed per agent (median time to answer)",
        &per_agent(agents, |r| r.response_median_seconds.map(|s| s as f64)),
        &hours,
    ));
    out
}
