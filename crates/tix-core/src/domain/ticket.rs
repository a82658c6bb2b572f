//! A ticket's current state, derived by folding its entries.
//!
//! The fold order is `(seq, at, file name)`: causal first (a writer always
//! gives a new entry a higher `seq` than everything it saw), then clock time
//! for entries written concurrently in different clones, then the file name,
//! which is unique. Every clone with the same entries therefore computes the
//! same state, whatever order git delivered them in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::channel::{Channel, Direction};
use super::csat::{MAX_TOKENS, Rating, Survey};
use super::entry::{
    DeliveryStatus, Entry, Event, FieldValue, LinkRel, Priority, Standing, Status, Target,
};
use super::id::TicketId;
use super::party::Party;
use super::task::Task;
use super::time::Timestamp;

/// An entry together with the name of the file it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEntry {
    pub file: String,
    pub entry: Entry,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    pub rel: LinkRel,
    pub target: TicketId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockInfo {
    pub by: String,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub subject: String,
    pub customer: Option<Party>,
    pub cc: Vec<Party>,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub tags: BTreeSet<String>,
    pub fields: BTreeMap<String, FieldValue>,
    pub links: BTreeSet<Link>,
    pub locked: Option<LockInfo>,
    pub created_at: Option<Timestamp>,
    pub created_by: Option<String>,
    /// Time of the last entry that changed or added to the ticket.
    pub updated_at: Option<Timestamp>,
    /// First public agent reply.
    pub first_response_at: Option<Timestamp>,
    /// When the ticket was last closed, if it is closed now.
    pub closed_at: Option<Timestamp>,
    pub reopened: u32,
    /// Customer messages plus public replies.
    pub messages: u32,
    pub notes: u32,
    pub entries: u32,
    /// Highest `seq` seen; the next entry gets one more.
    pub last_seq: u64,
    /// Things a reader should know: entries after a lock, a second `created`.
    pub warnings: Vec<String>,
    /// SLA states `tix tick` has acted on.
    pub sla_marks: BTreeSet<(Target, Standing)>,
    /// Hidden from the default list until then.
    pub snoozed_until: Option<Timestamp>,
    /// When the status last changed (or the ticket was created).
    pub status_since: Option<Timestamp>,
    /// The group the ticket was last escalated to, or started in.
    pub group: Option<String>,
    /// Its department (`mail.departments`), if it has one.
    #[serde(default)]
    pub department: Option<String>,
    pub escalations: u32,
    /// Outbound replies not (yet) delivered, by entry file: the last
    /// error, or empty when no attempt is recorded.
    pub outbox: BTreeMap<String, String>,
    /// Outbound mail that went out and came back as a bounce, by entry
    /// file: the first line of the failed delivery that records it.
    #[serde(default)]
    pub bounced: BTreeMap<String, String>,
    /// The text of the latest `resolution` entry: what solved it.
    pub resolution: Option<String>,
    pub resolved_at: Option<Timestamp>,
    /// The ticket this one was merged into: it is a closed pointer then.
    pub merged_into: Option<TicketId>,
    /// Tickets merged into this one, each with the addresses its merge
    /// added to the Cc (an unmerge takes them off again).
    pub merged_from: BTreeMap<TicketId, Vec<String>>,
    /// The status the ticket had when it was merged, which an unmerge
    /// gives back.
    pub status_before_merge: Option<Status>,
    /// Entries of this ticket that continue on another, by file.
    pub split_off: BTreeMap<String, TicketId>,
    /// The ticket (and its entries) this one was split from.
    pub split_from: Option<SplitFrom>,
    /// Its tasks, numbered in fold order (see [`super::task`]).
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// How it came in: by mail when its first message was an e-mail,
    /// by the command line otherwise (None until the first message tells).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The customer's messages, the request a ticket was opened with
    /// included.
    #[serde(default)]
    pub customer_messages: u32,
    /// The last message from the customer (or someone in Cc), the
    /// opening request included.
    #[serde(default)]
    pub last_customer_at: Option<Timestamp>,
    /// The last public reply.
    #[serde(default)]
    pub last_agent_at: Option<Timestamp>,
    /// When each automation rule acted on the ticket (once per firing,
    /// however many entries it wrote), by rule name.
    #[serde(default)]
    pub rules_fired: BTreeMap<String, Vec<Timestamp>>,
    /// When customers' mail reopened the ticket, oldest first: the latest
    /// [`MAX_MAIL_REOPENS`], which is more than any cap on reopenings a
    /// day (`mail.reopen_limit`) can ask about.
    #[serde(default)]
    pub mail_reopens: Vec<Timestamp>,
    /// The time and author of the latest message that came by mail: a
    /// change out of `closed` by the same author at the same time is that
    /// message's doing (import writes both in one go).
    #[serde(default)]
    pub last_mail_message: Option<(Timestamp, String)>,
    /// The satisfaction survey it was sent, if any.
    #[serde(default)]
    pub survey: Option<Survey>,
    /// The latest answer to that survey.
    #[serde(default)]
    pub rating: Option<Rating>,
}

/// How many reopenings by mail a ticket remembers.
pub const MAX_MAIL_REOPENS: usize = 100;

/// Where a ticket made by `tix split` came from: the entries it shows by
/// reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitFrom {
    pub ticket: TicketId,
    pub entries: Vec<String>,
}

/// Whether a failed `delivery` body records a bounce (mail that went out
/// and came back) rather than a failure to send.
pub fn is_bounce_record(body: &str) -> bool {
    body.starts_with("bounced")
}

/// One step of the trail as shown to a reader.
#[derive(Clone, Debug, PartialEq)]
pub struct TrailItem {
    pub file: String,
    pub entry: Entry,
    /// Set when the entry did not change the state, and why.
    pub not_applied: Option<String>,
    /// A repeat of what another entry already did: a close of a closed
    /// ticket, or the closing message written with it (two clones closing
    /// the same ticket). Flagged as not applied; views meant for the
    /// customer leave it out.
    pub redundant: bool,
    /// A message by e-mail from someone who took no part in the ticket
    /// when it came (not the customer, not in Cc, not an earlier writer):
    /// it threaded by its headers alone, so it was recorded but its sender
    /// was not made a participant. Derived, never stored: an agent makes
    /// them one with `tix cc`.
    pub outsider: bool,
    /// The entry this one is a copy of (see [`copies`]): counted once,
    /// not applied, left out of customer views, and reported by `tix
    /// check` as folded rather than as a problem.
    pub copy_of: Option<String>,
    /// The ticket the entry was read from, when it is not the one shown:
    /// an entry of a ticket merged into it, or one it was split from.
    pub origin: Option<TicketId>,
    /// Hidden by a `redact` entry: who, when and why. The entry's text is
    /// replaced by a line saying so.
    pub redacted: Option<Redaction>,
}

/// A redaction of an entry, as the trail shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Redaction {
    pub by: String,
    pub at: Timestamp,
    pub reason: String,
}

impl Redaction {
    /// What a reader sees in the entry's place.
    pub fn notice(&self) -> String {
        format!("[redacted by {}: {}]", self.by, self.reason.trim())
    }
}

impl Ticket {
    fn empty(id: TicketId) -> Ticket {
        Ticket {
            id,
            subject: String::new(),
            customer: None,
            cc: Vec::new(),
            status: Status::New,
            priority: Priority::Normal,
            assignee: None,
            tags: BTreeSet::new(),
            fields: BTreeMap::new(),
            links: BTreeSet::new(),
            locked: None,
            created_at: None,
            created_by: None,
            updated_at: None,
            first_response_at: None,
            closed_at: None,
            reopened: 0,
            messages: 0,
            notes: 0,
            entries: 0,
            last_seq: 0,
            warnings: Vec::new(),
            outbox: BTreeMap::new(),
            bounced: BTreeMap::new(),
            group: None,
            department: None,
            escalations: 0,
            snoozed_until: None,
            status_since: None,
            sla_marks: BTreeSet::new(),
            resolution: None,
            resolved_at: None,
            merged_into: None,
            merged_from: BTreeMap::new(),
            status_before_merge: None,
            split_off: BTreeMap::new(),
            split_from: None,
            tasks: Vec::new(),
            channel: None,
            customer_messages: 0,
            last_customer_at: None,
            last_agent_at: None,
            rules_fired: BTreeMap::new(),
            mail_reopens: Vec::new(),
            last_mail_message: None,
            survey: None,
            rating: None,
        }
    }

    /// How it came in (see [`Ticket::channel`]).
    pub fn channel(&self) -> Channel {
        self.channel.unwrap_or(Channel::Cli)
    }

