//! `tix check` on what the finding features added: customer note files
//! (each read, bounded, checked), the twin entries of merges, and the
//! search index (derived data, looked at and never built).

use std::path::{Path, PathBuf};

use crate::common::Sandbox;
use serde_json::Value;

/// The folder of an address's notes, as docs/customers.md defines it
/// (FNV-1a, 64 bits, hex), worked out here independently of tix.
fn folder_of(address: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in address.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn notes_dir(sb: &Sandbox) -> PathBuf {
    sb.dir.join(".tix/customers")
}

/// A store where Ann has a ticket and one note written by tix.
fn ann_with_a_note() -> (Sandbox, PathBuf) {
    let sb = Sandbox::init();
    sb.create("Printer");
    sb.ok([
        "customer",
        "ann@example.com",
        "--note",
        "-m",
        "Prefers phone",
    ]);
    let ann = notes_dir(&sb).join(folder_of("ann@example.com"));
    assert!(ann.is_dir(), "tix wrote the note elsewhere");
    (sb, ann)
}

fn note_yaml(customer: &str, text: &str) -> String {
    format!(
        "format: 1\ncustomer: {customer}\ntext: {text}\nat: 2026-01-02T09:00:00.000000Z\nby: alice\n"
    )
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn commit_by_hand(sb: &Sandbox, message: &str) {
    sb.git(["add", "-A"]);
    sb.git(["commit", "-q", "-m", message]);
}

fn card_notes(run: &crate::common::Run) -> Vec<String> {
    let card: Value = serde_json::from_str(&run.stdout).unwrap();
    card["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_file_under_customers_that_is_no_note_is_named_with_what_was_expected() {
    let (sb, ann) = ann_with_a_note();
    let ann_dir = format!(".tix/customers/{}", folder_of("ann@example.com"));
    let bob_dir = format!(".tix/customers/{}", folder_of("bob@example.com"));
    sb.ok(["check"]);
    write(&ann.join("2026-bad-yaml.yaml"), "format: 1\ncustomer: [\n");
    write(
        &ann.join("2026-extra.yaml"),
        note_yaml("ann@example.com", "hello") + "colour: red\n",
    );
    write(
        &ann.join("2026-format.yaml"),
        note_yaml("ann@example.com", "x").replace("format: 1", "format: 7"),
    );
    write(
        &ann.join("2026-empty.yaml"),
        note_yaml("ann@example.com", "''"),
    );
    write(&ann.join("2026-big.yaml"), vec![b'a'; 2 << 20]);
    write(&ann.join("README.txt"), "notes go here\n");
    write(&ann.join("sub/x.yaml"), note_yaml("ann@example.com", "x"));
    // Ann's note in Bob's folder: no card would ever show it.
    write(
        &sb.dir.join(&bob_dir).join("2026-misplaced.yaml"),
        note_yaml("ann@example.com", "misplaced"),
    );
    write(
        &notes_dir(&sb).join("stray.yaml"),
        note_yaml("ann@example.com", "x"),
    );
    write(
        &notes_dir(&sb).join("not-a-hash/2026-x.yaml"),
        note_yaml("ann@example.com", "x"),
    );
    commit_by_hand(&sb, "hand-made note files");

    let run = sb.tix(["check"]).run().code(10);
    let expect = [
        format!(
            "error: {ann_dir}/2026-bad-yaml.yaml: not a customer note (a mapping of format, customer, text, at and by)"
        ),
        format!(
            "error: {ann_dir}/2026-extra.yaml: not a customer note (a mapping of format, customer, text, at and by): unknown field `colour`"
        ),
        format!("error: {ann_dir}/2026-format.yaml: format 7; a customer note is format 1"),
        format!("error: {ann_dir}/2026-empty.yaml: the note's text is empty"),
        format!(
            "error: {ann_dir}/2026-big.yaml: is 2097152 bytes; a note file holds at most 1048576 (not read)"
        ),
        format!(
            "error: {ann_dir}/README.txt: unexpected file (not named `<time>-<random>.yaml`); .tix/customers/ holds only folders named by the hash of an address"
        ),
        format!("error: {ann_dir}/sub: unexpected folder;"),
        format!(
            "error: {bob_dir}/2026-misplaced.yaml: names customer `ann@example.com`, whose notes are in folder {}, not {}",
            folder_of("ann@example.com"),
            folder_of("bob@example.com")
        ),
        "error: .tix/customers/stray.yaml: unexpected file;".to_string(),
        "error: .tix/customers/not-a-hash: unexpected folder;".to_string(),
    ];
    for e in &expect {
        assert!(
            run.stdout.contains(e.as_str()),
            "no {e:?} in\n{}",
            run.stdout
        );
    }
    assert_eq!(
        run.stdout.matches("error: .tix/customers/").count(),
        expect.len(),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("the store has 10 problem(s)"),
        "{}",
        run.stderr
    );
    // The note tix wrote is not among them.
    assert!(!run.stdout.contains("Prefers"), "{}", run.stdout);

    // The card shows the good note and says which files of Ann's folder
    // it left out.
    let card = sb
        .tix(["customer", "ann@example.com", "--format", "json"])
        .run()
        .code(0)
        .stderr_has(&[
            &format!("{ann_dir}/2026-bad-yaml.yaml"),
            &format!("{ann_dir}/2026-big.yaml: is 2097152 bytes"),
            "not shown",
        ]);
    assert_eq!(card_notes(&card), ["Prefers phone"]);
    assert!(!card.stderr.contains("misplaced"), "{}", card.stderr);
}

/// A 100 MB note file committed by hand (a sparse file, so the test
/// writes little): the card and check take its size from git and never
/// its content. To show that the content is not read, the object is then
/// cut short past its header: git can still say its size, but any read
/// of the whole would fail, and both commands answer as before.
#[test]
fn a_huge_note_file_is_measured_not_read() {
    let (sb, ann) = ann_with_a_note();
    let big = ann.join("2026-01-03T00-00-00-huge.yaml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(100 << 20).unwrap();
    drop(file);
    commit_by_hand(&sb, "a huge note");
    let path = format!(
        ".tix/customers/{}/2026-01-03T00-00-00-huge.yaml",
        folder_of("ann@example.com")
    );
    let said = format!("{path}: is 104857600 bytes; a note file holds at most 1048576 (not read)");

    let assert_answers = |sb: &Sandbox| {
        let card = sb
            .tix(["customer", "ann@example.com", "--format", "json"])
            .run()
            .code(0)
            .stderr_has(&[&said]);
        assert_eq!(card_notes(&card), ["Prefers phone"]);
        let run = sb.tix(["check"]).run().code(10);
        assert!(
            run.stdout.contains(&format!("error: {said}")),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.len() < 4096,
            "check printed {} bytes",
            run.stdout.len()
        );
    };
    assert_answers(&sb);

    let oid = sb.git(["rev-parse", &format!("HEAD:{path}")]);
    let oid = oid.trim();
    let loose = sb.dir.join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    let whole = std::fs::read(&loose).unwrap();
    std::fs::write(&loose, &whole[..whole.len().min(2048)]).unwrap();
    let cat = sb.git_run_in(&sb.dir, ["cat-file", "blob", oid]);
    assert_ne!(cat.code, 0, "the object is still whole");
    assert_eq!(sb.git(["cat-file", "-s", oid]).trim(), "104857600");
    assert_answers(&sb);
}

fn merge_entry(sb: &Sandbox, id: &str) -> PathBuf {
    let dir = sb.ticket_dir(id);
    std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-merge.md"))
        .unwrap_or_else(|| panic!("no merge entry in {}", dir.display()))
}

fn store_path(sb: &Sandbox, path: &Path) -> String {
    path.strip_prefix(&sb.dir)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_merge_entry_without_its_twin_or_its_other_ticket_is_reported() {
    let sb = Sandbox::init();
    let x = sb.create("Printer");
    let y = sb.create("Printer again");
    sb.ok(["merge", &x, "into", &y]);
    sb.ok(["check"]);
    let on_x = store_path(&sb, &merge_entry(&sb, &x));
    let on_y = store_path(&sb, &merge_entry(&sb, &y));

    sb.git(["rm", "-q", &on_y]);
    sb.git(["commit", "-q", "-m", "lose one side of the merge"]);
    let run = sb.tix(["check"]).run().code(10);
    let lost = format!(
        "error: {on_x}: merge of {x} into {y}: ticket {y} has no such entry (same time and fields): a merge is written on both tickets, and tickets {x} and {y} now disagree about it"
    );
    assert!(run.stdout.contains(&lost), "{}", run.stdout);

    sb.git(["rm", "-q", "-r", &store_path(&sb, &sb.ticket_dir(&y))]);
    sb.git(["commit", "-q", "-m", "lose the target"]);
    let run = sb.tix(["check"]).run().code(10);
    let gone = format!("error: {on_x}: merge of {x} into {y}: ticket {y} does not exist");
    assert!(run.stdout.contains(&gone), "{}", run.stdout);
    assert!(!run.stdout.contains(&lost), "{}", run.stdout);
}

#[test]
fn an_unmerge_and_a_split_recorded_on_both_tickets_pass() {
    let sb = Sandbox::init();
    let x = sb.create("Printer");
    let y = sb.create("Printer again");
    sb.ok(["merge", &x, "into", &y]);
    sb.ok(["unmerge", &x]);
    let entries = sb.entries(&x);
    let request = entries[0]["entry_file"].as_str().unwrap().to_string();
    sb.ok(["comment", &x, "-m", "a second problem"]);
    let note = sb.entries(&x).last().unwrap()["entry_file"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(note, request);
    sb.ok(["split", &x, "--entries", &note]);
    let run = sb.tix(["check"]).run().code(0);
    assert!(!run.stdout.contains("error:"), "{}", run.stdout);
}

fn search_state(sb: &Sandbox) -> Value {
    let out = sb.ok(["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["search_index"].clone()
}

#[test]
fn check_says_where_the_search_index_stands_and_never_builds_it() {
    let sb = Sandbox::init();
    sb.create("Printer");
    let meta = sb.dir.join(".git/tix/search/meta.json");
    let out = sb.ok(["check"]);
    assert!(
        out.contains("search index: not built (the first `tix search` builds it)"),
        "{out}"
    );
    assert_eq!(search_state(&sb)["state"], "missing");
    assert!(!meta.exists(), "check built the search index");

    sb.ok(["search", "printer"]);
    let out = sb.ok(["check"]);
    assert!(
        out.contains("search index: up to date with HEAD, 1 of 1 tickets"),
        "{out}"
    );

    sb.create("Scanner");
    let before = std::fs::read(&meta).unwrap();
    let out = sb.ok(["check"]);
    assert!(
        out.contains("search index: behind HEAD (1 shard(s) changed since"),
        "{out}"
    );
    assert!(out.contains("1 documents for 2 tickets"), "{out}");
    let state = search_state(&sb);
    assert_eq!(state["state"], "present");
    assert_eq!(state["documents"], 1);
    assert_eq!(state["behind"], 1);
    assert_eq!(
        std::fs::read(&meta).unwrap(),
        before,
        "check updated the search index"
    );
}

#[test]
fn a_damaged_search_index_is_a_warning_naming_reindex_which_clears_it() {
    let sb = Sandbox::init();
    sb.create("Printer");
    let dir = sb.dir.join(".git/tix/search");
    let segments = || -> Vec<PathBuf> {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name != "meta.json" && !name.starts_with('.')
            })
            .collect()
    };
    type Spoil = fn(&Path, &[PathBuf]);
    let spoils: [(&str, Spoil); 3] = [
        ("garbled meta.json", |dir, _| {
            std::fs::write(dir.join("meta.json"), b"\x00garbage").unwrap()
        }),
        ("segment files garbled", |_, files| {
            for f in files {
                std::fs::write(f, b"garbage").unwrap();
            }
        }),
        ("the largest segment file cut in half", |_, files| {
            let largest = files
                .iter()
                .max_by_key(|f| std::fs::metadata(f).unwrap().len())
                .unwrap();
            let bytes = std::fs::read(largest).unwrap();
            std::fs::write(largest, &bytes[..bytes.len() / 2]).unwrap();
        }),
    ];
    for (how, spoil) in spoils {
        sb.ok(["search", "printer"]);
        spoil(&dir, &segments());
        let run = sb.tix(["check"]).run().code(0);
        let warning = format!(
            "warning: the search index in {} is damaged (",
            dir.display()
        );
        assert!(run.stdout.contains(&warning), "{how}:\n{}", run.stdout);
        assert!(
            run.stdout.contains("run `tix reindex` to rebuild it"),
            "{how}:\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("search index: damaged"), "{how}");
        assert!(!run.stderr.contains("panicked"), "{how}: {}", run.stderr);
        // Reported, not repaired: a second check finds it as it was.
        assert!(
            sb.ok(["check"]).contains(&warning),
            "{how}: check repaired it"
        );
        sb.ok(["reindex"]);
        let out = sb.ok(["check"]);
        assert!(!out.contains("warning:"), "{how}:\n{out}");
        assert!(
            out.contains("search index: up to date with HEAD, 1 of 1 tickets"),
            "{how}:\n{out}"
        );
    }
}
