//! What a customer card reads: for every person each ticket names, one
//! row (the person as that ticket names them, the ticket's last activity
//! and its report facts), sorted by the hash of the address, so that one
//! person's rows lie together and a card reads only them, however large
//! the store.
//!
//! Two files, so that bringing them up to date after a commit costs a
//! small write rather than the whole table:
//!
//! - `customers.bin`, the base: a header (the shard trees the rows were
//!   read from, and a table of blocks: each one's first key, place and
//!   checksum), then the rows in blocks of about [`BLOCK_LEN`] bytes. A
//!   card reads the header and the blocks its hash falls in, checking
//!   only their checksums.
//! - `customers-recent.bin`: for HEAD, the rows of the shards whose tree
//!   differs from the base's; their rows in the base are ignored. It is
//!   small and rewritten whole. Once more than [`REBASE_AFTER`] shards
//!   differ, the base is written again with them, from its own rows and
//!   the recent ones: only shards never read before are decoded.
//!
//! A row is its key (the address hash, big-endian, then the ticket id:
//! sorting keys sorts by person, then ticket), its length, and a postcard
//! payload. Anything that fails a checksum, a bound or a decode is
//! reported as damage, and the directory is then built again from the
//! shard files.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::files::{
    HEADER_LEN, INDEX_VERSION, MAGIC, RawBytes, ShardFile, TreeId, crc32, frame, unframe,
    write_atomically,
};
use super::message_ids::{ShardSet, fnv1a};
use super::{IndexedTicket, damaged};
use crate::domain::customers::Contact;
use crate::domain::{TicketFacts, TicketId, Timestamp};
use crate::error::Result;

/// The layout of both files, on top of [`INDEX_VERSION`].
const FORMAT: u32 = 2;
/// The size blocks are cut at.
const BLOCK_LEN: usize = 64 * 1024;
/// Shards that may differ from the base before it is written again: the
/// recent file stays a few megabytes at most.
pub(super) const REBASE_AFTER: usize = 64;
/// Bounds on what is read before it is checked: the header, one block,
/// the recent file.
const MAX_HEADER: u64 = 16 << 20;
const MAX_BLOCK: u32 = 16 << 20;
const MAX_RECENT: u64 = 256 << 20;
const KEY_LEN: usize = 16;
/// Where the base's header starts: the magic, its checksum, its length.
const DATA_AT: usize = HEADER_LEN + 4;
/// The key and the payload's length.
const ROW_HEAD: usize = KEY_LEN + 4;

type Key = [u8; KEY_LEN];

fn key(hash: u64, id: TicketId) -> Key {
    let mut out = [0; KEY_LEN];
    out[..8].copy_from_slice(&hash.to_be_bytes());
    out[8..].copy_from_slice(id.as_str().as_bytes());
    out
}

fn hash_of(key: &[u8]) -> u64 {
    let mut h = [0; 8];
    h.copy_from_slice(&key[..8]);
    u64::from_be_bytes(h)
}

fn shard_of(key: &[u8]) -> &[u8] {
    &key[8..8 + crate::domain::id::SHARD_LEN]
}

#[derive(Serialize)]
struct PayloadOut<'a> {
    contact: &'a Contact,
    updated_at: Option<Timestamp>,
    facts: RawBytes<'a>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    contact: Contact,
    updated_at: Option<Timestamp>,
    facts: &'a [u8],
}

/// One person in one ticket, as a card shows them.
#[derive(Clone, Debug)]
pub struct CardRow {
    pub contact: Contact,
    pub updated_at: Option<Timestamp>,
    /// The ticket's report facts: its id, subject, state, and what the
    /// figures count.
    pub facts: TicketFacts,
}

/// Appends one row (its key, its length, its payload) to `out`.
fn push_row(out: &mut Vec<u8>, key: &[u8], payload: &[u8]) {
    out.extend_from_slice(key);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
}

pub(super) fn encode_error(e: postcard::Error) -> crate::Error {
    crate::Error::internal(format!("cannot encode the customer directory: {e}")).with_source(e)
}

