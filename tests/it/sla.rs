//! SLA clocks on the real binary with an injected clock (`TIX_NOW`):
//! `tix sla` and the actions `tix tick` takes on a warning or a breach,
//! in calendar time and in business hours across a weekend and a
//! holiday, with the clock paused while the ticket is pending.

use crate::common::Sandbox;
use serde_json::Value;

fn create(sb: &Sandbox, priority: &str, now: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.org",
            "--subject",
            "Down",
            "-m",
            "x",
            "--priority",
            priority,
        ])
        .now(now),
    )
}

fn sla(sb: &Sandbox, now: &str) -> Vec<Value> {
    serde_json::from_str(&sb.tix(["sla", "--format", "json"]).now(now).ok()).unwrap()
}

fn tick(sb: &Sandbox, now: &str) -> Vec<Value> {
    let out = sb.tix(["tick", "--format", "json"]).now(now).ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    report["actions"].as_array().unwrap().clone()
}

#[test]
fn a_breach_in_calendar_time_raises_priority_and_escalates_once() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice]}, {name: second-line, agents: [bob]}]",
    );
    sb.set_config(
        "sla",
        "{high: {first_response: 1h, resolution: 1d}, \
         on_breach: [{priority: urgent}, {escalate: second-line}]}",
    );
    let id = create(&sb, "high", "2026-11-02T09:00:00Z");
    let clocks = sla(&sb, "2026-11-02T09:30:00Z");
    assert_eq!(clocks.len(), 2, "{clocks:#?}");
    assert_eq!(clocks[0]["target"], "first-response");
    assert_eq!(clocks[0]["state"], "running");
    assert_eq!(clocks[0]["left_seconds"], 1800);
    assert!(tick(&sb, "2026-11-02T09:30:00Z").is_empty());

    let clocks = sla(&sb, "2026-11-02T11:00:00Z");
    assert_eq!(clocks[0]["state"], "breached");
    assert_eq!(clocks[0]["due_at"], "2026-11-02T10:00:00.000000Z");
    let actions = tick(&sb, "2026-11-02T11:00:00Z");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let action = actions[0]["action"].as_str().unwrap();
    assert!(
        action.contains("priority urgent") && action.contains("escalated to second-line"),
        "{action}"
    );
    let t = sb.ticket(&id);
    assert_eq!(t["priority"], "urgent");
    assert_eq!(t["group"], "second-line");
    assert_eq!(t["assignee"], "bob");
    // Acted on once: the next tick does nothing.
    assert!(tick(&sb, "2026-11-02T11:05:00Z").is_empty());
    // Answered: the first-response clock stops and leaves the list.
    sb.change_with(
        sb.tix(["reply", &id, "-m", "On it"])
            .now("2026-11-02T11:10:00Z"),
    );
    let clocks = sla(&sb, "2026-11-02T11:10:00Z");
    assert!(
        clocks.iter().all(|c| c["target"] == "resolution"),
        "{clocks:#?}"
    );
    sb.ok(["check"]);
}

#[test]
fn business_hours_skip_the_weekend_and_a_holiday() {
    let sb = Sandbox::init();
    sb.set_config(
        "sla",
        "{normal: {first_response: 2h}, calendar: business, \
         business_hours: {timezone: UTC, days: {mon: '09:00-17:00', tue: '09:00-17:00', \
         wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00'}, holidays: [2026-11-30]}, \
         on_breach: [{priority: high}]}",
    );
    // Friday 16:30: half an hour on Friday, Monday is a holiday, so the
    // remaining 1h30 runs out on Tuesday at 10:30.
    let id = create(&sb, "normal", "2026-11-27T16:30:00Z");
    let clocks = sla(&sb, "2026-11-28T12:00:00Z");
    assert_eq!(clocks[0]["due_at"], "2026-12-01T10:30:00.000000Z");
    assert_eq!(clocks[0]["state"], "running");
    assert!(
        tick(&sb, "2026-11-30T16:00:00Z").is_empty(),
        "the holiday counts nothing"
    );
    assert!(tick(&sb, "2026-12-01T10:29:00Z").is_empty());
    let actions = tick(&sb, "2026-12-01T10:31:00Z");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(sb.ticket(&id)["priority"], "high");
}

#[test]
fn the_clock_stands_still_while_the_ticket_is_pending() {
    let sb = Sandbox::init();
    sb.set_config("sla", "{normal: {resolution: 1d}}");
    let id = create(&sb, "normal", "2026-11-02T09:00:00Z");
    sb.change_with(
        sb.tix(["status", &id, "pending"])
            .now("2026-11-02T11:00:00Z"),
    );
    let clocks = sla(&sb, "2026-11-05T09:00:00Z");
    assert_eq!(clocks.len(), 1, "{clocks:#?}");
    assert_eq!(clocks[0]["state"], "paused");
    assert_eq!(clocks[0]["elapsed_seconds"], 2 * 3600);
    // Open again three days later: 22 hours left from then.
    sb.change_with(sb.tix(["status", &id, "open"]).now("2026-11-05T09:00:00Z"));
    let clocks = sla(&sb, "2026-11-05T10:00:00Z");
    assert_eq!(clocks[0]["state"], "running");
    assert_eq!(clocks[0]["due_at"], "2026-11-06T07:00:00.000000Z");
}

