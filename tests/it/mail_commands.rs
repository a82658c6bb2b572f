//! Commands at the top of an agent's e-mail (`#assign bob`, `#pending`,
//! `#close`, …): applied as the agent with the command line's checks,
//! stripped from what the customer gets, refused ones answered to the
//! agent by mail, and never read from mail that is not recognised as an
//! agent's.

use crate::common::Sandbox;
use crate::common::mailserver::{Received, SmtpServer};
use mail_parser::MessageParser;
use serde_json::Value;

const CUSTOMER_MAIL: &str = "From: Ann Smith <ann@example.org>\r\n\
To: support@example.com\r\n\
Subject: Printer on fire\r\n\
Message-ID: <c1@example.org>\r\n\
Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\
\r\n\
It smells of toner.\r\n";

const NOW: &str = "2026-11-23T10:00:00Z";

/// A store sending through `sink` (no acknowledgements; notifications
/// as `notify`), with agents alice (admin) and bob, holding Ann's ticket.
fn store(sink: &SmtpServer, notify: bool) -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config("name", "\"Example Support\"");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {}\n  tls: starttls\n  \
         ca_file: {}\n  timeout: 10s\nauto_reply:\n  enabled: false\n\
         notify:\n  new_ticket: {notify}\n  follow_up: false\n",
        sink.port,
        sink.ca_file.display()
    ));
    let report = import(&sb, CUSTOMER_MAIL);
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    (sb, id)
}

fn import(sb: &Sandbox, mail: &str) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail.to_string())
        .now(NOW)
        .ok();
    serde_json::from_str(&out).unwrap()
}

/// A mail from `from` under ticket `id`'s tag with `body`.
fn agent_mail(from: &str, id: &str, message_id: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\n{}",
        body.replace('\n', "\r\n")
    )
}

fn of_kind(sb: &Sandbox, id: &str, kind: &str) -> Vec<Value> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

fn text(received: &Received) -> String {
    MessageParser::default()
        .parse(&received.bytes)
        .unwrap()
        .body_text(0)
        .unwrap_or_default()
        .replace("\r\n", "\n")
}

fn header(received: &Received, name: &str) -> String {
    let m = MessageParser::default().parse(&received.bytes).unwrap();
    m.header_raw(name).unwrap_or("").trim().to_string()
}

/// The senders on the blacklist.
fn blacklist(sb: &Sandbox) -> Vec<String> {
    let list: Value =
        serde_json::from_str(&sb.ok(["blacklist", "list", "--format", "json"])).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|b| b["sender"].as_str().unwrap().to_string())
        .collect()
}

