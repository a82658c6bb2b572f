//! Channels: `tix create --channel`, calls and chats logged with `tix
//! log-call` and `tix log-chat`, what they count as (a customer's message,
//! a reply, the first response), the rules' `channel` condition, and the
//! breakdown of reports by channel.

use crate::common::Sandbox;
use serde_json::{Value, json};

/// Monday 2026-11-02.
const T0: &str = "2026-11-02T09:00:00Z";
const T1: &str = "2026-11-02T10:00:00Z";
const LATER: &str = "2026-11-06T12:00:00Z";

fn create(sb: &Sandbox, subject: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "create",
        "--customer",
        "ann@example.org",
        "--subject",
        subject,
    ];
    args.extend_from_slice(extra);
    sb.create_with(sb.tix(args).now(T0))
}

fn eml(subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Carl <carl@example.com>\r\nTo: help@desk.test\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIt is broken.\r\n"
    )
    .into_bytes()
}

fn import_mail(sb: &Sandbox, subject: &str, id: &str) -> String {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(eml(subject, id))
        .now(T0)
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    sb.list_json(["list", "--all"])
        .iter()
        .find(|t| t["subject"] == subject)
        .unwrap_or_else(|| panic!("no ticket for {subject}: {v}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn entry_of_kind(sb: &Sandbox, id: &str, kind: &str) -> Value {
    sb.entries(id)
        .into_iter()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} entry on {id}"))
}

#[test]
fn create_records_the_channel_it_is_given() {
    let sb = Sandbox::init();
    let phoned = create(&sb, "Rang", &["--channel", "phone", "-m", "It is broken"]);
    assert_eq!(sb.ticket(&phoned)["channel"], "phone");
    assert_eq!(entry_of_kind(&sb, &phoned, "created")["channel"], "phone");
    // Without a request the channel is still the one given.
    let web = create(&sb, "Form", &["--channel", "web"]);
    assert_eq!(sb.ticket(&web)["channel"], "web");
    // Left out: the command line, and nothing is written in the entry.
    let typed = create(&sb, "Typed", &["-m", "help"]);
    assert_eq!(sb.ticket(&typed)["channel"], "cli");
    assert!(
        entry_of_kind(&sb, &typed, "created")
            .get("channel")
            .is_none()
    );

    sb.tix([
        "create",
        "--customer",
        "a@b.c",
        "--subject",
        "x",
        "--channel",
        "fax",
    ])
    .fails(2)
    .stderr_has(&["fax", "phone"]);
}

#[test]
fn an_incoming_call_is_the_customers_message_and_the_first_response() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer", &[]);
    sb.tix([
        "log-call",
        &id,
        "--duration",
        "6m",
        "-m",
        "Paper jam; talked them through it",
    ])
    .now(T1)
    .ok();
    let call = entry_of_kind(&sb, &id, "call");
    assert_eq!(call["direction"], "in");
    assert_eq!(call["duration"], "6m");
    assert_eq!(call["body"], "Paper jam; talked them through it");
    let t = sb.ticket(&id);
    // The first contact of a ticket opened without a request sets its channel.
    assert_eq!(t["channel"], "phone");
    assert_eq!(t["customer_messages"], 1);
    assert_eq!(t["first_response_at"], T1.replace('Z', ".000000Z"));
    let shown = sb.tix(["show", &id]).now(T1).ok();
    assert!(shown.contains("phone call (in, 6m)"), "{shown}");
    assert!(shown.contains("Paper jam"), "{shown}");
}

#[test]
fn an_outgoing_call_is_a_reply_and_keeps_the_tickets_channel() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer", &["-m", "help"]);
    sb.tix(["log-call", &id, "--direction", "out", "-m", "Called back"])
        .now(T1)
        .ok();
    let t = sb.ticket(&id);
    assert_eq!(t["channel"], "cli");
    assert_eq!(t["customer_messages"], 1);
    assert_eq!(t["first_response_at"], T1.replace('Z', ".000000Z"));
    assert_eq!(entry_of_kind(&sb, &id, "call")["direction"], "out");
}

#[test]
fn log_call_refuses_a_bad_duration_and_an_empty_summary() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer", &[]);
    sb.tix(["log-call", &id, "--duration", "6 minutes", "-m", "x"])
        .fails(6)
        .stderr_has(&["--duration", "6 minutes"]);
    sb.tix(["log-call", &id, "--duration", "0m", "-m", "x"])
        .fails(6)
        .stderr_has(&["--duration"]);
    sb.tix(["log-call", &id, "-m", " "])
        .fails(6)
        .stderr_has(&["call summary is empty"]);
    sb.tix(["log-call", &id, "--direction", "sideways", "-m", "x"])
        .fails(2);
    sb.tix(["log-call", "ZZZZZZZZ", "-m", "x"]).fails(3);
    assert_eq!(sb.entries(&id).len(), 1);
}

