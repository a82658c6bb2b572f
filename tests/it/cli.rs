//! End-to-end tests of the `tix` command line: the real binary against real
//! git repositories in temporary directories.

use crate::common::{Sandbox, files_under, ids_of, kinds, sorted};
use serde_json::{Value, json};

const ALICE: &str = "Alice Admin\talice@example.com";
const BOB: &str = "bob\tbob@example.com";

/// The repository-relative path of a ticket's entry file.
fn entry_path(id: &str, file: &str) -> String {
    format!("tickets/{}/{id}/{file}", &id[..2])
}

/// The file name of the last entry of `kind`.
fn last_file(entries: &[Value], kind: &str) -> String {
    entries
        .iter()
        .rev()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} entry in {entries:#?}"))["entry_file"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Owned copies of ticket ids, to compare with what `list` printed.
fn idv(ids: &[&String]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn tags(ticket: &Value) -> Vec<String> {
    ticket["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- init

#[test]
fn init_in_an_empty_dir_creates_a_repo_config_and_one_commit() {
    let sb = Sandbox::new();
    assert!(!sb.dir.join(".git").exists());
    let out = sb.ok(["init"]);
    assert!(out.contains("alice"), "{out}");

    assert!(sb.dir.join(".git").is_dir(), "no git repository created");
    assert_eq!(sb.git(["symbolic-ref", "--short", "HEAD"]).trim(), "main");
    assert_eq!(sb.commit_count(), 1);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: init"));
    assert_eq!(
        sb.git(["ls-tree", "-r", "--name-only", "HEAD"]),
        ".tix/config.yaml\n"
    );
    sb.assert_clean();

    let text = std::fs::read_to_string(sb.dir.join(".tix/config.yaml")).unwrap();
    let config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(config["format"].as_u64(), Some(1));
    let agents = config["agents"].as_sequence().unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0]["handle"].as_str(), Some("alice"));
    assert_eq!(agents[0]["email"].as_str(), Some("alice@example.com"));
    assert_eq!(agents[0]["name"].as_str(), Some("Alice Admin"));
    let roles: Vec<&str> = agents[0]["roles"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(roles, ["admin"]);

    // What is committed is what is on disk.
    assert_eq!(sb.git(["show", "HEAD:.tix/config.yaml"]), text);

    let agents: Value =
        serde_json::from_str(&sb.ok(["agent", "list", "--format", "json"])).unwrap();
    assert_eq!(agents[0]["handle"], "alice");
    assert_eq!(agents[0]["roles"], json!(["admin"]));
    sb.ok(["check"]);
}

#[test]
fn init_takes_a_team_name_and_a_handle() {
    let sb = Sandbox::new();
    sb.ok(["init", "--name", "Help Desk", "--handle", "boss"]);
    let config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(sb.dir.join(".tix/config.yaml")).unwrap())
            .unwrap();
    assert_eq!(config["name"].as_str(), Some("Help Desk"));
    assert_eq!(config["agents"][0]["handle"].as_str(), Some("boss"));
    // The handle acts: the created ticket names it.
    let id = sb.create("Hello");
    assert_eq!(sb.ticket(&id)["created_by"], "boss");
    sb.tix(["init", "--handle", "not a handle"])
        .in_dir(sb.mkdir("other"))
        .fails(6);
}

#[test]
fn init_without_a_git_identity_is_denied() {
    let sb = Sandbox::new();
    std::fs::write(sb.home.join(".gitconfig"), "").unwrap();
    sb.tix(["init"])
        .fails(9)
        .stderr_has(&["user.email", "hint:"]);
    assert!(!sb.dir.join(".tix").exists());
}

#[test]
fn init_twice_is_invalid_input_and_commits_nothing() {
    let sb = Sandbox::init();
    let before = std::fs::read_to_string(sb.dir.join(".tix/config.yaml")).unwrap();
    sb.tix(["init"])
        .fails(6)
        .stderr_has(&["already a tix store"]);
    assert_eq!(sb.commit_count(), 1);
    assert_eq!(
        std::fs::read_to_string(sb.dir.join(".tix/config.yaml")).unwrap(),
        before
    );
    sb.assert_clean();
}

#[test]
fn init_in_a_subfolder_of_an_existing_repo_commits_only_its_own_files() {
    let sb = Sandbox::new();
    let repo = sb.dir.clone();
    sb.git(["init", "-q"]);
    std::fs::write(repo.join("README"), "my project\n").unwrap();
    sb.git(["add", "README"]);
    sb.git(["commit", "-q", "-m", "project start"]);
    // The user has work of their own staged.
    std::fs::write(repo.join("other.txt"), "staged by the user\n").unwrap();
    sb.git(["add", "other.txt"]);

    let help = repo.join("helpdesk");
    std::fs::create_dir(&help).unwrap();
    sb.tix(["init"]).in_dir(&help).ok();
    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "In a subfolder",
            "-m",
            "hi",
        ])
        .in_dir(&help),
    );
    sb.tix(["comment", &id, "-m", "deeper"])
        .in_dir(help.join("tickets"))
        .ok();

    let tree = sb.git(["ls-tree", "-r", "--name-only", "HEAD"]);
    let files: Vec<&str> = tree.lines().collect();
    assert!(files.contains(&"README"), "{tree}");
    assert!(files.contains(&"helpdesk/.tix/config.yaml"), "{tree}");
    assert!(!files.contains(&".tix/config.yaml"), "{tree}");
    assert!(
        !files.contains(&"other.txt"),
        "the user's staged file was committed:\n{tree}"
    );
    let prefix = format!("helpdesk/tickets/{}/{id}/", &id[..2]);
    let entries: Vec<&&str> = files.iter().filter(|f| f.starts_with(&prefix)).collect();
    assert_eq!(entries.len(), 2, "{tree}");
    assert!(
        files
            .iter()
            .all(|f| *f == "README" || f.starts_with("helpdesk/")),
        "{tree}"
    );

    // Three tix commits on top of the user's, none touching other.txt.
    let log = sb.git(["log", "--format=%s"]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            format!("tix: comment {id}").as_str(),
            &format!("tix: create {id}"),
            "tix: init",
            "project start"
        ]
    );
    let touched = sb.git(["log", "--format=", "--name-only", "-3"]);
    assert!(!touched.contains("other.txt"), "{touched}");

    // other.txt is still staged, and nothing else is pending.
    assert_eq!(sb.git(["diff", "--cached", "--name-only"]), "other.txt\n");
    assert_eq!(
        sb.git(["status", "--porcelain", "--untracked-files=all"]),
        "A  other.txt\n"
    );

    // The store works from inside it; the repository root is not a store.
    assert!(
        sb.tix(["show", &id, "--format", "json"])
            .in_dir(&help)
            .ok()
            .contains("deeper")
    );
    sb.tix(["check"]).in_dir(&help).ok();
    let log = sb.tix(["log", &id]).in_dir(&help).ok();
    assert_eq!(log.lines().count(), 2, "{log}");
    sb.tix(["list"]).fails(7);
    let listed = sb.ok(["-C", "helpdesk", "list", "--format", "ids"]);
    assert_eq!(listed, format!("{id}\n"));
}

// -------------------------------------------------------------- create

#[test]
fn create_with_every_flag() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_fields(
        "- {name: product, type: choice, choices: [printer, scanner]}\n- {name: units, type: number}\n",
    );
    let attachment: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let att_path = sb.root().join("screen shot.png");
    std::fs::write(&att_path, &attachment).unwrap();

    let before = sb.commit_count();
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "Ann Lee <ann@example.com>",
        "--subject",
        "Printer on fire",
        "-m",
        "It is on fire.",
        "--priority",
        "high",
        "--tag",
        "hardware",
        "--tag",
        "fire",
        "--tag",
        "hardware",
        "--cc",
        "Carl Cee <carl@example.com>",
        "--cc",
        "dee@example.com",
        "--field",
        "product=printer",
        "--field",
        "units=3",
        "--assign",
        "bob",
        "--attach",
        att_path.to_str().unwrap(),
    ]));
    assert_eq!(sb.commit_count(), before + 1, "create is one commit");
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: create {id}"));
    sb.assert_clean();

    let show = sb.show(&id);
    let t = &show["ticket"];
    assert_eq!(t["id"], id.as_str());
    assert_eq!(t["subject"], "Printer on fire");
    assert_eq!(
        t["customer"],
        json!({"name": "Ann Lee", "email": "ann@example.com"})
    );
    assert_eq!(
        t["cc"],
        json!([{"name": "Carl Cee", "email": "carl@example.com"}, {"email": "dee@example.com"}])
    );
    assert_eq!(t["priority"], "high");
    assert_eq!(t["status"], "new");
    assert_eq!(tags(t), ["fire", "hardware"]);
    assert_eq!(t["fields"], json!({"product": "printer", "units": 3.0}));
    assert_eq!(t["assignee"], "bob");
    assert_eq!(t["created_by"], "alice");

    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "attachment", "assign"]);
    assert_eq!(entries[0]["body"], "It is on fire.");
    let att = &entries[1];
    assert_eq!(att["name"], "screen shot.png");
    assert_eq!(att["size"], 5000);
    assert_eq!(att["entry"], entries[0]["entry_file"]);
    // The attachment is stored under files/<entry stem>/ with its name,
    // committed, and named in the text trail.
    let stem = entries[0]["entry_file"]
        .as_str()
        .unwrap()
        .trim_end_matches(".md");
    let rel = format!("files/{stem}/screen shot.png");
    let on_disk = sb.ticket_dir(&id).join(&rel);
    assert_eq!(std::fs::read(&on_disk).unwrap(), attachment);
    let in_git = sb
        .std_command("git")
        .args(["show", &format!("HEAD:{}", entry_path(&id, &rel))])
        .output()
        .unwrap();
    assert_eq!(in_git.stdout, attachment, "the attachment is committed");
    let text = sb.ok(["show", &id]);
    assert!(
        text.contains(&format!("attached screen shot.png (5000 bytes) as {rel}")),
        "{text}"
    );
    // Every file tix wrote is in the ticket's directory.
    let files = files_under(&sb.dir.join("tickets"));
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| f.starts_with(sb.ticket_dir(&id))));
}

