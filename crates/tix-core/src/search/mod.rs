//! Full-text search (`tix search`): a derived index under `.git/tix/`,
//! brought up to date lazily, when a search runs (never in the write
//! path), from git's tree ids: a search compares HEAD's tickets tree with
//! the one the index was committed from, and only when they differ walks
//! the shards, re-reading the tickets whose tree changed and deleting the
//! ones HEAD no longer has. So it is right whatever changed the store:
//! tix, a pull, a revert or reset, a hand edit committed with git.
//!
//! The index has a lock of its own (`search.lock`, beside it), never the
//! store's, so a search never holds up a write. A search that finds the
//! index current reads it without the lock; one that finds it behind
//! takes the lock (waiting while another search updates it), looks
//! again, and updates only if still needed, so two searches never both
//! rebuild. A missing index or one of another version is rebuilt
//! quietly; one that cannot be opened or read is rebuilt with a warning.
//!
//! Layers: `text` (words), `query` (the language) and `snippet` are
//! pure; `engine` is the one file that knows tantivy; `document` builds
//! what is indexed of a ticket.

pub mod document;
pub mod engine;
pub mod query;
pub mod similar;
pub mod snippet;
pub mod text;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::Path;

use git2::ObjectType;
use serde::{Deserialize, Serialize};

use crate::domain::fold;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::testing_hooks;
use crate::warnings::warn;
pub use document::Card;
use engine::{Engine, Order, Unusable};
pub use query::{Context, Query, Scope};
pub use snippet::Snippet;

/// Bumped whenever what is indexed, or how, changes: an index of another
/// version is rebuilt.
const VERSION: u32 = 1;

/// Results shown when no limit is given.
pub const DEFAULT_LIMIT: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Updated,
    Created,
}

pub struct SearchOptions<'a> {
    pub query: &'a str,
    pub sort: Sort,
    pub limit: usize,
    /// A customer-facing search: notes neither match nor show.
    pub public: bool,
    pub now: crate::domain::Timestamp,
}

/// One result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub card: Card,
    pub score: f32,
    pub snippet: Option<Snippet>,
}

/// What the index records of HEAD with each commit.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    version: u32,
    tickets_tree: Option<String>,
    shards: BTreeMap<String, String>,
}

pub fn search(store: &Store, options: &SearchOptions<'_>) -> Result<Vec<Hit>> {
    let fields: Vec<&str> = store
        .config()
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    let query = query::parse(
        options.query,
        &Context {
            now: options.now,
            fields: &fields,
            public: options.public,
        },
    )?;
    let order = match options.sort {
        Sort::Relevance => Order::Relevance,
        Sort::Updated => Order::Updated,
        Sort::Created => Order::Created,
    };
    let engine = current_index(store)?;
    let found = match guarded(|| engine.search(&query, order, options.limit)) {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => damaged_at_search(store, &e.to_string(), &query, order, options.limit)?,
        Err(panic) => damaged_at_search(store, &panic, &query, order, options.limit)?,
    };
    let words = query.highlight_words();
    Ok(found
        .into_iter()
        .filter_map(|hit| {
            let card: Card = serde_json::from_str(&hit.card).ok()?;
            let texts: Vec<&str> = hit.texts.iter().map(String::as_str).collect();
            Some(Hit {
                card,
                score: hit.score,
                snippet: snippet::best_line(&texts, &words),
            })
        })
        .collect())
}

