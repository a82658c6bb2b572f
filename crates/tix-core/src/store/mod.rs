//! The store: a git repository (or a folder in one) holding `.tix/` and
//! `tickets/`. Committed history is the source of truth; the work tree is a
//! checkout kept in step so that `ls`, `grep` and editors see the trail.
//!
//! Where everything is kept: [`layout`]. `impl Store` is spread over the
//! files by responsibility: `open` (discovery, init, config), `read`
//! (HEAD's trees), `commit` (a commit and its check-out), `journal`
//! (catching up after a writer that was killed), `lock` (the store lock),
//! `index` (the derived ticket index), `history`, and `git` for what lies
//! below (git's index and split index, packs, trees, git's lock files and
//! operation state, running git itself), and `sync` (exchanging work
//! with the team's remote).

mod commit;
mod customer_notes;
pub(crate) mod durable;
mod duty;
mod git;
mod history;
mod index;
mod journal;
pub mod layout;
mod lock;
mod maintenance;
mod names;
mod open;
mod purge;
mod read;
mod search_source;
mod signing;
mod sync;
mod trail;

use std::path::PathBuf;

use git2::{Oid, Repository};

use crate::domain::{Config, StoredEntry};

pub use duty::{DutyRecord, DutyState, DutyStatus};
pub use git::index::IndexDifference;
pub use history::{CommitInfo, HistoryProblem};
pub use index::{
    CardRow, CustomerDirectory, IndexedTicket, ListRow, ListRows, MailIndex, PersonInTicket,
    Refresh, ReportRows, Selected, TaskRow, TicketIndex, Within,
};
pub use layout::{CONFIG_PATH, FILES_DIR, QUARANTINE_DIR, TICKETS_DIR};
pub use lock::StoreLock;
pub use names::{TagSource, random_id, random_tag};
pub use open::uncommitted_warning;
pub use purge::Rewritten;
pub(crate) use read::tickets_in_shard;
pub use signing::SignatureProblem;
pub use sync::{ChangedTicket, NotApplied, Overrun, SyncOptions, SyncReport};
pub use trail::{Folded, MAX_REFERENCE_DEPTH, MAX_REFERENCED_TICKETS};

/// A file inside a ticket that could not be read as an entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Path relative to the repository root, for the user to open.
    pub path: String,
    pub message: String,
}

/// What the store holds for one ticket.
#[derive(Clone, Debug, Default)]
pub struct TicketFiles {
    pub entries: Vec<StoredEntry>,
    pub problems: Vec<Problem>,
}

/// A commit made by [`Store::commit`].
#[derive(Debug)]
pub struct Committed {
    pub oid: Oid,
    /// Set when the commit was made but the work tree or git's index could
    /// not be brought in step; says how to repair it.
    pub warning: Option<String>,
}

/// Who a commit is by.
#[derive(Clone, Debug)]
pub struct Author {
    pub name: String,
    pub email: String,
    /// The person who really made the commit, when they acted for the
    /// author: the commit's committer, and its message says so.
    pub acted_by: Option<ActedBy>,
}

impl Author {
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Author {
        Author {
            name: name.into(),
            email: email.into(),
            acted_by: None,
        }
    }

    /// The commit's committer: the person who acted, else the author.
    pub fn committer(&self) -> (&str, &str) {
        match &self.acted_by {
            Some(by) => (&by.name, &by.email),
            None => (&self.name, &self.email),
        }
    }

    /// `message` with the line that records who acted for the author.
    pub fn message(&self, message: &str) -> String {
        match &self.acted_by {
            Some(by) => format!("{}\n\n{}", message.trim_end(), by.note),
            None => message.to_string(),
        }
    }
}

/// Someone acting for a commit's author (`tix --as`).
#[derive(Clone, Debug)]
pub struct ActedBy {
    pub name: String,
    pub email: String,
    /// The message line, e.g. `On behalf of bob by alice <alice@example.com>.`
    pub note: String,
}

/// Folders found under one root tree: repository path to tree (None:
/// not a folder there).
type SubtreesSeen = std::collections::HashMap<String, Option<Oid>>;

pub struct Store {
    repo: Repository,
    /// The store root on disk, if the repository has a work tree.
    root: PathBuf,
    /// The store root relative to the repository root: "" or "dir/".
    prefix: String,
    config: Config,
    /// Team records left out of `config`, as `path: problem`.
    record_problems: Vec<String>,
    /// Whether a write has already warned of uncommitted hand-written files.
    warned_uncommitted: std::sync::atomic::AtomicBool,
    /// A line every commit of this run carries after its message (why a
    /// rule was overridden), so the trail says so.
    commit_note: std::cell::RefCell<Option<String>>,
    /// The ticket [`Store::read_ticket`] read last, by folder and tree:
    /// a command that reads a ticket and then brings the derived index up
    /// to date with it (`show` after a write) reads its entries once.
    last_ticket_read: std::cell::RefCell<Option<(String, Oid, TicketFiles)>>,
    /// The folders found under one root tree, by repository path: the id
    /// lookup and the ticket read of one command each go down `tickets/`,
    /// whose tree (up to a thousand shards) is too big for libgit2's
    /// object cache and would be read and inflated again.
    subtrees_seen: std::cell::RefCell<Option<(Oid, SubtreesSeen)>>,
}

/// A store of its own for a unit test.
#[cfg(test)]
pub(crate) mod scratch {
    use super::{Author, Store, random_tag};
    use crate::domain::{Agent, Config, Entry, Role, TicketId};

    /// What the scratch store's commits are by: alice, its admin.
    pub(crate) fn author() -> Author {
        Author::new("Alice", "alice@example.com")
    }

    /// A new store in a temporary directory (kept while the guard lives).
    pub(crate) fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let agent = Agent {
            handle: "alice".into(),
            name: Some("Alice".into()),
            email: "alice@example.com".into(),
            roles: vec![Role::Admin],
            signing_key: None,
            inactive: false,
        };
        let store = Store::init(dir.path(), Config::new(None, agent), &author()).unwrap();
        (dir, store)
    }

    /// Commits `entries` as another clone's work arrives with a pull:
    /// straight into the store, by bob, touching nothing of the index.
    pub(crate) fn commit_as_pulled(store: &Store, entries: Vec<(TicketId, Entry)>) {
        let files = entries
            .into_iter()
            .map(|(ticket, entry)| {
                let name = entry.file_name(&random_tag(6).unwrap());
                (
                    format!("{}/{name}", Store::ticket_dir(&ticket)),
                    entry.encode().into_bytes(),
                )
            })
            .collect();
        let lock = store.lock().unwrap();
        store
            .commit(
                &lock,
                files,
                "pulled",
                &Author::new("Bob", "bob@example.com"),
            )
            .unwrap();
    }
}
