//! Tickets like a ticket (`tix similar`, `tix show`'s "similar
//! resolved", agent notifications): closed tickets whose subject and
//! public text share the telling words of its subject and first message,
//! resolved ones first.

use serde::Serialize;

use super::engine::{self, Like};
use super::{Glance, glance};
use crate::domain::{Event, Party, Status, Ticket, TicketId, Timestamp, TrailItem};
use crate::error::Result;
use crate::store::Store;

/// Results shown when no limit is given.
pub const DEFAULT_LIMIT: usize = 5;
/// How many `tix show` and an agent notification list.
pub const GLANCE_LIMIT: usize = 3;
/// A ticket scoring under this share of the best score the text could
/// have is not similar: chosen on the labelled set of
/// `tests/it/similar.rs`, where every true match scores well above it
/// and tickets sharing a common word or two score below.
pub const THRESHOLD: f32 = 0.09;

/// How current the index must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Built or brought up to date first, whatever it takes (`tix similar`).
    Current,
    /// Never a build: the index as it is when it is behind by many
    /// shards, or cannot be had at once (`tix show`, notifications).
    Glance,
}

pub struct SimilarOptions {
    pub limit: usize,
    /// Tickets of any status, not only closed ones (a duplicate to merge).
    pub any_status: bool,
    /// Only tickets with a resolution (what `show` and notifications offer).
    pub resolved_only: bool,
    pub freshness: Freshness,
}

#[derive(Clone, Debug, Serialize)]
pub struct SimilarTicket {
    pub id: TicketId,
    /// Relative to the best score the text could have: 0 to 1.
    pub score: f32,
    pub subject: String,
    pub status: Status,
    pub customer: Option<Party>,
    pub closed_at: Option<Timestamp>,
    pub resolution: Option<String>,
}

/// How the index stood when it was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum IndexUse {
    Current,
    /// Used as last brought up to date, this many shards behind HEAD.
    Behind {
        shards: usize,
    },
    /// Not used: missing, of another version, or damaged.
    Unavailable {
        why: String,
    },
}

pub struct Similar {
    /// The ticket asked about.
    pub asked: TicketId,
    pub tickets: Vec<SimilarTicket>,
    pub index: IndexUse,
}

/// Why an index that was never built is unavailable.
pub const NOT_BUILT: &str = "not built yet";

/// Tickets like ticket `id`.
pub fn similar(store: &Store, id: TicketId, options: &SimilarOptions) -> Result<Similar> {
    let folded = store.read_folded(&id)?;
    similar_to(store, &folded.ticket, &folded.trail, options)
}

/// Of a request, what is compared: the words that tell what it is about
/// are in its first lines, and a pasted log of megabytes would only cost
/// time.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// What a ticket is compared by besides its subject: its first message
/// (the `created` entry's text, or for a ticket opened by mail, whose
/// `created` entry is empty, the first message), its first 16 KiB.
pub fn request_text(trail: &[TrailItem]) -> &str {
    let first = trail
        .iter()
        .filter(|item| item.origin.is_none())
        .filter(|item| {
            matches!(
                item.entry.event,
                Event::Created { .. } | Event::Message { .. }
            )
        })
        .map(|item| item.entry.body.as_str())
        .find(|body| !body.trim().is_empty())
        .unwrap_or_default();
    let mut end = first.len().min(MAX_REQUEST_BYTES);
    while !first.is_char_boundary(end) {
        end -= 1;
    }
    &first[..end]
}

/// Tickets like `ticket` (folded with `trail`): never itself, a ticket
/// merged into it or the one it was merged into, nor a merged pointer.
pub fn similar_to(
    store: &Store,
    ticket: &Ticket,
    trail: &[TrailItem],
    options: &SimilarOptions,
) -> Result<Similar> {
    let (engine, index) = match options.freshness {
        Freshness::Current => (super::current_index(store)?, IndexUse::Current),
        Freshness::Glance => match glance(store) {
            Glance::Current(engine) => (engine, IndexUse::Current),
            Glance::Behind(engine, shards) => (engine, IndexUse::Behind { shards }),
            Glance::Unavailable(why) => {
                return Ok(Similar {
                    asked: ticket.id,
                    tickets: Vec::new(),
                    index: IndexUse::Unavailable { why },
                });
            }
        },
    };
    let mut exclude = vec![ticket.id.to_string()];
    exclude.extend(ticket.merged_from.keys().map(TicketId::to_string));
    exclude.extend(ticket.merged_into.map(|t| t.to_string()));
    let like = Like {
        subject: &ticket.subject,
        text: request_text(trail),
        exclude: &exclude,
        closed_only: !options.any_status,
        threshold: THRESHOLD,
        limit: options.limit,
    };
    let found = match super::guarded(|| engine.like(&like)) {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return damaged(store, ticket.id, options, index, &e.to_string(), &like),
        Err(panic) => return damaged(store, ticket.id, options, index, &panic, &like),
    };
    Ok(Similar {
        asked: ticket.id,
        tickets: tickets(found, options),
        index,
    })
}

/// What `tix show` and an agent notification offer for `ticket`: the top
/// resolved tickets like it, from a glance at the index (never a build),
/// unless it is closed. Never fails: a problem is an unusable index.
pub fn resolved_for(store: &Store, ticket: &Ticket, trail: &[TrailItem]) -> Option<Similar> {
    if ticket.status == Status::Closed {
        return None;
    }
    let options = SimilarOptions {
        limit: GLANCE_LIMIT,
        any_status: false,
        resolved_only: true,
        freshness: Freshness::Glance,
    };
    Some(
        similar_to(store, ticket, trail, &options).unwrap_or_else(|e| Similar {
            asked: ticket.id,
            tickets: Vec::new(),
            index: IndexUse::Unavailable {
                why: e.message().to_string(),
            },
        }),
    )
}

/// The first line of a resolution with text on it.
pub fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
}

/// An index that opened but could not be read: rebuilt when the caller
/// wants it current, else left for the next search to rebuild.
fn damaged(
    store: &Store,
    asked: TicketId,
    options: &SimilarOptions,
    index: IndexUse,
    why: &str,
    like: &Like<'_>,
) -> Result<Similar> {
    if options.freshness == Freshness::Glance {
        return Ok(Similar {
            asked,
            tickets: Vec::new(),
            index: IndexUse::Unavailable {
                why: format!("damaged ({why})"),
            },
        });
    }
    super::warn(&format!(
        "the search index in {} is damaged ({why}); building it again",
        store.search_index_dir().display()
    ));
    let found = super::rebuild(store)?
        .like(like)
        .map_err(|e| super::engine_error("cannot search the index", e))?;
    Ok(Similar {
        asked,
        tickets: tickets(found, options),
        index,
    })
}

fn tickets(found: Vec<engine::LikeHit>, options: &SimilarOptions) -> Vec<SimilarTicket> {
    found
        .into_iter()
        .filter(|hit| !options.resolved_only || hit.resolution.is_some())
        .filter_map(|hit| {
            let card: super::Card = serde_json::from_str(&hit.card).ok()?;
            Some(SimilarTicket {
                id: engine::ticket_id(&hit.id)?,
                score: hit.score,
                subject: card.subject,
                status: card.status,
                customer: card.customer,
                closed_at: (hit.closed != 0)
                    .then(|| chrono::DateTime::from_timestamp_micros(hit.closed))
                    .flatten()
                    .map(Timestamp::new),
                resolution: hit.resolution,
            })
        })
        .collect()
}
