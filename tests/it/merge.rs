//! Two clones working offline on the same tickets, then merging with plain
//! `git pull`: no conflicts, nothing lost, the same state on both sides.

use std::path::{Path, PathBuf};

use crate::common::{Sandbox, files_under, kinds, sorted};
use serde_json::Value;

/// A bare origin and two clones of it: A made the store (agents alice and
/// bob, one ticket) and pushed; B cloned it afterwards.
struct Clones {
    sb: Sandbox,
    a: PathBuf,
    b: PathBuf,
    id: String,
}

fn clones() -> Clones {
    let sb = Sandbox::new();
    let root = sb.root();
    let a = sb.first_clone_of_origin("a");
    sb.tix(["agent", "add", "bob", "--email", "bob@example.com"])
        .in_dir(&a)
        .ok();
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann <ann@example.com>",
            "--subject",
            "Shared ticket",
            "-m",
            "Please help",
        ])
        .in_dir(&a),
    );
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    Clones { sb, a, b, id }
}

impl Clones {
    fn tix_a(&self, args: &[&str]) -> String {
        self.sb.tix(args).in_dir(&self.a).ok()
    }

    fn tix_b(&self, args: &[&str]) -> String {
        self.sb.tix(args).in_dir(&self.b).ok()
    }

    /// B pushes; A pulls (a merge) and pushes; B pulls (a fast-forward).
    fn sync(&self) {
        let sb = &self.sb;
        sb.git_in(&self.b, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(&self.a, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
        sb.git_in(&self.a, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(&self.b, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
        assert_eq!(
            sb.git_in(&self.a, ["rev-parse", "HEAD"]),
            sb.git_in(&self.b, ["rev-parse", "HEAD"])
        );
        for dir in [&self.a, &self.b] {
            assert_no_conflicts(sb, dir);
            sb.assert_clean_in(dir);
        }
    }

    fn show(&self, dir: &Path, id: &str) -> Value {
        self.sb.show_in(dir, id)
    }

    /// Asserts both clones report the same ticket, trail, list and a clean
    /// check; returns A's `show` of `id`.
    fn assert_agree(&self, id: &str) -> Value {
        let in_a = self.show(&self.a, id);
        let in_b = self.show(&self.b, id);
        assert_eq!(in_a["ticket"], in_b["ticket"], "the clones disagree");
        assert_eq!(in_a["entries"], in_b["entries"], "the trails differ");
        let list_a = self.tix_a(&["list", "--all", "--format", "json"]);
        let list_b = self.tix_b(&["list", "--all", "--format", "json"]);
        assert_eq!(
            serde_json::from_str::<Value>(&list_a).unwrap(),
            serde_json::from_str::<Value>(&list_b).unwrap()
        );
        assert_eq!(
            self.tix_a(&["show", id]),
            self.tix_b(&["show", id]),
            "the text trails differ"
        );
        self.tix_a(&["check"]);
        self.tix_b(&["check"]);
        in_a
    }
}

#[track_caller]
fn assert_no_conflicts(sb: &Sandbox, dir: &Path) {
    assert_eq!(
        sb.git_in(dir, ["diff", "--name-only", "--diff-filter=U"]),
        ""
    );
    for f in files_under(dir) {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
            "conflict markers in {}",
            f.display()
        );
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn offline_work_on_the_same_ticket_merges_without_conflict() {
    let c = clones();
    let id = c.id.as_str();
    // B reads the store from its clone.
    assert_eq!(c.show(&c.b, id)["ticket"]["subject"], "Shared ticket");

    // A, as alice.
    c.tix_a(&["reply", id, "-m", "Reply from A"]);
    c.tix_a(&["tag", id, "x"]);
    c.tix_a(&["assign", id, "bob"]);
    let new_a = c.tix_a(&[
        "create",
        "--customer",
        "zed@example.com",
        "--subject",
        "Made in A",
    ]);
    // B, as bob, at the same time.
    c.tix_b(&["comment", id, "-m", "Note from B", "--as", "bob"]);
    c.tix_b(&["tag", id, "y", "--as", "bob"]);
    c.tix_b(&["priority", id, "urgent", "--as", "bob"]);
    let new_b = c.tix_b(&[
        "create",
        "--customer",
        "yan@example.com",
        "--subject",
        "Made in B",
        "--as",
        "bob",
    ]);
    let (new_a, new_b) = (new_a.trim(), new_b.trim());
    assert_ne!(new_a, new_b);

    c.sync();
    // A's pull was a real merge.
    assert_ne!(c.sb.git_in(&c.a, ["rev-list", "--merges", "HEAD"]), "");
    let show = c.assert_agree(id);
    let t = &show["ticket"];
    assert_eq!(strings(&t["tags"]), ["x", "y"]);
    assert_eq!(t["priority"], "urgent");
    assert_eq!(t["assignee"], "bob");
    assert_eq!(t["status"], "open");
    assert_eq!(t["messages"], 1);
    assert_eq!(t["notes"], 1);
    assert_eq!(t["warnings"], serde_json::json!([]));

    // Every entry from both sides is in the trail.
    let entries = show["entries"].as_array().unwrap();
    let mut k = kinds(entries);
    k.sort();
    assert_eq!(
        k,
        [
            "assign", "created", "note", "priority", "reply", "status", "tags", "tags"
        ]
    );
    let bodies: Vec<&str> = entries
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert!(bodies.contains(&"Reply from A"));
    assert!(bodies.contains(&"Note from B"));
    let authors: Vec<&str> = entries
        .iter()
        .map(|e| e["author"].as_str().unwrap())
        .collect();
    assert_eq!(authors.iter().filter(|a| **a == "bob").count(), 3);
    // Each clone's files are on disk in the other.
    for e in entries {
        let file = e["entry_file"].as_str().unwrap();
        for dir in [&c.a, &c.b] {
            assert!(
                dir.join("tickets")
                    .join(&id[..2])
                    .join(id)
                    .join(file)
                    .is_file(),
                "{file} missing in {}",
                dir.display()
            );
        }
    }

    // Both new tickets are everywhere.
    let list: Value =
        serde_json::from_str(&c.tix_a(&["list", "--all", "--format", "json"])).unwrap();
    let mut ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut expected = vec![id, new_a, new_b];
    expected.sort();
    assert_eq!(ids, expected);
    c.assert_agree(new_a);
    c.assert_agree(new_b);

    // Work goes on after the merge, in both clones.
    c.tix_b(&["comment", id, "-m", "after the merge", "--as", "bob"]);
    c.tix_a(&["untag", id, "x"]);
    c.sync();
    let show = c.assert_agree(id);
    assert_eq!(strings(&show["ticket"]["tags"]), ["y"]);
    assert_eq!(show["ticket"]["notes"], 2);
    // The log of the ticket names commits from both clones.
    let log = c.tix_a(&["log", id]);
    assert!(log.contains(&format!("tix: comment {id}")), "{log}");
    assert!(log.contains(&format!("tix: reply {id}")), "{log}");
    assert!(log.contains("bob <bob@example.com>"), "{log}");
}

/// A locks the ticket while B, not knowing, comments on it. Returns the
/// agreed `show` and the positions of the lock and the comment in the
/// trail.
fn lock_against_comment(lock_at: Option<&str>, comment_at: Option<&str>) -> (Value, usize, usize) {
    let c = clones();
    let id = c.id.as_str();
    let mut lock = c.sb.tix(["lock", id, "-m", "legal hold"]).in_dir(&c.a);
    if let Some(at) = lock_at {
        lock = lock.now(at);
    }
    lock.ok();
    let mut comment =
        c.sb.tix(["comment", id, "-m", "Comment from B", "--as", "bob"])
            .in_dir(&c.b);
    if let Some(at) = comment_at {
        comment = comment.now(at);
    }
    comment.ok();

    c.sync();
    let show = c.assert_agree(id);
    let t = &show["ticket"];
    assert_eq!(t["locked"]["by"], "alice");
    let entries = show["entries"].as_array().unwrap();
    let lock_pos = entries.iter().position(|e| e["kind"] == "lock").unwrap();
    let note_pos = entries
        .iter()
        .position(|e| e["kind"] == "note")
        .expect("the comment is in the trail");
    assert_eq!(entries[note_pos]["body"], "Comment from B");
    // Both were written on top of the same state.
    assert_eq!(entries[lock_pos]["seq"], entries[note_pos]["seq"]);

    let note = &entries[note_pos];
    if note_pos > lock_pos {
        let why = note["not_applied"]
            .as_str()
            .expect("a comment after the lock is flagged not_applied");
        assert!(why.contains("locked"), "{why}");
        assert_eq!(t["notes"], 0);
        let warnings = strings(&t["warnings"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(note["entry_file"].as_str().unwrap()));
        let check = c.tix_a(&["check"]);
        assert!(check.contains("1 warnings"), "{check}");
    } else {
        assert!(note.get("not_applied").is_none(), "{note}");
        assert_eq!(t["notes"], 1);
        assert_eq!(t["warnings"], serde_json::json!([]));
    }
    assert!(entries[lock_pos].get("not_applied").is_none());

    // Either way, the merged ticket is locked in both clones.
    for dir in [&c.a, &c.b] {
        c.sb.tix(["comment", id, "-m", "more"])
            .in_dir(dir)
            .fails(5)
            .stderr_has(&["by alice"]);
    }
    (show, lock_pos, note_pos)
}

#[test]
fn a_lock_and_a_concurrent_comment_merge_the_same_way_in_both_clones() {
    // Real clocks: B commented after A locked.
    let (_, lock_pos, note_pos) = lock_against_comment(None, None);
    assert!(
        note_pos > lock_pos,
        "the later comment sorts after the lock"
    );
}

#[test]
fn a_comment_written_after_the_lock_is_kept_but_not_applied() {
    let (show, lock_pos, note_pos) =
        lock_against_comment(Some("2030-01-01T10:00:00Z"), Some("2030-01-01T10:05:00Z"));
    assert!(note_pos > lock_pos);
    assert!(show["entries"][note_pos]["not_applied"].is_string());
}

#[test]
fn a_comment_written_before_the_lock_applies() {
    let (show, lock_pos, note_pos) =
        lock_against_comment(Some("2030-01-01T10:05:00Z"), Some("2030-01-01T10:00:00Z"));
    assert!(note_pos < lock_pos);
    assert_eq!(show["ticket"]["notes"], 1);
}

/// Real messages of the corpus that open tickets (plain customer mail,
/// various charsets and structures), by path in the corpus.
fn corpus_messages(count: usize) -> Option<Vec<Vec<u8>>> {
    let dir = crate::common::corpus::dir()?;
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let picked: Vec<Vec<u8>> = index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() >= 5
                && cols[4] == "message"
                && matches!(cols[2], "plain" | "charset" | "multipart" | "attachment"))
            .then(|| cols[0].to_string())
        })
        .filter_map(|rel| std::fs::read(dir.join(rel)).ok())
        .take(count)
        .collect();
    assert!(picked.len() >= count / 2, "the corpus has too few messages");
    Some(picked)
}

/// Imports each message as the MTA would; 65 is a message refused (and
/// quarantined), which the corpus has a few of.
fn import_all(c: &Clones, dir: &Path, messages: &[Vec<u8>]) {
    for m in messages {
        let run =
            c.sb.tix(["import", "eml"])
                .in_dir(dir)
                .stdin(m.clone())
                .run();
        assert!(matches!(run.code, 0 | 65), "{}\n{}", run.stdout, run.stderr);
    }
}

/// The same mailbox imported on two clones, then merged: every ticket
/// looks exactly as if one clone had imported it, reports count each
/// message once, and `tix check` lists the copies as folded, not as
/// problems.
#[test]
fn the_same_mail_imported_on_two_clones_folds_to_one_import() {
    let c = clones();
    let Some(messages) = corpus_messages(24) else {
        return;
    };
    import_all(&c, &c.a, &messages);
    import_all(&c, &c.b, &messages);
    // The state of every ticket; `entries` counts the files, copies
    // included, so it is left out.
    let list = |dir: &Path| -> Value {
        let out =
            c.sb.tix(["list", "--all", "--format", "json"])
                .in_dir(dir)
                .ok();
        let mut v: Value = serde_json::from_str(&out).unwrap();
        for t in v.as_array_mut().unwrap() {
            t.as_object_mut().unwrap().remove("entries");
        }
        v
    };
    let report = |dir: &Path| {
        c.sb.tix([
            "report",
            "summary",
            "--since",
            "2000-01-01",
            "--format",
            "json",
        ])
        .in_dir(dir)
        .now("2030-01-01T00:00:00Z")
        .ok()
    };
    let alone = list(&c.a);
    let alone_report = report(&c.a);
    let tickets = alone.as_array().unwrap().len();
    assert!(tickets > 5, "only {tickets} tickets from the corpus");
    c.sync();
    // A imported first, so its entries stand and B's are the copies.
    assert!(
        list(&c.a) == alone,
        "the merged tickets differ from one import"
    );
    assert!(
        list(&c.b) == alone,
        "the merged tickets differ from one import"
    );
    assert_eq!(report(&c.a), alone_report);
    let check = c.sb.tix(["check"]).in_dir(&c.b).run().code(0);
    assert!(
        check.stdout.contains(", 0 warnings,") && check.stdout.contains("copies folded"),
        "{}",
        check.stdout
    );
    let folded = check
        .stdout
        .lines()
        .filter(|l| l.starts_with("folded: "))
        .count();
    assert!(folded >= 2 * (tickets - 1), "{}", check.stdout);
    // Every ticket but the one `clones` made by hand came by mail.
    for t in alone
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] != c.id.as_str())
    {
        let id = t["id"].as_str().unwrap();
        let show = c.show(&c.b, id);
        let copies: Vec<&Value> = show["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["copy_of"].is_string())
            .collect();
        assert!(!copies.is_empty(), "ticket {id} has no copies");
        assert!(copies.iter().all(|e| e["not_applied"].is_string()));
        let public =
            c.sb.tix(["show", id, "--public", "--format", "json"])
                .in_dir(&c.b)
                .ok();
        assert!(!public.contains("copy_of"), "{public}");
    }
}

/// `tix tick` run on two clones from the same state records the same
/// automatic actions twice; after the merge they count once and leave no
/// warning behind.
#[test]
fn tick_on_two_clones_records_its_actions_once_in_effect() {
    let c = clones();
    let config = c.a.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "auto_close:\n  pending_days: 2\n  message: \"Closing for now.\"\n  lock_after_days: 1\n",
    );
    std::fs::write(&config, text).unwrap();
    c.sb.git_in(&c.a, ["commit", "-qam", "auto-close"]);
    c.sb.tix(["status", &c.id, "pending"])
        .in_dir(&c.a)
        .now("2026-11-02T10:00:00Z")
        .ok();
    c.sb.git_in(&c.a, ["push", "-q", "origin", "HEAD"]);
    c.sb.git_run_in(&c.b, ["pull", "-q", "--no-rebase", "--no-edit"])
        .code(0);
    // Both clones close it from the same state, then both lock it.
    for at in ["2026-11-05T10:00:00Z", "2026-11-07T10:00:00Z"] {
        for dir in [&c.a, &c.b] {
            c.sb.tix(["tick"]).in_dir(dir).now(at).ok();
        }
        c.sync();
    }
    let show = c.show(&c.a, &c.id);
    assert_eq!(show["ticket"]["status"], "closed", "{show}");
    assert!(show["ticket"]["locked"].is_object(), "{show}");
    let entries = show["entries"].as_array().unwrap();
    let copied: Vec<&str> = entries
        .iter()
        .filter(|e| e["copy_of"].is_string())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        sorted(copied.iter().map(|k| k.to_string()).collect()),
        ["close", "lock", "reply"]
    );
    let replies = entries
        .iter()
        .filter(|e| e["kind"] == "reply" && e["not_applied"].is_null())
        .count();
    assert_eq!(replies, 1, "{show}");
    let check = c.sb.tix(["check"]).in_dir(&c.a).run().code(0);
    assert!(
        check.stdout.contains(", 0 warnings, 3 copies folded"),
        "{}",
        check.stdout
    );
    c.assert_agree(&c.id);
}

