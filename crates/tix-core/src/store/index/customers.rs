//! The customer directory, in two files kept in step with HEAD:
//!
//! - `customers.bin`, what a card reads: per shard its tree, and a sorted
//!   table of (address hash, ticket) records, so that one person's
//!   tickets are found by a binary search without decoding anyone else;
//! - `people.bin`, what the directory reads: per shard, stamped with its
//!   tree, everyone each ticket names ([`Contact`]s, with whether the
//!   ticket is closed).
//!
//! Each follows HEAD on its own, as `message-ids.bin` does: when HEAD's
//! tickets tree is the one the file names, it is used as read; otherwise
//! only the shards whose tree changed are read again (through the shard
//! refresh every index file shares) and their records or people
//! replaced; a missing, damaged or other-version file means reading
//! again every shard. A card brings only `customers.bin` up to date, so
//! after a commit it rewrites that small file, not the people. A lookup then decodes only the
//! shard files of the tickets it found, to confirm them (two addresses
//! can share a hash) and to read their state and facts.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use super::files::{
    HEADER_LEN, INDEX_VERSION, RawBytes, ShardFile, TreeId, frame, tree_id, unframe,
    write_atomically,
};
use super::message_ids::{RECORD_LEN, Record, ShardSet, candidates, fnv1a, merge, record};
use super::{IndexedTicket, Refresh, damaged};
use crate::domain::customers::Contact;
use crate::domain::{Status, TicketId};
use crate::error::Result;
use crate::store::Store;
use crate::store::layout::{
    INDEX_CUSTOMERS_FILE, INDEX_PEOPLE_FILE, TICKET_INDEX_DIR, TICKETS_DIR,
};

/// The layout of both files, on top of [`INDEX_VERSION`].
const FORMAT: u32 = 1;

#[derive(Deserialize)]
struct LookupFile<'a> {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    #[serde(borrow)]
    shards: Vec<(&'a str, TreeId)>,
    /// [`RECORD_LEN`]-byte records: the address hash and the ticket id.
    records: &'a [u8],
}

#[derive(Serialize)]
struct LookupFileOut<'a> {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    shards: Vec<(&'a str, TreeId)>,
    records: RawBytes<'a>,
}

#[derive(Deserialize)]
struct PeopleFile<'a> {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    #[serde(borrow)]
    shards: Vec<ShardPeople<'a>>,
}

#[derive(Deserialize)]
struct ShardPeople<'a> {
    name: &'a str,
    tree: TreeId,
    /// Postcard-encoded [`PersonInTicket`]s, one after the other.
    people: &'a [u8],
}

#[derive(Serialize)]
struct PeopleFileOut<'a> {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    shards: Vec<ShardPeopleOut<'a>>,
}

#[derive(Serialize)]
struct ShardPeopleOut<'a> {
    name: &'a str,
    tree: TreeId,
    people: RawBytes<'a>,
}

/// One person in one ticket, as the directory lists them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonInTicket {
    pub ticket: TicketId,
    pub closed: bool,
    pub contact: Contact,
}

fn decode_lookup(payload: &[u8]) -> Option<LookupFile<'_>> {
    postcard::from_bytes::<LookupFile<'_>>(payload)
        .ok()
        .filter(|f| {
            f.version == INDEX_VERSION && f.format == FORMAT && f.records.len() % RECORD_LEN == 0
        })
}

fn decode_people(payload: &[u8]) -> Option<PeopleFile<'_>> {
    postcard::from_bytes::<PeopleFile<'_>>(payload)
        .ok()
        .filter(|f| f.version == INDEX_VERSION && f.format == FORMAT)
}

/// The payload of a saved index file, empty when it is missing or fails
/// its checksum.
fn read_payload(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap_or_default();
    if unframe(&bytes).is_some() {
        bytes.drain(..HEADER_LEN);
    } else {
        bytes.clear();
    }
    bytes
}

fn encode_error(e: postcard::Error) -> crate::Error {
    crate::Error::internal(format!("cannot encode the customer directory: {e}")).with_source(e)
}

fn encode_people(file: &ShardFile) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for (id, (_, t)) in &file.tickets {
        for contact in &t.contacts {
            let person = PersonInTicket {
                ticket: *id,
                closed: t.ticket.status == Status::Closed,
                contact: contact.clone(),
            };
            out = postcard::to_extend(&person, out).map_err(encode_error)?;
        }
    }
    Ok(out)
}

