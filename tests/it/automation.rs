//! The automation rules (`rules:`) and hooks (`hooks:`) on the real
//! binary: each event that fires rules (a ticket made by hand and by mail,
//! a customer's follow-up, a reply, a status change, time passing in
//! `tix tick`), conditions and actions, order and `stop`, the bound on
//! rules firing on rules, `tix rules` and `tix rules test`, the mail rules
//! send, and hooks that work, fail and hang.

use std::time::{Duration, Instant};

use crate::common::Sandbox;
use serde_json::Value;

const T0: &str = "2026-11-02T09:00:00Z";

/// A store with agents alice (admin) and bob, a group `accounts` with
/// bob, and `rules_yaml` as its rules.
fn store(rules_yaml: &str) -> Sandbox {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config(
        "groups",
        "[{name: first, agents: [alice]}, {name: accounts, agents: [bob]}]",
    );
    sb.set_config("rules", rules_yaml);
    sb
}

fn create(sb: &Sandbox, subject: &str, customer: &str, text: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            customer,
            &format!("--subject={subject}"),
            "-m",
            text,
        ])
        .now(T0),
    )
}

/// The entries tix wrote for `rule`.
fn by_rule(sb: &Sandbox, id: &str, rule: &str) -> Vec<Value> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["rule"] == rule)
        .collect()
}

fn tags(sb: &Sandbox, id: &str) -> Vec<String> {
    sb.ticket(id)["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

fn eml(
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
    id: &str,
    reply_to: Option<&str>,
) -> Vec<u8> {
    let mut m = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\n"
    );
    if let Some(parent) = reply_to {
        m.push_str(&format!(
            "In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\n"
        ));
    }
    m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n");
    m.push_str(body);
    m.push_str("\r\n");
    m.into_bytes()
}

fn import(sb: &Sandbox, bytes: Vec<u8>, now: &str) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(bytes)
        .now(now)
        .ok();
    sb.assert_clean();
    serde_json::from_str(&out).unwrap()
}

const ROUTING: &str = r#"
- name: billing to accounts
  on: created
  if: { subject: "(?i)invoice|refund|billing", from-domain: ["!example.com"] }
  do: [ { tag: billing }, { group: accounts }, { priority: high } ]
- name: billing goes to bob
  on: created
  if: { tag: billing }
  do: [ { assign: bob }, stop ]
- name: everything else
  on: created
  do: [ { tag: triage } ]
"#;

#[test]
fn rules_on_a_new_ticket_act_in_order_in_its_own_commit_and_stop_ends_them() {
    let sb = store(ROUTING);
    let before = sb.commit_count();
    let id = create(
        &sb,
        "Refund for invoice 42",
        "Ann <ann@corp.test>",
        "please",
    );
    // The ticket and everything the rules did: one commit.
    assert_eq!(sb.commit_count(), before + 1);
    let t = sb.ticket(&id);
    assert_eq!(t["priority"], "high");
    assert_eq!(t["group"], "accounts");
    assert_eq!(t["assignee"], "bob");
    // The second rule saw the first one's tag; its `stop` kept the third
    // from running.
    assert_eq!(tags(&sb, &id), ["billing"]);
    let first = by_rule(&sb, &id, "billing to accounts");
    assert_eq!(first.len(), 3, "{first:#?}");
    assert!(first.iter().all(|e| e["author"] == "tix"));
    assert!(
        first[0]["body"]
            .as_str()
            .unwrap()
            .contains("billing to accounts")
    );
    assert_eq!(by_rule(&sb, &id, "billing goes to bob").len(), 1);
    let message = sb.git(["log", "-1", "--format=%B"]);
    assert!(message.contains("Rules:"), "{message}");
    assert!(message.contains("`billing goes to bob`"), "{message}");
    // The same subject from our own domain is not billing; the catch-all
    // tags it.
    let other = create(&sb, "Invoice copy", "Eve <eve@example.com>", "hi");
    assert_eq!(tags(&sb, &other), ["triage"]);
    assert!(sb.ticket(&other)["assignee"].is_null());
}

