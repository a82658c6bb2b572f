//! Filing: deciding where each inbound message belongs and writing it
//! there, in batches of commits.
//!
//! Rules, in order (issue 3): a Message-ID already in the store is a
//! duplicate; In-Reply-To/References naming a stored message thread onto
//! its ticket; a subject tag threads only when the sender already takes
//! part in that ticket; anything else starts a ticket. Automatic mail
//! (loops, bounces, auto-replies, list mail) never starts or reopens a
//! ticket: when it threads it becomes an internal note, otherwise it is
//! skipped. Blacklisted senders are skipped. A message that cannot be
//! filed goes to the quarantine with the reason.

use std::collections::{HashMap, HashSet};

use git2::Oid;
use serde::Serialize;

use super::classify::{NoiseKind, OwnMarks};
use super::mailbox::RawMessage;
use super::parse::{InboundMail, MailAttachment, parse_limited, synthetic_message_id};
use super::quote::split_reply;
use crate::domain::assign::TeamState;
use crate::domain::availability::away_at;
use crate::domain::config::ClosedReply;
use crate::domain::names::{safe_file_name, unique_name};
use crate::domain::ticket::is_bounce_record;
use crate::domain::{
    Config, DeliveryStatus, Entry, Event, LinkRel, MailMeta, Party, Priority, Status, TicketId,
    Timestamp,
};
use crate::error::{Error, Result};
use crate::store::{Author, FILES_DIR, Store, StoreLock, TagSource};

pub use crate::store::QUARANTINE_DIR;

/// A batch is committed early once it holds this much, which bounds the
/// memory an import needs by the batch, whatever the mailbox's size.
pub const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;

/// What happened to one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum Action {
    /// A new ticket (linked to `linked_to` when the reply went to a locked
    /// or closed ticket).
    Created {
        ticket: TicketId,
        #[serde(skip_serializing_if = "Option::is_none")]
        linked_to: Option<TicketId>,
    },
    /// Added to an existing ticket.
    FollowUp {
        ticket: TicketId,
        reopened: bool,
    },
    /// Automatic mail recorded on its ticket as an internal note.
    Noted {
        ticket: TicketId,
        noise: NoiseKind,
    },
    /// Already in the store.
    Duplicate {
        #[serde(skip_serializing_if = "Option::is_none")]
        ticket: Option<TicketId>,
    },
    /// Automatic mail that belongs to no ticket.
    Skipped {
        noise: NoiseKind,
        reason: String,
    },
    Blacklisted {
        sender: String,
    },
    /// Kept in the quarantine, not filed.
    Quarantined {
        file: String,
        reason: String,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct MessageOutcome {
    /// Where the message came from (a file, an mbox position).
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    #[serde(flatten)]
    pub action: Action,
}

/// What the store knows about one ticket, as far as filing needs.
#[derive(Clone, Debug)]
struct TicketInfo {
    status: Status,
    locked: bool,
    closed_at: Option<Timestamp>,
    /// Lower-case addresses of the customer, Cc and everyone who wrote.
    participants: HashSet<String>,
    last_seq: u64,
    assignee: Option<String>,
}

/// Lookups filing needs, taken from the store's derived index (so no
/// message rescans the store, and one message piped from an MTA reads only
/// what changed since the last command) and kept current as messages are
/// filed.
struct MailIndex {
    /// For assigning new tickets, and re-assigning those whose agent is
    /// away.
    team: TeamState,
    by_message_id: HashMap<String, TicketId>,
    tickets: HashMap<TicketId, TicketInfo>,
    quarantined: HashSet<String>,
}

impl MailIndex {
    fn load(store: &Store) -> Result<MailIndex> {
        let index = store.index()?;
        let tickets = index
            .tickets()
            .map(|t| {
                (
                    t.ticket.id,
                    TicketInfo {
                        status: t.ticket.status,
                        locked: t.ticket.locked.is_some(),
                        closed_at: t.ticket.closed_at,
                        participants: t.participants.iter().cloned().collect(),
                        last_seq: t.ticket.last_seq,
                        assignee: t.ticket.assignee.clone(),
                    },
                )
            })
            .collect();
        let mut team = TeamState::default();
        for t in index.tickets() {
            if let (Some(agent), Some(at)) =
                (&t.ticket.assignee, t.assigned_at.or(t.ticket.created_at))
            {
                team.count(agent, at, t.ticket.status != Status::Closed);
            }
        }
        team.away = away_at(
            &crate::ops::team::availability_records(store)?,
            crate::ops::now()?,
        );
        Ok(MailIndex {
            team,
            by_message_id: index.message_ids(),
            tickets,
            quarantined: store.quarantined_names()?.into_iter().collect(),
        })
    }
}

/// Files messages into a store. Holds the store lock for its lifetime, so
/// concurrent imports and commands are serialised (a scheduled fetch
/// racing a manual one lost mail in FreeScout #3186).
pub struct Importer<'s> {
    store: &'s Store,
    config: Config,
    own: OwnMarks,
    index: MailIndex,
    lock: Option<StoreLock>,
    dry_run: bool,
    batch: Vec<(String, Vec<u8>)>,
    /// Quarantine files to delete with the batch (messages filed on retry).
    removals: Vec<String>,
    batch_bytes: usize,
    batch_messages: usize,
    batch_limit: usize,
    counts: Counts,
    /// Every entry of a batch gets its own tag (see [`TagSource`]).
    tags: TagSource,
}

