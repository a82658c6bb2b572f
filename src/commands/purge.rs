//! `tix purge`: take redacted entries' bytes out of the history itself.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;
use tix_core::ops;

use super::prelude::Ctx;

#[derive(Args, Debug)]
pub struct PurgeArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The redacted entries, by file name (`entry_file` in `tix show
    /// --format json`) or a unique start of it
    #[arg(required = true)]
    pub entries: Vec<String>,
    /// Why (kept in the purge manifest)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Rewrite the history: every clone must then reset to it
    #[arg(long)]
    pub yes: bool,
}

pub fn cmd_purge(ctx: &Ctx, args: PurgeArgs) -> Result<()> {
    let (store, actor, id) = ctx.target(&args.id)?;
    let options = ops::purge::PurgeOptions {
        id,
        entries: &args.entries,
        reason: &args.reason,
        confirmed: args.yes,
    };
    let done = ops::purge::purge(&store, &actor, &options)?;
    for w in &done.warnings {
        output::warn(w);
    }
    let r = &done.rewritten;
    let mut out = format!(
        "{id}: purged {} from history ({} commit(s) rewritten, {} blob(s) removed); manifest {}.\n",
        done.files.join(", "),
        r.commits,
        r.blobs.len(),
        done.manifest
    );
    out.push_str(&format!(
        "The branch moved from {} to {}. Now:\n\
         \x20 1. push it with force: git push --force-with-lease (tix sync would merge the old history back),\n\
         \x20    then git reflog expire --expire=now --all && git gc --prune=now here, and gc the remote (or ask its host);\n\
         \x20 2. in every other clone: git fetch, then git reset --hard origin/<branch> (or clone again),\n\
         \x20    then git reflog expire --expire=now --all && git gc --prune=now;\n\
         \x20 3. a clone that pushes or merges its old history brings the bytes back: tix check then names this manifest.\n",
        &r.old_head.to_string()[..10],
        &r.new_head.to_string()[..10],
    ));
    print(&out)
}
