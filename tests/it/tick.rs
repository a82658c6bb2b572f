//! `tix tick` and snooze with an injected clock (`TIX_NOW`): waking,
//! assigning tickets that waited for room, auto-close and lock,
//! idempotence, and two clones ticking at once.

use crate::common::Sandbox;
use serde_json::Value;

const T0: &str = "2026-11-02T09:00:00Z";
const DAY1: &str = "2026-11-03T09:00:00Z";
const DAY3: &str = "2026-11-05T09:00:00Z";
const DAY6: &str = "2026-11-08T09:00:00Z";
const DAY8: &str = "2026-11-10T09:00:00Z";
const DAY40: &str = "2026-12-12T09:00:00Z";

fn tick(sb: &Sandbox, now: &str) -> Vec<Value> {
    let out = sb.tix(["tick", "--format", "json"]).now(now).ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    report["actions"].as_array().unwrap().clone()
}

fn create_at(sb: &Sandbox, subject: &str, now: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann <ann@example.org>",
            "--subject",
            subject,
            "-m",
            "help",
        ])
        .now(now),
    )
}

#[test]
fn a_snoozed_ticket_hides_until_it_wakes_and_tick_wakes_it_once() {
    let sb = Sandbox::init();
    let id = create_at(&sb, "Later", T0);
    sb.change_with(sb.tix(["snooze", &id, "--until", "2d"]).now(T0));
    let listed = |now: &str, args: &[&str]| {
        let mut t = sb.tix(["list", "--format", "ids"]).now(now);
        for a in args {
            t = t.arg(a);
        }
        t.ok()
    };
    assert_eq!(listed(DAY1, &[]), "");
    assert_eq!(listed(DAY1, &["--snoozed"]).trim(), id);
    assert_eq!(listed(DAY1, &["--all"]).trim(), id);
    assert!(tick(&sb, DAY1).is_empty());
    let actions = tick(&sb, DAY3);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["action"], "woke");
    assert_eq!(listed(DAY3, &[]).trim(), id);
    assert!(tick(&sb, DAY3).is_empty(), "a second tick does nothing");
    let kinds: Vec<String> = sb
        .entries(&id)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "snooze").count(), 2);
}

#[test]
fn the_customer_writing_wakes_a_snoozed_ticket_at_once() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let mail = |id: &str, extra: &str| {
        format!(
            "From: Ann <ann@example.org>\r\nTo: support@example.com\r\nSubject: Printer\r\n\
             Message-ID: <{id}@example.org>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n{extra}\r\n\
             Help.\r\n"
        )
    };
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail("s1", ""))
        .now(T0)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    sb.change_with(sb.tix(["snooze", &id, "--until", "1w"]).now(T0));
    assert_eq!(sb.tix(["list", "--format", "ids"]).now(DAY1).ok(), "");
    sb.tix(["import", "eml"])
        .stdin(mail("s2", "In-Reply-To: <s1@example.org>\r\n"))
        .now(DAY1)
        .ok();
    assert_eq!(
        sb.tix(["list", "--format", "ids"]).now(DAY1).ok().trim(),
        id
    );
    assert_eq!(sb.ticket(&id)["snoozed_until"], Value::Null);
}

#[test]
fn pending_tickets_are_closed_then_locked_once() {
    let sb = Sandbox::init();
    sb.set_config(
        "auto_close",
        "{pending_days: 7, message: 'We are closing this for now; just reply to reopen it.', lock_after_days: 30}",
    );
    let id = create_at(&sb, "Waiting on Ann", T0);
    sb.change_with(sb.tix(["status", &id, "pending"]).now(T0));
    assert!(tick(&sb, DAY6).is_empty());
    let actions = tick(&sb, DAY8);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["action"], "closed");
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["status"], "closed");
    let replies: Vec<Value> = sb
        .entries(&id)
        .into_iter()
        .filter(|e| e["kind"] == "reply")
        .collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["author"], "tix");
    assert!(
        replies[0]["body"]
            .as_str()
            .unwrap()
            .contains("just reply to reopen")
    );
    assert!(tick(&sb, DAY8).is_empty(), "idempotent");
    let actions = tick(&sb, DAY40);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["action"], "locked");
    assert!(sb.ticket(&id)["locked"].is_object());
    assert!(tick(&sb, DAY40).is_empty());
    // A dry run says, and does nothing.
    let other = create_at(&sb, "Also waiting", T0);
    sb.change_with(sb.tix(["status", &other, "pending"]).now(T0));
    let before = sb.commit_count();
    let out = sb.tix(["tick", "--dry-run"]).now(DAY8).ok();
    assert!(out.contains(&format!("{other}\tclosed")), "{out}");
    assert_eq!(sb.commit_count(), before);
    sb.ok(["check"]);
}

