//! Edge cases of the report functions, on hand-made facts.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::domain::facts::{Assignment, PriorityChange, StatusChange};

fn at(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn act(t: &str, by: &str) -> Act {
    Act {
        at: at(t),
        by: by.into(),
    }
}

/// A ticket created at `created` (the request in the `created` entry),
/// priority normal, open, unassigned.
fn ticket(n: u8, created: &str) -> TicketFacts {
    let c = at(created);
    TicketFacts {
        id: format!("7K3F000{n}").parse().unwrap(),
        subject: format!("ticket {n}"),
        created_at: Some(c),
        customer_messages: vec![c],
        replies: vec![],
        notes: vec![],
        assignments: vec![],
        statuses: vec![StatusChange {
            at: c,
            to: Status::New,
        }],
        priorities: vec![PriorityChange {
            at: c,
            to: Priority::Normal,
        }],
        closes: vec![],
        reopens: vec![],
        status: Status::New,
        priority: Priority::Normal,
        assignee: None,
        tags: BTreeSet::new(),
        fields: BTreeMap::new(),
        customer_domain: Some("example.com".into()),
        tasks: Vec::new(),
        channel: Channel::Cli,
        department: None,
        survey: None,
        rating: None,
    }
}

fn set_status(f: &mut TicketFacts, t: &str, to: Status, by: &str) {
    if f.status == Status::Closed && to != Status::Closed {
        f.reopens.push(act(t, by));
    }
    if to == Status::Closed && f.status != Status::Closed {
        f.closes.push(act(t, by));
    }
    f.statuses.push(StatusChange { at: at(t), to });
    f.status = to;
}

fn january() -> Period {
    Period {
        since: at("2026-01-01T00:00:00Z"),
        until: at("2026-02-01T00:00:00Z"),
    }
}

fn refs(v: &[TicketFacts]) -> Vec<&TicketFacts> {
    v.iter().collect()
}

#[test]
fn medians_and_means() {
    assert_eq!(median(&[]), None);
    assert_eq!(mean(&[]), None);
    assert_eq!(median(&[5]), Some(5));
    // Even count: the mean of the two middle values, whatever the order.
    assert_eq!(median(&[40, 10, 30, 20]), Some(25));
    // ... rounded to the nearest second, halves away from zero.
    assert_eq!(median(&[1, 2]), Some(2));
    assert_eq!(median(&[9000, 14400]), Some(11700));
    assert_eq!(mean(&[1, 2, 2]), Some(2));
    assert_eq!(mean(&[1800, 9000, 14400]), Some(8400));
    assert_eq!(Stats::of(&[3, 1, 2]).median_seconds, Some(2));
}

#[test]
fn human_durations() {
    assert_eq!(human(0), "0s");
    assert_eq!(human(45), "45s");
    assert_eq!(human(720), "12m");
    assert_eq!(human(3 * 3600 + 12 * 60 + 5), "3h 12m");
    assert_eq!(human(7200), "2h");
    assert_eq!(human(2 * 86_400 + 4 * 3600 + 59), "2d 4h");
    assert_eq!(human(86_400), "1d");
}

#[test]
fn bars_in_eighths() {
    assert_eq!(bar(0, 10, 10), "");
    assert_eq!(bar(5, 0, 10), "");
    assert_eq!(bar(10, 10, 4), "████");
    assert_eq!(bar(1, 16, 2), "▏");
    assert_eq!(bar(5, 8, 1), "▋");
    assert_eq!(bar(3, 4, 2), "█▌");
    // Never invisible for a value above zero.
    assert_eq!(bar(1, 1000, 1), "▏");
}

#[test]
fn an_empty_period_has_zeros_and_no_times() {
    let s = summary(&[], &january());
    assert_eq!(s, Summary::default());
    assert_eq!(s.replies.per_ticket, None);
    assert!(agents(&[], &january(), &[]).is_empty());
    let rows = agents(&[], &january(), &["alice".to_string()]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].response_median_seconds, None);
    assert!(breakdown(&[], &january(), &GroupBy::Status).is_empty());
    let trend = trend(&[], &january(), Bucketing::Week);
    assert!(trend.iter().all(|r| r.created == 0 && r.backlog == 0));
}

