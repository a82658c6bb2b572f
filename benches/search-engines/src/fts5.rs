//! SQLite FTS5 (the library bundled by rusqlite): one row per ticket in
//! an FTS5 table (subject, public text, notes; the content stored, for
//! snippets), the filters in an ordinary table joined on the rowid, tags
//! in a table of their own.

use std::path::Path;

use rusqlite::{Connection, params, params_from_iter};

use crate::doc::{TicketDoc, is_cjk};
use crate::query::Query;
use crate::{Engine, Result};

/// SQLite's page cache for a build (negative: KiB).
const BUILD_CACHE: &str = "-65536";

pub struct Fts5 {
    db: Connection,
}

const SCHEMA: &str = "
CREATE VIRTUAL TABLE text USING fts5(subject, public, notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE vocab USING fts5vocab(text, row);
CREATE TABLE ticket(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, status TEXT, priority TEXT,
    assignee TEXT, customer TEXT, domain TEXT, created INTEGER, updated INTEGER);
CREATE INDEX ticket_status ON ticket(status);
CREATE INDEX ticket_created ON ticket(created);
CREATE INDEX ticket_customer ON ticket(customer);
CREATE INDEX ticket_domain ON ticket(domain);
CREATE TABLE tag(ticket INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tag_tag ON tag(tag, ticket);
CREATE INDEX tag_ticket ON tag(ticket);
";

fn db_path(dir: &Path) -> std::path::PathBuf {
    dir.join("search.sqlite")
}

fn open(dir: &Path) -> Result<Connection> {
    let db = Connection::open(db_path(dir))?;
    // WAL: readers never wait for the writer; NORMAL: a commit survives
    // a killed process (not necessarily a power cut, which can lose
    // the last commits but never corrupts). Derived data: either is fine.
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(db)
}

fn insert(db: &Connection, rowid: i64, d: &TicketDoc) -> Result<()> {
    db.prepare_cached("INSERT INTO text(rowid, subject, public, notes) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![rowid, d.subject, d.public, d.notes])?;
    db.prepare_cached(
        "INSERT INTO ticket(rowid, id, status, priority, assignee, customer, domain, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        rowid, d.id, d.status, d.priority, d.assignee, d.customer, d.domain, d.created, d.updated
    ])?;
    let mut tag = db.prepare_cached("INSERT INTO tag(ticket, tag) VALUES (?1, ?2)")?;
    for t in &d.tags {
        tag.execute(params![rowid, t])?;
    }
    Ok(())
}

/// A string as one FTS5 string token: quoted, its quotes doubled.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Lowercase and without the accents of Latin letters, as unicode61
/// with `remove_diacritics 2` folds them, for looking terms up in the
/// vocabulary.
fn fold(word: &str) -> String {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēęěğìíîïīłñńňòóôõöøōőřśšşťùúûüūůűýÿžźżß";
    const TO: &str = "aaaaaaaaacccdeeeeeeegiiiiilnnnoooooooorsssstuuuuuuuyyzzzs";
    word.to_lowercase()
        .chars()
        .map(|c| {
            FROM.chars()
                .position(|f| f == c)
                .and_then(|i| TO.chars().nth(i))
                .unwrap_or(c)
        })
        .collect()
}

impl Fts5 {
    /// The WHERE clause and its parameters for `q`. The queries join
    /// with CROSS JOIN, which makes SQLite walk the full-text matches
    /// and look each ticket up, never the other way round: left to its
    /// planner, a status and a tag filter made it scan the tickets by
    /// status and probe the full-text index for each. The tag filter is
    /// an EXISTS on the ticket for the same reason: as `rowid IN (…)`
    /// FTS5 ran the whole MATCH once per tagged ticket (5 s at 100,000).
    fn compile(q: &Query) -> (String, Vec<rusqlite::types::Value>) {
        let mut terms: Vec<String> = q
            .words
            .iter()
            .chain(&q.phrases)
            .map(|w| quoted(w))
            .collect();
        let mut m = terms.join(" ");
        for x in &q.excluded {
            m = format!("({m}) NOT {}", quoted(x));
        }
        terms.clear();
        let mut sql = String::from("text MATCH ?");
        let mut params: Vec<rusqlite::types::Value> = vec![m.into()];
        if let Some(s) = &q.status {
            sql.push_str(" AND t.status = ?");
            params.push(s.clone().into());
        }
        if let Some(tag) = &q.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM tag WHERE tag.ticket = t.rowid AND tag.tag = ?)",
            );
            params.push(tag.clone().into());
        }
        if let Some(a) = q.after {
            sql.push_str(" AND t.created >= ?");
            params.push(a.into());
        }
        if let Some(b) = q.before {
            sql.push_str(" AND t.created < ?");
            params.push(b.into());
        }
        (sql, params)
    }
}

