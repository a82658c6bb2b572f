//! Where the store keeps things: every path tix reads or writes, in the
//! store and in the git directory. Code elsewhere names a path through
//! these constants and methods, never as a literal, so that what is on
//! disk can be read off this one file.
//!
//! In the store, relative to its root (committed and shared by every
//! clone):
//!
//! ```text
//! .tix/config.yaml
//! .tix/templates/<name>.md
//! .tix/availability/<record>
//! .tix/agents/<time>-<random>-<handle>.yaml
//! .tix/blacklist/<time>-<random>.yaml
//! .tix/customers/<address hash>/<time>-<random>.yaml   notes about a customer
//! .tix/duty.yaml                which clone is on duty, until when
//! tickets/<first 2 characters of id>/<id>/<entry files>.md
//! tickets/<shard>/<id>/files/<entry file stem>/<attachment>
//! quarantine/<name>.eml, quarantine/<name>.yaml
//! ```
//!
//! In the git directory (local to one clone, never committed):
//!
//! ```text
//! tix.lock            the store's write lock (flock)
//! tix-checkout        the checkout journal: the work tree may be behind HEAD
//! tix-index-write     a tix process is writing git's index
//! tix/index/          the derived ticket index (summary, links, message ids, facts, customers, people, shards)
//! tix/search/         the full-text search index (the engine's files)
//! tix/search.lock     held while a search brings that index up to date
//! tix/fetch/<account>.json, tix/auto-reply.json   mail state
//! tix-signing/<pid>-<n>/   what ssh-keygen or gpg reads while signing or verifying
//! tix/clone-id        this clone's identity for duty (not derived: kept)
//! ```

use std::path::PathBuf;

use super::Store;
use crate::domain::TicketId;

/// The store's own folder; a store is a directory that has
/// [`CONFIG_PATH`].
pub const TIX_DIR: &str = ".tix";
pub const CONFIG_PATH: &str = ".tix/config.yaml";
/// Mail templates, `<name>.md`.
pub const TEMPLATES_DIR: &str = ".tix/templates";
/// Who is away: one record per change.
pub const AVAILABILITY_DIR: &str = ".tix/availability";
/// Agents added or changed by `tix agent add`: one record per change.
pub const AGENTS_DIR: &str = ".tix/agents";
/// Blacklist entries added or removed by `tix blacklist`: one record per
/// change.
pub const BLACKLIST_DIR: &str = ".tix/blacklist";
/// Group membership changed by `tix group`: one record per change.
pub const GROUPS_DIR: &str = ".tix/groups";
/// What `tix purge` took out of history: one manifest per purge.
pub const PURGES_DIR: &str = ".tix/purges";
/// Notes about customers: a folder per address, one record per note.
pub const CUSTOMER_NOTES_DIR: &str = ".tix/customers";
/// Which clone holds duty (imports mail, ticks, sends automatic mail).
pub const DUTY_PATH: &str = ".tix/duty.yaml";
pub const TICKETS_DIR: &str = "tickets";
/// Attachments, inside a ticket's folder.
pub const FILES_DIR: &str = "files";
/// Mail that could not be filed: the message and why.
pub const QUARANTINE_DIR: &str = "quarantine";

/// The store's write lock, in the git directory.
pub(crate) const STORE_LOCK_FILE: &str = "tix.lock";
/// The checkout journal, in the git directory.
pub(crate) const CHECKOUT_JOURNAL_FILE: &str = "tix-checkout";
/// Present while a tix process writes git's index, in the git directory.
pub(crate) const INDEX_WRITE_MARKER_FILE: &str = "tix-index-write";
/// Derived data, in the git directory.
const CACHE_DIR: &str = "tix";
/// Files handed to ssh-keygen or gpg, one folder per use, in the git
/// directory.
const SIGNING_SCRATCH_DIR: &str = "tix-signing";

