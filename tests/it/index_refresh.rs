//! The derived index after git moved HEAD under it (a pull of many
//! commits, a revert, a reset, a forced rewrite): brought up to date from
//! what changed, it answers exactly as an index rebuilt from scratch.
//! And reports read the summary and the facts file, not the shard files.

use std::path::{Path, PathBuf};

use crate::common::Sandbox;

const NOW: &str = "2026-01-20T00:00:00Z";
const SHARDS: &str = ".git/tix/index/shards";

/// What the index answers, in the order a first command after a pull
/// would ask: a report (facts refreshed first), the listing, more reports.
fn answers(sb: &Sandbox, dir: &Path) -> Vec<String> {
    let run = |args: &[&str]| sb.tix(args).in_dir(dir).now(NOW).ok();
    vec![
        run(&["report", "summary", "--since", "3650d", "--format", "json"]),
        run(&["list", "--all", "--format", "json"]),
        run(&["report", "agents", "--since", "3650d", "--format", "json"]),
        run(&["report", "sla", "--since", "3650d", "--format", "json"]),
        run(&[
            "report", "summary", "--since", "3650d", "--status", "open", "--format", "json",
        ]),
    ]
}

/// The answers of the index as HEAD's move left it equal the answers
/// after `tix reindex`.
#[track_caller]
fn assert_refresh_matches_rebuild(sb: &Sandbox, dir: &Path) -> Vec<String> {
    let refreshed = answers(sb, dir);
    sb.tix(["reindex"]).in_dir(dir).ok();
    let rebuilt = answers(sb, dir);
    assert_eq!(refreshed, rebuilt, "refreshed index differs from a rebuild");
    rebuilt
}

fn create_in(sb: &Sandbox, dir: &Path, n: usize) -> String {
    let out = sb
        .tix([
            "create",
            "--customer",
            &format!("Customer {n} <c{n}@example.com>"),
            "--subject",
            &format!("Request {n}"),
            "-m",
            "Please help",
        ])
        .in_dir(dir)
        .now(&format!("2026-01-{:02}T10:00:00Z", 1 + n % 15))
        .ok();
    out.trim().to_string()
}

fn tix_in(sb: &Sandbox, dir: &Path, when: &str, args: &[&str]) {
    sb.tix(args).in_dir(dir).now(when).ok();
}

/// A store with a few tickets and its index built, and a clone of it.
fn store_and_clone() -> (Sandbox, PathBuf, Vec<String>) {
    let sb = Sandbox::init();
    let dir = sb.dir.clone();
    let ids: Vec<String> = (0..6).map(|n| create_in(&sb, &dir, n)).collect();
    tix_in(
        &sb,
        &dir,
        "2026-01-16T09:00:00Z",
        &["reply", &ids[0], "-m", "On it"],
    );
    answers(&sb, &dir);
    sb.git_in(&sb.root(), ["clone", "-q", "store", "clone"]);
    let clone = sb.root().join("clone");
    (sb, clone, ids)
}

/// Many commits in the clone: new tickets, replies, closes, assignments.
fn work_in(sb: &Sandbox, clone: &Path, ids: &[String], from: usize) -> Vec<String> {
    let mut made = Vec::new();
    for n in from..from + 12 {
        made.push(create_in(sb, clone, n));
    }
    for (k, id) in ids.iter().chain(&made).enumerate() {
        let when = format!("2026-01-17T{:02}:00:00Z", k % 24);
        match k % 4 {
            0 => tix_in(sb, clone, &when, &["reply", id, "-m", "Try this"]),
            1 => tix_in(sb, clone, &when, &["close", id]),
            2 => tix_in(sb, clone, &when, &["comment", id, "-m", "Looking"]),
            _ => tix_in(sb, clone, &when, &["tag", id, "printer"]),
        }
    }
    made
}

fn pull(sb: &Sandbox, dir: &Path) {
    sb.git_in(dir, ["pull", "-q", "--no-rebase", "../clone", "main"]);
}

