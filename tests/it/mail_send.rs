//! Sending mail: rendering (headers encoded, parsed back to the same
//! text), the file and sendmail transports, and SMTP against a real
//! aiosmtpd on loopback (plain, STARTTLS and implicit TLS with a test CA,
//! AUTH), including the failures a user must be able to tell apart.
//!
//! Without aiosmtpd (or openssl) the SMTP tests print "skipping" and pass;
//! with TIX_REQUIRE_MAIL_SERVERS=1 (CI) they fail instead.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::mailserver::{SmtpServer, SmtpSink, free_port};
use chrono::{TimeZone, Utc};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use tix_core::ErrorKind;
use tix_core::domain::config::MailConfig;
use tix_core::domain::{MailOutgoing, OutgoingTransport, Party, TlsMode};
use tix_core::mail::send::{
    Outgoing, OutgoingAttachment, Transport, new_message_id, render, transport,
};

fn party(name: Option<&str>, email: &str) -> Party {
    Party {
        name: name.map(str::to_string),
        email: email.to_string(),
    }
}

/// A reply with everything a real one has, in more than ASCII.
fn reply() -> Outgoing {
    Outgoing {
        from: party(Some("Zoë Ångström – Support"), "support@example.com"),
        to: vec![party(Some("Ann Müller"), "ann@example.org")],
        cc: vec![party(Some("Lee, Carl"), "carl@example.net")],
        bcc: vec![party(None, "boss@example.net")],
        subject: "Re: Drucker druckt nicht – schon wieder! [tix #7K3FQ2M9]".to_string(),
        text: "Hallo Ann,\n\nbitte prüfen Sie das Kabel.\n.\nFrom the team: ünïcödé ✓\n\
               A long line that goes on and on and on and on and on and on and on and on and on and on and past the limit.\n"
            .to_string(),
        message_id: "1700000000000.abcdef@tix.example.com".to_string(),
        in_reply_to: Some("m2@example.org".to_string()),
        references: vec!["m1@example.org".to_string(), "m2@example.org".to_string()],
        headers: vec![
            ("Auto-Submitted".to_string(), "auto-replied".to_string()),
            ("X-Tix-Loop".to_string(), "tix.example.com".to_string()),
            ("X-Tix-Ticket".to_string(), "7K3FQ2M9".to_string()),
        ],
        date: Utc.with_ymd_and_hms(2026, 11, 23, 9, 12, 40).unwrap(),
        attachments: Vec::new(),
    }
}

fn header_text<'a>(m: &'a mail_parser::Message<'a>, name: &'a str) -> Option<&'a str> {
    m.header(name).and_then(HeaderValue::as_text)
}

/// Line endings made alike, for comparing a text body.
fn unix(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[test]
fn render_encodes_headers_and_parses_back_to_the_same_text() {
    let message = reply();
    let bytes = render(&message).unwrap();
    assert!(bytes.is_ascii(), "{}", String::from_utf8_lossy(&bytes));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in:\n{text}"
    );
    assert!(text.lines().all(|l| l.len() <= 998), "{text}");
    assert!(!text.contains("ü"), "{text}");
    assert!(text.contains("=?utf-8?"), "{text}");

    let parsed = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(parsed.subject(), Some(message.subject.as_str()));
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Zoë Ångström – Support"));
    assert_eq!(from.address(), Some("support@example.com"));
    let to = parsed.to().unwrap().first().unwrap();
    assert_eq!(
        (to.name(), to.address()),
        (Some("Ann Müller"), Some("ann@example.org"))
    );
    let cc = parsed.cc().unwrap().first().unwrap();
    assert_eq!(
        (cc.name(), cc.address()),
        (Some("Lee, Carl"), Some("carl@example.net"))
    );
    assert_eq!(
        unix(&parsed.body_text(0).unwrap()).trim_end(),
        message.text.trim_end()
    );
    assert_eq!(
        parsed.message_id(),
        Some("1700000000000.abcdef@tix.example.com")
    );
    assert_eq!(parsed.in_reply_to().as_text(), Some("m2@example.org"));
    let references: Vec<&str> = parsed
        .references()
        .as_text_list()
        .unwrap()
        .iter()
        .map(|r| r.as_ref())
        .collect();
    assert_eq!(references, ["m1@example.org", "m2@example.org"]);
    assert_eq!(header_text(&parsed, "Auto-Submitted"), Some("auto-replied"));
    assert_eq!(header_text(&parsed, "X-Tix-Loop"), Some("tix.example.com"));
    assert_eq!(header_text(&parsed, "X-Tix-Ticket"), Some("7K3FQ2M9"));
    assert_eq!(
        parsed.date().map(|d| d.to_timestamp()),
        Some(message.date.timestamp())
    );
    assert!(!text.contains("multipart"), "{text}");
    // The same input renders the same bytes: what is recorded can be
    // rendered again.
    assert_eq!(render(&message).unwrap(), bytes);
}

