//! `tix redact`: a hidden entry's text appears in no output of any
//! command, while the redaction names who and why; who may redact.

use crate::common::Sandbox;
use serde_json::Value;

const SECRET: &str = "hunter2-ZQ9X";

/// Every way a ticket's text can be read, concatenated.
fn everything(sb: &Sandbox, id: &str) -> String {
    let mut out = String::new();
    for args in [
        vec!["show", id],
        vec!["show", id, "--format", "json"],
        vec!["show", id, "--public"],
        vec!["list", "--all", "--format", "json"],
        vec!["search", SECRET],
        vec!["search", "hunter2"],
        vec!["log", id],
    ] {
        let run = sb.tix(args.clone()).run();
        out.push_str(&run.stdout);
        out.push_str(&run.stderr);
    }
    // A reply's {{thread}}: the exact mail a reply would send.
    let preview = sb.tix(["reply", id, "-m", "Thanks", "--preview"]).run();
    out.push_str(&preview.stdout);
    out
}

#[test]
fn a_redacted_entry_is_hidden_everywhere_and_the_redaction_says_who_and_why() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]\noutgoing: {transport: file, dir: sent-mail}\nauto_reply: {enabled: false}");
    let id = sb.create("Login trouble");
    sb.tix(["comment", &id, "-m", &format!("The password is {SECRET}")])
        .ok();
    sb.tix([
        "reply",
        &id,
        "-m",
        &format!("Your password {SECRET} works now"),
    ])
    .ok();
    // Before: findable, so the checks below can fail.
    assert!(everything(&sb, &id).contains(SECRET));
    let entries = sb.entries(&id);
    let secret_files: Vec<String> = entries
        .iter()
        .filter(|e| e["body"].as_str().unwrap_or("").contains(SECRET))
        .map(|e| e["entry_file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(secret_files.len(), 2);
    for f in &secret_files {
        sb.tix(["redact", &id, f, "--reason", "password pasted"])
            .ok();
    }
    sb.assert_clean();
    let seen = everything(&sb, &id);
    assert!(
        !seen.contains(SECRET),
        "the secret is still readable:\n{seen}"
    );
    assert!(!seen.contains("hunter2"), "{seen}");
    let shown = sb.tix(["show", &id]).ok();
    assert!(
        shown.contains("[redacted by alice: password pasted]"),
        "{shown}"
    );
    let json: Vec<Value> = sb.entries(&id);
    let redactions: Vec<&Value> = json.iter().filter(|e| e["kind"] == "redact").collect();
    assert_eq!(redactions.len(), 2);
    assert_eq!(redactions[0]["author"], "alice");
    let hidden = json
        .iter()
        .find(|e| e["entry_file"] == secret_files[0].as_str())
        .unwrap();
    assert_eq!(hidden["redacted"]["reason"], "password pasted");
    // Append-only: the entry is there; check accepts the store.
    sb.ok(["check"]);
    // Twice: refused.
    sb.tix(["redact", &id, &secret_files[0], "--reason", "again"])
        .fails(6)
        .stderr_has(&["redacted already"]);
}

#[test]
fn only_admins_or_the_author_within_the_window_may_redact() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = sb.create("Login trouble");
    sb.tix(["comment", &id, "-m", "bob's slip"])
        .env("TIX_AGENT", "bob")
        .env("GIT_AUTHOR_EMAIL", "bob@example.com")
        .now("2026-11-02T09:00:00Z")
        .run();
    let note = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "note")
        .unwrap();
    let file = note["entry_file"].as_str().unwrap().to_string();
    assert_eq!(note["author"], "bob", "{note:#}");
    // bob, two hours later: past the default window of one hour.
    let bob = |now: &str| {
        sb.tix(["redact", &id, &file, "--reason", "oops", "--as", "bob"])
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .now(now)
            .run()
    };
    let late = bob("2026-11-02T11:00:00Z");
    assert_ne!(late.code, 0, "{}", late.stderr);
    assert!(late.stderr.contains("only an admin"), "{}", late.stderr);
    let soon = bob("2026-11-02T09:30:00Z");
    assert_eq!(soon.code, 0, "{}", soon.stderr);
    // A status change holds no text.
    sb.change(["status", &id, "pending"]);
    let status = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "status")
        .unwrap();
    sb.tix([
        "redact",
        &id,
        status["entry_file"].as_str().unwrap(),
        "--reason",
        "x",
    ])
    .fails(6)
    .stderr_has(&["holds no text"]);
    sb.tix(["redact", &id, "nosuchentry", "--reason", "x"])
        .fails(3);
}
