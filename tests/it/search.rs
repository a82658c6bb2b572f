//! `tix search` on a store the tests build: the query language, notes
//! kept out of public searches, the index kept right whatever moved
//! HEAD (tix, a pull, a hand edit, a reset), a damaged or half-written
//! index repaired, and hostile queries refused.

use std::path::Path;

use serde_json::Value;

use crate::common::Sandbox;

const ATTACHMENT: &str = "firmware-log.txt";

/// Tickets whose answers the tests know: (name, id).
struct Desk {
    sb: Sandbox,
    printer: String,
    russian: String,
    cafe: String,
    billing: String,
    closed: String,
}

fn desk() -> Desk {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_fields("- name: product\n  type: text\n");
    sb.set_config(
        "groups",
        "- name: l1\n  agents: [alice]\n- name: l2\n  agents: [bob]\n",
    );
    let at = |day: &str| format!("2026-0{day}T10:00:00Z");
    let printer = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann Lee <ann@example.com>",
            "--subject",
            "Printer shows error 42",
            "-m",
            "Hello,\nthe printer in room 3 shows Error 42 since Monday.",
            "--tag",
            "hardware",
            "--field",
            "product=LaserJet",
            "--cc",
            "Bo Li <bo@partner.org>",
            "--assign",
            "bob",
            "--priority",
            "high",
        ])
        .now(&at("1-10")),
    );
    sb.tix([
        "comment",
        &printer,
        "-m",
        "Internal: kerberos token expired on the print server",
    ])
    .now(&at("1-11"))
    .ok();
    let log = sb.root().join(ATTACHMENT);
    std::fs::write(&log, "boot ok\n").unwrap();
    let russian = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Иван Петров <ivan@mail.ru>",
            "--subject",
            "Принтер не печатает",
            "-m",
            "Всё сломалось, ошибка 42 на принтере",
            "--attach",
            log.to_str().unwrap(),
        ])
        .now(&at("2-15")),
    );
    let cafe = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Zoë Müller <zoe@example.com>",
            "--subject",
            "Café menu",
            "-m",
            "The crème brûlée page of the menu is blank.",
        ])
        .now(&at("3-02")),
    );
    let billing = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Invoice twice",
            "-m",
            "I was charged twice, the printer invoice.",
            "--tag",
            "billing",
        ])
        .now(&at("4-01")),
    );
    sb.tix(["escalate", &billing, "--to", "l2", "-m", "refund needed"])
        .now(&at("4-02"))
        .ok();
    let closed = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "carl@other.net",
            "--subject",
            "Paper jam",
            "-m",
            "A paper jam in tray 2.",
        ])
        .now(&at("5-01")),
    );
    sb.tix(["close", &closed, "-m", "cleared the jam"])
        .now(&at("5-02"))
        .ok();
    sb.tix(["lock", &closed, "-m", "legal"])
        .now(&at("5-03"))
        .ok();
    Desk {
        sb,
        printer,
        russian,
        cafe,
        billing,
        closed,
    }
}

const NOW: &str = "2026-06-01T00:00:00Z";

fn ids_in(sb: &Sandbox, dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "ids"]);
    let mut ids: Vec<String> = sb
        .tix(&all)
        .in_dir(dir)
        .now(NOW)
        .ok()
        .lines()
        .map(str::to_string)
        .collect();
    ids.sort();
    ids
}

fn ids(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    ids_in(sb, &sb.dir, args)
}

