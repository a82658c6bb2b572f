//! `tix purge`: a redacted entry's bytes leave the history and this
//! clone's object database; other tickets' history is untouched; the
//! manifest makes `tix check` notice when the old history comes back.

use std::path::Path;

use crate::common::Sandbox;

const MARKER: &str = "PASSPORT-7731-QXZ";

fn entry_files(sb: &Sandbox, id: &str) -> Vec<String> {
    sb.entries(id)
        .iter()
        .map(|e| e["entry_file"].as_str().unwrap().to_string())
        .collect()
}

/// Every object in the object database, reachable or not, decompressed.
fn every_object(sb: &Sandbox, dir: &Path) -> Vec<u8> {
    let out = sb
        .std_command("git")
        .current_dir(dir)
        .args(["cat-file", "--batch-all-objects", "--batch", "--unordered"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A store with two tickets: the marker in a note of the first (with an
/// attachment belonging to it), an ordinary history on the second.
struct Setup {
    sb: Sandbox,
    id: String,
    other: String,
    note: String,
    blob: String,
    attachment_blob: String,
}

fn setup() -> Setup {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = sb.create("Passport copy");
    let other = sb.create("Printer jam");
    sb.change(["comment", &other, "-m", "Toner replaced"]);
    let scan = sb.root().join("scan.txt");
    std::fs::write(&scan, format!("scan of {MARKER}\n")).unwrap();
    sb.change([
        "comment",
        &id,
        "-m",
        &format!("Passport number {MARKER}"),
        "--attach",
        scan.to_str().unwrap(),
    ]);
    let note = entry_files(&sb, &id)
        .into_iter()
        .find(|f| f.ends_with("-note.md"))
        .unwrap();
    sb.change(["comment", &id, "-m", "Customer sent it again"]);
    sb.change(["comment", &other, "-m", "Works again"]);
    let dir = format!("tickets/{}/{id}", &id[..2]);
    let blob = sb
        .git(["rev-parse", &format!("HEAD:{dir}/{note}")])
        .trim()
        .to_string();
    let files = sb.git([
        "ls-tree",
        "-r",
        "--name-only",
        "HEAD",
        &format!("{dir}/files"),
    ]);
    let attachment = files
        .lines()
        .next()
        .expect("an attachment file")
        .to_string();
    let attachment_blob = sb
        .git(["rev-parse", &format!("HEAD:{attachment}")])
        .trim()
        .to_string();
    sb.change(["redact", &id, &note, "--reason", "GDPR erasure request"]);
    Setup {
        sb,
        id,
        other,
        note,
        blob,
        attachment_blob,
    }
}

#[test]
fn a_purged_entry_leaves_history_and_the_object_database_and_nothing_else_changes() {
    let s = setup();
    let sb = &s.sb;
    assert!(
        contains(&every_object(sb, &sb.dir), MARKER),
        "the marker is there before"
    );
    let other_dir = format!("tickets/{}/{}", &s.other[..2], s.other);
    let other_tree = sb.git(["ls-tree", "-r", "HEAD", &other_dir]);
    let other_log = sb.git(["log", "--format=%an %ae %ad %s", "--", &other_dir]);
    let other_show = sb.ok(["show", &s.other, "--format", "json"]);
    let commits_before = sb.commit_count();
    let messages_before = sb.git(["log", "--format=%an|%ae|%at|%cn|%ce|%ct|%B"]);

    let out = sb.ok([
        "purge",
        &s.id,
        &s.note[..30],
        "--reason",
        "GDPR erasure request 2026-117",
        "--yes",
    ]);
    assert!(out.contains("3 blob(s) removed"), "{out}");
    assert!(out.contains("git push --force-with-lease"), "{out}");
    assert!(out.contains("git reset --hard origin/<branch>"), "{out}");

    // The bytes are nowhere: not in any commit's patch, not in any object.
    let log = sb.git(["log", "-p", "--all"]);
    assert!(!log.contains(MARKER), "in git log -p");
    assert!(
        !contains(&every_object(sb, &sb.dir), MARKER),
        "in the object database"
    );
    for blob in [&s.blob, &s.attachment_blob] {
        sb.git_run_in(&sb.dir, ["cat-file", "-e", blob]).code(1);
    }
    // The work tree has the placeholder too, and git sees nothing changed.
    let note_path = sb.ticket_dir(&s.id).join(&s.note);
    let text = std::fs::read_to_string(&note_path).unwrap();
    assert!(
        text.contains("[purged]") && !text.contains(MARKER),
        "{text}"
    );
    sb.assert_clean();

    // One commit more (the manifest); every other commit keeps its
    // author, committer, dates and message.
    assert_eq!(sb.commit_count(), commits_before + 1);
    let messages_after = sb.git(["log", "--skip=1", "--format=%an|%ae|%at|%cn|%ce|%ct|%B"]);
    assert_eq!(messages_after, messages_before);
    assert_eq!(sb.git(["ls-tree", "-r", "HEAD", &other_dir]), other_tree);
    assert_eq!(
        sb.git(["log", "--format=%an %ae %ad %s", "--", &other_dir]),
        other_log
    );
    assert_eq!(sb.ok(["show", &s.other, "--format", "json"]), other_show);

    // The manifest names what went; the ticket still reads, redacted.
    let manifests = std::fs::read_dir(sb.dir.join(".tix/purges")).unwrap();
    let manifest: Vec<_> = manifests.map(|e| e.unwrap().path()).collect();
    assert_eq!(manifest.len(), 1);
    let text = std::fs::read_to_string(&manifest[0]).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(yaml["ticket"].as_str(), Some(s.id.as_str()));
    assert_eq!(
        yaml["reason"].as_str(),
        Some("GDPR erasure request 2026-117")
    );
    // The note, the attachment entry belonging to it and the file.
    let blobs: Vec<&str> = yaml["blobs"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(blobs.len(), 3, "{text}");
    assert!(blobs.contains(&s.blob.as_str()) && blobs.contains(&s.attachment_blob.as_str()));
    assert_eq!(yaml["entries"].as_sequence().unwrap().len(), 3, "{text}");
    let shown = sb.ok(["show", &s.id]);
    assert!(!shown.contains(MARKER));
    assert!(shown.contains("GDPR erasure request"), "{shown}");
    assert!(shown.contains("Customer sent it again"), "{shown}");
    sb.ok(["check"]);
    let found = sb.ok(["search", "Toner"]);
    assert!(found.contains(&s.other), "{found}");
}

#[test]
fn old_history_brought_back_makes_check_fail_naming_the_manifest() {
    let s = setup();
    let sb = &s.sb;
    let old = sb.root().join("old");
    sb.git_in(&sb.root(), ["clone", "-q", sb.dir.to_str().unwrap(), "old"]);
    sb.ok(["purge", &s.id, &s.note, "--reason", "erasure", "--yes"]);
    sb.ok(["check"]);
    // A clone that never reset merges its history back in.
    sb.git(["fetch", "-q", old.to_str().unwrap(), "main:stale"]);
    sb.git(["merge", "-q", "-s", "ours", "--no-edit", "stale"]);
    let run = sb.tix(["check"]).fails(10);
    assert!(run.stdout.contains(".tix/purges/"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "holds again 3 of the 3 blob(s) purged from ticket {}",
            s.id
        )),
        "{}",
        run.stdout
    );
    // Purging again takes them out of the merged history as well.
    sb.git(["branch", "-D", "stale"]);
    sb.ok(["purge", &s.id, &s.note, "--reason", "again", "--yes"]);
    sb.ok(["check"]);
    assert!(!contains(&every_object(sb, &sb.dir), MARKER));
}

#[test]
fn purge_refuses_non_admins_without_yes_unredacted_entries_and_a_dirty_tree() {
    let s = setup();
    let sb = &s.sb;
    let head = sb.git(["rev-parse", "HEAD"]);
    sb.tix([
        "purge", &s.id, &s.note, "--reason", "x", "--yes", "--as", "bob",
    ])
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .fails(9)
    .stderr_has(&["only an admin can purge entries; bob is not one"]);
    sb.tix(["purge", &s.id, &s.note, "--reason", "x"])
        .fails(2)
        .stderr_has(&["add --yes"]);
    sb.tix(["purge", &s.id, &s.note, "--reason", " ", "--yes"])
        .fails(6)
        .stderr_has(&["--reason"]);
    let created = entry_files(sb, &s.id)[0].clone();
    sb.tix(["purge", &s.id, &created, "--reason", "x", "--yes"])
        .fails(6)
        .stderr_has(&["is not redacted", "redact it first"]);
    sb.tix(["purge", &s.id, "no-such-entry", "--reason", "x", "--yes"])
        .fails(3);
    sb.tix(["purge", &s.id, "--reason", "x", "--yes"]).fails(2);
    let other_note = sb.ticket_dir(&s.other).join(&entry_files(sb, &s.other)[1]);
    let kept = std::fs::read_to_string(&other_note).unwrap();
    std::fs::write(&other_note, format!("{kept}edited\n")).unwrap();
    sb.tix(["purge", &s.id, &s.note, "--reason", "x", "--yes"])
        .fails(6)
        .stderr_has(&["uncommitted changes under tickets/"]);
    std::fs::write(&other_note, kept).unwrap();
    assert_eq!(sb.git(["rev-parse", "HEAD"]), head, "nothing rewritten");
    assert!(contains(&every_object(sb, &sb.dir), MARKER));
}

#[test]
fn a_damaged_manifest_is_a_check_problem() {
    let sb = Sandbox::init();
    let dir = sb.dir.join(".tix/purges");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "format: 1\nticket: nope\n").unwrap();
    std::fs::write(
        dir.join("b.yaml"),
        "format: 1\nticket: 7K3FQ2M9\nentries: [x.md]\nblobs: [zz]\nreason: r\nat: 2026-01-01T00:00:00Z\nby: alice\n",
    )
    .unwrap();
    sb.git(["add", "."]);
    sb.git(["commit", "-q", "-m", "manifests by hand"]);
    let run = sb.tix(["check"]).fails(10);
    assert!(
        run.stdout
            .contains(".tix/purges/a.yaml: not a purge manifest"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(".tix/purges/b.yaml: blob `zz` is not an object id"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_purged_mail_takes_its_raw_message_along() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]\nauto_reply: {enabled: false}");
    let first = "From: Ann <ann@example.com>\nTo: support@example.com\nSubject: Card\n\
                 Message-ID: <m1@example.com>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nHello\n";
    sb.tix(["import", "eml"])
        .stdin(first.as_bytes().to_vec())
        .ok();
    let id = sb.list_ids(["list", "--all"])[0].clone();
    let second = format!(
        "From: Ann <ann@example.com>\nTo: support@example.com\nSubject: Re: Card {MARKER}\n\
         Message-ID: <m2@example.com>\nIn-Reply-To: <m1@example.com>\n\
         Date: Mon, 2 Mar 2026 11:00:00 +0000\n\nMy card is {MARKER}\n"
    );
    sb.tix(["import", "eml"]).stdin(second.into_bytes()).ok();
    let message = entry_files(&sb, &id)
        .into_iter()
        .rfind(|f| f.ends_with("-message.md"))
        .expect("the follow-up is the last message entry");
    let stem = message.trim_end_matches(".md");
    let raw = sb.ticket_dir(&id).join(format!("{stem}.eml"));
    let dir = sb.ticket_dir(&id);
    let listing: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        std::fs::read_to_string(&raw).is_ok_and(|t| t.contains(MARKER)),
        "{listing:?}"
    );
    sb.change(["redact", &id, &message, "--reason", "card number"]);
    sb.ok(["purge", &id, &message, "--reason", "card number", "--yes"]);
    assert_eq!(std::fs::read_to_string(&raw).unwrap(), "[purged]\n");
    assert!(!contains(&every_object(&sb, &sb.dir), MARKER));
    assert!(!sb.git(["log", "-p", "--all"]).contains(MARKER));
    let shown = sb.ok(["show", &id]);
    assert!(shown.contains("Hello"), "{shown}");
    sb.ok(["check"]);
}

#[test]
fn the_documented_procedure_clears_the_remote_and_another_clone() {
    let sb = Sandbox::new();
    let a = sb.first_clone_of_origin("a");
    let root = sb.root();
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Id",
            "-m",
            "x",
        ])
        .in_dir(&a),
    );
    sb.tix(["comment", &id, "-m", &format!("number {MARKER}")])
        .in_dir(&a)
        .ok();
    let note = sb
        .tix(["show", &id, "--format", "json"])
        .in_dir(&a)
        .ok()
        .lines()
        .find_map(|l| {
            let l = l.trim();
            (l.contains("entry_file") && l.contains("-note.md"))
                .then(|| l.split('"').nth(3).unwrap().to_string())
        })
        .expect("the note's file");
    sb.tix(["sync"]).in_dir(&a).ok();
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    sb.tix(["redact", &id, &note, "--reason", "erasure"])
        .in_dir(&a)
        .ok();
    let run = sb
        .tix(["purge", &id, &note, "--reason", "erasure", "--yes"])
        .in_dir(&a)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The remote-tracking branch still reaches the old history: named.
    assert!(
        run.stderr.contains("refs/remotes/origin/main"),
        "{}",
        run.stderr
    );
    assert!(contains(&every_object(&sb, &a), MARKER));
    // 1. push with force, gc again.
    sb.git_in(&a, ["push", "-q", "--force-with-lease", "origin", "main"]);
    sb.git_in(&a, ["reflog", "expire", "--expire=now", "--all"]);
    sb.git_in(&a, ["gc", "-q", "--prune=now"]);
    assert!(!contains(&every_object(&sb, &a), MARKER), "clone a");
    // 2. the other clone resets and collects.
    assert!(contains(&every_object(&sb, &b), MARKER));
    sb.git_in(&b, ["fetch", "-q"]);
    sb.git_in(&b, ["reset", "-q", "--hard", "origin/main"]);
    sb.git_in(&b, ["reflog", "expire", "--expire=now", "--all"]);
    sb.git_in(&b, ["gc", "-q", "--prune=now"]);
    assert!(!contains(&every_object(&sb, &b), MARKER), "clone b");
    sb.tix(["check"]).in_dir(&b).ok();
    // The bare remote keeps unreachable objects until it is collected.
    sb.git_in(&root.join("origin.git"), ["gc", "-q", "--prune=now"]);
    assert!(
        !contains(&every_object(&sb, &root.join("origin.git")), MARKER),
        "origin"
    );
}
