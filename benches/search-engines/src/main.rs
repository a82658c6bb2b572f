//! tantivy against SQLite FTS5 as the engine of tix's search index, on
//! the same documents: one per ticket, made from its fold.
//!
//! ```text
//! search-engines ENGINE build STORE INDEX          cold build from the store
//! search-engines ENGINE query INDEX 'QUERY'        top 20 with a snippet
//! search-engines ENGINE count INDEX 'QUERY'        how many tickets match
//! search-engines ENGINE update STORE INDEX IDS     re-index the tickets listed in file IDS
//! search-engines ENGINE similar STORE INDEX ID     closed tickets like ID, top 3
//! search-engines ENGINE precision STORE INDEX PAIRS   share of pairs found in the top 3
//! ```
//!
//! ENGINE is `tantivy` or `fts5`. QUERY: words, `"phrases"`, `-word`,
//! `status:S`, `tag:T`, `after:YYYY-MM-DD`, `before:YYYY-MM-DD`.
//! What a run spends outside the engine (reading the store) goes to
//! standard error.

mod doc;
#[cfg(feature = "fts5")]
mod fts5;
mod query;
#[cfg(feature = "tantivy")]
mod tantivy_engine;

use std::path::Path;
use std::time::Instant;

use doc::TicketDoc;
use tix_core::domain::TicketId;
use tix_core::store::Store;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// What both engines do, so the driver below is the same for both.
pub trait Engine {
    /// Starts a new index at `dir`, fed `docs` one by one.
    fn build(dir: &Path, docs: &mut dyn Iterator<Item = TicketDoc>) -> Result<()>
    where
        Self: Sized;
    fn open(dir: &Path) -> Result<Self>
    where
        Self: Sized;
    /// Top `limit`: id, score, snippet.
    fn search(&self, q: &query::Query, limit: usize) -> Result<Vec<(String, f32, String)>>;
    fn count(&self, q: &query::Query) -> Result<usize>;
    /// Replaces the documents of these tickets, durably.
    fn update(&mut self, docs: Vec<TicketDoc>) -> Result<()>;
    /// Closed tickets like `subject` + `first`, leaving `id` out.
    fn similar(
        &self,
        id: &str,
        subject: &str,
        first: &str,
        limit: usize,
    ) -> Result<Vec<(String, f32)>>;
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let engine = args.first().map(String::as_str).unwrap_or("");
    match engine {
        #[cfg(feature = "tantivy")]
        "tantivy" => drive::<tantivy_engine::Tantivy>(&args[1..]),
        #[cfg(feature = "fts5")]
        "fts5" => drive::<fts5::Fts5>(&args[1..]),
        _ => Err(format!("unknown or not built engine `{engine}` (tantivy, fts5)").into()),
    }
}

fn drive<E: Engine>(args: &[String]) -> Result<()> {
    let arg = |i: usize| -> Result<&str> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| "missing argument; see the module documentation".into())
    };
    match arg(0)? {
        "build" => {
            let store = Store::discover(Path::new(arg(1)?))?;
            let ids = store.ticket_ids()?;
            let started = Instant::now();
            let mut reading = std::time::Duration::ZERO;
            let mut failed = None;
            let mut docs = ids.iter().map_while(|id| {
                let t = Instant::now();
                let doc = TicketDoc::read(&store, id);
                reading += t.elapsed();
                match doc {
                    Ok(d) => Some(d),
                    Err(e) => {
                        failed = Some(e);
                        None
                    }
                }
            });
            E::build(Path::new(arg(2)?), &mut docs)?;
            if let Some(e) = failed {
                return Err(e);
            }
            eprintln!(
                "{} tickets in {:.1} s, of which reading the store {:.1} s",
                ids.len(),
                started.elapsed().as_secs_f64(),
                reading.as_secs_f64()
            );
        }
        "query" => {
            let q = query::Query::parse(arg(2)?)?;
            let engine = E::open(Path::new(arg(1)?))?;
            for (id, score, snippet) in engine.search(&q, 20)? {
                println!("{id}\t{score:.2}\t{}", snippet.replace('\n', " "));
            }
        }
        "count" => {
            let q = query::Query::parse(arg(2)?)?;
            println!("{}", E::open(Path::new(arg(1)?))?.count(&q)?);
        }
        "update" => {
            let store = Store::discover(Path::new(arg(1)?))?;
            let mut engine = E::open(Path::new(arg(2)?))?;
            let listed = std::fs::read_to_string(arg(3)?)?;
            let t = Instant::now();
            let docs = listed
                .split_whitespace()
                .map(|s| TicketDoc::read(&store, &s.parse::<TicketId>()?))
                .collect::<Result<Vec<_>>>()?;
            let read = t.elapsed();
            engine.update(docs)?;
            eprintln!(
                "read {:.1} ms, index {:.1} ms",
                read.as_secs_f64() * 1e3,
                (t.elapsed() - read).as_secs_f64() * 1e3
            );
        }
        "similar" => {
            let store = Store::discover(Path::new(arg(1)?))?;
            let engine = E::open(Path::new(arg(2)?))?;
            let doc = TicketDoc::read(&store, &arg(3)?.parse::<TicketId>()?)?;
            for (id, score) in engine.similar(&doc.id, &doc.subject, &doc.first, 3)? {
                println!("{id}\t{score:.2}");
            }
        }
        "precision" => {
            let store = Store::discover(Path::new(arg(1)?))?;
            let engine = E::open(Path::new(arg(2)?))?;
            let pairs = std::fs::read_to_string(arg(3)?)?;
            let (mut asked, mut found, mut first) = (0, 0, 0);
            let t = Instant::now();
            for line in pairs.lines().skip(1) {
                let Some((newer, older)) = line.split_once('\t') else {
                    continue;
                };
                let doc = TicketDoc::read(&store, &newer.parse::<TicketId>()?)?;
                let top = engine.similar(&doc.id, &doc.subject, &doc.first, 3)?;
                asked += 1;
                if let Some(rank) = top.iter().position(|(id, _)| id == older) {
                    found += 1;
                    if rank == 0 {
                        first += 1;
                    }
                }
            }
            println!(
                "{asked} pairs: duplicate in the top 3 for {found} ({:.1} %), first for {first}; precision@3 {:.3}; {:.1} ms per query",
                100.0 * found as f64 / asked.max(1) as f64,
                found as f64 / (3.0 * asked.max(1) as f64),
                t.elapsed().as_secs_f64() * 1e3 / asked.max(1) as f64
            );
        }
        other => return Err(format!("unknown command {other}").into()),
    }
    Ok(())
}