    /// How often customers' mail reopened the ticket in the 24 hours up
    /// to `now`.
    pub fn mail_reopens_in_day_before(&self, now: Timestamp) -> usize {
        self.mail_reopens
            .iter()
            .filter(|at| (0..86_400).contains(&at.seconds_until(now)))
            .count()
    }

    pub fn is_open(&self) -> bool {
        self.status != Status::Closed
    }

    pub fn next_seq(&self) -> u64 {
        self.last_seq + 1
    }

    /// Tasks not done yet, in number order.
    pub fn open_tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.is_open())
    }
}

/// Sorts entries into fold order.
pub fn sort_entries(entries: &mut [StoredEntry]) {
    entries.sort_by(|a, b| {
        (a.entry.seq, a.entry.at, &a.file).cmp(&(b.entry.seq, b.entry.at, &b.file))
    });
}

/// Folds a ticket's entries (in any order) into its state and its trail.
pub fn fold(id: TicketId, entries: Vec<StoredEntry>) -> (Ticket, Vec<TrailItem>) {
    let (mut ticket, mut trail) = fold_unredacted(id, entries);
    apply_redactions(&mut ticket, &mut trail);
    (ticket, trail)
}

/// Hides what `redact` entries name: every reader of a ticket reads its
/// fold, so this is the one place redacted text leaves every view (show,
/// JSON, search, templates, notifications, relayed mail). What the entry
/// changed of the ticket stands; its text, its mail's subject and quoted
/// text, its attachments' names and the resolution it gave do not.
fn apply_redactions(ticket: &mut Ticket, trail: &mut [TrailItem]) {
    let redactions: BTreeMap<String, Redaction> = trail
        .iter()
        .filter(|i| i.not_applied.is_none())
        .filter_map(|i| match &i.entry.event {
            Event::Redact { entry } => Some((
                entry.clone(),
                Redaction {
                    by: i.entry.author.clone(),
                    at: i.entry.at,
                    reason: i.entry.body.clone(),
                },
            )),
            _ => None,
        })
        .collect();
    if redactions.is_empty() {
        return;
    }
    let mut resolution_redacted = None;
    for item in trail.iter_mut() {
        let hidden = redactions
            .get(&item.file)
            .or_else(|| match &item.entry.event {
                Event::Attachment {
                    entry: Some(of), ..
                } => redactions.get(of),
                _ => None,
            });
        let Some(redaction) = hidden else {
            continue;
        };
        item.entry.body = redaction.notice();
        if let Some(mail) = item.entry.event.mail_mut() {
            mail.subject = "[redacted]".into();
            mail.quoted = None;
        }
        if let Event::Attachment { name, .. } = &mut item.entry.event {
            *name = "[redacted]".into();
        }
        if matches!(item.entry.event, Event::Resolution {}) {
            resolution_redacted = Some(item.file.clone());
        }
        item.redacted = Some(redaction.clone());
    }
    // The resolution in force is the latest applied one.
    let latest = trail
        .iter()
        .rev()
        .find(|i| i.not_applied.is_none() && matches!(i.entry.event, Event::Resolution {}));
    if let Some(latest) = latest
        && resolution_redacted.as_deref() == Some(latest.file.as_str())
    {
        ticket.resolution = Some(latest.entry.body.clone());
    }
}

fn fold_unredacted(id: TicketId, mut entries: Vec<StoredEntry>) -> (Ticket, Vec<TrailItem>) {
    sort_entries(&mut entries);
    let copies = copies(&entries);
    let refused_merges = refused_merges(id, &entries);
    let entries = order_around_locks(entries);
    let first = fold_sorted(id, entries, &BTreeSet::new(), &copies, &refused_merges);
    let repeats = repeated_closing_messages(&first.1);
    if repeats.is_empty() {
        return first;
    }
    // Rare (two clones closed the ticket): fold again, the copies left out.
    let entries = first
        .1
        .into_iter()
        .map(|i| StoredEntry {
            file: i.file,
            entry: i.entry,
        })
        .collect();
    fold_sorted(id, entries, &repeats, &copies, &refused_merges)
}

/// Merges that do not apply, by file, with why. Both tickets of a merge
/// hold the same entry (written on each in one commit), so both must
/// decide the same way from what they hold: merge and unmerge entries are
/// taken in the order of their time, then source, then target (not by
/// `seq`, which differs between the two tickets), and of two merges that
/// cannot both stand (a ticket merged into two others, or two tickets
/// merged into each other, by clones that had not seen each other's
/// merge) the earlier stands and the later is kept, not applied.
pub fn refused_merges(id: TicketId, entries: &[StoredEntry]) -> BTreeMap<String, String> {
    let mut merges: Vec<&StoredEntry> = entries
        .iter()
        .filter(|e| matches!(e.entry.event, Event::Merge { .. } | Event::Unmerge { .. }))
        .collect();
    if merges.is_empty() {
        return BTreeMap::new();
    }
    let key = |e: &StoredEntry| match &e.entry.event {
        Event::Merge { source, target, .. } => (e.entry.at, 0, *source, *target),
        Event::Unmerge { source, target } => (e.entry.at, 1, *source, *target),
        _ => unreachable!("only merges are sorted"),
    };
    merges.sort_by(|a, b| (key(a), &a.file).cmp(&(key(b), &b.file)));
    let mut into: Option<TicketId> = None;
    let mut from: BTreeSet<TicketId> = BTreeSet::new();
    let mut refused = BTreeMap::new();
    for e in merges {
        match &e.entry.event {
            Event::Merge { source, target, .. } if *source == id => {
                if let Some(other) = into {
                    refused.insert(
                        e.file.clone(),
                        format!("{id} was merged into {other} first; kept but not applied"),
                    );
                } else if from.contains(target) {
                    refused.insert(
                        e.file.clone(),
                        format!(
                            "{target} was merged into {id} first (two clones merged them both ways?); kept but not applied"
                        ),
                    );
                } else {
                    into = Some(*target);
                }
            }
            Event::Merge { source, target, .. } if *target == id => {
                if let Some(other) = into {
                    refused.insert(
                        e.file.clone(),
                        format!(
                            "{id} was merged into {other} first, so {source} cannot be merged into it; kept but not applied"
                        ),
                    );
                } else {
                    from.insert(*source);
                }
            }
            Event::Unmerge { source, target } if *source == id && into == Some(*target) => {
                into = None;
            }
            Event::Unmerge { source, target } if *target == id => {
                from.remove(source);
            }
            _ => {}
        }
    }
    refused
}

/// The entries one command wrote: tix gives all of them the author and
/// the time of the command.
fn same_command(a: &Entry, b: &Entry) -> bool {
    a.at == b.at && a.author == b.author
}

/// The fold order with locks decided by time, a command at a time.
///
/// `seq` is a Lamport clock: the command that locked saw every entry with
/// a `seq` below its own first one, and none at or above it. tix refuses
/// to write to a locked ticket, so another writer's command with an entry
/// at or above that `seq` (before the next unlock) was written in a clone
/// that had not seen the lock, concurrently with it: the counters cannot
/// order the two, the clocks do. Each such command is placed whole by its
/// time: written before the lock's time, it moves to just before the
/// command that locked and applies as if it had arrived first; written at
/// or after it, it moves to just after the lock, and the lock refuses all
/// of it. So a command is never half applied, and which entries a lock
/// cancels does not depend on how many entries each clone happened to
/// write. Entries the locking command saw stay where they are. Of two
/// concurrent locks the earlier one locks; the later is refused like any
/// other late command.
///
/// `entries` must be in fold order; what is returned is the order to
/// apply them in, the same on every clone.
fn order_around_locks(mut entries: Vec<StoredEntry>) -> Vec<StoredEntry> {
    let is_lock = |e: &StoredEntry| matches!(e.entry.event, Event::Lock {});
    let is_unlock = |e: &StoredEntry| matches!(e.entry.event, Event::Unlock {});
    let mut from = 0;
    while let Some(first) = entries
        .get(from..)
        .and_then(|rest| rest.iter().position(is_lock))
        .map(|p| p + from)
    {
        let unlock = entries[first + 1..]
            .iter()
            .position(is_unlock)
            .map_or(entries.len(), |p| p + first + 1);
        let reign = &entries[from..unlock];
        let Some(lock) = reign
            .iter()
            .filter(|e| is_lock(e))
            .min_by(|a, b| (a.entry.at, &a.file).cmp(&(b.entry.at, &b.file)))
            .map(|e| e.entry.clone())
        else {
            break;
        };
        let seen_below = reign
            .iter()
            .filter(|e| same_command(&e.entry, &lock))
            .map(|e| e.entry.seq)
            .min()
            .unwrap_or(lock.seq);
        let mut concurrent: Vec<&Entry> = Vec::new();
        for e in reign {
            if e.entry.seq >= seen_below
                && !same_command(&e.entry, &lock)
                && !concurrent.iter().any(|c| same_command(c, &e.entry))
            {
                concurrent.push(&e.entry);
            }
        }
        let concurrent: Vec<Entry> = concurrent.into_iter().cloned().collect();
        let (mut seen, mut early, mut locking, mut late) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for e in entries.drain(from..unlock) {
            if same_command(&e.entry, &lock) {
                locking.push(e);
            } else if !concurrent.iter().any(|c| same_command(c, &e.entry)) {
                seen.push(e);
            } else if e.entry.at < lock.at {
                early.push(e);
            } else {
                late.push(e);
            }
        }
        let reordered: Vec<StoredEntry> = seen
            .into_iter()
            .chain(early)
            .chain(locking)
            .chain(late)
            .collect();
        entries.splice(from..from, reordered);
        // The next reign starts after the unlock, which stays where it is.
        from = unlock + 1;
    }
    entries
}

