//! Working the queue: the filters `--waiting-on`, `--group`,
//! `--unanswered` and `--has-tasks`, named views (`tix list @NAME`, `tix
//! views` with counts) and tag management (`tix tags`, `tags rename`,
//! `tags merge`), on a store whose tickets are in states set by hand, each
//! expectation worked out from those states.

use std::collections::BTreeSet;

use crate::common::Sandbox;
use serde_json::Value;

const T0: &str = "2026-11-02T09:00:00Z";
const T1: &str = "2026-11-02T10:00:00Z";
const T2: &str = "2026-11-02T11:00:00Z";
const T3: &str = "2026-11-02T12:00:00Z";

/// The tickets of the store, by the letter the expectations use.
struct Queue {
    sb: Sandbox,
    /// Customer wrote, no reply; urgent, alice's; tags printer, vip.
    a: String,
    /// Opened without a description; nobody has written.
    b: String,
    /// Customer wrote, alice replied (now open); high, alice's; tag Printer.
    c: String,
    /// By mail; alice replied, then the customer wrote again.
    d: String,
    /// Set pending without a reply; tag toner.
    e: String,
    /// On hold without a reply; tag vip; locked.
    f: String,
    /// Replied to and closed.
    g: String,
    /// Escalated to billing (a note, not a reply), so bob's; urgent.
    h: String,
    /// Customer wrote, no reply; an open task.
    i: String,
}

fn create(sb: &Sandbox, subject: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.org",
            "--subject",
            subject,
            "-m",
            "help",
        ])
        .now(T0),
    )
}

fn at(sb: &Sandbox, now: &str, args: &[&str]) {
    sb.change_with(sb.tix(args).now(now));
}

fn mail(from: &str, subject: &str, id: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    let mut s = format!(
        "From: {from}\nTo: support@example.com\nSubject: {subject}\nDate: Mon, 02 Nov 2026 08:00:00 +0000\nMessage-ID: <{id}>\n"
    );
    if let Some(r) = in_reply_to {
        s.push_str(&format!("In-Reply-To: <{r}>\n"));
    }
    s.push_str("\nThe text.\n");
    s.into_bytes()
}

fn import(sb: &Sandbox, now: &str, bytes: Vec<u8>) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(bytes)
        .now(now)
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    v["messages"][0].clone()
}

