//! Hand-worked cases first (the expected answers are worked out in the
//! comments), then properties checked on many pseudo-random instants
//! against slower, obviously correct references.

use super::*;
use crate::domain::config::{BusinessHours, WeekHours};
use crate::domain::duration::Spelled;
use crate::domain::facts::{Act, StatusChange};
use crate::domain::{Priority, TicketId};
use chrono::{FixedOffset, Offset, Utc};

fn t(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap_or_else(|| panic!("bad fixture {text}"))
}

const H: i64 = 3600;

fn week(days: [Option<&str>; 7]) -> WeekHours {
    let d = |i: usize| days[i].map(str::to_string);
    WeekHours {
        mon: d(0),
        tue: d(1),
        wed: d(2),
        thu: d(3),
        fri: d(4),
        sat: d(5),
        sun: d(6),
    }
}

fn schedule(zone: &str, days: [Option<&str>; 7], holidays: &[&str]) -> Schedule {
    BusinessHours {
        timezone: Spelled::parse(zone).unwrap(),
        days: week(days),
        holidays: holidays.iter().map(|h| h.to_string()).collect(),
    }
    .schedule()
    .unwrap()
}

const NINE_TO_FIVE: &str = "09:00-17:00";

/// Monday to Friday 09:00-17:00.
fn office(zone: &str, holidays: &[&str]) -> Schedule {
    let o = Some(NINE_TO_FIVE);
    schedule(zone, [o, o, o, o, o, None, None], holidays)
}

fn always(zone: &str) -> Schedule {
    let a = Some("00:00-24:00");
    schedule(zone, [a; 7], &[])
}

// ---------------------------------------------------------------------------
// Schedules, worked by hand

#[test]
fn friday_afternoon_two_hours_is_monday_morning() {
    // Fri 16:30 → 17:00 uses 30 min; Monday 09:00 + 1h30 = 10:30.
    let s = office("Europe/Berlin", &[]);
    let due = s.add_business_seconds(t("2026-05-22T16:30:00+02:00"), 2 * H);
    assert_eq!(due, t("2026-05-25T10:30:00+02:00"));
    assert_eq!(
        s.business_seconds_between(t("2026-05-22T16:30:00+02:00"), due),
        2 * H
    );
}

#[test]
fn a_holiday_monday_moves_it_to_tuesday() {
    // Whit Monday 2026-05-25 is a holiday: nothing counts that day.
    let s = office("Europe/Berlin", &["2026-05-25"]);
    let from = t("2026-05-22T16:30:00+02:00");
    assert_eq!(
        s.add_business_seconds(from, 2 * H),
        t("2026-05-26T10:30:00+02:00")
    );
    // Fri 0h30 + Mon 0 + Tue 1h30.
    assert_eq!(
        s.business_seconds_between(from, t("2026-05-26T10:30:00+02:00")),
        2 * H
    );
    // Without the holiday, Monday's 8 hours count.
    assert_eq!(
        office("Europe/Berlin", &[]).business_seconds_between(from, t("2026-05-26T10:30:00+02:00")),
        10 * H
    );
}

#[test]
fn calendar_and_business_time_across_a_weekend_and_a_holiday() {
    let from = t("2026-05-22T16:30:00+02:00");
    // A target of 1d: calendar time is due Saturday 16:30.
    assert_eq!(
        Hours::Calendar.add_seconds(from, 24 * H),
        t("2026-05-23T16:30:00+02:00")
    );
    // In business time 24 open hours: Fri 0h30, (Sat, Sun, holiday Mon),
    // Tue 8h, Wed 8h, then 7h30 on Thursday: 16:30.
    let business = Hours::Business(Box::new(office("Europe/Berlin", &["2026-05-25"])));
    assert_eq!(
        business.add_seconds(from, 24 * H),
        t("2026-05-28T16:30:00+02:00")
    );
    let monday_noon = t("2026-05-25T12:00:00+02:00");
    assert_eq!(
        Hours::Calendar.seconds_between(from, monday_noon),
        67 * H + 1800
    );
    assert_eq!(business.seconds_between(from, monday_noon), 1800);
    // Negative when reversed, like Timestamp::seconds_until.
    assert_eq!(business.seconds_between(monday_noon, from), -1800);
}