#[test]
fn show_json_gives_the_path_of_an_attachment() {
    let sb = Sandbox::init();
    let path = sb.root().join("report.pdf");
    std::fs::write(&path, b"%PDF-1.4 fake").unwrap();
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "With attachment",
        "--attach",
        path.to_str().unwrap(),
    ]));
    let entries = sb.entries(&id);
    let att = entries.iter().find(|e| e["kind"] == "attachment").unwrap();
    let stem = entries[0]["entry_file"]
        .as_str()
        .unwrap()
        .trim_end_matches(".md");
    // docs/format.md: `file` is the attachment's path in the ticket directory.
    let expected = format!("files/{stem}/report.pdf");
    assert!(
        sb.ticket_dir(&id).join(&expected).is_file(),
        "attachment not at {expected}"
    );
    assert_eq!(att["file"], expected.as_str(), "{att:#}");
}

#[test]
fn create_prints_text_or_json_when_asked_and_assigns_me() {
    let sb = Sandbox::init();
    let out = sb.ok([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Text please",
        "--format",
        "text",
    ]);
    assert!(out.starts_with("Created ticket "), "{out}");
    assert!(out.trim_end().ends_with(": Text please"), "{out}");

    let out = sb.ok([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Json please",
        "--format",
        "json",
        "--assign",
        "me",
    ]);
    let t: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["subject"], "Json please");
    assert_eq!(t["assignee"], "alice");
    let id = t["id"].as_str().unwrap();
    assert_eq!(sb.ticket(id), t);
    // Without a body the request is empty.
    assert_eq!(sb.entries(id)[0]["body"], "");
}

#[test]
fn create_reads_the_body_from_a_file_from_stdin_and_from_several_m() {
    let sb = Sandbox::init();
    let path = sb.root().join("body.txt");
    std::fs::write(&path, "From a file.\nSecond line.\n").unwrap();
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "File",
        "-F",
        path.to_str().unwrap(),
    ]));
    assert_eq!(sb.entries(&id)[0]["body"], "From a file.\nSecond line.\n");

    let id = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Stdin",
            "-F",
            "-",
        ])
        .stdin("piped in\n\twith a tab\n"),
    );
    assert_eq!(sb.entries(&id)[0]["body"], "piped in\n\twith a tab\n");

    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Paragraphs",
        "-m",
        "one",
        "-m",
        "two",
    ]));
    assert_eq!(sb.entries(&id)[0]["body"], "one\n\ntwo");
    sb.assert_clean();
}

// ------------------------------------------------------- reply, comment, show

#[test]
fn reply_opens_a_new_ticket_and_can_set_the_status() {
    let sb = Sandbox::init();
    let id = sb.create("Broken mouse");
    assert_eq!(sb.ticket(&id)["status"], "new");

    let out = sb.change(["reply", &id, "-m", "Have you tried batteries?"]);
    assert!(out.contains(&id), "{out}");
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: reply {id}"));
    let show = sb.show(&id);
    assert_eq!(show["ticket"]["status"], "open");
    assert_eq!(show["ticket"]["messages"], 1);
    assert!(show["ticket"]["first_response_at"].is_string());
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "reply", "status"]);
    assert_eq!(entries[1]["body"], "Have you tried batteries?");
    assert_eq!(entries[1]["author"], "alice");
    assert_eq!(entries[2]["to"], "open");
    assert_eq!(entries[2]["from"], "new");

    sb.change(["reply", &id, "-m", "Waiting for you", "--status", "pending"]);
    let t = sb.ticket(&id);
    assert_eq!(t["status"], "pending");
    assert_eq!(t["messages"], 2);

    // A reply to a ticket that is not new leaves the status alone.
    sb.change(["reply", &id, "-m", "Still waiting"]);
    assert_eq!(sb.ticket(&id)["status"], "pending");
    assert_eq!(
        kinds(&sb.entries(&id)),
        ["created", "reply", "status", "reply", "status", "reply"]
    );
}

#[test]
fn comment_is_internal_and_show_public_hides_it() {
    let sb = Sandbox::init();
    let id = sb.create("Account locked");
    sb.change(["reply", &id, "-m", "We unlocked it."]);
    sb.change(["comment", &id, "-m", "Customer sounded angry."]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: comment {id}"));
    sb.change(["note", &id, "-m", "Second internal note"]);
    sb.change(["assign", &id, "me"]);
    let t = sb.ticket(&id);
    assert_eq!(t["notes"], 2);
    assert_eq!(t["messages"], 1);

    let text = sb.ok(["show", &id]);
    for needle in [
        id.as_str(),
        "Account locked",
        "status: open",
        "assignee: alice",
        "customer: Ann Customer <ann@example.com>",
        "Request: Account locked",
        "public reply",
        "We unlocked it.",
        "INTERNAL NOTE",
        "Customer sounded angry.",
        "assigned to alice",
    ] {
        assert!(text.contains(needle), "show lacks {needle:?}:\n{text}");
    }
    assert!(!text.contains("\x1b["), "colour when piped:\n{text}");

    let public = sb.ok(["show", &id, "--public"]);
    assert!(public.contains("We unlocked it."), "{public}");
    assert!(public.contains("Request: Account locked"), "{public}");
    assert!(!public.contains("Customer sounded angry."), "{public}");
    assert!(!public.contains("Second internal note"), "{public}");
    assert!(!public.contains("INTERNAL NOTE"), "{public}");
    assert!(!public.contains("assigned to"), "{public}");

    let all = sb.entries(&id);
    assert_eq!(
        kinds(&all),
        ["created", "reply", "status", "note", "note", "assign"]
    );
    let public: Value =
        serde_json::from_str(&sb.ok(["show", &id, "--public", "--format", "json"])).unwrap();
    assert_eq!(
        kinds(public["entries"].as_array().unwrap()),
        ["created", "reply", "status"]
    );
    // The state is the same; only the trail is filtered.
    assert_eq!(public["ticket"], sb.ticket(&id));
}

#[test]
fn show_public_hides_the_internal_resolution_note_of_close() {
    let sb = Sandbox::init();
    let id = sb.create("Refund");
    sb.change(["reply", &id, "-m", "Refund issued."]);
    sb.change(["close", &id, "-m", "INTERNAL: refunded without approval"]);
    let public = sb.ok(["show", &id, "--public"]);
    assert!(public.contains("Refund issued."), "{public}");
    assert!(
        !public.contains("refunded without approval"),
        "the internal resolution note is shown to the customer:\n{public}"
    );
    let json = sb.ok(["show", &id, "--public", "--format", "json"]);
    assert!(!json.contains("refunded without approval"), "{json}");
}

// ------------------------------------------------------ single attributes

#[test]
fn assign_to_an_agent_to_nobody_and_to_me() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = sb.create("Assign me");

    sb.change(["assign", &id, "bob"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: assign {id} to bob")
    );
    assert_eq!(sb.ticket(&id)["assignee"], "bob");

    sb.change(["assign", &id, "--none"]);
    assert_eq!(sb.ticket(&id)["assignee"], Value::Null);

    sb.change(["assign", &id, "me"]);
    assert_eq!(sb.ticket(&id)["assignee"], "alice");

    sb.change(["assign", &id, "me", "--as", "bob"]);
    assert_eq!(sb.ticket(&id)["assignee"], "bob");
    assert_eq!(sb.last_commit(), format!("{BOB}\ttix: assign {id} to bob"));

    // By e-mail address.
    sb.change(["assign", &id, "alice@example.com"]);
    assert_eq!(sb.ticket(&id)["assignee"], "alice");

    // No change: no commit.
    let before = sb.commit_count();
    sb.tix(["assign", &id, "alice"])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    assert_eq!(sb.commit_count(), before);

    sb.tix(["assign", &id, "nobody"])
        .fails(3)
        .stderr_has(&["nobody"]);
    sb.tix(["assign", &id]).fails(2);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(
        kinds(&sb.entries(&id)),
        ["created", "assign", "assign", "assign", "assign", "assign"]
    );
}

#[test]
fn status_priority_and_subject() {
    let sb = Sandbox::init();
    let id = sb.create("Old subject");

    sb.change(["status", &id, "pending"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: status {id} to pending")
    );
    assert_eq!(sb.ticket(&id)["status"], "pending");
    sb.change(["status", &id, "on-hold"]);
    assert_eq!(sb.ticket(&id)["status"], "on-hold");
    let last = sb.entries(&id).last().unwrap().clone();
    assert_eq!(
        (&last["to"], &last["from"]),
        (&json!("on-hold"), &json!("pending"))
    );

    sb.change(["priority", &id, "urgent"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: priority {id} urgent")
    );
    assert_eq!(sb.ticket(&id)["priority"], "urgent");

    sb.change(["subject", &id, "New subject: better"]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: subject {id}"));
    assert_eq!(sb.ticket(&id)["subject"], "New subject: better");

    sb.change(["status", &id, "closed"]);
    let t = sb.ticket(&id);
    assert_eq!(t["status"], "closed");
    assert!(t["closed_at"].is_string());

    let before = sb.commit_count();
    sb.tix(["priority", &id, "urgent"])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    sb.tix(["subject", &id, "   "]).fails(6);
    sb.tix(["status", &id, "done"]).fails(2);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(
        kinds(&sb.entries(&id)),
        [
            "created", "status", "status", "priority", "subject", "close"
        ]
    );
}

#[test]
fn tag_and_untag() {
    let sb = Sandbox::init();
    let id = sb.create("Tags");
    sb.change(["tag", &id, "billing", "vip", "billing"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: tag {id} +billing +vip")
    );
    assert_eq!(tags(&sb.ticket(&id)), ["billing", "vip"]);
    let last = sb.entries(&id).last().unwrap().clone();
    assert_eq!(last["add"], json!(["billing", "vip"]));

    let before = sb.commit_count();
    sb.tix(["tag", &id, "vip"])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    sb.tix(["untag", &id, "never-there"]).ok();
    assert_eq!(sb.commit_count(), before);

    sb.change(["untag", &id, "vip"]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: untag {id} -vip"));
    assert_eq!(tags(&sb.ticket(&id)), ["billing"]);

    let before = sb.commit_count();
    sb.tix(["tag", &id, "two words"]).fails(6);
    sb.tix(["tag", &id, "a,b"]).fails(6);
    sb.tix(["tag", &id]).fails(2);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn cc_add_and_remove() {
    let sb = Sandbox::init();
    let id = sb.create("Cc");
    sb.change([
        "cc",
        &id,
        "--add",
        "Carl Cee <carl@example.com>",
        "--add",
        "dee@example.com",
    ]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: cc {id} +carl@example.com +dee@example.com")
    );
    assert_eq!(
        sb.ticket(&id)["cc"],
        json!([{"name": "Carl Cee", "email": "carl@example.com"}, {"email": "dee@example.com"}])
    );
    // Addresses compare without regard to case.
    sb.change([
        "cc",
        &id,
        "--remove",
        "CARL@example.com",
        "--add",
        "eve@example.com",
    ]);
    assert_eq!(
        sb.ticket(&id)["cc"],
        json!([{"email": "dee@example.com"}, {"email": "eve@example.com"}])
    );
    let before = sb.commit_count();
    sb.tix(["cc", &id, "--add", "DEE@example.com"])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    sb.tix(["cc", &id]).fails(6);
    sb.tix(["cc", &id, "--add", "not an address"]).fails(6);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn custom_fields_are_typed() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: units, type: number}\n- {name: due, type: date}\n- {name: product, type: choice, choices: [printer, scanner]}\n- {name: note, type: text}\n",
    );
    let id = sb.create("Fields");

    sb.change(["field", &id, "units", "42"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: field {id} units=42")
    );
    sb.change(["field", &id, "due", "2026-03-01"]);
    sb.change(["field", &id, "product", "scanner"]);
    sb.change(["field", &id, "note", "key: value # not a comment"]);
    assert_eq!(
        sb.ticket(&id)["fields"],
        json!({"units": 42.0, "due": "2026-03-01", "product": "scanner", "note": "key: value # not a comment"})
    );

    let before = sb.commit_count();
    sb.tix(["field", &id, "units", "forty"])
        .fails(6)
        .stderr_has(&["units", "not a number"]);
    sb.tix(["field", &id, "due", "2026-02-30"])
        .fails(6)
        .stderr_has(&["due", "not a date"]);
    sb.tix(["field", &id, "due", "tomorrow"]).fails(6);
    sb.tix(["field", &id, "product", "fax"])
        .fails(6)
        .stderr_has(&["printer, scanner"]);
    sb.tix(["field", &id, "colour", "red"])
        .fails(6)
        .stderr_has(&["unknown field `colour`"]);
    sb.tix(["field", &id, "colour", "--unset"]).fails(3);
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "x",
        "--field",
        "colour=red",
    ])
    .fails(6)
    .stderr_has(&["colour"]);
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "x",
        "--field",
        "units=many",
    ])
    .fails(6);
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "x",
        "--field",
        "units",
    ])
    .fails(6);
    assert_eq!(sb.commit_count(), before);

    sb.change(["field", &id, "units", "--unset"]);
    let fields = sb.ticket(&id)["fields"].clone();
    assert!(fields.get("units").is_none(), "{fields}");
    assert_eq!(fields["product"], "scanner");

    // list --field matches typed values.
    let other = sb.create("Other");
    sb.change(["field", &other, "product", "printer"]);
    assert_eq!(
        sb.list_ids(["list", "--field", "product=scanner"]),
        idv(&[&id])
    );
    assert_eq!(sb.list_ids(["list", "--field", "product=printer"]), [other]);
    sb.tix(["list", "--field", "product=fax"]).fails(6);
}

