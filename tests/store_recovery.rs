//! The store stays writable and honest after what a crash, a stray git
//! lock, a damaged cache or a hostile committed file leaves behind.

mod common;

use std::time::{Duration, Instant};

use common::Sandbox;

/// Commits `name` with `text` into the ticket's directory behind tix's
/// back, as a pull or a hand edit would.
fn commit_by_hand(sb: &Sandbox, id: &str, name: &str, text: &[u8]) -> String {
    let path = sb.ticket_dir(id).join(name);
    std::fs::write(&path, text).unwrap();
    let rel = path
        .strip_prefix(&sb.dir)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    sb.git(["add", &rel]);
    sb.git(["commit", "-q", "-m", "hand edit"]);
    rel
}

#[test]
fn a_deeply_nested_committed_entry_is_a_problem_found_quickly() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let depth = 200_000;
    let text = format!(
        "---\nformat: 1\nkind: note\nat: 2026-11-23T01:38:23.123456Z\nseq: 9\nauthor: alice\nx: {}{}\n---\nhi\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let rel = commit_by_hand(
        &sb,
        &id,
        "20261123T013823.123456Z-AAAAAA-note.md",
        text.as_bytes(),
    );

    let started = Instant::now();
    sb.tix(["check"])
        .fails(10)
        .stdout_has(&[&rel, "nests deeper than"]);
    sb.tix(["show", &id]).ok();
    // A write reads the ticket under the store lock: it must not hold it
    // for the minute the parser would take.
    sb.change(["comment", &id, "-m", "still writable"]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// The lock git takes on the store's branch (`main` in the sandbox).
fn branch_lock(sb: &Sandbox) -> std::path::PathBuf {
    sb.dir.join(".git/refs/heads/main.lock")
}

/// Makes a file look `seconds` old.
fn age(sb: &Sandbox, path: &std::path::Path, seconds: u32) {
    let st = sb
        .std_command("touch")
        .arg("-d")
        .arg(format!("{seconds} seconds ago"))
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success());
}

/// A ref lock a `kill -9` left: `touch` makes it fresh, so tix first waits
/// in case a git command is moving the branch, then takes it as stale.
#[test]
fn a_fresh_stale_ref_lock_is_waited_for_then_removed() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    std::fs::write(branch_lock(&sb), "").unwrap();
    let started = Instant::now();
    let run = sb.tix(["comment", &id, "-m", "x"]).run().code(0);
    assert!(
        run.stderr.contains("removed") && run.stderr.contains("main.lock"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() >= Duration::from_secs(2), "did not wait");
    assert!(!branch_lock(&sb).exists());
    sb.assert_clean();
    assert!(sb.last_commit().ends_with(&format!("tix: comment {id}")));
    sb.ok(["check"]);
}

#[test]
fn an_old_ref_lock_is_reported_by_check_and_removed_by_the_next_write() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let lock = branch_lock(&sb);
    std::fs::write(&lock, "").unwrap();
    age(&sb, &lock, 60);
    sb.tix(["check"])
        .fails(10)
        .stdout_has(&["stale git lock", "main.lock"]);
    let started = Instant::now();
    sb.change(["comment", &id, "-m", "x"]);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "waited for an old lock"
    );
    assert!(!lock.exists());
    sb.ok(["check"]);
}

/// An MTA must not be told to retry for ever because of a dead lock.
#[test]
fn import_eml_is_not_stuck_on_a_stale_ref_lock() {
    // The corpus sits beside the main checkout, a level further up from
    // a worktree.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = "shared/corpus/apache-spamassassin/t/data/nice/007";
    let Some(mail) = [root.join("..").join(file), root.join("../..").join(file)]
        .iter()
        .find_map(|p| std::fs::read(p).ok())
    else {
        println!("skipping: {file} not found");
        return;
    };
    let sb = Sandbox::init();
    sb.create("Something to have a branch");
    let lock = branch_lock(&sb);
    std::fs::write(&lock, "").unwrap();
    age(&sb, &lock, 60);
    sb.tix(["import", "eml"]).stdin(mail).ok();
    assert!(!lock.exists());
    sb.assert_clean();
    assert_eq!(sb.list_ids(["list"]).len(), 2);
}

/// A ref lock that keeps being renewed is someone's: tix leaves it, exits
/// 8 and says what to do, and writes nothing.
#[test]
fn a_ref_lock_in_use_is_left_alone_with_exit_8() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let lock = branch_lock(&sb);
    let head = sb.head();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let renew = {
        let (lock, stop) = (lock.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::fs::write(&lock, "").unwrap();
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    sb.tix(["comment", &id, "-m", "x"])
        .fails(8)
        .stderr_has(&["main.lock", "remove"]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    renew.join().unwrap();
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(sb.head(), head);
    sb.change(["comment", &id, "-m", "x"]);
}
