//! Departments (`mail.departments`): mail filed to the department of the
//! address it came to (one ticket for a message sent to two), its group
//! assigning, its mail going out from its own address (envelope too) with
//! its own signature and templates, `tix department` moving a ticket,
//! and filters, views, rules, SLA targets and reports by department.

use crate::common::Sandbox;
use crate::common::mailserver::SmtpSink;
use serde_json::Value;

const T0: &str = "2026-11-02T09:00:00Z";
const T1: &str = "2026-11-02T09:10:00Z";
const T2: &str = "2026-11-02T09:20:00Z";
const T3: &str = "2026-11-02T09:30:00Z";

/// A team of alice (first line), bob and carol (billing), with
/// departments billing (two addresses, its own sender and signature, the
/// billing-team group) and sales (no acknowledgements), sending through
/// `outgoing`.
fn store(outgoing: &str) -> Sandbox {
    let sb = Sandbox::init();
    sb.set_config("name", "Example");
    sb.set_config(
        "agents",
        "- {handle: alice, email: alice@example.com, roles: [admin]}\n\
         - {handle: bob, email: bob@example.com}\n\
         - {handle: carol, email: carol@example.com}\n",
    );
    sb.set_config(
        "groups",
        "- {name: first-line, agents: [alice]}\n- {name: billing-team, agents: [bob, carol]}\n",
    );
    sb.set_config("assignment", "{rule: round-robin, group: first-line}");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\n\
         outgoing: {outgoing}\n\
         departments:\n\
         - name: billing\n  addresses: [billing@example.com, invoices@example.com]\n  \
           from: Example Billing <billing@example.com>\n  group: billing-team\n  \
           signature: \"The billing team, +1 555 0100\"\n\
         - name: sales\n  addresses: [sales@example.com]\n  auto_reply: false\n"
    ));
    sb
}

fn sink_outgoing(sink: &SmtpSink) -> String {
    format!(
        "{{transport: smtp, host: 127.0.0.1, port: {}, tls: plain, allow_plaintext: true}}",
        sink.port
    )
}

fn mail(from: &str, headers: &str, subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\n{headers}Subject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 2 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Please help.\r\n"
    )
    .into_bytes()
}

fn import(sb: &Sandbox, bytes: Vec<u8>, now: &str) {
    sb.tix(["import", "eml"]).stdin(bytes).now(now).ok();
}

fn by_subject(sb: &Sandbox, subject: &str) -> Value {
    let all = sb.list_json(["list", "--all"]);
    let hits: Vec<&Value> = all.iter().filter(|t| t["subject"] == subject).collect();
    assert_eq!(hits.len(), 1, "tickets called {subject}: {all:?}");
    hits[0].clone()
}

/// The messages the sink received that mention `needle`.
fn received(sink: &SmtpSink, needle: &str) -> Vec<String> {
    sink.messages()
        .into_iter()
        .map(|m| String::from_utf8_lossy(&m).into_owned())
        .filter(|m| m.contains(needle))
        .collect()
}

fn header<'a>(message: &'a str, name: &str) -> &'a str {
    message
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in\n{message}"))
}

