//! `tix report`: every metric checked against small hand-built trails
//! whose right answers are worked out in the comments. The real binary
//! writes every entry at a known time (TIX_NOW); the definitions are in
//! docs/reports.md.

use crate::common::Sandbox;
use serde_json::{Value, json};

/// When the reports are run: after everything below happened.
const NOW: &str = "2026-01-20T00:00:00Z";
/// The week most reports cover: Monday 2026-01-05 to Sunday 2026-01-11.
const WEEK: [&str; 4] = ["--since", "2026-01-05", "--until", "2026-01-12"];

/// Runs tix at `when`, as alice (the sandbox's git identity).
#[track_caller]
fn at(sb: &Sandbox, when: &str, args: &[&str]) -> String {
    sb.tix(args).now(when).ok()
}

/// Runs tix at `when`, as bob.
#[track_caller]
fn bob(sb: &Sandbox, when: &str, args: &[&str]) -> String {
    sb.tix(args).now(when).env("TIX_AGENT", "bob").ok()
}

/// Creates a ticket at `when` with a request in its body.
#[track_caller]
fn create(sb: &Sandbox, when: &str, customer: &str, subject: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "create",
        "--customer",
        customer,
        "--subject",
        subject,
        "-m",
        "Please help",
    ];
    args.extend_from_slice(extra);
    sb.create_with(sb.tix(args).now(when))
}

/// `tix report ARGS --format json` at NOW, parsed.
#[track_caller]
fn report(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb
        .tix(["report"].iter().chain(args))
        .now(NOW)
        .arg_pair("--format", "json")
        .ok();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("report json: {e}\n{out}"))
}

/// Report args: `kind`, then `extra`, then the week.
fn in_week<'a>(kind: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![kind];
    v.extend_from_slice(extra);
    v.extend(WEEK);
    v
}

/// The tickets of the main scenario.
struct Desk {
    sb: Sandbox,
    t1: String,
    t2: String,
    t5: String,
}

/// Agents alice and bob; six tickets around the week of 2026-01-05:
///
/// * T0 (normal, dana@example.com): created 01-01 09:00, alice replies
///   01-01 10:00, alice closes 01-05 10:00 (in the week).
/// * T1 (high, tag printer, ann@example.com, assigned to bob at creation):
///   created 01-05 09:00; bob replies 11:30; bob sets pending 12:00; bob
///   sets open 01-06 12:00; alice closes 01-06 15:00; alice reopens 01-07
///   10:00; bob replies 11:00; bob closes 12:00.
/// * T2 (normal, tag billing, carl@acme.test): created 01-06 10:00; alice
///   assigns bob 10:05, writes a note 10:10, replies 14:00 and 01-09 09:00.
/// * T3 (urgent, ann@example.com, assigned to bob): created 01-11 08:00;
///   bob replies 08:30.
/// * T5 (normal, erin@acme.test): created 01-11 19:00; never answered.
/// * T4 (low, finn@example.org, assigned to bob): created 01-13 09:00,
///   after the week.
fn desk() -> Desk {
    let sb = Sandbox::init();
    sb.add_bob();
    let t0 = create(
        &sb,
        "2026-01-01T09:00:00Z",
        "Dana <dana@example.com>",
        "Old",
        &[],
    );
    at(&sb, "2026-01-01T10:00:00Z", &["reply", &t0, "-m", "On it"]);
    at(&sb, "2026-01-05T10:00:00Z", &["close", &t0]);

    let t1 = create(
        &sb,
        "2026-01-05T09:00:00Z",
        "Ann <ann@example.com>",
        "Printer",
        &["--priority", "high", "--tag", "printer", "--assign", "bob"],
    );
    bob(
        &sb,
        "2026-01-05T11:30:00Z",
        &["reply", &t1, "-m", "Restart it"],
    );
    bob(&sb, "2026-01-05T12:00:00Z", &["status", &t1, "pending"]);
    bob(&sb, "2026-01-06T12:00:00Z", &["status", &t1, "open"]);
    at(&sb, "2026-01-06T15:00:00Z", &["close", &t1]);
    at(&sb, "2026-01-07T10:00:00Z", &["reopen", &t1]);
    bob(&sb, "2026-01-07T11:00:00Z", &["reply", &t1, "-m", "Again?"]);
    bob(&sb, "2026-01-07T12:00:00Z", &["close", &t1]);

    let t2 = create(
        &sb,
        "2026-01-06T10:00:00Z",
        "Carl <carl@acme.test>",
        "Invoice",
        &["--tag", "billing"],
    );
    at(&sb, "2026-01-06T10:05:00Z", &["assign", &t2, "bob"]);
    at(&sb, "2026-01-06T10:10:00Z", &["comment", &t2, "-m", "VIP"]);
    at(
        &sb,
        "2026-01-06T14:00:00Z",
        &["reply", &t2, "-m", "Looking"],
    );
    at(
        &sb,
        "2026-01-09T09:00:00Z",
        &["reply", &t2, "-m", "Fixed soon"],
    );

    let t3 = create(
        &sb,
        "2026-01-11T08:00:00Z",
        "Ann <ann@example.com>",
        "Down",
        &["--priority", "urgent", "--assign", "bob"],
    );
    bob(
        &sb,
        "2026-01-11T08:30:00Z",
        &["reply", &t3, "-m", "Up again"],
    );

    let t5 = create(
        &sb,
        "2026-01-11T19:00:00Z",
        "Erin <erin@acme.test>",
        "Hi",
        &[],
    );
    create(
        &sb,
        "2026-01-13T09:00:00Z",
        "Finn <finn@example.org>",
        "Later",
        &["--priority", "low", "--assign", "bob"],
    );
    Desk { sb, t1, t2, t5 }
}

