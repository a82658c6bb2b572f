//! Service reports: pure functions from ticket facts and a period to the
//! numbers a support lead reads. No I/O; `commands::report` finds the
//! tickets, applies the filters and renders.
//!
//! Every metric is defined in `docs/reports.md`; the comments here say
//! which definition each function implements. The period is half-open,
//! `[since, until)`, and everything is evaluated as of its end: an event at
//! or after `until` is not seen, so a report on a past period gives the
//! same numbers whenever it is run. The exceptions are the "now" figures
//! (open load, open now), which describe the tickets as they are.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::config::SlaConfig;
use crate::domain::facts::Act;
use crate::domain::sla::{Clock, Phase};
use crate::domain::{Channel, Priority, Status, TicketFacts, TicketId, Timestamp};

/// The period a report covers: from `since` (included) to `until` (not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub since: Timestamp,
    pub until: Timestamp,
}

impl Period {
    pub fn contains(&self, t: Timestamp) -> bool {
        self.since <= t && t < self.until
    }
}

/// Median and mean of durations in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub count: usize,
    pub median_seconds: Option<i64>,
    pub mean_seconds: Option<i64>,
}

impl Stats {
    pub fn of(samples: &[i64]) -> Stats {
        Stats {
            count: samples.len(),
            median_seconds: median(samples),
            mean_seconds: mean(samples),
        }
    }
}

/// The middle value; for an even count, the mean of the two middle ones,
/// rounded to the nearest second (halves away from zero).
pub fn median(samples: &[i64]) -> Option<i64> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        ((v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0).round() as i64
    })
}

/// The mean, rounded to the nearest second.
pub fn mean(samples: &[i64]) -> Option<i64> {
    if samples.is_empty() {
        return None;
    }
    let sum: f64 = samples.iter().map(|s| *s as f64).sum();
    Some((sum / samples.len() as f64).round() as i64)
}

/// A duration for people: `45s`, `12m`, `3h 12m`, `2d 4h`.
pub fn human(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    if d > 0 {
        if h > 0 {
            format!("{d}d {h}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}h {m}m")
        } else {
            format!("{h}h")
        }
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

/// Seconds from `a` to `b`, never negative (a clock that ran backwards
/// counts as no time).
fn span(a: Timestamp, b: Timestamp) -> i64 {
    a.seconds_until(b).max(0)
}

// ---------------------------------------------------------------------------
// Per-ticket measurements

/// First response: from the customer's first message to the first public
/// reply at or after it, if that reply came before `until`.
struct FirstResponse<'a> {
    start: Timestamp,
    reply: Option<&'a Act>,
}

fn first_response(f: &TicketFacts, until: Timestamp) -> Option<FirstResponse<'_>> {
    let start = f.first_customer_message()?;
    let reply = f.first_reply_from(start).filter(|r| r.at < until);
    Some(FirstResponse { start, reply })
}

impl FirstResponse<'_> {
    fn seconds(&self) -> Option<i64> {
        self.reply.map(|r| span(self.start, r.at))
    }
}

/// Resolution of a ticket whose first close is in the period: (calendar
/// seconds, seconds excluding pending and on-hold time).
fn resolution(f: &TicketFacts, period: &Period) -> Option<(i64, i64)> {
    let created = f.created_at?;
    let close = f.first_close().filter(|c| period.contains(c.at))?;
    let total = span(created, close.at);
    let waiting = f.waiting_seconds(created, close.at);
    Some((total, (total - waiting).max(0)))
}

fn created_in(f: &TicketFacts, period: &Period) -> bool {
    f.created_at.is_some_and(|c| period.contains(c))
}

fn closed_in(f: &TicketFacts, period: &Period) -> bool {
    f.closes.iter().any(|c| period.contains(c.at))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

// ---------------------------------------------------------------------------
// summary

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Tickets created in the period.
    pub created: usize,
    /// Those tickets by how they came in.
    pub created_by_channel: ByChannel,
    /// Tickets closed at least once in the period.
    pub resolved: usize,
    /// Reopenings (changes out of `closed`) in the period.
    pub reopened: usize,
    pub backlog: Backlog,
    pub first_response: FirstResponseStats,
    pub resolution: ResolutionStats,
    pub replies: Replies,
}

