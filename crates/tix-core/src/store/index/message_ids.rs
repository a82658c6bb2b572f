//! What filing one message needs of the index, without reading every
//! shard: `message-ids.bin` holds a sorted map of Message-ID hashes to
//! tickets and, per shard, the team's tally (open tickets per agent, the
//! latest assignment); [`MailIndex`] reads that one file and decodes a
//! shard only when a lookup lands in it.
//!
//! The file names the tickets tree and every shard tree it was built
//! from. When HEAD moved, only the shards whose tree changed are read
//! again (through the same shard refresh as the rest of the index) and
//! their records replaced; a missing, damaged or other-version file is
//! rebuilt from every shard.
//!
//! Payload layout (inside the usual checksummed frame): a little-endian
//! `u32` header length, the postcard header ([`Header`]), then fixed-width
//! records of [`RECORD_LEN`] bytes: the hash (big-endian, so byte order is
//! hash order) and the ticket id, sorted as bytes. A lookup binary-searches
//! the records as read; a hit is only a candidate, confirmed against the
//! ticket's shard, since two Message-IDs can share a hash.

use std::cell::{Cell, OnceCell};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use super::files::{INDEX_VERSION, ShardFile, TreeId, frame, tree_id, unframe, write_atomically};
use super::{IndexedTicket, Refresh};
use crate::domain::assign::TeamState;
use crate::domain::{Status, TicketId, Timestamp};
use crate::error::Result;
use crate::store::Store;
use crate::store::layout::{INDEX_MESSAGE_IDS_FILE, TICKET_INDEX_DIR, TICKETS_DIR};

/// The layout of `message-ids.bin` itself, on top of [`INDEX_VERSION`]
/// (the shards its tallies are derived from).
const FORMAT: u32 = 1;

/// Bytes per record: an 8-byte hash and an 8-character ticket id.
pub(super) const RECORD_LEN: usize = 16;

pub(super) type Record = [u8; RECORD_LEN];