#[test]
fn a_pull_of_many_commits_refreshes_to_what_a_rebuild_gives() {
    let (sb, clone, ids) = store_and_clone();
    let dir = sb.dir.clone();
    let made = work_in(&sb, &clone, &ids, 100);
    pull(&sb, &dir);
    let after = assert_refresh_matches_rebuild(&sb, &dir);
    for id in &made {
        assert!(
            after[1].contains(id.as_str()),
            "{id} missing after the pull"
        );
    }

    // Reverting commits removes tickets (and shards) and undoes changes.
    let more = work_in(&sb, &clone, &ids, 200);
    let base = sb.git_in(&dir, ["rev-parse", "HEAD"]);
    answers(&sb, &dir);
    sb.git_in(&clone, ["revert", "--no-edit", "HEAD~20..HEAD~3"]);
    pull(&sb, &dir);
    let reverted = assert_refresh_matches_rebuild(&sb, &dir);
    let gone = more.iter().filter(|id| !reverted[1].contains(id.as_str()));
    assert!(gone.count() > 0, "the revert removed no ticket");

    // Back to an older commit: the indexed one is a descendant of HEAD.
    sb.git_in(&dir, ["reset", "-q", "--hard", base.trim()]);
    assert_refresh_matches_rebuild(&sb, &dir);
}

#[test]
fn the_index_follows_a_forced_rewrite_of_history() {
    let (sb, clone, ids) = store_and_clone();
    let dir = sb.dir.clone();
    work_in(&sb, &clone, &ids, 100);
    pull(&sb, &dir);
    answers(&sb, &dir);
    // The clone drops its last commits and makes others: the commit the
    // store's index was built at is no longer an ancestor of the new HEAD.
    sb.git_in(&clone, ["reset", "-q", "--hard", "HEAD~15"]);
    let made = work_in(&sb, &clone, &ids, 300);
    sb.git_in(&dir, ["fetch", "-q", "../clone", "main"]);
    let indexed = sb.git_in(&dir, ["rev-parse", "HEAD"]);
    sb.git_in(&dir, ["reset", "-q", "--hard", "FETCH_HEAD"]);
    let ancestor = sb
        .git_run_in(
            &dir,
            ["merge-base", "--is-ancestor", indexed.trim(), "HEAD"],
        )
        .code;
    assert_eq!(ancestor, 1, "the indexed commit should not be an ancestor");
    let after = assert_refresh_matches_rebuild(&sb, &dir);
    for id in &made {
        assert!(
            after[1].contains(id.as_str()),
            "{id} missing after the rewrite"
        );
    }
}

#[test]
fn reports_read_the_summary_and_facts_not_the_shard_files() {
    let (sb, clone, ids) = store_and_clone();
    let dir = sb.dir.clone();
    let before = answers(&sb, &dir);
    std::fs::remove_dir_all(dir.join(SHARDS)).unwrap();
    let run = |args: &[&str]| sb.tix(args).in_dir(&dir).now(NOW).ok();
    let report = |kind: &str| run(&["report", kind, "--since", "3650d", "--format", "json"]);
    assert_eq!(report("summary"), before[0]);
    assert_eq!(report("agents"), before[2]);
    assert_eq!(report("sla"), before[3]);
    assert!(
        !dir.join(SHARDS).exists(),
        "a report with the facts current read the shard files"
    );

    // After a pull, only the shards that changed are read again.
    work_in(&sb, &clone, &ids[..1], 100);
    pull(&sb, &dir);
    let changed: std::collections::BTreeSet<String> = sb
        .git_in(
            &dir,
            ["diff", "--name-only", "HEAD@{1}", "HEAD", "--", "tickets"],
        )
        .lines()
        .filter_map(|p| p.split('/').nth(1).map(str::to_string))
        .collect();
    report("summary");
    let read: std::collections::BTreeSet<String> = std::fs::read_dir(dir.join(SHARDS))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".bin", ""))
        .collect();
    assert_eq!(read, changed);
    assert_refresh_matches_rebuild(&sb, &dir);

    // Damaged facts are derived data: rebuilt, same answers.
    let facts = dir.join(".git/tix/index/facts.bin");
    let mut bytes = std::fs::read(&facts).expect("reports keep a facts file");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&facts, &bytes).unwrap();
    let again = answers(&sb, &dir);
    sb.tix(["reindex"]).in_dir(&dir).ok();
    assert_eq!(again, answers(&sb, &dir));
}
