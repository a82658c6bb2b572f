//! The derived index: every ticket's folded state and what lookups need,
//! kept under `.git/tix/index/` (postcard, a compact binary serde format)
//! so commands do not re-read every entry.
//!
//! It is derived data, never the source of truth: it records the git tree
//! id of every shard and ticket directory it describes, and on each use
//! compares them with HEAD's. Only tickets whose tree changed are read
//! again (whatever changed them: tix, a pull, a hand edit), and an
//! unchanged shard costs one id comparison. A missing, unreadable or
//! other-version file means rebuilding what it held; deleting the
//! directory changes no output.
//!
//! Two layers, so that one commit costs one shard's worth of work:
//! - `shards/<xx>.bin`: the full [`IndexedTicket`]s of one shard (reports,
//!   mail lookups);
//! - `summary.bin`: the tickets tree id, and per shard its tree id and a
//!   compact [`ListRow`] per ticket. `tix list` reads only this file, and
//!   when HEAD's tickets tree is the one it names, reads nothing else.
//! - `facts.bin`: per shard, with its tree id, each ticket's encoded report
//!   facts; reports read it with the summary (see `facts.rs`).
//!
//! Beside them, `message-ids.bin` serves mail import (a Message-ID map and
//! the team's tallies, see [`MailIndex`]), `links.bin` `show`, and
//! `customers.bin` the customer directory (see [`CustomerDirectory`]).
//!
//! Writers replace the summary, links and facts files atomically (write,
//! then rename), so two tix processes at once each see whole files; shard
//! files are overwritten in place (see `files::overwrite`), and a torn one
//! fails its checksum and is read again from git. Every file names the
//! trees it was built from, so a stale or half-updated set is detected,
//! not trusted.

mod cards;
mod customers;
mod facts;
mod files;
mod message_ids;
mod refresh;
mod rows;
mod verify;

use std::collections::BTreeMap;

use git2::ObjectType;
use serde::{Deserialize, Serialize};

use crate::domain::customers::{Contact, contacts};
use crate::domain::{Event, LinkRel, Ticket, TicketFacts, TicketId, Timestamp, fold};
use crate::error::{Remedy, Result};
use crate::store::layout::{INDEX_LINKS_FILE, INDEX_SUMMARY_FILE, TICKET_INDEX_DIR, TICKETS_DIR};
use crate::store::{Problem, Store};
pub use cards::CardRow;
pub use customers::{CustomerDirectory, PersonInTicket};
pub use facts::{ReportRows, Selected, Within};
use files::{
    Blob, INDEX_VERSION, LinksFile, ShardFile, decode_summary, frame, tree_id, unframe,
    write_atomically,
};
pub use message_ids::MailIndex;
pub use rows::{ListRow, TaskRow};

/// One ticket as the index holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndexedTicket {
    pub ticket: Ticket,
    /// Entry files that could not be read.
    pub problems: Vec<Problem>,
    /// Message-IDs of the mail recorded in the ticket.
    pub message_ids: Vec<String>,
    /// Lower-case addresses of the customer, Cc, and everyone whose
    /// message is in the ticket.
    pub participants: Vec<String>,
    /// When the ticket was last given to an agent (its last applied
    /// `assign` to someone): round-robin takes turns over assignments,
    /// not over ticket creation.
    pub assigned_at: Option<Timestamp>,
    /// Everyone the trail names, for the customer directory.
    pub contacts: Vec<Contact>,
    /// What reports need (the times of responses, closes, status
    /// changes), still encoded: reading the index copies these bytes, and
    /// only reports decode them.
    facts: Blob,
}

/// What a refresh did, for `tix reindex`.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Refresh {
    pub tickets: usize,
    pub reread: usize,
    pub rebuilt: bool,
    /// Index files that failed their checksum (and were rebuilt).
    #[serde(skip)]
    pub damaged: usize,
}

/// The index, brought up to date with HEAD.
pub struct TicketIndex {
    shards: BTreeMap<String, ShardFile>,
    pub refresh: Refresh,
}

impl TicketIndex {
    pub fn tickets(&self) -> impl Iterator<Item = &IndexedTicket> {
        self.shards
            .values()
            .flat_map(|s| s.tickets.values().map(|(_, t)| t))
    }

    /// One ticket as the index holds it.
    pub fn get(&self, id: TicketId) -> Option<&IndexedTicket> {
        self.shards
            .get(id.shard())
            .and_then(|s| s.tickets.get(&id))
            .map(|(_, t)| t)
    }
}

/// Every ticket's [`ListRow`], current with HEAD.
pub struct ListRows {
    /// The summary file's payload, its checksum already verified.
    summary: Vec<u8>,
}

impl ListRows {
    /// The rows `keep` accepts, in shard and id order.
    pub fn select<'a>(
        &'a self,
        mut keep: impl FnMut(&ListRow<'a>) -> bool,
    ) -> Result<Vec<ListRow<'a>>> {
        let summary = decode_summary(&self.summary).ok_or_else(damaged)?;
        let total = summary.shards.iter().map(|s| s.count as usize).sum();
        // Sized once: rows are large, and regrowing means copying them all.
        let mut out = Vec::with_capacity(total);
        for shard in summary.shards {
            let mut rest = shard.rows;
            while !rest.is_empty() {
                let (row, tail) =
                    postcard::take_from_bytes::<ListRow<'a>>(rest).map_err(|_| damaged())?;
                rest = tail;
                if keep(&row) {
                    out.push(row);
                }
            }
        }
        Ok(out)
    }
}

