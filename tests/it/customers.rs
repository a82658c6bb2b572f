//! `tix customer` and `tix customers`: cards and organisation figures
//! worked out by hand on stores the tests build, and the directory
//! following the store whatever changed it.

use std::path::Path;

use crate::common::Sandbox;
use serde_json::{Value, json};

const NOW: &str = "2026-01-20T00:00:00Z";

#[track_caller]
fn at(sb: &Sandbox, when: &str, args: &[&str]) -> String {
    sb.tix(args).now(when).ok()
}

#[track_caller]
fn create(sb: &Sandbox, when: &str, customer: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "create",
        "--customer",
        customer,
        "--subject",
        "Printer",
        "-m",
        "Please help",
    ];
    args.extend_from_slice(extra);
    sb.create_with(sb.tix(args).now(when))
}

#[track_caller]
fn card(sb: &Sandbox, email: &str) -> Value {
    let out = sb
        .tix(["customer", email, "--format", "json"])
        .now(NOW)
        .ok();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

fn ids(v: &Value) -> Vec<String> {
    v["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                t["id"].as_str().unwrap(),
                t["role"].as_str().unwrap()
            )
        })
        .collect()
}

/// Ann asks twice (one closed after a day, one open), and is in Cc on
/// Dave's ticket.
fn ann_store() -> (Sandbox, [String; 3]) {
    let sb = Sandbox::init();
    let t1 = create(
        &sb,
        "2026-01-05T09:00:00Z",
        "Ann Lee <ann@example.com>",
        &["--cc", "carol@example.com"],
    );
    at(
        &sb,
        "2026-01-05T11:00:00Z",
        &["reply", &t1, "-m", "Try this"],
    );
    at(&sb, "2026-01-06T09:00:00Z", &["close", &t1]);
    let t2 = create(
        &sb,
        "2026-01-10T09:00:00Z",
        "Анна Ли <ANN@Example.com>",
        &[],
    );
    at(
        &sb,
        "2026-01-10T13:00:00Z",
        &["reply", &t2, "-m", "Looking"],
    );
    let t3 = create(
        &sb,
        "2026-01-12T09:00:00Z",
        "dave@example.com",
        &["--cc", "ann@example.com"],
    );
    (sb, [t1, t2, t3])
}

#[test]
fn a_card_counts_the_persons_own_tickets_and_lists_the_cc_ones_marked() {
    let (sb, [t1, t2, t3]) = ann_store();
    let c = card(&sb, "Ann@EXAMPLE.com");
    assert_eq!(c["email"], "ann@example.com");
    // Most recent first: the name of the second ticket.
    assert_eq!(c["names"], json!(["Анна Ли", "Ann Lee"]));
    assert_eq!(c["organisation"]["name"], "example.com");
    assert_eq!(c["first_contact"], "2026-01-05T09:00:00.000000Z");
    assert_eq!(c["last_contact"], "2026-01-12T09:00:00.000000Z");
    // Open first (newest activity first), then closed.
    assert_eq!(
        ids(&c),
        [
            format!("{t3}:cc"),
            format!("{t2}:customer"),
            format!("{t1}:customer")
        ]
    );
    let f = &c["figures"];
    assert_eq!(f["tickets"], 2);
    assert_eq!(f["open"], 1);
    assert_eq!(f["closed"], 1);
    assert_eq!(f["last_12_months"], 2);
    assert_eq!(f["cc"], 1);
    // Opened 2026-01-10 09:00, 9 days 15 hours before NOW.
    assert_eq!(f["oldest_open"]["id"], t2.as_str());
    assert_eq!(f["oldest_open"]["age_seconds"], 9 * 86_400 + 15 * 3600);
    // First responses of 2h and 4h; one resolution of 24h.
    assert_eq!(f["first_response_median_seconds"], 3 * 3600);
    assert_eq!(f["resolution_median_seconds"], 86_400);
    assert_eq!(f["sla_breaches"], 0);
    // Someone only ever in Cc has a card too, with no ticket of their own.
    let carol = card(&sb, "carol@example.com");
    assert_eq!(ids(&carol), [format!("{t1}:cc")]);
    assert_eq!(carol["figures"]["tickets"], 0);
    assert_eq!(carol["figures"]["cc"], 1);
    let carol_text = sb.tix(["customer", "carol@example.com"]).now(NOW).ok();
    assert!(
        carol_text.contains("First response:  none yet\nResolution:      none yet\n"),
        "{carol_text}"
    );
    let text = sb.tix(["customer", "ann@example.com"]).now(NOW).ok();
    for needle in [
        "Анна Ли <ann@example.com>",
        "Also seen as:    Ann Lee",
        "Tickets:         2 (1 open, 1 closed), 2 in the last 12 months; in Cc on 1 more",
        "First response:  3h median",
        "Resolution:      1d median",
    ] {
        assert!(text.contains(needle), "{needle:?} in\n{text}");
    }
}

