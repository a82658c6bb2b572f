//! `tix reply` e-mails the customer: through a real SMTP server (an
//! aiosmtpd sink on loopback, STARTTLS with a test CA), a file outbox, or
//! not at all; the exact bytes are kept in the trail; a failed send is
//! recorded and retried from the outbox; the customer's answer threads
//! back onto the ticket.

use crate::common::Sandbox;
use crate::common::mailserver::SmtpServer;
use mail_parser::MessageParser;
use serde_json::Value;

const CUSTOMER_MAIL: &str = "From: Ann Smith <ann@example.org>\r\n\
To: support@example.com\r\n\
Subject: Printer on fire\r\n\
Message-ID: <c1@example.org>\r\n\
Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\
\r\n\
It smells of toner.\r\n";

/// When the tests' first mail is filed (the auto-responder's window is
/// measured from it).
const DAY_ONE: &str = "2026-11-23T10:00:00Z";

/// A store with the support address, team name and `outgoing` config,
/// holding one ticket imported from Ann's mail; returns its id.
fn store_with_ticket(outgoing_yaml: &str) -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.set_config("name", "\"Example Support\"");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n{outgoing_yaml}"
    ));
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(CUSTOMER_MAIL)
        .now(DAY_ONE)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    (sb, id)
}

/// `outgoing_yaml` with the auto-responder off, for tests of replies.
fn no_ack(outgoing_yaml: &str) -> String {
    format!("{outgoing_yaml}auto_reply:\n  enabled: false\n")
}

fn smtp_config(port: u16, ca_file: &std::path::Path) -> String {
    format!(
        "outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {port}\n  tls: starttls\n  \
         ca_file: {}\n  timeout: 10s\n",
        ca_file.display()
    )
}

/// The entries of `kind` in the ticket's trail.
fn of_kind(sb: &Sandbox, id: &str, kind: &str) -> Vec<Value> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

fn header(raw: &[u8], name: &str) -> String {
    let m = MessageParser::default().parse(raw).expect("a message");
    m.header_raw(name).unwrap_or("").trim().to_string()
}

#[test]
fn a_reply_is_mailed_with_greeting_and_thread_headers_and_the_answer_threads_back() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store_with_ticket(&no_ack(&smtp_config(sink.port, &sink.ca_file)));
    sb.tix(["reply", &id, "-m", "Have you tried turning it off and on?"])
        .ok();

    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].mail_from, "support@example.com");
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    let sent = &received[0].bytes;
    let parsed = MessageParser::default().parse(sent).unwrap();
    let subject = parsed.subject().unwrap_or("");
    assert!(
        subject.contains(&format!("[tix #{id}]")) && subject.contains("Re: Printer on fire"),
        "{subject}"
    );
    assert_eq!(header(sent, "In-Reply-To"), "<c1@example.org>");
    assert!(header(sent, "References").contains("<c1@example.org>"));
    assert!(header(sent, "To").contains("ann@example.org"));
    assert!(header(sent, "From").contains("support@example.com"));
    assert!(!header(sent, "X-Tix-Loop").is_empty());
    let body = parsed
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(body.starts_with("Hello Ann,\n\nHave you tried"), "{body}");
    assert!(
        body.contains("Alice Admin") && body.contains("Example Support"),
        "{body}"
    );

    // The trail keeps the reply (the agent's text), its mail block, the
    // exact bytes, and the delivery.
    let replies = of_kind(&sb, &id, "reply");
    let mail = &replies[0]["mail"];
    assert_eq!(mail["outbound"], true);
    assert_eq!(
        replies[0]["body"].as_str().unwrap().trim(),
        "Have you tried turning it off and on?"
    );
    let message_id = mail["message_id"].as_str().unwrap().to_string();
    assert!(message_id.ends_with("@tix.example.com"), "{message_id}");
    assert_eq!(header(sent, "Message-ID"), format!("<{message_id}>"));
    let raw = std::fs::read(sb.ticket_dir(&id).join(mail["raw"].as_str().unwrap())).unwrap();
    assert!(
        *sent == raw,
        "the server received other bytes than the trail keeps"
    );
    let deliveries = of_kind(&sb, &id, "delivery");
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["status"], "sent");
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}));
    sb.assert_clean();

    // Ann answers the mail she got: it files onto the same ticket.
    let answer = format!(
        "From: Ann Smith <ann@example.org>\r\nTo: support@example.com\r\n\
         Subject: {subject}\r\nMessage-ID: <c2@example.org>\r\n\
         In-Reply-To: <{message_id}>\r\nReferences: <c1@example.org> <{message_id}>\r\n\
         Date: Mon, 02 Nov 2026 12:00:00 +0000\r\n\r\nIt worked, thanks!\r\n"
    );
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(answer)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert_eq!(report["messages"][0]["ticket"], id.as_str());
}

