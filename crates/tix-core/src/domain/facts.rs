//! What reports need to know about one ticket, distilled from its trail.
//!
//! [`TicketFacts`] are derived once per ticket (and kept in the derived
//! index), so reports over any period never re-read entries. They hold the
//! times of the events that service metrics are made of, plus the ticket's
//! current state for grouping. They depend only on the ticket's own
//! entries, never on the config: the index is refreshed by the ticket's
//! tree id, so anything taken from elsewhere could go stale unnoticed.
//!
//! Only entries that were applied count: an entry kept but not applied
//! (after a lock, a second `created`) is left out, as it is from the state.
//! The definitions of the metrics built on these facts are in
//! `docs/reports.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::channel::{Channel, Direction};
use super::csat::{Answer, Scale};
use super::entry::{Event, FieldValue, Priority, Status};
use super::id::TicketId;
use super::ticket::{Ticket, TrailItem};
use super::time::Timestamp;

/// Something an agent did, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub at: Timestamp,
    /// The entry's author (an agent handle for replies, notes and closes).
    pub by: String,
}

/// An `assign` entry: `to` is `None` for an unassignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub at: Timestamp,
    pub by: String,
    pub to: Option<String>,
}

/// The status became `to` at `at` (the first one is `new`, at creation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub at: Timestamp,
    pub to: Status,
}

/// The priority became `to` at `at` (the first one is set at creation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriorityChange {
    pub at: Timestamp,
    pub to: Priority,
}

/// A task of the ticket, as reports count it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskFact {
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
    /// When it was done, and by whom, while it is done.
    pub done: Option<Act>,
}

/// The satisfaction survey a ticket was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurveyFact {
    pub at: Timestamp,
    pub scale: Scale,
}

/// The latest answer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingFact {
    pub at: Timestamp,
    pub answer: Answer,
    /// The customer's comment, cut to [`MAX_FACT_COMMENT_CHARS`].
    pub comment: String,
}

/// How much of a rating's comment the facts keep (reports list them).
pub const MAX_FACT_COMMENT_CHARS: usize = 300;

/// The facts about one ticket that reports are computed from. Lists are in
/// fold order.
///
/// Serialised compactly (times as microseconds since 1970, events as
/// arrays): every ticket's facts are read with the index by every command,
/// so their size and parsing cost matter at 100,000 tickets.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketFacts {
    pub id: TicketId,
    pub subject: String,
    /// When the `created` entry was written; `None` only in a damaged ticket.
    pub created_at: Option<Timestamp>,
    /// When a request of the customer (or someone in Cc) arrived: the
    /// `created` entry's time when its body holds the request or when no
    /// `message` follows, then each `message`. Always the entry's `at`,
    /// when tix received it: the one clock that creation, resolution and
    /// backlog also use. A mail's Date header (`mail.sent_at`) is the
    /// sender's claim and is only shown.
    pub customer_messages: Vec<Timestamp>,
    /// Public replies (`reply` entries), at the entry's `at`.
    pub replies: Vec<Act>,
    /// Internal notes written by people (not the notes that record
    /// automatic mail such as bounces).
    pub notes: Vec<Act>,
    pub assignments: Vec<Assignment>,
    /// Every change of status, starting with `new` at creation.
    pub statuses: Vec<StatusChange>,
    /// Every change of priority, starting with the one given at creation.
    pub priorities: Vec<PriorityChange>,
    /// Changes into `closed` (a `close`, or a `status` to closed, on a
    /// ticket that was not closed).
    pub closes: Vec<Act>,
    /// Changes out of `closed`.
    pub reopens: Vec<Act>,
    // The current state, for filters and groups.
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub tags: BTreeSet<String>,
    pub fields: BTreeMap<String, FieldValue>,
    /// The customer's mail domain, lower case (`example.com`).
    pub customer_domain: Option<String>,
    /// The ticket's tasks as they stand, in number order.
    pub tasks: Vec<TaskFact>,
    /// How the ticket came in ([`Ticket::channel`]).
    pub channel: Channel,
    /// Its department, as it is now.
    pub department: Option<String>,
    /// Its first satisfaction survey, if it was sent one.
    pub survey: Option<SurveyFact>,
    /// The latest answer to that survey.
    pub rating: Option<RatingFact>,
}