#[test]
fn render_with_attachments_is_multipart_and_keeps_the_bytes() {
    let mut message = reply();
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    message.attachments = vec![
        OutgoingAttachment {
            filename: "Bericht März.pdf".to_string(),
            content_type: "application/pdf".to_string(),
            bytes: binary.clone(),
        },
        OutgoingAttachment {
            filename: "notes.txt".to_string(),
            content_type: "text/plain; charset=utf-8".to_string(),
            bytes: "ä\n".as_bytes().to_vec(),
        },
    ];
    let bytes = render(&message).unwrap();
    assert!(bytes.is_ascii());
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    assert!(
        parsed
            .content_type()
            .is_some_and(|c| c.ctype() == "multipart" && c.subtype() == Some("mixed"))
    );
    assert_eq!(
        unix(&parsed.body_text(0).unwrap()).trim_end(),
        message.text.trim_end()
    );
    let attachments: Vec<_> = parsed.attachments().collect();
    assert_eq!(attachments.len(), 2);
    assert_eq!(attachments[0].attachment_name(), Some("Bericht März.pdf"));
    assert_eq!(attachments[0].contents(), binary.as_slice());
    assert_eq!(attachments[1].attachment_name(), Some("notes.txt"));
    assert_eq!(attachments[1].contents(), "ä\n".as_bytes());
}

#[test]
fn render_refuses_what_would_corrupt_the_message() {
    type Change = Box<dyn Fn(&mut Outgoing)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "line break",
            Box::new(|m| m.subject = "Hi\r\nBcc: x@evil.example".into()),
        ),
        (
            "line break",
            Box::new(|m| {
                m.headers
                    .push(("X-Note".into(), "a\nBcc: x@evil.example".into()))
            }),
        ),
        (
            "header `Subject`",
            Box::new(|m| m.headers.push(("Subject".into(), "twice".into()))),
        ),
        (
            "header `Bad Name`",
            Box::new(|m| m.headers.push(("Bad Name".into(), "x".into()))),
        ),
        ("Message-ID", Box::new(|m| m.message_id = "<x@y>".into())),
        (
            "Message-ID",
            Box::new(|m| m.message_id = "no-at-sign".into()),
        ),
        (
            "References",
            Box::new(|m| m.references.push("a b@c".into())),
        ),
        ("To: `ann`", Box::new(|m| m.to = vec![party(None, "ann")])),
        (
            "no recipient",
            Box::new(|m| {
                m.to.clear();
                m.cc.clear();
            }),
        ),
        (
            "not a content type",
            Box::new(|m| {
                m.attachments.push(OutgoingAttachment {
                    filename: "a".into(),
                    content_type: "nonsense".into(),
                    bytes: vec![1],
                })
            }),
        ),
    ];
    for (expected, change) in cases {
        let mut message = reply();
        change(&mut message);
        let err = render(&message).expect_err(expected);
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
        assert!(err.to_string().contains(expected), "{expected}: {err}");
    }
}

