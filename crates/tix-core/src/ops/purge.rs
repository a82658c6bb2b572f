//! Legal erasure (`tix purge`): the bytes of redacted entries taken out
//! of the whole history of the branch, not only hidden, with a manifest
//! that `tix check` verifies ever after.

use std::collections::BTreeSet;

use crate::domain::records::PurgeManifest;
use crate::domain::{Entry, Event, TicketId, fold};
use crate::error::{Error, ErrorKind, Result};
use crate::store::layout::PURGES_DIR;
use crate::store::{FILES_DIR, Rewritten, Store, random_tag};

use super::Actor;

/// The most entries one purge names.
pub const MAX_ENTRIES: usize = 100;

/// What stands in a purged file's place in every commit.
pub const PLACEHOLDER: &str = "[purged]";

/// What `tix purge` was asked.
#[derive(Debug)]
pub struct PurgeOptions<'a> {
    pub id: TicketId,
    /// Entry file names, or unique starts of them.
    pub entries: &'a [String],
    pub reason: &'a str,
    /// `--yes`: the rewrite was asked for knowingly.
    pub confirmed: bool,
}

/// What a purge did.
#[derive(Debug)]
pub struct Purged {
    pub id: TicketId,
    /// The files replaced, relative to the ticket's folder.
    pub files: Vec<String>,
    pub rewritten: Rewritten,
    /// The manifest's path in the store.
    pub manifest: String,
    pub warnings: Vec<String>,
}