fn sorted(ids: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn words_phrases_and_exclusions() {
    let d = desk();
    let sb = &d.sb;
    // Every word must match; case does not matter.
    assert_eq!(ids(sb, &["PRINTER"]), sorted(&[&d.printer, &d.billing]));
    assert_eq!(ids(sb, &["printer room"]), sorted(&[&d.printer]));
    assert_eq!(ids(sb, &["printer", "room"]), sorted(&[&d.printer]));
    assert_eq!(ids(sb, &["\"error 42\""]), sorted(&[&d.printer]));
    // The words of a phrase must stand together.
    assert!(ids(sb, &["\"42 error\""]).is_empty());
    assert_eq!(ids(sb, &["42"]), sorted(&[&d.printer, &d.russian]));
    assert_eq!(ids(sb, &["42 -printer"]), sorted(&[&d.russian]));
    assert_eq!(ids(sb, &["printer -\"error 42\""]), sorted(&[&d.billing]));
    // Attachment names, people's names and addresses are words too.
    assert_eq!(ids(sb, &["firmware"]), sorted(&[&d.russian]));
    assert_eq!(ids(sb, &["partner.org"]), sorted(&[&d.printer]));
    // So are tags and custom field values.
    assert_eq!(ids(sb, &["billing"]), sorted(&[&d.billing]));
    assert_eq!(ids(sb, &["laserjet"]), sorted(&[&d.printer]));
}

#[test]
fn cyrillic_and_accented_text_is_found_either_way() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["принтер"]), sorted(&[&d.russian]));
    assert_eq!(ids(sb, &["ПРИНТЕР"]), sorted(&[&d.russian]));
    // ё is read as е.
    assert_eq!(ids(sb, &["все"]), sorted(&[&d.russian]));
    assert_eq!(ids(sb, &["всё"]), sorted(&[&d.russian]));
    assert_eq!(ids(sb, &["cafe"]), sorted(&[&d.cafe]));
    assert_eq!(ids(sb, &["Café"]), sorted(&[&d.cafe]));
    assert_eq!(ids(sb, &["\"creme brulee\""]), sorted(&[&d.cafe]));
    assert_eq!(ids(sb, &["from:zoe"]), sorted(&[&d.cafe]));
    assert_eq!(ids(sb, &["from:Zoë"]), sorted(&[&d.cafe]));
}

#[test]
fn every_field_filter() {
    let d = desk();
    let sb = &d.sb;
    let cases: &[(&str, Vec<String>)] = &[
        (&format!("id:{}", d.cafe.to_lowercase()), sorted(&[&d.cafe])),
        ("from:ann@example.com", sorted(&[&d.printer, &d.billing])),
        ("customer:\"Иван Петров\"", sorted(&[&d.russian])),
        ("cc:bo@partner.org", sorted(&[&d.printer])),
        ("cc:\"Bo Li\"", sorted(&[&d.printer])),
        (
            "org:example.com",
            sorted(&[&d.printer, &d.cafe, &d.billing]),
        ),
        ("org:mail.ru", sorted(&[&d.russian])),
        ("agent:bob", sorted(&[&d.printer, &d.billing])),
        ("assignee:BOB printer", sorted(&[&d.printer, &d.billing])),
        ("is:unassigned", sorted(&[&d.russian, &d.cafe, &d.closed])),
        ("tag:billing", sorted(&[&d.billing])),
        ("printer -tag:hardware", sorted(&[&d.billing])),
        ("status:closed", sorted(&[&d.closed])),
        ("is:closed", sorted(&[&d.closed])),
        ("priority:high", sorted(&[&d.printer])),
        ("group:l2", sorted(&[&d.billing])),
        ("field:product=laserjet", sorted(&[&d.printer])),
        ("product:LaserJet", sorted(&[&d.printer])),
        ("has:attachment", sorted(&[&d.russian])),
        ("is:locked", sorted(&[&d.closed])),
        ("jam -is:locked", vec![]),
        ("printer -is:unassigned", sorted(&[&d.printer, &d.billing])),
    ];
    for (query, want) in cases {
        assert_eq!(&ids(sb, &[query]), want, "{query}");
    }
}

#[test]
fn dates_are_creation_dates() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["before:2026-02-15"]), sorted(&[&d.printer]));
    assert_eq!(
        ids(sb, &["after:2026-04-01"]),
        sorted(&[&d.billing, &d.closed])
    );
    assert_eq!(ids(sb, &["on:2026-03-02"]), sorted(&[&d.cafe]));
    assert!(ids(sb, &["on:2026-03-03"]).is_empty());
    // NOW is 2026-06-01: 45 days back is mid-April.
    assert_eq!(ids(sb, &["after:45d"]), sorted(&[&d.closed]));
    assert_eq!(
        ids(sb, &["after:2026-02-01 before:2026-04-01"]),
        sorted(&[&d.russian, &d.cafe])
    );
}

