//! Values for dynamic shell completion: ticket ids, agents, groups, tags
//! and custom fields, read from the store in the current directory.
//!
//! The shell runs `TIX_COMPLETE=<shell> tix -- <words>` on every Tab (the
//! scripts in `completions/` register that); clap_complete completes
//! subcommands, flags and fixed values such as statuses itself and calls
//! these for the rest. They never fail: no store, no candidates.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use tix_core::store::Store;

fn store() -> Option<Store> {
    Store::discover(&std::env::current_dir().ok()?).ok()
}

fn typed(current: &OsStr) -> String {
    current.to_string_lossy().to_lowercase()
}

/// The candidates that start with what is typed, ignoring case: clap
/// leaves that to the completer.
fn matching(current: &OsStr, all: Vec<CompletionCandidate>) -> Vec<CompletionCandidate> {
    let prefix = typed(current);
    all.into_iter()
        .filter(|c| {
            c.get_value()
                .to_string_lossy()
                .to_lowercase()
                .starts_with(&prefix)
        })
        .collect()
}

/// Ticket ids (matched case-insensitively), with the subject as help.
pub fn ticket_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let prefix = typed(current);
    let Ok(rows) = store.list_rows() else {
        return Vec::new();
    };
    let Ok(rows) = rows.select(|r| r.id.as_str().to_lowercase().starts_with(&prefix)) else {
        return Vec::new();
    };
    rows.iter()
        .map(|r| {
            CompletionCandidate::new(r.id.as_str()).help(Some(
                format!(
                    "{} · {}",
                    r.status,
                    crate::ui::output::terminal_safe(r.subject)
                )
                .into(),
            ))
        })
        .collect()
}

/// Agent handles, with the address as help.
pub fn agents(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let all = store
        .config()
        .agents
        .iter()
        .map(|a| CompletionCandidate::new(&a.handle).help(Some(a.email.to_string().into())))
        .collect();
    matching(current, all)
}

/// The departments of `mail.departments`, with their first address.
pub fn departments(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let all = store
        .config()
        .mail
        .departments
        .iter()
        .map(|d| CompletionCandidate::new(&d.name).help(Some(d.addresses[0].clone().into())))
        .collect();
    matching(current, all)
}

/// Groups, then agents: where `escalate --to` can send a ticket.
pub fn groups_and_agents(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut out: Vec<CompletionCandidate> = store()
        .map(|s| {
            s.config()
                .groups
                .iter()
                .map(|g| CompletionCandidate::new(&g.name).help(Some("group".into())))
                .collect()
        })
        .map(|all| matching(current, all))
        .unwrap_or_default();
    out.extend(agents(current));
    out
}

/// Groups of the config.
pub fn groups(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let all = store
        .config()
        .groups
        .iter()
        .map(|g| CompletionCandidate::new(&g.name))
        .collect();
    matching(current, all)
}

/// Named views as `tix list` takes them, `@name`.
pub fn views(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let all = store
        .config()
        .view_book
        .keys()
        .map(|name| CompletionCandidate::new(format!("@{name}")))
        .collect();
    matching(current, all)
}

/// Tags in use on any ticket.
pub fn tags(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let Ok(rows) = store.list_rows() else {
        return Vec::new();
    };
    let mut tags = std::collections::BTreeSet::new();
    let _ = rows.select(|r| {
        tags.extend(r.tags.iter().map(|t| t.to_string()));
        false
    });
    matching(
        current,
        tags.into_iter().map(CompletionCandidate::new).collect(),
    )
}

/// Custom field names declared in the config.
pub fn field_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let all = store
        .config()
        .fields
        .iter()
        .map(|f| CompletionCandidate::new(&f.name).help(Some(f.field_type.to_string().into())))
        .collect();
    matching(current, all)
}

/// `NAME=` for each custom field, and `NAME=CHOICE` once a choice
/// field's name is typed.
pub fn field_assignments(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let typed = current.to_string_lossy();
    let mut out = Vec::new();
    for f in &store.config().fields {
        match typed.split_once('=') {
            Some((name, _)) if name == f.name => out.extend(
                f.choices
                    .iter()
                    .map(|c| CompletionCandidate::new(format!("{}={c}", f.name))),
            ),
            Some(_) => {}
            None => out.push(
                CompletionCandidate::new(format!("{}=", f.name))
                    .help(Some(f.field_type.to_string().into())),
            ),
        }
    }
    matching(current, out)
}
