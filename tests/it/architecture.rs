//! Holds the code to the layering that docs/architecture.md describes:
//! which module of the core crate may use which, no UI crate in the core,
//! no I/O in the pure layers, and in the binary `ui` below `commands`
//! below `cli`, with no command calling another. That the
//! core cannot use the binary crate the compiler enforces already. The exceptions
//! that exist today are listed here as debt; a new one fails the test,
//! and a paid one should be removed here and from the document.

use std::path::{Path, PathBuf};

/// What each layer of the core may use of it (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("testing_hooks", &[]),
    ("warnings", &[]),
    ("domain", &[]),
    ("store", &["domain", "error", "testing_hooks", "warnings"]),
    ("ops", &["store", "domain", "error", "warnings"]),
    (
        "search",
        &["store", "domain", "error", "testing_hooks", "warnings"],
    ),
    (
        "mail",
        &["search", "ops", "store", "domain", "error", "testing_hooks"],
    ),
    ("report", &["domain"]),
    ("render", &["report", "domain"]),
    ("rules", &["mail", "ops", "store", "domain", "error"]),
    (
        "query",
        &["rules", "report", "store", "domain", "error", "warnings"],
    ),
    (
        "export",
        &[
            "query", "render", "mail", "report", "store", "domain", "error", "warnings",
        ],
    ),
];

/// Upward imports that exist today: (file under the core's src/, module
/// it uses).
const KNOWN_UPWARD: &[(&str, &str)] = &[];

/// Commands calling other commands today: (file under src/commands/,
/// command module it uses).
const KNOWN_COMMAND_CALLS: &[(&str, &str)] = &[];

