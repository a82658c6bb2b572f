//! The integration tests: one test binary (one link of tix's
//! dependencies instead of one per file), a module per area. Each module
//! runs the real `tix` binary in temporary git repositories through
//! `common`; modules are listed here, and `every_test_file_is_listed`
//! fails when a file under tests/ is not.

mod common;

mod architecture;
mod automation;
mod bulk;
mod channels;
mod check;
mod cli;
mod cli_io;
mod concurrency;
mod csat;
mod customers;
mod departments;
mod durability;
mod duty;
mod export_html;
mod fetch;
mod generated;
mod git_state;
mod import;
mod index_refresh;
mod mail_classify;
mod mail_commands;
mod mail_net;
mod mail_quote;
mod mail_send;
mod mail_trust;
mod maintenance;
mod merge;
mod purge;
mod quarantine;
mod reads;
mod records;
mod redact;
mod reply_controls;
mod reply_mail;
mod report;
mod rules;
mod schema;
mod search;
mod similar;
mod sla;
mod split_index;
mod store_recovery;
mod sync;
mod tasks;
mod team;
mod team_records;
mod tick;
mod ticket_merge;
mod trust_misc;
mod views;
mod who;

/// A file in tests/it/ that is not a module here would never be compiled,
/// and a file directly in tests/ would be a test binary of its own.
#[test]
fn every_test_file_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("it/main.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir.join("it")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module != "main" && !main.lines().any(|l| l == format!("mod {module};")) {
            missing.push(format!("tests/it/{name}"));
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") {
            missing.push(format!("tests/{name} (move it to tests/it/ and list it)"));
        }
    }
    assert!(
        missing.is_empty(),
        "test files not in tests/it/main.rs: {missing:?}"
    );
}
