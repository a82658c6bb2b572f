//! Holds tix to the JSON Schemas in `schema/`: every entry the real binary
//! writes and the config it keeps must validate, hand-written examples in
//! `tests/data/schema/valid/` must validate (and parse with tix), and those
//! in `tests/data/schema/invalid/` must be rejected (by the schema, and by
//! tix unless the file says otherwise).
//!
//! Example files are named `entry-*.md` (a whole entry file), `entry-*.yaml`
//! (front matter only) or `config-*.yaml`. An invalid example that tix itself
//! reads without complaint (a known disagreement between the schema and the
//! parser) carries a line `# tix-accepts: <why>`; the test checks that tix
//! does accept it, so the marker goes away when the parser gets stricter.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jsonschema::Validator;
use serde_json::Value;
use tempfile::TempDir;
use tix_core::domain::duration::Duration;
use tix_core::domain::{
    Channel, Config, DeliveryStatus, Direction, Entry, Event, FieldValue, LinkRel, Party, Priority,
    Status, TicketId, Timestamp,
};

/// Every entry kind, as in the schema's `kind` enum.
const ALL_KINDS: [&str; 37] = [
    "created",
    "message",
    "reply",
    "note",
    "call",
    "chat",
    "assign",
    "status",
    "priority",
    "subject",
    "tags",
    "cc",
    "field",
    "link",
    "unlink",
    "close",
    "lock",
    "unlock",
    "attachment",
    "delivery",
    "escalate",
    "department",
    "snooze",
    "sla",
    "resolution",
    "merge",
    "unmerge",
    "split",
    "task-add",
    "task-assign",
    "task-due",
    "task-done",
    "task-reopen",
    "task-reminder",
    "redact",
    "survey",
    "rating",
];

/// A task's key in the sample events: the file name of its `task-add`.
const TASK: &str = "20261123T013823.123456Z-ab12cd-task-add.md";

/// Marks an invalid example that tix's parser accepts.
const TIX_ACCEPTS: &str = "# tix-accepts:";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_schema(name: &str) -> Value {
    let path = root().join("schema").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> Validator {
    let schema = load_schema(name);
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("schema/{name} is not a valid draft 2020-12 schema: {e}");
    }
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema/{name} does not compile: {e}"))
}

fn entry_validator() -> Validator {
    validator("entry.schema.json")
}

fn config_validator() -> Validator {
    validator("config.schema.json")
}

/// The schema's complaints about `instance`, one per line; empty if valid.
fn errors(validator: &Validator, instance: &Value) -> String {
    validator
        .iter_errors(instance)
        .map(|e| format!("  at `{}`: {e}\n", e.instance_path()))
        .collect()
}

/// The YAML between the opening `---` line and the next `---` line.
fn front_matter(text: &str) -> &str {
    let rest = text
        .strip_prefix("---\n")
        .expect("an entry file starts with a `---` line");
    if rest.starts_with("---\n") {
        return "";
    }
    let end = rest
        .find("\n---\n")
        .expect("an entry file has a closing `---` line");
    &rest[..end + 1]
}

fn yaml_to_json(yaml: &str, what: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{what}: not YAML: {e}"))
}

fn assert_valid(validator: &Validator, instance: &Value, what: &str) {
    let errs = errors(validator, instance);
    assert!(
        errs.is_empty(),
        "{what} should be valid but the schema says:\n{errs}\n{instance:#}"
    );
}

// ---------------------------------------------------------------------------
// The schemas themselves