#[test]
fn a_ticket_waiting_for_room_is_assigned_by_tick_when_room_appears() {
    let sb = Sandbox::init();
    sb.set_config("assignment", "{rule: round-robin, max_active: 1}");
    let a = create_at(&sb, "First", T0);
    let b = create_at(&sb, "Second", T0);
    assert_eq!(sb.ticket(&a)["assignee"], "alice");
    assert_eq!(sb.ticket(&b)["assignee"], Value::Null);
    assert!(tick(&sb, DAY1).is_empty(), "still no room");
    sb.change(["close", &a, "--yes"]);
    let actions = tick(&sb, DAY1);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["action"], "assigned to alice");
    assert_eq!(sb.ticket(&b)["assignee"], "alice");
    assert!(tick(&sb, DAY1).is_empty());
}

#[test]
fn two_clones_ticking_at_once_merge_to_one_state() {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
    let config = a.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("auto_close:\n  pending_days: 7\n");
    std::fs::write(&config, text).unwrap();
    sb.git_in(&a, ["commit", "-q", "-am", "auto-close"]);
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.org",
            "--subject",
            "Shared",
            "-m",
            "x",
        ])
        .in_dir(&a)
        .now(T0),
    );
    sb.tix(["status", &id, "pending"]).in_dir(&a).now(T0).ok();
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    for dir in [&a, &b] {
        let out = sb.tix(["tick"]).in_dir(dir).now(DAY8).ok();
        assert!(out.contains("closed"), "{out}");
    }
    sb.git_in(&b, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&a, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    sb.git_in(&a, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&b, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    // Both closes are in the trail; the second changes nothing.
    let show = |dir: &std::path::Path| -> Value {
        serde_json::from_str(&sb.tix(["show", &id, "--format", "json"]).in_dir(dir).ok()).unwrap()
    };
    let (ta, tb) = (show(&a), show(&b));
    assert_eq!(ta["ticket"], tb["ticket"]);
    assert_eq!(ta["ticket"]["status"], "closed");
    assert_eq!(ta["ticket"]["reopened"], 0);
    let closes = ta["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "close")
        .count();
    assert_eq!(closes, 2);
    // And nothing is left to do on either side.
    for dir in [&a, &b] {
        let out = sb.tix(["tick"]).in_dir(dir).now(DAY8).ok();
        assert!(out.starts_with("0 actions"), "{out}");
        sb.tix(["check"]).in_dir(dir).ok();
    }
}

/// `tix tick --dry-run --format json` at `now`: its actions.
fn dry_tick(sb: &Sandbox, now: &str) -> Vec<Value> {
    let out = sb
        .tix(["tick", "--dry-run", "--format", "json"])
        .now(now)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["dry_run"], true);
    report["actions"].as_array().unwrap().clone()
}

#[test]
fn a_dry_run_says_exactly_what_the_real_run_does_and_a_run_is_one_commit() {
    let sb = Sandbox::init();
    sb.set_mail(
        "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
         auto_reply: {enabled: false}",
    );
    sb.set_config(
        "sla",
        "{high: {first_response: 1h, resolution: 2d}, on_breach: [{priority: urgent}, notify]}",
    );
    sb.set_config(
        "auto_close",
        "{pending_days: 7, message: 'Closing this for now; reply to reopen it.'}",
    );
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(
            sb.create_with(
                sb.tix([
                    "create",
                    "--customer",
                    "ann@example.org",
                    "--subject",
                    &format!("Down {n}"),
                    "-m",
                    "x",
                    "--priority",
                    "high",
                ])
                .now(T0),
            ),
        );
    }
    sb.change_with(sb.tix(["status", &ids[3], "pending"]).now(T0));
    sb.change_with(
        sb.tix(["reply", &ids[2], "-m", "On it", "--no-send"])
            .now(T0),
    );
    // Two hours on: tickets 0 and 1 are unanswered past their target.
    let later = "2026-11-02T11:00:00Z";
    let planned = dry_tick(&sb, later);
    let before = sb.commit_count();
    let actions = tick(&sb, later);
    assert_eq!(actions, planned);
    assert_eq!(actions.len(), 2, "{actions:#?}");
    // One commit for the actions and the notifications they e-mail, one
    // recording the deliveries.
    assert_eq!(sb.commit_count(), before + 2);
    assert_eq!(
        crate::common::files_under(&sb.dir.join("sent-mail")).len(),
        2
    );
    for id in &ids[..2] {
        assert_eq!(sb.ticket(id)["outbox"], serde_json::json!({}), "delivered");
    }
    // Done is done: neither a dry run nor a real run finds anything more.
    assert_eq!(dry_tick(&sb, later), Vec::<Value>::new());
    assert_eq!(tick(&sb, later), Vec::<Value>::new());
    assert_eq!(dry_tick(&sb, "2026-11-02T11:30:00Z"), Vec::<Value>::new());
    // A week on: ticket 2's resolution target is breached (0 and 1 are
    // urgent now, which has no target) and 3 is closed with a message; the
    // dry run lists exactly that, the real run does it.
    let planned = dry_tick(&sb, DAY8);
    let before = sb.commit_count();
    let actions = tick(&sb, DAY8);
    assert_eq!(actions, planned);
    assert_eq!(actions.len(), 2, "{actions:#?}");
    assert_eq!(sb.commit_count(), before + 2);
    assert_eq!(sb.ticket(&ids[3])["status"], "closed");
    assert_eq!(sb.ticket(&ids[3])["outbox"], serde_json::json!({}));
    assert_eq!(dry_tick(&sb, DAY8), Vec::<Value>::new());
    assert_eq!(tick(&sb, DAY8), Vec::<Value>::new());
    sb.ok(["check"]);
}

