//! Everyday trust: identities that cannot corrupt the repository, warnings
//! only about what was written, time zones, confirmations that say what
//! changed, and files that stay out of the store's work tree.

mod common;

use common::Sandbox;

// ------------------------------------------------- identities (control chars)

#[test]
fn agent_add_refuses_a_name_with_a_line_break_and_writes_nothing() {
    let sb = Sandbox::init();
    let before = sb.commit_count();
    for name in [
        "Zed\r\nBcc: x@example.com",
        "Zed\u{7f}",
        "Zed\u{85}x",
        "Zed\u{1b}[8m",
    ] {
        sb.tix([
            "agent",
            "add",
            "zed",
            "--email",
            "zed@example.com",
            "--name",
            name,
        ])
        .fails(6)
        .stderr_has(&["--name", "control character"]);
    }
    assert_eq!(sb.commit_count(), before);
    sb.assert_clean();
    // A plain name still works, and commits signed with it are sound.
    sb.change([
        "agent",
        "add",
        "zed",
        "--email",
        "zed@example.com",
        "--name",
        "Zed Zebra",
    ]);
    let id = sb.create("Hello");
    sb.change(["--as", "zed", "comment", &id, "-m", "hi"]);
    assert!(sb.last_commit().starts_with("Zed Zebra\tzed@example.com\t"));
    sb.git(["fsck", "--strict"]);
}

#[test]
fn a_hand_edited_agent_name_with_a_line_break_is_named_and_never_committed() {
    let sb = Sandbox::init();
    let id = sb.create("Hello");
    let path = sb.dir.join(".tix/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "agents:\n",
        "agents:\n- handle: zed\n  name: \"Zed\\r\\nBcc: x@example.com\"\n  email: zed@example.com\n",
    );
    std::fs::write(&path, &text).unwrap();
    let before = sb.commit_count();
    sb.tix(["--as", "zed", "comment", &id, "-m", "hi"])
        .fails(6)
        .stderr_has(&["config.yaml", "agents[0].name", "control character"]);
    // Read-only commands and check say the same, clearly, not exit 1.
    for args in [vec!["check"], vec!["show", &id], vec!["list"]] {
        sb.tix(&args)
            .fails(6)
            .stderr_has(&["agents[0].name", "control character"]);
    }
    assert_eq!(sb.commit_count(), before);
    sb.git(["fsck", "--strict"]);
}

#[test]
fn init_refuses_a_git_user_name_with_a_line_break() {
    let sb = Sandbox::new();
    sb.git(["init", "-q"]);
    sb.git(["config", "user.name", "Evil\nName"]);
    sb.tix(["init"])
        .fails(6)
        .stderr_has(&["git user.name", "control character", "git config"]);
    assert!(!sb.dir.join(".tix").exists());
    assert_eq!(sb.git_run_in(&sb.dir, ["rev-parse", "HEAD"]).code, 128);
    sb.git(["config", "user.name", "Good Name"]);
    sb.ok(["init"]);
    sb.git(["fsck", "--strict"]);
}

#[test]
fn an_unknown_agent_with_a_bad_git_name_cannot_produce_a_broken_commit() {
    let sb = Sandbox::init();
    sb.set_config("allow_unknown_agents", "true");
    let id = sb.create("Hello");
    sb.git(["config", "user.name", "Evil\nName"]);
    sb.git(["config", "user.email", "evil@example.com"]);
    let before = sb.commit_count();
    sb.tix(["comment", &id, "-m", "hi"])
        .fails(6)
        .stderr_has(&["commit author name", "control character"]);
    assert_eq!(sb.commit_count(), before);
    sb.git(["fsck", "--strict"]);
    sb.ok(["check"]);
}

// ------------------------------------------- warnings only after the write

#[test]
fn a_reply_refused_by_a_lock_does_not_claim_it_was_recorded() {
    let sb = Sandbox::init();
    let id = sb.create("Legal hold");
    sb.change(["lock", &id, "-m", "legal"]);
    let before = sb.commit_count();
    let run = sb.tix(["reply", &id, "-m", "late"]).fails(5);
    assert!(!run.stderr.contains("recorded"), "{}", run.stderr);
    assert_eq!(sb.commit_count(), before);
    // Once written, the warning is given.
    sb.change(["unlock", &id]);
    let run = sb.tix(["reply", &id, "-m", "now"]).run().code(0);
    assert!(
        run.stderr.contains("recorded but not e-mailed"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------- empty texts

#[test]
fn create_refuses_an_empty_description_given_with_m_or_f() {
    let sb = Sandbox::init();
    let before = sb.commit_count();
    let empty = sb.root().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    for body in [
        vec!["-m", ""],
        vec!["-m", "  "],
        vec!["-F", empty.to_str().unwrap()],
    ] {
        let mut args = vec!["create", "--customer", "ann@example.com", "--subject", "Hi"];
        args.extend(body);
        sb.tix(&args).fails(6).stderr_has(&["description is empty"]);
    }
    assert_eq!(sb.commit_count(), before);
    // Leaving the description out is still fine.
    sb.change(["create", "--customer", "ann@example.com", "--subject", "Hi"]);
}
