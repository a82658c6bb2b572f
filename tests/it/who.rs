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

// ------------------------------------------------------------ signatures

/// Whether ssh-keygen can sign here; the signing tests say so and pass
/// when it cannot.
fn ssh_keygen_available() -> bool {
    let found = std::process::Command::new("ssh-keygen")
        .arg("-?")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok();
    if !found {
        eprintln!("skipped: ssh-keygen is not installed, so no signing key can be made");
    }
    found
}

/// A new ssh signing key in the sandbox: its private key file and its
/// public key line.
fn new_key(sb: &Sandbox, name: &str) -> (String, String) {
    let path = sb.root().join(format!("{name}_ed25519"));
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (
        path.to_str().unwrap().to_string(),
        public.trim().to_string(),
    )
}

/// Turns git's own ssh signing on in the store's clone, with `key`.
fn sign_with(sb: &Sandbox, key: &str) {
    sb.git(["config", "gpg.format", "ssh"]);
    sb.git(["config", "user.signingkey", key]);
    sb.git(["config", "commit.gpgsign", "true"]);
}

/// alice (admin) and bob declared with signing keys, carol without.
fn declare_keys(sb: &Sandbox, alice: &str, bob: &str) {
    sb.set_config(
        "agents",
        &format!(
            "[{{handle: alice, name: Alice Admin, email: alice@example.com, roles: [admin], signing_key: '{alice}'}},\
              {{handle: bob, email: bob@example.com, signing_key: '{bob}'}},\
              {{handle: carol, email: carol@example.com}}]"
        ),
    );
}

fn short(commit: &str) -> &str {
    &commit[..10]
}

#[test]
fn signed_commits_pass_and_unsigned_or_wrongly_signed_ones_are_named() {
    if !ssh_keygen_available() {
        return;
    }
    let (sb, id) = team();
    let (alice_key, alice_pub) = new_key(&sb, "alice");
    let (_, bob_pub) = new_key(&sb, "bob");
    let (mallory_key, _) = new_key(&sb, "mallory");
    declare_keys(&sb, &alice_pub, &bob_pub);
    sb.set_config("signed_commits", "all");
    let start = sb.head();

    sign_with(&sb, &alice_key);
    sb.change(["comment", &id, "-m", "signed"]);
    let signed = sb.head();
    // Signed as git signs: git itself accepts the signature.
    let allowed = sb.root().join("allowed_signers");
    std::fs::write(&allowed, format!("alice@example.com {alice_pub}\n")).unwrap();
    sb.git([
        "-c",
        &format!("gpg.ssh.allowedSignersFile={}", allowed.display()),
        "verify-commit",
        &signed,
    ]);
    // An admin acting for bob signs with their own key, as the committer.
    sb.change(["comment", &id, "-m", "for bob", "--as", "bob"]);
    // A commit git makes (a config change by hand) is signed by git.
    sb.set_config("timezone", "UTC");
    sb.ok(["check", "--signatures", "--since", &start]);

    sb.git(["config", "commit.gpgsign", "false"]);
    sb.change(["comment", &id, "-m", "unsigned"]);
    let unsigned = sb.head();
    sign_with(&sb, &mallory_key);
    sb.change(["comment", &id, "-m", "wrong key"]);
    let wrong = sb.head();

    let run = sb
        .tix(["check", "--signatures", "--since", &start])
        .fails(10);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines.iter().any(|l| l.contains(short(&unsigned))
            && l.contains("unsigned")
            && l.contains(&format!("tix: comment {id}"))),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(short(&wrong)) && l.contains("not signed by alice's declared key")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(short(&signed)), "{}", run.stdout);
    // Plain `tix check` does not look at signatures.
    sb.ok(["check"]);
    // Without --since the unsigned history before signing was required
    // is named too.
    let all = sb.tix(["check", "--signatures"]).fails(10);
    let init = sb.git(["rev-list", "--max-parents=0", "HEAD"]);
    assert!(all.stdout.contains(short(init.trim())), "{}", all.stdout);
    sb.tix(["check", "--since", &start]).fails(2);
    sb.tix(["check", "--signatures", "--since", "no-such-commit"])
        .fails(3);
}

#[test]
fn signing_required_for_admin_actions_names_only_those() {
    if !ssh_keygen_available() {
        return;
    }
    let (sb, id) = team();
    let (_, alice_pub) = new_key(&sb, "alice");
    let (_, bob_pub) = new_key(&sb, "bob");
    declare_keys(&sb, &alice_pub, &bob_pub);
    sb.set_config("signed_commits", "admin");
    let start = sb.head();
    sb.change(["comment", &id, "-m", "an agent's everyday work"]);
    sb.change(["lock", &id]);
    sb.change(["unlock", &id]);
    let unlock = sb.head();
    sb.change(["blacklist", "add", "spam@example.com"]);
    let blacklist = sb.head();
    sb.change(["agent", "away", "bob", "--as", "bob"]);
    let run = sb
        .tix(["check", "--signatures", "--since", &start])
        .fails(10);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].contains(short(&blacklist)), "{}", run.stdout);
    assert!(lines[1].contains(short(&unlock)), "{}", run.stdout);
}

#[test]
fn a_signing_key_that_cannot_sign_commits_nothing() {
    if !ssh_keygen_available() {
        return;
    }
    let (sb, id) = team();
    let before = sb.head();
    sign_with(&sb, &sb.root().join("no-such-key").display().to_string());
    sb.tix(["comment", &id, "-m", "x"])
        .fails(6)
        .stderr_has(&["cannot sign the commit", "user.signingkey"]);
    assert_eq!(sb.head(), before);
    sb.git(["config", "commit.gpgsign", "false"]);
    sb.ok(["check"]);
}
