//! Taking an entry's bytes out of history (`tix purge`): every commit of
//! the branch that holds one of the named files is written again with the
//! file's content replaced, and so is every commit after it; then the old
//! commits are made unreachable and pruned from this clone's object
//! database. And `tix check`'s look at the purge manifests: none of the
//! blobs a purge removed may be reachable from HEAD again.

use std::collections::{BTreeSet, HashMap, HashSet};

use git2::{ObjectType, Oid, Sort, Tree};

use super::layout::TICKETS_DIR;
use super::{Store, StoreLock};
use crate::domain::TicketId;
use crate::error::{Context, Error, Result};

/// What a history rewrite did.
#[derive(Debug)]
pub struct Rewritten {
    pub old_head: Oid,
    pub new_head: Oid,
    /// Commits written again (every one from the first that held a file).
    pub commits: usize,
    /// The blob ids that no longer appear in the branch's history, sorted.
    pub blobs: Vec<String>,
    /// Refs other than the branch that still reach an old commit, so the
    /// bytes stay in this clone until they move (a remote-tracking branch
    /// until the forced push, a stash, another branch).
    pub still_held_by: Vec<String>,
}

/// Rewrites `paths` of ticket `id`'s folder: `placeholder(path, bytes)`
/// gives the new content of each blob at or under one of them (a path is
/// relative to the ticket's folder; a folder covers every file in it).
struct Rewriter<'r, F> {
    repo: &'r git2::Repository,
    /// The components from the repository's root to the ticket's folder.
    ticket_path: Vec<String>,
    /// Each target as components under the ticket's folder.
    targets: Vec<Vec<String>>,
    placeholder: F,
    trees: HashMap<(usize, Oid), Oid>,
    blobs: HashMap<Oid, Oid>,
}