/// Entries that repeat another entry of the ticket, by file, with the
/// file of the entry they repeat (the first in fold order). Clones that
/// share a store through git can record the same thing twice: the same
/// mail imported on two of them, the same rule run by `tix tick` on two
/// of them from the same state. A copy is:
/// - an entry carrying mail whose Message-ID an earlier entry carries
///   (mail without one has a synthetic id derived from its content, the
///   same in every clone);
/// - an entry with the same `seq`, author, kind, fields and body as an
///   earlier one (the same write made twice from the same state; the time
///   may differ);
/// - an attachment of an entry that is a copy.
///
/// `entries` must be in fold order.
pub fn copies(entries: &[StoredEntry]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut message_ids: BTreeMap<String, &str> = BTreeMap::new();
    let mut run_start = 0;
    for (i, stored) in entries.iter().enumerate() {
        if stored.entry.seq != entries[run_start].entry.seq {
            run_start = i;
        }
        if let Some(mail) = stored.entry.event.mail() {
            let key = mail.message_id.to_ascii_lowercase();
            match message_ids.get(&key) {
                Some(first) => {
                    out.insert(stored.file.clone(), first.to_string());
                }
                None => {
                    message_ids.insert(key, &stored.file);
                }
            }
            continue;
        }
        // Decided below, once every owner is known.
        if let Event::Attachment { entry: Some(_), .. } = &stored.entry.event {
            continue;
        }
        if let Some(first) = entries[run_start..i].iter().find(|earlier| {
            !out.contains_key(&earlier.file)
                && earlier.entry.author == stored.entry.author
                && earlier.entry.body == stored.entry.body
                && earlier.entry.event == stored.entry.event
        }) {
            out.insert(stored.file.clone(), first.file.clone());
        }
    }
    // Attachments of a copy are copies of the original's attachment of
    // the same name (whatever order they sorted in).
    for stored in entries {
        let Event::Attachment {
            entry: Some(owner),
            name,
            ..
        } = &stored.entry.event
        else {
            continue;
        };
        let Some(original_owner) = out.get(owner) else {
            continue;
        };
        let original = entries
            .iter()
            .find(|e| {
                matches!(&e.entry.event, Event::Attachment { entry: Some(o), name: n, .. }
                    if o == original_owner && n == name)
            })
            .map_or_else(|| owner.clone(), |e| e.file.clone());
        out.insert(stored.file.clone(), original);
    }
    out
}

fn fold_sorted(
    id: TicketId,
    entries: Vec<StoredEntry>,
    repeats: &BTreeSet<String>,
    copies: &BTreeMap<String, String>,
    refused_merges: &BTreeMap<String, String>,
) -> (Ticket, Vec<TrailItem>) {
    let mut t = Ticket::empty(id);
    let mut trail = Vec::with_capacity(entries.len());
    // Senders of earlier messages who were participants when they wrote.
    let mut writers: BTreeSet<String> = BTreeSet::new();
    for StoredEntry { file, entry } in entries {
        t.entries += 1;
        t.last_seq = t.last_seq.max(entry.seq);
        let outsider = match &entry.event {
            Event::Message {
                from,
                mail: Some(_),
            } => {
                let sender = from.email.to_ascii_lowercase();
                let known = writers.contains(&sender)
                    || t.customer
                        .iter()
                        .chain(t.cc.iter())
                        .any(|p| p.same_address(&sender));
                if known {
                    writers.insert(sender);
                }
                !known
            }
            _ => false,
        };
        let copy_of = copies.get(&file).cloned();
        let (not_applied, redundant) = if let Some(original) = &copy_of {
            (Some(format!("{COPY} {original}; counted once")), true)
        } else if repeats.contains(&file) {
            (Some(REPEATED_MESSAGE.to_string()), true)
        } else if let Some(why) = refused_merges.get(&file) {
            (Some(why.clone()), false)
        } else {
            let was_closed = t.status == Status::Closed && t.locked.is_none();
            let why = apply(&mut t, &entry, &file);
            let redundant = why.is_some() && was_closed && matches!(entry.event, Event::Close {});
            (why, redundant)
        };
        if let Some(why) = &not_applied
            && copy_of.is_none()
        {
            t.warnings.push(format!("{file}: {why}"));
        }
        trail.push(TrailItem {
            file,
            entry,
            not_applied,
            redundant,
            outsider,
            copy_of,
            origin: None,
            redacted: None,
        });
    }
    (t, trail)
}

/// How `show` explains a copy, followed by the original's file name.
const COPY: &str = "a copy (recorded twice, by two clones?) of";

/// Folds `new` into `t`, an entry written after every entry `t` holds (a
/// `seq` above all of theirs), exactly as [`fold`] would place it last: a
/// writer that keeps the folded state need not fold the whole ticket
/// again for each entry it adds. Such an entry is neither a repeated
/// closing message nor a copy (see [`copies`]): those share their `seq`
/// with an earlier entry, or carry mail whose Message-ID the ticket holds
/// already, which no writer appends (import files such mail as a
/// duplicate; tix's own mail has a new Message-ID).
pub fn apply_appended(t: &mut Ticket, new: &StoredEntry) {
    t.entries += 1;
    t.last_seq = t.last_seq.max(new.entry.seq);
    if let Some(why) = apply(t, &new.entry, &new.file) {
        t.warnings.push(format!("{}: {why}", new.file));
    }
}

const REPEATED_MESSAGE: &str = "the closing message of a close that changed nothing (the ticket was closed twice, by two clones?); kept but not applied";

/// Replies written with a close that changed nothing, repeating word for
/// word a reply by the same author written at the same point of the trail
/// (same `seq`): the second clone's copy of a closing message. Each such
/// close takes one copy; the first copy stands.
fn repeated_closing_messages(trail: &[TrailItem]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for close in trail.iter().filter(|i| i.redundant) {
        let Some(seq) = close.entry.seq.checked_sub(1) else {
            continue;
        };
        let copies: Vec<&TrailItem> = trail
            .iter()
            .filter(|i| {
                i.not_applied.is_none()
                    && matches!(i.entry.event, Event::Reply { .. })
                    && i.entry.seq == seq
                    && i.entry.author == close.entry.author
                    && !out.contains(&i.file)
            })
            .collect();
        if let Some((first, rest)) = copies.split_first()
            && let Some(copy) = rest.iter().find(|c| c.entry.body == first.entry.body)
        {
            out.insert(copy.file.clone());
        }
    }
    out
}

/// Applies one entry; returns why it was not applied, if it was not.
/// A customer contact answered there and then (a call they made, a
/// chat): their message and the first response at once.
fn customer_spoke_live(t: &mut Ticket, at: Timestamp) {
    t.customer_messages += 1;
    t.last_customer_at = Some(t.last_customer_at.map_or(at, |l| l.max(at)));
    t.snoozed_until = None;
    if t.first_response_at.is_none() {
        t.first_response_at = Some(at);
    }
}

/// An agent answered the customer (a reply, a call they made).
fn agent_replied(t: &mut Ticket, at: Timestamp) {
    t.last_agent_at = Some(t.last_agent_at.map_or(at, |l| l.max(at)));
    if t.first_response_at.is_none() {
        t.first_response_at = Some(at);
    }
}