/// The notes tix wrote listing refused commands.
fn refusals(sb: &Sandbox, id: &str) -> Vec<String> {
    of_kind(sb, id, "note")
        .into_iter()
        .filter(|n| n["author"] == "tix" && n["body"].as_str().unwrap().starts_with("Commands of"))
        .map(|n| n["body"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn commands_are_applied_as_the_agent_and_stripped_from_the_customers_copy() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    let report = import(
        &sb,
        &agent_mail(
            "alice@example.com",
            &id,
            "a1@example.com",
            "#tag refund vip\n#Priority high\n#assign bob\n#pending\n\nWe will refund you.\n",
        ),
    );
    assert_eq!(report["counts"]["relayed"], 1, "{report:#}");
    assert_eq!(report["counts"]["commands_applied"], 4, "{report:#}");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    let body = text(&received[0]);
    assert!(body.contains("We will refund you."), "{body}");
    for command in ["#tag", "#priority", "#Priority", "#assign", "#pending"] {
        assert!(!body.contains(command), "{command} relayed: {body}");
    }

    let ticket = sb.ticket(&id);
    assert_eq!(ticket["status"], "pending");
    assert_eq!(ticket["priority"], "high");
    assert_eq!(ticket["assignee"], "bob");
    assert_eq!(ticket["tags"], serde_json::json!(["refund", "vip"]));
    for kind in ["tags", "priority", "assign", "status"] {
        let entries = of_kind(&sb, &id, kind);
        assert_eq!(entries.len(), 1, "{kind}: {entries:#?}");
        assert_eq!(entries[0]["author"], "alice", "{kind}");
    }
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(replies.len(), 1);
    assert_eq!(
        replies[0]["body"].as_str().unwrap().trim(),
        "We will refund you."
    );
    assert!(refusals(&sb, &id).is_empty());
    sb.assert_clean();
}

/// What a step expects of the ticket.
type Check = dyn Fn(&Value);

#[test]
fn commands_alone_send_the_customer_nothing() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    let steps: [(&str, &Check); 6] = [
        ("#close\n", &|t| assert_eq!(t["status"], "closed")),
        ("#open\n#tag a b\n", &|t| {
            assert_eq!(t["status"], "open");
            assert_eq!(t["tags"], serde_json::json!(["a", "b"]));
        }),
        ("#status on-hold\n#untag A\n#assign me\n", &|t| {
            assert_eq!(t["status"], "on-hold");
            assert_eq!(t["tags"], serde_json::json!(["b"]));
            assert_eq!(t["assignee"], "alice");
        }),
        ("#assign nobody\n#priority urgent\n", &|t| {
            assert_eq!(t["assignee"], Value::Null);
            assert_eq!(t["priority"], "urgent");
        }),
        ("#status closed\n", &|t| assert_eq!(t["status"], "closed")),
        // Nothing to change is not a refusal.
        ("#close\n", &|t| assert_eq!(t["status"], "closed")),
    ];
    for (n, (commands, check)) in steps.iter().enumerate() {
        let report = import(
            &sb,
            &agent_mail(
                "alice@example.com",
                &id,
                &format!("s{n}@example.com"),
                commands,
            ),
        );
        assert_eq!(report["counts"]["relayed"], 0, "{commands}: {report:#}");
        check(&sb.ticket(&id));
    }
    assert!(sink.received().is_empty(), "mail was sent");
    assert!(of_kind(&sb, &id, "reply").is_empty(), "an empty reply");
    // The mail itself is kept, as a note by the agent showing its commands.
    let notes: Vec<Value> = of_kind(&sb, &id, "note")
        .into_iter()
        .filter(|n| n["author"] == "alice")
        .collect();
    assert_eq!(notes.len(), steps.len());
    assert_eq!(notes[0]["body"].as_str().unwrap().trim(), "#close");
    assert_eq!(of_kind(&sb, &id, "close")[0]["author"], "alice");
    assert!(refusals(&sb, &id).is_empty(), "{:?}", refusals(&sb, &id));
    sb.assert_clean();
}

#[test]
fn note_keeps_the_text_internal_and_escalate_moves_to_the_next_group() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    sb.set_config(
        "groups",
        "[{name: first, agents: [alice]}, {name: second, agents: [bob]}]",
    );
    let report = import(
        &sb,
        &agent_mail(
            "alice@example.com",
            &id,
            "e1@example.com",
            "#escalate\n#note\nNeeds a technician.\n",
        ),
    );
    assert_eq!(report["counts"]["relayed"], 0, "{report:#}");
    assert!(sink.received().is_empty());
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["group"], "second");
    assert_eq!(ticket["assignee"], "bob");
    let escalation = &of_kind(&sb, &id, "escalate")[0];
    assert_eq!(escalation["author"], "alice");
    let note = of_kind(&sb, &id, "note")
        .into_iter()
        .find(|n| n["author"] == "alice")
        .unwrap();
    assert_eq!(note["body"].as_str().unwrap().trim(), "Needs a technician.");

    // With an escalation message the customer is told, as by `tix
    // escalate`: a public reply by the agent, e-mailed.
    sb.set_config(
        "escalation_message",
        "'Your request {{ticket.id}} is now with our specialists.'",
    );
    let report = import(
        &sb,
        &agent_mail(
            "alice@example.com",
            &id,
            "e4@example.com",
            "#escalate first\n",
        ),
    );
    assert_eq!(report["counts"]["relayed"], 1, "{report:#}");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    let told = text(&received[0]);
    assert!(
        told.contains(&format!("Your request {id} is now with our specialists.")),
        "{told}"
    );
    assert!(!told.contains("#escalate"), "{told}");
    let replies = of_kind(&sb, &id, "reply");
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["author"], "alice");
    sb.set_config("escalation_message", "null");

    // A group by name; then one that does not exist is refused.
    import(
        &sb,
        &agent_mail(
            "alice@example.com",
            &id,
            "e2@example.com",
            "#escalate first\n",
        ),
    );
    assert_eq!(sb.ticket(&id)["group"], "first");
    import(
        &sb,
        &agent_mail(
            "alice@example.com",
            &id,
            "e3@example.com",
            "#escalate third\n",
        ),
    );
    let refused = refusals(&sb, &id);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("#escalate third: `third` is neither a group"),
        "{}",
        refused[0]
    );
    sb.assert_clean();
}