#[test]
fn a_field_required_at_create_must_be_given() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: product, type: choice, choices: [printer, scanner], required: [create]}\n",
    );
    let before = sb.commit_count();
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Missing product",
    ])
    .fails(6)
    .stderr_has(&["product", "--field product=VALUE"]);
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Bad product",
        "--field",
        "product=fax",
    ])
    .fails(6);
    assert_eq!(sb.commit_count(), before);
    assert!(!sb.dir.join("tickets").exists());

    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "With product",
        "--field",
        "product=printer",
    ]));
    assert_eq!(sb.ticket(&id)["fields"], json!({"product": "printer"}));
}

#[test]
fn a_field_required_at_close_must_be_given_to_close() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: resolution, type: choice, choices: [fixed, wontfix], required: [close]}\n",
    );
    let id = sb.create("Needs a resolution");
    let before = sb.commit_count();
    sb.tix(["close", &id])
        .fails(6)
        .stderr_has(&["resolution", "--field resolution=VALUE"]);
    sb.tix(["status", &id, "closed"])
        .fails(6)
        .stderr_has(&["resolution"]);
    sb.tix(["close", &id, "--field", "resolution=maybe"])
        .fails(6);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(sb.ticket(&id)["status"], "new");

    sb.change(["close", &id, "--field", "resolution=fixed", "-m", "Done."]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: close {id}"));
    let show = sb.show(&id);
    assert_eq!(show["ticket"]["status"], "closed");
    assert_eq!(show["ticket"]["fields"], json!({"resolution": "fixed"}));
    let entries = show["entries"].as_array().unwrap();
    assert_eq!(kinds(entries), ["created", "field", "close"]);
    assert_eq!(entries[2]["body"], "Done.");

    // A value set beforehand satisfies the rule.
    let other = sb.create("Set first");
    sb.change(["field", &other, "resolution", "wontfix"]);
    sb.change(["status", &other, "closed"]);
    assert_eq!(sb.ticket(&other)["status"], "closed");
}

#[test]
fn reply_status_closed_enforces_fields_required_at_close() {
    let sb = Sandbox::init();
    sb.set_fields("- {name: resolution, type: text, required: [close]}\n");
    let id = sb.create("Needs a resolution");
    let before = sb.commit_count();
    sb.tix(["reply", &id, "-m", "Bye", "--status", "closed"])
        .fails(6)
        .stderr_has(&["resolution"]);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(sb.ticket(&id)["status"], "new");
}

#[test]
fn link_and_unlink() {
    let sb = Sandbox::init();
    let a = sb.create("Parent");
    let b = sb.create("Related");
    let c = sb.create("Duplicate");

    sb.change(["link", &a, &b]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: link {a} related {b}")
    );
    sb.change(["link", &c, &a, "--rel", "duplicate-of"]);
    sb.change(["link", &a, &b, "--rel", "parent-of"]);
    assert_eq!(
        sb.ticket(&a)["links"],
        json!([{"rel": "related", "target": b}, {"rel": "parent-of", "target": b}])
    );
    assert_eq!(
        sb.ticket(&c)["links"],
        json!([{"rel": "duplicate-of", "target": a}])
    );

    sb.change(["unlink", &a, &b]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: unlink {a} related {b}")
    );
    assert_eq!(
        sb.ticket(&a)["links"],
        json!([{"rel": "parent-of", "target": b}])
    );
    sb.change(["unlink", &a, &b, "--rel", "parent-of"]);
    assert_eq!(sb.ticket(&a)["links"], json!([]));

    let before = sb.commit_count();
    sb.tix(["unlink", &a, &b])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    sb.tix(["link", &a, &a]).fails(6);
    let missing = ["ZZZZZZZZ", "YYYYYYYY"]
        .into_iter()
        .find(|m| ![&a, &b, &c].iter().any(|id| id.as_str() == *m))
        .unwrap();
    sb.tix(["link", &a, missing]).fails(3);
    sb.tix(["link", &a, &b, "--rel", "sibling"]).fails(2);
    assert_eq!(sb.commit_count(), before);
}

