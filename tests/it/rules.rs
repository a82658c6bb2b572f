//! Team rules on the real binary: assignment of new tickets (none,
//! round-robin, random, least-load, max_active), availability, and
//! re-assignment when a customer writes to an absent agent's ticket.

use crate::common::Sandbox;
use serde_json::Value;

/// A store with agents alice (admin), bob and carol and the given
/// `assignment:` config.
fn team(assignment_yaml: &str) -> Sandbox {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.change(["agent", "add", "carol", "--email", "carol@example.com"]);
    sb.set_config("assignment", assignment_yaml);
    sb
}

fn create(sb: &Sandbox, subject: &str) -> String {
    sb.create(subject)
}

fn assignee(sb: &Sandbox, id: &str) -> Option<String> {
    sb.ticket(id)["assignee"].as_str().map(String::from)
}

/// The ticket's `assign` entries as (author, to, body).
fn assignments(sb: &Sandbox, id: &str) -> Vec<(String, Value, String)> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["kind"] == "assign")
        .map(|e| {
            (
                e["author"].as_str().unwrap_or("").to_string(),
                e["to"].clone(),
                e["body"].as_str().unwrap_or("").trim().to_string(),
            )
        })
        .collect()
}

#[test]
fn round_robin_takes_turns_and_skips_agents_who_are_away() {
    let sb = team("rule: round-robin");
    let mut got = Vec::new();
    for n in 0..4 {
        let id = create(&sb, &format!("Ticket {n}"));
        got.push(assignee(&sb, &id).unwrap());
    }
    assert_eq!(got, ["alice", "bob", "carol", "alice"]);
    let id = create(&sb, "Explained");
    assert_eq!(
        assignments(&sb, &id)[0].2,
        "Assigned by the round-robin rule."
    );
    // bob is next, but away.
    sb.change(["agent", "away", "bob", "--until", "3d"]);
    let id = create(&sb, "Skip bob");
    assert_eq!(assignee(&sb, &id).as_deref(), Some("carol"));
    sb.change(["agent", "back", "bob"]);
    let id = create(&sb, "After carol");
    assert_eq!(assignee(&sb, &id).as_deref(), Some("alice"));
    let id = create(&sb, "Bob again");
    assert_eq!(assignee(&sb, &id).as_deref(), Some("bob"));
}

#[test]
fn none_leaves_tickets_unassigned_and_an_explicit_assign_wins() {
    let sb = team("rule: none");
    let id = create(&sb, "Nobody");
    assert_eq!(assignee(&sb, &id), None);
    let sb = team("rule: round-robin");
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Mine",
        "-m",
        "x",
        "--assign",
        "carol",
    ]));
    assert_eq!(assignee(&sb, &id).as_deref(), Some("carol"));
    assert_eq!(assignments(&sb, &id).len(), 1);
}

#[test]
fn least_load_picks_the_least_busy_and_closed_tickets_do_not_count() {
    let sb = team("rule: least-load");
    // alice 2 open, bob 1 open + 2 closed, carol 1 open.
    for (who, n, close) in [
        ("alice", 2, false),
        ("bob", 1, false),
        ("bob", 2, true),
        ("carol", 1, false),
    ] {
        for _ in 0..n {
            let id = sb.create_with(sb.tix([
                "create",
                "--customer",
                "ann@example.com",
                "--subject",
                "Load",
                "-m",
                "x",
                "--assign",
                who,
            ]));
            if close {
                sb.change(["close", &id, "--yes"]);
            }
        }
    }
    let id = create(&sb, "Least load");
    // bob and carol have one each; bob comes first in the group.
    assert_eq!(assignee(&sb, &id).as_deref(), Some("bob"));
    let id = create(&sb, "Then carol");
    assert_eq!(assignee(&sb, &id).as_deref(), Some("carol"));
    let list: Vec<Value> =
        serde_json::from_str(&sb.ok(["agent", "list", "--format", "json"])).unwrap();
    let active: Vec<u64> = list.iter().map(|a| a["active"].as_u64().unwrap()).collect();
    assert_eq!(active, [2, 2, 2]);
}