fn apply(t: &mut Ticket, e: &Entry, file: &str) -> Option<String> {
    // A redaction goes through a lock: what must not be read must not be
    // kept readable because the ticket is closed for good.
    if let Some(lock) = &t.locked
        && !matches!(
            e.event,
            Event::Unlock {} | Event::Delivery { .. } | Event::Redact { .. }
        )
    {
        return Some(format!(
            "arrived after the ticket was locked by {} at {}; kept but not applied",
            lock.by, lock.at
        ));
    }
    if let Some(target) = t.merged_into
        && !e.event.applies_when_merged()
    {
        return Some(format!(
            "arrived after the ticket was merged into {target}; kept but not applied (shown on {target})"
        ));
    }
    if t.created_at.is_none() && !matches!(e.event, Event::Created { .. }) {
        // Can only happen with hand-made or damaged stores; still fold it so
        // nothing is hidden.
        t.warnings.push(format!(
            "entry `{}` precedes the ticket's `created` entry",
            e.event.kind()
        ));
    }
    match &e.event {
        Event::Created {
            subject,
            customer,
            cc,
            priority,
            tags,
            fields,
            channel,
            department,
            group,
        } => {
            if t.created_at.is_some() {
                return Some(
                    "a second `created` entry (two clones chose the same ticket id?); kept but not applied"
                        .into(),
                );
            }
            t.subject = subject.clone();
            t.customer = Some(customer.clone());
            t.cc = cc.clone();
            t.priority = *priority;
            t.tags = BTreeSet::new();
            for tag in tags {
                add_tag(&mut t.tags, tag);
            }
            t.fields = fields.clone();
            t.created_at = Some(e.at);
            t.created_by = Some(e.author.clone());
            t.status = Status::New;
            t.status_since = Some(e.at);
            if channel.is_some() {
                t.channel = *channel;
            }
            t.department = department.clone();
            t.group = group.clone();
            if !e.body.trim().is_empty() {
                t.channel.get_or_insert(Channel::Cli);
                t.customer_messages += 1;
                t.last_customer_at = Some(e.at);
            }
        }
        // Customer contacts on other channels. A call the customer made,
        // and a chat, count as a message from them and, since an agent
        // spoke with them there and then, as the first response; a call
        // an agent made counts as a reply.
        Event::Call { direction, .. } => {
            t.messages += 1;
            t.channel.get_or_insert(Channel::Phone);
            match direction {
                Direction::In => customer_spoke_live(t, e.at),
                Direction::Out => agent_replied(t, e.at),
            }
        }
        Event::Chat {} => {
            t.messages += 1;
            t.channel.get_or_insert(Channel::Chat);
            customer_spoke_live(t, e.at);
        }
        Event::Message { mail, .. } => {
            t.messages += 1;
            t.customer_messages += 1;
            t.last_customer_at = Some(t.last_customer_at.map_or(e.at, |l| l.max(e.at)));
            if t.channel.is_none() {
                t.channel = Some(if mail.is_some() {
                    Channel::Mail
                } else {
                    Channel::Cli
                });
            }
            if mail.is_some() {
                t.last_mail_message = Some((e.at, e.author.clone()));
            }
            // The customer writing wakes a snoozed ticket.
            t.snoozed_until = None;
        }
        Event::Reply { mail } => {
            t.messages += 1;
            agent_replied(t, e.at);
            if mail.as_ref().is_some_and(|m| m.outbound) {
                t.outbox.insert(file.to_string(), String::new());
            }
        }
        // An automatic mail tix sent (an acknowledgement) is a note.
        Event::Note { mail } => {
            t.notes += 1;
            if mail.as_ref().is_some_and(|m| m.outbound) {
                t.outbox.insert(file.to_string(), String::new());
            }
        }
        Event::Assign { to } => t.assignee = to.clone(),
        Event::Status { to, .. } => {
            let by_mail = t
                .last_mail_message
                .as_ref()
                .is_some_and(|(at, author)| *at == e.at && *author == e.author);
            if by_mail && t.status == Status::Closed && *to != Status::Closed {
                if t.mail_reopens.len() == MAX_MAIL_REOPENS {
                    t.mail_reopens.remove(0);
                }
                t.mail_reopens.push(e.at);
            }
            set_status(t, *to, e.at)
        }
        Event::Priority { to } => t.priority = *to,
        Event::Subject { to } => t.subject = to.clone(),
        Event::Tags { add, remove } => {
            for tag in add {
                add_tag(&mut t.tags, tag);
            }
            for tag in remove {
                t.tags.retain(|have| !same_tag(have, tag));
            }
        }
        Event::Cc { add, remove } => {
            for p in add {
                if !t.cc.iter().any(|c| c.same_address(&p.email)) {
                    t.cc.push(p.clone());
                }
            }
            t.cc.retain(|c| !remove.iter().any(|r| c.same_address(r)));
        }
        Event::Field { name, value } => match value {
            Some(v) => {
                t.fields.insert(name.clone(), v.clone());
            }
            None => {
                t.fields.remove(name);
            }
        },
        Event::Link { rel, target } => {
            t.links.insert(Link {
                rel: *rel,
                target: *target,
            });
        }
        Event::Unlink { rel, target } => {
            t.links.remove(&Link {
                rel: *rel,
                target: *target,
            });
        }
        Event::Close {} => {
            if t.status == Status::Closed {
                return Some(
                    "a close of a ticket already closed (two clones closed it?); changes nothing"
                        .into(),
                );
            }
            set_status(t, Status::Closed, e.at);
        }
        Event::Lock {} => {
            t.locked = Some(LockInfo {
                by: e.author.clone(),
                at: e.at,
            })
        }
        Event::Unlock {} => {
            if t.locked.is_none() {
                return Some("unlock of a ticket that was not locked; nothing to do".into());
            }
            t.locked = None;
        }
        Event::Attachment { .. } => {}
        // Its effect is on the trail, after the fold (`apply_redactions`).
        Event::Redact { .. } => {}
        Event::Snooze { until } => t.snoozed_until = *until,
        Event::Sla { target, standing } => {
            t.sla_marks.insert((*target, *standing));
        }
        Event::Escalate { to } => {
            t.group = Some(to.clone());
            t.escalations += 1;
        }
        Event::Department { to } => t.department = to.clone(),
        Event::Resolution {} => {
            t.resolution = Some(e.body.clone());
            t.resolved_at = Some(e.at);
        }
        Event::Merge { source, target, cc } => {
            if *source == t.id {
                t.status_before_merge = Some(t.status);
                set_status(t, Status::Closed, e.at);
                t.merged_into = Some(*target);
            } else if *target == t.id {
                let mut added = Vec::new();
                for p in cc {
                    let present = t
                        .customer
                        .iter()
                        .chain(t.cc.iter())
                        .any(|c| c.same_address(&p.email));
                    if !present {
                        t.cc.push(p.clone());
                        added.push(p.email.to_ascii_lowercase());
                    }
                }
                t.merged_from.insert(*source, added);
            } else {
                return Some(format!(
                    "a merge of {source} into {target}, neither of which is this ticket; not applied"
                ));
            }
        }
        Event::Unmerge { source, target } => {
            if *source == t.id {
                if t.merged_into != Some(*target) {
                    return Some(format!(
                        "{source} is not merged into {target}; nothing to undo"
                    ));
                }
                t.merged_into = None;
                // Back to where it stood, as if never merged: not a reopening.
                let before = t.status_before_merge.take().unwrap_or(Status::Open);
                if before != t.status {
                    t.status = before;
                    t.status_since = Some(e.at);
                    if before != Status::Closed {
                        t.closed_at = None;
                    }
                }
            } else if *target == t.id {
                let Some(added) = t.merged_from.remove(source) else {
                    return Some(format!(
                        "{source} is not merged into {target}; nothing to undo"
                    ));
                };
                t.cc.retain(|c| !added.iter().any(|a| c.same_address(a)));
            } else {
                return Some(format!(
                    "an unmerge of {source} from {target}, neither of which is this ticket; not applied"
                ));
            }
        }
        Event::Split {
            source,
            target,
            entries,
        } => {
            if *source == t.id {
                for file in entries {
                    t.split_off.insert(file.clone(), *target);
                }
            } else if *target == t.id {
                t.split_from = Some(SplitFrom {
                    ticket: *source,
                    entries: entries.clone(),
                });
            } else {
                return Some(format!(
                    "a split of {source} to {target}, neither of which is this ticket; not applied"
                ));
            }
        }
        Event::TaskAdd { to, due, from } => {
            t.tasks.push(Task {
                number: t.tasks.len() as u32 + 1,
                key: file.to_string(),
                text: e.body.trim_end().to_string(),
                assignee: to.clone(),
                due: *due,
                added_at: e.at,
                added_by: e.author.clone(),
                done_at: None,
                done_by: None,
                from: from.clone(),
                reminded: false,
            });
        }
        Event::TaskAssign { task: key, to } => {
            let Some(task) = task_of(t, key) else {
                return Some(no_such_task(key));
            };
            task.assignee = Some(to.clone());
        }
        Event::TaskDue { task: key, due } => {
            let Some(task) = task_of(t, key) else {
                return Some(no_such_task(key));
            };
            if task.due != *due {
                // A new deadline is one the assignee has not been told of.
                task.reminded = false;
            }
            task.due = *due;
        }
        Event::TaskDone { task: key } => {
            let Some(task) = task_of(t, key) else {
                return Some(no_such_task(key));
            };
            if !task.is_open() {
                return Some(format!(
                    "task {} is done already (two clones marked it?); changes nothing",
                    task.number
                ));
            }
            task.done_at = Some(e.at);
            task.done_by = Some(e.author.clone());
        }
        Event::TaskReopen { task: key } => {
            let Some(task) = task_of(t, key) else {
                return Some(no_such_task(key));
            };
            if task.is_open() {
                return Some(format!(
                    "task {} is not done; nothing to reopen",
                    task.number
                ));
            }
            task.done_at = None;
            task.done_by = None;
        }
        Event::TaskReminder { task: key } => {
            let Some(task) = task_of(t, key) else {
                return Some(no_such_task(key));
            };
            task.reminded = true;
        }
        Event::Survey { token, scale } => match &mut t.survey {
            None => {
                t.survey = Some(Survey {
                    at: e.at,
                    scale: *scale,
                    tokens: vec![token.clone()],
                })
            }
            Some(s) if s.tokens.len() < MAX_TOKENS => s.tokens.push(token.clone()),
            Some(_) => return Some("one survey too many; its answers are not counted".into()),
        },
        Event::Rating { token, answer } => {
            let Some(survey) = &t.survey else {
                return Some("a rating of a ticket that was sent no survey".into());
            };
            if !survey.tokens.iter().any(|k| k.eq_ignore_ascii_case(token)) {
                return Some("a rating with a token of no survey of this ticket".into());
            }
            if answer.scale() != survey.scale {
                return Some(format!(
                    "a rating `{answer}` on a survey of scale {}",
                    survey.scale
                ));
            }
            t.rating = Some(Rating {
                at: e.at,
                answer: *answer,
                by: e.author.clone(),
            });
        }
        Event::Delivery { entry, status } => match status {
            DeliveryStatus::Sent => {
                t.outbox.remove(entry);
            }
            // A bounce proves the mail went out, and says it was not
            // delivered all the same: sending the same bytes again would
            // not help, so it is no longer waiting in the outbox.
            DeliveryStatus::Failed if is_bounce_record(&e.body) => {
                t.outbox.remove(entry);
                let first = e.body.lines().next().unwrap_or_default();
                t.bounced.insert(entry.clone(), first.to_string());
            }
            // A failure after a success (two clones retrying) changes
            // nothing: the mail went out.
            DeliveryStatus::Failed => {
                if let Some(error) = t.outbox.get_mut(entry) {
                    *error = e.body.trim().to_string();
                }
            }
        },
    }
    t.updated_at = Some(t.updated_at.map_or(e.at, |u| u.max(e.at)));
    if let Some(rule) = &e.rule {
        let times = t.rules_fired.entry(rule.clone()).or_default();
        // One firing writes its entries at one time.
        if times.last() != Some(&e.at) {
            times.push(e.at);
        }
    }
    None
}

