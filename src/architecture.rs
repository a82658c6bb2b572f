//! Holds the code to the layering that docs/architecture.md describes:
//! which module of the crate may use which, no UI crate below the CLI, no
//! I/O in the pure layers, and no command calling another. The exceptions
//! that exist today are listed here as debt; a new one fails the test,
//! and a paid one should be removed here and from the document.

use std::path::{Path, PathBuf};

/// What each layer may use of the crate (besides itself). `cli` and
/// `commands` may use everything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("testing_hooks", &[]),
    ("domain", &[]),
    ("store", &["domain", "error", "testing_hooks"]),
    ("ops", &["store", "domain", "error"]),
    (
        "mail",
        &["ops", "store", "domain", "error", "testing_hooks"],
    ),
    ("report", &["domain"]),
    ("rules", &["mail", "ops", "store", "domain", "error"]),
];

/// Upward imports that exist today: (file under src/, module it uses).
const KNOWN_UPWARD: &[(&str, &str)] = &[("store/mod.rs", "cli")];

/// Commands calling other commands today: (file under src/commands/,
/// command module it uses).
const KNOWN_COMMAND_CALLS: &[(&str, &str)] = &[
    ("escalate.rs", "text"),
    ("outbox.rs", "text"),
    ("quarantine.rs", "import"),
    ("simple.rs", "close"),
];

/// Modules of `commands/` that are shared helpers, not commands.
const COMMAND_HELPERS: &[&str] = &["filter"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
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

/// Each file under src/ as (path relative to src/, its layer, its code:
/// comment lines dropped, so prose naming a module is not an import).
fn sources() -> Vec<(String, String, String)> {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&src)
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
    for (rel, layer, code) in sources() {
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
                bad.push(format!("src/{rel} ({layer}) uses crate::{m}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_ui_crate_below_the_cli() {
    let mut bad = Vec::new();
    for (rel, layer, code) in sources() {
        if ["cli", "commands", "main", "lib", "architecture"].contains(&layer.as_str()) {
            continue;
        }
        for krate in [
            "clap",
            "clap_complete",
            "clap_mangen",
            "dialoguer",
            "indicatif",
        ] {
            if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
                bad.push(format!("src/{rel} uses {krate}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "UI crates below the CLI:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_pure_layers_do_no_io() {
    let mut bad = Vec::new();
    for (rel, layer, code) in sources() {
        if layer != "domain" && layer != "report" {
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
                    bad.push(format!("src/{rel} uses {io}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "I/O in a pure layer:\n{}", bad.join("\n"));
}

#[test]
fn commands_do_not_call_other_commands() {
    let mod_rs = std::fs::read_to_string(src().join("commands/mod.rs")).unwrap();
    let commands: Vec<String> = mod_rs
        .lines()
        .filter_map(|l| {
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .filter(|m| !COMMAND_HELPERS.contains(&m.as_str()))
        .collect();
    assert!(commands.len() > 10, "commands/mod.rs lists {commands:?}");
    let mut bad = Vec::new();
    for (rel, layer, code) in sources() {
        let Some(file) = rel.strip_prefix("commands/") else {
            continue;
        };
        if layer != "commands" || file == "mod.rs" {
            continue;
        }
        let me = file.strip_suffix(".rs").unwrap_or(file);
        let mut called = uses(&code, "super::");
        called.extend(uses(&code, "crate::commands::"));
        for m in called {
            if m != me
                && commands.contains(&m)
                && !KNOWN_COMMAND_CALLS.contains(&(file, m.as_str()))
            {
                bad.push(format!("src/{rel} calls command {m}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "commands calling commands:\n{}",
        bad.join("\n")
    );
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
