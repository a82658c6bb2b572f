//! Satisfaction surveys by e-mail (`csat:`): sent once by `tix tick`
//! after the delay, through a real SMTP server; answered by a reply that
//! `tix import` files as a rating (never reopening the ticket); changed
//! by a later answer; a forged or late token is ordinary mail; never
//! sent for excluded, no-reply or reopened tickets; counted by `tix
//! report csat`.

use crate::common::Sandbox;
use crate::common::mailserver::{Received, SmtpServer};
use mail_parser::MessageParser;
use serde_json::Value;

const REQUEST: &str = "From: Ann Smith <ann@example.org>\r\n\
To: support@example.com\r\n\
Subject: Printer on fire\r\n\
Message-ID: <c1@example.org>\r\n\
Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\
\r\n\
It smells of toner.\r\n";

const T0: &str = "2026-11-02T10:00:00Z";
const CLOSED: &str = "2026-11-02T12:00:00Z";
/// Two hours after the close: before the one-day delay.
const EARLY: &str = "2026-11-02T14:00:00Z";
/// A day and an hour after the close.
const DUE: &str = "2026-11-03T13:00:00Z";
const ANSWER: &str = "2026-11-04T09:00:00Z";
const CHANGED: &str = "2026-11-05T09:00:00Z";
/// More than the 14-day window after the survey.
const LATE: &str = "2026-11-20T09:00:00Z";

fn store(server: &SmtpServer, csat: &str) -> Sandbox {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config("name", "\"Example Support\"");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         outgoing:\n  transport: smtp\n  host: 127.0.0.1\n  port: {}\n  tls: starttls\n  \
         ca_file: {}\n  timeout: 10s\nauto_reply:\n  enabled: false\n",
        server.port,
        server.ca_file.display()
    ));
    sb.set_config("csat", csat);
    sb
}

fn import(sb: &Sandbox, mail: &str, now: &str) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail.to_string())
        .now(now)
        .ok();
    serde_json::from_str(&out).unwrap()
}

fn tick(sb: &Sandbox, now: &str) -> Vec<Value> {
    let out = sb.tix(["tick", "--format", "json"]).now(now).ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    report["actions"].as_array().unwrap().clone()
}

fn surveys_in(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .filter(|a| a["action"] == "survey sent")
        .map(|a| a["ticket"].as_str().unwrap().to_string())
        .collect()
}

fn of_kind(sb: &Sandbox, id: &str, kind: &str) -> Vec<Value> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

fn parsed(received: &Received) -> (String, String, String) {
    let m = MessageParser::default().parse(&received.bytes).unwrap();
    (
        m.subject().unwrap_or_default().to_string(),
        m.message_id().unwrap_or_default().to_string(),
        m.body_text(0).unwrap_or_default().replace("\r\n", "\n"),
    )
}

/// A ticket from Ann's mail, closed by bob at CLOSED.
fn closed_ticket(sb: &Sandbox, request: &str) -> String {
    let report = import(sb, request, T0);
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    sb.tix(["close", &id])
        .env("TIX_AGENT", "bob")
        .now(CLOSED)
        .ok();
    id
}

/// The address of `answer` in the survey's text.
fn address_of(text: &str, answer: &str) -> String {
    let suffix = format!("-{answer}@example.com");
    text.split_whitespace()
        .filter_map(|w| w.strip_prefix("mailto:"))
        .find(|a| a.ends_with(&suffix))
        .unwrap_or_else(|| panic!("no address for {answer} in\n{text}"))
        .to_string()
}

