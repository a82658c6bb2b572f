//! Reply controls on a real SMTP server: `tix reply --cc/--bcc` (copies
//! recorded with the reply, the Bcc in no header), `--preview` (the exact
//! message, nothing written or sent), and `tix forward` (a third party
//! gets the public thread, never a note, and is not added to the ticket).

use crate::common::Sandbox;
use crate::common::mailserver::SmtpServer;
use serde_json::Value;

const CUSTOMER_MAIL: &str = "From: Ann Smith <ann@example.org>\r\n\
To: support@example.com\r\n\
Subject: Printer on fire\r\n\
Message-ID: <c1@example.org>\r\n\
Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\
\r\n\
It smells of toner.\r\n";

fn store(sink: &SmtpServer) -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.set_config("name", "\"Example Support\"");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {}\n  tls: starttls\n  \
         ca_file: {}\n  timeout: 10s\nauto_reply:\n  enabled: false\n",
        sink.port,
        sink.ca_file.display()
    ));
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(CUSTOMER_MAIL)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    (sb, id)
}

/// The message without the lines that differ between two compositions.
fn stable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .lines()
        .filter(|l| !l.starts_with("Date:") && !l.starts_with("Message-ID:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn preview_is_the_message_reply_sends_and_writes_nothing() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink);
    let before = sb.commit_count();
    let preview = sb
        .tix([
            "reply",
            &id,
            "-m",
            "Unplug it, please.",
            "--cc",
            "boss@example.org",
            "--preview",
        ])
        .run();
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    assert!(preview.stderr.contains("nothing was written or sent"));
    assert_eq!(sb.commit_count(), before, "a preview wrote a commit");
    assert!(sink.received().is_empty(), "a preview sent mail");
    sb.assert_clean();
    sb.tix([
        "reply",
        &id,
        "-m",
        "Unplug it, please.",
        "--cc",
        "boss@example.org",
    ])
    .ok();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        stable(preview.stdout.as_bytes()),
        stable(&received[0].bytes)
    );
}

#[test]
fn copies_go_with_one_reply_are_recorded_and_bcc_is_in_no_header() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink);
    sb.tix([
        "reply",
        &id,
        "-m",
        "Fixed.",
        "--cc",
        "Boss <boss@example.org>",
        "--bcc",
        "audit@example.net",
    ])
    .ok();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let mut rcpt = received[0].rcpt_tos.clone();
    rcpt.sort();
    assert_eq!(
        rcpt,
        ["ann@example.org", "audit@example.net", "boss@example.org"]
    );
    let text = String::from_utf8_lossy(&received[0].bytes).to_string();
    assert!(text.contains("Cc: Boss <boss@example.org>"), "{text}");
    assert!(
        !text.contains("audit@example.net"),
        "the Bcc is in the headers: {text}"
    );
    // Recorded with the reply; the ticket's Cc is untouched.
    let reply = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "reply")
        .unwrap();
    assert_eq!(
        reply["mail"]["bcc"][0]["email"], "audit@example.net",
        "{reply:#}"
    );
    assert_eq!(reply["mail"]["cc"][0]["email"], "boss@example.org");
    assert_eq!(sb.ticket(&id)["cc"], serde_json::json!([]));
    // Without sending, there is nothing to copy.
    sb.tix([
        "reply",
        &id,
        "-m",
        "x",
        "--cc",
        "boss@example.org",
        "--no-send",
    ])
    .fails(6)
    .stderr_has(&["--cc"]);
}

#[test]
fn forward_sends_the_public_thread_to_a_third_party_only() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink);
    sb.tix(["comment", &id, "-m", "SECRET-NOTE-7Q"]).ok();
    sb.tix(["reply", &id, "-m", "We are on it."]).ok();
    let before = sink.received().len();
    sb.tix([
        "forward",
        &id,
        "--to",
        "Vendor <help@vendor.example>",
        "-m",
        "Can you check?",
    ])
    .ok();
    let received = sink.received();
    assert_eq!(received.len(), before + 1);
    let m = &received[before];
    assert_eq!(m.rcpt_tos, ["help@vendor.example"]);
    let text = String::from_utf8_lossy(&m.bytes).replace("=\r\n", "");
    assert!(text.contains("Can you check?"), "{text}");
    assert!(text.contains("It smells of toner."), "{text}");
    assert!(text.contains("We are on it."), "{text}");
    assert!(
        !text.contains("SECRET-NOTE-7Q"),
        "a note was forwarded: {text}"
    );
    assert!(text.contains(&format!("[tix #{id}]")), "{text}");
    // An internal note by alice records it, with its delivery; the vendor
    // joins nothing.
    let entries = sb.entries(&id);
    let note = entries
        .iter()
        .find(|e| {
            e["kind"] == "note" && e["body"].as_str().unwrap().contains("Forwarded the thread")
        })
        .unwrap_or_else(|| panic!("{entries:#?}"));
    assert_eq!(note["author"], "alice");
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == "delivery" && e["status"] == "sent")
    );
    assert_eq!(sb.ticket(&id)["cc"], serde_json::json!([]));
    // --last: only the customer's last message.
    sb.tix(["forward", &id, "--to", "help@vendor.example", "--last"])
        .ok();
    let last = String::from_utf8_lossy(&sink.received().last().unwrap().bytes).to_string();
    assert!(last.contains("It smells of toner."));
    assert!(!last.contains("We are on it."), "{last}");
    sb.tix(["forward", &id, "--to", "not an address"]).fails(6);
}