#[test]
fn auto_close_leaves_a_ticket_without_a_field_required_at_close_and_says_why() {
    let sb = Sandbox::init();
    sb.set_fields(
        "[{name: resolution, type: choice, choices: [fixed, wontfix], required: [close]}]",
    );
    sb.set_config("auto_close", "{pending_days: 7, message: 'Closing.'}");
    let bare = create_at(&sb, "No resolution", T0);
    let given = create_at(&sb, "Resolved", T0);
    sb.change_with(sb.tix(["field", &given, "resolution", "fixed"]).now(T0));
    for id in [&bare, &given] {
        sb.change_with(sb.tix(["status", id, "pending"]).now(T0));
    }
    // `tix status ID closed` refuses it; so does tick.
    sb.tix(["status", &bare, "closed"])
        .now(T0)
        .fails(6)
        .stderr_has(&["resolution"]);
    let out = sb.tix(["tick", "--format", "json"]).now(DAY8).ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let actions = report["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{report:#}");
    assert_eq!(actions[0]["ticket"], given.as_str());
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{report:#}");
    assert_eq!(skipped[0]["ticket"], bare.as_str());
    let why = skipped[0]["why"].as_str().unwrap();
    assert!(why.contains("resolution"), "{why}");
    assert_eq!(sb.ticket(&bare)["status"], "pending");
    assert!(
        sb.entries(&bare).iter().all(|e| e["kind"] != "reply"),
        "no closing message either"
    );
    assert_eq!(sb.ticket(&given)["status"], "closed");
    // The text output names it too.
    let text = sb.tix(["tick"]).now(DAY8).ok();
    assert!(text.contains(&format!("{bare}\tskipped")), "{text}");
    assert!(text.contains("0 actions, 1 skipped"), "{text}");
}

#[test]
fn two_clones_auto_closing_one_ticket_show_one_close_and_one_closing_message() {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
    let config = a.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("auto_close:\n  pending_days: 7\n  message: Closing this for now.\n");
    std::fs::write(&config, text).unwrap();
    sb.git_in(&a, ["commit", "-q", "-am", "auto-close"]);
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.org",
            "--subject",
            "Shared",
            "-m",
            "x",
        ])
        .in_dir(&a)
        .now(T0),
    );
    sb.tix(["status", &id, "pending"]).in_dir(&a).now(T0).ok();
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    sb.tix(["tick"]).in_dir(&a).now(DAY8).ok();
    sb.tix(["tick"]).in_dir(&b).now("2026-11-10T09:00:05Z").ok();
    sb.git_in(&b, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&a, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    let show = |args: &[&str]| -> Value {
        let mut t = sb.tix(["show", &id, "--format", "json"]).in_dir(&a);
        for x in args {
            t = t.arg(x);
        }
        serde_json::from_str(&t.ok()).unwrap()
    };
    let all = show(&[]);
    let entries = all["entries"].as_array().unwrap();
    let of = |kind: &str| -> Vec<&Value> { entries.iter().filter(|e| e["kind"] == kind).collect() };
    // Both closes and both messages are kept; the second of each is a
    // copy of the first (the same rule run from the same state), counted
    // once.
    let closes = of("close");
    assert_eq!(closes.len(), 2);
    assert!(closes[0].get("not_applied").is_none(), "{closes:#?}");
    assert!(
        closes[1]["not_applied"]
            .as_str()
            .unwrap()
            .contains("a copy")
    );
    assert_eq!(closes[1]["copy_of"], closes[0]["entry_file"]);
    let replies = of("reply");
    assert_eq!(replies.len(), 2);
    assert!(replies[0].get("not_applied").is_none(), "{replies:#?}");
    assert!(
        replies[1]["not_applied"]
            .as_str()
            .unwrap()
            .contains("a copy")
    );
    assert_eq!(replies[1]["copy_of"], replies[0]["entry_file"]);
    assert_eq!(all["ticket"]["messages"], 1);
    // The customer's view has each once.
    let public = show(&["--public"]);
    let kinds: Vec<&str> = public["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "status", "reply", "close"], "{public:#}");
    sb.tix(["check"]).in_dir(&a).ok();
}

/// `TIX_NOW` is user-facing (release builds honour it, see
/// docs/architecture.md): a value that is not a time is refused, naming
/// the variable, and nothing is written at the real time instead.
#[test]
fn a_malformed_tix_now_is_refused_not_ignored() {
    let sb = Sandbox::init();
    let id = create_at(&sb, "Printer offline", T0);
    let head = sb.head();
    for args in [vec!["tick"], vec!["comment", id.as_str(), "-m", "later"]] {
        sb.tix(&args)
            .now("next tuesday")
            .run()
            .code(6)
            .stderr_has(&["TIX_NOW", "next tuesday", "RFC 3339"]);
    }
    assert_eq!(sb.head(), head);
}
