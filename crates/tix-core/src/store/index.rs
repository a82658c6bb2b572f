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
//!
//! Writers replace files atomically (write, then rename), so two tix
//! processes at once each see whole files; every file names the trees it
//! was built from, so a stale or half-updated set is detected, not
//! trusted.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use super::{Problem, Store, TICKETS_DIR, tickets_in_shard};
use crate::domain::{
    Event, FieldValue, LinkRel, Priority, Status, Ticket, TicketFacts, TicketId, TicketView,
    Timestamp, fold,
};
use crate::error::{Context, Result};

const INDEX_DIR: &str = "index";
const SUMMARY_FILE: &str = "summary.bin";
const LINKS_FILE: &str = "links.bin";
const SHARDS_DIR: &str = "shards";
/// The single-file index of earlier versions, removed on sight.
const LEGACY_FILE: &str = "index.bin";
/// 12: tags fold case and the summary keeps links (indexes built before
/// hold both spellings and no links); report facts measure mail from when
/// tix received it. 13: senders who threaded by header alone are not
/// participants. 14: every file carries a checksum.
const INDEX_VERSION: u32 = 15;
/// Every index file starts with this, then the CRC-32 of the rest: a file
/// damaged in a way that still decodes (a flipped byte in a subject) fails
/// the check and is rebuilt rather than served.
const MAGIC: &[u8; 4] = b"TIXI";
const HEADER_LEN: usize = 8;

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// The payload of an index file, if its header and checksum are right.
fn unframe(bytes: &[u8]) -> Option<&[u8]> {
    let payload = bytes.get(HEADER_LEN..)?;
    let sum = u32::from_le_bytes(bytes[4..HEADER_LEN].try_into().ok()?);
    (&bytes[..4] == MAGIC && crc32(payload) == sum).then_some(payload)
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&crc32(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

type TreeId = [u8; 20];

fn tree_id(oid: Oid) -> TreeId {
    let mut out = [0; 20];
    out.copy_from_slice(oid.as_bytes());
    out
}

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
        RawBytes(&self.0).serialize(s)
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

/// Serialises borrowed bytes as bytes (serde's `&[u8]` is a sequence);
/// they read back as a borrowed `&[u8]`.
struct RawBytes<'a>(&'a [u8]);

impl Serialize for RawBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// What `tix list` needs of a ticket, borrowed from the summary file.
#[derive(Debug, Serialize, Deserialize)]
pub struct ListRow<'a> {
    pub id: TicketId,
    pub status: Status,
    pub priority: Priority,
    pub locked: bool,
    pub subject: &'a str,
    pub assignee: Option<&'a str>,
    pub customer: Option<PartyRow<'a>>,
    pub cc: Vec<PartyRow<'a>>,
    pub tags: Vec<&'a str>,
    pub fields: Vec<(&'a str, FieldRow<'a>)>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// Entry files that could not be read, as (path, message).
    pub problems: Vec<(&'a str, &'a str)>,
    /// No tab or line break in any text above, so a listing can print the
    /// row without checking every cell.
    pub plain: bool,
    pub snoozed_until: Option<Timestamp>,
    /// The ticket's own links, so `show` finds the tickets linking to one
    /// from the summary alone.
    pub links: Vec<(LinkRel, TicketId)>,
    /// See [`IndexedTicket::assigned_at`].
    pub assigned_at: Option<Timestamp>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PartyRow<'a> {
    pub name: Option<&'a str>,
    pub email: &'a str,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum FieldRow<'a> {
    Number(f64),
    Text(&'a str),
}

impl<'a> ListRow<'a> {
    fn of(t: &'a IndexedTicket) -> ListRow<'a> {
        let party = |p: &'a crate::domain::Party| PartyRow {
            name: p.name.as_deref(),
            email: &p.email,
        };
        let ticket = &t.ticket;
        let mut row = ListRow {
            id: ticket.id,
            status: ticket.status,
            priority: ticket.priority,
            locked: ticket.locked.is_some(),
            subject: &ticket.subject,
            assignee: ticket.assignee.as_deref(),
            customer: ticket.customer.as_ref().map(party),
            cc: ticket.cc.iter().map(party).collect(),
            tags: ticket.tags.iter().map(String::as_str).collect(),
            fields: ticket
                .fields
                .iter()
                .map(|(n, v)| {
                    let v = match v {
                        FieldValue::Number(x) => FieldRow::Number(*x),
                        FieldValue::Text(s) => FieldRow::Text(s),
                    };
                    (n.as_str(), v)
                })
                .collect(),
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
            problems: t
                .problems
                .iter()
                .map(|p| (p.path.as_str(), p.message.as_str()))
                .collect(),
            plain: false,
            snoozed_until: ticket.snoozed_until,
            links: ticket.links.iter().map(|l| (l.rel, l.target)).collect(),
            assigned_at: t.assigned_at,
        };
        let plain = |s: &str| !s.contains(['\t', '\n', '\r']);
        row.plain = plain(row.subject)
            && row.assignee.is_none_or(plain)
            && row
                .customer
                .iter()
                .chain(row.cc.iter())
                .all(|p| plain(p.email) && p.name.is_none_or(plain))
            && row.tags.iter().all(|t| plain(t));
        row
    }
}

impl TicketView for ListRow<'_> {
    fn id(&self) -> TicketId {
        self.id
    }
    fn subject(&self) -> &str {
        self.subject
    }
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn is_locked(&self) -> bool {
        self.locked
    }
    fn assignee(&self) -> Option<&str> {
        self.assignee
    }
    fn customer(&self) -> Option<(Option<&str>, &str)> {
        self.customer.as_ref().map(|p| (p.name, p.email))
    }
    fn parties(&self) -> Vec<(Option<&str>, &str)> {
        self.customer
            .iter()
            .chain(self.cc.iter())
            .map(|p| (p.name, p.email))
            .collect()
    }
    fn tags(&self) -> Vec<&str> {
        self.tags.clone()
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.tags
            .iter()
            .any(|t| crate::domain::ticket::same_tag(t, tag))
    }
    fn field_is(&self, name: &str, value: &FieldValue) -> bool {
        self.fields.iter().any(|(n, v)| {
            *n == name
                && match (v, value) {
                    (FieldRow::Number(a), FieldValue::Number(b)) => a == b,
                    (FieldRow::Text(a), FieldValue::Text(b)) => a == b,
                    _ => false,
                }
        })
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
    fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }
    fn snoozed_until(&self) -> Option<Timestamp> {
        self.snoozed_until
    }
}

/// One shard's tickets, keyed with the tree id of their directory.
/// A link as (source, relation, target).
type LinkTriple = (TicketId, LinkRel, TicketId);

/// Every shard's links, by source shard, with the shard's tree when read.
#[derive(Serialize, Deserialize)]
struct LinksFile {
    version: u32,
    shards: BTreeMap<String, (TreeId, Vec<LinkTriple>)>,
}

#[derive(Serialize, Deserialize)]
struct ShardFile {
    version: u32,
    tree: TreeId,
    tickets: BTreeMap<TicketId, (TreeId, IndexedTicket)>,
}

#[derive(Deserialize)]
struct Summary<'a> {
    version: u32,
    tickets_tree: Option<TreeId>,
    #[serde(borrow)]
    shards: Vec<ShardRows<'a>>,
}

