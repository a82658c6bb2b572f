//! `tix check`'s comparison of the index with the store read afresh.

use std::collections::{BTreeMap, HashMap};

use git2::Oid;

use super::IndexedTicket;
use super::files::{INDEX_VERSION, ShardFile, decode_summary, tree_id};
use super::rows::encode_rows;
use crate::error::{Context, Result};
use crate::store::layout::{TICKET_INDEX_DIR, TICKETS_DIR};
use crate::store::{Store, tickets_in_shard};

impl Store {
    /// For `tix check`: the saved index, brought up to date as any command
    /// would, against every ticket read afresh from the store. The index
    /// trusts a file whose tree ids match HEAD's; this is what catches one
    /// that is wrong all the same (damage that passed its checksum, or a
    /// bug). Rebuilds the index when anything differs; returns what did.
    pub fn verify_index(&self) -> Result<Vec<String>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let refreshed = self.refresh_index(true)?;
        let mut out = Vec::new();
        if refreshed.refresh.damaged > 0 {
            out.push(format!(
                "the derived index in {} had {} damaged file(s) (checksum mismatch); rebuilt them",
                dir.display(),
                refreshed.refresh.damaged
            ));
        }
        let shards = refreshed.shards.unwrap_or_default();
        let saved_rows: HashMap<&str, &[u8]> = decode_summary(&refreshed.summary)
            .map(|s| s.shards.iter().map(|r| (r.name, r.rows)).collect())
            .unwrap_or_default();
        let mut wrong: Vec<String> = Vec::new();
        for (name, file) in &shards {
            let oid = Oid::from_bytes(&file.tree)
                .context(|| format!("the index names a bad tree for shard {name}"))?;
            let shard_tree = self
                .repo
                .find_tree(oid)
                .context(|| format!("cannot read {TICKETS_DIR}/{name}"))?;
            let mut fresh = BTreeMap::new();
            for (id, oid) in tickets_in_shard(&shard_tree) {
                let tree = self
                    .repo
                    .find_tree(oid)
                    .context(|| format!("cannot read ticket {id}"))?;
                let indexed = IndexedTicket::read(self, id, &tree)?;
                let same = file.tickets.get(&id).is_some_and(|(tree, saved)| {
                    *tree == tree_id(oid)
                        && postcard::to_allocvec(saved).ok() == postcard::to_allocvec(&indexed).ok()
                });
                if !same {
                    wrong.push(format!("ticket {id}"));
                }
                fresh.insert(id, (tree_id(oid), indexed));
            }
            for id in file.tickets.keys().filter(|id| !fresh.contains_key(id)) {
                wrong.push(format!("ticket {id} (not in the store)"));
            }
            let rows = encode_rows(&ShardFile {
                version: INDEX_VERSION,
                tree: file.tree,
                tickets: fresh,
            })?;
            if saved_rows.get(name.as_str()) != Some(&rows.as_slice()) {
                wrong.push(format!("the list rows of shard {name}"));
            }
        }
        if saved_rows.len() != shards.len() {
            wrong.push("the summary's shards".into());
        }
        if !wrong.is_empty() {
            let more = wrong.len().saturating_sub(5);
            wrong.truncate(5);
            out.push(format!(
                "the derived index in {} disagreed with the store for {}{}; rebuilt it",
                dir.display(),
                wrong.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
            self.reindex()?;
        }
        Ok(out)
    }
}