#[test]
fn close_and_reopen_count_reopenings() {
    let sb = Sandbox::init();
    let id = sb.create("Flaky");
    sb.change(["close", &id, "-m", "Rebooted."]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: close {id}"));
    let t = sb.ticket(&id);
    assert_eq!(t["status"], "closed");
    assert!(t["closed_at"].is_string());
    assert_eq!(t["reopened"], 0);
    assert_eq!(sb.entries(&id).last().unwrap()["body"], "Rebooted.");
    assert!(sb.list_ids(["list"]).is_empty());

    sb.change(["reopen", &id]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: reopen {id}"));
    let t = sb.ticket(&id);
    assert_eq!(t["status"], "open");
    assert_eq!(t["reopened"], 1);
    assert_eq!(t["closed_at"], Value::Null);

    sb.change(["close", &id]);
    sb.change(["reopen", &id]);
    assert_eq!(sb.ticket(&id)["reopened"], 2);
    let text = sb.ok(["show", &id]);
    assert!(text.contains("reopened: 2"), "{text}");
    assert!(text.contains("REOPENED"), "{text}");

    let before = sb.commit_count();
    sb.tix(["reopen", &id])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(
        kinds(&sb.entries(&id)),
        ["created", "close", "status", "close", "status"]
    );
}

#[test]
fn a_locked_ticket_refuses_changes_and_only_an_admin_unlocks_it() {
    let sb = Sandbox::init();
    sb.add_bob();
    let id = sb.create("Legal hold");
    // A non-admin may lock; the lock names who did it.
    sb.change(["lock", &id, "-m", "legal asked", "--as", "bob"]);
    assert_eq!(sb.last_commit(), format!("{BOB}\ttix: lock {id}"));
    let t = sb.ticket(&id);
    assert_eq!(t["locked"]["by"], "bob");
    let lock = sb.entries(&id).last().unwrap().clone();
    assert_eq!(
        (lock["kind"].as_str(), lock["body"].as_str()),
        (Some("lock"), Some("legal asked"))
    );

    let before = sb.commit_count();
    for args in [
        vec!["reply", &id, "-m", "hello"],
        vec!["comment", &id, "-m", "hello"],
        vec!["assign", &id, "bob"],
        vec!["status", &id, "pending"],
        vec!["priority", &id, "low"],
        vec!["tag", &id, "x"],
        vec!["close", &id],
    ] {
        sb.tix(&args).fails(5).stderr_has(&["locked", "by bob"]);
    }
    sb.tix(["unlock", &id, "--as", "bob"])
        .fails(9)
        .stderr_has(&["admin"]);
    assert_eq!(sb.commit_count(), before);
    assert_eq!(sb.ticket(&id), t);
    sb.assert_clean();

    // Locking again changes nothing.
    sb.tix(["lock", &id])
        .run()
        .code(0)
        .stderr_has(&["nothing to change"]);
    assert_eq!(sb.commit_count(), before);

    sb.change(["unlock", &id, "-m", "cleared"]);
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: unlock {id}"));
    assert_eq!(sb.ticket(&id)["locked"], Value::Null);
    sb.change(["comment", &id, "-m", "back to work"]);
    assert_eq!(sb.ticket(&id)["notes"], 1);
}

#[test]
fn close_lock_closes_and_locks_in_one_commit() {
    let sb = Sandbox::init();
    let id = sb.create("Fraud");
    sb.change(["close", &id, "--lock"]);
    assert_eq!(
        sb.last_commit(),
        format!("{ALICE}\ttix: close-and-lock {id}")
    );
    let show = sb.show(&id);
    assert_eq!(show["ticket"]["status"], "closed");
    assert_eq!(show["ticket"]["locked"]["by"], "alice");
    assert_eq!(
        kinds(show["entries"].as_array().unwrap()),
        ["created", "close", "lock"]
    );
    let before = sb.commit_count();
    sb.tix(["reopen", &id])
        .fails(5)
        .stderr_has(&["locked", "by alice"]);
    sb.tix(["reply", &id, "-m", "x"]).fails(5);
    assert_eq!(sb.commit_count(), before);
    let text = sb.ok(["show", &id]);
    assert!(text.contains("LOCKED by alice"), "{text}");
    let list = sb.ok(["list", "--all", "--format", "tsv"]);
    assert!(list.contains("closed (locked)"), "{list}");
}

// ------------------------------------------------------- log, check, agents

#[test]
fn log_lists_the_tickets_commits_newest_first() {
    let sb = Sandbox::init();
    let id = sb.create("Logged");
    let other = sb.create("Not logged");
    sb.change(["comment", &id, "-m", "one"]);
    sb.change(["comment", &other, "-m", "elsewhere"]);
    sb.change(["assign", &id, "me"]);

    let out = sb.ok(["log", &id]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for (line, (verb, detail)) in
        lines
            .iter()
            .zip([("assign", " to alice"), ("comment", ""), ("create", "")])
    {
        assert!(
            line.ends_with(&format!(
                "Alice Admin <alice@example.com> tix: {verb} {id}{detail}"
            )),
            "{out}"
        );
    }
    assert!(!out.contains(&other), "{out}");

    let json: Value = serde_json::from_str(&sb.ok(["log", &id, "--format", "json"])).unwrap();
    let commits: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["commit"].as_str().unwrap())
        .collect();
    let git = sb.git([
        "log",
        "--format=%H",
        "--",
        &format!("tickets/{}/{id}", &id[..2]),
    ]);
    assert_eq!(commits, git.lines().collect::<Vec<_>>());
    assert_eq!(json[0]["summary"], format!("tix: assign {id} to alice"));
    assert_eq!(json[0]["email"], "alice@example.com");
    assert_eq!(json[2]["summary"], format!("tix: create {id}"));
}

#[test]
fn check_passes_on_a_clean_store() {
    let sb = Sandbox::init();
    let a = sb.create("One");
    sb.create("Two");
    sb.change(["comment", &a, "-m", "note"]);
    sb.change(["close", &a, "--lock"]);
    let out = sb.ok(["check"]);
    assert!(
        out.contains("2 tickets, 5 entries: 0 errors, 0 warnings"),
        "{out}"
    );
    let report: Value = serde_json::from_str(&sb.ok(["check", "--format", "json"])).unwrap();
    assert_eq!(
        report,
        json!({
            "tickets": 2,
            "entries": 5,
            "errors": [],
            "warnings": [],
            "search_index": {"state": "missing"}
        })
    );
}

#[test]
fn agent_add_and_list() {
    let sb = Sandbox::init();
    let out = sb.change(["agent", "add", "bob", "--email", "bob@example.com"]);
    assert!(out.contains("bob"), "{out}");
    assert_eq!(sb.last_commit(), format!("{ALICE}\ttix: agent add bob"));
    sb.change([
        "agent",
        "add",
        "carol",
        "--email",
        "Carol <carol@example.com>",
        "--name",
        "Carol Chief",
        "--role",
        "admin",
    ]);

    let agents: Value =
        serde_json::from_str(&sb.ok(["agent", "list", "--format", "json"])).unwrap();
    assert_eq!(agents.as_array().unwrap().len(), 3);
    assert_eq!(agents[1]["handle"], "bob");
    assert_eq!(agents[1]["email"], "bob@example.com");
    assert!(agents[1].get("roles").is_none_or(|r| r == &json!([])));
    assert_eq!(agents[2]["name"], "Carol Chief");
    assert_eq!(agents[2]["email"], "carol@example.com");
    assert_eq!(agents[2]["roles"], json!(["admin"]));
    let tsv = sb.ok(["agent", "list"]);
    assert_eq!(
        tsv.lines().next(),
        Some("handle\tname\temail\troles\tactive\ttasks\tavailable")
    );
    assert!(
        tsv.contains("bob\t\tbob@example.com\t\t0\t0\tyes\n"),
        "{tsv}"
    );
    assert_eq!(
        sb.ok(["agent", "list", "--format", "ids"]),
        "alice\nbob\ncarol\n"
    );
    // The config on disk is the committed one.
    assert_eq!(
        sb.git(["show", "HEAD:.tix/config.yaml"]),
        std::fs::read_to_string(sb.dir.join(".tix/config.yaml")).unwrap()
    );

    let before = sb.commit_count();
    sb.tix([
        "agent",
        "add",
        "dave",
        "--email",
        "dave@example.com",
        "--as",
        "bob",
    ])
    .fails(9)
    .stderr_has(&["admin"]);
    sb.tix(["agent", "add", "bob", "--email", "bob2@example.com"])
        .fails(6);
    sb.tix(["agent", "add", "bobby", "--email", "BOB@example.com"])
        .fails(6);
    sb.tix(["agent", "add", "no spaces", "--email", "x@example.com"])
        .fails(6);
    sb.tix(["agent", "add", "eve", "--email", "not-an-address"])
        .fails(6);
    assert_eq!(sb.commit_count(), before);

    // The new admin may act as one.
    let id = sb.create("By carol");
    sb.change(["lock", &id]);
    sb.change(["unlock", &id, "--as", "carol"]);
    assert_eq!(
        sb.last_commit(),
        format!("Carol Chief\tcarol@example.com\ttix: unlock {id}")
    );
}

#[test]
fn completions_for_bash() {
    let sb = Sandbox::new();
    let out = sb.ok(["completions", "bash"]);
    assert!(
        out.contains("_clap_complete_tix()"),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(
        out.contains("-F _clap_complete_tix tix"),
        "no `complete` line"
    );
    // The script asks tix itself (completion is dynamic), which knows
    // every subcommand.
    let subs = sb
        .tix(["--", "tix", ""])
        .env("TIX_COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", "1")
        .ok();
    for sub in ["create", "reply", "unlock", "completions"] {
        assert!(subs.lines().any(|l| l == sub), "completions lack {sub}");
    }
    sb.tix(["completions", "tcsh"]).fails(2);
}

// -------------------------------------------- one commit per change, authors

#[test]
fn every_change_is_one_commit_by_the_acting_agent_and_leaves_git_clean() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_fields("- {name: units, type: number}\n");
    let id = sb.create("Commits");
    let other = sb.create("Other");
    let attach = sb.root().join("log.txt");
    std::fs::write(&attach, "log line\n").unwrap();
    let attach = attach.to_str().unwrap().to_string();

    let steps: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["reply", &id, "-m", "hi", "--attach", &attach],
            ALICE,
            "reply",
        ),
        (
            vec!["comment", &id, "-m", "note", "--as", "bob"],
            BOB,
            "comment",
        ),
        (vec!["assign", &id, "bob"], ALICE, "assign"),
        (vec!["status", &id, "pending", "--as", "bob"], BOB, "status"),
        (vec!["priority", &id, "high"], ALICE, "priority"),
        (vec!["subject", &id, "Commits!"], ALICE, "subject"),
        (vec!["tag", &id, "a", "b"], ALICE, "tag"),
        (vec!["untag", &id, "a"], ALICE, "untag"),
        (vec!["cc", &id, "--add", "x@example.com"], ALICE, "cc"),
        (
            vec!["field", &id, "units", "7", "--as", "bob"],
            BOB,
            "field",
        ),
        (vec!["link", &id, &other], ALICE, "link"),
        (vec!["unlink", &id, &other], ALICE, "unlink"),
        (vec!["close", &id], ALICE, "close"),
        (vec!["reopen", &id, "--as", "bob"], BOB, "reopen"),
        (vec!["lock", &id], ALICE, "lock"),
        (vec!["unlock", &id], ALICE, "unlock"),
        (
            vec!["close", &id, "--lock", "--as", "bob"],
            BOB,
            "close-and-lock",
        ),
    ];
    for (args, author, verb) in steps {
        sb.change(&args);
        // Commands that set a value say which.
        let other_link = format!(" related {other}");
        let detail = match verb {
            "assign" => " to bob",
            "status" => " to pending",
            "priority" => " high",
            "tag" => " +a +b",
            "untag" => " -a",
            "cc" => " +x@example.com",
            "field" => " units=7",
            "link" | "unlink" => other_link.as_str(),
            _ => "",
        };
        assert_eq!(
            sb.last_commit(),
            format!("{author}\ttix: {verb} {id}{detail}"),
            "after `tix {}`",
            args.join(" ")
        );
        // The commit touches only this ticket's directory.
        let touched = sb.git(["show", "--format=", "--name-only", "HEAD"]);
        let prefix = format!("tickets/{}/{id}/", &id[..2]);
        assert!(
            touched.lines().all(|l| l.starts_with(&prefix)),
            "`tix {}` touched {touched}",
            args.join(" ")
        );
        // Committed bytes equal the work tree (status is clean), and the
        // message body is the subject, then (for bob's, which alice ran
        // for him) the line saying so.
        let body = sb.git(["log", "-1", "--format=%b"]);
        let on_behalf = if author == BOB {
            "\n\nOn behalf of bob by alice <alice@example.com>."
        } else {
            ""
        };
        assert!(
            body.trim() == format!("Commits{on_behalf}")
                || body.trim() == format!("Commits!{on_behalf}"),
            "{body}"
        );
    }
    sb.change([
        "create",
        "--customer",
        "a@example.com",
        "--subject",
        "by bob",
        "--as",
        "bob",
    ]);
    assert!(
        sb.last_commit()
            .starts_with(&format!("{BOB}\ttix: create "))
    );
    sb.ok(["check"]);
}