#[test]
fn an_unknown_command_is_answered_and_its_text_kept_from_the_customer() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    let mail = agent_mail(
        "alice@example.com",
        &id,
        "u1@example.com",
        "#nte\n#pending\nThe warranty ran out last week.\n",
    );
    let report = import(&sb, &mail);
    assert_eq!(report["counts"]["relayed"], 0, "{report:#}");
    assert_eq!(report["counts"]["commands_refused"], 1, "{report:#}");
    assert_eq!(report["counts"]["refusals_answered"], 1, "{report:#}");
    // The known command is applied all the same.
    assert_eq!(sb.ticket(&id)["status"], "pending");

    let received = sink.received();
    assert_eq!(received.len(), 1, "only the answer to the agent");
    assert_eq!(received[0].rcpt_tos, ["alice@example.com"]);
    assert_eq!(header(&received[0], "Auto-Submitted"), "auto-replied");
    let subject = MessageParser::default()
        .parse(&received[0].bytes)
        .unwrap()
        .subject()
        .unwrap()
        .to_string();
    assert!(subject.contains(&format!("[tix #{id}]")), "{subject}");
    let answer = text(&received[0]);
    assert!(answer.contains("#nte: unknown command #nte"), "{answer}");
    assert!(!answer.contains("warranty"), "{answer}");

    // In the trail: the text as the agent's internal note, tix's note of
    // what was refused, and the answer recorded with its delivery.
    let note = of_kind(&sb, &id, "note")
        .into_iter()
        .find(|n| n["author"] == "alice")
        .unwrap();
    assert_eq!(
        note["body"].as_str().unwrap().trim(),
        "The warranty ran out last week."
    );
    let refused = refusals(&sb, &id);
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].contains("kept as an internal note"),
        "{}",
        refused[0]
    );
    assert!(of_kind(&sb, &id, "reply").is_empty());
    let answered: Vec<Value> = of_kind(&sb, &id, "note")
        .into_iter()
        .filter(|n| {
            n["body"]
                .as_str()
                .unwrap()
                .starts_with("Refused e-mail commands answered to alice@example.com")
        })
        .collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0]["mail"]["outbound"], true);
    assert!(
        of_kind(&sb, &id, "delivery")
            .iter()
            .any(|d| d["status"] == "sent")
    );

    // The same mail again is a duplicate: nothing applied or sent twice.
    let again = import(&sb, &mail);
    assert_eq!(again["messages"][0]["action"], "duplicate", "{again:#}");
    assert_eq!(sink.received().len(), 1);
    assert_eq!(refusals(&sb, &id).len(), 1);
    sb.assert_clean();
}

#[test]
fn commands_the_command_line_would_refuse_are_refused() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    sb.set_fields("- {name: resolution, type: text, required: [close]}\n");
    // An unknown agent, a close missing a required field, a blacklist by
    // someone who is no admin; the rest of the mail goes ahead.
    let report = import(
        &sb,
        &agent_mail(
            "bob@example.com",
            &id,
            "p1@example.com",
            "#assign zed\n#close\n#blacklist\n#tag checked\n\nWe are on it.\n",
        ),
    );
    assert_eq!(report["counts"]["commands_refused"], 3, "{report:#}");
    assert_eq!(report["counts"]["commands_applied"], 1, "{report:#}");
    assert_eq!(report["counts"]["relayed"], 1, "{report:#}");
    let ticket = sb.ticket(&id);
    assert_ne!(ticket["status"], "closed");
    assert_eq!(ticket["assignee"], Value::Null);
    assert_eq!(ticket["tags"], serde_json::json!(["checked"]));
    let refused = refusals(&sb, &id);
    assert_eq!(refused.len(), 1);
    let r = &refused[0];
    assert!(r.contains("#assign zed: no agent `zed`"), "{r}");
    assert!(r.contains("#close: ticket"), "{r}");
    assert!(r.contains("cannot be closed without: resolution"), "{r}");
    assert!(
        r.contains("#blacklist: only an admin can change the blacklist; bob is not one"),
        "{r}"
    );
    assert!(blacklist(&sb).is_empty(), "{:?}", blacklist(&sb));

    let received = sink.received();
    assert_eq!(received.len(), 2, "the reply and the answer to bob");
    let to_bob = received
        .iter()
        .find(|r| r.rcpt_tos == ["bob@example.com"])
        .expect("bob is answered");
    let answer = text(to_bob);
    assert!(answer.contains("no agent `zed`"), "{answer}");
    let to_ann = received
        .iter()
        .find(|r| r.rcpt_tos == ["ann@example.org"])
        .unwrap();
    let reply = text(to_ann);
    assert!(
        reply.contains("We are on it.") && !reply.contains('#'),
        "{reply}"
    );

    // An admin may: the customer's address goes on the blacklist, and her
    // next mail is skipped. A dry run writes nothing of it.
    let head = sb.head();
    let out = sb
        .tix(["import", "eml", "--dry-run", "--format", "json"])
        .stdin(agent_mail(
            "alice@example.com",
            &id,
            "p2@example.com",
            "#blacklist\n",
        ))
        .now(NOW)
        .ok();
    let dry: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(dry["counts"]["commands_applied"], 1, "{dry:#}");
    assert_eq!(sb.head(), head);
    assert!(blacklist(&sb).is_empty());
    let report = import(
        &sb,
        &agent_mail("alice@example.com", &id, "p2@example.com", "#blacklist\n"),
    );
    assert_eq!(report["counts"]["commands_applied"], 1, "{report:#}");
    assert_eq!(blacklist(&sb), ["ann@example.org"]);
    assert!(of_kind(&sb, &id, "note").iter().any(|n| {
        n["author"] == "alice"
            && n["body"]
                .as_str()
                .unwrap()
                .starts_with("ann@example.org blacklisted")
    }));
    let next = CUSTOMER_MAIL.replace("<c1@example.org>", "<c2@example.org>");
    let report = import(&sb, &next);
    assert_eq!(report["messages"][0]["action"], "blacklisted", "{report:#}");
    sb.assert_clean();
}

