//! Several tix processes at once, and the store lock.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Sandbox, TIX};

#[test]
fn eight_concurrent_comments_all_land_as_eight_commits() {
    let sb = Sandbox::init();
    let id = sb.create("Busy ticket");
    let before = sb.commit_count();

    let children: Vec<Child> = (0..8)
        .map(|n| {
            sb.std_command(TIX)
                .args(["comment", &id, "-m", &format!("note {n}")])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("tix starts")
        })
        .collect();
    for (n, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "comment {n} failed ({:?}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let show = sb.show(&id);
    assert_eq!(show["ticket"]["notes"], 8);
    let entries = show["entries"].as_array().unwrap();
    let notes: Vec<_> = entries.iter().filter(|e| e["kind"] == "note").collect();
    assert_eq!(notes.len(), 8);
    let bodies: BTreeSet<String> = notes
        .iter()
        .map(|e| e["body"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = (0..8).map(|n| format!("note {n}")).collect();
    assert_eq!(bodies, expected);
    // Each writer saw every earlier one: the seqs are 2..=9.
    let seqs: Vec<u64> = notes.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (2..=9).collect::<Vec<_>>());

    assert_eq!(sb.commit_count(), before + 8);
    let subjects = sb.git(["log", "-8", "--format=%s"]);
    assert!(
        subjects.lines().all(|s| s == format!("tix: comment {id}")),
        "{subjects}"
    );
    // A straight line of commits, no merges, nothing lost.
    assert_eq!(sb.git(["rev-list", "--merges", "HEAD"]), "");
    sb.ok(["check"]);
    sb.assert_clean();
}

#[test]
fn concurrent_creates_and_changes_on_several_tickets() {
    let sb = Sandbox::init();
    let a = sb.create("A");
    let b = sb.create("B");
    let before = sb.commit_count();
    let jobs: Vec<Vec<String>> = vec![
        vec![
            "create".into(),
            "--customer".into(),
            "c1@example.com".into(),
            "--subject".into(),
            "C1".into(),
        ],
        vec![
            "create".into(),
            "--customer".into(),
            "c2@example.com".into(),
            "--subject".into(),
            "C2".into(),
        ],
        vec!["tag".into(), a.clone(), "x".into()],
        vec!["tag".into(), a.clone(), "y".into()],
        vec!["priority".into(), b.clone(), "high".into()],
        vec!["reply".into(), b.clone(), "-m".into(), "r".into()],
        vec!["assign".into(), a.clone(), "me".into()],
        vec!["comment".into(), b.clone(), "-m".into(), "c".into()],
    ];
    let children: Vec<Child> = jobs
        .iter()
        .map(|args| {
            sb.std_command(TIX)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (args, child) in jobs.iter().zip(children) {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "tix {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(sb.commit_count(), before + 8);
    let ta = sb.ticket(&a);
    assert_eq!(ta["tags"], serde_json::json!(["x", "y"]));
    assert_eq!(ta["assignee"], "alice");
    let tb = sb.ticket(&b);
    assert_eq!(tb["priority"], "high");
    assert_eq!(tb["status"], "open");
    assert_eq!(
        (tb["messages"].as_u64(), tb["notes"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(sb.list_ids(["list"]).len(), 4);
    sb.ok(["check"]);
    sb.assert_clean();
}

/// Holds the store lock with util-linux `flock` until `seconds` pass or the
/// process group is killed. Returns once the lock is held.
fn hold_lock(sb: &Sandbox, seconds: u32) -> Child {
    let lock = sb.dir.join(".git").join("tix.lock");
    let mut child = sb
        .std_command("flock")
        .arg(&lock)
        .args(["sh", "-c", &format!("echo locked; exec sleep {seconds}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("flock (util-linux) is installed");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked", "flock did not take the lock");
    child
}

#[test]
fn a_held_lock_makes_writers_busy_then_they_wait_for_it() {
    let sb = Sandbox::init();
    let id = sb.create("Contended");
    let before = sb.commit_count();

    let mut holder = hold_lock(&sb, 3);

    let started = Instant::now();
    let run = sb
        .tix(["comment", &id, "-m", "too impatient"])
        .env("TIX_LOCK_TIMEOUT", "0.5")
        .fails(8)
        .stderr_has(&["busy", "tix.lock"]);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(450) && waited < Duration::from_millis(2500),
        "gave up after {waited:?}, not about 0.5s"
    );
    assert!(run.stdout.is_empty());
    assert_eq!(sb.commit_count(), before);

    // Reading needs no lock.
    sb.tix(["list"]).env("TIX_LOCK_TIMEOUT", "0.1").ok();
    sb.tix(["show", &id]).env("TIX_LOCK_TIMEOUT", "0.1").ok();

    // Without a short timeout a writer waits for the holder and then works.
    assert!(
        holder.try_wait().unwrap().is_none(),
        "the holder ended early"
    );
    let started = Instant::now();
    sb.change(["comment", &id, "-m", "patient"]);
    let waited = started.elapsed();
    assert!(
        holder.try_wait().unwrap().is_some(),
        "tix wrote while the lock was still held"
    );
    assert!(
        waited >= Duration::from_millis(500),
        "did not wait for the lock ({waited:?})"
    );
    holder.wait().unwrap();
    assert_eq!(sb.commit_count(), before + 1);
    assert_eq!(sb.ticket(&id)["notes"], 1);
    assert_eq!(sb.entries(&id).last().unwrap()["body"], "patient");
    sb.ok(["check"]);
}

#[test]
fn a_lock_file_left_by_a_killed_process_blocks_nothing() {
    let sb = Sandbox::init();
    let id = sb.create("After a crash");
    let lock = sb.dir.join(".git").join("tix.lock");
    // What a tix that held the lock leaves in the file.
    std::fs::write(&lock, "pid 999999\n").unwrap();

    let mut holder = hold_lock(&sb, 60);
    sb.tix(["comment", &id, "-m", "blocked"])
        .env("TIX_LOCK_TIMEOUT", "0.2")
        .fails(8);
    // kill -9 the holder (flock and its sleep: the process group we made).
    let group = holder.id();
    let status = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .status()
        .unwrap();
    assert!(status.success(), "kill failed");
    holder.wait().unwrap();
    assert!(lock.exists(), "the lock file should be left behind");

    let started = Instant::now();
    sb.change_with(
        sb.tix(["comment", &id, "-m", "works at once"])
            .env("TIX_LOCK_TIMEOUT", "0.5"),
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    sb.change_with(
        sb.tix(["comment", &id, "-m", "and again"])
            .env("TIX_LOCK_TIMEOUT", "0"),
    );
    assert_eq!(sb.ticket(&id)["notes"], 2);
    sb.ok(["check"]);
}