#[test]
fn tickets_without_responses_are_unanswered_not_zero() {
    let mut a = ticket(1, "2026-01-10T09:00:00Z");
    a.replies.push(act("2026-01-10T10:00:00Z", "bob"));
    let b = ticket(2, "2026-01-11T09:00:00Z");
    // Answered only after the period: unanswered in January's report.
    let mut c = ticket(3, "2026-01-31T23:00:00Z");
    c.replies.push(act("2026-02-01T00:00:00Z", "bob"));
    // A reply before the customer wrote is not a response.
    let mut d = ticket(4, "2026-01-12T09:00:00Z");
    d.customer_messages = vec![at("2026-01-12T12:00:00Z")];
    d.replies.push(act("2026-01-12T10:00:00Z", "bob"));
    let all = [a, b, c, d];
    let s = summary(&refs(&all), &january());
    assert_eq!(s.first_response.tickets, 4);
    assert_eq!(s.first_response.answered, 1);
    assert_eq!(s.first_response.unanswered, 3);
    assert_eq!(s.first_response.median_seconds, Some(3600));
    // Replies before the end of the period on tickets created in it: 2 / 4.
    assert_eq!(s.replies.count, 2);
    assert_eq!(s.replies.per_ticket, Some(0.5));
}

#[test]
fn resolution_counts_first_closes_and_excludes_waiting() {
    let mut a = ticket(1, "2026-01-05T09:00:00Z");
    set_status(&mut a, "2026-01-05T10:00:00Z", Status::Pending, "bob");
    set_status(&mut a, "2026-01-05T14:00:00Z", Status::Open, "bob");
    set_status(&mut a, "2026-01-05T15:00:00Z", Status::Closed, "bob");
    set_status(&mut a, "2026-01-06T09:00:00Z", Status::Open, "alice");
    set_status(&mut a, "2026-01-06T10:00:00Z", Status::Closed, "alice");
    // Created in December, closed in January: counts in January.
    let mut b = ticket(2, "2025-12-31T00:00:00Z");
    set_status(&mut b, "2026-01-01T00:00:00Z", Status::Closed, "bob");
    // First close in December: not January's resolution, though it was
    // closed again in January.
    let mut c = ticket(3, "2025-12-01T00:00:00Z");
    set_status(&mut c, "2025-12-02T00:00:00Z", Status::Closed, "bob");
    set_status(&mut c, "2026-01-02T00:00:00Z", Status::Open, "bob");
    set_status(&mut c, "2026-01-03T00:00:00Z", Status::Closed, "bob");
    let all = [a, b, c];
    let s = summary(&refs(&all), &january());
    assert_eq!(s.created, 1);
    assert_eq!(s.resolved, 3, "tickets closed in the period, each once");
    assert_eq!(s.reopened, 2);
    assert_eq!(s.resolution.tickets, 2);
    // a: 6h (2h excluding 4h pending); b: 24h.
    assert_eq!(s.resolution.median_seconds, Some(15 * 3600));
    assert_eq!(
        s.resolution.median_seconds_excluding_waiting,
        Some(13 * 3600)
    );
    assert_eq!(s.backlog.total, 0);
}

