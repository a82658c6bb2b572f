//! A team of ten clones through one bare remote, for twenty rounds: random
//! commands concentrated on a few tickets, `tix sync` from several clones
//! at once, and real mail filed from a Maildir on the clone on duty.
//! Afterwards every clone and a fresh clone agree, no command that exited
//! 0 lost its entry, and no message went out twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::Sandbox;

const CLONES: usize = 10;
const ROUNDS: usize = 20;

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Mail from customer `n`, the `serial`th message of the run.
fn customer_mail(n: usize, serial: usize, subject: &str) -> String {
    format!(
        "From: Customer {n} <customer{n}@example.org>\nTo: support@example.com\n\
         Subject: {subject}\nMessage-ID: <team-{serial}@example.org>\n\
         Date: Mon, 2 Mar 2026 08:00:00 +0000\n\nHello from customer {n}, message {serial}.\n"
    )
}

/// Delivers a message into a Maildir the way an MTA does.
fn deliver(maildir: &Path, name: &str, text: &str) {
    let tmp = maildir.join("tmp").join(name);
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, maildir.join("new").join(name)).unwrap();
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every message-id of mail written to a clone's outgoing directory.
fn sent_ids(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let id = text
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("message-id")
                    .then(|| v.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no Message-ID in {}", e.path().display()));
        out.push(id.trim_matches(['<', '>']).to_string());
    }
    out
}