#[test]
fn starting_outside_open_hours() {
    let s = office("UTC", &[]);
    // Saturday: nothing until Monday 09:00.
    assert_eq!(
        s.add_business_seconds(t("2026-05-23T10:00:00Z"), 2 * H),
        t("2026-05-25T11:00:00Z")
    );
    // Before opening.
    assert_eq!(
        s.add_business_seconds(t("2026-05-25T07:00:00Z"), 2 * H),
        t("2026-05-25T11:00:00Z")
    );
    // After closing: the next morning.
    assert_eq!(
        s.add_business_seconds(t("2026-05-25T17:30:00Z"), 2 * H),
        t("2026-05-26T11:00:00Z")
    );
    // Nothing open in between counts as nothing.
    assert_eq!(
        s.business_seconds_between(t("2026-05-22T17:00:00Z"), t("2026-05-25T09:00:00Z")),
        0
    );
}

#[test]
fn a_target_used_up_at_closing_time_is_due_then() {
    let s = office("UTC", &[]);
    // Fri 16:30 + 30 min = Fri 17:00, not Monday 09:00.
    assert_eq!(
        s.add_business_seconds(t("2026-05-22T16:30:00Z"), 1800),
        t("2026-05-22T17:00:00Z")
    );
    // A whole week of open time from a Monday's midnight ends on Friday
    // at 17:00 (the week-skip must not jump past it).
    assert_eq!(
        s.add_business_seconds(t("2026-05-25T00:00:00Z"), 40 * H),
        t("2026-05-29T17:00:00Z")
    );
    assert_eq!(
        s.add_business_seconds(t("2026-05-25T00:00:00Z"), 40 * H + 1),
        t("2026-06-01T09:00:01Z")
    );
    // Zero: where it starts, even when closed.
    let sat = t("2026-05-23T10:00:00Z");
    assert_eq!(s.add_business_seconds(sat, 0), sat);
    assert_eq!(s.add_business_seconds(sat, -5), sat);
}

#[test]
fn several_intervals_a_day() {
    let lunch = Some("09:00-12:00, 13:00-17:00");
    let s = schedule("UTC", [lunch, lunch, lunch, lunch, lunch, None, None], &[]);
    // 11:30 + 1h: 30 min before lunch, 30 min after.
    assert_eq!(
        s.add_business_seconds(t("2026-05-25T11:30:00Z"), H),
        t("2026-05-25T13:30:00Z")
    );
    assert_eq!(
        s.business_seconds_between(t("2026-05-25T00:00:00Z"), t("2026-05-26T00:00:00Z")),
        7 * H
    );
    // Touching intervals are merged.
    assert_eq!(
        parse_day("09:00-12:00,12:00-13:00"),
        Ok(vec![(9 * 3600, 13 * 3600)])
    );
}

#[test]
fn zero_length_days() {
    // Closed days, holidays and an interval that falls in the hour skipped
    // by the change to summer time all count nothing.
    let s = schedule(
        "Europe/Berlin",
        [
            Some("09:00-10:00"),
            None,
            None,
            None,
            None,
            None,
            Some("02:00-03:00"),
        ],
        &["2026-03-23"],
    );
    // Sun 22 March: 02:00-03:00 counts 1 h; Mon 23 is a holiday.
    assert_eq!(
        s.business_seconds_between(
            t("2026-03-21T00:00:00+01:00"),
            t("2026-03-24T00:00:00+01:00")
        ),
        H
    );
    // Sun 29 March: 02:00-03:00 does not exist; Mon 30 counts 1 h.
    assert_eq!(
        s.business_seconds_between(
            t("2026-03-28T00:00:00+01:00"),
            t("2026-03-31T00:00:00+02:00")
        ),
        H
    );
    // A deadline never lands inside the skipped hour: from Saturday, one
    // hour is Monday 10:00.
    assert_eq!(
        s.add_business_seconds(t("2026-03-28T12:00:00+01:00"), H),
        t("2026-03-30T10:00:00+02:00")
    );
}

