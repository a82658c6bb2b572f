//! The POP3 and IMAP clients against a real Dovecot (plain, STARTTLS and
//! implicit TLS with a test CA), failure modes against real sockets, and
//! a smoke test of the SMTP sink a later step will send mail to.
//!
//! Without Dovecot or aiosmtpd installed these tests print "skipping" and
//! pass; with TIX_REQUIRE_MAIL_SERVERS=1 (CI) they fail instead.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::common::mailserver::{
    Dovecot, ODD_PASSWORD, ODD_USER, PASSWORD, SmtpSink, USER, free_port,
};
use tix_core::ErrorKind;
use tix_core::mail::net::imap::ImapSession;
use tix_core::mail::net::pop3::Pop3Session;
use tix_core::mail::net::tls::Connection;
use tix_core::mail::net::{ConnectOptions, Tls};

/// A small message with CRLF line endings, as it would arrive by SMTP.
fn message(n: u32, body: &str) -> Vec<u8> {
    let text = format!(
        "From: Ann Customer <ann@example.com>\r\n\
         To: help@example.org\r\n\
         Subject: Test ticket {n}\r\n\
         Message-ID: <t{n}@example.com>\r\n\
         Date: Mon, 01 Jan 2024 10:00:0{} +0000\r\n\
         \r\n\
         {body}\r\n",
        n % 10
    );
    text.into_bytes()
}

/// A message whose body has lines starting with dots, which POP3 must
/// stuff and unstuff, including a line that is just ".".
fn dotted_message() -> Vec<u8> {
    message(
        7,
        ".hidden line\r\n..two dots\r\n.\r\nend. and\r\n. space after the dot\r\n...",
    )
}

/// About `bytes` bytes of message, 76-character lines.
fn large_message(bytes: usize) -> Vec<u8> {
    let mut m = message(9, "A large one follows.");
    let line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-_\r\n";
    while m.len() < bytes {
        m.extend_from_slice(line);
    }
    m
}

fn pop3_opts(server: &Dovecot, tls: Tls) -> ConnectOptions {
    let port = match tls {
        Tls::Implicit => server.pop3s,
        Tls::StartTls | Tls::Plain => server.pop3,
    };
    ConnectOptions::new("localhost", port, tls)
        .with_ca_file(&server.ca_file)
        .with_timeout(Duration::from_secs(10))
}

fn imap_opts(server: &Dovecot, tls: Tls) -> ConnectOptions {
    let port = match tls {
        Tls::Implicit => server.imaps,
        Tls::StartTls | Tls::Plain => server.imap,
    };
    ConnectOptions::new("localhost", port, tls)
        .with_ca_file(&server.ca_file)
        .with_timeout(Duration::from_secs(10))
}

#[track_caller]
fn pop3_login(opts: &ConnectOptions) -> Pop3Session {
    let mut session = Pop3Session::connect(opts).unwrap_or_else(|e| panic!("connect: {e}"));
    session
        .login(USER, PASSWORD)
        .unwrap_or_else(|e| panic!("login: {e}"));
    session
}

#[track_caller]
fn imap_login(opts: &ConnectOptions) -> ImapSession {
    let mut session = ImapSession::connect(opts).unwrap_or_else(|e| panic!("connect: {e}"));
    session
        .login(USER, PASSWORD)
        .unwrap_or_else(|e| panic!("login: {e}"));
    session
}

/// Lists and fetches everything over POP3, checking the bytes.
#[track_caller]
fn pop3_fetch_all_matches(opts: &ConnectOptions, seeded: &[Vec<u8>]) {
    let mut session = pop3_login(opts);
    let listed = session.list().unwrap();
    assert_eq!(listed.len(), seeded.len(), "{listed:?}");
    for (remote, expected) in listed.iter().zip(seeded) {
        let got = session.retrieve(remote.number).unwrap();
        assert_eq!(got.len() as u64, remote.size, "LIST size of {remote:?}");
        assert!(
            got == *expected,
            "message {} differs:\n{}\n---\n{}",
            remote.number,
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(expected)
        );
    }
    session.quit().unwrap();
}