const NO_FILTERS: &str = r#"{"status": [], "assignee": null, "unassigned": false, "customer": null, "tags": [], "priority": [], "fields": {}, "group": null, "department": null}"#;

fn no_filters() -> Value {
    serde_json::from_str(NO_FILTERS).unwrap()
}

#[test]
fn summary_of_a_week() {
    let d = desk();
    let r = report(&d.sb, &in_week("summary", &[]));
    assert_eq!(r["report"], "summary");
    assert_eq!(
        r["period"],
        json!({"since": "2026-01-05T00:00:00.000000Z", "until": "2026-01-12T00:00:00.000000Z"})
    );
    assert_eq!(r["filters"], no_filters());
    // Created in the week: T1, T2, T3, T5.
    assert_eq!(r["created"], 4);
    // Closed in the week: T0 (01-05) and T1 (01-06 and 01-07, once).
    assert_eq!(r["resolved"], 2);
    // T1's reopening on 01-07.
    assert_eq!(r["reopened"], 1);
    // Open at 01-12 00:00: T2 (created 01-06 10:00, 5d 14h old), T3 (16h),
    // T5 (5h). T4 did not exist yet.
    assert_eq!(
        r["backlog"],
        json!({"total": 3, "ages": {"under_1d": 2, "1d_to_3d": 0, "3d_to_7d": 1, "7d_to_30d": 0, "over_30d": 0}})
    );
    // First responses: T1 2h 30m (9000 s), T2 4h (14400), T3 30m (1800);
    // T5 unanswered. Median 9000; mean (9000 + 14400 + 1800) / 3 = 8400.
    assert_eq!(
        r["first_response"],
        json!({"tickets": 4, "answered": 3, "unanswered": 1, "median_seconds": 9000, "mean_seconds": 8400})
    );
    // First closes in the week: T0 01-01 09:00 → 01-05 10:00 = 4d 1h
    // (349200 s); T1 01-05 09:00 → 01-06 15:00 = 30h (108000 s), of which
    // 24h pending (01-05 12:00 → 01-06 12:00), so 6h (21600 s) without.
    // Medians of two: (108000 + 349200) / 2 = 228600 and
    // (21600 + 349200) / 2 = 185400.
    assert_eq!(
        r["resolution"],
        json!({
            "tickets": 2,
            "median_seconds": 228600,
            "mean_seconds": 228600,
            "median_seconds_excluding_waiting": 185400,
            "mean_seconds_excluding_waiting": 185400
        })
    );
    // Replies on the 4 tickets created: T1 2, T2 2, T3 1, T5 0 → 5 / 4.
    assert_eq!(r["replies"], json!({"count": 5, "per_ticket": 1.25}));
}

#[test]
fn agents_of_a_week() {
    let d = desk();
    let r = report(&d.sb, &in_week("agents", &[]));
    assert_eq!(r["report"], "agents");
    assert_eq!(
        r["agents"],
        json!([
            {
                // Closed T0 and T1 (01-06); replied twice on T2; one note;
                // first (and only) response: T2's, 4h.
                "agent": "alice",
                "assigned": 0,
                "closed": 2,
                "replies": 2,
                "notes": 1,
                "first_responses": 1,
                "first_response_median_seconds": 14400,
                "responses": 1,
                "response_median_seconds": 14400,
                "open_now": 0,
                "tasks_open": 0,
                "tasks_done": 0,
                "tasks_overdue": 0,
                "csat_rated": 0,
                "csat_percent": null
            },
            {
                // Assigned T1, T2, T3 in the week; closed T1 (01-07);
                // replies: T1 twice, T3 once; first responses T1 9000 and
                // T3 1800 → median 5400. The 01-07 reply on T1 answered
                // no waiting customer. Open now: T2, T3 and T4 (created
                // after the week: open load is now, not in the period).
                "agent": "bob",
                "assigned": 3,
                "closed": 1,
                "replies": 3,
                "notes": 0,
                "first_responses": 2,
                "first_response_median_seconds": 5400,
                "responses": 2,
                "response_median_seconds": 5400,
                "open_now": 3,
                "tasks_open": 0,
                "tasks_done": 0,
                "tasks_overdue": 0,
                "csat_rated": 0,
                "csat_percent": null
            }
        ])
    );
}

