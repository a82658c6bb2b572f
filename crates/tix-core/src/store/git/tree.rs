//! Writing a set of changed files into a git tree without touching the
//! rest.
//!
//! Only the trees on the path from the root to each changed file are
//! rewritten, so a commit costs the same at ten tickets and at a hundred
//! thousand.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use git2::{ObjectType, Oid, Repository, Tree};

use crate::error::{Context, Error, Result};

fn clash(path: &str, what: &str) -> Error {
    Error::internal(format!(
        "cannot commit: {path} {what}; nothing was written (entry file names must be unique)"
    ))
}

/// A directory of changes, by path component: new blobs, and removals.
#[derive(Default)]
pub struct NewFiles {
    files: BTreeMap<String, Change>,
    dirs: BTreeMap<String, NewFiles>,
}

#[derive(Clone, Copy)]
enum Change {
    /// A new file: writing over one the base already has is refused.
    Create(Oid),
    /// Adds the file or replaces the base's.
    Replace(Oid),
    Remove,
}

impl NewFiles {
    /// Adds a file that must not exist yet, neither in the base tree nor
    /// earlier in this set: entries are never overwritten, so two of them
    /// given the same name is a bug to stop at, not a file to lose.
    pub fn create(&mut self, path: &str, blob: Oid) -> Result<()> {
        self.set(path, path, Change::Create(blob))
    }

    /// Adds a file or replaces the one at `path` (the config, say).
    pub fn replace(&mut self, path: &str, blob: Oid) -> Result<()> {
        self.set(path, path, Change::Replace(blob))
    }

    /// Removes a file; a directory left empty disappears with it.
    pub fn remove(&mut self, path: &str) -> Result<()> {
        self.set(path, path, Change::Remove)
    }

    fn set(&mut self, full: &str, path: &str, change: Change) -> Result<()> {
        match path.split_once('/') {
            Some((dir, rest)) => self
                .dirs
                .entry(dir.to_string())
                .or_default()
                .set(full, rest, change),
            None => match self.files.entry(path.to_string()) {
                Entry::Vacant(slot) => {
                    slot.insert(change);
                    Ok(())
                }
                Entry::Occupied(_) => Err(clash(full, "is written twice in one commit")),
            },
        }
    }

    /// Writes `base` with these changes; `None` when the result is empty.
    #[cfg(test)]
    pub fn write_onto(&self, repo: &Repository, base: Option<&Tree<'_>>) -> Result<Option<Oid>> {
        self.write_noting(repo, base, &mut BTreeSet::new())
    }

    /// Writes `base` with these changes, `None` when the result is empty,
    /// adding to `written` every tree it wrote: those on the path to each
    /// change, which a commit flushes without reading them back.
    pub fn write_noting(
        &self,
        repo: &Repository,
        base: Option<&Tree<'_>>,
        written: &mut BTreeSet<Oid>,
    ) -> Result<Option<Oid>> {
        self.write_under(repo, base, "", written)
    }

    fn write_under(
        &self,
        repo: &Repository,
        base: Option<&Tree<'_>>,
        at: &str,
        written: &mut BTreeSet<Oid>,
    ) -> Result<Option<Oid>> {
        let mut builder = repo
            .treebuilder(base)
            .context(|| "cannot start a git tree".into())?;
        for (name, change) in &self.files {
            match *change {
                Change::Create(_) if builder.get(name).ok().flatten().is_some() => {
                    return Err(clash(&format!("{at}{name}"), "already exists"));
                }
                Change::Create(blob) | Change::Replace(blob) => builder
                    .insert(name, blob, 0o100644)
                    .map(|_| ())
                    .context(|| format!("cannot add {name} to a git tree"))?,
                Change::Remove => {
                    if builder.get(name).ok().flatten().is_some() {
                        builder
                            .remove(name)
                            .context(|| format!("cannot remove {name} from a git tree"))?;
                    }
                }
            }
        }
        for (name, sub) in &self.dirs {
            let existing = match base.and_then(|b| b.get_name(name)) {
                Some(entry) if entry.kind() == Some(ObjectType::Tree) => Some(
                    repo.find_tree(entry.id())
                        .context(|| format!("cannot read git tree {name}"))?,
                ),
                _ => None,
            };
            match sub.write_under(repo, existing.as_ref(), &format!("{at}{name}/"), written)? {
                Some(oid) => {
                    builder
                        .insert(name, oid, 0o040000)
                        .context(|| format!("cannot add {name}/ to a git tree"))?;
                }
                None => {
                    if builder.get(name).ok().flatten().is_some() {
                        builder
                            .remove(name)
                            .context(|| format!("cannot remove {name}/ from a git tree"))?;
                    }
                }
            }
        }
        if builder.is_empty() {
            return Ok(None);
        }
        let oid = super::write_objects(|| builder.write())
            .context(|| "cannot write a git tree".into())?;
        written.insert(oid);
        Ok(Some(oid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::layout::CONFIG_PATH;

    fn repo() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        (dir, repo)
    }

    #[test]
    fn a_path_given_twice_in_one_commit_is_refused() {
        let (_dir, repo) = repo();
        let a = repo.blob(b"a").unwrap();
        let b = repo.blob(b"b").unwrap();
        let mut files = NewFiles::default();
        files.create("tickets/AB/ABCD/x.md", a).unwrap();
        let err = files.create("tickets/AB/ABCD/x.md", b).unwrap_err();
        assert!(
            err.message()
                .contains("tickets/AB/ABCD/x.md is written twice"),
            "{err}"
        );
        assert!(files.replace("tickets/AB/ABCD/x.md", b).is_err());
    }

    #[test]
    fn creating_a_file_the_base_has_is_refused_and_replacing_is_not() {
        let (_dir, repo) = repo();
        let a = repo.blob(b"a").unwrap();
        let b = repo.blob(b"b").unwrap();
        let mut first = NewFiles::default();
        first.create("tickets/AB/ABCD/x.md", a).unwrap();
        first.create(CONFIG_PATH, a).unwrap();
        let base = first.write_onto(&repo, None).unwrap().unwrap();
        let base = repo.find_tree(base).unwrap();

        let mut again = NewFiles::default();
        again.create("tickets/AB/ABCD/x.md", b).unwrap();
        let err = again.write_onto(&repo, Some(&base)).unwrap_err();
        assert!(
            err.message()
                .contains("tickets/AB/ABCD/x.md already exists"),
            "{err}"
        );

        let mut config = NewFiles::default();
        config.replace(CONFIG_PATH, b).unwrap();
        let tree = config.write_onto(&repo, Some(&base)).unwrap().unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let entry = tree.get_path(std::path::Path::new(CONFIG_PATH)).unwrap();
        assert_eq!(entry.id(), b);
    }
}