/// The rows of `bytes`, each as (key, payload), stopping with an error at
/// the first that runs past the end.
fn rows(bytes: &[u8]) -> impl Iterator<Item = Result<(&[u8], &[u8])>> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() < ROW_HEAD {
            rest = &[];
            return Some(Err(damaged()));
        }
        let len = u32::from_le_bytes(rest[KEY_LEN..ROW_HEAD].try_into().unwrap_or_default());
        let end = ROW_HEAD + len as usize;
        if rest.len() < end {
            rest = &[];
            return Some(Err(damaged()));
        }
        let row = (&rest[..KEY_LEN], &rest[ROW_HEAD..end]);
        rest = &rest[end..];
        Some(Ok(row))
    })
}

/// The rows of one shard's tickets, sorted by key.
pub(super) fn shard_rows(file: &ShardFile) -> Result<Vec<(Key, Vec<u8>)>> {
    let mut out = Vec::new();
    for (id, (_, t)) in &file.tickets {
        for contact in &t.contacts {
            out.push((key(fnv1a(&contact.key), *id), encode(t, contact)?));
        }
    }
    out.sort_unstable_by_key(|r| r.0);
    Ok(out)
}

fn encode(t: &IndexedTicket, contact: &Contact) -> Result<Vec<u8>> {
    postcard::to_allocvec(&PayloadOut {
        contact,
        updated_at: t.ticket.updated_at,
        facts: RawBytes(&t.facts.0),
    })
    .map_err(encode_error)
}

#[derive(Serialize, Deserialize)]
struct Block {
    first: Key,
    offset: u64,
    len: u32,
    crc: u32,
}

#[derive(Serialize, Deserialize)]
struct BaseHeader {
    version: u32,
    format: u32,
    tickets_tree: Option<TreeId>,
    shards: Vec<(String, TreeId)>,
    blocks: Vec<Block>,
}

#[derive(Serialize)]
struct RecentOut<'a> {
    version: u32,
    format: u32,
    /// The base these rows go with: its tickets tree.
    base: Option<TreeId>,
    tickets_tree: Option<TreeId>,
    /// The shards whose rows these replace, with HEAD's tree (zeros for a
    /// shard HEAD no longer has).
    shards: &'a [(String, TreeId)],
    rows: RawBytes<'a>,
}

#[derive(Deserialize)]
struct Recent<'a> {
    version: u32,
    format: u32,
    base: Option<TreeId>,
    tickets_tree: Option<TreeId>,
    shards: Vec<(String, TreeId)>,
    rows: &'a [u8],
}

/// The base file, opened: its header read and checked, its blocks read
/// when asked.
pub(super) struct Base {
    storage: Storage,
    header: BaseHeader,
    /// Where the blocks start.
    data_at: u64,
}

/// Where a base is read from: its file, or the bytes just built when they
/// could not be saved.
enum Storage {
    File(File),
    Bytes(Vec<u8>),
}

impl Storage {
    fn len(&self) -> Option<u64> {
        match self {
            Storage::File(f) => f.metadata().ok().map(|m| m.len()),
            Storage::Bytes(b) => Some(b.len() as u64),
        }
    }

    fn read_exact_at(&self, buf: &mut [u8], at: u64) -> Option<()> {
        match self {
            Storage::File(f) => f.read_exact_at(buf, at).ok(),
            Storage::Bytes(b) => {
                let start = usize::try_from(at).ok()?;
                let end = start.checked_add(buf.len())?;
                buf.copy_from_slice(b.get(start..end)?);
                Some(())
            }
        }
    }
}

impl Base {
    pub(super) fn open(path: &Path) -> Option<Base> {
        Base::read(Storage::File(File::open(path).ok()?))
    }

    pub(super) fn from_bytes(bytes: Vec<u8>) -> Option<Base> {
        Base::read(Storage::Bytes(bytes))
    }

    fn read(storage: Storage) -> Option<Base> {
        let mut head = [0; DATA_AT];
        storage.read_exact_at(&mut head, 0)?;
        if &head[..4] != MAGIC {
            return None;
        }
        let sum = u32::from_le_bytes(head[4..8].try_into().ok()?);
        let len = u64::from(u32::from_le_bytes(head[8..12].try_into().ok()?));
        if len > MAX_HEADER || len > storage.len()? {
            return None;
        }
        let mut bytes = vec![0; len as usize];
        storage.read_exact_at(&mut bytes, DATA_AT as u64)?;
        if crc32(&bytes) != sum {
            return None;
        }
        let header: BaseHeader = postcard::from_bytes(&bytes).ok()?;
        // A file cut short (a full disk) is found here, not by a card.
        let data_end = header
            .blocks
            .last()
            .map_or(0, |b| b.offset + u64::from(b.len));
        (header.version == INDEX_VERSION
            && header.format == FORMAT
            && DATA_AT as u64 + len + data_end == storage.len()?)
        .then_some(Base {
            storage,
            header,
            data_at: DATA_AT as u64 + len,
        })
    }