#[test]
fn trend_by_day_and_week() {
    let d = desk();
    let r = report(&d.sb, &in_week("trend", &[]));
    assert_eq!(r["by"], "day");
    let rows: Vec<(String, u64, u64, u64, u64)> = r["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bucket"].as_str().unwrap().to_string(),
                b["created"].as_u64().unwrap(),
                b["resolved"].as_u64().unwrap(),
                b["reopened"].as_u64().unwrap(),
                b["backlog"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        // T1 created; T0 closed; at midnight T1 (pending) is open.
        ("2026-01-05", 1, 1, 0, 1),
        // T2 created; T1 closed; T2 open at midnight.
        ("2026-01-06", 1, 1, 0, 1),
        // T1 reopened and closed again.
        ("2026-01-07", 0, 1, 1, 1),
        ("2026-01-08", 0, 0, 0, 1),
        ("2026-01-09", 0, 0, 0, 1),
        ("2026-01-10", 0, 0, 0, 1),
        // T3 and T5 created: T2, T3, T5 open.
        ("2026-01-11", 2, 0, 0, 3),
    ]
    .map(|(b, c, r, o, k)| (b.to_string(), c, r, o, k));
    assert_eq!(rows, expected);
    assert_eq!(r["buckets"][0]["start"], "2026-01-05T00:00:00.000000Z");
    assert_eq!(r["buckets"][0]["end"], "2026-01-06T00:00:00.000000Z");

    // The same week as one ISO week: T1 counts once as resolved.
    let r = report(&d.sb, &in_week("trend", &["--by", "week"]));
    assert_eq!(
        r["buckets"],
        json!([{
            "bucket": "2026-W02",
            "start": "2026-01-05T00:00:00.000000Z",
            "end": "2026-01-12T00:00:00.000000Z",
            "created": 4, "resolved": 2, "reopened": 1, "backlog": 3
        }])
    );
}

#[test]
fn breakdown_by_priority_and_domain() {
    let d = desk();
    let r = report(&d.sb, &in_week("breakdown", &["--by", "priority"]));
    assert_eq!(r["by"], "priority");
    let g = |group: &str, c: u64, res: u64, open: u64, fr: Value, rt: Value| {
        json!({
            "group": group, "created": c, "resolved": res, "open_now": open,
            "first_response_median_seconds": fr, "resolution_median_seconds": rt
        })
    };
    assert_eq!(
        r["groups"],
        json!([
            // T4: open now, nothing in the week.
            g("low", 0, 0, 1, Value::Null, Value::Null),
            // T2 and T5 created (T2 answered in 4h), T0 resolved (4d 1h);
            // T2 and T5 open now.
            g("normal", 2, 1, 2, json!(14400), json!(349200)),
            g("high", 1, 1, 0, json!(9000), json!(108000)),
            g("urgent", 1, 0, 1, json!(1800), Value::Null),
        ])
    );

    let r = report(&d.sb, &in_week("breakdown", &["--by", "domain"]));
    assert_eq!(
        r["groups"],
        json!([
            // T2, T5.
            g("acme.test", 2, 0, 2, json!(14400), Value::Null),
            // T0 (resolved), T1 (created, resolved), T3 (created, open):
            // first responses 9000 and 1800, resolutions 349200 and 108000.
            g("example.com", 2, 2, 1, json!(5400), json!(228600)),
            g("example.org", 0, 0, 1, Value::Null, Value::Null),
        ])
    );

    // By tag: a ticket without tags is in the `null` group.
    let r = report(&d.sb, &in_week("breakdown", &["--by", "tag"]));
    let groups: Vec<Value> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].clone())
        .collect();
    assert_eq!(groups, [json!("billing"), json!("printer"), Value::Null]);
}

#[test]
fn sla_breaches_per_agent_and_overall() {
    let d = desk();
    d.sb.set_config(
        "sla",
        "{urgent: {first_response: 1h, resolution: 1d}, high: {first_response: 2h}, normal: {first_response: 4h, resolution: 3d}}",
    );
    let r = report(&d.sb, &in_week("sla", &[]));
    assert_eq!(
        r["targets"],
        json!({
            "normal": {"first_response_seconds": 14400, "resolution_seconds": 259200},
            "high": {"first_response_seconds": 7200, "resolution_seconds": null},
            "urgent": {"first_response_seconds": 3600, "resolution_seconds": 86400}
        })
    );
    // Tickets created in the week, as of its end (01-12 00:00):
    // first response: T1 2h 30m > 2h breached; T2 4h = 4h met; T3 30m met;
    // T5 unanswered for 5h > 4h, overdue.
    assert_eq!(
        r["first_response"],
        json!({"measured": 4, "met": 2, "breached": 1, "overdue": 1, "running": 0})
    );
    // Resolution (high has no target): T2 open 5d 14h > 3d, overdue; T3
    // open 16h < 1d and T5 open 5h < 3d, running.
    assert_eq!(
        r["resolution"],
        json!({"measured": 3, "met": 0, "breached": 0, "overdue": 1, "running": 2})
    );
    // In deadline order; charged to the assignee when the target passed.
    assert_eq!(
        r["breaches"],
        json!([
            {
                "id": d.t1, "subject": "Printer", "priority": "high",
                "target": "first_response", "target_seconds": 7200,
                "elapsed_seconds": 9000, "state": "breached",
                "deadline": "2026-01-05T11:00:00.000000Z", "agent": "bob"
            },
            {
                "id": d.t2, "subject": "Invoice", "priority": "normal",
                "target": "resolution", "target_seconds": 259200,
                "elapsed_seconds": 482400, "state": "overdue",
                "deadline": "2026-01-09T10:00:00.000000Z", "agent": "bob"
            },
            {
                "id": d.t5, "subject": "Hi", "priority": "normal",
                "target": "first_response", "target_seconds": 14400,
                "elapsed_seconds": 18000, "state": "overdue",
                "deadline": "2026-01-11T23:00:00.000000Z", "agent": null
            }
        ])
    );
    assert_eq!(
        r["agents"],
        json!([
            {"agent": "bob", "first_response": 1, "resolution": 1},
            {"agent": null, "first_response": 1, "resolution": 0}
        ])
    );

    // Piped, the default is CSV: one row per breach.
    let csv = d.sb.tix(["report", "sla"]).now(NOW).args_week().ok();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "since,until,filters,id,subject,priority,target,target_seconds,elapsed_seconds,state,deadline,agent"
    );
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[3],
        format!(
            "2026-01-05T00:00:00.000000Z,2026-01-12T00:00:00.000000Z,,{},Hi,normal,first_response,14400,18000,overdue,2026-01-11T23:00:00.000000Z,",
            d.t5
        )
    );
}