#[test]
fn notes_are_found_by_agents_and_hidden_from_public_searches() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
    assert!(ids(sb, &["kerberos", "--public"]).is_empty());
    assert_eq!(ids(sb, &["in:notes kerberos"]), sorted(&[&d.printer]));
    assert!(ids(sb, &["in:public kerberos"]).is_empty());
    // in:notes looks nowhere else.
    assert!(ids(sb, &["in:notes room"]).is_empty());
    // The escalation's reason is internal text too.
    assert_eq!(ids(sb, &["refund"]), sorted(&[&d.billing]));
    assert!(ids(sb, &["refund", "--public"]).is_empty());
    sb.tix(["search", "in:notes kerberos", "--public"])
        .now(NOW)
        .fails(2)
        .stderr_has(&["in:notes"]);
    // A public search never shows a note's text in a snippet.
    let out = sb
        .tix(["search", "print", "server", "--public", "--format", "json"])
        .now(NOW)
        .ok();
    assert!(!out.contains("kerberos"), "{out}");
    let out = sb
        .tix(["search", "printer", "--public", "--format", "csv"])
        .now(NOW)
        .ok();
    assert!(!out.contains("kerberos"), "{out}");
}

#[test]
fn results_are_ranked_with_scores_snippets_and_every_format() {
    let d = desk();
    let sb = &d.sb;
    let json: Value = serde_json::from_str(
        &sb.tix(["search", "printer", "--format", "json"])
            .now(NOW)
            .ok(),
    )
    .unwrap();
    let hits = json.as_array().unwrap();
    // The subject's match ranks first.
    assert_eq!(hits[0]["id"], d.printer.as_str());
    assert_eq!(hits[1]["id"], d.billing.as_str());
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    let snippet = &hits[0]["snippet"];
    assert_eq!(
        snippet["text"],
        "the printer in room 3 shows Error 42 since Monday."
    );
    let text = snippet["text"].as_str().unwrap();
    let marks: Vec<&str> = snippet["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &text[m[0].as_u64().unwrap() as usize..m[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marks, ["printer"]);
    // Newest activity first, whatever the score.
    let by_updated = sb
        .tix(["search", "printer", "--sort", "updated", "--format", "ids"])
        .now(NOW)
        .ok();
    assert_eq!(by_updated, format!("{}\n{}\n", d.billing, d.printer));
    let by_created = sb
        .tix([
            "search",
            "org:example.com",
            "--sort",
            "created",
            "--format",
            "ids",
        ])
        .now(NOW)
        .ok();
    assert_eq!(
        by_created,
        format!("{}\n{}\n{}\n", d.billing, d.cafe, d.printer)
    );
    let limited = sb
        .tix([
            "search",
            "org:example.com",
            "--limit",
            "1",
            "--sort",
            "created",
            "--format",
            "ids",
        ])
        .now(NOW)
        .ok();
    assert_eq!(limited, format!("{}\n", d.billing));
    let tsv = sb
        .tix(["search", "\"error 42\"", "--format", "tsv"])
        .now(NOW)
        .ok();
    let mut lines = tsv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id\tscore\tstatus\tpriority\tassignee\tcustomer\tsubject\ttags\tcreated\tupdated\tsnippet"
    );
    let row: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(row[0], d.printer);
    assert_eq!(
        &row[2..8],
        [
            "new",
            "high",
            "bob",
            "ann@example.com",
            "Printer shows error 42",
            "hardware"
        ]
    );
    assert!(row[10].contains("Error 42"), "{row:?}");
    let csv = sb.tix(["search", "jam", "--format", "csv"]).now(NOW).ok();
    assert!(csv.starts_with("id,score,status,"), "{csv}");
    assert!(csv.contains("closed (locked)"), "{csv}");
    let table = sb.tix(["search", "jam", "--format", "table"]).now(NOW).ok();
    assert!(table.contains("Paper jam"), "{table}");
    assert!(table.contains("    A paper jam in tray 2."), "{table}");
    let none = sb
        .tix(["search", "nothingmatches", "--format", "table"])
        .now(NOW)
        .ok();
    assert_eq!(none, "No tickets match.\n");
}