#[test]
fn message_ids_are_unique() {
    let ids: std::collections::HashSet<String> = (0..1000)
        .map(|_| new_message_id("tix.example.com"))
        .collect();
    assert_eq!(ids.len(), 1000);
    assert!(ids.iter().all(|id| id.ends_with("@tix.example.com")));
}

// ------------------------------------------------------------ transports

fn config_with(outgoing: MailOutgoing) -> MailConfig {
    MailConfig {
        outgoing: Some(outgoing),
        ..MailConfig::default()
    }
}

fn recipients() -> Vec<String> {
    reply().recipients()
}

#[test]
fn no_outgoing_section_is_a_clear_error() {
    let err = transport(&MailConfig::default(), Path::new("/"))
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("mail.outgoing"), "{err}");
}

#[test]
fn file_transport_writes_the_exact_bytes_under_the_message_id() {
    let root = tempfile::tempdir().unwrap();
    let mut outgoing = MailOutgoing::new(OutgoingTransport::File);
    outgoing.dir = Some("outbox-mail".into());
    let sender = transport(&config_with(outgoing), root.path()).unwrap();
    let bytes = render(&reply()).unwrap();
    sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap();
    let path = root
        .path()
        .join("outbox-mail/1700000000000.abcdef@tix.example.com.eml");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // Nothing else is left behind (no temporary file).
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
    assert!(sender.describe().contains("outbox-mail"));
}

fn sendmail(command: String, timeout: Option<&str>) -> Box<dyn Transport> {
    let mut outgoing = MailOutgoing::new(OutgoingTransport::Sendmail);
    outgoing.command = Some(command);
    outgoing.timeout = timeout.map(|t| t.parse().expect("a duration"));
    transport(&config_with(outgoing), Path::new("/")).unwrap()
}

#[test]
fn sendmail_transport_pipes_the_exact_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.eml");
    let envelope = dir.path().join("envelope");
    let sender = sendmail(
        format!(
            "printf '%s|%s' \"$TIX_ENVELOPE_FROM\" \"$TIX_RECIPIENTS\" > '{}'; cat > '{}'",
            envelope.display(),
            out.display()
        ),
        None,
    );
    let bytes = render(&reply()).unwrap();
    sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    assert_eq!(
        std::fs::read_to_string(&envelope).unwrap(),
        "support@example.com|ann@example.org carl@example.net boss@example.net"
    );
    // A blind copy is an envelope recipient only.
    assert!(!String::from_utf8_lossy(&bytes).contains("boss@example.net"));
}

#[test]
fn a_failing_sendmail_says_why() {
    let sender = sendmail(
        "cat > /dev/null; echo 'sendmail: no such user: ann' >&2; exit 67".into(),
        None,
    );
    let bytes = render(&reply()).unwrap();
    let err = sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    let text = err.to_string();
    assert!(text.contains("no such user: ann"), "{text}");
    assert!(text.contains("67"), "{text}");

    let missing = sendmail("/nonexistent/sendmail -t -i".into(), None);
    let err = missing
        .send("support@example.com", &recipients(), &bytes)
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/sendmail"), "{err}");
}

#[test]
fn a_hanging_sendmail_is_stopped_at_the_timeout() {
    let sender = sendmail("sleep 30".into(), Some("1s"));
    let start = Instant::now();
    let err = sender
        .send(
            "support@example.com",
            &recipients(),
            b"Subject: x\r\n\r\nx\r\n",
        )
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(
        err.to_string().contains("did not finish within 1 s"),
        "{err}"
    );
}

// ------------------------------------------------------------------ SMTP

fn smtp(host: &str, port: u16, tls: TlsMode, ca_file: Option<&Path>) -> MailOutgoing {
    let mut outgoing = MailOutgoing::new(OutgoingTransport::Smtp);
    outgoing.host = Some(host.to_string());
    outgoing.port = Some(port);
    outgoing.tls = Some(tls);
    outgoing.allow_plaintext = tls == TlsMode::Plain;
    outgoing.ca_file = ca_file.map(|p| p.display().to_string());
    outgoing.timeout = Some("10s".parse().expect("a duration"));
    outgoing
}

