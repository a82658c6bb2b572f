//! `tix import pop3|imap` against a real Dovecot on loopback: keep,
//! delete and move; crashes at every step between filing and removing;
//! bad passwords, unreachable servers, TLS trust; and that the password
//! shows up nowhere. Skipped (with a message) where Dovecot is not
//! installed, except in CI (`TIX_REQUIRE_MAIL_SERVERS=1`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::common::mailserver::{Dovecot, PASSWORD, USER};
use crate::common::{Run, Sandbox};
use serde_json::Value;

const PASSWORD_VAR: &str = "TIX_TEST_MAIL_PASSWORD";

/// A message from a customer; `reply_to` makes it a reply in a thread.
fn mail(n: usize, reply_to: Option<usize>) -> Vec<u8> {
    let mut m = format!(
        "From: Customer {n} <customer{n}@example.org>\r\n\
         To: support@example.com\r\n\
         Subject: {}\r\n\
         Message-ID: <fetch-{n}@example.org>\r\n\
         Date: Mon, 02 Nov 2026 10:{:02}:00 +0000\r\n",
        match reply_to {
            Some(_) => "Re: Printer on fire".to_string(),
            None => format!("Printer {n} on fire"),
        },
        n % 60
    );
    if let Some(parent) = reply_to {
        m.push_str(&format!("In-Reply-To: <fetch-{parent}@example.org>\r\n"));
    }
    m.push_str(&format!("\r\nMessage number {n}. It smells of toner.\r\n"));
    m.into_bytes()
}

fn mails(range: std::ops::Range<usize>) -> Vec<Vec<u8>> {
    range.map(|n| mail(n, None)).collect()
}

/// A store whose config declares account `support` on `server`.
fn store_for(server: &Dovecot, protocol: &str, extra: &str) -> Sandbox {
    let sb = Sandbox::init();
    let (port, tls) = match protocol {
        "imap" => (server.imaps, "implicit"),
        _ => (server.pop3, "starttls"),
    };
    sb.set_mail(&format!(
        "addresses: [support@example.com]\n\
         accounts:\n  support:\n    protocol: {protocol}\n    host: 127.0.0.1\n    \
         port: {port}\n    user: {USER}\n    tls: {tls}\n    ca_file: {}\n    \
         password_env: {PASSWORD_VAR}\n    timeout: 10s\n{extra}",
        server.ca_file.display()
    ));
    sb
}

fn fetch(sb: &Sandbox, protocol: &str, args: &[&str]) -> Run {
    sb.tix(["import", protocol, "--format", "json"])
        .args(args)
        .env(PASSWORD_VAR, PASSWORD)
        .run()
}

fn fetched(run: Run) -> Value {
    serde_json::from_str(&run.ok()).expect("JSON from tix import")
}

fn count(report: &Value, key: &str) -> u64 {
    report["fetch"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key}: {report:#}"))
}

/// Message-ID → how many entries in the store hold it.
fn message_ids_in_store(sb: &Sandbox) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for id in sb.list_ids(["list", "--all"]) {
        for entry in sb.entries(&id) {
            if let Some(m) = entry["mail"]["message_id"].as_str() {
                *out.entry(m.to_string()).or_default() += 1;
            }
        }
    }
    out
}

fn assert_each_once(sb: &Sandbox, n: usize) {
    let ids = message_ids_in_store(sb);
    assert_eq!(ids.len(), n, "{ids:?}");
    assert!(ids.values().all(|&c| c == 1), "filed twice: {ids:?}");
    sb.tix(["check"]).ok();
    sb.assert_clean();
}

trait Args {
    fn args(self, args: &[&str]) -> Self;
}

impl Args for crate::common::Tix<'_> {
    fn args(mut self, args: &[&str]) -> Self {
        for a in args {
            self = self.arg(a);
        }
        self
    }
}