/// Adds the week's `--since`/`--until` to an invocation.
trait WeekArgs {
    fn args_week(self) -> Self;
}

impl WeekArgs for crate::common::Tix<'_> {
    fn args_week(self) -> Self {
        self.arg_pair(WEEK[0], WEEK[1]).arg_pair(WEEK[2], WEEK[3])
    }
}

/// `tix report sla` counts with the clock of `tix sla` and `tix tick`:
/// closed business hours and paused stretches do not count (a report in
/// calendar time would call both of these tickets breached).
#[test]
fn sla_report_counts_business_hours_and_pauses_as_tix_sla_does() {
    let two_weeks = ["--since", "2026-01-05", "--until", "2026-01-19"];

    // Mon-Fri 09:00-17:00. Created Friday 01-09 15:00, answered Monday
    // 01-12 10:00: 2h on Friday and 1h on Monday, 3h of the 4h target
    // (67h of calendar time).
    let office = Sandbox::init();
    office.set_config(
        "sla",
        "{normal: {first_response: 4h}, calendar: business, \
         business_hours: {timezone: UTC, days: {mon: '09:00-17:00', tue: '09:00-17:00', \
         wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00'}}}",
    );
    let weekend = create(
        &office,
        "2026-01-09T15:00:00Z",
        "Ann <ann@example.com>",
        "Weekend",
        &[],
    );
    at(
        &office,
        "2026-01-12T10:00:00Z",
        &["reply", &weekend, "-m", "Monday"],
    );
    // Created Monday 01-12 16:00, unanswered: 1h on Monday and 3h on
    // Tuesday use the target up at Tuesday 12:00, the deadline reported.
    let late = create(
        &office,
        "2026-01-12T16:00:00Z",
        "Bo <bo@example.com>",
        "Late",
        &[],
    );
    let r = report(
        &office,
        &[
            "sla",
            two_weeks[0],
            two_weeks[1],
            two_weeks[2],
            two_weeks[3],
        ],
    );
    assert_eq!(
        r["first_response"],
        json!({"measured": 2, "met": 1, "breached": 0, "overdue": 1, "running": 0}),
        "{r:#}"
    );
    // As of the period's end (Monday 01-19 00:00): 1h + 4 days of 8h.
    assert_eq!(
        r["breaches"],
        json!([{
            "id": late, "subject": "Late", "priority": "normal",
            "target": "first_response", "target_seconds": 14400,
            "elapsed_seconds": 33 * 3600, "state": "overdue",
            "deadline": "2026-01-13T12:00:00.000000Z", "agent": null
        }])
    );

    // Calendar time, pending pauses (the default). Created Monday 01-05
    // 09:00, pending from 10:00 to Wednesday 01-07 10:00, closed 12:00:
    // 3h of the 1d target (51h of calendar time).
    let desk = Sandbox::init();
    desk.set_config("sla", "{normal: {resolution: 1d}}");
    let paused = create(
        &desk,
        "2026-01-05T09:00:00Z",
        "Cy <cy@example.com>",
        "Waits",
        &[],
    );
    at(
        &desk,
        "2026-01-05T10:00:00Z",
        &["status", &paused, "pending"],
    );
    at(&desk, "2026-01-07T10:00:00Z", &["status", &paused, "open"]);
    at(&desk, "2026-01-07T12:00:00Z", &["close", &paused]);
    let r = report(
        &desk,
        &[
            "sla",
            two_weeks[0],
            two_weeks[1],
            two_weeks[2],
            two_weeks[3],
        ],
    );
    assert_eq!(
        r["resolution"],
        json!({"measured": 1, "met": 1, "breached": 0, "overdue": 0, "running": 0}),
        "{r:#}"
    );
    assert_eq!(r["breaches"], json!([]));
}