/// The derived ticket index, in [`CACHE_DIR`].
pub(crate) const TICKET_INDEX_DIR: &str = "index";
/// The single-file ticket index of earlier versions, in [`CACHE_DIR`].
pub(crate) const LEGACY_TICKET_INDEX_FILE: &str = "index.bin";
/// In [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_SUMMARY_FILE: &str = "summary.bin";
/// In [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_LINKS_FILE: &str = "links.bin";
/// The Message-ID map and team tallies of mail import, in [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_MESSAGE_IDS_FILE: &str = "message-ids.bin";
/// In [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_FACTS_FILE: &str = "facts.bin";
/// The customer directory's lookup: each address's tickets, in
/// [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_CUSTOMERS_FILE: &str = "customers.bin";
/// The card rows of the shards that changed since `customers.bin` was
/// written, in [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_CUSTOMERS_RECENT_FILE: &str = "customers-recent.bin";
/// The customer directory: who took part in which ticket, in
/// [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_PEOPLE_FILE: &str = "people.bin";
/// One file per shard, in [`TICKET_INDEX_DIR`].
pub(crate) const INDEX_SHARDS_DIR: &str = "shards";
/// The full-text search index, in [`CACHE_DIR`].
const SEARCH_INDEX_DIR: &str = "search";
/// The search index's own lock, beside it in [`CACHE_DIR`] (outside the
/// folder, which a rebuild deletes).
const SEARCH_LOCK_FILE: &str = "search.lock";
/// What the auto-reply has sent to whom, in [`CACHE_DIR`].
const AUTO_REPLY_STATE_FILE: &str = "auto-reply.json";
/// One file per mail account, in [`CACHE_DIR`].
const FETCH_STATE_DIR: &str = "fetch";
/// This clone's random identity, in [`CACHE_DIR`].
const CLONE_ID_FILE: &str = "clone-id";

/// git's own files, which tix reads, waits for or repairs.
pub(crate) const GIT_INDEX_FILE: &str = "index";
pub(crate) const GIT_INDEX_LOCK_FILE: &str = "index.lock";
/// The shared part of a split index is `sharedindex.<hash>`.
pub(crate) const GIT_SHARED_INDEX_PREFIX: &str = "sharedindex.";
/// Present while git has more commits of a cherry-pick or revert to do.
pub(crate) const GIT_SEQUENCER_DIR: &str = "sequencer";
/// git locks a file by creating `<file>.lock` beside it.
pub(crate) const GIT_LOCK_SUFFIX: &str = ".lock";
/// git's loose objects sit in `objects/<first two hex digits>/`; git
/// estimates how many there are from this one folder (an id lands in it
/// with odds 1 in 256).
pub(crate) const GIT_LOOSE_OBJECT_SAMPLE_DIR: &str = "objects/17";
pub(crate) const GIT_PACK_DIR: &str = "objects/pack";
/// A pack git is told never to repack has `<pack>.keep` beside it.
pub(crate) const GIT_PACK_SUFFIX: &str = ".pack";
pub(crate) const GIT_PACK_KEEP_SUFFIX: &str = ".keep";
/// Held by a running `git gc`.
pub(crate) const GIT_GC_PID_FILE: &str = "gc.pid";
/// Patterns git ignores in this clone only.
pub const GIT_INFO_EXCLUDE_FILE: &str = "info/exclude";
/// git's object database: `<first 2 hex digits>/<other 38>` per loose
/// object, and `pack/`.
pub(crate) const GIT_OBJECTS_DIR: &str = "objects";
/// Where git logs each ref's moves: `logs/<refname>`.
pub(crate) const GIT_REFLOG_DIR: &str = "logs";

impl Store {
    /// The repository-relative path of a store-relative path.
    pub fn repo_path(&self, store_path: &str) -> String {
        format!("{}{store_path}", self.prefix)
    }

    /// The folder of notes about the customer with this folded address.
    pub fn customer_notes_dir(key: &str) -> String {
        format!(
            "{CUSTOMER_NOTES_DIR}/{}",
            crate::domain::customers::address_folder(key)
        )
    }

    pub fn ticket_dir(id: &TicketId) -> String {
        format!("{TICKETS_DIR}/{}/{id}", id.shard())
    }

    /// Where derived data (caches, never the source of truth) lives: inside
    /// the git directory, so it is never committed or pushed.
    pub fn cache_path(&self, name: &str) -> PathBuf {
        self.repo.path().join(CACHE_DIR).join(name)
    }

