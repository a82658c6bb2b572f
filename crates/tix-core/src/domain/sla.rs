//! SLA clocks: how much of a target a ticket has used, when it is due, and
//! whether it is at risk or breached.
//!
//! Pure: every function takes the instant it is evaluated at (`now`) and
//! the ticket's history as arguments, and reads no clock, file or config
//! of its own. `docs/sla.md` defines the counting in prose; this module is
//! its implementation.
//!
//! Three layers:
//! * [`Schedule`]: business hours (open intervals per weekday, in a time
//!   zone, minus holidays) and the two operations everything else is built
//!   on: counting open time between two instants, and finding the instant
//!   a given amount of open time after another.
//! * [`Hours`]: either plain elapsed time ([`Hours::Calendar`]) or a
//!   schedule, behind the same two operations.
//! * [`Clock`]: one target (first response or resolution) of one ticket,
//!   walked over the ticket's status changes, skipping paused stretches.
//!
//! Internally time is counted in microseconds, the precision of
//! [`Timestamp`], so that counting and adding are exact inverses; the
//! public API speaks whole seconds, like targets and reports.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};

use super::duration::Duration;
use super::entry::Status;
pub use super::entry::{Standing, Target};
use super::facts::TicketFacts;
use super::time::Timestamp;
pub use super::zone::Zone;

const MICROS: i64 = 1_000_000;
const DAY_SECS: u32 = 86_400;
const DAY_MICROS: i64 = 86_400 * MICROS;

fn micros(t: Timestamp) -> i64 {
    t.datetime().timestamp_micros()
}

/// Out-of-range instants (a deadline tens of thousands of years away)
/// saturate rather than panic.
fn timestamp(us: i64) -> Timestamp {
    Timestamp::new(DateTime::from_timestamp_micros(us).unwrap_or(if us < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    }))
}

// ---------------------------------------------------------------------------
// Schedule

/// Parsed business hours: open intervals per weekday (local seconds since
/// midnight, half-open, ascending, not touching), the zone they are in,
/// and holidays (local dates on which nothing is open).
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    zone: Zone,
    /// Monday first.
    week: [Vec<(u32, u32)>; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Open time in a week without holidays or clock changes.
    week_micros: i64,
}

