//! Everyday trust: identities that cannot corrupt the repository, warnings
//! only about what was written, time zones, confirmations that say what
//! changed, and files that stay out of the store's work tree.

use crate::common::Sandbox;

// ------------------------------------------------- identities (control chars)

#[test]
fn agent_add_refuses_a_name_with_a_line_break_and_writes_nothing() {
    let sb = Sandbox::init();
    let before = sb.commit_count();
    for name in [
        "Zed\r\nBcc: x@example.com",
        "Zed\u{7f}",
        "Zed\u{85}x",
        "Zed\u{1b}[8m",
    ] {
        sb.tix([
            "agent",
            "add",
            "zed",
            "--email",
            "zed@example.com",
            "--name",
            name,
        ])
        .fails(6)
        .stderr_has(&["--name", "control character"]);
    }
    assert_eq!(sb.commit_count(), before);
    sb.assert_clean();
    // A plain name still works, and commits signed with it are sound.
    sb.change([
        "agent",
        "add",
        "zed",
        "--email",
        "zed@example.com",
        "--name",
        "Zed Zebra",
    ]);
    let id = sb.create("Hello");
    sb.change(["--as", "zed", "comment", &id, "-m", "hi"]);
    assert!(sb.last_commit().starts_with("Zed Zebra\tzed@example.com\t"));
    sb.git(["fsck", "--strict"]);
}

#[test]
fn a_hand_edited_agent_name_with_a_line_break_is_named_and_never_committed() {
    let sb = Sandbox::init();
    let id = sb.create("Hello");
    let path = sb.dir.join(".tix/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "agents:\n",
        "agents:\n- handle: zed\n  name: \"Zed\\r\\nBcc: x@example.com\"\n  email: zed@example.com\n",
    );
    std::fs::write(&path, &text).unwrap();
    let before = sb.commit_count();
    sb.tix(["--as", "zed", "comment", &id, "-m", "hi"])
        .fails(6)
        .stderr_has(&["config.yaml", "agents[0].name", "control character"]);
    // Read-only commands and check say the same, clearly, not exit 1.
    for args in [vec!["check"], vec!["show", &id], vec!["list"]] {
        sb.tix(&args)
            .fails(6)
            .stderr_has(&["agents[0].name", "control character"]);
    }
    assert_eq!(sb.commit_count(), before);
    sb.git(["fsck", "--strict"]);
}

#[test]
fn init_refuses_a_git_user_name_with_a_line_break() {
    let sb = Sandbox::new();
    sb.git(["init", "-q"]);
    sb.git(["config", "user.name", "Evil\nName"]);
    sb.tix(["init"])
        .fails(6)
        .stderr_has(&["git user.name", "control character", "git config"]);
    assert!(!sb.dir.join(".tix").exists());
    assert_eq!(sb.git_run_in(&sb.dir, ["rev-parse", "HEAD"]).code, 128);
    sb.git(["config", "user.name", "Good Name"]);
    sb.ok(["init"]);
    sb.git(["fsck", "--strict"]);
}

#[test]
fn an_unknown_agent_with_a_bad_git_name_cannot_produce_a_broken_commit() {
    let sb = Sandbox::init();
    sb.set_config("allow_unknown_agents", "true");
    let id = sb.create("Hello");
    sb.git(["config", "user.name", "Evil\nName"]);
    sb.git(["config", "user.email", "evil@example.com"]);
    let before = sb.commit_count();
    sb.tix(["comment", &id, "-m", "hi"])
        .fails(6)
        .stderr_has(&["commit author name", "control character"]);
    assert_eq!(sb.commit_count(), before);
    sb.git(["fsck", "--strict"]);
    sb.ok(["check"]);
}

// ------------------------------------------- warnings only after the write

