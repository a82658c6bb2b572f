//! Tasks inside tickets (`tix task`, `tix tasks`), with an injected clock:
//! adding and changing them, how `show` and `tasks` list them, numbering
//! after two clones add at once, tick's one reminder, the counts of `agent
//! list` and `report agents`, closing with open tasks, and the errors.

use crate::common::{Sandbox, files_under};
use serde_json::Value;

/// Monday 2026-11-02.
const T0: &str = "2026-11-02T09:00:00Z";

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

fn task(sb: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["task"];
    all.extend_from_slice(args);
    sb.tix(all).now(T0).ok()
}

fn open_tasks(sb: &Sandbox, id: &str) -> Vec<Value> {
    sb.show(id)["open_tasks"].as_array().unwrap().clone()
}

fn listed(sb: &Sandbox, args: &[&str], now: &str) -> Vec<Value> {
    let mut all = vec!["tasks", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&sb.tix(all).now(now).ok()).unwrap()
}

fn summary(t: &Value) -> (u64, &str, Option<&str>, Option<&str>) {
    (
        t["number"].as_u64().unwrap(),
        t["text"].as_str().unwrap(),
        t["assignee"].as_str(),
        t["due"].as_str(),
    )
}

#[test]
fn tasks_are_added_changed_and_shown() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = create(&sb, "Printer");
    let out = task(
        &sb,
        &[
            "add",
            &id,
            "Call the customer",
            "--to",
            "bob",
            "--due",
            "2d",
        ],
    );
    assert!(
        out.contains("task 1 added for bob, due 2026-11-04 09:00"),
        "{out}"
    );
    task(&sb, &["add", &id, "Order toner"]);
    assert_eq!(
        open_tasks(&sb, &id).iter().map(summary).collect::<Vec<_>>(),
        [
            (
                1,
                "Call the customer",
                Some("bob"),
                Some("2026-11-04T09:00:00.000000Z")
            ),
            (2, "Order toner", None, None),
        ]
    );
    task(&sb, &["assign", &id, "2", "me"]);
    task(&sb, &["due", &id, "2", "2026-11-10 12:00"]);
    task(&sb, &["due", &id, "1", "--clear"]);
    task(&sb, &["done", &id, "1"]);
    assert_eq!(
        open_tasks(&sb, &id).iter().map(summary).collect::<Vec<_>>(),
        [(
            2,
            "Order toner",
            Some("alice"),
            Some("2026-11-10T12:00:00.000000Z")
        )]
    );
    // Done twice is nothing to change, and writes nothing.
    let before = sb.commit_count();
    sb.tix(["task", "done", &id, "1"])
        .now(T0)
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    assert_eq!(sb.commit_count(), before);
    // The whole task stays in the ticket's state, done or not.
    let all = sb.ticket(&id)["tasks"].as_array().unwrap().clone();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["done_by"], "alice");
    task(&sb, &["reopen", &id, "1"]);
    let text = sb.tix(["show", &id]).now(T0).ok();
    assert!(text.contains("open tasks:\n  1. Call the customer  [bob]\n  2. Order toner  [alice]  due 2026-11-10 12:00"), "{text}");
    assert!(text.contains("task 2 given to alice"), "{text}");
    assert!(text.contains("task 1 reopened"), "{text}");
    // Past the deadline the task is marked.
    let late = sb.tix(["show", &id]).now("2026-11-11T09:00:00Z").ok();
    assert!(late.contains("due 2026-11-10 12:00 UTC  OVERDUE"), "{late}");
    assert_eq!(
        listed(&sb, &[], T0)
            .iter()
            .map(|t| (t["ticket"].as_str().unwrap(), t["number"].as_u64().unwrap()))
            .collect::<Vec<_>>(),
        // Soonest deadline first, tasks without one last.
        [(id.as_str(), 2), (id.as_str(), 1)]
    );
    sb.tix(["check"]).ok();
}