const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Schedule {
    /// A schedule from parts: `week[0]` is Monday, each day's intervals
    /// in local seconds since midnight (`end` up to 86 400).
    pub fn new(
        zone: Zone,
        week: [Vec<(u32, u32)>; 7],
        holidays: BTreeSet<NaiveDate>,
    ) -> Result<Schedule, String> {
        for (day, intervals) in DAY_KEYS.iter().zip(&week) {
            let mut previous_end = 0;
            for (n, &(start, end)) in intervals.iter().enumerate() {
                if start >= end || end > DAY_SECS || (n > 0 && start <= previous_end) {
                    return Err(format!(
                        "{day}: intervals must be ascending, non-empty, within the day and apart"
                    ));
                }
                previous_end = end;
            }
        }
        let week_micros = week
            .iter()
            .flatten()
            .map(|&(s, e)| i64::from(e - s) * MICROS)
            .sum();
        if week_micros == 0 {
            // Nothing would ever be due: refuse rather than loop forever.
            return Err("no open hours in the whole week".into());
        }
        Ok(Schedule {
            zone,
            week,
            holidays,
            week_micros,
        })
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Open seconds in `[from, to)`; negative when `to` is before `from`
    /// (as [`Timestamp::seconds_until`]). Fractions of a second are
    /// dropped.
    pub fn business_seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let (a, b) = (micros(from), micros(to));
        if b >= a {
            self.open_micros(a, b) / MICROS
        } else {
            -(self.open_micros(b, a) / MICROS)
        }
    }

    /// The instant at which `seconds` of open time have passed since
    /// `from`: the deadline of a target of that many business seconds
    /// started at `from`. It is always inside (or at the end of) an open
    /// interval, never at the next opening: a target used up at Friday's
    /// closing time is due on Friday, not on Monday morning. Zero or less
    /// gives `from`.
    pub fn add_business_seconds(&self, from: Timestamp, seconds: i64) -> Timestamp {
        timestamp(self.add_open(micros(from), seconds.saturating_mul(MICROS)))
    }

    fn midnight(&self, date: NaiveDate) -> i64 {
        self.zone.instant(date.and_time(NaiveTime::MIN))
    }

    /// The open intervals of `date` as UTC microseconds, ascending (some
    /// possibly empty, when inside a skipped hour).
    fn day(&self, date: NaiveDate) -> impl Iterator<Item = (i64, i64)> + '_ {
        let intervals: &[(u32, u32)] = if self.holidays.contains(&date) {
            &[]
        } else {
            &self.week[date.weekday().num_days_from_monday() as usize]
        };
        intervals
            .iter()
            .map(move |&(s, e)| (self.at(date, s), self.at(date, e)))
    }

    /// The instant of local time `secs` (up to 86 400) on `date`.
    fn at(&self, date: NaiveDate, secs: u32) -> i64 {
        if secs >= DAY_SECS {
            return date
                .checked_add_days(Days::new(1))
                .map_or(i64::MAX, |next| self.midnight(next));
        }
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or(NaiveTime::MIN);
        self.zone.instant(date.and_time(time))
    }

    /// Whether the seven days from `date` hold exactly
    /// [`Schedule::week_micros`] of open time: no holiday, and every day
    /// 24 hours long (no clock change). Then the week can be skipped in
    /// one step; this is what keeps a year-long span to ~52 steps.
    fn plain_week(&self, date: NaiveDate) -> Option<NaiveDate> {
        let end = date.checked_add_days(Days::new(7))?;
        if self.holidays.range(date..end).next().is_some() {
            return None;
        }
        if !self.zone.is_fixed() {
            let mut day = date;
            let mut midnight = self.midnight(day);
            while day < end {
                day = day.succ_opt()?;
                let next = self.midnight(day);
                if next - midnight != DAY_MICROS {
                    return None;
                }
                midnight = next;
            }
        }
        Some(end)
    }

    /// Open microseconds in `[from, to)`, `from <= to`.
    fn open_micros(&self, from: i64, to: i64) -> i64 {
        let mut total = 0;
        let mut date = self.zone.local_date(from);
        let last = self.zone.local_date(to);
        while date <= last {
            if self.midnight(date) >= from
                && let Some(end) = self.plain_week(date)
                && self.midnight(end) <= to
            {
                total += self.week_micros;
                date = end;
                continue;
            }
            for (s, e) in self.day(date) {
                let (s, e) = (s.max(from), e.min(to));
                if e > s {
                    total += e - s;
                }
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        total
    }

    /// The instant `amount` open microseconds after `from`.
    fn add_open(&self, from: i64, amount: i64) -> i64 {
        if amount <= 0 {
            return from;
        }
        let mut left = amount;
        let mut date = self.zone.local_date(from);
        // Past the year 9999 a deadline means "never"; answer that at once
        // rather than walk there. A week holds at most its nominal open time
        // plus 2 h a day of clock changes.
        let weeks_left = (NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX) - date)
            .num_weeks()
            .max(0);
        if left / (self.week_micros + 7 * 2 * 3600 * MICROS) > weeks_left {
            return i64::MAX;
        }
        loop {
            // `<`, not `<=`: when the week uses up exactly what is left,
            // the deadline is the end of its last interval, found below.
            if self.week_micros < left
                && self.midnight(date) >= from
                && let Some(end) = self.plain_week(date)
            {
                left -= self.week_micros;
                date = end;
                continue;
            }
            for (s, e) in self.day(date) {
                let s = s.max(from);
                if e > s {
                    if left <= e - s {
                        return s + left;
                    }
                    left -= e - s;
                }
            }
            match date.succ_opt().filter(|d| d.year() <= 9999) {
                Some(next) => date = next,
                None => return i64::MAX,
            }
        }
    }
}