impl TicketFacts {
    /// The earliest and the latest time of anything these facts hold, or
    /// `None` when they hold no time at all. A report over a period learns
    /// nothing from a ticket that starts after the period, or that ended
    /// closed before it began: see `ReportRows::select`.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        let times = self
            .created_at
            .into_iter()
            .chain(self.customer_messages.iter().copied())
            .chain(self.replies.iter().map(|a| a.at))
            .chain(self.notes.iter().map(|a| a.at))
            .chain(self.assignments.iter().map(|a| a.at))
            .chain(self.statuses.iter().map(|s| s.at))
            .chain(self.priorities.iter().map(|p| p.at))
            .chain(self.closes.iter().map(|a| a.at))
            .chain(self.reopens.iter().map(|a| a.at))
            .chain(self.survey.map(|s| s.at))
            .chain(self.rating.as_ref().map(|r| r.at))
            .chain(
                self.tasks
                    .iter()
                    .filter_map(|t| t.done.as_ref().map(|a| a.at)),
            );
        times.fold(None, |span, t| match span {
            None => Some((t, t)),
            Some((first, last)) => Some((first.min(t), last.max(t))),
        })
    }

    /// Derives the facts from a folded ticket and its trail (in fold order,
    /// as [`super::ticket::fold`] returns it).
    pub fn derive(ticket: &Ticket, trail: &[TrailItem]) -> TicketFacts {
        let mut f = TicketFacts {
            id: ticket.id,
            subject: ticket.subject.clone(),
            created_at: None,
            customer_messages: Vec::new(),
            replies: Vec::new(),
            notes: Vec::new(),
            assignments: Vec::new(),
            statuses: Vec::new(),
            priorities: Vec::new(),
            closes: Vec::new(),
            reopens: Vec::new(),
            status: ticket.status,
            priority: ticket.priority,
            assignee: ticket.assignee.clone(),
            tags: ticket.tags.clone(),
            fields: ticket.fields.clone(),
            customer_domain: ticket.customer.as_ref().and_then(|c| {
                c.email
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_ascii_lowercase())
            }),
            tasks: ticket
                .tasks
                .iter()
                .map(|t| TaskFact {
                    assignee: t.assignee.clone(),
                    due: t.due,
                    done: t.done_at.map(|at| Act {
                        at,
                        by: t.done_by.clone().unwrap_or_default(),
                    }),
                })
                .collect(),
            channel: ticket.channel(),
            department: ticket.department.clone(),
            survey: None,
            rating: None,
        };
        // The request in the `created` entry: (time, has text).
        let mut request: Option<(Timestamp, bool)> = None;
        let mut messages = Vec::new();
        let mut status = Status::New;
        let mut before_merge = None;
        // Entries of other tickets shown on this one are theirs, not its.
        for item in trail
            .iter()
            .filter(|i| i.not_applied.is_none() && i.origin.is_none())
        {
            let e = &item.entry;
            let act = || Act {
                at: e.at,
                by: e.author.clone(),
            };
            match &e.event {
                Event::Created { priority, .. } => {
                    f.created_at = Some(e.at);
                    request = Some((e.at, !e.body.trim().is_empty()));
                    f.statuses.push(StatusChange {
                        at: e.at,
                        to: Status::New,
                    });
                    f.priorities.push(PriorityChange {
                        at: e.at,
                        to: *priority,
                    });
                    status = Status::New;
                }
                Event::Message { .. } => messages.push(e.at),
                Event::Reply { .. }
                | Event::Call {
                    direction: Direction::Out,
                    ..
                } => f.replies.push(act()),
                // Answered there and then: a request and its response.
                Event::Call {
                    direction: Direction::In,
                    ..
                }
                | Event::Chat {} => {
                    messages.push(e.at);
                    f.replies.push(act());
                }
                Event::Note { mail: None } => f.notes.push(act()),
                Event::Assign { to } => f.assignments.push(Assignment {
                    at: e.at,
                    by: e.author.clone(),
                    to: to.clone(),
                }),
                Event::Status { to, .. } => {
                    f.change_status(&mut status, *to, act());
                }
                Event::Close {} => f.change_status(&mut status, Status::Closed, act()),
                // A ticket merged into another is closed as a pointer.
                Event::Merge { source, .. } if *source == ticket.id => {
                    before_merge = Some(status);
                    f.change_status(&mut status, Status::Closed, act());
                }
                Event::Unmerge { source, .. } if *source == ticket.id => {
                    let to = before_merge.take().unwrap_or(Status::Open);
                    f.change_status(&mut status, to, act());
                }
                Event::Priority { to } => f.priorities.push(PriorityChange { at: e.at, to: *to }),
                Event::Survey { scale, .. } if f.survey.is_none() => {
                    f.survey = Some(SurveyFact {
                        at: e.at,
                        scale: *scale,
                    })
                }
                Event::Rating { answer, .. } => {
                    let text = e.body.trim();
                    let mut comment: String = text.chars().take(MAX_FACT_COMMENT_CHARS).collect();
                    if comment.len() < text.len() {
                        comment.push('…');
                    }
                    f.rating = Some(RatingFact {
                        at: e.at,
                        answer: *answer,
                        comment,
                    })
                }
                _ => {}
            }
        }
        if let Some((at, has_text)) = request
            && (has_text || messages.is_empty())
        {
            f.customer_messages.push(at);
        }
        f.customer_messages.extend(messages);
        f
    }

    fn change_status(&mut self, current: &mut Status, to: Status, act: Act) {
        if to == *current {
            return;
        }
        if *current == Status::Closed {
            self.reopens.push(act.clone());
        }
        if to == Status::Closed {
            self.closes.push(act.clone());
        }
        self.statuses.push(StatusChange { at: act.at, to });
        *current = to;
    }

    /// The status at instant `t`: after every change recorded before `t`
    /// (the last such change in fold order). `None` before the ticket
    /// existed.
    pub fn status_at(&self, t: Timestamp) -> Option<Status> {
        if self.created_at.is_none_or(|c| c >= t) {
            return None;
        }
        self.statuses
            .iter()
            .rev()
            .find(|s| s.at < t)
            .map(|s| s.to)
            .or(Some(Status::New))
    }

    /// Whether the ticket existed and was not closed at instant `t`.
    pub fn open_at(&self, t: Timestamp) -> bool {
        self.status_at(t).is_some_and(|s| s != Status::Closed)
    }

    /// The priority at instant `t` (the current one when no change had
    /// been recorded by then).
    pub fn priority_at(&self, t: Timestamp) -> Priority {
        self.priorities
            .iter()
            .rev()
            .find(|p| p.at < t)
            .map_or(self.priority, |p| p.to)
    }

    /// The assignee at instant `t`: set by the last assignment at or
    /// before `t`.
    pub fn assignee_at(&self, t: Timestamp) -> Option<&str> {
        self.assignments
            .iter()
            .rev()
            .find(|a| a.at <= t)
            .and_then(|a| a.to.as_deref())
    }

    /// The customer's first message: the earliest of them.
    pub fn first_customer_message(&self) -> Option<Timestamp> {
        self.customer_messages.iter().min().copied()
    }

    /// The first public reply at or after `t` (by time).
    pub fn first_reply_from(&self, t: Timestamp) -> Option<&Act> {
        self.replies
            .iter()
            .filter(|r| r.at >= t)
            .min_by_key(|r| r.at)
    }

    /// The first change into `closed`, in fold order.
    pub fn first_close(&self) -> Option<&Act> {
        self.closes.first()
    }

    /// Seconds spent in `pending` or `on-hold` between `from` and `to`.
    pub fn waiting_seconds(&self, from: Timestamp, to: Timestamp) -> i64 {
        let mut total = 0;
        for (i, s) in self.statuses.iter().enumerate() {
            if !matches!(s.to, Status::Pending | Status::OnHold) {
                continue;
            }
            let start = s.at.max(from);
            let end = self.statuses.get(i + 1).map_or(to, |next| next.at).min(to);
            total += start.seconds_until(end).max(0);
        }
        total
    }

    /// Every response: a public reply to the earliest customer message not
    /// yet answered, as (that message's time, the reply). Messages and
    /// replies are taken in time order; a customer message at the same
    /// instant as a reply comes first.
    pub fn responses(&self) -> Vec<(Timestamp, &Act)> {
        let mut events: Vec<(Timestamp, Option<&Act>)> = self
            .customer_messages
            .iter()
            .map(|t| (*t, None))
            .chain(self.replies.iter().map(|r| (r.at, Some(r))))
            .collect();
        // Stable: within one instant, messages (None) sort first.
        events.sort_by_key(|(t, r)| (*t, r.is_some()));
        let mut waiting: Option<Timestamp> = None;
        let mut out = Vec::new();
        for (t, reply) in events {
            match reply {
                None => {
                    waiting.get_or_insert(t);
                }
                Some(r) => {
                    if let Some(since) = waiting.take() {
                        out.push((since, r));
                    }
                }
            }
        }
        out
    }
}