#[test]
fn log_chat_records_the_transcript_and_bounds_it() {
    let sb = Sandbox::init();
    let id = create(&sb, "Login", &[]);
    let dir = sb.mkdir("chats");
    let transcript = dir.join("chat.txt");
    std::fs::write(
        &transcript,
        "ann: I cannot log in\nbob: try the reset link\n",
    )
    .unwrap();
    sb.tix(["log-chat", &id, "-F", transcript.to_str().unwrap()])
        .now(T1)
        .ok();
    let chat = entry_of_kind(&sb, &id, "chat");
    assert_eq!(
        chat["body"],
        "ann: I cannot log in\nbob: try the reset link\n"
    );
    let t = sb.ticket(&id);
    assert_eq!(t["channel"], "chat");
    assert_eq!(t["customer_messages"], 1);
    assert_eq!(t["first_response_at"], T1.replace('Z', ".000000Z"));

    let big = dir.join("big.txt");
    std::fs::write(&big, "x".repeat((1 << 20) + 1)).unwrap();
    sb.tix(["log-chat", &id, "-F", big.to_str().unwrap()])
        .fails(6)
        .stderr_has(&["big.txt", "chat transcript is at most 1048576 bytes"]);
    sb.tix([
        "log-chat",
        &id,
        "-F",
        dir.join("missing.txt").to_str().unwrap(),
    ])
    .fails(3)
    .stderr_has(&["missing.txt"]);
    assert_eq!(sb.entries(&id).len(), 2);
}

#[test]
fn a_rule_can_ask_for_the_phone_channel() {
    let sb = Sandbox::init();
    sb.set_config(
        "rules",
        r#"
- name: phoned
  on: customer-message
  if: { channel: phone }
  do: [ { tag: phoned } ]
"#,
    );
    let id = create(&sb, "Printer", &[]);
    sb.tix(["log-chat", &id, "-m", "ann: hi"]).now(T1).ok();
    assert_eq!(sb.ticket(&id)["tags"], json!([]));
    sb.tix(["log-call", &id, "-m", "rang"]).now(T1).ok();
    assert_eq!(sb.ticket(&id)["tags"], json!(["phoned"]));

    sb.set_config(
        "rules",
        "[{name: bad, on: created, if: {channel: fax}, do: [{tag: x}]}]",
    );
    sb.tix(["list"])
        .fails(6)
        .stderr_has(&["channel", "`fax` is not a channel"]);
}

#[test]
fn reports_break_down_by_channel() {
    let sb = Sandbox::init();
    let mailed = import_mail(&sb, "Mailed", "m1@example.com");
    sb.tix(["reply", &mailed, "-m", "On it"]).now(T1).ok();
    create(&sb, "Typed", &["-m", "help"]);
    create(&sb, "Rang", &["--channel", "phone", "-m", "It is broken"]);
    let rang_later = create(&sb, "Rang later", &[]);
    sb.tix(["log-call", &rang_later, "-m", "rang"]).now(T1).ok();
    let chatted = create(&sb, "Chatted", &[]);
    sb.tix(["log-chat", &chatted, "-m", "ann: hi"]).now(T1).ok();

    let out = sb
        .tix([
            "report",
            "breakdown",
            "--by",
            "channel",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-07",
            "--format",
            "json",
        ])
        .now(LATER)
        .ok();
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["by"], "channel");
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
            (json!("mail"), json!(1), json!(3600)),
            (json!("cli"), json!(1), Value::Null),
            // One not answered yet; one opened empty whose request came
            // on the call that answered it.
            (json!("phone"), json!(2), json!(0)),
            (json!("chat"), json!(1), json!(0)),
        ]
    );
    let summary: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "summary",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-07",
            "--format",
            "json",
        ])
        .now(LATER)
        .ok(),
    )
    .unwrap();
    assert_eq!(summary["created"], 5);
    assert_eq!(
        summary["created_by_channel"],
        json!({"mail": 1, "cli": 1, "phone": 2, "chat": 1, "web": 0, "api": 0})
    );
    let csv = sb
        .tix([
            "report",
            "breakdown",
            "--by",
            "channel",
            "--since",
            "2026-11-01",
        ])
        .now(LATER)
        .ok();
    assert!(
        csv.lines().any(|l| l.ends_with(",channel,phone,2,0,2,0,")),
        "{csv}"
    );
}