#[test]
fn max_active_makes_tickets_wait_unassigned() {
    let sb = team("rule: round-robin\nmax_active: 1");
    let a = create(&sb, "One");
    let b = create(&sb, "Two");
    let c = create(&sb, "Three");
    assert_eq!(assignee(&sb, &a).as_deref(), Some("alice"));
    assert_eq!(assignee(&sb, &b).as_deref(), Some("bob"));
    assert_eq!(assignee(&sb, &c).as_deref(), Some("carol"));
    let run = sb
        .tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Four",
            "-m",
            "x",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("left unassigned"), "{}", run.stderr);
    let d = run.stdout.trim().to_string();
    assert_eq!(assignee(&sb, &d), None);
    // Room again once bob's ticket is closed.
    sb.change(["close", &b, "--yes"]);
    let e = create(&sb, "Five");
    assert_eq!(assignee(&sb, &e).as_deref(), Some("bob"));
}

#[test]
fn random_only_picks_available_members_of_the_group() {
    let sb = team("rule: random\ngroup: first-line");
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice, bob]}, {name: second-line, agents: [carol]}]",
    );
    sb.change(["agent", "away", "alice"]);
    for n in 0..6 {
        let id = create(&sb, &format!("R{n}"));
        assert_eq!(assignee(&sb, &id).as_deref(), Some("bob"));
    }
}

#[test]
fn availability_is_listed_and_only_admins_change_someone_elses() {
    let sb = team("rule: none");
    sb.change(["agent", "away", "carol", "--until", "2030-01-01T00:00:00Z"]);
    let list: Vec<Value> =
        serde_json::from_str(&sb.ok(["agent", "list", "--format", "json"])).unwrap();
    let carol = list.iter().find(|a| a["handle"] == "carol").unwrap();
    assert_eq!(carol["away"], true);
    assert!(
        carol["available"]
            .as_str()
            .unwrap()
            .starts_with("away until 2030-01-01")
    );
    // bob is no admin: his own availability only.
    let run = sb.tix(["--as", "bob", "agent", "away", "carol"]).fails(9);
    assert!(run.stderr.contains("only an admin"), "{}", run.stderr);
    sb.change(["--as", "bob", "agent", "away", "bob"]);
    sb.tix(["agent", "away", "bob", "--until", "2020-01-01"])
        .fails(6);
    sb.tix(["agent", "away", "zoe"]).fails(3);
    // Past its end, an absence is over by itself.
    let later = sb
        .tix(["agent", "list", "--format", "json"])
        .now("2030-01-02T00:00:00Z")
        .ok();
    let list: Vec<Value> = serde_json::from_str(&later).unwrap();
    let carol = list.iter().find(|a| a["handle"] == "carol").unwrap();
    assert_eq!(carol["away"], false);
    sb.ok(["check"]);
}

#[test]
fn mail_gets_assigned_and_a_follow_up_to_an_absent_agent_is_reassigned() {
    let sb = team("rule: round-robin");
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
        .stdin(mail("m1", ""))
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(assignee(&sb, &id).as_deref(), Some("alice"));
    assert_eq!(assignments(&sb, &id)[0].0, "tix");

    sb.change(["agent", "away", "alice"]);
    sb.tix(["import", "eml"])
        .stdin(mail("m2", "In-Reply-To: <m1@example.org>\r\n"))
        .ok();
    assert_eq!(assignee(&sb, &id).as_deref(), Some("bob"));
    let last = assignments(&sb, &id).pop().unwrap();
    assert_eq!(last.0, "tix");
    assert!(
        last.2.contains("alice is away and the customer wrote"),
        "{last:?}"
    );
    sb.ok(["check"]);
    sb.assert_clean();
}