/// Lists and fetches everything over IMAP, checking the bytes.
#[track_caller]
fn imap_fetch_all_matches(opts: &ConnectOptions, seeded: &[Vec<u8>]) {
    let mut session = imap_login(opts);
    let mailbox = session.select("INBOX").unwrap();
    assert_eq!(mailbox.exists as usize, seeded.len());
    assert!(mailbox.uid_validity > 0);
    let listed = session.list_uids().unwrap();
    assert_eq!(listed.len(), seeded.len(), "{listed:?}");
    for ((uid, size), expected) in listed.iter().zip(seeded) {
        let got = session.fetch(*uid).unwrap();
        assert_eq!(got.len() as u64, *size, "RFC822.SIZE of UID {uid}");
        assert!(
            got == *expected,
            "UID {uid} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(expected)
        );
    }
    session.logout().unwrap();
}

fn seeded_pair() -> Vec<Vec<u8>> {
    vec![
        message(1, "Printer 1 is on fire."),
        message(2, "Printer 2 is on fire."),
    ]
}

fn start(messages: &[Vec<u8>]) -> Option<Dovecot> {
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    Dovecot::start(&refs)
}

// ---------------------------------------------------------------------
// POP3 against Dovecot

#[test]
fn pop3_plain_when_allowed_lists_and_retrieves_exact_bytes() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = pop3_opts(&server, Tls::Plain);
    pop3_fetch_all_matches(&opts, &seeded);

    let mut session = pop3_login(&opts);
    let total: u64 = seeded.iter().map(|m| m.len() as u64).sum();
    assert_eq!(session.stat().unwrap(), (2, total));
    session.noop().unwrap();
    session.quit().unwrap();
}

#[test]
fn pop3_starttls_with_the_test_ca() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = pop3_opts(&server, Tls::StartTls);
    let session = Pop3Session::connect(&opts).unwrap();
    let caps = session.capabilities().expect("Dovecot knows CAPA");
    assert!(
        !caps.iter().any(|c| c == "STLS"),
        "after STLS the server no longer offers it: {caps:?}"
    );
    drop(session);
    pop3_fetch_all_matches(&opts, &seeded);
}

#[test]
fn pop3s_implicit_tls_with_the_test_ca() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    pop3_fetch_all_matches(&pop3_opts(&server, Tls::Implicit), &seeded);
}

#[test]
fn pop3_tls_without_the_test_ca_fails_on_the_certificate() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    for tls in [Tls::Implicit, Tls::StartTls] {
        let mut opts = pop3_opts(&server, tls);
        opts.ca_file = None;
        let err = Pop3Session::connect(&opts)
            .err()
            .expect("an untrusted certificate is refused");
        assert_eq!(err.kind(), ErrorKind::Network);
        let text = err.to_string();
        assert!(text.contains("certificate"), "{text}");
        assert!(text.contains("not signed by a trusted CA"), "{text}");
        assert!(text.contains(&format!("localhost:{}", opts.port)), "{text}");
        assert!(text.contains("hint:") && text.contains("CA"), "{text}");
    }
}

#[test]
fn pop3_uidls_are_stable_across_sessions() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let opts = pop3_opts(&server, Tls::Plain);
    let first = {
        let mut s = pop3_login(&opts);
        let l = s.list().unwrap();
        s.quit().unwrap();
        l
    };
    server.add_message(&message(3, "A third one."));
    let mut s = pop3_login(&opts);
    let second = s.list().unwrap();
    s.quit().unwrap();
    assert_eq!(second.len(), 3);
    assert_eq!(&second[..2], &first[..], "the first two keep their UIDLs");
    let uids: std::collections::BTreeSet<_> = second.iter().map(|m| &m.uid).collect();
    assert_eq!(uids.len(), 3, "UIDLs are unique: {second:?}");
}

#[test]
fn pop3_deletes_take_effect_at_quit_only() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = pop3_opts(&server, Tls::Plain);

    // Marked, then the session ends without QUIT: nothing is removed.
    let mut s = pop3_login(&opts);
    s.delete(1).unwrap();
    assert_eq!(s.list().unwrap().len(), 1, "a marked message is not listed");
    assert_eq!(server.count(), 2, "not removed before QUIT");
    drop(s);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.count(), 2, "a session without QUIT removes nothing");

    // Marked and QUIT: removed; the other message stays.
    let mut s = pop3_login(&opts);
    let first_uid = s.list().unwrap()[0].uid.clone();
    s.delete(1).unwrap();
    s.quit().unwrap();
    assert_eq!(server.count(), 1);
    let mut s = pop3_login(&opts);
    let left = s.list().unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].uid, first_uid);
    assert_eq!(s.retrieve(left[0].number).unwrap(), seeded[1]);
    s.quit().unwrap();
}