#[test]
fn a_failed_send_is_recorded_and_retried_from_the_outbox() {
    let closed = crate::common::mailserver::free_port();
    let (sb, id) = store_with_ticket(&no_ack(&format!(
        "outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {closed}\n  tls: plain\n  \
         allow_plaintext: true\n  timeout: 5s\n"
    )));
    let run = sb.tix(["reply", &id, "-m", "On it."]).fails(11);
    assert!(
        run.stderr.contains("recorded") && run.stderr.contains(&format!("127.0.0.1:{closed}")),
        "{}",
        run.stderr
    );
    // Recorded all the same, and waiting in the outbox with the error.
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(replies.len(), 1);
    assert_eq!(of_kind(&sb, &id, "delivery")[0]["status"], "failed");
    let outbox: Vec<Value> =
        serde_json::from_str(&sb.ok(["outbox", "list", "--format", "json"])).unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0]["ticket"], id.as_str());
    assert!(outbox[0]["error"].as_str().unwrap().contains("127.0.0.1"));
    let message_id = replies[0]["mail"]["message_id"]
        .as_str()
        .unwrap()
        .to_string();

    // The server is back (elsewhere): the same message goes out.
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n{}",
        no_ack(&smtp_config(sink.port, &sink.ca_file))
    ));
    sb.tix(["outbox", "retry"]).ok();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        header(&received[0].bytes, "Message-ID"),
        format!("<{message_id}>")
    );
    // The very bytes recorded when the first attempt failed.
    let raw = replies[0]["mail"]["raw"].as_str().unwrap();
    assert_eq!(
        received[0].bytes,
        std::fs::read(sb.ticket_dir(&id).join(raw)).unwrap()
    );
    assert!(sb.ok(["outbox", "list", "--format", "json"]).trim() == "[]");
    let deliveries = of_kind(&sb, &id, "delivery");
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[1]["status"], "sent");
    // Nothing left: a second retry sends nothing.
    sb.tix(["outbox", "retry"]).ok();
    assert_eq!(sink.received().len(), 1);
    sb.assert_clean();
}

#[test]
fn the_file_transport_writes_exactly_the_bytes_the_trail_keeps() {
    let (sb, id) = store_with_ticket(&no_ack("outgoing:\n  transport: file\n  dir: sent-mail\n"));
    sb.tix(["reply", &id, "-m", "Replacement printer on its way."])
        .ok();
    let replies = of_kind(&sb, &id, "reply");
    let mail = &replies[0]["mail"];
    let kept = std::fs::read(sb.ticket_dir(&id).join(mail["raw"].as_str().unwrap())).unwrap();
    let written = crate::common::files_under(&sb.dir.join("sent-mail"));
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(std::fs::read(&written[0]).unwrap(), kept);

    // --no-send: recorded, not mailed, not waiting.
    sb.tix(["reply", &id, "-m", "Internal draft", "--no-send"])
        .ok();
    assert_eq!(
        crate::common::files_under(&sb.dir.join("sent-mail")).len(),
        1
    );
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[1]["mail"], Value::Null);
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}));
}

