//! Integration tests for `tix import` (mbox, Maildir, single messages):
//! threading, idempotence, subject tags, closed and locked tickets,
//! automatic mail, the blacklist, the quarantine, attachments, dates, dry
//! runs, the exit codes an MTA sees, crash safety and the real-world corpus
//! (found by `crate::common::corpus`).
//!
//! Every test runs the real `tix` binary in a [`Sandbox`] and checks what
//! it left behind: `tix show`/`tix list` JSON, files on disk, git history.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Sandbox, TIX, files_under, ids_of, kinds};
use serde_json::Value;

/// The Date most test messages carry: well before any clock the tests use.
const DATE: &str = "Mon, 02 Mar 2026 10:00:00 +0000";

// ---------------------------------------------------------------------------
// Building messages and mailboxes
// ---------------------------------------------------------------------------

/// A hand-written message with LF line endings.
#[derive(Clone, Debug)]
struct Mail {
    headers: Vec<(String, String)>,
    body: String,
    crlf: bool,
}

impl Mail {
    /// From `from`, To support@example.com, with `subject`, a fixed Date and
    /// Message-ID `<id>` (none when `id` is empty).
    fn new(from: &str, subject: &str, id: &str) -> Mail {
        let mut headers = vec![
            ("From".to_string(), from.to_string()),
            ("To".to_string(), "support@example.com".to_string()),
            ("Subject".to_string(), subject.to_string()),
            ("Date".to_string(), DATE.to_string()),
        ];
        if !id.is_empty() {
            headers.push(("Message-ID".to_string(), format!("<{id}>")));
        }
        Mail {
            headers,
            body: format!("Text of {subject}\n"),
            crlf: false,
        }
    }

    /// Sets `name` (replacing any earlier value), or adds it.
    fn set(mut self, name: &str, value: &str) -> Mail {
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(h) => h.1 = value.to_string(),
            None => self.headers.push((name.to_string(), value.to_string())),
        }
        self
    }

    fn without(mut self, name: &str) -> Mail {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    fn reply_to(self, id: &str) -> Mail {
        self.set("In-Reply-To", &format!("<{id}>"))
    }

    fn body(mut self, body: &str) -> Mail {
        self.body = body.to_string();
        self
    }

    fn crlf(mut self) -> Mail {
        self.crlf = true;
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut s = String::new();
        for (n, v) in &self.headers {
            s.push_str(&format!("{n}: {v}\n"));
        }
        s.push('\n');
        s.push_str(&self.body);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        if self.crlf {
            s = s.replace('\n', "\r\n");
        }
        s.into_bytes()
    }
}

/// An mbox (mboxrd): a `From ` line before each message, `>`-escaping of
/// body lines that start with `>*From `, and a blank line after each
/// message, as mail delivery agents write it.
fn mbox(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend_from_slice(b"From sender@example.com Mon Mar  2 10:00:00 2026\n");
        for line in m.split_inclusive(|b| *b == b'\n') {
            let unquoted = line.iter().position(|b| *b != b'>').unwrap_or(line.len());
            if line[unquoted..].starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        if !m.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

/// The bytes of a message as an mbox reader gives them back: unescaped,
/// without the `From ` line and the separating blank line.
fn as_in_mbox(message: &[u8]) -> Vec<u8> {
    let mut m = message.to_vec();
    if !m.ends_with(b"\n") {
        m.push(b'\n');
    }
    m
}

static INPUTS: AtomicUsize = AtomicUsize::new(0);

/// Writes `bytes` to a new file in the sandbox (outside the store).
fn input_file(sb: &Sandbox, ext: &str, bytes: &[u8]) -> PathBuf {
    let dir = sb.mkdir("inputs");
    let n = INPUTS.fetch_add(1, Ordering::SeqCst);
    let path = dir.join(format!("input-{n}.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[track_caller]
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Imports `messages` as one mbox with `--format json` (at `now`, if
/// given); asserts success and a clean work tree; returns the report.
#[track_caller]
fn import_mbox_at(sb: &Sandbox, messages: &[Vec<u8>], now: Option<&str>) -> Value {
    let file = input_file(sb, "mbox", &mbox(messages));
    let mut tix = sb
        .tix(["import", "mbox"])
        .arg(&file)
        .arg_pair("--format", "json");
    if let Some(now) = now {
        tix = tix.now(now);
    }
    let out = json(&tix.ok());
    sb.assert_clean();
    out
}

#[track_caller]
fn import_mbox(sb: &Sandbox, messages: &[Vec<u8>]) -> Value {
    import_mbox_at(sb, messages, None)
}

/// Imports one message with `tix import eml` from stdin (at `now`, if
/// given); asserts exit 0 and a clean work tree; returns its outcome.
#[track_caller]
fn import_one_at(sb: &Sandbox, mail: &Mail, now: Option<&str>) -> Value {
    let mut tix = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(mail.bytes());
    if let Some(now) = now {
        tix = tix.now(now);
    }
    let out = json(&tix.ok());
    sb.assert_clean();
    assert_eq!(out["counts"]["messages"], 1, "{out:#}");
    out["messages"][0].clone()
}

#[track_caller]
fn import_one(sb: &Sandbox, mail: &Mail) -> Value {
    import_one_at(sb, mail, None)
}

/// The ticket a `created` or `follow-up` outcome names.
#[track_caller]
fn ticket_of(outcome: &Value) -> String {
    outcome["ticket"]
        .as_str()
        .unwrap_or_else(|| panic!("outcome names no ticket: {outcome:#}"))
        .to_string()
}

#[track_caller]
fn assert_action(outcome: &Value, action: &str) {
    assert_eq!(outcome["action"], action, "unexpected outcome: {outcome:#}");
}

/// Every file of the store with its bytes, `.git` excluded.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Files of the store outside `tickets/`, `quarantine/` and `.tix/`.
fn stray_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .filter(|p| {
            !(p.starts_with("tickets") || p.starts_with("quarantine") || p.starts_with(".tix"))
        })
        .collect()
}

/// The git blob id of `bytes`: what names a quarantined message and what a
/// message without Message-ID is known by.
fn blob_id(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .unwrap()
        .to_string()
}

/// Entries of `kind`.
fn of_kind<'a>(entries: &'a [Value], kind: &str) -> Vec<&'a Value> {
    entries.iter().filter(|e| e["kind"] == kind).collect()
}

fn emails(parties: &Value) -> BTreeSet<String> {
    parties
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {parties}"))
        .iter()
        .map(|p| p["email"].as_str().unwrap().to_string())
        .collect()
}

fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The outcome counts that partition the messages.
const OUTCOME_COUNTS: &[&str] = &[
    "new_tickets",
    "follow_ups",
    "noted",
    "duplicates",
    "auto_replies",
    "bounces",
    "lists",
    "loops",
    "blacklisted",
    "quarantined",
];

#[track_caller]
fn count(report: &Value, name: &str) -> u64 {
    report["counts"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no count {name}: {report:#}"))
}

/// `tix check --format json`: asserts exit 0, no errors and no warnings.
#[track_caller]
fn assert_check_clean(sb: &Sandbox) {
    let report = json(&sb.ok(["check", "--format", "json"]));
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["warnings"], serde_json::json!([]), "{report:#}");
}

// ---------------------------------------------------------------------------
// 1. Threading in an mbox; customer and Cc
// ---------------------------------------------------------------------------

fn printer_thread() -> [Mail; 3] {
    let m1 = Mail::new(
        "Ann Lee <ann@example.com>",
        "Printer broken",
        "m1@example.com",
    )
    .set("To", "support@example.com, Carl Cole <carl@example.com>")
    .set("Cc", "Dana Diaz <dana@example.org>")
    .body("It says error 42.\nFrom the start it was odd.\n>From a quote.\n");
    let m2 = Mail::new(
        "Carl Cole <carl@example.com>",
        "Re: Printer broken",
        "m2@example.com",
    )
    .reply_to("m1@example.com")
    .set("References", "<m1@example.com>")
    .body("Same here on floor 2.\n");
    // Threads only by References; its first reference is unknown.
    let m3 = Mail::new(
        "Ann Lee <ann@example.com>",
        "Re: Printer broken",
        "m3@example.com",
    )
    .set("References", "<unknown@elsewhere.example> <m2@example.com>")
    .body("Any news?\n");
    [m1, m2, m3]
}

#[test]
fn mbox_threads_by_in_reply_to_and_references_and_records_cc() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let [m1, m2, m3] = printer_thread();
    let before = sb.commit_count();
    let report = import_mbox(&sb, &[m1.bytes(), m2.bytes(), m3.bytes()]);
    assert_eq!(count(&report, "messages"), 3, "{report:#}");
    assert_eq!(count(&report, "new_tickets"), 1, "{report:#}");
    assert_eq!(count(&report, "follow_ups"), 2, "{report:#}");
    assert_eq!(sb.commit_count(), before + 1, "one batch, one commit");
    assert_eq!(
        sb.last_commit(),
        "tix mail import\tsupport@example.com\ttix: import mail"
    );

    let outcomes = report["messages"].as_array().unwrap();
    assert_action(&outcomes[0], "created");
    assert_action(&outcomes[1], "follow-up");
    assert_action(&outcomes[2], "follow-up");
    let id = ticket_of(&outcomes[0]);
    assert_eq!(ticket_of(&outcomes[1]), id);
    assert_eq!(ticket_of(&outcomes[2]), id);
    assert_eq!(sb.list_ids(["list", "--all"]), vec![id.clone()]);

    let show = sb.show(&id);
    let t = &show["ticket"];
    assert_eq!(t["subject"], "Printer broken");
    assert_eq!(t["customer"]["email"], "ann@example.com");
    assert_eq!(t["customer"]["name"], "Ann Lee");
    assert_eq!(
        emails(&t["cc"]),
        set(["carl@example.com", "dana@example.org"]),
        "To recipients besides the support address and Cc become Cc"
    );
    assert_eq!(t["status"], "new");
    assert_eq!(t["messages"], 3);
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "message", "message", "message"]);
    let msgs = of_kind(entries, "message");
    assert_eq!(msgs[0]["mail"]["message_id"], "m1@example.com");
    assert_eq!(msgs[0]["from"]["email"], "ann@example.com");
    // mbox `>From` escaping is undone: the unquoted line in the body, the
    // quoted one (split off as quoted text) with its single `>`.
    assert!(
        msgs[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("It says error 42.\nFrom the start it was odd.\n"),
        "mbox escaping undone in the body: {:?}",
        msgs[0]["body"]
    );
    let quoted = msgs[0]["mail"]["quoted"].as_str().expect("a quoted part");
    let quoted = std::fs::read_to_string(sb.ticket_dir(&id).join(quoted)).unwrap();
    assert!(
        quoted.contains(">From a quote.") && !quoted.contains(">>From"),
        "{quoted:?}"
    );
    assert_eq!(
        emails(&msgs[0]["mail"]["to"]),
        set(["support@example.com", "carl@example.com"])
    );
    assert_eq!(emails(&msgs[0]["mail"]["cc"]), set(["dana@example.org"]));
    assert_eq!(msgs[1]["mail"]["message_id"], "m2@example.com");
    assert_eq!(
        msgs[1]["mail"]["in_reply_to"],
        serde_json::json!(["m1@example.com"])
    );
    assert_eq!(msgs[1]["from"]["email"], "carl@example.com");
    assert!(msgs[1]["body"].as_str().unwrap().contains("Same here"));
    assert_eq!(msgs[2]["mail"]["message_id"], "m3@example.com");
    assert_eq!(
        msgs[2]["mail"]["references"],
        serde_json::json!(["unknown@elsewhere.example", "m2@example.com"])
    );
    assert!(msgs[2]["body"].as_str().unwrap().contains("Any news?"));

    // Every message's original is kept inside the ticket directory.
    for m in &msgs {
        let raw = m["mail"]["raw"].as_str().unwrap();
        let stem = m["entry_file"].as_str().unwrap().trim_end_matches(".md");
        assert!(
            raw.contains(stem) && !raw.starts_with('/') && !raw.contains(".."),
            "mail.raw {raw:?} is not a path of this entry inside the ticket dir"
        );
        assert!(sb.ticket_dir(&id).join(raw).is_file(), "{raw} missing");
    }

    // Cc people are found by `--customer`, like the customer.
    for who in [
        "dana",
        "dana@example.org",
        "Carl",
        "carl@example.com",
        "ann@",
    ] {
        assert_eq!(
            sb.list_ids(["list", "--all", "--customer", who]),
            vec![id.clone()],
            "--customer {who}"
        );
    }
    assert!(
        sb.list_ids(["list", "--all", "--customer", "nobody"])
            .is_empty()
    );
    assert_check_clean(&sb);
}

/// People a participant copies join the Cc. (A stranger who threads by
/// header does not, nor do those they copy: see tests/mail_trust.rs.)
#[test]
fn new_people_a_participant_copies_join_the_cc() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let [m1, _, _] = printer_thread();
    let id = ticket_of(&import_one(&sb, &m1));
    let eve = Mail::new(
        "Carl Cole <carl@example.com>",
        "Re: Printer broken",
        "carl1@example.com",
    )
    .reply_to("m1@example.com")
    .set(
        "To",
        "support@example.com, Eve Ek <eve@example.com>, Gus <gus@example.com>",
    );
    let out = import_one(&sb, &eve);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), id);
    let show = sb.show(&id);
    assert_eq!(
        emails(&show["ticket"]["cc"]),
        set([
            "carl@example.com",
            "dana@example.org",
            "eve@example.com",
            "gus@example.com"
        ])
    );
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "message", "message", "cc"]);
    assert_eq!(
        emails(&entries[3]["add"]),
        set(["eve@example.com", "gus@example.com"])
    );
    assert_eq!(
        sb.list_ids(["list", "--all", "--customer", "gus"]),
        vec![id.clone()]
    );
}

