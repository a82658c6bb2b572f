//! tix and a git operation that is half done: every write refuses, names
//! the state and the way out, and commits nothing; reads go on working;
//! and no write that exited 0 is lost by what git does next.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{Sandbox, TIX};

/// A bare origin and two clones: A made the store and one ticket and
/// pushed; B cloned it afterwards.
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

/// Commits `text` as `notes.txt`, a file of the repository that is not
/// tix's, so that two clones can conflict on it.
fn commit_notes(sb: &Sandbox, dir: &Path, text: &str) {
    std::fs::write(dir.join("notes.txt"), text).unwrap();
    sb.git_in(dir, ["add", "notes.txt"]);
    sb.git_in(dir, ["commit", "-q", "-m", text]);
}

/// The bodies of the ticket's notes, in trail order.
fn notes(sb: &Sandbox, dir: &Path, id: &str) -> Vec<String> {
    let show = sb.show_in(dir, id);
    show["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["body"].as_str().unwrap().to_string())
        .collect()
}

fn head(sb: &Sandbox, dir: &Path) -> String {
    sb.git_in(dir, ["rev-parse", "HEAD"]).trim().to_string()
}

/// Asserts that `tix comment` in `dir` is refused with exit 8, names the
/// state and every fix, and moves nothing.
#[track_caller]
fn assert_comment_refused(sb: &Sandbox, dir: &Path, id: &str, needles: &[&str]) {
    let before = head(sb, dir);
    let status = sb.git_in(dir, ["status", "--porcelain"]);
    sb.tix(["comment", id, "-m", "refused note"])
        .in_dir(dir)
        .fails(8)
        .stderr_has(needles)
        .stderr_has(&["then run tix again", "git status"]);
    assert_eq!(head(sb, dir), before, "a refused write moved HEAD");
    assert_eq!(
        sb.git_in(dir, ["status", "--porcelain"]),
        status,
        "a refused write touched the work tree or git's index"
    );
}

#[test]
fn a_write_during_a_paused_pull_rebase_is_refused_and_nothing_is_lost_by_the_abort() {
    let c = clones();
    let sb = &c.sb;
    commit_notes(sb, &c.b, "from b");
    sb.git_in(&c.b, ["push", "-q", "origin", "HEAD"]);
    commit_notes(sb, &c.a, "from a");
    sb.tix(["comment", &c.id, "-m", "before the pull"])
        .in_dir(&c.a)
        .ok();

    let pull = sb.git_run_in(&c.a, ["pull", "-q", "--rebase"]);
    assert_ne!(pull.code, 0, "the pull should stop on notes.txt");
    assert!(c.a.join(".git/rebase-merge").is_dir() || c.a.join(".git/rebase-apply").is_dir());

    assert_comment_refused(
        sb,
        &c.a,
        &c.id,
        &[
            "a rebase is in progress",
            "git rebase --continue",
            "git rebase --abort",
        ],
    );
    // Reading goes on as usual, at the commit the rebase stopped on.
    sb.tix(["show", &c.id]).in_dir(&c.a).ok();
    sb.tix(["list", "--all"]).in_dir(&c.a).ok();
    sb.tix(["log", &c.id]).in_dir(&c.a).ok();
    sb.tix(["check"]).in_dir(&c.a).ok();

    sb.git_in(&c.a, ["rebase", "--abort"]);
    sb.tix(["comment", &c.id, "-m", "after the abort"])
        .in_dir(&c.a)
        .ok();
    assert_eq!(
        notes(sb, &c.a, &c.id),
        ["before the pull", "after the abort"]
    );
    sb.assert_clean_in(&c.a);
    sb.tix(["check"]).in_dir(&c.a).ok();
}

#[test]
fn a_write_during_a_merge_with_conflicts_is_refused_until_it_is_committed() {
    let c = clones();
    let sb = &c.sb;
    commit_notes(sb, &c.b, "from b");
    sb.git_in(&c.b, ["push", "-q", "origin", "HEAD"]);
    commit_notes(sb, &c.a, "from a");
    let pull = sb.git_run_in(&c.a, ["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_ne!(pull.code, 0, "the pull should stop on notes.txt");
    assert!(c.a.join(".git/MERGE_HEAD").exists());

    assert_comment_refused(
        sb,
        &c.a,
        &c.id,
        &["a merge is in progress", "git commit", "git merge --abort"],
    );
    sb.tix(["show", &c.id]).in_dir(&c.a).ok();

    std::fs::write(c.a.join("notes.txt"), "from both").unwrap();
    sb.git_in(&c.a, ["add", "notes.txt"]);
    sb.git_in(&c.a, ["commit", "-q", "--no-edit"]);
    sb.tix(["comment", &c.id, "-m", "after the merge"])
        .in_dir(&c.a)
        .ok();
    assert_eq!(notes(sb, &c.a, &c.id), ["after the merge"]);
    // The merge is an ancestor of tix's commit: git's side is whole too.
    let merge = sb.git_in(&c.a, ["rev-parse", "HEAD^"]);
    assert_eq!(
        sb.git_in(&c.a, ["rev-list", "--parents", "-n1", merge.trim()])
            .split_whitespace()
            .count(),
        3
    );
    sb.assert_clean_in(&c.a);
}

/// A store on `main` with `notes.txt`, and a branch `side` whose commits
/// change it in ways that conflict with `main`'s next commit.
fn store_with_side_branch() -> (Sandbox, String) {
    let sb = Sandbox::init();
    let id = sb.create("Busy ticket");
    commit_notes(&sb, &sb.dir, "base");
    sb.git(["switch", "-q", "-c", "side"]);
    commit_notes(&sb, &sb.dir, "side 1");
    commit_notes(&sb, &sb.dir, "side 2");
    sb.git(["switch", "-q", "main"]);
    commit_notes(&sb, &sb.dir, "main");
    (sb, id)
}

#[test]
fn a_write_during_a_cherry_pick_is_refused_even_between_its_commits() {
    let (sb, id) = store_with_side_branch();
    let pick = sb.git_run_in(&sb.dir, ["cherry-pick", "main..side"]);
    assert_ne!(pick.code, 0, "the cherry-pick should stop on notes.txt");
    assert_comment_refused(
        &sb,
        &sb.dir,
        &id,
        &[
            "a cherry-pick is in progress",
            "git cherry-pick --continue",
            "git cherry-pick --abort",
        ],
    );

    // The user resolves and commits the first pick by hand: git no longer
    // has CHERRY_PICK_HEAD, but still has the second pick to do.
    std::fs::write(sb.dir.join("notes.txt"), "main and side 1").unwrap();
    sb.git(["add", "notes.txt"]);
    sb.git(["commit", "-q", "-m", "side 1, resolved"]);
    assert!(!sb.dir.join(".git/CHERRY_PICK_HEAD").exists());
    assert!(sb.dir.join(".git/sequencer").is_dir());
    assert_comment_refused(
        &sb,
        &sb.dir,
        &id,
        &["several commits is in progress", "--continue", "--abort"],
    );

    sb.git(["cherry-pick", "--abort"]);
    sb.change(["comment", &id, "-m", "after the cherry-pick"]);
    assert_eq!(notes(&sb, &sb.dir, &id), ["after the cherry-pick"]);
}

#[test]
fn a_write_during_a_revert_is_refused() {
    let (sb, id) = store_with_side_branch();
    sb.git(["merge", "-q", "--no-edit", "-s", "ours", "side"]);
    commit_notes(&sb, &sb.dir, "after the merge");
    let side_2 = sb.git(["rev-parse", "side"]);
    let revert = sb.git_run_in(&sb.dir, ["revert", "--no-edit", side_2.trim()]);
    assert_ne!(revert.code, 0, "the revert should stop on notes.txt");
    assert_comment_refused(
        &sb,
        &sb.dir,
        &id,
        &[
            "a revert is in progress",
            "git revert --continue",
            "git revert --abort",
        ],
    );
    sb.git(["revert", "--abort"]);
    sb.change(["comment", &id, "-m", "after the revert"]);
}

#[test]
fn a_write_during_a_bisect_is_refused_until_it_is_reset() {
    let (sb, id) = store_with_side_branch();
    // Right after `bisect start` HEAD is still on the branch: only
    // BISECT_LOG says a bisect is going on.
    sb.git(["bisect", "start"]);
    assert_comment_refused(
        &sb,
        &sb.dir,
        &id,
        &["a bisect is in progress", "git bisect reset"],
    );
    let first = sb.git(["rev-list", "--max-parents=0", "HEAD"]);
    sb.git(["bisect", "bad"]);
    sb.git_run_in(&sb.dir, ["bisect", "good", first.trim()]);
    assert_comment_refused(&sb, &sb.dir, &id, &["a bisect is in progress"]);
    sb.tix(["show", &id]).ok();
    sb.git(["bisect", "reset"]);
    sb.change(["comment", &id, "-m", "after the bisect"]);
}

#[test]
fn a_write_on_a_detached_head_is_refused_and_names_the_way_back() {
    let sb = Sandbox::init();
    let id = sb.create("Busy ticket");
    sb.git(["checkout", "-q", "--detach"]);
    assert_comment_refused(&sb, &sb.dir, &id, &["HEAD is detached", "git switch"]);
    // Every kind of write goes through the same check: a new ticket, a
    // batch (`tick`) and the config.
    sb.tix([
        "create",
        "--customer",
        "Bo <bo@example.com>",
        "--subject",
        "New",
        "-m",
        "Hi",
    ])
    .fails(8)
    .stderr_has(&["HEAD is detached"]);
    sb.tix(["agent", "add", "bob", "--email", "bob@example.com"])
        .fails(8)
        .stderr_has(&["HEAD is detached"]);
    sb.tix(["show", &id]).ok();
    sb.tix(["list"]).ok();
    sb.git(["switch", "-q", "main"]);
    sb.change(["comment", &id, "-m", "back on main"]);
}

#[test]
fn import_eml_during_a_rebase_asks_the_mta_to_retry_and_files_the_mail_after() {
    let Some(mail) = crate::common::corpus::file("apache-spamassassin/t/data/nice/007") else {
        return;
    };
    let (sb, _) = store_with_side_branch();
    let rebase = sb.git_run_in(&sb.dir, ["rebase", "side"]);
    assert_ne!(rebase.code, 0, "the rebase should stop on notes.txt");
    let before = head(&sb, &sb.dir);
    sb.tix(["import", "eml"])
        .stdin(mail.clone())
        .fails(75)
        .stderr_has(&["a rebase is in progress", "git rebase --abort"]);
    assert_eq!(head(&sb, &sb.dir), before);
    sb.git(["rebase", "--abort"]);
    // What the MTA does on 75: hands the same message over again.
    let tickets = sb.list_ids(["list", "--all"]).len();
    sb.tix(["import", "eml"]).stdin(mail).ok();
    assert_eq!(sb.list_ids(["list", "--all"]).len(), tickets + 1);
    sb.assert_clean();
}

/// Someone commits with git over and over while tix writes: each tix write
/// either lands on the branch for good or fails with exit 8, saying that
/// nothing was committed. None that exits 0 is lost.
#[test]
fn the_branch_moves_only_by_compare_and_swap_while_git_commits_meanwhile() {
    let sb = Sandbox::init();
    let id = sb.create("Busy ticket");
    commit_notes(&sb, &sb.dir, "0");
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let committer = scope.spawn(|| {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                // `git commit -- notes.txt` builds the commit from HEAD and
                // this one file, as a user committing notes would.
                std::fs::write(sb.dir.join("notes.txt"), format!("{n}\n")).unwrap();
                let _ = sb
                    .std_command("git")
                    .args([
                        "commit",
                        "-q",
                        "-m",
                        &format!("notes {n}"),
                        "--",
                        "notes.txt",
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
            n
        });
        writes_against(&sb, &id, &stop, committer)
    });
}

/// Comments 40 times while `committer` runs; then stops it and checks
/// that every comment that exited 0 is on the branch.
fn writes_against(
    sb: &Sandbox,
    id: &str,
    stop: &AtomicBool,
    committer: std::thread::ScopedJoinHandle<'_, usize>,
) {
    // Stops the committer however this ends: the scope would wait for it
    // forever after a failed assertion.
    struct StopOnDrop<'a>(&'a AtomicBool);
    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let _stop = StopOnDrop(stop);
    let mut landed = Vec::new();
    let mut refused = 0;
    for n in 0..40 {
        let body = format!("note {n}");
        let out = sb
            .std_command(TIX)
            .args(["comment", id, "-m", &body])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => landed.push(body),
            Some(8) => {
                assert!(
                    stderr.contains("nothing was committed"),
                    "exit 8 without saying nothing was committed:\n{stderr}"
                );
                refused += 1;
            }
            other => panic!("tix comment exited {other:?}:\n{stderr}"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let git_commits = committer.join().unwrap();
    assert!(git_commits > 0);
    assert!(!landed.is_empty(), "no write landed ({refused} refused)");
    eprintln!(
        "{} landed, {refused} refused, {git_commits} git commits",
        landed.len()
    );

    // One more write brings git's index in step if a git command held it.
    sb.tix(["comment", id, "-m", "last"]).ok();
    landed.push("last".into());
    let subjects = sb.git(["log", "--format=%s", "main"]);
    let tix_commits = subjects
        .lines()
        .filter(|s| *s == format!("tix: comment {id}"))
        .count();
    assert_eq!(tix_commits, landed.len(), "{refused} refused");
    assert_eq!(notes(sb, &sb.dir, id), landed);
}

/// A tix write while a git command holds git's index (`git commit` with
/// its editor open) commits but cannot stage its file; a `git commit` made
/// after that builds its tree from the index and so deletes the entry.
/// The next tix write puts it back, and `check` is clean again.
#[test]
fn an_entry_that_a_git_commit_deleted_while_the_index_was_behind_is_put_back() {
    let sb = Sandbox::init();
    let id = sb.create("Busy ticket");
    let lock = sb.dir.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    sb.tix(["comment", &id, "-m", "while git held the index"])
        .ok();
    std::fs::remove_file(&lock).unwrap();
    commit_notes(&sb, &sb.dir, "notes");
    // The user's commit dropped it from the branch.
    assert_eq!(notes(&sb, &sb.dir, &id), Vec::<String>::new());

    sb.tix(["comment", &id, "-m", "next"])
        .run()
        .code(0)
        .stderr_has(&["restored 1 entry"]);
    assert_eq!(
        notes(&sb, &sb.dir, &id),
        ["while git held the index", "next"]
    );
    sb.assert_clean();
    sb.ok(["check"]);
}
