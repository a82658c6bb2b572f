//! What reports read: every ticket's list row (to filter on) and its
//! report facts, without decoding any ticket's full state.
//!
//! `facts.bin` keeps, per shard and stamped with the shard's tree, each
//! ticket's encoded facts in the order of the summary's rows. A report
//! reads the summary and this file, and decodes the facts only of the
//! tickets its filter keeps; a shard whose tree changed since is read
//! again through its shard file, so after a commit only that shard costs
//! more than a copy.

use std::borrow::Cow;
use std::collections::HashMap;

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::files::{
    HEADER_LEN, INDEX_VERSION, RawBytes, TreeId, decode_summary, frame, unframe, write_atomically,
};
use super::rows::ListRow;
use super::{Refresh, damaged};
use crate::domain::{Status, TicketFacts, TicketId, Timestamp};
use crate::error::{Remedy, Result};
use crate::store::Store;
use crate::store::layout::{INDEX_FACTS_FILE, INDEX_SUMMARY_FILE, TICKET_INDEX_DIR};

#[derive(Deserialize)]
struct FactsFile<'a> {
    version: u32,
    #[serde(borrow)]
    shards: Vec<ShardFacts<'a>>,
}

#[derive(Deserialize)]
struct ShardFacts<'a> {
    name: &'a str,
    tree: TreeId,
    /// Postcard-encoded `(TicketId, span, facts bytes)` records, one per
    /// ticket, in the shard's ticket order; the span is the earliest and
    /// latest time in the facts (microseconds), so a report over a period
    /// skips the tickets it could learn nothing from without decoding them.
    facts: &'a [u8],
}

#[derive(Serialize)]
struct FactsFileOut<'a> {
    version: u32,
    shards: Vec<ShardFactsOut<'a>>,
}

#[derive(Serialize)]
struct ShardFactsOut<'a> {
    name: &'a str,
    tree: TreeId,
    facts: RawBytes<'a>,
}

/// A report's period, for leaving out undecoded the tickets it can learn
/// nothing from. Every report counts only what happens from `since` to
/// `until` and what is open then, so a closed ticket whose facts all lie
/// before or all after the period adds nothing; a ticket still open whose
/// facts all lie after `until` adds nothing unless the report also counts
/// what is open now (`counts_open_now`: the agents' and breakdown's
/// "open now" columns).
#[derive(Clone, Copy, Debug)]
pub struct Within {
    pub since: Timestamp,
    pub until: Timestamp,
    pub counts_open_now: bool,
}

/// One ticket's record in a shard's facts: id, span, encoded facts.
type FactsRecord<'a> = (TicketId, Option<(i64, i64)>, &'a [u8]);

fn micros(t: Timestamp) -> i64 {
    t.datetime().timestamp_micros()
}

fn decode_facts(bytes: &[u8]) -> Option<FactsFile<'_>> {
    postcard::from_bytes::<FactsFile<'_>>(bytes)
        .ok()
        .filter(|f| f.version == INDEX_VERSION)
}

/// Every ticket's list row and report facts, current with HEAD.
pub struct ReportRows {
    /// The summary file's payload, its checksum already verified.
    summary: Vec<u8>,
    /// The facts file's payload, matching the summary shard for shard.
    facts: Vec<u8>,
}

/// The tickets a report covers.
pub struct Selected {
    pub facts: Vec<TicketFacts>,
    /// Entry files that could not be read, over every ticket.
    pub problems: usize,
}