#[test]
fn backlog_ages_at_the_end_of_the_period() {
    let end = "2026-02-01T00:00:00Z";
    let ages = [
        "2026-01-31T00:00:01Z", // just under 1d
        "2026-01-31T00:00:00Z", // exactly 1d: 1d to 3d
        "2026-01-25T00:00:00Z", // 7d: 7d to 30d
        "2026-01-02T00:00:00Z", // 30d: 30d and over
        "2025-06-01T00:00:00Z", // created before the period, still open
    ];
    let mut all: Vec<TicketFacts> = ages
        .iter()
        .enumerate()
        .map(|(i, t)| ticket(i as u8, t))
        .collect();
    // Created exactly at the end: not in the backlog (nor in the period).
    all.push(ticket(7, end));
    // Closed after the end: it was open at the end.
    let mut late = ticket(8, "2026-01-28T00:00:00Z");
    set_status(&mut late, "2026-02-02T00:00:00Z", Status::Closed, "bob");
    all.push(late);
    let s = summary(&refs(&all), &january());
    assert_eq!(s.backlog.total, 6);
    assert_eq!(s.backlog.ages.counts(), [1, 1, 1, 1, 2].map(|n| n as usize));
    assert_eq!(s.created, 5);
}

#[test]
fn week_and_month_buckets_are_clipped_to_the_period() {
    let p = Period {
        since: at("2026-01-07T12:00:00Z"),
        until: at("2026-02-03T00:00:00Z"),
    };
    let weeks = buckets(&p, Bucketing::Week);
    let labels: Vec<&str> = weeks.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        ["2026-W02", "2026-W03", "2026-W04", "2026-W05", "2026-W06"]
    );
    assert_eq!(weeks[0].1.since, p.since);
    assert_eq!(weeks[0].1.until, at("2026-01-12T00:00:00Z"));
    assert_eq!(weeks[4].1.until, p.until);
    let months = buckets(&p, Bucketing::Month);
    assert_eq!(months.len(), 2);
    assert_eq!(months[0].0, "2026-01");
    assert_eq!(months[1].1.since, at("2026-02-01T00:00:00Z"));
    // ISO years: 2027-01-01 is a Friday, in 2026-W53.
    let p = Period {
        since: at("2027-01-01T00:00:00Z"),
        until: at("2027-01-05T00:00:00Z"),
    };
    let labels: Vec<String> = buckets(&p, Bucketing::Week)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(labels, ["2026-W53", "2027-W01"]);
    assert_eq!(buckets(&p, Bucketing::Day).len(), 4);
}

#[test]
fn trend_counts_closes_per_bucket() {
    let mut a = ticket(1, "2026-01-05T09:00:00Z");
    set_status(&mut a, "2026-01-05T10:00:00Z", Status::Closed, "bob");
    set_status(&mut a, "2026-01-06T10:00:00Z", Status::Open, "bob");
    set_status(&mut a, "2026-01-06T11:00:00Z", Status::Closed, "bob");
    set_status(&mut a, "2026-01-06T12:00:00Z", Status::Open, "bob");
    set_status(&mut a, "2026-01-06T13:00:00Z", Status::Closed, "bob");
    let p = Period {
        since: at("2026-01-05T00:00:00Z"),
        until: at("2026-01-07T00:00:00Z"),
    };
    let rows = trend(&refs(&[a]), &p, Bucketing::Day);
    let got: Vec<(usize, usize, usize, usize)> = rows
        .iter()
        .map(|r| (r.created, r.resolved, r.reopened, r.backlog))
        .collect();
    // Two closes on the 6th make one resolved ticket that day.
    assert_eq!(got, [(1, 1, 0, 0), (0, 1, 2, 0)]);
}

#[test]
fn breakdown_by_channel_groups_each_ticket_once_in_channel_order() {
    let mut a = ticket(1, "2026-01-05T09:00:00Z");
    a.channel = Channel::Phone;
    a.replies.push(act("2026-01-05T09:00:00Z", "bob"));
    let mut b = ticket(2, "2026-01-06T09:00:00Z");
    b.channel = Channel::Mail;
    b.replies.push(act("2026-01-06T11:00:00Z", "bob"));
    let c = ticket(3, "2026-01-07T09:00:00Z");
    let mut d = ticket(4, "2026-01-08T09:00:00Z");
    d.channel = Channel::Phone;
    let by = GroupBy::parse("channel").unwrap();
    assert_eq!(by.name(), "channel");
    let rows = breakdown(&refs(&[a, b, c, d]), &january(), &by);
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.group.as_deref(),
                r.created,
                r.first_response_median_seconds,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("mail"), 1, Some(7200)),
            (Some("cli"), 1, None),
            (Some("phone"), 2, Some(0)),
        ]
    );
}

