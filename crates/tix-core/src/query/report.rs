//! `tix report` as a query: the tickets a report's filters keep, and the
//! computation of [`crate::report`] over their facts in a period.

use crate::domain::{Config, Priority, TicketFacts, Timestamp};
use crate::error::Result;
use crate::report::{
    self, AgentRow, Bucketing, CsatBy, CsatReport, Distributions, GroupBy, GroupRow, Period,
    SlaReport, Summary, TrendRow,
};
use crate::store::{ListRow, Store, Within};
use crate::warnings::warn;

use super::Filter;

/// The period when none is given: this long before its end.
const DEFAULT_DAYS: i64 = 30;

/// What every report is computed over.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub period: Period,
    pub filter: Filter,
}

/// A period that ends before it starts, or when it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmptyPeriod {
    pub since: Timestamp,
    pub until: Timestamp,
}

/// The period from `since` (default: 30 days before its end) to `until`
/// (default: `now`), refused when empty.
pub fn period(
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    now: Timestamp,
) -> std::result::Result<Period, EmptyPeriod> {
    let until = until.unwrap_or(now);
    let since = since.unwrap_or_else(|| {
        Timestamp::new(until.datetime() - chrono::TimeDelta::days(DEFAULT_DAYS))
    });
    if since >= until {
        return Err(EmptyPeriod { since, until });
    }
    Ok(Period { since, until })
}

/// What `tix report summary --format html` draws besides the summary:
/// how its times spread.
pub fn distributions(store: &Store, options: &ReportOptions) -> Result<Distributions> {
    over_facts(store, &options.filter, &options.period, false, |facts| {
        report::distributions(facts, &options.period)
    })
}

/// The key figures of `tix report dashboard`: the summary and the
/// per-agent rows of the same tickets and period.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Dashboard {
    pub summary: Summary,
    pub agents: Vec<AgentRow>,
}

pub fn dashboard(store: &Store, options: &ReportOptions) -> Result<Dashboard> {
    Ok(Dashboard {
        summary: summary(store, options)?,
        agents: agents(store, options)?,
    })
}

pub fn summary(store: &Store, options: &ReportOptions) -> Result<Summary> {
    over_facts(store, &options.filter, &options.period, false, |facts| {
        report::summary(facts, &options.period)
    })
}

/// Per agent, the declared agents first.
pub fn agents(store: &Store, options: &ReportOptions) -> Result<Vec<AgentRow>> {
    let known: Vec<String> = store
        .config()
        .agents
        .iter()
        .map(|a| a.handle.clone())
        .collect();
    over_facts(store, &options.filter, &options.period, true, |facts| {
        report::agents(facts, &options.period, &known)
    })
}

pub fn trend(store: &Store, options: &ReportOptions, by: Bucketing) -> Result<Vec<TrendRow>> {
    over_facts(store, &options.filter, &options.period, false, |facts| {
        report::trend(facts, &options.period, by)
    })
}

/// By a custom field the config declares (see [`undeclared_field`]).
pub fn breakdown(store: &Store, options: &ReportOptions, by: &GroupBy) -> Result<Vec<GroupRow>> {
    over_facts(store, &options.filter, &options.period, true, |facts| {
        report::breakdown(facts, &options.period, by)
    })
}

/// CSAT of the tickets surveyed in the period (see [`report::csat`]).
pub fn csat(store: &Store, options: &ReportOptions, by: Option<&CsatBy>) -> Result<CsatReport> {
    over_facts(store, &options.filter, &options.period, false, |facts| {
        report::csat(facts, &options.period, by)
    })
}

/// The field a breakdown groups by when the config does not declare it:
/// a typo, not a grouping with one empty group.
pub fn undeclared_field<'b>(config: &Config, by: &'b GroupBy) -> Option<&'b str> {
    match by {
        GroupBy::Field(name) if config.field(name).is_none() => Some(name),
        _ => None,
    }
}

/// Warns when the config sets no target: every count is then zero.
pub fn sla(store: &Store, options: &ReportOptions) -> Result<SlaReport> {
    let targets = &store.config().sla;
    if Priority::ALL
        .iter()
        .all(|p| targets.seconds(*p) == (None, None))
    {
        warn("no SLA targets: add an `sla` section to .tix/config.yaml (see docs/reports.md)");
    }
    over_facts(store, &options.filter, &options.period, false, |facts| {
        report::sla(facts, &options.period, targets)
    })
}

/// Runs `compute` over the facts of the tickets `filter` keeps, warning
/// when entry files the index could not read were left out.
fn over_facts<T>(
    store: &Store,
    filter: &Filter,
    period: &Period,
    counts_open_now: bool,
    compute: impl FnOnce(&[&TicketFacts]) -> T,
) -> Result<T> {
    // Filtered on the list rows, so no ticket's full state is decoded, and
    // only the kept tickets' facts are.
    let keep = |row: &ListRow<'_>| filter.matches(row, Vec::new);
    let within = Some(Within {
        since: period.since,
        until: period.until,
        counts_open_now,
    });
    let selected = match store.report_rows()?.select(within, keep) {
        Ok(selected) => selected,
        // Unreadable rows or facts are derived data: build them again.
        Err(_) => store.rebuild_report_rows()?.select(within, keep)?,
    };
    if selected.problems > 0 {
        warn(&format!(
            "{} unreadable entry file(s) left out of the report; `tix check` lists them",
            selected.problems
        ));
    }
    let out = compute(&selected.facts.iter().collect::<Vec<_>>());
    // A report ends the process right after printing; freeing every fact
    // one by one would only cost time.
    std::mem::forget(selected);
    Ok(out)
}