#[test]
fn a_canned_answer_fills_its_placeholders() {
    let (sb, id) = store_with_ticket("");
    let dir = sb.dir.join(".tix/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("refund-policy.md"),
        "Refunds within 30 days, {{customer.first_name|dear customer}}; ticket {{ticket.id}}.\n",
    )
    .unwrap();
    sb.git(["add", ".tix/templates"]);
    sb.git(["commit", "-q", "-m", "canned answer"]);
    // Sending is not configured: recorded, with a warning.
    let run = sb.tix(["reply", &id, "--template", "refund-policy"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("not e-mailed"), "{}", run.stderr);
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(
        replies[0]["body"].as_str().unwrap().trim(),
        format!("Refunds within 30 days, Ann; ticket {id}.")
    );
    let run = sb.tix(["reply", &id, "--template", "nope"]).fails(3);
    assert!(run.stderr.contains("refund-policy"), "{}", run.stderr);
}

fn new_mail(from: &str, subject: &str, message_id: &str, extra: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n{extra}\r\n\
         Please help.\r\n"
    )
}

fn import(sb: &Sandbox, mail: &str) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail.to_string())
        .now(DAY_ONE)
        .ok();
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_new_ticket_from_mail_is_acknowledged_once_per_sender_and_window() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    // The ticket from Ann's mail is acknowledged as it is filed.
    let (sb, id) = store_with_ticket(&smtp_config(sink.port, &sink.ca_file));
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let ack = &received[0].bytes;
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    assert_eq!(header(ack, "Auto-Submitted"), "auto-replied");
    assert!(!header(ack, "X-Tix-Loop").is_empty());
    assert_eq!(header(ack, "In-Reply-To"), "<c1@example.org>");
    let parsed = MessageParser::default().parse(ack).unwrap();
    assert!(parsed.subject().unwrap().contains(&format!("[tix #{id}]")));
    let text = parsed
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(text.contains(&format!("opened ticket {id}")), "{text}");
    // In the trail: an automatic note carrying the mail, and its delivery.
    let notes = of_kind(&sb, &id, "note");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["author"], "tix");
    assert_eq!(notes[0]["mail"]["outbound"], true);
    assert_eq!(of_kind(&sb, &id, "delivery")[0]["status"], "sent");
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["first_response_at"], Value::Null, "not a response");

    // Ann again, a new matter, the same day: no second acknowledgement.
    let report = import(
        &sb,
        &new_mail("ann@example.org", "Scanner too", "c9@example.org", ""),
    );
    assert_eq!(report["messages"][0]["action"], "created");
    // A follow-up never gets one; a no-reply sender neither.
    let follow_up = "From: ann@example.org\r\nTo: support@example.com\r\nSubject: Re: Printer on fire\r\n\
         Message-ID: <c3@example.org>\r\nIn-Reply-To: <c1@example.org>\r\n\
         Date: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\nStill burning.\r\n";
    assert_eq!(import(&sb, follow_up)["messages"][0]["action"], "follow-up");
    let report = import(
        &sb,
        &new_mail("no-reply@shop.example", "Your order", "o1@shop.example", ""),
    );
    assert_eq!(report["messages"][0]["action"], "created");
    // An out-of-office opens nothing, so nothing answers it.
    let report = import(
        &sb,
        &new_mail(
            "carl@example.org",
            "Out of office",
            "ooo1@example.org",
            "Auto-Submitted: auto-replied\r\n",
        ),
    );
    assert_eq!(report["messages"][0]["action"], "skipped", "{report:#}");
    assert_eq!(sink.received().len(), 1);

    // Another sender: acknowledged. Then the window passes for Ann.
    let report = import(
        &sb,
        &new_mail("bob@example.net", "Fax", "b1@example.net", ""),
    );
    assert_eq!(report["counts"]["acknowledged"], 1, "{report:#}");
    let later = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(new_mail("ann@example.org", "Toner", "c10@example.org", ""))
        .now("2026-11-30T12:00:00Z")
        .ok();
    let report: Value = serde_json::from_str(&later).unwrap();
    assert_eq!(report["counts"]["acknowledged"], 1, "{report:#}");
    assert_eq!(sink.received().len(), 3);
    sb.assert_clean();
}