#[test]
fn rules_fire_on_mail_new_and_follow_up_reading_the_body_and_the_address_it_came_to() {
    let sb = store(
        r#"
- name: sales mail
  on: created
  if: { to: sales@example.com, channel: mail }
  do: [ { tag: sales } ]
- name: angry follow-up
  on: customer-message
  if: { body: "(?i)\\bunacceptable\\b", customer-messages: ">=2" }
  do: [ { priority: urgent }, { tag: angry } ]
- name: cli only
  on: created
  if: { channel: cli }
  do: [ { tag: typed } ]
"#,
    );
    sb.set_mail("addresses: [support@example.com, sales@example.com]");
    let out = import(
        &sb,
        eml(
            "Ann <ann@corp.test>",
            "sales@example.com",
            "Prices",
            "How much?",
            "m1@corp.test",
            None,
        ),
        T0,
    );
    let id = out["messages"][0]["ticket"].as_str().unwrap().to_string();
    assert_eq!(tags(&sb, &id), ["sales"]);
    assert_eq!(by_rule(&sb, &id, "sales mail").len(), 1);
    // A follow-up that is not angry changes nothing; an angry one does.
    import(
        &sb,
        eml(
            "Ann <ann@corp.test>",
            "sales@example.com",
            "Re: Prices",
            "Thanks",
            "m2@corp.test",
            Some("m1@corp.test"),
        ),
        "2026-11-02T10:00:00Z",
    );
    assert_eq!(sb.ticket(&id)["priority"], "normal");
    import(
        &sb,
        eml(
            "Ann <ann@corp.test>",
            "sales@example.com",
            "Re: Prices",
            "This is UNACCEPTABLE.",
            "m3@corp.test",
            Some("m2@corp.test"),
        ),
        "2026-11-02T11:00:00Z",
    );
    assert_eq!(sb.ticket(&id)["priority"], "urgent");
    assert_eq!(tags(&sb, &id), ["angry", "sales"]);
    // Made by hand, the same kind of ticket is `cli`.
    let typed = create(&sb, "Prices", "Ann <ann@corp.test>", "How much?");
    assert_eq!(tags(&sb, &typed), ["typed"]);
}

#[test]
fn rules_fire_on_replies_notes_and_status_changes() {
    let sb = store(
        r#"
- name: answered waits
  on: agent-reply
  do: [ { status: pending } ]
- name: noted
  on: note
  if: { body: "(?i)vendor" }
  do: [ { tag: vendor } ]
- name: closed
  on: status
  if: { status: closed }
  do: [ { tag: done }, { untag: vendor } ]
"#,
    );
    let id = create(&sb, "Printer", "Ann <ann@corp.test>", "broken");
    sb.tix(["reply", &id, "-m", "Try this", "--no-send"])
        .now(T0)
        .ok();
    assert_eq!(sb.ticket(&id)["status"], "pending");
    sb.tix(["comment", &id, "-m", "asked the vendor"])
        .now(T0)
        .ok();
    assert_eq!(tags(&sb, &id), ["vendor"]);
    sb.tix(["comment", &id, "-m", "nothing"]).now(T0).ok();
    assert_eq!(by_rule(&sb, &id, "noted").len(), 1);
    sb.tix(["close", &id]).now(T0).ok();
    assert_eq!(tags(&sb, &id), ["done"]);
}

