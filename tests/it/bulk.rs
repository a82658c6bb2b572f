//! Changing several tickets at once: ids as `ID,ID` or on standard input
//! (`-`, as `tix list --format ids` prints them), every ticket checked
//! first, one commit, a line per ticket.

use crate::common::Sandbox;

fn tickets(sb: &Sandbox, n: usize) -> Vec<String> {
    (0..n).map(|i| sb.create(&format!("Spam {i}"))).collect()
}

fn stdin_ids(ids: &[String]) -> String {
    let mut s = String::from("# from tix list\n\n");
    for id in ids {
        s.push_str(id);
        s.push('\n');
    }
    s
}

#[test]
fn fifty_ids_from_standard_input_close_in_one_commit() {
    let sb = Sandbox::init();
    let ids = tickets(&sb, 50);
    sb.change(["tag", &ids[..50].join(","), "spam"]);
    let listed = sb.tix(["list", "--tag", "spam", "--format", "ids"]).ok();
    assert_eq!(listed.lines().count(), 50);
    let before = sb.commit_count();
    let out = sb
        .tix(["close", "-", "--yes", "-m", "spam"])
        .stdin(listed.into_bytes())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 50, "{}", out.stdout);
    assert!(
        out.stderr.contains("50 tickets changed in one commit"),
        "{}",
        out.stderr
    );
    assert_eq!(sb.commit_count(), before + 1);
    sb.assert_clean();
    assert!(sb.list_ids(["list"]).is_empty(), "all closed");
    for id in &ids {
        assert_eq!(sb.ticket(id)["status"], "closed");
    }
    // Again: nothing to change, no commit.
    let again = sb
        .tix(["close", "-", "--yes"])
        .stdin(stdin_ids(&ids).into_bytes())
        .run();
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(sb.commit_count(), before + 1);
    assert!(again.stderr.contains("no commit"), "{}", again.stderr);
}

#[test]
fn one_locked_or_unknown_ticket_writes_nothing_unless_skipped() {
    let sb = Sandbox::init();
    let ids = tickets(&sb, 5);
    sb.change(["close", &ids[2], "--lock", "--yes"]);
    let before = sb.commit_count();
    sb.tix(["priority", &ids.join(","), "high"])
        .fails(5)
        .stderr_has(&["nothing written", &ids[2], "locked", "--skip-invalid"]);
    assert_eq!(sb.commit_count(), before);
    for id in &ids {
        assert_eq!(sb.ticket(id)["priority"], "normal");
    }
    // An id that names no ticket: refused before anything is planned.
    sb.tix(["priority", &format!("{},ZZZZZZZZ", ids[0]), "high"])
        .fails(3)
        .stderr_has(&["ZZZZZZZZ", "nothing written"]);
    assert_eq!(sb.commit_count(), before);
    // --skip-invalid: the others change, in one commit, the locked one is
    // reported.
    let out = sb
        .tix(["priority", "-", "high", "--skip-invalid"])
        .stdin(stdin_ids(&ids).into_bytes())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("skipped {}", ids[2])),
        "{}",
        out.stderr
    );
    assert_eq!(sb.commit_count(), before + 1);
    for (n, id) in ids.iter().enumerate() {
        let want = if n == 2 { "normal" } else { "high" };
        assert_eq!(sb.ticket(id)["priority"], want, "{id}");
    }
    sb.assert_clean();
}

#[test]
fn every_write_command_takes_several_ids() {
    let sb = Sandbox::init();
    sb.add_bob();
    let ids = tickets(&sb, 3);
    let all = ids.join(",");
    let before = sb.commit_count();
    for args in [
        vec!["assign", all.as_str(), "bob"],
        vec!["tag", all.as_str(), "a", "b"],
        vec!["untag", all.as_str(), "b"],
        vec!["status", all.as_str(), "pending"],
        vec!["comment", all.as_str(), "-m", "bulk note"],
        vec!["snooze", all.as_str(), "--until", "2d"],
        vec!["status", all.as_str(), "closed"],
        vec!["reopen", all.as_str()],
    ] {
        let run = sb.tix(args.clone()).run();
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    assert_eq!(sb.commit_count(), before + 8, "one commit per command");
    for id in &ids {
        let t = sb.ticket(id);
        assert_eq!(t["assignee"], "bob");
        assert_eq!(t["tags"], serde_json::json!(["a"]));
        assert_eq!(t["status"], "open");
        assert_eq!(t["notes"], 1);
    }
    sb.tix(["close", "-"])
        .stdin("")
        .fails(6)
        .stderr_has(&["no ticket ids"]);
    // Standard input is bounded before it is read: one endless line is
    // refused, not held in memory.
    sb.tix(["close", "-"])
        .stdin(vec![b'A'; 2 << 20])
        .fails(6)
        .stderr_has(&["bytes of ticket ids"]);
    assert_eq!(sb.commit_count(), before + 8);
}

#[test]
fn rules_fire_on_each_ticket_of_a_bulk_change() {
    let sb = Sandbox::init();
    sb.set_config(
        "rules",
        "[{name: spam closes, on: tag, if: {tag: spam}, do: [{status: closed}]}]",
    );
    let ids = tickets(&sb, 3);
    let before = sb.commit_count();
    sb.change(["tag", &ids.join(","), "spam"]);
    assert_eq!(sb.commit_count(), before + 1);
    for id in &ids {
        assert_eq!(sb.ticket(id)["status"], "closed", "{id}");
    }
}