#[test]
fn pop3_refused_commands_are_errors_and_the_session_goes_on() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let mut s = pop3_login(&pop3_opts(&server, Tls::Plain));
    let err = s.retrieve(99).unwrap_err();
    assert!(err.to_string().contains("RETR 99 refused"), "{err}");
    assert!(s.delete(99).is_err());
    assert_eq!(s.list().unwrap().len(), 2);
    s.quit().unwrap();
}

#[test]
fn pop3_wrong_password_is_auth_failed_and_never_shown() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let wrong = "Wrong-Secret-Passw0rd";
    for tls in [Tls::Plain, Tls::Implicit] {
        let mut s = Pop3Session::connect(&pop3_opts(&server, tls)).unwrap();
        let err = s.login(USER, wrong).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AuthFailed, "{err}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(wrong), "the password leaks: {shown}");
            assert!(!shown.contains(PASSWORD), "the password leaks: {shown}");
        }
        assert!(err.to_string().contains("login failed"), "{err}");
    }
}

#[test]
fn pop3_dot_stuffed_lines_round_trip() {
    let seeded = vec![dotted_message()];
    let Some(server) = start(&seeded) else { return };
    pop3_fetch_all_matches(&pop3_opts(&server, Tls::Plain), &seeded);
}

#[test]
fn pop3_large_message_round_trips_over_tls() {
    let seeded = vec![large_message(5 * 1024 * 1024)];
    let Some(server) = start(&seeded) else { return };
    pop3_fetch_all_matches(&pop3_opts(&server, Tls::Implicit), &seeded);
}

#[test]
fn pop3_message_over_the_size_limit_is_refused() {
    let seeded = vec![large_message(200_000)];
    let Some(server) = start(&seeded) else { return };
    let opts = pop3_opts(&server, Tls::Plain).with_max_message_size(100_000);
    let mut s = pop3_login(&opts);
    let err = s.retrieve(1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.to_string().contains("limit of 100000 bytes"), "{err}");
    assert!(s.noop().is_err(), "the session is not used after that");
}

#[test]
fn pop3_lf_only_message_comes_back_with_crlf() {
    let lf = message(4, "Bare line feeds.").replace_crlf();
    let Some(server) = start(std::slice::from_ref(&lf)) else {
        return;
    };
    // Dovecot sends every line with CRLF, as POP3 requires.
    pop3_fetch_all_matches(
        &pop3_opts(&server, Tls::Plain),
        &[message(4, "Bare line feeds.")],
    );
}

#[test]
fn pop3_server_stopping_mid_session_is_an_error() {
    let Some(mut server) = start(&seeded_pair()) else {
        return;
    };
    let mut s = pop3_login(&pop3_opts(&server, Tls::Implicit));
    assert_eq!(s.list().unwrap().len(), 2);
    server.stop();
    let started = Instant::now();
    let err = s.retrieve(1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    let text = err.to_string();
    assert!(
        text.contains("closed the connection") || text.contains("reset the connection"),
        "{text}"
    );
}

// ---------------------------------------------------------------------
// IMAP against Dovecot

#[test]
fn imap_plain_when_allowed_selects_lists_and_fetches_exact_bytes() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = imap_opts(&server, Tls::Plain);
    imap_fetch_all_matches(&opts, &seeded);

    let mut s = imap_login(&opts);
    let mailbox = s.select("INBOX").unwrap();
    assert_eq!(mailbox.exists, 2);
    let uids: Vec<u32> = s.list_uids().unwrap().iter().map(|(uid, _)| *uid).collect();
    assert_eq!(mailbox.uid_next, Some(uids[1] + 1));
    s.logout().unwrap();
}