    /// What `tix import pop3|imap` remembers of a mail account.
    pub fn fetch_state_path(&self, account: &str) -> PathBuf {
        self.cache_path(FETCH_STATE_DIR)
            .join(format!("{account}.json"))
    }

    /// This clone's identity, never committed: what tells two clones of
    /// the same agent apart when one of them holds duty.
    pub fn clone_id_path(&self) -> PathBuf {
        self.cache_path(CLONE_ID_FILE)
    }

    /// What the auto-reply remembers of whom it answered.
    pub fn auto_reply_state_path(&self) -> PathBuf {
        self.cache_path(AUTO_REPLY_STATE_FILE)
    }

    /// Where `tix search` keeps its index.
    pub fn search_index_dir(&self) -> PathBuf {
        self.cache_path(SEARCH_INDEX_DIR)
    }

    /// Held while a search updates its index; never the store lock, so
    /// searching never waits for a write, nor a write for a search.
    pub fn search_lock_path(&self) -> PathBuf {
        self.cache_path(SEARCH_LOCK_FILE)
    }

    /// The file git keeps its index in.
    pub fn git_index_file(&self) -> PathBuf {
        self.repo.path().join(GIT_INDEX_FILE)
    }

    pub(in crate::store) fn objects_dir(&self) -> PathBuf {
        self.repo.commondir().join(GIT_OBJECTS_DIR)
    }

    /// Where git keeps `oid` when it is not in a pack.
    pub(in crate::store) fn loose_object_path(&self, oid: git2::Oid) -> PathBuf {
        let hex = oid.to_string();
        self.objects_dir().join(&hex[..2]).join(&hex[2..])
    }

    pub(in crate::store) fn git_index_lock_path(&self) -> PathBuf {
        self.repo.path().join(GIT_INDEX_LOCK_FILE)
    }

    pub(in crate::store) fn store_lock_path(&self) -> PathBuf {
        self.repo.path().join(STORE_LOCK_FILE)
    }

    pub(in crate::store) fn signing_scratch_dir(&self, name: &str) -> PathBuf {
        self.repo.path().join(SIGNING_SCRATCH_DIR).join(name)
    }

    pub(in crate::store) fn journal_path(&self) -> PathBuf {
        self.repo.path().join(CHECKOUT_JOURNAL_FILE)
    }

    pub(in crate::store) fn index_marker_path(&self) -> PathBuf {
        self.repo.path().join(INDEX_WRITE_MARKER_FILE)
    }

    /// Where a ref not in `packed-refs` is kept: HEAD in this work tree's
    /// git directory, the rest in the common one.
    pub(in crate::store) fn loose_ref_path(&self, refname: &str) -> PathBuf {
        let base = if refname == "HEAD" {
            self.repo.path()
        } else {
            self.repo.commondir()
        };
        base.join(refname)
    }

    /// The reflog of `refname`, beside it as git keeps them.
    pub(in crate::store) fn reflog_path(&self, refname: &str) -> PathBuf {
        let base = if refname == "HEAD" {
            self.repo.path()
        } else {
            self.repo.commondir()
        };
        base.join(GIT_REFLOG_DIR).join(refname)
    }

    /// The lock file git takes to move `refname` (`HEAD` or `refs/...`).
    pub(in crate::store) fn ref_lock_path(&self, refname: &str) -> PathBuf {
        let base = if refname == "HEAD" {
            self.repo.path()
        } else {
            self.repo.commondir()
        };
        base.join(format!("{refname}{GIT_LOCK_SUFFIX}"))
    }

    /// The top-level folders of the store that tix alone writes
    /// (repository-relative).
    pub(in crate::store) fn owned_dirs(&self) -> Vec<String> {
        [TIX_DIR, TICKETS_DIR, QUARANTINE_DIR]
            .iter()
            .map(|d| self.repo_path(d))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_of_tix_dir_are_inside_it() {
        for path in [
            CONFIG_PATH,
            TEMPLATES_DIR,
            AVAILABILITY_DIR,
            AGENTS_DIR,
            BLACKLIST_DIR,
            GROUPS_DIR,
            PURGES_DIR,
            CUSTOMER_NOTES_DIR,
        ] {
            assert!(
                path.strip_prefix(TIX_DIR)
                    .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1),
                "{path} is not inside {TIX_DIR}"
            );
        }
    }
}
