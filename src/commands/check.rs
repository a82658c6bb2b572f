//! `tix check`: everything that could be wrong with a store, reported
//! with paths; exit code 10 when anything is.

use std::collections::BTreeSet;

use clap::Args;
use serde::Serialize;

use crate::ui::output::{self, print};
use tix_core::domain::twins::{self, Unpaired, Why};
use tix_core::domain::{Entry, TicketId, fold};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::search;
use tix_core::store::Store;

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Also verify that commits are signed by the key declared for the
    /// agent who made them (the config's `signed_commits` says which)
    #[arg(long)]
    pub signatures: bool,
    /// With --signatures: only the commits after COMMIT
    #[arg(long, value_name = "COMMIT", requires = "signatures")]
    pub since: Option<String>,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Serialize)]
struct Report {
    tickets: usize,
    entries: usize,
    /// Problems that make the store wrong.
    errors: Vec<String>,
    /// Things worth knowing that are not wrong (entries after a lock, say).
    warnings: Vec<String>,
    /// Entries recorded twice (the same mail imported, the same rule run,
    /// on two clones) that the fold counts once: nothing to fix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    folded: Vec<String>,
    /// The search index as found (derived data: read, never built here).
    search_index: search::Status,
}

pub fn cmd_check(ctx: &Ctx, args: CheckArgs) -> Result<()> {
    let store = ctx.store()?;
    let mut report = Report {
        tickets: 0,
        entries: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        folded: Vec::new(),
        search_index: search::Status::Missing,
    };
    let agents = &store.config().agents;
    let mut ids: BTreeSet<TicketId> = BTreeSet::new();
    let mut twin_entries = twins::TwinEntries::new();
    for (id, files) in store.read_all()? {
        report.tickets += 1;
        ids.insert(id);
        let held: Vec<(String, Entry)> = files
            .entries
            .iter()
            .filter(|e| twins::twin_tickets(&e.entry.event).is_some())
            .map(|e| (e.file.clone(), e.entry.clone()))
            .collect();
        if !held.is_empty() {
            twin_entries.insert(id, held);
        }
        report.entries += files.entries.len();
        for p in files.problems {
            report.errors.push(format!("{}: {}", p.path, p.message));
        }
        let (ticket, trail) = fold(id, files.entries);
        for item in &trail {
            if let Some(original) = &item.copy_of {
                report.folded.push(format!(
                    "ticket {id}: {} is a copy of {original}",
                    item.file
                ));
            }
        }
        if ticket.created_at.is_none() {
            report
                .errors
                .push(format!("ticket {id}: has no readable `created` entry"));
        }
        for w in ticket.warnings {
            report.warnings.push(format!("ticket {id}: {w}"));
        }
        if let Some(a) = &ticket.assignee
            && !agents.iter().any(|ag| &ag.handle == a)
        {
            report.warnings.push(format!(
                "ticket {id}: assigned to `{a}`, who is not in the config's agents"
            ));
        }
    }
    for u in twins::unpaired(&twin_entries, &ids) {
        report.errors.push(unpaired_problem(&store, &u));
    }
    for p in store.customer_note_problems()? {
        report.errors.push(format!("{}: {}", p.path, p.message));
    }
    report
        .errors
        .extend(tix_core::mail::template::check_all(&store)?);
    report
        .errors
        .extend(tix_core::ops::team::check_availability(&store)?);
    report
        .errors
        .extend(tix_core::ops::purge::check_manifests(&store)?);
    report
        .warnings
        .extend(store.record_problems().iter().cloned());
    let uncommitted = store.uncommitted_hand_written()?;
    if !uncommitted.is_empty() {
        report
            .warnings
            .push(tix_core::store::uncommitted_warning(&uncommitted));
    }
    report.warnings.extend(store.verify_index()?);
    report.search_index = search::status(&store)?;
    if let Some(w) = search_index_warning(&store, &report.search_index, report.tickets) {
        report.warnings.push(w);
    }
    report.errors.extend(store.stale_git_locks());
    if let Some(head) = store.head_tree()? {
        index_report(&store, &head, &mut report)?;
    }
    for h in store.check_history()? {
        report.errors.push(format!(
            "commit {}: {} {} (entries are append-only)",
            &h.commit[..10.min(h.commit.len())],
            h.change,
            h.path
        ));
    }
    if args.signatures {
        for p in store.verify_signatures(args.since.as_deref())? {
            report.errors.push(format!(
                "commit {} ({}): {}",
                &p.commit[..10.min(p.commit.len())],
                p.summary,
                p.problem
            ));
        }
    }
    match args.output.format {
        TextFormat::Json => print(&output::json(&report)?)?,
        TextFormat::Text => {
            let mut out = String::new();
            for e in &report.errors {
                out.push_str(&format!("error: {e}\n"));
            }
            for w in &report.warnings {
                out.push_str(&format!("warning: {w}\n"));
            }
            for f in &report.folded {
                out.push_str(&format!("folded: {f}\n"));
            }
            out.push_str(&format!(
                "search index: {}\n",
                search_index_line(&report.search_index, report.tickets)
            ));
            out.push_str(&format!(
                "{} tickets, {} entries: {} errors, {} warnings",
                report.tickets,
                report.entries,
                report.errors.len(),
                report.warnings.len()
            ));
            if !report.folded.is_empty() {
                out.push_str(&format!(
                    ", {} copies folded (counted once)",
                    report.folded.len()
                ));
            }
            out.push('\n');
            // Problems quote what committed files hold (a field name, a
            // value), which must not act on the terminal.
            print(&output::for_stdout(&out))?;
        }
    }
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::CheckFailed,
            format!("the store has {} problem(s)", report.errors.len()),
        ))
    }
}

