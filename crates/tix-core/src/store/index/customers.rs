//! The customer directory, in files kept in step with HEAD:
//!
//! - the card rows (`customers.bin` and `customers-recent.bin`, see
//!   `cards.rs`): each person's rows in each ticket, sorted by address
//!   hash, so that a card reads only that person's rows and decodes no
//!   shard file;
//! - `people.bin`, what the directory reads: per shard, stamped with its
//!   tree, everyone each ticket names ([`Contact`]s, with whether the
//!   ticket is closed).
//!
//! Each follows HEAD on its own, as `message-ids.bin` does: when HEAD's
//! tickets tree is the one a file names, it is used as read; otherwise
//! only the shards whose tree changed are read again (through the shard
//! refresh every index file shares); a missing, damaged or other-version
//! file means reading again every shard. A card brings only the card rows
//! up to date, so after a commit it rewrites the small recent file, not
//! the people.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use super::cards::{
    Base, CardRow, REBASE_AFTER, RecentView, build_base, encode_error, encode_recent, read_recent,
    shard_rows, sorted_rows, write_recent,
};
use super::files::{
    HEADER_LEN, INDEX_VERSION, RawBytes, ShardFile, TreeId, frame, tree_id, unframe,
    write_atomically,
};
use super::message_ids::ShardSet;
use super::{IndexedTicket, Refresh, damaged};
use crate::domain::customers::Contact;
use crate::domain::{Status, TicketId};
use crate::error::Result;
use crate::store::Store;
use crate::store::layout::{
    INDEX_CUSTOMERS_FILE, INDEX_CUSTOMERS_RECENT_FILE, INDEX_PEOPLE_FILE, TICKET_INDEX_DIR,
    TICKETS_DIR,
};

/// The layout of both files, on top of [`INDEX_VERSION`].
const FORMAT: u32 = 1;

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

fn shard_set<'a>(names: impl Iterator<Item = &'a String>) -> ShardSet {
    let mut out = ShardSet::default();
    for name in names {
        out.insert(name.as_bytes());
    }
    out
}

/// HEAD's shards by name: the tree, and the shard file once decoded.
type HeadShards = HashMap<String, (Oid, OnceCell<ShardFile>)>;

/// The customer directory, current with HEAD: a person's rows from the
/// card rows, everyone from `people.bin` when asked, and a ticket's shard
/// file only when one of its tickets is asked for.
pub struct CustomerDirectory<'s> {
    store: &'s Store,
    dir: PathBuf,
    tickets_tree: Option<TreeId>,
    shards: HeadShards,
    /// Shard files decoded, refreshes included.
    decoded: Cell<usize>,
    /// The card rows: the base, and the recent rows with the shards whose
    /// base rows they replace.
    base: Option<Base>,
    recent: Vec<u8>,
    replaced: ShardSet,
    /// `people.bin`'s payload, once read or written.
    people: OnceCell<Vec<u8>>,
}