#[test]
fn mail_is_filed_to_the_department_it_came_to_and_answered_from_its_address() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let sb = store(&sink_outgoing(&sink));
    // Sent to two departments: one ticket, in the first listed (billing).
    import(
        &sb,
        mail(
            "Ann <ann@cust.org>",
            "To: sales@example.com, billing@example.com\r\n",
            "Invoice wrong",
            "m1@cust.org",
        ),
        T0,
    );
    // The copy the sales mailbox got (same message) files nothing more.
    import(
        &sb,
        mail(
            "Ann <ann@cust.org>",
            "To: sales@example.com, billing@example.com\r\nDelivered-To: sales@example.com\r\n",
            "Invoice wrong",
            "m1@cust.org",
        ),
        T0,
    );
    // To the team's own address: no department; it goes to first-line.
    import(
        &sb,
        mail(
            "Ben <ben@cust.org>",
            "To: support@example.com\r\n",
            "Login",
            "m2@cust.org",
        ),
        T1,
    );
    // Bcc'd to the billing's second address: only the envelope says so.
    import(
        &sb,
        mail(
            "Cid <cid@cust.org>",
            "To: someone@else.org\r\nDelivered-To: invoices@example.com\r\n",
            "Refund",
            "m3@cust.org",
        ),
        T2,
    );
    import(
        &sb,
        mail(
            "Dee <dee@cust.org>",
            "To: sales@example.com\r\n",
            "Quote",
            "m4@cust.org",
        ),
        T3,
    );
    assert_eq!(sb.list_json(["list", "--all"]).len(), 4);

    let invoice = by_subject(&sb, "Invoice wrong");
    let login = by_subject(&sb, "Login");
    let refund = by_subject(&sb, "Refund");
    let quote = by_subject(&sb, "Quote");
    assert_eq!(invoice["department"], "billing");
    assert_eq!(refund["department"], "billing");
    assert_eq!(quote["department"], "sales");
    assert!(login["department"].is_null(), "{login}");
    // The department's group is where its tickets start, and the
    // round-robin goes on within it although alice got a ticket between.
    assert_eq!(invoice["group"], "billing-team");
    assert_eq!(invoice["assignee"], "bob");
    assert_eq!(login["assignee"], "alice");
    assert_eq!(refund["assignee"], "carol");
    // Sales has no group: the team's assignment group.
    assert_eq!(quote["assignee"], "alice");

    // Acknowledgements: from billing for billing's tickets (envelope
    // too), from support otherwise, none for sales.
    let id = invoice["id"].as_str().unwrap();
    let acks = received(&sink, &format!("[tix #{id}]"));
    assert_eq!(acks.len(), 1, "{acks:?}");
    assert_eq!(
        header(&acks[0], "From"),
        "\"Example Billing\" <billing@example.com>"
    );
    assert_eq!(header(&acks[0], "X-MailFrom"), "billing@example.com");
    let login_id = login["id"].as_str().unwrap();
    let acks = received(&sink, &format!("[tix #{login_id}]"));
    assert_eq!(acks.len(), 1, "{acks:?}");
    assert!(header(&acks[0], "From").contains("<support@example.com>"));
    assert_eq!(header(&acks[0], "X-MailFrom"), "support@example.com");
    let quote_id = quote["id"].as_str().unwrap();
    assert!(received(&sink, &format!("[tix #{quote_id}]")).is_empty());

    // A reply: the department's address, signed with its signature.
    sb.tix(["reply", id, "-m", "We will correct it."])
        .now(T3)
        .ok();
    let replies = received(&sink, "We will correct it.");
    assert_eq!(replies.len(), 1);
    assert_eq!(header(&replies[0], "X-MailFrom"), "billing@example.com");
    assert!(
        replies[0].contains("The billing team, +1 555 0100"),
        "{}",
        replies[0]
    );
    sb.tix(["reply", login_id, "-m", "Try again now."])
        .now(T3)
        .ok();
    let replies = received(&sink, "Try again now.");
    assert_eq!(header(&replies[0], "X-MailFrom"), "support@example.com");
    assert!(
        replies[0]
            .replace("\r\n", "\n")
            .contains("alice\nExample\n"),
        "{}",
        replies[0]
    );
    assert!(!replies[0].contains("billing team"));

    // Moved to sales: its next reply goes out from sales.
    sb.tix(["department", login_id, "sales", "-m", "Wants to buy"])
        .now(T3)
        .ok();
    assert_eq!(sb.ticket(login_id)["department"], "sales");
    sb.tix(["reply", login_id, "-m", "Here is a quote."])
        .now(T3)
        .ok();
    let replies = received(&sink, "Here is a quote.");
    assert!(header(&replies[0], "From").contains("<sales@example.com>"));
    assert_eq!(header(&replies[0], "X-MailFrom"), "sales@example.com");
    sb.assert_clean();
}