#[test]
fn the_same_message_twice_in_one_mbox_is_filed_once() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let [m1, m2, _] = printer_thread();
    let report = import_mbox(&sb, &[m1.bytes(), m2.bytes(), m1.bytes()]);
    assert_eq!(count(&report, "new_tickets"), 1, "{report:#}");
    assert_eq!(count(&report, "follow_ups"), 1, "{report:#}");
    assert_eq!(count(&report, "duplicates"), 1, "{report:#}");
    let id = ticket_of(&report["messages"][0]);
    assert_action(&report["messages"][2], "duplicate");
    assert_eq!(report["messages"][2]["ticket"], id.as_str());
    assert_eq!(kinds(&sb.entries(&id)), ["created", "message", "message"]);
}

#[test]
fn mbox_original_is_stored_byte_for_byte() {
    let sb = Sandbox::init();
    let [m1, m2, m3] = printer_thread();
    let report = import_mbox(&sb, &[m1.bytes(), m2.bytes(), m3.bytes()]);
    let id = ticket_of(&report["messages"][0]);
    let entries = sb.entries(&id);
    let msgs = of_kind(&entries, "message");
    assert_eq!(msgs.len(), 3);
    for (entry, mail) in msgs.iter().zip([&m1, &m2, &m3]) {
        let raw = entry["mail"]["raw"].as_str().unwrap();
        let stored = std::fs::read(sb.ticket_dir(&id).join(raw)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&stored),
            String::from_utf8_lossy(&as_in_mbox(&mail.bytes())),
            "{raw} differs from the message in the mbox"
        );
    }
}

// ---------------------------------------------------------------------------
// 2. Maildir, and single messages from stdin and from a file
// ---------------------------------------------------------------------------

#[test]
fn maildir_cur_and_new_and_eml_from_stdin_and_file() {
    let sb = Sandbox::init();
    let maildir = sb.mkdir("Maildir");
    for d in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(d)).unwrap();
    }
    let first = Mail::new(
        "Ann Lee <ann@example.com>",
        "Maildir one",
        "md1@example.com",
    );
    let reply = Mail::new(
        "Ann Lee <ann@example.com>",
        "Re: Maildir one",
        "md2@example.com",
    )
    .reply_to("md1@example.com");
    let other = Mail::new("Eve <eve@example.net>", "Maildir two", "md3@example.net");
    std::fs::write(maildir.join("cur/1772445600.M1P1.host:2,S"), first.bytes()).unwrap();
    std::fs::write(maildir.join("new/1772445601.M2P2.host"), other.bytes()).unwrap();
    let report = json(
        &sb.tix(["import", "maildir"])
            .arg(&maildir)
            .arg_pair("--format", "json")
            .ok(),
    );
    sb.assert_clean();
    assert_eq!(count(&report, "messages"), 2, "{report:#}");
    assert_eq!(count(&report, "new_tickets"), 2, "{report:#}");
    let sources: BTreeSet<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source"].as_str().unwrap().to_string())
        .collect();
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("cur/1772445600.M1P1.host:2,S"))
    );
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("new/1772445601.M2P2.host"))
    );

    // The reply arrives later in new/; importing the folder again files
    // only it.
    std::fs::write(maildir.join("new/1772445700.M3P3.host"), reply.bytes()).unwrap();
    let report = json(
        &sb.tix(["import", "maildir"])
            .arg(&maildir)
            .arg_pair("--format", "json")
            .ok(),
    );
    sb.assert_clean();
    assert_eq!(count(&report, "messages"), 3, "{report:#}");
    assert_eq!(count(&report, "duplicates"), 2, "{report:#}");
    assert_eq!(count(&report, "follow_ups"), 1, "{report:#}");
    let ids = sb.list_ids(["list", "--all", "--text", "Maildir one"]);
    assert_eq!(ids.len(), 1);
    assert_eq!(
        kinds(&sb.entries(&ids[0])),
        ["created", "message", "message"]
    );

    // One message on stdin, with CRLF line endings: kept byte for byte.
    let piped = Mail::new("Finn <finn@example.com>", "Piped in", "e1@example.com")
        .body("Hello from the MTA.\n")
        .crlf();
    let out = import_one(&sb, &piped);
    assert_action(&out, "created");
    assert_eq!(out["source"], "stdin");
    let id = ticket_of(&out);
    let entries = sb.entries(&id);
    let msg = of_kind(&entries, "message")[0];
    assert!(
        msg["body"]
            .as_str()
            .unwrap()
            .contains("Hello from the MTA.")
    );
    let raw = sb
        .ticket_dir(&id)
        .join(msg["mail"]["raw"].as_str().unwrap());
    assert_eq!(std::fs::read(raw).unwrap(), piped.bytes());

    // And one from a FILE argument.
    let answer = Mail::new("Finn <finn@example.com>", "Re: Piped in", "e2@example.com")
        .reply_to("e1@example.com")
        .body("Also from a file.\n");
    let file = input_file(&sb, "eml", &answer.bytes());
    let out = json(
        &sb.tix(["import", "eml"])
            .arg(&file)
            .arg_pair("--format", "json")
            .ok(),
    );
    sb.assert_clean();
    let out = &out["messages"][0];
    assert_action(out, "follow-up");
    assert_eq!(ticket_of(out), id);
    assert_eq!(out["source"], file.display().to_string());
    let entries = sb.entries(&id);
    let msgs = of_kind(&entries, "message");
    assert_eq!(msgs.len(), 2);
    let raw = sb
        .ticket_dir(&id)
        .join(msgs[1]["mail"]["raw"].as_str().unwrap());
    assert_eq!(std::fs::read(raw).unwrap(), answer.bytes());
    assert_check_clean(&sb);
}

#[test]
fn crlf_mail_gets_a_body_with_plain_newlines() {
    let sb = Sandbox::init();
    let piped = Mail::new("Finn <finn@example.com>", "Piped in", "crlf1@example.com")
        .body("Hello from the MTA.\nSecond line.\n")
        .crlf();
    let id = ticket_of(&import_one(&sb, &piped));
    let entries = sb.entries(&id);
    let body = of_kind(&entries, "message")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.starts_with("Hello from the MTA.\nSecond line.\n"),
        "{body:?}"
    );
    assert!(!body.contains('\r'), "{body:?}");
}

// ---------------------------------------------------------------------------
// 3. Idempotence
// ---------------------------------------------------------------------------

#[test]
fn importing_the_same_mbox_twice_changes_nothing() {
    let sb = Sandbox::init();
    let [m1, m2, m3] = printer_thread();
    // Two messages without a Message-ID: a new one and a reply.
    let anon_new = Mail::new("Zed <zed@example.com>", "No id here", "").body("Anonymous.\n");
    let anon_reply = Mail::new("Ann Lee <ann@example.com>", "Re: Printer broken", "")
        .reply_to("m1@example.com")
        .body("A reply without an id.\n");
    let messages = [
        m1.bytes(),
        m2.bytes(),
        anon_new.bytes(),
        m3.bytes(),
        anon_reply.bytes(),
    ];
    let file = input_file(&sb, "mbox", &mbox(&messages));
    let run = || {
        let out = json(
            &sb.tix(["import", "mbox"])
                .arg(&file)
                .arg_pair("--format", "json")
                .ok(),
        );
        sb.assert_clean();
        out
    };
    let first = run();
    assert_eq!(count(&first, "new_tickets"), 2, "{first:#}");
    assert_eq!(count(&first, "follow_ups"), 3, "{first:#}");

    // A message without Message-ID is known by its git blob id.
    let anon_ticket = ticket_of(&first["messages"][2]);
    let entries = sb.entries(&anon_ticket);
    let msg = of_kind(&entries, "message")[0];
    let id = msg["mail"]["message_id"].as_str().unwrap();
    let raw = std::fs::read(
        sb.ticket_dir(&anon_ticket)
            .join(msg["mail"]["raw"].as_str().unwrap()),
    )
    .unwrap();
    assert_eq!(id, format!("{}@tix.invalid", blob_id(&raw)));

    let head = sb.head();
    let files = snapshot(&sb.dir);
    let list = sb.list_json(["list", "--all"]);
    let second = run();
    assert_eq!(count(&second, "messages"), 5, "{second:#}");
    assert_eq!(count(&second, "duplicates"), 5, "{second:#}");
    for c in OUTCOME_COUNTS.iter().filter(|c| **c != "duplicates") {
        assert_eq!(count(&second, c), 0, "{c}: {second:#}");
    }
    assert_eq!(count(&second, "commits"), 0);
    for (m, f) in second["messages"]
        .as_array()
        .unwrap()
        .iter()
        .zip(first["messages"].as_array().unwrap())
    {
        assert_action(m, "duplicate");
        assert_eq!(m["ticket"], f["ticket"], "{m:#}");
    }
    assert_eq!(sb.head(), head, "a run that files nothing must not commit");
    assert_eq!(snapshot(&sb.dir), files, "the store changed");
    assert_eq!(sb.list_json(["list", "--all"]), list);
}