#[test]
fn idle_rules_fire_from_tick_once_per_quiet_spell() {
    let sb = store(
        r#"
- name: nudge idle
  on: idle
  if: { status: [new, open], idle: 2d, last-from: customer }
  do: [ { tag: waiting-on-us }, { priority: high } ]
"#,
    );
    let id = create(&sb, "Printer", "Ann <ann@corp.test>", "broken");
    let tick = |now: &str| -> Value {
        serde_json::from_str(&sb.tix(["tick", "--format", "json"]).now(now).ok()).unwrap()
    };
    assert_eq!(
        tick("2026-11-03T09:00:00Z")["actions"],
        serde_json::json!([])
    );
    let dry: Value = serde_json::from_str(
        &sb.tix(["tick", "--dry-run", "--format", "json"])
            .now("2026-11-04T10:00:00Z")
            .ok(),
    )
    .unwrap();
    assert_eq!(dry["actions"][0]["action"], "rule `nudge idle`", "{dry:#}");
    assert!(
        by_rule(&sb, &id, "nudge idle").is_empty(),
        "a dry run writes nothing"
    );
    let done = tick("2026-11-04T10:00:00Z");
    assert_eq!(done["actions"][0]["ticket"], id.as_str(), "{done:#}");
    assert_eq!(tags(&sb, &id), ["waiting-on-us"]);
    // Not again in the same quiet spell, even after the tag is removed.
    sb.tix(["untag", &id, "waiting-on-us"])
        .now("2026-11-04T11:00:00Z")
        .ok();
    assert_eq!(
        tick("2026-11-08T10:00:00Z")["actions"],
        serde_json::json!([])
    );
    // The customer writes again: a new spell, and two days later the
    // rule fires a second time.
    follow_up(
        &sb,
        &id,
        "any news?",
        "f1@corp.test",
        "2026-11-08T11:00:00Z",
    );
    assert_eq!(
        tick("2026-11-09T11:00:00Z")["actions"],
        serde_json::json!([])
    );
    let again = tick("2026-11-10T12:00:00Z");
    assert_eq!(again["actions"].as_array().unwrap().len(), 1, "{again:#}");
    assert_eq!(
        sb.ticket(&id)["rules_fired"]["nudge idle"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// A message from Ann on ticket `id` (made by hand), by its subject tag.
fn follow_up(sb: &Sandbox, id: &str, text: &str, message_id: &str, now: &str) {
    let out = import(
        sb,
        eml(
            "Ann <ann@corp.test>",
            "support@example.com",
            &format!("Re: [tix #{id}] Printer"),
            text,
            message_id,
            None,
        ),
        now,
    );
    assert_eq!(out["messages"][0]["ticket"], id, "{out:#}");
}

#[test]
fn a_rule_that_sets_off_rules_is_bounded_and_says_so() {
    // Listed last to first, each rule's tag sets off the next round.
    let sb = store(
        r#"
- name: r4
  on: tag
  if: { tag: t4 }
  do: [ { tag: t5 } ]
- name: r3
  on: tag
  if: { tag: t3 }
  do: [ { tag: t4 } ]
- name: r2
  on: tag
  if: { tag: t2 }
  do: [ { tag: t3 } ]
- name: r1
  on: tag
  if: { tag: t1 }
  do: [ { tag: t2 } ]
- name: r0
  on: created
  do: [ { tag: t1 } ]
"#,
    );
    let out = sb
        .tix([
            "create",
            "--customer",
            "ann@corp.test",
            "--subject=Loop",
            "-m",
            "x",
        ])
        .now(T0)
        .run();
    let stderr = out.stderr.clone();
    let id = out.ok().trim().to_string();
    // Four rounds: created, then three of rules on rules' tags.
    let have = tags(&sb, &id);
    assert!(have.contains(&"t4".to_string()), "{have:?}");
    assert!(!have.contains(&"t5".to_string()), "{have:?}");
    assert!(stderr.contains("rules stopped after 4 rounds"), "{stderr}");
}

#[test]
fn two_rules_undoing_each_other_act_once_each() {
    let sb = store(
        r#"
- name: ping
  on: [created, tag]
  if: { tag: "!pong" }
  do: [ { tag: pong } ]
- name: pong
  on: tag
  if: { tag: pong }
  do: [ { untag: pong } ]
"#,
    );
    let id = create(&sb, "Loop", "ann@corp.test", "x");
    // A rule fires at most once per ticket per run, so the two end after
    // one turn each.
    assert_eq!(by_rule(&sb, &id, "ping").len(), 1);
    assert_eq!(by_rule(&sb, &id, "pong").len(), 1);
    assert!(tags(&sb, &id).is_empty());
}

#[test]
fn rules_test_writes_nothing_and_explains_each_rule() {
    let sb = store(ROUTING);
    let id = create(&sb, "Hello", "Ann <ann@corp.test>", "hi");
    let before = sb.commit_count();
    let out = sb.tix(["rules", "test", &id, "--on", "created"]).ok();
    assert!(out.contains("billing to accounts: not subject ~"), "{out}");
    assert!(out.contains("fires  everything else"), "{out}");
    assert!(out.contains("Nothing was written"), "{out}");
    // Make it billing by hand: now the first two fire and the third is
    // stopped; the tag rule would act again, since it is a test.
    sb.tix(["subject", &id, "Invoice 7"]).ok();
    let before = before + 1;
    let json: Value = serde_json::from_str(
        &sb.tix(["rules", "test", &id, "--on", "created", "--format", "json"])
            .ok(),
    )
    .unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert_eq!(rules[0]["fires"], true, "{json:#}");
    assert!(
        rules[0]["changes"][0]
            .as_str()
            .unwrap()
            .contains("tags +billing"),
        "{json:#}"
    );
    assert_eq!(rules[1]["fires"], true);
    assert_eq!(rules[2]["fires"], false);
    assert!(rules[2]["why_not"].as_str().unwrap().contains("stops"));
    assert_eq!(sb.commit_count(), before, "rules test committed something");
    sb.assert_clean();
    assert!(by_rule(&sb, &id, "billing to accounts").is_empty());
    sb.tix(["rules", "test", &id, "--on", "sometime"])
        .fails(6)
        .stderr_has(&["--on", "sometime"]);
    // `tix rules`: in order, with their firings.
    let listed: Vec<Value> =
        serde_json::from_str(&sb.tix(["rules", "--format", "json"]).ok()).unwrap();
    let names: Vec<&str> = listed.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "billing to accounts",
            "billing goes to bob",
            "everything else"
        ]
    );
    assert_eq!(listed[2]["fired"], 1);
    assert_eq!(listed[0]["fired"], 0);
}

#[test]
fn bad_rules_are_refused_naming_the_rule_and_the_key() {
    let sb = Sandbox::init();
    let cases = [
        (
            "[{name: a, on: created, if: {subject: '(unclosed'}, do: [stop]}]",
            "rules[0] (`a`).if.subject",
        ),
        (
            "[{name: a, on: created, if: {colour: red}, do: [stop]}]",
            "colour: not a condition",
        ),
        ("[{name: a, on: someday, do: [stop]}]", "rules[0] (`a`).on"),
        (
            "[{name: a, on: created, do: [{assign: zed}]}]",
            "no agent `zed`",
        ),
        (
            "[{name: a, on: created, do: [{group: nowhere}]}]",
            "no group `nowhere`",
        ),
        (
            "[{name: a, on: idle, if: {status: open}, do: [stop]}]",
            "needs a time condition",
        ),
        (
            "[{name: a, on: created, do: [{fly: away}]}]",
            "fly: not an action",
        ),
        ("[{name: a, on: created, do: []}]", "rules[0] (`a`).do"),
        (
            "[{name: a, on: created, do: [stop]}, {name: A, on: created, do: [stop]}]",
            "names two rules",
        ),
        ("[{on: created, do: [stop]}]", "every rule needs a name"),
    ];
    for (yaml, expected) in cases {
        let path = sb.dir.join(".tix/config.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        config
            .as_mapping_mut()
            .unwrap()
            .insert("rules".into(), serde_yaml::from_str(yaml).unwrap());
        let kept = text.clone();
        std::fs::write(&path, serde_yaml::to_string(&config).unwrap()).unwrap();
        let run = sb.tix(["list"]).run();
        assert_ne!(run.code, 0, "{yaml} was accepted");
        assert!(run.stderr.contains(expected), "{yaml}: {}", run.stderr);
        std::fs::write(&path, kept).unwrap();
    }
}

const MAIL: &str = "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
                    auto_reply: {enabled: false}";

fn sent(sb: &Sandbox) -> Vec<String> {
    let dir = sb.dir.join("sent-mail");
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn notify_and_reply_template_send_mail_recorded_by_the_rule_never_twice_in_the_window() {
    let sb = store(
        r#"
- name: vip
  on: [created, customer-message]
  if: { customer-org: bigcorp.com }
  do: [ { notify: [bob, "lead@example.net"] }, { reply-template: vip-ack } ]
"#,
    );
    sb.set_mail(MAIL);
    std::fs::create_dir_all(sb.dir.join(".tix/templates")).unwrap();
    std::fs::write(
        sb.dir.join(".tix/templates/vip-ack.md"),
        "Dear customer, your ticket {{ticket.id}} is with our VIP desk.\n",
    )
    .unwrap();
    sb.git(["add", "-A"]);
    sb.git(["commit", "-qm", "template"]);
    let id = create(&sb, "Help", "Boss <boss@bigcorp.com>", "urgent");
    let mails = sent(&sb);
    // Notified agents include the new follow-up too (`mail.notify`): count
    // only the rule's mail.
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let to_customer: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("To: Boss <boss@bigcorp.com>") || m.contains("To: boss@bigcorp.com"))
        .collect();
    assert_eq!(to_customer.len(), 1, "{mails:#?}");
    assert!(to_customer[0].contains("VIP desk"));
    assert!(
        to_customer[0].contains("Auto-Submitted: auto-replied"),
        "{}",
        to_customer[0]
    );
    let to_agents: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("bob@example.com"))
        .collect();
    assert_eq!(to_agents.len(), 1);
    assert!(to_agents[0].contains("lead@example.net"));
    // Both recorded as notes by tix naming the rule, and delivered.
    let notes: Vec<Value> = by_rule(&sb, &id, "vip")
        .into_iter()
        .filter(|e| e["kind"] == "note")
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}));
    // The customer writes again at once: agents hear of it, the customer
    // gets no second acknowledgement within the window.
    import(
        &sb,
        eml(
            "Boss <boss@bigcorp.com>",
            "support@example.com",
            &format!("Re: [tix #{id}] Help"),
            "still waiting",
            "b2@bigcorp.com",
            None,
        ),
        T0,
    );
    let mails = sent(&sb);
    let again = mails.iter().filter(|m| m.contains("VIP desk")).count();
    assert_eq!(again, 1, "{mails:#?}");
    // A no-reply customer never gets it.
    let robot = create(&sb, "Alert", "noreply@bigcorp.com", "disk full");
    let robot_mail = sent(&sb)
        .iter()
        .filter(|m| m.contains(&robot) && m.contains("VIP desk"))
        .count();
    assert_eq!(robot_mail, 0);
}