#[test]
fn a_survey_is_sent_once_after_the_delay_and_its_answers_are_ratings() {
    let Some(server) = SmtpServer::start(false, None) else {
        return;
    };
    let sb = store(&server, "{enabled: true, delay: 1d, window: 14d}");
    let id = closed_ticket(&sb, REQUEST);

    // Before the delay: nothing.
    assert!(surveys_in(&tick(&sb, EARLY)).is_empty());
    assert!(server.received().is_empty());
    assert!(of_kind(&sb, &id, "survey").is_empty());

    // After it: one survey, to Ann only.
    assert_eq!(surveys_in(&tick(&sb, DUE)), vec![id.clone()]);
    let received = server.received();
    assert_eq!(received.len(), 1, "{}", server.log());
    assert_eq!(received[0].rcpt_tos, ["ann@example.org"]);
    let (subject, message_id, text) = parsed(&received[0]);
    let survey = of_kind(&sb, &id, "survey");
    assert_eq!(survey.len(), 1);
    let token = survey[0]["token"].as_str().unwrap().to_string();
    assert!(token.starts_with(&id.to_ascii_lowercase()), "{token}");
    assert!(subject.ends_with(&format!("[rate {token}]")), "{subject}");
    assert!(subject.contains(&format!("[tix #{id}]")), "{subject}");
    // Threaded onto Ann's request, so mail clients keep it together.
    let raw = String::from_utf8_lossy(&received[0].bytes).to_string();
    assert!(raw.contains("In-Reply-To: <c1@example.org>"), "{raw}");
    // No link a scanner could follow: the answers are addresses.
    assert!(!raw.to_ascii_lowercase().contains("http"), "{raw}");
    assert!(text.contains(&format!("mailto:support+rate-{token}-good@example.com")));
    let bad = address_of(&text, "bad");
    // The delivery is recorded: nothing waits in the outbox.
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}));

    // Neither a second tick nor a second clone sends another.
    assert!(surveys_in(&tick(&sb, DUE)).is_empty());
    assert!(surveys_in(&tick(&sb, ANSWER)).is_empty());
    let copy = sb.root().join("copy");
    sb.git(["clone", "-q", ".", copy.to_str().unwrap()]);
    let out = sb.tix(["tick"]).in_dir(&copy).now(ANSWER).ok();
    assert!(!out.contains("survey"), "{out}");
    assert_eq!(server.received().len(), 1);

    // Ann answers "bad" by writing to its address, with a comment.
    let answer = format!(
        "From: Ann Smith <ann@example.org>\r\nTo: {bad}\r\n\
         Subject: Re: {subject}\r\nMessage-ID: <a1@example.org>\r\n\
         In-Reply-To: {message_id}\r\nDate: Wed, 04 Nov 2026 09:00:00 +0000\r\n\r\n\
         It took three days.\r\n\r\nOn Tue, 3 Nov 2026 at 13:00, Example Support <support@example.com> wrote:\r\n> How did we do?\r\n"
    );
    let report = import(&sb, &answer, ANSWER);
    assert_eq!(report["messages"][0]["action"], "rated", "{report:#}");
    assert_eq!(report["messages"][0]["answer"], "bad", "{report:#}");
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["status"], "closed");
    assert_eq!(ticket["reopened"], 0);
    assert_eq!(ticket["rating"]["answer"], "bad");
    let ratings = of_kind(&sb, &id, "rating");
    assert_eq!(ratings.len(), 1);
    assert_eq!(ratings[0]["author"], "ann@example.org");
    assert_eq!(ratings[0]["body"], "It took three days.\n");
    // The same mail again is a duplicate, not a second rating.
    let again = import(&sb, &answer, ANSWER);
    assert_eq!(again["messages"][0]["action"], "duplicate", "{again:#}");
    // Nothing was sent to Ann in answer.
    assert_eq!(server.received().len(), 1);

    // A plain reply whose first word is the answer changes it.
    let changed = format!(
        "From: ann@example.org\r\nTo: support@example.com\r\n\
         Subject: Re: {subject}\r\nMessage-ID: <a2@example.org>\r\n\
         In-Reply-To: {message_id}\r\nDate: Thu, 05 Nov 2026 09:00:00 +0000\r\n\r\n\
         Good\r\nIt works now, thanks.\r\n"
    );
    let report = import(&sb, &changed, CHANGED);
    assert_eq!(report["messages"][0]["action"], "rated", "{report:#}");
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["status"], "closed");
    assert_eq!(ticket["rating"]["answer"], "good");
    let ratings = of_kind(&sb, &id, "rating");
    assert_eq!(ratings.len(), 2, "history keeps both");
    assert_eq!(ratings[1]["body"], "It works now, thanks.\n");
    let show = sb.ok(["show", &id]);
    assert!(
        show.contains("customer's rating: good (satisfied)"),
        "{show}"
    );

    // Counted once, as the latest answer, credited to bob who closed it.
    let out = sb
        .tix([
            "report",
            "csat",
            "--by",
            "agent",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-10",
            "--format",
            "json",
        ])
        .now(CHANGED)
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["total"]["surveyed"], 1, "{report:#}");
    assert_eq!(report["total"]["rated"], 1);
    assert_eq!(report["total"]["good"], 1);
    assert_eq!(report["total"]["score_percent"], 100.0);
    assert_eq!(report["groups"][0]["group"], "bob");
    assert_eq!(report["comments"][0]["comment"], "It works now, thanks.");
    assert_eq!(report["comments"][0]["ticket"], id.as_str());
    // The same figures as a page: the total, a bar per agent, the comment.
    let page = sb
        .tix([
            "report",
            "csat",
            "--by",
            "agent",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-10",
            "--format",
            "html",
        ])
        .now(CHANGED)
        .ok();
    assert!(
        page.contains(
            "<p id=\"csat-total\">CSAT 100% of 1 rated (1 surveyed, response rate 100%)</p>"
        ),
        "{page}"
    );
    assert!(page.contains("id=\"csat-score\""), "{page}");
    assert!(page.contains("<title>bob: 100.0%</title>"), "{page}");
    assert!(page.contains("It works now, thanks."), "{page}");
    sb.tix(["report", "csat", "--by", "field:nope"]).fails(6);
    let out = sb
        .tix([
            "report",
            "agents",
            "--since",
            "2026-11-01",
            "--format",
            "json",
        ])
        .now(LATE)
        .ok();
    let agents: Value = serde_json::from_str(&out).unwrap();
    let bob = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["agent"] == "bob")
        .unwrap()
        .clone();
    assert_eq!(
        (bob["csat_rated"].clone(), bob["csat_percent"].clone()),
        (1.into(), 100.0.into()),
        "{agents:#}"
    );
    let out = sb
        .tix(["customer", "ann@example.org", "--format", "json"])
        .now(LATE)
        .ok();
    let card: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(card["figures"]["csat_surveyed"], 1, "{card:#}");
    assert_eq!(card["figures"]["csat_percent"], 100.0);
    let text = sb.tix(["customer", "ann@example.org"]).now(LATE).ok();
    assert!(
        text.contains("CSAT:            100% good (1 of 1 surveys answered)"),
        "{text}"
    );

    // A made-up token is ordinary mail: a message, which reopens as mail does.
    let forged = format!(
        "From: ann@example.org\r\nTo: support+rate-{}-aaaaaaaaaaaa-bad@example.com\r\n\
         Subject: [rate {}-bbbbbbbbbbbb bad]\r\nMessage-ID: <f1@example.org>\r\n\
         Date: Thu, 05 Nov 2026 10:00:00 +0000\r\n\r\nbad\r\n",
        id.to_ascii_lowercase(),
        id.to_ascii_lowercase()
    );
    let report = import(&sb, &forged, CHANGED);
    assert_ne!(report["messages"][0]["action"], "rated", "{report:#}");
    assert_eq!(of_kind(&sb, &id, "rating").len(), 2);
    assert_eq!(sb.ticket(&id)["rating"]["answer"], "good");
}

