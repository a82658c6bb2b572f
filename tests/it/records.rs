//! Agents and blacklist entries that commands add are records of their
//! own, so two clones adding different ones merge without a conflict, the
//! same one changed on both folds the same everywhere, and the
//! hand-written `.tix/config.yaml` is never rewritten.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::Sandbox;

/// A config as a person writes it: comments, their own order, defaults
/// left out.
pub(crate) const HAND_WRITTEN: &str = "\
# Our desk. Keep this file short; see docs/format.md.
format: 1
name: Support   # shown in mail

# People
agents:
  - handle: alice          # the admin
    email: alice@example.com
    roles: [admin]

mail:
  # senders we never want
  blacklist:
    - sender: example.net
";

pub(crate) struct Clones {
    pub(crate) sb: Sandbox,
    pub(crate) a: PathBuf,
    pub(crate) b: PathBuf,
}

/// A store with the hand-written config, pushed to a bare remote from A
/// and cloned to B.
pub(crate) fn clones() -> Clones {
    let sb = Sandbox::new();
    let root = sb.root();
    sb.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "a"]);
    let a = root.join("a");
    std::fs::create_dir_all(a.join(".tix")).unwrap();
    std::fs::write(a.join(".tix/config.yaml"), HAND_WRITTEN).unwrap();
    sb.git_in(&a, ["add", "."]);
    sb.git_in(&a, ["commit", "-q", "-m", "config by hand"]);
    sb.git_in(&a, ["push", "-q", "-u", "origin", "HEAD"]);
    sb.git_in(&root, ["clone", "-q", "origin.git", "b"]);
    let b = root.join("b");
    Clones { sb, a, b }
}

impl Clones {
    pub(crate) fn tix(&self, dir: &Path, args: &[&str]) -> String {
        self.sb.tix(args).in_dir(dir).ok()
    }