#[test]
fn hooks_get_the_event_as_json_and_their_failure_or_hang_is_only_a_warning() {
    let sb = store("[]");
    sb.set_config(
        "hooks",
        r#"{created: "cat > ../created.json", status: {run: "echo broken >&2; exit 3"}, assigned: {run: "sleep 30", timeout: 1s}}"#,
    );
    let id = create(&sb, "Printer", "Ann <ann@corp.test>", "broken");
    let event: Value =
        serde_json::from_slice(&std::fs::read(sb.dir.join("../created.json")).unwrap()).unwrap();
    assert_eq!(event["event"], "created");
    assert_eq!(event["ticket"], id.as_str());
    assert_eq!(event["subject"], "Printer");
    assert_eq!(event["by"], "alice");
    assert_eq!(event["commit"].as_str().unwrap(), sb.head());
    // A failing hook: exit 0, the entry kept, a warning naming the hook.
    let run = sb.tix(["status", &id, "open"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("hook `status`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("exited with 3: broken"),
        "{}",
        run.stderr
    );
    assert_eq!(sb.ticket(&id)["status"], "open");
    // A hanging hook is stopped at its timeout.
    let started = Instant::now();
    let run = sb.tix(["assign", &id, "bob"]).run();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("longer than 1s"), "{}", run.stderr);
    assert_eq!(sb.ticket(&id)["assignee"], "bob");
    sb.assert_clean();
}

#[test]
fn the_other_actions_and_conditions_on_a_real_store() {
    let sb = store(
        r#"
- name: after hours
  on: created
  if: { business-hours: false, any: [ { priority: urgent }, { field: { product: printer } } ], not: { cc: true } }
  do:
    - { field: { product: scanner } }
    - { snooze: 1d }
    - { task: { text: "Call the customer back", to: bob, due: 4h } }
    - { link: LINKTARG }
    - { escalate: accounts }
- name: by the group's rule
  on: escalated
  if: { group: accounts, assignee: none }
  do: [ { assign: group } ]
- name: drop the owner
  on: status
  if: { status: on-hold }
  do: [ unassign ]
"#,
    );
    sb.set_fields("[{name: product, type: choice, choices: [printer, scanner]}]");
    sb.set_config(
        "sla",
        "{calendar: business, business_hours: {timezone: UTC, days: {mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00'}}}",
    );
    // The rule names a ticket to link to; make it exist under that id by
    // rewriting the config once the target is known.
    let target = create(&sb, "Earlier printer trouble", "Ann <ann@corp.test>", "old");
    let path = sb.dir.join(".tix/config.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("LINKTARG", &target);
    std::fs::write(&path, text).unwrap();
    sb.git(["commit", "-qam", "link target"]);
    // In business hours (a Monday 10:00) nothing happens.
    let open_hours = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@corp.test",
            "--subject=Printer",
            "-m",
            "x",
            "--field",
            "product=printer",
        ])
        .now("2026-11-02T10:00:00Z"),
    );
    assert!(sb.ticket(&open_hours)["snoozed_until"].is_null());
    // At night, everything.
    let night = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@corp.test",
            "--subject=Printer",
            "-m",
            "x",
            "--field",
            "product=printer",
        ])
        .now("2026-11-02T22:00:00Z"),
    );
    let t = sb.ticket(&night);
    assert_eq!(t["fields"]["product"], "scanner", "{t:#}");
    assert_eq!(t["snoozed_until"], "2026-11-03T22:00:00.000000Z");
    assert_eq!(t["group"], "accounts");
    // The escalation chose bob, the only agent of accounts; the second
    // rule then found him there already.
    assert_eq!(t["assignee"], "bob");
    assert_eq!(t["tasks"][0]["text"], "Call the customer back");
    assert_eq!(t["tasks"][0]["assignee"], "bob");
    // 4 business hours from 22:00 Monday: Tuesday 13:00.
    assert_eq!(t["tasks"][0]["due"], "2026-11-03T13:00:00.000000Z");
    assert!(t["links"].to_string().contains(&target), "{t:#}");
    // Someone on the Cc: the `not` fails, nothing happens.
    let with_cc = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@corp.test",
            "--cc",
            "boss@corp.test",
            "--subject=Printer",
            "-m",
            "x",
            "--priority",
            "urgent",
        ])
        .now("2026-11-02T22:00:00Z"),
    );
    assert!(sb.ticket(&with_cc)["group"].is_null());
    sb.tix(["status", &night, "on-hold"])
        .now("2026-11-02T23:00:00Z")
        .ok();
    assert!(sb.ticket(&night)["assignee"].is_null());
}