#[test]
fn imap_starttls_with_the_test_ca() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = imap_opts(&server, Tls::StartTls);
    let s = ImapSession::connect(&opts).unwrap();
    assert!(!s.has_capability("STARTTLS"), "{:?}", s.capabilities());
    assert!(s.has_capability("IMAP4REV1"), "{:?}", s.capabilities());
    drop(s);
    imap_fetch_all_matches(&opts, &seeded);
}

#[test]
fn imaps_implicit_tls_with_the_test_ca() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    imap_fetch_all_matches(&imap_opts(&server, Tls::Implicit), &seeded);
}

#[test]
fn imap_tls_without_the_test_ca_fails_on_the_certificate() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    for tls in [Tls::Implicit, Tls::StartTls] {
        let mut opts = imap_opts(&server, tls);
        opts.ca_file = None;
        let err = ImapSession::connect(&opts)
            .err()
            .expect("an untrusted certificate is refused");
        assert_eq!(err.kind(), ErrorKind::Network);
        let text = err.to_string();
        assert!(text.contains("TLS certificate rejected"), "{text}");
        assert!(
            text.contains(&format!("IMAP server localhost:{}", opts.port)),
            "{text}"
        );
    }
}

#[test]
fn tls_needs_a_host_name_it_can_check() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    // "127.1" reaches 127.0.0.1, but is neither a valid DNS name nor an
    // IP address in the strict form a certificate could name.
    let mut opts = imap_opts(&server, Tls::Implicit);
    opts.host = "127.1".into();
    let err = ImapSession::connect(&opts).err().expect("refused");
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("\"127.1\""), "{err}");
    // The address the certificate names works.
    opts.host = "127.0.0.1".into();
    ImapSession::connect(&opts).unwrap().logout().unwrap();
}

#[test]
fn imap_uids_and_uidvalidity_are_stable_across_sessions() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let opts = imap_opts(&server, Tls::Plain);
    let mut s = imap_login(&opts);
    let first_box = s.select("INBOX").unwrap();
    let first = s.list_uids().unwrap();
    s.logout().unwrap();

    server.add_message(&message(3, "A third one."));
    let mut s = imap_login(&opts);
    let second_box = s.select("INBOX").unwrap();
    let second = s.list_uids().unwrap();
    s.logout().unwrap();
    assert_eq!(first_box.uid_validity, second_box.uid_validity);
    assert_eq!(second.len(), 3);
    assert_eq!(&second[..2], &first[..]);
    assert!(second[2].0 > first[1].0);
}

#[test]
fn imap_delete_removes_only_that_message_at_once() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = imap_opts(&server, Tls::Plain);
    let mut s = imap_login(&opts);
    s.select("INBOX").unwrap();
    assert!(s.has_capability("UIDPLUS"), "{:?}", s.capabilities());
    let uids = s.list_uids().unwrap();
    s.delete(uids[0].0).unwrap();
    assert_eq!(server.count(), 1, "expunged without waiting for logout");
    assert_eq!(s.list_uids().unwrap(), uids[1..]);
    let gone = s.fetch(uids[0].0).unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound, "{gone}");
    assert_eq!(s.delete(uids[0].0).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(s.fetch(uids[1].0).unwrap(), seeded[1]);
    s.logout().unwrap();
    assert_eq!(server.count(), 1);
}

#[test]
fn imap_move_to_a_folder() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = imap_opts(&server, Tls::Plain);
    let mut s = imap_login(&opts);
    s.create_folder("Processed").unwrap();
    s.create_folder("Processed").unwrap();
    let inbox = s.select("INBOX").unwrap();
    let uids = s.list_uids().unwrap();
    s.move_to(uids[0].0, "Processed").unwrap();
    assert_eq!(server.count(), 1);
    assert_eq!(server.count_in("Processed"), 1);

    let err = s.move_to(uids[1].0, "No such folder").unwrap_err();
    assert!(err.to_string().contains("refused"), "{err}");
    assert_eq!(server.count(), 1, "a failed move keeps the message");

    let moved = s.select("Processed").unwrap();
    assert_ne!(moved.uid_validity, 0);
    let there = s.list_uids().unwrap();
    assert_eq!(s.fetch(there[0].0).unwrap(), seeded[0]);
    assert_eq!(s.select("INBOX").unwrap().uid_validity, inbox.uid_validity);
    s.logout().unwrap();
}

