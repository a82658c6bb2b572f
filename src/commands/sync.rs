//! `tix sync`: one fetch, merge and push with the team's remote, and what
//! it means for the person syncing.

use std::fmt::Write as _;

use clap::Args;

use crate::ui::output::{self, for_stdout, print};
use tix_core::error::Result;
use tix_core::store::{SyncOptions, SyncReport};

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The git remote; default: the branch's upstream, else the only remote, else origin
    pub remote: Option<String>,
    /// Fetch and say what would come in and go out; change nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_sync(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let report = store.sync(&SyncOptions {
        remote: args.remote,
        dry_run: args.dry_run,
        author: actor.author(),
        me: Some(actor.handle.clone()),
    })?;
    match args.output.format {
        TextFormat::Json => print(&output::json(&report)?),
        TextFormat::Text => print(&render(&report)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `n` and `word`, with an `s` unless there is one.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn render(r: &SyncReport) -> String {
    let mut out = String::new();
    let with = format!("{}/{}", r.remote, r.remote_branch);
    let entries_in = r.entries_in();
    let came = format!(
        "{} ({} on {})",
        count(r.commits_in, "commit"),
        plural(entries_in, "entry", "entries"),
        count(r.changed.len(), "ticket")
    );
    let went = format!(
        "{} ({})",
        count(r.commits_out, "commit"),
        plural(r.entries_out, "entry", "entries")
    );
    if r.dry_run {
        let _ = writeln!(
            out,
            "{} with {with} (dry run, nothing changed): would bring in {came} and send {went}{}.",
            r.branch,
            match r.how {
                "merge" => "; a merge",
                "fast-forward" => "; a fast-forward",
                _ => "",
            }
        );
    } else {
        let how = match r.how {
            "up-to-date" => "already up to date".to_string(),
            "fast-forward" => format!("fast-forwarded over {came}"),
            "merge" => format!("merged {came}"),
            _ => "nothing came in".to_string(),
        };
        let pushed = if r.pushed {
            format!("; pushed {went}")
        } else {
            String::new()
        };
        let retries = match r.retries {
            0 => String::new(),
            n => format!(
                " after {} (others pushed first)",
                plural(n as usize, "retry", "retries")
            ),
        };
        let _ = writeln!(out, "{} with {with}: {how}{pushed}{retries}.", r.branch);
    }
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title}");
        for l in lines {
            let _ = writeln!(out, "  {}", for_stdout(&l));
        }
    };
    section(
        &mut out,
        if r.dry_run {
            "Would change:"
        } else {
            "Changed by others:"
        },
        r.changed
            .iter()
            .map(|c| {
                format!(
                    "{}  {}  {}",
                    c.id,
                    plural(c.entries, "entry", "entries"),
                    c.subject
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "Newly assigned to you:",
        r.assigned_to_you
            .iter()
            .map(|c| format!("{}  {}", c.id, c.subject))
            .collect(),
    );
    section(
        &mut out,
        "Cancelled by a lock (kept in the trail, not applied):",
        r.cancelled
            .iter()
            .map(|c| format!("{}  {} by {}: {}", c.id, c.kind, c.writer, c.reason))
            .collect(),
    );
    section(
        &mut out,
        "Folded (copies of entries already here, counted once):",
        r.folded
            .iter()
            .map(|c| format!("{}  {} by {}", c.id, c.kind, c.writer))
            .collect(),
    );
    section(
        &mut out,
        "Collisions (two clones chose the same ticket id):",
        r.collisions
            .iter()
            .map(|c| format!("{}  {} by {}", c.id, c.file, c.writer))
            .collect(),
    );
    section(
        &mut out,
        "Over assignment.max_active after the merge:",
        r.over_max_active
            .iter()
            .map(|o| {
                format!(
                    "{} has {} (max_active {})",
                    o.agent,
                    count(o.active, "active ticket"),
                    o.max_active
                )
            })
            .collect(),
    );
    out
}