#[test]
fn filters_narrow_every_report_and_are_echoed() {
    let d = desk();
    // Only T1.
    let r = report(&d.sb, &in_week("summary", &["--tag", "printer"]));
    assert_eq!(r["filters"]["tags"], json!(["printer"]));
    assert_eq!(
        (
            &r["created"],
            &r["resolved"],
            &r["reopened"],
            &r["backlog"]["total"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(0))
    );
    assert_eq!(r["first_response"]["median_seconds"], 9000);
    assert_eq!(r["resolution"]["median_seconds"], 108000);
    assert_eq!(r["resolution"]["median_seconds_excluding_waiting"], 21600);
    assert_eq!(r["replies"], json!({"count": 2, "per_ticket": 2.0}));

    // Assigned to bob now: T1, T2, T3 (and T4, created later). First
    // responses 9000, 14400, 1800 → median 9000.
    let r = report(&d.sb, &in_week("summary", &["--assignee", "bob"]));
    assert_eq!(r["filters"]["assignee"], "bob");
    assert_eq!(r["created"], 3);
    assert_eq!(r["resolved"], 1);
    assert_eq!(r["first_response"]["unanswered"], 0);
    assert_eq!(r["first_response"]["median_seconds"], 9000);
    assert_eq!(r["backlog"]["total"], 2);

    // The customer filter matches names and addresses: T2, T5.
    let r = report(&d.sb, &in_week("summary", &["--customer", "ACME"]));
    assert_eq!(r["filters"]["customer"], "acme");
    assert_eq!(r["created"], 2);
    assert_eq!(r["first_response"]["unanswered"], 1);

    // Status and priority are the current ones: open and normal is T2.
    let r = report(
        &d.sb,
        &in_week("agents", &["--status", "open", "--priority", "normal"]),
    );
    assert_eq!(r["filters"]["status"], json!(["open"]));
    assert_eq!(r["filters"]["priority"], json!(["normal"]));
    let alice = &r["agents"][0];
    assert_eq!(
        (&alice["replies"], &alice["closed"]),
        (&json!(2), &json!(0))
    );
    let bob = &r["agents"][1];
    assert_eq!((&bob["assigned"], &bob["open_now"]), (&json!(1), &json!(1)));

    // Unassigned now: T0 and T5.
    let r = report(&d.sb, &in_week("summary", &["--unassigned"]));
    assert_eq!(r["filters"]["unassigned"], true);
    assert_eq!((&r["created"], &r["resolved"]), (&json!(1), &json!(1)));

    // Every output says so: the table's header line, the CSV columns.
    let table =
        d.sb.tix(["report", "summary", "--tag", "printer", "--format", "table"])
            .now(NOW)
            .args_week()
            .ok();
    assert!(
        table.starts_with(
            "Summary · 2026-01-05 00:00 → 2026-01-12 00:00 UTC · filters: tag=printer\n"
        ),
        "{table}"
    );
    let csv =
        d.sb.tix(["report", "agents", "--priority", "normal,high"])
            .now(NOW)
            .args_week()
            .ok();
    assert!(
        csv.lines().nth(1).unwrap().starts_with(
            "2026-01-05T00:00:00.000000Z,2026-01-12T00:00:00.000000Z,\"priority=normal,high\",alice,"
        ),
        "{csv}"
    );
}

#[test]
fn the_default_period_is_the_last_30_days() {
    let d = desk();
    let r = report(&d.sb, &["summary"]);
    assert_eq!(
        r["period"],
        json!({"since": "2025-12-21T00:00:00.000000Z", "until": "2026-01-20T00:00:00.000000Z"})
    );
    // Every ticket was created in it; open now: T2, T3, T5, T4.
    assert_eq!(r["created"], 6);
    assert_eq!(r["backlog"]["total"], 4);
    // Relative forms: the 5 days before NOW hold nothing but the backlog.
    let r = report(&d.sb, &["summary", "--since", "5d"]);
    assert_eq!(r["period"]["since"], "2026-01-15T00:00:00.000000Z");
    assert_eq!(
        (&r["created"], &r["backlog"]["total"]),
        (&json!(0), &json!(4))
    );
    assert_eq!(r["first_response"]["median_seconds"], Value::Null);
    assert_eq!(r["replies"]["per_ticket"], Value::Null);
    // --until alone: the 30 days before it.
    let r = report(&d.sb, &["summary", "--until", "2026-01-06"]);
    assert_eq!(r["period"]["since"], "2025-12-07T00:00:00.000000Z");
    // T0 and T1 created; T0 answered in 1h, T1 in 2h 30m: median of two
    // (3600 + 9000) / 2.
    assert_eq!(r["created"], 2);
    assert_eq!(r["first_response"]["median_seconds"], 6300);
}

#[test]
fn customer_mail_times_are_when_tix_received_it() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_mail("addresses: [support@example.com]");
    // Sent at 09:00, imported at 09:30: the team has had it since 09:30
    // (its Date header is the sender's claim; see docs/reports.md).
    let first = "From: Gina <gina@example.net>\nTo: support@example.com\nSubject: Scanner\n\
                 Date: Mon, 05 Jan 2026 09:00:00 +0000\nMessage-ID: <g1@example.net>\n\nIt jams.\n";
    sb.tix(["import", "eml"])
        .now("2026-01-05T09:30:00Z")
        .stdin(first)
        .ok();
    let id = sb.list_ids(["list"])[0].clone();
    // alice answers at 11:00: a first response of 1h 30m, not 2h.
    at(
        &sb,
        "2026-01-05T11:00:00Z",
        &["reply", &id, "-m", "Which model?"],
    );
    // Gina writes again at 08:00 the next day (imported 08:20); bob
    // answers at 09:00: a response of 40m.
    let again = format!(
        "From: Gina <gina@example.net>\nTo: support@example.com\nSubject: Re: [tix #{id}] Scanner\n\
         Date: Tue, 06 Jan 2026 08:00:00 +0000\nMessage-ID: <g2@example.net>\n\nThe S200.\n"
    );
    sb.tix(["import", "eml"])
        .now("2026-01-06T08:20:00Z")
        .stdin(again)
        .ok();
    bob(
        &sb,
        "2026-01-06T09:00:00Z",
        &["reply", &id, "-m", "Try this"],
    );

    let r = report(&sb, &in_week("summary", &[]));
    assert_eq!(r["created"], 1);
    assert_eq!(r["first_response"]["median_seconds"], 5400);
    assert_eq!(r["replies"]["count"], 2);
    let r = report(&sb, &in_week("agents", &[]));
    let row = |i: usize| {
        let a = &r["agents"][i];
        (
            a["agent"].as_str().unwrap().to_string(),
            a["first_response_median_seconds"].clone(),
            a["responses"].as_u64().unwrap(),
            a["response_median_seconds"].clone(),
        )
    };
    assert_eq!(row(0), ("alice".into(), json!(5400), 1, json!(5400)));
    assert_eq!(row(1), ("bob".into(), Value::Null, 1, json!(2400)));
    assert_eq!(r["agents"].as_array().unwrap().len(), 2, "{r:#}");
    let r = report(&sb, &in_week("breakdown", &["--by", "domain"]));
    assert_eq!(r["groups"][0]["group"], "example.net");
}