#[test]
fn imap_folder_names_outside_ascii() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let mut s = imap_login(&imap_opts(&server, Tls::Plain));
    s.create_folder("Erledigt & Entwürfe").unwrap();
    s.select("INBOX").unwrap();
    let uid = s.list_uids().unwrap()[0].0;
    s.move_to(uid, "Erledigt & Entwürfe").unwrap();
    let folder = s.select("Erledigt & Entwürfe").unwrap();
    assert_eq!(folder.exists, 1);
    s.logout().unwrap();
}

#[test]
fn imap_wrong_password_is_auth_failed_and_never_shown() {
    let Some(server) = start(&seeded_pair()) else {
        return;
    };
    let wrong = "Wrong-Secret-Passw0rd";
    for tls in [Tls::Plain, Tls::StartTls] {
        let mut s = ImapSession::connect(&imap_opts(&server, tls)).unwrap();
        let err = s.login(USER, wrong).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AuthFailed, "{err}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(wrong), "the password leaks: {shown}");
        }
    }
}

#[test]
fn imap_login_quotes_and_sends_literals() {
    let seeded = seeded_pair();
    let Some(server) = start(&seeded) else { return };
    let opts = imap_opts(&server, Tls::Implicit);
    let mut s = ImapSession::connect(&opts).unwrap();
    s.login(ODD_USER, ODD_PASSWORD)
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(s.select("INBOX").unwrap().exists, 2);
    s.logout().unwrap();

    // The same password over POP3 (no quoting there, just bytes).
    let mut p = Pop3Session::connect(&pop3_opts(&server, Tls::Implicit)).unwrap();
    p.login(ODD_USER, ODD_PASSWORD).unwrap();
    p.quit().unwrap();
}

#[test]
fn imap_dots_lf_only_and_large_messages_round_trip() {
    let large = large_message(5 * 1024 * 1024);
    let lf = message(4, "Bare line feeds.").replace_crlf();
    let Some(server) = start(&[dotted_message(), lf, large.clone()]) else {
        return;
    };
    let expected = [dotted_message(), message(4, "Bare line feeds."), large];
    imap_fetch_all_matches(&imap_opts(&server, Tls::Implicit), &expected);
}

#[test]
fn imap_server_stopping_mid_session_is_an_error() {
    let Some(mut server) = start(&seeded_pair()) else {
        return;
    };
    let mut s = imap_login(&imap_opts(&server, Tls::StartTls));
    s.select("INBOX").unwrap();
    let uids = s.list_uids().unwrap();
    server.stop();
    let started = Instant::now();
    let err = s.fetch(uids[0].0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
}

// ---------------------------------------------------------------------
// Failures without Dovecot: closed ports, silent and vanishing servers

#[test]
fn connection_refused_names_the_address() {
    let port = free_port();
    let opts = ConnectOptions::new("127.0.0.1", port, Tls::Plain);
    let err = Pop3Session::connect(&opts).err().expect("nothing listens");
    assert_eq!(err.kind(), ErrorKind::Network);
    let text = err.to_string();
    assert!(
        text.contains(&format!("POP3 server 127.0.0.1:{port}")),
        "{text}"
    );
    assert!(text.contains("connection refused"), "{text}");
    let err = ImapSession::connect(&opts.with_timeout(Duration::from_secs(2)))
        .err()
        .expect("nothing listens");
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[test]
fn a_missing_ca_file_is_invalid_input_not_a_network_error() {
    let opts = ConnectOptions::new("127.0.0.1", free_port(), Tls::Implicit)
        .with_ca_file("/nonexistent/ca.pem");
    let err = ImapSession::connect(&opts).err().expect("no CA file");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
}

/// A one-connection server on a loopback port running `script` on the
/// accepted socket.
fn fake_server(script: impl FnOnce(TcpStream) + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((socket, _)) = listener.accept() {
            script(socket);
        }
    });
    port
}

