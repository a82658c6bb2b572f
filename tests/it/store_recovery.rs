//! The store stays writable and honest after what a crash, a stray git
//! lock, a damaged cache or a hostile committed file leaves behind.

use std::time::{Duration, Instant};

use crate::common::Sandbox;

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

/// A killed git command can leave `.git/HEAD.lock` too: tix's own commit
/// does not need it, but every `git commit` or `git checkout` fails on it,
/// and `tix check` says the next write removes it, so it must.
#[test]
fn an_old_head_lock_is_removed_by_the_next_write_as_check_says() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let lock = sb.dir.join(".git/HEAD.lock");
    std::fs::write(&lock, "").unwrap();
    age(&sb, &lock, 3600);
    sb.tix(["check"]).fails(10).stdout_has(&[
        "stale git lock",
        "HEAD.lock",
        "the next tix write removes it",
    ]);
    let run = sb.tix(["comment", &id, "-m", "x"]).run().code(0);
    assert!(run.stderr.contains("HEAD.lock"), "{}", run.stderr);
    assert!(!lock.exists(), "HEAD.lock is still there");
    sb.git(["commit", "-q", "--allow-empty", "-m", "a git user's commit"]);
    sb.ok(["check"]);
}

/// A lock on a branch tix does not move is no business of tix's: it is
/// left alone and not reported.
#[test]
fn a_lock_on_another_branch_is_left_alone() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    sb.git(["branch", "other"]);
    let lock = sb.dir.join(".git/refs/heads/other.lock");
    std::fs::write(&lock, "").unwrap();
    age(&sb, &lock, 3600);
    sb.change(["comment", &id, "-m", "x"]);
    assert!(lock.exists());
    sb.ok(["check"]);
}

/// An MTA must not be told to retry for ever because of a dead lock.
#[test]
fn import_eml_is_not_stuck_on_a_stale_ref_lock() {
    let Some(mail) = crate::common::corpus::file("apache-spamassassin/t/data/nice/007") else {
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

/// `touch .git/index.lock`, two writes that cannot update git's index,
/// the lock gone, a third write: git's index must then match HEAD for
/// every file, not only the third write's (note "one" used to stay a
/// staged deletion plus an untracked file, and `git commit -a` deleted it).
fn stale_index_lock_then_recovery(split: bool) {
    let sb = Sandbox::init();
    let run = |args: &[&str]| {
        let mut t = sb.tix(args);
        if split {
            t = t.env("TIX_SPLIT_INDEX_AT", "1");
        }
        t.run()
    };
    let id = sb.create("Printer offline");
    if split {
        run(&["comment", &id, "-m", "make the index split"]).code(0);
        assert!(
            std::fs::read_dir(sb.dir.join(".git"))
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex.")),
            "the index did not become split"
        );
    }
    let lock = sb.dir.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let one = run(&["comment", &id, "-m", "one"]).code(0);
    assert!(one.stderr.contains("index"), "{}", one.stderr);
    run(&["comment", &id, "-m", "two"]).code(0);
    assert!(lock.exists(), "an index.lock tix did not make was removed");
    // Old enough for check to call it stale; what it says about the
    // index itself does not depend on that.
    age(&sb, &lock, 60);
    sb.tix(["check"]).fails(10).stdout_has(&[
        "index.lock",
        "git's index differs from HEAD",
        "staged deletion",
    ]);
    std::fs::remove_file(&lock).unwrap();
    run(&["comment", &id, "-m", "three"]).code(0);
    sb.assert_clean();
    assert_eq!(sb.git(["diff", "--cached", "--name-status", "HEAD"]), "");
    assert!(!sb.dir.join(".git/tix-checkout").exists());
    sb.ok(["check"]);
    // What a routine `git commit -a` would do now loses nothing.
    let r = sb.git_run_in(&sb.dir, ["commit", "-q", "-a", "-m", "routine"]);
    assert_ne!(
        r.code, 0,
        "git commit -a found something to commit: {}",
        r.stdout
    );
    let bodies: Vec<String> = sb
        .entries(&id)
        .iter()
        .map(|e| e["body"].as_str().unwrap_or("").to_string())
        .collect();
    for text in ["one", "two", "three"] {
        assert!(
            bodies.iter().any(|b| b == text),
            "{text} missing: {bodies:?}"
        );
    }
}

#[test]
fn a_stale_index_lock_leaves_git_index_in_step_after_the_next_write() {
    stale_index_lock_then_recovery(false);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn a_stale_index_lock_leaves_a_split_index_in_step_after_the_next_write() {
    stale_index_lock_then_recovery(true);
}

/// A staged deletion made behind tix's back, with no failed write to
/// explain it, is reported with the way to undo it.
#[test]
fn check_reports_a_store_file_missing_from_git_index() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let dir = sb.ticket_dir(&id);
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".md"))
        .unwrap();
    let rel = format!("tickets/{}/{id}/{name}", &id[..2]);
    sb.git(["rm", "-q", "--cached", &rel]);
    sb.tix(["check"])
        .fails(10)
        .stdout_has(&[&rel, "staged deletion", "git reset"]);
}