#[test]
fn daylight_saving_days_are_23_and_25_hours_long() {
    let s = always("Europe/Berlin");
    // 2026-03-29: 02:00 CET becomes 03:00 CEST.
    assert_eq!(
        s.business_seconds_between(
            t("2026-03-29T00:00:00+01:00"),
            t("2026-03-30T00:00:00+02:00")
        ),
        23 * H
    );
    // 2026-10-25: 03:00 CEST becomes 02:00 CET.
    assert_eq!(
        s.business_seconds_between(
            t("2026-10-25T00:00:00+02:00"),
            t("2026-10-26T00:00:00+01:00")
        ),
        25 * H
    );
    // The week around a change is not skipped as a plain week: a whole
    // 24/7 week holding the spring change is 167 hours.
    assert_eq!(
        s.business_seconds_between(
            t("2026-03-23T00:00:00+01:00"),
            t("2026-03-30T00:00:00+02:00")
        ),
        167 * H
    );
    // The repeated hour: 02:00-03:00 on the autumn Sunday starts at the
    // first 02:00 and ends at 03:00, which comes two real hours later.
    let night = schedule(
        "Europe/Berlin",
        [None, None, None, None, None, None, Some("02:00-03:00")],
        &[],
    );
    assert_eq!(
        night.business_seconds_between(t("2026-10-24T00:00:00Z"), t("2026-10-26T00:00:00Z")),
        2 * H
    );
}

#[test]
fn office_hours_follow_the_zone_across_the_change() {
    // Fri 27 March 16:00 CET (15:00Z): 1 h on Friday, then Monday opens at
    // 09:00 CEST, 07:00Z, so 2 h is due at 10:00 CEST = 08:00Z.
    let s = office("Europe/Berlin", &[]);
    assert_eq!(
        s.add_business_seconds(t("2026-03-27T15:00:00Z"), 2 * H),
        t("2026-03-30T08:00:00Z")
    );
    // The same week in a fixed +01:00 zone: Monday opens at 08:00Z.
    let fixed = office("+01:00", &[]);
    assert_eq!(
        fixed.add_business_seconds(t("2026-03-27T15:00:00Z"), 2 * H),
        t("2026-03-30T09:00:00Z")
    );
    // A whole year of office hours: 52 weeks of 40 h, minus nothing,
    // Monday to Monday, across both changes.
    assert_eq!(
        s.business_seconds_between(
            t("2026-01-05T00:00:00+01:00"),
            t("2027-01-04T00:00:00+01:00")
        ),
        52 * 40 * H
    );
}

#[test]
fn long_spans_are_fast() {
    // Fifty years of office hours, forth and back: with whole weeks
    // skipped this is a few thousand steps, not millions.
    let s = office("America/New_York", &["2030-12-25", "2040-07-04"]);
    let from = t("2026-01-05T08:00:00-05:00");
    let started = std::time::Instant::now();
    let fifty_years = s.business_seconds_between(from, t("2076-01-05T08:00:00-05:00"));
    let back = s.add_business_seconds(from, fifty_years);
    assert!(back <= t("2076-01-05T08:00:00-05:00"));
    assert_eq!(s.business_seconds_between(from, back), fifty_years);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // Far past what anyone sets: saturates instead of overflowing.
    let far = s.add_business_seconds(from, i64::MAX);
    assert!(far > t("9999-01-01T00:00:00Z"));
}

// ---------------------------------------------------------------------------
// Properties, against references

/// xorshift: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n as u64) as i64
    }
}

fn at_secs(secs: i64) -> Timestamp {
    timestamp(secs * MICROS)
}

fn secs(t: Timestamp) -> i64 {
    micros(t) / MICROS
}

/// The schedules the properties run on: zones with and without changes,
/// holidays, split days, a 24/7 week, an odd weekend.
fn samples() -> Vec<Schedule> {
    let split = Some("08:30-12:00,13:00-17:45");
    vec![
        office(
            "Europe/Berlin",
            &["2026-12-25", "2026-12-26", "2027-01-01", "2026-03-30"],
        ),
        schedule(
            "America/New_York",
            [split, split, split, split, split, Some("10:00-14:00"), None],
            &["2026-11-26"],
        ),
        always("Europe/Berlin"),
        schedule(
            "+05:30",
            [
                None,
                None,
                None,
                None,
                Some("00:00-02:00,22:00-24:00"),
                Some("09:00-18:00"),
                Some("09:00-18:00"),
            ],
            &["2026-06-06"],
        ),
        schedule(
            "Australia/Lord_Howe",
            [
                Some("01:00-03:00"),
                None,
                None,
                None,
                None,
                None,
                Some("00:00-24:00"),
            ],
            &[],
        ),
    ]
}

