//! The ndjson interchange (`tix export --format ndjson`, `tix import
//! json`): one line per ticket, its entries as their front matter (as
//! JSON) and body, and the files its entries name (attachments, the raw
//! mail and its quoted part) in base64. The schema is
//! `schema/ndjson.schema.json`. Export reads HEAD; import writes through
//! [`Batch::restore`], keeping ids, file names, times and `seq`, so an
//! export imported into an empty store folds to the same tickets.

use std::io::{BufRead, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{Entry, Event, StoredEntry, TicketId};
use crate::error::{Error, Result};
use crate::store::Store;

use super::Actor;
use super::write::Batch;

/// The version of the line format this tix writes and reads.
pub const NDJSON_FORMAT: u32 = 1;

/// The longest line `tix import json` reads: a ticket with its
/// attachments in base64. Past this the line is refused, not read on.
pub const MAX_LINE_BYTES: usize = 256 << 20;

/// Tickets imported per commit: a large import is a few commits, not one
/// that holds every file in memory.
const TICKETS_PER_COMMIT: usize = 500;

/// One ticket.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketLine {
    pub format: u32,
    pub id: TicketId,
    pub entries: Vec<EntryLine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileLine>,
}

/// One entry: its file name in the ticket directory, its front matter as
/// the entry file has it (`format`, `kind`, `at`, `seq`, `author`, …), and
/// its body.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryLine {
    pub file: String,
    pub front: Map<String, Value>,
    pub body: String,
}

/// A file an entry names, relative to the ticket directory.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLine {
    pub path: String,
    pub base64: String,
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Exported {
    pub tickets: usize,
    pub entries: usize,
    pub files: usize,
    /// Files an entry names that are not in the store (`ticket/path`),
    /// left out.
    pub missing: Vec<String>,
    /// Entry files that could not be read, with why; left out.
    pub unreadable: Vec<String>,
}

/// Writes every ticket at HEAD to `out`, one line each, in id order.
pub fn export(store: &Store, out: &mut dyn Write) -> Result<Exported> {
    let mut done = Exported::default();
    let mut all = store.read_all()?;
    all.sort_by_key(|(id, _)| *id);
    for (id, files) in all {
        for p in files.problems {
            done.unreadable.push(format!("{}: {}", p.path, p.message));
        }
        let mut entries = files.entries;
        entries.sort_by(|a, b| a.file.cmp(&b.file));
        let dir = Store::ticket_dir(&id);
        let mut named: Vec<String> = Vec::new();
        for e in &entries {
            if let Event::Attachment { file, .. } = &e.entry.event {
                named.push(file.clone());
            }
            if let Some(m) = e.entry.event.mail() {
                named.push(m.raw.clone());
                named.extend(m.quoted.clone());
            }
        }
        named.sort();
        named.dedup();
        let mut line = TicketLine {
            format: NDJSON_FORMAT,
            id,
            entries: entries.iter().map(entry_line).collect(),
            files: Vec::new(),
        };
        for path in named {
            match store.read_file(&format!("{dir}/{path}"))? {
                Some(bytes) => line.files.push(FileLine {
                    path,
                    base64: BASE64.encode(bytes),
                }),
                None => done.missing.push(format!("{id}/{path}")),
            }
        }
        done.tickets += 1;
        done.entries += line.entries.len();
        done.files += line.files.len();
        let text = serde_json::to_string(&line)
            .map_err(|e| Error::internal(format!("cannot write ticket {id} as JSON: {e}")))?;
        writeln!(out, "{text}")
            .map_err(|e| Error::internal(format!("cannot write the export: {e}")))?;
    }
    out.flush()
        .map_err(|e| Error::internal(format!("cannot write the export: {e}")))?;
    Ok(done)
}

fn entry_line(e: &StoredEntry) -> EntryLine {
    let entry = &e.entry;
    let mut front = Map::new();
    front.insert("format".into(), crate::domain::entry::ENTRY_FORMAT.into());
    front.insert("kind".into(), entry.event.kind().into());
    front.insert("at".into(), entry.at.to_rfc3339().into());
    front.insert("seq".into(), entry.seq.into());
    front.insert("author".into(), entry.author.clone().into());
    if let Some(by) = &entry.by {
        front.insert("by".into(), by.clone().into());
    }
    if let Some(rule) = &entry.rule {
        front.insert("rule".into(), rule.clone().into());
    }
    if let Ok(Value::Object(fields)) = serde_json::to_value(&entry.event) {
        for (k, v) in fields {
            if k != "kind" {
                front.insert(k, v);
            }
        }
    }
    EntryLine {
        file: e.file.clone(),
        front,
        body: entry.body.clone(),
    }
}

/// A ticket read from a line: its id, entries, and files by path.
type Restored = (TicketId, Vec<StoredEntry>, Vec<(String, Vec<u8>)>);

/// What an import wrote.
#[derive(Debug, Default)]
pub struct Imported {
    pub tickets: usize,
    pub entries: usize,
    pub files: usize,
    pub commits: usize,
}