impl ReportRows {
    /// The facts of the tickets whose row `keep` accepts, in shard and id
    /// order; only those facts are decoded. With `within`, the tickets a
    /// report over that period can learn nothing from are left out
    /// undecoded (see [`Within`]).
    pub fn select(
        &self,
        within: Option<Within>,
        mut keep: impl FnMut(&ListRow<'_>) -> bool,
    ) -> Result<Selected> {
        let summary = decode_summary(&self.summary).ok_or_else(damaged)?;
        let facts = decode_facts(&self.facts).ok_or_else(damaged)?;
        if summary.shards.len() != facts.shards.len() {
            return Err(damaged());
        }
        let bounds = within.map(|w| (micros(w.since), micros(w.until), w.counts_open_now));
        let outside = |row: &ListRow<'_>, span: Option<(i64, i64)>| match (bounds, span) {
            (Some((since, until, counts_open_now)), Some((first, last))) => {
                // Open tasks are open work, whatever the ticket's status.
                let closed = row.status == Status::Closed && row.tasks.is_empty();
                (closed && (last < since || first > until)) || (!counts_open_now && first > until)
            }
            _ => false,
        };
        let mut out = Selected {
            facts: Vec::new(),
            problems: 0,
        };
        for (rows, facts) in summary.shards.iter().zip(&facts.shards) {
            if rows.name != facts.name || rows.tree != facts.tree {
                return Err(damaged());
            }
            let (mut rows, mut facts) = (rows.rows, facts.facts);
            while !rows.is_empty() {
                let (row, rest) =
                    postcard::take_from_bytes::<ListRow<'_>>(rows).map_err(|_| damaged())?;
                rows = rest;
                let ((id, span, encoded), rest) =
                    postcard::take_from_bytes::<FactsRecord<'_>>(facts).map_err(|_| damaged())?;
                facts = rest;
                if id != row.id {
                    return Err(damaged());
                }
                out.problems += row.problems.len();
                if !outside(&row, span) && keep(&row) {
                    out.facts.push(postcard::from_bytes(encoded).map_err(|e| {
                        crate::Error::internal(format!(
                            "the index holds unreadable facts for ticket {id} ({e})"
                        ))
                        .with_source(e)
                        .with_remedy(Remedy::Reindex)
                    })?);
                }
            }
            if !facts.is_empty() {
                return Err(damaged());
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Every ticket's list row and report facts, refreshed against HEAD.
    /// Reads the summary and `facts.bin`, and the shard files only of
    /// shards whose tree changed since the facts were saved.
    pub fn report_rows(&self) -> Result<ReportRows> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let summary = self.refresh_index(false)?.summary;
        let path = dir.join(INDEX_FACTS_FILE);
        let mut saved = std::fs::read(&path).unwrap_or_default();
        if unframe(&saved).is_some() {
            saved.drain(..HEADER_LEN);
        } else {
            saved.clear();
        }
        let decoded = decode_facts(&saved);
        let mut changed = decoded.is_none();
        let known: HashMap<&str, (TreeId, &[u8])> = decoded
            .map(|f| {
                f.shards
                    .into_iter()
                    .map(|s| (s.name, (s.tree, s.facts)))
                    .collect()
            })
            .unwrap_or_default();
        let rows = decode_summary(&summary).ok_or_else(damaged)?;
        // Shards HEAD no longer has.
        changed |= known.len() != rows.shards.len();
        let mut refresh = Refresh::default();
        let mut shards: Vec<(&str, TreeId, Cow<'_, [u8]>)> = Vec::with_capacity(rows.shards.len());
        for shard in &rows.shards {
            if let Some((tree, facts)) = known.get(shard.name)
                && *tree == shard.tree
            {
                shards.push((shard.name, shard.tree, Cow::Borrowed(*facts)));
                continue;
            }
            changed = true;
            let oid = Oid::from_bytes(&shard.tree).map_err(|_| damaged())?;
            let file = self.refresh_shard(&dir, shard.name, oid, &mut refresh)?;
            let mut facts = Vec::new();
            for (id, (_, t)) in &file.tickets {
                // Undecodable facts get no span, so no report leaves them
                // out; reading them fails where it did before.
                let span = postcard::from_bytes::<TicketFacts>(&t.facts.0)
                    .ok()
                    .and_then(|f| f.span())
                    .map(|(first, last)| (micros(first), micros(last)));
                facts =
                    postcard::to_extend(&(id, span, RawBytes(&t.facts.0)), facts).map_err(|e| {
                        crate::Error::internal(format!("cannot encode ticket facts: {e}"))
                            .with_source(e)
                    })?;
            }
            shards.push((shard.name, shard.tree, Cow::Owned(facts)));
        }
        if !changed {
            drop(shards);
            drop(known);
            drop(rows);
            return Ok(ReportRows {
                summary,
                facts: saved,
            });
        }
        let encoded = postcard::to_allocvec(&FactsFileOut {
            version: INDEX_VERSION,
            shards: shards
                .iter()
                .map(|(name, tree, facts)| ShardFactsOut {
                    name,
                    tree: *tree,
                    facts: RawBytes(facts),
                })
                .collect(),
        })
        .map_err(|e| {
            crate::Error::internal(format!("cannot encode the report facts: {e}")).with_source(e)
        })?;
        drop(shards);
        drop(known);
        drop(rows);
        write_atomically(&path, &frame(&encoded));
        Ok(ReportRows {
            summary,
            facts: encoded,
        })
    }

    /// [`Store::report_rows`] built again from the shard files, for when
    /// the saved rows or facts could not be read.
    pub fn rebuild_report_rows(&self) -> Result<ReportRows> {
        let dir = self.cache_path(TICKET_INDEX_DIR);
        let _ = std::fs::remove_file(dir.join(INDEX_SUMMARY_FILE));
        let _ = std::fs::remove_file(dir.join(INDEX_FACTS_FILE));
        self.report_rows()
    }
}