/// Open seconds by looking at every minute's local wall-clock time (the
/// obvious definition; it agrees with the module's rule for repeated and
/// skipped hours when no interval starts or ends inside them, true of the
/// sample schedules except Lord Howe's, whose 30-minute change falls at
/// 02:00, inside 01:00-03:00 and so is left to `day_by_day`).
fn minute_by_minute(s: &Schedule, from: i64, to: i64) -> i64 {
    assert!(from % 60 == 0 && to % 60 == 0);
    let mut total = 0;
    let mut m = from;
    while m < to {
        let local = s.zone.local(m * MICROS);
        let secs = local.time().num_seconds_from_midnight();
        let open = !s.holidays.contains(&local.date())
            && s.week[local.date().weekday().num_days_from_monday() as usize]
                .iter()
                .any(|&(a, b)| a <= secs && secs < b);
        if open {
            total += 60;
        }
        m += 60;
    }
    total
}

/// Open microseconds day by day, never skipping a week.
fn day_by_day(s: &Schedule, from: i64, to: i64) -> i64 {
    let mut total = 0;
    let mut date = s.zone.local_date(from) - Days::new(1);
    while date <= s.zone.local_date(to) {
        for (a, b) in s.day(date) {
            total += (b.min(to) - a.max(from)).max(0);
        }
        date = date.succ_opt().unwrap();
    }
    total
}

use chrono::Timelike;

const BASE: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

#[test]
fn counting_matches_minute_by_minute_and_day_by_day() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for (n, s) in samples().iter().enumerate() {
        for _ in 0..60 {
            // Minute-aligned, spread over 2026 (so both changes), spans up
            // to ten days.
            let from = BASE + rng.below(365 * 1440) * 60;
            let to = from + rng.below(10 * 1440) * 60;
            let fast = s.open_micros(from * MICROS, to * MICROS);
            assert_eq!(
                fast,
                day_by_day(s, from * MICROS, to * MICROS),
                "sample {n}"
            );
            if n != 4 {
                assert_eq!(
                    fast / MICROS,
                    minute_by_minute(s, from, to),
                    "sample {n} {from} {to}"
                );
            }
        }
        for _ in 0..40 {
            // Long spans, any second, to exercise the week skip.
            let from = BASE + rng.below(365 * 86_400);
            let to = from + rng.below(3 * 365 * 86_400);
            assert_eq!(
                s.open_micros(from * MICROS, to * MICROS),
                day_by_day(s, from * MICROS, to * MICROS),
                "sample {n} {from} {to}"
            );
        }
    }
}

#[test]
fn adding_inverts_counting() {
    let mut rng = Rng(0xfeed_0000_beef_0002);
    for (n, s) in samples().iter().enumerate() {
        for _ in 0..200 {
            let from = at_secs(BASE + rng.below(365 * 86_400));
            let days = if rng.next().is_multiple_of(4) {
                400
            } else {
                20
            };
            let to = at_secs(secs(from) + rng.below(days * 86_400));
            let between = s.business_seconds_between(from, to);
            let back = s.add_business_seconds(from, between);
            // At or before `to`: the same open time, reached no later.
            assert!(back <= to, "sample {n}: {from} {to} {back}");
            assert_eq!(
                s.business_seconds_between(from, back),
                between,
                "sample {n}"
            );
            assert_eq!(s.business_seconds_between(back, to), 0, "sample {n}");
            // Exactly `to` when it is inside open hours (open just before).
            let open_before = s.business_seconds_between(at_secs(secs(to) - 1), to) == 1;
            if open_before && between > 0 {
                assert_eq!(back, to, "sample {n}: {from} {to}");
            }
            // And the other way round: counting what adding gives.
            let amount = rng.below(200 * H);
            let due = s.add_business_seconds(from, amount);
            assert!(due >= from);
            assert_eq!(s.business_seconds_between(from, due), amount, "sample {n}");
        }
    }
}