/// A store with tickets of every sort: by mail (with its raw message), by
/// the command line with an attachment, by phone with a call and a chat,
/// one closed.
fn varied_store() -> Sandbox {
    let sb = Sandbox::init();
    let mailed = import_mail(&sb, "Mailed", "m1@example.com");
    sb.tix(["reply", &mailed, "-m", "On it"]).now(T1).ok();
    let dir = sb.mkdir("in");
    let attachment = dir.join("log.bin");
    std::fs::write(&attachment, [0u8, 159, 146, 150, 255]).unwrap();
    let typed = create(
        &sb,
        "Typed",
        &[
            "-m",
            "help",
            "--attach",
            attachment.to_str().unwrap(),
            "--tag",
            "printer",
        ],
    );
    sb.tix(["close", &typed]).now(T1).ok();
    let rang = create(&sb, "Rang", &["--channel", "phone", "-m", "It is broken"]);
    sb.tix(["log-call", &rang, "--duration", "3m", "-m", "rang"])
        .now(T1)
        .ok();
    sb.tix(["log-chat", &rang, "-m", "ann: hi\nbob: hello"])
        .now(T1)
        .ok();
    sb
}

#[test]
fn an_ndjson_export_imported_into_an_empty_store_lists_the_same() {
    let a = varied_store();
    let export = a.tix(["export", "--format", "ndjson"]).now(LATER).ok();
    assert_eq!(export.lines().count(), 3, "{export}");
    // The raw mail and the attachment travel with their tickets.
    let with_files = export
        .lines()
        .filter(|l| serde_json::from_str::<Value>(l).unwrap()["files"].is_array())
        .count();
    assert_eq!(with_files, 2, "{export}");
    let b = Sandbox::init();
    let out = b
        .tix(["import", "json", "-"])
        .stdin(export.clone())
        .now(LATER)
        .ok();
    assert!(out.contains("Imported 3 ticket(s)"), "{out}");
    b.assert_clean();
    let list = |sb: &Sandbox| sb.list_json_with(sb.tix(["list", "--all"]).now(LATER));
    assert_eq!(list(&b), list(&a));
    for t in list(&a) {
        let id = t["id"].as_str().unwrap();
        assert_eq!(b.entries(id), a.entries(id), "ticket {id}");
    }
    // The second store exports what the first did, byte for byte.
    assert_eq!(b.tix(["export"]).now(LATER).ok(), export);
    b.tix(["check"]).now(LATER).ok();

    // Ids that exist are refused before anything is written.
    let commits = b.commit_count();
    b.tix(["import", "json", "-"])
        .stdin(export.clone())
        .fails(6)
        .stderr_has(&["standard input:1", "exists"]);
    assert_eq!(b.commit_count(), commits);
}

#[test]
fn import_json_names_the_line_and_field_it_refuses() {
    let a = varied_store();
    let export = a.tix(["export"]).now(LATER).ok();
    let lines: Vec<&str> = export.lines().collect();
    let b = Sandbox::init();
    let dir = b.mkdir("in");
    let file = dir.join("tickets.ndjson");
    let try_import = |text: String| {
        std::fs::write(&file, text).unwrap();
        b.tix(["import", "json", file.to_str().unwrap()])
    };
    // Not JSON on line 2.
    try_import(format!("{}\n{{oops\n", lines[0]))
        .fails(6)
        .stderr_has(&["tickets.ndjson:2"]);
    // An entry that is not a valid entry: the field is named.
    let mut v: Value = serde_json::from_str(lines[1]).unwrap();
    v["entries"][0]["front"]["priority"] = json!("whenever");
    try_import(format!("{}\n{}\n", lines[0], v))
        .fails(6)
        .stderr_has(&["tickets.ndjson:2", "entries[0]", "whenever"]);
    // A path that would leave the ticket directory.
    let mut v: Value = serde_json::from_str(lines[0]).unwrap();
    v["files"] = json!([{"path": "../../escape", "base64": ""}]);
    try_import(format!("{v}\n"))
        .fails(6)
        .stderr_has(&["tickets.ndjson:1", "files[0].path"]);
    // An unknown key.
    let mut v: Value = serde_json::from_str(lines[0]).unwrap();
    v["colour"] = json!("red");
    try_import(format!("{v}\n"))
        .fails(6)
        .stderr_has(&["tickets.ndjson:1", "colour"]);
    b.tix([
        "import",
        "json",
        dir.join("missing.ndjson").to_str().unwrap(),
    ])
    .fails(3)
    .stderr_has(&["missing.ndjson"]);
    assert!(b.list_json(["list", "--all"]).is_empty());
}
