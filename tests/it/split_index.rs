//! tix keeps git's index in step through git's split index once the
//! index is large (forced here with a threshold of one entry), and that
//! index stays one git itself reads, writes and merges with.

use crate::common::Sandbox;

/// Runs tix with the split index forced on (and re-split after `resplit`
/// added entries); returns stdout.
fn tix(sb: &Sandbox, args: &[&str], resplit: &str) -> String {
    sb.tix(args)
        .env("TIX_SPLIT_INDEX_AT", "1")
        .env("TIX_RESPLIT_AT", resplit)
        .ok()
}

/// Every file git's index tracks under tickets/.
fn indexed(sb: &Sandbox) -> Vec<String> {
    let mut out: Vec<String> = sb
        .git(["ls-files", "tickets"])
        .lines()
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

/// Every file under tickets/ in HEAD.
fn committed(sb: &Sandbox) -> Vec<String> {
    let mut out: Vec<String> = sb
        .git(["ls-tree", "-r", "--name-only", "HEAD", "tickets"])
        .lines()
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

fn shared_index_files(sb: &Sandbox) -> usize {
    std::fs::read_dir(sb.dir.join(".git"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("sharedindex."))
        .count()
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn commands_keep_a_split_index_in_step_with_head() {
    for resplit in ["100000", "3"] {
        let sb = Sandbox::init();
        let id = tix(
            &sb,
            &[
                "create",
                "--customer",
                "ann@example.com",
                "--subject",
                "One",
                "-m",
                "x",
            ],
            resplit,
        )
        .trim()
        .to_string();
        assert!(shared_index_files(&sb) >= 1, "the index was split");
        assert_eq!(sb.git(["config", "core.splitIndex"]).trim(), "true");
        for n in 0..6 {
            tix(&sb, &["comment", &id, "-m", &format!("note {n}")], resplit);
            sb.assert_clean();
            assert_eq!(indexed(&sb), committed(&sb), "after note {n}");
        }
        // The user's own git work in between: tix's entries survive it and
        // tix goes on adding to the index git wrote.
        std::fs::write(sb.dir.join("notes.txt"), "mine\n").unwrap();
        sb.git(["add", "notes.txt"]);
        sb.git(["commit", "-q", "-m", "my file"]);
        tix(
            &sb,
            &["reply", &id, "-m", "answer", "--attach", "notes.txt"],
            resplit,
        );
        sb.assert_clean();
        assert_eq!(indexed(&sb), committed(&sb));
        assert!(sb.git(["ls-files"]).contains("notes.txt"));
        // git can rebuild and check everything from it.
        sb.git(["update-index", "--refresh"]);
        sb.git(["fsck", "--no-progress"]);
        let check = sb.ok(["check"]);
        assert!(check.contains("0 errors"), "{check}");
    }
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn a_split_index_survives_a_merge() {
    let sb = Sandbox::init();
    let id = tix(
        &sb,
        &[
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "One",
            "-m",
            "x",
        ],
        "100000",
    )
    .trim()
    .to_string();
    // A side branch with its own comment, merged by git.
    sb.git(["checkout", "-q", "-b", "side"]);
    tix(&sb, &["comment", &id, "-m", "on the side"], "100000");
    sb.git(["checkout", "-q", "-"]);
    tix(&sb, &["comment", &id, "-m", "on main"], "100000");
    sb.git(["merge", "-q", "--no-edit", "side"]);
    sb.assert_clean();
    assert_eq!(indexed(&sb), committed(&sb));
    tix(&sb, &["comment", &id, "-m", "after the merge"], "100000");
    sb.assert_clean();
    assert_eq!(indexed(&sb), committed(&sb));
    let notes = sb
        .entries(&id)
        .iter()
        .filter(|e| e["kind"] == "note")
        .count();
    assert_eq!(notes, 3);
}

#[test]
fn the_index_is_split_from_the_first_ticket() {
    let sb = Sandbox::init();
    let id = sb.create("First");
    assert_eq!(sb.git(["config", "core.splitIndex"]).trim(), "true");
    assert!(shared_index_files(&sb) >= 1, "the index was split");
    sb.change(["comment", &id, "-m", "a note"]);
    assert_eq!(indexed(&sb), committed(&sb));
}

/// Sets the modification time of every shared index to an hour ago.
fn age_shared_indexes(sb: &Sandbox) {
    for entry in std::fs::read_dir(sb.dir.join(".git")).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("sharedindex.")
        {
            let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::open(entry.path())
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
    }
}

/// The shared index that `index` links to, per git.
fn current_shared_index(sb: &Sandbox) -> String {
    let raw = std::fs::read(sb.dir.join(".git/index")).unwrap();
    let at = raw
        .windows(4)
        .rposition(|w| w == b"link")
        .expect("a link extension");
    let id: String = raw[at + 8..at + 28]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sharedindex.{id}")
}

fn shared_index_names(sb: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(sb.dir.join(".git"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sharedindex."))
        .collect();
    names.sort();
    names
}

/// A ticket created with `TIX_RESPLIT_AT=1`, then three notes with
/// `TIX_RESPLIT_AT=0`, as the refold tests start; returns its id.
fn a_ticket_with_three_notes(sb: &Sandbox) -> String {
    let id = tix(
        sb,
        &[
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "One",
            "-m",
            "x",
        ],
        "1",
    )
    .trim()
    .to_string();
    for n in 0..3 {
        tix(sb, &["comment", &id, "-m", &format!("note {n}")], "0");
    }
    id
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn a_refold_removes_shared_indexes_nobody_has_used_for_minutes() {
    let sb = Sandbox::init();
    let id = a_ticket_with_three_notes(&sb);
    age_shared_indexes(&sb);
    let before = shared_index_names(&sb);
    let retiring = current_shared_index(&sb);
    // This comment refolds: the shared index it wrote its additions on is
    // in use until then and is kept; the others are an hour old.
    tix(&sb, &["comment", &id, "-m", "refold"], "0");
    let after = shared_index_names(&sb);
    let current = current_shared_index(&sb);
    assert_ne!(current, retiring, "the comment refolded");
    assert_eq!(
        after,
        {
            let mut v = vec![current, retiring];
            v.sort();
            v
        },
        "before: {before:?}"
    );
    sb.assert_clean();
    assert_eq!(indexed(&sb), committed(&sb));
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn the_users_shared_index_expiry_is_honoured() {
    let sb = Sandbox::init();
    sb.git(["config", "splitIndex.sharedIndexExpire", "never"]);
    let id = a_ticket_with_three_notes(&sb);
    age_shared_indexes(&sb);
    let before = shared_index_names(&sb);
    tix(&sb, &["comment", &id, "-m", "refold"], "0");
    let after = shared_index_names(&sb);
    assert_eq!(after.len(), before.len() + 1, "{before:?} → {after:?}");
    sb.assert_clean();
}