#[test]
fn results_are_monotone_and_additive() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for (n, s) in samples().iter().enumerate() {
        for _ in 0..200 {
            let mut p = [0; 3].map(|_| BASE + rng.below(2 * 365 * 86_400));
            p.sort();
            let [a, b, c] = p.map(at_secs);
            // More time never counts less, and spans add up.
            let (ab, bc, ac) = (
                s.business_seconds_between(a, b),
                s.business_seconds_between(b, c),
                s.business_seconds_between(a, c),
            );
            assert!(0 <= ab && ab <= ac && bc <= ac, "sample {n}");
            assert_eq!(ab + bc, ac, "sample {n}: {a} {b} {c}");
            // A later start or a larger amount never gives an earlier
            // deadline.
            let x = rng.below(100 * H);
            let y = x + rng.below(100 * H);
            assert!(
                s.add_business_seconds(a, x) <= s.add_business_seconds(a, y),
                "sample {n}"
            );
            assert!(
                s.add_business_seconds(a, x) <= s.add_business_seconds(b, x),
                "sample {n}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Config

fn sla(yaml: &str) -> Result<Policy, String> {
    let config = crate::domain::Config::parse(&format!("format: 1\nsla:\n{yaml}"))?;
    Ok(config.sla.policy().clone())
}

#[test]
fn policy_from_config() {
    let p = sla(concat!(
        "  urgent: {first_response: 1h}\n",
        "  calendar: business\n",
        "  business_hours:\n",
        "    timezone: Europe/Berlin\n",
        "    days: {mon: \"09:00-12:00,13:00-17:00\", fri: 09:00-15:00, sat: null}\n",
        "    holidays: [2026-12-25]\n",
        "  pause_on: [pending]\n",
        "  warn_before: 20%\n",
    ))
    .unwrap();
    let Hours::Business(s) = &p.hours else {
        panic!("{p:?}")
    };
    assert_eq!(s.week_micros, 13 * H * MICROS);
    assert_eq!(s.zone(), Zone::Iana(chrono_tz::Europe::Berlin));
    assert_eq!(p.pause_on, vec![Status::Pending]);
    assert_eq!(p.warn, Some(Warn::Percent(20)));
    // Defaults: calendar time, pending and on-hold pause, no warning.
    assert_eq!(
        sla("  urgent: {first_response: 1h}\n").unwrap(),
        Policy::default()
    );
    assert_eq!(sla("  pause_on: []\n").unwrap().pause_on, vec![]);
    assert_eq!(
        sla("  warn_before: 1h30m\n").unwrap().warn,
        Some(Warn::Before(5400))
    );
    assert_eq!(
        Zone::parse("-05:30"),
        Ok(Zone::Fixed(FixedOffset::west_opt(19_800).unwrap()))
    );
    assert_eq!(Zone::parse("UTC"), Ok(Zone::Fixed(Utc.fix())));
}

#[test]
fn config_errors_name_the_key() {
    let hours = |h: &str| format!("  calendar: business\n  business_hours:\n{h}");
    let cases = [
        (
            hours("    timezone: Europe/Berln\n    days: {mon: 09:00-17:00}\n"),
            "sla.business_hours.timezone: `Europe/Berln`",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 9-17}\n"),
            "sla.business_hours.days.mon: `9-17`",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 17:00-09:00}\n"),
            "sla.business_hours.days.mon",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: \"09:00-12:00,11:00-13:00\"}\n"),
            "overlapping",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 09:00-25:00}\n"),
            "sla.business_hours.days.mon",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 09:00-09:00}\n"),
            "sla.business_hours.days.mon",
        ),
        (
            hours("    timezone: UTC\n    days: {sat: null}\n"),
            "sla.business_hours.days: no open hours",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 09:00-17:00}\n    holidays: [2026-02-30]\n"),
            "sla.business_hours.holidays[0]",
        ),
        (
            hours("    timezone: UTC\n    days: {mon: 09:00-17:00, thursday: 09:00-17:00}\n"),
            "thursday",
        ),
        (hours("    days: {mon: 09:00-17:00}\n"), "timezone"),
        (
            "  calendar: business\n".into(),
            "sla.business_hours: required",
        ),
        (
            "  business_hours: {timezone: UTC, days: {mon: 09:00-17:00}}\n".into(),
            "sla.business_hours: only used",
        ),
        ("  calendar: weekdays\n".into(), "weekdays"),
        ("  pause_on: [closed]\n".into(), "sla.pause_on[0]: `closed`"),
        (
            "  pause_on: [pending, open]\n".into(),
            "sla.pause_on[1]: `open`",
        ),
        ("  warn_before: soon\n".into(), "sla.warn_before: `soon`"),
        ("  warn_before: 100%\n".into(), "sla.warn_before: `100%`"),
    ];
    for (yaml, expected) in cases {
        let err = sla(&yaml).expect_err(&yaml);
        assert!(err.contains(expected), "{yaml}: {err}");
    }
}

#[test]
fn config_round_trips_and_keeps_the_old_shape() {
    let text = "format: 1\nsla:\n  high: {first_response: 4h, resolution: 2d}\n  calendar: business\n  business_hours:\n    timezone: +01:00\n    days: {tue: 08:00-16:00}\n  warn_before: 30m\n";
    let c = crate::domain::Config::parse(text).unwrap();
    assert_eq!(crate::domain::Config::parse(&c.to_yaml()).unwrap(), c);
    assert_eq!(c.sla.seconds(Priority::High), (Some(4 * H), Some(48 * H)));
}