#[test]
fn escalation_moves_to_the_next_group_with_a_note_for_the_next_agent() {
    let sb = team("rule: round-robin\ngroup: first-line");
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice, bob]}, {name: second-line, agents: [carol]}]",
    );
    let id = create(&sb, "Hard one");
    assert_eq!(assignee(&sb, &id).as_deref(), Some("alice"));
    let out = sb.change(["escalate", &id, "-m", "Needs a database expert"]);
    assert!(
        out.contains("escalated to second-line, assigned to carol"),
        "{out}"
    );
    let ticket = sb.ticket(&id);
    assert_eq!(ticket["group"], "second-line");
    assert_eq!(ticket["assignee"], "carol");
    let escalations: Vec<Value> = sb
        .entries(&id)
        .into_iter()
        .filter(|e| e["kind"] == "escalate")
        .collect();
    assert_eq!(
        escalations[0]["body"].as_str().unwrap().trim(),
        "Needs a database expert"
    );
    // Internal: not in the customer's view.
    let public = sb.ok(["show", &id, "--public"]);
    assert!(!public.contains("database expert"), "{public}");
    // No level after the last; an explicit target still works.
    let run = sb.tix(["escalate", &id, "-m", "More"]).fails(6);
    assert!(run.stderr.contains("last group"), "{}", run.stderr);
    sb.change(["escalate", &id, "--to", "bob", "-m", "Back to bob"]);
    assert_eq!(sb.ticket(&id)["assignee"], "bob");
    assert_eq!(sb.ticket(&id)["group"], "first-line");
    sb.tix(["escalate", &id, "--to", "nobody", "-m", "x"])
        .fails(3);
    sb.ok(["check"]);
}

#[test]
fn escalation_can_tell_the_customer() {
    let sb = team("rule: round-robin");
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice, bob]}, {name: second-line, agents: [carol]}]",
    );
    sb.set_config(
        "escalation_message",
        "'Your request {{ticket.id}} is now with our specialists; expect an answer within a day.'",
    );
    sb.set_mail(
        "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
         auto_reply: {enabled: false}",
    );
    let id = create(&sb, "Hard one");
    let out = sb.ok(["escalate", &id, "-m", "Needs a specialist"]);
    assert!(out.contains("e-mailed to ann@example.com"), "{out}");
    let replies: Vec<Value> = sb
        .entries(&id)
        .into_iter()
        .filter(|e| e["kind"] == "reply")
        .collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(
        replies[0]["body"].as_str().unwrap().trim(),
        format!("Your request {id} is now with our specialists; expect an answer within a day.")
    );
    assert_eq!(
        crate::common::files_under(&sb.dir.join("sent-mail")).len(),
        1
    );
    // The internal reason stays internal.
    let mail =
        std::fs::read_to_string(&crate::common::files_under(&sb.dir.join("sent-mail"))[0]).unwrap();
    assert!(!mail.contains("Needs a specialist"), "{mail}");
}

#[test]
fn two_clones_assigning_at_once_merge_without_conflict() {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
    sb.tix(["agent", "add", "bob", "--email", "bob@example.com"])
        .in_dir(&a)
        .ok();
    let config = a.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("assignment:\n  rule: round-robin\n  max_active: 2\n");
    std::fs::write(&config, text).unwrap();
    sb.git_in(&a, ["commit", "-q", "-am", "round-robin"]);
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    let create = |dir: &std::path::Path, subject: &str| {
        sb.tix([
            "create",
            "--customer",
            "ann@example.org",
            "--subject",
            subject,
            "-m",
            "x",
        ])
        .in_dir(dir)
        .ok()
        .trim()
        .to_string()
    };
    // Offline, each clone assigns from the same state: both pick alice.
    let ta = create(&a, "From A");
    let tb = create(&b, "From B");
    sb.git_in(&b, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&a, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    sb.git_in(&a, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&b, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    sb.assert_clean_in(&a);
    sb.assert_clean_in(&b);
    let who = |dir: &std::path::Path, id: &str| -> Value {
        let out = sb.tix(["show", id, "--format", "json"]).in_dir(dir).ok();
        serde_json::from_str::<Value>(&out).unwrap()["ticket"]["assignee"].clone()
    };
    for id in [&ta, &tb] {
        assert_eq!(who(&a, id), who(&b, id));
        assert_eq!(who(&a, id), "alice");
    }
    // After the merge the state is the same everywhere: alice is at the
    // limit, so the next ticket goes to bob on either side.
    let next = create(&a, "After the merge");
    assert_eq!(who(&a, &next), "bob");
    let list: Vec<Value> = serde_json::from_str(
        &sb.tix(["agent", "list", "--format", "json"])
            .in_dir(&b)
            .ok(),
    )
    .unwrap();
    assert_eq!(list[0]["active"], 2);
}

#[test]
fn a_rule_made_assignment_at_create_is_an_entry_by_tix() {
    let sb = team("rule: round-robin");
    let id = create(&sb, "Chosen by the rule");
    assert_eq!(
        assignments(&sb, &id),
        [(
            "tix".to_string(),
            Value::from("alice"),
            "Assigned by the round-robin rule.".to_string()
        )]
    );
    // The commit is still the agent's: they ran the command.
    assert!(sb.last_commit().contains(&format!("tix: create {id}")));
    assert!(
        sb.last_commit().starts_with("Alice"),
        "{}",
        sb.last_commit()
    );
    // An assignment the agent asked for stays theirs.
    let mine = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.org",
        "--subject",
        "Mine",
        "-m",
        "x",
        "--assign",
        "bob",
    ]));
    assert_eq!(assignments(&sb, &mine)[0].0, "alice");
}

