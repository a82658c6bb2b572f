//! `tix export customer` and `tix export ticket`: what a customer is
//! handed holds exactly the public entries of their own tickets (an
//! internal note's unique marker in no file, another customer's subject
//! nowhere), hostile text and file names rendered inert, and the pages
//! as a real headless Chromium reads them.
//!
//! The Chromium checks need `/usr/bin/chromium`; without it they skip
//! with a message, unless `TIX_REQUIRE_CHROMIUM=1` (as `.ci/run` sets),
//! which makes its absence a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Sandbox, files_under};
use serde_json::Value;

pub const CHROMIUM: &str = "/usr/bin/chromium";
const NOTE_MARKER: &str = "INTERNAL-MARKER-7f3q9";
const DAVE_SUBJECT: &str = "Dave's secret merger plans";

/// The DOM of `page` after Chromium loaded it, or None (with a message)
/// when there is no Chromium and none is required.
pub fn chromium_dom(page: &Path) -> Option<String> {
    let required = std::env::var_os("TIX_REQUIRE_CHROMIUM").is_some_and(|v| v == "1");
    if !Path::new(CHROMIUM).exists() {
        assert!(
            !required,
            "TIX_REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing"
        );
        eprintln!("skipping the Chromium check: {CHROMIUM} is missing");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            // Nothing here has a network: no update or sync attempts to
            // wait for.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("the DOM is UTF-8"))
}

/// The text between `<tag ...>` and `</tag>` of each element with that
/// tag in `dom`, markup inside removed.
pub fn texts_of(dom: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = dom;
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let inner = &after[gt + 1..];
        let Some(end) = inner.find(&close) else { break };
        out.push(strip_tags(&inner[..end]));
        rest = &inner[end..];
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn show(sb: &Sandbox, id: &str) -> Vec<Value> {
    let out = sb.ok(["show", id, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["entries"].as_array().unwrap().clone()
}

fn file_of(entries: &[Value], kind: &str, body_has: &str) -> String {
    entries
        .iter()
        .find(|e| e["kind"] == kind && e["body"].as_str().unwrap_or("").contains(body_has))
        .unwrap_or_else(|| panic!("no {kind} with {body_has:?} in {entries:#?}"))["entry_file"]
        .as_str()
        .unwrap()
        .to_string()
}

const HOSTILE_MAIL: &str = "From: Ann Lee <ann@example.com>\r
To: support@example.com\r
Subject: Printer <script>alert(1)</script>\r
Message-ID: <hostile-1@example.com>\r
Date: Mon, 05 Jan 2026 09:00:00 +0000\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary=\"b\"\r
\r
--b\r
Content-Type: text/plain; charset=utf-8\r
\r
It prints \"><img src=x onerror=alert(1)> and smoke.\r
From the office, Ann.\r
--b\r
Content-Type: text/plain\r
Content-Disposition: attachment; filename=\"../../etc/passwd\"\r
\r
root:x:0:0:PASSWD-BYTES\r
--b--\r
";

/// Ann's store: ticket A by mail (hostile subject, text and attachment
/// name), with a public reply, an internal note with the marker and a
/// file attached to that note, a redacted message; ticket B by hand,
/// closed with an internal close text; Dave's ticket with a subject of
/// its own merged into A; a ticket where Ann is only in Cc.
struct Store {
    sb: Sandbox,
    a: String,
    b: String,
    cc_only: String,
}

fn ann_store() -> Store {
    let sb = Sandbox::init();
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(HOSTILE_MAIL.as_bytes().to_vec())
        .now("2026-01-05T09:00:00Z")
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    let a = v["messages"][0]["ticket"].as_str().unwrap().to_string();
    sb.tix(["reply", &a, "-m", "Unplug it for ten seconds."])
        .now("2026-01-05T10:00:00Z")
        .ok();
    let secret = sb.root().join("secret-plan.txt");
    std::fs::write(&secret, format!("{NOTE_MARKER} in a file")).unwrap();
    sb.tix([
        "comment",
        &a,
        "-m",
        &format!("{NOTE_MARKER}: customer is on the cheap plan"),
    ])
    .arg_pair("--attach", secret.to_str().unwrap())
    .now("2026-01-05T10:05:00Z")
    .ok();
    sb.tix(["comment", &a, "-m", "leaked password hunter2"])
        .now("2026-01-05T10:06:00Z")
        .ok();
    sb.tix(["reply", &a, "-m", "My password is hunter2-REDACTME"])
        .now("2026-01-05T10:07:00Z")
        .ok();
    let entries = show(&sb, &a);
    let f = file_of(&entries, "reply", "hunter2-REDACTME");
    sb.tix(["redact", &a, &f, "--reason", "REASON-PRIVATE password"])
        .now("2026-01-05T10:08:00Z")
        .ok();
    let b = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann Lee <ann@example.com>",
            "--subject",
            "Invoice copy",
            "-m",
            "Please send the November invoice.",
        ])
        .now("2026-01-06T09:00:00Z"),
    );
    sb.tix(["reply", &b, "-m", "Attached, see you."])
        .now("2026-01-06T10:00:00Z")
        .ok();
    sb.tix(["close", &b, "-m", &format!("{NOTE_MARKER} close text")])
        .now("2026-01-06T11:00:00Z")
        .ok();
    let dave = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Dave <dave@other.example>",
            "--subject",
            DAVE_SUBJECT,
            "-m",
            "DAVE-BODY our plans",
        ])
        .now("2026-01-07T09:00:00Z"),
    );
    sb.tix(["merge", &dave, "into", &a])
        .now("2026-01-07T10:00:00Z")
        .ok();
    let cc_only = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Erin <erin@third.example>",
            "--cc",
            "ann@example.com",
            "--subject",
            "Erin's own question",
            "-m",
            "ERIN-BODY",
        ])
        .now("2026-01-08T09:00:00Z"),
    );
    Store { sb, a, b, cc_only }
}