#[test]
fn imap_keep_files_a_thread_and_never_downloads_a_message_twice() {
    let messages = [mail(1, None), mail(2, Some(1))];
    let Some(server) = Dovecot::start(&[&messages[0], &messages[1]]) else {
        return;
    };
    let sb = store_for(&server, "imap", "");
    let report = fetched(fetch(&sb, "imap", &[]));
    assert_eq!(count(&report, "on_server"), 2, "{report:#}");
    assert_eq!(count(&report, "downloaded"), 2);
    assert_eq!(count(&report, "removed"), 0);
    assert_eq!(report["fetch"]["counts"]["new_tickets"], 1);
    assert_eq!(report["fetch"]["counts"]["follow_ups"], 1);
    let tickets = sb.list_ids(["list"]);
    assert_eq!(tickets.len(), 1);
    assert_eq!(sb.ticket(&tickets[0])["messages"], 2);
    assert_eq!(server.count(), 2, "kept on the server");

    // Again: nothing downloaded, nothing committed.
    let head = sb.head();
    let report = fetched(fetch(&sb, "imap", &[]));
    assert_eq!(count(&report, "downloaded"), 0, "{report:#}");
    assert_eq!(count(&report, "already_fetched"), 2);
    assert_eq!(sb.head(), head);

    // New mail: only it is downloaded.
    server.add_message(&mail(3, Some(1)));
    let report = fetched(fetch(&sb, "imap", &[]));
    assert_eq!(count(&report, "downloaded"), 1, "{report:#}");
    assert_eq!(sb.ticket(&tickets[0])["messages"], 3);
    assert_each_once(&sb, 3);
}

#[test]
fn pop3_delete_empties_the_mailbox_of_what_was_filed() {
    let messages = mails(1..6);
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let Some(server) = Dovecot::start(&refs) else {
        return;
    };
    let sb = store_for(&server, "pop3", "    after_import: delete\n");
    let report = fetched(fetch(&sb, "pop3", &["--batch", "2"]));
    assert_eq!(count(&report, "downloaded"), 5, "{report:#}");
    assert_eq!(count(&report, "removed"), 5);
    assert_eq!(server.count(), 0, "{}", server.log());
    assert_each_once(&sb, 5);
    // Three commits of at most two messages.
    assert_eq!(report["fetch"]["counts"]["commits"], 3);
}

#[test]
fn imap_move_files_then_moves_to_the_archive_folder() {
    let messages = mails(1..4);
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let Some(server) = Dovecot::start(&refs) else {
        return;
    };
    let sb = store_for(
        &server,
        "imap",
        "    after_import: move\n    move_to: Archive\n",
    );
    let report = fetched(fetch(&sb, "imap", &[]));
    assert_eq!(count(&report, "removed"), 3, "{report:#}");
    assert_eq!(server.count(), 0);
    assert_eq!(server.count_in("Archive"), 3);
    assert_each_once(&sb, 3);
}

#[test]
fn limit_bounds_a_run_and_the_rest_waits_for_the_next() {
    let messages = mails(1..6);
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let Some(server) = Dovecot::start(&refs) else {
        return;
    };
    let sb = store_for(&server, "pop3", "");
    let report = fetched(fetch(&sb, "pop3", &["--limit", "2"]));
    assert_eq!(count(&report, "downloaded"), 2, "{report:#}");
    assert_eq!(count(&report, "deferred"), 3);
    let report = fetched(fetch(&sb, "pop3", &["--limit", "10"]));
    assert_eq!(count(&report, "downloaded"), 3, "{report:#}");
    assert_each_once(&sb, 5);
}

#[test]
fn dry_run_downloads_but_writes_and_removes_nothing() {
    let messages = mails(1..3);
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let Some(server) = Dovecot::start(&refs) else {
        return;
    };
    let sb = store_for(&server, "pop3", "    after_import: delete\n");
    let head = sb.head();
    let report = fetched(fetch(&sb, "pop3", &["--dry-run"]));
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["fetch"]["messages"].as_array().unwrap().len(), 2);
    assert_eq!(count(&report, "removed"), 0);
    assert_eq!(sb.head(), head);
    assert_eq!(server.count(), 2);
    assert!(!sb.dir.join(".git/tix/fetch/support.json").exists());
}