/// git's index truncated to nothing (a full disk, a crash of another
/// tool) or overwritten: writes still commit, and `tix check` names the
/// file and how to rebuild it, as a problem found (exit 10), not an
/// internal error.
#[test]
fn check_reports_an_empty_or_damaged_git_index_with_the_fix() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let index = sb.dir.join(".git/index");
    for damage in [&b""[..], &b"DIRC\0\0\0\x02garbage"[..]] {
        std::fs::write(&index, damage).unwrap();
        let before = sb.commit_count();
        sb.tix(["comment", &id, "-m", "still recorded"])
            .run()
            .code(0);
        assert_eq!(sb.commit_count(), before + 1);
        sb.tix(["check"]).fails(10).stdout_has(&[
            "git's index",
            index.to_str().unwrap(),
            "git reset -q",
        ]);
    }
    std::fs::remove_file(&index).unwrap();
    sb.git(["reset", "-q"]);
    sb.ok(["check"]);
    sb.assert_clean();
}

/// Flips the first byte of `needle` in `bytes` to `to`.
fn flip(bytes: &mut [u8], needle: &[u8], to: u8) {
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the index holds the subject");
    bytes[at] = to;
}

fn summary_path(sb: &Sandbox) -> std::path::PathBuf {
    sb.dir.join(".git/tix/index/summary.bin")
}

/// A byte flipped in a subject inside the saved list index: the file still
/// decodes, so without a checksum `tix list` served the damage.
#[test]
fn a_damaged_index_file_is_rebuilt_not_served() {
    let sb = Sandbox::init();
    sb.create("Printer offline");
    sb.create("Scanner jammed");
    assert!(sb.ok(["list"]).contains("Printer offline"));
    let path = summary_path(&sb);
    let mut bytes = std::fs::read(&path).unwrap();
    flip(&mut bytes, b"Printer offline", b'Q');
    std::fs::write(&path, &bytes).unwrap();
    let out = sb.ok(["list"]);
    assert!(out.contains("Printer offline"), "{out}");
    assert!(!out.contains("Qrinter"), "{out}");
    assert!(
        !std::fs::read(&path)
            .unwrap()
            .windows(7)
            .any(|w| w == b"Qrinter")
    );
}

/// Damage that even passes the checksum (here: the checksum recomputed)
/// is what `tix check` is for: it compares the index with the store,
/// says so, and rebuilds it.
#[test]
fn check_compares_the_index_with_the_store_and_rebuilds_it() {
    let sb = Sandbox::init();
    sb.create("Printer offline");
    sb.ok(["list"]);
    let path = summary_path(&sb);
    let mut bytes = std::fs::read(&path).unwrap();
    flip(&mut bytes, b"Printer offline", b'Q');
    // Header: 4 bytes of magic, then the CRC-32 of the rest.
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[8..]);
    bytes[4..8].copy_from_slice(&crc.sum().to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    assert!(
        sb.ok(["list"]).contains("Qrinter offline"),
        "the test did not fool the checksum"
    );
    sb.tix(["check"]).run().code(0).stdout_has(&[
        "derived index",
        "disagreed with the store",
        "rebuilt",
    ]);
    let out = sb.ok(["list"]);
    assert!(
        out.contains("Printer offline") && !out.contains("Qrinter"),
        "{out}"
    );
    let again = sb.ok(["check"]);
    assert!(!again.contains("derived index"), "{again}");
}

/// A tix killed while writing git's index leaves `index.lock` and its
/// marker (the state reproduced here): the next write knows the lock for
/// its own, removes it, and brings the index in step.
#[test]
fn an_index_lock_left_by_a_killed_tix_is_removed_by_the_next_write() {
    let sb = Sandbox::init();
    let id = sb.create("Printer offline");
    let git = sb.dir.join(".git");
    std::fs::write(git.join("tix-index-write"), "pid 1\n").unwrap();
    std::fs::write(git.join("index.lock"), "half an index").unwrap();
    let run = sb.tix(["comment", &id, "-m", "x"]).run().code(0);
    assert!(run.stderr.contains("index.lock"), "{}", run.stderr);
    assert!(!git.join("index.lock").exists());
    assert!(!git.join("tix-index-write").exists());
    sb.assert_clean();
    sb.ok(["check"]);
}