#[test]
fn sla_breaches_on_a_card_are_counted_as_the_sla_report_counts_them() {
    let (sb, [_, t2, t3]) = ann_store();
    let config = sb.dir.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("sla:\n  normal: {first_response: 3h}\n");
    std::fs::write(&config, text).unwrap();
    sb.git(["commit", "-qam", "SLA"]);
    // The first ticket was answered in 2h (met), the second in 4h (breached).
    let c = card(&sb, "ann@example.com");
    assert_eq!(c["figures"]["sla_breaches"], 1);
    let report = sb
        .tix([
            "report",
            "sla",
            "--since",
            "2026-01-01",
            "--customer",
            "ann@example.com",
            "--format",
            "json",
        ])
        .now(NOW)
        .ok();
    let report: Value = serde_json::from_str(&report).unwrap();
    // The report's filter takes Cc too: Dave's unanswered ticket is
    // overdue there, and not Ann's own on her card.
    let ids: Vec<&str> = report["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [t2.as_str(), t3.as_str()]);
}

#[test]
fn an_unknown_address_is_not_found_with_the_nearest_one_as_hint() {
    let (sb, _) = ann_store();
    sb.tix(["customer", "an@example.com"])
        .now(NOW)
        .fails(3)
        .stderr_has(&["no ticket names an@example.com", "ann@example.com"]);
}

#[test]
fn mapped_domains_make_one_organisation_and_free_mail_none() {
    let sb = Sandbox::init();
    let config = sb.dir.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("organisations:\n  Example Corp: [example.com, example.co.uk]\n");
    std::fs::write(&config, text).unwrap();
    sb.git(["commit", "-qam", "organisations"]);
    let a = create(&sb, "2026-01-05T09:00:00Z", "Ann <ann@example.com>", &[]);
    at(&sb, "2026-01-05T10:00:00Z", &["reply", &a, "-m", "Done"]);
    at(&sb, "2026-01-05T12:00:00Z", &["close", &a]);
    let b = create(&sb, "2026-01-06T09:00:00Z", "Bea <bea@EXAMPLE.co.uk>", &[]);
    at(&sb, "2026-01-06T15:00:00Z", &["reply", &b, "-m", "Looking"]);
    let z = create(
        &sb,
        "2026-01-07T09:00:00Z",
        "zed@gmail.com",
        &["--cc", "ann@example.com"],
    );
    let out = sb
        .tix(["customers", "--org", "example corp", "--format", "json"])
        .now(NOW)
        .ok();
    let org: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(org["organisation"]["name"], "Example Corp");
    let people: Vec<&str> = org["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    // Both have one ticket; Ann is also in Cc on Zed's, so she sorts first.
    assert_eq!(people, ["ann@example.com", "bea@EXAMPLE.co.uk"]);
    assert_eq!(
        ids(&org),
        [
            format!("{z}:cc"),
            format!("{b}:customer"),
            format!("{a}:customer")
        ]
    );
    // Each ticket names its member as the directory spells them.
    let members: Vec<&str> = org["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["person"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        ["ann@example.com", "bea@EXAMPLE.co.uk", "ann@example.com"]
    );
    let f = &org["figures"];
    assert_eq!(
        (f["tickets"].clone(), f["open"].clone(), f["cc"].clone()),
        (json!(2), json!(1), json!(1))
    );
    // First responses 1h and 6h: the median is 3h 30m.
    assert_eq!(f["first_response_median_seconds"], 3 * 3600 + 1800);
    assert_eq!(f["resolution_median_seconds"], 3 * 3600);
    // The other domain names the same organisation.
    let by_domain = sb
        .tix(["customers", "--org", "example.co.uk", "--format", "json"])
        .now(NOW)
        .ok();
    assert_eq!(serde_json::from_str::<Value>(&by_domain).unwrap(), org);
    assert_eq!(card(&sb, "zed@gmail.com")["organisation"], Value::Null);
    let text = sb
        .tix(["customers", "--org", "Example Corp", "--format", "table"])
        .now(NOW)
        .ok();
    for needle in [
        "Example Corp (example.com, example.co.uk)\nPeople:          2\n",
        "Tickets:         2 (1 open, 1 closed), 2 in the last 12 months; in Cc on 1 more\n",
        "First response:  3h 30m median\nResolution:      3h median\n",
    ] {
        assert!(text.contains(needle), "{needle:?} in\n{text}");
    }
    let top = sb
        .tix(["customers", "--limit", "1", "--format", "ids"])
        .now(NOW)
        .ok();
    assert_eq!(top, "ann@example.com\n");
    sb.tix(["customers", "--org", "gmail.com"])
        .now(NOW)
        .fails(2)
        .stderr_has(&["gmail.com is a free-mail domain"]);
    let csv = sb
        .tix(["customers", "--format", "csv", "--sort", "name"])
        .now(NOW)
        .ok();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "email,name,organisation,as_customer,open,as_cc,first_contact,last_contact"
    );
    assert_eq!(
        lines[1],
        "ann@example.com,Ann,Example Corp,1,0,1,2026-01-05T09:00:00.000000Z,2026-01-07T09:00:00.000000Z"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[3].starts_with("zed@gmail.com,,,1,1,0,"), "{csv}");
}

fn emails(sb: &Sandbox, dir: &Path) -> Vec<String> {
    sb.tix(["customers", "--format", "ids", "--sort", "name"])
        .in_dir(dir)
        .now(NOW)
        .ok()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_directory_follows_a_pull_a_hand_edit_and_a_damaged_file() {
    let (sb, [t1, ..]) = ann_store();
    let dir = sb.dir.clone();
    // By name: Ann's latest is Cyrillic, after the Latin addresses.
    assert_eq!(
        emails(&sb, &dir),
        ["carol@example.com", "dave@example.com", "ann@example.com"]
    );
    sb.git_in(&sb.root(), ["clone", "-q", "store", "clone"]);
    let clone = sb.root().join("clone");
    sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "eve@example.org",
            "--subject",
            "Scanner",
            "-m",
            "Hi",
        ])
        .in_dir(&clone)
        .now("2026-01-13T09:00:00Z"),
    );
    sb.git_in(&dir, ["pull", "-q", "--no-rebase", "../clone", "main"]);
    assert!(emails(&sb, &dir).contains(&"eve@example.org".to_string()));
    // A hand edit of the first ticket's Cc, committed with git.
    let ticket_dir = dir.join("tickets").join(&t1[..2]).join(&t1);
    let created = std::fs::read_dir(&ticket_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("kind: created")))
        .unwrap();
    let text = std::fs::read_to_string(&created).unwrap();
    std::fs::write(
        &created,
        text.replace("carol@example.com", "carla@example.com"),
    )
    .unwrap();
    sb.git(["commit", "-qam", "hand edit"]);
    let after = emails(&sb, &dir);
    assert!(
        after.contains(&"carla@example.com".to_string()),
        "{after:?}"
    );
    assert!(
        !after.contains(&"carol@example.com".to_string()),
        "{after:?}"
    );
    // A damaged directory file is rebuilt to the same answer.
    let good = card(&sb, "ann@example.com");
    let everyone = emails(&sb, &dir);
    for name in ["customers.bin", "people.bin"] {
        let file = dir.join(".git/tix/index").join(name);
        for bytes in [b"TIXI garbage".to_vec(), Vec::new()] {
            std::fs::write(&file, bytes).unwrap();
            assert_eq!(card(&sb, "ann@example.com"), good, "{name}");
            assert_eq!(emails(&sb, &dir), everyone, "{name}");
        }
    }
}