/// An index that opened but could not be read: damaged all the same.
fn damaged_at_search(
    store: &Store,
    why: &str,
    query: &Query,
    order: Order,
    limit: usize,
) -> Result<Vec<engine::EngineHit>> {
    warn(&format!(
        "the search index in {} is damaged ({why}); building it again",
        store.search_index_dir().display()
    ));
    rebuild(store)?
        .search(query, order, limit)
        .map_err(|e| engine_error("cannot search the index", e))
}

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic now is one the search layer catches on this thread
/// (the engine panics on some damaged files rather than failing), so the
/// program's panic hook can keep it off the terminal. The library never
/// installs a hook itself.
pub fn panic_is_caught_by_search() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f` over files the engine reads, a panic there being a damaged
/// index (derived data, rebuilt) rather than a crash.
fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            GUARDED.with(|g| g.set(self.0));
        }
    }
    let reset = Reset(GUARDED.with(|g| g.replace(true)));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    drop(reset);
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the engine stopped on it".to_string())
    })
}

/// The index for a quick look that must never wait for a build: see
/// [`glance`].
enum Glance {
    Current(Engine),
    Behind(Engine, usize),
    Unavailable(String),
}

/// At most this many changed shards are brought up to date by a glance;
/// more, and it answers from the index as last committed.
const GLANCE_MAX_SHARDS: usize = 8;

/// The index as a quick look (`tix show`, a notification) may use it:
/// never built here, brought up to date only when few shards changed and
/// no other process is updating it, else used as last committed.
fn glance(store: &Store) -> Glance {
    let dir = store.search_index_dir();
    let engine = match guarded(|| Engine::open(&dir)) {
        Ok(Ok(engine)) => engine,
        Ok(Err(Unusable::Missing)) => {
            return Glance::Unavailable(similar::NOT_BUILT.into());
        }
        Ok(Err(Unusable::OtherSchema)) => {
            return Glance::Unavailable("made by another version of tix".into());
        }
        Ok(Err(Unusable::Damaged(why))) | Err(why) => {
            return Glance::Unavailable(format!("damaged ({why})"));
        }
    };
    let Some(state) = state_of(&engine) else {
        return Glance::Unavailable("made by another version of tix".into());
    };
    let Ok(head) = head_tickets_tree(store) else {
        return Glance::Behind(engine, 0);
    };
    if state.tickets_tree == head {
        return Glance::Current(engine);
    }
    let behind = match changed_shards(store, &state) {
        Ok(n) => n,
        Err(_) => return Glance::Behind(engine, 0),
    };
    if behind > GLANCE_MAX_SHARDS {
        return Glance::Behind(engine, behind);
    }
    let Ok(Some(_lock)) = try_lock(store) else {
        return Glance::Behind(engine, behind);
    };
    // Read again under the lock: another process may have updated it.
    let engine = match guarded(|| Engine::open(&dir)) {
        Ok(Ok(engine)) => engine,
        _ => return Glance::Unavailable("damaged".into()),
    };
    let Some(state) = state_of(&engine) else {
        return Glance::Unavailable("made by another version of tix".into());
    };
    if state.tickets_tree == head {
        return Glance::Current(engine);
    }
    match guarded(|| update(store, &engine, state)) {
        Ok(Ok(())) => Glance::Current(engine),
        _ => match guarded(|| Engine::open(&dir)) {
            Ok(Ok(engine)) => Glance::Behind(engine, behind),
            _ => Glance::Unavailable("damaged".into()),
        },
    }
}

/// How many shards of HEAD differ from those the index was built from
/// (reads HEAD's `tickets/` tree only).
fn changed_shards(store: &Store, state: &State) -> Result<usize> {
    let head = store.head_tree()?;
    let tickets = match &head {
        Some(h) => store.tickets_tree(h)?,
        None => None,
    };
    let mut seen = 0;
    let mut changed = 0;
    for shard in tickets.iter().flat_map(|t| t.iter()) {
        let (Ok(name), Some(ObjectType::Tree)) = (shard.name(), shard.kind()) else {
            continue;
        };
        seen += usize::from(state.shards.contains_key(name));
        if state.shards.get(name) != Some(&shard.id().to_string()) {
            changed += 1;
        }
    }
    Ok(changed + (state.shards.len() - seen))
}

/// What `tix check` finds of the search index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// Never built here (or deleted): the first search builds it.
    Missing,
    /// Made by another version of tix: the next search rebuilds it.
    OtherVersion,
    /// It cannot be opened or read; `problem` says why.
    Damaged { problem: String },
    /// Readable, holding `documents` tickets. `behind` counts the shards
    /// of HEAD changed since it was committed (0: up to date with HEAD),
    /// which the next search brings up to date.
    Present { documents: u64, behind: usize },
}

/// The search index as it is, read and never written: not built when
/// missing, not brought up to date when behind, not rebuilt when
/// damaged. Every file of its committed segments is read to check its
/// checksum.
pub fn status(store: &Store) -> Result<Status> {
    let dir = store.search_index_dir();
    let engine = match guarded(|| Engine::open(&dir)) {
        Ok(Ok(engine)) => engine,
        Ok(Err(Unusable::Missing)) => return Ok(Status::Missing),
        Ok(Err(Unusable::OtherSchema)) => return Ok(Status::OtherVersion),
        Ok(Err(Unusable::Damaged(problem))) | Err(problem) => {
            return Ok(Status::Damaged { problem });
        }
    };
    let problem = match guarded(|| engine.damaged_files()) {
        Ok(Ok(damaged)) if damaged.is_empty() => None,
        Ok(Ok(damaged)) => Some(format!("checksum mismatch in {}", damaged.join(", "))),
        Ok(Err(e)) => Some(e.to_string()),
        Err(panic) => Some(panic),
    };
    if let Some(problem) = problem {
        return Ok(Status::Damaged { problem });
    }
    let Some(state) = state_of(&engine) else {
        return Ok(Status::OtherVersion);
    };
    let behind = if state.tickets_tree == head_tickets_tree(store)? {
        0
    } else {
        // At least one: a HEAD whose tickets tree differs differs somewhere.
        changed_shards(store, &state)?.max(1)
    };
    Ok(Status::Present {
        documents: engine.documents(),
        behind,
    })
}

/// Deletes the search index and builds it again (`tix reindex`).
pub fn reindex(store: &Store) -> Result<()> {
    rebuild(store).map(drop)
}

fn engine_error(what: &str, e: tantivy::TantivyError) -> Error {
    Error::internal(format!("{what}: {e}")).with_source(e)
}

fn head_tickets_tree(store: &Store) -> Result<Option<String>> {
    Ok(store.tickets_tree_id()?.map(|t| t.to_string()))
}

/// The index, current with HEAD.
fn current_index(store: &Store) -> Result<Engine> {
    let dir = store.search_index_dir();
    let head = head_tickets_tree(store)?;
    if let Ok(Ok(engine)) = guarded(|| Engine::open(&dir))
        && state_of(&engine).is_some_and(|s| s.tickets_tree == head)
    {
        return Ok(engine);
    }
    let _lock = lock(store)?;
    // Another search may have brought it up to date while we waited.
    let opened =
        guarded(|| Engine::open(&dir)).unwrap_or_else(|panic| Err(Unusable::Damaged(panic)));
    let (engine, state) = match opened {
        Ok(engine) => match state_of(&engine) {
            Some(state) => (engine, state),
            None => return build_locked(store, &dir),
        },
        Err(Unusable::Missing | Unusable::OtherSchema) => return build_locked(store, &dir),
        Err(Unusable::Damaged(why)) => {
            warn(&format!(
                "the search index in {} is damaged ({why}); building it again",
                dir.display()
            ));
            return build_locked(store, &dir);
        }
    };
    if state.tickets_tree == head {
        return Ok(engine);
    }
    // An update the engine refuses (files a killed update left behind
    // that it will not overwrite, say) is a damaged index too: derived
    // data, so it is built again rather than failing every search.
    let why = match guarded(|| update(store, &engine, state)) {
        Ok(Ok(())) => return Ok(engine),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => panic,
    };
    drop(engine);
    warn(&format!(
        "the search index in {} is damaged ({why}); building it again",
        dir.display()
    ));
    build_locked(store, &dir)
}

/// The recorded state, when it is of this version.
fn state_of(engine: &Engine) -> Option<State> {
    let payload = engine.state().ok()??;
    serde_json::from_str::<State>(&payload)
        .ok()
        .filter(|s| s.version == VERSION)
}

fn lock(store: &Store) -> Result<File> {
    let (path, file) = lock_file(store)?;
    // Held while the index is updated; a second search waits here and
    // then finds the work done.
    file.lock().map_err(|e| {
        Error::internal(format!("cannot lock {}: {e}", path.display())).with_source(e)
    })?;
    Ok(file)
}

/// The search lock's file, opened (made, with its folder, if missing).
fn lock_file(store: &Store) -> Result<(std::path::PathBuf, File)> {
    let path = store.search_lock_path();
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| {
            Error::internal(format!("cannot open {}: {e}", path.display())).with_source(e)
        })?;
    Ok((path, file))
}

/// The lock if no one holds it, without waiting.
fn try_lock(store: &Store) -> Result<Option<File>> {
    let (_, file) = lock_file(store)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(_) => Ok(None),
    }
}

fn rebuild(store: &Store) -> Result<Engine> {
    let _lock = lock(store)?;
    build_locked(store, &store.search_index_dir())
}

/// A new index from nothing; the caller holds the lock.
fn build_locked(store: &Store, dir: &Path) -> Result<Engine> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Error::internal(format!(
                "cannot remove the search index {}: {e}",
                dir.display()
            ))
            .with_source(e));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::internal(format!("cannot create {}: {e}", dir.display())).with_source(e)
    })?;
    let engine =
        Engine::create(dir).map_err(|e| engine_error("cannot create the search index", e))?;
    update(
        store,
        &engine,
        State {
            version: VERSION,
            ..State::default()
        },
    )?;
    Ok(engine)
}

/// Brings the index from `state` to HEAD: only shards whose tree
/// changed are looked into, and in them only tickets whose tree changed
/// are read.
fn update(store: &Store, engine: &Engine, mut state: State) -> Result<()> {
    let failed = |e| engine_error("cannot update the search index", e);
    let head = store.head_tree()?;
    let tickets = match &head {
        Some(h) => store.tickets_tree(h)?,
        None => None,
    };
    let mut writer = engine.writer().map_err(failed)?;
    let mut present = BTreeMap::new();
    for shard in tickets.iter().flat_map(|t| t.iter()) {
        let (Ok(name), Some(ObjectType::Tree)) = (shard.name(), shard.kind()) else {
            continue;
        };
        let tree = shard.id().to_string();
        present.insert(name.to_string(), tree.clone());
        if state.shards.get(name) == Some(&tree) {
            continue;
        }
        let mut known: BTreeMap<String, String> = engine
            .tickets_in_shard(name)
            .map_err(failed)?
            .into_iter()
            .collect();
        let held: BTreeSet<String> = known.keys().cloned().collect();
        for (id, ticket_tree, files) in store.changed_tickets_in_shard(shard.id(), &mut known)? {
            let (ticket, trail) = fold(id, files.entries);
            let doc = document::build(&ticket, &trail, &ticket_tree);
            if held.contains(id.as_str()) {
                writer.replace(&doc)
            } else {
                writer.add(&doc)
            }
            .map_err(failed)?;
        }
        // Left in `known`: tickets the shard no longer has.
        for id in known.keys() {
            writer.delete(id);
        }
    }
    for name in state.shards.keys() {
        if !present.contains_key(name) {
            writer.delete_shard(name);
        }
    }
    state.shards = present;
    state.tickets_tree = tickets.map(|t| t.id().to_string());
    state.version = VERSION;
    let payload = serde_json::to_string(&state)
        .map_err(|e| Error::internal(format!("cannot encode the search state: {e}")))?;
    testing_hooks::failpoint("search-before-commit");
    writer.commit(&payload).map_err(failed)?;
    engine.reload().map_err(failed)?;
    Ok(())
}