/// Every property in the schemas is documented (conditions in `if`, `then`
/// and `else` only refine properties described elsewhere).
#[test]
fn schemas_are_valid_and_describe_every_property() {
    fn walk(schema: &Value, path: &str, missing: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (name, sub) in props {
                        if sub.get("description").and_then(Value::as_str).is_none() {
                            missing.push(format!("{path}/properties/{name}"));
                        }
                    }
                }
                for (key, sub) in map {
                    if !matches!(key.as_str(), "if" | "then" | "else") {
                        walk(sub, &format!("{path}/{key}"), missing);
                    }
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    walk(sub, &format!("{path}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    for name in [
        "entry.schema.json",
        "config.schema.json",
        "availability.schema.json",
        "agent.schema.json",
        "blacklist.schema.json",
        "group.schema.json",
        "purge.schema.json",
        "customer-note.schema.json",
        "ndjson.schema.json",
    ] {
        let schema = load_schema(name);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert!(schema["$id"].is_string(), "{name} has no $id");
        assert!(schema["title"].is_string(), "{name} has no title");
        let _ = validator(name);
        let mut missing = Vec::new();
        walk(&schema, "#", &mut missing);
        assert!(
            missing.is_empty(),
            "{name}: properties without a description: {missing:?}"
        );
    }
    let entry = load_schema("entry.schema.json");
    let kinds: Vec<&str> = entry["properties"]["kind"]["enum"]
        .as_array()
        .expect("kind has an enum")
        .iter()
        .map(|k| k.as_str().expect("kinds are strings"))
        .collect();
    assert_eq!(kinds, ALL_KINDS);
}

// ---------------------------------------------------------------------------
// What the encoder writes

/// One event of every kind. The `match` fails to compile when a kind is
/// added to `Event`, so the schema cannot silently fall behind.
fn sample_events() -> Vec<Event> {
    let party = |s: &str| Party::parse(s).unwrap();
    let target: TicketId = "7K3FAB00".parse().unwrap();
    let events = vec![
        Event::Created {
            subject: "Printer jams".into(),
            customer: party("Ann Lee <ann@example.com>"),
            cc: vec![party("c@example.com")],
            priority: Priority::High,
            tags: vec!["printer".into()],
            fields: BTreeMap::from([
                ("units".into(), FieldValue::Number(2.0)),
                ("product".into(), FieldValue::Text("printer".into())),
            ]),
            channel: Some(Channel::Phone),
            department: Some("billing".into()),
            group: Some("billing-team".into()),
        },
        Event::Created {
            subject: "Minimal".into(),
            customer: party("ann@example.com"),
            cc: vec![],
            priority: Priority::Normal,
            tags: vec![],
            fields: BTreeMap::new(),
            channel: None,
            department: None,
            group: None,
        },
        Event::Message {
            from: party("\"Lee, Ann\" <ann@example.com>"),
            mail: None,
        },
        Event::Reply { mail: None },
        Event::Note { mail: None },
        Event::Call {
            direction: Direction::In,
            duration: Some(Duration::parse_positive("6m").unwrap()),
        },
        Event::Call {
            direction: Direction::Out,
            duration: None,
        },
        Event::Chat {},
        Event::Assign {
            to: Some("bob".into()),
        },
        Event::Assign { to: None },
        Event::Status {
            to: Status::OnHold,
            from: Some(Status::New),
        },
        Event::Status {
            to: Status::Pending,
            from: None,
        },
        Event::Priority {
            to: Priority::Urgent,
        },
        Event::Subject {
            to: "key: value".into(),
        },
        Event::Tags {
            add: vec!["a".into()],
            remove: vec!["b".into()],
        },
        Event::Cc {
            add: vec![party("Dee <dee@example.com>")],
            remove: vec!["c@example.com".into()],
        },
        Event::Field {
            name: "units".into(),
            value: Some(FieldValue::Number(2.5)),
        },
        Event::Field {
            name: "due".into(),
            value: Some(FieldValue::Text("2026-12-01".into())),
        },
        Event::Field {
            name: "units".into(),
            value: None,
        },
        Event::Link {
            rel: LinkRel::ParentOf,
            target,
        },
        Event::Unlink {
            rel: LinkRel::DuplicateOf,
            target,
        },
        Event::Close {},
        Event::Lock {},
        Event::Unlock {},
        Event::Attachment {
            file: "files/x/log.txt".into(),
            name: "log.txt".into(),
            size: 12,
            entry: Some("x.md".into()),
        },
        Event::Delivery {
            entry: "20261123T013823.123456Z-ab12cd-reply.md".into(),
            status: DeliveryStatus::Failed,
        },
        Event::Escalate {
            to: "second-line".into(),
        },
        Event::Department {
            to: Some("billing".into()),
        },
        Event::Department { to: None },
        Event::Snooze {
            until: Some(Timestamp::parse_rfc3339("2026-12-01T09:00:00Z").unwrap()),
        },
        Event::Snooze { until: None },
        Event::Sla {
            target: tix_core::domain::sla::Target::FirstResponse,
            standing: tix_core::domain::sla::Standing::Breached,
        },
        Event::Resolution {},
        Event::Merge {
            source: "9QX2AB00".parse().unwrap(),
            target,
            cc: vec![party("Bob <bob@example.org>")],
        },
        Event::Merge {
            source: "9QX2AB00".parse().unwrap(),
            target,
            cc: vec![],
        },
        Event::Unmerge {
            source: "9QX2AB00".parse().unwrap(),
            target,
        },
        Event::Split {
            source: target,
            target: "9QX2AB00".parse().unwrap(),
            entries: vec!["20261123T013823.123456Z-ab12cd-message.md".into()],
        },
        Event::TaskAdd {
            to: Some("bob".into()),
            due: Some(Timestamp::parse_rfc3339("2026-12-01T09:00:00Z").unwrap()),
            from: Some("20261123T013823.123456Z-ab12cd-message.md".into()),
        },
        Event::TaskAdd {
            to: None,
            due: None,
            from: None,
        },
        Event::TaskAssign {
            task: TASK.into(),
            to: "bob".into(),
        },
        Event::TaskDue {
            task: TASK.into(),
            due: Some(Timestamp::parse_rfc3339("2026-12-02T09:00:00Z").unwrap()),
        },
        Event::TaskDue {
            task: TASK.into(),
            due: None,
        },
        Event::TaskDone { task: TASK.into() },
        Event::TaskReopen { task: TASK.into() },
        Event::TaskReminder { task: TASK.into() },
        Event::Redact { entry: TASK.into() },
        Event::Survey {
            token: "7k3f0000-abcdefghjkmn".into(),
            scale: tix_core::domain::csat::Scale::GoodBad,
        },
        Event::Survey {
            token: "7k3f0000-abcdefghjkmn".into(),
            scale: tix_core::domain::csat::Scale::OneToFive,
        },
        Event::Rating {
            token: "7k3f0000-abcdefghjkmn".into(),
            answer: tix_core::domain::csat::Answer::Good,
        },
        Event::Rating {
            token: "7k3f0000-abcdefghjkmn".into(),
            answer: tix_core::domain::csat::Answer::Score(4),
        },
    ];
    for e in &events {
        match e {
            Event::Created { .. }
            | Event::Message { .. }
            | Event::Reply { .. }
            | Event::Note { .. }
            | Event::Call { .. }
            | Event::Chat {}
            | Event::Assign { .. }
            | Event::Status { .. }
            | Event::Priority { .. }
            | Event::Subject { .. }
            | Event::Tags { .. }
            | Event::Cc { .. }
            | Event::Field { .. }
            | Event::Link { .. }
            | Event::Unlink { .. }
            | Event::Close {}
            | Event::Lock {}
            | Event::Unlock {}
            | Event::Attachment { .. }
            | Event::Delivery { .. }
            | Event::Escalate { .. }
            | Event::Department { .. }
            | Event::Snooze { .. }
            | Event::Sla { .. }
            | Event::Resolution {}
            | Event::Merge { .. }
            | Event::Unmerge { .. }
            | Event::Split { .. }
            | Event::TaskAdd { .. }
            | Event::TaskAssign { .. }
            | Event::TaskDue { .. }
            | Event::TaskDone { .. }
            | Event::TaskReopen { .. }
            | Event::TaskReminder { .. }
            | Event::Redact { .. }
            | Event::Survey { .. }
            | Event::Rating { .. } => {}
        }
    }
    events
}

#[test]
fn every_kind_the_encoder_writes_is_valid() {
    let validator = entry_validator();
    let mut seen = BTreeSet::new();
    for (i, event) in sample_events().into_iter().enumerate() {
        let entry = Entry {
            at: Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456Z").unwrap(),
            seq: i as u64 + 1,
            author: "alice".into(),
            // Every other one written by an admin for alice.
            by: (i % 2 == 1).then(|| "root".to_string()),
            // Every third one written by a rule.
            rule: (i % 3 == 0).then(|| "vip desk".to_string()),
            event,
            body: "text".into(),
        };
        let text = entry.encode();
        let kind = entry.event.kind();
        let json = yaml_to_json(front_matter(&text), kind);
        assert_valid(&validator, &json, &format!("encoded {kind} entry"));
        assert_eq!(json["kind"], kind);
        seen.insert(kind);
    }
    assert_eq!(seen, ALL_KINDS.into_iter().collect());
}

// ---------------------------------------------------------------------------
// What the binary writes

/// A store in a temporary directory, with a git identity of its own.
struct Scenario {
    _home: TempDir,
    home: PathBuf,
    _dir: TempDir,
    dir: PathBuf,
}

impl Scenario {
    fn new() -> Scenario {
        let home = tempfile::tempdir().unwrap();
        fs::write(
            home.path().join(".gitconfig"),
            "[user]\n\tname = Alice Admin\n\temail = alice@example.com\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        Scenario {
            home: home.path().to_path_buf(),
            _home: home,
            dir: dir.path().to_path_buf(),
            _dir: dir,
        }
    }

    fn env(&self, cmd: &mut Command) {
        cmd.current_dir(&self.dir)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("TIX_AGENT")
            .env_remove("TIX_NOW")
            .env_remove("NO_COLOR")
            .env_remove("GIT_CONFIG_GLOBAL")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    /// Runs tix, which must succeed; returns its standard output.
    fn tix(&self, args: &[&str]) -> String {
        self.tix_at(None, args)
    }

    /// Like [`Scenario::tix`], pretending it is `now` when given.
    fn tix_at(&self, now: Option<&str>, args: &[&str]) -> String {
        let mut cmd = Command::cargo_bin("tix").unwrap();
        self.env(&mut cmd);
        if let Some(now) = now {
            cmd.env("TIX_NOW", now);
        }
        let out = cmd.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "tix {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn git(&self, args: &[&str]) {
        let mut cmd = Command::new("git");
        self.env(&mut cmd);
        let out = cmd.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Entry files: `tickets/<shard>/<id>/*.md` (not attachments, which live
    /// deeper and may be named anything).
    fn entry_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for shard in read_dir(&self.dir.join("tickets")) {
            for ticket in read_dir(&shard) {
                for file in read_dir(&ticket) {
                    if file.is_file() && file.extension().is_some_and(|e| e == "md") {
                        out.push(file);
                    }
                }
            }
        }
        out
    }
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

#[test]
fn everything_the_binary_writes_is_valid() {
    let s = Scenario::new();
    s.tix(&["init", "--name", "Support"]);
    s.tix(&["agent", "add", "bob", "--email", "bob@example.com"]);

    let config_path = s.dir.join(".tix/config.yaml");
    let mut config = fs::read_to_string(&config_path).unwrap();
    assert!(!config.contains("fields:"), "{config}");
    config.push_str(
        "fields:\n\
         - name: units\n  type: number\n  description: How many devices\n\
         - name: product\n  type: choice\n  choices: [printer, scanner]\n\
         - name: due\n  type: date\n\
         mail:\n  addresses: [support@example.com]\n  closed_reply: new-after-days\n  reopen_days: 7\n\
         \x20 blacklist:\n  - sender: example.net\n  - sender: spam@example.com\n    subject: prize\n\
         \x20 outgoing:\n    transport: file\n    dir: sent-mail\n\
         \x20 departments:\n  - name: billing\n    addresses: [billing@example.com]\n    from: Billing <billing@example.com>\n    group: second-line\n    signature: The billing team\n    auto_reply: false\n\
         groups:\n- name: first-line\n  agents: [bob]\n- name: second-line\n  agents: [alice]\n\
         assignment:\n  rule: round-robin\n  max_active: 50\n\
         sla:\n  urgent:\n    first_response: 1h\n  on_breach:\n  - priority: urgent\n  - notify\n\
         organisations:\n  Example Corp: [example.com, example.co.uk]\n\
         free_mail_domains: [mailbox.example]\n\
         csat:\n  enabled: true\n  delay: 1h\n",
    );
    fs::write(&config_path, config).unwrap();
    s.git(&["add", ".tix/config.yaml"]);
    s.git(&["commit", "-q", "-m", "Declare custom fields"]);

    let attachment = s.home.join("log.txt");
    fs::write(&attachment, "paper jam at tray 2\n").unwrap();
    let a = s
        .tix(&[
            "create",
            "--customer",
            "Ann Lee <ann@example.com>",
            "--subject",
            "S",
            "-m",
            "body",
            "--priority",
            "high",
            "--tag",
            "printer",
            "--cc",
            "c@example.com",
            "--field",
            "units=2",
            "--field",
            "product=printer",
            "--attach",
            attachment.to_str().unwrap(),
        ])
        .trim()
        .to_string();
    let b = s
        .tix(&[
            "create",
            "--customer",
            "bo@example.com",
            "--subject",
            "Second",
            "-m",
            "another",
            "--assign",
            "bob",
        ])
        .trim()
        .to_string();
    for id in [&a, &b] {
        assert!(id.parse::<TicketId>().is_ok(), "create printed {id:?}");
    }
    let a = a.as_str();
    s.tix(&["reply", a, "-m", "Try turning it off and on"]);
    s.tix(&["escalate", a, "-m", "Needs the second line"]);
    s.tix(&["department", a, "billing", "-m", "About an invoice"]);
    s.tix(&["snooze", a, "--until", "2d"]);
    s.tix(&["snooze", a, "--wake"]);
    let late = s
        .tix_at(
            Some("2026-01-01T09:00:00Z"),
            &[
                "create",
                "--customer",
                "c@example.com",
                "--subject",
                "Urgent",
                "-m",
                "x",
                "--priority",
                "urgent",
            ],
        )
        .trim()
        .to_string();
    s.tix_at(
        Some("2026-01-01T09:00:00Z"),
        &[
            "task",
            "add",
            &late,
            "Call back",
            "--to",
            "bob",
            "--due",
            "1h",
        ],
    );
    let ticked = s.tix_at(Some("2026-01-01T11:00:00Z"), &["tick"]);
    assert!(ticked.contains(&late), "{ticked}");
    s.tix(&["task", "add", a, "Order a tray", "--due", "30d"]);
    s.tix(&["task", "assign", a, "1", "bob"]);
    s.tix(&["task", "due", a, "1", "3d"]);
    s.tix(&["task", "due", a, "1", "--clear"]);
    s.tix(&["task", "done", a, "1"]);
    s.tix(&["task", "reopen", a, "1"]);
    s.tix(&["comment", a, "-m", "Internal: tray 2 is worn"]);
    s.tix(&["log-call", a, "--duration", "6m", "-m", "Rang about tray 2"]);
    s.tix(&["log-chat", a, "-m", "ann: still jams"]);
    s.tix(&["assign", a, "bob"]);
    s.tix(&["assign", a, "--none"]);
    s.tix(&["status", a, "pending"]);
    s.tix(&["priority", a, "urgent"]);
    s.tix(&["subject", a, "Printer: still jams # tray 2"]);
    s.tix(&["tag", a, "hardware"]);
    s.tix(&["untag", a, "printer"]);
    s.tix(&["cc", a, "--add", "Dee Dee <dee@example.com>"]);
    s.tix(&["cc", a, "--remove", "c@example.com"]);
    s.tix(&["field", a, "units", "3"]);
    s.tix(&["field", a, "due", "2026-12-01"]);
    s.tix(&["field", a, "units", "--unset"]);
    s.tix(&["link", a, &b, "--rel", "duplicate-of"]);
    s.tix(&["unlink", a, &b, "--rel", "duplicate-of"]);
    s.tix(&["resolution", &b, "-m", "Reseated the cable"]);
    s.tix(&["merge", &late, "into", &b]);
    s.tix(&["unmerge", &late]);
    s.tix(&["comment", &b, "-m", "Another problem: the scanner"]);
    let shown: serde_json::Value =
        serde_json::from_str(&s.tix(&["show", &b, "--format", "json"])).unwrap();
    let note = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["kind"] == "note")
        .unwrap()["entry_file"]
        .as_str()
        .unwrap()
        .to_string();
    s.tix(&["split", &b, "--from", &note]);
    s.tix(&["redact", &b, &note, "--reason", "pasted by mistake"]);
    s.tix(&["close", a, "-m", "Replaced the tray"]);
    s.tix(&["reopen", a]);
    s.tix(&["lock", a, "-m", "Legal hold"]);
    s.tix(&["unlock", a, "-m", "Released"]);
    s.tix(&["close", a, "--lock", "--yes"]);

    // Mail writes message, reply and note entries with a `mail` block:
    // a new ticket, the customer's reply with a new Cc, an agent's answer
    // by mail, and an out-of-office threaded onto the ticket.
    let mbox = s.dir.join("support.mbox");
    fs::write(
        &mbox,
        "From ann@example.com Mon Nov 23 10:00:00 2026\n\
         From: Ann Lee <ann@example.com>\nTo: support@example.com\nSubject: Scanner jammed\n\
         Message-ID: <m1@example.com>\nDate: Mon, 23 Nov 2026 10:00:00 +0100\n\n\
         It jams.\n\n\
         From ann@example.com Mon Nov 23 11:00:00 2026\n\
         From: Ann Lee <ann@example.com>\nTo: support@example.com\nCc: Carl <carl@example.org>\n\
         Subject: Re: Scanner jammed\nMessage-ID: <m2@example.com>\nIn-Reply-To: <m1@example.com>\n\
         Date: Mon, 23 Nov 2026 11:00:00 +0100\n\nStill jams.\n\n\
         From alice@example.com Mon Nov 23 12:00:00 2026\n\
         From: Alice Admin <alice@example.com>\nTo: ann@example.com\nSubject: Re: Scanner jammed\n\
         Message-ID: <m3@example.com>\nIn-Reply-To: <m2@example.com>\nDate: Mon, 23 Nov 2026 12:00:00 +0100\n\n\
         Clean the rollers.\n\n\
         From ann@example.com Mon Nov 23 13:00:00 2026\n\
         From: Ann Lee <ann@example.com>\nTo: alice@example.com\nSubject: Out of office\n\
         Auto-Submitted: auto-replied\nMessage-ID: <m4@example.com>\nIn-Reply-To: <m3@example.com>\n\
         Date: Mon, 23 Nov 2026 13:00:00 +0100\n\nI am away.\n",
    )
    .unwrap();
    s.tix(&["import", "mbox", mbox.to_str().unwrap()]);

    // A survey (`tick` after a close) and its answer by mail: a rating.
    let (opened, surveyed, answered) = (
        Some("2027-01-01T09:00:00Z"),
        Some("2027-01-01T10:30:00Z"),
        Some("2027-01-01T11:00:00Z"),
    );
    let rated = s
        .tix_at(
            opened,
            &[
                "create",
                "--customer",
                "Rita <rita@example.org>",
                "--subject",
                "Rate me",
                "-m",
                "x",
            ],
        )
        .trim()
        .to_string();
    s.tix_at(opened, &["close", &rated]);
    s.tix_at(surveyed, &["tick"]);
    let survey = s
        .entry_files()
        .into_iter()
        .find(|p| {
            p.to_string_lossy().contains(&rated) && p.to_string_lossy().ends_with("-survey.md")
        })
        .expect("tick wrote a survey");
    let text = fs::read_to_string(&survey).unwrap();
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap()
        .to_string();
    let answer = s.dir.join("answer.mbox");
    fs::write(
        &answer,
        format!(
            "From rita@example.org Mon Nov 23 10:00:00 2026\n\
             From: Rita <rita@example.org>\nTo: support@example.com\n\
             Subject: Re: Rate me [rate {token} good]\nMessage-ID: <r1@example.org>\n\n\
             Quick, thanks.\n"
        ),
    )
    .unwrap();
    s.tix_at(answered, &["import", "mbox", answer.to_str().unwrap()]);

    let validator = entry_validator();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let files = s.entry_files();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let what = path.strip_prefix(&s.dir).unwrap().display().to_string();
        let json = yaml_to_json(front_matter(&text), &what);
        assert_valid(&validator, &json, &what);
        if let Err(e) = Entry::decode(text.as_bytes()) {
            panic!("{what}: tix cannot read what it wrote: {e}");
        }
        let kind = json["kind"].as_str().unwrap().to_string();
        assert!(
            what.ends_with(&format!("-{kind}.md")),
            "{what} has kind {kind}"
        );
        if json.get("mail").is_some() {
            *seen.entry(format!("{kind} by mail")).or_default() += 1;
        }
        *seen.entry(kind).or_default() += 1;
    }
    for kind in ["message", "reply", "note"] {
        assert!(
            seen.contains_key(&format!("{kind} by mail")),
            "the import wrote no {kind} entry with a mail block ({seen:?})"
        );
    }
    let missing: Vec<_> = ALL_KINDS
        .iter()
        .filter(|k| !seen.contains_key(**k))
        .collect();
    assert!(
        missing.is_empty(),
        "the scenario wrote no {missing:?} entry (wrote {seen:?})"
    );

    // The export of all that: each line by the ndjson schema, each entry's
    // front matter by the entry schema.
    let ndjson = self::validator("ndjson.schema.json");
    let export = s.tix(&["export", "--format", "ndjson"]);
    let mut exported = 0;
    for (n, line) in export.lines().enumerate() {
        let what = format!("export line {}", n + 1);
        let json: Value = serde_json::from_str(line).unwrap();
        assert_valid(&ndjson, &json, &what);
        for e in json["entries"].as_array().unwrap() {
            assert_valid(&validator, &e["front"], &format!("{what}: {}", e["file"]));
            exported += 1;
        }
    }
    assert_eq!(exported, files.len());

    // Availability records, as `tix agent away|back` writes them.
    s.tix(&["agent", "away", "bob", "--until", "3d"]);
    s.tix(&["agent", "back", "bob"]);
    let records = read_dir(&s.dir.join(".tix/availability"));
    assert_eq!(records.len(), 2, "{records:?}");
    let availability = self::validator("availability.schema.json");
    for path in records {
        let text = fs::read_to_string(&path).unwrap();
        assert_valid(
            &availability,
            &yaml_to_json(&text, &path.display().to_string()),
            &path.display().to_string(),
        );
    }

    // Agent and blacklist records, as `tix agent add` and `tix blacklist`
    // write them.
    s.tix(&[
        "agent",
        "add",
        "carol",
        "--email",
        "carol@example.com",
        "--name",
        "Carol",
        "--role",
        "admin",
    ]);
    s.tix(&["blacklist", "add", "junk.example", "--subject", "prize"]);
    s.tix(&["blacklist", "remove", "example.net"]);
    s.tix(&["agent", "edit", "carol", "--name", "Carol C", "--no-roles"]);
    s.tix(&["agent", "add", "dave", "--email", "dave@example.com"]);
    s.tix(&["agent", "remove", "dave"]);
    s.tix(&["group", "create", "night"]);
    s.tix(&["group", "add", "night", "carol"]);
    s.tix(&["group", "remove", "night", "carol"]);
    s.tix(&[
        "customer",
        "Ann@example.com",
        "--note",
        "-m",
        "Prefers phone",
    ]);
    let notes_dir = read_dir(&s.dir.join(".tix/customers"));
    assert_eq!(notes_dir.len(), 1, "{notes_dir:?}");
    let notes = notes_dir[0]
        .strip_prefix(&s.dir)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for (dir, schema, count) in [
        (".tix/agents", "agent.schema.json", 5),
        (".tix/groups", "group.schema.json", 3),
        (".tix/blacklist", "blacklist.schema.json", 2),
        (notes.as_str(), "customer-note.schema.json", 1),
    ] {
        let records = read_dir(&s.dir.join(dir));
        assert_eq!(records.len(), count, "{records:?}");
        let validator = self::validator(schema);
        for path in records {
            let text = fs::read_to_string(&path).unwrap();
            assert_valid(
                &validator,
                &yaml_to_json(&text, &path.display().to_string()),
                &path.display().to_string(),
            );
        }
    }

    let config = fs::read_to_string(&config_path).unwrap();
    assert_valid(
        &config_validator(),
        &yaml_to_json(&config, ".tix/config.yaml"),
        ".tix/config.yaml",
    );
}

// ---------------------------------------------------------------------------
// Hand-written examples

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Entry,
    Config,
}

struct Example {
    name: String,
    format: Format,
    /// The YAML the schema sees.
    yaml: String,
    /// The bytes tix's parser sees: a whole entry file, or the config.
    bytes: String,
    tix_accepts: bool,
}

fn examples(dir: &str) -> Vec<Example> {
    let dir = root().join("tests/data/schema").join(dir);
    let out: Vec<Example> = read_dir(&dir)
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            let tix_accepts = text.lines().any(|l| l.starts_with(TIX_ACCEPTS));
            let (format, yaml, bytes) = if name.starts_with("config-") && name.ends_with(".yaml") {
                (Format::Config, text.clone(), text)
            } else if name.starts_with("entry-") && name.ends_with(".yaml") {
                let file = format!("---\n{text}---\nbody\n");
                (Format::Entry, text, file)
            } else if name.starts_with("entry-") && name.ends_with(".md") {
                (Format::Entry, front_matter(&text).to_string(), text)
            } else {
                panic!("{name}: expected entry-*.md, entry-*.yaml or config-*.yaml");
            };
            Example {
                name,
                format,
                yaml,
                bytes,
                tix_accepts,
            }
        })
        .collect();
    assert!(
        out.iter().any(|e| e.format == Format::Entry)
            && out.iter().any(|e| e.format == Format::Config),
        "{} should hold entry and config examples",
        dir.display()
    );
    out
}