impl<'r, F: FnMut(&str, &[u8]) -> Result<Vec<u8>>> Rewriter<'r, F> {
    /// The tree at `depth` of the way down to the ticket with `oid`,
    /// rewritten.
    fn along(&mut self, depth: usize, oid: Oid) -> Result<Oid> {
        if let Some(done) = self.trees.get(&(depth, oid)) {
            return Ok(*done);
        }
        let tree = self.tree(oid)?;
        let new = if depth == self.ticket_path.len() {
            let mut out = oid;
            for i in 0..self.targets.len() {
                let target = self.targets[i].clone();
                out = self.replace_in(out, &target, "")?;
            }
            out
        } else {
            let name = self.ticket_path[depth].clone();
            match tree.get_name(&name) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => {
                    let (child, mode) = (e.id(), e.filemode());
                    let new_child = self.along(depth + 1, child)?;
                    self.put(&tree, &name, new_child, mode)?
                }
                _ => oid,
            }
        };
        self.trees.insert((depth, oid), new);
        Ok(new)
    }

    /// `tree` with the file or folder at `rest` replaced; `at` is the
    /// path so far, for the placeholder.
    fn replace_in(&mut self, oid: Oid, rest: &[String], at: &str) -> Result<Oid> {
        let Some((first, rest)) = rest.split_first() else {
            return Ok(oid);
        };
        let tree = self.tree(oid)?;
        let Some(entry) = tree.get_name(first) else {
            return Ok(oid);
        };
        let (child, mode, kind) = (entry.id(), entry.filemode(), entry.kind());
        let path = if at.is_empty() {
            first.clone()
        } else {
            format!("{at}/{first}")
        };
        let new_child = match (kind, rest.is_empty()) {
            (Some(ObjectType::Tree), true) => self.replace_all(child, &path)?,
            (Some(ObjectType::Tree), false) => self.replace_in(child, rest, &path)?,
            (Some(ObjectType::Blob), true) => self.blob(child, &path)?,
            _ => child,
        };
        self.put(&tree, first, new_child, mode)
    }

    /// Every file in the folder `oid` replaced.
    fn replace_all(&mut self, oid: Oid, at: &str) -> Result<Oid> {
        let tree = self.tree(oid)?;
        let mut out = oid;
        let names: Vec<(String, Oid, i32, Option<ObjectType>)> = tree
            .iter()
            .filter_map(|e| Some((e.name().ok()?.to_string(), e.id(), e.filemode(), e.kind())))
            .collect();
        for (name, child, mode, kind) in names {
            let path = format!("{at}/{name}");
            let new_child = match kind {
                Some(ObjectType::Tree) => self.replace_all(child, &path)?,
                Some(ObjectType::Blob) => self.blob(child, &path)?,
                _ => child,
            };
            let current = self.tree(out)?;
            out = self.put(&current, &name, new_child, mode)?;
        }
        Ok(out)
    }

    fn blob(&mut self, oid: Oid, path: &str) -> Result<Oid> {
        if let Some(done) = self.blobs.get(&oid) {
            return Ok(*done);
        }
        let old = self
            .repo
            .find_blob(oid)
            .context(|| format!("cannot read {path} ({oid})"))?;
        let bytes = (self.placeholder)(path, old.content())?;
        let new = self
            .repo
            .blob(&bytes)
            .context(|| format!("cannot store the placeholder of {path}"))?;
        self.blobs.insert(oid, new);
        Ok(new)
    }

    fn tree(&self, oid: Oid) -> Result<Tree<'r>> {
        self.repo
            .find_tree(oid)
            .context(|| format!("cannot read tree {oid}"))
    }

    /// `tree` with `name` pointing at `child`; the same tree when it does.
    fn put(&self, tree: &Tree<'_>, name: &str, child: Oid, mode: i32) -> Result<Oid> {
        if tree.get_name(name).map(|e| e.id()) == Some(child) {
            return Ok(tree.id());
        }
        let mut builder = self
            .repo
            .treebuilder(Some(tree))
            .context(|| "cannot rebuild a tree".into())?;
        builder
            .insert(name, child, mode)
            .context(|| format!("cannot rebuild the tree holding {name}"))?;
        builder
            .write()
            .context(|| format!("cannot write the tree holding {name}"))
    }
}