/// A span counts business hours when the team has them, as SLA targets
/// do; an absolute time is taken as given.
#[test]
fn a_due_span_counts_business_hours_when_configured() {
    let sb = Sandbox::init();
    sb.set_config(
        "sla",
        "{calendar: business, business_hours: {timezone: UTC, days: {mon: 09:00-17:00, tue: 09:00-17:00, wed: 09:00-17:00, thu: 09:00-17:00, fri: 09:00-17:00}}}",
    );
    let id = create(&sb, "Printer");
    // Friday 15:00 plus four business hours: Monday 11:00.
    sb.tix(["task", "add", &id, "Follow up", "--due", "4h"])
        .now("2026-11-06T15:00:00Z")
        .ok();
    assert_eq!(
        open_tasks(&sb, &id)[0]["due"],
        "2026-11-09T11:00:00.000000Z"
    );
}

#[test]
fn errors_name_what_was_expected() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer");
    task(&sb, &["add", &id, "One"]);
    sb.tix(["task", "done", "ZZZZ", "1"])
        .now(T0)
        .fails(3)
        .stderr_has(&["ZZZZ"]);
    sb.tix(["task", "done", &id, "7"])
        .now(T0)
        .fails(3)
        .stderr_has(&[&id, "no task 7", "expected 1 to 1"]);
    sb.tix(["task", "done", &id, "0"]).now(T0).fails(2);
    sb.tix(["task", "done", &id, "first"]).now(T0).fails(2);
    sb.tix(["task", "add", &id, "Two", "--due", "someday"])
        .now(T0)
        .fails(6)
        .stderr_has(&["--due", "`someday`", "2d"]);
    sb.tix(["task", "due", &id, "1", "2026-01-01"])
        .now(T0)
        .fails(6)
        .stderr_has(&["not in the future"]);
    sb.tix(["task", "add", &id, "Two", "--to", "carol"])
        .now(T0)
        .fails(3)
        .stderr_has(&["no agent `carol`", "alice"]);
    sb.tix(["task", "assign", &id, "1", "carol"])
        .now(T0)
        .fails(3)
        .stderr_has(&["no agent `carol`"]);
    sb.tix(["task", "add", &id, "  "])
        .now(T0)
        .fails(6)
        .stderr_has(&["task text"]);
    // A locked ticket takes no task, as it takes no other change.
    sb.change_with(sb.tix(["lock", &id]).now(T0));
    sb.tix(["task", "add", &id, "Three"]).now(T0).fails(5);
    sb.tix(["task", "done", &id, "1"]).now(T0).fails(5);
    assert_eq!(open_tasks(&sb, &id).len(), 1);
}

