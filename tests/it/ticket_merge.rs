//! Resolutions, merging duplicates (`tix merge SOURCE into TARGET`,
//! `tix unmerge`) and splitting a new problem off a ticket (`tix split`):
//! what `show` (text and JSON, public or not) and `list` make of them, the
//! rules for merged, locked and missing tickets, chains and cycles, and
//! two clones merging concurrently, in either order of `git pull`.

use std::path::{Path, PathBuf};

use crate::common::{Sandbox, kinds};
use serde_json::Value;

fn create_for(sb: &Sandbox, customer: &str, subject: &str, now: &str) -> String {
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            customer,
            "--subject",
            subject,
            "-m",
            &format!("Request: {subject}"),
        ])
        .now(now),
    )
}

fn emails(parties: &Value) -> Vec<String> {
    parties
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap().to_string())
        .collect()
}

/// The trail's entries as (kind, origin) pairs, origin empty for the
/// ticket's own.
fn trail(entries: &[Value]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["origin"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, o)| (k.to_string(), o.to_string()))
        .collect()
}

/// Ann's ticket (the target) and Bob's duplicate with Carol in Cc, a
/// note and a message on it, at known times.
fn duplicates(sb: &Sandbox) -> (String, String) {
    let target = create_for(
        sb,
        "Ann <ann@example.com>",
        "Printer shows error 42",
        "2026-03-01T10:00:00Z",
    );
    let source = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Bob <bob@example.org>",
            "--cc",
            "carol@example.net",
            "--subject",
            "Error 42 on the printer",
            "-m",
            "Same here",
        ])
        .now("2026-03-01T11:00:00Z"),
    );
    sb.tix(["comment", &source, "-m", "Internal: floor 2"])
        .now("2026-03-01T12:00:00Z")
        .ok();
    sb.tix(["reply", &target, "-m", "Looking into it"])
        .now("2026-03-01T13:00:00Z")
        .ok();
    (target, source)
}

#[test]
fn a_merge_shows_both_trails_on_the_target_and_leaves_a_closed_pointer() {
    let sb = Sandbox::init();
    let (target, source) = duplicates(&sb);
    sb.change_with(
        sb.tix(["merge", &source, "into", &target])
            .now("2026-03-01T14:00:00Z"),
    );

    let shown = sb.show(&target);
    let t = &shown["ticket"];
    assert_eq!(
        t["customer"]["email"], "ann@example.com",
        "the target's customer stays"
    );
    assert_eq!(emails(&t["cc"]), ["bob@example.org", "carol@example.net"]);
    assert_eq!(
        t["merged_from"][&source],
        serde_json::json!(["bob@example.org", "carol@example.net"])
    );
    let entries = shown["entries"].as_array().unwrap();
    assert_eq!(
        trail(entries),
        pairs(&[
            ("created", ""),
            ("created", &source),
            ("note", &source),
            ("reply", ""),
            ("status", ""),
            ("merge", ""),
        ])
    );

    // The customer's view leaves out the source's note as it does the
    // target's own.
    let public: Value =
        serde_json::from_str(&sb.ok(["show", &target, "--public", "--format", "json"])).unwrap();
    let public = trail(public["entries"].as_array().unwrap());
    assert!(
        public.contains(&("created".to_string(), source.clone())),
        "{public:?}"
    );
    assert!(
        !public.iter().any(|(k, _)| k == "note" || k == "merge"),
        "{public:?}"
    );

    let text = sb.ok(["show", &target]);
    assert!(text.contains(&format!("merged from: {source}")), "{text}");
    assert!(
        text.contains(&format!("[{source}]  INTERNAL NOTE")),
        "{text}"
    );

    let pointer = sb.show(&source);
    assert_eq!(pointer["ticket"]["status"], "closed");
    assert_eq!(pointer["ticket"]["merged_into"], target.as_str());
    assert_eq!(
        kinds(pointer["entries"].as_array().unwrap()),
        ["created", "note", "merge"]
    );
    let text = sb.ok(["show", &source]);
    assert!(
        text.contains(&format!(
            "merged into {target}: this ticket is a closed pointer"
        )),
        "{text}"
    );

    // The list: the pointer is closed, so only the target is open.
    assert_eq!(sb.list_ids(["list"]), [target.as_str()]);
    let all = sb.list_json(["list", "--all"]);
    let row = all.iter().find(|r| r["id"] == source.as_str()).unwrap();
    assert_eq!(row["status"], "closed");

    let log = sb.git(["log", "-1", "--format=%s"]);
    assert_eq!(
        log.trim(),
        format!("tix: merge {source} into {target}: 2 changes to 2 tickets")
    );
}