#[test]
fn an_answer_after_the_window_is_a_message_and_a_wrong_scale_is_no_rating() {
    let Some(server) = SmtpServer::start(false, None) else {
        return;
    };
    let sb = store(
        &server,
        "{enabled: true, delay: 1d, window: 14d, scale: 1-5}",
    );
    let id = closed_ticket(&sb, REQUEST);
    assert_eq!(surveys_in(&tick(&sb, DUE)), vec![id.clone()]);
    let (subject, _, text) = parsed(&server.received()[0]);
    assert_eq!(text.matches("mailto:").count(), 5, "{text}");
    let four = address_of(&text, "4");
    // "good" is not an answer of a 1-5 survey.
    let wrong = format!(
        "From: ann@example.org\r\nTo: support@example.com\r\nSubject: Re: {subject}\r\n\
         Message-ID: <w1@example.org>\r\nDate: Wed, 04 Nov 2026 09:00:00 +0000\r\n\r\ngood\r\n"
    );
    let report = import(&sb, &wrong, ANSWER);
    assert_ne!(report["messages"][0]["action"], "rated", "{report:#}");
    assert!(of_kind(&sb, &id, "rating").is_empty());
    sb.tix(["close", &id]).now(ANSWER).ok();
    let late = format!(
        "From: ann@example.org\r\nTo: {four}\r\nSubject: Re: {subject}\r\n\
         Message-ID: <l1@example.org>\r\nDate: Fri, 20 Nov 2026 09:00:00 +0000\r\n\r\nok\r\n"
    );
    let report = import(&sb, &late, LATE);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert!(of_kind(&sb, &id, "rating").is_empty());
}

#[test]
fn no_survey_for_excluded_no_reply_or_reopened_tickets() {
    let Some(server) = SmtpServer::start(false, None) else {
        return;
    };
    let sb = store(&server, "{enabled: true, delay: 1d}");
    let spam = closed_ticket(&sb, REQUEST);
    sb.tix(["tag", &spam, "spam"]).now(CLOSED).ok();
    let robot = REQUEST
        .replace("Ann Smith <ann@example.org>", "no-reply@shop.example")
        .replace("c1@", "c2@");
    let robot = closed_ticket(&sb, &robot);
    let reopened = closed_ticket(&sb, &REQUEST.replace("c1@", "c3@"));
    sb.tix(["reopen", &reopened]).now(EARLY).ok();
    // An ordinary one is surveyed.
    let plain = closed_ticket(&sb, &REQUEST.replace("c1@", "c4@"));
    for id in [&spam, &robot, &reopened] {
        assert_eq!(sb.ticket(id)["survey"], Value::Null, "{id}");
    }
    assert_eq!(surveys_in(&tick(&sb, DUE)), vec![plain.clone()]);
    for id in [&spam, &robot, &reopened] {
        assert!(of_kind(&sb, id, "survey").is_empty(), "{id}");
    }
    assert_eq!(server.received().len(), 1);
    assert_eq!(server.received()[0].rcpt_tos, ["ann@example.org"]);
}

#[test]
fn surveys_are_not_sent_unless_enabled() {
    let Some(server) = SmtpServer::start(false, None) else {
        return;
    };
    let sb = store(&server, "{enabled: false}");
    let id = closed_ticket(&sb, REQUEST);
    assert!(surveys_in(&tick(&sb, DUE)).is_empty());
    assert!(of_kind(&sb, &id, "survey").is_empty());
    assert!(server.received().is_empty());
}