/// Purges entries of a ticket (admins only, with `confirmed`): each must
/// be redacted already (`tix redact` records who hid it and why, which
/// the purge keeps). Every commit holding one of the entry files, or the
/// files of attachments belonging to them, is rewritten with a
/// placeholder in their place: the entry keeps its front matter (kind,
/// time, author: what the fold needs) with the text, the mail's subject
/// and quote and an attachment's name replaced, and an attachment's file
/// becomes the placeholder text. Then the old objects are pruned and a
/// manifest is committed.
pub fn purge(store: &Store, actor: &Actor, options: &PurgeOptions<'_>) -> Result<Purged> {
    if !actor.admin {
        return Err(Error::new(
            ErrorKind::Denied,
            format!(
                "only an admin can purge entries; {} is not one",
                actor.handle
            ),
        ));
    }
    if !options.confirmed {
        return Err(Error::new(
            ErrorKind::Usage,
            "a purge rewrites the branch's history and every clone must then reset to it; add --yes to go ahead",
        ));
    }
    let reason = options.reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("--reason: say why the entries are purged"));
    }
    if reason.chars().count() > super::redact::MAX_REASON_CHARS {
        return Err(Error::invalid(format!(
            "--reason: at most {} characters",
            super::redact::MAX_REASON_CHARS
        )));
    }
    if options.entries.is_empty() || options.entries.len() > MAX_ENTRIES {
        return Err(Error::invalid(format!(
            "name between 1 and {MAX_ENTRIES} entries"
        )));
    }
    let id = options.id;
    let lock = store.lock()?;
    let files = store.read_ticket(&id)?;
    let (_, trail) = fold(id, files.entries);
    let mut entries: BTreeSet<String> = BTreeSet::new();
    let mut attachments: BTreeSet<String> = BTreeSet::new();
    for typed in options.entries {
        let item = super::merge::entry_named(id, &trail, typed)?;
        if item.redacted.is_none() {
            return Err(Error::invalid(format!(
                "entry {} of ticket {id} is not redacted; a purge takes out only what `tix redact` hid (redact it first, saying why)",
                item.file
            )));
        }
        entries.insert(item.file.clone());
        if let Event::Attachment { file, .. } = &item.entry.event {
            attachments.insert(file.clone());
        }
        for other in &trail {
            if let Event::Attachment {
                file,
                entry: Some(of),
                ..
            } = &other.entry.event
                && *of == item.file
            {
                entries.insert(other.file.clone());
                attachments.insert(file.clone());
            }
        }
    }
    // What an entry keeps beside it: the raw mail, the quoted history, an
    // HTML part (`<stem>.*`), and its attachments' folder.
    let names: Vec<String> = store
        .read_dir_files(&Store::ticket_dir(&id))?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for entry in &entries {
        let stem = entry.trim_end_matches(".md");
        for name in &names {
            if name != entry && name.starts_with(&format!("{stem}.")) {
                attachments.insert(name.clone());
            }
        }
        let folder = format!("{FILES_DIR}/{stem}");
        if attachments
            .iter()
            .any(|a| a.starts_with(&format!("{folder}/")))
        {
            attachments.insert(folder);
        }
    }
    // A folder covers the files in it: leave out what one already does.
    let folders: Vec<String> = attachments
        .iter()
        .filter(|a| a.starts_with(&format!("{FILES_DIR}/")) && a.matches('/').count() == 1)
        .cloned()
        .collect();
    attachments.retain(|a| {
        !folders.iter().any(|f| {
            a.len() > f.len() && a.starts_with(f.as_str()) && a.as_bytes()[f.len()] == b'/'
        })
    });
    let paths: Vec<String> = entries.iter().chain(attachments.iter()).cloned().collect();
    if let Some(bad) = paths
        .iter()
        .find(|p| p.is_empty() || p.split('/').any(|c| c.is_empty() || c == "." || c == ".."))
    {
        return Err(Error::invalid(format!(
            "ticket {id} names a file `{bad}` outside its folder; nothing was purged"
        )));
    }
    let placeholder = |path: &str, bytes: &[u8]| -> Result<Vec<u8>> {
        if !entries.contains(path) {
            return Ok(format!("{PLACEHOLDER}\n").into_bytes());
        }
        // An older copy of the entry that does not parse is replaced all
        // the same: the bytes must go whatever they were.
        let Ok(mut entry) = Entry::decode(bytes) else {
            return Ok(format!("{PLACEHOLDER}\n").into_bytes());
        };
        entry.body = format!("{PLACEHOLDER}\n");
        if let Some(mail) = entry.event.mail_mut() {
            mail.subject = PLACEHOLDER.into();
            mail.quoted = None;
        }
        if let Event::Attachment { name, .. } = &mut entry.event {
            *name = PLACEHOLDER.into();
        }
        Ok(entry.encode().into_bytes())
    };
    let rewritten = store.rewrite_ticket_files(&lock, &id, &paths, placeholder)?;
    let manifest = PurgeManifest {
        format: 1,
        ticket: id.to_string(),
        entries: paths.clone(),
        blobs: rewritten.blobs.clone(),
        reason: reason.to_string(),
        at: super::now()?,
        by: actor.handle.clone(),
    };
    let yaml = serde_yaml::to_string(&manifest)
        .map_err(|e| Error::internal(format!("cannot write the purge manifest: {e}")))?;
    let path = format!("{PURGES_DIR}/{}", manifest.file_name(&random_tag(6)?));
    let committed = store.commit(
        &lock,
        vec![(path.clone(), yaml.into_bytes())],
        &format!(
            "tix: purge {id} {}",
            entries.iter().cloned().collect::<Vec<_>>().join(" ")
        ),
        &actor.author(),
    )?;
    let mut warnings: Vec<String> = committed.warning.into_iter().collect();
    if !rewritten.still_held_by.is_empty() {
        warnings.push(format!(
            "{} still reach the old history, so this clone keeps the old bytes until they move (a forced push moves a remote-tracking branch; then run `git gc --prune=now`)",
            rewritten.still_held_by.join(", ")
        ));
    }
    Ok(Purged {
        id,
        files: paths,
        rewritten,
        manifest: path,
        warnings,
    })
}

/// What `tix check` finds wrong with the purge manifests at HEAD: a
/// manifest that cannot be read, or a blob it lists that HEAD's history
/// holds again (the old history came back, by a merge or a push from a
/// clone that did not reset).
pub fn check_manifests(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (name, bytes) in store.read_dir_files(PURGES_DIR)? {
        let path = format!("{PURGES_DIR}/{name}");
        let manifest = match PurgeManifest::parse(&bytes) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{path}: {e}; what it purged cannot be verified"));
                continue;
            }
        };
        let Ok(id) = manifest.ticket.parse::<TicketId>() else {
            continue;
        };
        let back = store.purged_blobs_reachable(&id, &manifest.blobs)?;
        if !back.is_empty() {
            problems.push(format!(
                "{path}: history reachable from HEAD holds again {} of the {} blob(s) purged from ticket {id} ({}): the old history came back (a merge or a push from a clone that did not reset); purge again, and have every clone reset (docs/team.md, \"Purging an entry\")",
                back.len(),
                manifest.blobs.len(),
                back.iter()
                    .map(|b| b[..12].to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(problems)
}
