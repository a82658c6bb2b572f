//! The index files on disk: framing and checksum, and what each file holds.

use std::collections::BTreeMap;
use std::path::Path;

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::IndexedTicket;
use crate::domain::{LinkRel, TicketId};
use crate::store::layout::INDEX_SHARDS_DIR;

/// 12: tags fold case and the summary keeps links (indexes built before
/// hold both spellings and no links); report facts measure mail from when
/// tix received it. 13: senders who threaded by header alone are not
/// participants. 14: every file carries a checksum. 15: SLA marks are
/// typed (target, standing) pairs, not `target:standing` text. 16: the
/// time of the last assignment, for round-robin. 18: tickets carry their
/// resolution and merges, and the summary the resolution and the ticket
/// each was merged into. 19: each ticket's contacts, for the customer
/// directory. 20: tasks. 21: tickets carry their channel, their customer
/// messages and last messages either way, and when each rule acted; when
/// customers' mail reopened them (`mail.reopen_limit`) and their latest
/// mail message; a task names the entry it was made from. 24: list rows
/// carry the group, the last messages either way and the first response,
/// for the queue filters (`--waiting-on`, `--group`, `--unanswered`).
/// 25: report facts carry the ticket's channel, which calls, chats and
/// `created`'s `channel` now set. 26: tickets, list rows and report
/// facts carry the department; report facts a ticket's survey and rating.
pub(super) const INDEX_VERSION: u32 = 26;
/// Every index file starts with this, then the CRC-32 of the rest: a file
/// damaged in a way that still decodes (a flipped byte in a subject) fails
/// the check and is rebuilt rather than served.
pub(super) const MAGIC: &[u8; 4] = b"TIXI";
pub(super) const HEADER_LEN: usize = 8;

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// The payload of an index file, if its header and checksum are right.
pub(super) fn unframe(bytes: &[u8]) -> Option<&[u8]> {
    let payload = bytes.get(HEADER_LEN..)?;
    let sum = u32::from_le_bytes(bytes[4..HEADER_LEN].try_into().ok()?);
    (&bytes[..4] == MAGIC && crc32(payload) == sum).then_some(payload)
}

pub(super) fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&crc32(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

pub(super) type TreeId = [u8; 20];

pub(super) fn tree_id(oid: Oid) -> TreeId {
    let mut out = [0; 20];
    out.copy_from_slice(oid.as_bytes());
    out
}

/// Bytes written as one length-prefixed run (postcard would otherwise
/// encode a `Vec<u8>` byte by byte).
#[derive(Clone, Debug)]
pub(super) struct Blob(pub(super) Vec<u8>);

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
pub(super) struct RawBytes<'a>(pub(super) &'a [u8]);

impl Serialize for RawBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// One shard's tickets, keyed with the tree id of their directory.
/// A link as (source, relation, target).
pub(super) type LinkTriple = (TicketId, LinkRel, TicketId);

/// Every shard's links, by source shard, with the shard's tree when read.
#[derive(Serialize, Deserialize)]
pub(super) struct LinksFile {
    pub(super) version: u32,
    pub(super) shards: BTreeMap<String, (TreeId, Vec<LinkTriple>)>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct ShardFile {
    pub(super) version: u32,
    pub(super) tree: TreeId,
    pub(super) tickets: BTreeMap<TicketId, (TreeId, IndexedTicket)>,
}

#[derive(Deserialize)]
pub(super) struct Summary<'a> {
    pub(super) version: u32,
    pub(super) tickets_tree: Option<TreeId>,
    #[serde(borrow)]
    pub(super) shards: Vec<ShardRows<'a>>,
}

#[derive(Deserialize)]
pub(super) struct ShardRows<'a> {
    pub(super) name: &'a str,
    pub(super) tree: TreeId,
    pub(super) count: u32,
    /// Postcard-encoded [`ListRow`]s, one after the other.
    pub(super) rows: &'a [u8],
}

#[derive(Serialize)]
pub(super) struct SummaryOut<'a> {
    pub(super) version: u32,
    pub(super) tickets_tree: Option<TreeId>,
    pub(super) shards: Vec<ShardRowsOut<'a>>,
}

#[derive(Serialize)]
pub(super) struct ShardRowsOut<'a> {
    pub(super) name: &'a str,
    pub(super) tree: TreeId,
    pub(super) count: u32,
    pub(super) rows: RawBytes<'a>,
}

pub(super) fn decode_summary(bytes: &[u8]) -> Option<Summary<'_>> {
    postcard::from_bytes::<Summary<'_>>(bytes)
        .ok()
        .filter(|s| s.version == INDEX_VERSION)
}

pub(super) fn shard_path(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(INDEX_SHARDS_DIR).join(format!("{name}.bin"))
}

/// Write, then rename: readers see the old file or the new one, whole.
/// A failure is ignored: derived data is only rebuilt later.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) {
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

/// Writes over the file where it stands, for the shard files: a refresh
/// after a pull rewrites hundreds of them, and creating a new inode for
/// each (write, then rename) cost milliseconds apiece on ext4, where an
/// overwrite costs tens of microseconds. Not atomic: a reader racing the
/// writer, or a writer killed halfway, leaves bytes whose checksum fails,
/// which readers take for a missing file (the shard is read again from
/// git), never for a valid one. A failure is ignored, as above.
pub(super) fn overwrite(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
        })
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.set_len(bytes.len() as u64)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
}