/// Killed right after the commit (before the fetch state records it) and
/// right after the state (before the server removes anything): the re-run
/// files nothing twice and empties the mailbox.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "test hooks are compiled out of release builds"
)]
fn a_fetch_killed_between_filing_and_removing_loses_and_duplicates_nothing() {
    for (protocol, point) in [
        ("pop3", "fetch-after-commit"),
        ("pop3", "fetch-after-state"),
        ("imap", "fetch-after-commit"),
        ("imap", "fetch-after-state"),
    ] {
        let messages = mails(1..8);
        let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let Some(server) = Dovecot::start(&refs) else {
            return;
        };
        let sb = store_for(&server, protocol, "    after_import: delete\n");
        let killed = sb
            .tix(["import", protocol, "--batch", "3"])
            .env(PASSWORD_VAR, PASSWORD)
            .env("TIX_FAILPOINT", point)
            .run();
        assert_ne!(killed.code, 0, "{protocol} {point}: {killed:?}");
        assert_eq!(server.count(), 7, "{protocol} {point}: nothing removed yet");
        assert_eq!(message_ids_in_store(&sb).len(), 3, "{protocol} {point}");

        let report = fetched(fetch(&sb, protocol, &["--batch", "3"]));
        let downloaded = count(&report, "downloaded");
        // After the commit only: the first batch comes again, as
        // duplicates. After the state: it is removed without a download.
        let expected = if point == "fetch-after-commit" { 7 } else { 4 };
        assert_eq!(downloaded, expected, "{protocol} {point}: {report:#}");
        assert_eq!(server.count(), 0, "{protocol} {point}");
        assert_each_once(&sb, 7);
    }
}

#[test]
fn a_wrong_password_changes_nothing_and_is_never_shown() {
    let messages = mails(1..2);
    let Some(server) = Dovecot::start(&[&messages[0]]) else {
        return;
    };
    for protocol in ["pop3", "imap"] {
        let sb = store_for(&server, protocol, "");
        let head = sb.head();
        let wrong = "Wr0ng-but-secret-42";
        let run = sb
            .tix(["import", protocol])
            .env(PASSWORD_VAR, wrong)
            .run()
            .code(12);
        assert!(!run.stderr.contains(wrong) && !run.stdout.contains(wrong));
        assert!(run.stderr.contains("127.0.0.1"), "{}", run.stderr);
        assert_eq!(sb.head(), head);
        sb.assert_clean();
    }
}

#[test]
fn the_password_appears_in_no_output_and_nowhere_in_the_repository() {
    let messages = [mail(1, None), mail(2, Some(1))];
    let Some(server) = Dovecot::start(&[&messages[0], &messages[1]]) else {
        return;
    };
    let sb = Sandbox::init();
    // From a command this time, as with `pass show` (which here reads it
    // from the environment, so that not even the config holds it).
    sb.set_mail(&format!(
        "accounts:\n  support:\n    protocol: imap\n    host: 127.0.0.1\n    port: {}\n    \
         user: {USER}\n    tls: starttls\n    ca_file: {}\n    \
         password_command: printf '%s\\n' \"$TIX_TEST_SECRET\"\n",
        server.imap,
        server.ca_file.display()
    ));
    // The command is in the config; the password it prints is not.
    let run = sb
        .tix(["import", "imap", "--verbose"])
        .env("TIX_TEST_SECRET", PASSWORD)
        .run();
    let out = run.ok();
    let again = sb
        .tix(["import", "imap", "--format", "json"])
        .env("TIX_TEST_SECRET", PASSWORD)
        .run();
    let mut seen = out + &again.stderr + &again.ok();
    seen.push_str(&sb.git(["log", "-p", "--all", "--format=%an %ae %s %b"]));
    for file in crate::common::files_under(&sb.dir.join(".git/tix")) {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(file).unwrap()));
    }
    let secret_part = &PASSWORD[..PASSWORD.len() - 2];
    assert!(
        !seen.contains(secret_part),
        "the password leaked into output, history or .git/tix"
    );
    assert_each_once(&sb, 2);
}

