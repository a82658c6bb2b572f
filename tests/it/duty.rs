//! Duty: one clone imports mail, ticks and retries the outbox; the others
//! refuse. Real clones through a bare remote with real git.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::Sandbox;

const T0: &str = "2026-03-02T09:00:00Z";
const T0_30M: &str = "2026-03-02T09:30:00Z";
const T0_2H: &str = "2026-03-02T11:00:00Z";

/// A bare `origin.git`, and the sandbox's store dir as clone A holding a
/// store (agents alice and bob, replies written to files) already pushed.
fn team() -> Sandbox {
    let sb = Sandbox::new();
    let root = sb.root();
    sb.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "store"]);
    sb.ok(["init"]);
    sb.add_bob();
    sb.set_mail(
        "addresses: [support@example.com]\noutgoing:\n  transport: file\n  dir: ../sent-mail\n",
    );
    sb.tix(["sync"]).ok();
    sb
}

fn clone(sb: &Sandbox, name: &str) -> PathBuf {
    sb.git_in(&sb.root(), ["clone", "-q", "origin.git", name]);
    sb.root().join(name)
}

fn mail(message_id: &str, subject: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: Carol <carol@example.org>\r\nTo: support@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\n{extra}\r\n\
         Hello, {subject}.\r\n"
    )
    .into_bytes()
}

fn mbox(sb: &Sandbox, name: &str, message: &[u8]) -> PathBuf {
    let path = sb.root().join(name);
    let mut bytes = b"From carol@example.org Mon Mar  2 08:00:00 2026\n".to_vec();
    bytes.extend(
        String::from_utf8_lossy(message)
            .replace("\r\n", "\n")
            .as_bytes(),
    );
    bytes.push(b'\n');
    std::fs::write(&path, bytes).unwrap();
    path
}

fn status(sb: &Sandbox, dir: &Path, now: &str) -> Value {
    let out = sb
        .tix(["duty", "--format", "json"])
        .in_dir(dir)
        .now(now)
        .ok();
    serde_json::from_str(&out).unwrap()
}

fn import_eml(sb: &Sandbox, dir: &Path, message: Vec<u8>) -> Value {
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .in_dir(dir)
        .stdin(message)
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    v["messages"][0].clone()
}

#[test]
fn without_a_remote_or_before_anyone_takes_duty_every_clone_imports() {
    let single = Sandbox::init();
    assert_eq!(status(&single, &single.dir, T0)["state"], "no-remote");
    single.ok(["tick"]);
    single
        .tix(["duty", "take"])
        .fails(3)
        .stderr_has(&["no git remote", "on duty by itself"]);

    let sb = team();
    let b = clone(&sb, "b");
    assert_eq!(status(&sb, &b, T0)["state"], "not-in-use");
    sb.tix(["tick"]).in_dir(&b).ok();
    import_eml(&sb, &b, mail("early@example.org", "Before duty", ""));
}

#[test]
fn the_clone_on_duty_imports_and_the_others_refuse_unless_forced() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    sb.tix(["duty", "take"]).now(T0).ok();
    let held = status(&sb, &a, T0);
    assert_eq!(held["state"], "mine", "{held:#}");
    assert_eq!(held["record"]["holder"], "alice");
    assert_eq!(held["record"]["expires"], "2026-03-02T10:00:00.000000Z");
    // The clone id is this clone's own and is never committed.
    assert_eq!(
        std::fs::read_to_string(a.join(".git/tix/clone-id"))
            .unwrap()
            .trim(),
        held["clone"].as_str().unwrap()
    );
    assert!(
        !sb.git_in(&a, ["ls-files"]).contains("clone-id"),
        "the clone id is committed"
    );

    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    let theirs = status(&sb, &b, T0);
    assert_eq!(theirs["state"], "theirs");
    assert_ne!(theirs["clone"], held["clone"]);
    let before = sb.git_in(&b, ["rev-parse", "HEAD"]);
    sb.tix(["tick", "--as", "bob"])
        .in_dir(&b)
        .now(T0)
        .fails(9)
        .stderr_has(&[
            "tix tick runs only on the clone on duty",
            "alice on clone",
            "--force",
        ]);
    let box_b = mbox(&sb, "b.mbox", &mail("b1@example.org", "Refused on B", ""));
    sb.tix(["import", "mbox", box_b.to_str().unwrap(), "--as", "bob"])
        .in_dir(&b)
        .now(T0)
        .fails(9)
        .stderr_has(&["importing mail runs only on the clone on duty"]);
    // An MTA retries on 75 rather than bouncing the mail.
    sb.tix(["import", "eml", "--as", "bob"])
        .in_dir(&b)
        .now(T0)
        .stdin(mail("b2@example.org", "Refused on B", ""))
        .fails(75)
        .stderr_has(&["importing mail runs only on the clone on duty"]);
    sb.tix(["outbox", "retry", "--as", "bob"])
        .in_dir(&b)
        .now(T0)
        .fails(9);
    assert_eq!(sb.git_in(&b, ["rev-parse", "HEAD"]), before, "B wrote");

    // Forced, B imports, and the commit says it was an override.
    sb.tix([
        "import",
        "mbox",
        box_b.to_str().unwrap(),
        "--force",
        "--as",
        "bob",
    ])
    .in_dir(&b)
    .now(T0)
    .ok();
    let message = sb.git_in(&b, ["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Duty-Override: importing mail forced with --force on clone")
            && message.contains("alice on clone"),
        "{message}"
    );

    // A, on duty, imports and ticks.
    import_eml(&sb, &a, mail("a1@example.org", "Filed on A", ""));
    sb.tix(["tick"]).now(T0).ok();
}