fn shard_records(file: &ShardFile) -> Vec<Record> {
    let mut out: Vec<Record> = file
        .tickets
        .iter()
        .flat_map(|(id, (_, t))| t.contacts.iter().map(|c| record(fnv1a(&c.key), *id)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// HEAD's shards by name: the tree, and the shard file once decoded.
type HeadShards = HashMap<String, (Oid, OnceCell<ShardFile>)>;

/// The customer directory, current with HEAD: a person's tickets from
/// `customers.bin`, everyone from `people.bin` when asked, and a ticket's
/// shard file only when one of its tickets is asked for.
pub struct CustomerDirectory<'s> {
    store: &'s Store,
    dir: PathBuf,
    tickets_tree: Option<TreeId>,
    shards: HeadShards,
    /// `customers.bin`'s payload, its checksum verified.
    lookup: Vec<u8>,
    /// `people.bin`'s payload, once read or written.
    people: OnceCell<Vec<u8>>,
}

impl CustomerDirectory<'_> {
    /// The tickets naming the address (already folded, see
    /// `domain::customers::address_key`), each with the person as that
    /// ticket names them, in id order.
    pub fn tickets_of(&self, key: &str) -> Result<Vec<(&IndexedTicket, &Contact)>> {
        let file = decode_lookup(&self.lookup).ok_or_else(damaged)?;
        let mut ids: Vec<TicketId> = candidates(file.records, fnv1a(key)).collect();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            if let Some(t) = self.ticket(id)?
                && let Some(c) = t.contacts.iter().find(|c| c.key == key)
            {
                out.push((t, c));
            }
        }
        Ok(out)
    }

    /// Everyone in every ticket, in shard and ticket order. Reads
    /// `people.bin`, brought up to date first if it is not of HEAD.
    pub fn people(&self) -> Result<Vec<PersonInTicket>> {
        let payload = match self.people.get() {
            Some(p) => p,
            None => {
                let payload = self.refresh_people()?;
                self.people.get_or_init(|| payload)
            }
        };
        let file = decode_people(payload).ok_or_else(damaged)?;
        let mut out = Vec::new();
        for shard in &file.shards {
            let mut rest = shard.people;
            while !rest.is_empty() {
                let (person, tail) =
                    postcard::take_from_bytes::<PersonInTicket>(rest).map_err(|_| damaged())?;
                out.push(person);
                rest = tail;
            }
        }
        Ok(out)
    }

    /// Ticket `id` as the index holds it, reading its shard file if no
    /// lookup has yet.
    pub fn ticket(&self, id: TicketId) -> Result<Option<&IndexedTicket>> {
        if !self.shards.contains_key(id.shard()) {
            return Ok(None);
        }
        Ok(self.shard(id.shard())?.tickets.get(&id).map(|(_, t)| t))
    }

    /// HEAD's shards, in name order, with their trees.
    fn shard_names(&self) -> Vec<(String, TreeId)> {
        let mut out: Vec<(String, TreeId)> = self
            .shards
            .iter()
            .map(|(name, (oid, _))| (name.clone(), tree_id(*oid)))
            .collect();
        out.sort();
        out
    }

    /// HEAD's shard `name`, decoded once.
    fn shard(&self, name: &str) -> Result<&ShardFile> {
        let (tree, cell) = self.shards.get(name).ok_or_else(damaged)?;
        if let Some(file) = cell.get() {
            return Ok(file);
        }
        let file = self
            .store
            .refresh_shard(&self.dir, name, *tree, &mut Refresh::default())?;
        Ok(cell.get_or_init(|| file))
    }

    /// `people.bin` as of HEAD: as saved when it names HEAD's tickets
    /// tree, else with the people of the shards whose tree changed read
    /// again (all of them when it is missing or damaged), and saved.
    fn refresh_people(&self) -> Result<Vec<u8>> {
        let path = self.dir.join(INDEX_PEOPLE_FILE);
        let saved = read_payload(&path);
        let old = decode_people(&saved);
        if old
            .as_ref()
            .is_some_and(|f| f.tickets_tree == self.tickets_tree)
        {
            drop(old);
            return Ok(saved);
        }
        let known: HashMap<&str, (TreeId, &[u8])> = old
            .as_ref()
            .map(|f| {
                f.shards
                    .iter()
                    .map(|s| (s.name, (s.tree, s.people)))
                    .collect()
            })
            .unwrap_or_default();
        let names = self.shard_names();
        let mut people: Vec<(&str, TreeId, Cow<'_, [u8]>)> = Vec::with_capacity(names.len());
        for (name, tree) in &names {
            match known.get(name.as_str()) {
                Some((t, p)) if t == tree => people.push((name, *tree, Cow::Borrowed(*p))),
                _ => people.push((name, *tree, Cow::Owned(encode_people(self.shard(name)?)?))),
            }
        }
        let payload = postcard::to_allocvec(&PeopleFileOut {
            version: INDEX_VERSION,
            format: FORMAT,
            tickets_tree: self.tickets_tree,
            shards: people
                .iter()
                .map(|(name, tree, p)| ShardPeopleOut {
                    name,
                    tree: *tree,
                    people: RawBytes(p),
                })
                .collect(),
        })
        .map_err(encode_error)?;
        drop(people);
        drop(known);
        drop(old);
        write_atomically(&path, &frame(&payload));
        Ok(payload)
    }

    /// How many shard files this view has decoded, refresh included: what
    /// the tests of its cost count.
    pub fn shards_decoded(&self) -> usize {
        self.shards
            .values()
            .filter(|(_, c)| c.get().is_some())
            .count()
    }
}

impl Store {
    /// The customer directory, brought up to date with HEAD: reads
    /// `customers.bin`, and when HEAD moved since it was written, the
    /// shards that changed. `people.bin` is read (and brought up to date)
    /// only when the directory is asked for everyone.
    pub fn customer_directory(&self) -> Result<CustomerDirectory<'_>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let head = self.head_tree()?;
        let tickets_tree = match &head {
            Some(h) => self.subtree(h, TICKETS_DIR)?,
            None => None,
        };
        let tickets_id = tickets_tree.as_ref().map(|t| tree_id(t.id()));
        let mut shards: HeadShards = HashMap::new();
        for shard in tickets_tree.iter().flat_map(|t| t.iter()) {
            if let (Ok(name), Some(ObjectType::Tree)) = (shard.name(), shard.kind()) {
                shards.insert(name.to_string(), (shard.id(), OnceCell::new()));
            }
        }
        let mut directory = CustomerDirectory {
            store: self,
            dir,
            tickets_tree: tickets_id,
            shards,
            lookup: Vec::new(),
            people: OnceCell::new(),
        };
        let path = directory.dir.join(INDEX_CUSTOMERS_FILE);
        let saved = read_payload(&path);
        let lookup = decode_lookup(&saved);
        if lookup
            .as_ref()
            .is_some_and(|f| f.tickets_tree == tickets_id)
        {
            drop(lookup);
            directory.lookup = saved;
            return Ok(directory);
        }
        let trees: HashMap<&str, TreeId> = lookup
            .as_ref()
            .map(|f| f.shards.iter().copied().collect())
            .unwrap_or_default();
        let old_records = lookup.as_ref().map_or(&[][..], |f| f.records);
        let mut unchanged = ShardSet::default();
        let mut added = Vec::new();
        let names = directory.shard_names();
        for (name, tree) in &names {
            if trees.get(name.as_str()) == Some(tree) {
                unchanged.insert(name.as_bytes());
                continue;
            }
            added.extend(shard_records(directory.shard(name)?));
        }
        added.sort_unstable();
        let records = merge(old_records, |shard| unchanged.contains(shard), &added);
        let payload = postcard::to_allocvec(&LookupFileOut {
            version: INDEX_VERSION,
            format: FORMAT,
            tickets_tree: tickets_id,
            shards: names.iter().map(|(n, t)| (n.as_str(), *t)).collect(),
            records: RawBytes(&records),
        })
        .map_err(encode_error)?;
        drop(trees);
        drop(lookup);
        // Failing to save only costs the next command this refresh.
        write_atomically(&path, &frame(&payload));
        directory.lookup = payload;
        Ok(directory)
    }

    /// [`Store::customer_directory`] built again from every shard, for
    /// when the saved files could not be read.
    pub fn rebuild_customer_directory(&self) -> Result<CustomerDirectory<'_>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let _ = std::fs::remove_file(dir.join(INDEX_CUSTOMERS_FILE));
        let _ = std::fs::remove_file(dir.join(INDEX_PEOPLE_FILE));
        self.customer_directory()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::{Entry, Event, Party, Priority, Timestamp};

    /// Commits tickets, each with its customer, straight to the branch as
    /// a pull would bring them: nothing of the index is touched.
    fn commit_tickets(store: &Store, tickets: &[(&str, &str)]) {
        let at = Timestamp::parse_rfc3339("2026-03-02T10:00:00Z").unwrap();
        let mut entries = Vec::new();
        for (ticket, customer) in tickets {
            let ticket: TicketId = ticket.parse().unwrap();
            let entry = Entry {
                at,
                seq: 1,
                author: "carol".into(),
                by: None,
                event: Event::Created {
                    subject: "Printer".into(),
                    customer: Party::parse(customer).unwrap(),
                    cc: vec![],
                    priority: Priority::ALL[0],
                    tags: vec![],
                    fields: BTreeMap::new(),
                },
                body: "Hello.".into(),
            };
            entries.push((ticket, entry));
        }
        crate::store::scratch::commit_as_pulled(store, entries);
    }

    fn ids_of(d: &CustomerDirectory<'_>, key: &str) -> Vec<String> {
        d.tickets_of(key)
            .unwrap()
            .iter()
            .map(|(t, _)| t.ticket.id.to_string())
            .collect()
    }

    #[test]
    fn a_lookup_reads_only_the_shards_of_the_persons_tickets_and_follows_a_pull() {
        let (_dir, store) = crate::store::scratch::store();
        commit_tickets(
            &store,
            &[
                ("AA000001", "Ann <ann@example.com>"),
                ("BB000002", "bob@example.com"),
                ("CC000003", "ANN@example.com"),
            ],
        );
        drop(store.customer_directory().unwrap());
        let d = store.customer_directory().unwrap();
        assert_eq!(d.shards_decoded(), 0);
        assert!(d.people.get().is_none(), "a lookup reads no people");
        assert_eq!(ids_of(&d, "ann@example.com"), ["AA000001", "CC000003"]);
        assert_eq!(d.shards_decoded(), 2);
        assert!(ids_of(&d, "nobody@example.com").is_empty());
        assert_eq!(d.people().unwrap().len(), 3);
        drop(d);
        commit_tickets(&store, &[("BB000004", "Ann <ann@example.com>")]);
        let d = store.customer_directory().unwrap();
        // Only the changed shard was read again.
        assert_eq!(d.shards_decoded(), 1);
        assert_eq!(
            ids_of(&d, "ann@example.com"),
            ["AA000001", "BB000004", "CC000003"]
        );
        assert_eq!(ids_of(&d, "bob@example.com"), ["BB000002"]);
    }

    #[test]
    fn a_damaged_directory_is_rebuilt() {
        let (_dir, store) = crate::store::scratch::store();
        commit_tickets(&store, &[("AA000001", "ann@example.com")]);
        drop(store.customer_directory().unwrap());
        let path = store
            .cache_path(TICKET_INDEX_DIR)
            .join(INDEX_CUSTOMERS_FILE);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        for bytes in [flipped, b"TIXI".to_vec(), Vec::new()] {
            std::fs::write(&path, &bytes).unwrap();
            let d = store.customer_directory().unwrap();
            assert_eq!(ids_of(&d, "ann@example.com"), ["AA000001"]);
            drop(d);
            assert_eq!(std::fs::read(&path).unwrap(), good);
        }
        // The people file is written only when everyone is asked for, and
        // rebuilt from the shards when damaged.
        let people = path.with_file_name(INDEX_PEOPLE_FILE);
        assert!(!people.exists());
        assert_eq!(
            store.customer_directory().unwrap().people().unwrap().len(),
            1
        );
        let good_people = std::fs::read(&people).unwrap();
        for bytes in [b"TIXI".to_vec(), Vec::new()] {
            std::fs::write(&people, &bytes).unwrap();
            let d = store.customer_directory().unwrap();
            let everyone = d.people().unwrap();
            assert_eq!(everyone.len(), 1);
            assert_eq!(everyone[0].contact.key, "ann@example.com");
            drop(d);
            assert_eq!(std::fs::read(&people).unwrap(), good_people);
        }
    }
}