#[derive(Deserialize)]
struct ShardRows<'a> {
    name: &'a str,
    tree: TreeId,
    count: u32,
    /// Postcard-encoded [`ListRow`]s, one after the other.
    rows: &'a [u8],
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    version: u32,
    tickets_tree: Option<TreeId>,
    shards: Vec<ShardRowsOut<'a>>,
}

#[derive(Serialize)]
struct ShardRowsOut<'a> {
    name: &'a str,
    tree: TreeId,
    count: u32,
    rows: RawBytes<'a>,
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
    crate::Error::internal("the derived index is damaged; run `tix reindex`".to_string())
}

fn decode_summary(bytes: &[u8]) -> Option<Summary<'_>> {
    postcard::from_bytes::<Summary<'_>>(bytes)
        .ok()
        .filter(|s| s.version == INDEX_VERSION)
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
            .map_err(|e| crate::Error::internal(format!("cannot encode ticket facts: {e}")))?;
        Ok(IndexedTicket {
            assigned_at,
            facts,
            ticket,
            problems: files.problems,
            message_ids,
            participants,
        })
    }
}

/// The outcome of bringing the index files up to date.
struct Refreshed {
    summary: Vec<u8>,
    /// Every shard, when asked for.
    shards: Option<BTreeMap<String, ShardFile>>,
    refresh: Refresh,
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
        let _ = std::fs::remove_file(self.cache_path(INDEX_DIR).join(SUMMARY_FILE));
        self.list_rows()
    }

    /// Deletes the saved index and builds it again.
    pub fn reindex(&self) -> Result<TicketIndex> {
        let dir = self.cache_path(INDEX_DIR);
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
        let dir = self.cache_path(INDEX_DIR);
        let path = dir.join(LINKS_FILE);
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

    fn refresh_index(&self, full: bool) -> Result<Refreshed> {
        let dir = self.cache_path(INDEX_DIR);
        let _ = std::fs::remove_file(self.cache_path(LEGACY_FILE));
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let tickets_id = tickets_tree.as_ref().map(|t| tree_id(t.id()));
        let mut saved = std::fs::read(dir.join(SUMMARY_FILE)).unwrap_or_default();
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
        .map_err(|e| crate::Error::internal(format!("cannot encode the index summary: {e}")))?;
        drop(rows);
        drop(summary);
        if changed {
            write_atomically(&dir.join(SUMMARY_FILE), &frame(&encoded));
        }
        Ok(Refreshed {
            summary: encoded,
            shards: full.then_some(shards),
            refresh,
        })
    }

    /// The shard as HEAD has it: the saved file when it names that tree,
    /// else rebuilt from git, re-reading only tickets whose tree changed.
    fn refresh_shard(
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
            let _ = std::fs::create_dir_all(dir.join(SHARDS_DIR));
            write_atomically(&path, &frame(&bytes));
        }
        Ok(file)
    }
}

impl Store {
    /// For `tix check`: the saved index, brought up to date as any command
    /// would, against every ticket read afresh from the store. The index
    /// trusts a file whose tree ids match HEAD's; this is what catches one
    /// that is wrong all the same (damage that passed its checksum, or a
    /// bug). Rebuilds the index when anything differs; returns what did.
    pub fn verify_index(&self) -> Result<Vec<String>> {
        let dir = self.cache_path(INDEX_DIR);
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

fn shard_path(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(SHARDS_DIR).join(format!("{name}.bin"))
}

fn encode_rows(file: &ShardFile) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for (_, t) in file.tickets.values() {
        out = postcard::to_extend(&ListRow::of(t), out)
            .map_err(|e| crate::Error::internal(format!("cannot encode a list row: {e}")))?;
    }
    Ok(out)
}

/// Write, then rename: readers see the old file or the new one, whole.
/// A failure is ignored: derived data is only rebuilt later.
fn write_atomically(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