/// `09:00-17:00` or `09:00-12:00,13:00-17:00` (`24:00` ends the day), as
/// local seconds since midnight for [`Schedule::new`].
pub fn parse_day(text: &str) -> Result<Vec<(u32, u32)>, String> {
    let err = |why: &str| {
        format!("`{text}` {why} (expected times such as 09:00-17:00 or 09:00-12:00,13:00-17:00)")
    };
    let mut out: Vec<(u32, u32)> = Vec::new();
    for part in text.split(',') {
        let (start, end) = part
            .split_once('-')
            .ok_or_else(|| err("is not a list of intervals"))?;
        let start = parse_clock(start).ok_or_else(|| err("has a bad time"))?;
        let end = parse_clock(end).ok_or_else(|| err("has a bad time"))?;
        if start >= end {
            return Err(err("has an interval that does not end after it starts"));
        }
        if start == DAY_SECS {
            return Err(err("has a bad time"));
        }
        match out.last_mut() {
            Some(last) if start < last.1 => {
                return Err(err("has intervals out of order or overlapping"));
            }
            // Touching intervals are one.
            Some(last) if start == last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    Ok(out)
}

/// `HH:MM`, `00:00` to `24:00`, as seconds since midnight.
fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(DAY_SECS),
        (0..=23, 0..=59) => Some(h * 3600 + m * 60),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Hours

/// What SLA time is: every second, or only a schedule's open hours.
#[derive(Clone, Debug, PartialEq)]
pub enum Hours {
    Calendar,
    Business(Box<Schedule>),
}

impl Hours {
    /// Counted seconds in `[from, to)` (negative when `to` is earlier).
    pub fn seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        match self {
            Hours::Calendar => from.seconds_until(to),
            Hours::Business(s) => s.business_seconds_between(from, to),
        }
    }

    /// The instant `seconds` counted seconds after `from` (zero or less:
    /// `from`).
    pub fn add_seconds(&self, from: Timestamp, seconds: i64) -> Timestamp {
        timestamp(self.add_micros(micros(from), seconds.saturating_mul(MICROS)))
    }

    fn micros_between(&self, from: i64, to: i64) -> i64 {
        match self {
            Hours::Calendar => (to - from).max(0),
            Hours::Business(s) if to > from => s.open_micros(from, to),
            Hours::Business(_) => 0,
        }
    }

    fn add_micros(&self, from: i64, amount: i64) -> i64 {
        match self {
            Hours::Calendar => from.saturating_add(amount.max(0)),
            Hours::Business(s) => s.add_open(from, amount),
        }
    }
}

// ---------------------------------------------------------------------------
// Policy and clocks

/// When a running clock counts as at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warn {
    /// This many counted seconds before the deadline.
    Before(i64),
    /// When this share (percent, 1–99) of the target is left.
    Percent(u8),
}

impl Warn {
    /// `1h`, `30m`, … or `20%`.
    pub fn parse(text: &str) -> Result<Warn, String> {
        let s = text.trim();
        if let Some(number) = s.strip_suffix('%') {
            return number
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| (1..=99).contains(p))
                .map(Warn::Percent)
                .ok_or_else(|| {
                    format!("`{text}` is not a share of the target (expected 1% to 99%)")
                });
        }
        Duration::parse_positive(s)
            .map(|d| Warn::Before(d.seconds()))
            .map_err(|e| format!("{e}, or a share of the target such as 20%"))
    }

    /// The counted seconds at which a clock with `target` starts warning.
    pub fn threshold(self, target: i64) -> i64 {
        match self {
            Warn::Before(s) => target.saturating_sub(s).max(0),
            Warn::Percent(p) => target - target * i64::from(p) / 100,
        }
    }
}

/// The team's SLA rules besides the targets: how time counts, what
/// pauses the clocks, when to warn. Built from `sla:` in the config.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub hours: Hours,
    /// Statuses during which clocks stand still (besides `closed`, which
    /// stops them).
    pub pause_on: Vec<Status>,
    pub warn: Option<Warn>,
}