#[test]
fn a_reply_refused_by_a_lock_does_not_claim_it_was_recorded() {
    let sb = Sandbox::init();
    let id = sb.create("Legal hold");
    sb.change(["lock", &id, "-m", "legal"]);
    let before = sb.commit_count();
    let run = sb.tix(["reply", &id, "-m", "late"]).fails(5);
    assert!(!run.stderr.contains("recorded"), "{}", run.stderr);
    assert_eq!(sb.commit_count(), before);
    // Once written, the warning is given.
    sb.change(["unlock", &id]);
    let run = sb.tix(["reply", &id, "-m", "now"]).run().code(0);
    assert!(
        run.stderr.contains("recorded but not e-mailed"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------- empty texts

#[test]
fn create_refuses_an_empty_description_given_with_m_or_f() {
    let sb = Sandbox::init();
    let before = sb.commit_count();
    let empty = sb.root().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    for body in [
        vec!["-m", ""],
        vec!["-m", "  "],
        vec!["-F", empty.to_str().unwrap()],
    ] {
        let mut args = vec!["create", "--customer", "ann@example.com", "--subject", "Hi"];
        args.extend(body);
        sb.tix(&args).fails(6).stderr_has(&["description is empty"]);
    }
    assert_eq!(sb.commit_count(), before);
    // Leaving the description out is still fine.
    sb.change(["create", "--customer", "ann@example.com", "--subject", "Hi"]);
}

// ------------------------------------------------ files in the work tree

const CUSTOMER_MAIL: &str = "From: Ann Smith <ann@example.org>\r\n\
To: support@example.com\r\n\
Subject: Printer on fire\r\n\
Message-ID: <c1@example.org>\r\n\
Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\
\r\n\
It smells of toner.\r\n";

/// A store whose mail goes to the file transport's `dir`, with one ticket
/// from Ann's mail.
fn store_with_file_outbox(mail_extra: &str) -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.set_mail(&format!(
        "addresses: [support@example.com]\n{mail_extra}auto_reply:\n  enabled: false\n\
         outgoing:\n  transport: file\n  dir: outbox-mail\n"
    ));
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(CUSTOMER_MAIL)
        .ok();
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    (sb, id)
}

#[test]
fn the_file_transport_keeps_its_relative_dir_out_of_git() {
    let (sb, id) = store_with_file_outbox("");
    sb.tix(["reply", &id, "-m", "On its way."]).ok();
    let written = crate::common::files_under(&sb.dir.join("outbox-mail"));
    assert_eq!(written.len(), 1, "{written:?}");
    // Nothing untracked: `git add -A` would commit customers' mail.
    sb.assert_clean();
    assert_eq!(sb.git(["status", "--porcelain", "--ignored=no"]), "");
    sb.tix(["reply", &id, "-m", "Delivered?"]).ok();
    assert_eq!(
        crate::common::files_under(&sb.dir.join("outbox-mail")).len(),
        2
    );
    let exclude = std::fs::read_to_string(sb.dir.join(".git/info/exclude")).unwrap();
    assert_eq!(exclude.matches("/outbox-mail/").count(), 1, "{exclude}");
}

#[test]
fn message_ids_of_real_mail_use_the_from_domain_not_tix_invalid() {
    let (sb, id) = store_with_file_outbox("from: \"Help <help@Support.Example.com>\"\n");
    sb.tix(["reply", &id, "-m", "On its way."]).ok();
    let written = crate::common::files_under(&sb.dir.join("outbox-mail"));
    let mail = std::fs::read_to_string(&written[0]).unwrap();
    let id_line = mail
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .unwrap();
    assert!(id_line.ends_with("@support.example.com>"), "{id_line}");
    assert!(!mail.contains("tix.invalid"), "{mail}");
    // The configured domain still wins.
    let (sb, id) = store_with_file_outbox("message_id_domain: tix.example.net\n");
    sb.tix(["reply", &id, "-m", "On its way."]).ok();
    let mail = std::fs::read_to_string(&crate::common::files_under(&sb.dir.join("outbox-mail"))[0])
        .unwrap();
    assert!(mail.contains("@tix.example.net>"), "{mail}");
}

#[test]
fn tags_fold_case_keeping_the_first_spelling() {
    let sb = Sandbox::init();
    let id = sb.create("Printer");
    sb.change(["tag", &id, "UPPER"]);
    let before = sb.commit_count();
    sb.tix(["tag", &id, "upper"])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(sb.ticket(&id)["tags"], serde_json::json!(["UPPER"]));
    assert_eq!(sb.list_ids(["list", "--tag", "upper"]), [id.as_str()]);
    assert_eq!(sb.list_ids(["list", "--tag", "Upper"]), [id.as_str()]);
    // Both spellings written by older versions (or two clones) fold to one.
    let other = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Two",
        "--tag",
        "Vip",
        "--tag",
        "VIP",
    ]));
    assert_eq!(sb.ticket(&other)["tags"], serde_json::json!(["Vip"]));
    sb.change(["untag", &other, "vip"]);
    assert_eq!(sb.ticket(&other)["tags"], serde_json::json!([]));
}