/// Reads tickets from `input` (`source` names it in errors) and writes
/// them with their ids, entry names and times. Every line is checked
/// before anything is written; a ticket whose id exists is refused, so an
/// import never mixes two stores' trails.
pub fn import(
    store: &Store,
    actor: &Actor,
    input: &mut dyn BufRead,
    source: &str,
) -> Result<Imported> {
    let mut tickets: Vec<Restored> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut n = 0usize;
    loop {
        n += 1;
        let mut buf = Vec::new();
        let read = std::io::Read::take(&mut *input, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::invalid(format!("cannot read {source}: {e}")))?;
        if read == 0 {
            break;
        }
        if buf.len() > MAX_LINE_BYTES {
            return Err(Error::invalid(format!(
                "{source}:{n}: the line is longer than {MAX_LINE_BYTES} bytes"
            )));
        }
        let text = std::str::from_utf8(&buf)
            .map_err(|_| Error::invalid(format!("{source}:{n}: not UTF-8 text")))?;
        if text.trim().is_empty() {
            continue;
        }
        let line: TicketLine =
            serde_json::from_str(text).map_err(|e| Error::invalid(format!("{source}:{n}: {e}")))?;
        let at = |what: String| Error::invalid(format!("{source}:{n}: ticket {}: {what}", line.id));
        if line.format == 0 || line.format > NDJSON_FORMAT {
            return Err(at(format!(
                "format {} is not supported (this tix reads format {NDJSON_FORMAT})",
                line.format
            )));
        }
        if !seen.insert(line.id) {
            return Err(at("a second line for this ticket".into()));
        }
        if store.ticket_exists(&line.id)? {
            return Err(at("a ticket with this id exists in the store".into()));
        }
        let mut entries = Vec::with_capacity(line.entries.len());
        for (i, e) in line.entries.iter().enumerate() {
            let entry =
                decode_entry(e).map_err(|why| at(format!("entries[{i}] ({}): {why}", e.file)))?;
            entries.push(StoredEntry {
                file: e.file.clone(),
                entry,
            });
        }
        if !entries
            .iter()
            .any(|e| matches!(e.entry.event, Event::Created { .. }))
        {
            return Err(at("no `created` entry".into()));
        }
        let mut files = Vec::with_capacity(line.files.len());
        for (i, f) in line.files.iter().enumerate() {
            check_file_path(&f.path).map_err(|why| at(format!("files[{i}].path: {why}")))?;
            let bytes = BASE64
                .decode(f.base64.as_bytes())
                .map_err(|e| at(format!("files[{i}].base64 ({}): {e}", f.path)))?;
            files.push((f.path.clone(), bytes));
        }
        tickets.push((line.id, entries, files));
    }
    let mut done = Imported::default();
    let author = actor.author();
    let mut batch = Batch::begin(store)?;
    batch.pack_blobs();
    for chunk in tickets.chunks_mut(TICKETS_PER_COMMIT) {
        let ids = chunk.len();
        for (id, entries, files) in chunk.iter_mut() {
            done.entries += entries.len();
            done.files += files.len();
            batch.restore(*id, std::mem::take(entries), std::mem::take(files))?;
        }
        let message = format!("tix: import {ids} ticket(s) from {source}");
        if batch.flush(&author, &message)?.is_some() {
            done.commits += 1;
        }
        done.tickets += ids;
    }
    Ok(done)
}

/// The entry a line holds, checked as an entry file is when read.
fn decode_entry(e: &EntryLine) -> std::result::Result<Entry, String> {
    check_entry_name(&e.file)?;
    let yaml = serde_yaml::to_string(&Value::Object(e.front.clone()))
        .map_err(|err| format!("front: {err}"))?;
    let mut text = String::with_capacity(yaml.len() + e.body.len() + 10);
    text.push_str("---\n");
    text.push_str(&yaml);
    text.push_str("---\n");
    text.push_str(&e.body);
    text.push('\n');
    let entry = Entry::decode(text.as_bytes())?;
    if !e.file.ends_with(&format!("-{}.md", entry.event.kind())) {
        return Err(format!(
            "file: `{}` does not end in `-{}.md`, the entry's kind",
            e.file,
            entry.event.kind()
        ));
    }
    Ok(entry)
}

/// An entry's file name: one name in the ticket directory.
fn check_entry_name(name: &str) -> std::result::Result<(), String> {
    let ok = name.len() <= 200
        && name.ends_with(".md")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "file: `{name}` is not an entry file name (letters, digits, `-`, `_`, `.`, ending in .md)"
        ))
    }
}

/// A file's path in the ticket directory: relative, no `..`, not an entry.
fn check_file_path(path: &str) -> std::result::Result<(), String> {
    let parts: Vec<&str> = path.split('/').collect();
    let ok = path.len() <= 1000
        && !path.ends_with(".md")
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && !p.chars().any(|c| c.is_control() || c == '\\')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not a relative path of a file beside the entries"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_that_could_escape_are_refused() {
        assert!(check_entry_name("20261102T090000.000000Z-ab12cd-created.md").is_ok());
        for bad in ["../x.md", "a/b.md", ".hidden.md", "x.txt", ""] {
            assert!(check_entry_name(bad).is_err(), "{bad}");
        }
        assert!(check_file_path("files/report.pdf").is_ok());
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "x.md", ""] {
            assert!(check_file_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_entry_line_must_be_a_valid_entry_of_its_kind() {
        let line: EntryLine = serde_json::from_value(serde_json::json!({
            "file": "20261102T090000.000000Z-ab12cd-note.md",
            "front": {"format": 1, "kind": "note", "at": "2026-11-02T09:00:00.000000Z",
                      "seq": 2, "author": "bob"},
            "body": "hello"
        }))
        .unwrap();
        let e = decode_entry(&line).unwrap();
        assert_eq!((e.seq, e.body.as_str()), (2, "hello"));
        let mut wrong = line;
        wrong.file = "20261102T090000.000000Z-ab12cd-reply.md".into();
        assert!(decode_entry(&wrong).unwrap_err().contains("-note.md"));
        wrong.file = "20261102T090000.000000Z-ab12cd-note.md".into();
        wrong.front.insert("colour".into(), "red".into());
        assert!(decode_entry(&wrong).unwrap_err().contains("colour"));
    }
}