fn all_text(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_customer_site_holds_exactly_their_public_entries() {
    let s = ann_store();
    let dir = s.sb.root().join("site");
    let out =
        s.sb.tix(["export", "customer", "ann@example.com", "--html"])
            .arg(&dir)
            .now("2026-01-20T00:00:00Z")
            .ok();
    assert!(out.contains("2 tickets"), "{out}");
    let mut names: Vec<String> = files_under(&dir)
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    names.sort();
    let mut expected = vec![
        "index.html".to_string(),
        "style.css".to_string(),
        format!("ticket-{}.html", s.a),
        format!("ticket-{}.html", s.b),
        format!("files/{}/1-_.._etc_passwd", s.a),
    ];
    expected.sort();
    assert_eq!(names, expected);
    for (path, bytes) in all_text(&dir) {
        for secret in [
            NOTE_MARKER,
            "hunter2",
            "REASON-PRIVATE",
            DAVE_SUBJECT,
            "DAVE-BODY",
            "dave@other.example",
            "ERIN-BODY",
            "Erin's own question",
            &s.cc_only,
            "<script>",
            "<img",
        ] {
            assert!(
                !contains(&bytes, secret),
                "{} holds {secret:?}",
                path.display()
            );
        }
        if path.extension().is_some_and(|e| e == "html") {
            assert!(!contains(&bytes, "<script"), "{}", path.display());
            assert!(!contains(&bytes, "http://") && !contains(&bytes, "https://"));
        }
    }
    // The attachment of the customer's message is copied byte for byte,
    // inside the folder, under its safe name.
    let copied = std::fs::read(dir.join(format!("files/{}/1-_.._etc_passwd", s.a))).unwrap();
    assert_eq!(copied, b"root:x:0:0:PASSWD-BYTES");
    let page = std::fs::read_to_string(dir.join(format!("ticket-{}.html", s.a))).unwrap();
    // The thread: Ann's message, two replies (one removed), the merge's
    // status change is internal; in that order.
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the page:\n{page}"))
    };
    assert!(
        at("It prints &quot;&gt;&lt;img src=x onerror=alert(1)&gt; and smoke.")
            < at("Unplug it for ten seconds.")
    );
    assert!(at("Unplug it for ten seconds.") < at("[This message was removed.]"));
    assert!(
        page.contains("<span id=\"message-count\">3</span> messages"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "href=\"files/{}/1-_.._etc_passwd\">../../etc/passwd</a>",
        s.a
    )));
}

