//! Writing a set of changed files into a git tree without touching the
//! rest.
//!
//! Only the trees on the path from the root to each changed file are
//! rewritten, so a commit costs the same at ten tickets and at a hundred
//! thousand.

use std::collections::BTreeMap;

use git2::{ObjectType, Oid, Repository, Tree};

use crate::error::{Context, Result};

/// A directory of changes, by path component: new blobs, and removals.
#[derive(Default)]
pub struct NewFiles {
    /// `Some(blob)` adds or replaces a file; `None` removes it.
    files: BTreeMap<String, Option<Oid>>,
    dirs: BTreeMap<String, NewFiles>,
}

impl NewFiles {
    pub fn insert(&mut self, path: &str, blob: Oid) {
        self.set(path, Some(blob));
    }

    /// Removes a file; a directory left empty disappears with it.
    pub fn remove(&mut self, path: &str) {
        self.set(path, None);
    }

    fn set(&mut self, path: &str, blob: Option<Oid>) {
        match path.split_once('/') {
            Some((dir, rest)) => self
                .dirs
                .entry(dir.to_string())
                .or_default()
                .set(rest, blob),
            None => {
                self.files.insert(path.to_string(), blob);
            }
        }
    }

    /// Writes `base` with these changes; `None` when the result is empty.
    pub fn write_onto(&self, repo: &Repository, base: Option<&Tree<'_>>) -> Result<Option<Oid>> {
        let mut builder = repo
            .treebuilder(base)
            .context(|| "cannot start a git tree".into())?;
        for (name, blob) in &self.files {
            match blob {
                Some(blob) => builder
                    .insert(name, *blob, 0o100644)
                    .map(|_| ())
                    .context(|| format!("cannot add {name} to a git tree"))?,
                None => {
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
            match sub.write_onto(repo, existing.as_ref())? {
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
        builder
            .write()
            .map(Some)
            .context(|| "cannot write a git tree".into())
    }
}