// ------------------------------------------------------------------- ids

#[test]
fn show_accepts_a_unique_prefix_in_any_case() {
    let sb = Sandbox::init();
    let id = sb.create("Prefix");
    for typed in [
        id.clone(),
        id[..4].to_string(),
        id[..4].to_lowercase(),
        id.to_lowercase(),
        format!("#{}", &id[..3]),
        format!("{}-{}", &id[..4], &id[4..]),
    ] {
        let out = sb.ok(["show", &typed, "--format", "json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ticket"]["id"], id.as_str(), "typed {typed}");
    }
    // Write commands take prefixes too.
    sb.change(["comment", &id[..3].to_lowercase(), "-m", "via prefix"]);
    assert_eq!(sb.ticket(&id)["notes"], 1);
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let sb = Sandbox::init();
    let mut ids: Vec<String> = Vec::new();
    let (a, b) = loop {
        assert!(ids.len() <= 33, "33 ids must share a first character");
        let id = sb.create(&format!("T{}", ids.len()));
        if let Some(prev) = ids.iter().find(|p| p[..1] == id[..1]) {
            break (prev.clone(), id);
        }
        ids.push(id);
    };
    let run = sb.tix(["show", &a[..1]]).fails(4).stderr_has(&[&a, &b]);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    sb.tix(["comment", &a[..1].to_lowercase(), "-m", "x"])
        .fails(4);
    // The shared first character plus a distinguishing one is unique.
    let n = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let v: Value = serde_json::from_str(&sb.ok(["show", &a[..=n], "--format", "json"])).unwrap();
    assert_eq!(v["ticket"]["id"], a.as_str());
}

#[test]
fn unknown_ids_missing_stores_and_unknown_agents() {
    let sb = Sandbox::init();
    let id = sb.create("Known");
    let missing = ["ZZZZZZZZ", "YYYYYYYY"]
        .into_iter()
        .find(|m| *m != id)
        .unwrap();
    sb.tix(["show", missing]).fails(3).stderr_has(&[missing]);
    sb.tix(["comment", missing, "-m", "x"]).fails(3);
    sb.tix(["log", missing]).fails(3);
    sb.tix(["show", "UUUU"]).fails(6);

    let empty = Sandbox::new();
    for args in [
        vec!["list"],
        vec!["show", "ABCD"],
        vec!["create", "--customer", "a@example.com", "--subject", "x"],
        vec!["check"],
        vec!["agent", "list"],
    ] {
        empty.tix(&args).fails(7).stderr_has(&["tix init"]);
    }

    let before = sb.commit_count();
    sb.tix(["comment", &id, "-m", "x", "--as", "nobody"])
        .fails(9)
        .stderr_has(&["nobody"]);
    sb.tix(["comment", &id, "-m", "x"])
        .env("TIX_AGENT", "nobody")
        .fails(9);
    sb.tix(["list", "--mine", "--as", "nobody"]).fails(9);
    assert_eq!(sb.commit_count(), before);
    // Without --as, git's user.email must belong to an agent.
    sb.git(["config", "user.email", "carol@example.com"]);
    sb.tix(["comment", &id, "-m", "x"])
        .fails(9)
        .stderr_has(&["carol@example.com", "hint:"]);
    sb.git(["config", "--unset", "user.email"]);
    assert_eq!(sb.commit_count(), before);
    // TIX_AGENT names a known agent just as --as does.
    sb.add_bob();
    sb.change_with(sb.tix(["comment", &id, "-m", "x"]).env("TIX_AGENT", "bob"));
    assert_eq!(sb.last_commit(), format!("{BOB}\ttix: comment {id}"));
}

// ------------------------------------------------------------------ list

struct Fixture {
    sb: Sandbox,
    /// Printer jam: ann, hardware, high, created 01-01, assigned alice,
    /// product=printer, commented on 01-05 ("replaced the fuser unit").
    t1: String,
    /// "VPN down, again": bob.smith, cc dee, network+urgent, urgent,
    /// created 01-02, unassigned, body mentions the tunnel.
    t2: String,
    /// Password reset: carol, account, low, created 01-03, assigned bob,
    /// product=scanner, replied to (open).
    t3: String,
    /// Old closed thing: ann, created 01-04, closed.
    t4: String,
}

fn fixture() -> Fixture {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_fields("- {name: product, type: choice, choices: [printer, scanner]}\n");
    let t1 = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "Ann Lee <ann@example.com>",
            "--subject",
            "Printer jam",
            "-m",
            "Paper everywhere",
            "--tag",
            "hardware",
            "--priority",
            "high",
            "--assign",
            "alice",
            "--field",
            "product=printer",
        ])
        .now("2026-01-01T10:00:00Z"),
    );
    let t2 = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "bob.smith@corp.example",
            "--cc",
            "Dee Dee <dee@example.com>",
            "--subject",
            "VPN down, again",
            "-m",
            "The Tunnel keeps dropping",
            "--tag",
            "network",
            "--tag",
            "urgent",
            "--priority",
            "urgent",
        ])
        .now("2026-01-02T10:00:00Z"),
    );
    let t3 = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "carol@example.com",
            "--subject",
            "Password reset",
            "-m",
            "Forgot it",
            "--tag",
            "account",
            "--priority",
            "low",
            "--assign",
            "bob",
            "--field",
            "product=scanner",
        ])
        .now("2026-01-03T10:00:00Z"),
    );
    sb.tix(["reply", &t3, "-m", "Reset link sent"])
        .now("2026-01-03T12:00:00Z")
        .ok();
    let t4 = sb.create_with(
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Old closed thing",
        ])
        .now("2026-01-04T10:00:00Z"),
    );
    sb.tix(["close", &t4]).now("2026-01-04T11:00:00Z").ok();
    sb.tix(["comment", &t1, "-m", "Replaced the FUSER unit"])
        .now("2026-01-05T10:00:00Z")
        .ok();
    sb.assert_clean();
    Fixture { sb, t1, t2, t3, t4 }
}