/// Modules of `commands/` that every command may use: not commands.
const COMMAND_HELPERS: &[&str] = &["prelude"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The core crate's sources.
fn core_src() -> PathBuf {
    root().join("crates/tix-core/src")
}

/// The binary crate's sources.
fn bin_src() -> PathBuf {
    root().join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Each file under `src` as (path relative to it, its layer, its code:
/// comment lines dropped, so prose naming a module is not an import).
fn sources(src: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let first = rel.split('/').next().unwrap();
            let layer = first.strip_suffix(".rs").unwrap_or(first).to_string();
            let code = std::fs::read_to_string(&f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            (rel, layer, code)
        })
        .collect()
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules `prefix` names in `code`: `prefix::a` and
/// `prefix::{a, b::{c, d}}` (across lines, as rustfmt writes long ones).
fn uses(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        let Some(group) = rest.strip_prefix('{') else {
            let m = ident(rest);
            if !m.is_empty() {
                out.push(m);
            }
            continue;
        };
        // The first name of each top-level item of the group.
        let (mut depth, mut start) = (0, true);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => start = true,
                c if start && !c.is_whitespace() => {
                    out.push(ident(&group[i..]));
                    start = false;
                }
                _ => {}
            }
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn lower_layers_do_not_use_upper_ones() {
    let mut bad = Vec::new();
    for (rel, layer, code) in sources(&core_src()) {
        let Some((_, allowed)) = ALLOWED.iter().find(|(l, _)| *l == layer) else {
            continue;
        };
        for m in uses(&code, "crate::") {
            // The crate root re-exports these from `error`.
            let m = match m.as_str() {
                "Error" | "ErrorKind" | "Result" => "error".to_string(),
                _ => m,
            };
            let ok = m == layer
                || allowed.contains(&m.as_str())
                || KNOWN_UPWARD.contains(&(rel.as_str(), m.as_str()));
            if !ok {
                bad.push(format!(
                    "crates/tix-core/src/{rel} ({layer}) uses crate::{m}"
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

/// The document's rule, "a layer uses only layers listed before it",
/// holds of the table the import check uses.
#[test]
fn every_layer_may_use_only_layers_listed_before_it() {
    let mut bad = Vec::new();
    for (at, (layer, allowed)) in ALLOWED.iter().enumerate() {
        for used in *allowed {
            match ALLOWED.iter().position(|(l, _)| l == used) {
                Some(p) if p < at => {}
                _ => bad.push(format!("{layer} may use {used}, not listed before it")),
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_core_depends_on_no_ui_crate() {
    let manifest = std::fs::read_to_string(root().join("crates/tix-core/Cargo.toml")).unwrap();
    let mut bad = Vec::new();
    for krate in [
        "clap",
        "clap_complete",
        "clap_mangen",
        "dialoguer",
        "indicatif",
        "unicode-width",
        "comfy-table",
        "ratatui",
    ] {
        if manifest.lines().any(|l| {
            l.trim_start().starts_with(&format!("{krate} "))
                || l.trim_start().starts_with(&format!("{krate}."))
        }) {
            bad.push(krate);
        }
    }
    assert!(
        bad.is_empty(),
        "crates/tix-core depends on UI crates {bad:?}: they belong to the tix binary crate"
    );
}

#[test]
fn the_pure_layers_do_no_io() {
    let mut bad = Vec::new();
    for (rel, layer, code) in sources(&core_src()) {
        if layer != "domain" && layer != "report" && layer != "render" {
            continue;
        }
        {
            for io in [
                "std::fs",
                "std::env",
                "std::process",
                "std::net",
                "std::io::stdin",
                "Utc::now",
                "Local::now",
                "SystemTime",
            ] {
                if code.contains(io) {
                    bad.push(format!("crates/tix-core/src/{rel} uses {io}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "I/O in a pure layer:\n{}", bad.join("\n"));
}

/// The command modules `commands/mod.rs` declares, helpers left out.
fn command_modules(mod_rs: &str) -> Vec<String> {
    mod_rs
        .lines()
        .filter_map(|l| {
            l.trim_start_matches("pub ")
                .strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .filter(|m| !COMMAND_HELPERS.contains(&m.as_str()))
        .collect()
}

/// What the file `rel` (under the binary's src/) uses against the
/// binary's layering: `ui` below `commands` below `cli`. A command module
/// (or the prelude) uses no other command module and not `cli`; `ui` uses
/// neither `commands` nor `cli`.
fn binary_layering_faults(rel: &str, code: &str, commands: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    let top = uses(code, "crate::");
    if let Some(file) = rel.strip_prefix("commands/") {
        let me = file.strip_suffix(".rs").unwrap_or(file);
        let mut called = uses(code, "super::");
        called.extend(uses(code, "crate::commands::"));
        for m in called {
            if m != me
                && commands.contains(&m)
                && !KNOWN_COMMAND_CALLS.contains(&(file, m.as_str()))
            {
                bad.push(format!("src/{rel} calls command {m}"));
            }
        }
        if me != "mod" && top.iter().any(|m| m == "cli") {
            bad.push(format!("src/{rel} uses cli, the layer above the commands"));
        }
    }
    if rel.starts_with("ui/") || rel == "ui.rs" {
        for above in ["commands", "cli"] {
            if top.iter().any(|m| m == above) {
                bad.push(format!("src/{rel} (ui) uses {above}, a layer above it"));
            }
        }
    }
    bad
}

#[test]
fn commands_do_not_call_other_commands_and_ui_uses_no_command() {
    let mod_rs = std::fs::read_to_string(bin_src().join("commands/mod.rs")).unwrap();
    let commands = command_modules(&mod_rs);
    assert!(commands.len() > 10, "commands/mod.rs lists {commands:?}");
    let sources = sources(&bin_src());
    assert!(
        sources.iter().any(|(rel, _, _)| rel.starts_with("ui/")),
        "no src/ui/ found"
    );
    let mut bad = Vec::new();
    for (rel, _, code) in &sources {
        bad.extend(binary_layering_faults(rel, code, &commands));
    }
    assert!(
        bad.is_empty(),
        "imports against the binary's layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_binary_layering_check_sees_each_fault() {
    let commands: Vec<String> = ["close", "status"].map(String::from).to_vec();
    let faults = |rel, code| binary_layering_faults(rel, code, &commands);
    assert_eq!(
        command_modules("pub mod prelude;\n\npub mod close;\nmod status;\n"),
        commands
    );
    assert_eq!(
        faults("commands/status.rs", "use super::close::CloseArgs;"),
        ["src/commands/status.rs calls command close"]
    );
    assert_eq!(
        faults(
            "commands/status.rs",
            "crate::commands::close::cmd_close(ctx, a)"
        ),
        ["src/commands/status.rs calls command close"]
    );
    assert_eq!(
        faults("commands/prelude.rs", "use super::{close, status};").len(),
        2
    );
    assert_eq!(
        faults("commands/close.rs", "use crate::cli::Command;"),
        ["src/commands/close.rs uses cli, the layer above the commands"]
    );
    assert_eq!(
        faults("ui/output.rs", "use crate::commands::prelude::Ctx;"),
        ["src/ui/output.rs (ui) uses commands, a layer above it"]
    );
    assert_eq!(
        faults("ui/mail.rs", "use crate::{cli, ui::output};").len(),
        1
    );
    // What is allowed: itself, the prelude, ui and the core.
    assert!(
        faults(
            "commands/close.rs",
            "use super::prelude::{Ctx, write};\nuse crate::ui::input;\nuse super::close::x;\nuse tix_core::ops;"
        )
        .is_empty()
    );
    assert!(faults("cli/mod.rs", "use crate::commands::{close, status};").is_empty());
}

#[test]
fn the_import_scanner_sees_both_forms() {
    assert_eq!(uses("use crate::store::Store;", "crate::"), ["store"]);
    assert_eq!(
        uses("use crate::{domain::Event, ops};", "crate::"),
        ["domain", "ops"]
    );
    assert_eq!(
        uses("use super::{Ctx, close, write};", "super::"),
        ["Ctx", "close", "write"]
    );
    assert_eq!(
        uses(
            "use crate::{\n    domain::{Event, Ticket},\n    ops,\n};",
            "crate::"
        ),
        ["domain", "ops"]
    );
    assert!(uses("let x = 1;", "crate::").is_empty());
}

/// Every `TIX_*` variable that either crate reads is either a documented
/// user-facing one or read through the core's `testing_hooks` module.
#[test]
fn test_only_variables_are_read_only_through_testing_hooks() {
    const USER_FACING: &[&str] = &["TIX_AGENT", "TIX_LOCK_TIMEOUT", "TIX_NOW", "TIX_COMPLETE"];
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for name in USER_FACING {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "{name} is read as a user-facing variable but the README does not document it"
        );
    }
    let mut files = Vec::new();
    rust_files(&core_src(), &mut files);
    rust_files(&bin_src(), &mut files);
    assert!(files.len() > 50, "found only {files:?}");
    let mut stray = Vec::new();
    for file in files {
        if file.ends_with("testing_hooks.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for read in ["var(\"TIX_", "var_os(\"TIX_", "env = \"TIX_"] {
            for (at, _) in text.match_indices(read) {
                let name: String = text[at + read.len() - 4..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                if !USER_FACING.contains(&name.as_str()) {
                    stray.push(format!("{}: {name}", file.display()));
                }
            }
        }
    }
    assert!(
        stray.is_empty(),
        "test-only variables read outside crates/tix-core/src/testing_hooks.rs: {stray:?}"
    );
}

/// Every path of the store is spelled once, in the core's
/// `store/layout.rs`; elsewhere it is named through that module, so a
/// literal of one of them (a folder, a lock or journal file, a cache file)
/// anywhere else is a copy that could drift.
#[test]
fn store_paths_are_spelled_only_in_the_layout() {
    const PATHS: &[&str] = &[
        "\".tix\"",
        "\".tix/config.yaml\"",
        "\".tix/templates\"",
        "\".tix/availability\"",
        "\".tix/duty.yaml\"",
        "\"tickets\"",
        "\"tickets/\"",
        "\"files\"",
        "\"quarantine\"",
        "\"quarantine/\"",
        "\"tix.lock\"",
        "\"tix-checkout\"",
        "\"tix-index-write\"",
        "\"tix-signing\"",
        "\"index.lock\"",
        "\"sharedindex.\"",
        "\"sequencer\"",
        "\"auto-reply.json\"",
        "\"clone-id\"",
        "\"fetch/",
        "\"summary.bin\"",
        "\"links.bin\"",
        "\"message-ids.bin\"",
        "\"facts.bin\"",
        "\"customers.bin\"",
        "\"people.bin\"",
        "\"shards\"",
        "\"index.bin\"",
        "\"search\"",
        "\"search.lock\"",
        "\"info/exclude\"",
        "join(\"tix\")",
        "join(\"index\")",
        "join(\"info\")",
    ];
    let mut bad = Vec::new();
    for (dir, src) in [("crates/tix-core/src", core_src()), ("src", bin_src())] {
        for (rel, _, code) in sources(&src) {
            if dir == "crates/tix-core/src" && rel == "store/layout.rs" {
                continue;
            }
            for path in PATHS {
                // `"tickets": n` is a JSON key, not a path.
                let as_path = code
                    .match_indices(path)
                    .any(|(at, _)| !code[at + path.len()..].starts_with(':'));
                if as_path {
                    bad.push(format!("{dir}/{rel} spells {path}"));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "store paths outside crates/tix-core/src/store/layout.rs:\n{}",
        bad.join("\n")
    );
}
