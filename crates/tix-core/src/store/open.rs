//! Finding, creating and opening a store.

use std::path::{Path, PathBuf};

use git2::Repository;

use super::layout::{AGENTS_DIR, BLACKLIST_DIR, CONFIG_PATH, GROUPS_DIR, TEMPLATES_DIR};
use super::{Author, Store};
use crate::domain::Config;
use crate::domain::records;
use crate::error::{Context, Error, ErrorKind, GitError, Remedy, Result};

/// The cap on libgit2's object cache (see [`Store::discover`]).
const GIT_OBJECT_CACHE_BYTES: isize = 16 << 20;

impl Store {
    /// Finds the store that `start` is in.
    pub fn discover(start: &Path) -> Result<Store> {
        // libgit2 re-hashes every object it reads to check its id; git
        // itself leaves that to `git fsck`. Reading a store's whole history
        // (a cold reindex, `tix check`) spends a tenth of its time on it.
        git2::opts::strict_hash_verification(false);
        // With it on, libgit2 reads back the header of every object named
        // in a tree it builds, to check it exists and is of that type.
        // tix names only objects it has just written (or read from the
        // tree it builds on), so each check is a wasted read.
        git2::opts::strict_object_creation(false);
        // libgit2 keeps the objects it parses in a process-wide cache of up
        // to 256 MB. A cold build of an index reads every ticket's tree
        // once, so the cache grew with the store (100 MB of trees at
        // 100,000 tickets) and served nothing; what one command does read
        // again (HEAD's tree, the tickets tree, a few shards) fits well
        // under this cap.
        // SAFETY: git2 initialises libgit2 before setting an option, and
        // libgit2 stores this integer under its own lock.
        let _ = unsafe { git2::opts::set_cache_max_size(GIT_OBJECT_CACHE_BYTES) };
        let start = std::fs::canonicalize(start)
            .context(|| format!("cannot open directory {}", start.display()))?;
        let root = start
            .ancestors()
            .find(|dir| dir.join(CONFIG_PATH).is_file())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotInitialised,
                    format!(
                        "no tix store in {} or any parent directory (no {CONFIG_PATH})",
                        start.display()
                    ),
                )
                .with_remedy(Remedy::CreateStore)
            })?
            .to_path_buf();
        let repo = Repository::discover(&root).map_err(|e| {
            Error::new(
                ErrorKind::NotInitialised,
                format!(
                    "{} has {CONFIG_PATH} but is not in a git repository: {}",
                    root.display(),
                    e.message()
                ),
            )
            .with_source(GitError(e))
        })?;
        let config = read_config_unchecked(&root)?;
        let mut store = Self::from_parts(repo, root, config.clone())?;
        (store.config, store.record_problems) = store.fold_records(config)?;
        Ok(store)
    }

    /// The config in force: `.tix/config.yaml` in the work tree with the
    /// agent and blacklist records committed at HEAD folded in, checked as
    /// a whole; and the records that could not be used, for `tix check`.
    pub(in crate::store) fn config_in_force(&self) -> Result<(Config, Vec<String>)> {
        self.fold_records(read_config_unchecked(&self.root)?)
    }

    /// `config` as read from the work tree with the records at HEAD
    /// folded in, checked as a whole; and the records not used.
    fn fold_records(&self, mut config: Config) -> Result<(Config, Vec<String>)> {
        // Both record folders are read from one resolution of HEAD.
        let head = self.head_tree()?;
        let agents = self.read_records(head.as_ref(), AGENTS_DIR)?;
        let groups = self.read_records(head.as_ref(), GROUPS_DIR)?;
        let blacklist = self.read_records(head.as_ref(), BLACKLIST_DIR)?;
        let mut problems = [agents.1, groups.1, blacklist.1].concat();
        problems.extend(records::apply(
            &mut config,
            &records::Records {
                agents: &agents.0,
                groups: &groups.0,
                blacklist: &blacklist.0,
                agents_dir: AGENTS_DIR,
                groups_dir: GROUPS_DIR,
                blacklist_dir: BLACKLIST_DIR,
            },
        ));
        let config = config.checked().map_err(|e| {
            Error::invalid(format!("{}: {e}", self.root.join(CONFIG_PATH).display()))
        })?;
        Ok((config, problems))
    }

    /// The records in `dir` at HEAD that parse, and a problem for each that
    /// does not.
    fn read_records<R: serde::de::DeserializeOwned>(
        &self,
        head: Option<&git2::Tree<'_>>,
        dir: &str,
    ) -> Result<ReadRecords<R>> {
        let mut records = Vec::new();
        let mut problems = Vec::new();
        for (name, bytes) in self.read_dir_files_at(head, dir)? {
            let parsed = String::from_utf8(bytes)
                .map_err(|_| "not UTF-8 text".to_string())
                .and_then(|t| serde_yaml::from_str::<R>(&t).map_err(|e| e.to_string()));
            match parsed {
                Ok(r) => records.push((name, r)),
                Err(e) => problems.push(format!("{dir}/{name}: {e}; the record is ignored")),
            }
        }
        Ok((records, problems))
    }

    /// `.tix/config.yaml` as it is in the work tree, without the records:
    /// what only an edit of the file can change.
    pub fn hand_written_config(&self) -> Result<Config> {
        read_config_unchecked(&self.root)
    }

    /// A hand-written file of the store (the config, a template) as it is
    /// in the work tree, which is the copy in force; None if there is none.
    pub fn read_hand_written(&self, store_path: &str) -> Result<Option<Vec<u8>>> {
        let path = self.root.join(store_path);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context(|| format!("cannot read {}", path.display())),
        }
    }

    /// The files directly in the hand-written folder `dir` in the work
    /// tree, by name in name order.
    pub fn read_hand_written_dir(&self, dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let path = self.root.join(dir);
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).context(|| format!("cannot read {}", path.display())),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.context(|| format!("cannot read {}", path.display()))?;
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(entry.path())
                .context(|| format!("cannot read {}", entry.path().display()))?;
            out.push((name, bytes));
        }
        out.sort();
        Ok(out)
    }

    /// The hand-written files (the config, the templates) whose copy in the
    /// work tree, which is in force, differs from the one committed at HEAD,
    /// which is what other clones get.
    pub fn uncommitted_hand_written(&self) -> Result<Vec<String>> {
        self.uncommitted_hand_written_at(self.head_tree()?.as_ref())
    }

    /// [`Store::uncommitted_hand_written`] against the tree `head`.
    fn uncommitted_hand_written_at(&self, head: Option<&git2::Tree<'_>>) -> Result<Vec<String>> {
        let mut changed = Vec::new();
        if self.read_hand_written(CONFIG_PATH)? != self.read_file_at(head, CONFIG_PATH)? {
            changed.push(CONFIG_PATH.to_string());
        }
        // The shared templates, and each department's own beside them.
        let mut dirs = vec![TEMPLATES_DIR.to_string()];
        dirs.extend(
            self.config()
                .mail
                .departments
                .iter()
                .map(|d| format!("{TEMPLATES_DIR}/{}", d.name)),
        );
        for dir in dirs {
            let committed = self.read_dir_files_at(head, &dir)?;
            let working = self.read_hand_written_dir(&dir)?;
            let mut names: Vec<&String> =
                committed.iter().chain(&working).map(|(n, _)| n).collect();
            names.sort();
            names.dedup();
            for name in names {
                let find = |files: &[(String, Vec<u8>)]| {
                    files
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, b)| b.clone())
                };
                if find(&committed) != find(&working) {
                    changed.push(format!("{dir}/{name}"));
                }
            }
        }
        Ok(changed)
    }

    /// Says, once per store opened, that a write on top of `head` goes
    /// ahead with hand-written files other clones do not have.
    pub(in crate::store) fn warn_uncommitted_hand_written_once(
        &self,
        head: Option<&git2::Tree<'_>>,
    ) {
        if self
            .warned_uncommitted
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            return;
        }
        if let Ok(changed) = self.uncommitted_hand_written_at(head)
            && !changed.is_empty()
        {
            crate::warnings::warn(&uncommitted_warning(&changed));
        }
    }

    /// Agent and blacklist records that are not in force, as
    /// `path: problem`.
    pub fn record_problems(&self) -> &[String] {
        &self.record_problems
    }

    /// Creates a store in `dir`, making it a git repository if it is not in
    /// one, and commits the config.
    pub fn init(dir: &Path, config: Config, author: &Author) -> Result<Store> {
        std::fs::create_dir_all(dir).context(|| format!("cannot create {}", dir.display()))?;
        let root =
            std::fs::canonicalize(dir).context(|| format!("cannot open {}", dir.display()))?;
        if root.join(CONFIG_PATH).exists() {
            return Err(Error::invalid(format!(
                "{} is already a tix store ({CONFIG_PATH} exists)",
                root.display()
            )));
        }
        let repo = match Repository::discover(&root) {
            Ok(repo) => repo,
            Err(_) => {
                let mut opts = git2::RepositoryInitOptions::new();
                let branch = git2::Config::open_default()
                    .ok()
                    .and_then(|c| c.get_string("init.defaultBranch").ok())
                    .unwrap_or_else(|| "main".into());
                opts.initial_head(&branch);
                Repository::init_opts(&root, &opts)
                    .context(|| format!("cannot create a git repository in {}", root.display()))?
            }
        };
        let store = Self::from_parts(repo, root, config)?;
        let lock = store.lock()?;
        store.commit(
            &lock,
            vec![(CONFIG_PATH.to_string(), store.config.to_yaml().into_bytes())],
            "tix: init",
            author,
        )?;
        Ok(store)
    }

    pub(in crate::store) fn from_parts(
        repo: Repository,
        root: PathBuf,
        config: Config,
    ) -> Result<Store> {
        let prefix = match repo.workdir() {
            Some(workdir) => {
                let workdir = std::fs::canonicalize(workdir)
                    .context(|| format!("cannot open {}", workdir.display()))?;
                let rel = root.strip_prefix(&workdir).map_err(|_| {
                    Error::internal(format!(
                        "store {} is outside its repository's work tree {}",
                        root.display(),
                        workdir.display()
                    ))
                })?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel.is_empty() {
                    rel
                } else {
                    format!("{rel}/")
                }
            }
            None => {
                return Err(Error::invalid(format!(
                    "{} is a bare repository; tix needs a work tree",
                    repo.path().display()
                )));
            }
        };
        // libgit2 stats git's three config files again at every lookup on
        // the live config, its own internal ones included (a dozen per
        // commit). tix never writes git's config, and a command may rely on
        // the config as it was when it started, as git does.
        let snapshot = repo
            .config()
            .and_then(|mut c| c.snapshot())
            .context(|| format!("cannot read git's config for {}", root.display()))?;
        repo.set_config(&snapshot)
            .context(|| format!("cannot read git's config for {}", root.display()))?;
        Ok(Store {
            repo,
            root,
            prefix,
            config,
            record_problems: Vec::new(),
            warned_uncommitted: Default::default(),
            commit_note: Default::default(),
            last_ticket_read: Default::default(),
            subtrees_seen: Default::default(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// git's idea of the current user, for identity and for `tix init`.
    pub fn git_identity(&self) -> (Option<String>, Option<String>) {
        let cfg = self.repo.config().ok();
        let get = |key: &str| cfg.as_ref().and_then(|c| c.get_string(key).ok());
        (get("user.name"), get("user.email"))
    }
}

fn read_config_unchecked(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_PATH);
    let bytes = std::fs::read(&path).context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::invalid(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Config::parse_unchecked(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))
}

/// What `tix check` and every write say of hand-written files that differ
/// from their committed copy.
pub fn uncommitted_warning(changed: &[String]) -> String {
    format!(
        "uncommitted changes in {}: this clone uses them, other clones do not have them until they are committed",
        changed.join(", ")
    )
}

/// Records by file name, and a problem for each file that did not parse.
type ReadRecords<R> = (Vec<(String, R)>, Vec<String>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_outside_git_names_it_and_keeps_git_s_error_as_the_cause() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join(CONFIG_PATH);
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, "").unwrap();
        let Err(err) = Store::discover(dir.path()) else {
            panic!("a folder outside git is not a store");
        };
        assert_eq!(err.kind(), ErrorKind::NotInitialised);
        assert!(
            err.message().contains("is not in a git repository"),
            "{err}"
        );
        let cause = err.causes().next().expect("git's error as the cause");
        assert!(cause.downcast_ref::<GitError>().is_some(), "{cause:?}");
        assert!(err.message().ends_with(&cause.to_string()), "{err}");
    }

    #[test]
    fn no_store_anywhere_up_asks_for_one_to_be_created() {
        let dir = tempfile::tempdir().unwrap();
        let Err(err) = Store::discover(dir.path()) else {
            panic!("an empty folder is not a store");
        };
        assert_eq!(err.kind(), ErrorKind::NotInitialised);
        assert_eq!(err.remedy(), Some(&Remedy::CreateStore));
        assert_eq!(err.hint(), None, "the core does not word it");
    }
}
