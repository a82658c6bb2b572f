//! `tix agent edit|remove` and `tix group create|add|remove|list`: every
//! change a record of its own, so two clones merge without a conflict and
//! `.tix/config.yaml` is never rewritten.

use serde_json::Value;

use crate::common::Sandbox;
use crate::records::{Clones, HAND_WRITTEN, clones, handles};

/// The hand-written config with a second declared agent, zoe, and two
/// groups; committed in A and synced to B.
fn with_groups() -> (Clones, String) {
    let c = clones();
    let config = HAND_WRITTEN
        .replace(
            "    roles: [admin]\n",
            "    roles: [admin]\n  - handle: zoe\n    email: zoe@example.com\n",
        )
        .replace(
            "mail:\n",
            "groups:\n  - name: first\n    agents: [alice, zoe]\n  - name: second\n    agents: [alice]\n\nmail:\n",
        );
    std::fs::write(c.a.join(".tix/config.yaml"), &config).unwrap();
    c.sb.git_in(&c.a, ["commit", "-q", "-am", "groups by hand"]);
    c.sync();
    (c, config)
}

fn groups(c: &Clones, dir: &std::path::Path) -> Vec<(String, Vec<String>)> {
    c.json(dir, &["group", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let members = g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["handle"].as_str().unwrap().to_string())
                .collect();
            (g["name"].as_str().unwrap().to_string(), members)
        })
        .collect()
}

fn owned(groups: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    groups
        .iter()
        .map(|(n, m)| (n.to_string(), m.iter().map(|s| s.to_string()).collect()))
        .collect()
}