#[test]
fn the_auto_responder_can_be_turned_off() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (_sb, _id) = store_with_ticket(&format!(
        "{}auto_reply:\n  enabled: false\n",
        smtp_config(sink.port, &sink.ca_file)
    ));
    assert!(sink.received().is_empty());
}

#[test]
fn an_agents_emailed_answer_is_passed_on_and_a_note_marker_keeps_it_internal() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store_with_ticket(&no_ack(&smtp_config(sink.port, &sink.ca_file)));
    // Alice (an agent) answers from her own mail client, quoting Ann.
    let answer = format!(
        "From: Alice Admin <alice@example.com>\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <a1@example.com>\r\n\
         Date: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\n\
         Please send us a photo of the printer.\r\n\r\n\
         On Mon, 2 Nov 2026 at 10:00, Ann Smith <ann@example.org> wrote:\r\n\
         > It smells of toner.\r\n"
    );
    let report = import(&sb, &answer);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert_eq!(report["counts"]["relayed"], 1, "{report:#}");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    let sent = &received[0].bytes;
    // Threaded onto Ann's mail, not onto Alice's note to the desk.
    assert_eq!(header(sent, "In-Reply-To"), "<c1@example.org>");
    let body = MessageParser::default()
        .parse(sent)
        .unwrap()
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        body.starts_with("Hello Ann,\n\nPlease send us a photo of the printer.\n"),
        "{body}"
    );
    assert!(
        !body.contains("smells of toner"),
        "quoted text relayed: {body}"
    );
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["author"], "alice");
    assert_eq!(of_kind(&sb, &id, "delivery")[0]["status"], "sent");

    // `#note` on the first line: an internal note, nothing sent.
    let note = format!(
        "From: alice@example.com\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <a2@example.com>\r\n\
         Date: Mon, 02 Nov 2026 11:30:00 +0000\r\n\r\n#note\r\nCheck the warranty first.\r\n"
    );
    let report = import(&sb, &note);
    assert_eq!(report["counts"]["relayed"], 0, "{report:#}");
    assert_eq!(sink.received().len(), 1);
    let notes: Vec<Value> = of_kind(&sb, &id, "note")
        .into_iter()
        .filter(|n| n["author"] == "alice" && n["mail"]["outbound"] != true)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(
        notes[0]["body"].as_str().unwrap().trim(),
        "Check the warranty first."
    );
    assert_eq!(of_kind(&sb, &id, "reply").len(), 1);
    sb.assert_clean();
}

#[test]
fn agents_are_notified_and_answering_the_notification_answers_the_customer() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store_with_ticket(&format!(
        "{}notify:\n  new_ticket: true\n  follow_up: true\n",
        no_ack(&smtp_config(sink.port, &sink.ca_file))
    ));
    // Unassigned: every agent (here only Alice) hears of the new ticket.
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["alice@example.com"]);
    let notification = &received[0].bytes;
    let parsed = MessageParser::default().parse(notification).unwrap();
    assert_eq!(
        parsed.subject().unwrap(),
        format!("[tix #{id}] Printer on fire")
    );
    let text = parsed
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(text.contains("It smells of toner."), "{text}");
    assert!(text.contains("#note"), "{text}");
    let notification_id = header(notification, "Message-ID");

    // Alice answers the notification from her mail client.
    let answer = format!(
        "From: alice@example.com\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <a5@example.com>\r\n\
         In-Reply-To: {notification_id}\r\nReferences: {notification_id}\r\n\
         Date: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\n\
         Unplug it, please.\r\n\r\n> Customer: Ann Smith <ann@example.org>\r\n"
    );
    let report = import(&sb, &answer);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert_eq!(report["counts"]["relayed"], 1, "{report:#}");
    let received = sink.received();
    assert_eq!(received.len(), 2);
    let relayed = received
        .iter()
        .find(|r| r.rcpt_tos == ["ann@example.org"])
        .expect("relayed to Ann");
    assert_eq!(header(&relayed.bytes, "In-Reply-To"), "<c1@example.org>");

    // Assigned to Bob: only Bob hears of Ann's follow-up.
    sb.add_bob();
    sb.change(["assign", &id, "bob"]);
    let follow_up = format!(
        "From: ann@example.org\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <c7@example.org>\r\n\
         In-Reply-To: <c1@example.org>\r\nDate: Mon, 02 Nov 2026 12:00:00 +0000\r\n\r\n\
         Unplugged. Now what?\r\n"
    );
    let report = import(&sb, &follow_up);
    assert_eq!(report["counts"]["notified"], 1, "{report:#}");
    let received = sink.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().any(|r| r.rcpt_tos == ["bob@example.com"]));
    sb.assert_clean();
}

