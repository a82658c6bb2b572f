//! Mail that must not be trusted: Maildir symbolic links, charsets beyond
//! the common ones, mboxes that are not, messages too large or with too many
//! parts, strangers threading into a ticket, bounces of tix's own replies,
//! and subjects too long for one header line.
//!
//! Every test runs the real `tix` binary in a [`Sandbox`] and checks what it
//! left behind; real mail from the shared corpus (`crate::common::corpus`) is used where
//! it exists.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::{Sandbox, files_under};
use serde_json::Value;

const DATE: &str = "Mon, 02 Mar 2026 10:00:00 +0000";

/// A message: headers (raw bytes allowed) and a body.
fn message(headers: &[(&str, &[u8])], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

/// A plain message from `from` with `subject` and Message-ID `<id>`.
fn simple(from: &str, subject: &str, id: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut headers: Vec<(&str, &[u8])> = vec![
        ("From", from.as_bytes()),
        ("To", b"support@example.com"),
        ("Subject", subject.as_bytes()),
        ("Date", DATE.as_bytes()),
    ];
    let id = format!("<{id}>");
    headers.push(("Message-ID", id.as_bytes()));
    for (n, v) in extra {
        headers.push((n, v.as_bytes()));
    }
    message(&headers, format!("Text of {subject}\n").as_bytes())
}

/// A corpus file, in a test that has checked `crate::common::corpus::dir()`.
fn corpus(path: &str) -> Vec<u8> {
    crate::common::corpus::file(path).expect("the test checks for the corpus first")
}

static INPUTS: AtomicUsize = AtomicUsize::new(0);

fn input_file(sb: &Sandbox, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = sb.mkdir("inputs");
    let n = INPUTS.fetch_add(1, Ordering::SeqCst);
    let path = dir.join(format!("{n}-{name}"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[track_caller]
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Imports one message from stdin; asserts exit `code`; returns the report.
#[track_caller]
fn import_eml(sb: &Sandbox, raw: &[u8], code: i32) -> Value {
    let run = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(raw.to_vec())
        .fails(code);
    json(&run.stdout)
}

#[track_caller]
fn ticket_of(report: &Value) -> String {
    report["messages"][0]["ticket"]
        .as_str()
        .unwrap_or_else(|| panic!("no ticket in {report:#}"))
        .to_string()
}

fn maildir(sb: &Sandbox, name: &str) -> PathBuf {
    let dir = sb.mkdir(name);
    for d in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    dir
}

fn entries_of_kind(sb: &Sandbox, id: &str, kind: &str) -> Vec<Value> {
    sb.entries(id)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

// ---------------------------------------------------------------------------
// Maildir symbolic links
// ---------------------------------------------------------------------------

#[test]
fn maildir_import_does_not_follow_symbolic_links() {
    let sb = Sandbox::init();
    let md = maildir(&sb, "Maildir");
    let secret = sb.mkdir("secret").join("passwd");
    std::fs::write(
        &secret,
        simple("Eve <eve@example.com>", "Secret", "secret@x", &[]),
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, md.join("new/1")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", md.join("cur/2:2,S")).unwrap();
    std::fs::write(
        md.join("new/3"),
        simple("Ann <ann@example.com>", "Real mail", "real@x", &[]),
    )
    .unwrap();
    let run = sb
        .tix(["import", "maildir"])
        .arg(&md)
        .arg_pair("--format", "json")
        .run()
        .code(0);
    let report = json(&run.stdout);
    assert_eq!(report["counts"]["messages"], 1, "{report:#}");
    assert_eq!(report["counts"]["new_tickets"], 1, "{report:#}");
    assert_eq!(report["counts"]["quarantined"], 0, "{report:#}");
    assert_eq!(report["counts"]["skipped_files"], 2, "{report:#}");
    for name in ["new/1", "cur/2:2,S"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(name) && l.contains("symbolic link")),
            "no message about {name}:\n{}",
            run.stderr
        );
    }
    // Nothing of the link targets is in the store or its history.
    assert!(!sb.dir.join("quarantine").exists());
    let history = sb.git(["log", "-p", "--all"]);
    assert!(!history.contains("root:"), "/etc/passwd was committed");
    assert!(!history.contains("Secret"), "the link target was committed");
    sb.assert_clean();
}

// ---------------------------------------------------------------------------
// Charsets, raw 8-bit headers, mboxes that are not
// ---------------------------------------------------------------------------

/// Imports `raw` and returns (ticket subject, customer name, message body).
fn imported_text(sb: &Sandbox, raw: &[u8]) -> (String, String, String) {
    let report = import_eml(sb, raw, 0);
    let id = ticket_of(&report);
    let shown = sb.show(&id);
    let message = entries_of_kind(sb, &id, "message").remove(0);
    (
        shown["ticket"]["subject"].as_str().unwrap().to_string(),
        shown["ticket"]["customer"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        message["body"].as_str().unwrap().to_string(),
    )
}

/// One message in `charset`: encoded-word subject and name, 8-bit body.
fn in_charset(charset: &str, id: &str, subject: &[u8], name: &[u8], body: &[u8]) -> Vec<u8> {
    let b = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|c| format!("={c:02X}"))
            .collect::<String>()
    };
    let subject = format!("=?{charset}?Q?{}?=", b(subject));
    let from = format!("=?{charset}?Q?{}?= <sender@example.com>", b(name));
    let ctype = format!("text/plain; charset={charset}");
    let mid = format!("<{id}>");
    message(
        &[
            ("From", from.as_bytes()),
            ("To", b"support@example.com"),
            ("Subject", subject.as_bytes()),
            ("Date", DATE.as_bytes()),
            ("Message-ID", mid.as_bytes()),
            ("MIME-Version", b"1.0"),
            ("Content-Type", ctype.as_bytes()),
            ("Content-Transfer-Encoding", b"8bit"),
        ],
        body,
    )
}

#[test]
fn east_asian_and_thai_charsets_are_decoded() {
    let sb = Sandbox::init();
    // 你好，世界 in GB18030 and GBK; ハロー in EUC-JP; 안녕 in EUC-KR;
    // สวัสดี in windows-874.
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "GB18030",
            b"\xc4\xe3\xba\xc3\xa3\xac\xca\xc0\xbd\xe7",
            "你好，世界",
        ),
        (
            "GBK",
            b"\xc4\xe3\xba\xc3\xa3\xac\xca\xc0\xbd\xe7",
            "你好，世界",
        ),
        ("EUC-JP", b"\xa5\xcf\xa5\xed\xa1\xbc", "ハロー"),
        ("EUC-KR", b"\xbe\xc8\xb3\xe7", "안녕"),
        ("windows-874", b"\xca\xc7\xd1\xca\xb4\xd5", "สวัสดี"),
    ];
    for (charset, bytes, text) in cases {
        let raw = in_charset(charset, &format!("{charset}@x"), bytes, bytes, bytes);
        let (subject, name, body) = imported_text(&sb, &raw);
        assert_eq!(subject, text, "{charset} subject");
        assert_eq!(name, text, "{charset} name");
        assert_eq!(body.trim_end(), text, "{charset} body");
    }
    // Real mail: an ISO-2022-JP body and an EUC-KR encoded-word subject.
    if crate::common::corpus::dir().is_none() {
        return;
    }
    let (_, _, body) = imported_text(
        &sb,
        &corpus("mikel-mail/spec/fixtures/emails/multi_charset/japanese_iso_2022.eml"),
    );
    assert!(body.contains("すみません"), "ISO-2022-JP body: {body:?}");
    let (subject, _, _) = imported_text(
        &sb,
        &corpus("mikel-mail/spec/fixtures/emails/plain_emails/raw_email.eml"),
    );
    assert!(subject.contains("한국말로"), "EUC-KR subject: {subject:?}");
    let (subject, _, _) = imported_text(
        &sb,
        &corpus("mikel-mail/spec/fixtures/emails/rfc2822/example14.eml"),
    );
    assert!(
        subject.contains("テスト"),
        "ISO-2022-JP subject: {subject:?}"
    );
}

#[test]
fn a_character_split_over_two_encoded_words_is_read_whole() {
    // Real mail (SpamAssassin's corpus): UTF-8 `ž` is C5 BE, cut between
    // two encoded words with language tags.
    let sb = Sandbox::init();
    let raw = corpus("apache-spamassassin/t/data/nice/unicode1");
    let (subject, _, _) = imported_text(&sb, &raw);
    assert_eq!(subject, "Domače omrežje");
}

#[test]
fn raw_8bit_headers_are_read_in_the_declared_charset() {
    let sb = Sandbox::init();
    let raw = message(
        &[
            ("From", b"J\xfcrgen M\xfcller <jm@example.com>"),
            ("To", b"support@example.com"),
            ("Subject", b"Fr\xf6sche im Garten"),
            ("Date", DATE.as_bytes()),
            ("Message-ID", b"<frogs@x>"),
            ("Content-Type", b"text/plain; charset=iso-8859-1"),
        ],
        b"Gr\xfc\xdfe\n",
    );
    let (subject, name, body) = imported_text(&sb, &raw);
    assert_eq!(subject, "Frösche im Garten");
    assert_eq!(name, "Jürgen Müller");
    assert_eq!(body.trim_end(), "Grüße");
    // Without a declared charset, bytes that are not UTF-8 are Latin-1.
    let raw = message(
        &[
            ("From", b"ann@example.com"),
            ("Subject", b"Caf\xe9 ouvert"),
            ("Date", DATE.as_bytes()),
            ("Message-ID", b"<cafe@x>"),
        ],
        b"x\n",
    );
    assert_eq!(imported_text(&sb, &raw).0, "Café ouvert");
    // UTF-8 stays UTF-8.
    let raw = message(
        &[
            ("From", b"ann@example.com"),
            ("Subject", "Grüße aus Köln".as_bytes()),
            ("Date", DATE.as_bytes()),
            ("Message-ID", b"<koeln@x>"),
            ("Content-Type", b"text/plain; charset=iso-8859-1"),
        ],
        b"x\n",
    );
    assert_eq!(imported_text(&sb, &raw).0, "Grüße aus Köln");
}

#[test]
fn an_mbox_starting_with_a_byte_order_mark_keeps_its_first_message() {
    let sb = Sandbox::init();
    let mut mbox = b"\xEF\xBB\xBFFrom ann@example.com Mon Mar  2 10:00:00 2026\n".to_vec();
    mbox.extend(simple("Ann <ann@example.com>", "First", "first@x", &[]));
    mbox.extend(b"\nFrom bob@example.com Mon Mar  2 10:00:00 2026\n");
    mbox.extend(simple("Bob <bob@example.com>", "Second", "second@x", &[]));
    let file = input_file(&sb, "bom.mbox", &mbox);
    let report = json(
        &sb.tix(["import", "mbox"])
            .arg(&file)
            .arg_pair("--format", "json")
            .ok(),
    );
    assert_eq!(report["counts"]["messages"], 2, "{report:#}");
    assert_eq!(report["counts"]["new_tickets"], 2, "{report:#}");
    let subjects: Vec<String> = sb
        .list_json(["list", "--all"])
        .iter()
        .map(|t| t["subject"].as_str().unwrap().to_string())
        .collect();
    assert!(subjects.contains(&"First".to_string()), "{subjects:?}");
}

#[test]
fn import_mbox_refuses_what_is_not_an_mbox() {
    let sb = Sandbox::init();
    let eml = input_file(
        &sb,
        "message.eml",
        &simple("Ann <ann@example.com>", "Hi", "hi@x", &[]),
    );
    let head = sb.head();
    sb.tix(["import", "mbox"]).arg(&eml).fails(6).stderr_has(&[
        "not an mbox",
        "import eml",
        "message.eml",
    ]);
    let dir = sb.mkdir("somedir");
    sb.tix(["import", "mbox"]).arg(&dir).fails(6).stderr_has(&[
        "somedir",
        "directory",
        "not an mbox",
    ]);
    assert_eq!(sb.head(), head);
    sb.assert_clean();
}

// ---------------------------------------------------------------------------
// Unbounded inputs: MIME parts and message size
// ---------------------------------------------------------------------------

/// A multipart message with `n` tiny attachments.
fn many_parts(n: usize, id: &str) -> Vec<u8> {
    let mut body = String::new();
    body.push_str("--b\nContent-Type: text/plain\n\nSee the files.\n");
    for i in 0..n {
        body.push_str(&format!(
            "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"f{i}.bin\"\n\n{i}\n"
        ));
    }
    body.push_str("--b--\n");
    let mid = format!("<{id}>");
    message(
        &[
            ("From", b"Ann <ann@example.com>"),
            ("To", b"support@example.com"),
            ("Subject", b"Many parts"),
            ("Date", DATE.as_bytes()),
            ("Message-ID", mid.as_bytes()),
            ("MIME-Version", b"1.0"),
            ("Content-Type", b"multipart/mixed; boundary=\"b\""),
        ],
        body.as_bytes(),
    )
}

#[test]
fn a_message_with_too_many_parts_is_quarantined_whole() {
    let sb = Sandbox::init();
    // The default is 500 parts.
    let raw = many_parts(600, "parts@x");
    let report = import_eml(&sb, &raw, 65);
    let outcome = &report["messages"][0];
    assert_eq!(outcome["action"], "quarantined", "{report:#}");
    let reason = outcome["reason"].as_str().unwrap();
    assert!(
        reason.contains("602 MIME parts") && reason.contains("mail.max_parts"),
        "{reason}"
    );
    assert!(sb.list_ids(["list", "--all"]).is_empty(), "nothing filed");
    let kept = sb.dir.join(outcome["file"].as_str().unwrap());
    assert_eq!(std::fs::read(kept).unwrap(), raw, "kept byte for byte");
    // Configurable; under the limit the message is filed with its files.
    sb.set_mail("{max_parts: 10}");
    let report = import_eml(&sb, &many_parts(8, "few@x"), 0);
    let id = ticket_of(&report);
    assert_eq!(entries_of_kind(&sb, &id, "attachment").len(), 8);
    let report = import_eml(&sb, &many_parts(9, "nine@x"), 65);
    assert!(
        report["messages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("the limit is 10"),
        "{report:#}"
    );
    // Raising the limit and retrying files it from the quarantine.
    sb.set_mail("{max_parts: 1000}");
    let retried = json(&sb.ok(["quarantine", "retry", "--format", "json"]));
    assert_eq!(retried["counts"]["new_tickets"], 2, "{retried:#}");
    sb.assert_clean();
}

#[test]
fn messages_far_over_the_size_limit_are_not_read_whole() {
    let sb = Sandbox::init();
    sb.set_mail("{max_message_bytes: 1000}");
    let big = |id: &str| {
        let mut m = simple("Ann <ann@example.com>", "Huge", id, &[]);
        m.extend("0123456789abcdef\n".repeat(1000).as_bytes());
        m
    };
    // A file: its size comes from the file system.
    let raw = big("file@x");
    let file = input_file(&sb, "big.eml", &raw);
    let run = sb
        .tix(["import", "eml", "--format", "json"])
        .arg(&file)
        .fails(65);
    let report = json(&run.stdout);
    let outcome = &report["messages"][0];
    assert_eq!(outcome["action"], "quarantined");
    let reason = outcome["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!("{} bytes", raw.len()))
            && reason.contains("the limit is 1000")
            && reason.contains("only its header"),
        "{reason}"
    );
    let kept = std::fs::read(sb.dir.join(outcome["file"].as_str().unwrap())).unwrap();
    let header_end = raw.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    assert_eq!(kept, raw[..header_end], "the header is kept");
    let record: serde_yaml::Value = serde_yaml::from_slice(
        &std::fs::read(
            sb.dir
                .join(outcome["file"].as_str().unwrap().replace(".eml", ".yaml")),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(record["size"].as_u64(), Some(raw.len() as u64));
    assert_eq!(record["truncated"].as_bool(), Some(true));
    // Standard input is not read past the bound.
    let report = import_eml(&sb, &big("stdin@x"), 65);
    assert!(
        report["messages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("more than 2000 bytes"),
        "{report:#}"
    );
    // An mbox and a Maildir: the large message is quarantined, the rest filed.
    let mut mbox = Vec::new();
    for m in [
        big("mbox-big@x"),
        simple("Bob <bob@example.com>", "Small", "small@x", &[]),
    ] {
        mbox.extend(b"From x Mon Mar  2 10:00:00 2026\n");
        mbox.extend(m);
        mbox.push(b'\n');
    }
    let mbox = input_file(&sb, "big.mbox", &mbox);
    let report = json(
        &sb.tix(["import", "mbox"])
            .arg(&mbox)
            .arg_pair("--format", "json")
            .ok(),
    );
    assert_eq!(report["counts"]["quarantined"], 1, "{report:#}");
    assert_eq!(report["counts"]["new_tickets"], 1, "{report:#}");
    let md = maildir(&sb, "Maildir");
    std::fs::write(md.join("new/1"), big("md-big@x")).unwrap();
    let report = json(
        &sb.tix(["import", "maildir"])
            .arg(&md)
            .arg_pair("--format", "json")
            .ok(),
    );
    assert_eq!(report["counts"]["quarantined"], 1, "{report:#}");
    // A header-only copy is never filed as if it were the message.
    sb.set_mail("{max_message_bytes: 1000000}");
    let retried = json(&sb.ok(["quarantine", "retry", "--format", "json"]));
    assert_eq!(retried["counts"]["new_tickets"], 0, "{retried:#}");
    assert_eq!(retried["counts"]["quarantined"], 4, "{retried:#}");
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 1);
    sb.assert_clean();
}

// ---------------------------------------------------------------------------
// Long subjects and names in outgoing mail
// ---------------------------------------------------------------------------

/// Every message the file transport wrote to `dir`.
fn sent_mail(dir: &Path) -> Vec<Vec<u8>> {
    files_under(dir)
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

#[test]
fn outgoing_header_lines_fit_rfc_5322_whatever_the_subject() {
    let sb = Sandbox::init();
    sb.add_bob();
    let outbox = sb.mkdir("outbox");
    sb.set_config("name", "\"Example Support\"");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         notify: {{new_ticket: true, follow_up: true}}\n\
         outgoing:\n  transport: file\n  dir: {}\n",
        outbox.display()
    ));
    // 300 KB unbroken subject and name, a long message id, a long body line.
    let subject = "S".repeat(300_000);
    let name = "N".repeat(100_000);
    let id = format!("{}@example.org", "i".repeat(3000));
    let raw = message(
        &[
            ("From", format!("{name} <ann@example.org>").as_bytes()),
            ("To", b"support@example.com"),
            ("Subject", subject.as_bytes()),
            ("Date", DATE.as_bytes()),
            ("Message-ID", format!("<{id}>").as_bytes()),
        ],
        format!("{}\n", "b".repeat(5000)).as_bytes(),
    );
    let report = import_eml(&sb, &raw, 0);
    let ticket = ticket_of(&report);
    assert_eq!(report["counts"]["acknowledged"], 1, "{report:#}");
    sb.tix([
        "reply",
        &ticket,
        "-m",
        &format!("Answer {}", "a".repeat(3000)),
    ])
    .ok();
    // A non-ASCII long subject, encoded and folded.
    let accents = "é".repeat(5000);
    let report = import_eml(
        &sb,
        &message(
            &[
                ("From", b"Zoe <zoe@example.org>"),
                ("To", b"support@example.com"),
                (
                    "Subject",
                    format!("=?UTF-8?Q?{}?=", "=C3=A9".repeat(5000)).as_bytes(),
                ),
                ("Date", DATE.as_bytes()),
                ("Message-ID", b"<zoe@x>"),
            ],
            b"x\n",
        ),
        0,
    );
    let second = ticket_of(&report);
    sb.tix(["reply", &second, "-m", "ok"]).ok();
    let sent = sent_mail(&outbox);
    // Two acknowledgements, two notifications, two replies.
    assert_eq!(sent.len(), 6, "{} messages", sent.len());
    let tag = format!("[tix #{ticket}]");
    for bytes in &sent {
        for line in bytes.split(|b| *b == b'\n') {
            assert!(
                line.len() <= 998,
                "a line of {} octets: {}",
                line.len(),
                String::from_utf8_lossy(&line[..80])
            );
        }
        let parsed = mail_parser::MessageParser::default().parse(bytes).unwrap();
        let subject = parsed.subject().unwrap();
        assert!(subject.chars().count() <= 200, "{} chars", subject.len());
        assert!(subject.starts_with("[tix #"), "{subject}");
        if subject.contains(&tag) {
            assert!(subject.ends_with('…'), "{subject}");
        } else {
            assert!(subject.contains(&accents[..40]), "{subject}");
        }
    }
    // The customer's answer to the cut subject threads back by its tag.
    let answer = simple(
        "ann@example.org",
        &format!("Re: {tag} SSSS…"),
        "answer@example.org",
        &[],
    );
    let report = import_eml(&sb, &answer, 0);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert_eq!(report["messages"][0]["ticket"], ticket.as_str());
}

// ---------------------------------------------------------------------------
// Strangers threading by header
// ---------------------------------------------------------------------------

#[test]
fn a_stranger_threading_by_header_is_recorded_but_not_copied() {
    let sb = Sandbox::init();
    let outbox = sb.mkdir("outbox");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         auto_reply: {{enabled: false}}\n\
         outgoing:\n  transport: file\n  dir: {}\n",
        outbox.display()
    ));
    let first = simple(
        "Ann <ann@example.org>",
        "Where is my order",
        "order@example.org",
        &[("Cc", "Carl <carl@example.org>")],
    );
    let ticket = ticket_of(&import_eml(&sb, &first, 0));
    // Carl, copied by the customer, takes part: his reply is no outsider's.
    let carl = simple(
        "carl@example.org",
        "Re: Where is my order",
        "carl1@example.org",
        &[("In-Reply-To", "<order@example.org>")],
    );
    assert_eq!(
        import_eml(&sb, &carl, 0)["messages"][0]["action"],
        "follow-up"
    );
    // Eve knows the Message-ID; she copies a friend.
    let eve = simple(
        "Eve <eve@evil.example>",
        "Re: Where is my order",
        "eve1@evil.example",
        &[
            ("In-Reply-To", "<order@example.org>"),
            ("Cc", "mallory@evil.example"),
        ],
    );
    let report = import_eml(&sb, &eve, 0);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    assert_eq!(report["messages"][0]["ticket"], ticket.as_str());
    let shown = sb.show(&ticket);
    let cc: Vec<&str> = shown["ticket"]["cc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    assert_eq!(cc, ["carl@example.org"], "nobody joined the Cc");
    let messages = entries_of_kind(&sb, &ticket, "message");
    let flags: Vec<bool> = messages
        .iter()
        .map(|m| m["outsider"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(flags, [false, false, true], "{messages:#?}");
    let text = sb.ok(["show", &ticket]);
    assert!(
        text.contains("eve@evil.example takes no part in this ticket"),
        "{text}"
    );
    // The agent's reply goes to the customer and the Cc only.
    sb.tix(["reply", &ticket, "-m", "Shipped to 1 Main St"])
        .ok();
    let sent = sent_mail(&outbox);
    assert_eq!(sent.len(), 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&sent[0])
        .unwrap();
    let mut to: Vec<String> = parsed
        .to()
        .into_iter()
        .chain(parsed.cc())
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().map(str::to_string))
        .collect();
    to.sort();
    assert_eq!(to, ["ann@example.org", "carl@example.org"]);
    // Her later mail with only the tag does not thread.
    let tagged = simple(
        "eve@evil.example",
        &format!("[tix #{ticket}] send it to me instead"),
        "eve2@evil.example",
        &[],
    );
    let report = import_eml(&sb, &tagged, 0);
    assert_eq!(report["messages"][0]["action"], "created", "{report:#}");
    assert_ne!(report["messages"][0]["ticket"], ticket.as_str());
    // An agent adds her deliberately: from then on she takes part.
    sb.ok(["cc", &ticket, "--add", "eve@evil.example"]);
    let again = simple(
        "eve@evil.example",
        &format!("[tix #{ticket}] thanks"),
        "eve3@evil.example",
        &[],
    );
    let report = import_eml(&sb, &again, 0);
    assert_eq!(report["messages"][0]["action"], "follow-up", "{report:#}");
    let last = entries_of_kind(&sb, &ticket, "message").pop().unwrap();
    assert!(last.get("outsider").is_none(), "{last:#}");
    sb.assert_clean();
}

// ---------------------------------------------------------------------------
// Bounces of tix's own replies
// ---------------------------------------------------------------------------

/// A delivery status notification for `original` (the bytes tix sent), as
/// Postfix writes one, from the null sender named MAILER-DAEMON, without
/// In-Reply-To; the original as `message/rfc822`, or only its headers as
/// `text/rfc822-headers`.
fn dsn(original: &[u8], id: &str, headers_only: bool) -> Vec<u8> {
    let (ctype, returned) = if headers_only {
        let end = original
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(original.len());
        ("text/rfc822-headers", &original[..end])
    } else {
        ("message/rfc822", original)
    };
    let mut out = format!(
        "From: MAILER-DAEMON <>\r\n\
         To: support@example.com\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Date: Tue, 03 Mar 2026 10:00:00 +0000\r\n\
         Message-ID: <{id}>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
         \r\n\
         --B\r\nContent-Type: text/plain\r\n\r\n\
         I'm sorry to have to inform you that your message could not\r\n\
         be delivered to one or more recipients.\r\n\
         \r\n\
         --B\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.example.org\r\n\r\n\
         Final-Recipient: rfc822; ann@example.org\r\n\
         Action: failed\r\n\
         Status: 5.1.1\r\n\
         Diagnostic-Code: smtp; 550 5.1.1 <ann@example.org>: User unknown\r\n\
         \r\n\
         --B\r\nContent-Type: {ctype}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(returned);
    out.extend_from_slice(b"\r\n--B--\r\n");
    out
}

#[test]
fn bounces_of_our_replies_are_recorded_as_failed_deliveries() {
    if crate::common::corpus::dir().is_none() {
        return;
    }
    let sb = Sandbox::init();
    let outbox = sb.mkdir("outbox");
    sb.set_mail(&format!(
        "addresses: [support@example.com]\nmessage_id_domain: tix.example.com\n\
         auto_reply: {{enabled: false}}\n\
         notify: {{new_ticket: true, follow_up: true}}\n\
         outgoing:\n  transport: file\n  dir: {}\n",
        outbox.display()
    ));
    let first = simple("Ann <ann@example.org>", "Broken", "ann1@example.org", &[]);
    let ticket = ticket_of(&import_eml(&sb, &first, 0));
    let reply = |text: &str| -> (String, String, Vec<u8>) {
        sb.tix(["reply", &ticket, "-m", text]).ok();
        let r = entries_of_kind(&sb, &ticket, "reply").pop().unwrap();
        let file = r["entry_file"].as_str().unwrap().to_string();
        let id = r["mail"]["message_id"].as_str().unwrap().to_string();
        let raw = std::fs::read(
            sb.ticket_dir(&ticket)
                .join(r["mail"]["raw"].as_str().unwrap()),
        )
        .unwrap();
        (file, id, raw)
    };
    let (file1, _, raw1) = reply("First answer");
    let (file2, id2, _) = reply("Second answer");
    let (file3, id3, _) = reply("Third answer");
    let (file4, _, raw4) = reply("Fourth answer");
    sb.ok(["close", &ticket]);
    let sent_before = sent_mail(&outbox).len();
    let status = |sb: &Sandbox| sb.show(&ticket)["ticket"]["status"].clone();
    let closed = status(&sb);

    let bounces: Vec<(&str, Vec<u8>)> = vec![
        // Built from the bytes tix sent, the whole message returned.
        (file1.as_str(), dsn(&raw1, "dsn1@mx.example.org", false)),
        // Real Postfix DSN (sisimai), its returned Message-ID ours.
        (
            file2.as_str(),
            String::from_utf8_lossy(&corpus("sisimai-set-of-emails/maildir/bsd/rfc3464-03.eml"))
                .replace("220000000022.0000.0000000000000000222@NEKO.NYAAN", &id2)
                .into_bytes(),
        ),
        // Real Exim bounce: the original quoted in the text.
        (
            file3.as_str(),
            String::from_utf8_lossy(&corpus(
                "sisimai-set-of-emails/maildir/bsd/lhost-exim-01.eml",
            ))
            .replace("E1P1ce6-000Egt-GZ@e1.example.org", &id3)
            .into_bytes(),
        ),
        // Only the headers returned.
        (file4.as_str(), dsn(&raw4, "dsn4@mx.example.org", true)),
    ];
    for (file, bytes) in &bounces {
        let report = import_eml(&sb, bytes, 0);
        let outcome = &report["messages"][0];
        assert_eq!(outcome["action"], "noted", "{file}: {report:#}");
        assert_eq!(outcome["ticket"], ticket.as_str(), "{file}");
        let delivery = entries_of_kind(&sb, &ticket, "delivery")
            .into_iter()
            .find(|d| d["entry"] == *file && d["status"] == "failed")
            .unwrap_or_else(|| panic!("no failed delivery for {file}"));
        assert!(
            delivery["body"].as_str().unwrap().starts_with("bounced"),
            "{delivery:#}"
        );
        assert_eq!(status(&sb), closed, "a bounce never reopens");
    }
    // Each bounce is an internal note (besides tix's notification to agents).
    let notes: Vec<Value> = entries_of_kind(&sb, &ticket, "note")
        .into_iter()
        .filter(|n| {
            n["mail"]["noise"]
                .as_str()
                .is_some_and(|x| x.starts_with("bounce"))
        })
        .collect();
    assert_eq!(notes.len(), 4, "{notes:#?}");
    let delivery = entries_of_kind(&sb, &ticket, "delivery")
        .into_iter()
        .find(|d| d["entry"] == file1.as_str() && d["status"] == "failed")
        .unwrap();
    assert!(
        delivery["body"].as_str().unwrap().contains("5.1.1"),
        "{delivery:#}"
    );
    let shown = sb.show(&ticket);
    let bounced = shown["ticket"]["bounced"].as_object().unwrap();
    assert_eq!(bounced.len(), 4, "{bounced:#?}");
    // The summary gives the server's words, not why it looked like a bounce.
    assert_eq!(
        bounced[&file1], "bounced: smtp; 550 5.1.1 <ann@example.org>: User unknown",
        "{bounced:#?}"
    );
    assert!(sb.ok(["show", &ticket]).contains("BOUNCED"));
    assert_eq!(sent_mail(&outbox).len(), sent_before, "nobody is e-mailed");
    // The same bounce again changes nothing.
    let head = sb.head();
    let report = import_eml(&sb, &bounces[0].1, 0);
    assert_eq!(report["messages"][0]["action"], "duplicate");
    assert_eq!(sb.head(), head);
    // A made-up bounce naming the ticket's tag, returning mail that is not
    // ours, writes nothing into it.
    let fake = simple(
        "ann@example.org",
        &format!("[tix #{ticket}] hi"),
        "fake@example.org",
        &[],
    );
    let report = import_eml(&sb, &dsn(&fake, "dsn9@mx.example.org", false), 0);
    assert_eq!(report["messages"][0]["action"], "skipped", "{report:#}");
    // On a locked ticket the failed delivery is still recorded, no note.
    let (file5, _, raw5) = reply("Fifth answer");
    sb.ok(["close", &ticket, "--lock", "--yes"]);
    let notes_before = entries_of_kind(&sb, &ticket, "note").len();
    let report = import_eml(&sb, &dsn(&raw5, "dsn5@mx.example.org", false), 0);
    assert_eq!(report["messages"][0]["action"], "noted", "{report:#}");
    assert_eq!(entries_of_kind(&sb, &ticket, "note").len(), notes_before);
    let shown = sb.show(&ticket);
    assert!(
        shown["ticket"]["bounced"].get(&file5).is_some(),
        "{:#}",
        shown["ticket"]
    );
    // The named null sender alone makes a bounce, not mail without sender.
    let plain = message(
        &[
            ("From", b"MAILER-DAEMON <>"),
            ("To", b"support@example.com"),
            ("Subject", b"Message not delivered"),
            ("Date", DATE.as_bytes()),
            ("Message-ID", b"<plain-bounce@mx.example.org>"),
        ],
        b"Your message could not be delivered.
",
    );
    let report = import_eml(&sb, &plain, 0);
    assert_eq!(report["messages"][0]["action"], "skipped", "{report:#}");
    assert_eq!(report["messages"][0]["noise"], "bounce", "{report:#}");
    assert_eq!(report["counts"]["quarantined"], 0, "{report:#}");
    sb.assert_clean();
}
