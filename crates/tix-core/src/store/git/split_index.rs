//! Adding entries to git's index in time that does not grow with the
//! store.
//!
//! git's index has a record for every file of the work tree; rewriting it
//! for each commit (as libgit2 does) costs ~100 ms at 50,000 files and
//! grows from there. git's own answer is the split index
//! (`core.splitIndex`): a large shared file that rarely changes and a
//! small one holding what changed since. tix writes the small one itself:
//! it parses the split file (index versions 2 and 3), adds the new
//! entries, drops the optional caches that positions or paths would make
//! stale (cache-tree, untracked cache, fsmonitor, offset tables: git
//! rebuilds them), and writes it back under `index.lock` as git does.
//! Anything it does not understand (index version 4, sparse indexes,
//! unknown required extensions) makes it step aside for the slow path.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::store::layout::{GIT_INDEX_FILE, GIT_INDEX_LOCK_FILE, GIT_SHARED_INDEX_PREFIX};

/// A new index record: the file's repository path, blob id and stat data.
pub struct NewEntry {
    pub path: Vec<u8>,
    pub oid: [u8; 20],
    pub stat: Stat,
}

#[derive(Clone, Copy, Default)]
pub struct Stat {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub dev: u32,
    pub ino: u32,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u32,
}

/// What [`add_to_split_index`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// Written; the split file now holds this many added entries, on top
    /// of the shared index `sharedindex.<shared>`.
    Done { additions: usize, shared: String },
    /// The index is not split (or does not exist): use the slow path.
    NotSplit,
    /// Split, but in a form this code does not write; the reason.
    Unsupported(String),
}

struct Parsed<'a> {
    version: u32,
    /// Raw entry records (without padding), in file order.
    entries: Vec<&'a [u8]>,
    /// Extensions to keep, raw (signature, data).
    kept: Vec<(&'a [u8], &'a [u8])>,
    replacements: usize,
    /// The id of the shared index the `link` extension names.
    shared: &'a [u8],
}

impl Parsed<'_> {
    fn shared_hex(&self) -> String {
        self.shared.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Marks the shared index as in use now, as git does whenever it writes a
/// split index on top of it: git (and tix) delete an unreferenced shared
/// index by its age, and a reader that read `index` a moment before a
/// refold still opens the old shared one.
fn freshen(shared: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(shared.as_os_str().as_bytes()) else {
        return;
    };
    // SAFETY: `path` is a NUL-terminated string that outlives the call;
    // a null `times` means "now" for both times.
    unsafe {
        libc::utimensat(libc::AT_FDCWD, path.as_ptr(), std::ptr::null(), 0);
    }
}

/// The number of entries in the index file, from its header.
pub fn entry_count(git_dir: &Path) -> Option<u32> {
    entries_in(&git_dir.join(GIT_INDEX_FILE))
}

/// The number of entries in an index file (`index` or a shared index),
/// from its header.
pub fn entries_in(file: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = [0u8; 12];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .ok()?;
    (&head[..4] == b"DIRC").then(|| u32::from_be_bytes([head[8], head[9], head[10], head[11]]))
}

/// Adds `new` to the split index in `git_dir`, if it is one.
pub fn add_to_split_index(git_dir: &Path, new: &[NewEntry]) -> Result<Added> {
    let path = git_dir.join(GIT_INDEX_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Added::NotSplit),
        Err(e) => {
            return Err(
                Error::internal(format!("cannot read {}: {e}", path.display())).with_source(e),
            );
        }
    };
    let parsed = match parse(&bytes) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(Added::NotSplit),
        Err(why) => return Ok(Added::Unsupported(why)),
    };
    let mut records: Vec<Vec<u8>> = parsed.entries.iter().map(|e| e.to_vec()).collect();
    let mut additions: Vec<Vec<u8>> = records.split_off(parsed.replacements);
    for entry in new {
        additions.push(record(entry, parsed.version)?);
    }
    additions.sort_by(|a, b| name_of(a, parsed.version).cmp(name_of(b, parsed.version)));
    additions.dedup_by(|a, b| name_of(a, parsed.version) == name_of(b, parsed.version));
    let count = records.len() + additions.len();
    let mut out = Vec::with_capacity(bytes.len() + new.len() * 128);
    out.extend_from_slice(b"DIRC");
    out.extend_from_slice(&parsed.version.to_be_bytes());
    out.extend_from_slice(&(count as u32).to_be_bytes());
    for r in records.iter().chain(additions.iter()) {
        out.extend_from_slice(r);
        // Entries are NUL-padded to a multiple of 8 bytes, at least one NUL.
        let pad = 8 - (r.len() % 8);
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    for (sig, data) in &parsed.kept {
        out.extend_from_slice(sig);
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(data);
    }
    let digest = sha1_smol::Sha1::from(&out).digest().bytes();
    out.extend_from_slice(&digest);
    write_locked(git_dir, &out)?;
    let shared = parsed.shared_hex();
    freshen(&git_dir.join(format!("{GIT_SHARED_INDEX_PREFIX}{shared}")));
    Ok(Added::Done {
        additions: additions.len(),
        shared,
    })
}