fn damaged() -> crate::Error {
    crate::Error::internal("the derived index is damaged").with_remedy(Remedy::Reindex)
}

impl IndexedTicket {
    /// The ticket's report facts.
    pub fn facts(&self) -> Result<TicketFacts> {
        postcard::from_bytes(&self.facts.0).map_err(|e| {
            crate::Error::internal(format!(
                "the index holds unreadable facts for ticket {} ({e})",
                self.ticket.id
            ))
            .with_source(e)
            .with_remedy(Remedy::Reindex)
        })
    }

    fn read(store: &Store, id: TicketId, tree: &git2::Tree<'_>) -> Result<IndexedTicket> {
        let files = store.read_ticket_tree(&Store::ticket_dir(&id), tree)?;
        let (ticket, trail) = fold(id, files.entries);
        let mut participants: Vec<String> = ticket
            .customer
            .iter()
            .chain(ticket.cc.iter())
            .map(|p| p.email.to_ascii_lowercase())
            .collect();
        let mut message_ids = Vec::new();
        let mut assigned_at = None;
        for item in &trail {
            if let Event::Assign { to: Some(_) } = &item.entry.event
                && item.not_applied.is_none()
            {
                assigned_at = Some(item.entry.at);
            }
            if let Event::Message { from, .. } = &item.entry.event
                && !item.outsider
            {
                participants.push(from.email.to_ascii_lowercase());
            }
            message_ids.extend(item.entry.event.mail().map(|m| m.message_id.clone()));
        }
        participants.sort();
        participants.dedup();
        let facts = postcard::to_allocvec(&TicketFacts::derive(&ticket, &trail))
            .map(Blob)
            .map_err(|e| {
                crate::Error::internal(format!("cannot encode ticket facts: {e}")).with_source(e)
            })?;
        Ok(IndexedTicket {
            contacts: contacts(&ticket, &trail),
            assigned_at,
            facts,
            ticket,
            problems: files.problems,
            message_ids,
            participants,
        })
    }
}

impl Store {
    /// The derived index, refreshed against HEAD (and saved when that
    /// changed anything).
    pub fn index(&self) -> Result<TicketIndex> {
        let refreshed = self.refresh_index(true)?;
        let shards = refreshed.shards.unwrap_or_default();
        let tickets = shards.values().map(|s| s.tickets.len()).sum();
        Ok(TicketIndex {
            shards,
            refresh: Refresh {
                tickets,
                ..refreshed.refresh
            },
        })
    }

    /// Every ticket's list row, refreshed against HEAD. Reads only the
    /// summary when nothing changed, and only changed shards otherwise.
    pub fn list_rows(&self) -> Result<ListRows> {
        Ok(ListRows {
            summary: self.refresh_index(false)?.summary,
        })
    }

    /// [`Store::list_rows`] built again from the shard files, for when the
    /// saved rows could not be read.
    pub fn rebuild_list_rows(&self) -> Result<ListRows> {
        let _ = std::fs::remove_file(self.cache_path(TICKET_INDEX_DIR).join(INDEX_SUMMARY_FILE));
        self.list_rows()
    }

    /// Deletes the saved index and builds it again.
    pub fn reindex(&self) -> Result<TicketIndex> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(crate::Error::internal(format!(
                    "cannot remove the index {}: {e}",
                    dir.display()
                )));
            }
        }
        self.index()
    }

    /// The links other tickets make to `id` (a duplicate's target learns
    /// of the duplicate), as (relation, source), without reading the
    /// summary: `links.bin` keeps every shard's links with the shard's tree,
    /// and only shards whose tree changed since are read again, through
    /// their shard files. So `show` stays flat with the store's size.
    pub fn links_to(&self, id: TicketId) -> Result<Vec<(LinkRel, TicketId)>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let path = dir.join(INDEX_LINKS_FILE);
        let mut file = std::fs::read(&path)
            .ok()
            .and_then(|b| unframe(&b).and_then(|p| postcard::from_bytes::<LinksFile>(p).ok()))
            .filter(|f| f.version == INDEX_VERSION)
            .unwrap_or(LinksFile {
                version: INDEX_VERSION,
                shards: BTreeMap::new(),
            });
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let mut changed = false;
        let mut present = std::collections::BTreeSet::new();
        let mut refresh = Refresh::default();
        for shard in tickets_tree.iter().flat_map(|t| t.iter()) {
            let (Ok(name), Some(ObjectType::Tree)) = (shard.name(), shard.kind()) else {
                continue;
            };
            let tree = tree_id(shard.id());
            present.insert(name.to_string());
            if file.shards.get(name).is_some_and(|(t, _)| *t == tree) {
                continue;
            }
            let shard_file = self.refresh_shard(&dir, name, shard.id(), &mut refresh)?;
            let links = shard_file
                .tickets
                .iter()
                .flat_map(|(source, (_, t))| {
                    t.ticket.links.iter().map(|l| (*source, l.rel, l.target))
                })
                .collect();
            file.shards.insert(name.to_string(), (tree, links));
            changed = true;
        }
        let before = file.shards.len();
        file.shards.retain(|name, _| present.contains(name));
        changed |= file.shards.len() != before;
        if changed && let Ok(bytes) = postcard::to_allocvec(&file) {
            write_atomically(&path, &frame(&bytes));
        }
        let mut out: Vec<(LinkRel, TicketId)> = file
            .shards
            .values()
            .flat_map(|(_, links)| links)
            .filter(|(source, _, target)| *target == id && *source != id)
            .map(|(source, rel, _)| (*rel, *source))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }
}