#[test]
fn custom_fields_group_and_filter() {
    let sb = Sandbox::init();
    sb.set_fields("[{name: product, type: choice, choices: [printer, scanner]}]");
    let a = create(
        &sb,
        "2026-01-05T09:00:00Z",
        "a@example.com",
        "A",
        &["--field", "product=printer"],
    );
    at(&sb, "2026-01-05T10:00:00Z", &["reply", &a, "-m", "x"]);
    let b = create(
        &sb,
        "2026-01-06T09:00:00Z",
        "b@example.com",
        "B",
        &["--field", "product=scanner"],
    );
    at(&sb, "2026-01-06T09:15:00Z", &["reply", &b, "-m", "x"]);
    create(&sb, "2026-01-07T09:00:00Z", "c@example.com", "C", &[]);

    let r = report(&sb, &in_week("breakdown", &["--by", "field:product"]));
    assert_eq!(r["by"], "field:product");
    let got: Vec<(Value, Value, Value)> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].clone(),
                g["created"].clone(),
                g["first_response_median_seconds"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (json!("printer"), json!(1), json!(3600)),
            (json!("scanner"), json!(1), json!(900)),
            (Value::Null, json!(1), Value::Null),
        ]
    );
    let r = report(&sb, &in_week("summary", &["--field", "product=scanner"]));
    assert_eq!(r["filters"]["fields"], json!({"product": "scanner"}));
    assert_eq!(r["first_response"]["median_seconds"], 900);

    sb.tix(["report", "breakdown", "--by", "field:colour"])
        .now(NOW)
        .fails(6)
        .stderr_has(&["colour", "product"]);
}