// ---------------------------------------------------------- confirmations

#[test]
fn commit_subjects_and_confirmations_say_what_changed() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = sb.create("Printer");
    let cases: Vec<(Vec<&str>, String, String)> = vec![
        (
            vec!["assign", &id, "bob"],
            format!("tix: assign {id} to bob"),
            format!("{id} assign to bob: Printer"),
        ),
        (
            vec!["assign", &id, "--none"],
            format!("tix: assign {id} to nobody"),
            format!("{id} assign to nobody: Printer"),
        ),
        (
            vec!["priority", &id, "high"],
            format!("tix: priority {id} high"),
            format!("{id} priority high: Printer"),
        ),
        (
            vec!["status", &id, "on-hold"],
            format!("tix: status {id} to on-hold"),
            format!("{id} status to on-hold: Printer"),
        ),
        (
            vec!["tag", &id, "a", "b"],
            format!("tix: tag {id} +a +b"),
            format!("{id} tag +a +b: Printer"),
        ),
        (
            vec!["untag", &id, "b"],
            format!("tix: untag {id} -b"),
            format!("{id} untag -b: Printer"),
        ),
        (
            vec!["snooze", &id, "--until", "2026-12-03 09:00"],
            format!("tix: snooze {id} until 2026-12-03 09:00Z"),
            format!("{id} snooze until 2026-12-03 09:00"),
        ),
    ];
    for (args, subject, stdout) in cases {
        let out = sb.change_with(sb.tix(&args).now("2026-12-01T12:00:00Z"));
        let log = sb.git(["log", "-1", "--format=%s"]);
        assert_eq!(log.trim(), subject, "{args:?}");
        assert!(out.starts_with(&stdout), "{args:?}: {out}");
    }
}

#[test]
fn a_reply_that_also_sets_the_status_says_so() {
    let sb = Sandbox::init();
    let id = sb.create("Printer");
    // Answering a new ticket opens it, which goes without saying.
    let out = sb.change(["reply", &id, "-m", "Which model?", "--no-send"]);
    assert_eq!(
        sb.git(["log", "-1", "--format=%s"]).trim(),
        format!("tix: reply {id}")
    );
    assert!(out.starts_with(&format!("{id} reply: Printer")), "{out}");
    // A status asked for is part of what changed, on screen and in git.
    let out = sb.change([
        "reply",
        &id,
        "-m",
        "Please confirm",
        "--status",
        "pending",
        "--no-send",
    ]);
    assert_eq!(
        sb.git(["log", "-1", "--format=%s"]).trim(),
        format!("tix: reply {id} status to pending")
    );
    assert!(
        out.starts_with(&format!("{id} reply status to pending: Printer")),
        "{out}"
    );
    let out = sb.change(["reply", &id, "-m", "Done", "--status", "open", "--no-send"]);
    assert_eq!(
        sb.git(["log", "-1", "--format=%s"]).trim(),
        format!("tix: reply {id} status to open")
    );
    assert!(
        out.starts_with(&format!("{id} reply status to open: Printer")),
        "{out}"
    );
}

#[test]
fn show_has_snooze_group_and_links_from_both_sides() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_config(
        "groups",
        "[{name: first-line, agents: [alice, bob]}, {name: second-line, agents: [bob]}]",
    );
    let a = sb.create("Original");
    let b = sb.create("Same again");
    sb.change(["link", &b, &a, "--rel", "duplicate-of"]);
    sb.change(["escalate", &a, "-m", "needs bob"]);
    sb.change_with(
        sb.tix(["snooze", &a, "--until", "2026-12-03 09:00"])
            .now("2026-12-01T12:00:00Z"),
    );
    let out = sb.tix(["show", &a]).now("2026-12-01T12:00:00Z").ok();
    assert!(out.contains(&format!("link: duplicated by {b}")), "{out}");
    assert!(out.contains("group: second-line"), "{out}");
    assert!(out.contains("snoozed until: 2026-12-03 09:00"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&sb.ok(["show", &a, "--format", "json"])).unwrap();
    assert_eq!(
        json["linked_from"],
        serde_json::json!([{"rel": "duplicate-of", "source": b}])
    );
    // The duplicate still shows its own link, and no reverse one.
    let out = sb.ok(["show", &b]);
    assert!(out.contains(&format!("link: duplicate-of {a}")), "{out}");
    assert!(!out.contains("duplicated by"), "{out}");
}