/// Totals of an import run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub messages: usize,
    pub new_tickets: usize,
    pub follow_ups: usize,
    pub reopened: usize,
    pub noted: usize,
    pub duplicates: usize,
    pub auto_replies: usize,
    pub bounces: usize,
    pub lists: usize,
    pub loops: usize,
    pub blacklisted: usize,
    pub quarantined: usize,
    /// Files of a Maildir that were not read (links, devices, FIFOs);
    /// left out of the report when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped_files: usize,
    pub commits: usize,
    /// The tickets this run opened (committed once the run finishes), for
    /// the auto-responder.
    #[serde(skip)]
    pub created: Vec<TicketId>,
    /// Acknowledgements the auto-responder sent for them.
    pub acknowledged: usize,
    /// Agents' e-mailed replies to pass on to the customer, by ticket and
    /// entry file.
    #[serde(skip)]
    pub relay: Vec<(TicketId, String)>,
    /// Of those, how many were e-mailed on.
    pub relayed: usize,
    /// Tickets a customer's mail followed up on, for notifications.
    #[serde(skip)]
    pub followed_up: Vec<TicketId>,
    /// Notifications e-mailed to agents.
    pub notified: usize,
}

impl<'s> Importer<'s> {
    /// Takes the store lock and reads what filing needs. With `dry_run`
    /// nothing is written, but every decision is made as it would be.
    pub fn new(store: &'s Store, dry_run: bool) -> Result<Importer<'s>> {
        let lock = store.lock()?;
        let config = store.config().clone();
        let own = OwnMarks {
            loop_token: Some(loop_token(&config)),
            message_id_domain: config.mail.message_id_domain.clone(),
        };
        Ok(Importer {
            index: MailIndex::load(store)?,
            store,
            config,
            own,
            lock: Some(lock),
            dry_run,
            batch: Vec::new(),
            removals: Vec::new(),
            batch_bytes: 0,
            batch_messages: 0,
            batch_limit: 500,
            counts: Counts::default(),
            tags: TagSource::new()?,
        })
    }

    /// Messages per commit. Each commit is atomic: a run killed mid-batch
    /// loses only that batch's writes, and running again files them.
    pub fn set_batch_limit(&mut self, n: usize) {
        self.batch_limit = n.max(1);
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Whether the store (or this run) holds mail with this Message-ID.
    pub fn knows_message_id(&self, message_id: &str) -> bool {
        self.index.by_message_id.contains_key(message_id)
    }

    /// Files one raw message.
    pub fn import(&mut self, raw: &[u8], source: &str) -> Result<MessageOutcome> {
        let now = crate::ops::now()?;
        let outcome = self.decide_and_write(raw, source, now)?;
        self.tally(outcome)
    }

    /// Files a message as a mailbox reader gave it: one that was too large
    /// to read whole is quarantined with its header only, since the rest
    /// was never read.
    pub fn import_message(&mut self, m: &RawMessage) -> Result<MessageOutcome> {
        if m.complete {
            return self.import(&m.bytes, &m.source);
        }
        let now = crate::ops::now()?;
        let limit = self.config.mail.max_message_bytes;
        let size = match m.size {
            Some(size) => format!("{size} bytes"),
            None => format!("more than {} bytes", m.bytes.len()),
        };
        let reason = format!(
            "message is {size}; the limit is {limit} (mail.max_message_bytes), and only its \
             header was read and kept here: file it from {} after raising the limit",
            m.source
        );
        let head = m.head();
        let record_size = m.size.unwrap_or(m.bytes.len() as u64);
        let action = self.quarantine_as(head, &m.source, &reason, record_size, true, now)?;
        let outcome = MessageOutcome {
            source: m.source.clone(),
            message_id: None,
            subject: String::new(),
            action,
        };
        self.tally(outcome)
    }

    /// How much of one message a reader may take into memory: twice the
    /// size limit, so a message somewhat over the limit is still kept whole
    /// in the quarantine (and can be filed after raising the limit), while
    /// an absurd one costs no more than that.
    pub fn read_limit_of(store: &Store) -> u64 {
        store.config().mail.max_message_bytes.saturating_mul(2)
    }

    /// Counts a file a mailbox reader did not read (a symbolic link in a
    /// Maildir, say).
    pub fn skip_file(&mut self) {
        self.counts.skipped_files += 1;
    }

    fn tally(&mut self, outcome: MessageOutcome) -> Result<MessageOutcome> {
        self.counts.messages += 1;
        match &outcome.action {
            Action::Created { .. } => self.counts.new_tickets += 1,
            Action::FollowUp { reopened, .. } => {
                self.counts.follow_ups += 1;
                self.counts.reopened += usize::from(*reopened);
            }
            Action::Noted { .. } => self.counts.noted += 1,
            Action::Duplicate { .. } => self.counts.duplicates += 1,
            Action::Skipped { noise, .. } => match noise {
                NoiseKind::AutoReply => self.counts.auto_replies += 1,
                NoiseKind::Bounce => self.counts.bounces += 1,
                NoiseKind::List => self.counts.lists += 1,
                NoiseKind::Loop => self.counts.loops += 1,
            },
            Action::Blacklisted { .. } => self.counts.blacklisted += 1,
            Action::Quarantined { .. } => self.counts.quarantined += 1,
        }
        self.batch_messages += 1;
        if self.batch_messages >= self.batch_limit || self.batch_bytes >= MAX_BATCH_BYTES {
            self.flush()?;
        }
        Ok(outcome)
    }

    /// Files a quarantined message (`quarantine/<name>.eml`) again. When it
    /// is filed or deliberately skipped this time, it leaves the quarantine
    /// in the same commit; when it is refused again, its record is updated.
    pub fn retry_quarantined(&mut self, name: &str) -> Result<MessageOutcome> {
        let eml = format!("{QUARANTINE_DIR}/{name}.eml");
        let raw = self
            .store
            .read_file(&eml)?
            .ok_or_else(|| Error::not_found(format!("{eml} is not in the quarantine")))?;
        let record = self
            .store
            .read_file(&format!("{QUARANTINE_DIR}/{name}.yaml"))?
            .and_then(|bytes| serde_yaml::from_slice::<QuarantineRecord>(&bytes).ok());
        if let Some(record) = record.filter(|r| r.truncated) {
            // Filing the header alone would make a ticket of a message
            // whose text was never read.
            return self.tally(MessageOutcome {
                source: eml.clone(),
                message_id: None,
                subject: String::new(),
                action: Action::Quarantined {
                    file: eml,
                    reason: record.reason,
                },
            });
        }
        self.index.quarantined.remove(name);
        let outcome = self.import(&raw, &eml)?;
        if !matches!(outcome.action, Action::Quarantined { .. }) && !self.dry_run {
            self.removals.push(eml);
            self.removals.push(format!("{QUARANTINE_DIR}/{name}.yaml"));
        }
        Ok(outcome)
    }

    /// Commits what is pending. Called automatically per batch and by
    /// [`Importer::finish`].
    pub fn flush(&mut self) -> Result<Vec<String>> {
        self.batch_messages = 0;
        self.batch_bytes = 0;
        if (self.batch.is_empty() && self.removals.is_empty()) || self.dry_run {
            self.batch.clear();
            self.removals.clear();
            return Ok(Vec::new());
        }
        let removals = std::mem::take(&mut self.removals);
        let staged = std::mem::take(&mut self.batch);
        let contents: Vec<&[u8]> = staged.iter().map(|(_, b)| b.as_slice()).collect();
        let ids = self.store.write_blobs_packed(&contents)?;
        let files: Vec<(String, Oid)> = staged.into_iter().map(|(p, _)| p).zip(ids).collect();
        let c = &self.counts;
        let message = format!(
            "tix: import mail\n\n{} messages so far: {} new tickets, {} follow-ups, {} noted, {} quarantined",
            c.messages, c.new_tickets, c.follow_ups, c.noted, c.quarantined
        );
        let lock = self
            .lock
            .as_ref()
            .ok_or_else(|| Error::internal("import already finished"))?;
        let committed =
            self.store
                .commit_changes(lock, files, removals, &message, &self.author())?;
        self.counts.commits += 1;
        Ok(committed.warning.into_iter().collect())
    }

    /// Commits the last batch and releases the store.
    pub fn finish(mut self) -> Result<(Counts, Vec<String>)> {
        let warnings = self.flush()?;
        self.lock.take();
        Ok((self.counts, warnings))
    }

    fn author(&self) -> Author {
        Author {
            name: "tix mail import".into(),
            email: self
                .config
                .mail
                .addresses
                .first()
                .cloned()
                .unwrap_or_else(|| "tix@localhost".into()),
        }
    }

    fn decide_and_write(
        &mut self,
        raw: &[u8],
        source: &str,
        now: Timestamp,
    ) -> Result<MessageOutcome> {
        let outcome =
            |message_id: Option<String>, subject: String, action: Action| MessageOutcome {
                source: source.to_string(),
                message_id,
                subject,
                action,
            };
        if raw.len() as u64 > self.config.mail.max_message_bytes {
            let reason = format!(
                "message is {} bytes; the limit is {} (mail.max_message_bytes)",
                raw.len(),
                self.config.mail.max_message_bytes
            );
            return self
                .quarantine(raw, source, &reason, now)
                .map(|a| outcome(None, String::new(), a));
        }
        // mail-parser is trusted not to panic, but one bad message must not
        // take the rest of the mailbox down with it if it ever does.
        let parsed = parse_quietly(raw, &self.own, self.config.mail.max_parts);
        let mail = match parsed {
            Ok(mail) => mail,
            Err(reason) => {
                return self
                    .quarantine(raw, source, &reason, now)
                    .map(|a| outcome(None, String::new(), a));
            }
        };
        let id = Some(mail.message_id.clone());
        let subject = mail.subject.clone();
        if let Some(ticket) = self.index.by_message_id.get(&mail.message_id) {
            return Ok(outcome(
                id,
                subject,
                Action::Duplicate {
                    ticket: Some(*ticket),
                },
            ));
        }
        if mail.parts > self.config.mail.max_parts {
            // All or nothing: a part of a message filed would look like the
            // whole of it.
            let reason = format!(
                "message has {} MIME parts; the limit is {} (mail.max_parts)",
                mail.parts, self.config.mail.max_parts
            );
            return self
                .quarantine(raw, source, &reason, now)
                .map(|a| outcome(id, subject, a));
        }
        if let Some(n) = &mail.noise
            && n.kind == NoiseKind::Loop
        {
            return Ok(outcome(
                id,
                subject,
                Action::Skipped {
                    noise: n.kind,
                    reason: n.reason.clone(),
                },
            ));
        }
        let from = match (&mail.from, &mail.noise) {
            (Some(from), _) => from.clone(),
            // Bounces often come from the null sender; they are still
            // recognisable noise, not refused mail.
            (None, Some(_)) => Party {
                name: Some("unknown sender".into()),
                email: "unknown@invalid".into(),
            },
            (None, None) => {
                let reason = "no sender address in From or Sender";
                return self
                    .quarantine(raw, source, reason, now)
                    .map(|a| outcome(id, subject, a));
            }
        };
        if self
            .config
            .mail
            .blacklist
            .iter()
            .any(|b| b.matches(&from.email, &mail.subject))
        {
            return Ok(outcome(
                id,
                subject,
                Action::Blacklisted { sender: from.email },
            ));
        }
        let is_bounce = mail
            .noise
            .as_ref()
            .is_some_and(|n| n.kind == NoiseKind::Bounce);
        let threaded = self
            .thread(&mail, &from)
            .or_else(|| is_bounce.then(|| self.thread_bounce(&mail)).flatten());
        let bounced = match threaded {
            Some(ticket) if is_bounce => self.bounced_reply(ticket, &mail)?,
            _ => None,
        };
        let action = match (&mail.noise, threaded) {
            (Some(noise), Some(ticket)) if !self.index.tickets[&ticket].locked => {
                let delivery = bounced.map(|(entry, body)| {
                    vec![(
                        Event::Delivery {
                            entry,
                            status: DeliveryStatus::Failed,
                        },
                        body,
                    )]
                });
                let event_for = |meta| Event::Note { mail: Some(meta) };
                self.write_mail_entry(
                    ticket,
                    &mail,
                    raw,
                    &from.email,
                    "note",
                    event_for,
                    delivery,
                    now,
                )?;
                Action::Noted {
                    ticket,
                    noise: noise.kind,
                }
            }
            // A locked ticket takes no note, but what became of mail it
            // sent is still recorded (a delivery entry applies when locked).
            (Some(noise), Some(ticket)) if bounced.is_some() => {
                let (entry, body) = bounced.expect("checked");
                let info = self
                    .index
                    .tickets
                    .get_mut(&ticket)
                    .expect("ticket is indexed");
                info.last_seq += 1;
                let seq = info.last_seq;
                self.write_entries(
                    ticket,
                    vec![Entry {
                        at: now,
                        seq,
                        author: "tix".into(),
                        event: Event::Delivery {
                            entry,
                            status: DeliveryStatus::Failed,
                        },
                        body,
                    }],
                )?;
                Action::Noted {
                    ticket,
                    noise: noise.kind,
                }
            }
            (Some(noise), _) => {
                if self.config.mail.quarantine_noise {
                    let reason = format!(
                        "automatic mail ({}): {}",
                        kind_name(noise.kind),
                        noise.reason
                    );
                    return self
                        .quarantine(raw, source, &reason, now)
                        .map(|a| outcome(id, subject, a));
                }
                Action::Skipped {
                    noise: noise.kind,
                    reason: noise.reason.clone(),
                }
            }
            (None, Some(ticket)) => self.follow_up_or_new(ticket, &mail, raw, &from, now)?,
            (None, None) => {
                let ticket = self.write_new_ticket(&mail, raw, &from, None, now)?;
                Action::Created {
                    ticket,
                    linked_to: None,
                }
            }
        };
        Ok(outcome(id, subject, action))
    }

    /// The ticket a message threads onto, if any.
    fn thread(&self, mail: &InboundMail, from: &Party) -> Option<TicketId> {
        let by_header = mail
            .in_reply_to
            .iter()
            .chain(mail.references.iter().rev())
            .find_map(|id| self.index.by_message_id.get(id).copied());
        if by_header.is_some() {
            return by_header;
        }
        let tagged = find_subject_tag(&self.config.mail.subject_tag, &mail.subject)?;
        let info = self.index.tickets.get(&tagged)?;
        let sender = from.email.to_ascii_lowercase();
        let is_agent = self.config.agent(&from.email).is_some();
        (info.participants.contains(&sender) || is_agent).then_some(tagged)
    }

    /// The ticket a bounce belongs to by the message it returns: that
    /// message's own id (ours, when it is a reply tix sent), then its
    /// In-Reply-To and References, then the ticket tag in its subject, but
    /// only when the returned message carries tix's Message-ID domain, so a
    /// made-up bounce cannot write into a ticket by naming its tag.
    fn thread_bounce(&self, mail: &InboundMail) -> Option<TicketId> {
        let r = &mail.returned;
        let by_id = r
            .message_id
            .iter()
            .chain(r.thread.iter())
            .find_map(|id| self.index.by_message_id.get(id).copied());
        if by_id.is_some() {
            return by_id;
        }
        let domain = super::send::message_id_domain(&self.config.mail);
        let ours = r
            .message_id
            .as_ref()
            .and_then(|id| id.rsplit_once('@'))
            .is_some_and(|(_, d)| d.eq_ignore_ascii_case(&domain));
        let tagged = find_subject_tag(&self.config.mail.subject_tag, r.subject.as_deref()?)?;
        (ours && self.index.tickets.contains_key(&tagged)).then_some(tagged)
    }

    /// The outbound entry of `ticket` a bounce returns (by the returned
    /// message's id, or the bounce's In-Reply-To), with the body of the
    /// failed `delivery` that records it; None when it names none, or the
    /// bounce is already recorded for it.
    fn bounced_reply(
        &self,
        ticket: TicketId,
        mail: &InboundMail,
    ) -> Result<Option<(String, String)>> {
        let ids: Vec<&String> = mail
            .returned
            .message_id
            .iter()
            .chain(mail.in_reply_to.iter())
            .collect();
        if ids.is_empty() || !self.store.ticket_exists(&ticket)? {
            return Ok(None);
        }
        let entries = self.store.read_ticket(&ticket)?.entries;
        let Some(file) = entries.iter().find_map(|e| match e.entry.event.mail() {
            Some(m) if m.outbound && ids.contains(&&m.message_id) => Some(e.file.clone()),
            _ => None,
        }) else {
            return Ok(None);
        };
        let recorded = entries.iter().any(|e| {
            matches!(&e.entry.event, Event::Delivery { entry, status: DeliveryStatus::Failed }
                if *entry == file && is_bounce_record(&e.entry.body))
        });
        if recorded {
            return Ok(None);
        }
        // The first line is what `show` and the ticket's `bounced` summary
        // give: the server's own words when the report has them, not
        // merely why the mail was taken for a bounce.
        let said = |name: &str| {
            mail.returned.diagnostic.iter().find_map(|l| {
                l.get(..name.len() + 1)
                    .filter(|p| p.eq_ignore_ascii_case(&format!("{name}:")))
                    .map(|_| l[name.len() + 1..].trim().to_string())
            })
        };
        let why = said("Diagnostic-Code")
            .or_else(|| said("Status"))
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| {
                mail.noise
                    .as_ref()
                    .map(|n| n.reason.clone())
                    .unwrap_or_default()
            });
        let mut body = format!("bounced: {why}\n");
        for line in &mail.returned.diagnostic {
            body.push_str(line);
            body.push('\n');
        }
        Ok(Some((file, body)))
    }

    fn follow_up_or_new(
        &mut self,
        ticket: TicketId,
        mail: &InboundMail,
        raw: &[u8],
        from: &Party,
        now: Timestamp,
    ) -> Result<Action> {
        let info = &self.index.tickets[&ticket];
        if info.locked {
            let new = self.write_new_ticket(mail, raw, from, Some(ticket), now)?;
            return Ok(Action::Created {
                ticket: new,
                linked_to: Some(ticket),
            });
        }
        let is_agent = self.config.agent(&from.email).is_some();
        if info.status == Status::Closed && !is_agent {
            let start_new = match self.config.mail.closed_reply {
                ClosedReply::Reopen => false,
                ClosedReply::New => true,
                ClosedReply::NewAfterDays => info.closed_at.is_some_and(|closed| {
                    closed.seconds_until(now) > i64::from(self.config.mail.reopen_days) * 86_400
                }),
            };
            if start_new {
                let new = self.write_new_ticket(mail, raw, from, Some(ticket), now)?;
                return Ok(Action::Created {
                    ticket: new,
                    linked_to: Some(ticket),
                });
            }
        }
        let reopened = self.write_follow_up(ticket, mail, raw, from, is_agent, now)?;
        Ok(Action::FollowUp { ticket, reopened })
    }

    /// The agent the configured rule gives a new ticket now, if any.
    fn choose_agent(&self) -> Result<Option<String>> {
        crate::ops::team::choose_agent(&self.config, &self.index.team)
    }

    fn write_new_ticket(
        &mut self,
        mail: &InboundMail,
        raw: &[u8],
        from: &Party,
        linked_to: Option<TicketId>,
        now: Timestamp,
    ) -> Result<TicketId> {
        let id = self.new_ticket_id(&mail.message_id);
        let cc = self.participants_besides(mail, &[from.email.as_str()]);
        let subject = if mail.subject.trim().is_empty() {
            "(no subject)".to_string()
        } else {
            mail.subject.clone()
        };
        let mut entries = vec![Entry {
            at: now,
            seq: 1,
            author: from.email.clone(),
            event: Event::Created {
                subject,
                customer: from.clone(),
                cc: cc.clone(),
                priority: Priority::Normal,
                tags: Vec::new(),
                fields: Default::default(),
            },
            body: String::new(),
        }];
        if let Some(old) = linked_to {
            entries.push(Entry {
                at: now,
                seq: 2,
                author: from.email.clone(),
                event: Event::Link {
                    rel: LinkRel::Related,
                    target: old,
                },
                body: String::new(),
            });
        }
        let assignee = self.choose_agent()?;
        if let Some(agent) = &assignee {
            entries.push(Entry {
                at: now,
                seq: entries.len() as u64 + 1,
                author: "tix".into(),
                event: Event::Assign {
                    to: Some(agent.clone()),
                },
                body: format!(
                    "Assigned by the {} rule.\n",
                    self.config.assignment.rule.as_str()
                ),
            });
            self.index.team.record(agent, now);
        }
        let mut participants: HashSet<String> =
            cc.iter().map(|p| p.email.to_ascii_lowercase()).collect();
        participants.insert(from.email.to_ascii_lowercase());
        self.index.tickets.insert(
            id,
            TicketInfo {
                status: Status::New,
                locked: false,
                closed_at: None,
                participants,
                last_seq: entries.len() as u64,
                assignee,
            },
        );
        self.write_entries(id, entries)?;
        let event_for = |meta| Event::Message {
            from: from.clone(),
            mail: Some(meta),
        };
        self.write_mail_entry(id, mail, raw, &from.email, "message", event_for, None, now)?;
        if !self.dry_run {
            self.counts.created.push(id);
        }
        Ok(id)
    }

    fn write_follow_up(
        &mut self,
        ticket: TicketId,
        mail: &InboundMail,
        raw: &[u8],
        from: &Party,
        is_agent: bool,
        now: Timestamp,
    ) -> Result<bool> {
        let info = self.index.tickets[&ticket].clone();
        // Someone who takes no part in the ticket got here by its headers
        // alone (knowing one Message-ID is enough): the message is kept,
        // but neither they nor the people they copied join the Cc, so the
        // agent's replies do not go to a stranger. `tix show` flags it.
        let outsider = !is_agent && !info.participants.contains(&from.email.to_ascii_lowercase());
        let new_cc: Vec<Party> = self
            .participants_besides(mail, &[from.email.as_str()])
            .into_iter()
            .chain((!is_agent).then(|| from.clone()))
            .filter(|_| !outsider)
            .filter(|p| !info.participants.contains(&p.email.to_ascii_lowercase()))
            .filter(|p| self.config.agent(&p.email).is_none())
            .collect();
        let author = match self.config.agent(&from.email) {
            Some(agent) => agent.handle.clone(),
            None => from.email.clone(),
        };
        // An agent writing by mail answers the customer, unless the text
        // starts with a `#note` line: then it is an internal note.
        let as_note = is_agent && without_note_marker(&split_reply(&mail.text).reply).is_some();
        let event_for = |meta| {
            if as_note {
                Event::Note { mail: Some(meta) }
            } else if is_agent {
                Event::Reply { mail: Some(meta) }
            } else {
                Event::Message {
                    from: from.clone(),
                    mail: Some(meta),
                }
            }
        };
        // A customer writing again means the ball is back with the team.
        let next_status = (!is_agent)
            .then_some(info.status)
            .filter(|s| matches!(s, Status::Pending | Status::Closed))
            .map(|from_status| Event::Status {
                to: Status::Open,
                from: Some(from_status),
            });
        let reopened = info.status == Status::Closed && next_status.is_some();
        let mut extra = Vec::new();
        if !new_cc.is_empty() {
            extra.push((
                Event::Cc {
                    add: new_cc.clone(),
                    remove: Vec::new(),
                },
                String::new(),
            ));
        }
        extra.extend(next_status.map(|e| (e, String::new())));
        // The customer is waiting on someone who is away: the rule picks
        // another agent now.
        let mut reassigned = None;
        if !is_agent
            && let Some(away) = info
                .assignee
                .as_ref()
                .filter(|a| self.index.team.away.contains_key(*a))
            && let Some(next) = self.choose_agent()?
        {
            extra.push((
                Event::Assign {
                    to: Some(next.clone()),
                },
                format!(
                    "Re-assigned by the {} rule: {away} is away and the customer wrote.\n",
                    self.config.assignment.rule.as_str()
                ),
            ));
            reassigned = Some(next);
        }
        let kind = match (is_agent, as_note) {
            (true, true) => "note",
            (true, false) => "reply",
            _ => "message",
        };
        let file = self.write_mail_entry(
            ticket,
            mail,
            raw,
            &author,
            kind,
            event_for,
            Some(extra),
            now,
        )?;
        if kind == "reply" && !self.dry_run {
            self.counts.relay.push((ticket, file));
        } else if kind == "message" && !self.dry_run {
            self.counts.followed_up.push(ticket);
        }
        let info = self
            .index
            .tickets
            .get_mut(&ticket)
            .expect("ticket is indexed");
        for p in new_cc {
            info.participants.insert(p.email.to_ascii_lowercase());
        }
        if let Some(next) = reassigned {
            info.assignee = Some(next.clone());
            self.index.team.record(&next, now);
        }
        if reopened || info.status == Status::Pending && !is_agent {
            info.status = Status::Open;
            info.closed_at = None;
        }
        Ok(reopened)
    }

    /// Writes the entry carrying a message (with its original, quoted part,
    /// HTML and attachments), then `extra` entries in the same batch.
    #[allow(clippy::too_many_arguments)]
    fn write_mail_entry(
        &mut self,
        ticket: TicketId,
        mail: &InboundMail,
        raw: &[u8],
        author: &str,
        kind: &str,
        event_for: impl FnOnce(Box<MailMeta>) -> Event,
        extra: Option<Vec<(Event, String)>>,
        now: Timestamp,
    ) -> Result<String> {
        let info = self
            .index
            .tickets
            .get_mut(&ticket)
            .expect("ticket is indexed");
        let seq = info.last_seq + 1;
        let tag = self.tags.next_tag();
        let stem = format!("{}-{tag}-{kind}", now.to_file_stamp());
        // The original, the quoted part and the HTML sit beside the entry
        // (`<stem>.eml`, ...): one directory fewer per message, which is
        // most of an import's cost on a busy file system. Attachments keep
        // a directory of their own for their free-form names.
        let files_dir = format!("{FILES_DIR}/{stem}");
        let (sent_at, date_missing) = match mail.date {
            Some(d) if plausible_date(d, now) => (d, false),
            _ => (now, true),
        };
        let mut split = split_reply(&mail.text);
        if kind == "note"
            && let Some(rest) = without_note_marker(&split.reply)
        {
            split.reply = rest;
        }
        let mut own_files: Vec<(String, Vec<u8>)> = vec![(format!("{stem}.eml"), raw.to_vec())];
        let quoted = split.quoted.as_ref().map(|q| {
            let path = format!("{stem}.quoted.txt");
            own_files.push((path.clone(), q.clone().into_bytes()));
            path
        });
        if let Some(html) = &mail.html {
            own_files.push((format!("{stem}.html"), html.clone().into_bytes()));
        }
        let mut omitted = Vec::new();
        let mut attachments = Vec::new();
        let mut taken = Vec::new();
        for a in &mail.attachments {
            if a.bytes.len() as u64 > self.config.max_attachment_bytes {
                omitted.push(format!(
                    "{} ({} bytes): larger than max_attachment_bytes",
                    a.name.as_deref().unwrap_or("unnamed"),
                    a.bytes.len()
                ));
                continue;
            }
            let safe = unique_name(
                &safe_file_name(a.name.as_deref().unwrap_or(""), &fallback_name(a)),
                &taken,
            );
            taken.push(safe.clone());
            attachments.push((format!("{files_dir}/{safe}"), a));
        }
        let meta = MailMeta {
            message_id: mail.message_id.clone(),
            in_reply_to: mail.in_reply_to.clone(),
            references: mail.references.clone(),
            to: mail.to.clone(),
            cc: mail.cc.clone(),
            subject: mail.subject.clone(),
            sent_at,
            date_missing,
            raw: format!("{stem}.eml"),
            quoted,
            noise: mail
                .noise
                .as_ref()
                .map(|n| format!("{}: {}", kind_name(n.kind), n.reason)),
            omitted,
            outbound: false,
        };
        let main = Entry {
            at: now,
            seq,
            author: author.to_string(),
            event: event_for(Box::new(meta)),
            body: split.reply,
        };
        let main_file = format!("{stem}.md");
        debug_assert_eq!(main_file, main.file_name(&tag));
        let dir = Store::ticket_dir(&ticket);
        let mut pending: Vec<(String, Vec<u8>)> =
            vec![(format!("{dir}/{main_file}"), main.encode().into_bytes())];
        for (path, bytes) in own_files {
            pending.push((format!("{dir}/{path}"), bytes));
        }
        let mut next = seq + 1;
        for (path, a) in attachments {
            let record = Entry {
                at: now,
                seq: next,
                author: author.to_string(),
                event: Event::Attachment {
                    file: path.clone(),
                    name: a
                        .name
                        .clone()
                        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or("").to_string()),
                    size: a.bytes.len() as u64,
                    entry: Some(main_file.clone()),
                },
                body: String::new(),
            };
            next += 1;
            let record_name = record.file_name(&self.tags.next_tag());
            pending.push((format!("{dir}/{path}"), a.bytes.clone()));
            pending.push((format!("{dir}/{record_name}"), record.encode().into_bytes()));
        }
        for (event, body) in extra.unwrap_or_default() {
            // What a rule did is by tix; the rest is the message's author.
            let by = if body.is_empty() { author } else { "tix" };
            let e = Entry {
                at: now,
                seq: next,
                author: by.to_string(),
                event,
                body,
            };
            next += 1;
            let name = e.file_name(&self.tags.next_tag());
            pending.push((format!("{dir}/{name}"), e.encode().into_bytes()));
        }
        let info = self
            .index
            .tickets
            .get_mut(&ticket)
            .expect("ticket is indexed");
        info.last_seq = next - 1;
        self.index
            .by_message_id
            .insert(mail.message_id.clone(), ticket);
        self.stage(pending)?;
        Ok(main_file)
    }