#[test]
fn list_by_status() {
    let f = fixture();
    let sb = &f.sb;
    // Default: open tickets, newest activity first.
    assert_eq!(sb.list_ids(["list"]), idv(&[&f.t1, &f.t3, &f.t2]));
    assert_eq!(
        sorted(sb.list_ids(["list", "--all"])),
        sorted(vec![f.t1.clone(), f.t2.clone(), f.t3.clone(), f.t4.clone()])
    );
    assert_eq!(sb.list_ids(["list", "--status", "closed"]), idv(&[&f.t4]));
    assert_eq!(sb.list_ids(["list", "--status", "open"]), idv(&[&f.t3]));
    assert_eq!(
        sb.list_ids(["list", "--status", "new,closed"]),
        idv(&[&f.t1, &f.t4, &f.t2])
    );
    assert_eq!(
        sb.list_ids(["list", "--status", "new", "--status", "open"]),
        idv(&[&f.t1, &f.t3, &f.t2])
    );
    assert!(sb.list_ids(["list", "--status", "pending"]).is_empty());
    sb.tix(["list", "--status", "done"]).fails(2);
    sb.tix(["list", "--all", "--status", "open"]).fails(2);
    let json = sb.list_json(["list", "--all"]);
    let closed: Vec<&Value> = json.iter().filter(|t| t["status"] == "closed").collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["id"], f.t4.as_str());
}

#[test]
fn list_by_assignee() {
    let f = fixture();
    let sb = &f.sb;
    assert_eq!(sb.list_ids(["list", "--assignee", "bob"]), idv(&[&f.t3]));
    assert_eq!(
        sb.list_ids(["list", "--assignee", "bob@example.com"]),
        idv(&[&f.t3])
    );
    assert_eq!(sb.list_ids(["list", "--assignee", "alice"]), idv(&[&f.t1]));
    assert_eq!(sb.list_ids(["list", "--mine"]), idv(&[&f.t1]));
    assert_eq!(
        sb.list_ids(["list", "--mine", "--as", "bob"]),
        idv(&[&f.t3])
    );
    assert_eq!(sb.list_ids(["list", "--unassigned"]), idv(&[&f.t2]));
    // t4 (updated 01-04 11:00) is newer than t2 (01-02).
    assert_eq!(
        sb.list_ids(["list", "--unassigned", "--all"]),
        idv(&[&f.t4, &f.t2])
    );
    // An unknown agent is an error, as for `tix assign`, not an empty list.
    sb.tix(["list", "--assignee", "nobody"]).fails(3);
    sb.tix(["list", "--mine", "--unassigned"]).fails(2);
}

#[test]
fn list_by_customer_tag_priority_and_field() {
    let f = fixture();
    let sb = &f.sb;
    assert_eq!(sb.list_ids(["list", "--customer", "ann"]), idv(&[&f.t1]));
    assert_eq!(
        sb.list_ids(["list", "--customer", "ANN@EXAMPLE"]),
        idv(&[&f.t1])
    );
    assert_eq!(
        sb.list_ids(["list", "--customer", "ann@example.com", "--all"]),
        idv(&[&f.t1, &f.t4])
    );
    assert_eq!(
        sb.list_ids(["list", "--customer", "Ann Lee"]),
        idv(&[&f.t1])
    );
    // Cc counts.
    assert_eq!(sb.list_ids(["list", "--customer", "dee"]), idv(&[&f.t2]));
    assert_eq!(
        sb.list_ids(["list", "--customer", "corp.example"]),
        idv(&[&f.t2])
    );

    assert_eq!(sb.list_ids(["list", "--tag", "network"]), idv(&[&f.t2]));
    assert_eq!(
        sb.list_ids(["list", "--tag", "network", "--tag", "urgent"]),
        idv(&[&f.t2])
    );
    assert!(
        sb.list_ids(["list", "--tag", "network", "--tag", "hardware"])
            .is_empty()
    );

    assert_eq!(
        sb.list_ids(["list", "--priority", "high,urgent"]),
        idv(&[&f.t1, &f.t2])
    );
    assert_eq!(sb.list_ids(["list", "--priority", "low"]), idv(&[&f.t3]));
    assert_eq!(
        sb.list_ids(["list", "--priority", "normal", "--all"]),
        idv(&[&f.t4])
    );
    sb.tix(["list", "--priority", "critical"]).fails(2);

    assert_eq!(
        sb.list_ids(["list", "--field", "product=printer"]),
        idv(&[&f.t1])
    );
    assert_eq!(
        sb.list_ids(["list", "--field", "product=scanner"]),
        idv(&[&f.t3])
    );
}

#[test]
fn list_by_time_with_a_fixed_clock() {
    let f = fixture();
    let sb = &f.sb;
    assert_eq!(
        sb.list_ids(["list", "--created-since", "2026-01-02"]),
        idv(&[&f.t3, &f.t2])
    );
    assert_eq!(
        sb.list_ids(["list", "--created-since", "2026-01-02", "--all"]),
        idv(&[&f.t4, &f.t3, &f.t2])
    );
    assert_eq!(
        sb.list_ids(["list", "--created-until", "2026-01-02"]),
        idv(&[&f.t1])
    );
    assert_eq!(
        sb.list_ids(["list", "--created-since", "2026-01-02 10:00"]),
        idv(&[&f.t3, &f.t2])
    );
    assert_eq!(
        sb.list_ids(["list", "--created-since", "2026-01-02 10:01"]),
        idv(&[&f.t3])
    );
    assert_eq!(
        sb.list_ids(["list", "--updated-since", "2026-01-05"]),
        idv(&[&f.t1])
    );
    assert_eq!(
        sb.list_ids(["list", "--updated-since", "2026-01-03T11:00:00Z"]),
        idv(&[&f.t1, &f.t3])
    );
    assert_eq!(
        sb.list_ids(["list", "--updated-until", "2026-01-03"]),
        idv(&[&f.t2])
    );
    // Ages count back from TIX_NOW.
    assert_eq!(
        sb.list_ids_with(
            sb.tix(["list", "--created-since", "1d"])
                .now("2026-01-03T12:00:00Z")
        ),
        idv(&[&f.t3])
    );
    assert_eq!(
        sb.list_ids_with(
            sb.tix(["list", "--updated-since", "12h"])
                .now("2026-01-05T12:00:00Z")
        ),
        idv(&[&f.t1])
    );
    assert_eq!(
        sb.list_ids_with(
            sb.tix(["list", "--created-since", "2w"])
                .now("2026-01-05T12:00:00Z")
        )
        .len(),
        3
    );
    sb.tix(["list", "--created-since", "yesterday"]).fails(6);
    sb.tix(["list"]).now("not a time").fails(6);
    // The fixed clock is what was stored.
    let t1 = sb.ticket(&f.t1);
    assert_eq!(t1["created_at"], "2026-01-01T10:00:00.000000Z");
    assert_eq!(t1["updated_at"], "2026-01-05T10:00:00.000000Z");
}

#[test]
fn list_by_text_in_subject_or_any_body() {
    let f = fixture();
    let sb = &f.sb;
    assert_eq!(sb.list_ids(["list", "--text", "fuser"]), idv(&[&f.t1]));
    assert_eq!(sb.list_ids(["list", "-s", "TUNNEL"]), idv(&[&f.t2]));
    assert_eq!(sb.list_ids(["list", "--text", "password"]), idv(&[&f.t3]));
    assert_eq!(sb.list_ids(["list", "--text", "reset link"]), idv(&[&f.t3]));
    assert!(sb.list_ids(["list", "--text", "nowhere"]).is_empty());
}

#[test]
fn list_sort_reverse_and_limit() {
    let f = fixture();
    let sb = &f.sb;
    assert_eq!(
        sb.list_ids(["list", "--sort", "created"]),
        idv(&[&f.t3, &f.t2, &f.t1])
    );
    assert_eq!(
        sb.list_ids(["list", "--sort", "created", "--reverse"]),
        idv(&[&f.t1, &f.t2, &f.t3])
    );
    assert_eq!(
        sb.list_ids(["list", "--sort", "priority"]),
        idv(&[&f.t2, &f.t1, &f.t3])
    );
    assert_eq!(
        sb.list_ids(["list", "--sort", "subject"]),
        idv(&[&f.t3, &f.t1, &f.t2])
    );
    assert_eq!(
        sb.list_ids(["list", "--sort", "status", "--all"]),
        idv(&[&f.t1, &f.t2, &f.t3, &f.t4])
    );
    let mut by_id = vec![f.t1.clone(), f.t2.clone(), f.t3.clone()];
    by_id.sort();
    assert_eq!(sb.list_ids(["list", "--sort", "id"]), by_id);
    assert_eq!(
        sb.list_ids(["list", "--sort", "id", "--reverse", "--limit", "1"]),
        [by_id[2].clone()]
    );
    assert_eq!(
        sb.list_ids(["list", "--sort", "created", "--limit", "2"]),
        idv(&[&f.t3, &f.t2])
    );
    assert!(sb.list_ids(["list", "--limit", "0"]).is_empty());
    sb.tix(["list", "--sort", "colour"]).fails(2);
    sb.tix(["list", "--limit", "-1"]).fails(2);
}