#[test]
fn an_expired_lease_can_be_taken_over_and_a_release_frees_duty() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    sb.tix(["duty", "take", "--lease", "1h"]).now(T0).ok();
    sb.tix(["duty", "take", "--as", "bob"])
        .in_dir(&b)
        .now(T0_30M)
        .fails(8)
        .stderr_has(&["cannot take duty", "alice on clone"]);
    sb.tix(["duty", "release", "--as", "bob"])
        .in_dir(&b)
        .now(T0_30M)
        .fails(9)
        .stderr_has(&["does not hold it"]);

    // A's machine is gone; its lease runs out and B takes over.
    let taken = sb
        .tix(["duty", "take", "--as", "bob", "--format", "json"])
        .in_dir(&b)
        .now(T0_2H)
        .ok();
    let taken: Value = serde_json::from_str(&taken).unwrap();
    assert_eq!(taken["state"], "mine", "{taken:#}");
    assert_eq!(taken["record"]["holder"], "bob");

    // A comes back: it learns from the remote that it is no longer on duty.
    assert_eq!(status(&sb, &a, T0_2H)["state"], "free");
    sb.tix(["tick"])
        .now(T0_2H)
        .fails(9)
        .stderr_has(&["bob on clone"]);
    assert_eq!(status(&sb, &a, T0_2H)["state"], "theirs");

    // Released, nobody is on duty: every clone refuses until one takes it.
    sb.tix(["duty", "release", "--as", "bob"])
        .in_dir(&b)
        .now(T0_2H)
        .ok();
    sb.tix(["tick", "--as", "bob"])
        .in_dir(&b)
        .now(T0_2H)
        .fails(9)
        .stderr_has(&["nobody holds duty"]);
    let text = sb.tix(["duty"]).in_dir(&b).now(T0_2H).ok();
    assert!(text.contains("Nobody is on duty"), "{text}");
    sb.tix(["duty", "take"]).now(T0_2H).ok();
    sb.tix(["tick"]).now(T0_2H).ok();
}

#[test]
fn of_clones_taking_duty_at_once_exactly_one_wins() {
    let sb = team();
    let clones: Vec<PathBuf> = ["b", "c", "d"].iter().map(|n| clone(&sb, n)).collect();
    let codes: Vec<i32> = std::thread::scope(|scope| {
        let runs: Vec<_> = clones
            .iter()
            .map(|dir| {
                let sb = &sb;
                scope.spawn(move || sb.tix(["duty", "take"]).in_dir(dir).now(T0).run().code)
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| *c == 0 || *c == 8), "{codes:?}");
    let winner = &clones[codes.iter().position(|c| *c == 0).unwrap()];
    let mine = status(&sb, winner, T0);
    assert_eq!(mine["state"], "mine");
    for dir in clones.iter().filter(|d| *d != winner) {
        sb.tix(["sync"]).in_dir(dir).ok();
        let theirs = status(&sb, dir, T0);
        assert_eq!(theirs["state"], "theirs", "{theirs:#}");
        assert_eq!(theirs["record"]["clone"], mine["clone"]);
    }
}

#[test]
fn the_clone_on_duty_syncs_before_import_so_an_answer_to_a_reply_made_elsewhere_threads() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    sb.tix(["duty", "take"]).ok();
    let first = import_eml(&sb, &a, mail("q1@example.org", "Printer broken", ""));
    let id = first["ticket"].as_str().unwrap().to_string();
    sb.tix(["sync"]).ok();

    // B answers the customer and pushes; A has not synced since.
    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    sb.tix([
        "reply",
        &id,
        "-m",
        "Try turning it off and on",
        "--as",
        "bob",
    ])
    .in_dir(&b)
    .ok();
    let shown = sb.show_in(&b, &id);
    let reply_id = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reply")
        .and_then(|e| e["mail"]["message_id"].as_str())
        .expect("the reply has a Message-ID")
        .to_string();
    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();

    // The customer answers B's reply; the subject has no tag.
    let answer = mail(
        "q2@example.org",
        "Still broken",
        &format!("In-Reply-To: <{reply_id}>\r\nReferences: <{reply_id}>\r\n"),
    );
    let outcome = import_eml(&sb, &a, answer);
    assert_eq!(outcome["ticket"], id.as_str(), "{outcome:#}");
    assert_eq!(sb.list_ids(["list", "--all"]), vec![id]);
}

/// The Message-ID and subject of the reply `dir` made last on `id`.
fn last_reply(sb: &Sandbox, dir: &Path, id: &str) -> (String, String) {
    let shown = sb.show_in(dir, id);
    let reply = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["kind"] == "reply")
        .expect("a reply")
        .clone();
    (
        reply["mail"]["message_id"].as_str().unwrap().to_string(),
        reply["mail"]["subject"].as_str().unwrap().to_string(),
    )
}