    fn write_entries(&mut self, ticket: TicketId, entries: Vec<Entry>) -> Result<()> {
        let dir = Store::ticket_dir(&ticket);
        let mut pending = Vec::new();
        for entry in entries {
            let name = entry.file_name(&self.tags.next_tag());
            pending.push((format!("{dir}/{name}"), entry.encode().into_bytes()));
        }
        self.stage(pending)
    }

    /// Puts files into the pending batch, which is committed when it holds
    /// `batch_limit` messages or [`MAX_BATCH_BYTES`]: that bounds the
    /// memory an import needs, whatever the size of the mailbox.
    fn stage(&mut self, files: Vec<(String, Vec<u8>)>) -> Result<()> {
        if self.dry_run {
            return Ok(());
        }
        self.batch_bytes += files.iter().map(|(_, b)| b.len()).sum::<usize>();
        self.batch.extend(files);
        Ok(())
    }

    fn quarantine(
        &mut self,
        raw: &[u8],
        source: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<Action> {
        self.quarantine_as(raw, source, reason, raw.len() as u64, false, now)
    }

    /// Quarantines `raw`; `truncated` when it is only the header of a
    /// message of `size` bytes that was too large to read.
    fn quarantine_as(
        &mut self,
        raw: &[u8],
        source: &str,
        reason: &str,
        size: u64,
        truncated: bool,
        now: Timestamp,
    ) -> Result<Action> {
        let name = synthetic_message_id(raw)
            .trim_end_matches("@tix.invalid")
            .to_string();
        let file = format!("{QUARANTINE_DIR}/{name}.eml");
        if !self.index.quarantined.insert(name.clone()) {
            return Ok(Action::Duplicate { ticket: None });
        }
        // What follows from the message alone, so that the same message
        // quarantined on two clones gives the same file and their merge
        // does not conflict; where and when it came is in the commit.
        let _ = (source, now);
        let record = QuarantineRecord {
            format: 1,
            at: None,
            reason: reason.to_string(),
            source: None,
            size,
            truncated,
        };
        let yaml = serde_yaml::to_string(&record)
            .map_err(|e| Error::internal(format!("cannot write quarantine record: {e}")))?;
        self.stage(vec![
            (file.clone(), raw.to_vec()),
            (format!("{QUARANTINE_DIR}/{name}.yaml"), yaml.into_bytes()),
        ])?;
        Ok(Action::Quarantined {
            file,
            reason: reason.to_string(),
        })
    }

    /// Ticket ids of mail-born tickets come from the first message's id, so
    /// importing the same mailbox again (after a crash, say) gives the same
    /// ids; a clash with another ticket moves on to the next candidate.
    fn new_ticket_id(&self, message_id: &str) -> TicketId {
        (0u32..)
            .map(|n| {
                let seed = format!("{message_id}\n{n}");
                let oid = Oid::hash_object(git2::ObjectType::Blob, seed.as_bytes())
                    .unwrap_or(Oid::ZERO_SHA1);
                let b = oid.as_bytes();
                TicketId::from_random([b[0], b[1], b[2], b[3], b[4]])
            })
            .find(|id| !self.index.tickets.contains_key(id))
            .expect("an unused id exists")
    }

    /// The other people on a message: Cc, and To unless it is only the
    /// support address, without support addresses, agents and `except`.
    /// With no support addresses configured, To is taken to be the support
    /// mailbox and only Cc counts.
    fn participants_besides(&self, mail: &InboundMail, except: &[&str]) -> Vec<Party> {
        let to: &[Party] = if self.config.mail.addresses.is_empty() {
            &[]
        } else {
            &mail.to
        };
        let mut out: Vec<Party> = Vec::new();
        for p in to.iter().chain(mail.cc.iter()) {
            if self.config.mail.is_support_address(&p.email)
                || self.config.agent(&p.email).is_some()
                || except.iter().any(|e| p.same_address(e))
                || out.iter().any(|o| o.same_address(&p.email))
            {
                continue;
            }
            out.push(p.clone());
        }
        out
    }
}

/// The value of the `X-Tix-Loop` header on everything this store sends
/// (sending arrives with issue 5): its Message-ID domain, or `tix`. Mail
/// carrying it is never filed, so nothing tix sends can come back in and
/// set off an answer.
/// The text after a first line of `#note` (any case, alone on its line),
/// or None when the text does not start with one. The convention for an
/// agent's mail that is meant for the team, not the customer.
pub fn without_note_marker(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    first
        .trim()
        .eq_ignore_ascii_case("#note")
        .then(|| rest.trim_start_matches(['\r', '\n']).to_string())
}

pub fn loop_token(config: &Config) -> String {
    config
        .mail
        .message_id_domain
        .clone()
        .unwrap_or_else(|| "tix".to_string())
}

/// Parses with a panic guard: mail-parser has been seen to panic on
/// malformed MIME ("Invalid part ID"); such a message is refused like any
/// other unparseable one, and the panic message is kept off the terminal.
fn parse_quietly(raw: &[u8], own: &OwnMarks, max_parts: usize) -> Result<InboundMail, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| parse_limited(raw, own, max_parts));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| {
        Err("the mail parser crashed on this message (malformed MIME structure)".into())
    })
}