/// A merge, unmerge or split entry the other ticket does not match, as
/// entry problems are reported: the file, then what is wrong.
fn unpaired_problem(store: &Store, u: &Unpaired) -> String {
    let path = store.repo_path(&format!("{}/{}", Store::ticket_dir(&u.ticket), u.file));
    let (source, target) = (u.source, u.target);
    let what = match u.kind {
        "unmerge" => format!("unmerge of {source} from {target}"),
        "split" => format!("split of {source} into {target}"),
        _ => format!("{} of {source} into {target}", u.kind),
    };
    let wrong = match &u.why {
        Why::TwinMissing(other) => format!(
            "ticket {other} has no such entry (same time and fields): a {} is written on both tickets, and tickets {} and {other} now disagree about it",
            u.kind, u.ticket
        ),
        Why::OtherMissing(other) => format!("ticket {other} does not exist"),
        Why::NamesNeither => format!("it does not name ticket {}, which holds it", u.ticket),
        Why::SameTicket => "it names the same ticket twice".to_string(),
    };
    format!("{path}: {what}: {wrong}")
}

/// The search index is derived data, as the ticket index is: damage is
/// worth knowing (a warning, as for the ticket index), not a problem of
/// the store. Unlike the ticket index it is not rebuilt here, since that
/// reads every ticket's text again; a search or `tix reindex` does it.
fn search_index_warning(store: &Store, status: &search::Status, tickets: usize) -> Option<String> {
    let dir = store.search_index_dir();
    match status {
        search::Status::Damaged { problem } => Some(format!(
            "the search index in {} is damaged ({problem}); run `tix reindex` to rebuild it (the next search would too)",
            dir.display()
        )),
        search::Status::Present {
            documents,
            behind: 0,
        } if *documents != tickets as u64 => Some(format!(
            "the search index in {} holds {documents} ticket(s) where HEAD has {tickets}; run `tix reindex` to rebuild it",
            dir.display()
        )),
        _ => None,
    }
}

fn search_index_line(status: &search::Status, tickets: usize) -> String {
    match status {
        search::Status::Missing => "not built (the first `tix search` builds it)".into(),
        search::Status::OtherVersion => {
            "made by another version of tix (the next `tix search` rebuilds it)".into()
        }
        search::Status::Damaged { .. } => "damaged (see the warning)".into(),
        search::Status::Present {
            documents,
            behind: 0,
        } => format!("up to date with HEAD, {documents} of {tickets} tickets"),
        search::Status::Present { documents, behind } => format!(
            "behind HEAD ({behind} shard(s) changed since; the next `tix search` brings it up to date), {documents} documents for {tickets} tickets"
        ),
    }
}

/// git's index against HEAD for the store's files: a staged deletion or
/// change there is what a failed index update leaves, and a routine
/// `git commit -a` would commit it.
fn index_report(store: &Store, head: &git2::Tree<'_>, report: &mut Report) -> Result<()> {
    let diffs = match store.index_differences(head) {
        Ok(diffs) => diffs,
        Err(e) => {
            // A damaged git index is a problem to report, like any other
            // check finds, not a reason for check itself to fail: git
            // refuses it too, and it is only a cache of HEAD plus staging.
            let file = store.git_index_file();
            let what = match std::fs::metadata(&file) {
                Ok(m) if m.len() == 0 => "is empty".to_string(),
                _ => format!("cannot be read ({})", e.message()),
            };
            report.errors.push(format!(
                "git's index {} {what}: git commands fail on it and tix cannot keep it in step; \
                 if no git command is running, rebuild it from HEAD with `rm {} && git reset -q` \
                 (the work tree is kept; anything staged is lost)",
                file.display(),
                file.display()
            ));
            return Ok(());
        }
    };
    let (added, changed): (Vec<_>, Vec<_>) = diffs.iter().partition(|d| d.committed.is_none());
    let describe = |list: &[&tix_core::store::IndexDifference]| {
        let mut shown: Vec<String> = list
            .iter()
            .take(5)
            .map(|d| format!("{} ({})", store.repo_path(&d.path), d.change))
            .collect();
        if list.len() > 5 {
            shown.push(format!("and {} more", list.len() - 5));
        }
        shown.join(", ")
    };
    if !changed.is_empty() {
        let fix = if store.checkout_pending() {
            "an earlier write could not update it; the next tix write brings it in step"
        } else {
            "`git reset -q -- <path>` sets an entry back to HEAD's"
        };
        report.errors.push(format!(
            "git's index differs from HEAD for {} store file(s): {}; {fix}",
            changed.len(),
            describe(&changed)
        ));
    }
    if !added.is_empty() {
        report.warnings.push(format!(
            "{} store file(s) staged that HEAD does not have: {}",
            added.len(),
            describe(&added)
        ));
    }
    Ok(())
}