/// The task whose `task-add` entry is `key`.
fn task_of<'t>(t: &'t mut Ticket, key: &str) -> Option<&'t mut Task> {
    t.tasks.iter_mut().find(|task| task.key == key)
}

/// Why an entry naming a task the ticket does not have is not applied.
fn no_such_task(key: &str) -> String {
    format!("names task `{key}`, which this ticket does not have; not applied")
}

fn set_status(t: &mut Ticket, to: Status, at: Timestamp) {
    if t.status == Status::Closed && to != Status::Closed {
        t.reopened += 1;
        t.closed_at = None;
    }
    if to == Status::Closed && t.status != Status::Closed {
        t.closed_at = Some(at);
    }
    if to != t.status {
        t.status_since = Some(at);
    }
    t.status = to;
}

/// Tags compare without regard to case: `Urgent` and `urgent` are one tag
/// to the people who type them.
pub fn same_tag(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Adds `tag` unless the set has it in some spelling; the first spelling
/// stays, so entries written before tags folded case still read as one.
pub fn add_tag(tags: &mut BTreeSet<String>, tag: &str) {
    if !tags.iter().any(|have| same_tag(have, tag)) {
        tags.insert(tag.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn stored(file: &str, seq: u64, time: &str, author: &str, event: Event) -> StoredEntry {
        StoredEntry {
            file: file.into(),
            entry: Entry {
                at: at(time),
                seq,
                author: author.into(),
                by: None,
                rule: None,
                event,
                body: String::new(),
            },
        }
    }

    fn created() -> StoredEntry {
        stored(
            "a-created.md",
            1,
            "2026-01-01T10:00:00Z",
            "alice",
            Event::Created {
                subject: "Printer".into(),
                customer: Party::parse("ann@example.com").unwrap(),
                cc: vec![],
                priority: Priority::High,
                tags: vec!["printer".into()],
                fields: BTreeMap::new(),
                channel: None,
                department: None,
                group: None,
            },
        )
    }

    fn id() -> TicketId {
        "7K3F0000".parse().unwrap()
    }

    #[test]
    fn folds_state_in_any_input_order() {
        let entries = vec![
            created(),
            stored(
                "b-reply.md",
                2,
                "2026-01-01T11:00:00Z",
                "bob",
                Event::Reply { mail: None },
            ),
            stored(
                "c-tags.md",
                3,
                "2026-01-01T11:30:00Z",
                "bob",
                Event::Tags {
                    add: vec!["x".into()],
                    remove: vec!["printer".into()],
                },
            ),
            stored(
                "d-close.md",
                4,
                "2026-01-01T12:00:00Z",
                "bob",
                Event::Close {},
            ),
            stored(
                "e-status.md",
                5,
                "2026-01-02T12:00:00Z",
                "bob",
                Event::Status {
                    to: Status::Open,
                    from: None,
                },
            ),
        ];
        let (t, trail) = fold(id(), entries.clone());
        assert_eq!(t.status, Status::Open);
        assert_eq!(t.reopened, 1);
        assert_eq!(t.closed_at, None);
        assert_eq!(t.first_response_at, Some(at("2026-01-01T11:00:00Z")));
        assert_eq!(t.tags, BTreeSet::from(["x".to_string()]));
        assert_eq!(t.last_seq, 5);
        assert_eq!(trail.len(), 5);
        let mut reversed = entries;
        reversed.reverse();
        assert_eq!(fold(id(), reversed).0, t);
    }

    #[test]
    fn causal_order_beats_a_wrong_clock() {
        // The second entry's machine clock is an hour behind, but it was
        // written after the first (higher seq), so it folds last.
        let entries = vec![
            created(),
            stored(
                "z-assign.md",
                2,
                "2026-01-01T12:00:00Z",
                "a",
                Event::Assign {
                    to: Some("bob".into()),
                },
            ),
            stored(
                "y-assign.md",
                3,
                "2026-01-01T11:00:00Z",
                "a",
                Event::Assign {
                    to: Some("carol".into()),
                },
            ),
        ];
        assert_eq!(fold(id(), entries).0.assignee.as_deref(), Some("carol"));
    }

    #[test]
    fn entries_after_a_lock_are_kept_flagged_and_not_applied() {
        let entries = vec![
            created(),
            stored(
                "b-lock.md",
                2,
                "2026-01-01T11:00:00Z",
                "alice",
                Event::Lock {},
            ),
            stored(
                "c-prio.md",
                3,
                "2026-01-01T11:05:00Z",
                "bob",
                Event::Priority { to: Priority::Low },
            ),
            stored(
                "d-unlock.md",
                4,
                "2026-01-01T12:00:00Z",
                "alice",
                Event::Unlock {},
            ),
            stored(
                "e-prio.md",
                5,
                "2026-01-01T12:05:00Z",
                "bob",
                Event::Priority {
                    to: Priority::Urgent,
                },
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert!(t.locked.is_none());
        assert_eq!(t.priority, Priority::Urgent);
        assert!(
            trail[2]
                .not_applied
                .as_deref()
                .unwrap()
                .contains("locked by alice")
        );
        assert_eq!(trail.iter().filter(|i| i.not_applied.is_some()).count(), 1);
        assert_eq!(t.warnings.len(), 1);
    }

    #[test]
    fn outbound_replies_wait_in_the_outbox_until_a_delivery_says_sent() {
        let outbound = || {
            let meta = crate::domain::MailMeta {
                message_id: "r1@tix.example.com".into(),
                in_reply_to: vec![],
                references: vec![],
                to: vec![],
                cc: vec![],
                bcc: Vec::new(),
                subject: "s".into(),
                sent_at: at("2026-01-01T11:00:00Z"),
                date_missing: false,
                raw: "b-reply.eml".into(),
                quoted: None,
                noise: None,
                omitted: vec![],
                outbound: true,
            };
            Event::Reply {
                mail: Some(Box::new(meta)),
            }
        };
        let delivery = |file: &str, seq, status| {
            let mut e = stored(
                file,
                seq,
                "2026-01-01T11:01:00Z",
                "bob",
                Event::Delivery {
                    entry: "b-reply.md".into(),
                    status,
                },
            );
            e.entry.body = "connection refused\n".into();
            e
        };
        let reply = stored("b-reply.md", 2, "2026-01-01T11:00:00Z", "bob", outbound());
        let (t, _) = fold(id(), vec![created(), reply.clone()]);
        assert_eq!(t.outbox.get("b-reply.md").map(String::as_str), Some(""));
        let failed = delivery("c-delivery.md", 3, DeliveryStatus::Failed);
        let (t, _) = fold(id(), vec![created(), reply.clone(), failed.clone()]);
        assert_eq!(
            t.outbox.get("b-reply.md").map(String::as_str),
            Some("connection refused")
        );
        // Sent, even after a lock: the outbox empties.
        let lock = stored(
            "d-lock.md",
            4,
            "2026-01-01T11:02:00Z",
            "alice",
            Event::Lock {},
        );
        let sent = delivery("e-delivery.md", 5, DeliveryStatus::Sent);
        let (t, trail) = fold(id(), vec![created(), reply, failed, lock, sent]);
        assert!(t.outbox.is_empty(), "{:?}", t.outbox);
        assert!(trail.iter().all(|i| i.not_applied.is_none()));
    }

    /// The derived index stores tickets in postcard, which reads fields by
    /// position: a field left out when empty would make every saved
    /// ticket unreadable (and the index rebuilt on every use).
    #[test]
    fn a_ticket_round_trips_through_the_binary_index_format() {
        let empty = fold(id(), vec![created()]).0;
        let bytes = postcard::to_allocvec(&empty).unwrap();
        assert_eq!(postcard::from_bytes::<Ticket>(&bytes).unwrap(), empty);
        let mut full = empty.clone();
        full.outbox.insert("a.md".into(), "refused".into());
        full.group = Some("second-line".into());
        full.escalations = 2;
        full.sla_marks
            .insert((Target::Resolution, Standing::Breached));
        full.snoozed_until = Some(at("2026-02-01T00:00:00Z"));
        full.resolution = Some("Firmware 2.1".into());
        full.merged_into = Some(other());
        full.merged_from
            .insert(third(), vec!["bob@example.org".into()]);
        full.split_off.insert("b.md".into(), third());
        full.split_from = Some(SplitFrom {
            ticket: third(),
            entries: vec!["c.md".into()],
        });
        let bytes = postcard::to_allocvec(&full).unwrap();
        assert_eq!(postcard::from_bytes::<Ticket>(&bytes).unwrap(), full);
    }

    #[test]
    fn a_duplicate_created_entry_is_flagged() {
        let mut second = created();
        second.file = "b-created.md".into();
        second.entry.seq = 1;
        if let Event::Created { subject, .. } = &mut second.entry.event {
            *subject = "Other".into();
        }
        let (t, trail) = fold(id(), vec![second, created()]);
        assert_eq!(t.subject, "Printer");
        assert!(trail[1].not_applied.is_some());
    }

    fn inbound(file: &str, seq: u64, at_: &str, message_id: &str) -> StoredEntry {
        let meta = crate::domain::MailMeta {
            message_id: message_id.into(),
            in_reply_to: vec![],
            references: vec![],
            to: vec![],
            cc: vec![],
            bcc: Vec::new(),
            subject: "Printer".into(),
            sent_at: at("2026-01-01T09:00:00Z"),
            date_missing: false,
            raw: file.replace(".md", ".eml"),
            quoted: None,
            noise: None,
            omitted: vec![],
            outbound: false,
        };
        let mut e = stored(
            file,
            seq,
            at_,
            "cust@example.com",
            Event::Message {
                from: Party {
                    name: None,
                    email: "cust@example.com".into(),
                },
                mail: Some(Box::new(meta)),
            },
        );
        e.entry.body = "It is offline again.\n".into();
        e
    }

    /// Only a change out of `closed` written with a customer's mail (same
    /// author, same time) counts as the mail's reopening; an agent's
    /// reopen does not, and the count is of the day before `now`.
    #[test]
    fn reopenings_by_mail_are_told_from_an_agents_reopen() {
        let reopen = |file: &str, seq: u64, at_: &str, by: &str| {
            stored(
                file,
                seq,
                at_,
                by,
                Event::Status {
                    to: Status::Open,
                    from: Some(Status::Closed),
                },
            )
        };
        let close =
            |file: &str, seq: u64, at_: &str| stored(file, seq, at_, "bob", Event::Close {});
        let entries = vec![
            created(),
            close("b.md", 2, "2026-01-02T08:00:00Z"),
            inbound("c.md", 3, "2026-01-02T09:00:00Z", "m1@example.com"),
            reopen("d.md", 4, "2026-01-02T09:00:00Z", "cust@example.com"),
            close("e.md", 5, "2026-01-02T10:00:00Z"),
            reopen("f.md", 6, "2026-01-02T11:00:00Z", "bob"),
            close("g.md", 7, "2026-01-02T12:00:00Z"),
            inbound("h.md", 8, "2026-01-03T08:00:00Z", "m2@example.com"),
            reopen("i.md", 9, "2026-01-03T08:00:00Z", "cust@example.com"),
        ];
        let (t, _) = fold(id(), entries);
        assert_eq!(t.reopened, 3);
        assert_eq!(
            t.mail_reopens,
            vec![at("2026-01-02T09:00:00Z"), at("2026-01-03T08:00:00Z")]
        );
        assert_eq!(t.mail_reopens_in_day_before(at("2026-01-03T08:30:00Z")), 2);
        assert_eq!(t.mail_reopens_in_day_before(at("2026-01-03T09:00:00Z")), 1);
    }

    /// What two clones importing the same mail leave after a merge: two
    /// `created` entries and two copies of each message (different files,
    /// times and raw files, the same Message-ID).
    #[test]
    fn the_same_mail_imported_on_two_clones_counts_once() {
        let mut created_b = created();
        created_b.file = "a-created-b.md".into();
        created_b.entry.at = at("2026-01-01T10:00:05Z");
        let entries = vec![
            created(),
            inbound("b-message.md", 2, "2026-01-01T10:00:00Z", "m1@example.com"),
            stored(
                "b-attachment.md",
                3,
                "2026-01-01T10:00:00Z",
                "cust@example.com",
                Event::Attachment {
                    file: "files/b-message/log.txt".into(),
                    name: "log.txt".into(),
                    size: 3,
                    entry: Some("b-message.md".into()),
                },
            ),
            created_b,
            inbound("c-message.md", 2, "2026-01-01T10:00:05Z", "M1@example.com"),
            stored(
                "c-attachment.md",
                3,
                "2026-01-01T10:00:05Z",
                "cust@example.com",
                Event::Attachment {
                    file: "files/c-message/log.txt".into(),
                    name: "log.txt".into(),
                    size: 3,
                    entry: Some("c-message.md".into()),
                },
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert_eq!(t.messages, 1);
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        let copies: Vec<(&str, &str)> = trail
            .iter()
            .filter_map(|i| Some((i.file.as_str(), i.copy_of.as_deref()?)))
            .collect();
        assert_eq!(
            copies,
            [
                ("a-created-b.md", "a-created.md"),
                ("c-message.md", "b-message.md"),
                ("c-attachment.md", "b-attachment.md"),
            ]
        );
        for item in trail.iter().filter(|i| i.copy_of.is_some()) {
            assert!(item.redundant);
            assert!(item.not_applied.as_deref().unwrap().contains("a copy"));
        }
    }

    /// `tix tick` on two clones from the same state: the same lock by
    /// `tix` with the same seq, minutes apart.
    #[test]
    fn the_same_action_recorded_twice_from_the_same_state_counts_once() {
        let entries = vec![
            created(),
            stored(
                "b-lock.md",
                2,
                "2026-01-01T11:00:00Z",
                "tix",
                Event::Lock {},
            ),
            stored(
                "c-lock.md",
                2,
                "2026-01-01T11:04:00Z",
                "tix",
                Event::Lock {},
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert_eq!(trail[2].copy_of.as_deref(), Some("b-lock.md"));
        assert!(t.locked.is_some());
    }

    #[test]
    fn different_writes_at_the_same_point_are_not_copies() {
        let note = |file: &str, author: &str, body: &str| {
            let mut e = stored(
                file,
                2,
                "2026-01-01T11:00:00Z",
                author,
                Event::Note { mail: None },
            );
            e.entry.body = body.into();
            e
        };
        let entries = vec![
            created(),
            note("b-note.md", "alice", "Called them\n"),
            note("c-note.md", "bob", "Called them\n"),
            note("d-note.md", "alice", "Called them again\n"),
            // Same author and text, but written later: a second note.
            {
                let mut e = note("e-note.md", "alice", "Called them\n");
                e.entry.seq = 3;
                e
            },
        ];
        let (t, trail) = fold(id(), entries);
        assert_eq!(t.notes, 4);
        assert!(trail.iter().all(|i| i.copy_of.is_none()));
    }

    /// A's `close --lock` (close and lock, consecutive seq) against B's
    /// offline reply-and-pending (one command, consecutive seq from the
    /// same state).
    fn close_lock_against(b_at: &str) -> (Ticket, Vec<TrailItem>) {
        let mut b_reply = stored("b-reply.md", 2, b_at, "bob", Event::Reply { mail: None });
        b_reply.entry.body = "Try this\n".into();
        let b_status = stored(
            "b-status.md",
            3,
            b_at,
            "bob",
            Event::Status {
                to: Status::Pending,
                from: None,
            },
        );
        let entries = vec![
            created(),
            stored(
                "a-close.md",
                2,
                "2026-01-01T11:00:00Z",
                "alice",
                Event::Close {},
            ),
            stored(
                "a-lock.md",
                3,
                "2026-01-01T11:00:00Z",
                "alice",
                Event::Lock {},
            ),
            b_reply,
            b_status,
        ];
        fold(id(), entries)
    }

    #[test]
    fn a_command_written_before_a_concurrent_lock_applies_whole_and_first() {
        let (t, trail) = close_lock_against("2026-01-01T10:30:00Z");
        assert!(trail.iter().all(|i| i.not_applied.is_none()), "{trail:#?}");
        let order: Vec<&str> = trail.iter().map(|i| i.file.as_str()).collect();
        assert_eq!(
            order,
            [
                "a-created.md",
                "b-reply.md",
                "b-status.md",
                "a-close.md",
                "a-lock.md"
            ]
        );
        // As it happened: answered, set pending, then closed and locked.
        assert_eq!(t.status, Status::Closed);
        assert!(t.locked.is_some());
        assert_eq!(t.messages, 1);
    }

    #[test]
    fn a_command_written_after_a_concurrent_lock_is_refused_whole() {
        let (t, trail) = close_lock_against("2026-01-01T11:30:00Z");
        let refused: Vec<&str> = trail
            .iter()
            .filter(|i| i.not_applied.is_some())
            .map(|i| i.file.as_str())
            .collect();
        // The reply sorts before the lock by seq, and is refused with the
        // status change it was written with.
        assert_eq!(refused, ["b-reply.md", "b-status.md"]);
        assert!(
            trail[3]
                .not_applied
                .as_deref()
                .unwrap()
                .contains("locked by alice")
        );
        assert_eq!(t.status, Status::Closed);
        assert_eq!(t.messages, 0);
        assert_eq!(t.warnings.len(), 2);
    }

    #[test]
    fn what_the_locker_saw_stays_before_the_lock_whatever_the_clocks_say() {
        // One clone, its clock set back between the note and the lock.
        let mut note = stored(
            "b-note.md",
            2,
            "2026-03-01T00:00:00Z",
            "alice",
            Event::Note { mail: None },
        );
        note.entry.body = "seen\n".into();
        let entries = vec![
            created(),
            note,
            stored(
                "c-lock.md",
                3,
                "2026-01-01T12:00:00Z",
                "alice",
                Event::Lock {},
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert!(trail.iter().all(|i| i.not_applied.is_none()), "{trail:#?}");
        assert_eq!(t.notes, 1);
        assert!(t.locked.is_some());
    }

    #[test]
    fn of_two_concurrent_locks_the_earlier_locks() {
        let entries = vec![
            created(),
            stored(
                "b-lock.md",
                2,
                "2026-01-01T11:00:00Z",
                "alice",
                Event::Lock {},
            ),
            stored(
                "c-lock.md",
                2,
                "2026-01-01T10:30:00Z",
                "bob",
                Event::Lock {},
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert_eq!(t.locked.as_ref().unwrap().by, "bob");
        let refused: Vec<&str> = trail
            .iter()
            .filter(|i| i.not_applied.is_some())
            .map(|i| i.file.as_str())
            .collect();
        assert_eq!(refused, ["b-lock.md"]);
    }

    #[test]
    fn after_an_unlock_writes_apply_again() {
        let entries = vec![
            created(),
            stored(
                "b-lock.md",
                2,
                "2026-01-01T11:00:00Z",
                "alice",
                Event::Lock {},
            ),
            stored(
                "c-unlock.md",
                3,
                "2026-01-01T12:00:00Z",
                "alice",
                Event::Unlock {},
            ),
            stored(
                "d-prio.md",
                4,
                "2026-01-01T12:05:00Z",
                "bob",
                Event::Priority { to: Priority::Low },
            ),
        ];
        let (t, trail) = fold(id(), entries);
        assert!(t.locked.is_none());
        assert_eq!(t.priority, Priority::Low);
        assert!(trail.iter().all(|i| i.not_applied.is_none()));
    }

    fn other() -> TicketId {
        "9QX20000".parse().unwrap()
    }

    fn third() -> TicketId {
        "ZZ990000".parse().unwrap()
    }

    fn merge(file: &str, seq: u64, time: &str, source: TicketId, target: TicketId) -> StoredEntry {
        stored(
            file,
            seq,
            time,
            "alice",
            Event::Merge {
                source,
                target,
                cc: vec![Party::parse("Bob <bob@example.org>").unwrap()],
            },
        )
    }

    fn unmerge(
        file: &str,
        seq: u64,
        time: &str,
        source: TicketId,
        target: TicketId,
    ) -> StoredEntry {
        stored(file, seq, time, "alice", Event::Unmerge { source, target })
    }

    #[test]
    fn a_merged_ticket_is_a_closed_pointer_until_unmerged_as_it_was() {
        let pending = stored(
            "b-status.md",
            2,
            "2026-01-01T11:00:00Z",
            "alice",
            Event::Status {
                to: Status::Pending,
                from: None,
            },
        );
        let merged = merge("c-merge.md", 3, "2026-01-01T12:00:00Z", id(), other());
        let late_note = stored(
            "d-note.md",
            4,
            "2026-01-01T12:30:00Z",
            "bob",
            Event::Note { mail: None },
        );
        let (t, trail) = fold(
            id(),
            vec![
                created(),
                pending.clone(),
                merged.clone(),
                late_note.clone(),
            ],
        );
        assert_eq!(t.status, Status::Closed);
        assert_eq!(t.merged_into, Some(other()));
        assert_eq!(t.notes, 0, "nothing changes a pointer");
        assert!(
            trail[3]
                .not_applied
                .as_deref()
                .unwrap()
                .contains("merged into 9QX20000")
        );

        let back = unmerge("e-unmerge.md", 5, "2026-01-01T13:00:00Z", id(), other());
        let (t, trail) = fold(id(), vec![created(), pending, merged, late_note, back]);
        assert_eq!(t.status, Status::Pending);
        assert_eq!(t.merged_into, None);
        assert_eq!(t.reopened, 0, "an unmerge is not a reopening");
        assert_eq!(t.closed_at, None);
        assert!(trail[4].not_applied.is_none());
    }

    #[test]
    fn the_target_takes_the_sources_people_into_cc_and_gives_them_back() {
        let merged = merge("b-merge.md", 2, "2026-01-01T12:00:00Z", other(), id());
        let (t, _) = fold(id(), vec![created(), merged.clone()]);
        assert_eq!(t.merged_from.keys().copied().collect::<Vec<_>>(), [other()]);
        assert_eq!(t.cc.len(), 1);
        assert_eq!(t.cc[0].email, "bob@example.org");
        assert_eq!(t.status, Status::New, "the target stays as it was");
        let back = unmerge("c-unmerge.md", 3, "2026-01-01T13:00:00Z", other(), id());
        let (t, _) = fold(id(), vec![created(), merged, back]);
        assert!(t.merged_from.is_empty());
        assert!(t.cc.is_empty());
    }

    /// Clone A merged X into Y while clone B merged Y into X: both tickets
    /// hold both entries (with different `seq`s) and must agree that the
    /// earlier merge stands, whatever order the entries come in.
    #[test]
    fn of_two_merges_made_both_ways_on_two_clones_the_earlier_stands_on_both_tickets() {
        let x = id();
        let y = other();
        let x_created = created();
        let mut y_created = created();
        y_created.file = "a-y-created.md".into();
        // On X, B's merge happens to have the lower seq; on Y, A's does.
        let on_x = vec![
            x_created,
            merge("m-a.md", 7, "2026-01-01T12:00:00Z", x, y),
            merge("m-b.md", 3, "2026-01-01T12:05:00Z", y, x),
        ];
        let on_y = vec![
            y_created,
            merge("m-a.md", 2, "2026-01-01T12:00:00Z", x, y),
            merge("m-b.md", 9, "2026-01-01T12:05:00Z", y, x),
        ];
        for mut entries in [on_x.clone(), on_x.into_iter().rev().collect::<Vec<_>>()] {
            let (t, trail) = fold(x, std::mem::take(&mut entries));
            assert_eq!(t.merged_into, Some(y));
            assert!(t.merged_from.is_empty());
            let later = trail.iter().find(|i| i.file == "m-b.md").unwrap();
            assert!(later.not_applied.is_some());
        }
        for mut entries in [on_y.clone(), on_y.into_iter().rev().collect::<Vec<_>>()] {
            let (t, trail) = fold(y, std::mem::take(&mut entries));
            assert_eq!(t.merged_into, None);
            assert_eq!(t.merged_from.keys().copied().collect::<Vec<_>>(), [x]);
            assert_ne!(t.status, Status::Closed);
            let later = trail.iter().find(|i| i.file == "m-b.md").unwrap();
            assert!(later.not_applied.is_some());
        }
    }

    #[test]
    fn a_ticket_merged_into_two_on_two_clones_points_to_the_first() {
        let entries = vec![
            created(),
            merge("m-z.md", 2, "2026-01-01T12:05:00Z", id(), third()),
            merge("m-y.md", 2, "2026-01-01T12:00:00Z", id(), other()),
        ];
        let (t, trail) = fold(id(), entries);
        assert_eq!(t.merged_into, Some(other()));
        let refused = trail.iter().find(|i| i.file == "m-z.md").unwrap();
        assert!(
            refused
                .not_applied
                .as_deref()
                .unwrap()
                .contains("merged into 9QX20000 first")
        );
    }

    #[test]
    fn merged_unmerged_and_merged_the_other_way_is_not_a_conflict() {
        let x = id();
        let y = other();
        let entries = vec![
            created(),
            merge("m1.md", 2, "2026-01-01T12:00:00Z", x, y),
            unmerge("m2.md", 3, "2026-01-01T12:10:00Z", x, y),
            merge("m3.md", 4, "2026-01-01T12:20:00Z", y, x),
        ];
        let (t, trail) = fold(x, entries);
        assert_eq!(t.merged_into, None);
        assert_eq!(t.merged_from.keys().copied().collect::<Vec<_>>(), [y]);
        assert!(trail.iter().all(|i| i.not_applied.is_none()), "{trail:?}");
    }

    #[test]
    fn the_latest_resolution_is_the_tickets() {
        let mut first = stored(
            "b-resolution.md",
            2,
            "2026-01-01T11:00:00Z",
            "bob",
            Event::Resolution {},
        );
        first.entry.body = "Reboot".into();
        let mut second = stored(
            "c-resolution.md",
            3,
            "2026-01-01T12:00:00Z",
            "bob",
            Event::Resolution {},
        );
        second.entry.body = "Firmware 2.1 fixes it".into();
        let (t, _) = fold(id(), vec![second.clone(), created(), first]);
        assert_eq!(t.resolution.as_deref(), Some("Firmware 2.1 fixes it"));
        assert_eq!(t.resolved_at, Some(second.entry.at));
    }

    #[test]
    fn a_split_marks_the_entries_on_the_old_ticket_and_names_them_on_the_new() {
        let split = Event::Split {
            source: id(),
            target: other(),
            entries: vec!["b-message.md".into()],
        };
        let (old, _) = fold(
            id(),
            vec![
                created(),
                stored(
                    "c-split.md",
                    3,
                    "2026-01-01T12:00:00Z",
                    "alice",
                    split.clone(),
                ),
            ],
        );
        assert_eq!(old.split_off.get("b-message.md"), Some(&other()));
        let mut new_created = created();
        new_created.file = "a-new-created.md".into();
        let (new, _) = fold(
            other(),
            vec![
                new_created,
                stored("c-split.md", 2, "2026-01-01T12:00:00Z", "alice", split),
            ],
        );
        assert_eq!(
            new.split_from,
            Some(SplitFrom {
                ticket: id(),
                entries: vec!["b-message.md".into()]
            })
        );
    }

    fn task_entry(file: &str, seq: u64, time: &str, event: Event, text: &str) -> StoredEntry {
        let mut e = stored(file, seq, time, "alice", event);
        e.entry.body = text.into();
        e
    }

    /// Two clones each added a task at the same point of the trail: the
    /// fold numbers them by time whatever order they arrive in, later
    /// records find them by key, and one naming no task is not applied.
    #[test]
    fn tasks_are_numbered_in_fold_order_and_named_by_key() {
        let add = |to: Option<&str>| Event::TaskAdd {
            to: to.map(str::to_string),
            due: None,
            from: None,
        };
        let entries = vec![
            created(),
            task_entry(
                "z-task-add.md",
                2,
                "2026-01-01T10:00:00Z",
                add(None),
                "From a\n",
            ),
            task_entry(
                "y-task-add.md",
                2,
                "2026-01-01T09:30:00Z",
                add(Some("bob")),
                "From b\n",
            ),
            task_entry(
                "x-task-done.md",
                3,
                "2026-01-01T11:00:00Z",
                Event::TaskDone {
                    task: "z-task-add.md".into(),
                },
                "",
            ),
            task_entry(
                "w-task-done.md",
                4,
                "2026-01-01T11:00:00Z",
                Event::TaskDone {
                    task: "nope.md".into(),
                },
                "",
            ),
        ];
        let (t, trail) = fold(id(), entries.clone());
        let numbered: Vec<(u32, &str, bool)> = t
            .tasks
            .iter()
            .map(|task| (task.number, task.text.as_str(), task.is_open()))
            .collect();
        assert_eq!(numbered, [(1, "From b", true), (2, "From a", false)]);
        assert!(trail[4].not_applied.as_deref().unwrap().contains("nope.md"));
        let mut reversed = entries;
        reversed.reverse();
        assert_eq!(fold(id(), reversed).0.tasks, t.tasks);
    }

    #[test]
    fn a_new_deadline_is_reminded_of_again() {
        let key = || "b-task-add.md".to_string();
        let due = |s: &str| Some(at(s));
        let entries = vec![
            created(),
            stored(
                "b-task-add.md",
                2,
                "2026-01-01T10:00:00Z",
                "alice",
                Event::TaskAdd {
                    to: Some("bob".into()),
                    due: due("2026-01-02T10:00:00Z"),
                    from: None,
                },
            ),
            stored(
                "c-task-reminder.md",
                3,
                "2026-01-02T11:00:00Z",
                "tix",
                Event::TaskReminder { task: key() },
            ),
        ];
        let (t, _) = fold(id(), entries.clone());
        assert!(!t.tasks[0].needs_reminder(at("2026-01-03T10:00:00Z")));
        let mut moved = entries;
        moved.push(stored(
            "d-task-due.md",
            4,
            "2026-01-02T12:00:00Z",
            "alice",
            Event::TaskDue {
                task: key(),
                due: due("2026-01-05T10:00:00Z"),
            },
        ));
        let (t, _) = fold(id(), moved);
        assert!(!t.tasks[0].needs_reminder(at("2026-01-04T10:00:00Z")));
        assert!(t.tasks[0].needs_reminder(at("2026-01-05T10:00:00Z")));
    }
}