/// A quarantined message's record, beside its `.eml`: the same bytes for
/// the same message on every clone.
#[derive(Serialize, serde::Deserialize, Clone, Debug)]
pub struct QuarantineRecord {
    pub format: u32,
    /// When it was quarantined, in records written before the record was
    /// made the same on every clone; newer ones take the time of the
    /// commit that added them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    pub reason: String,
    /// Where it came from, in older records only (see `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub size: u64,
    /// Only the header of the message is kept: it was too large to read,
    /// so it cannot be filed from the quarantine.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn kind_name(kind: NoiseKind) -> &'static str {
    match kind {
        NoiseKind::Loop => "loop",
        NoiseKind::Bounce => "bounce",
        NoiseKind::AutoReply => "auto-reply",
        NoiseKind::List => "list",
    }
}

fn fallback_name(a: &MailAttachment) -> String {
    let ext = match a.content_type.as_str() {
        "message/rfc822" => "eml",
        "text/plain" => "txt",
        "text/html" => "html",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        "text/calendar" => "ics",
        "message/delivery-status" => "txt",
        _ => "bin",
    };
    format!("attachment.{ext}")
}

/// A Date header is believed between 1990 and one day ahead of now.
fn plausible_date(d: Timestamp, now: Timestamp) -> bool {
    let floor = Timestamp::parse_rfc3339("1990-01-01T00:00:00Z").expect("valid literal");
    d >= floor && now.seconds_until(d) <= 86_400
}