fn queue() -> Queue {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config("groups", "[{name: billing, agents: [bob]}]");
    let a = create(&sb, "A");
    at(&sb, T1, &["priority", &a, "urgent"]);
    at(&sb, T1, &["assign", &a, "alice"]);
    at(&sb, T1, &["tag", &a, "printer", "vip"]);
    let b = sb.create_with(
        sb.tix(["create", "--customer", "bea@example.org", "--subject", "B"])
            .now(T0),
    );
    let c = create(&sb, "C");
    at(&sb, T1, &["reply", &c, "-m", "Try this"]);
    at(&sb, T1, &["priority", &c, "high"]);
    at(&sb, T1, &["assign", &c, "alice"]);
    at(&sb, T1, &["tag", &c, "Printer"]);
    let first = import(
        &sb,
        T0,
        mail("dan@example.org", "D", "d1@example.org", None),
    );
    let d = first["ticket"].as_str().unwrap().to_string();
    at(&sb, T1, &["reply", &d, "-m", "Which model?"]);
    let again = import(
        &sb,
        T2,
        mail(
            "dan@example.org",
            "Re: D",
            "d2@example.org",
            Some("d1@example.org"),
        ),
    );
    assert_eq!(again["ticket"].as_str(), Some(d.as_str()), "{again:#}");
    let e = create(&sb, "E");
    at(&sb, T1, &["status", &e, "pending"]);
    at(&sb, T1, &["tag", &e, "toner"]);
    let f = create(&sb, "F");
    at(&sb, T1, &["status", &f, "on-hold"]);
    at(&sb, T1, &["tag", &f, "vip"]);
    at(&sb, T2, &["lock", &f, "-m", "legal hold"]);
    let g = create(&sb, "G");
    at(&sb, T1, &["reply", &g, "-m", "Done"]);
    at(&sb, T2, &["close", &g]);
    let h = create(&sb, "H");
    at(&sb, T1, &["priority", &h, "urgent"]);
    at(
        &sb,
        T1,
        &["escalate", &h, "--to", "billing", "-m", "Refund"],
    );
    let i = create(&sb, "I");
    at(&sb, T1, &["task", "add", &i, "Call back"]);
    Queue {
        sb,
        a,
        b,
        c,
        d,
        e,
        f,
        g,
        h,
        i,
    }
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn listed(sb: &Sandbox, args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    sb.list_ids_with(sb.tix(all).now(T3)).into_iter().collect()
}

#[test]
fn the_queue_filters_keep_the_tickets_worked_out_by_hand() {
    let q = queue();
    let sb = &q.sb;
    // Us: new or open, and the customer wrote last or no one has (B).
    assert_eq!(
        listed(sb, &["--waiting-on", "us"]),
        set(&[&q.a, &q.b, &q.d, &q.h, &q.i])
    );
    // Customer: pending (E), or open with a reply last (C). G is closed,
    // F on hold: neither side, even with --all.
    assert_eq!(
        listed(sb, &["--waiting-on", "customer"]),
        set(&[&q.c, &q.e])
    );
    assert_eq!(
        listed(sb, &["--waiting-on", "customer", "--all"]),
        set(&[&q.c, &q.e])
    );
    // No public reply yet; D and C were answered, G too and is closed.
    assert_eq!(
        listed(sb, &["--unanswered"]),
        set(&[&q.a, &q.b, &q.e, &q.f, &q.h, &q.i])
    );
    assert_eq!(listed(sb, &["--group", "billing"]), set(&[&q.h]));
    assert_eq!(listed(sb, &["--has-tasks"]), set(&[&q.i]));
    assert_eq!(
        listed(
            sb,
            &["--waiting-on", "us", "--unanswered", "--priority", "urgent"]
        ),
        set(&[&q.a, &q.h])
    );
    // The whole tickets of JSON pass the same filters as the rows.
    let json: BTreeSet<String> = sb
        .list_json_with(sb.tix(["list", "--waiting-on", "customer"]).now(T3))
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(json, set(&[&q.c, &q.e]));
    // A mistyped group is an error, not an empty list.
    sb.tix(["list", "--group", "biling"])
        .fails(3)
        .stderr_has(&["biling", "billing"]);
    let _ = (&q.g, &q.f);
}

#[test]
fn named_views_list_count_and_combine_with_flags() {
    let q = queue();
    let sb = &q.sb;
    sb.set_config(
        "views",
        "{triage: {waiting-on: us, unanswered: true}, urgent-mine: {assignee: me, priority: [urgent, high], sort: priority}, closed: {status: closed}}",
    );
    assert_eq!(listed(sb, &["@triage"]), set(&[&q.a, &q.b, &q.h, &q.i]));
    // The view's order: urgent A before high C.
    assert_eq!(
        sb.list_ids_with(sb.tix(["list", "@urgent-mine"]).now(T3)),
        [q.a.clone(), q.c.clone()]
    );
    // Flags beside a view narrow it, or take the place of its own.
    assert_eq!(listed(sb, &["@triage", "--has-tasks"]), set(&[&q.i]));
    assert_eq!(
        listed(sb, &["@triage", "--priority", "urgent"]),
        set(&[&q.a, &q.h])
    );
    assert_eq!(
        listed(sb, &["@urgent-mine", "--priority", "high"]),
        set(&[&q.c])
    );
    assert_eq!(listed(sb, &["@closed"]), set(&[&q.g]));
    // `tix views`: each view's count, in one listing.
    let out = sb.tix(["views", "--format", "json"]).now(T3).ok();
    let views: Vec<Value> = serde_json::from_str(&out).unwrap();
    let counts: Vec<(&str, u64)> = views
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("closed", 1), ("triage", 4), ("urgent-mine", 2)]);
    assert_eq!(
        views[2]["definition"],
        "--priority urgent,high --mine --sort priority"
    );
    sb.tix(["views"])
        .now(T3)
        .run()
        .code(0)
        .stdout_has(&["@triage", "--waiting-on us --unanswered"]);
    // Errors: an unknown view, a view without its @.
    sb.tix(["list", "@nope"])
        .fails(3)
        .stderr_has(&["no view `nope`", "triage"]);
    sb.tix(["list", "triage"]).fails(2).stderr_has(&["@triage"]);
}