/// What tix's own parser says about an example.
fn tix_parse(example: &Example) -> Result<(), String> {
    match example.format {
        Format::Entry => Entry::decode(example.bytes.as_bytes()).map(|_| ()),
        Format::Config => Config::parse(&example.bytes).map(|_| ()),
    }
}

#[test]
fn valid_examples_are_accepted_by_schema_and_tix() {
    let (entries, configs) = (entry_validator(), config_validator());
    let mut failures = Vec::new();
    let mut kinds = BTreeSet::new();
    for ex in examples("valid") {
        assert!(
            !ex.tix_accepts,
            "{}: `{TIX_ACCEPTS}` is for invalid examples",
            ex.name
        );
        let json = yaml_to_json(&ex.yaml, &ex.name);
        let validator = match ex.format {
            Format::Entry => &entries,
            Format::Config => &configs,
        };
        let errs = errors(validator, &json);
        if !errs.is_empty() {
            failures.push(format!("{}: rejected by the schema:\n{errs}", ex.name));
        }
        if let Err(e) = tix_parse(&ex) {
            failures.push(format!("{}: rejected by tix: {e}", ex.name));
        }
        if ex.format == Format::Entry
            && let Some(kind) = json["kind"].as_str()
        {
            kinds.insert(kind.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // `message` has no command yet, so only an example covers it.
    assert!(kinds.contains("message"), "no valid message example");
}

#[test]
fn invalid_examples_are_rejected_by_schema_and_tix() {
    let (entries, configs) = (entry_validator(), config_validator());
    let mut failures = Vec::new();
    for ex in examples("invalid") {
        let json = yaml_to_json(&ex.yaml, &ex.name);
        let validator = match ex.format {
            Format::Entry => &entries,
            Format::Config => &configs,
        };
        if validator.is_valid(&json) {
            failures.push(format!("{}: accepted by the schema", ex.name));
        }
        match (tix_parse(&ex), ex.tix_accepts) {
            (Ok(()), false) => failures.push(format!(
                "{}: accepted by tix (if that is intended, add a `{TIX_ACCEPTS} <why>` line)",
                ex.name
            )),
            (Err(e), true) => failures.push(format!(
                "{}: rejected by tix ({e}); drop its `{TIX_ACCEPTS}` line",
                ex.name
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