#[test]
fn a_password_in_the_config_is_refused_with_a_clear_message() {
    let sb = Sandbox::init();
    let config = sb.dir.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "mail:\n  accounts:\n    support:\n      protocol: imap\n      host: imap.example.com\n      \
         user: s\n      password: hunter2\n",
    );
    std::fs::write(&config, text).unwrap();
    sb.git(["commit", "-q", "-am", "a password, by mistake"]);
    let run = sb.tix(["import", "imap"]).run();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("mail.accounts.support.password")
            && run.stderr.contains("never go into this file"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unreachable_server_or_an_untrusted_certificate_changes_nothing() {
    let messages = mails(1..2);
    let Some(server) = Dovecot::start(&[&messages[0]]) else {
        return;
    };
    // The real server, but without its CA: a certificate error.
    let sb = Sandbox::init();
    sb.set_mail(&format!(
        "accounts:\n  support:\n    protocol: pop3\n    host: 127.0.0.1\n    port: {}\n    \
         user: {USER}\n    password_env: {PASSWORD_VAR}\n",
        server.pop3s
    ));
    let head = sb.head();
    let run = fetch(&sb, "pop3", &[]).code(11);
    assert!(run.stderr.contains("certificate"), "{}", run.stderr);
    // A port nobody listens on.
    let closed = crate::common::mailserver::free_port();
    sb.set_mail(&format!(
        "accounts:\n  support:\n    protocol: imap\n    host: 127.0.0.1\n    port: {closed}\n    \
         user: {USER}\n    tls: plain\n    allow_plaintext: true\n    \
         password_env: {PASSWORD_VAR}\n"
    ));
    let head2 = sb.head();
    assert_ne!(head, head2);
    let run = fetch(&sb, "imap", &[]).code(11);
    assert!(
        run.stderr.contains(&format!("127.0.0.1:{closed}")),
        "{}",
        run.stderr
    );
    assert_eq!(sb.head(), head2);
    sb.assert_clean();
}

/// The server stops while messages are being fetched: a clear error, what
/// was filed stays filed, and fetching the same mail again (from a new
/// server) files nothing twice.
#[test]
fn a_server_that_goes_away_mid_fetch_loses_nothing() {
    let messages = mails(1..301);
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let Some(mut server) = Dovecot::start(&refs) else {
        return;
    };
    let sb = store_for(&server, "imap", "");
    let child = sb
        .std_command(crate::common::TIX)
        .args(["import", "imap", "--batch", "1"])
        .env(PASSWORD_VAR, PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = sb.commit_count();
    let deadline = Instant::now() + Duration::from_secs(60);
    while sb.commit_count() < start + 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.stop();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(11), "{stderr}");
    assert!(stderr.contains("a re-run resumes"), "{stderr}");
    let filed = message_ids_in_store(&sb).len();
    assert!(
        (2..300).contains(&filed),
        "{filed} filed before the server went away"
    );
    sb.assert_clean();

    let Some(again) = Dovecot::start(&refs) else {
        return;
    };
    let sb_config = format!(
        "addresses: [support@example.com]\n\
         accounts:\n  support:\n    protocol: imap\n    host: 127.0.0.1\n    port: {}\n    \
         user: {USER}\n    ca_file: {}\n    password_env: {PASSWORD_VAR}\n",
        again.imaps,
        again.ca_file.display()
    );
    sb.set_mail(&sb_config);
    let report = fetched(fetch(&sb, "imap", &[]));
    assert_eq!(
        report["fetch"]["counts"]["duplicates"].as_u64(),
        Some(filed as u64),
        "{report:#}"
    );
    assert_each_once(&sb, 300);
}