/// How Message-IDs are hashed: FNV-1a, 64 bits. It must give the same
/// value in every build and on every machine, since the file outlives the
/// process (std's hasher promises neither).
pub(super) fn fnv1a(message_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in message_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub(super) fn record(hash: u64, id: TicketId) -> Record {
    let mut out = [0; RECORD_LEN];
    out[..8].copy_from_slice(&hash.to_be_bytes());
    out[8..].copy_from_slice(id.as_str().as_bytes());
    out
}

fn hash_at(records: &[u8], i: usize) -> u64 {
    let at = i * RECORD_LEN;
    let mut h = [0; 8];
    h.copy_from_slice(&records[at..at + 8]);
    u64::from_be_bytes(h)
}

fn shard_of(rec: &[u8]) -> &[u8] {
    &rec[8..8 + crate::domain::id::SHARD_LEN]
}

/// The tickets whose records carry `hash`, in id order.
pub(super) fn candidates(records: &[u8], hash: u64) -> impl Iterator<Item = TicketId> + '_ {
    let n = records.len() / RECORD_LEN;
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if hash_at(records, mid) < hash {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (lo..n)
        .take_while(move |&i| hash_at(records, i) == hash)
        .filter_map(move |i| {
            let at = i * RECORD_LEN;
            std::str::from_utf8(&records[at + 8..at + RECORD_LEN])
                .ok()?
                .parse()
                .ok()
        })
}

/// The records of one shard's tickets, sorted, without repeats.
fn shard_records(file: &ShardFile, hash: fn(&str) -> u64) -> Vec<Record> {
    let mut out: Vec<Record> = file
        .tickets
        .iter()
        .flat_map(|(id, (_, t))| t.message_ids.iter().map(|m| record(hash(m), *id)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `old`'s records of the shards `keep` accepts, merged with `new`
/// (sorted), in one pass.
pub(super) fn merge(old: &[u8], keep: impl Fn(&[u8]) -> bool, new: &[Record]) -> Vec<u8> {
    let mut out = Vec::with_capacity(old.len() + new.len() * RECORD_LEN);
    let mut kept = old
        .chunks_exact(RECORD_LEN)
        .filter(|r| keep(shard_of(r)))
        .peekable();
    let mut added = new.iter().peekable();
    loop {
        let next: &[u8] = match (kept.peek(), added.peek()) {
            (Some(a), Some(b)) if *a <= &b[..] => kept.next().unwrap_or_default(),
            (_, Some(_)) => added.next().map_or(&[], |r| &r[..]),
            (Some(_), None) => kept.next().unwrap_or_default(),
            (None, None) => break,
        };
        if out.len() < RECORD_LEN || out[out.len() - RECORD_LEN..] != *next {
            out.extend_from_slice(next);
        }
    }
    out
}

/// A set of shard names that answers in a table lookup: `merge` asks it
/// once for every record in the map (200,000 at 100,000 tickets).
pub(super) struct ShardSet(Vec<bool>);

const _: () = assert!(crate::domain::id::SHARD_LEN == 2);

impl Default for ShardSet {
    fn default() -> ShardSet {
        ShardSet(vec![false; 1 << 16])
    }
}

impl ShardSet {
    fn key(shard: &[u8]) -> Option<usize> {
        match shard {
            [a, b] => Some(usize::from(*a) << 8 | usize::from(*b)),
            _ => None,
        }
    }

    pub(super) fn insert(&mut self, shard: &[u8]) {
        if let Some(k) = Self::key(shard) {
            self.0[k] = true;
        }
    }

    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        !self.0.iter().any(|&s| s)
    }

    pub(super) fn contains(&self, shard: &[u8]) -> bool {
        Self::key(shard).is_some_and(|k| self.0[k])
    }
}

/// One shard's share of the team's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Tally {
    /// Tickets not closed, per agent (only agents with some).
    open: Vec<(String, u32)>,
    /// The latest assignment, and to whom.
    newest: Option<(Timestamp, String)>,
    /// Each agent's latest assignment (only agents with some).
    last: Vec<(String, Timestamp)>,
}

impl Tally {
    /// Counts the shard's tickets in id order, as a scan of every ticket
    /// would, so ties between equal times resolve the same way.
    fn of(file: &ShardFile) -> Tally {
        let mut team = TeamState::default();
        for (_, t) in file.tickets.values() {
            if let (Some(agent), Some(at)) =
                (&t.ticket.assignee, t.assigned_at.or(t.ticket.created_at))
            {
                team.count(agent, at, t.ticket.status != Status::Closed);
            }
        }
        Tally {
            open: team
                .loads
                .into_iter()
                .map(|(a, n)| (a, u32::try_from(n).unwrap_or(u32::MAX)))
                .collect(),
            newest: team.newest,
            last: team.last_assigned.into_iter().collect(),
        }
    }

    /// Adds this shard's share to `team` (shards in name order).
    fn add_to(&self, team: &mut TeamState) {
        for (agent, n) in &self.open {
            *team.loads.entry(agent.clone()).or_default() += *n as usize;
        }
        if let Some((at, agent)) = &self.newest
            && team.newest.as_ref().is_none_or(|(t, _)| t <= at)
        {
            team.newest = Some((*at, agent.clone()));
        }
        for (agent, at) in &self.last {
            let last = team.last_assigned.entry(agent.clone()).or_insert(*at);
            *last = (*last).max(*at);
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    /// Per shard, by name: its tree when counted, and its tally.
    shards: Vec<(String, TreeId, Tally)>,
}

/// The header and the records of a payload, if it is of this version.
fn split(payload: &[u8]) -> Option<(Header, &[u8])> {
    let len = u32::from_le_bytes(payload.get(..4)?.try_into().ok()?) as usize;
    let header: Header = postcard::from_bytes(payload.get(4..4 + len)?).ok()?;
    let records = payload.get(4 + len..)?;
    (header.version == INDEX_VERSION && header.format == FORMAT && records.len() % RECORD_LEN == 0)
        .then_some((header, records))
}

fn join(header: &Header, records: &[u8]) -> Option<Vec<u8>> {
    let head = postcard::to_allocvec(header).ok()?;
    let mut out = Vec::with_capacity(4 + head.len() + records.len());
    out.extend_from_slice(&u32::try_from(head.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(records);
    Some(out)
}

/// The index as mail import reads it: the Message-ID map and the team's
/// tallies from `message-ids.bin`, and a ticket's shard only when asked
/// for one of its tickets.
pub struct MailIndex<'s> {
    store: &'s Store,
    dir: PathBuf,
    /// HEAD's shards by name: the tree, and the shard file once decoded.
    shards: HashMap<String, (Oid, OnceCell<ShardFile>)>,
    /// The file as read (or written); the records start at `records_at`.
    file: Vec<u8>,
    records_at: usize,
    team: TeamState,
    hash: fn(&str) -> u64,
    /// Shard files decoded so far, opening included.
    decoded: Cell<usize>,
}

impl MailIndex<'_> {
    /// The team's open tickets per agent and latest assignment, over every
    /// ticket at HEAD (nobody away: that is not the index's to know).
    pub fn team(&self) -> TeamState {
        self.team.clone()
    }

    /// The ticket holding mail with this Message-ID (when several do, the
    /// last in id order, as a map built over every ticket would say).
    pub fn ticket_of_message(&self, message_id: &str) -> Result<Option<TicketId>> {
        let records = &self.file[self.records_at..];
        let mut found = None;
        for id in candidates(records, (self.hash)(message_id)) {
            if self
                .get(id)?
                .is_some_and(|t| t.message_ids.iter().any(|m| m == message_id))
            {
                found = Some(id);
            }
        }
        Ok(found)
    }

    /// Ticket `id` as the index holds it, reading its shard if no lookup
    /// has yet.
    pub fn get(&self, id: TicketId) -> Result<Option<&IndexedTicket>> {
        let Some((tree, cell)) = self.shards.get(id.shard()) else {
            return Ok(None);
        };
        let file = match cell.get() {
            Some(file) => file,
            None => {
                let file = self.store.refresh_shard(
                    &self.dir,
                    id.shard(),
                    *tree,
                    &mut Refresh::default(),
                )?;
                self.decoded.set(self.decoded.get() + 1);
                cell.get_or_init(|| file)
            }
        };
        Ok(file.tickets.get(&id).map(|(_, t)| t))
    }

    /// How many shard files this view has decoded, opening included: what
    /// the tests of its cost count.
    pub fn shards_decoded(&self) -> usize {
        self.decoded.get()
    }
}

impl Store {
    /// The index as mail import needs it, brought up to date with HEAD:
    /// reads `message-ids.bin`, and the shards that changed since it was
    /// written.
    pub fn mail_index(&self) -> Result<MailIndex<'_>> {
        self.mail_index_hashed(fnv1a)
    }

    pub(super) fn mail_index_hashed(&self, hash: fn(&str) -> u64) -> Result<MailIndex<'_>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let path = dir.join(INDEX_MESSAGE_IDS_FILE);
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let tickets_id = tickets_tree.as_ref().map(|t| tree_id(t.id()));
        let mut shards: HashMap<String, (Oid, OnceCell<ShardFile>)> = HashMap::new();
        let mut names = Vec::new();
        for shard in tickets_tree.iter().flat_map(|t| t.iter()) {
            if let (Ok(name), Some(ObjectType::Tree)) = (shard.name(), shard.kind()) {
                names.push(name.to_string());
                shards.insert(name.to_string(), (shard.id(), OnceCell::new()));
            }
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let saved = unframe(&bytes).and_then(split);
        let mut index = MailIndex {
            store: self,
            dir,
            shards,
            file: Vec::new(),
            records_at: 0,
            team: TeamState::default(),
            hash,
            decoded: Cell::new(0),
        };
        let fresh = match &saved {
            Some((header, records)) if header.tickets_tree == tickets_id => {
                for (_, _, tally) in &header.shards {
                    tally.add_to(&mut index.team);
                }
                Some(bytes.len() - records.len())
            }
            _ => None,
        };
        if let Some(records_at) = fresh {
            drop(saved);
            index.file = bytes;
            index.records_at = records_at;
            return Ok(index);
        }
        let (old_shards, old_records) = match &saved {
            Some((header, records)) => (
                header
                    .shards
                    .iter()
                    .map(|(n, t, tally)| (n.as_str(), (*t, tally)))
                    .collect(),
                *records,
            ),
            None => (BTreeMap::new(), &[][..]),
        };
        names.sort();
        let mut unchanged = ShardSet::default();
        let mut tallies = Vec::with_capacity(names.len());
        let mut added = Vec::new();
        for name in &names {
            let (oid, cell) = &index.shards[name];
            let tree = tree_id(*oid);
            if let Some((_, tally)) = old_shards.get(name.as_str()).filter(|(t, _)| *t == tree) {
                unchanged.insert(name.as_bytes());
                tallies.push((name.clone(), tree, (*tally).clone()));
                continue;
            }
            let file = self.refresh_shard(&index.dir, name, *oid, &mut Refresh::default())?;
            index.decoded.set(index.decoded.get() + 1);
            added.extend(shard_records(&file, hash));
            tallies.push((name.clone(), tree, Tally::of(&file)));
            let _ = cell.set(file);
        }
        added.sort_unstable();
        let records = merge(old_records, |shard| unchanged.contains(shard), &added);
        let header = Header {
            version: INDEX_VERSION,
            format: FORMAT,
            tickets_tree: tickets_id,
            shards: tallies,
        };
        for (_, _, tally) in &header.shards {
            tally.add_to(&mut index.team);
        }
        let payload = join(&header, &records)
            .ok_or_else(|| crate::Error::internal("cannot encode the index's Message-ID map"))?;
        let file = frame(&payload);
        // Failing to save only costs the next import this refresh.
        write_atomically(&path, &file);
        index.records_at = file.len() - records.len();
        index.file = file;
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Entry, Event, MailMeta, Party, Priority};
    use crate::store::layout::INDEX_SHARDS_DIR;

    fn new_store() -> (tempfile::TempDir, Store) {
        crate::store::scratch::store()
    }

    /// Commits tickets holding mail with the given Message-IDs straight
    /// to the branch, as a pull would bring them: nothing of the index
    /// is touched.
    fn commit_tickets(store: &Store, tickets: &[(&str, &[&str])]) {
        let at = Timestamp::parse_rfc3339("2026-03-02T10:00:00Z").unwrap();
        let customer = Party::parse("Carol <carol@example.com>").unwrap();
        let mut entries = Vec::new();
        for (ticket, ids) in tickets {
            let ticket = id(ticket);
            let created = Event::Created {
                subject: "Printer".into(),
                customer: customer.clone(),
                cc: vec![],
                priority: Priority::ALL[0],
                tags: vec![],
                fields: BTreeMap::new(),
                channel: None,
                department: None,
                group: None,
            };
            let messages = ids.iter().map(|m| Event::Message {
                from: customer.clone(),
                mail: Some(Box::new(MailMeta {
                    message_id: m.to_string(),
                    in_reply_to: vec![],
                    references: vec![],
                    to: vec![],
                    cc: vec![],
                    bcc: Vec::new(),
                    subject: "Printer".into(),
                    sent_at: at,
                    date_missing: false,
                    raw: "raw.eml".into(),
                    quoted: None,
                    noise: None,
                    omitted: vec![],
                    outbound: false,
                })),
            });
            // Tickets of shard AA go to alice, of BB to bob.
            let assign = match ticket.shard() {
                "AA" => Some("alice"),
                "BB" => Some("bob"),
                _ => None,
            }
            .map(|to| Event::Assign {
                to: Some(to.into()),
            });
            let events = std::iter::once(created).chain(assign).chain(messages);
            for (seq, event) in events.enumerate() {
                let entry = Entry {
                    at,
                    seq: seq as u64 + 1,
                    author: "carol@example.com".into(),
                    by: None,
                    rule: None,
                    event,
                    body: "Hello.".into(),
                };
                entries.push((ticket, entry));
            }
        }
        crate::store::scratch::commit_as_pulled(store, entries);
    }

    fn map_file(store: &Store) -> PathBuf {
        store
            .cache_path(TICKET_INDEX_DIR)
            .join(INDEX_MESSAGE_IDS_FILE)
    }

    const TICKETS: &[(&str, &[&str])] = &[
        ("AA000001", &["a@example.com", "a2@example.com"]),
        ("BB000002", &["b@example.com"]),
        ("AA000003", &["c@example.com"]),
        ("CC000004", &[]),
    ];

    fn found(index: &MailIndex<'_>, message_id: &str) -> Option<TicketId> {
        index.ticket_of_message(message_id).unwrap()
    }

    #[test]
    fn colliding_hashes_are_told_apart_by_the_tickets_shard() {
        let (_dir, store) = new_store();
        commit_tickets(&store, TICKETS);
        // Every Message-ID collides with every other.
        let index = store.mail_index_hashed(|_| 42).unwrap();
        assert_eq!(found(&index, "a@example.com"), Some(id("AA000001")));
        assert_eq!(found(&index, "a2@example.com"), Some(id("AA000001")));
        assert_eq!(found(&index, "b@example.com"), Some(id("BB000002")));
        assert_eq!(found(&index, "c@example.com"), Some(id("AA000003")));
        assert_eq!(found(&index, "d@example.com"), None);
    }

    #[test]
    fn a_lookup_that_misses_the_map_reads_no_shard_and_a_hit_reads_one() {
        let (_dir, store) = new_store();
        commit_tickets(&store, TICKETS);
        drop(store.mail_index().unwrap());
        let index = store.mail_index().unwrap();
        assert_eq!(index.shards_decoded(), 0);
        assert_eq!(found(&index, "nobody@example.com"), None);
        assert_eq!(index.shards_decoded(), 0);
        assert_eq!(found(&index, "b@example.com"), Some(id("BB000002")));
        assert_eq!(index.shards_decoded(), 1);
        assert_eq!(found(&index, "b@example.com"), Some(id("BB000002")));
        assert_eq!(index.shards_decoded(), 1);
    }

    #[test]
    fn tickets_a_pull_brought_are_found_and_only_their_shards_read() {
        let (_dir, store) = new_store();
        commit_tickets(&store, TICKETS);
        let index = store.mail_index().unwrap();
        assert_eq!(index.shards_decoded(), 3);
        drop(index);
        commit_tickets(&store, &[("DD000005", &["d@example.com"])]);
        let index = store.mail_index().unwrap();
        assert_eq!(index.shards_decoded(), 1);
        assert_eq!(found(&index, "d@example.com"), Some(id("DD000005")));
        assert_eq!(found(&index, "a@example.com"), Some(id("AA000001")));
        // A ticket changed in a shard the map already knew.
        commit_tickets(&store, &[("BB000006", &["e@example.com"])]);
        let index = store.mail_index().unwrap();
        assert_eq!(index.shards_decoded(), 1);
        assert_eq!(found(&index, "e@example.com"), Some(id("BB000006")));
        assert_eq!(found(&index, "b@example.com"), Some(id("BB000002")));
        assert_eq!(found(&index, "d@example.com"), Some(id("DD000005")));
    }

    #[test]
    fn a_missing_or_damaged_map_is_rebuilt() {
        let (_dir, store) = new_store();
        commit_tickets(&store, TICKETS);
        drop(store.mail_index().unwrap());
        let path = map_file(&store);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        for damage in [
            None,
            Some(flipped),
            Some(b"TIXI".to_vec()),
            Some(Vec::new()),
        ] {
            match &damage {
                None => std::fs::remove_file(&path).unwrap(),
                Some(bytes) => std::fs::write(&path, bytes).unwrap(),
            }
            let index = store.mail_index().unwrap();
            assert_eq!(index.shards_decoded(), 3, "{damage:?}");
            assert_eq!(found(&index, "a2@example.com"), Some(id("AA000001")));
            assert_eq!(found(&index, "c@example.com"), Some(id("AA000003")));
            drop(index);
            assert_eq!(std::fs::read(&path).unwrap(), good);
            assert_eq!(store.mail_index().unwrap().shards_decoded(), 0);
        }
        // Without the shard files, a hit reads its ticket from git.
        std::fs::remove_dir_all(store.cache_path(TICKET_INDEX_DIR).join(INDEX_SHARDS_DIR)).unwrap();
        let index = store.mail_index().unwrap();
        assert_eq!(found(&index, "b@example.com"), Some(id("BB000002")));
    }

    #[test]
    fn the_team_tallies_add_up_to_a_count_over_every_ticket() {
        let (_dir, store) = new_store();
        commit_tickets(&store, TICKETS);
        let full = store.index().unwrap();
        let mut expected = TeamState::default();
        for t in full.tickets() {
            if let (Some(agent), Some(at)) =
                (&t.ticket.assignee, t.assigned_at.or(t.ticket.created_at))
            {
                expected.count(agent, at, t.ticket.status != Status::Closed);
            }
        }
        assert_eq!(expected.loads.get("alice"), Some(&2));
        let team = store.mail_index().unwrap().team();
        assert_eq!(team.loads, expected.loads);
        assert_eq!(team.newest, expected.newest);
        assert_eq!(team.last_assigned, expected.last_assigned);
        assert!(!team.last_assigned.is_empty());
    }

    fn id(s: &str) -> TicketId {
        s.parse().unwrap()
    }

    fn records(mut recs: Vec<Record>) -> Vec<u8> {
        recs.sort_unstable();
        recs.concat()
    }

    #[test]
    fn a_lookup_finds_every_ticket_of_a_hash_and_no_other() {
        let recs = records(vec![
            record(5, id("AA000001")),
            record(7, id("BB000002")),
            record(7, id("AA000003")),
            record(9, id("CC000004")),
            record(u64::MAX, id("CC000005")),
        ]);
        let found = |h| candidates(&recs, h).collect::<Vec<_>>();
        assert_eq!(found(7), vec![id("AA000003"), id("BB000002")]);
        assert_eq!(found(5), vec![id("AA000001")]);
        assert_eq!(found(u64::MAX), vec![id("CC000005")]);
        assert!(found(6).is_empty());
        assert!(found(0).is_empty());
        assert!(candidates(&[], 7).next().is_none());
    }

    #[test]
    fn a_merge_replaces_the_records_of_changed_shards_and_stays_sorted() {
        let old = records(vec![
            record(1, id("AA000001")),
            record(2, id("BB000001")),
            record(3, id("AA000002")),
            record(4, id("CC000001")),
        ]);
        let mut new = vec![record(2, id("AA000009")), record(5, id("CC000001"))];
        new.sort_unstable();
        let keep = |shard: &[u8]| shard == b"BB";
        let merged = merge(&old, keep, &new);
        assert_eq!(
            merged,
            records(vec![
                record(2, id("AA000009")),
                record(2, id("BB000001")),
                record(5, id("CC000001")),
            ])
        );
        // A record both kept and added is written once.
        let again = merge(&merged, |_| true, &[record(2, id("BB000001"))]);
        assert_eq!(again, merged);
    }

    #[test]
    fn the_hash_is_fixed() {
        // The file outlives the process: the same id must hash the same
        // in every build.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