/// Headers the sink adds to what it receives.
const SINK_HEADERS: [&str; 3] = ["x-peer:", "x-mailfrom:", "x-rcptto:"];

/// A received message without the sink's own headers, with CRLF line
/// endings (the sink's Maildir stores LF).
fn without_sink_headers(received: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(received).replace("\r\n", "\n");
    let mut out = String::new();
    let mut in_headers = true;
    for line in text.split_inclusive('\n') {
        if in_headers && line == "\n" {
            in_headers = false;
        }
        let lower = line.to_ascii_lowercase();
        if in_headers && SINK_HEADERS.iter().any(|h| lower.starts_with(h)) {
            continue;
        }
        out.push_str(line);
    }
    out.replace('\n', "\r\n").into_bytes()
}

#[test]
fn smtp_plain_and_starttls_deliver_the_rendered_bytes() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    for tls in [TlsMode::Plain, TlsMode::Starttls] {
        let outgoing = smtp("localhost", sink.port, tls, Some(&sink.ca_file));
        let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
        let mut message = reply();
        message.message_id = new_message_id("tix.example.com");
        let bytes = render(&message).unwrap();
        sender
            .send("support@example.com", &message.recipients(), &bytes)
            .unwrap_or_else(|e| panic!("{tls:?}: {e}\n{}", sink.log()));
        let received = sink
            .messages()
            .into_iter()
            .find(|m| String::from_utf8_lossy(m).contains(&message.message_id))
            .unwrap_or_else(|| panic!("{tls:?}: not received\n{}", sink.log()));
        let text = String::from_utf8_lossy(&received);
        assert!(
            text.contains("X-RcptTo: ann@example.org, carl@example.net"),
            "{text}"
        );
        assert!(text.contains("X-MailFrom: support@example.com"), "{text}");
        assert_eq!(
            String::from_utf8_lossy(&without_sink_headers(&received)),
            String::from_utf8_lossy(&bytes),
            "{tls:?}"
        );
    }
}

#[test]
fn starttls_without_the_ca_is_a_certificate_error() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let outgoing = smtp("localhost", sink.port, TlsMode::Starttls, None);
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let bytes = render(&reply()).unwrap();
    let err = sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    let text = err.to_string();
    assert!(text.contains("certificate"), "{text}");
    assert!(text.contains(&format!("localhost:{}", sink.port)), "{text}");
    assert!(text.contains("ca_file"), "{text}");
    assert!(sink.messages().is_empty());
}

#[test]
fn a_closed_port_is_a_network_error_naming_it() {
    let port = free_port();
    let outgoing = smtp("127.0.0.1", port, TlsMode::Starttls, None);
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let start = Instant::now();
    let err = sender
        .send(
            "support@example.com",
            &recipients(),
            b"Subject: x\r\n\r\nx\r\n",
        )
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(err.kind(), ErrorKind::Network);
    let text = err.to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains("connection refused"), "{text}");
}

const SMTP_USER: &str = "help@example.com";
const SMTP_PASSWORD: &str = "Smtp-test-Pa55word-0815";

/// A login whose password comes from a command, as a user would set it.
fn with_login(mut outgoing: MailOutgoing, password: &str) -> MailOutgoing {
    outgoing.user = Some(SMTP_USER.to_string());
    outgoing.password_command = Some(format!("printf '%s\\n' '{password}'"));
    outgoing
}