#[test]
fn bad_arguments_are_errors_that_say_why() {
    let sb = Sandbox::init();
    sb.tix([
        "report",
        "summary",
        "--since",
        "2026-01-12",
        "--until",
        "2026-01-05",
    ])
    .now(NOW)
    .fails(6)
    .stderr_has(&["empty", "--since"]);
    sb.tix(["report", "summary", "--since", "yesterday"])
        .now(NOW)
        .fails(6)
        .stderr_has(&["--since", "yesterday"]);
    sb.tix(["report", "breakdown", "--by", "colour"])
        .now(NOW)
        .fails(6)
        .stderr_has(&["--by", "colour", "field:NAME"]);
    sb.tix(["report", "trend", "--by", "year"])
        .now(NOW)
        .fails(2);
    // No targets: a warning, and nothing measured.
    let r = sb
        .tix(["report", "sla", "--format", "json"])
        .now(NOW)
        .run()
        .code(0)
        .stderr_has(&["no SLA targets"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["first_response"]["measured"], 0);
}

#[test]
fn tables_are_plain_when_piped_and_the_index_is_only_a_cache() {
    let d = desk();
    let table =
        d.sb.tix(["report", "trend", "--format", "table"])
            .now(NOW)
            .args_week()
            .ok();
    assert!(table.starts_with("Trend by day · "), "{table}");
    assert!(table.contains("2026-01-11"), "{table}");
    assert!(
        !table.contains(['█', '▏', '▌']),
        "no bars when piped:\n{table}"
    );
    let csv = d.sb.tix(["report", "trend"]).now(NOW).args_week().ok();
    assert_eq!(
        csv.lines().next().unwrap(),
        "since,until,filters,bucket,start,end,created,resolved,reopened,backlog"
    );
    assert_eq!(csv.lines().count(), 8);

    // Deleting the index changes no report.
    let before: Vec<Value> = ["summary", "agents", "trend", "breakdown", "sla"]
        .iter()
        .map(|k| report(&d.sb, &in_week(k, &[])))
        .collect();
    std::fs::remove_dir_all(d.sb.dir.join(".git/tix/index")).unwrap();
    let after: Vec<Value> = ["summary", "agents", "trend", "breakdown", "sla"]
        .iter()
        .map(|k| report(&d.sb, &in_week(k, &[])))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn imported_mail_is_measured_from_when_tix_received_it() {
    // Date: 15 May 2001 17:31:22 -0400, i.e. 21:31:22 UTC; fetched 20 hours
    // later, answered an hour after that.
    let Some(mail) = crate::common::corpus::file("apache-spamassassin/t/data/nice/016") else {
        return;
    };
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    sb.set_config("assignment", "{rule: round-robin}");
    sb.set_config("sla", "{normal: {first_response: 30m}}");
    let received = "2001-05-16T17:31:22Z";
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail)
        .now(received)
        .ok();
    let imported: Value = serde_json::from_str(&out).unwrap();
    let id = imported["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sb.ticket(&id)["assignee"], "alice");
    sb.tix(["reply", &id, "-m", "Thanks for the news", "--no-send"])
        .now("2001-05-16T18:31:22Z")
        .ok();
    let period = ["--since", "2001-05-14", "--until", "2001-05-20"];
    let run = |kind: &str| -> Value {
        let out = sb
            .tix(["report", kind, "--format", "json"])
            .arg_pair(period[0], period[1])
            .arg_pair(period[2], period[3])
            .now("2001-05-20T00:00:00Z")
            .ok();
        serde_json::from_str(&out).unwrap()
    };
    let summary = run("summary");
    // One clock: the request arrived when tix received it.
    assert_eq!(
        summary["first_response"]["median_seconds"], 3600,
        "{summary:#}"
    );
    assert_eq!(summary["created"], 1);
    let trend = run("trend");
    let created_on: Vec<&str> = trend["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["created"] == 1)
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(created_on.len(), 1, "{trend:#}");
    assert!(created_on[0].starts_with("2001-05-16"), "{trend:#}");
    // The breach is the assignee's: the target passed while alice had it.
    let sla = run("sla");
    let breaches = sla["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 1, "{sla:#}");
    assert_eq!(breaches[0]["elapsed_seconds"], 3600);
    assert_eq!(breaches[0]["deadline"], "2001-05-16T18:01:22.000000Z");
    assert_eq!(breaches[0]["agent"], "alice");
    assert_eq!(
        sla["agents"],
        json!([{"agent": "alice", "first_response": 1, "resolution": 0}])
    );
    // `tix sla` on the same ticket runs the same clock.
    let clocks: Vec<Value> = serde_json::from_str(
        &sb.tix(["sla", "--format", "json"])
            .now("2001-05-16T17:41:22Z")
            .ok(),
    )
    .unwrap();
    assert_eq!(
        clocks[0]["due_at"], "2001-05-16T18:01:22.000000Z",
        "{clocks:#?}"
    );
}

#[test]
fn tickets_wholly_outside_the_period_count_only_where_they_should() {
    // Reports skip, undecoded, the tickets their period cannot see: this
    // pins which ones those are.
    let sb = Sandbox::init();
    sb.add_bob();
    let ask = |when: &str, subject: &str| create(&sb, when, "Cy <cy@example.com>", subject, &[]);
    let closed_before = ask("2026-01-01T09:00:00Z", "Closed before");
    at(&sb, "2026-01-02T09:00:00Z", &["close", &closed_before]);
    let _open_before = ask("2026-01-01T09:00:00Z", "Open before");
    let inside = ask("2026-01-06T09:00:00Z", "Inside");
    at(
        &sb,
        "2026-01-06T10:00:00Z",
        &["reply", &inside, "-m", "Done"],
    );
    at(&sb, "2026-01-07T09:00:00Z", &["close", &inside]);
    let open_after = ask("2026-01-15T09:00:00Z", "Open after");
    at(&sb, "2026-01-15T10:00:00Z", &["assign", &open_after, "bob"]);
    let closed_after = ask("2026-01-15T09:00:00Z", "Closed after");
    at(&sb, "2026-01-16T09:00:00Z", &["close", &closed_after]);

    let s = report(&sb, &in_week("summary", &[]));
    assert_eq!(s["created"], 1, "{s}");
    assert_eq!(s["resolved"], 1, "{s}");
    // Open at the end of the week: only the one opened before it.
    assert_eq!(s["backlog"]["total"], 1, "{s}");

    // "Open now" counts both open tickets, the one opened after the week
    // too.
    let b = report(&sb, &in_week("breakdown", &["--by", "priority"]));
    assert_eq!(
        b["groups"],
        json!([{
            "group": "normal", "created": 1, "resolved": 1, "open_now": 2,
            "first_response_median_seconds": 3600, "resolution_median_seconds": 86400
        }]),
        "{b}"
    );
    let agents = report(&sb, &in_week("agents", &[]));
    let bob = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["agent"] == "bob")
        .unwrap_or_else(|| panic!("no bob in {agents}"));
    assert_eq!(bob["open_now"], 1, "{agents}");

    // The trend's backlog at each day's end: the ticket opened before the
    // week, and the inside one on its first day.
    let t = report(&sb, &in_week("trend", &["--by", "day"]));
    let backlog: Vec<u64> = t["buckets"]
        .as_array()
        .unwrap_or_else(|| panic!("{t}"))
        .iter()
        .map(|r| r["backlog"].as_u64().unwrap())
        .collect();
    assert_eq!(backlog, [1, 2, 1, 1, 1, 1, 1], "{t}");
}

/// `tix report KIND --format html` at NOW for the week, written to a
/// file, and its DOM as Chromium reads it (None without Chromium).
fn html_report(d: &Desk, args: &[&str]) -> (String, Option<String>) {
    let page =
        d.sb.tix(["report"].iter().chain(args))
            .now(NOW)
            .arg_pair("--format", "html")
            .ok();
    let file = d.sb.root().join(format!("{}.html", args[0]));
    std::fs::write(&file, &page).unwrap();
    (page.clone(), crate::export_html::chromium_dom(&file))
}

/// A big figure of a page, as Chromium writes it back.
fn big_figure(value: &str, label: &str) -> String {
    format!("<div class=\"value\">{value}</div><div class=\"label\">{label}</div>")
}

/// The part of `page` inside the figure with this id.
fn figure<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<figure class=\"chart\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no figure {id}"));
    let end = page[start..].find("</figure>").unwrap() + start;
    &page[start..end]
}

#[test]
fn html_reports_draw_the_numbers_of_the_week() {
    let d = desk();
    let (page, dom) = html_report(&d, &in_week("summary", &[]));
    // One page that stands alone: no script, nothing from elsewhere.
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<style>"));
    // (The SVG namespace is a name, not something loaded.)
    assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("href="));
    // First responses 2h 30m, 4h, 30m; resolutions 4d 1h and 30h.
    let fr = figure(&page, "first-response-distribution");
    assert_eq!(fr.matches("class=\"bar\"").count(), 6);
    for t in [
        "under 1 hour: 1",
        "1 to 4 hours: 1",
        "4 to 24 hours: 1",
        "1 to 3 days: 0",
    ] {
        assert!(fr.contains(&format!("<title>{t}</title>")), "{t} in {fr}");
    }
    let res = figure(&page, "resolution-distribution");
    assert!(
        res.contains("<title>1 to 3 days: 1</title>")
            && res.contains("<title>3 to 7 days: 1</title>")
    );
    assert!(res.contains("<title>under 1 hour: 0</title>"));
    // Backlog 3: two under a day, one of 3-7 days.
    let ages = figure(&page, "backlog-ages");
    assert!(ages.contains("<title>&lt;1d: 2</title>") && ages.contains("<title>3-7d: 1</title>"));
    if let Some(dom) = dom {
        use crate::export_html::texts_of;
        assert_eq!(texts_of(&dom, "h1"), ["Summary"]);
        assert_eq!(texts_of(&dom, "h2"), ["Figures"]);
        for (value, label) in [
            ("4", "Created"),
            ("2", "Resolved"),
            ("3", "Backlog at the end"),
            ("2h 30m", "First response, median"),
        ] {
            assert!(dom.contains(&big_figure(value, label)), "{label} {value}");
        }
        assert_eq!(texts_of(&dom, "svg").len(), 4);
        assert_eq!(dom.matches("class=\"bar\"").count(), 6 + 6 + 5 + 6);
        let rows = texts_of(&dom, "tr");
        assert!(
            rows.contains(&"Replies per ticket1.25".to_string()),
            "{rows:?}"
        );
    }

    let (page, dom) = html_report(&d, &in_week("agents", &[]));
    let replies = figure(&page, "replies-per-agent");
    assert_eq!(replies.matches("class=\"bar\"").count(), 2);
    assert!(
        replies.contains("<title>alice: 2</title>") && replies.contains("<title>bob: 3</title>")
    );
    let speed = figure(&page, "response-per-agent");
    assert!(
        speed.contains("<title>alice: 4h</title>") && speed.contains("<title>bob: 1h 30m</title>")
    );
    if let Some(dom) = dom {
        let rows = crate::export_html::texts_of(&dom, "tr");
        assert_eq!(rows.len(), 3, "{rows:?}");
        // Assigned 3, closed 1, replies 3, notes 0, both medians 1h 30m,
        // open 3, no tasks, no ratings (CSAT -).
        assert_eq!(rows[2], "bob31301h 30m1h 30m30000-");
    }

    // Seven days, three series: a point each.
    let (page, _) = html_report(&d, &in_week("trend", &[]));
    assert_eq!(page.matches("class=\"point\"").count(), 21);
    assert_eq!(page.matches("<polyline").count(), 3);
    assert!(
        page.contains("<title>created, 2026-01-05: 1</title>"),
        "{page}"
    );

    let (page, _) = html_report(&d, &in_week("breakdown", &["--by", "priority"]));
    let groups = page.matches("<tr><td>").count();
    assert!(groups > 0);
    assert_eq!(page.matches("class=\"bar\"").count(), 2 * groups);

    let (page, dom) = html_report(&d, &in_week("sla", &[]));
    assert!(page.contains("id=\"sla-standing\""));
    if let Some(dom) = dom {
        assert_eq!(crate::export_html::texts_of(&dom, "h1"), ["SLA"]);
    }
}