#[test]
fn the_site_reads_in_chromium_with_its_headings_and_counts() {
    let s = ann_store();
    let dir = s.sb.root().join("site");
    s.sb.tix(["export", "customer", "ann@example.com", "--html"])
        .arg(&dir)
        .now("2026-01-20T00:00:00Z")
        .ok();
    let Some(index) = chromium_dom(&dir.join("index.html")) else {
        return;
    };
    assert_eq!(
        texts_of(&index, "h1"),
        ["Support history of ann@example.com"]
    );
    assert!(index.contains("2 tickets, 1 open, 1 closed"), "{index}");
    let rows = texts_of(&index, "tr");
    // Header, then the open ticket first, then the closed one.
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[1].starts_with(&s.a) && rows[1].contains("Printer <script>alert(1)</script>"));
    assert!(
        rows[1].contains("open") && rows[1].ends_with('3'),
        "{}",
        rows[1]
    );
    assert!(rows[2].starts_with(&s.b) && rows[2].contains("Invoice copy"));
    assert!(
        rows[2].contains("closed") && rows[2].ends_with('2'),
        "{}",
        rows[2]
    );
    assert!(!index.contains(NOTE_MARKER) && !index.contains(DAVE_SUBJECT));

    let dom = chromium_dom(&dir.join(format!("ticket-{}.html", s.a))).unwrap();
    // The hostile subject is a heading's text, not an element.
    assert_eq!(texts_of(&dom, "h1"), ["Printer <script>alert(1)</script>"]);
    assert_eq!(texts_of(&dom, "script").len(), 0);
    assert_eq!(texts_of(&dom, "img").len(), 0);
    assert_eq!(texts_of(&dom, "pre").len(), 3);
    let links = texts_of(&dom, "a");
    assert_eq!(links, ["All tickets", "../../etc/passwd"]);
    assert!(!dom.contains(NOTE_MARKER) && !dom.contains("hunter2") && !dom.contains("DAVE-BODY"));

    let closed = chromium_dom(&dir.join(format!("ticket-{}.html", s.b))).unwrap();
    assert_eq!(texts_of(&closed, "h1"), ["Invoice copy"]);
    let pre = texts_of(&closed, "pre");
    assert_eq!(
        pre,
        ["Please send the November invoice.", "Attached, see you."]
    );
    assert!(closed.contains("the ticket was closed"));
}

#[test]
fn an_organisation_site_holds_its_members_tickets() {
    let s = ann_store();
    // Ben is of Ann's domain; Dave and Erin are not.
    let ben = s.sb.create_with(s.sb.tix([
        "create",
        "--customer",
        "Ben <ben@example.com>",
        "--subject",
        "Ben's laptop",
        "-m",
        "BEN-BODY",
    ]));
    let dir = s.sb.root().join("org");
    let out =
        s.sb.tix(["export", "customer", "--org", "example.com", "--html"])
            .arg(&dir)
            .ok();
    assert!(out.contains("3 tickets"), "{out}");
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    for id in [&s.a, &s.b, &ben] {
        assert!(index.contains(&format!("ticket-{id}.html")), "{id} missing");
    }
    for (path, bytes) in all_text(&dir) {
        assert!(!contains(&bytes, NOTE_MARKER), "{}", path.display());
        assert!(!contains(&bytes, DAVE_SUBJECT), "{}", path.display());
    }
}