/// Reads one command line from the client.
fn read_command(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

#[test]
fn a_server_that_accepts_and_closes_is_an_error() {
    for imap in [false, true] {
        let port = fake_server(drop);
        let opts = ConnectOptions::new("127.0.0.1", port, Tls::Plain);
        let err = if imap {
            ImapSession::connect(&opts).err()
        } else {
            Pop3Session::connect(&opts).err()
        }
        .expect("no greeting");
        assert_eq!(err.kind(), ErrorKind::Network);
        assert!(err.to_string().contains("closed the connection"), "{err}");
    }
    // Implicit TLS to a server that hangs up during the handshake.
    let port = fake_server(drop);
    let opts = ConnectOptions::new("localhost", port, Tls::Implicit);
    let err = Pop3Session::connect(&opts).err().expect("no handshake");
    assert!(err.to_string().contains("TLS handshake"), "{err}");
}

#[test]
fn a_silent_server_times_out() {
    let (hold, held) = std::sync::mpsc::channel::<()>();
    let port = fake_server(move |socket| {
        // Keep the socket open, say nothing, until the test is done.
        let _ = held.recv_timeout(Duration::from_secs(30));
        drop(socket);
    });
    let opts =
        ConnectOptions::new("127.0.0.1", port, Tls::Plain).with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let err = Pop3Session::connect(&opts).err().expect("silence");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.to_string().contains("timed out after 1 s"), "{err}");
    drop(hold);
}

#[test]
fn a_pop3_server_vanishing_mid_message_is_an_error() {
    let port = fake_server(|socket| {
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut w = socket;
        w.write_all(b"+OK hello\r\n").unwrap();
        assert!(read_command(&mut reader).starts_with("CAPA"));
        w.write_all(b"-ERR no CAPA here\r\n").unwrap();
        assert!(read_command(&mut reader).starts_with("RETR 1"));
        w.write_all(b"+OK 5000 octets\r\nFrom: a@b\r\nSubject: half\r\n\r\nsome but not")
            .unwrap();
    });
    let mut s = Pop3Session::connect(&ConnectOptions::new("127.0.0.1", port, Tls::Plain)).unwrap();
    assert_eq!(s.capabilities(), None);
    let err = s.retrieve(1).unwrap_err();
    assert!(err.to_string().contains("closed the connection"), "{err}");
}

#[test]
fn an_imap_server_vanishing_mid_literal_is_an_error() {
    let port = fake_server(|socket| {
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut w = socket;
        w.write_all(b"* OK [CAPABILITY IMAP4rev1] hi\r\n").unwrap();
        assert!(read_command(&mut reader).starts_with("T1 LOGIN"));
        w.write_all(b"T1 OK [CAPABILITY IMAP4rev1] in\r\n").unwrap();
        assert!(read_command(&mut reader).starts_with("T2 SELECT"));
        w.write_all(b"* 1 EXISTS\r\n* OK [UIDVALIDITY 5] x\r\nT2 OK done\r\n")
            .unwrap();
        assert!(read_command(&mut reader).starts_with("T3 UID FETCH 9 BODY.PEEK[]"));
        w.write_all(b"* 1 FETCH (UID 9 BODY[] {5000}\r\nFrom: a@b\r\n")
            .unwrap();
    });
    let mut s = ImapSession::connect(&ConnectOptions::new("127.0.0.1", port, Tls::Plain)).unwrap();
    s.login("u", "p").unwrap();
    assert_eq!(s.select("INBOX").unwrap().uid_validity, 5);
    let err = s.fetch(9).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.to_string().contains("closed the connection"), "{err}");
}

#[test]
fn an_imap_literal_over_the_limit_is_refused_before_reading_it() {
    let port = fake_server(|socket| {
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut w = socket;
        w.write_all(b"* OK [CAPABILITY IMAP4rev1] hi\r\n").unwrap();
        let _ = read_command(&mut reader);
        w.write_all(b"* 1 FETCH (BODY[] {99999999999}\r\n").unwrap();
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
    });
    let opts = ConnectOptions::new("127.0.0.1", port, Tls::Plain).with_max_message_size(1000);
    let mut s = ImapSession::connect(&opts).unwrap();
    let err = s.login("u", "p").unwrap_err();
    assert!(
        err.to_string().contains("over the limit of 1000 bytes"),
        "{err}"
    );
}