#[test]
fn a_locked_ticket_shows_the_new_ticket_a_customer_reply_started() {
    let (sb, id) = store_with_file_outbox("");
    sb.change(["lock", &id, "-m", "legal"]);
    let follow_up = "From: Ann Smith <ann@example.org>\r\nTo: support@example.com\r\n\
        Subject: Re: Printer on fire\r\nMessage-ID: <c2@example.org>\r\nIn-Reply-To: <c1@example.org>\r\n\
        Date: Tue, 03 Nov 2026 10:00:00 +0000\r\n\r\nStill burning.\r\n";
    let out = sb
        .tix(["import", "eml", "--format", "json"])
        .stdin(follow_up)
        .ok();
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let new = report["messages"][0]["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new, id);
    let out = sb.ok(["show", &id]);
    assert!(out.contains(&format!("link: related {new}")), "{out}");
}

// ------------------------------------------------------------ time zones

/// A store whose team zone is Europe/Berlin (CET in winter, CEST in
/// summer), with one ticket created at `created` (UTC).
fn berlin_store(created: &str) -> (Sandbox, String) {
    let sb = Sandbox::init();
    sb.set_config("timezone", "Europe/Berlin");
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Printer",
        ])
        .now(created),
    );
    (sb, id)
}

#[test]
fn times_are_shown_in_the_team_zone_with_its_label_and_json_stays_utc() {
    let (sb, winter) = berlin_store("2026-12-01T08:30:00Z");
    let summer = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Fan",
        ])
        .now("2026-07-01T08:30:00Z"),
    );
    let out = sb.ok(["show", &winter]);
    assert!(
        out.contains("created: 2026-12-01 09:30 CET by alice"),
        "{out}"
    );
    let out = sb.ok(["show", &summer]);
    assert!(
        out.contains("created: 2026-07-01 10:30 CEST by alice"),
        "{out}"
    );
    // Tables: local, one line per ticket.
    let out = sb.ok(["list", "--format", "table"]);
    assert!(out.contains("2026-12-01 09:30"), "{out}");
    // Scripts keep UTC.
    assert_eq!(
        sb.ticket(&winter)["created_at"],
        "2026-12-01T08:30:00.000000Z"
    );
    let list = sb.list_json(["list"]);
    assert!(
        list.iter()
            .any(|t| t["created_at"] == "2026-12-01T08:30:00.000000Z"),
        "{list:?}"
    );
    // TZ, the reader's own clock, overrides the team's for display.
    let out = sb.tix(["show", &winter]).env("TZ", "America/New_York").ok();
    assert!(
        out.contains("created: 2026-12-01 03:30 EST by alice"),
        "{out}"
    );
    let out = sb.tix(["show", &winter]).env("TZ", "UTC").ok();
    assert!(
        out.contains("created: 2026-12-01 08:30 UTC by alice"),
        "{out}"
    );
    // A TZ tix cannot read is said once and ignored.
    let run = sb
        .tix(["show", &winter])
        .env("TZ", "Mars/Olympus")
        .run()
        .code(0);
    assert_eq!(
        run.stderr.matches("Mars/Olympus").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("09:30 CET"), "{}", run.stdout);
}

#[test]
fn local_times_typed_are_in_the_zone_across_daylight_saving() {
    let (sb, id) = berlin_store("2026-10-20T08:00:00Z");
    let now = "2026-10-20T09:00:00Z";
    // Winter time from 25 October: 09:00 CET is 08:00 UTC.
    let out = sb.change_with(
        sb.tix(["snooze", &id, "--until", "2026-12-03 09:00"])
            .now(now),
    );
    assert!(out.contains("until 2026-12-03 09:00 CET"), "{out}");
    assert_eq!(
        sb.ticket(&id)["snoozed_until"],
        "2026-12-03T08:00:00.000000Z"
    );
    assert_eq!(
        sb.git(["log", "-1", "--format=%s"]).trim(),
        format!("tix: snooze {id} until 2026-12-03 08:00Z")
    );
    // Summer time until then: 09:00 CEST is 07:00 UTC.
    sb.change_with(
        sb.tix(["snooze", &id, "--until", "2026-10-24 09:00"])
            .now(now),
    );
    assert_eq!(
        sb.ticket(&id)["snoozed_until"],
        "2026-10-24T07:00:00.000000Z"
    );
    // A date is local midnight: 22:30 UTC on the 19th is the 20th in Berlin.
    let early = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Early",
        ])
        .now("2026-10-19T22:30:00Z"),
    );
    let hit = sb.list_ids_with(
        sb.tix([
            "list",
            "--created-since",
            "2026-10-20",
            "--created-until",
            "2026-10-21",
        ])
        .now(now),
    );
    assert_eq!(hit, [early.as_str()]);
    let late = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Late",
        ])
        .now("2026-10-20T22:30:00Z"),
    );
    // 22:30 UTC is already the 21st in Berlin.
    let hit = sb.list_ids_with(
        sb.tix(["list", "--created-since", "2026-10-21"])
            .now("2026-10-21T09:00:00Z"),
    );
    assert_eq!(hit, [late.as_str()]);
}