#[test]
fn list_formats() {
    let f = fixture();
    let sb = &f.sb;

    let json = sb.list_json(["list"]);
    assert_eq!(ids_of(&json), idv(&[&f.t1, &f.t3, &f.t2]));
    // Each element is the same state `show` reports.
    for t in &json {
        assert_eq!(t, &sb.ticket(t["id"].as_str().unwrap()));
    }

    let csv_text = sb.ok(["list", "--format", "csv"]);
    let mut lines = csv_text.lines();
    assert_eq!(
        lines.next(),
        Some("id,status,priority,assignee,customer,subject,tags,created,updated")
    );
    assert!(csv_text.contains("\"VPN down, again\""), "{csv_text}");
    assert!(csv_text.contains("\"network,urgent\""), "{csv_text}");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let t2 = rows.iter().find(|r| r[0] == *f.t2).unwrap();
    assert_eq!(&t2[1], "new");
    assert_eq!(&t2[2], "urgent");
    assert_eq!(&t2[3], "");
    assert_eq!(&t2[4], "bob.smith@corp.example");
    assert_eq!(&t2[5], "VPN down, again");
    assert_eq!(&t2[6], "network,urgent");
    assert_eq!(&t2[7], "2026-01-02T10:00:00.000000Z");

    // tsv is the default when piped.
    let tsv = sb.ok(["list"]);
    assert_eq!(sb.ok(["list", "--format", "tsv"]), tsv);
    let lines: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|cols| cols.len() == 9), "{tsv}");
    assert_eq!(lines[0][0], "id");
    assert_eq!(lines[1][0], f.t1);
    assert_eq!(lines[1][3], "alice");
    assert_eq!(lines[1][5], "Printer jam");

    assert_eq!(
        sb.ok(["list", "--format", "ids"]),
        format!("{}\n{}\n{}\n", f.t1, f.t3, f.t2)
    );

    // Tabs and line breaks inside values do not break tsv records.
    sb.create("Tab\there");
    let tsv = sb.ok(["list", "--format", "tsv", "--text", "tab"]);
    assert_eq!(tsv.lines().count(), 2, "{tsv}");
    assert_eq!(tsv.lines().nth(1).unwrap().split('\t').count(), 9, "{tsv}");
    assert!(tsv.contains("Tab here"), "{tsv}");
    let csv_text = sb.ok(["list", "--format", "csv", "--text", "tab"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[5], "Tab\there");
    // An empty result is just the header.
    assert_eq!(
        sb.ok(["list", "--format", "csv", "--text", "nowhere"]),
        "id,status,priority,assignee,customer,subject,tags,created,updated\n"
    );
    assert_eq!(
        sb.ok(["list", "--format", "json", "--text", "nowhere"])
            .trim(),
        "[]"
    );
}

// ------------------------------------------------------------ round trips

const HOSTILE_SUBJECTS: &[&str] = &[
    "key: value",
    "---",
    "--- ",
    "'single' and \"double\" quotes",
    "# not a comment",
    "a: b # c",
    "  leading spaces",
    "\tleading tab",
    "trailing space ",
    "- item",
    "? question",
    "[flow] {map}",
    "&anchor *alias !tag %dir @at `tick` |pipe >fold",
    "null",
    "~",
    "yes",
    "0x1F",
    "1e3",
    "שלום עולם: עברית",
    "\u{200f}RTL mark \u{202e}override",
    "emoji 🎫🔥 ✔︎",
    "\u{feff}byte order mark",
    "line\u{2028}separator",
    "back\\slash \\n not a newline",
];

#[test]
fn hostile_subjects_round_trip() {
    let sb = Sandbox::init();
    let mut created = Vec::new();
    for s in HOSTILE_SUBJECTS {
        let id = sb.create(s);
        let show = sb.show(&id);
        assert_eq!(show["ticket"]["subject"], *s, "subject {s:?}");
        assert_eq!(show["entries"][0]["subject"], *s, "subject {s:?}");
        assert_eq!(show["entries"][0]["body"], format!("Request: {s}"));
        created.push((id, *s));
    }
    // And through `tix subject`, and in the list.
    let (id, _) = &created[0];
    for s in ["---", "x: y", "  spaced\t"] {
        sb.change(["subject", id, "--", s]);
        assert_eq!(sb.ticket(id)["subject"], s);
    }
    let list = sb.list_json(["list"]);
    assert_eq!(list.len(), HOSTILE_SUBJECTS.len());
    for (id, s) in &created[1..] {
        let t = list.iter().find(|t| t["id"] == id.as_str()).unwrap();
        assert_eq!(t["subject"], *s);
    }
    sb.ok(["check"]);
    sb.assert_clean();
}

#[test]
fn hostile_names_tags_and_field_values_round_trip() {
    let sb = Sandbox::init();
    sb.set_fields("- {name: note, type: text}\n");
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "\"Lee, Ann: #1 🎫\" <ann@example.com>",
        "--cc",
        "שרה כהן <sara@example.com>",
        "--subject",
        "names",
        "--tag=#urgent",
        "--tag=a:b",
        "--tag=🔥",
        "--tag=---",
        "--tag=null",
    ]));
    sb.change(["field", &id, "note", "x: y\n---\nz # not a comment"]);
    let t = sb.ticket(&id);
    assert_eq!(
        t["customer"],
        json!({"name": "Lee, Ann: #1 🎫", "email": "ann@example.com"})
    );
    assert_eq!(
        t["cc"],
        json!([{"name": "שרה כהן", "email": "sara@example.com"}])
    );
    assert_eq!(tags(&t), ["#urgent", "---", "a:b", "null", "🔥"]);
    assert_eq!(t["fields"]["note"], "x: y\n---\nz # not a comment");
    assert_eq!(sb.list_ids(["list", "--tag=---"]), idv(&[&id]));
    assert_eq!(sb.list_ids(["list", "--customer", "lee, ann"]), idv(&[&id]));
    sb.ok(["check"]);
}

#[test]
fn hostile_bodies_round_trip_byte_for_byte() {
    let sb = Sandbox::init();
    let bodies: Vec<String> = vec![
        "key: value\n---\n# heading\n  indented\n\ttabbed\n'q' \"dq\"\n".into(),
        "---\n---\n".into(),
        "---\nformat: 2\nkind: lock\n---\n".into(),
        "\n\nleading blank lines and no final newline".into(),
        "ends with two newlines\n\n".into(),
        "first\r\nsecond\r\n\r\nthird\r\n".into(),
        "lone\rcarriage return".into(),
        "שלום עולם\nمرحبا بالعالم\n\u{202e}reversed\u{202c}\n".into(),
        "emoji 🎫🔥 and combining é\u{301}\n".into(),
        "   \n  only spaces around  \n".into(),
        "trailing spaces   \n\ttrailing tab\t\n".into(),
        "\u{feff}starts with a BOM\n".into(),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let path = sb.root().join(format!("body{i}.txt"));
        std::fs::write(&path, body).unwrap();
        let id = sb.create_with(sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            &format!("--subject=body {i}"),
            "-F",
            path.to_str().unwrap(),
        ]));
        sb.change(["comment", &id, "-F", path.to_str().unwrap()]);
        sb.change_with(sb.tix(["reply", &id, "-F", "-"]).stdin(body.as_bytes()));
        let entries = sb.entries(&id);
        assert_eq!(entries[0]["body"], body.as_str(), "created body {i}");
        assert_eq!(entries[1]["body"], body.as_str(), "note body {i}");
        assert_eq!(entries[2]["body"], body.as_str(), "reply body {i}");
        // The entry file on disk ends with the body and one newline.
        let file = sb
            .ticket_dir(&id)
            .join(entries[1]["entry_file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.ends_with(format!("{body}\n").as_bytes()), "file {i}");
        // Text output shows it verbatim too (non-note bodies).
        let text = sb.ok(["show", &id, "--public"]);
        assert!(text.contains(body.as_str()), "show text lacks body {i}");
    }
    sb.ok(["check"]);
    sb.assert_clean();
}

#[test]
fn a_one_megabyte_body_round_trips() {
    let sb = Sandbox::init();
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 1024 * 1024 {
        body.push_str(&format!(
            "line {n}: key: value --- # \"quoted\" 'single' \t tab שלום 🎫\r\n"
        ));
        if n % 1000 == 0 {
            body.push_str("---\n");
        }
        n += 1;
    }
    body.push_str("needle-at-the-very-end");
    assert!(body.len() >= 1024 * 1024);
    let path = sb.root().join("big.txt");
    std::fs::write(&path, &body).unwrap();
    let id = sb.create_with(sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "Big",
        "-F",
        path.to_str().unwrap(),
    ]));
    let entries = sb.entries(&id);
    assert!(
        entries[0]["body"].as_str().unwrap() == body,
        "1 MB body changed"
    );
    assert_eq!(
        sb.list_ids(["list", "--text", "needle-at-the-very-end"]),
        idv(&[&id])
    );
    sb.ok(["check"]);
    sb.assert_clean();
}

#[test]
fn a_subject_with_a_line_break_is_rejected() {
    let sb = Sandbox::init();
    let id = sb.create("One line");
    let before = sb.commit_count();
    for bad in ["two\nlines", "carriage\rreturn", "nel\u{85}char", "", "   "] {
        sb.tix([
            "create",
            "--customer",
            "ann@example.com",
            &format!("--subject={bad}"),
        ])
        .fails(6)
        .stderr_has(&["subject"]);
        sb.tix(["subject", &id, "--", bad]).fails(6);
    }
    assert_eq!(sb.commit_count(), before);
    assert_eq!(sb.ticket(&id)["subject"], "One line");
}

// ----------------------------------------------------- damaged stores