fn record_files(dir: &std::path::Path, folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(folder))
        .map(|d| {
            d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn editing_a_config_agent_replaces_them_in_place_and_leaves_the_file_alone() {
    let (c, config) = with_groups();
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    let out = c.tix(
        &c.a,
        &[
            "agent",
            "edit",
            "zoe",
            "--name",
            "Zoe Z",
            "--email",
            "Zoe <zoe@new.example>",
        ],
    );
    assert_eq!(out, "Changed agent zoe.\n");
    let agents = c.json(&c.a, &["agent", "list"]);
    assert_eq!(
        handles(&agents),
        ["alice", "zoe", "bob"],
        "zoe stays second"
    );
    assert_eq!(agents[1]["name"], "Zoe Z");
    assert_eq!(agents[1]["email"], "zoe@new.example");
    assert_eq!(c.config_in(&c.a), config);
    // Roles: given ones replace, --no-roles takes them all.
    c.tix(&c.a, &["agent", "edit", "bob", "--role", "admin"]);
    assert_eq!(
        c.json(&c.a, &["agent", "list"])[2]["roles"],
        serde_json::json!(["admin"])
    );
    c.tix(&c.a, &["agent", "edit", "bob", "--no-roles"]);
    assert_eq!(
        c.json(&c.a, &["agent", "list"])[2]["roles"],
        serde_json::json!([])
    );
    // The edit travels to B as a record.
    c.sync();
    assert_eq!(
        c.json(&c.b, &["agent", "list"]),
        c.json(&c.a, &["agent", "list"])
    );
    c.tix(&c.b, &["check"]);
}

#[test]
fn agent_edit_refuses_what_add_refuses_and_non_admins() {
    let (c, _) = with_groups();
    let sb = &c.sb;
    let before = sb.git_in(&c.a, ["rev-parse", "HEAD"]);
    sb.tix(["agent", "edit", "zoe", "--email", "ALICE@example.com"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["ALICE@example.com already belongs to agent `alice`"]);
    sb.tix(["agent", "edit", "zoe", "--name", "Zoe\nBcc: x@evil.example"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["--name", "control character"]);
    sb.tix(["agent", "edit", "zoe", "--email", "not an address"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["--email"]);
    sb.tix(["agent", "edit", "zoe"])
        .in_dir(&c.a)
        .fails(2)
        .stderr_has(&["--name, --email, --role or --no-roles"]);
    sb.tix(["agent", "edit", "nobody", "--name", "N"])
        .in_dir(&c.a)
        .fails(3);
    sb.tix(["agent", "edit", "alice", "--no-roles"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["only active admin"]);
    sb.tix(["agent", "edit", "zoe", "--name", "Z", "--as", "zoe"])
        .in_dir(&c.a)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .fails(9)
        .stderr_has(&["only an admin can edit agents; zoe is not one"]);
    assert_eq!(
        sb.git_in(&c.a, ["rev-parse", "HEAD"]),
        before,
        "nothing committed"
    );
}

#[test]
fn an_agent_without_history_is_removed_by_a_record_one_with_history_is_not() {
    let (c, config) = with_groups();
    let sb = &c.sb;
    c.tix(
        &c.a,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    c.tix(
        &c.a,
        &["agent", "add", "dave", "--email", "dave@example.com"],
    );
    c.tix(
        &c.a,
        &["agent", "add", "erin", "--email", "erin@example.com"],
    );
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Hi",
            "-m",
            "Hello",
        ])
        .in_dir(&c.a),
    );
    // dave wrote a note (a commit made as him); erin was assigned once.
    c.tix(&c.a, &["comment", &id, "-m", "on it", "--as", "dave"]);
    c.tix(&c.a, &["assign", &id, "erin"]);
    c.tix(&c.a, &["assign", &id, "alice"]);

    assert_eq!(
        c.tix(&c.a, &["agent", "remove", "carol"]),
        "Removed agent carol.\n"
    );
    assert_eq!(
        handles(&c.json(&c.a, &["agent", "list"])),
        ["alice", "zoe", "dave", "erin"]
    );
    let records = record_files(&c.a, ".tix/agents");
    assert_eq!(
        records
            .iter()
            .filter(|r| r.contains("removed: true"))
            .count(),
        1
    );
    assert_eq!(c.config_in(&c.a), config);

    for (who, found) in [
        ("dave", "1 commit(s) made as dave@example.com"),
        ("erin", "1 ticket(s) naming them"),
    ] {
        let run = sb.tix(["agent", "remove", who]).in_dir(&c.a).fails(6);
        assert!(
            run.stderr
                .contains(&format!("agent `{who}` has history ({found}")),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("tix agent deactivate {who}")),
            "{}",
            run.stderr
        );
    }
    // A config agent cannot be removed by a record, nor oneself; nor by
    // a non-admin.
    sb.tix(["agent", "remove", "zoe"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["declared in .tix/config.yaml"]);
    sb.tix(["agent", "remove", "alice"]).in_dir(&c.a).fails(6);
    sb.tix(["agent", "remove", "dave", "--as", "zoe"])
        .in_dir(&c.a)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .fails(9);
    // Added again later, carol is back (the latest record wins).
    c.tix(
        &c.a,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    assert!(handles(&c.json(&c.a, &["agent", "list"])).contains(&"carol"));
    c.tix(&c.a, &["check"]);
}

#[test]
fn a_removal_merged_with_a_group_membership_leaves_a_usable_store_and_a_warning() {
    let (c, _) = with_groups();
    c.tix(
        &c.a,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    c.sync();
    c.sb.tix(["agent", "remove", "carol"])
        .in_dir(&c.a)
        .now("2030-03-01T10:00:00Z")
        .ok();
    c.sb.tix(["group", "add", "second", "carol"])
        .in_dir(&c.b)
        .now("2030-03-01T11:00:00Z")
        .ok();
    c.sync();
    for dir in [&c.a, &c.b] {
        assert!(!handles(&c.json(dir, &["agent", "list"])).contains(&"carol"));
        assert_eq!(groups(&c, dir)[1], owned(&[("second", &["alice"])])[0]);
        let report = c.json(dir, &["check"]);
        let warnings = report["warnings"].to_string();
        assert!(
            warnings.contains(".tix/groups/")
                && warnings.contains("`carol` is not one of the agents"),
            "{report:#}"
        );
    }
}

#[test]
fn two_clones_adding_different_members_to_one_group_merge_and_both_see_both() {
    let (c, config) = with_groups();
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    c.tix(
        &c.a,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    c.sync();
    c.sb.tix(["group", "add", "second", "bob"])
        .in_dir(&c.a)
        .now("2026-03-01T10:00:00Z")
        .ok();
    c.sb.tix(["group", "add", "second", "carol", "zoe@example.com"])
        .in_dir(&c.b)
        .now("2026-03-01T11:00:00Z")
        .ok();
    // B also takes a config member out of the first group.
    c.sb.tix(["group", "remove", "first", "zoe"])
        .in_dir(&c.b)
        .now("2026-03-01T11:30:00Z")
        .ok();
    c.sync();
    let expected = owned(&[
        ("first", &["alice"]),
        ("second", &["alice", "bob", "carol", "zoe"]),
    ]);
    for dir in [&c.a, &c.b] {
        assert_eq!(groups(&c, dir), expected, "in {}", dir.display());
        assert_eq!(c.config_in(dir), config);
        c.tix(dir, &["check"]);
    }
    assert_eq!(record_files(&c.a, ".tix/groups").len(), 4);
}

#[test]
fn assignment_follows_record_made_membership_and_skips_deactivated_members() {
    let (c, _) = with_groups();
    let sb = &c.sb;
    let config = c.config_in(&c.a).replace(
        "groups:\n",
        "assignment:\n  rule: round-robin\n  group: night\ngroups:\n",
    );
    // The group the config names is made by a record, committed first.
    c.tix(&c.a, &["agent", "add", "bob", "--email", "bob@example.com"]);
    c.tix(
        &c.a,
        &["agent", "add", "carol", "--email", "carol@example.com"],
    );
    assert_eq!(
        c.tix(&c.a, &["group", "create", "night"]),
        "Created group night.\n"
    );
    assert_eq!(
        c.tix(&c.a, &["group", "add", "night", "bob", "carol"]),
        "Put bob, carol into group night.\n"
    );
    std::fs::write(c.a.join(".tix/config.yaml"), config).unwrap();
    sb.git_in(&c.a, ["commit", "-q", "-am", "assign in night"]);
    let create = |s: &str| {
        sb.create_with(
            sb.tix([
                "create",
                "--customer",
                "ann@example.com",
                "--subject",
                s,
                "-m",
                "x",
            ])
            .in_dir(&c.a),
        )
    };
    let assignee = |id: &str| sb.show_in(&c.a, id)["ticket"]["assignee"].clone();
    let mut given: Vec<Value> = (0..4)
        .map(|i| assignee(&create(&format!("T{i}"))))
        .collect();
    given.sort_by_key(|v| v.to_string());
    assert_eq!(given, ["bob", "bob", "carol", "carol"]);
    // carol leaves the group: only bob is chosen; bob deactivated: nobody.
    c.tix(&c.a, &["group", "remove", "night", "carol"]);
    assert_eq!(assignee(&create("T4")), "bob");
    c.tix(&c.a, &["agent", "deactivate", "bob"]);
    assert_eq!(assignee(&create("T5")), Value::Null);
    let listed = c.tix(&c.a, &["group", "list", "--format", "tsv"]);
    assert!(
        listed.contains("night\tbob (deactivated)\t0\tyes\n"),
        "{listed}"
    );
    c.tix(&c.a, &["check"]);
}

#[test]
fn group_list_counts_open_tickets_escalated_to_each_group() {
    let (c, _) = with_groups();
    let sb = &c.sb;
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Up",
            "-m",
            "x",
        ])
        .in_dir(&c.a),
    );
    c.tix(
        &c.a,
        &["escalate", &id, "--to", "second", "-m", "needs level two"],
    );
    let list = c.json(&c.a, &["group", "list"]);
    assert_eq!(list[0]["name"], "first");
    assert_eq!(list[0]["assignment"], true);
    assert_eq!(list[0]["open_tickets"], 0);
    assert_eq!(list[1]["open_tickets"], 1);
    c.tix(&c.a, &["close", &id]);
    assert_eq!(c.json(&c.a, &["group", "list"])[1]["open_tickets"], 0);
}

#[test]
fn group_commands_refuse_bad_names_unknown_agents_and_non_admins() {
    let (c, _) = with_groups();
    let sb = &c.sb;
    let before = sb.git_in(&c.a, ["rev-parse", "HEAD"]);
    sb.tix(["group", "create", "first"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["group `first` exists already"]);
    sb.tix(["group", "create", "../etc"])
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["expected letters, digits"]);
    sb.tix(["group", "add", "third", "alice"])
        .in_dir(&c.a)
        .fails(3)
        .stderr_has(&["no group `third` (groups: first, second)"]);
    sb.tix(["group", "add", "second", "nobody"])
        .in_dir(&c.a)
        .fails(3)
        .stderr_has(&["no agent `nobody`"]);
    sb.tix(["group", "add", "second", "zoe", "--as", "zoe"])
        .in_dir(&c.a)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .fails(9);
    sb.tix(["group", "add", "second"]).in_dir(&c.a).fails(2);
    let many: Vec<&str> = ["group", "add", "second"]
        .into_iter()
        .chain(std::iter::repeat_n("zoe", 501))
        .collect();
    sb.tix(many)
        .in_dir(&c.a)
        .fails(6)
        .stderr_has(&["501 agents named; one change names at most 500"]);
    let run = sb
        .tix(["group", "add", "second", "alice"])
        .in_dir(&c.a)
        .run();
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "Nothing changed.\n");
    assert!(
        run.stderr.contains("alice is in group second already"),
        "{}",
        run.stderr
    );
    assert_eq!(
        sb.git_in(&c.a, ["rev-parse", "HEAD"]),
        before,
        "nothing committed"
    );
}

#[test]
fn a_bad_group_record_is_named_by_check_and_ignored() {
    let (c, _) = with_groups();
    let dir = c.a.join(".tix/groups");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "format: 1\ngroup: [unclosed\n").unwrap();
    std::fs::write(
        dir.join("b.yaml"),
        "format: 1\ngroup: first\nremoved: true\nat: 2026-03-01T10:00:00Z\nby: alice\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("c.yaml"),
        "format: 2\ngroup: first\nagent: alice\nremoved: true\nat: 2026-03-01T10:00:00Z\nby: alice\n",
    )
    .unwrap();
    std::fs::write(dir.join("d.yaml"), [0xffu8, 0xfe, 0x00]).unwrap();
    c.sb.git_in(&c.a, ["add", "."]);
    c.sb.git_in(&c.a, ["commit", "-q", "-m", "bad records"]);
    assert_eq!(
        groups(&c, &c.a),
        owned(&[("first", &["alice", "zoe"]), ("second", &["alice"])])
    );
    let report = c.json(&c.a, &["check"]);
    let warnings = report["warnings"].to_string();
    for needle in [
        ".tix/groups/a.yaml:",
        ".tix/groups/b.yaml: a removal names no agent",
        ".tix/groups/c.yaml: format 2 is not understood",
        ".tix/groups/d.yaml: not UTF-8 text",
    ] {
        assert!(warnings.contains(needle), "{needle}: {report:#}");
    }
}

#[test]
fn a_config_naming_a_group_only_records_make_works_once_committed() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.change(["group", "create", "night"]);
    sb.change(["group", "add", "night", "bob"]);
    sb.set_config("assignment", "{rule: round-robin, group: night}");
    let id = sb.create("Night shift");
    assert_eq!(sb.ticket(&id)["assignee"], "bob");
}
