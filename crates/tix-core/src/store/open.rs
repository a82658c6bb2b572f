//! Finding, creating and opening a store.

use std::path::{Path, PathBuf};

use git2::Repository;

use super::layout::CONFIG_PATH;
use super::{Author, Store};
use crate::domain::Config;
use crate::error::{Context, Error, ErrorKind, GitError, Remedy, Result};

impl Store {
    /// Finds the store that `start` is in.
    pub fn discover(start: &Path) -> Result<Store> {
        // libgit2 re-hashes every object it reads to check its id; git
        // itself leaves that to `git fsck`. Reading a store's whole history
        // (a cold reindex, `tix check`) spends a tenth of its time on it.
        git2::opts::strict_hash_verification(false);
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
        let config = read_config(&root)?;
        Self::from_parts(repo, root, config)
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
        Ok(Store {
            repo,
            root,
            prefix,
            config,
            commit_note: Default::default(),
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

pub(in crate::store) fn read_config(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_PATH);
    let bytes = std::fs::read(&path).context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::invalid(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Config::parse(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))
}

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