/// Mail that `mail.reopen_limit` leaves closed is told to agents as a
/// follow-up is, the notification saying why and quoting the mail (a
/// note, so not in the thread).
#[test]
fn agents_hear_that_mail_left_a_ticket_closed_and_why() {
    let (sb, id) = store_with_ticket(&no_ack(
        "outgoing:\n  transport: file\n  dir: sent-mail\nnotify:\n  follow_up: true\n\
         reopen_limit:\n  per_day: 1\n",
    ));
    let sent = || crate::common::files_under(&sb.dir.join("sent-mail"));
    let follow_up = |n: u32, now: &str| {
        let mail = format!(
            "From: ann@example.org\r\nTo: support@example.com\r\n\
             Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <k{n}@example.org>\r\n\
             In-Reply-To: <c1@example.org>\r\nDate: Mon, 02 Nov 2026 12:00:00 +0000\r\n\r\n\
             Fire number {n}.\r\n"
        );
        let out = sb
            .tix(["import", "eml", "--format", "json"])
            .stdin(mail)
            .now(now)
            .ok();
        serde_json::from_str::<Value>(&out).unwrap()
    };
    sb.change_with(sb.tix(["close", &id]).now("2026-11-23T11:00:00Z"));
    let report = follow_up(1, "2026-11-23T12:00:00Z");
    assert_eq!(report["messages"][0]["reopened"], true, "{report:#}");
    assert_eq!(sent().len(), 1);
    let plain = std::fs::read_to_string(&sent()[0]).unwrap();
    assert!(!plain.contains("Not reopened"), "{plain}");
    sb.change_with(sb.tix(["close", &id]).now("2026-11-23T13:00:00Z"));

    let report = follow_up(2, "2026-11-23T14:00:00Z");
    assert_eq!(report["messages"][0]["action"], "kept-closed", "{report:#}");
    assert_eq!(report["counts"]["notified"], 1, "{report:#}");
    assert_eq!(sb.ticket(&id)["status"], "closed");
    let written = sent();
    assert_eq!(written.len(), 2, "{written:?}");
    let newest = written
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .find(|b| !plain.as_bytes().eq(b.as_slice()))
        .unwrap();
    let parsed = MessageParser::default().parse(&newest).unwrap();
    let text = parsed
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(text.contains("Not reopened:"), "{text}");
    assert!(text.contains("mail.reopen_limit.per_day is 1"), "{text}");
    assert!(text.contains("Fire number 2."), "{text}");
    sb.assert_clean();
}

#[test]
fn a_failed_acknowledgement_waits_in_the_outbox_and_is_retried() {
    let closed = crate::common::mailserver::free_port();
    let (sb, id) = store_with_ticket(&format!(
        "outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {closed}\n  tls: plain\n  \
         allow_plaintext: true\n  timeout: 5s\n"
    ));
    let outbox: Vec<Value> =
        serde_json::from_str(&sb.ok(["outbox", "list", "--format", "json"])).unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert!(outbox[0]["entry"].as_str().unwrap().ends_with("-note.md"));
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n{}",
        smtp_config(sink.port, &sink.ca_file)
    ));
    sb.tix(["outbox", "retry"]).ok();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(header(&received[0].bytes, "Auto-Submitted"), "auto-replied");
    assert_eq!(sb.ok(["outbox", "list", "--format", "json"]).trim(), "[]");
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}));
}