fn quarantine_reasons(sb: &Sandbox, dir: &Path) -> Vec<String> {
    let out = sb
        .tix(["quarantine", "list", "--format", "json"])
        .in_dir(dir)
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|q| q["reason"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn mail_for_a_ticket_not_here_yet_is_held_and_threads_once_the_ticket_arrives() {
    let sb = team();
    let a = sb.dir.clone();
    let b = clone(&sb, "b");
    sb.tix(["duty", "take"]).ok();
    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    // B opens a ticket for a customer and writes to her; B has not pushed.
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Carol <carol@example.org>",
            "--subject",
            "Your order",
            "-m",
            "Phoned in",
            "--as",
            "bob",
        ])
        .in_dir(&b),
    );
    sb.tix(["reply", &id, "-m", "Which order number?", "--as", "bob"])
        .in_dir(&b)
        .ok();
    let (reply_id, reply_subject) = last_reply(&sb, &b, &id);
    assert!(reply_id.starts_with(&format!("tix-{id}.")), "{reply_id}");
    assert!(reply_subject.contains(&id), "{reply_subject}");

    // Her answer (by In-Reply-To) and a second one (by the tag alone)
    // reach A, which has never seen the ticket: both are held.
    let by_header = mail(
        "c1@example.org",
        "Re: order",
        &format!("In-Reply-To: <{reply_id}>\r\n"),
    );
    let outcome = import_eml(&sb, &a, by_header);
    assert_eq!(outcome["action"], "quarantined", "{outcome:#}");
    let by_tag = mail("c2@example.org", &format!("Re: {reply_subject}"), "");
    assert_eq!(import_eml(&sb, &a, by_tag)["action"], "quarantined");
    let held = format!("held: ticket {id} not here yet");
    assert_eq!(quarantine_reasons(&sb, &a), vec![held.clone(), held]);
    assert!(
        sb.list_ids(["list", "--all"]).is_empty(),
        "a ticket was made"
    );

    // B pushes; A's next tick syncs first and files both onto the ticket.
    sb.tix(["sync", "--as", "bob"]).in_dir(&b).ok();
    sb.tix(["tick"]).ok();
    assert_eq!(sb.list_ids(["list", "--all"]), vec![id.clone()]);
    assert!(quarantine_reasons(&sb, &a).is_empty());
    let ids: Vec<String> = sb
        .entries(&id)
        .iter()
        .filter_map(|e| e["mail"]["message_id"].as_str().map(str::to_string))
        .collect();
    assert!(
        ids.contains(&"c1@example.org".to_string()) && ids.contains(&"c2@example.org".to_string()),
        "{ids:?}"
    );
    sb.assert_clean();
}

#[test]
fn held_mail_named_by_hand_is_filed_as_a_new_ticket() {
    let sb = team();
    sb.tix(["duty", "take"]).ok();
    let outcome = import_eml(
        &sb,
        &sb.dir.clone(),
        mail("lost@example.org", "[tix #ZZZZ9999] Re: something", ""),
    );
    assert_eq!(outcome["action"], "quarantined", "{outcome:#}");
    let file = outcome["file"].as_str().unwrap().to_string();
    sb.tix(["quarantine", "retry", &file]).ok();
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 1);
}

#[test]
fn the_clone_on_duty_renews_its_lease_as_it_works() {
    let sb = team();
    let b = clone(&sb, "b");
    sb.tix(["duty", "take", "--lease", "1h"]).now(T0).ok();
    // Over half the lease left: nothing to renew.
    sb.tix(["tick"]).now("2026-03-02T09:20:00Z").ok();
    assert_eq!(
        status(&sb, &sb.dir, T0_30M)["record"]["expires"],
        "2026-03-02T10:00:00.000000Z"
    );
    // Less than half left: the tick renews it, for the same hour.
    sb.tix(["tick"]).now("2026-03-02T09:40:00Z").ok();
    assert_eq!(
        status(&sb, &sb.dir, T0_30M)["record"]["expires"],
        "2026-03-02T10:40:00.000000Z"
    );
    // Past the first expiry another clone still cannot take it.
    sb.tix(["duty", "take", "--as", "bob"])
        .in_dir(&b)
        .now("2026-03-02T10:10:00Z")
        .fails(8);
}