#[test]
fn a_department_has_its_own_templates() {
    let sb = store("{transport: file, dir: out}");
    let billing = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@cust.org",
            "--subject",
            "Invoice",
            "--department",
            "billing",
        ])
        .now(T0),
    );
    let plain = sb.create_with(
        sb.tix(["create", "--customer", "ben@cust.org", "--subject", "Other"])
            .now(T0),
    );
    assert_eq!(sb.ticket(&billing)["department"], "billing");
    assert_eq!(sb.ticket(&billing)["group"], "billing-team");
    assert_eq!(sb.ticket(&billing)["assignee"], "bob");
    assert!(sb.ticket(&plain)["department"].is_null());

    let dir = sb.dir.join(".tix/templates/billing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("reply.md"),
        "Dear {{customer.email}} ({{department.name}}),\n\n{{text}}\n\n{{signature}}\n",
    )
    .unwrap();
    std::fs::write(dir.join("refund.md"), "Billing refunds take 5 days.\n").unwrap();
    std::fs::write(
        sb.dir.join(".tix/templates/refund.md"),
        "Refunds take 10 days.\n",
    )
    .unwrap();
    sb.git(["add", ".tix/templates"]);
    sb.git(["commit", "-q", "-m", "templates"]);

    sb.tix(["reply", &billing, "--template", "refund"])
        .now(T1)
        .ok();
    sb.tix(["reply", &plain, "--template", "refund"])
        .now(T1)
        .ok();
    let out = sb.dir.join("out");
    let sent: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let of = |id: &str| {
        sent.iter()
            .find(|m| m.contains(&format!("[tix #{id}]")))
            .unwrap_or_else(|| panic!("nothing sent for {id}: {sent:?}"))
            .clone()
    };
    let b = of(&billing);
    assert!(b.contains("Dear ann@cust.org (billing),"), "{b}");
    assert!(b.contains("Billing refunds take 5 days."), "{b}");
    assert!(b.contains("The billing team, +1 555 0100"), "{b}");
    let p = of(&plain);
    assert!(p.contains("Hello there,"), "{p}");
    assert!(p.contains("Refunds take 10 days."), "{p}");
    assert!(!p.contains("billing"), "{p}");

    // A broken department template is reported by `tix check`, by path.
    std::fs::write(dir.join("reply.md"), "{{nonsense}}\n").unwrap();
    sb.tix(["check"])
        .fails(10)
        .stdout_has(&[".tix/templates/billing/reply.md", "nonsense"]);
}

