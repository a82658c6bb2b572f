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
