//! What the search index reads of the store: HEAD's tickets tree and,
//! in a shard whose tree changed, the tickets whose own tree changed.

use std::collections::BTreeMap;

use git2::{Oid, Tree};

use super::{Store, TicketFiles, tickets_in_shard};
use crate::domain::TicketId;
use crate::error::{Context, Result};
use crate::store::layout::TICKETS_DIR;

impl Store {
    /// The id of HEAD's tickets tree: equal ids, equal tickets.
    pub fn tickets_tree_id(&self) -> Result<Option<Oid>> {
        let Some(head) = self.head_tree()? else {
            return Ok(None);
        };
        Ok(self.tickets_tree(&head)?.map(|t| t.id()))
    }

    pub fn tickets_tree<'r>(&'r self, head: &Tree<'r>) -> Result<Option<Tree<'r>>> {
        self.subtree(head, TICKETS_DIR)
    }

    /// The tickets of the shard `shard` whose tree is not the one `known`
    /// gives (id → tree id, hex), read, as (id, tree id, files). Tickets
    /// found are taken out of `known`, so what is left there is tickets
    /// the shard no longer has.
    pub fn changed_tickets_in_shard(
        &self,
        shard: Oid,
        known: &mut BTreeMap<String, String>,
    ) -> Result<Vec<(TicketId, String, TicketFiles)>> {
        let shard_tree = self
            .repo
            .find_tree(shard)
            .context(|| format!("cannot read the shard tree {shard}"))?;
        let mut out = Vec::new();
        for (id, oid) in tickets_in_shard(&shard_tree) {
            let tree = oid.to_string();
            if known.remove(id.as_str()).is_some_and(|t| t == tree) {
                continue;
            }
            let ticket_tree = self
                .repo
                .find_tree(oid)
                .context(|| format!("cannot read ticket {id}"))?;
            let files = self.read_ticket_tree(&Self::ticket_dir(&id), &ticket_tree)?;
            out.push((id, tree, files));
        }
        Ok(out)
    }
}