#[test]
fn a_message_without_id_is_a_duplicate_whether_piped_or_from_an_mbox() {
    let sb = Sandbox::init();
    let anon = Mail::new("Zed <zed@example.com>", "No id here", "").body("Anonymous.\n");
    let out = import_one(&sb, &anon);
    assert_action(&out, "created");
    let report = import_mbox(&sb, &[anon.bytes()]);
    assert_action(&report["messages"][0], "duplicate");
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 1);
}

// ---------------------------------------------------------------------------
// 4. Subject tags
// ---------------------------------------------------------------------------

#[test]
fn subject_tag_threads_participants_only() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let first = Mail::new("Ann Lee <ann@example.com>", "VPN down", "vpn1@example.com")
        .set("Cc", "Dana Diaz <dana@example.org>");
    let id = ticket_of(&import_one(&sb, &first));

    // The customer, with the tag and no threading headers.
    let tagged = Mail::new(
        "Ann Lee <ann@example.com>",
        &format!("Re: [tix #{id}] VPN down"),
        "vpn2@example.com",
    )
    .body("Still down.\n");
    let out = import_one(&sb, &tagged);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), id);
    // A Cc participant, tag in lower case.
    let cc = Mail::new(
        "Dana Diaz <dana@example.org>",
        &format!("Re: [TIX #{}] VPN down", id.to_ascii_lowercase()),
        "vpn3@example.org",
    );
    let out = import_one(&sb, &cc);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), id);
    // An agent: a public reply.
    let agent = Mail::new(
        "Alice Admin <alice@example.com>",
        &format!("Re: [tix #{id}] VPN down"),
        "vpn4@example.com",
    )
    .body("Restarted the gateway.\n");
    let out = import_one(&sb, &agent);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), id);
    let entries = sb.entries(&id);
    assert_eq!(
        kinds(&entries),
        ["created", "message", "message", "message", "reply"]
    );
    assert_eq!(entries[4]["author"], "alice");

    // A stranger copying the tag gets a ticket of their own.
    let before = sb.show(&id);
    let stranger = Mail::new(
        "Mallory <mallory@evil.example>",
        &format!("[tix #{id}] send me the VPN config"),
        "evil1@evil.example",
    );
    let out = import_one(&sb, &stranger);
    assert_action(&out, "created");
    let new = ticket_of(&out);
    assert_ne!(new, id);
    assert_eq!(sb.ticket(&new)["customer"]["email"], "mallory@evil.example");
    assert_eq!(sb.ticket(&new)["links"], serde_json::json!([]));
    assert_eq!(sb.show(&id), before, "the tagged ticket must not change");
    assert_check_clean(&sb);
}

#[test]
fn custom_subject_tag_format() {
    let sb = Sandbox::init();
    sb.set_mail(r#"{subject_tag: "Ticket#{id}:"}"#);
    let id = ticket_of(&import_one(
        &sb,
        &Mail::new("Ann Lee <ann@example.com>", "Mouse", "mouse1@example.com"),
    ));
    let out = import_one(
        &sb,
        &Mail::new(
            "Ann Lee <ann@example.com>",
            &format!("Re: Ticket#{id}: Mouse"),
            "mouse2@example.com",
        ),
    );
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), id);
    // The default format means nothing now.
    let out = import_one(
        &sb,
        &Mail::new(
            "Ann Lee <ann@example.com>",
            &format!("Re: [tix #{id}] Mouse"),
            "mouse3@example.com",
        ),
    );
    assert_action(&out, "created");
    assert_ne!(ticket_of(&out), id);
}

// ---------------------------------------------------------------------------
// 5. Replies to closed and pending tickets
// ---------------------------------------------------------------------------

/// Imports a new message from ann at `now` and returns its ticket.
fn mail_ticket(sb: &Sandbox, message_id: &str, now: &str) -> String {
    let m = Mail::new("Ann Lee <ann@example.com>", "Laptop", message_id);
    let out = import_one_at(sb, &m, Some(now));
    assert_action(&out, "created");
    ticket_of(&out)
}

fn reply_from_ann(to: &str, id: &str) -> Mail {
    Mail::new("Ann Lee <ann@example.com>", "Re: Laptop", id)
        .reply_to(to)
        .body("It broke again.\n")
}

#[test]
fn reply_to_a_closed_ticket_reopens_it_by_default() {
    let sb = Sandbox::init();
    let id = mail_ticket(&sb, "c1@example.com", "2026-03-02T11:00:00Z");
    sb.change_with(sb.tix(["close", &id]).now("2026-03-02T12:00:00Z"));
    assert_eq!(sb.ticket(&id)["status"], "closed");
    let report = import_mbox_at(
        &sb,
        &[reply_from_ann("c1@example.com", "c2@example.com").bytes()],
        Some("2026-03-20T12:00:00Z"),
    );
    assert_eq!(count(&report, "follow_ups"), 1, "{report:#}");
    assert_eq!(count(&report, "reopened"), 1, "{report:#}");
    let out = &report["messages"][0];
    assert_action(out, "follow-up");
    assert_eq!(ticket_of(out), id);
    assert_eq!(out["reopened"], true);
    let show = sb.show(&id);
    assert_eq!(show["ticket"]["status"], "open");
    assert_eq!(show["ticket"]["reopened"], 1);
    assert_eq!(show["ticket"]["closed_at"], Value::Null);
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(
        kinds(entries),
        ["created", "message", "close", "message", "status"]
    );
    assert_eq!(entries[4]["to"], "open");
    assert_eq!(sb.list_ids(["list", "--all"]), [id]);
}

/// `tix show --format json` without `linked_from` (the links other
/// tickets have to this one): what the ticket itself holds.
fn stored(sb: &Sandbox, id: &str) -> serde_json::Value {
    let mut show = sb.show(id);
    show.as_object_mut().unwrap().remove("linked_from");
    show
}

#[test]
fn reply_to_a_closed_ticket_starts_a_linked_one_with_closed_reply_new() {
    let sb = Sandbox::init();
    sb.set_mail("{closed_reply: new}");
    let old = mail_ticket(&sb, "n1@example.com", "2026-03-02T11:00:00Z");
    sb.change_with(sb.tix(["close", &old]).now("2026-03-02T12:00:00Z"));
    let before = stored(&sb, &old);
    let out = import_one_at(
        &sb,
        &reply_from_ann("n1@example.com", "n2@example.com"),
        Some("2026-03-02T13:00:00Z"),
    );
    assert_action(&out, "created");
    assert_eq!(out["linked_to"], old.as_str());
    let new = ticket_of(&out);
    assert_ne!(new, old);
    let t = sb.ticket(&new);
    assert_eq!(
        t["links"],
        serde_json::json!([{"rel": "related", "target": old}])
    );
    assert_eq!(t["customer"]["email"], "ann@example.com");
    assert_eq!(t["status"], "new");
    assert_eq!(kinds(&sb.entries(&new)), ["created", "link", "message"]);
    assert_eq!(
        stored(&sb, &old),
        before,
        "the closed ticket must not change"
    );

    // A later reply to the reply threads onto the new ticket.
    let out = import_one_at(
        &sb,
        &reply_from_ann("n2@example.com", "n3@example.com"),
        Some("2026-03-02T14:00:00Z"),
    );
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), new);
}

#[test]
fn closed_reply_new_after_days_depends_on_the_time_since_the_close() {
    let sb = Sandbox::init();
    sb.set_mail("{closed_reply: new-after-days, reopen_days: 1}");
    // Closed, and the reply comes two days later: a new ticket.
    let late = mail_ticket(&sb, "late1@example.com", "2026-03-02T09:00:00Z");
    sb.change_with(sb.tix(["close", &late]).now("2026-03-02T10:00:00Z"));
    let before = stored(&sb, &late);
    let out = import_one_at(
        &sb,
        &reply_from_ann("late1@example.com", "late2@example.com"),
        Some("2026-03-04T10:00:00Z"),
    );
    assert_action(&out, "created");
    assert_eq!(out["linked_to"], late.as_str());
    let new = ticket_of(&out);
    assert_eq!(
        sb.ticket(&new)["links"],
        serde_json::json!([{"rel": "related", "target": late}])
    );
    assert_eq!(stored(&sb, &late), before);

    // Closed, and the reply comes within the day: reopened.
    let soon = mail_ticket(&sb, "soon1@example.com", "2026-03-02T09:00:00Z");
    sb.change_with(sb.tix(["close", &soon]).now("2026-03-02T10:00:00Z"));
    let out = import_one_at(
        &sb,
        &reply_from_ann("soon1@example.com", "soon2@example.com"),
        Some("2026-03-02T20:00:00Z"),
    );
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), soon);
    assert_eq!(out["reopened"], true);
    let t = sb.ticket(&soon);
    assert_eq!(t["status"], "open");
    assert_eq!(t["reopened"], 1);
}

/// Closes `id` as an agent at `now`.
fn close_at(sb: &Sandbox, id: &str, now: &str) {
    sb.change_with(sb.tix(["close", id]).now(now));
}