impl Default for Policy {
    /// Calendar time, paused while pending or on hold, no warning.
    fn default() -> Self {
        Policy {
            hours: Hours::Calendar,
            pause_on: vec![Status::Pending, Status::OnHold],
            warn: None,
        }
    }
}

impl std::str::FromStr for Warn {
    type Err = String;

    fn from_str(text: &str) -> Result<Warn, String> {
        Warn::parse(text)
    }
}

impl Policy {
    fn counts_in(&self, status: Status) -> bool {
        status != Status::Closed && !self.pause_on.contains(&status)
    }
}

/// Where a clock is at the instant it was evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting (or would be, in open hours).
    Running,
    /// Standing still in a paused status.
    Paused,
    /// Stopped: answered, or (resolution) closed. A resolution clock
    /// resumes when the ticket is reopened.
    Stopped,
}

/// One clock evaluated at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockState {
    pub phase: Phase,
    /// The instant evaluated: `now`, or when the clock stopped.
    pub as_of: Timestamp,
    /// Counted seconds: from the start to `as_of`, without paused or
    /// closed stretches and, in business time, closed hours.
    pub elapsed: i64,
    /// `target - elapsed`, in counted seconds; 0 or less once used up.
    pub remaining: i64,
    /// The deadline: when the target was used up, if it was by `as_of`;
    /// otherwise when it will be if the clock runs on from `as_of` with no
    /// further pause (for a paused clock: resuming at `as_of`). It moves
    /// later with every pause. `tix sla` orders by it.
    pub due_at: Timestamp,
    /// When the warning threshold is (or was) reached, on the same terms;
    /// `None` without `warn_before`.
    pub warn_at: Option<Timestamp>,
    /// When the clock stopped, if it is stopped.
    pub stopped_at: Option<Timestamp>,
}

impl ClockState {
    /// The deadline passed: `as_of` is more than a whole second after it
    /// (to the second, as reports count: exactly the target is met). A
    /// target used up at closing time is breached overnight, though no
    /// business time passes.
    pub fn is_breached(&self) -> bool {
        self.due_at.seconds_until(self.as_of) > 0
    }

    pub fn breached_at(&self) -> Option<Timestamp> {
        self.is_breached().then_some(self.due_at)
    }

    pub fn standing(&self) -> Standing {
        if self.is_breached() {
            Standing::Breached
        } else if self.phase != Phase::Stopped && self.warn_at.is_some_and(|w| w <= self.as_of) {
            Standing::Warning
        } else {
            Standing::OnTime
        }
    }
}

/// One target's clock under a policy.
#[derive(Clone, Copy, Debug)]
pub struct Clock<'a> {
    pub policy: &'a Policy,
    /// The target, in counted seconds (more than zero).
    pub target: i64,
}

impl<'a> Clock<'a> {
    pub fn new(policy: &'a Policy, target: i64) -> Self {
        Clock { policy, target }
    }