    pub(super) fn tickets_tree(&self) -> Option<TreeId> {
        self.header.tickets_tree
    }

    #[cfg(test)]
    pub(super) fn blocks(&self) -> usize {
        self.header.blocks.len()
    }

    pub(super) fn shards(&self) -> &[(String, TreeId)] {
        &self.header.shards
    }

    fn block(&self, b: &Block) -> Result<Vec<u8>> {
        if b.len > MAX_BLOCK {
            return Err(damaged());
        }
        let mut bytes = vec![0; b.len as usize];
        self.storage
            .read_exact_at(&mut bytes, self.data_at + b.offset)
            .ok_or_else(damaged)?;
        if crc32(&bytes) != b.crc {
            return Err(damaged());
        }
        Ok(bytes)
    }

    /// The blocks that may hold rows of `hash`.
    fn blocks_of(&self, hash: u64) -> &[Block] {
        let blocks = &self.header.blocks;
        let after = blocks.partition_point(|b| hash_of(&b.first) < hash);
        let start = after.saturating_sub(1);
        let end = after + blocks[after..].partition_point(|b| hash_of(&b.first) <= hash);
        &blocks[start..end]
    }
}

/// Cuts rows into checksummed blocks. Offsets count from the start of
/// the data, which follows the header.
#[derive(Default)]
struct BaseWriter {
    data: Vec<u8>,
    blocks: Vec<Block>,
    block_start: usize,
    first: Option<Key>,
    /// The last key put: a row of the same key again is left out.
    last: Option<Key>,
}

impl BaseWriter {
    fn put(&mut self, k: &[u8], payload: &[u8]) {
        let Ok(key) = Key::try_from(k) else {
            return;
        };
        if self.last == Some(key) {
            return;
        }
        self.last = Some(key);
        if self.first.is_none() {
            self.first = Some(key);
        }
        push_row(&mut self.data, k, payload);
        if self.data.len() - self.block_start >= BLOCK_LEN {
            self.close_block();
        }
    }

    fn close_block(&mut self) {
        if let Some(first) = self.first.take() {
            let bytes = &self.data[self.block_start..];
            self.blocks.push(Block {
                first,
                offset: self.block_start as u64,
                len: bytes.len() as u32,
                crc: crc32(bytes),
            });
            self.block_start = self.data.len();
        }
    }
}

/// A new base (the file's bytes, for the caller to save) naming `tickets_tree` and `shards`: the rows of the
/// old base that `keep` accepts (by shard) merged by key with `added`
/// (sorted rows), which win over an old row of the same key.
pub(super) fn build_base(
    old: Option<&Base>,
    keep: impl Fn(&[u8]) -> bool,
    added: &[u8],
    tickets_tree: Option<TreeId>,
    shards: Vec<(String, TreeId)>,
) -> Result<Vec<u8>> {
    let added: Vec<(&[u8], &[u8])> = rows(added).collect::<Result<_>>()?;
    let mut next = 0;
    let mut w = BaseWriter::default();
    if let Some(old) = old {
        for b in &old.header.blocks {
            let bytes = old.block(b)?;
            for row in rows(&bytes) {
                let (k, p) = row?;
                if !keep(shard_of(k)) {
                    continue;
                }
                while let Some((nk, np)) = added.get(next)
                    && *nk <= k
                {
                    w.put(nk, np);
                    next += 1;
                }
                w.put(k, p);
            }
        }
    }
    for (k, p) in &added[next..] {
        w.put(k, p);
    }
    w.close_block();
    let header = BaseHeader {
        version: INDEX_VERSION,
        format: FORMAT,
        tickets_tree,
        shards,
        blocks: w.blocks,
    };
    let header_bytes = postcard::to_allocvec(&header).map_err(encode_error)?;
    let mut out = Vec::with_capacity(DATA_AT + header_bytes.len() + w.data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&crc32(&header_bytes).to_le_bytes());
    out.extend_from_slice(&(header_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(&w.data);
    Ok(out)
}

/// The recent file's payload, when it goes with `base` and is intact.
pub(super) fn read_recent(path: &Path, base: &Base) -> Option<Vec<u8>> {
    let file = File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_RECENT {
        return None;
    }
    let mut bytes = std::fs::read(path).ok()?;
    unframe(&bytes)?;
    bytes.drain(..HEADER_LEN);
    let recent = decode_recent(&bytes)?;
    (recent.base == base.tickets_tree()).then_some(())?;
    Some(bytes)
}

fn decode_recent(payload: &[u8]) -> Option<Recent<'_>> {
    postcard::from_bytes::<Recent<'_>>(payload)
        .ok()
        .filter(|r| r.version == INDEX_VERSION && r.format == FORMAT)
}

/// The recent file's HEAD and shards, and its rows of one shard.
pub(super) struct RecentView<'a> {
    pub(super) tickets_tree: Option<TreeId>,
    pub(super) shards: HashMap<String, TreeId>,
    rows: &'a [u8],
}