// ---------------------------------------------------------------------------
// Clocks

fn policy(hours: Hours) -> Policy {
    Policy {
        hours,
        ..Policy::default()
    }
}

#[test]
fn pending_pauses_the_clock_and_moves_the_deadline() {
    // Target 4h from 09:00; pending 10:00-12:00.
    let p = policy(Hours::Calendar);
    let clock = Clock::new(&p, 4 * H);
    let start = t("2026-05-25T09:00:00Z");
    let timeline = [
        (start, Status::New),
        (t("2026-05-25T10:00:00Z"), Status::Pending),
        (t("2026-05-25T12:00:00Z"), Status::Open),
    ];
    // Before the pause: due at 13:00.
    let before = clock.measure(start, &timeline, None, t("2026-05-25T09:30:00Z"));
    assert_eq!((before.phase, before.elapsed), (Phase::Running, 1800));
    assert_eq!(before.due_at, t("2026-05-25T13:00:00Z"));
    // During it: 1h used, 3h left from now, were it to resume.
    let paused = clock.measure(start, &timeline, None, t("2026-05-25T11:00:00Z"));
    assert_eq!(
        (paused.phase, paused.elapsed, paused.remaining),
        (Phase::Paused, H, 3 * H)
    );
    assert_eq!(paused.due_at, t("2026-05-25T14:00:00Z"));
    // After it: 3h used at 14:00, due at 15:00 (two hours later than
    // without the pause), on time.
    let after = clock.measure(start, &timeline, None, t("2026-05-25T14:00:00Z"));
    assert_eq!(
        (after.phase, after.elapsed, after.remaining),
        (Phase::Running, 3 * H, H)
    );
    assert_eq!(after.due_at, t("2026-05-25T15:00:00Z"));
    assert_eq!(after.standing(), Standing::OnTime);
    // With nothing pausing, the same ticket breached at 13:00.
    let no_pause = Policy {
        pause_on: vec![],
        ..policy(Hours::Calendar)
    };
    let s = Clock::new(&no_pause, 4 * H).measure(start, &timeline, None, t("2026-05-25T14:00:00Z"));
    assert_eq!((s.elapsed, s.remaining), (5 * H, -H));
    assert_eq!(s.breached_at(), Some(t("2026-05-25T13:00:00Z")));
    assert_eq!(s.standing(), Standing::Breached);
}

#[test]
fn pause_in_business_time() {
    // Target 8 business hours from Friday 09:00; pending Friday 13:00 to
    // Monday 11:00. Friday counts 4h, Monday from 11:00: 4h more, 15:00.
    let p = policy(Hours::Business(Box::new(office("UTC", &[]))));
    let clock = Clock::new(&p, 8 * H);
    let start = t("2026-05-22T09:00:00Z");
    let timeline = [
        (start, Status::New),
        (t("2026-05-22T13:00:00Z"), Status::Pending),
        (t("2026-05-25T11:00:00Z"), Status::Open),
    ];
    let s = clock.measure(start, &timeline, None, t("2026-05-25T12:00:00Z"));
    assert_eq!((s.elapsed, s.remaining), (5 * H, 3 * H));
    assert_eq!(s.due_at, t("2026-05-25T15:00:00Z"));
    // Paused over the weekend: resuming Saturday counts from Monday 09:00.
    let s = clock.measure(start, &timeline, None, t("2026-05-23T12:00:00Z"));
    assert_eq!(s.phase, Phase::Paused);
    assert_eq!(s.due_at, t("2026-05-25T13:00:00Z"));
}

#[test]
fn breached_overnight_though_no_business_time_passes() {
    // 30 min from Friday 16:30: due at 17:00. On Saturday nothing more
    // has counted, yet the deadline has passed.
    let p = policy(Hours::Business(Box::new(office("UTC", &[]))));
    let clock = Clock::new(&p, 1800);
    let start = t("2026-05-22T16:30:00Z");
    let timeline = [(start, Status::New)];
    let s = clock.measure(start, &timeline, None, t("2026-05-23T12:00:00Z"));
    assert_eq!((s.elapsed, s.remaining), (1800, 0));
    assert_eq!(s.breached_at(), Some(t("2026-05-22T17:00:00Z")));
    // Answered at 17:00 exactly: met. A second later: breached.
    let met = clock.measure(
        start,
        &timeline,
        Some(t("2026-05-22T17:00:00Z")),
        t("2026-05-23T12:00:00Z"),
    );
    assert_eq!(
        (met.phase, met.standing()),
        (Phase::Stopped, Standing::OnTime)
    );
    let late = clock.measure(
        start,
        &timeline,
        Some(t("2026-05-22T17:00:01Z")),
        t("2026-05-23T12:00:00Z"),
    );
    assert_eq!(late.standing(), Standing::Breached);
    // Answered on Saturday: breached, though no business time passed.
    let sat = clock.measure(
        start,
        &timeline,
        Some(t("2026-05-23T10:00:00Z")),
        t("2026-05-23T12:00:00Z"),
    );
    assert_eq!((sat.elapsed, sat.standing()), (1800, Standing::Breached));
}