#[test]
fn implicit_tls_with_a_login_delivers_the_exact_bytes() {
    let Some(server) = SmtpServer::start(true, Some((SMTP_USER, SMTP_PASSWORD))) else {
        return;
    };
    let outgoing = with_login(
        smtp(
            "localhost",
            server.port,
            TlsMode::Implicit,
            Some(&server.ca_file),
        ),
        SMTP_PASSWORD,
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    assert!(
        sender
            .describe()
            .starts_with("smtps://help@example.com@localhost:")
    );
    let mut message = reply();
    message.attachments.push(OutgoingAttachment {
        filename: "dots.txt".to_string(),
        content_type: "text/plain".to_string(),
        bytes: b".\r\n..\r\n.x\r\n".to_vec(),
    });
    let bytes = render(&message).unwrap();
    sender
        .send("bounces@example.com", &message.recipients(), &bytes)
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    let received = server.received();
    assert_eq!(received.len(), 1, "{}", server.log());
    assert_eq!(received[0].bytes, bytes);
    assert_eq!(received[0].mail_from, "bounces@example.com");
    assert_eq!(
        received[0].rcpt_tos,
        ["ann@example.org", "carl@example.net", "boss@example.net"]
    );
    assert!(received[0].authenticated);
}

#[test]
fn a_refused_login_is_auth_failed_without_the_password() {
    let Some(server) = SmtpServer::start(false, Some((SMTP_USER, SMTP_PASSWORD))) else {
        return;
    };
    let wrong = "Wrong-Pa55word-4711";
    let outgoing = with_login(
        smtp(
            "localhost",
            server.port,
            TlsMode::Starttls,
            Some(&server.ca_file),
        ),
        wrong,
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let bytes = render(&reply()).unwrap();
    let err = sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AuthFailed, "{err}");
    let text = err.to_string();
    assert!(text.contains("535"), "{text}");
    assert!(text.contains(SMTP_USER), "{text}");
    assert!(
        !text.contains(wrong) && !format!("{err:?}").contains(wrong),
        "{text}"
    );
    assert!(server.received().is_empty());

    // The right password over STARTTLS goes through.
    let outgoing = with_login(
        smtp(
            "localhost",
            server.port,
            TlsMode::Starttls,
            Some(&server.ca_file),
        ),
        SMTP_PASSWORD,
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    sender
        .send("support@example.com", &recipients(), &bytes)
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(server.received()[0].bytes, bytes);
}

#[test]
fn a_server_requiring_a_login_refuses_mail_without_one() {
    let Some(server) = SmtpServer::start(false, Some((SMTP_USER, SMTP_PASSWORD))) else {
        return;
    };
    let outgoing = smtp(
        "localhost",
        server.port,
        TlsMode::Starttls,
        Some(&server.ca_file),
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let err = sender
        .send(
            "support@example.com",
            &recipients(),
            &render(&reply()).unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AuthFailed, "{err}");
    let text = err.to_string();
    assert!(text.contains("530"), "{text}");
    assert!(text.contains("support@example.com"), "{text}");
    assert!(
        err.hint().unwrap_or("").contains("mail.outgoing.user"),
        "{err:?}"
    );
}

#[test]
fn a_refused_recipient_is_named_and_nothing_is_sent() {
    let Some(server) = SmtpServer::start(false, None) else {
        return;
    };
    let outgoing = smtp(
        "localhost",
        server.port,
        TlsMode::Starttls,
        Some(&server.ca_file),
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let mut message = reply();
    message.cc.push(party(None, "unknown.person@example.org"));
    let err = sender
        .send(
            "support@example.com",
            &message.recipients(),
            &render(&message).unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("recipient unknown.person@example.org refused"),
        "{text}"
    );
    assert!(text.contains("550 5.1.1 No such user here"), "{text}");
    assert!(text.contains("not sent"), "{text}");
    assert!(server.received().is_empty());
}

#[test]
fn implicit_tls_against_a_plain_server_fails_quickly() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let outgoing = smtp(
        "localhost",
        sink.port,
        TlsMode::Implicit,
        Some(&sink.ca_file),
    );
    let sender = transport(&config_with(outgoing), Path::new("/")).unwrap();
    let start = Instant::now();
    let err = sender
        .send(
            "support@example.com",
            &recipients(),
            b"Subject: x\r\n\r\nx\r\n",
        )
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("localhost:{}", sink.port)),
        "{err}"
    );
}
