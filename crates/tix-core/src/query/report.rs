//! `tix report` as a query: the tickets a report's filters keep, and the
//! computation of [`crate::report`] over their facts in a period.

use crate::domain::time::report_zone;
use crate::domain::{Priority, TicketFacts, Timestamp};
use crate::error::{Error, Result};
use crate::report::{
    self, AgentRow, Bucketing, GroupBy, GroupRow, Period, SlaReport, Summary, TrendRow,
};
use crate::store::{Store, TicketIndex};
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

/// The period from `since` (default: 30 days before its end) to `until`
/// (default: `now`), refused when empty.
pub fn period(
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    now: Timestamp,
) -> Result<Period> {
    let until = until.unwrap_or(now);
    let since = since.unwrap_or_else(|| {
        Timestamp::new(until.datetime() - chrono::TimeDelta::days(DEFAULT_DAYS))
    });
    if since >= until {
        return Err(Error::invalid(format!(
            "the period is empty: --since {} is not before --until {}",
            since.to_short_in(report_zone(), true),
            until.to_short_in(report_zone(), true)
        )));
    }
    Ok(Period { since, until })
}

pub fn summary(store: &Store, options: &ReportOptions) -> Result<Summary> {
    over_facts(store, &options.filter, |facts| {
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
    over_facts(store, &options.filter, |facts| {
        report::agents(facts, &options.period, &known)
    })
}

pub fn trend(store: &Store, options: &ReportOptions, by: Bucketing) -> Result<Vec<TrendRow>> {
    over_facts(store, &options.filter, |facts| {
        report::trend(facts, &options.period, by)
    })
}

/// Refuses a custom field the config does not declare: a typo, not a
/// grouping with one empty group.
pub fn breakdown(store: &Store, options: &ReportOptions, by: &GroupBy) -> Result<Vec<GroupRow>> {
    let config = store.config();
    if let GroupBy::Field(name) = by
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
    over_facts(store, &options.filter, |facts| {
        report::breakdown(facts, &options.period, by)
    })
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
    over_facts(store, &options.filter, |facts| {
        report::sla(facts, &options.period, targets)
    })
}

/// Runs `compute` over the facts of the tickets `filter` keeps, warning
/// when entry files the index could not read were left out.
fn over_facts<T>(
    store: &Store,
    filter: &Filter,
    compute: impl FnOnce(&[&TicketFacts]) -> T,
) -> Result<T> {
    let index = store.index()?;
    let facts = select(&index, filter)?;
    let out = compute(&facts.iter().collect::<Vec<_>>());
    // A report ends the process right after printing; freeing every
    // ticket and fact one by one would only cost time.
    std::mem::forget(index);
    std::mem::forget(facts);
    Ok(out)
}

fn select(index: &TicketIndex, filter: &Filter) -> Result<Vec<TicketFacts>> {
    let mut problems = 0;
    let kept = index
        .tickets()
        .filter(|t| {
            problems += t.problems.len();
            filter.matches(&t.ticket, Vec::new)
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
