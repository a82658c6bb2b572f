//! Writing a set of new files into a git tree without touching the rest.
//!
//! Only the trees on the path from the root to each new file are rewritten,
//! so a commit costs the same at ten tickets and at a hundred thousand.

use std::collections::BTreeMap;

use git2::{ObjectType, Oid, Repository, Tree};

use crate::error::{Context, Result};

/// A directory of new blobs, by path component.
#[derive(Default)]
pub struct NewFiles {
    files: BTreeMap<String, Oid>,
    dirs: BTreeMap<String, NewFiles>,
}

impl NewFiles {
    pub fn insert(&mut self, path: &str, blob: Oid) {
        match path.split_once('/') {
            Some((dir, rest)) => self
                .dirs
                .entry(dir.to_string())
                .or_default()
                .insert(rest, blob),
            None => {
                self.files.insert(path.to_string(), blob);
            }
        }
    }

    /// Writes `base` with these files added (replacing same-named ones).
    pub fn write_onto(&self, repo: &Repository, base: Option<&Tree<'_>>) -> Result<Oid> {
        let mut builder = repo
            .treebuilder(base)
            .context(|| "cannot start a git tree".into())?;
        for (name, blob) in &self.files {
            builder
                .insert(name, *blob, 0o100644)
                .context(|| format!("cannot add {name} to a git tree"))?;
        }
        for (name, sub) in &self.dirs {
            let existing = match base.and_then(|b| b.get_name(name)) {
                Some(entry) if entry.kind() == Some(ObjectType::Tree) => Some(
                    repo.find_tree(entry.id())
                        .context(|| format!("cannot read git tree {name}"))?,
                ),
                _ => None,
            };
            let oid = sub.write_onto(repo, existing.as_ref())?;
            builder
                .insert(name, oid, 0o040000)
                .context(|| format!("cannot add {name}/ to a git tree"))?;
        }
        builder.write().context(|| "cannot write a git tree".into())
    }
}