#[test]
fn time_conditions_pending_for_and_unanswered_for_fire_from_tick_and_notify_the_group() {
    let sb = store(
        r#"
- name: chase the customer
  on: idle
  if: { pending-for: 3d }
  do: [ { tag: chased } ]
- name: we owe an answer
  on: idle
  if: { unanswered-for: 1d, since-agent: 1d }
  do: [ { notify: "group:accounts" }, { tag: overdue-answer } ]
"#,
    );
    sb.set_mail(MAIL);
    let waiting = create(&sb, "Printer", "Ann <ann@corp.test>", "broken");
    sb.tix([
        "reply",
        &waiting,
        "-m",
        "Does it work now?",
        "--status",
        "pending",
        "--no-send",
    ])
    .now("2026-11-02T10:00:00Z")
    .ok();
    let owed = create(&sb, "Scanner", "Ann <ann@corp.test>", "broken too");
    let tick = |now: &str| -> Value {
        serde_json::from_str(&sb.tix(["tick", "--format", "json"]).now(now).ok()).unwrap()
    };
    // A day later we owe an answer on the second; the first waits on Ann.
    let day1 = tick("2026-11-03T09:30:00Z");
    assert_eq!(day1["actions"].as_array().unwrap().len(), 1, "{day1:#}");
    assert_eq!(tags(&sb, &owed), ["overdue-answer"]);
    assert!(tags(&sb, &waiting).is_empty());
    let to_group: Vec<String> = sent(&sb)
        .into_iter()
        .filter(|m| m.contains("asked for this notification"))
        .collect();
    assert_eq!(to_group.len(), 1, "{to_group:#?}");
    assert!(
        to_group[0].contains("To: bob@example.com"),
        "{}",
        to_group[0]
    );
    // Three days pending: chased, once.
    tick("2026-11-05T10:30:00Z");
    assert_eq!(tags(&sb, &waiting), ["chased"]);
    assert_eq!(
        tick("2026-11-06T10:30:00Z")["actions"],
        serde_json::json!([])
    );
}
