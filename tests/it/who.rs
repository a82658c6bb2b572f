//! Who did it: acting as another agent is for admins and is recorded as
//! done on their behalf, in the entry and in the commit.

use crate::common::Sandbox;

/// A store with alice (admin, the sandbox's git identity), bob and carol
/// (agents), and one ticket.
fn team() -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.change(["agent", "add", "carol", "--email", "carol@example.com"]);
    let id = sb.create("Printer on fire");
    (sb, id)
}

fn git_identity(sb: &Sandbox, email: &str) {
    sb.git(["config", "user.email", email]);
    sb.git(["config", "user.name", "Someone"]);
}

#[test]
fn a_non_admin_cannot_act_as_another_agent_and_nothing_is_written() {
    let (sb, id) = team();
    git_identity(&sb, "bob@example.com");
    let before = sb.head();
    let files_before = crate::common::files_under(&sb.ticket_dir(&id)).len();
    sb.tix(["comment", &id, "-m", "as carol", "--as", "carol"])
        .fails(9)
        .stderr_has(&["bob", "carol", "only an admin", "hint:"]);
    sb.tix(["comment", &id, "-m", "as alice"])
        .env("TIX_AGENT", "alice")
        .fails(9)
        .stderr_has(&["bob", "alice"]);
    // An admin action through someone else's name is refused the same way.
    sb.tix(["blacklist", "add", "spam@example.com", "--as", "alice"])
        .fails(9)
        .stderr_has(&["bob", "alice"]);
    assert_eq!(sb.head(), before);
    assert_eq!(
        crate::common::files_under(&sb.ticket_dir(&id)).len(),
        files_before
    );
    sb.assert_clean();
    // Naming oneself, by handle or address, is not acting for another.
    sb.change(["comment", &id, "-m", "as myself", "--as", "bob"]);
    sb.change([
        "comment",
        &id,
        "-m",
        "by address",
        "--as",
        "bob@example.com",
    ]);
    let last = sb.entries(&id).pop().unwrap();
    assert_eq!(last["author"], "bob");
    assert!(last.get("by").is_none(), "{last}");
    let log = sb.git(["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%B"]);
    assert!(!log.contains("On behalf"), "{log}");
}

#[test]
fn an_admin_acting_for_another_is_recorded_in_the_entry_and_the_commit() {
    let (sb, id) = team();
    sb.change(["comment", &id, "-m", "for bob", "--as", "bob"]);
    let last = sb.entries(&id).pop().unwrap();
    assert_eq!(last["author"], "bob");
    assert_eq!(last["by"], "alice");
    // The file itself carries it (the on-disk record, not just the JSON).
    let file = sb
        .ticket_dir(&id)
        .join(last["entry_file"].as_str().unwrap());
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains("\nauthor: bob\nby: alice\n"), "{text}");
    let show = sb.ok(["show", &id]);
    assert!(show.contains("bob (by alice)"), "{show}");

    let log = sb.git(["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%s%n%b"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], "bob <bob@example.com>", "{log}");
    assert_eq!(lines[1], "Alice Admin <alice@example.com>", "{log}");
    assert_eq!(lines[2], format!("tix: comment {id}"), "{log}");
    assert!(
        log.contains("On behalf of bob by alice <alice@example.com>."),
        "{log}"
    );

    // Through TIX_AGENT just the same.
    sb.change_with(sb.tix(["status", &id, "pending"]).env("TIX_AGENT", "carol"));
    let last = sb.entries(&id).pop().unwrap();
    assert_eq!(
        (&last["author"], &last["by"]),
        (&"carol".into(), &"alice".into())
    );
    let who = sb.git(["log", "-1", "--format=%an|%cn"]);
    assert_eq!(who.trim(), "carol|Alice Admin");

    // A plain command by alice carries no `by` and no note.
    sb.change(["comment", &id, "-m", "mine"]);
    let last = sb.entries(&id).pop().unwrap();
    assert!(last.get("by").is_none(), "{last}");
    let who = sb.git(["log", "-1", "--format=%an|%cn|%b"]);
    assert!(!who.contains("On behalf"), "{who}");
    sb.ok(["check"]);
}

#[test]
fn acting_as_another_gives_their_rights_not_the_admins() {
    let (sb, id) = team();
    sb.change(["lock", &id]);
    let before = sb.head();
    sb.tix(["unlock", &id, "--as", "bob"])
        .fails(9)
        .stderr_has(&["only an admin can unlock"]);
    sb.tix(["blacklist", "add", "spam@example.com", "--as", "bob"])
        .fails(9);
    assert_eq!(sb.head(), before);
}

#[test]
fn without_a_git_identity_the_agent_named_acts_as_a_service_account_does() {
    let (sb, id) = team();
    // A cron job or an MTA: no git identity at all, only TIX_AGENT.
    std::fs::write(
        sb.home.join(".gitconfig"),
        "[init]\n\tdefaultBranch = main\n",
    )
    .unwrap();
    sb.change_with(
        sb.tix(["comment", &id, "-m", "from cron"])
            .env("TIX_AGENT", "bob"),
    );
    let last = sb.entries(&id).pop().unwrap();
    assert_eq!(last["author"], "bob");
    assert!(last.get("by").is_none(), "{last}");
    assert_eq!(sb.git(["log", "-1", "--format=%an|%cn"]).trim(), "bob|bob");
}

#[test]
fn a_git_identity_no_agent_has_binds_nothing_but_is_recorded() {
    let (sb, id) = team();
    git_identity(&sb, "mta@mail.example.com");
    sb.change_with(
        sb.tix(["comment", &id, "-m", "filed"])
            .env("TIX_AGENT", "bob"),
    );
    let last = sb.entries(&id).pop().unwrap();
    assert_eq!(last["author"], "bob");
    assert_eq!(last["by"], "mta@mail.example.com");
    let log = sb.git(["log", "-1", "--format=%an|%ce|%b"]);
    assert!(log.starts_with("bob|mta@mail.example.com|"), "{log}");
    assert!(
        log.contains("On behalf of bob by mta@mail.example.com <mta@mail.example.com>."),
        "{log}"
    );
}

#[test]
fn unknown_agents_allowed_give_no_one_the_right_to_act_for_a_declared_one() {
    let (sb, id) = team();
    sb.set_config("allow_unknown_agents", "true");
    git_identity(&sb, "bob@example.com");
    sb.tix(["comment", &id, "-m", "x", "--as", "someone-new"])
        .fails(9)
        .stderr_has(&["bob", "someone-new"]);
    sb.tix(["comment", &id, "-m", "x", "--as", "alice"])
        .fails(9);
}