#[test]
fn a_sender_from_imported_mail_is_found_under_the_decoded_name() {
    let Some(mail) = crate::common::corpus::file("php-mime-mail-parser/tests/mails/m0022") else {
        return;
    };
    let sb = Sandbox::init();
    sb.tix(["import", "eml"])
        .stdin(mail)
        .now("2026-01-05T09:00:00Z")
        .ok();
    let c = card(&sb, "SENDER@test.com");
    assert_eq!(c["names"], json!(["sendeär"]));
    assert_eq!(c["organisation"]["name"], "test.com");
    assert_eq!(c["figures"]["tickets"], 1);
}

#[test]
fn notes_about_a_customer_add_up_across_clones_and_show_on_the_card() {
    let (sb, _) = ann_store();
    let dir = sb.dir.clone();
    sb.git_in(&sb.root(), ["clone", "-q", "store", "clone"]);
    let clone = sb.root().join("clone");
    sb.tix([
        "customer",
        "ANN@example.com",
        "--note",
        "-m",
        "Prefers phone",
    ])
    .now("2026-01-14T09:00:00Z")
    .ok();
    sb.tix([
        "customer",
        "ann@example.com",
        "--note",
        "-m",
        "VIP: Example's CTO",
    ])
    .in_dir(&clone)
    .now("2026-01-13T09:00:00Z")
    .ok();
    sb.git_in(&dir, ["pull", "-q", "--no-rebase", "../clone", "main"]);
    let c = card(&sb, "ann@example.com");
    let notes: Vec<(&str, &str)> = c["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["at"].as_str().unwrap(), n["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        notes,
        [
            ("2026-01-13T09:00:00.000000Z", "VIP: Example's CTO"),
            ("2026-01-14T09:00:00.000000Z", "Prefers phone"),
        ]
    );
    assert_eq!(c["notes"][0]["by"], "alice");
    let text = sb.tix(["customer", "ann@example.com"]).now(NOW).ok();
    assert!(text.contains("Prefers phone"), "{text}");
    // Nobody else's card shows them, and the store stays sound.
    assert_eq!(card(&sb, "dave@example.com")["notes"], json!([]));
    sb.tix(["check"]).ok();
    sb.assert_clean();
    // A note about nobody the tickets name, or without --note.
    sb.tix(["customer", "nobody@example.com", "--note", "-m", "x"])
        .fails(3)
        .stderr_has(&["no ticket names nobody@example.com"]);
    sb.tix(["customer", "ann@example.com", "-m", "x"])
        .fails(2)
        .stderr_has(&["--note"]);
    sb.tix(["customer", "ann@example.com", "--note", "-m", "  "])
        .fails(6)
        .stderr_has(&["the note is empty"]);
}