/// Writes the index as git does: to `index.lock`, created exclusively,
/// then renamed over `index`.
fn write_locked(git_dir: &Path, bytes: &[u8]) -> Result<()> {
    let lock = git_dir.join(GIT_INDEX_LOCK_FILE);
    let mut waited = 0;
    let mut file = loop {
        match OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(f) => break f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && waited < 50 => {
                // git itself is writing the index; it holds it briefly.
                std::thread::sleep(std::time::Duration::from_millis(20));
                waited += 1;
            }
            Err(e) => {
                return Err(Error::internal(format!(
                    "cannot lock git's index ({}): {e}",
                    lock.display()
                ))
                .with_source(e));
            }
        }
    };
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_data())
        .and_then(|()| std::fs::rename(&lock, git_dir.join(GIT_INDEX_FILE)));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&lock);
        return Err(Error::internal(format!("cannot write git's index: {e}")));
    }
    Ok(())
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads a split index: `Ok(None)` when there is no `link` extension.
fn parse(b: &[u8]) -> std::result::Result<Option<Parsed<'_>>, String> {
    if b.len() < 32 || &b[..4] != b"DIRC" {
        return Err("not a git index".into());
    }
    let version = be32(b, 4).ok_or("short index")?;
    if version != 2 && version != 3 {
        return Err(format!("index version {version}"));
    }
    let count = be32(b, 8).ok_or("short index")? as usize;
    // The trailer is not verified, so that a commit hashes the file once,
    // when it writes it: a truncated or garbled structure is still caught
    // by the bounds checks below, but bytes flipped inside a record would
    // be carried over under the new checksum.
    let end = b.len() - 20;
    let mut pos = 12;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let flags_at = pos + 60;
        let flags = b.get(flags_at..flags_at + 2).ok_or("truncated entry")?;
        let flags = u16::from_be_bytes([flags[0], flags[1]]);
        let extended = flags & 0x4000 != 0;
        let name_at = flags_at + 2 + if extended { 2 } else { 0 };
        let nul = b
            .get(name_at..end)
            .and_then(|rest| rest.iter().position(|c| *c == 0))
            .ok_or("unterminated entry name")?;
        let record_end = name_at + nul;
        entries.push(&b[pos..record_end]);
        let len = record_end - pos;
        pos += len + (8 - len % 8);
        if pos > end {
            return Err("truncated index".into());
        }
    }
    let mut kept = Vec::new();
    let mut link = None;
    while pos + 8 <= end {
        let sig = &b[pos..pos + 4];
        let size = be32(b, pos + 4).ok_or("short extension")? as usize;
        let data = b
            .get(pos + 8..pos + 8 + size)
            .ok_or("truncated extension")?;
        pos += 8 + size;
        match sig {
            b"link" => {
                link = Some(data);
                kept.push((sig, data));
            }
            b"REUC" => kept.push((sig, data)),
            // Required extensions (lower-case first letter) we do not know.
            s if s[0].is_ascii_lowercase() => {
                return Err(format!(
                    "required index extension {}",
                    String::from_utf8_lossy(s)
                ));
            }
            // Optional caches keyed by position or path: git rebuilds them.
            _ => {}
        }
    }
    let Some(link) = link else { return Ok(None) };
    let shared = link.get(..20).ok_or("short link extension")?;
    let replacements = if link.len() > 20 {
        let (deleted, used) = ewah_count(&link[20..]).ok_or("corrupt delete bitmap")?;
        let _ = deleted;
        ewah_count(&link[20 + used..])
            .ok_or("corrupt replace bitmap")?
            .0
    } else {
        0
    };
    if replacements > entries.len() {
        return Err("more replacements than entries".into());
    }
    Ok(Some(Parsed {
        version,
        entries,
        kept,
        replacements,
        shared,
    }))
}

/// Counts the set bits of a serialised EWAH bitmap; returns (bits, bytes
/// read).
fn ewah_count(b: &[u8]) -> Option<(usize, usize)> {
    let words = be32(b, 4)? as usize;
    let mut bits = 0usize;
    let mut i = 0;
    while i < words {
        let at = 8 + i * 8;
        let rlw = u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?);
        let running_bit = rlw & 1;
        let running_len = ((rlw >> 1) & 0xffff_ffff) as usize;
        let literals = (rlw >> 33) as usize;
        if running_bit == 1 {
            bits += running_len * 64;
        }
        for j in 0..literals {
            let at = 8 + (i + 1 + j) * 8;
            let w = u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?);
            bits += w.count_ones() as usize;
        }
        i += 1 + literals;
    }
    Some((bits, 8 + words * 8 + 4))
}

fn name_of(record: &[u8], version: u32) -> &[u8] {
    let flags = u16::from_be_bytes([record[60], record[61]]);
    let extended = version >= 3 && flags & 0x4000 != 0;
    &record[62 + if extended { 2 } else { 0 }..]
}

fn record(e: &NewEntry, version: u32) -> Result<Vec<u8>> {
    let _ = version;
    if e.path.contains(&0) {
        return Err(Error::internal(
            "a path with a NUL byte cannot enter git's index",
        ));
    }
    let mut r = Vec::with_capacity(62 + e.path.len());
    for v in [
        e.stat.ctime.0,
        e.stat.ctime.1,
        e.stat.mtime.0,
        e.stat.mtime.1,
        e.stat.dev,
        e.stat.ino,
        e.stat.mode,
        e.stat.uid,
        e.stat.gid,
        e.stat.size,
    ] {
        r.extend_from_slice(&v.to_be_bytes());
    }
    r.extend_from_slice(&e.oid);
    r.extend_from_slice(&(e.path.len().min(0xfff) as u16).to_be_bytes());
    r.extend_from_slice(&e.path);
    Ok(r)
}