#[test]
fn pop3_starttls_refuses_data_injected_before_the_handshake() {
    let port = fake_server(|socket| {
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut w = socket;
        w.write_all(b"+OK hello\r\n").unwrap();
        let _ = read_command(&mut reader);
        w.write_all(b"+OK\r\nSTLS\r\nUSER\r\n.\r\n").unwrap();
        let _ = read_command(&mut reader);
        // The agreement and an injected reply in one packet.
        w.write_all(b"+OK begin TLS\r\n+OK injected\r\n").unwrap();
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
    });
    let opts = ConnectOptions::new("localhost", port, Tls::StartTls);
    let err = Pop3Session::connect(&opts)
        .err()
        .expect("injection refused");
    assert!(
        err.to_string().contains("before the TLS handshake"),
        "{err}"
    );
}

#[test]
fn starttls_is_required_when_asked_for() {
    let port = fake_server(|socket| {
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut w = socket;
        w.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n")
            .unwrap();
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
    });
    let opts = ConnectOptions::new("localhost", port, Tls::StartTls);
    let err = ImapSession::connect(&opts).err().expect("no STARTTLS");
    assert!(err.to_string().contains("does not offer STARTTLS"), "{err}");
}

// ---------------------------------------------------------------------
// The SMTP sink (for the SMTP step to come)

/// Reads an SMTP reply (all its lines) and returns it.
fn smtp_reply(conn: &mut Connection) -> String {
    let mut reply = String::new();
    loop {
        let line = conn.read_line(4096, "SMTP reply").unwrap();
        let line = String::from_utf8(line).unwrap();
        reply.push_str(&line);
        reply.push('\n');
        if line.as_bytes().get(3) != Some(&b'-') {
            return reply;
        }
    }
}

#[track_caller]
fn smtp(conn: &mut Connection, command: &str, expect: &str) -> String {
    conn.send(format!("{command}\r\n").as_bytes(), command)
        .unwrap();
    let reply = smtp_reply(conn);
    assert!(reply.starts_with(expect), "{command}: {reply}");
    reply
}

#[test]
fn smtp_sink_takes_mail_in_the_clear_and_after_starttls() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    for starttls in [false, true] {
        let opts = ConnectOptions::new("localhost", sink.port, Tls::StartTls)
            .with_ca_file(&sink.ca_file)
            .with_timeout(Duration::from_secs(10));
        let mut conn = Connection::open(&opts, "SMTP").unwrap();
        assert!(smtp_reply(&mut conn).starts_with("220"));
        let ehlo = smtp(&mut conn, "EHLO client.example.org", "250");
        assert!(ehlo.contains("STARTTLS"), "{ehlo}");
        if starttls {
            smtp(&mut conn, "STARTTLS", "220");
            conn.start_tls().unwrap();
            assert!(conn.is_tls());
            smtp(&mut conn, "EHLO client.example.org", "250");
        }
        smtp(&mut conn, "MAIL FROM:<help@example.org>", "250");
        smtp(&mut conn, "RCPT TO:<ann@example.com>", "250");
        smtp(&mut conn, "DATA", "354");
        let body = format!(
            "From: help@example.org\r\nTo: ann@example.com\r\nSubject: sink {starttls}\r\n\r\nHello.\r\n.\r\n"
        );
        conn.send(body.as_bytes(), "message").unwrap();
        assert!(smtp_reply(&mut conn).starts_with("250"));
        smtp(&mut conn, "QUIT", "221");
    }
    let received = sink.messages();
    assert_eq!(received.len(), 2, "{}", sink.log());
    for starttls in ["false", "true"] {
        assert!(
            received.iter().any(|m| {
                let text = String::from_utf8_lossy(m);
                text.contains(&format!("Subject: sink {starttls}"))
                    && text.contains("X-RcptTo: ann@example.com")
            }),
            "{received:?}"
        );
    }
}

/// Turns CRLF line endings into LF.
trait ReplaceCrlf {
    fn replace_crlf(&self) -> Vec<u8>;
}

impl ReplaceCrlf for Vec<u8> {
    fn replace_crlf(&self) -> Vec<u8> {
        String::from_utf8_lossy(self)
            .replace("\r\n", "\n")
            .into_bytes()
    }
}