#[test]
fn warning_thresholds() {
    let start = t("2026-05-25T09:00:00Z");
    let timeline = [(start, Status::New)];
    for warn in [Warn::Before(H), Warn::Percent(25)] {
        let p = Policy {
            warn: Some(warn),
            ..policy(Hours::Calendar)
        };
        let clock = Clock::new(&p, 4 * H);
        // Warns at 12:00 (1h, or a quarter of 4h, before 13:00).
        let early = clock.measure(start, &timeline, None, t("2026-05-25T11:59:59Z"));
        assert_eq!(early.warn_at, Some(t("2026-05-25T12:00:00Z")));
        assert_eq!(early.standing(), Standing::OnTime);
        let s = clock.measure(start, &timeline, None, t("2026-05-25T12:00:00Z"));
        assert_eq!(s.standing(), Standing::Warning);
        assert_eq!(s.warn_at, Some(t("2026-05-25T12:00:00Z")));
        let s = clock.measure(start, &timeline, None, t("2026-05-25T13:30:00Z"));
        assert_eq!(s.standing(), Standing::Breached);
        // A clock stopped in the warning zone was met.
        let s = clock.measure(
            start,
            &timeline,
            Some(t("2026-05-25T12:30:00Z")),
            t("2026-05-25T14:00:00Z"),
        );
        assert_eq!(s.standing(), Standing::OnTime);
    }
    // Warning before more than the target: from the start.
    let p = Policy {
        warn: Some(Warn::Before(10 * H)),
        ..policy(Hours::Calendar)
    };
    let s = Clock::new(&p, 4 * H).measure(start, &timeline, None, start);
    assert_eq!(s.warn_at, Some(start));
}

#[test]
fn closing_stops_the_resolution_clock_and_reopening_resumes_it() {
    let p = policy(Hours::Calendar);
    let clock = Clock::new(&p, 3 * H);
    let start = t("2026-05-25T09:00:00Z");
    let timeline = [
        (start, Status::New),
        (t("2026-05-25T10:00:00Z"), Status::Closed),
        (t("2026-05-25T12:00:00Z"), Status::Open),
    ];
    // Closed at 10:00 after 1h.
    let closed = clock.measure(start, &timeline, None, t("2026-05-25T11:00:00Z"));
    assert_eq!(closed.phase, Phase::Stopped);
    assert_eq!(closed.stopped_at, Some(t("2026-05-25T10:00:00Z")));
    assert_eq!((closed.elapsed, closed.standing()), (H, Standing::OnTime));
    // Reopened at 12:00: 2h left, due at 14:00; breached at 14:30.
    let reopened = clock.measure(start, &timeline, None, t("2026-05-25T12:30:00Z"));
    assert_eq!(
        (reopened.phase, reopened.elapsed),
        (Phase::Running, H + 1800)
    );
    assert_eq!(reopened.due_at, t("2026-05-25T14:00:00Z"));
    let late = clock.measure(start, &timeline, None, t("2026-05-25T14:30:00Z"));
    assert_eq!(late.breached_at(), Some(t("2026-05-25T14:00:00Z")));
    // The report's view (to the first close) is the same walk with the
    // first close as the stop: met.
    let first = clock.measure(
        start,
        &timeline,
        Some(t("2026-05-25T10:00:00Z")),
        t("2026-05-25T14:30:00Z"),
    );
    assert_eq!((first.elapsed, first.standing()), (H, Standing::OnTime));
}

