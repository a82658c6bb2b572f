//! Reading the store as committed at HEAD: ids, tickets, files.

use std::path::Path;

use git2::{ObjectType, Oid, Tree};

use super::layout::{QUARANTINE_DIR, TICKETS_DIR};
use super::{Problem, Store, TicketFiles};
use crate::domain::id::{SHARD_LEN, normalise_prefix};
use crate::domain::{Entry, StoredEntry, TicketId};
use crate::error::{Context, Error, ErrorKind, GitError, Result};

impl Store {
    pub fn head_tree(&self) -> Result<Option<Tree<'_>>> {
        let Some(oid) = self.head_id()? else {
            return Ok(None);
        };
        let commit = self
            .repo
            .find_commit(oid)
            .context(|| "cannot read the commit HEAD points to".into())?;
        Ok(Some(
            commit.tree().context(|| "cannot read HEAD's tree".into())?,
        ))
    }

    pub(crate) fn subtree<'r>(
        &'r self,
        root: &Tree<'r>,
        store_path: &str,
    ) -> Result<Option<Tree<'r>>> {
        let full = self.repo_path(store_path);
        let found = match self.subtree_seen(root.id(), &full) {
            Some(found) => found,
            None => {
                let found = self.find_subtree(root, &full)?;
                self.note_subtree(root.id(), &full, found);
                found
            }
        };
        found
            .map(|oid| {
                self.repo
                    .find_tree(oid)
                    .context(|| format!("cannot read git tree {full}"))
            })
            .transpose()
    }

    /// The folder `full` (a repository path) of `root`, going down from
    /// the deepest folder on the way already found under it.
    fn find_subtree(&self, root: &Tree<'_>, full: &str) -> Result<Option<Oid>> {
        let mut at = root.id();
        let mut rest = full;
        let mut prefix_end = full.len();
        while let Some(cut) = full[..prefix_end].rfind('/') {
            if let Some(found) = self.subtree_seen(root.id(), &full[..cut]) {
                let Some(oid) = found else {
                    return Ok(None);
                };
                at = oid;
                rest = &full[cut + 1..];
                break;
            }
            prefix_end = cut;
        }
        let start = if at == root.id() {
            root.clone()
        } else {
            self.repo.find_tree(at).context(|| {
                format!(
                    "cannot read git tree {}",
                    &full[..full.len() - rest.len() - 1]
                )
            })?
        };
        match start.get_path(Path::new(rest)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Ok(Some(entry.id())),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(
                Error::internal(format!("cannot read {full}: {}", e.message()))
                    .with_source(GitError(e)),
            ),
        }
    }

    fn subtree_seen(&self, root: Oid, full: &str) -> Option<Option<Oid>> {
        match &*self.subtrees_seen.borrow() {
            Some((seen_root, found)) if *seen_root == root => found.get(full).copied(),
            _ => None,
        }
    }

    /// Remembers what `full` is under `root`; what was remembered under
    /// another root is dropped.
    fn note_subtree(&self, root: Oid, full: &str, found: Option<Oid>) {
        let mut seen = self.subtrees_seen.borrow_mut();
        if seen.as_ref().is_none_or(|(r, _)| *r != root) {
            *seen = Some((root, Default::default()));
        }
        if let Some((_, map)) = seen.as_mut() {
            map.insert(full.to_string(), found);
        }
    }

    /// Every ticket id in the store, sorted.
    pub fn ticket_ids(&self) -> Result<Vec<TicketId>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tickets) = self.subtree(&head, TICKETS_DIR)? else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for shard in tickets.iter() {
            if shard.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let shard_tree = self.repo.find_tree(shard.id()).context(|| {
                format!(
                    "cannot read {TICKETS_DIR}/{}",
                    shard.name().ok().unwrap_or("?")
                )
            })?;
            for t in shard_tree.iter() {
                if let Some(id) = t.name().ok().and_then(|n| n.parse::<TicketId>().ok()) {
                    ids.push(id);
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Turns what a user typed into a ticket id: any unique prefix works.
    pub fn resolve_id(&self, typed: &str) -> Result<TicketId> {
        let prefix = normalise_prefix(typed).ok_or_else(|| {
            Error::invalid(format!(
                "`{typed}` is not a ticket id (expected up to 8 characters of 0-9 and A-Z without I, L, O, U)"
            ))
        })?;
        let candidates: Vec<TicketId> = if prefix.len() >= SHARD_LEN {
            self.ids_in_shard(&prefix[..SHARD_LEN])?
        } else {
            self.ticket_ids()?
        };
        let matches: Vec<TicketId> = candidates
            .into_iter()
            .filter(|id| id.as_str().starts_with(&prefix))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::not_found(format!("no ticket matches `{typed}`"))),
            many => {
                let shown: Vec<_> = many.iter().take(20).map(|id| id.to_string()).collect();
                Err(Error::new(
                    ErrorKind::Ambiguous,
                    format!(
                        "`{typed}` matches {} tickets: {}{}",
                        many.len(),
                        shown.join(", "),
                        if many.len() > 20 { ", …" } else { "" }
                    ),
                )
                .with_hint("type more characters of the id"))
            }
        }
    }

    pub(in crate::store) fn ids_in_shard(&self, shard: &str) -> Result<Vec<TicketId>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, &format!("{TICKETS_DIR}/{shard}"))? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter_map(|t| t.name().ok().and_then(|n| n.parse::<TicketId>().ok()))
            .collect())
    }

    /// The commit HEAD points to, if any.
    pub fn head_id(&self) -> Result<Option<Oid>> {
        match self.repo.head() {
            Ok(h) => Ok(h.target()),
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(
                Error::internal(format!("cannot read HEAD: {}", e.message()))
                    .with_source(GitError(e)),
            ),
        }
    }

    /// Stems of the `.eml` files in the quarantine (see `mail::file`).
    pub fn quarantined_names(&self) -> Result<Vec<String>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, QUARANTINE_DIR)? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter_map(|e| {
                e.name()
                    .ok()
                    .and_then(|n| n.strip_suffix(".eml"))
                    .map(str::to_string)
            })
            .collect())
    }

    /// The files directly in `dir` (a store path) at HEAD, by name.
    pub fn read_dir_files(&self, dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
        self.read_dir_files_at(self.head_tree()?.as_ref(), dir)
    }

    /// The files directly in `dir` (a store path) in the tree `head`, by
    /// name: for a caller that reads several things at one HEAD.
    pub(in crate::store) fn read_dir_files_at(
        &self,
        head: Option<&Tree<'_>>,
        dir: &str,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let Some(head) = head else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(head, dir)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in tree.iter() {
            let (Ok(name), Some(ObjectType::Blob)) = (entry.name(), entry.kind()) else {
                continue;
            };
            let blob = self
                .repo
                .find_blob(entry.id())
                .context(|| format!("cannot read {dir}/{name}"))?;
            out.push((name.to_string(), blob.content().to_vec()));
        }
        Ok(out)
    }

    /// Reads a file of the store as committed at HEAD.
    pub fn read_file(&self, store_path: &str) -> Result<Option<Vec<u8>>> {
        self.read_file_at(self.head_tree()?.as_ref(), store_path)
    }

    /// Reads a file of the store as it is in the tree `head`.
    pub(in crate::store) fn read_file_at(
        &self,
        head: Option<&Tree<'_>>,
        store_path: &str,
    ) -> Result<Option<Vec<u8>>> {
        let Some(head) = head else {
            return Ok(None);
        };
        let full = self.repo_path(store_path);
        match head.get_path(Path::new(&full)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Blob) => Ok(Some(
                self.repo
                    .find_blob(entry.id())
                    .context(|| format!("cannot read {full}"))?
                    .content()
                    .to_vec(),
            )),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(
                Error::internal(format!("cannot read {full}: {}", e.message()))
                    .with_source(GitError(e)),
            ),
        }
    }

    pub fn ticket_exists(&self, id: &TicketId) -> Result<bool> {
        let Some(head) = self.head_tree()? else {
            return Ok(false);
        };
        Ok(self.subtree(&head, &Self::ticket_dir(id))?.is_some())
    }

    /// Reads every entry of one ticket as committed at HEAD.
    pub fn read_ticket(&self, id: &TicketId) -> Result<TicketFiles> {
        let dir = Self::ticket_dir(id);
        let tree = self
            .head_tree()?
            .and_then(|head| self.subtree(&head, &dir).transpose())
            .transpose()?
            .ok_or_else(|| Error::not_found(format!("ticket {id} does not exist")))?;
        let files = self.read_ticket_tree(&dir, &tree)?;
        *self.last_ticket_read.borrow_mut() = Some((dir, tree.id(), files.clone()));
        Ok(files)
    }

    /// git's object database, for reading blobs straight from it (and,
    /// for customer notes, their size before their bytes).
    pub(super) fn odb(&self) -> Result<git2::Odb<'_>> {
        self.repo
            .odb()
            .context(|| "cannot open git's object database".into())
    }

    /// The entries of a ticket's tree: the tree is read once and each
    /// entry's blob straight from the object database (a pack after
    /// maintenance), in one pass.
    pub(crate) fn read_ticket_tree(&self, dir: &str, tree: &Tree<'_>) -> Result<TicketFiles> {
        if let Some((read_dir, read_tree, files)) = &*self.last_ticket_read.borrow()
            && read_dir == dir
            && *read_tree == tree.id()
        {
            return Ok(files.clone());
        }
        let odb = self.odb()?;
        let mut out = TicketFiles::default();
        for item in tree.iter() {
            let Some(name) = item.name().ok() else {
                continue;
            };
            if item.kind() != Some(ObjectType::Blob) || !name.ends_with(".md") {
                continue;
            }
            let path = self.repo_path(&format!("{dir}/{name}"));
            let blob = odb
                .read(item.id())
                .context(|| format!("cannot read {path}"))?;
            if blob.kind() != ObjectType::Blob {
                out.problems.push(Problem {
                    path,
                    message: format!("the tree names a {} as this file", blob.kind()),
                });
                continue;
            }
            match Entry::decode(blob.data()) {
                Ok(entry) => out.entries.push(StoredEntry {
                    file: name.to_string(),
                    entry,
                }),
                Err(message) => out.problems.push(Problem { path, message }),
            }
        }
        Ok(out)
    }

    /// Reads every ticket. `list` and `check` use this until the index of
    /// a later version makes it unnecessary.
    pub fn read_all(&self) -> Result<Vec<(TicketId, TicketFiles)>> {
        let mut out = Vec::new();
        let Some(head) = self.head_tree()? else {
            return Ok(out);
        };
        let Some(tickets) = self.subtree(&head, TICKETS_DIR)? else {
            return Ok(out);
        };
        for shard in tickets.iter() {
            if shard.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let shard_name = shard.name().ok().unwrap_or("?").to_string();
            let shard_tree = self
                .repo
                .find_tree(shard.id())
                .context(|| format!("cannot read {TICKETS_DIR}/{shard_name}"))?;
            for (id, ticket_tree) in tickets_in_shard(&shard_tree) {
                let tree = self
                    .repo
                    .find_tree(ticket_tree)
                    .context(|| format!("cannot read ticket {id}"))?;
                let files = self.read_ticket_tree(&Self::ticket_dir(&id), &tree)?;
                out.push((id, files));
            }
        }
        Ok(out)
    }
}