impl<'a> RecentView<'a> {
    pub(super) fn of(payload: &'a [u8]) -> Option<RecentView<'a>> {
        let r = decode_recent(payload)?;
        Some(RecentView {
            tickets_tree: r.tickets_tree,
            shards: r.shards.into_iter().collect(),
            rows: r.rows,
        })
    }

    /// Its rows of shard `name`, in key order.
    pub(super) fn rows_of_shard(&self, name: &str) -> Result<Vec<(&'a [u8], &'a [u8])>> {
        let mut out = Vec::new();
        for row in rows(self.rows) {
            let (k, p) = row?;
            if shard_of(k) == name.as_bytes() {
                out.push((k, p));
            }
        }
        Ok(out)
    }
}

pub(super) fn encode_recent(
    base: Option<TreeId>,
    tickets_tree: Option<TreeId>,
    shards: &[(String, TreeId)],
    rows: &[u8],
) -> Result<Vec<u8>> {
    postcard::to_allocvec(&RecentOut {
        version: INDEX_VERSION,
        format: FORMAT,
        base,
        tickets_tree,
        shards,
        rows: RawBytes(rows),
    })
    .map_err(encode_error)
}

pub(super) fn write_recent(path: &Path, payload: &[u8]) {
    write_atomically(path, &frame(payload));
}

/// Rows given as (key, payload), in any order, as one sorted run.
pub(super) fn sorted_rows(mut rows: Vec<(&[u8], &[u8])>) -> Vec<u8> {
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    for (k, p) in rows {
        push_row(&mut out, k, p);
    }
    out
}

/// The card rows of the address `key` (already folded): the base's, but
/// for the shards `replaced` names, and the recent file's.
pub(super) fn rows_of(
    base: &Base,
    replaced: &ShardSet,
    recent: &[u8],
    key: &str,
) -> Result<Vec<CardRow>> {
    let hash = fnv1a(key);
    let mut out = Vec::new();
    let take = |k: &[u8], p: &[u8], out: &mut Vec<CardRow>| -> Result<()> {
        if hash_of(k) != hash {
            return Ok(());
        }
        let payload: Payload<'_> = postcard::from_bytes(p).map_err(|_| damaged())?;
        if payload.contact.key != key {
            return Ok(());
        }
        let facts: TicketFacts = postcard::from_bytes(payload.facts).map_err(|_| damaged())?;
        out.push(CardRow {
            contact: payload.contact,
            updated_at: payload.updated_at,
            facts,
        });
        Ok(())
    };
    for b in base.blocks_of(hash) {
        let bytes = base.block(b)?;
        for row in rows(&bytes) {
            let (k, p) = row?;
            if !replaced.contains(shard_of(k)) {
                take(k, p, &mut out)?;
            }
        }
    }
    let view = RecentView::of(recent).ok_or_else(damaged)?;
    for row in rows(view.rows) {
        let (k, p) = row?;
        take(k, p, &mut out)?;
    }
    out.sort_by_key(|r| r.facts.id);
    Ok(out)
}