/// Finds a ticket id in `subject` wrapped as `pattern` (`[tix #{id}]`).
pub fn find_subject_tag(pattern: &str, subject: &str) -> Option<TicketId> {
    let (before, after) = pattern.split_once("{id}")?;
    let lower = subject.to_ascii_lowercase();
    let before_l = before.to_ascii_lowercase();
    let after_l = after.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(&before_l) {
        let start = from + pos + before_l.len();
        let end = start + crate::domain::id::ID_LEN;
        if let (Some(candidate), Some(rest)) = (subject.get(start..end), lower.get(end..))
            && rest.starts_with(&after_l)
            && let Ok(id) = candidate.parse::<TicketId>()
        {
            return Some(id);
        }
        from = start;
    }
    None
}

/// The subject tag for `id`.
pub fn subject_tag(pattern: &str, id: TicketId) -> String {
    pattern.replace("{id}", id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_subject_tags() {
        let id: TicketId = "7K3F0000".parse().unwrap();
        let tag = subject_tag("[tix #{id}]", id);
        assert_eq!(
            find_subject_tag("[tix #{id}]", &format!("Re: {tag} Printer")),
            Some(id)
        );
        assert_eq!(
            find_subject_tag("[tix #{id}]", "Re: [TIX #7k3f0000] x"),
            Some(id)
        );
        assert_eq!(
            find_subject_tag("[tix #{id}]", "Re: [tix #7K3F000] x"),
            None
        );
        assert_eq!(
            find_subject_tag("[tix #{id}]", "[tix #] [tix #7K3F0000]"),
            Some(id)
        );
        assert_eq!(
            find_subject_tag("Ticket#{id}:", "Ticket#7K3F0000: hi"),
            Some(id)
        );
        assert_eq!(find_subject_tag("[tix #{id}]", "[tix #ééééééééé]"), None);
    }
}
