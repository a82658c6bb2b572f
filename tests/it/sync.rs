//! `tix sync` against real bare remotes with real git: merging clones,
//! many clones syncing at once, what it refuses and how it fails.

use std::path::{Path, PathBuf};

use crate::common::Sandbox;

/// A bare `origin.git`, and the sandbox's store dir as clone A holding a
/// store (agents alice and bob) already pushed.
fn team() -> Sandbox {
    let sb = Sandbox::new();
    let root = sb.root();
    sb.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "store"]);
    sb.ok(["init"]);
    sb.add_bob();
    sb.tix(["sync"]).ok();
    sb
}

fn clone(sb: &Sandbox, name: &str) -> PathBuf {
    sb.git_in(&sb.root(), ["clone", "-q", "origin.git", name]);
    sb.root().join(name)
}

fn head_in(sb: &Sandbox, dir: &Path) -> String {
    sb.git_in(dir, ["rev-parse", "HEAD"]).trim().to_string()
}

fn list_all(sb: &Sandbox, dir: &Path) -> String {
    sb.tix(["list", "--all", "--format", "json"])
        .in_dir(dir)
        .ok()
}

fn create_in(sb: &Sandbox, dir: &Path, subject: &str, who: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann <ann@example.com>",
            "--subject",
            subject,
            "-m",
            "Please help",
            "--as",
            who,
        ])
        .in_dir(dir),
    )
}

/// Everything git and tix can see of a clone: refs, HEAD, status, list.
fn snapshot(sb: &Sandbox, dir: &Path) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        sb.git_in(dir, ["for-each-ref"]),
        head_in(sb, dir),
        sb.git_in(dir, ["status", "--porcelain", "--untracked-files=all"]),
        list_all(sb, dir)
    )
}

#[test]
fn two_clones_merge_and_each_hears_what_the_other_did() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    let shared = create_in(&sb, &a, "Shared", "alice");
    sb.tix(["sync"]).ok();
    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();

    // Offline on both sides: A comments, B assigns the ticket to alice and
    // opens one of its own.
    sb.ok(["comment", &shared, "-m", "Looking at it"]);
    sb.tix(["assign", &shared, "alice", "--as", "bob"])
        .in_dir(&b)
        .ok();
    let bobs = create_in(&sb, &b, "Bob's own", "bob");

    let out = sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    assert!(out.contains("nothing came in; pushed 2 commits"), "{out}");

    let out = sb.tix(["sync"]).ok();
    assert!(
        out.contains("merged 2 commits (2 entries on 2 tickets)"),
        "{out}"
    );
    assert!(out.contains("Changed by others:"), "{out}");
    assert!(
        out.contains(&format!("{bobs}  1 entry  Bob's own")),
        "{out}"
    );
    assert!(
        out.contains(&format!("Newly assigned to you:\n  {shared}  Shared")),
        "{out}"
    );
    // A merge commit, never a rebase: it records who synced.
    let log = sb.git(["log", "-1", "--format=%P%n%an%n%s"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0].split(' ').count(), 2, "a merge commit: {log}");
    assert_eq!(lines[1], "Alice Admin");
    assert_eq!(
        lines[2],
        "tix sync: merge origin/main (synced by Alice Admin)"
    );
    sb.assert_clean();

    let out = sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    assert!(out.contains("fast-forwarded over 2 commits"), "{out}");
    assert!(!out.contains("Newly assigned to you"), "{out}");
    assert_eq!(head_in(&sb, &a), head_in(&sb, &b));
    assert_eq!(list_all(&sb, &a), list_all(&sb, &b));
    sb.assert_clean_in(&b);

    // The summary in JSON, for scripts.
    let json: serde_json::Value =
        serde_json::from_str(&sb.ok(["sync", "--format", "json"])).unwrap();
    assert_eq!(json["how"], "up-to-date");
    assert_eq!(json["pushed"], false);
}