#[test]
fn the_dashboard_shows_the_key_figures() {
    let d = desk();
    let (page, dom) = html_report(&d, &in_week("dashboard", &[]));
    // Pending backlog 3 (T2, T3, T5), handled 2 (T0, T1), average first
    // response 8400 s; load alice 0, bob 3 (T2, T3, T4).
    let load = figure(&page, "load-per-agent");
    assert!(load.contains("<title>alice: 0</title>") && load.contains("<title>bob: 3</title>"));
    let replies = figure(&page, "replies-per-agent");
    assert!(replies.contains("<title>bob: 3</title>"));
    assert!(figure(&page, "response-per-agent").contains("<title>bob: 1h 30m</title>"));
    if let Some(dom) = dom {
        use crate::export_html::texts_of;
        assert_eq!(texts_of(&dom, "h1"), ["Dashboard"]);
        for (value, label) in [
            ("3", "Pending backlog"),
            ("2", "Handled (resolved)"),
            ("2h 20m", "Average first response"),
        ] {
            assert!(dom.contains(&big_figure(value, label)), "{label} {value}");
        }
        assert_eq!(texts_of(&dom, "svg").len(), 3);
    }
    let json = report(&d.sb, &in_week("dashboard", &[]));
    assert_eq!(json["summary"]["backlog"]["total"], 3);
    assert_eq!(json["agents"][1]["open_now"], 3);
    d.sb.tix(["report", "dashboard", "--format", "csv"])
        .now(NOW)
        .fails(2)
        .stderr_has(&["--format html or json"]);
}