impl CustomerDirectory<'_> {
    /// The person with this address (already folded, see
    /// `domain::customers::address_key`) in every ticket naming them, in
    /// ticket order. Reads only their card rows.
    pub fn cards_of(&self, key: &str) -> Result<Vec<CardRow>> {
        let base = self.base.as_ref().ok_or_else(damaged)?;
        super::cards::rows_of(base, &self.replaced, &self.recent, key)
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
        let file = self.decode_shard(name, *tree)?;
        Ok(cell.get_or_init(|| file))
    }

    /// The card rows of HEAD's shard `name`, its file decoded and
    /// dropped: a rebuild reads every shard and should not hold them all.
    fn card_rows_of_shard(&self, name: &str) -> Result<Vec<([u8; 16], Vec<u8>)>> {
        let (tree, cell) = self.shards.get(name).ok_or_else(damaged)?;
        match cell.get() {
            Some(file) => shard_rows(file),
            None => shard_rows(&self.decode_shard(name, *tree)?),
        }
    }

    fn decode_shard(&self, name: &str, tree: git2::Oid) -> Result<ShardFile> {
        self.decoded.set(self.decoded.get() + 1);
        self.store
            .refresh_shard(&self.dir, name, tree, &mut Refresh::default())
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

    /// Brings the card rows up to date with HEAD: nothing to do when the
    /// recent file names HEAD; else the rows of the shards that differ
    /// from the base are gathered (from the recent file when it holds
    /// them at HEAD's tree, else from the shard file) and saved as the
    /// recent file, or, past [`REBASE_AFTER`] shards or without a base,
    /// written into a new base.
    fn refresh_cards(&mut self) -> Result<()> {
        let base_path = self.dir.join(INDEX_CUSTOMERS_FILE);
        let recent_path = self.dir.join(INDEX_CUSTOMERS_RECENT_FILE);
        let names = self.shard_names();
        let base = Base::open(&base_path);
        let saved_recent = base.as_ref().and_then(|b| read_recent(&recent_path, b));
        let old = saved_recent.as_deref().and_then(RecentView::of);
        if let Some(current) = old.as_ref().filter(|r| r.tickets_tree == self.tickets_tree) {
            self.replaced = shard_set(current.shards.keys());
            self.recent = saved_recent.unwrap_or_default();
            self.base = base;
            return Ok(());
        }
        // The shards whose rows differ from the base's: all of them
        // without a base. A shard HEAD no longer has is named with zeros.
        let base_trees: HashMap<&str, TreeId> = base
            .as_ref()
            .map(|b| b.shards().iter().map(|(n, t)| (n.as_str(), *t)).collect())
            .unwrap_or_default();
        let mut differing: Vec<(String, TreeId)> = names
            .iter()
            .filter(|(n, t)| base_trees.get(n.as_str()) != Some(t))
            .cloned()
            .collect();
        for name in base_trees.keys() {
            if !self.shards.contains_key(*name) {
                differing.push((name.to_string(), [0; 20]));
            }
        }
        differing.sort();
        let mut owned: Vec<([u8; 16], Vec<u8>)> = Vec::new();
        let mut kept: Vec<(&[u8], &[u8])> = Vec::new();
        for (name, tree) in &differing {
            if !self.shards.contains_key(name.as_str()) {
                continue;
            }
            match old.as_ref().map(|o| (o, o.shards.get(name))) {
                Some((o, Some(t))) if t == tree => kept.extend(o.rows_of_shard(name)?),
                _ => owned.extend(self.card_rows_of_shard(name)?),
            }
        }
        kept.extend(owned.iter().map(|(k, p)| (&k[..], &p[..])));
        let rows = sorted_rows(kept);
        let replaced = shard_set(differing.iter().map(|(name, _)| name));
        let (base, recent) = if base.is_none() || differing.len() > REBASE_AFTER {
            let bytes = build_base(
                base.as_ref(),
                |shard| !replaced.contains(shard),
                &rows,
                self.tickets_tree,
                names,
            )?;
            write_atomically(&base_path, &bytes);
            let base = Base::from_bytes(bytes).ok_or_else(damaged)?;
            self.replaced = ShardSet::default();
            let recent = encode_recent(base.tickets_tree(), self.tickets_tree, &[], &[])?;
            (base, recent)
        } else {
            let base = base.ok_or_else(damaged)?;
            let recent = encode_recent(base.tickets_tree(), self.tickets_tree, &differing, &rows)?;
            self.replaced = replaced;
            (base, recent)
        };
        write_recent(&recent_path, &recent);
        self.base = Some(base);
        self.recent = recent;
        Ok(())
    }

    /// How many shard files this view has decoded, refresh included: what
    /// the tests of its cost count.
    pub fn shards_decoded(&self) -> usize {
        self.decoded.get()
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
            decoded: Cell::new(0),
            base: None,
            recent: Vec::new(),
            replaced: ShardSet::default(),
            people: OnceCell::new(),
        };
        directory.refresh_cards()?;
        Ok(directory)
    }

    /// [`Store::customer_directory`] built again from every shard, for
    /// when the saved files could not be read.
    pub fn rebuild_customer_directory(&self) -> Result<CustomerDirectory<'_>> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let _ = std::fs::remove_file(dir.join(INDEX_CUSTOMERS_FILE));
        let _ = std::fs::remove_file(dir.join(INDEX_CUSTOMERS_RECENT_FILE));
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
                rule: None,
                event: Event::Created {
                    subject: "Printer".into(),
                    customer: Party::parse(customer).unwrap(),
                    cc: vec![],
                    priority: Priority::ALL[0],
                    tags: vec![],
                    fields: BTreeMap::new(),
                    channel: None,
                    department: None,
                    group: None,
                },
                body: "Hello.".into(),
            };
            entries.push((ticket, entry));
        }
        crate::store::scratch::commit_as_pulled(store, entries);
    }

    fn ids_of(d: &CustomerDirectory<'_>, key: &str) -> Vec<String> {
        d.cards_of(key)
            .unwrap()
            .iter()
            .map(|r| r.facts.id.to_string())
            .collect()
    }

    #[test]
    fn a_lookup_reads_no_shard_file_and_follows_a_pull() {
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
        assert_eq!(d.shards_decoded(), 0, "a card decodes no shard file");
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
        // A damaged block is found by the card that reads it (the header
        // still reads); the query layer then builds the directory again.
        std::fs::write(&path, &flipped).unwrap();
        let d = store.customer_directory().unwrap();
        assert!(d.cards_of("ann@example.com").is_err());
        drop(d);
        let d = store.rebuild_customer_directory().unwrap();
        assert_eq!(ids_of(&d, "ann@example.com"), ["AA000001"]);
        drop(d);
        assert_eq!(std::fs::read(&path).unwrap(), good);
        // A damaged header, or no file, is rebuilt on opening.
        for bytes in [
            b"TIXI".to_vec(),
            Vec::new(),
            good[..good.len() / 2].to_vec(),
        ] {
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

    fn shard_name(i: usize) -> String {
        const DIGITS: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let (a, b) = (DIGITS[i / 32 % 32] as char, DIGITS[i % 32] as char);
        format!("{a}{b}")
    }

    #[test]
    fn recent_rows_are_kept_until_too_many_shards_differ_then_folded_into_the_base() {
        let (_dir, store) = crate::store::scratch::store();
        commit_tickets(&store, &[("AA000001", "ann@example.com")]);
        drop(store.customer_directory().unwrap());
        let base = store
            .cache_path(TICKET_INDEX_DIR)
            .join(INDEX_CUSTOMERS_FILE);
        let first_base = std::fs::read(&base).unwrap();
        // One shard changes, then another: each refresh decodes only the
        // shard new to it, and the base is left as it was.
        commit_tickets(&store, &[("BB000002", "Ann <ann@example.com>")]);
        let d = store.customer_directory().unwrap();
        assert_eq!(d.shards_decoded(), 1);
        drop(d);
        commit_tickets(&store, &[("CC000003", "ann@example.com")]);
        let d = store.customer_directory().unwrap();
        assert_eq!(d.shards_decoded(), 1, "BB's rows come from the recent file");
        assert_eq!(
            ids_of(&d, "ann@example.com"),
            ["AA000001", "BB000002", "CC000003"]
        );
        drop(d);
        assert_eq!(std::fs::read(&base).unwrap(), first_base);
        // Past the limit, the base is written again with every row.
        let many: Vec<(String, String)> = (0..REBASE_AFTER + 2)
            .map(|i| {
                (
                    format!("{}00000{}", shard_name(i + 100), i % 10),
                    "bob@example.com".to_string(),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        commit_tickets(&store, &refs);
        let d = store.customer_directory().unwrap();
        assert_eq!(ids_of(&d, "bob@example.com").len(), REBASE_AFTER + 2);
        assert_eq!(
            ids_of(&d, "ann@example.com"),
            ["AA000001", "BB000002", "CC000003"]
        );
        drop(d);
        assert_ne!(std::fs::read(&base).unwrap(), first_base);
        let d = store.customer_directory().unwrap();
        assert_eq!(d.shards_decoded(), 0);
        assert!(d.replaced.is_empty(), "the recent file is empty");
        assert_eq!(ids_of(&d, "bob@example.com").len(), REBASE_AFTER + 2);
    }

    #[test]
    fn a_person_whose_rows_span_many_blocks_gets_them_all_and_nobody_else_s() {
        let (_dir, store) = crate::store::scratch::store();
        // Enough rows for several 64 KiB blocks, one person among others.
        let tickets: Vec<(String, String)> = (0..3000)
            .map(|i| {
                let id = format!("{}{:06}", shard_name(i % 300), i);
                let who = if i % 3 == 0 {
                    "Ann Lee <ann@example.com>".to_string()
                } else {
                    format!("c{i}@example.org")
                };
                (id, who)
            })
            .collect();
        let refs: Vec<(&str, &str)> = tickets
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        commit_tickets(&store, &refs);
        let d = store.customer_directory().unwrap();
        assert!(d.base.as_ref().unwrap().blocks() > 3, "several blocks");
        let mut want: Vec<String> = tickets
            .iter()
            .filter(|(_, w)| w.contains("ann@"))
            .map(|(id, _)| id.clone())
            .collect();
        want.sort();
        assert_eq!(ids_of(&d, "ann@example.com"), want);
        assert_eq!(ids_of(&d, "c1@example.org"), [tickets[1].0.clone()]);
        assert!(ids_of(&d, "c3@example.org").is_empty());
    }
}