#[test]
fn a_bad_view_in_the_config_is_an_error_naming_the_view_and_key() {
    let sb = Sandbox::init();
    sb.set_config("views", "{mine: {prio: high}}");
    sb.tix(["list"])
        .fails(6)
        .stderr_has(&["views.mine.prio", "not a view key"]);
    sb.set_config("views", "{mine: {priority: hihg}}");
    sb.tix(["views"])
        .fails(6)
        .stderr_has(&["views.mine.priority", "hihg"]);
    sb.set_config("views", "{mine: \"--mine --priority urgent\"}");
    sb.tix(["views"])
        .fails(6)
        .stderr_has(&["views.mine: a view is a mapping"]);
}

fn tag_counts(sb: &Sandbox) -> Vec<(String, u64, u64)> {
    let out = sb.tix(["tags", "--format", "json"]).ok();
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    v.iter()
        .map(|t| {
            (
                t["tag"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
                t["open"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn tag_entries(sb: &Sandbox, id: &str) -> usize {
    sb.entries(id)
        .iter()
        .filter(|e| e["kind"] == "tags")
        .count()
}

#[test]
fn tags_are_counted_renamed_and_merged_in_one_commit() {
    let q = queue();
    let sb = &q.sb;
    // printer on A and C in two spellings is one tag; F is locked but
    // still counted.
    assert_eq!(
        tag_counts(sb),
        [
            ("Printer".to_string(), 2, 2),
            ("vip".to_string(), 2, 2),
            ("toner".to_string(), 1, 1),
        ]
    );
    let before = (tag_entries(sb, &q.a), tag_entries(sb, &q.c));
    let out = sb.change(["tags", "rename", "PRINTER", "hardware"]);
    assert!(out.contains("on 2 tickets"), "{out}");
    assert_eq!(
        (tag_entries(sb, &q.a), tag_entries(sb, &q.c)),
        (before.0 + 1, before.1 + 1)
    );
    assert_eq!(listed(sb, &["--tag", "hardware"]), set(&[&q.a, &q.c]));
    assert!(listed(sb, &["--tag", "printer"]).is_empty());

    // A rename onto a tag in use would merge them: refused, with the way.
    let n = sb.commit_count();
    sb.tix(["tags", "rename", "toner", "Hardware"])
        .fails(6)
        .stderr_has(&[
            "`Hardware` is already on 2 tickets",
            "tix tags merge toner Hardware",
        ]);
    assert_eq!(sb.commit_count(), n);
    sb.change(["tags", "merge", "toner", "hardware"]);
    assert_eq!(listed(sb, &["--tag", "hardware"]), set(&[&q.a, &q.c, &q.e]));
    assert_eq!(sb.ticket(&q.e)["tags"], serde_json::json!(["hardware"]));

    // A new spelling: the locked F keeps its tag and is reported.
    sb.tix(["tags", "rename", "vip", "VIP"])
        .run()
        .code(0)
        .stderr_has(&[&format!("{} keeps tag `vip`", q.f), "locked"]);
    assert_eq!(
        sb.ticket(&q.a)["tags"],
        serde_json::json!(["VIP", "hardware"])
    );
    assert_eq!(sb.ticket(&q.f)["tags"], serde_json::json!(["vip"]));
    assert_eq!(listed(sb, &["--tag", "vip", "--all"]), set(&[&q.a, &q.f]));

    // Errors.
    sb.tix(["tags", "merge", "nope", "hardware"])
        .fails(3)
        .stderr_has(&["no ticket has the tag `nope`"]);
    sb.tix(["tags", "merge", "hardware", "HARDWARE"])
        .fails(6)
        .stderr_has(&["one tag"]);
    sb.tix(["tags", "rename", "hardware", "two words"])
        .fails(6)
        .stderr_has(&["two words"]);
    sb.ok(["check"]);
    sb.assert_clean();
}
