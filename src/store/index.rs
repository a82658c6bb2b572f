//! The derived index: every ticket's folded state and what lookups need,
//! saved in `.git/tix/index.bin` (postcard, a compact binary serde format)
//! so commands do not re-read every entry.
//!
//! It is derived data, never the source of truth: it records the git tree
//! id of every shard and ticket directory it describes, and on each use
//! compares them with HEAD's. Only tickets whose tree changed are read
//! again (whatever changed them: tix, a pull, a hand edit), and an
//! unchanged shard costs one id comparison. A missing, unreadable or
//! other-version file means a full rebuild; deleting it changes no
//! output. Writers replace it atomically (write, then rename), so two tix
//! processes at once each see a whole file, and any saved state is
//! self-consistent because it names the trees it was built from.

use std::collections::{BTreeMap, HashMap};

use git2::ObjectType;
use serde::{Deserialize, Serialize};

use super::{Problem, Store, TICKETS_DIR};
use crate::domain::{Event, Ticket, TicketFacts, TicketId, fold};
use crate::error::{Context, Result};

const INDEX_FILE: &str = "index.bin";
const INDEX_VERSION: u32 = 4;

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
    /// What reports need (the times of responses, closes, status
    /// changes), still encoded: reading the index copies these bytes, and
    /// only reports decode them.
    facts: Blob,
}

/// Bytes written as one length-prefixed run (postcard would otherwise
/// encode a `Vec<u8>` byte by byte).
#[derive(Clone, Debug)]
struct Blob(Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> std::result::Result<Blob, E> {
                Ok(Blob(v.to_vec()))
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> std::result::Result<Blob, E> {
                Ok(Blob(v))
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Shard {
    tree: String,
    tickets: BTreeMap<TicketId, (String, IndexedTicket)>,
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    shards: BTreeMap<String, Shard>,
}

/// What a refresh did, for `tix reindex`.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Refresh {
    pub tickets: usize,
    pub reread: usize,
    pub rebuilt: bool,
}

/// The index, brought up to date with HEAD.
pub struct TicketIndex {
    shards: BTreeMap<String, Shard>,
    pub refresh: Refresh,
}

impl TicketIndex {
    pub fn tickets(&self) -> impl Iterator<Item = &IndexedTicket> {
        self.shards
            .values()
            .flat_map(|s| s.tickets.values().map(|(_, t)| t))
    }

    /// Message-ID → ticket, for mail threading.
    pub fn message_ids(&self) -> HashMap<String, TicketId> {
        let mut out = HashMap::new();
        for t in self.tickets() {
            for m in &t.message_ids {
                out.insert(m.clone(), t.ticket.id);
            }
        }
        out
    }
}

impl IndexedTicket {
    /// The ticket's report facts.
    pub fn facts(&self) -> Result<TicketFacts> {
        postcard::from_bytes(&self.facts.0).map_err(|e| {
            crate::Error::internal(format!(
                "the index holds unreadable facts for ticket {} ({e}); run `tix reindex`",
                self.ticket.id
            ))
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
        for item in &trail {
            if let Event::Message { from, .. } = &item.entry.event {
                participants.push(from.email.to_ascii_lowercase());
            }
            message_ids.extend(item.entry.event.mail().map(|m| m.message_id.clone()));
        }
        participants.sort();
        participants.dedup();
        let facts = postcard::to_allocvec(&TicketFacts::derive(&ticket, &trail))
            .map(Blob)
            .map_err(|e| crate::Error::internal(format!("cannot encode ticket facts: {e}")))?;
        Ok(IndexedTicket {
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
        let saved = std::fs::read(self.cache_path(INDEX_FILE))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<IndexFile>(&bytes).ok())
            .filter(|f| f.version == INDEX_VERSION);
        let rebuilt = saved.is_none();
        let mut old = saved.map(|f| f.shards).unwrap_or_default();
        let mut refresh = Refresh {
            rebuilt,
            ..Refresh::default()
        };
        let mut shards = BTreeMap::new();
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let mut changed = rebuilt;
        if let Some(tickets_tree) = &tickets_tree {
            for shard in tickets_tree.iter() {
                let Some(name) = shard.name().ok().map(str::to_string) else {
                    continue;
                };
                if shard.kind() != Some(ObjectType::Tree) {
                    continue;
                }
                let tree_id = shard.id().to_string();
                let previous = old.remove(&name).unwrap_or_default();
                if previous.tree == tree_id {
                    shards.insert(name, previous);
                    continue;
                }
                changed = true;
                let shard_tree = self
                    .repo
                    .find_tree(shard.id())
                    .context(|| format!("cannot read {TICKETS_DIR}/{name}"))?;
                let mut known = previous.tickets;
                let mut fresh = BTreeMap::new();
                for t in shard_tree.iter() {
                    let Some(id) = t.name().ok().and_then(|n| n.parse::<TicketId>().ok()) else {
                        continue;
                    };
                    if t.kind() != Some(ObjectType::Tree) {
                        continue;
                    }
                    let ticket_tree = t.id().to_string();
                    match known.remove(&id) {
                        Some((tree, indexed)) if tree == ticket_tree => {
                            fresh.insert(id, (tree, indexed));
                        }
                        _ => {
                            let tree = self
                                .repo
                                .find_tree(t.id())
                                .context(|| format!("cannot read ticket {id}"))?;
                            refresh.reread += 1;
                            fresh.insert(id, (ticket_tree, IndexedTicket::read(self, id, &tree)?));
                        }
                    }
                }
                shards.insert(
                    name,
                    Shard {
                        tree: tree_id,
                        tickets: fresh,
                    },
                );
            }
        }
        changed |= !old.is_empty();
        let index = TicketIndex { shards, refresh };
        if changed {
            self.save_index(&index);
        }
        let count = index.tickets().count();
        Ok(TicketIndex {
            refresh: Refresh {
                tickets: count,
                ..index.refresh
            },
            ..index
        })
    }

    /// Deletes the saved index and builds it again.
    pub fn reindex(&self) -> Result<TicketIndex> {
        match std::fs::remove_file(self.cache_path(INDEX_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(crate::Error::internal(format!(
                    "cannot remove the index {}: {e}",
                    self.cache_path(INDEX_FILE).display()
                )));
            }
        }
        self.index()
    }

    /// Failing to save only costs the next command a refresh.
    fn save_index(&self, index: &TicketIndex) {
        // Serialised by reference: no copy of the shards.
        let Ok(bytes) = postcard::to_allocvec(&IndexRef {
            version: INDEX_VERSION,
            shards: &index.shards,
        }) else {
            return;
        };
        let path = self.cache_path(INDEX_FILE);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[derive(Serialize)]
struct IndexRef<'a> {
    version: u32,
    shards: &'a BTreeMap<String, Shard>,
}