#[test]
fn the_index_follows_tix_writes_pulls_hand_edits_and_resets() {
    let d = desk();
    let sb = &d.sb;
    assert!(ids(sb, &["toner"]).is_empty());
    // A tix write.
    sb.tix(["comment", &d.cafe, "-m", "toner is low too"]).ok();
    assert_eq!(ids(sb, &["toner"]), sorted(&[&d.cafe]));
    sb.tix(["tag", &d.cafe, "kitchen"]).ok();
    assert_eq!(ids(sb, &["tag:kitchen toner"]), sorted(&[&d.cafe]));

    // Another clone's work, pulled with git.
    let other = sb.root().join("other");
    sb.git_in(&sb.root(), ["clone", "-q", "store", "other"]);
    let fresh = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "dora@example.com",
            "--subject",
            "Scanner stripes",
            "-m",
            "Vertical stripes on every scan.",
        ])
        .in_dir(&other),
    );
    sb.tix(["comment", &d.printer, "-m", "stripes here as well"])
        .in_dir(&other)
        .ok();
    assert_eq!(
        ids_in(sb, &other, &["stripes"]),
        sorted(&[&d.printer, &fresh])
    );
    sb.git(["pull", "-q", "--no-rebase", "../other", "HEAD"]);
    assert_eq!(ids(sb, &["stripes"]), sorted(&[&d.printer, &fresh]));

    // A hand edit of an entry file, committed with git.
    let dir = sb.ticket_dir(&d.cafe);
    let created = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-created.md"))
        .unwrap();
    let text = std::fs::read_to_string(&created).unwrap();
    std::fs::write(&created, text.replace("blank", "smudged")).unwrap();
    sb.git(["commit", "-q", "-am", "fix a typo by hand"]);
    assert!(ids(sb, &["blank"]).is_empty());
    assert_eq!(ids(sb, &["smudged"]), sorted(&[&d.cafe]));

    // A reset takes the hand edit back; a removed ticket is gone.
    sb.git(["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(ids(sb, &["blank"]), sorted(&[&d.cafe]));
    assert!(ids(sb, &["smudged"]).is_empty());
    sb.git([
        "rm",
        "-q",
        "-r",
        &format!("tickets/{}/{}", &fresh[..2], fresh),
    ]);
    sb.git(["commit", "-q", "-m", "drop a ticket"]);
    assert_eq!(ids(sb, &["stripes"]), sorted(&[&d.printer]));

    // What the refreshes built answers as a rebuild from nothing does.
    let queries = [
        "printer",
        "stripes",
        "toner",
        "org:example.com",
        "is:locked",
    ];
    let before: Vec<_> = queries.iter().map(|q| ids(sb, &[q])).collect();
    std::fs::remove_dir_all(sb.dir.join(".git/tix/search")).unwrap();
    let after: Vec<_> = queries.iter().map(|q| ids(sb, &[q])).collect();
    assert_eq!(before, after);
}

#[test]
fn a_write_never_touches_the_search_index() {
    let d = desk();
    let sb = &d.sb;
    ids(sb, &["printer"]);
    let meta = sb.dir.join(".git/tix/search/meta.json");
    let before = std::fs::read(&meta).unwrap();
    sb.tix(["comment", &d.cafe, "-m", "toner is low too"]).ok();
    assert_eq!(std::fs::read(&meta).unwrap(), before);
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_warning() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
    let dir = sb.dir.join(".git/tix/search");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        std::fs::write(entry.path(), b"\x00garbage\xff not an index").unwrap();
    }
    sb.tix(["search", "kerberos", "--format", "ids"])
        .now(NOW)
        .run()
        .code(0)
        .stderr_has(&["search index", "damaged"])
        .stdout_has(&[&d.printer]);
    // Rebuilt: the next search is quiet.
    let run = sb.tix(["search", "kerberos"]).now(NOW).run().code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));

    // Garbage in the segment files alone, meta.json intact: the engine
    // fails (or stops) reading them, and the index is rebuilt all the same.
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if entry.file_name() != "meta.json" {
            std::fs::write(entry.path(), b"garbage").unwrap();
        }
    }
    let run = sb
        .tix(["search", "kerberos", "--format", "ids"])
        .now(NOW)
        .run()
        .code(0)
        .stderr_has(&["search index", "damaged"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), d.printer);
}

#[test]
fn an_index_damaged_under_an_update_is_rebuilt_and_finds_the_new_text() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
    // A commit the index has not seen, then its segment files spoiled:
    // the search that brings it up to date finds them unreadable.
    sb.tix(["comment", &d.cafe, "-m", "toner is low too"]).ok();
    let dir = sb.dir.join(".git/tix/search");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if entry.file_name() != "meta.json" {
            std::fs::write(entry.path(), b"garbage").unwrap();
        }
    }
    let run = sb
        .tix(["search", "toner", "--format", "ids"])
        .now(NOW)
        .run()
        .code(0)
        .stderr_has(&["search index", "damaged"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), d.cafe);
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
}