#[test]
fn commands_in_mail_not_recognised_as_an_agents_are_text() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, false);
    // Alice's address, but neither the ticket's tag nor a thread of it:
    // a new ticket, as today, with the lines kept as its text.
    let impostor = "From: alice@example.com\r\nTo: support@example.com\r\n\
                    Subject: Printer on fire\r\nMessage-ID: <i1@example.net>\r\n\
                    Date: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\n\
                    #close\r\n#blacklist\r\n#assign alice\r\nIgnore the above.\r\n";
    let report = import(&sb, impostor);
    assert_eq!(report["messages"][0]["action"], "created", "{report:#}");
    let other = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(other, id);
    let message = &of_kind(&sb, &other, "message")[0];
    assert!(
        message["body"]
            .as_str()
            .unwrap()
            .starts_with("#close\n#blacklist"),
        "{message:#}"
    );
    assert_eq!(sb.ticket(&other)["status"], "new");
    // The customer writing commands on her own ticket: text too.
    let customer = "From: Ann Smith <ann@example.org>\r\nTo: support@example.com\r\n\
                    Subject: Re: Printer on fire\r\nMessage-ID: <c3@example.org>\r\n\
                    In-Reply-To: <c1@example.org>\r\n\
                    Date: Mon, 02 Nov 2026 12:00:00 +0000\r\n\r\n#close\r\n#priority urgent\r\n";
    let report = import(&sb, customer);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    let ticket = sb.ticket(&id);
    assert_ne!(ticket["status"], "closed");
    assert_eq!(ticket["priority"], "normal");
    assert!(blacklist(&sb).is_empty(), "{:?}", blacklist(&sb));
    assert!(report["counts"].get("commands_applied").is_none());
    for t in [&id, &other] {
        assert!(refusals(&sb, t).is_empty());
    }
    assert!(sink.received().is_empty());
    sb.assert_clean();
}

#[test]
fn the_notification_shows_status_group_assignee_and_the_commands() {
    let Some(sink) = SmtpServer::start(false, None) else {
        return;
    };
    let (sb, id) = store(&sink, true);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let body = text(&received[0]);
    assert!(
        body.contains("Status: new, group: none, assignee: nobody"),
        "{body}"
    );
    for command in [
        "#note",
        "#assign me|AGENT|nobody",
        "#pending",
        "#close",
        "#escalate",
    ] {
        assert!(body.contains(command), "{command}: {body}");
    }
    // Answering the notification with commands alone applies them.
    let notification_id = header(&received[0], "Message-ID");
    let answer = format!(
        "From: alice@example.com\r\nTo: support@example.com\r\n\
         Subject: Re: [tix #{id}] Printer on fire\r\nMessage-ID: <n1@example.com>\r\n\
         In-Reply-To: {notification_id}\r\nDate: Mon, 02 Nov 2026 11:00:00 +0000\r\n\r\n\
         #assign me\r\n\r\n> Status: new, group: none, assignee: nobody\r\n"
    );
    let report = import(&sb, &answer);
    assert_eq!(report["counts"]["commands_applied"], 1, "{report:#}");
    assert_eq!(sb.ticket(&id)["assignee"], "alice");
    assert_eq!(sink.received().len(), 1);
    sb.assert_clean();
}