#[test]
fn two_clones_adding_tasks_at_once_number_them_alike() {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
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
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    // Each clone adds a task the other has not seen: both are task 1 there.
    for (dir, text, now) in [
        (&a, "From a", "2026-11-02T10:00:00Z"),
        (&b, "From b", "2026-11-02T09:30:00Z"),
    ] {
        let out = sb.tix(["task", "add", &id, text]).in_dir(dir).now(now).ok();
        assert!(out.contains("task 1 added"), "{out}");
    }
    sb.git_in(&b, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&a, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    sb.git_in(&a, ["push", "-q", "origin", "HEAD"]);
    sb.git_run_in(&b, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    let tasks_in = |dir: &std::path::Path| -> Vec<(u64, String)> {
        let show: Value =
            serde_json::from_str(&sb.tix(["show", &id, "--format", "json"]).in_dir(dir).ok())
                .unwrap();
        show["open_tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["number"].as_u64().unwrap(),
                    t["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // Written at the same point of the trail: the earlier one is 1, on both.
    let expected = vec![(1, "From b".to_string()), (2, "From a".to_string())];
    assert_eq!(tasks_in(&a), expected);
    assert_eq!(tasks_in(&b), expected);
    // A number means the task listed so now: on a, 1 is b's task.
    sb.tix(["task", "done", &id, "1"])
        .in_dir(&a)
        .now("2026-11-02T11:00:00Z")
        .ok();
    assert_eq!(tasks_in(&a), vec![(2, "From a".to_string())]);
    // The index's listing agrees with the fold.
    let listed: Vec<Value> = serde_json::from_str(
        &sb.tix(["tasks", "--format", "json"])
            .in_dir(&b)
            .now(T0)
            .ok(),
    )
    .unwrap();
    assert_eq!(listed.len(), 2);
    sb.tix(["check"]).in_dir(&a).ok();
}

#[test]
fn tasks_are_filtered_by_assignee_deadline_and_overdue() {
    let sb = Sandbox::init();
    sb.add_bob();
    let x = create(&sb, "Printer");
    let y = create(&sb, "Network");
    task(&sb, &["add", &x, "Bob soon", "--to", "bob", "--due", "1d"]);
    task(
        &sb,
        &["add", &x, "Alice later", "--to", "alice", "--due", "5d"],
    );
    task(
        &sb,
        &["add", &y, "Bob later", "--to", "bob", "--due", "10d"],
    );
    task(&sb, &["add", &y, "Nobody's"]);
    let texts = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|t| t["text"].as_str().unwrap().to_string())
            .collect()
    };
    let day2 = "2026-11-04T09:00:00Z";
    assert_eq!(texts(listed(&sb, &["--overdue"], day2)), ["Bob soon"]);
    assert_eq!(texts(listed(&sb, &["--overdue"], T0)), Vec::<String>::new());
    assert_eq!(
        texts(listed(&sb, &["--assignee", "bob"], T0)),
        ["Bob soon", "Bob later"]
    );
    assert_eq!(texts(listed(&sb, &["--mine"], T0)), ["Alice later"]);
    assert_eq!(
        texts(listed(&sb, &["--due-before", "2026-11-08"], T0)),
        ["Bob soon", "Alice later"]
    );
    assert_eq!(
        texts(listed(&sb, &["--due-before", "2d"], T0)),
        ["Bob soon"]
    );
    // One id per ticket, however many tasks it has listed.
    let ids = sb.tix(["tasks", "--format", "ids"]).now(T0).ok();
    assert_eq!(ids, format!("{x}\n{y}\n"));
    let csv = sb
        .tix(["tasks", "--format", "csv", "--assignee", "bob"])
        .now(day2)
        .ok();
    assert_eq!(
        csv,
        format!(
            "ticket,task,assignee,due,overdue,text,subject,from,merged_into\n\
             {x},1,bob,2026-11-03T09:00:00.000000Z,yes,Bob soon,Printer,,\n\
             {y},1,bob,2026-11-12T09:00:00.000000Z,,Bob later,Network,,\n"
        )
    );
    sb.tix(["tasks", "--due-before", "soon"])
        .now(T0)
        .fails(6)
        .stderr_has(&["--due-before", "`soon`"]);
    sb.tix(["tasks", "--assignee", "carol"]).now(T0).fails(3);
}

const MAIL: &str = "addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\n\
                    auto_reply: {enabled: false}";

fn mails(sb: &Sandbox) -> Vec<String> {
    let mut files = files_under(&sb.dir.join("sent-mail"));
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn the_assignee_is_mailed_when_given_a_task_and_once_when_it_is_due() {
    let sb = Sandbox::init();
    sb.set_mail(MAIL);
    sb.add_bob();
    let id = create(&sb, "Printer");
    let out = task(
        &sb,
        &["add", &id, "Call back", "--to", "bob", "--due", "1h"],
    );
    assert!(out.contains("bob e-mailed"), "{out}");
    // Giving oneself a task mails nobody.
    task(&sb, &["add", &id, "Mine", "--to", "me", "--due", "1h"]);
    let sent = mails(&sb);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("To: bob@example.com"), "{}", sent[0]);
    assert!(sent[0].contains("Task 1 of ticket"), "{}", sent[0]);
    assert!(sent[0].contains("was given to you by alice"), "{}", sent[0]);
    // Reassigning mails the new assignee.
    task(&sb, &["assign", &id, "2", "bob"]);
    assert_eq!(mails(&sb).len(), 2);
    // Before the deadline tick does nothing; after it, it reminds each
    // assignee once.
    let tick = |now: &str| -> Value {
        serde_json::from_str(&sb.tix(["tick", "--format", "json"]).now(now).ok()).unwrap()
    };
    assert_eq!(
        tick("2026-11-02T09:30:00Z")["actions"],
        serde_json::json!([])
    );
    let done = tick("2026-11-02T10:30:00Z");
    assert_eq!(done["actions"].as_array().unwrap().len(), 2, "{done:#}");
    let sent = mails(&sb);
    assert_eq!(sent.len(), 4);
    let reminders: Vec<&String> = sent.iter().filter(|m| m.contains("is due:")).collect();
    assert_eq!(reminders.len(), 2);
    assert!(reminders.iter().all(|m| m.contains("To: bob@example.com")));
    // Recorded, so a second tick (or another clone's) does not repeat it.
    assert_eq!(
        tick("2026-11-02T11:30:00Z")["actions"],
        serde_json::json!([])
    );
    assert_eq!(mails(&sb).len(), 4);
    let recorded = sb
        .entries(&id)
        .iter()
        .filter(|e| e["kind"] == "task-reminder")
        .count();
    assert_eq!(recorded, 2);
    assert_eq!(sb.ticket(&id)["outbox"], serde_json::json!({}), "delivered");
    // A new deadline is a new one to be reminded of.
    task(&sb, &["due", &id, "1", "2026-11-03 09:00"]);
    assert_eq!(
        tick("2026-11-03T10:00:00Z")["actions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(mails(&sb).len(), 5);
}

#[test]
fn counts_in_agent_list_and_report_agents() {
    let sb = Sandbox::init();
    sb.add_bob();
    let x = create(&sb, "Printer");
    let y = create(&sb, "Network");
    // bob: two open (one overdue on day 3), one done on day 1; alice: one
    // open without a deadline, and one nobody had that she did.
    task(&sb, &["add", &x, "b1", "--to", "bob", "--due", "1d"]);
    task(&sb, &["add", &x, "b2", "--to", "bob", "--due", "7d"]);
    task(&sb, &["add", &y, "b3", "--to", "bob"]);
    task(&sb, &["add", &y, "a1", "--to", "alice"]);
    task(&sb, &["add", &y, "none"]);
    let day1 = "2026-11-03T09:00:00Z";
    sb.tix(["task", "done", &y, "1"]).now(day1).ok();
    sb.tix(["task", "done", &y, "3"]).now(day1).ok();
    let agents: Vec<Value> =
        serde_json::from_str(&sb.tix(["agent", "list", "--format", "json"]).now(day1).ok())
            .unwrap();
    let open: Vec<(&str, u64)> = agents
        .iter()
        .map(|a| {
            (
                a["handle"].as_str().unwrap(),
                a["open_tasks"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(open, [("alice", 1), ("bob", 2)]);
    let table = sb.tix(["agent", "list", "--format", "tsv"]).now(day1).ok();
    assert!(
        table.starts_with("handle\tname\temail\troles\tactive\ttasks\tavailable\n"),
        "{table}"
    );
    let day3 = "2026-11-05T09:00:00Z";
    let report: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "agents",
            "--format",
            "json",
            "--since",
            "2026-11-01",
        ])
        .now(day3)
        .ok(),
    )
    .unwrap();
    let counts: Vec<(&str, u64, u64, u64)> = report["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["agent"].as_str().unwrap(),
                a["tasks_open"].as_u64().unwrap(),
                a["tasks_done"].as_u64().unwrap(),
                a["tasks_overdue"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, [("alice", 1, 1, 0), ("bob", 2, 1, 1)]);
    // A period that ended before the tasks were done counts none done.
    let before: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "agents",
            "--format",
            "json",
            "--since",
            "2026-10-01",
            "--until",
            "2026-11-03",
        ])
        .now(day3)
        .ok(),
    )
    .unwrap();
    assert_eq!(before["agents"][1]["tasks_done"], 0);
}

#[test]
fn closing_with_open_tasks_warns_or_is_refused() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer");
    task(&sb, &["add", &id, "One"]);
    task(&sb, &["add", &id, "Two"]);
    task(&sb, &["done", &id, "1"]);
    sb.tix(["close", &id]).now(T0).run().code(0).stderr_has(&[
        &id,
        "1 open task (2)",
        "closed with them still open",
    ]);
    assert_eq!(sb.ticket(&id)["status"], "closed");
    // Its open task is still listed, on the closed ticket.
    assert_eq!(listed(&sb, &[], T0).len(), 1);
    sb.change_with(sb.tix(["reopen", &id]).now(T0));
    sb.set_config("tasks", "{refuse_close_with_open: true}");
    let before = sb.commit_count();
    sb.tix(["close", &id]).now(T0).fails(6).stderr_has(&[
        "1 open task (2)",
        "cannot be closed",
        "tix task done",
    ]);
    sb.tix(["status", &id, "closed"]).now(T0).fails(6);
    assert_eq!(sb.commit_count(), before);
    task(&sb, &["done", &id, "2"]);
    sb.change_with(sb.tix(["close", &id]).now(T0));
    assert_eq!(sb.ticket(&id)["status"], "closed");
}

/// A ticket closed before a report's period still has its open task
/// counted: the task is open work now, whatever the ticket's status.
#[test]
fn an_open_task_of_a_ticket_closed_before_the_period_counts() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = create(&sb, "Printer");
    task(&sb, &["add", &id, "Send the invoice", "--to", "bob"]);
    sb.tix(["close", &id]).now(T0).ok();
    let report: Value = serde_json::from_str(
        &sb.tix([
            "report",
            "agents",
            "--format",
            "json",
            "--since",
            "2026-11-20",
        ])
        .now("2026-11-25T09:00:00Z")
        .ok(),
    )
    .unwrap();
    assert_eq!(report["agents"][1]["agent"], "bob");
    assert_eq!(report["agents"][1]["tasks_open"], 1, "{report:#}");
}

/// The file of the first entry of `kind` in ticket `id`'s trail.
fn entry_file(sb: &Sandbox, id: &str, kind: &str) -> String {
    sb.entries(id)
        .into_iter()
        .find(|e| e["kind"] == kind)
        .and_then(|e| e["entry_file"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("ticket {id} has no {kind}"))
}

/// `task add --from ENTRY` takes the entry's first line as the text
/// unless one is given, records the entry (named by a unique start of
/// its file name), and says so in `show` and `tasks`; an entry that is
/// not a message, reply or note, or none, is refused naming it.
#[test]
fn a_task_is_made_from_a_message_and_names_it() {
    let sb = Sandbox::init();
    let id = create(&sb, "Printer");
    let long = "x".repeat(300);
    sb.change_with(
        sb.tix([
            "comment",
            &id,
            "-m",
            "\n  Order toner cartridges\nfor the third floor.\n",
        ])
        .now(T0),
    );
    sb.change_with(sb.tix(["comment", &id, "-m", &long]).now(T0));
    let entries = sb.entries(&id);
    let notes: Vec<String> = entries
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["entry_file"].as_str().unwrap().to_string())
        .collect();
    let (toner, long_note) = (&notes[0], &notes[1]);
    // A unique start of the file name is enough (up to its random tag).
    let start = &toner[..toner.len() - "-note.md".len()];
    task(&sb, &["add", &id, "--from", start]);
    task(&sb, &["add", &id, "--from", long_note]);
    task(&sb, &["add", &id, "Call the vendor", "--from", toner]);
    let open = open_tasks(&sb, &id);
    assert_eq!(open[0]["text"], "Order toner cartridges");
    assert_eq!(open[0]["from"], toner.as_str());
    let cut = open[1]["text"].as_str().unwrap();
    assert_eq!(cut.chars().count(), 200, "{cut}");
    assert!(cut.ends_with('…'), "{cut}");
    assert_eq!(open[2]["text"], "Call the vendor");
    assert_eq!(open[2]["from"], toner.as_str());
    let add = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "task-add")
        .unwrap();
    assert_eq!(add["from"], toner.as_str());
    let text = sb.tix(["show", &id]).now(T0).ok();
    assert!(
        text.contains(&format!("1. Order toner cartridges  (from {toner})")),
        "{text}"
    );
    let listed = listed(&sb, &[], T0);
    assert_eq!(listed[0]["from"], toner.as_str());

    let created = entry_file(&sb, &id, "created");
    sb.tix(["task", "add", &id, "--from", &created])
        .now(T0)
        .fails(6)
        .stderr_has(&[&created, "`created`", "message, reply or note"]);
    sb.tix(["task", "add", &id, "--from", "nope"])
        .now(T0)
        .fails(3)
        .stderr_has(&["nope", &id]);
    sb.tix(["task", "add", &id]).now(T0).fails(2);
    assert_eq!(open_tasks(&sb, &id).len(), 3);
}

/// Open tasks of `bob` by `agent list`.
fn bobs_open_tasks(sb: &Sandbox) -> u64 {
    let agents: Vec<Value> =
        serde_json::from_str(&sb.tix(["agent", "list", "--format", "json"]).now(T0).ok()).unwrap();
    agents
        .iter()
        .find(|a| a["handle"] == "bob")
        .and_then(|a| a["open_tasks"].as_u64())
        .unwrap()
}

/// A merged ticket's tasks stay its own: `show TARGET` and `tasks` list
/// them with the target (the source named), they are changed by the
/// source's id (the one change besides an unmerge a merged ticket
/// takes), a new task on the source is refused naming the target, and
/// an unmerge leaves them where they were.
#[test]
fn a_merged_tickets_tasks_are_listed_with_the_target_and_worked_by_their_own_id() {
    let sb = Sandbox::init();
    sb.add_bob();
    let source = create(&sb, "Printer (duplicate)");
    let target = create(&sb, "Printer");
    task(&sb, &["add", &source, "Order toner", "--to", "bob"]);
    task(&sb, &["add", &source, "Call back"]);
    task(&sb, &["add", &target, "Check the queue"]);
    sb.change_with(sb.tix(["merge", &source, "into", &target]).now(T0));
    assert_eq!(bobs_open_tasks(&sb), 1);

    let show = sb.show(&target);
    let merged = show["merged_open_tasks"].as_array().unwrap();
    let of: Vec<(&str, u64, &str)> = merged
        .iter()
        .map(|t| {
            (
                t["ticket"].as_str().unwrap(),
                t["number"].as_u64().unwrap(),
                t["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        of,
        [
            (source.as_str(), 1, "Order toner"),
            (source.as_str(), 2, "Call back")
        ]
    );
    assert_eq!(show["open_tasks"].as_array().unwrap().len(), 1);
    let text = sb.tix(["show", &target]).now(T0).ok();
    assert!(text.contains("  1. Check the queue"), "{text}");
    assert!(
        text.contains(&format!("  {source} 1. Order toner  [bob]")),
        "{text}"
    );
    let listed = listed(&sb, &[], T0);
    let of_source: Vec<&Value> = listed
        .iter()
        .filter(|t| t["ticket"] == source.as_str())
        .collect();
    assert_eq!(of_source.len(), 2, "{listed:#?}");
    assert!(
        of_source
            .iter()
            .all(|t| t["merged_into"] == target.as_str())
    );

    // Worked by the source's id; it applies there.
    let out = sb.tix(["task", "done", &source, "1"]).now(T0).ok();
    assert!(out.contains("task 1 done"), "{out}");
    let t = sb.ticket(&source);
    assert!(t["tasks"][0]["done_at"].is_string(), "{t:#}");
    assert!(t["warnings"].as_array().unwrap().is_empty(), "{t:#}");
    assert_eq!(bobs_open_tasks(&sb), 0);
    sb.tix(["task", "assign", &source, "2", "bob"]).now(T0).ok();
    assert_eq!(bobs_open_tasks(&sb), 1);
    let merged = sb.show(&target)["merged_open_tasks"].clone();
    assert_eq!(merged.as_array().unwrap().len(), 1, "{merged:#}");
    assert_eq!(merged[0]["assignee"], "bob");

    // New work goes on the target.
    sb.tix(["task", "add", &source, "More"])
        .now(T0)
        .fails(6)
        .stderr_has(&[&source, &target]);
    // Other changes to the pointer are still refused.
    sb.tix(["comment", &source, "-m", "x"]).now(T0).fails(6);

    sb.change_with(sb.tix(["unmerge", &source]).now(T0));
    assert_eq!(open_tasks(&sb, &source).len(), 1);
    assert_eq!(sb.show(&target)["merged_open_tasks"], serde_json::json!([]));
    sb.tix(["check"]).now(T0).ok();
    sb.assert_clean();
}