    /// A pushes; B pulls (a merge) and pushes; A pulls (a fast-forward).
    pub(crate) fn sync(&self) {
        let sb = &self.sb;
        sb.git_in(&self.a, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(&self.b, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
        sb.git_in(&self.b, ["push", "-q", "origin", "HEAD"]);
        sb.git_run_in(&self.a, ["pull", "-q", "--no-rebase", "--no-edit"])
            .code(0);
        for dir in [&self.a, &self.b] {
            assert_eq!(
                sb.git_in(dir, ["diff", "--name-only", "--diff-filter=U"]),
                ""
            );
            sb.assert_clean_in(dir);
        }
    }

    pub(crate) fn json(&self, dir: &Path, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        serde_json::from_str(&self.tix(dir, &args)).unwrap()
    }

    pub(crate) fn config_in(&self, dir: &Path) -> String {
        std::fs::read_to_string(dir.join(".tix/config.yaml")).unwrap()
    }
}

pub(crate) fn handles(agents: &Value) -> Vec<&str> {
    agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["handle"].as_str().unwrap())
        .collect()
}

#[test]
fn agent_and_blacklist_changes_leave_the_hand_written_config_byte_for_byte() {
    let c = clones();
    let sb = &c.sb;
    let before = sb.commit_count_in(&c.a);
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    let touched = sb.git_in(&c.a, ["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        touched.starts_with(".tix/agents/") && touched.trim().ends_with("-bob.yaml"),
        "agent add committed {touched:?}"
    );
    assert_eq!(touched.lines().count(), 1, "{touched}");
    c.tix(&c.a, &["blacklist", "add", "spam@example.com"]);
    c.tix(&c.a, &["blacklist", "remove", "example.net"]);
    assert_eq!(sb.commit_count_in(&c.a), before + 3, "one commit each");
    sb.assert_clean_in(&c.a);

    assert_eq!(c.config_in(&c.a), HAND_WRITTEN);
    assert_eq!(
        sb.git_in(&c.a, ["show", "HEAD:.tix/config.yaml"]),
        HAND_WRITTEN
    );
    assert_eq!(handles(&c.json(&c.a, &["agent", "list"])), ["alice", "bob"]);
    assert_eq!(
        c.json(&c.a, &["blacklist", "list"]),
        serde_json::json!([{"sender": "spam@example.com"}])
    );
    // The hand-written entry comes back, in its place, when added again.
    c.tix(&c.a, &["blacklist", "add", "example.net"]);
    assert_eq!(
        c.json(&c.a, &["blacklist", "list"]),
        serde_json::json!([{"sender": "example.net"}, {"sender": "spam@example.com"}])
    );
    assert_eq!(c.config_in(&c.a), HAND_WRITTEN);
}

#[test]
fn two_clones_adding_different_agents_and_senders_merge_cleanly_and_see_all() {
    let c = clones();
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    c.tix(&c.a, &["blacklist", "add", "spam@example.com"]);
    c.tix(
        &c.b,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    c.tix(
        &c.b,
        &["blacklist", "add", "junk.example", "--subject", "prize"],
    );
    c.tix(&c.b, &["blacklist", "remove", "example.net"]);
    c.sync();

    for dir in [&c.a, &c.b] {
        let mut agents = handles(&c.json(dir, &["agent", "list"]))
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        agents.sort();
        assert_eq!(agents, ["alice", "bob", "carol"], "in {}", dir.display());
        let mut senders: Vec<String> = c
            .json(dir, &["blacklist", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["sender"].as_str().unwrap().to_string())
            .collect();
        senders.sort();
        assert_eq!(senders, ["junk.example", "spam@example.com"]);
        assert_eq!(c.config_in(dir), HAND_WRITTEN);
        c.tix(dir, &["check"]);
    }
    assert_eq!(
        c.json(&c.a, &["agent", "list"]),
        c.json(&c.b, &["agent", "list"])
    );
    assert_eq!(
        c.json(&c.a, &["blacklist", "list"]),
        c.json(&c.b, &["blacklist", "list"])
    );
    // The merged agents act: carol (from B) works in A.
    let id = c.sb.create_with(
        c.sb.tix([
            "create",
            "--customer",
            "Ann <ann@example.com>",
            "--subject",
            "Hello",
            "-m",
            "Hi",
        ])
        .in_dir(&c.a),
    );
    c.tix(&c.a, &["assign", &id, "carol"]);
}

#[test]
fn the_same_agent_added_on_both_clones_folds_the_same_on_both() {
    let c = clones();
    c.sb.tix(["agent", "add", "dave", "--email", "dave@a.example"])
        .in_dir(&c.b)
        .now("2026-03-01T10:00:00Z")
        .ok();
    c.sb.tix([
        "agent",
        "add",
        "dave",
        "--email",
        "dave@b.example",
        "--name",
        "Dave B",
    ])
    .in_dir(&c.a)
    .now("2026-03-01T11:00:00Z")
    .ok();
    c.sync();
    let in_a = c.json(&c.a, &["agent", "list"]);
    assert_eq!(in_a, c.json(&c.b, &["agent", "list"]));
    assert_eq!(handles(&in_a), ["alice", "dave"]);
    assert_eq!(in_a[1]["email"], "dave@b.example", "the later one wins");
    assert_eq!(in_a[1]["name"], "Dave B");
}

#[test]
fn a_merged_record_that_clashes_is_left_out_and_named_by_check_not_fatal() {
    let c = clones();
    c.sb.tix(["agent", "add", "erin", "--email", "shared@example.com"])
        .in_dir(&c.a)
        .now("2026-03-01T10:00:00Z")
        .ok();
    c.sb.tix(["agent", "add", "frank", "--email", "shared@example.com"])
        .in_dir(&c.b)
        .now("2026-03-01T11:00:00Z")
        .ok();
    c.sync();
    for dir in [&c.a, &c.b] {
        assert_eq!(
            handles(&c.json(dir, &["agent", "list"])),
            ["alice", "erin"],
            "the first to claim the address keeps it"
        );
        let report = c.json(dir, &["check"]);
        let warnings = report["warnings"].to_string();
        assert!(
            warnings.contains(".tix/agents/") && warnings.contains("-frank.yaml"),
            "{report:#}"
        );
        assert!(
            warnings.contains("already belongs to agent `erin`"),
            "{report:#}"
        );
    }
}

#[test]
fn agents_declared_by_records_can_be_named_in_the_config_s_groups() {
    let c = clones();
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    let config = c.config_in(&c.a).replace(
        "mail:\n",
        "groups:\n  - name: first\n    agents: [bob]\n\nmail:\n",
    );
    std::fs::write(c.a.join(".tix/config.yaml"), config).unwrap();
    c.sb.git_in(&c.a, ["commit", "-q", "-am", "groups"]);
    c.tix(&c.a, &["agent", "list"]);
    c.tix(&c.a, &["check"]);
}

#[test]
fn an_uncommitted_config_or_template_is_in_force_and_check_and_writes_say_so() {
    let sb = Sandbox::init();
    let id = sb.create("Hello");
    let report: Value = serde_json::from_str(&sb.ok(["check", "--format", "json"])).unwrap();
    assert_eq!(report["warnings"], serde_json::json!([]), "{report:#}");

    // A canned answer written but not committed is used, as the config is.
    let templates = sb.dir.join(".tix/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("thanks.md"), "Thanks, {{customer.name}}!\n").unwrap();
    let path = sb.dir.join(".tix/config.yaml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{config}# a note, not committed yet\n")).unwrap();

    let report: Value = serde_json::from_str(&sb.ok(["check", "--format", "json"])).unwrap();
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{report:#}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.starts_with(
            "uncommitted changes in .tix/config.yaml, .tix/templates/thanks.md: this clone uses them"
        ),
        "{warning}"
    );
    sb.tix(["reply", &id, "--template", "thanks"])
        .run()
        .code(0)
        .stderr_has(&["uncommitted changes in .tix/config.yaml"]);
    let entries = sb.entries(&id);
    let reply = entries.iter().rev().find(|e| e["kind"] == "reply").unwrap();
    assert_eq!(
        reply["body"].as_str().unwrap().trim(),
        "Thanks, Ann Customer!"
    );

    // Committed, nothing is said.
    sb.git(["add", ".tix"]);
    sb.git(["commit", "-q", "-m", "config and template"]);
    let report: Value = serde_json::from_str(&sb.ok(["check", "--format", "json"])).unwrap();
    assert_eq!(report["warnings"], serde_json::json!([]), "{report:#}");
    let run = sb.tix(["comment", &id, "-m", "quiet"]).run();
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("uncommitted"), "{}", run.stderr);
}