#[test]
fn a_merged_ticket_refuses_changes_naming_the_target() {
    let sb = Sandbox::init();
    let (target, source) = duplicates(&sb);
    sb.change(["merge", &source, "into", &target]);
    let before = sb.commit_count();
    for args in [
        vec!["comment", source.as_str(), "-m", "x"],
        vec!["reply", source.as_str(), "-m", "x"],
        vec!["reopen", source.as_str()],
        vec!["tag", source.as_str(), "x"],
        vec!["split", source.as_str(), "--entries", "x"],
    ] {
        sb.tix(&args).fails(6).stderr_has(&[
            &format!("merged into {target}"),
            &format!("tix unmerge {source}"),
        ]);
    }
    sb.tix(["merge", &source, "into", &target])
        .fails(6)
        .stderr_has(&["merged into", "already"]);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn unmerge_gives_both_tickets_back_as_they_were() {
    let sb = Sandbox::init();
    let (target, source) = duplicates(&sb);
    sb.change(["status", &source, "pending"]);
    let target_before = sb.ticket(&target);
    let source_before = sb.ticket(&source);
    sb.change(["merge", &source, "into", &target]);
    sb.change(["unmerge", &source]);
    let target_after = sb.ticket(&target);
    let source_after = sb.ticket(&source);
    for key in [
        "status",
        "customer",
        "cc",
        "merged_from",
        "merged_into",
        "reopened",
        "closed_at",
    ] {
        assert_eq!(target_after[key], target_before[key], "target {key}");
        assert_eq!(source_after[key], source_before[key], "source {key}");
    }
    assert_eq!(source_after["status"], "pending");
    assert!(sb.entries(&target).iter().all(|e| e["origin"].is_null()));
    // Nothing was deleted: both entries of both are there.
    let source_kinds = kinds(&sb.entries(&source));
    assert_eq!(source_kinds[source_kinds.len() - 2..], ["merge", "unmerge"]);
    sb.ok(["comment", &source, "-m", "writable again"]);
    sb.tix(["unmerge", &source])
        .fails(6)
        .stderr_has(&["not merged"]);
    sb.ok(["check"]);
}

#[test]
fn merge_wants_into_two_tickets_that_exist_and_differ() {
    let sb = Sandbox::init();
    let (target, source) = duplicates(&sb);
    let before = sb.commit_count();
    sb.tix(["merge", &source, "onto", &target])
        .fails(2)
        .stderr_has(&["`into`", "tix merge SOURCE into TARGET"]);
    sb.tix(["merge", &source, &target]).fails(2);
    sb.tix(["merge", &source, "into", &source])
        .fails(2)
        .stderr_has(&["into itself"]);
    sb.tix(["merge", &source, "into", "ZZZZZZZZ"]).fails(3);
    sb.tix(["merge", "ZZZZZZZZ", "into", &target]).fails(3);
    sb.tix(["unmerge", "ZZZZZZZZ"]).fails(3);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn chains_of_merges_resolve_to_their_end_and_a_cycle_is_refused() {
    let sb = Sandbox::init();
    let a = create_for(&sb, "a@example.com", "First", "2026-03-01T10:00:00Z");
    let b = create_for(&sb, "b@example.com", "Second", "2026-03-01T11:00:00Z");
    let c = create_for(&sb, "c@example.com", "Third", "2026-03-01T12:00:00Z");
    let d = create_for(&sb, "d@example.com", "Fourth", "2026-03-01T13:00:00Z");
    sb.change_with(
        sb.tix(["merge", &a, "into", &b])
            .now("2026-03-02T10:00:00Z"),
    );
    sb.change_with(
        sb.tix(["merge", &b, "into", &c])
            .now("2026-03-02T11:00:00Z"),
    );
    let shown = sb.entries(&c);
    let created: Vec<(String, String)> = trail(&shown)
        .into_iter()
        .filter(|(k, _)| k == "created")
        .collect();
    assert_eq!(
        created,
        pairs(&[("created", &a), ("created", &b), ("created", "")])
    );
    // Merging into a pointer merges into the end of its chain.
    sb.tix(["merge", &d, "into", &a])
        .now("2026-03-02T12:00:00Z")
        .run()
        .code(0)
        .stderr_has(&[&format!("{a} was merged into {c} already")]);
    assert_eq!(sb.ticket(&d)["merged_into"], c.as_str());
    assert!(sb.ticket(&c)["merged_from"][&d].is_array());
    // C's chain leads nowhere back to A, but A's leads to C: C into A
    // would go round.
    let before = sb.commit_count();
    sb.tix(["merge", &c, "into", &a])
        .fails(6)
        .stderr_has(&["go round"]);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn a_locked_ticket_is_neither_merged_nor_merged_into() {
    let sb = Sandbox::init();
    let (target, source) = duplicates(&sb);
    sb.change(["lock", &target, "-m", "Legal hold"]);
    let before = sb.commit_count();
    sb.tix(["merge", &source, "into", &target])
        .fails(5)
        .stderr_has(&["locked"]);
    sb.tix(["merge", &target, "into", &source])
        .fails(5)
        .stderr_has(&["locked"]);
    assert_eq!(sb.commit_count(), before);
    // Unmerging a ticket locked since its merge waits for the unlock too.
    sb.change(["unlock", &target, "-m", "Released"]);
    sb.change(["merge", &source, "into", &target]);
    sb.change(["lock", &target, "-m", "Again"]);
    sb.tix(["unmerge", &source]).fails(5);
}

#[test]
fn a_resolution_is_recorded_with_the_close_or_on_its_own_and_shown() {
    let sb = Sandbox::init();
    let id = sb.create("Printer");
    let before = sb.commit_count();
    sb.ok(["close", &id, "--resolution", "-m", "Firmware 2.1 fixes it"]);
    assert_eq!(
        sb.commit_count(),
        before + 1,
        "the close and its resolution in one commit"
    );
    let shown = sb.show(&id);
    assert_eq!(shown["ticket"]["status"], "closed");
    assert_eq!(shown["ticket"]["resolution"], "Firmware 2.1 fixes it");
    let last = shown["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "resolution");
    let close = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "close")
        .unwrap()
        .clone();
    assert_eq!(
        close["body"], "",
        "the text is the resolution, not an internal close note"
    );
    // Public: the customer sees the resolution.
    let public = sb.ok(["show", &id, "--public"]);
    assert!(
        public.contains("RESOLUTION") && public.contains("Firmware 2.1 fixes it"),
        "{public}"
    );
    assert!(
        sb.ok(["show", &id])
            .contains("resolution: Firmware 2.1 fixes it")
    );
    // A later one replaces it.
    sb.change(["resolution", &id, "-m", "Firmware 2.2, really"]);
    assert_eq!(sb.ticket(&id)["resolution"], "Firmware 2.2, really");
    sb.tix(["close", &id, "--resolution"]).fails(2);
    sb.tix(["resolution", "ZZZZZZZZ", "-m", "x"]).fails(3);
}

#[test]
fn a_split_starts_a_ticket_showing_the_chosen_entries_by_reference() {
    let sb = Sandbox::init();
    let old = create_for(
        &sb,
        "Ann <ann@example.com>",
        "Printer",
        "2026-03-01T10:00:00Z",
    );
    sb.tix(["reply", &old, "-m", "Fixed the printer"])
        .now("2026-03-01T11:00:00Z")
        .ok();
    sb.tix(["comment", &old, "-m", "Ann also asks about the scanner"])
        .now("2026-03-01T12:00:00Z")
        .ok();
    sb.tix(["reply", &old, "-m", "About the scanner: which model?"])
        .now("2026-03-01T13:00:00Z")
        .ok();
    let entries = sb.entries(&old);
    let note = entries.iter().find(|e| e["kind"] == "note").unwrap()["entry_file"]
        .as_str()
        .unwrap()
        .to_string();
    let status = entries.iter().find(|e| e["kind"] == "status").unwrap()["entry_file"]
        .as_str()
        .unwrap()
        .to_string();

    let out = sb.change_with(
        sb.tix(["split", &old, "--from", &note[..20], "--subject", "Scanner"])
            .now("2026-03-01T14:00:00Z"),
    );
    // Piped, a split prints the new ticket's id alone, as create does.
    let new = out.trim().to_string();
    assert!(
        new.len() == 8 && new.chars().all(|c| c.is_ascii_alphanumeric()),
        "{out:?}"
    );
    let shown = sb.show(&new);
    assert_eq!(shown["ticket"]["subject"], "Scanner");
    assert_eq!(shown["ticket"]["customer"]["email"], "ann@example.com");
    assert_eq!(shown["ticket"]["split_from"]["ticket"], old.as_str());
    assert_eq!(
        trail(shown["entries"].as_array().unwrap()),
        pairs(&[
            ("note", &old),
            ("reply", &old),
            ("created", ""),
            ("split", ""),
            ("link", "")
        ])
    );
    let reply = shown["entries"].as_array().unwrap()[1].clone();
    assert_eq!(reply["body"], "About the scanner: which model?");
    // Not copied: the new ticket's directory holds no such text.
    let store = sb.dir.join("tickets");
    let copies = crate::common::files_under(&store)
        .into_iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("which model?")))
        .count();
    assert_eq!(copies, 1);
    // The old ticket keeps them, marked, and links back from the new one.
    assert_eq!(sb.ticket(&old)["split_off"][&note], new.as_str());
    let text = sb.ok(["show", &old]);
    assert!(
        text.contains(&format!("split off: continues on {new}")),
        "{text}"
    );
    assert!(text.contains(&format!("link: related {new}")), "{text}");

    // --entries, and what a split does not take.
    let first_reply = entries.iter().find(|e| e["kind"] == "reply").unwrap()["entry_file"]
        .as_str()
        .unwrap()
        .to_string();
    let before = sb.commit_count();
    sb.tix(["split", &old, "--entries", &status])
        .fails(6)
        .stderr_has(&["a split takes messages"]);
    sb.tix(["split", &old, "--entries", &note])
        .fails(6)
        .stderr_has(&["split off to"]);
    sb.tix(["split", &old, "--entries", "nosuchentry"]).fails(3);
    sb.tix(["split", &old]).fails(2);
    assert_eq!(sb.commit_count(), before);
    let out = sb.change(["split", &old, "--entries", &first_reply, "--format", "text"]);
    assert!(
        out.contains(&format!(" split from {old} (1 entry): ")),
        "{out}"
    );
    let second = out.split_whitespace().next().unwrap().to_string();
    assert_eq!(
        sb.ticket(&second)["subject"],
        "Split from ".to_string() + &old + ": Printer"
    );
    assert_eq!(
        trail(&sb.entries(&second))[0],
        ("reply".to_string(), old.clone())
    );
    sb.ok(["check"]);
}

// ---------------------------------------------------------------------------
// Two clones

/// A bare origin and two clones; A made the store and two tickets.
struct Clones {
    sb: Sandbox,
    a: PathBuf,
    b: PathBuf,
    x: String,
    y: String,
    z: String,
}

fn clones() -> Clones {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
    let make = |customer: &str, subject: &str, now: &str| {
        sb.create_with(
            sb.tix([
                "create",
                "--customer",
                customer,
                "--subject",
                subject,
                "-m",
                subject,
            ])
            .in_dir(&a)
            .now(now),
        )
    };
    let x = make("x@example.com", "Ticket X", "2026-03-01T10:00:00Z");
    let y = make("y@example.com", "Ticket Y", "2026-03-01T10:01:00Z");
    let z = make("z@example.com", "Ticket Z", "2026-03-01T10:02:00Z");
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    Clones { sb, a, b, x, y, z }
}

impl Clones {
    fn tix_in(&self, dir: &Path, args: &[&str], now: &str) {
        self.sb.tix(args).in_dir(dir).now(now).ok();
    }

    /// `first` pushes, the other pulls (a merge) and pushes, `first` pulls.
    fn sync(&self, first: &Path) {
        let second = if first == self.a { &self.b } else { &self.a };
        let sb = &self.sb;
        sb.git_in(first, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(second, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
        sb.git_in(second, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(first, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
    }

    /// Both clones show `id` alike; returns the show.
    fn agree(&self, id: &str) -> Value {
        let in_a = self.sb.show_in(&self.a, id);
        let in_b = self.sb.show_in(&self.b, id);
        assert_eq!(in_a, in_b, "the clones disagree on {id}");
        in_a
    }
}

/// Clone A merges X into Y; clone B, not having seen it, merges Y into X
/// a minute later. Whichever clone pulls the other's work, the earlier
/// merge stands on both tickets and the later is shown not applied.
#[test]
fn merges_made_both_ways_on_two_clones_fold_the_same_in_either_pull_order() {
    for a_pushes_first in [true, false] {
        let c = clones();
        let (x, y) = (c.x.as_str(), c.y.as_str());
        c.tix_in(&c.a, &["merge", x, "into", y], "2026-03-02T10:00:00Z");
        c.tix_in(&c.b, &["merge", y, "into", x], "2026-03-02T10:01:00Z");
        c.sync(if a_pushes_first { &c.a } else { &c.b });
        let sx = c.agree(x);
        let sy = c.agree(y);
        assert_eq!(
            sx["ticket"]["merged_into"], y,
            "a_pushes_first={a_pushes_first}"
        );
        assert_eq!(sx["ticket"]["status"], "closed");
        assert!(sy["ticket"]["merged_into"].is_null());
        assert_ne!(sy["ticket"]["status"], "closed");
        assert!(sy["ticket"]["merged_from"][x].is_array());
        let refused: Vec<&Value> = sy["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "merge" && e["origin"].is_null())
            .filter(|e| e["not_applied"].is_string())
            .collect();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0]["source"], y);
        c.sb.tix(["check"]).in_dir(&c.a).ok();
    }
}

/// Clone A merges X into Y, clone B merges X into Z later: X points to Y
/// on both, and Z shows B's merge as not applied, without X's trail.
#[test]
fn one_ticket_merged_into_two_on_two_clones_points_to_the_first_in_either_pull_order() {
    for a_pushes_first in [true, false] {
        let c = clones();
        let (x, y, z) = (c.x.as_str(), c.y.as_str(), c.z.as_str());
        c.tix_in(&c.a, &["merge", x, "into", y], "2026-03-02T10:00:00Z");
        c.tix_in(&c.b, &["merge", x, "into", z], "2026-03-02T10:01:00Z");
        c.sync(if a_pushes_first { &c.a } else { &c.b });
        let sx = c.agree(x);
        let sy = c.agree(y);
        let sz = c.agree(z);
        assert_eq!(sx["ticket"]["merged_into"], y);
        assert!(
            sy["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["origin"] == x)
        );
        assert!(
            !sz["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["origin"] == x)
        );
        let merge = sz["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "merge")
            .unwrap()
            .clone();
        assert!(
            merge["not_applied"]
                .as_str()
                .unwrap()
                .contains(&format!("merged into {y}")),
            "{merge:#}"
        );
        // Z's merge is kept but not applied; its twin on X is there, so
        // check has nothing to say about it.
        let run = c.sb.tix(["check"]).in_dir(&c.a).run().code(0);
        assert!(!run.stdout.contains("error:"), "{}", run.stdout);
    }
}

/// Readers follow a chain of merges 8 deep: a merge that would make a
/// longer one is refused, and the end of the longest shows every trail.
#[test]
fn a_chain_of_merges_longer_than_readers_follow_is_not_made() {
    let sb = Sandbox::init();
    let ids: Vec<String> = (0..10)
        .map(|i| {
            create_for(
                &sb,
                &format!("c{i}@example.com"),
                &format!("Ticket {i}"),
                &format!("2026-03-01T10:0{i}:00Z"),
            )
        })
        .collect();
    for i in 0..8 {
        sb.change(["merge", &ids[i], "into", &ids[i + 1]]);
    }
    let before = sb.commit_count();
    sb.tix(["merge", &ids[8], "into", &ids[9]])
        .fails(6)
        .stderr_has(&["a chain of 9 merges", "at most 8"]);
    assert_eq!(sb.commit_count(), before);
    let run = sb.tix(["show", &ids[8], "--format", "json"]).run().code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let shown: Value = serde_json::from_str(&run.stdout).unwrap();
    let origins: Vec<&str> = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "created")
        .map(|e| e["origin"].as_str().unwrap_or("own"))
        .collect();
    let mut expected: Vec<&str> = ids[..8].iter().map(String::as_str).collect();
    expected.push("own");
    assert_eq!(origins, expected);
}