/// Customer mail reopens a closed ticket up to `mail.reopen_limit.per_day`
/// times in any 24 hours; beyond that it is an internal note with a note
/// by tix saying why, the ticket stays closed, and once the oldest
/// reopening is a day old mail reopens again. Counted from the trail, so
/// a store whose derived index is gone decides alike.
#[test]
fn mail_beyond_the_reopen_limit_is_a_note_and_the_ticket_stays_closed() {
    let sb = Sandbox::init();
    sb.set_mail("{reopen_limit: {per_day: 2}}");
    let id = mail_ticket(&sb, "rl0@example.com", "2026-03-02T09:00:00Z");
    let mut n = 0;
    let mut reply_at = |now: &str| {
        n += 1;
        let m = reply_from_ann("rl0@example.com", &format!("rl{n}@example.com"))
            .body(&format!("Still broken, take {n}.\n"));
        import_mbox_at(&sb, &[m.bytes()], Some(now))
    };
    close_at(&sb, &id, "2026-03-02T10:00:00Z");
    let report = reply_at("2026-03-02T11:00:00Z");
    assert_eq!(report["messages"][0]["reopened"], true, "{report:#}");
    close_at(&sb, &id, "2026-03-02T12:00:00Z");
    let report = reply_at("2026-03-02T13:00:00Z");
    assert_eq!(report["messages"][0]["reopened"], true, "{report:#}");
    close_at(&sb, &id, "2026-03-02T14:00:00Z");

    // The third within a day: kept closed.
    let report = reply_at("2026-03-02T15:00:00Z");
    let out = &report["messages"][0];
    assert_action(out, "kept-closed");
    assert_eq!(ticket_of(out), id);
    assert_eq!(count(&report, "kept_closed"), 1, "{report:#}");
    assert_eq!(count(&report, "reopened"), 0, "{report:#}");
    let show = sb.show(&id);
    assert_eq!(show["ticket"]["status"], "closed");
    assert_eq!(show["ticket"]["reopened"], 2);
    let entries = show["entries"].as_array().unwrap();
    let last = &entries[entries.len() - 2..];
    assert_eq!(kinds(last), ["note", "note"]);
    assert_eq!(last[0]["author"], "ann@example.com");
    assert_eq!(last[0]["mail"]["message_id"], "rl3@example.com");
    assert!(
        last[0]["body"].as_str().unwrap().contains("take 3"),
        "{last:#?}"
    );
    let why = last[1]["body"].as_str().unwrap();
    assert_eq!(last[1]["author"], "tix");
    assert!(
        why.starts_with("Not reopened:") && why.contains("mail.reopen_limit.per_day is 2"),
        "{why}"
    );
    // The original is kept with the note.
    let raw = last[0]["mail"]["raw"].as_str().unwrap();
    assert!(sb.ticket_dir(&id).join(raw).is_file(), "{raw}");
    let text = sb.ok(["show", &id]);
    assert!(text.contains("Not reopened:"), "{text}");
    // The same Message-ID again is a duplicate, not a second note.
    let again = reply_from_ann("rl0@example.com", "rl3@example.com");
    let out = import_one_at(&sb, &again, Some("2026-03-02T15:30:00Z"));
    assert_action(&out, "duplicate");

    // Without the derived index, the trail says the same.
    std::fs::remove_dir_all(sb.dir.join(".git/tix/index")).unwrap();
    let report = reply_at("2026-03-03T10:30:00Z");
    assert_action(&report["messages"][0], "kept-closed");

    // A day after the first reopening, one fewer counts: reopened.
    let report = reply_at("2026-03-03T11:30:00Z");
    assert_eq!(report["messages"][0]["reopened"], true, "{report:#}");
    assert_eq!(sb.ticket(&id)["status"], "open");
}

/// A clone that never saw the reopenings happen counts them from the
/// trail it pulled, so it keeps the ticket closed just as the clone that
/// reopened it would.
#[test]
fn another_clone_counts_the_reopenings_by_mail_from_the_trail() {
    let sb = Sandbox::new();
    let root = sb.root();
    sb.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "store"]);
    sb.ok(["init"]);
    sb.set_mail("{reopen_limit: {per_day: 1}}");
    let id = mail_ticket(&sb, "cl0@example.com", "2026-03-02T09:00:00Z");
    close_at(&sb, &id, "2026-03-02T10:00:00Z");
    let out = import_one_at(
        &sb,
        &reply_from_ann("cl0@example.com", "cl1@example.com"),
        Some("2026-03-02T11:00:00Z"),
    );
    assert_eq!(out["reopened"], true, "{out:#}");
    close_at(&sb, &id, "2026-03-02T12:00:00Z");
    sb.tix(["sync"]).ok();

    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .in_dir(&b)
        .stdin(reply_from_ann("cl0@example.com", "cl2@example.com").bytes())
        .now("2026-03-02T13:00:00Z")
        .ok();
    let report = json(&out);
    assert_action(&report["messages"][0], "kept-closed");
    assert_eq!(sb.show_in(&b, &id)["ticket"]["status"], "closed");
}

/// With the cap off (`per_day: 0`) mail reopens however often it comes.
#[test]
fn a_reopen_limit_of_zero_is_no_limit() {
    let sb = Sandbox::init();
    sb.set_mail("{reopen_limit: {per_day: 0}}");
    let id = mail_ticket(&sb, "nl0@example.com", "2026-03-02T09:00:00Z");
    for n in 1..=7 {
        close_at(&sb, &id, &format!("2026-03-02T1{n}:00:00Z"));
        let m = reply_from_ann("nl0@example.com", &format!("nl{n}@example.com"));
        let out = import_one_at(&sb, &m, Some(&format!("2026-03-02T1{n}:30:00Z")));
        assert_eq!(out["reopened"], true, "{out:#}");
    }
    assert_eq!(sb.ticket(&id)["reopened"], 7);
}

#[test]
fn customer_reply_to_a_pending_ticket_opens_it() {
    let sb = Sandbox::init();
    let id = mail_ticket(&sb, "p1@example.com", "2026-03-02T11:00:00Z");
    sb.change(["status", &id, "pending"]);
    let out = import_one(&sb, &reply_from_ann("p1@example.com", "p2@example.com"));
    assert_action(&out, "follow-up");
    assert_eq!(out["reopened"], false);
    let t = sb.ticket(&id);
    assert_eq!(t["status"], "open");
    assert_eq!(t["reopened"], 0);
}

// ---------------------------------------------------------------------------
// 6. Locked tickets
// ---------------------------------------------------------------------------

#[test]
fn reply_to_a_locked_ticket_starts_a_linked_one() {
    let sb = Sandbox::init();
    let locked = mail_ticket(&sb, "l1@example.com", "2026-03-02T11:00:00Z");
    sb.change(["close", &locked, "--lock", "--yes"]);
    let before = stored(&sb, &locked);
    assert!(before["ticket"]["locked"].is_object(), "{before:#}");
    let out = import_one(&sb, &reply_from_ann("l1@example.com", "l2@example.com"));
    assert_action(&out, "created");
    assert_eq!(out["linked_to"], locked.as_str());
    let new = ticket_of(&out);
    assert_eq!(
        sb.ticket(&new)["links"],
        serde_json::json!([{"rel": "related", "target": locked}])
    );
    assert_eq!(
        stored(&sb, &locked),
        before,
        "the locked ticket must not change"
    );
    // It points at the new ticket, from the index rather than an entry.
    assert_eq!(
        sb.show(&locked)["linked_from"],
        serde_json::json!([{"rel": "related", "source": new}])
    );
    assert_check_clean(&sb);
}

// ---------------------------------------------------------------------------
// 7. Automatic mail
// ---------------------------------------------------------------------------

fn out_of_office(to: &str, id: &str) -> Mail {
    Mail::new("Ann Lee <ann@example.com>", "Automatic reply: Laptop", id)
        .reply_to(to)
        .set("Auto-Submitted", "auto-replied")
        .body("I am out of the office until Monday.\n")
}

fn bounce(id: &str) -> Mail {
    Mail::new(
        "Mail Delivery System <MAILER-DAEMON@mx.example.net>",
        "Undelivered Mail Returned to Sender",
        id,
    )
    .set("MIME-Version", "1.0")
    .set(
        "Content-Type",
        "multipart/report; report-type=delivery-status; boundary=\"BND\"",
    )
    .body(
        "--BND\n\
         Content-Type: text/plain\n\
         \n\
         Your message could not be delivered to gone@example.net.\n\
         --BND\n\
         Content-Type: message/delivery-status\n\
         \n\
         Reporting-MTA: dns; mx.example.net\n\
         \n\
         Final-Recipient: rfc822; gone@example.net\n\
         Action: failed\n\
         Status: 5.1.1\n\
         --BND\n\
         Content-Type: text/rfc822-headers\n\
         \n\
         From: support@example.com\n\
         To: gone@example.net\n\
         Subject: Re: Laptop\n\
         --BND--\n",
    )
}

fn list_mail(id: &str) -> Mail {
    Mail::new("Newsletter <news@lists.example.org>", "Weekly digest", id)
        .set("List-Id", "Weekly news <weekly.lists.example.org>")
        .set("List-Unsubscribe", "<mailto:leave@lists.example.org>")
}

#[test]
fn automatic_mail_is_noted_on_its_ticket_and_never_reopens() {
    let sb = Sandbox::init();
    let pending = mail_ticket(&sb, "ooo1@example.com", "2026-03-02T11:00:00Z");
    sb.change(["status", &pending, "pending"]);
    let out = import_one(&sb, &out_of_office("ooo1@example.com", "ooo2@example.com"));
    assert_action(&out, "noted");
    assert_eq!(out["noise"], "auto-reply");
    assert_eq!(ticket_of(&out), pending);
    let show = sb.show(&pending);
    assert_eq!(show["ticket"]["status"], "pending");
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "message", "status", "note"]);
    let note = &entries[3];
    assert_eq!(note["mail"]["message_id"], "ooo2@example.com");
    let noise = note["mail"]["noise"].as_str().unwrap_or_default();
    assert!(noise.starts_with("auto-reply"), "mail.noise: {noise:?}");
    assert!(note["body"].as_str().unwrap().contains("out of the office"));

    // An auto-reply to a closed ticket is noted, and it stays closed.
    let closed = mail_ticket(&sb, "ooo3@example.com", "2026-03-02T11:00:00Z");
    sb.change(["close", &closed]);
    let out = import_one(&sb, &out_of_office("ooo3@example.com", "ooo4@example.com"));
    assert_action(&out, "noted");
    let t = sb.ticket(&closed);
    assert_eq!(t["status"], "closed");
    assert_eq!(t["reopened"], 0);
    assert_eq!(
        kinds(&sb.entries(&closed)),
        ["created", "message", "close", "note"]
    );
}

#[test]
fn unthreaded_automatic_mail_is_skipped_and_counted() {
    let sb = Sandbox::init();
    let head = sb.head();
    let report = import_mbox(
        &sb,
        &[
            bounce("b1@mx.example.net").bytes(),
            list_mail("list1@lists.example.org").bytes(),
            out_of_office("nowhere@example.com", "ooo9@example.com").bytes(),
        ],
    );
    assert_eq!(count(&report, "bounces"), 1, "{report:#}");
    assert_eq!(count(&report, "lists"), 1, "{report:#}");
    assert_eq!(count(&report, "auto_replies"), 1, "{report:#}");
    assert_eq!(count(&report, "new_tickets"), 0, "{report:#}");
    let msgs = report["messages"].as_array().unwrap();
    for (m, noise) in msgs.iter().zip(["bounce", "list", "auto-reply"]) {
        assert_action(m, "skipped");
        assert_eq!(m["noise"], noise, "{m:#}");
        assert!(
            !m["reason"].as_str().unwrap_or_default().is_empty(),
            "{m:#}"
        );
    }
    assert!(sb.list_ids(["list", "--all"]).is_empty());
    assert_eq!(sb.head(), head, "nothing to commit");

    // `Auto-Submitted: no` is a person.
    let person = Mail::new(
        "Ann Lee <ann@example.com>",
        "Written by hand",
        "hand@example.com",
    )
    .set("Auto-Submitted", "no");
    assert_action(&import_one(&sb, &person), "created");
}