#[test]
fn a_warning_notifies_the_agent_by_mail_once() {
    let sb = Sandbox::init();
    sb.set_mail(
        "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
         auto_reply: {enabled: false}",
    );
    sb.set_config(
        "sla",
        "{urgent: {first_response: 4h}, warn_before: 1h, on_warning: [notify]}",
    );
    let id = create(&sb, "urgent", "2026-11-02T09:00:00Z");
    assert!(tick(&sb, "2026-11-02T11:00:00Z").is_empty());
    let actions = tick(&sb, "2026-11-02T12:30:00Z");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert!(actions[0]["action"].as_str().unwrap().contains("warning"));
    let sent = crate::common::files_under(&sb.dir.join("sent-mail"));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let mail = std::fs::read_to_string(&sent[0]).unwrap();
    assert!(mail.contains("alice@example.com"), "{mail}");
    assert!(mail.contains(&format!("[tix #{id}]")), "{mail}");
    assert!(tick(&sb, "2026-11-02T12:40:00Z").is_empty());
    assert_eq!(
        crate::common::files_under(&sb.dir.join("sent-mail")).len(),
        1
    );
}

#[test]
fn sla_actions_naming_unknown_groups_or_agents_are_refused_by_check() {
    let sb = Sandbox::init();
    let config = sb.dir.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("sla:\n  high:\n    first_response: 1h\n  on_breach:\n  - escalate: nowhere\n");
    std::fs::write(&config, text).unwrap();
    sb.git(["commit", "-q", "-am", "bad rule"]);
    let run = sb.tix(["check"]).run();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("sla.on_breach[0].escalate: no group `nowhere`"),
        "{}",
        run.stderr
    );
}

#[test]
fn list_sorts_and_filters_by_sla() {
    let sb = Sandbox::init();
    sb.set_config(
        "sla",
        "{urgent: {first_response: 1h}, high: {first_response: 4h}, warn_before: 30m}",
    );
    let late = create(&sb, "urgent", "2026-11-02T08:00:00Z"); // due 09:00: breached at 10:00
    let soon = create(&sb, "high", "2026-11-02T06:30:00Z"); // due 10:30: warning at 10:00
    let later = create(&sb, "high", "2026-11-02T09:00:00Z"); // due 13:00
    let none = create(&sb, "low", "2026-11-02T09:00:00Z"); // no target
    let ids = |args: &[&str]| -> Vec<String> {
        let mut t = sb
            .tix(["list", "--format", "ids"])
            .now("2026-11-02T10:00:00Z");
        for a in args {
            t = t.arg(a);
        }
        t.ok().lines().map(String::from).collect()
    };
    assert_eq!(
        ids(&["--sort", "sla"]),
        [late.clone(), soon.clone(), later.clone(), none.clone()]
    );
    assert_eq!(ids(&["--sla", "breached"]), std::slice::from_ref(&late));
    let mut at_risk = ids(&["--sla", "at-risk"]);
    at_risk.sort();
    let mut expected = vec![late.clone(), soon.clone()];
    expected.sort();
    assert_eq!(at_risk, expected);
    assert_eq!(ids(&["--sla", "running", "--sort", "sla"]).len(), 3);
}

#[test]
fn a_tag_or_a_field_value_can_set_its_own_targets() {
    let sb = Sandbox::init();
    sb.set_fields("[{name: product, type: choice, choices: [printer, scanner]}]");
    sb.set_config(
        "sla",
        "{normal: {first_response: 8h, resolution: 3d}, special: [\
         {tag: vip, first_response: 30m}, {field: {product: printer}, resolution: 2h}]}",
    );
    let make = |extra: &[&str]| {
        let mut t = sb
            .tix([
                "create",
                "--customer",
                "ann@example.org",
                "--subject",
                "S",
                "-m",
                "x",
            ])
            .now("2026-11-02T09:00:00Z");
        for a in extra {
            t = t.arg(a);
        }
        sb.create_with(t)
    };
    let vip = make(&["--tag", "vip"]);
    let printer = make(&["--field", "product=printer"]);
    let plain = make(&[]);
    let due = |id: &str, target: &str| -> String {
        sla(&sb, "2026-11-02T09:10:00Z")
            .into_iter()
            .find(|c| c["ticket"] == id && c["target"] == target)
            .map(|c| c["due_at"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(due(&vip, "first-response"), "2026-11-02T09:30:00.000000Z");
    assert_eq!(due(&vip, "resolution"), "2026-11-05T09:00:00.000000Z");
    assert_eq!(
        due(&printer, "first-response"),
        "2026-11-02T17:00:00.000000Z"
    );
    assert_eq!(due(&printer, "resolution"), "2026-11-02T11:00:00.000000Z");
    assert_eq!(due(&plain, "first-response"), "2026-11-02T17:00:00.000000Z");
}