#[test]
fn three_clones_end_identical() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    let c = clone(&sb, "c");
    let shared = create_in(&sb, &a, "Shared", "alice");
    sb.ok(["sync"]);
    for round in 0..2 {
        for (dir, who) in [(&a, "alice"), (&b, "bob"), (&c, "alice")] {
            sb.tix(["sync", "--as", who]).in_dir(dir).ok();
            sb.tix([
                "comment",
                &shared,
                "-m",
                &format!("round {round}"),
                "--as",
                who,
            ])
            .in_dir(dir)
            .ok();
            create_in(&sb, dir, &format!("{who} {round}"), who);
        }
    }
    for _ in 0..2 {
        for dir in [&a, &b, &c] {
            sb.tix(["sync"]).in_dir(dir).ok();
        }
    }
    let expected = list_all(&sb, &a);
    assert_eq!(list_all(&sb, &b), expected);
    assert_eq!(list_all(&sb, &c), expected);
    let entries = sb.show(&shared)["entries"].as_array().unwrap().len();
    assert_eq!(entries, 1 + 6, "created and six comments");
    for dir in [&a, &b, &c] {
        sb.assert_clean_in(dir);
    }
}

#[test]
fn ten_clones_syncing_at_once_all_succeed_and_lose_nothing() {
    const CLONES: usize = 10;
    let sb = team();
    let shared = create_in(&sb, &sb.dir, "Shared", "alice");
    sb.ok(["sync"]);
    let dirs: Vec<PathBuf> = (0..CLONES).map(|i| clone(&sb, &format!("c{i}"))).collect();
    for (i, dir) in dirs.iter().enumerate() {
        sb.tix(["comment", &shared, "-m", &format!("from clone {i}")])
            .in_dir(dir)
            .ok();
        create_in(&sb, dir, &format!("clone {i}"), "bob");
    }
    let runs: Vec<crate::common::Run> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .iter()
            .map(|dir| {
                let sb = &sb;
                s.spawn(move || sb.tix(["sync"]).in_dir(dir).run())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in runs {
        run.code(0);
    }
    // Everyone pushed; one more round brings everyone everything.
    for dir in &dirs {
        sb.tix(["sync"]).in_dir(dir).ok();
    }
    let fresh = clone(&sb, "fresh");
    let expected = list_all(&sb, &fresh);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&expected).unwrap();
    assert_eq!(
        listed.len(),
        1 + CLONES,
        "the shared ticket and one per clone"
    );
    for dir in &dirs {
        assert_eq!(list_all(&sb, dir), expected, "{}", dir.display());
        sb.assert_clean_in(dir);
    }
    let trail = sb.show_in(&fresh, &shared);
    let comments = trail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .count();
    assert_eq!(comments, CLONES, "{trail}");
}

#[test]
fn a_conflict_in_the_config_aborts_the_merge_and_leaves_the_clone_as_it_was() {
    let sb = team();
    let b = clone(&sb, "b");
    let edit = |dir: &Path, name: &str| {
        let path = dir.join(".tix/config.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen("name: Alice Admin", &format!("name: {name}"), 1);
        std::fs::write(&path, text).unwrap();
        sb.git_in(dir, ["commit", "-q", "-am", &format!("config: {name}")]);
    };
    edit(&sb.dir, "Alice A");
    sb.ok(["sync"]);
    edit(&b, "Alice B");
    let before = snapshot(&sb, &b);
    sb.tix(["sync"]).in_dir(&b).fails(6).stderr_has(&[
        ".tix/config.yaml",
        "aborted",
        "git merge origin/main",
    ]);
    assert_eq!(snapshot(&sb, &b), before);
    assert!(!b.join(".git/MERGE_HEAD").exists());
    // And tix goes on working there.
    create_in(&sb, &b, "Still works", "alice");
}

#[test]
fn an_unreachable_remote_and_refused_credentials_have_their_own_exit_codes() {
    let sb = team();
    let before = snapshot(&sb, &sb.dir);
    sb.git(["remote", "set-url", "origin", "/nonexistent/desk.git"]);
    sb.tix(["sync"])
        .fails(13)
        .stderr_has(&["cannot be reached", "origin"]);
    // ssh that refuses the key, as a server would.
    sb.git([
        "remote",
        "set-url",
        "origin",
        "ssh://git@desk.example/desk.git",
    ]);
    let refuse = "sh -c 'echo \"git@desk.example: Permission denied (publickey).\" >&2; exit 255'";
    sb.tix(["sync"])
        .env("GIT_SSH_COMMAND", refuse)
        .fails(14)
        .stderr_has(&["refused the credentials", "Permission denied"]);
    let unknown_host = "sh -c 'echo \"ssh: Could not resolve hostname desk.example: Name or service not known\" >&2; exit 255'";
    sb.tix(["sync"])
        .env("GIT_SSH_COMMAND", unknown_host)
        .fails(13);
    sb.git(["remote", "set-url", "origin", "../origin.git"]);
    assert_eq!(snapshot(&sb, &sb.dir), before);
}

#[test]
fn without_a_remote_sync_says_so() {
    let sb = Sandbox::init();
    sb.tix(["sync"])
        .fails(3)
        .stderr_has(&["no git remote is configured", "git remote add origin"]);
    sb.tix(["sync", "upstream"])
        .fails(3)
        .stderr_has(&["no git remote `upstream`"]);
}

#[test]
fn a_dry_run_shows_what_would_come_and_go_and_changes_nothing() {
    let sb = team();
    let b = clone(&sb, "b");
    create_in(&sb, &b, "From B", "bob");
    sb.tix(["sync"]).in_dir(&b).ok();
    create_in(&sb, &sb.dir, "From A", "alice");
    let origin = sb.root().join("origin.git");
    let origin_refs = sb.git_in(&origin, ["for-each-ref"]);
    let before = snapshot(&sb, &sb.dir);
    let out = sb.ok(["sync", "--dry-run"]);
    assert!(
        out.contains(
            "would bring in 1 commit (1 entry on 1 ticket) and send 1 commit (1 entry); a merge"
        ),
        "{out}"
    );
    assert!(out.contains("From B"), "{out}");
    assert_eq!(snapshot(&sb, &sb.dir), before);
    assert_eq!(sb.git_in(&origin, ["for-each-ref"]), origin_refs);
}

#[test]
fn sync_refuses_during_a_rebase_and_on_a_detached_head() {
    let sb = team();
    create_in(&sb, &sb.dir, "One", "alice");
    // A rebase stopped at an `exec` that failed: still in progress.
    sb.git_run_in(&sb.dir, ["rebase", "-q", "-x", "false", "HEAD~1"]);
    assert!(sb.dir.join(".git/rebase-merge").exists());
    let before = sb.head();
    sb.tix(["sync"])
        .fails(8)
        .stderr_has(&["a rebase is in progress", "git rebase --abort"]);
    sb.git(["rebase", "--abort"]);
    assert_eq!(sb.head(), before);
    sb.git(["checkout", "-q", "--detach"]);
    sb.tix(["sync"]).fails(8).stderr_has(&["HEAD is detached"]);
}

#[test]
fn sync_names_entries_a_lock_cancelled_and_agents_over_max_active() {
    let sb = team();
    sb.set_config("assignment", "rule: none\nmax_active: 1");
    let one = create_in(&sb, &sb.dir, "One", "alice");
    let two = create_in(&sb, &sb.dir, "Two", "alice");
    let three = create_in(&sb, &sb.dir, "Three", "alice");
    sb.ok(["sync"]);
    let b = clone(&sb, "b");
    // Offline: A assigns one to bob and closes and locks two; B assigns
    // three to bob (each within max_active alone) and keeps commenting on
    // two.
    sb.ok(["assign", &one, "bob"]);
    sb.tix(["close", &two, "--lock", "-m", "Done"])
        .now("2030-01-01T10:00:00Z")
        .ok();
    sb.tix(["assign", &three, "bob", "--as", "bob"])
        .in_dir(&b)
        .now("2030-01-01T11:00:00Z")
        .ok();
    for n in 0..2 {
        sb.tix(["comment", &two, "-m", &format!("note {n}"), "--as", "bob"])
            .in_dir(&b)
            .now("2030-01-01T11:00:00Z")
            .ok();
    }
    sb.ok(["sync"]);
    let out = sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    assert!(
        out.contains("Cancelled by a lock (kept in the trail, not applied):"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{two}  note by bob: arrived after the ticket was locked by alice"
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "Over assignment.max_active after the merge:\n  bob has 2 active tickets (max_active 1)"
        ),
        "{out}"
    );
}

#[test]
fn log_leaves_out_the_merges_sync_makes_and_keeps_every_entrys_commit() {
    let sb = team();
    let b = clone(&sb, "b");
    let id = create_in(&sb, &sb.dir, "Shared", "alice");
    sb.ok(["sync"]);
    sb.tix(["sync"]).in_dir(&b).ok();
    sb.ok(["comment", &id, "-m", "from A"]);
    sb.tix(["comment", &id, "-m", "from B", "--as", "bob"])
        .in_dir(&b)
        .ok();
    sb.tix(["sync"]).in_dir(&b).ok();
    sb.ok(["sync"]);
    assert!(
        sb.git(["log", "-1", "--format=%s"])
            .starts_with("tix sync: merge")
    );
    let log = sb.ok(["log", &id]);
    assert_eq!(log.lines().count(), 3, "created and two notes:\n{log}");
    assert!(!log.contains("tix sync"), "{log}");
    assert!(log.contains("Alice Admin") && log.contains("bob"), "{log}");
}

/// The same message imported on two clones: the sync that brings the
/// other's copy in says it was folded, not that ids collided.
#[test]
fn sync_reports_copies_it_folded_not_collisions() {
    let sb = team();
    let b = clone(&sb, "b");
    let message = b"From: Carol <carol@example.org>\nTo: support@example.com\n\
Subject: Printer\nMessage-ID: <twice@example.org>\n\
Date: Mon, 2 Mar 2026 08:00:00 +0000\n\nIt is offline.\n";
    for dir in [&sb.dir, &b] {
        sb.tix(["import", "eml"])
            .in_dir(dir)
            .stdin(message.to_vec())
            .ok();
    }
    sb.tix(["sync"]).in_dir(&b).ok();
    let out = sb.tix(["sync", "--format", "json"]).ok();
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let folded = report["folded"].as_array().unwrap();
    let kinds: Vec<&str> = folded.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"created") && kinds.contains(&"message"),
        "{report:#}"
    );
    assert_eq!(report["collisions"], serde_json::json!([]), "{report:#}");
    let text = sb.tix(["sync"]).in_dir(&b).ok();
    assert!(!text.contains("Collisions"), "{text}");
}

/// Bob answers on his clone; Alice, after syncing, is told before her
/// reply repeats his, and not once the customer has written again.
#[test]
fn a_reply_warns_when_someone_else_already_answered_what_came_in_with_sync() {
    let sb = team();
    let b = clone(&sb, "b");
    let id = create_in(&sb, &sb.dir, "Printer", "alice");
    sb.tix(["sync"]).ok();
    sb.tix(["sync"]).in_dir(&b).ok();
    sb.tix(["reply", &id, "-m", "Restart it", "--as", "bob"])
        .in_dir(&b)
        .ok();
    sb.tix(["sync"]).in_dir(&b).ok();
    sb.tix(["sync"]).ok();
    sb.tix(["reply", &id, "-m", "Try restarting"])
        .run()
        .code(0)
        .stderr_has(&["bob already answered ticket", &id]);
    // Her own reply is the last word now: no warning for her next one.
    let again = sb.tix(["reply", &id, "-m", "Any news?"]).run().code(0);
    assert!(
        !again.stderr.contains("already answered"),
        "{}",
        again.stderr
    );
}