#[test]
fn events_at_or_after_now_are_not_seen_and_odd_timelines_are_tolerated() {
    let p = policy(Hours::Calendar);
    let clock = Clock::new(&p, 4 * H);
    let start = t("2026-05-25T09:00:00Z");
    // A reply at `now` has not been seen yet.
    let s = clock.measure(
        start,
        &[(start, Status::New)],
        Some(t("2026-05-25T10:00:00Z")),
        t("2026-05-25T10:00:00Z"),
    );
    assert_eq!(s.phase, Phase::Running);
    // Before the start nothing counts.
    let s = clock.measure(
        start,
        &[(start, Status::New)],
        None,
        t("2026-05-25T08:00:00Z"),
    );
    assert_eq!((s.elapsed, s.due_at), (0, t("2026-05-25T13:00:00Z")));
    // A change dated before the one before it takes effect with it: here
    // pending from 10:00, so 1h counted by 11:00.
    let timeline = [
        (start, Status::New),
        (t("2026-05-25T10:00:00Z"), Status::Open),
        (t("2026-05-25T09:30:00Z"), Status::Pending),
    ];
    let s = clock.measure(start, &timeline, None, t("2026-05-25T11:00:00Z"));
    assert_eq!((s.phase, s.elapsed), (Phase::Paused, H));
    // A status set before the start applies from it.
    let early = [(t("2026-05-25T08:00:00Z"), Status::Pending)];
    let s = clock.measure(start, &early, None, t("2026-05-25T11:00:00Z"));
    assert_eq!((s.phase, s.elapsed), (Phase::Paused, 0));
}

fn facts(statuses: &[(&str, Status)]) -> TicketFacts {
    let at = |s: &str| t(s);
    TicketFacts {
        id: TicketId::from_random([1, 2, 3, 4, 5]),
        subject: "printer".into(),
        created_at: Some(at(statuses[0].0)),
        customer_messages: vec![at(statuses[0].0)],
        replies: Vec::new(),
        notes: Vec::new(),
        assignments: Vec::new(),
        statuses: statuses
            .iter()
            .map(|(s, to)| StatusChange { at: at(s), to: *to })
            .collect(),
        priorities: Vec::new(),
        closes: statuses
            .iter()
            .filter(|(_, to)| *to == Status::Closed)
            .map(|(s, _)| Act {
                at: at(s),
                by: "alice".into(),
            })
            .collect(),
        reopens: Vec::new(),
        status: statuses.last().unwrap().1,
        priority: Priority::Normal,
        assignee: None,
        tags: Default::default(),
        fields: Default::default(),
        customer_domain: None,
        tasks: Vec::new(),
        channel: crate::domain::Channel::Cli,
        department: None,
        survey: None,
        rating: None,
    }
}

#[test]
fn clocks_from_ticket_facts() {
    let p = policy(Hours::Business(Box::new(office("UTC", &[]))));
    let clock = Clock::new(&p, 2 * H);
    let mut f = facts(&[
        ("2026-05-22T16:30:00Z", Status::New),
        ("2026-05-25T09:30:00Z", Status::Pending),
        ("2026-05-25T10:00:00Z", Status::Open),
        ("2026-05-25T11:00:00Z", Status::Closed),
    ]);
    f.replies.push(Act {
        at: t("2026-05-25T09:15:00Z"),
        by: "alice".into(),
    });
    let now = t("2026-05-26T12:00:00Z");
    // First response: Fri 30 min + Mon 15 min.
    let fr = clock.first_response(&f, now).unwrap();
    assert_eq!((fr.phase, fr.elapsed), (Phase::Stopped, 2700));
    assert_eq!(fr.stopped_at, Some(t("2026-05-25T09:15:00Z")));
    // Resolution: Fri 30 min, Mon 09:00-09:30 and 10:00-11:00: 2h, met
    // exactly at the close.
    let res = clock.resolution(&f, now).unwrap();
    assert_eq!(
        (res.phase, res.elapsed, res.remaining),
        (Phase::Stopped, 2 * H, 0)
    );
    assert_eq!(res.due_at, t("2026-05-25T11:00:00Z"));
    assert_eq!(res.standing(), Standing::OnTime);
    // Before the reply, a first-response clock on Monday morning: 1h30
    // left from 09:00.
    let fr = clock.first_response(&f, t("2026-05-25T09:10:00Z")).unwrap();
    assert_eq!((fr.phase, fr.elapsed), (Phase::Running, 2400));
    assert_eq!(fr.due_at, t("2026-05-25T10:30:00Z"));
    // Closed without any reply: the close stops the first-response clock.
    f.replies.clear();
    let fr = clock.first_response(&f, now).unwrap();
    assert_eq!(fr.stopped_at, Some(t("2026-05-25T11:00:00Z")));
}