#[test]
fn ten_clones_twenty_rounds_agree_lose_nothing_and_send_nothing_twice() {
    let sb = Sandbox::new();
    let root = sb.root();
    let first = sb.first_clone_of_origin("c0");
    sb.tix(["agent", "add", "bob", "--email", "bob@example.com"])
        .in_dir(&first)
        .ok();
    let config = first.join(".tix/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "mail:\n  addresses: [support@example.com]\n  from: support@example.com\n  \
         outgoing:\n    transport: file\n    dir: sent-mail\n",
    );
    std::fs::write(&config, text).unwrap();
    sb.git_in(&first, ["commit", "-qam", "mail"]);
    let mut tickets = Vec::new();
    for n in 0..4 {
        tickets.push(
            sb.create_with(
                sb.tix([
                    "create",
                    "--customer",
                    &format!("customer{n}@example.org"),
                    "--subject",
                    &format!("Shared problem {n}"),
                    "-m",
                    "It broke",
                ])
                .in_dir(&first),
            ),
        );
    }
    sb.tix(["sync"]).in_dir(&first).ok();
    sb.tix(["duty", "take", "--lease", "1h"])
        .in_dir(&first)
        .ok();
    let clones: Vec<PathBuf> = (0..CLONES)
        .map(|i| {
            let dir = root.join(format!("c{i}"));
            if i > 0 {
                sb.git_in(&root, ["clone", "-q", "origin.git", &format!("c{i}")]);
            }
            dir
        })
        .collect();
    let maildir = root.join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }

    let mut rng = Lcg(0x7158_2026);
    // What exited 0: (ticket, unique text) of every comment and reply.
    let mut written: Vec<(String, String)> = Vec::new();
    let mut mail_no = 0;
    for round in 0..ROUNDS {
        for (i, dir) in clones.iter().enumerate() {
            for k in 0..1 + rng.below(2) {
                let id = &tickets[rng.below(tickets.len())];
                let text = format!("c{i} r{round} n{k}");
                let args: Vec<String> = match rng.below(6) {
                    0 => vec!["reply".into(), id.clone(), "-m".into(), text.clone()],
                    1 => vec!["tag".into(), id.clone(), format!("t{}", rng.below(3))],
                    2 => vec![
                        "assign".into(),
                        id.clone(),
                        ["alice", "bob"][rng.below(2)].into(),
                    ],
                    3 => vec![
                        "status".into(),
                        id.clone(),
                        ["open", "pending"][rng.below(2)].into(),
                    ],
                    _ => vec!["comment".into(), id.clone(), "-m".into(), text.clone()],
                };
                let run = sb.tix(&args).in_dir(dir).run();
                assert_eq!(run.code, 0, "c{i} {args:?}: {}{}", run.stdout, run.stderr);
                if matches!(args[0].as_str(), "reply" | "comment") {
                    written.push((id.clone(), text));
                }
            }
        }
        // Customers write: a new ticket now and then, and answers that
        // thread by the subject tag.
        for _ in 0..2 {
            mail_no += 1;
            let subject = if rng.below(3) == 0 {
                format!("New question {mail_no}")
            } else {
                let id = &tickets[rng.below(tickets.len())];
                let n = tickets.iter().position(|t| t == id).unwrap();
                format!("Re: Shared problem {n} [tix #{id}]")
            };
            let n = if subject.starts_with("Re:") {
                let id = subject.rsplit('#').next().unwrap().trim_end_matches(']');
                tickets.iter().position(|t| t == id).unwrap()
            } else {
                100 + mail_no
            };
            let text = customer_mail(n, mail_no, &subject);
            deliver(&maildir, &format!("{mail_no}.team"), &text);
        }
        let duty = &clones[0];
        sb.tix(["import", "maildir", maildir.to_str().unwrap()])
            .in_dir(duty)
            .ok();
        // Filed mail is moved out of new/ as an MTA's reader would leave it.
        for e in std::fs::read_dir(maildir.join("new")).unwrap().flatten() {
            std::fs::rename(e.path(), maildir.join("cur").join(e.file_name())).unwrap();
        }
        sb.tix(["tick"]).in_dir(duty).ok();
        // Several clones sync at the same moment; the rest in turn.
        let together: BTreeSet<usize> = (0..4).map(|_| rng.below(CLONES)).collect();
        std::thread::scope(|s| {
            for &i in &together {
                let dir = &clones[i];
                let sb = &sb;
                s.spawn(move || {
                    let run = sb.tix(["sync"]).in_dir(dir).run();
                    assert_eq!(run.code, 0, "c{i} sync: {}{}", run.stdout, run.stderr);
                });
            }
        });
        for (i, dir) in clones.iter().enumerate() {
            if !together.contains(&i) && rng.below(2) == 0 {
                sb.tix(["sync"]).in_dir(dir).ok();
            }
        }
    }
    // Everyone syncs twice: the second pass brings what others pushed in
    // the first.
    for _ in 0..2 {
        for dir in &clones {
            sb.tix(["sync"]).in_dir(dir).ok();
        }
    }
    sb.git_in(&root, ["clone", "-q", "origin.git", "fresh"]);
    let fresh = root.join("fresh");

    let list = |dir: &Path| {
        json(
            &sb.tix(["list", "--all", "--format", "json"])
                .in_dir(dir)
                .ok(),
        )
    };
    let expected = list(&fresh);
    let ids: Vec<String> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() > tickets.len(), "mail opened no ticket: {ids:?}");
    let shows: BTreeMap<&String, Value> = ids
        .iter()
        .map(|id| {
            (
                id,
                json(&sb.tix(["show", id, "--format", "json"]).in_dir(&fresh).ok()),
            )
        })
        .collect();
    for (i, dir) in clones.iter().enumerate() {
        assert_eq!(
            sb.git_in(dir, ["diff", "--name-only", "--diff-filter=U"]),
            "",
            "c{i} has conflicts"
        );
        assert!(
            list(dir) == expected,
            "c{i} lists differently from a fresh clone"
        );
        for id in &ids {
            let show = json(&sb.tix(["show", id, "--format", "json"]).in_dir(dir).ok());
            assert!(show == shows[id], "c{i} shows {id} differently");
        }
    }
    // No exit-0 entry lost.
    for (id, text) in &written {
        let entries = shows[id]["entries"].as_array().unwrap();
        assert!(
            entries.iter().any(|e| e["body"]
                .as_str()
                .unwrap_or_default()
                .contains(text.as_str())),
            "{id} lost `{text}`"
        );
    }
    // Every message tix wrote to be sent went out once, from one clone.
    let mut sent = Vec::new();
    for dir in &clones {
        sent.extend(sent_ids(&dir.join("sent-mail")));
    }
    let unique: BTreeSet<&String> = sent.iter().collect();
    assert_eq!(unique.len(), sent.len(), "mail sent twice: {sent:?}");
    let outbound: BTreeSet<String> = shows
        .values()
        .flat_map(|s| s["entries"].as_array().unwrap().clone())
        .filter(|e| e["mail"]["outbound"] == true)
        .map(|e| e["mail"]["message_id"].as_str().unwrap().to_string())
        .collect();
    let sent: BTreeSet<String> = sent.into_iter().collect();
    assert_eq!(
        sent, outbound,
        "what went out is not what the trail records"
    );
    assert!(!outbound.is_empty());
    let check = sb.tix(["check"]).in_dir(&fresh).run();
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn a_deactivated_agent_keeps_history_and_is_chosen_by_no_rule() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.change(["agent", "add", "carol", "--email", "carol@example.com"]);
    sb.set_config("assignment", "{rule: round-robin}");
    sb.set_config(
        "rules",
        "[{name: to bob, on: tag, if: {tag: bob}, do: [{assign: bob}]}]",
    );
    let ids: Vec<String> = (0..4).map(|i| sb.create(&format!("T{i}"))).collect();
    let bobs: Vec<&String> = ids
        .iter()
        .filter(|id| sb.ticket(id)["assignee"] == "bob")
        .collect();
    assert!(!bobs.is_empty(), "round-robin gave bob nothing");
    // Only admins; then bob's open tickets go to the others.
    sb.tix(["agent", "deactivate", "carol", "--as", "bob"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .fails(9);
    let out = sb.ok(["agent", "deactivate", "bob", "--reassign"]);
    assert!(out.contains("bob is deactivated"), "{out}");
    for id in &bobs {
        assert_ne!(sb.ticket(id)["assignee"], "bob", "{id} kept bob");
    }
    // History stays: his assign entries are still in the trail.
    assert!(
        sb.entries(bobs[0])
            .iter()
            .any(|e| e["kind"] == "assign" && e["to"] == "bob")
    );
    // No rule chooses him: new tickets, rules naming him, nor by hand.
    for i in 0..4 {
        let id = sb.create(&format!("After {i}"));
        assert_ne!(sb.ticket(&id)["assignee"], "bob");
    }
    let id = sb.create("Tagged");
    let run = sb.tix(["tag", &id, "bob"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("bob is deactivated"), "{}", run.stderr);
    assert_ne!(sb.ticket(&id)["assignee"], "bob");
    sb.tix(["assign", &id, "bob"])
        .fails(6)
        .stderr_has(&["deactivated"]);
    let list = sb.ok(["agent", "list"]);
    assert!(list.contains("deactivated"), "{list}");
    // Active again: assignable.
    sb.ok(["agent", "activate", "bob"]);
    sb.change(["assign", &id, "bob"]);
    sb.ok(["check"]);
}