/// Tickets open at the end of the period, by age then.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Backlog {
    pub total: usize,
    pub ages: Ages,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ages {
    pub under_1d: usize,
    #[serde(rename = "1d_to_3d")]
    pub d1_to_3d: usize,
    #[serde(rename = "3d_to_7d")]
    pub d3_to_7d: usize,
    #[serde(rename = "7d_to_30d")]
    pub d7_to_30d: usize,
    pub over_30d: usize,
}

/// A count per channel, every channel present (in [`Channel::ALL`]
/// order), so CSV columns do not come and go with the data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByChannel(pub [usize; 6]);

impl ByChannel {
    pub fn get(&self, channel: Channel) -> usize {
        self.0[Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0)]
    }

    fn add(&mut self, channel: Channel) {
        if let Some(i) = Channel::ALL.iter().position(|c| *c == channel) {
            self.0[i] += 1;
        }
    }
}

impl Serialize for ByChannel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(Channel::ALL.len()))?;
        for (c, n) in Channel::ALL.iter().zip(self.0) {
            map.serialize_entry(c.as_str(), &n)?;
        }
        map.end()
    }
}

impl Ages {
    pub const LABELS: [&str; 5] = ["<1d", "1-3d", "3-7d", "7-30d", ">=30d"];
    pub const KEYS: [&str; 5] = ["under_1d", "1d_to_3d", "3d_to_7d", "7d_to_30d", "over_30d"];

    fn add(&mut self, seconds: i64) {
        const DAY: i64 = 86_400;
        match seconds {
            s if s < DAY => self.under_1d += 1,
            s if s < 3 * DAY => self.d1_to_3d += 1,
            s if s < 7 * DAY => self.d3_to_7d += 1,
            s if s < 30 * DAY => self.d7_to_30d += 1,
            _ => self.over_30d += 1,
        }
    }