#[test]
fn filters_views_rules_sla_and_reports_know_the_department() {
    let sb = store("{transport: file, dir: out}");
    sb.set_config(
        "sla",
        "normal: {first_response: 8h}\nspecial:\n- {department: billing, first_response: 1h}\n",
    );
    sb.set_config("views", "money: {department: billing}\n");
    sb.set_config(
        "rules",
        "- name: billing urgent\n  on: created\n  if: {department: billing}\n  do: [{priority: high}]\n",
    );
    let new = |subject: &str, dept: Option<&str>| {
        let mut args = vec!["create", "--customer", "ann@cust.org", "--subject", subject];
        if let Some(d) = dept {
            args.extend(["--department", d]);
        }
        sb.create_with(sb.tix(args).now(T0))
    };
    let b1 = new("b1", Some("billing"));
    let b2 = new("b2", Some("billing"));
    let s1 = new("s1", Some("sales"));
    let n1 = new("n1", None);
    let mut ids = sb.list_ids(["list", "--department", "billing"]);
    ids.sort();
    let mut want = vec![b1.clone(), b2.clone()];
    want.sort();
    assert_eq!(ids, want);
    let mut viewed = sb.list_ids(["list", "@money"]);
    viewed.sort();
    assert_eq!(viewed, want);
    assert_eq!(
        sb.list_ids(["list", "--department", "sales"]),
        std::slice::from_ref(&s1)
    );
    // The rule fired on billing's tickets only.
    assert_eq!(sb.ticket(&b1)["priority"], "high");
    assert_eq!(sb.ticket(&s1)["priority"], "normal");
    assert_eq!(sb.ticket(&n1)["priority"], "normal");

    // Billing's first response is due in an hour, the others' in eight.
    let sla: Value =
        serde_json::from_str(&sb.tix(["sla", "--format", "json"]).now(T1).ok()).unwrap();
    let due = |id: &str| {
        sla.as_array()
            .unwrap()
            .iter()
            .find(|r| r["ticket"] == id && r["target"] == "first-response")
            .unwrap_or_else(|| panic!("{id} not in {sla}"))["due_at"]
            .clone()
    };
    assert_eq!(due(&b1), "2026-11-02T10:00:00.000000Z", "{sla}");
    assert_eq!(due(&s1), "2026-11-02T17:00:00.000000Z", "{sla}");

    // Moving one out of billing shows in the next report.
    sb.tix(["department", &b2, "--none"]).now(T1).ok();
    assert!(sb.ticket(&b2)["department"].is_null());
    let rows: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "breakdown",
            "--by",
            "department",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-03",
            "--format",
            "json",
        ])
        .now(T2)
        .ok(),
    )
    .unwrap();
    let created = |g: Value| {
        rows["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"] == g)
            .unwrap_or_else(|| panic!("no {g} in {rows}"))["created"]
            .clone()
    };
    assert_eq!(created("billing".into()), 1, "{rows}");
    assert!(rows["filters"]["department"].is_null(), "{rows}");
    // A report of one department says so, and counts only its tickets.
    let only: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "summary",
            "--department",
            "billing",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-03",
            "--format",
            "json",
        ])
        .now(T2)
        .ok(),
    )
    .unwrap();
    assert_eq!(only["filters"]["department"], "billing", "{only}");
    assert_eq!(only["created"], 1, "{only}");
    assert_eq!(created("sales".into()), 1, "{rows}");
    assert_eq!(created(Value::Null), 2, "{rows}");

    // An unknown department is refused naming the known ones; nothing
    // is written.
    let head = sb.head();
    sb.tix(["department", &s1, "bogus"])
        .fails(3)
        .stderr_has(&["bogus", "billing, sales"]);
    sb.tix(["list", "--department", "bogus"])
        .fails(3)
        .stderr_has(&["bogus"]);
    assert_eq!(sb.head(), head);
    sb.assert_clean();
}

#[test]
fn a_bad_department_config_is_refused_naming_the_key() {
    let sb = Sandbox::init();
    let cases = [
        (
            "departments:\n- {name: a, addresses: [x@example.com]}\n- {name: b, addresses: [X@example.com]}\n",
            "mail.departments[1].addresses: `X@example.com` already belongs to department `a`",
        ),
        (
            "departments:\n- {name: a, addresses: [x@example.com], group: nope}\n",
            "mail.departments[0].group: no group `nope`",
        ),
        (
            "addresses: [x@example.com]\ndepartments:\n- {name: a, addresses: [x@example.com]}\n",
            "also in mail.addresses",
        ),
        (
            "departments:\n- {name: a, addresses: []}\n",
            "needs at least one address",
        ),
        (
            "departments:\n- {name: 'bad name', addresses: [x@example.com]}\n",
            "mail.departments[0].name",
        ),
        (
            "departments:\n- {name: a, addresses: ['Ann <x@example.com>']}\n",
            "not a bare e-mail address",
        ),
    ];
    let path = sb.dir.join(".tix/config.yaml");
    let good = std::fs::read_to_string(&path).unwrap();
    for (yaml, want) in cases {
        let indented: String = yaml.lines().map(|l| format!("  {l}\n")).collect::<String>();
        std::fs::write(&path, format!("{good}mail:\n{indented}")).unwrap();
        sb.tix(["list"]).fails(6).stderr_has(&[want]);
    }
}