#[test]
fn breakdown_by_tag_counts_a_ticket_in_each_of_its_groups() {
    let mut a = ticket(1, "2026-01-05T09:00:00Z");
    a.tags = ["printer".to_string(), "vip".to_string()].into();
    a.replies.push(act("2026-01-05T10:00:00Z", "bob"));
    let mut b = ticket(2, "2026-01-06T09:00:00Z");
    b.tags = ["printer".to_string()].into();
    b.replies.push(act("2026-01-06T12:00:00Z", "bob"));
    let mut c = ticket(3, "2026-01-07T09:00:00Z");
    set_status(&mut c, "2026-01-07T10:00:00Z", Status::Closed, "bob");
    // Closed before the period and untouched in it: in no group.
    let mut old = ticket(4, "2025-01-07T09:00:00Z");
    set_status(&mut old, "2025-01-08T10:00:00Z", Status::Closed, "bob");
    let rows = breakdown(&refs(&[a, b, c, old]), &january(), &GroupBy::Tag);
    type Row<'a> = (
        Option<&'a str>,
        usize,
        usize,
        usize,
        Option<i64>,
        Option<i64>,
    );
    let got: Vec<Row> = rows
        .iter()
        .map(|r| {
            (
                r.group.as_deref(),
                r.created,
                r.resolved,
                r.open_now,
                r.first_response_median_seconds,
                r.resolution_median_seconds,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("printer"), 2, 0, 2, Some(7200), None),
            (Some("vip"), 1, 0, 1, Some(3600), None),
            (None, 1, 1, 0, None, Some(3600)),
        ]
    );
    assert_eq!(
        GroupBy::parse("field:product"),
        Ok(GroupBy::Field("product".into()))
    );
    assert!(GroupBy::parse("field:").is_err());
    assert!(GroupBy::parse("colour").is_err());
}

#[test]
fn agents_attribute_responses_to_whoever_answered() {
    let mut a = ticket(1, "2026-01-05T09:00:00Z");
    a.customer_messages.push(at("2026-01-05T12:00:00Z"));
    a.customer_messages.push(at("2026-01-05T12:30:00Z"));
    a.replies.push(act("2026-01-05T10:00:00Z", "bob"));
    a.replies.push(act("2026-01-05T13:00:00Z", "carol"));
    a.notes.push(act("2026-01-05T13:05:00Z", "carol"));
    a.assignments.push(Assignment {
        at: at("2026-01-05T09:01:00Z"),
        by: "alice".into(),
        to: Some("carol".into()),
    });
    a.assignee = Some("carol".into());
    let rows = agents(&refs(&[a]), &january(), &["alice".into(), "bob".into()]);
    let names: Vec<&str> = rows.iter().map(|r| r.agent.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);
    let bob = &rows[1];
    assert_eq!((bob.replies, bob.first_responses), (1, 1));
    assert_eq!(bob.first_response_median_seconds, Some(3600));
    let carol = &rows[2];
    assert_eq!((carol.assigned, carol.notes, carol.open_now), (1, 1, 1));
    assert_eq!(carol.first_responses, 0);
    // Waiting since 12:00 (the earliest unanswered message) until 13:00.
    assert_eq!(carol.responses, 1);
    assert_eq!(carol.response_median_seconds, Some(3600));
}

/// The `sla:` section of a config, read as `tix` reads it.
fn sla_config(yaml: &str) -> SlaConfig {
    crate::domain::Config::parse(&format!("format: 1\nsla:\n{yaml}"))
        .unwrap()
        .sla
}