    pub fn counts(&self) -> [usize; 5] {
        [
            self.under_1d,
            self.d1_to_3d,
            self.d3_to_7d,
            self.d7_to_30d,
            self.over_30d,
        ]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FirstResponseStats {
    /// Tickets created in the period.
    pub tickets: usize,
    pub answered: usize,
    pub unanswered: usize,
    pub median_seconds: Option<i64>,
    pub mean_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ResolutionStats {
    /// Tickets whose first close is in the period.
    pub tickets: usize,
    pub median_seconds: Option<i64>,
    pub mean_seconds: Option<i64>,
    /// The same, not counting time spent in pending or on-hold.
    pub median_seconds_excluding_waiting: Option<i64>,
    pub mean_seconds_excluding_waiting: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Replies {
    /// Public replies, before the end of the period, on tickets created in it.
    pub count: usize,
    /// `count` / tickets created in the period, to two decimals.
    pub per_ticket: Option<f64>,
}

pub fn summary(tickets: &[&TicketFacts], period: &Period) -> Summary {
    let mut s = Summary::default();
    let mut frt = Vec::new();
    let (mut res, mut res_active) = (Vec::new(), Vec::new());
    for f in tickets {
        if created_in(f, period) {
            s.created += 1;
            s.created_by_channel.add(f.channel);
            s.replies.count += f.replies.iter().filter(|r| r.at < period.until).count();
            match first_response(f, period.until).and_then(|r| r.seconds()) {
                Some(secs) => frt.push(secs),
                None => s.first_response.unanswered += 1,
            }
        }
        if closed_in(f, period) {
            s.resolved += 1;
        }
        s.reopened += f.reopens.iter().filter(|r| period.contains(r.at)).count();
        if f.open_at(period.until)
            && let Some(created) = f.created_at
        {
            s.backlog.total += 1;
            s.backlog.ages.add(span(created, period.until));
        }
        if let Some((total, active)) = resolution(f, period) {
            res.push(total);
            res_active.push(active);
        }
    }
    s.first_response.tickets = s.created;
    s.first_response.answered = frt.len();
    s.first_response.median_seconds = median(&frt);
    s.first_response.mean_seconds = mean(&frt);
    s.resolution = ResolutionStats {
        tickets: res.len(),
        median_seconds: median(&res),
        mean_seconds: mean(&res),
        median_seconds_excluding_waiting: median(&res_active),
        mean_seconds_excluding_waiting: mean(&res_active),
    };
    s.replies.per_ticket =
        (s.created > 0).then(|| round2(s.replies.count as f64 / s.created as f64));
    s
}

// ---------------------------------------------------------------------------
// distributions

/// The ranges of time the distributions count in: each up to (not
/// including) its bound, in seconds; the last has none.
pub const TIME_RANGES: [(&str, Option<i64>); 6] = [
    ("under 1 hour", Some(3_600)),
    ("1 to 4 hours", Some(4 * 3_600)),
    ("4 to 24 hours", Some(86_400)),
    ("1 to 3 days", Some(3 * 86_400)),
    ("3 to 7 days", Some(7 * 86_400)),
    ("7 days or more", None),
];

/// How the first-response and resolution times of `summary` spread:
/// the same tickets, counted per range of [`TIME_RANGES`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Distributions {
    /// Tickets created in the period and answered before its end.
    pub first_response: [usize; 6],
    /// Tickets first closed in the period (calendar time).
    pub resolution: [usize; 6],
}

fn range_of(seconds: i64) -> usize {
    TIME_RANGES
        .iter()
        .position(|(_, bound)| bound.is_none_or(|b| seconds < b))
        .unwrap_or(TIME_RANGES.len() - 1)
}

/// The distributions of the times `summary`'s medians are taken over.
pub fn distributions(tickets: &[&TicketFacts], period: &Period) -> Distributions {
    let mut d = Distributions::default();
    for f in tickets {
        if created_in(f, period)
            && let Some(secs) = first_response(f, period.until).and_then(|r| r.seconds())
        {
            d.first_response[range_of(secs)] += 1;
        }
        if let Some((total, _)) = resolution(f, period) {
            d.resolution[range_of(total)] += 1;
        }
    }
    d
}

// ---------------------------------------------------------------------------
// agents

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentRow {
    pub agent: String,
    /// Tickets assigned to the agent in the period.
    pub assigned: usize,
    /// Tickets the agent closed in the period.
    pub closed: usize,
    /// Public replies the agent wrote in the period.
    pub replies: usize,
    /// Internal notes the agent wrote in the period.
    pub notes: usize,
    /// Tickets created in the period whose first response was the agent's.
    pub first_responses: usize,
    pub first_response_median_seconds: Option<i64>,
    /// Responses (replies to a waiting customer) the agent gave in the period.
    pub responses: usize,
    pub response_median_seconds: Option<i64>,
    /// Tickets open now and assigned to the agent.
    pub open_now: usize,
    /// Tasks open now and given to the agent (on any ticket, closed ones
    /// included: the task is still to do).
    pub tasks_open: usize,
    /// Tasks done in the period that were the agent's (or, for a task
    /// nobody had, that the agent marked done).
    pub tasks_done: usize,
    /// Of the open tasks, those whose deadline is before the end of the
    /// period (now, by default).
    pub tasks_overdue: usize,
    /// Survey answers credited to the agent (see [`credited_agent`]) of
    /// tickets surveyed in the period, and of those the good ones in
    /// percent.
    pub csat_rated: usize,
    pub csat_percent: Option<f64>,
}

#[derive(Default)]
struct AgentAcc {
    assigned: BTreeSet<TicketId>,
    closed: BTreeSet<TicketId>,
    replies: usize,
    notes: usize,
    first: Vec<i64>,
    responses: Vec<i64>,
    open_now: usize,
    tasks_open: usize,
    tasks_done: usize,
    tasks_overdue: usize,
    csat_rated: usize,
    csat_good: usize,
}

/// One row per agent: every agent in `known` (in that order), then anyone
/// else who replied, wrote a note, closed or was assigned, by handle.
pub fn agents(tickets: &[&TicketFacts], period: &Period, known: &[String]) -> Vec<AgentRow> {
    let mut acc: HashMap<String, AgentAcc> = HashMap::new();
    fn get<'a>(acc: &'a mut HashMap<String, AgentAcc>, who: &str) -> &'a mut AgentAcc {
        if !acc.contains_key(who) {
            acc.insert(who.to_string(), AgentAcc::default());
        }
        acc.get_mut(who).expect("just inserted")
    }
    for f in tickets {
        for a in f.assignments.iter().filter(|a| period.contains(a.at)) {
            if let Some(to) = &a.to {
                get(&mut acc, to).assigned.insert(f.id);
            }
        }
        for c in f.closes.iter().filter(|c| period.contains(c.at)) {
            get(&mut acc, &c.by).closed.insert(f.id);
        }
        for r in f.replies.iter().filter(|r| period.contains(r.at)) {
            get(&mut acc, &r.by).replies += 1;
        }
        for n in f.notes.iter().filter(|n| period.contains(n.at)) {
            get(&mut acc, &n.by).notes += 1;
        }
        if created_in(f, period)
            && let Some(fr) = first_response(f, period.until)
            && let (Some(secs), Some(r)) = (fr.seconds(), fr.reply)
        {
            get(&mut acc, &r.by).first.push(secs);
        }
        for (since, r) in f.responses() {
            if period.contains(r.at) {
                get(&mut acc, &r.by).responses.push(span(since, r.at));
            }
        }
        if f.status != Status::Closed
            && let Some(a) = &f.assignee
        {
            get(&mut acc, a).open_now += 1;
        }
        if f.survey.is_some_and(|s| period.contains(s.at))
            && let Some(r) = f.rating.as_ref().filter(|r| r.at < period.until)
            && let Some(agent) = credited_agent(f)
        {
            let a = get(&mut acc, &agent);
            a.csat_rated += 1;
            a.csat_good += usize::from(r.answer.is_good());
        }
        for t in &f.tasks {
            match (&t.done, &t.assignee) {
                (Some(done), who) if period.contains(done.at) => {
                    get(&mut acc, who.as_deref().unwrap_or(&done.by)).tasks_done += 1;
                }
                (Some(_), _) | (None, None) => {}
                (None, Some(who)) => {
                    let a = get(&mut acc, who);
                    a.tasks_open += 1;
                    if t.due.is_some_and(|d| d < period.until) {
                        a.tasks_overdue += 1;
                    }
                }
            }
        }
    }
    let mut order: Vec<String> = known.to_vec();
    let mut others: Vec<String> = acc.keys().filter(|k| !known.contains(k)).cloned().collect();
    others.sort();
    order.extend(others);
    order
        .into_iter()
        .map(|agent| {
            let a = acc.remove(&agent).unwrap_or_default();
            AgentRow {
                assigned: a.assigned.len(),
                closed: a.closed.len(),
                replies: a.replies,
                notes: a.notes,
                first_responses: a.first.len(),
                first_response_median_seconds: median(&a.first),
                responses: a.responses.len(),
                response_median_seconds: median(&a.responses),
                open_now: a.open_now,
                tasks_open: a.tasks_open,
                tasks_done: a.tasks_done,
                tasks_overdue: a.tasks_overdue,
                csat_rated: a.csat_rated,
                csat_percent: percent(a.csat_good, a.csat_rated),
                agent,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// trend

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucketing {
    /// UTC calendar days.
    Day,
    /// ISO weeks, Monday to Sunday, UTC.
    Week,
    /// Calendar months, UTC.
    Month,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendRow {
    /// `2026-01-05`, `2026-W02` or `2026-01`.
    pub bucket: String,
    /// The part of the bucket inside the period.
    pub start: Timestamp,
    pub end: Timestamp,
    pub created: usize,
    /// Tickets closed at least once in the bucket.
    pub resolved: usize,
    pub reopened: usize,
    /// Tickets open at the end of the bucket.
    pub backlog: usize,
}

/// Midnight starting `d` in the report zone (a day is 23 or 25 hours
/// long across a daylight-saving change).
fn to_ts(d: NaiveDate) -> Timestamp {
    let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    Timestamp::new(crate::domain::time::report_zone().from_local(midnight))
}

fn bucket_of(t: DateTime<Utc>, by: Bucketing) -> (NaiveDate, NaiveDate, String) {
    let day = crate::domain::time::report_zone().to_local(t).date();
    match by {
        Bucketing::Day => (day, day + Days::new(1), day.format("%Y-%m-%d").to_string()),
        Bucketing::Week => {
            let start = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
            let iso = start.iso_week();
            (
                start,
                start + Days::new(7),
                format!("{}-W{:02}", iso.year(), iso.week()),
            )
        }
        Bucketing::Month => {
            let start = day.with_day(1).expect("every month has a first day");
            (
                start,
                start + Months::new(1),
                start.format("%Y-%m").to_string(),
            )
        }
    }
}

/// The buckets covering the period, clipped to it.
pub fn buckets(period: &Period, by: Bucketing) -> Vec<(String, Period)> {
    let mut out = Vec::new();
    let mut t = period.since;
    while t < period.until {
        let (_, end, label) = bucket_of(t.datetime(), by);
        let end = to_ts(end).min(period.until);
        out.push((
            label,
            Period {
                since: t,
                until: end,
            },
        ));
        t = end;
    }
    out
}

pub fn trend(tickets: &[&TicketFacts], period: &Period, by: Bucketing) -> Vec<TrendRow> {
    let buckets = buckets(period, by);
    let mut rows: Vec<TrendRow> = buckets
        .iter()
        .map(|(label, p)| TrendRow {
            bucket: label.clone(),
            start: p.since,
            end: p.until,
            created: 0,
            resolved: 0,
            reopened: 0,
            backlog: 0,
        })
        .collect();
    let index_of = |t: Timestamp| -> Option<usize> {
        if !period.contains(t) {
            return None;
        }
        // Buckets are sorted and contiguous.
        Some(buckets.partition_point(|(_, p)| p.until <= t))
    };
    for f in tickets {
        if let Some(i) = f.created_at.and_then(index_of) {
            rows[i].created += 1;
        }
        let closed: BTreeSet<usize> = f.closes.iter().filter_map(|c| index_of(c.at)).collect();
        for i in closed {
            rows[i].resolved += 1;
        }
        for i in f.reopens.iter().filter_map(|r| index_of(r.at)) {
            rows[i].reopened += 1;
        }
        let Some(created) = f.created_at else {
            continue;
        };
        for row in rows.iter_mut().filter(|r| r.end > created) {
            if f.open_at(row.end) {
                row.backlog += 1;
            }
        }
    }
    rows
}

/// A bar of `value / max` of `width` cells, in eighths of a cell.
pub fn bar(value: usize, max: usize, width: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    if max == 0 || value == 0 {
        return String::new();
    }
    let eighths = (value * width * 8).div_ceil(max).max(1);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    }
    s
}

// ---------------------------------------------------------------------------
// breakdown

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Status,
    Priority,
    Tag,
    Assignee,
    /// The customer's mail domain.
    Domain,
    /// How the ticket came in.
    Channel,
    /// Its department (`mail.departments`).
    Department,
    /// A custom field's value.
    Field(String),
}

impl GroupBy {
    /// Parses `status`, `priority`, `tag`, `assignee`, `domain`,
    /// `channel`, `department` or `field:NAME`.
    pub fn parse(s: &str) -> Result<GroupBy, String> {
        Ok(match s.trim() {
            "status" => GroupBy::Status,
            "priority" => GroupBy::Priority,
            "tag" => GroupBy::Tag,
            "assignee" => GroupBy::Assignee,
            "domain" => GroupBy::Domain,
            "channel" => GroupBy::Channel,
            "department" => GroupBy::Department,
            other => match other.strip_prefix("field:") {
                Some(name) if !name.trim().is_empty() => GroupBy::Field(name.trim().to_string()),
                _ => {
                    return Err(format!(
                        "`{s}` is not a grouping (expected status, priority, tag, assignee, domain, channel, department or field:NAME)"
                    ));
                }
            },
        })
    }

    pub fn name(&self) -> String {
        match self {
            GroupBy::Status => "status".into(),
            GroupBy::Priority => "priority".into(),
            GroupBy::Tag => "tag".into(),
            GroupBy::Assignee => "assignee".into(),
            GroupBy::Domain => "domain".into(),
            GroupBy::Channel => "channel".into(),
            GroupBy::Department => "department".into(),
            GroupBy::Field(n) => format!("field:{n}"),
        }
    }

    /// The groups a ticket belongs to (by its current state), each with a
    /// rank that orders statuses and priorities as they progress.
    fn keys(&self, f: &TicketFacts) -> Vec<(usize, Option<String>)> {
        match self {
            GroupBy::Status => vec![(
                Status::ALL.iter().position(|s| *s == f.status).unwrap_or(0),
                Some(f.status.to_string()),
            )],
            GroupBy::Priority => vec![(
                Priority::ALL
                    .iter()
                    .position(|p| *p == f.priority)
                    .unwrap_or(0),
                Some(f.priority.to_string()),
            )],
            GroupBy::Tag if f.tags.is_empty() => vec![(0, None)],
            // Spellings of one tag on different tickets are one group.
            GroupBy::Tag => f.tags.iter().map(|t| (0, Some(t.to_lowercase()))).collect(),
            GroupBy::Assignee => vec![(0, f.assignee.clone())],
            GroupBy::Domain => vec![(0, f.customer_domain.clone())],
            GroupBy::Channel => vec![(
                Channel::ALL
                    .iter()
                    .position(|c| *c == f.channel)
                    .unwrap_or(0),
                Some(f.channel.to_string()),
            )],
            GroupBy::Department => vec![(0, f.department.clone())],
            GroupBy::Field(name) => vec![(0, f.fields.get(name).map(|v| v.to_string()))],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRow {
    /// The group's value; `null` for tickets without one (no tag, no
    /// assignee, field not set).
    pub group: Option<String>,
    pub created: usize,
    pub resolved: usize,
    pub open_now: usize,
    pub first_response_median_seconds: Option<i64>,
    pub resolution_median_seconds: Option<i64>,
}

pub fn breakdown(tickets: &[&TicketFacts], period: &Period, by: &GroupBy) -> Vec<GroupRow> {
    #[derive(Default)]
    struct Acc {
        created: usize,
        resolved: usize,
        open_now: usize,
        first: Vec<i64>,
        resolution: Vec<i64>,
    }
    let mut groups: BTreeMap<(bool, usize, Option<String>), Acc> = BTreeMap::new();
    for f in tickets {
        let created = created_in(f, period);
        let resolved = closed_in(f, period);
        let open_now = f.status != Status::Closed;
        let first = if created {
            first_response(f, period.until).and_then(|r| r.seconds())
        } else {
            None
        };
        let res = resolution(f, period).map(|(total, _)| total);
        if !created && !resolved && !open_now && res.is_none() {
            continue;
        }
        for (rank, key) in by.keys(f) {
            let a = groups.entry((key.is_none(), rank, key)).or_default();
            a.created += usize::from(created);
            a.resolved += usize::from(resolved);
            a.open_now += usize::from(open_now);
            a.first.extend(first);
            a.resolution.extend(res);
        }
    }
    groups
        .into_iter()
        .map(|((_, _, group), a)| GroupRow {
            group,
            created: a.created,
            resolved: a.resolved,
            open_now: a.open_now,
            first_response_median_seconds: median(&a.first),
            resolution_median_seconds: median(&a.resolution),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// sla

pub use crate::domain::sla::Target;

/// The report spells targets as their config keys (`first_response`),
/// like its own fields.
fn target_key<S: serde::Serializer>(target: &Target, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(target.key())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachState {
    /// The clock stopped after the target.
    Breached,
    /// Still running at the end of the period, already past the target.
    Overdue,
}

impl BreachState {
    pub fn as_str(self) -> &'static str {
        match self {
            BreachState::Breached => "breached",
            BreachState::Overdue => "overdue",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SlaCounts {
    /// Tickets created in the period whose priority has this target.
    pub measured: usize,
    /// Stopped within the target.
    pub met: usize,
    /// Stopped after the target.
    pub breached: usize,
    /// Still running at the end of the period and past the target.
    pub overdue: usize,
    /// Still running at the end of the period, within the target so far.
    pub running: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breach {
    pub id: TicketId,
    pub subject: String,
    pub priority: Priority,
    #[serde(serialize_with = "target_key")]
    pub target: Target,
    pub target_seconds: i64,
    /// Counted seconds (open hours only, pauses left out), to the stop or
    /// the end of the period.
    pub elapsed_seconds: i64,
    pub state: BreachState,
    /// When the target passed.
    pub deadline: Timestamp,
    /// The assignee when the target passed; `null` when unassigned.
    pub agent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlaAgent {
    /// `null` for breaches on unassigned tickets.
    pub agent: Option<String>,
    pub first_response: usize,
    pub resolution: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlaReport {
    pub first_response: SlaCounts,
    pub resolution: SlaCounts,
    pub agents: Vec<SlaAgent>,
    pub breaches: Vec<Breach>,
}

/// SLA compliance of the tickets created in the period, as of its end,
/// counted by the same clock as `tix sla` and `tix tick`
/// ([`crate::domain::sla::Clock`]): in business hours when the team's
/// calendar says so, standing still while the ticket waits in a paused
/// status. Unlike `tix sla`'s, the resolution clock stops at the first
/// close: a reopened ticket was resolved, late or not, when first closed.
pub fn sla(tickets: &[&TicketFacts], period: &Period, targets: &SlaConfig) -> SlaReport {
    let mut report = SlaReport {
        first_response: SlaCounts::default(),
        resolution: SlaCounts::default(),
        agents: Vec::new(),
        breaches: Vec::new(),
    };
    let policy = targets.policy();
    let until = period.until;
    for f in tickets.iter().filter(|f| created_in(f, period)) {
        let Some(created) = f.created_at else {
            continue;
        };
        let priority = f.priority_at(until);
        let (fr_target, res_target) =
            targets.seconds_for(priority, &f.tags, &f.fields, f.department.as_deref());
        let mut clocks = Vec::new();
        if let Some(target) = fr_target
            && let Some(state) = Clock::new(policy, target).first_response(f, until)
        {
            clocks.push((Target::FirstResponse, target, state));
        }
        if let Some(target) = res_target {
            let first_close = f
                .closes
                .iter()
                .map(|c| c.at)
                .filter(|t| *t >= created && *t < until)
                .min();
            let timeline: Vec<(Timestamp, Status)> =
                f.statuses.iter().map(|s| (s.at, s.to)).collect();
            let state = Clock::new(policy, target).measure(created, &timeline, first_close, until);
            clocks.push((Target::Resolution, target, state));
        }
        for (kind, target, state) in clocks {
            let counts = match kind {
                Target::FirstResponse => &mut report.first_response,
                Target::Resolution => &mut report.resolution,
            };
            counts.measured += 1;
            let stopped = state.phase == Phase::Stopped;
            let state_name = match (stopped, state.is_breached()) {
                (true, false) => {
                    counts.met += 1;
                    continue;
                }
                (false, false) => {
                    counts.running += 1;
                    continue;
                }
                (true, true) => {
                    counts.breached += 1;
                    BreachState::Breached
                }
                (false, true) => {
                    counts.overdue += 1;
                    BreachState::Overdue
                }
            };
            let deadline = state.due_at;
            report.breaches.push(Breach {
                id: f.id,
                subject: f.subject.clone(),
                priority,
                target: kind,
                target_seconds: target,
                elapsed_seconds: state.elapsed,
                state: state_name,
                deadline,
                agent: f.assignee_at(deadline).map(str::to_string),
            });
        }
    }
    report
        .breaches
        .sort_by_key(|b| (b.deadline, b.id, b.target));
    let mut per_agent: BTreeMap<(bool, Option<String>), (usize, usize)> = BTreeMap::new();
    for b in &report.breaches {
        let e = per_agent
            .entry((b.agent.is_none(), b.agent.clone()))
            .or_default();
        match b.target {
            Target::FirstResponse => e.0 += 1,
            Target::Resolution => e.1 += 1,
        }
    }
    report.agents = per_agent
        .into_iter()
        .map(|((_, agent), (fr, res))| SlaAgent {
            agent,
            first_response: fr,
            resolution: res,
        })
        .collect();
    report
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------
// csat

/// How `tix report csat` groups: by the agent credited with the ticket,
/// by tag, or by a custom field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsatBy {
    Agent,
    Tag,
    Field(String),
}

impl CsatBy {
    /// Parses `agent`, `tag` or `field:NAME`.
    pub fn parse(s: &str) -> Result<CsatBy, String> {
        match s.trim() {
            "agent" => Ok(CsatBy::Agent),
            "tag" => Ok(CsatBy::Tag),
            other => match other.strip_prefix("field:").map(str::trim) {
                Some(name) if !name.is_empty() => Ok(CsatBy::Field(name.to_string())),
                _ => Err(format!(
                    "`{s}` is not a CSAT grouping (expected agent, tag or field:NAME)"
                )),
            },
        }
    }

    fn keys(&self, f: &TicketFacts) -> Vec<Option<String>> {
        match self {
            CsatBy::Agent => vec![credited_agent(f)],
            CsatBy::Tag if f.tags.is_empty() => vec![None],
            CsatBy::Tag => f.tags.iter().map(|t| Some(t.to_lowercase())).collect(),
            CsatBy::Field(name) => vec![f.fields.get(name).map(|v| v.to_string())],
        }
    }
}

/// The agent a ticket's rating is credited to: whoever made the last
/// close before the survey, or, when that was tix itself (auto-close),
/// the agent the ticket was assigned to then.
pub fn credited_agent(f: &TicketFacts) -> Option<String> {
    let survey = f.survey?;
    let close = f.closes.iter().rev().find(|c| c.at <= survey.at)?;
    // The handle tix writes its own entries under (`ops::SYSTEM_HANDLE`).
    if close.by == "tix" {
        f.assignee_at(close.at).map(str::to_string)
    } else {
        Some(close.by.clone())
    }
}

/// Satisfaction over some tickets: `score` is good answers over answers
/// (4 and 5 count as good on the 1-5 scale), `response_rate` answers
/// over surveys, both in percent, None when there is nothing to divide.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CsatRow {
    /// The group's value (agent, tag, field); None for the total and for
    /// tickets without one.
    pub group: Option<String>,
    pub surveyed: usize,
    pub rated: usize,
    pub good: usize,
    pub score_percent: Option<f64>,
    pub response_rate_percent: Option<f64>,
}

impl CsatRow {
    fn add(&mut self, f: &TicketFacts, until: Timestamp) {
        self.surveyed += 1;
        if let Some(r) = f.rating.as_ref().filter(|r| r.at < until) {
            self.rated += 1;
            self.good += usize::from(r.answer.is_good());
        }
    }

    fn finish(mut self) -> CsatRow {
        self.score_percent = percent(self.good, self.rated);
        self.response_rate_percent = percent(self.rated, self.surveyed);
        self
    }
}

/// `n` of `of` in percent, to a tenth; None of nothing.
fn percent(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| (n as f64 * 1000.0 / of as f64).round() / 10.0)
}

/// A rating with a comment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CsatComment {
    pub ticket: TicketId,
    pub at: Timestamp,
    pub answer: String,
    pub agent: Option<String>,
    pub comment: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CsatReport {
    pub total: CsatRow,
    /// Empty unless grouped.
    pub groups: Vec<CsatRow>,
    /// Newest first.
    pub comments: Vec<CsatComment>,
}

/// CSAT of the tickets surveyed in the period, counting the latest
/// answer given before its end.
pub fn csat(tickets: &[&TicketFacts], period: &Period, by: Option<&CsatBy>) -> CsatReport {
    let mut total = CsatRow::default();
    let mut groups: BTreeMap<(bool, Option<String>), CsatRow> = BTreeMap::new();
    let mut comments = Vec::new();
    for f in tickets {
        if !f.survey.is_some_and(|s| period.contains(s.at)) {
            continue;
        }
        total.add(f, period.until);
        if let Some(by) = by {
            for key in by.keys(f) {
                groups
                    .entry((key.is_none(), key.clone()))
                    .or_insert_with(|| CsatRow {
                        group: key,
                        ..CsatRow::default()
                    })
                    .add(f, period.until);
            }
        }
        if let Some(r) = f
            .rating
            .as_ref()
            .filter(|r| r.at < period.until && !r.comment.is_empty())
        {
            comments.push(CsatComment {
                ticket: f.id,
                at: r.at,
                answer: r.answer.to_string(),
                agent: credited_agent(f),
                comment: r.comment.clone(),
            });
        }
    }
    comments.sort_by(|a, b| b.at.cmp(&a.at).then(a.ticket.cmp(&b.ticket)));
    CsatReport {
        total: total.finish(),
        groups: groups.into_values().map(CsatRow::finish).collect(),
        comments,
    }
}