/// The tickets of a shard's tree: each ticket directory's id and tree
/// (anything else in the shard is not a ticket).
pub(crate) fn tickets_in_shard<'t>(
    shard: &'t Tree<'_>,
) -> impl Iterator<Item = (TicketId, Oid)> + 't {
    shard.iter().filter_map(|t| {
        let id = t.name().ok()?.parse::<TicketId>().ok()?;
        (t.kind() == Some(ObjectType::Tree)).then(|| (id, t.id()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::random_id;

    /// `show` reads a ticket and then brings the derived index up to date
    /// with the same tree: the second read must not go to git again.
    #[test]
    fn a_ticket_read_twice_is_read_from_git_once() {
        let (dir, store) = crate::store::scratch::store();
        let id = random_id().unwrap();
        let ticket = Store::ticket_dir(&id);
        let files: Vec<(String, Vec<u8>)> = (0..3)
            .map(|n| {
                (
                    format!("{ticket}/{n}.md"),
                    format!("not an entry {n}\n").into_bytes(),
                )
            })
            .collect();
        let lock = store.lock().unwrap();
        store
            .commit(&lock, files, "test", &crate::store::scratch::author())
            .unwrap();
        drop(lock);
        let first = store.read_ticket(&id).unwrap();
        assert_eq!(first.problems.len(), 3, "{:?}", first.problems);
        let tree = store
            .subtree(&store.head_tree().unwrap().unwrap(), &ticket)
            .unwrap()
            .unwrap();
        let blobs: Vec<Oid> = tree.iter().map(|e| e.id()).collect();
        // Take the entries' blobs out of git.
        for blob in &blobs {
            std::fs::remove_file(store.loose_object_path(*blob)).unwrap();
        }
        let again = store.read_ticket_tree(&ticket, &tree).unwrap();
        assert_eq!(again.problems, first.problems);
        // A store opened afresh has to go to git, and finds them gone.
        let fresh = Store::discover(dir.path()).unwrap();
        assert!(fresh.read_ticket(&id).is_err());
    }

    /// An id lookup goes down to the ticket's shard; the read of the
    /// ticket that follows starts there instead of reading `tickets/`
    /// again, which past a few hundred shards libgit2 does not cache.
    #[test]
    fn a_ticket_read_after_its_id_is_looked_up_does_not_read_the_tickets_tree_again() {
        let (dir, store) = crate::store::scratch::store();
        let ids: Vec<TicketId> = std::iter::from_fn(|| random_id().ok()).take(600).collect();
        let files = ids
            .iter()
            .map(|id| {
                (
                    format!("{}/x.md", Store::ticket_dir(id)),
                    b"not an entry\n".to_vec(),
                )
            })
            .collect();
        let author = crate::store::scratch::author();
        let lock = store.lock().unwrap();
        store.commit(&lock, files, "test", &author).unwrap();
        drop(lock);
        let head = store.head_tree().unwrap().unwrap();
        let tickets = head.get_name(TICKETS_DIR).unwrap().id();
        let id = ids[0];
        assert_eq!(store.resolve_id(id.as_str()).unwrap(), id);
        let hex = tickets.to_string();
        let loose = store
            .repo
            .path()
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..]);
        std::fs::remove_file(&loose).unwrap();
        assert_eq!(store.read_ticket(&id).unwrap().problems.len(), 1);
        // A store opened afresh has to go through `tickets/`, and finds it gone.
        let fresh = Store::discover(dir.path()).unwrap();
        assert!(fresh.read_ticket(&id).is_err());
    }
}