#[test]
fn sla_states_at_the_boundaries() {
    let targets = sla_config("  normal: {first_response: 1h, resolution: 1d}\n");
    // Answered exactly at the target: met.
    let mut met = ticket(1, "2026-01-05T09:00:00Z");
    met.replies.push(act("2026-01-05T10:00:00Z", "bob"));
    // Answered a second late: breached, charged to the assignee then.
    let mut late = ticket(2, "2026-01-05T09:00:00Z");
    late.replies.push(act("2026-01-05T10:00:01Z", "bob"));
    late.assignments.push(Assignment {
        at: at("2026-01-05T09:30:00Z"),
        by: "alice".into(),
        to: Some("carol".into()),
    });
    // Closed without a reply within the hour: the close stops the clock.
    let mut closed = ticket(3, "2026-01-05T09:00:00Z");
    set_status(&mut closed, "2026-01-05T09:10:00Z", Status::Closed, "bob");
    // Never answered, open at the end: overdue on both.
    let open = ticket(4, "2026-01-30T00:00:00Z");
    // Created an hour before the end: running.
    let fresh = ticket(5, "2026-01-31T23:00:00Z");
    // Urgent has no targets.
    let mut urgent = ticket(6, "2026-01-05T09:00:00Z");
    urgent.priority = Priority::Urgent;
    urgent.priorities[0].to = Priority::Urgent;
    let all = [met, late, closed, open, fresh, urgent];
    let r = sla(&refs(&all), &january(), &targets);
    assert_eq!(
        r.first_response,
        SlaCounts {
            measured: 5,
            met: 2,
            breached: 1,
            overdue: 1,
            running: 1,
        }
    );
    assert_eq!(
        r.resolution,
        SlaCounts {
            measured: 5,
            met: 1,
            breached: 0,
            overdue: 3,
            running: 1,
        }
    );
    let fr: Vec<(&str, i64, BreachState, Option<&str>)> = r
        .breaches
        .iter()
        .filter(|b| b.target == Target::FirstResponse)
        .map(|b| {
            (
                b.subject.as_str(),
                b.elapsed_seconds,
                b.state,
                b.agent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        fr,
        [
            ("ticket 2", 3601, BreachState::Breached, Some("carol")),
            ("ticket 4", 2 * 86_400, BreachState::Overdue, None),
        ]
    );
    let per_agent: Vec<(Option<&str>, usize, usize)> = r
        .agents
        .iter()
        .map(|a| (a.agent.as_deref(), a.first_response, a.resolution))
        .collect();
    assert_eq!(per_agent, [(Some("carol"), 1, 1), (None, 1, 2)]);
}

#[test]
fn sla_special_targets_take_the_place_of_the_prioritys() {
    let targets = sla_config(
        "  normal: {first_response: 1h}\n  special:\n    - {tag: vip, first_response: 10m}\n",
    );
    // Answered after 30 minutes: met by the priority's hour, breached by
    // the VIP's ten minutes.
    let mut plain = ticket(1, "2026-01-05T09:00:00Z");
    plain.replies.push(act("2026-01-05T09:30:00Z", "bob"));
    let mut vip = ticket(2, "2026-01-05T09:00:00Z");
    vip.replies.push(act("2026-01-05T09:30:00Z", "bob"));
    vip.tags.insert("vip".into());
    let all = [plain, vip];
    let r = sla(&refs(&all), &january(), &targets);
    assert_eq!((r.first_response.met, r.first_response.breached), (1, 1));
    assert_eq!(r.breaches[0].target_seconds, 600);
}

/// Tasks count for their assignee: open now, done in the period (for
/// whoever marked a task nobody had), overdue by the period's end.
#[test]
fn agents_count_tasks_open_done_and_overdue() {
    use crate::domain::facts::TaskFact;
    let mut f = ticket(1, "2026-01-05T10:00:00Z");
    let task = |assignee: Option<&str>, due: Option<&str>, done: Option<(&str, &str)>| TaskFact {
        assignee: assignee.map(str::to_string),
        due: due.map(at),
        done: done.map(|(t, by)| act(t, by)),
    };
    f.tasks = vec![
        task(Some("bob"), Some("2026-01-10T00:00:00Z"), None),
        task(Some("bob"), Some("2026-03-01T00:00:00Z"), None),
        task(Some("bob"), None, Some(("2026-01-06T00:00:00Z", "alice"))),
        task(None, None, Some(("2026-01-07T00:00:00Z", "alice"))),
        // Done after January: not in the period.
        task(Some("alice"), None, Some(("2026-02-07T00:00:00Z", "alice"))),
        // Open and nobody's: counted for no one.
        task(None, Some("2026-01-02T00:00:00Z"), None),
    ];
    let rows = agents(&refs(&[f]), &january(), &["alice".into(), "bob".into()]);
    let counts: Vec<(&str, usize, usize, usize)> = rows
        .iter()
        .map(|r| {
            (
                r.agent.as_str(),
                r.tasks_open,
                r.tasks_done,
                r.tasks_overdue,
            )
        })
        .collect();
    assert_eq!(counts, [("alice", 0, 1, 0), ("bob", 2, 1, 1)]);
}

#[test]
fn distributions_count_each_time_in_its_range() {
    let period = Period {
        since: at("2026-11-01T00:00:00Z"),
        until: at("2026-12-01T00:00:00Z"),
    };
    // Answered after 30 min, 59 min 59 s, exactly 1 h, 2 days; one never.
    let mut all = Vec::new();
    for (n, reply) in [
        (1, "2026-11-02T09:30:00Z"),
        (2, "2026-11-02T09:59:59Z"),
        (3, "2026-11-02T10:00:00Z"),
        (4, "2026-11-04T09:00:00Z"),
    ] {
        let mut t = ticket(n, "2026-11-02T09:00:00Z");
        t.replies.push(act(reply, "alice"));
        all.push(t);
    }
    all.push(ticket(5, "2026-11-02T09:00:00Z"));
    // Closed after 8 days.
    set_status(&mut all[0], "2026-11-10T09:00:00Z", Status::Closed, "alice");
    let refs: Vec<&TicketFacts> = all.iter().collect();
    let d = distributions(&refs, &period);
    assert_eq!(d.first_response, [2, 1, 0, 1, 0, 0]);
    assert_eq!(d.resolution, [0, 0, 0, 0, 0, 1]);
    let s = summary(&refs, &period);
    assert_eq!(
        d.first_response.iter().sum::<usize>(),
        s.first_response.answered
    );
    assert_eq!(d.resolution.iter().sum::<usize>(), s.resolution.tickets);
}

mod csat_report {
    use super::*;
    use crate::domain::csat::{Answer, Scale};
    use crate::domain::facts::{RatingFact, SurveyFact};

    /// Ticket `n`, closed by `closer` on Nov 2 and surveyed on Nov 3 on
    /// `scale`, answered `answer` (with `comment`) on Nov 4.
    fn surveyed(
        n: u8,
        closer: &str,
        scale: Scale,
        answer: Option<Answer>,
        comment: &str,
    ) -> TicketFacts {
        let mut f = ticket(n, "2026-11-01T09:00:00Z");
        set_status(&mut f, "2026-11-02T09:00:00Z", Status::Closed, closer);
        f.survey = Some(SurveyFact {
            at: at("2026-11-03T09:00:00Z"),
            scale,
        });
        f.rating = answer.map(|answer| RatingFact {
            at: at(&format!("2026-11-04T09:0{n}:00Z")),
            answer,
            comment: comment.into(),
        });
        f
    }

    #[test]
    fn score_is_good_over_rated_and_rate_is_rated_over_surveyed() {
        let period = Period {
            since: at("2026-11-01T00:00:00Z"),
            until: at("2026-11-30T00:00:00Z"),
        };
        // alice: good, bad, no answer; bob: 5, 4, 3 (1-5), and an
        // auto-close (by tix) of a ticket assigned to bob, rated 1.
        let mut auto = surveyed(7, "tix", Scale::OneToFive, Some(Answer::Score(1)), "slow");
        auto.assignments.push(Assignment {
            at: at("2026-11-01T10:00:00Z"),
            by: "alice".into(),
            to: Some("bob".into()),
        });
        auto.tags.insert("printer".into());
        let mut tagged = surveyed(1, "alice", Scale::GoodBad, Some(Answer::Good), "");
        tagged.tags.insert("Printer".into());
        let facts = [
            tagged,
            surveyed(2, "alice", Scale::GoodBad, Some(Answer::Bad), "rude"),
            surveyed(3, "alice", Scale::GoodBad, None, ""),
            surveyed(4, "bob", Scale::OneToFive, Some(Answer::Score(5)), ""),
            surveyed(5, "bob", Scale::OneToFive, Some(Answer::Score(4)), "ok"),
            surveyed(6, "bob", Scale::OneToFive, Some(Answer::Score(3)), ""),
            auto,
            // Never surveyed: not counted at all.
            ticket(8, "2026-11-01T09:00:00Z"),
        ];
        let refs: Vec<&TicketFacts> = facts.iter().collect();
        let r = csat(&refs, &period, Some(&CsatBy::Agent));
        // 7 surveyed, 6 rated, good: 1 (good), 5, 4 = 3.
        assert_eq!((r.total.surveyed, r.total.rated, r.total.good), (7, 6, 3));
        assert_eq!(r.total.score_percent, Some(50.0));
        assert_eq!(r.total.response_rate_percent, Some(85.7));
        type Row<'a> = (Option<&'a str>, usize, usize, usize, Option<f64>);
        let rows: Vec<Row<'_>> = r
            .groups
            .iter()
            .map(|g| {
                (
                    g.group.as_deref(),
                    g.surveyed,
                    g.rated,
                    g.good,
                    g.score_percent,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (Some("alice"), 3, 2, 1, Some(50.0)),
                (Some("bob"), 4, 4, 2, Some(50.0)),
            ]
        );
        // Comments newest first, credited.
        let comments: Vec<(&str, &str, Option<&str>)> = r
            .comments
            .iter()
            .map(|c| (c.comment.as_str(), c.answer.as_str(), c.agent.as_deref()))
            .collect();
        assert_eq!(
            comments,
            [
                ("slow", "1", Some("bob")),
                ("ok", "4", Some("bob")),
                ("rude", "bad", Some("alice")),
            ]
        );
        // The same credit in `report agents`.
        let rows = agents(&refs, &period, &["alice".into(), "bob".into()]);
        let figures: Vec<(&str, usize, Option<f64>)> = rows
            .iter()
            .map(|r| (r.agent.as_str(), r.csat_rated, r.csat_percent))
            .collect();
        assert_eq!(
            figures,
            [
                ("alice", 2, Some(50.0)),
                ("bob", 4, Some(50.0)),
                ("tix", 0, None)
            ]
        );
        let by_tag = csat(&refs, &period, Some(&CsatBy::Tag));
        assert_eq!(by_tag.groups[0].group.as_deref(), Some("printer"));
        assert_eq!((by_tag.groups[0].surveyed, by_tag.groups[0].good), (2, 1));
        assert_eq!(by_tag.groups[1].group, None);
        // A period that ends before the answers: surveyed, none rated.
        let early = Period {
            since: period.since,
            until: at("2026-11-04T00:00:00Z"),
        };
        let r = csat(&refs, &early, None);
        assert_eq!((r.total.surveyed, r.total.rated), (7, 0));
        assert_eq!(r.total.score_percent, None);
        assert_eq!(r.total.response_rate_percent, Some(0.0));
        assert!(r.comments.is_empty());
    }

    #[test]
    fn a_grouping_is_checked() {
        assert_eq!(
            CsatBy::parse("field:product"),
            Ok(CsatBy::Field("product".into()))
        );
        assert!(
            CsatBy::parse("assignee")
                .unwrap_err()
                .contains("agent, tag or field:NAME")
        );
        assert!(CsatBy::parse("field:").is_err());
    }
}