/// A closes and locks the ticket in one command while B, offline, replies
/// and sets it pending in one command. Returns the agreed `show`.
fn close_lock_against_reply(lock_at: &str, reply_at: &str) -> Value {
    let c = clones();
    let id = c.id.as_str();
    c.sb.tix(["close", id, "--lock"])
        .in_dir(&c.a)
        .now(lock_at)
        .ok();
    c.sb.tix([
        "reply",
        id,
        "-m",
        "Offline answer",
        "--status",
        "pending",
        "--as",
        "bob",
    ])
    .in_dir(&c.b)
    .now(reply_at)
    .ok();
    c.sync();
    c.assert_agree(id)
}

#[test]
fn a_command_written_before_a_concurrent_close_and_lock_applies_whole() {
    let show = close_lock_against_reply("2030-01-01T10:05:00Z", "2030-01-01T10:00:00Z");
    let entries = show["entries"].as_array().unwrap();
    assert!(
        entries.iter().all(|e| e["not_applied"].is_null()),
        "{show:#}"
    );
    assert_eq!(
        kinds(entries),
        ["created", "reply", "status", "close", "lock"],
        "B's command, then A's"
    );
    assert_eq!(show["ticket"]["status"], "closed");
    assert_eq!(show["ticket"]["messages"], 1);
    assert!(show["ticket"]["locked"].is_object());
}

#[test]
fn a_command_written_after_a_concurrent_close_and_lock_is_refused_whole() {
    let show = close_lock_against_reply("2030-01-01T10:00:00Z", "2030-01-01T10:05:00Z");
    let entries = show["entries"].as_array().unwrap();
    let refused: Vec<&str> = entries
        .iter()
        .filter(|e| e["not_applied"].is_string())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(refused, ["reply", "status"], "{show:#}");
    assert_eq!(show["ticket"]["status"], "closed");
    assert_eq!(show["ticket"]["messages"], 0);
}