#[test]
fn unthreaded_automatic_mail_goes_to_the_quarantine_when_asked() {
    let sb = Sandbox::init();
    sb.set_mail("{quarantine_noise: true}");
    let b = bounce("b2@mx.example.net");
    let l = list_mail("list2@lists.example.org");
    let report = import_mbox(&sb, &[b.bytes(), l.bytes()]);
    assert_eq!(count(&report, "quarantined"), 2, "{report:#}");
    assert_eq!(count(&report, "bounces"), 0, "{report:#}");
    for (m, mail, kind) in [(0, &b, "bounce"), (1, &l, "list")] {
        let outcome = &report["messages"][m];
        assert_action(outcome, "quarantined");
        let reason = outcome["reason"].as_str().unwrap();
        assert!(reason.contains(kind), "{reason}");
        let stored = std::fs::read(sb.dir.join(outcome["file"].as_str().unwrap())).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&stored).trim_end(),
            String::from_utf8_lossy(&mail.bytes()).trim_end()
        );
    }
    let listed = json(&sb.ok(["quarantine", "list", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed:#}");
    assert!(sb.list_ids(["list", "--all"]).is_empty());
}

#[test]
fn own_mail_coming_back_is_skipped_as_a_loop() {
    let sb = Sandbox::init();
    sb.set_mail("{message_id_domain: tix.example.com}");
    let id = mail_ticket(&sb, "own1@example.com", "2026-03-02T11:00:00Z");
    let before = sb.show(&id);
    let own = Mail::new(
        "Support <support@example.com>",
        "Re: Laptop",
        "reply.1234@tix.example.com",
    )
    .reply_to("own1@example.com");
    let report = import_mbox(
        &sb,
        &[
            own.bytes(),
            Mail::new("Ann <ann@example.com>", "New?", "x.99@tix.example.com").bytes(),
        ],
    );
    assert_eq!(count(&report, "loops"), 2, "{report:#}");
    for m in report["messages"].as_array().unwrap() {
        assert_action(m, "skipped");
        assert_eq!(m["noise"], "loop");
    }
    assert_eq!(sb.show(&id), before);
    assert_eq!(sb.list_ids(["list", "--all"]), [id]);
}

// ---------------------------------------------------------------------------
// 8. The blacklist
// ---------------------------------------------------------------------------

#[test]
fn blacklisted_senders_are_skipped() {
    let sb = Sandbox::init();
    sb.change(["blacklist", "add", "spam@example.com"]);
    sb.change(["blacklist", "add", "example.net"]);
    sb.change([
        "blacklist",
        "add",
        "example.org",
        "--subject",
        "win a prize",
    ]);
    let listed = json(&sb.ok(["blacklist", "list", "--format", "json"]));
    assert_eq!(
        listed,
        serde_json::json!([
            {"sender": "spam@example.com"},
            {"sender": "example.net"},
            {"sender": "example.org", "subject": "win a prize"},
        ])
    );
    // Adding it again changes nothing.
    let head = sb.head();
    sb.ok(["blacklist", "add", "SPAM@example.com"]);
    assert_eq!(sb.head(), head);

    let report = import_mbox(
        &sb,
        &[
            Mail::new("Spammer <SPAM@Example.COM>", "Cheap", "s1@example.com").bytes(),
            Mail::new("x@mail.example.net", "Subdomain", "s2@example.net").bytes(),
            Mail::new("y@example.org", "You WIN A PRIZE now", "s3@example.org").bytes(),
            Mail::new("y@example.org", "A real question", "s4@example.org").bytes(),
            Mail::new("ham@example.com", "Hello", "s5@example.com").bytes(),
        ],
    );
    assert_eq!(count(&report, "blacklisted"), 3, "{report:#}");
    assert_eq!(count(&report, "new_tickets"), 2, "{report:#}");
    let msgs = report["messages"].as_array().unwrap();
    for (m, sender) in msgs
        .iter()
        .zip(["SPAM@Example.COM", "x@mail.example.net", "y@example.org"])
    {
        assert_action(m, "blacklisted");
        assert_eq!(m["sender"], sender);
    }
    assert_action(&msgs[3], "created");
    assert_action(&msgs[4], "created");
    let customers: BTreeSet<String> = sb
        .list_json(["list", "--all"])
        .iter()
        .map(|t| t["customer"]["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(customers, set(["y@example.org", "ham@example.com"]));

    // Removing an entry lets that mail in again.
    sb.change(["blacklist", "remove", "example.net"]);
    let listed = json(&sb.ok(["blacklist", "list", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains("example.net"));
    sb.tix(["blacklist", "remove", "example.net"]).fails(3);
    let out = import_one(
        &sb,
        &Mail::new("x@mail.example.net", "Subdomain", "s2@example.net"),
    );
    assert_action(&out, "created");

    // Only admins change the list.
    sb.add_bob();
    let head = sb.head();
    sb.tix(["--as", "bob", "blacklist", "add", "evil.example"])
        .fails(9);
    sb.tix(["--as", "bob", "blacklist", "remove", "spam@example.com"])
        .fails(9);
    assert_eq!(sb.head(), head);
    sb.assert_clean();
    // Anyone may read it.
    let listed = json(&sb.ok(["--as", "bob", "blacklist", "list", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------
// 9. The quarantine
// ---------------------------------------------------------------------------

#[test]
fn unfileable_messages_are_quarantined_once() {
    let sb = Sandbox::init();
    sb.set_mail("{max_message_bytes: 1000}");
    let no_from = Mail::new("x", "Who am I", "nofrom@example.com")
        .without("From")
        .bytes();
    let empty: Vec<u8> = Vec::new();
    let large = Mail::new("Ann Lee <ann@example.com>", "Big", "big@example.com")
        .body(&"0123456789abcdef\n".repeat(100))
        .bytes();
    assert!(large.len() > 1000);
    let maildir = sb.mkdir("Maildir");
    for d in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(d)).unwrap();
    }
    let cases: [(&str, &Vec<u8>, &str); 3] = [
        ("1.nofrom", &no_from, "no sender"),
        ("2.empty", &empty, "empty message"),
        ("3.large", &large, "the limit is 1000"),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(maildir.join("new").join(name), bytes).unwrap();
    }
    let import = || {
        let out = json(
            &sb.tix(["import", "maildir"])
                .arg(&maildir)
                .arg_pair("--format", "json")
                .ok(),
        );
        sb.assert_clean();
        out
    };
    let report = import();
    assert_eq!(count(&report, "messages"), 3, "{report:#}");
    assert_eq!(count(&report, "quarantined"), 3, "{report:#}");
    for (name, bytes, why) in &cases {
        let hash = blob_id(bytes);
        let outcome = report["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["source"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no outcome for {name}: {report:#}"));
        assert_action(outcome, "quarantined");
        assert_eq!(outcome["file"], format!("quarantine/{hash}.eml"));
        assert!(
            outcome["reason"].as_str().unwrap().contains(why),
            "{name}: {outcome:#}"
        );
        let eml = sb.dir.join(format!("quarantine/{hash}.eml"));
        assert_eq!(&std::fs::read(&eml).unwrap(), *bytes, "{name}");
        let record: serde_yaml::Value = serde_yaml::from_slice(
            &std::fs::read(sb.dir.join(format!("quarantine/{hash}.yaml"))).unwrap(),
        )
        .unwrap();
        let reason = record["reason"].as_str().unwrap_or_default();
        assert!(reason.contains(why), "{name}: record reason {reason:?}");
        assert_eq!(record["size"].as_u64(), Some(bytes.len() as u64));
        // Only what follows from the message, so that another clone
        // quarantining it writes the same file: where it came from is in
        // the import's report and commit, when in the commit.
        assert!(record.get("source").is_none(), "{record:?}");
        assert!(record.get("at").is_none(), "{record:?}");
    }
    let listed = json(&sb.ok(["quarantine", "list", "--format", "json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    for (_, bytes, why) in &cases {
        let file = format!("quarantine/{}.eml", blob_id(bytes));
        let item = listed
            .iter()
            .find(|i| i["file"] == file.as_str())
            .unwrap_or_else(|| panic!("{file} not listed: {listed:#?}"));
        assert!(item["reason"].as_str().unwrap().contains(why), "{item:#}");
        // The time of the commit that brought it in.
        let at = item["at"].as_str().unwrap();
        assert!(at.starts_with("20") && at.ends_with('Z'), "{item:#}");
    }
    assert!(sb.list_ids(["list", "--all"]).is_empty());

    // Again: nothing new.
    let head = sb.head();
    let files = snapshot(&sb.dir);
    let report = import();
    assert_eq!(count(&report, "duplicates"), 3, "{report:#}");
    assert_eq!(count(&report, "quarantined"), 0, "{report:#}");
    assert_eq!(sb.head(), head);
    assert_eq!(snapshot(&sb.dir), files);
    let listed = json(&sb.ok(["quarantine", "list", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

// ---------------------------------------------------------------------------
// 10. Attachments and HTML
// ---------------------------------------------------------------------------

#[test]
fn attachments_land_under_safe_unique_names_inside_the_ticket() {
    let sb = Sandbox::init();
    let body = "--XYZ\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
See the attached files.\n\
--XYZ\n\
Content-Type: text/plain; name=\"../../etc/passwd\"\n\
Content-Disposition: attachment; filename=\"../../etc/passwd\"\n\
\n\
root:x:0:0\n\
--XYZ\n\
Content-Type: application/octet-stream\n\
Content-Disposition: attachment; filename=\".hidden\"\n\
\n\
secret\n\
--XYZ\n\
Content-Type: text/plain\n\
Content-Disposition: attachment; filename*=UTF-8''a%00b.txt\n\
\n\
nul in the name\n\
--XYZ\n\
Content-Type: text/plain\n\
Content-Disposition: attachment; filename*=UTF-8''..%2F..%2F..%2Fescape.txt\n\
\n\
encoded traversal\n\
--XYZ\n\
Content-Type: image/png\n\
Content-Transfer-Encoding: base64\n\
Content-Disposition: attachment\n\
\n\
iVBORw0KGgo=\n\
--XYZ\n\
Content-Type: text/plain; name=\"report.txt\"\n\
Content-Disposition: attachment; filename=\"report.txt\"\n\
\n\
first report\n\
--XYZ\n\
Content-Type: text/plain; name=\"report.txt\"\n\
Content-Disposition: attachment; filename=\"report.txt\"\n\
\n\
second report\n\
--XYZ--\n";
    let m = Mail::new("Ann Lee <ann@example.com>", "Files", "att1@example.com")
        .set("MIME-Version", "1.0")
        .set("Content-Type", "multipart/mixed; boundary=\"XYZ\"")
        .body(body);
    let out = import_one(&sb, &m);
    assert_action(&out, "created");
    let id = ticket_of(&out);
    let dir = sb.ticket_dir(&id);
    let entries = sb.entries(&id);
    let msg = of_kind(&entries, "message")[0];
    assert!(
        msg["body"]
            .as_str()
            .unwrap()
            .contains("See the attached files.")
    );
    let stem = msg["entry_file"]
        .as_str()
        .unwrap()
        .trim_end_matches(".md")
        .to_string();
    let files_dir = format!("files/{stem}/");
    let atts = of_kind(&entries, "attachment");
    let expected: &[(&str, &[u8])] = &[
        ("../../etc/passwd", b"root:x:0:0"),
        (".hidden", b"secret"),
        ("a\u{0}b.txt", b"nul in the name"),
        ("../../../escape.txt", b"encoded traversal"),
        ("", b"\x89PNG\r\n\x1a\n"),
        ("report.txt", b"first report"),
        ("report.txt", b"second report"),
    ];
    assert_eq!(atts.len(), expected.len(), "attachment entries: {atts:#?}");
    let mut stored_names = BTreeSet::new();
    for (a, (name, content)) in atts.iter().zip(expected) {
        let file = a["file"].as_str().unwrap();
        assert!(file.starts_with(&files_dir), "{file} not in {files_dir}");
        let safe = &file[files_dir.len()..];
        assert!(
            !safe.is_empty()
                && !safe.starts_with('.')
                && !safe.contains(['/', '\\', '\0'])
                && !safe.chars().any(char::is_control),
            "unsafe stored name {safe:?}"
        );
        assert!(
            Some(file) != msg["mail"]["raw"].as_str()
                && Some(file) != msg["mail"]["quoted"].as_str(),
            "{file} clashes with the message's own files"
        );
        assert!(stored_names.insert(safe.to_string()), "{safe} used twice");
        assert_eq!(a["entry"], msg["entry_file"]);
        if name.is_empty() {
            assert!(safe.ends_with(".png"), "unnamed image stored as {safe}");
        } else {
            assert_eq!(a["name"], *name, "the original name is recorded");
        }
        let on_disk = dir.join(file);
        assert!(
            on_disk
                .canonicalize()
                .unwrap()
                .starts_with(dir.join("files")),
            "{file} resolves outside the ticket's files"
        );
        let bytes = std::fs::read(&on_disk).unwrap();
        assert_eq!(a["size"].as_u64(), Some(bytes.len() as u64));
        if name.is_empty() {
            assert_eq!(bytes, *content, "{file}: the decoded image");
        } else {
            assert_eq!(
                String::from_utf8_lossy(&bytes).trim_end(),
                String::from_utf8_lossy(content),
                "{file}"
            );
        }
    }
    // Nothing in a subdirectory of the ticket other than this message's
    // attachment dir (`../../etc/passwd` must not make `etc/`).
    for f in files_under(&dir) {
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        assert!(
            !rel.contains('/') || rel.starts_with(&files_dir),
            "unexpected file {rel} in the ticket dir"
        );
    }
    assert_eq!(stray_files(&sb.dir), Vec::<PathBuf>::new());
    assert!(!sb.root().join("etc").exists());
    assert_check_clean(&sb);
}

#[test]
fn identical_attachments_in_one_batch_are_stored() {
    // The same logo in two parts of one message, and again in a second
    // message of the same batch: identical file contents in one commit.
    let part = |name: &str| {
        format!(
            "--XYZ\n\
             Content-Type: image/png; name=\"{name}\"\n\
             Content-Transfer-Encoding: base64\n\
             Content-Disposition: attachment; filename=\"{name}\"\n\
             \n\
             iVBORw0KGgo=\n"
        )
    };
    let with_logos = |id: &str, names: &[&str]| {
        let mut body = "--XYZ\nContent-Type: text/plain\n\nSee the logo.\n".to_string();
        for n in names {
            body.push_str(&part(n));
        }
        body.push_str("--XYZ--\n");
        Mail::new("Ann Lee <ann@example.com>", "Logos", id)
            .set("MIME-Version", "1.0")
            .set("Content-Type", "multipart/mixed; boundary=\"XYZ\"")
            .body(&body)
    };
    let sb = Sandbox::init();
    let a = with_logos("logo1@example.com", &["logo.png", "logo-copy.png"]);
    let b = with_logos("logo2@example.com", &["logo.png"]);
    let report = import_mbox(&sb, &[a.bytes(), b.bytes()]);
    assert_eq!(count(&report, "new_tickets"), 2, "{report:#}");
    for (i, n) in [(0, 2), (1, 1)] {
        let id = ticket_of(&report["messages"][i]);
        let entries = sb.entries(&id);
        let atts = of_kind(&entries, "attachment");
        assert_eq!(atts.len(), n);
        for a in atts {
            let bytes =
                std::fs::read(sb.ticket_dir(&id).join(a["file"].as_str().unwrap())).unwrap();
            assert_eq!(bytes, b"\x89PNG\r\n\x1a\n");
        }
    }
    assert_check_clean(&sb);
}

#[test]
fn html_only_mail_gets_a_readable_body_and_keeps_the_html() {
    let sb = Sandbox::init();
    let html = "<html><body><p>Hello <b>there</b>,</p>\
                <p>the printer is <i>on fire</i>.</p></body></html>\n";
    let m = Mail::new(
        "Ann Lee <ann@example.com>",
        "HTML only",
        "html1@example.com",
    )
    .set("MIME-Version", "1.0")
    .set("Content-Type", "text/html; charset=utf-8")
    .body(html);
    let id = ticket_of(&import_one(&sb, &m));
    let entries = sb.entries(&id);
    let msg = of_kind(&entries, "message")[0];
    let body = msg["body"].as_str().unwrap();
    assert!(body.contains("Hello there"), "{body:?}");
    assert!(body.contains("on fire"), "{body:?}");
    assert!(!body.contains('<'), "tags left in the body: {body:?}");
    // The HTML is kept as a file of this entry (`<stem>.html`, or
    // `files/<stem>/message.html` in the first layout).
    let stem = msg["entry_file"].as_str().unwrap().trim_end_matches(".md");
    let dir = sb.ticket_dir(&id);
    let kept: Vec<PathBuf> = files_under(&dir)
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            rel.contains(stem) && rel.ends_with(".html")
        })
        .collect();
    assert_eq!(kept.len(), 1, "the HTML of {stem}: {kept:?}");
    let kept = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(kept.contains("<b>there</b>"), "{kept}");
}

// ---------------------------------------------------------------------------
// 11. Dates
// ---------------------------------------------------------------------------

#[test]
fn missing_and_absurd_dates_become_the_import_time() {
    let sb = Sandbox::init();
    let now = "2026-06-01T12:00:00Z";
    let no_date =
        Mail::new("Ann Lee <ann@example.com>", "No date", "d1@example.com").without("Date");
    let future = Mail::new(
        "Ann Lee <ann@example.com>",
        "From the future",
        "d2@example.com",
    )
    .set("Date", "Thu, 01 Jan 2099 00:00:00 +0000");
    let normal = Mail::new("Ann Lee <ann@example.com>", "Normal", "d3@example.com")
        .set("Date", "Fri, 15 May 2026 10:30:00 -0700");
    let report = import_mbox_at(
        &sb,
        &[no_date.bytes(), future.bytes(), normal.bytes()],
        Some(now),
    );
    let mail_of = |i: usize| {
        let id = ticket_of(&report["messages"][i]);
        let entries = sb.entries(&id);
        let msg = of_kind(&entries, "message")[0].clone();
        assert_eq!(msg["at"], "2026-06-01T12:00:00.000000Z");
        msg["mail"].clone()
    };
    for i in [0, 1] {
        let mail = mail_of(i);
        assert_eq!(mail["sent_at"], "2026-06-01T12:00:00.000000Z", "{mail:#}");
        assert_eq!(mail["date_missing"], true, "{mail:#}");
    }
    let mail = mail_of(2);
    assert_eq!(mail["sent_at"], "2026-05-15T17:30:00.000000Z", "{mail:#}");
    assert!(
        mail.get("date_missing").is_none() || mail["date_missing"] == false,
        "{mail:#}"
    );
}

// ---------------------------------------------------------------------------
// 12. Dry runs and the JSON report
// ---------------------------------------------------------------------------

#[test]
fn dry_run_reports_decisions_and_writes_nothing() {
    let sb = Sandbox::init();
    let [m1, m2, _] = printer_thread();
    let no_from = Mail::new("x", "Who am I", "nofrom2@example.com").without("From");
    let messages = [
        m1.bytes(),
        m2.bytes(),
        no_from.bytes(),
        list_mail("list3@lists.example.org").bytes(),
    ];
    let file = input_file(&sb, "mbox", &mbox(&messages));
    let head = sb.head();
    let files = snapshot(&sb.dir);

    let text = sb.tix(["import", "mbox", "--dry-run"]).arg(&file).ok();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].contains("#1\tnew ticket "), "{text}");
    assert!(lines[1].contains("#2\tfollow-up on "), "{text}");
    assert!(
        lines[2].contains("#3\tquarantined as quarantine/"),
        "{text}"
    );
    assert!(lines[3].contains("#4\tskipped "), "{text}");
    assert!(
        lines[4].starts_with("dry run, nothing written: 4 messages"),
        "{text}"
    );

    let report = json(
        &sb.tix(["import", "mbox", "--dry-run", "--format", "json"])
            .arg(&file)
            .ok(),
    );
    assert_eq!(report["dry_run"], true);
    let counts: BTreeSet<&str> = report["counts"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: BTreeSet<&str> = OUTCOME_COUNTS.iter().copied().collect();
    expected.extend([
        "messages",
        "reopened",
        "commits",
        "acknowledged",
        "relayed",
        "notified",
    ]);
    assert_eq!(counts, expected, "the counts' field names are stable");
    assert_eq!(count(&report, "messages"), 4);
    assert_eq!(count(&report, "new_tickets"), 1);
    assert_eq!(count(&report, "follow_ups"), 1);
    assert_eq!(count(&report, "quarantined"), 1);
    assert_eq!(count(&report, "lists"), 1);
    assert_eq!(count(&report, "commits"), 0);
    let msgs = report["messages"].as_array().unwrap();
    let keys = |m: &Value| -> BTreeSet<String> { m.as_object().unwrap().keys().cloned().collect() };
    let src = file.display().to_string();
    assert_eq!(
        keys(&msgs[0]),
        set(["source", "message_id", "subject", "action", "ticket"])
    );
    assert_eq!(msgs[0]["source"], format!("{src}#1"));
    assert_eq!(msgs[0]["message_id"], "m1@example.com");
    assert_eq!(msgs[0]["subject"], "Printer broken");
    assert_action(&msgs[0], "created");
    assert_eq!(
        keys(&msgs[1]),
        set([
            "source",
            "message_id",
            "subject",
            "action",
            "ticket",
            "reopened"
        ])
    );
    assert_eq!(msgs[1]["ticket"], msgs[0]["ticket"]);
    assert_eq!(
        keys(&msgs[2]),
        set([
            "source",
            "message_id",
            "subject",
            "action",
            "file",
            "reason"
        ])
    );
    assert_eq!(
        keys(&msgs[3]),
        set([
            "source",
            "message_id",
            "subject",
            "action",
            "noise",
            "reason"
        ])
    );
    assert_eq!(sb.head(), head, "a dry run must not commit");
    assert_eq!(snapshot(&sb.dir), files, "a dry run must not write files");
    sb.assert_clean();

    // The real run makes the same decisions, with the same ticket id.
    let real = json(
        &sb.tix(["import", "mbox", "--format", "json"])
            .arg(&file)
            .ok(),
    );
    sb.assert_clean();
    assert_eq!(real["dry_run"], false);
    assert_eq!(real["messages"], report["messages"]);
    assert_eq!(real["counts"]["commits"], 1);
}

// ---------------------------------------------------------------------------
// 13. Exit codes of `tix import eml`
// ---------------------------------------------------------------------------

#[test]
fn eml_exit_codes_speak_sysexits() {
    let sb = Sandbox::init();
    let m = Mail::new("Ann Lee <ann@example.com>", "Exit codes", "x1@example.com");
    // Filed, then a duplicate, then skipped noise: all 0.
    sb.tix(["import", "eml"]).stdin(m.bytes()).ok();
    sb.tix(["import", "eml"]).stdin(m.bytes()).ok();
    sb.tix(["import", "eml", "-"])
        .stdin(list_mail("list4@lists.example.org").bytes())
        .ok();
    sb.change(["blacklist", "add", "spam@example.com"]);
    sb.tix(["import", "eml"])
        .stdin(Mail::new("spam@example.com", "Buy", "x0@example.com").bytes())
        .ok();
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 1);

    // Refused: 65, and kept in the quarantine.
    let refused = Mail::new("x", "No sender", "x2@example.com")
        .without("From")
        .bytes();
    let head = sb.head();
    sb.tix(["import", "eml"])
        .stdin(refused.clone())
        .fails(65)
        .stderr_has(&["quarantine/"]);
    assert_ne!(sb.head(), head, "the refused message is committed");
    sb.assert_clean();
    let kept = sb.dir.join(format!("quarantine/{}.eml", blob_id(&refused)));
    assert_eq!(std::fs::read(kept).unwrap(), refused);
    let empty = input_file(&sb, "eml", b"");
    sb.tix(["import", "eml"]).arg(&empty).fails(65);
    sb.assert_clean();

    // Busy: 75, and nothing filed.
    let mut holder = sb
        .std_command("flock")
        .args([".git/tix.lock", "sleep", "3"])
        .spawn()
        .expect("flock runs");
    let started = Instant::now();
    while sb
        .std_command("flock")
        .args(["-n", ".git/tix.lock", "true"])
        .status()
        .unwrap()
        .success()
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "flock never locked"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let busy = Mail::new("Ann Lee <ann@example.com>", "While busy", "x3@example.com");
    let head = sb.head();
    sb.tix(["import", "eml"])
        .env("TIX_LOCK_TIMEOUT", "0.3")
        .stdin(busy.bytes())
        .fails(75);
    assert_eq!(sb.head(), head);
    // Retrying once the lock is free files it.
    sb.tix(["import", "eml"])
        .env("TIX_LOCK_TIMEOUT", "20")
        .stdin(busy.bytes())
        .ok();
    holder.wait().unwrap();
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 2);
    sb.assert_clean();

    // Outside a store: 75 too (a misconfigured MTA must not lose mail).
    let elsewhere = sb.mkdir("not-a-store");
    sb.tix(["import", "eml"])
        .in_dir(&elsewhere)
        .stdin(busy.bytes())
        .fails(75);
}

// ---------------------------------------------------------------------------
// 14. Crash safety
// ---------------------------------------------------------------------------

/// Threads of three: a new message and two replies by In-Reply-To.
fn crash_mbox(threads: usize) -> Vec<u8> {
    let mut out = String::new();
    for t in 0..threads {
        for k in 0..3 {
            out.push_str(&format!(
                "From c{t}@example.com Mon Mar  2 10:00:00 2026\n\
                 From: Customer {t} <c{t}@example.com>\n\
                 To: support@example.com\n\
                 Subject: {}Thread {t}\n\
                 Message-ID: <t{t}.m{k}@crash.example>\n\
                 {}Date: {DATE}\n\
                 \n\
                 Message {k} of thread {t}.\n\
                 \n",
                if k > 0 { "Re: " } else { "" },
                if k > 0 {
                    format!("In-Reply-To: <t{t}.m{}@crash.example>\n", k - 1)
                } else {
                    String::new()
                },
            ));
        }
    }
    out.into_bytes()
}

/// `tix list --all --format json` without the import-time fields, by id.
fn comparable_list(sb: &Sandbox) -> Vec<Value> {
    let mut list = sb.list_json(["list", "--all"]);
    for t in &mut list {
        let t = t.as_object_mut().unwrap();
        t.remove("created_at");
        t.remove("updated_at");
        t.remove("status_since");
        t.remove("last_customer_at");
        t.remove("last_agent_at");
        t.remove("last_mail_message");
    }
    list.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    list
}

/// Message-IDs of every mail entry in HEAD, with how often each occurs.
fn stored_message_ids(sb: &Sandbox) -> BTreeMap<String, usize> {
    let out = sb.git(["grep", "-h", "^  message_id: ", "HEAD", "--", "tickets"]);
    let mut ids = BTreeMap::new();
    for line in out.lines() {
        let id = line.trim_start_matches("  message_id: ").trim().to_string();
        *ids.entry(id).or_insert(0) += 1;
    }
    ids
}

/// A sandbox on a RAM disk when there is one: the crash test writes some
/// 20,000 files per store.
fn fast_sandbox() -> Sandbox {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() && tempfile::tempdir_in(shm).is_ok() {
        Sandbox::init_in(shm)
    } else {
        Sandbox::init()
    }
}

/// A store whose import of `crash_mbox(threads)` was killed with SIGKILL
/// as soon as its first batch commit appeared, then run again to the end;
/// and, if `with_reference`, a store that imported the same mbox in one go.
struct CrashRun {
    interrupted: Sandbox,
    reference: Option<Sandbox>,
}

fn crash_and_resume(threads: usize, with_reference: bool) -> CrashRun {
    let interrupted = fast_sandbox();
    let reference = with_reference.then(fast_sandbox);
    let file = interrupted.root().join("crash.mbox");
    std::fs::write(&file, crash_mbox(threads)).unwrap();
    let total = 3 * threads as u64;
    let import = |sb: &Sandbox| {
        json(
            &sb.tix(["import", "mbox", "--batch", "50", "--format", "json"])
                .arg(&file)
                .ok(),
        )
    };

    std::thread::scope(|s| {
        // The uninterrupted import, alongside.
        let full = reference.as_ref().map(|r| {
            s.spawn(|| {
                let report = import(r);
                r.assert_clean();
                report
            })
        });

        let base = interrupted.commit_count();
        let mut child = interrupted
            .std_command(TIX)
            .args(["import", "mbox", "--batch", "50"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tix starts");
        let started = Instant::now();
        let mut killed = false;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let count = interrupted
                .git_run_in(&interrupted.dir, ["rev-list", "--count", "HEAD"])
                .stdout
                .trim()
                .parse::<usize>()
                .unwrap_or(base);
            if count > base || started.elapsed() > Duration::from_secs(60) {
                child.kill().unwrap();
                killed = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let status = child.wait().unwrap();
        let made = interrupted.commit_count() - base;
        println!("crash test: killed={killed} ({status}) after {made} import commit(s)");

        let resumed = import(&interrupted);
        assert_eq!(count(&resumed, "messages"), total);
        assert_eq!(
            count(&resumed, "new_tickets")
                + count(&resumed, "follow_ups")
                + count(&resumed, "duplicates"),
            total,
            "{:#}",
            resumed["counts"]
        );
        // Each commit of the killed run held a whole batch.
        assert_eq!(
            count(&resumed, "duplicates"),
            (50 * made as u64).min(total),
            "{:#}",
            resumed["counts"]
        );
        if let Some(full) = full {
            let full = full.join().unwrap();
            assert_eq!(count(&full, "new_tickets"), threads as u64);
            assert_eq!(count(&full, "follow_ups"), 2 * threads as u64);
        }
    });
    CrashRun {
        interrupted,
        reference,
    }
}

#[test]
fn an_import_killed_mid_run_resumes_to_the_same_store() {
    const THREADS: usize = 1000;
    let run = crash_and_resume(THREADS, true);
    let (interrupted, reference) = (&run.interrupted, run.reference.as_ref().unwrap());
    // Checks one store; returns its comparable list. Both run at once.
    let verify = |sb: &Sandbox| {
        assert_check_clean(sb);
        let ids = stored_message_ids(sb);
        assert_eq!(ids.len(), 3 * THREADS, "distinct Message-IDs in the store");
        let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "Message-IDs stored twice: {twice:?}");
        comparable_list(sb)
    };
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(|| verify(reference));
        (verify(interrupted), b.join().unwrap())
    });
    assert_eq!(a.len(), THREADS);
    assert_eq!(
        ids_of(&a),
        ids_of(&b),
        "mail-born ids derive from Message-IDs"
    );
    for t in &a {
        assert_eq!(t["messages"], 3, "{t:#}");
        assert_eq!(t["entries"], 4, "{t:#}");
    }
    assert_eq!(a, b);
}

#[test]
fn an_import_killed_mid_run_leaves_a_clean_work_tree_once_resumed() {
    let run = crash_and_resume(1000, false);
    run.interrupted.assert_clean();
}

// ---------------------------------------------------------------------------
// 15. The real-world corpus
// ---------------------------------------------------------------------------

#[test]
fn real_world_corpus_imports_cleanly() {
    let Some(corpus) = crate::common::corpus::dir() else {
        return;
    };
    let index = corpus.join(crate::common::corpus::MARKER);
    let sb = Sandbox::init();
    let maildir = sb.mkdir("Corpus");
    for d in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(d)).unwrap();
    }
    // File name in new/ -> (corpus path, category).
    let mut rows: BTreeMap<String, (String, String)> = BTreeMap::new();
    let text = std::fs::read_to_string(&index).unwrap();
    for (i, line) in text.lines().skip(1).enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 || cols[4] != "message" {
            continue;
        }
        let name = format!("{i:04}.corpus");
        std::fs::copy(corpus.join(cols[0]), maildir.join("new").join(&name))
            .unwrap_or_else(|e| panic!("{}: {e}", cols[0]));
        rows.insert(name, (cols[0].to_string(), cols[2].to_string()));
    }
    assert!(!rows.is_empty());

    let report = json(
        &sb.tix(["import", "maildir", "--format", "json"])
            .arg(&maildir)
            .ok(),
    );
    sb.assert_clean();
    println!("corpus counts: {}", report["counts"]);
    assert_eq!(count(&report, "messages"), rows.len() as u64);
    let sum: u64 = OUTCOME_COUNTS.iter().map(|c| count(&report, c)).sum();
    assert_eq!(sum, rows.len() as u64, "every message is accounted for");
    let outcomes = report["messages"].as_array().unwrap();
    assert_eq!(outcomes.len(), rows.len());

    let mut wrong = Vec::new();
    for o in outcomes {
        let source = o["source"].as_str().unwrap();
        let name = Path::new(source)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (path, category) = &rows[&name];
        if o["action"] == "quarantined" {
            assert!(
                !o["reason"].as_str().unwrap_or_default().trim().is_empty(),
                "{path}: quarantined without a reason"
            );
        }
        if category == "bounce" && (o["action"] == "created" || o["action"] == "follow-up") {
            wrong.push(format!("{path}: {o}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "labelled bounces filed as mail from a person:\n{}",
        wrong.join("\n")
    );
    let listed = json(&sb.ok(["quarantine", "list", "--format", "json"]));
    assert_eq!(
        listed.as_array().unwrap().len() as u64,
        count(&report, "quarantined")
    );
    for item in listed.as_array().unwrap() {
        let reason = item["reason"].as_str().unwrap_or_default();
        assert!(
            !reason.trim().is_empty() && !reason.contains("record missing"),
            "{item:#}"
        );
    }
    assert_eq!(stray_files(&sb.dir), Vec::<PathBuf>::new());
    assert_check_clean(&sb);
}

// ---------------------------------------------------------------------------
// The derived index (.git/tix/index/), whose shard files the import's
// lookups use, is derived data.

/// The index's shard file, in a store of one ticket.
fn mail_index(sb: &Sandbox) -> PathBuf {
    let shards = files_under(&sb.dir.join(".git/tix/index/shards"));
    assert_eq!(shards.len(), 1, "{shards:?}");
    shards[0].clone()
}

/// The action (and ticket) of the only message in an import report.
fn only_action(report: &Value) -> (String, String) {
    let m = &report["messages"][0];
    (
        m["action"].as_str().unwrap_or("").to_string(),
        m["ticket"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_saved_mail_index_follows_changes_made_between_imports() {
    let sb = Sandbox::init();
    let [m1, m2, m3] = printer_thread();
    let report = import_mbox(&sb, &[m1.bytes()]);
    let (_, id) = only_action(&report);
    assert!(
        sb.dir.join(".git/tix/index/message-ids.bin").is_file(),
        "the import saves its index"
    );
    // Changed by another command after the index was saved: locked.
    sb.change(["close", &id, "--lock", "--yes"]);
    let report = import_mbox(&sb, &[m2.bytes()]);
    let (action, new_id) = only_action(&report);
    assert_eq!(action, "created", "{report:#}");
    assert_ne!(new_id, id, "a reply to a locked ticket starts another");
    assert_eq!(sb.ticket(&new_id)["links"][0]["target"], id.as_str());
    // Changed again: unlocked and reopened, so a reply is a follow-up.
    sb.change(["unlock", &id]);
    sb.change(["reopen", &id]);
    let report = import_mbox(&sb, &[m3.bytes()]);
    assert_eq!(only_action(&report).0, "follow-up", "{report:#}");
}

/// `tix import eml` in the clone at `dir`; its one outcome.
#[track_caller]
fn import_one_in(sb: &Sandbox, dir: &Path, mail: &Mail) -> Value {
    let out = json(
        &sb.tix(["import", "eml", "--format", "json"])
            .in_dir(dir)
            .stdin(mail.bytes())
            .ok(),
    );
    out["messages"][0].clone()
}

#[test]
fn the_message_id_map_knows_the_mail_a_sync_or_a_pull_brought() {
    let sb = Sandbox::new();
    let root = sb.root();
    sb.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "store"]);
    sb.ok(["init"]);
    sb.tix(["sync"]).ok();
    sb.git_in(&root, ["clone", "-q", "origin.git", "other"]);
    let other = root.join("other");
    let here = sb.dir.clone();
    let [m1, m2, m3] = printer_thread();
    // The map is built here before the other clone's mail exists.
    let first = ticket_of(&import_one_in(&sb, &here, &m1));
    assert!(sb.dir.join(".git/tix/index/message-ids.bin").is_file());

    let b1 = Mail::new("bea@example.com", "Scanner", "b1@example.com");
    let theirs = ticket_of(&import_one_in(&sb, &other, &b1));
    sb.tix(["sync"]).in_dir(&other).ok();
    sb.tix(["sync"]).ok();
    let dup = import_one_in(&sb, &here, &b1);
    assert_eq!(dup["action"], "duplicate", "{dup:#}");
    assert_eq!(dup["ticket"], theirs.as_str());
    let reply =
        Mail::new("bea@example.com", "Re: Scanner", "b2@example.com").reply_to("b1@example.com");
    let followed = import_one_in(&sb, &here, &reply);
    assert_eq!(followed["action"], "follow-up", "{followed:#}");
    assert_eq!(followed["ticket"], theirs.as_str());
    // What was here before is still found.
    let again = import_one_in(&sb, &here, &m1);
    assert_eq!(again["action"], "duplicate", "{again:#}");
    assert_eq!(again["ticket"], first.as_str());

    // A plain `git pull`, not through tix.
    sb.tix(["sync"]).in_dir(&other).ok();
    let follow = import_one_in(&sb, &other, &m2);
    assert_eq!(follow["ticket"], first.as_str(), "{follow:#}");
    sb.tix(["sync"]).in_dir(&other).ok();
    sb.git_in(&here, ["pull", "-q", "--no-rebase"]);
    let dup = import_one_in(&sb, &here, &m2);
    assert_eq!(dup["action"], "duplicate", "{dup:#}");
    assert_eq!(dup["ticket"], first.as_str());
    // m3 threads only by References naming m2, which came by the pull.
    let by_refs = import_one_in(&sb, &here, &m3);
    assert_eq!(by_refs["action"], "follow-up", "{by_refs:#}");
    assert_eq!(by_refs["ticket"], first.as_str());
}

#[test]
fn a_missing_or_damaged_message_id_map_is_rebuilt_and_changes_nothing() {
    for damage in [None, Some(&b"garbage"[..]), Some(&b"TIXI\0\0\0\0"[..])] {
        let sb = Sandbox::init();
        let [m1, m2, m3] = printer_thread();
        import_mbox(&sb, &[m1.bytes(), m2.bytes()]);
        let map = sb.dir.join(".git/tix/index/message-ids.bin");
        let saved = std::fs::read(&map).unwrap();
        match damage {
            Some(bytes) => std::fs::write(&map, bytes).unwrap(),
            None => std::fs::remove_file(&map).unwrap(),
        }
        let report = import_mbox(&sb, &[m1.bytes(), m2.bytes(), m3.bytes()]);
        assert_eq!(count(&report, "duplicates"), 2, "{report:#}");
        assert_eq!(count(&report, "follow_ups"), 1, "{report:#}");
        let rebuilt = std::fs::read(&map).unwrap();
        assert_eq!(&rebuilt[..4], b"TIXI");
        assert_ne!(rebuilt, saved, "m3 is in the map now");
    }
}

#[test]
fn a_missing_or_damaged_mail_index_is_rebuilt_and_changes_nothing() {
    let run = |damage: Option<&[u8]>| {
        let sb = Sandbox::init();
        let [m1, m2, m3] = printer_thread();
        import_mbox(&sb, &[m1.bytes()]);
        // Every shard file saved.
        sb.ok(["list", "--format", "json"]);
        let shard = mail_index(&sb);
        match damage {
            Some(bytes) => std::fs::write(&shard, bytes).unwrap(),
            None => std::fs::remove_file(&shard).unwrap(),
        }
        let report = import_mbox(&sb, &[m1.bytes(), m2.bytes(), m3.bytes()]);
        assert_eq!(count(&report, "duplicates"), 1, "{report:#}");
        assert_eq!(count(&report, "follow_ups"), 2, "{report:#}");
        // A header (`TIXI`, CRC-32), then postcard: the format version is
        // the first field, a varint.
        let index = std::fs::read(mail_index(&sb)).unwrap();
        assert_eq!(&index[..4], b"TIXI");
        assert_eq!(
            index.get(8),
            Some(&26),
            "saved again in the current version"
        );
    };
    run(None);
    run(Some(b"not an index at all"));
    // Version 999 (varint e7 07), no shards, with a correct header.
    let payload = [0xe7, 0x07, 0x00];
    let mut crc = flate2::Crc::new();
    crc.update(&payload);
    let mut framed = b"TIXI".to_vec();
    framed.extend_from_slice(&crc.sum().to_le_bytes());
    framed.extend_from_slice(&payload);
    run(Some(&framed));
}

#[test]
fn rewritten_history_makes_the_mail_index_start_over() {
    let sb = Sandbox::init();
    let [m1, m2, _] = printer_thread();
    import_mbox(&sb, &[m1.bytes()]);
    import_mbox(&sb, &[m2.bytes()]);
    // Drop the second import from history: m2 is no longer in the store,
    // and the saved index (which knows it) describes a commit HEAD no
    // longer descends from.
    sb.git(["reset", "-q", "--hard", "HEAD~1"]);
    let report = import_mbox(&sb, &[m2.bytes()]);
    assert_eq!(only_action(&report).0, "follow-up", "{report:#}");
}

#[test]
fn mail_with_our_loop_header_is_skipped() {
    let sb = Sandbox::init();
    let m = Mail::new("ann@example.com", "Re: hello", "loop1@example.com").set("X-Tix-Loop", "tix");
    let report = import_mbox(&sb, &[m.bytes()]);
    assert_eq!(count(&report, "loops"), 1, "{report:#}");
    assert_eq!(count(&report, "new_tickets"), 0, "{report:#}");
    // Another installation's token is not ours: filed like any mail.
    let m = Mail::new("ann@example.com", "hello", "loop2@example.com")
        .set("X-Tix-Loop", "elsewhere.example");
    let report = import_mbox(&sb, &[m.bytes()]);
    assert_eq!(count(&report, "new_tickets"), 1, "{report:#}");
}

/// A customer who answers the ticket that was merged into another (by
/// In-Reply-To, or by its tag in the subject) writes onto the ticket it
/// was merged into, as a participant; the merged ticket takes nothing.
#[test]
fn mail_to_a_merged_ticket_threads_onto_the_ticket_it_was_merged_into() {
    let sb = Sandbox::init();
    sb.set_mail("addresses: [support@example.com]");
    let first = Mail::new("Ann Lee <ann@example.com>", "VPN down", "vpn1@example.com");
    let target = ticket_of(&import_one(&sb, &first));
    let duplicate = Mail::new(
        "Bob Brown <bob@example.org>",
        "VPN down for us too",
        "dup1@example.org",
    );
    let source = ticket_of(&import_one(&sb, &duplicate));
    assert_ne!(source, target);
    sb.change(["merge", &source, "into", &target]);

    let answer = Mail::new(
        "Bob Brown <bob@example.org>",
        "Re: VPN down for us too",
        "dup2@example.org",
    )
    .reply_to("dup1@example.org")
    .body("Still nothing here.\n");
    let out = import_one(&sb, &answer);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), target);
    let tagged = Mail::new(
        "Bob Brown <bob@example.org>",
        &format!("Re: [tix #{source}] VPN down for us too"),
        "dup3@example.org",
    )
    .body("Any news?\n");
    let out = import_one(&sb, &tagged);
    assert_action(&out, "follow-up");
    assert_eq!(ticket_of(&out), target);

    assert_eq!(kinds(&sb.entries(&source)), ["created", "message", "merge"]);
    let entries = sb.entries(&target);
    let own: Vec<&Value> = entries.iter().filter(|e| e["origin"].is_null()).collect();
    assert_eq!(
        own.iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["created", "message", "merge", "message", "message"]
    );
    for message in &own[3..] {
        assert_eq!(message["from"]["email"], "bob@example.org");
        assert!(message["outsider"].is_null(), "{message:#}");
    }
    let from_source: Vec<&Value> = entries
        .iter()
        .filter(|e| e["origin"] == source.as_str())
        .collect();
    assert_eq!(
        kinds(&from_source.into_iter().cloned().collect::<Vec<_>>()),
        ["created", "message"]
    );
    assert_eq!(sb.ticket(&source)["status"], "closed");
}