/// The raw commit `old` with another tree and other parents, and without
/// its signature (which the new content no longer matches); author,
/// committer, encoding and message are kept byte for byte.
fn rewritten_commit(old: &git2::Commit<'_>, tree: Oid, parents: &[Oid]) -> Vec<u8> {
    let mut out = format!("tree {tree}\n").into_bytes();
    for p in parents {
        out.extend_from_slice(format!("parent {p}\n").as_bytes());
    }
    let mut in_signature = false;
    for line in old.raw_header_bytes().split(|b| *b == b'\n') {
        if line.starts_with(b" ") && in_signature {
            continue;
        }
        in_signature = line.starts_with(b"gpgsig ") || line.starts_with(b"gpgsig-sha256 ");
        if in_signature || line.starts_with(b"tree ") || line.starts_with(b"parent ") {
            continue;
        }
        if line.is_empty() {
            continue;
        }
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(old.message_raw_bytes());
    out
}

impl Store {
    /// Rewrites the current branch so that the files `paths` (relative to
    /// ticket `id`'s folder; a folder covers its files) hold what
    /// `placeholder` makes of them in every commit, keeping every other
    /// byte of every commit but the signatures. Moves the branch, checks the
    /// files out, expires the reflogs and prunes the old objects with
    /// `git gc --prune=now`, and drops the derived indexes (rebuilt on
    /// demand from the new history). Under `lock`; refused during a git
    /// operation and while the tickets have uncommitted changes.
    pub fn rewrite_ticket_files(
        &self,
        lock: &StoreLock,
        id: &TicketId,
        paths: &[String],
        placeholder: impl FnMut(&str, &[u8]) -> Result<Vec<u8>>,
    ) -> Result<Rewritten> {
        self.refuse_during_git_operation()?;
        let tickets = self.repo_path(TICKETS_DIR);
        // git's own status: the index may be split, which libgit2 does
        // not read.
        let pathspec = format!(":(top){tickets}");
        let status = self.git_output(&[
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            &pathspec,
        ])?;
        let dirty: Vec<String> = String::from_utf8_lossy(&status)
            .lines()
            .filter_map(|l| l.get(3..).map(String::from))
            .take(5)
            .collect();
        if !dirty.is_empty() {
            return Err(Error::invalid(format!(
                "uncommitted changes under {tickets}/ ({}); a purge rewrites history and would lose them",
                dirty.join(", ")
            ))
            .with_hint("commit them or `git checkout` them away first"));
        }
        let old_head = self
            .head_id()?
            .ok_or_else(|| Error::not_found("the store has no commit yet"))?;
        if let Some(seen) = lock.seen_head()
            && seen != Some(old_head)
        {
            return Err(super::commit::branch_moved(seen, Some(old_head)));
        }
        let ticket_dir = self.repo_path(&Store::ticket_dir(id));
        let mut rewriter = Rewriter {
            repo: &self.repo,
            ticket_path: ticket_dir.split('/').map(String::from).collect(),
            targets: paths
                .iter()
                .map(|p| p.split('/').map(String::from).collect())
                .collect(),
            placeholder,
            trees: HashMap::new(),
            blobs: HashMap::new(),
        };
        let mut walk = self
            .repo
            .revwalk()
            .context(|| "cannot walk history".into())?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .context(|| "cannot sort history".into())?;
        walk.push(old_head)
            .context(|| "cannot walk history".into())?;
        let mut map: HashMap<Oid, Oid> = HashMap::new();
        let mut commits = 0;
        for oid in walk {
            let oid = oid.context(|| "cannot walk history".into())?;
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let tree = rewriter.along(0, commit.tree_id())?;
            let parents: Vec<Oid> = commit
                .parent_ids()
                .map(|p| map.get(&p).copied().unwrap_or(p))
                .collect();
            let same = tree == commit.tree_id()
                && parents
                    .iter()
                    .eq(commit.parent_ids().collect::<Vec<_>>().iter());
            let new = if same {
                oid
            } else {
                commits += 1;
                let raw = rewritten_commit(&commit, tree, &parents);
                super::git::write_objects(|| {
                    self.repo
                        .odb()
                        .and_then(|odb| odb.write(ObjectType::Commit, &raw))
                })
                .context(|| format!("cannot write the rewritten commit of {oid}"))?
            };
            map.insert(oid, new);
        }
        let new_head = map[&old_head];
        if new_head == old_head {
            return Err(Error::not_found(format!(
                "no commit holds {} under {ticket_dir}",
                paths.join(", ")
            )));
        }
        let mut blobs: Vec<String> = rewriter
            .blobs
            .iter()
            .filter(|(old, new)| old != new)
            .map(|(old, _)| old.to_string())
            .collect();
        blobs.sort();
        self.advance_head(Some(old_head), new_head, "tix purge: history rewritten")?;
        lock.set_seen_head(Some(new_head));
        // The work tree and git's index still hold the old bytes of the
        // files; take them from the new HEAD.
        let pathspecs: Vec<String> = paths
            .iter()
            .map(|p| format!(":(top){ticket_dir}/{p}"))
            .collect();
        let mut args = vec!["checkout", "HEAD", "--"];
        args.extend(pathspecs.iter().map(String::as_str));
        self.git(&args)?;
        let rewritten: HashSet<Oid> = map
            .iter()
            .filter(|(old, new)| old != new)
            .map(|(old, _)| *old)
            .collect();
        let still_held_by = self.refs_reaching(&rewritten)?;
        self.git(&[
            "reflog",
            "expire",
            "--expire=now",
            "--expire-unreachable=now",
            "--all",
        ])?;
        self.git(&["gc", "--prune=now", "--quiet"])?;
        for dir in [
            self.cache_path(super::layout::TICKET_INDEX_DIR),
            self.search_index_dir(),
        ] {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e).context(|| format!("cannot remove {}", dir.display()));
                }
            }
        }
        Ok(Rewritten {
            old_head,
            new_head,
            commits,
            blobs,
            still_held_by,
        })
    }

    /// The refs (but HEAD's branch) whose history holds one of `commits`.
    fn refs_reaching(&self, commits: &HashSet<Oid>) -> Result<Vec<String>> {
        let head = self.head_id()?;
        let mut out = Vec::new();
        let refs = self
            .repo
            .references()
            .context(|| "cannot list refs".into())?;
        for r in refs {
            let r = r.context(|| "cannot read a ref".into())?;
            let (Some(name), Ok(target)) = (r.name().ok().map(String::from), r.peel_to_commit())
            else {
                continue;
            };
            if Some(target.id()) == head {
                continue;
            }
            let mut walk = self
                .repo
                .revwalk()
                .context(|| "cannot walk history".into())?;
            walk.push(target.id())
                .context(|| format!("cannot walk {name}"))?;
            if let Some(h) = head {
                let _ = walk.hide(h);
            }
            if walk.flatten().any(|c| commits.contains(&c)) {
                out.push(name);
            }
        }
        Ok(out)
    }

    /// Of `blobs` (ids a purge removed), those reachable from HEAD at or
    /// under the folder of ticket `id` in some commit: only that folder of
    /// each commit is read, and each tree of it once.
    pub fn purged_blobs_reachable(
        &self,
        id: &TicketId,
        blobs: &[String],
    ) -> Result<BTreeSet<String>> {
        let wanted: HashSet<Oid> = blobs.iter().filter_map(|b| Oid::from_str(b).ok()).collect();
        let mut found = BTreeSet::new();
        self.find_blobs_under_ticket(id, &wanted, &mut found)?;
        Ok(found.iter().map(Oid::to_string).collect())
    }

    fn find_blobs_under_ticket(
        &self,
        id: &TicketId,
        wanted: &HashSet<Oid>,
        found: &mut BTreeSet<Oid>,
    ) -> Result<()> {
        let Some(head) = self.head_id()? else {
            return Ok(());
        };
        let ticket_dir = self.repo_path(&Store::ticket_dir(id));
        let mut walk = self
            .repo
            .revwalk()
            .context(|| "cannot walk history".into())?;
        walk.push(head).context(|| "cannot walk history".into())?;
        let mut seen: HashSet<Oid> = HashSet::new();
        for oid in walk {
            let oid = oid.context(|| "cannot walk history".into())?;
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            let tree = commit
                .tree()
                .context(|| format!("cannot read the tree of {oid}"))?;
            let Ok(entry) = tree.get_path(std::path::Path::new(&ticket_dir)) else {
                continue;
            };
            self.blobs_under(entry.id(), wanted, &mut seen, found)?;
            if found.len() == wanted.len() {
                break;
            }
        }
        Ok(())
    }

    fn blobs_under(
        &self,
        tree: Oid,
        wanted: &HashSet<Oid>,
        seen: &mut HashSet<Oid>,
        found: &mut BTreeSet<Oid>,
    ) -> Result<()> {
        if !seen.insert(tree) {
            return Ok(());
        }
        let Ok(tree) = self.repo.find_tree(tree) else {
            return Ok(());
        };
        for e in tree.iter() {
            match e.kind() {
                Some(ObjectType::Blob) if wanted.contains(&e.id()) => {
                    found.insert(e.id());
                }
                Some(ObjectType::Tree) => self.blobs_under(e.id(), wanted, seen, found)?,
                _ => {}
            }
        }
        Ok(())
    }
}
