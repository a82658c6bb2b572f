//! `tix quarantine show|drop|file`: reading a quarantined message,
//! dropping it with a record of who and why, and filing it by hand for a
//! customer, as a new ticket or on an existing one.

use crate::common::Sandbox;
use serde_json::Value;

/// A message with no From, in Cyrillic, quarantined by `tix import eml`;
/// returns its quarantine file.
fn quarantined(sb: &Sandbox, marker: &str) -> String {
    let mail = format!(
        "To: support@example.com\r\nSubject: =?UTF-8?B?0J/RgNC40L3RgtC10YA=?=\r\nMessage-ID: <{marker}@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nПринтер не печатает {marker}\r\n"
    );
    // Quarantined, `import eml` exits 65 (EX_DATAERR) for the MTA.
    let run = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail.into_bytes())
        .run()
        .code(65);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    sb.assert_clean();
    out["messages"][0]["file"].as_str().unwrap().to_string()
}

#[test]
fn show_reads_a_quarantined_message_and_drop_removes_it_with_a_commit() {
    let sb = Sandbox::init();
    let file = quarantined(&sb, "m1");
    let shown = sb.tix(["quarantine", "show", &file]).ok();
    assert!(shown.contains("no sender"), "{shown}");
    assert!(shown.contains("Subject: Принтер"), "{shown}");
    assert!(shown.contains("Принтер не печатает m1"), "{shown}");
    let json: Value = serde_json::from_str(
        &sb.tix(["quarantine", "show", &file, "--format", "json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(json["file"], file.as_str());
    let before = sb.commit_count();
    let bare = file
        .trim_start_matches("quarantine/")
        .trim_end_matches(".eml");
    sb.tix(["quarantine", "drop", bare, "--reason", "spam"])
        .ok();
    assert_eq!(sb.commit_count(), before + 1);
    assert!(!sb.dir.join(&file).exists());
    let message = sb.git(["log", "-1", "--format=%B"]);
    assert!(
        message.contains("alice dropped") && message.contains("spam"),
        "{message}"
    );
    sb.assert_clean();
    let list = sb.tix(["quarantine", "list", "--format", "json"]).ok();
    assert_eq!(
        serde_json::from_str::<Value>(&list).unwrap(),
        serde_json::json!([])
    );
    sb.tix(["quarantine", "drop", bare])
        .fails(3)
        .stderr_has(&["not in the quarantine"]);
    sb.tix(["quarantine", "show", bare]).fails(3);
}

#[test]
fn file_makes_a_ticket_for_the_customer_or_a_message_on_one_keeping_the_bytes() {
    let sb = Sandbox::init();
    let file = quarantined(&sb, "m2");
    let raw = std::fs::read(sb.dir.join(&file)).unwrap();
    let before = sb.commit_count();
    let out = sb
        .tix([
            "quarantine",
            "file",
            &file,
            "--customer",
            "Ann <ann@example.com>",
        ])
        .ok();
    let id = out.split_whitespace().next().unwrap().to_string();
    assert_eq!(sb.commit_count(), before + 1, "one commit");
    assert!(!sb.dir.join(&file).exists(), "left the quarantine");
    sb.assert_clean();
    let t = sb.ticket(&id);
    assert_eq!(t["subject"], "Принтер");
    assert_eq!(t["customer"]["email"], "ann@example.com");
    let entries = sb.entries(&id);
    let message = entries.iter().find(|e| e["kind"] == "message").unwrap();
    assert!(message["body"].as_str().unwrap().contains("не печатает m2"));
    assert!(
        entries.iter().any(|e| e["kind"] == "note"
            && e["author"] == "alice"
            && e["body"].as_str().unwrap().contains("from the quarantine")),
        "{entries:#?}"
    );
    // The message itself, byte for byte, is attached.
    let stored: Vec<_> = walk(&sb.ticket_dir(&id))
        .into_iter()
        .filter(|p| p.file_name().unwrap() == "message.eml")
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(std::fs::read(&stored[0]).unwrap(), raw);
    // Onto an existing ticket, as the customer's message.
    let other = quarantined(&sb, "m3");
    sb.tix([
        "quarantine",
        "file",
        &other,
        "--customer",
        "ann@example.com",
        "--ticket",
        &id,
    ])
    .ok();
    assert_eq!(sb.ticket(&id)["messages"], 2);
    sb.tix([
        "quarantine",
        "file",
        &other,
        "--customer",
        "ann@example.com",
    ])
    .fails(3);
    sb.tix([
        "quarantine",
        "file",
        "nothing",
        "--customer",
        "not an address",
    ])
    .fails(6)
    .stderr_has(&["--customer"]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