#[test]
fn a_ticket_opened_by_one_mail_has_one_message_in_templates() {
    let Some(mail) = crate::common::corpus::file("apache-spamassassin/t/data/nice/016") else {
        return;
    };
    let sb = Sandbox::init();
    sb.set_mail(
        "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
         auto_reply: {enabled: false}\nnotify: {new_ticket: true}",
    );
    let templates = sb.dir.join(".tix/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let counted = "Messages: {{message_count}}\n---\n{{thread}}\n---\n";
    std::fs::write(templates.join("notify.md"), counted).unwrap();
    std::fs::write(templates.join("counted.md"), counted).unwrap();
    sb.git(["add", "."]);
    sb.git(["commit", "-q", "-m", "templates"]);
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail)
        .ok();
    let imported: Value = serde_json::from_str(&out).unwrap();
    let id = imported["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let check = |text: &str| {
        assert!(text.contains("Messages: 1\n"), "{text}");
        let thread = text.split("---\n").nth(1).unwrap();
        assert_eq!(thread.matches(" wrote:\n").count(), 1, "{text}");
        // The one message is the mail, not an empty `created` entry.
        let first = thread.lines().nth(1).unwrap_or("");
        assert!(!first.trim().is_empty(), "{text}");
    };
    // The agents' notification of the new ticket.
    let sent = crate::common::files_under(&sb.dir.join("sent-mail"));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let notification =
        String::from_utf8_lossy(&std::fs::read(&sent[0]).unwrap()).replace("\r\n", "\n");
    check(&notification);
    // A canned answer filled for the same ticket.
    sb.tix(["reply", &id, "--template", "counted", "--no-send"])
        .ok();
    let reply = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "reply")
        .unwrap();
    check(reply["body"].as_str().unwrap());
}

/// Six tickets older than the newest assigned one, escalated one by one
/// to a group of two: round-robin takes turns over the escalations, it
/// does not restart after the newest ticket's agent every time.
#[test]
fn round_robin_takes_turns_over_escalations_of_older_tickets() {
    let sb = team("rule: round-robin\ngroup: first-line");
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice]}, {name: second-line, agents: [bob, carol]}]",
    );
    let older: Vec<String> = (0..6).map(|n| create(&sb, &format!("Older {n}"))).collect();
    create(&sb, "Newest");
    let mut got = Vec::new();
    for id in &older {
        sb.change(["escalate", id, "-m", "Needs second line"]);
        got.push(assignee(&sb, id).unwrap());
    }
    assert_eq!(got, ["bob", "carol", "bob", "carol", "bob", "carol"]);
}

/// The same when `tix tick` escalates six breached tickets in one pass.
#[test]
fn round_robin_takes_turns_over_one_ticks_escalations() {
    let sb = team("rule: round-robin\ngroup: first-line");
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice]}, {name: second-line, agents: [bob, carol]}]",
    );
    sb.set_config(
        "sla",
        "{normal: {first_response: 1h}, on_breach: [{escalate: second-line}]}",
    );
    let ids: Vec<String> = (0..6)
        .map(|n| {
            sb.create_with(
                sb.tix([
                    "create",
                    "--customer",
                    "ann@example.org",
                    "--subject",
                    &format!("Breached {n}"),
                    "-m",
                    "x",
                ])
                .now("2026-11-02T09:00:00Z"),
            )
        })
        .collect();
    sb.tix(["tick"]).now("2026-11-02T12:00:00Z").ok();
    let mut loads = std::collections::BTreeMap::new();
    for id in &ids {
        *loads.entry(assignee(&sb, id).unwrap()).or_insert(0) += 1;
    }
    assert_eq!(
        loads,
        [("bob".to_string(), 3), ("carol".to_string(), 3)].into()
    );
}