    /// The clock evaluated at `now`.
    ///
    /// * `start`: when it starts counting.
    /// * `timeline`: the ticket's status changes, in fold order (the first
    ///   one usually `new` at creation); before the first, the status is
    ///   `new`. A change takes effect at its time; one with a time earlier
    ///   than the change before it (a clock that ran backwards) takes
    ///   effect at that change's time instead.
    /// * `stop`: when the clock stops for good (first response: the
    ///   reply), if it has.
    ///
    /// It counts while the status is neither `closed` nor in the pause
    /// list. Only what happened before `now` is seen (as in reports: an
    /// event at `now` is not yet seen).
    pub fn measure(
        &self,
        start: Timestamp,
        timeline: &[(Timestamp, Status)],
        stop: Option<Timestamp>,
        now: Timestamp,
    ) -> ClockState {
        let hours = &self.policy.hours;
        let stop = stop.filter(|s| *s < now).map(|s| s.max(start));
        let end = micros(stop.unwrap_or(now));
        let start_us = micros(start);
        let target = self.target.saturating_mul(MICROS);
        let threshold = self
            .policy
            .warn
            .map(|w| w.threshold(self.target).saturating_mul(MICROS));

        let mut elapsed: i64 = 0;
        let mut due: Option<i64> = None;
        let mut warn: Option<i64> = threshold.filter(|t| *t == 0).map(|_| start_us);
        // Counts `[a, b)` in `status`, noting where the target and the
        // threshold were crossed.
        let mut count = |a: i64, b: i64, status: Status| {
            if b <= a || !self.policy.counts_in(status) {
                return;
            }
            let len = hours.micros_between(a, b);
            if due.is_none() && elapsed + len >= target {
                due = Some(hours.add_micros(a, target - elapsed));
            }
            if let Some(t) = threshold
                && warn.is_none()
                && elapsed + len >= t
            {
                warn = Some(hours.add_micros(a, t - elapsed));
            }
            elapsed += len;
        };

        let mut status = Status::New;
        let mut since = start_us; // the current stretch began
        let mut changed = i64::MIN; // the latest change, for clamping
        for &(at, to) in timeline {
            let at = micros(at).max(changed);
            changed = at;
            if at >= end {
                break;
            }
            if at > since {
                count(since, at, status);
                since = at;
            }
            status = to;
        }
        count(since, end, status);

        // A closed ticket is judged as of its close, not of `now`.
        let (phase, stopped_at, end) = match stop {
            Some(s) => (Phase::Stopped, Some(s), end),
            None if status == Status::Closed => {
                (Phase::Stopped, Some(timestamp(since)), since.min(end))
            }
            None if self.policy.pause_on.contains(&status) => (Phase::Paused, None, end),
            None => (Phase::Running, None, end),
        };
        let from = end.max(start_us);
        let due_at = due.unwrap_or_else(|| hours.add_micros(from, target - elapsed));
        let warn_at =
            threshold.map(|t| warn.unwrap_or_else(|| hours.add_micros(from, t - elapsed)));
        ClockState {
            phase,
            as_of: timestamp(end),
            elapsed: elapsed / MICROS,
            remaining: self.target - elapsed / MICROS,
            due_at: timestamp(due_at),
            warn_at: warn_at.map(timestamp),
            stopped_at,
        }
    }

    /// The first-response clock of a ticket at `now`: from the customer's
    /// first message to the first public reply at or after it, or a close
    /// before any reply (closing answers a ticket that needs no reply). It
    /// does not resume on a reopen. `None` when the customer never wrote.
    pub fn first_response(&self, facts: &TicketFacts, now: Timestamp) -> Option<ClockState> {
        let start = facts.first_customer_message()?;
        let reply = facts.first_reply_from(start).map(|r| r.at);
        let close = facts
            .closes
            .iter()
            .map(|c| c.at)
            .filter(|t| *t >= start)
            .min();
        let stop = [reply, close]
            .into_iter()
            .flatten()
            .filter(|t| *t < now)
            .min();
        Some(self.measure(start, &timeline(facts), stop, now))
    }

    /// The resolution clock of a ticket at `now`: from creation, stopped
    /// while closed and resumed by a reopen, so that the work after a
    /// reopen counts against what was left of the target. `None` for a
    /// damaged ticket without a `created` entry.
    ///
    /// For the report's definition (to the first close only), use
    /// [`Clock::measure`] with the first close as `stop`.
    pub fn resolution(&self, facts: &TicketFacts, now: Timestamp) -> Option<ClockState> {
        let start = facts.created_at?;
        Some(self.measure(start, &timeline(facts), None, now))
    }
}

fn timeline(facts: &TicketFacts) -> Vec<(Timestamp, Status)> {
    facts.statuses.iter().map(|s| (s.at, s.to)).collect()
}

#[cfg(test)]
mod tests;