/// How facts are stored: short keys, times as microseconds since 1970,
/// events as arrays (`[time, author]`, `[time, author, to]`,
/// `[time, status]`), empty lists left out in JSON (binary formats read
/// fields by position, so there every field is written: see `Full`).
#[derive(Serialize)]
struct StoredRef<'a> {
    id: TicketId,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    messages: Vec<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    replies: Vec<(i64, &'a str)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<(i64, &'a str)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    assignments: Vec<(i64, &'a str, Option<&'a str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    statuses: Vec<(i64, Status)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    priorities: Vec<(i64, Priority)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    closes: Vec<(i64, &'a str)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reopens: Vec<(i64, &'a str)>,
    status: Status,
    priority: Priority,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    tags: &'a BTreeSet<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: &'a BTreeMap<String, FieldValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a str>,
    /// `[assignee, due, done at, done by]` per task.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<StoredTask<'a>>,
    channel: Channel,
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    /// `[time, scale]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    survey: Option<(i64, Scale)>,
    /// `[time, answer, comment]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<(i64, Answer, &'a str)>,
}

type StoredTask<'a> = (Option<&'a str>, Option<i64>, Option<i64>, Option<&'a str>);

/// [`StoredRef`] with every field written, for binary formats.
#[derive(Serialize)]
struct StoredAll<'a> {
    id: TicketId,
    subject: &'a str,
    created: Option<i64>,
    messages: Vec<i64>,
    replies: Vec<(i64, &'a str)>,
    notes: Vec<(i64, &'a str)>,
    assignments: Vec<(i64, &'a str, Option<&'a str>)>,
    statuses: Vec<(i64, Status)>,
    priorities: Vec<(i64, Priority)>,
    closes: Vec<(i64, &'a str)>,
    reopens: Vec<(i64, &'a str)>,
    status: Status,
    priority: Priority,
    assignee: Option<&'a str>,
    tags: &'a BTreeSet<String>,
    fields: &'a BTreeMap<String, FieldValue>,
    domain: Option<&'a str>,
    tasks: Vec<StoredTask<'a>>,
    channel: Channel,
    department: Option<&'a str>,
    survey: Option<(i64, Scale)>,
    rating: Option<(i64, Answer, &'a str)>,
}

impl<'a> From<StoredRef<'a>> for StoredAll<'a> {
    fn from(r: StoredRef<'a>) -> Self {
        StoredAll {
            id: r.id,
            subject: r.subject,
            created: r.created,
            messages: r.messages,
            replies: r.replies,
            notes: r.notes,
            assignments: r.assignments,
            statuses: r.statuses,
            priorities: r.priorities,
            closes: r.closes,
            reopens: r.reopens,
            status: r.status,
            priority: r.priority,
            assignee: r.assignee,
            tags: r.tags,
            fields: r.fields,
            domain: r.domain,
            tasks: r.tasks,
            channel: r.channel,
            department: r.department,
            survey: r.survey,
            rating: r.rating,
        }
    }
}

/// [`StoredRef`], read back.
#[derive(Deserialize)]
struct Stored {
    id: TicketId,
    subject: String,
    #[serde(default)]
    created: Option<i64>,
    #[serde(default)]
    messages: Vec<i64>,
    #[serde(default)]
    replies: Vec<(i64, String)>,
    #[serde(default)]
    notes: Vec<(i64, String)>,
    #[serde(default)]
    assignments: Vec<(i64, String, Option<String>)>,
    #[serde(default)]
    statuses: Vec<(i64, Status)>,
    #[serde(default)]
    priorities: Vec<(i64, Priority)>,
    #[serde(default)]
    closes: Vec<(i64, String)>,
    #[serde(default)]
    reopens: Vec<(i64, String)>,
    status: Status,
    priority: Priority,
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default)]
    tags: BTreeSet<String>,
    #[serde(default)]
    fields: BTreeMap<String, FieldValue>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    tasks: Vec<OwnedStoredTask>,
    #[serde(default = "cli")]
    channel: Channel,
    #[serde(default)]
    department: Option<String>,
    survey: Option<(i64, Scale)>,
    #[serde(default)]
    rating: Option<(i64, Answer, String)>,
}

fn cli() -> Channel {
    Channel::Cli
}

/// [`StoredTask`], read back.
type OwnedStoredTask = (Option<String>, Option<i64>, Option<i64>, Option<String>);

fn stored_acts(v: &[Act]) -> Vec<(i64, &str)> {
    v.iter().map(|a| (micros(a.at), a.by.as_str())).collect()
}

fn micros(t: Timestamp) -> i64 {
    t.datetime().timestamp_micros()
}

fn from_micros(m: i64) -> Timestamp {
    Timestamp::new(chrono::DateTime::from_timestamp_micros(m).unwrap_or_default())
}

impl Serialize for TicketFacts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let acts = stored_acts;
        let readable = s.is_human_readable();
        let stored = StoredRef {
            id: self.id,
            subject: self.subject.as_str(),
            created: self.created_at.map(micros),
            messages: self
                .customer_messages
                .iter()
                .map(|t| micros(*t))
                .collect::<Vec<_>>(),
            replies: acts(&self.replies),
            notes: acts(&self.notes),
            assignments: self
                .assignments
                .iter()
                .map(|a| (micros(a.at), a.by.as_str(), a.to.as_deref()))
                .collect::<Vec<_>>(),
            statuses: self
                .statuses
                .iter()
                .map(|c| (micros(c.at), c.to))
                .collect::<Vec<_>>(),
            priorities: self
                .priorities
                .iter()
                .map(|c| (micros(c.at), c.to))
                .collect::<Vec<_>>(),
            closes: acts(&self.closes),
            reopens: acts(&self.reopens),
            status: self.status,
            priority: self.priority,
            assignee: self.assignee.as_deref(),
            tags: &self.tags,
            fields: &self.fields,
            domain: self.customer_domain.as_deref(),
            tasks: self
                .tasks
                .iter()
                .map(|t| {
                    (
                        t.assignee.as_deref(),
                        t.due.map(micros),
                        t.done.as_ref().map(|a| micros(a.at)),
                        t.done.as_ref().map(|a| a.by.as_str()),
                    )
                })
                .collect::<Vec<_>>(),
            channel: self.channel,
            department: self.department.as_deref(),
            survey: self.survey.map(|v| (micros(v.at), v.scale)),
            rating: self
                .rating
                .as_ref()
                .map(|r| (micros(r.at), r.answer, r.comment.as_str())),
        };
        if readable {
            stored.serialize(s)
        } else {
            StoredAll::from(stored).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for TicketFacts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Stored::deserialize(d)?;
        let acts = |v: Vec<(i64, String)>| -> Vec<Act> {
            v.into_iter()
                .map(|(at, by)| Act {
                    at: from_micros(at),
                    by,
                })
                .collect()
        };
        Ok(TicketFacts {
            id: s.id,
            subject: s.subject,
            created_at: s.created.map(from_micros),
            customer_messages: s.messages.into_iter().map(from_micros).collect(),
            replies: acts(s.replies),
            notes: acts(s.notes),
            assignments: s
                .assignments
                .into_iter()
                .map(|(at, by, to)| Assignment {
                    at: from_micros(at),
                    by,
                    to,
                })
                .collect(),
            statuses: s
                .statuses
                .into_iter()
                .map(|(at, to)| StatusChange {
                    at: from_micros(at),
                    to,
                })
                .collect(),
            priorities: s
                .priorities
                .into_iter()
                .map(|(at, to)| PriorityChange {
                    at: from_micros(at),
                    to,
                })
                .collect(),
            closes: acts(s.closes),
            reopens: acts(s.reopens),
            status: s.status,
            priority: s.priority,
            assignee: s.assignee,
            tags: s.tags,
            fields: s.fields,
            customer_domain: s.domain,
            tasks: s
                .tasks
                .into_iter()
                .map(|(assignee, due, done_at, done_by)| TaskFact {
                    assignee,
                    due: due.map(from_micros),
                    done: done_at.map(|at| Act {
                        at: from_micros(at),
                        by: done_by.unwrap_or_default(),
                    }),
                })
                .collect(),
            channel: s.channel,
            department: s.department,
            survey: s.survey.map(|(at, scale)| SurveyFact {
                at: from_micros(at),
                scale,
            }),
            rating: s.rating.map(|(at, answer, comment)| RatingFact {
                at: from_micros(at),
                answer,
                comment,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::{Entry, MailMeta};
    use crate::domain::party::Party;
    use crate::domain::ticket::{StoredEntry, fold};

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn entry(seq: u64, time: &str, author: &str, event: Event, body: &str) -> StoredEntry {
        StoredEntry {
            file: format!("{seq:03}-{}.md", event.kind()),
            entry: Entry {
                at: at(time),
                seq,
                author: author.into(),
                by: None,
                rule: None,
                event,
                body: body.into(),
            },
        }
    }

    fn created(body: &str) -> StoredEntry {
        entry(
            1,
            "2026-01-05T09:00:00Z",
            "alice",
            Event::Created {
                subject: "Printer".into(),
                customer: Party::parse("Ann <Ann@Example.COM>").unwrap(),
                cc: vec![],
                priority: Priority::High,
                tags: vec![],
                fields: BTreeMap::new(),
                channel: None,
                department: None,
                group: None,
            },
            body,
        )
    }

    fn mail(sent: &str) -> Option<Box<MailMeta>> {
        Some(Box::new(MailMeta {
            message_id: "m@example.com".into(),
            in_reply_to: vec![],
            references: vec![],
            to: vec![],
            cc: vec![],
            bcc: Vec::new(),
            subject: "s".into(),
            sent_at: at(sent),
            date_missing: false,
            raw: "x.eml".into(),
            quoted: None,
            noise: None,
            omitted: vec![],
            outbound: false,
        }))
    }

    fn facts(entries: Vec<StoredEntry>) -> TicketFacts {
        let (t, trail) = fold("7K3F0000".parse().unwrap(), entries);
        TicketFacts::derive(&t, &trail)
    }

    #[test]
    fn calls_and_chats_count_as_requests_and_responses_by_who_started_them() {
        use crate::domain::channel::Direction;
        let call = |seq, time: &str, direction| {
            entry(
                seq,
                time,
                "bob",
                Event::Call {
                    direction,
                    duration: None,
                },
                "rang",
            )
        };
        let f = facts(vec![
            created(""),
            call(2, "2026-01-05T10:00:00Z", Direction::In),
            call(3, "2026-01-05T12:00:00Z", Direction::Out),
            entry(
                4,
                "2026-01-06T09:00:00Z",
                "carol",
                Event::Chat {},
                "ann: hi",
            ),
        ]);
        assert_eq!(f.channel, Channel::Phone);
        // The empty opening is no request: the call is.
        assert_eq!(
            f.customer_messages,
            [at("2026-01-05T10:00:00Z"), at("2026-01-06T09:00:00Z")]
        );
        let replies: Vec<_> = f.replies.iter().map(|a| (a.at, a.by.as_str())).collect();
        assert_eq!(
            replies,
            [
                (at("2026-01-05T10:00:00Z"), "bob"),
                (at("2026-01-05T12:00:00Z"), "bob"),
                (at("2026-01-06T09:00:00Z"), "carol"),
            ]
        );
        // Answered there and then.
        assert_eq!(f.responses()[0].0, at("2026-01-05T10:00:00Z"));
        assert_eq!(f.responses()[0].1.at, at("2026-01-05T10:00:00Z"));

        let explicit = facts(vec![entry(
            1,
            "2026-01-05T09:00:00Z",
            "alice",
            Event::Created {
                subject: "Form".into(),
                customer: Party::parse("ann@example.com").unwrap(),
                cc: vec![],
                priority: Priority::Normal,
                tags: vec![],
                fields: BTreeMap::new(),
                channel: Some(Channel::Web),
                department: None,
                group: None,
            },
            "",
        )]);
        assert_eq!(explicit.channel, Channel::Web);
        let json = serde_json::to_string(&explicit).unwrap();
        let back: TicketFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, explicit);
    }

    #[test]
    fn a_request_in_the_created_entry_is_the_first_message() {
        let f = facts(vec![
            created("It is broken"),
            entry(
                2,
                "2026-01-05T11:30:00Z",
                "bob",
                Event::Reply { mail: None },
                "",
            ),
        ]);
        assert_eq!(f.customer_messages, [at("2026-01-05T09:00:00Z")]);
        assert_eq!(f.customer_domain.as_deref(), Some("example.com"));
        let responses = f.responses();
        assert_eq!(responses.len(), 1);
        assert_eq!(responses[0].0, at("2026-01-05T09:00:00Z"));
        assert_eq!(responses[0].1.by, "bob");
    }

    #[test]
    fn mail_times_are_when_tix_received_it_and_an_empty_created_does_not_count() {
        let f = facts(vec![
            created(""),
            entry(
                2,
                "2026-01-05T09:00:00Z",
                "ann@example.com",
                Event::Message {
                    from: Party::parse("ann@example.com").unwrap(),
                    mail: mail("2026-01-05T08:00:00Z"),
                },
                "Hello",
            ),
            entry(
                3,
                "2026-01-05T10:00:00Z",
                "bob",
                Event::Note {
                    mail: mail("2026-01-05T10:00:00Z"),
                },
                "bounce",
            ),
        ]);
        // Received at 09:00, whatever its Date header (08:00) says.
        assert_eq!(f.customer_messages, [at("2026-01-05T09:00:00Z")]);
        assert!(f.notes.is_empty(), "automatic mail is not an agent's note");
        // An empty `created` with no message still stands for the request.
        let f = facts(vec![created("")]);
        assert_eq!(f.customer_messages, [at("2026-01-05T09:00:00Z")]);
    }

    #[test]
    fn closes_reopens_and_waiting_time() {
        let status =
            |seq, time: &str, to| entry(seq, time, "bob", Event::Status { to, from: None }, "");
        let f = facts(vec![
            created("x"),
            status(2, "2026-01-05T10:00:00Z", Status::Pending),
            status(3, "2026-01-05T12:00:00Z", Status::Open),
            entry(4, "2026-01-05T13:00:00Z", "bob", Event::Close {}, ""),
            // Closing a closed ticket changes nothing.
            entry(5, "2026-01-05T13:30:00Z", "bob", Event::Close {}, ""),
            status(6, "2026-01-06T09:00:00Z", Status::Open),
            status(7, "2026-01-06T10:00:00Z", Status::Closed),
        ]);
        assert_eq!(f.closes.len(), 2);
        assert_eq!(f.reopens.len(), 1);
        assert_eq!(f.first_close().unwrap().at, at("2026-01-05T13:00:00Z"));
        assert_eq!(
            f.waiting_seconds(at("2026-01-05T09:00:00Z"), at("2026-01-05T13:00:00Z")),
            7200
        );
        assert_eq!(
            f.waiting_seconds(at("2026-01-05T11:00:00Z"), at("2026-01-05T13:00:00Z")),
            3600
        );
        assert!(!f.open_at(at("2026-01-05T09:00:00Z")), "not yet created");
        assert!(f.open_at(at("2026-01-05T09:00:01Z")));
        assert!(
            f.open_at(at("2026-01-05T13:00:00Z")),
            "closed at, not before"
        );
        assert!(!f.open_at(at("2026-01-05T13:00:01Z")));
        assert!(f.open_at(at("2026-01-06T09:30:00Z")));
        assert!(!f.open_at(at("2026-02-01T00:00:00Z")));
    }

    #[test]
    fn facts_round_trip_through_their_compact_form() {
        let mut f = facts(vec![
            created("x"),
            entry(
                2,
                "2026-01-05T09:30:00.123456Z",
                "alice",
                Event::Assign {
                    to: Some("bob".into()),
                },
                "",
            ),
            entry(
                3,
                "2026-01-05T10:00:00Z",
                "bob",
                Event::Reply { mail: None },
                "",
            ),
            entry(
                4,
                "2026-01-05T10:01:00Z",
                "bob",
                Event::Note { mail: None },
                "",
            ),
            entry(5, "2026-01-05T11:00:00Z", "bob", Event::Close {}, ""),
            entry(
                6,
                "2026-01-05T12:00:00Z",
                "bob",
                Event::Status {
                    to: Status::Open,
                    from: None,
                },
                "",
            ),
        ]);
        f.fields.insert("units".into(), FieldValue::Number(2.0));
        f.tags.insert("printer".into());
        let json = serde_json::to_string(&f).unwrap();
        assert!(
            json.contains("\"replies\":[[1767607200000000,\"bob\"]]"),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<TicketFacts>(&json).unwrap(), f);
        let bare = facts(vec![created("x")]);
        let json = serde_json::to_string(&bare).unwrap();
        assert!(!json.contains("replies"), "{json}");
        assert_eq!(serde_json::from_str::<TicketFacts>(&json).unwrap(), bare);
    }

    #[test]
    fn entries_not_applied_are_left_out() {
        let f = facts(vec![
            created("x"),
            entry(2, "2026-01-05T10:00:00Z", "alice", Event::Lock {}, ""),
            entry(
                3,
                "2026-01-05T11:00:00Z",
                "bob",
                Event::Reply { mail: None },
                "",
            ),
        ]);
        assert!(f.replies.is_empty());
    }

    #[test]
    fn consecutive_messages_wait_from_the_earliest() {
        let msg = |seq, time: &str| {
            entry(
                seq,
                time,
                "ann@example.com",
                Event::Message {
                    from: Party::parse("ann@example.com").unwrap(),
                    mail: None,
                },
                "more",
            )
        };
        let reply = |seq, time: &str| entry(seq, time, "bob", Event::Reply { mail: None }, "");
        let f = facts(vec![
            created("first"),
            msg(2, "2026-01-05T09:30:00Z"),
            reply(3, "2026-01-05T10:00:00Z"),
            reply(4, "2026-01-05T10:05:00Z"),
            msg(5, "2026-01-05T11:00:00Z"),
            reply(6, "2026-01-05T11:00:00Z"),
        ]);
        let got: Vec<i64> = f
            .responses()
            .iter()
            .map(|(m, r)| m.seconds_until(r.at))
            .collect();
        assert_eq!(got, [3600, 0]);
    }
}