#[test]
fn report_days_are_the_team_zones_days() {
    // 23:30 UTC on 28 March is 00:30 CET on the 29th, the day clocks go
    // forward (a 23-hour day).
    let (sb, _) = berlin_store("2026-03-28T23:30:00Z");
    let out = sb
        .tix([
            "report",
            "trend",
            "--since",
            "2026-03-28",
            "--until",
            "2026-03-31",
            "--format",
            "json",
        ])
        .now("2026-04-01T00:00:00Z")
        .env("TZ", "UTC")
        .ok();
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let buckets = r["buckets"].as_array().unwrap();
    let created: Vec<(&str, u64)> = buckets
        .iter()
        .map(|b| {
            (
                b["bucket"].as_str().unwrap(),
                b["created"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        created,
        [("2026-03-28", 0), ("2026-03-29", 1), ("2026-03-30", 0)],
        "{r:#}"
    );
    // Bucket edges are local midnights, in UTC in JSON.
    assert_eq!(buckets[1]["start"], "2026-03-28T23:00:00.000000Z");
    assert_eq!(buckets[1]["end"], "2026-03-29T22:00:00.000000Z");
}

#[test]
fn a_timezone_that_does_not_exist_is_refused_naming_the_key() {
    let sb = Sandbox::init();
    let path = sb.dir.join(".tix/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}timezone: Europe/Atlantis\n")).unwrap();
    sb.tix(["list"])
        .fails(6)
        .stderr_has(&["timezone", "Europe/Atlantis", "not a time zone"]);
}

#[test]
fn a_hand_edited_agent_email_with_a_line_break_is_named() {
    let sb = Sandbox::init();
    let path = sb.dir.join(".tix/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "agents:\n",
        "agents:\n- handle: zed\n  email: \"zed@example.com\\nBcc: x@example.com\"\n",
    );
    std::fs::write(&path, text).unwrap();
    sb.tix(["check"])
        .fails(6)
        .stderr_has(&["agents[0].email", "control character"]);
}

#[test]
fn links_from_other_tickets_follow_every_change_and_survive_a_damaged_cache() {
    let sb = Sandbox::init();
    let a = sb.create("Target");
    let b = sb.create("First duplicate");
    let c = sb.create("Related one");
    let reverse = |sb: &Sandbox| -> serde_json::Value {
        let json: serde_json::Value =
            serde_json::from_str(&sb.ok(["show", &a, "--format", "json"])).unwrap();
        json["linked_from"].clone()
    };
    assert_eq!(reverse(&sb), serde_json::json!([]));
    sb.change(["link", &b, &a, "--rel", "duplicate-of"]);
    assert_eq!(
        reverse(&sb),
        serde_json::json!([{"rel": "duplicate-of", "source": b}])
    );
    sb.change(["link", &c, &a]);
    sb.change(["unlink", &b, &a, "--rel", "duplicate-of"]);
    assert_eq!(
        reverse(&sb),
        serde_json::json!([{"rel": "related", "source": c}])
    );
    // The cache of links is derived data: damaged or gone, it is rebuilt.
    let links = sb.dir.join(".git/tix/index/links.bin");
    let mut bytes = std::fs::read(&links).expect("show keeps a cache of links");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&links, &bytes).unwrap();
    assert_eq!(
        reverse(&sb),
        serde_json::json!([{"rel": "related", "source": c}])
    );
    std::fs::remove_file(&links).unwrap();
    assert_eq!(
        reverse(&sb),
        serde_json::json!([{"rel": "related", "source": c}])
    );
}