impl Engine for Fts5 {
    fn build(dir: &Path, docs: &mut dyn Iterator<Item = TicketDoc>) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        let _ = std::fs::remove_file(db_path(dir));
        let mut db = open(dir)?;
        db.pragma_update(None, "cache_size", BUILD_CACHE)?;
        db.execute_batch(SCHEMA)?;
        let tx = db.transaction()?;
        for (i, d) in docs.enumerate() {
            insert(&tx, i as i64 + 1, &d)?;
        }
        tx.commit()?;
        db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    fn open(dir: &Path) -> Result<Self> {
        if !db_path(dir).is_file() {
            return Err(format!("no index at {}", db_path(dir).display()).into());
        }
        Ok(Fts5 { db: open(dir)? })
    }

    fn search(&self, q: &Query, limit: usize) -> Result<Vec<(String, f32, String)>> {
        let (filter, mut params) = Self::compile(q);
        let sql = format!(
            "SELECT t.id, bm25(text, 2.0, 1.0, 1.0) AS score, snippet(text, 1, '<b>', '</b>', '…', 24), t.updated
             FROM text CROSS JOIN ticket t ON t.rowid = text.rowid
             WHERE {filter} ORDER BY score, t.updated DESC LIMIT ?"
        );
        params.push((limit as i64).into());
        let mut stmt = self.db.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |r| {
            // bm25() is lower for better matches; negated, it reads as
            // tantivy's score does.
            Ok((
                r.get::<_, String>(0)?,
                -r.get::<_, f64>(1)? as f32,
                r.get::<_, String>(2)?,
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn count(&self, q: &Query) -> Result<usize> {
        let (filter, params) = Self::compile(q);
        let sql = format!(
            "SELECT count(*) FROM text CROSS JOIN ticket t ON t.rowid = text.rowid WHERE {filter}"
        );
        let n: i64 = self
            .db
            .query_row(&sql, params_from_iter(params), |r| r.get(0))?;
        Ok(n as usize)
    }

    fn update(&mut self, docs: Vec<TicketDoc>) -> Result<()> {
        let tx = self.db.transaction()?;
        for d in &docs {
            let old: Option<i64> = tx
                .query_row("SELECT rowid FROM ticket WHERE id = ?1", [&d.id], |r| {
                    r.get(0)
                })
                .ok();
            let rowid = match old {
                Some(rowid) => {
                    tx.execute("DELETE FROM text WHERE rowid = ?1", [rowid])?;
                    tx.execute("DELETE FROM ticket WHERE rowid = ?1", [rowid])?;
                    tx.execute("DELETE FROM tag WHERE ticket = ?1", [rowid])?;
                    rowid
                }
                None => {
                    tx.query_row("SELECT coalesce(max(rowid), 0) + 1 FROM ticket", [], |r| {
                        r.get(0)
                    })?
                }
            };
            insert(&tx, rowid, d)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn similar(
        &self,
        id: &str,
        subject: &str,
        first: &str,
        limit: usize,
    ) -> Result<Vec<(String, f32)>> {
        // The obvious equivalent of "more like this": the source's terms
        // weighted by tf-idf, the top 25 ORed, ranked by bm25.
        let mut tf: std::collections::HashMap<String, usize> = Default::default();
        for word in format!("{subject} {first}").split(|c: char| !c.is_alphanumeric()) {
            let long_enough = word.chars().count() >= 2 || word.chars().any(is_cjk);
            if long_enough && word.chars().count() <= 40 {
                *tf.entry(fold(word)).or_default() += 1;
            }
        }
        let n: f64 = self
            .db
            .query_row("SELECT count(*) FROM ticket", [], |r| r.get::<_, i64>(0))?
            as f64;
        let mut df = self
            .db
            .prepare_cached("SELECT doc FROM vocab WHERE term = ?1")?;
        let mut weighted: Vec<(f64, String)> = Vec::new();
        for (term, count) in tf {
            let docs: i64 = df.query_row([&term], |r| r.get(0)).unwrap_or(0);
            if docs >= 2 {
                weighted.push((count as f64 * (n / docs as f64).ln(), term));
            }
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighted.truncate(25);
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let m = format!(
            "{{subject public}} : ({})",
            weighted
                .iter()
                .map(|(_, t)| quoted(t))
                .collect::<Vec<_>>()
                .join(" OR ")
        );
        let mut stmt = self.db.prepare_cached(
            "SELECT t.id, bm25(text, 2.0, 1.0, 1.0) AS score FROM text CROSS JOIN ticket t ON t.rowid = text.rowid
             WHERE text MATCH ?1 AND t.status = 'closed' AND t.id != ?2 ORDER BY score LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![m, id, limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, -r.get::<_, f64>(1)? as f32))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