#[test]
fn reindex_rebuilds_the_search_index_too() {
    let d = desk();
    let sb = &d.sb;
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
    let dir = sb.dir.join(".git/tix/search");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        std::fs::write(entry.path(), b"\x00garbage").unwrap();
    }
    let run = sb
        .tix(["reindex"])
        .run()
        .code(0)
        .stdout_has(&["for search"]);
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("panicked"),
        "{}",
        run.stderr
    );
    // Rebuilt by reindex: the next search has nothing to repair.
    let run = sb
        .tix(["search", "kerberos", "--format", "ids"])
        .now(NOW)
        .run()
        .code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), d.printer);
    let json = sb.tix(["reindex", "--format", "json"]).run().code(0);
    assert!(
        json.stdout.contains("\"search_seconds\""),
        "{}",
        json.stdout
    );
}

#[test]
fn a_missing_index_or_one_of_another_version_is_rebuilt_quietly() {
    let d = desk();
    let sb = &d.sb;
    ids(sb, &["printer"]);
    let meta = sb.dir.join(".git/tix/search/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains("\\\"version\\\":1"), "{text}");
    std::fs::write(
        &meta,
        text.replace("\\\"version\\\":1", "\\\"version\\\":999"),
    )
    .unwrap();
    let out = sb
        .tix(["search", "kerberos", "--format", "ids"])
        .now(NOW)
        .run()
        .code(0);
    let out = out.ok();
    assert_eq!(out.trim(), d.printer);
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains("\\\"version\\\":1"), "{text}");
}

#[test]
fn an_update_killed_before_its_commit_is_redone_by_the_next_search() {
    let d = desk();
    let sb = &d.sb;
    ids(sb, &["printer"]);
    sb.tix(["comment", &d.cafe, "-m", "toner is low too"]).ok();
    let killed = sb
        .tix(["search", "toner"])
        .env("TIX_FAILPOINT", "search-before-commit")
        .now(NOW)
        .run();
    assert_ne!(killed.code, 0, "the failpoint did not abort");
    // The index still says what it held before: the next search sees the
    // ticket changed and indexes it.
    assert_eq!(ids(sb, &["toner"]), sorted(&[&d.cafe]));
    assert_eq!(ids(sb, &["kerberos"]), sorted(&[&d.printer]));
    // And a cold build killed the same way leaves nothing half-made.
    std::fs::remove_dir_all(sb.dir.join(".git/tix/search")).unwrap();
    let killed = sb
        .tix(["search", "toner"])
        .env("TIX_FAILPOINT", "search-before-commit")
        .now(NOW)
        .run();
    assert_ne!(killed.code, 0, "the failpoint did not abort");
    assert_eq!(ids(sb, &["toner"]), sorted(&[&d.cafe]));
}

#[test]
fn two_searches_at_once_agree_and_leave_one_index() {
    let d = desk();
    let sb = &d.sb;
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = sb.std_command(env!("CARGO_BIN_EXE_tix"));
            cmd.args(["search", "printer", "--format", "ids"])
                .env("TIX_NOW", NOW)
                .current_dir(&sb.dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut got: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        got.sort();
        assert_eq!(got, sorted(&[&d.printer, &d.billing]));
    }
    assert_eq!(ids(sb, &["printer"]), sorted(&[&d.printer, &d.billing]));
}

#[test]
fn hostile_and_malformed_queries_are_refused_naming_the_term() {
    let d = desk();
    let sb = &d.sb;
    let refused = |query: &str, needle: &str| {
        sb.tix(["search", query])
            .now(NOW)
            .fails(2)
            .stderr_has(&[needle]);
    };
    refused(&"printer ".repeat(200), "bytes long");
    refused(&"w ".repeat(40), "terms");
    refused(&"\"".repeat(61), "not closed");
    refused("printer\u{1b}[31m", "U+001B");
    refused("status:broken", "status:broken");
    refused("colour:red", "colour:red");
    refused("on:7d", "on:7d");
    refused(",,, ;", "nothing to look for");
    sb.tix(["search"]).now(NOW).fails(2);
    // A query of exclusions alone keeps every other ticket.
    // (Behind `--`, as an argument starting with `-` would be an option.)
    let out = sb
        .tix([
            "search",
            "--format",
            "ids",
            "--",
            "-printer -jam -tag:billing",
        ])
        .now(NOW)
        .ok();
    let mut got: Vec<&str> = out.lines().collect();
    got.sort();
    assert_eq!(got, sorted(&[&d.russian, &d.cafe]));
}

#[test]
fn an_empty_store_finds_nothing() {
    let sb = Sandbox::init();
    assert_eq!(
        sb.tix(["search", "anything", "--format", "ids"])
            .now(NOW)
            .ok(),
        ""
    );
}