#[test]
fn a_hand_edited_entry_is_skipped_by_list_and_reported_by_check() {
    let sb = Sandbox::init();
    let a = sb.create("Will be damaged");
    let b = sb.create("Healthy");
    sb.change(["comment", &a, "-m", "to be damaged"]);
    sb.change(["comment", &a, "-m", "stays"]);
    let note = sb.entries(&a)[1]["entry_file"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sb.entries(&a)[1]["body"], "to be damaged");
    let rel = entry_path(&a, &note);
    std::fs::write(sb.dir.join(&rel), "this is: [not an entry\n").unwrap();
    sb.git(["commit", "-q", "-am", "hand edit"]);

    let run = sb.tix(["list", "--format", "ids"]).run().code(0);
    assert_eq!(
        sorted(run.stdout.lines().map(str::to_string).collect()),
        sorted(vec![a.clone(), b.clone()])
    );
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&rel),
        "list does not name {rel}:\n{}",
        run.stderr
    );

    let run = sb.tix(["show", &a, "--format", "json"]).run().code(0);
    assert!(run.stderr.contains(&rel), "{}", run.stderr);
    let show: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(show["ticket"]["notes"], 1);
    assert_eq!(show["entries"][1]["body"], "stays");
    assert_eq!(sb.ticket(&b)["subject"], "Healthy");

    let run = sb.tix(["check"]).fails(10);
    assert!(
        run.stdout.contains(&rel),
        "check does not name {rel}:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("modified") && l.contains(&rel)),
        "check does not report the rewrite of {rel}:\n{}",
        run.stdout
    );
    let report: Value =
        serde_json::from_str(&sb.tix(["check", "--format", "json"]).fails(10).stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 2, "{report}");

    // The store still takes changes, to the damaged ticket too.
    sb.change(["comment", &a, "-m", "after the damage"]);
    sb.change(["comment", &b, "-m", "elsewhere"]);
}

#[test]
fn a_deleted_entry_is_reported_by_check() {
    let sb = Sandbox::init();
    let a = sb.create("Loses a note");
    sb.change(["comment", &a, "-m", "will vanish"]);
    let note = last_file(&sb.entries(&a), "note");
    let rel = entry_path(&a, &note);
    sb.git(["rm", "-q", &rel]);
    sb.git(["commit", "-q", "-m", "remove a note"]);
    sb.assert_clean();
    assert_eq!(sb.ticket(&a)["notes"], 0);
    let run = sb.tix(["check"]).fails(10);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("deleted") && l.contains(&rel)),
        "check does not report the deletion of {rel}:\n{}",
        run.stdout
    );
    assert!(run.stderr.contains("problem"), "{}", run.stderr);
}

// ------------------------------------------------------------- bad input

#[test]
fn bad_input_is_refused_without_committing() {
    let sb = Sandbox::init();
    let id = sb.create("Target");
    let before = sb.commit_count();
    let missing = sb.root().join("no-such-file.txt");
    let missing = missing.to_str().unwrap();
    let latin1 = sb.root().join("latin1.txt");
    std::fs::write(&latin1, b"caf\xe9 cr\xe8me\n").unwrap();
    let latin1 = latin1.to_str().unwrap();
    let nul = sb.root().join("nul.txt");
    std::fs::write(&nul, b"a\0b").unwrap();
    let nul = nul.to_str().unwrap();

    let create = |extra: &[&str]| {
        let mut args = vec!["create", "--customer", "ann@example.com", "--subject", "x"];
        args.extend_from_slice(extra);
        sb.tix(args)
    };
    create(&["-F", missing])
        .fails(3)
        .stderr_has(&["no-such-file.txt"]);
    sb.tix(["comment", &id, "-F", missing]).fails(3);
    sb.tix(["reply", &id, "-F", missing]).fails(3);
    create(&["--attach", missing]).fails(3);
    create(&["-F", latin1])
        .fails(6)
        .stderr_has(&["UTF-8", "--attach"]);
    sb.tix(["comment", &id, "-F", latin1]).fails(6);
    sb.tix(["comment", &id, "-F", "-"])
        .stdin(&b"\xff\xfe"[..])
        .fails(6);
    create(&["-F", nul]).fails(6);
    sb.tix(["create", "--customer", "no address", "--subject", "x"])
        .fails(6)
        .stderr_has(&["--customer"]);
    create(&["--cc", "also no address"]).fails(6);
    sb.tix(["create", "--customer", "<ann@example.com", "--subject", "x"])
        .fails(6);
    create(&["--field", "colour=red"]).fails(6);
    create(&["--priority", "bogus"]).fails(2);
    create(&["--tag", "has space"]).fails(6);
    create(&["--assign", "nobody"]).fails(3);
    create(&["-m", "x", "-F", latin1]).fails(2);
    sb.tix(["create", "--customer", "ann@example.com"])
        .fails(6)
        .stderr_has(&["subject", "--subject"]);
    sb.tix(["create", "--subject", "x"])
        .fails(6)
        .stderr_has(&["--customer"]);

    // No text and no terminal: an error with a hint, not a hang.
    sb.tix(["reply", &id])
        .fails(6)
        .stderr_has(&["hint:", "-m TEXT"]);
    sb.tix(["comment", &id]).fails(6).stderr_has(&["hint:"]);
    sb.tix(["reply", &id, "-m", "  \n "])
        .fails(6)
        .stderr_has(&["empty"]);
    sb.tix(["comment", &id, "-F", "-"]).stdin("").fails(6);
    sb.tix(["frobnicate"]).fails(2);
    sb.tix(["show"]).fails(2);

    assert_eq!(sb.commit_count(), before);
    sb.assert_clean();
    assert_eq!(sb.entries(&id).len(), 1);
    assert_eq!(files_under(&sb.dir.join("tickets")).len(), 1);
}

#[test]
fn the_derived_index_is_never_the_source_of_truth() {
    let sb = Sandbox::init();
    let a = sb.create("First");
    let b = sb.create("Second");
    sb.change(["tag", &a, "printer"]);
    let dir = sb.dir.join(".git/tix/index");
    let summary = dir.join("summary.bin");
    // The rows (`list`) and the full index (`--format json`).
    let listing = || {
        (
            sb.ok(["list", "--all", "--format", "tsv"]),
            sb.ok(["list", "--all", "--format", "json"]),
        )
    };
    let expected = listing();
    assert!(summary.is_file(), "list saves the index");
    let shard_files = files_under(&dir.join("shards"));
    assert!(!shard_files.is_empty());
    // Deleted, damaged, or from another version: rebuilt, same output.
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(listing(), expected);
    std::fs::write(&summary, b"{ not an index").unwrap();
    assert_eq!(listing(), expected);
    // Version 999 (a postcard varint, e7 07) and no shards.
    std::fs::write(&summary, [0xe7u8, 0x07, 0x00, 0x00]).unwrap();
    assert_eq!(listing(), expected);
    for shard in &shard_files {
        std::fs::write(shard, b"damaged").unwrap();
    }
    assert_eq!(listing(), expected);
    std::fs::remove_dir_all(dir.join("shards")).unwrap();
    assert_eq!(listing(), expected);
    // A stale index (saved before a change made behind tix's back, here a
    // `git revert` of the tag) is refreshed from the trees that changed.
    let tagged = sb.list_ids(["list", "--tag", "printer"]);
    assert_eq!(tagged, std::slice::from_ref(&a));
    sb.git(["revert", "--no-edit", "HEAD"]);
    assert!(sb.list_ids(["list", "--tag", "printer"]).is_empty());
    assert!(!sb.ok(["list", "--format", "json"]).contains("printer"));
    assert_eq!(sb.list_ids(["list", "--sort", "id"]).len(), 2);
    // tix reindex rebuilds it explicitly.
    let out = sb.ok(["reindex"]);
    assert!(out.contains("Indexed 2 tickets"), "{out}");
    let _ = b;
}

#[test]
fn a_change_to_one_ticket_rewrites_only_its_shard_of_the_index() {
    let sb = Sandbox::init();
    // Two tickets in different shards (ids are random: 1 in 1,024 share).
    let a = sb.create("First");
    let b = loop {
        let b = sb.create("Second");
        if b[..2] != a[..2] {
            break b;
        }
    };
    sb.ok(["list", "--format", "json"]);
    let shard = |id: &str| {
        sb.dir
            .join(format!(".git/tix/index/shards/{}.bin", &id[..2]))
    };
    // Shard files are overwritten in place, so a write shows in the
    // modification time, set far back here so that any write moves it.
    let long_ago = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    for id in [&a, &b] {
        std::fs::File::options()
            .write(true)
            .open(shard(id))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    let written = |id: &str| std::fs::metadata(shard(id)).unwrap().modified().unwrap();
    let a_bytes = std::fs::read(shard(&a)).unwrap();
    sb.change(["tag", &a, "urgent"]);
    assert_eq!(sb.list_ids(["list", "--tag", "urgent"]), vec![a.clone()]);
    // Written again only where it changed.
    assert_ne!(written(&a), long_ago);
    assert_ne!(std::fs::read(shard(&a)).unwrap(), a_bytes);
    assert_eq!(written(&b), long_ago);
}

#[test]
fn check_reports_templates_with_unknown_placeholders() {
    let sb = Sandbox::init();
    let dir = sb.dir.join(".tix/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("reply.md"),
        "Hello {{customer.first_name|there}},\n\n{{text}}\n\n{{agent.nmae}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("refund-policy.md"),
        "Refunds within {{days}} days.\n",
    )
    .unwrap();
    std::fs::write(dir.join("fine.md"), "Thanks, {{customer.name}}!\n").unwrap();
    sb.git(["add", ".tix/templates"]);
    sb.git(["commit", "-q", "-m", "templates"]);
    let run = sb.tix(["check"]).fails(10);
    assert!(
        run.stdout
            .contains(".tix/templates/reply.md: line 5: unknown placeholder `{{agent.nmae}}`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(".tix/templates/refund-policy.md: line 1: unknown placeholder `{{days}}`"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("fine.md"), "{}", run.stdout);
}