#[test]
fn a_site_is_never_written_over_other_files_nor_for_an_unknown_customer() {
    let s = ann_store();
    let dir = s.sb.root().join("busy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    s.sb.tix(["export", "customer", "ann@example.com", "--html"])
        .arg(&dir)
        .fails(2)
        .stderr_has(&["is not empty"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "mine"
    );
    s.sb.tix(["export", "customer", "nobody@nowhere.example", "--html"])
        .arg(s.sb.root().join("none"))
        .fails(3);
    s.sb.tix(["export", "customer", "--html", "x"]).fails(2);
}

#[test]
fn a_ticket_exports_as_mbox_eml_json_and_html_without_internal_entries() {
    let s = ann_store();
    let mbox =
        s.sb.tix(["export", "ticket", &s.b, "--format", "mbox"])
            .ok();
    // The request and the reply, each after a From_ line.
    let from_lines: Vec<&str> = mbox.lines().filter(|l| l.starts_with("From ")).collect();
    assert_eq!(from_lines.len(), 2, "{mbox}");
    assert!(
        from_lines[0].starts_with("From ann@example.com "),
        "{}",
        from_lines[0]
    );
    assert!(mbox.contains("Subject: Invoice copy"));
    assert!(mbox.contains("Subject: Re: Invoice copy"));
    assert!(!mbox.contains(NOTE_MARKER));
    // A body line starting with From is quoted, as mboxrd does.
    let a =
        s.sb.tix(["export", "ticket", &s.a, "--format", "mbox"])
            .ok();
    assert!(a.contains("\n>From the office, Ann."), "{a}");
    assert!(a.contains("filename=\"passwd\""), "{a}");
    assert!(!a.contains(NOTE_MARKER) && !a.contains("hunter2"));
    // Every message parses back, each the thread's next in order.
    let msgs: Vec<&str> = a.split("\nFrom ").collect();
    assert_eq!(msgs.len(), 4, "Ann's message, two replies, Dave's request");

    let eml = s.sb.tix(["export", "ticket", &s.b, "--format", "eml"]).ok();
    let parsed = mail_parser::MessageParser::default()
        .parse(eml.as_bytes())
        .expect("the eml parses");
    assert_eq!(
        parsed.subject(),
        Some(format!("Ticket {}: Invoice copy", s.b).as_str())
    );
    let inner: Vec<_> = parsed
        .attachments()
        .filter_map(|p| p.message())
        .map(|m| m.subject().unwrap_or_default().to_string())
        .collect();
    assert_eq!(inner, ["Invoice copy", "Re: Invoice copy"]);

    let json =
        s.sb.tix(["export", "ticket", &s.b, "--format", "json"])
            .ok();
    let v: Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // The first reply takes the new ticket to open, a change the
    // customer sees; the close keeps its internal text to itself.
    assert_eq!(kinds, ["request", "reply", "status", "close"]);
    assert_eq!(v["entries"][2]["to"], "open");
    assert_eq!(v["entries"][3]["body"], "");
    assert_eq!(v["ticket"]["status"], "closed");

    let html =
        s.sb.tix(["export", "ticket", &s.a, "--format", "html"])
            .ok();
    assert!(html.contains("<style>") && !html.contains("stylesheet"));
    assert!(!html.contains(NOTE_MARKER) && !html.contains("<script>"));
    // A standalone page names the attachment but links nothing.
    assert!(html.contains("<li>../../etc/passwd"), "{html}");
    s.sb.tix(["export", "ticket", "ZZZZZZZZ"]).fails(3);
}

#[test]
fn ndjson_export_is_unchanged_by_the_subcommands() {
    let s = ann_store();
    let out = s.sb.ok(["export", "--format", "ndjson"]);
    assert_eq!(out.lines().count(), 4);
    let plain = s.sb.ok(["export"]);
    assert_eq!(plain, out);
}

#[test]
fn mail_in_another_charset_reads_as_text_in_the_site() {
    let sb = Sandbox::init();
    let mut mail = b"From: =?iso-8859-1?q?Jos=E9?= <jose@example.com>\r
To: support@example.com\r
Subject: =?iso-8859-1?q?Caf=E9_machine?=\r
Message-ID: <latin-1@example.com>\r
Date: Mon, 05 Jan 2026 09:00:00 +0000\r
MIME-Version: 1.0\r
Content-Type: text/plain; charset=iso-8859-1\r
Content-Transfer-Encoding: 8bit\r
\r
"
    .to_vec();
    mail.extend_from_slice(b"Le caf\xe9 est froid.\r\n");
    sb.tix(["import", "eml"]).stdin(mail).ok();
    let dir = sb.root().join("site");
    sb.tix(["export", "customer", "jose@example.com", "--html"])
        .arg(&dir)
        .ok();
    let page = files_under(&dir)
        .into_iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("ticket-")
        })
        .unwrap();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<h1>Café machine</h1>"), "{html}");
    assert!(html.contains("<pre>Le café est froid.</pre>"), "{html}");
    if let Some(dom) = chromium_dom(&page) {
        assert_eq!(texts_of(&dom, "h1"), ["Café machine"]);
        assert_eq!(texts_of(&dom, "pre"), ["Le café est froid."]);
        assert!(dom.contains("José &lt;jose@example.com&gt;"), "{dom}");
    }
}
