//! Bringing the index files up to date with HEAD.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{ObjectType, Oid};

use super::files::{
    HEADER_LEN, INDEX_VERSION, RawBytes, ShardFile, ShardRowsOut, SummaryOut, TreeId,
    decode_summary, frame, overwrite, shard_path, tree_id, unframe, write_atomically,
};
use super::rows::encode_rows;
use super::{IndexedTicket, Refresh};
use crate::error::{Context, Result};
use crate::store::layout::{
    INDEX_SUMMARY_FILE, LEGACY_TICKET_INDEX_FILE, TICKET_INDEX_DIR, TICKETS_DIR,
};
use crate::store::{Store, tickets_in_shard};

/// The outcome of bringing the index files up to date.
pub(super) struct Refreshed {
    pub(super) summary: Vec<u8>,
    /// Every shard, when asked for.
    pub(super) shards: Option<BTreeMap<String, ShardFile>>,
    pub(super) refresh: Refresh,
}

impl Store {
    pub(super) fn refresh_index(&self, full: bool) -> Result<Refreshed> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let _ = std::fs::remove_file(self.cache_path(LEGACY_TICKET_INDEX_FILE));
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let tickets_id = tickets_tree.as_ref().map(|t| tree_id(t.id()));
        let mut saved = std::fs::read(dir.join(INDEX_SUMMARY_FILE)).unwrap_or_default();
        let intact = unframe(&saved).is_some();
        let damaged = usize::from(!saved.is_empty() && !intact);
        if intact {
            saved.drain(..HEADER_LEN);
        } else {
            saved.clear();
        }
        let summary = decode_summary(&saved);
        if !full
            && let Some(s) = &summary
            && s.tickets_tree == tickets_id
        {
            drop(summary);
            return Ok(Refreshed {
                summary: saved,
                shards: None,
                refresh: Refresh::default(),
            });
        }
        let mut refresh = Refresh {
            rebuilt: summary.is_none(),
            damaged,
            ..Refresh::default()
        };
        let mut known_rows: HashMap<&str, (TreeId, u32, &[u8])> = summary
            .as_ref()
            .map(|s| {
                s.shards
                    .iter()
                    .map(|r| (r.name, (r.tree, r.count, r.rows)))
                    .collect()
            })
            .unwrap_or_default();
        let mut changed = summary
            .as_ref()
            .is_none_or(|s| s.tickets_tree != tickets_id);
        let mut rows: Vec<(String, TreeId, u32, Cow<'_, [u8]>)> = Vec::new();
        let mut shards = BTreeMap::new();
        for shard in tickets_tree.iter().flat_map(|t| t.iter()) {
            let Some(name) = shard.name().ok().map(str::to_string) else {
                continue;
            };
            if shard.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let tree = tree_id(shard.id());
            let current_rows = known_rows
                .remove(name.as_str())
                .filter(|(t, _, _)| *t == tree)
                .map(|(_, count, r)| (count, r));
            if let Some((count, r)) = current_rows
                && !full
            {
                rows.push((name, tree, count, Cow::Borrowed(r)));
                continue;
            }
            let file = self.refresh_shard(&dir, &name, shard.id(), &mut refresh)?;
            let (count, shard_rows) = match current_rows {
                Some((count, r)) => (count, Cow::Borrowed(r)),
                None => {
                    changed = true;
                    let count = u32::try_from(file.tickets.len()).unwrap_or(u32::MAX);
                    (count, Cow::Owned(encode_rows(&file)?))
                }
            };
            rows.push((name.clone(), tree, count, shard_rows));
            if full {
                shards.insert(name, file);
            }
        }
        // Shards HEAD no longer has.
        for name in known_rows.keys() {
            changed = true;
            let _ = std::fs::remove_file(shard_path(&dir, name));
        }
        let encoded = postcard::to_allocvec(&SummaryOut {
            version: INDEX_VERSION,
            tickets_tree: tickets_id,
            shards: rows
                .iter()
                .map(|(name, tree, count, r)| ShardRowsOut {
                    name,
                    tree: *tree,
                    count: *count,
                    rows: RawBytes(r),
                })
                .collect(),
        })
        .map_err(|e| {
            crate::Error::internal(format!("cannot encode the index summary: {e}")).with_source(e)
        })?;
        drop(rows);
        drop(summary);
        if changed {
            write_atomically(&dir.join(INDEX_SUMMARY_FILE), &frame(&encoded));
        }
        Ok(Refreshed {
            summary: encoded,
            shards: full.then_some(shards),
            refresh,
        })
    }

    /// The shard as HEAD has it: the saved file when it names that tree,
    /// else rebuilt from git, re-reading only tickets whose tree changed.
    pub(super) fn refresh_shard(
        &self,
        dir: &Path,
        name: &str,
        tree: Oid,
        refresh: &mut Refresh,
    ) -> Result<ShardFile> {
        let path = shard_path(dir, name);
        let bytes = std::fs::read(&path).ok();
        let payload = bytes.as_deref().and_then(unframe);
        if bytes.is_some() && payload.is_none() {
            refresh.damaged += 1;
        }
        let saved = payload
            .and_then(|b| postcard::from_bytes::<ShardFile>(b).ok())
            .filter(|f| f.version == INDEX_VERSION);
        let mut known = match saved {
            Some(file) if file.tree == tree_id(tree) => return Ok(file),
            Some(file) => file.tickets,
            None => BTreeMap::new(),
        };
        let shard_tree = self
            .repo
            .find_tree(tree)
            .context(|| format!("cannot read {TICKETS_DIR}/{name}"))?;
        let mut tickets = BTreeMap::new();
        for (id, oid) in tickets_in_shard(&shard_tree) {
            let ticket_tree = tree_id(oid);
            match known.remove(&id) {
                Some((tree, indexed)) if tree == ticket_tree => {
                    tickets.insert(id, (tree, indexed));
                }
                _ => {
                    let tree = self
                        .repo
                        .find_tree(oid)
                        .context(|| format!("cannot read ticket {id}"))?;
                    refresh.reread += 1;
                    tickets.insert(id, (ticket_tree, IndexedTicket::read(self, id, &tree)?));
                }
            }
        }
        let file = ShardFile {
            version: INDEX_VERSION,
            tree: tree_id(tree),
            tickets,
        };
        // Failing to save only costs the next command this refresh.
        if let Ok(bytes) = postcard::to_allocvec(&file) {
            overwrite(&path, &frame(&bytes));
        }
        Ok(file)
    }
}
