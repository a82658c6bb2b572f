//! Filing: deciding where each inbound message belongs ([`route`], a
//! pure function) and writing it there through [`crate::ops::Batch`] (the
//! drafts of `write`), in batches of commits; what cannot be filed goes
//! to the quarantine (`quarantine`).
//!
//! Rules, in order (issue 3): a Message-ID already in the store is a
//! duplicate; In-Reply-To/References naming a stored message thread onto
//! its ticket; a subject tag threads only when the sender already takes
//! part in that ticket; anything else starts a ticket. Automatic mail
//! (loops, bounces, auto-replies, list mail) never starts or reopens a
//! ticket: when it threads it becomes an internal note, otherwise it is
//! skipped. Blacklisted senders are skipped. A message that cannot be
//! filed goes to the quarantine with the reason.

#[cfg(test)]
mod index_tests;
pub mod quarantine;
pub mod route;
mod write;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use git2::Oid;
use serde::Serialize;

use super::classify::{NoiseKind, OwnMarks};
use super::mailbox::RawMessage;
use super::parse::{InboundMail, parse_limited};
use crate::domain::Agent;
use crate::domain::assign::TeamState;
use crate::domain::availability::away_at;
use crate::domain::config::BlacklistEntry;
use crate::domain::ticket::is_bounce_record;
use crate::domain::{Config, DeliveryStatus, Event, Party, Status, Ticket, TicketId, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::mail::commands::{self, Assignee, Command};
use crate::ops::assign::{self as auto, Occasion};
use crate::ops::escalate::{EscalateTo, EscalatedBy};
use crate::ops::{self, Actor, Batch, Draft, SYSTEM_HANDLE};
use crate::store::{Author, IndexedTicket, MailIndex, Store};

pub use quarantine::{QUARANTINE_DIR, QuarantineRecord};
use route::{MailKind, MailView, Route};

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
    /// A person's mail on a closed ticket that mail had reopened as often
    /// as `mail.reopen_limit` allows in a day: an internal note, the
    /// ticket left closed.
    KeptClosed {
        ticket: TicketId,
    },
    /// An answer to a satisfaction survey, recorded as a rating.
    Rated {
        ticket: TicketId,
        answer: crate::domain::csat::Answer,
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

/// What the store knows that routing needs beyond the tickets a batch
/// holds, taken from the store's derived index and kept current as
/// messages are filed. One message piped in from an MTA reads the
/// Message-ID map and team tallies (one file), the shards that changed
/// since the last command, and the shards of the one or two tickets its
/// lookups land on; never every shard.
struct Known<'s> {
    /// For assigning new tickets, and re-assigning those whose agent is
    /// away.
    team: TeamState,
    /// Mail this run filed, by Message-ID; what was there before is found
    /// through the index's map.
    filed: HashMap<String, TicketId>,
    /// Tickets as the index folded them, with the lower-case addresses of
    /// their customer, Cc and everyone who wrote; those this run changed
    /// are read from the batch instead.
    index: MailIndex<'s>,
    /// Participants this run added (new tickets, new Cc), on top of the
    /// index's.
    joined: HashMap<TicketId, HashSet<String>>,
    quarantined: HashSet<String>,
    /// The first failure to read the index while routing (whose questions
    /// cannot fail), so the message is refused rather than misfiled.
    failure: RefCell<Option<Error>>,
}

impl<'s> Known<'s> {
    fn load(store: &'s Store) -> Result<Known<'s>> {
        let index = store.mail_index()?;
        let mut team = index.team();
        team.away = away_at(
            &crate::ops::team::availability_records(store)?,
            crate::ops::now()?,
        );
        Ok(Known {
            team,
            filed: HashMap::new(),
            index,
            joined: HashMap::new(),
            quarantined: store.quarantined_names()?.into_iter().collect(),
            failure: RefCell::new(None),
        })
    }

    fn ticket_of_message(&self, message_id: &str) -> Result<Option<TicketId>> {
        match self.filed.get(message_id) {
            Some(id) => Ok(Some(*id)),
            None => self.index.ticket_of_message(message_id),
        }
    }

    fn indexed(&self, id: TicketId) -> Option<&IndexedTicket> {
        self.index.get(id).unwrap_or_else(|e| self.fail(e))
    }

    /// Keeps the first failure for [`Known::take_failure`]; answers as if
    /// the index had nothing.
    fn fail<T: Default>(&self, e: Error) -> T {
        self.failure.borrow_mut().get_or_insert(e);
        T::default()
    }

    fn take_failure(&self) -> Result<()> {
        match self.failure.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether `address` (lower case) takes part in ticket `id`.
    fn takes_part(&self, id: TicketId, address: &str) -> bool {
        self.joined.get(&id).is_some_and(|p| p.contains(address))
            || self
                .indexed(id)
                .is_some_and(|t| t.participants.iter().any(|p| p == address))
    }
}

/// The store as routing sees it: the tickets this run changed as the
/// batch holds them, the rest as the index had them.
struct View<'a> {
    known: &'a Known<'a>,
    batch: &'a Batch<'a>,
    hold_missing: bool,
}

impl MailView for View<'_> {
    fn ticket_of_message(&self, message_id: &str) -> Option<TicketId> {
        self.known
            .ticket_of_message(message_id)
            .unwrap_or_else(|e| self.known.fail(e))
    }

    fn ticket(&self, id: TicketId) -> Option<&Ticket> {
        self.batch
            .held_ticket(id)
            .or_else(|| self.known.indexed(id).map(|t| &t.ticket))
    }

    fn takes_part(&self, id: TicketId, address: &str) -> bool {
        self.known.takes_part(id, address)
    }

    fn holds_mail_for_missing_tickets(&self) -> bool {
        self.hold_missing
    }
}

/// Files messages into a store. Holds the store lock (through its batch)
/// for its lifetime, so concurrent imports and commands are serialised (a
/// scheduled fetch racing a manual one lost mail in FreeScout #3186).
pub struct Importer<'s> {
    store: &'s Store,
    config: Config,
    own: OwnMarks,
    known: Known<'s>,
    batch: Batch<'s>,
    /// Who writes: the entries name their own authors; the commits are by
    /// `tix mail import`.
    actor: Actor,
    dry_run: bool,
    batch_messages: usize,
    batch_limit: usize,
    counts: Counts,
    /// Mail for a ticket not in this store waits in the quarantine when
    /// another clone may have made it (there is a remote).
    hold_missing: bool,
}

/// Totals of an import run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub messages: usize,
    pub new_tickets: usize,
    pub follow_ups: usize,
    pub reopened: usize,
    /// Mail that would have reopened a ticket beyond `mail.reopen_limit`.
    #[serde(skip_serializing_if = "is_zero")]
    pub kept_closed: usize,
    pub noted: usize,
    /// Answers to satisfaction surveys.
    #[serde(skip_serializing_if = "is_zero")]
    pub rated: usize,
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
    /// Tickets kept closed by `mail.reopen_limit`, each with the entries
    /// written (the mail as a note, the note why), for notifications.
    #[serde(skip)]
    pub kept_closed_notes: Vec<(TicketId, Vec<String>)>,
    /// Notifications e-mailed to agents.
    pub notified: usize,
    /// Mail the automation rules asked for, sent once the run is
    /// committed.
    #[serde(skip)]
    pub rule_mail: Vec<crate::ops::automation::RuleMail>,
    /// Of those, how many were sent.
    #[serde(skip_serializing_if = "is_zero")]
    pub rule_mail_sent: usize,
    /// Commands in agents' mail that were applied, and that were not.
    #[serde(skip_serializing_if = "is_zero")]
    pub commands_applied: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub commands_refused: usize,
    /// The notes saying which commands of an agent's mail were refused,
    /// by ticket, agent and entry file, for the answer to the agent.
    #[serde(skip)]
    pub refused: Vec<(TicketId, String, String)>,
    /// Of those, how many agents were answered by e-mail.
    #[serde(skip_serializing_if = "is_zero")]
    pub refusals_answered: usize,
}

impl<'s> Importer<'s> {
    /// Takes the store lock and reads what filing needs. With `dry_run`
    /// nothing is written, but every decision is made as it would be.
    pub fn new(store: &'s Store, dry_run: bool) -> Result<Importer<'s>> {
        let mut batch = Batch::begin(store)?;
        batch.pack_blobs();
        let config = store.config().clone();
        let own = OwnMarks {
            loop_token: Some(loop_token(&config)),
            message_id_domain: config.mail.message_id_domain.clone(),
        };
        let author = import_author(&config);
        Ok(Importer {
            known: Known::load(store)?,
            store,
            config,
            own,
            batch,
            actor: Actor {
                handle: SYSTEM_HANDLE.into(),
                name: author.name,
                email: author.email,
                admin: false,
                by: None,
            },
            dry_run,
            batch_messages: 0,
            batch_limit: 500,
            counts: Counts::default(),
            hold_missing: store.has_remote(),
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
    pub fn knows_message_id(&self, message_id: &str) -> Result<bool> {
        Ok(self.known.ticket_of_message(message_id)?.is_some())
    }

    /// Shard files of the index this run has decoded: what the tests of
    /// an import's cost count.
    pub fn index_shards_decoded(&self) -> usize {
        self.known.index.shards_decoded()
    }

    /// Files one raw message.
    pub fn import(&mut self, raw: &[u8], source: &str) -> Result<MessageOutcome> {
        let now = crate::ops::now()?;
        let outcome = self.file(raw, source, now)?;
        self.tally(outcome)
    }

    /// Files a message as a mailbox reader gave it: one that was too large
    /// to read whole is quarantined with its header only, since the rest
    /// was never read.
    pub fn import_message(&mut self, m: &RawMessage) -> Result<MessageOutcome> {
        if m.complete {
            return self.import(&m.bytes, &m.source);
        }
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
        let action = self.quarantine_as(head, &reason, record_size, true)?;
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
            Action::KeptClosed { .. } => self.counts.kept_closed += 1,
            Action::Noted { .. } => self.counts.noted += 1,
            Action::Rated { .. } => self.counts.rated += 1,
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
        if self.batch_messages >= self.batch_limit || self.batch.pending_bytes() >= MAX_BATCH_BYTES
        {
            self.flush()?;
        }
        Ok(outcome)
    }

    /// Files a quarantined message (`quarantine/<name>.eml`) again. When it
    /// is filed or deliberately skipped this time, it leaves the quarantine
    /// in the same commit; when it is refused again, its record is updated.
    pub fn retry_quarantined(&mut self, name: &str) -> Result<MessageOutcome> {
        let eml = quarantine::eml_path(name);
        let raw = self
            .store
            .read_file(&eml)?
            .ok_or_else(|| Error::not_found(format!("{eml} is not in the quarantine")))?;
        let record = self
            .store
            .read_file(&quarantine::record_path(name))?
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
        self.known.quarantined.remove(name);
        let outcome = self.import(&raw, &eml)?;
        if !matches!(outcome.action, Action::Quarantined { .. }) && !self.dry_run {
            self.batch.remove_file(eml)?;
            self.batch.remove_file(quarantine::record_path(name))?;
        }
        Ok(outcome)
    }

    /// Files mail for a missing ticket as any other (a new ticket), not
    /// held: what a person asks for by naming a held message.
    pub fn set_hold_missing(&mut self, hold: bool) {
        self.hold_missing = hold;
    }

    /// Tries the held mail again (see [`route::HELD_PREFIX`]): what threads
    /// now is filed and leaves the quarantine; what is still waiting stays
    /// and is not counted again.
    pub fn retry_held(&mut self) -> Result<Vec<MessageOutcome>> {
        if !self.hold_missing {
            return Ok(Vec::new());
        }
        let mut filed = Vec::new();
        for name in self.store.quarantined_names()? {
            let held = self
                .store
                .read_file(&quarantine::record_path(&name))?
                .and_then(|bytes| serde_yaml::from_slice::<QuarantineRecord>(&bytes).ok())
                .is_some_and(|r| r.reason.starts_with(route::HELD_PREFIX));
            if !held {
                continue;
            }
            let counts = self.counts.clone();
            let outcome = self.retry_quarantined(&name)?;
            if matches!(&outcome.action, Action::Quarantined { reason, .. } if reason.starts_with(route::HELD_PREFIX))
            {
                self.counts = counts;
            } else {
                filed.push(outcome);
            }
        }
        Ok(filed)
    }

    /// Commits what is pending. Called automatically per batch and by
    /// [`Importer::finish`].
    pub fn flush(&mut self) -> Result<Vec<String>> {
        self.batch_messages = 0;
        if self.dry_run {
            self.batch.discard_pending();
            self.batch.take_rule_mail();
            return Ok(Vec::new());
        }
        let c = &self.counts;
        let message = format!(
            "tix: import mail\n\n{} messages so far: {} new tickets, {} follow-ups, {} noted, {} quarantined",
            c.messages, c.new_tickets, c.follow_ups, c.noted, c.quarantined
        );
        let Some(done) = self.batch.flush(&self.actor.author(), &message)? else {
            return Ok(Vec::new());
        };
        self.counts.rule_mail.extend(self.batch.take_rule_mail());
        self.counts.commits += 1;
        Ok(done.warnings)
    }

    /// Commits the last batch and releases the store.
    pub fn finish(mut self) -> Result<(Counts, Vec<String>)> {
        let warnings = self.flush()?;
        Ok((self.counts, warnings))
    }

    /// Decides where one message goes and writes it there.
    fn file(&mut self, raw: &[u8], source: &str, now: Timestamp) -> Result<MessageOutcome> {
        self.batch.set_now(now);
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
            let action = self.quarantine(raw, &reason)?;
            return Ok(outcome(None, String::new(), action));
        }
        // mail-parser is trusted not to panic, but one bad message must not
        // take the rest of the mailbox down with it if it ever does.
        let mail = match parse_guarded(raw, &self.own, self.config.mail.max_parts) {
            Ok(mail) => mail,
            Err(reason) => {
                let action = self.quarantine(raw, &reason)?;
                return Ok(outcome(None, String::new(), action));
            }
        };
        let decision = route::route(
            &mail,
            &View {
                known: &self.known,
                batch: &self.batch,
                hold_missing: self.hold_missing,
            },
            &self.config,
            now,
        );
        self.known.take_failure()?;
        let action = self.carry_out(decision, &mail, raw, now)?;
        Ok(outcome(
            Some(mail.message_id.clone()),
            mail.subject.clone(),
            action,
        ))
    }

    /// Writes what `decision` says for `mail`.
    fn carry_out(
        &mut self,
        decision: Route,
        mail: &InboundMail,
        raw: &[u8],
        now: Timestamp,
    ) -> Result<Action> {
        let from = || route::sender(mail).ok_or_else(|| Error::internal("routed without a sender"));
        Ok(match decision {
            Route::Duplicate { ticket } => Action::Duplicate {
                ticket: Some(ticket),
            },
            Route::Quarantine { reason } => self.quarantine(raw, &reason)?,
            Route::Skip { noise, reason } => Action::Skipped { noise, reason },
            Route::Blacklisted { sender } => Action::Blacklisted { sender },
            Route::Note { ticket, noise } => {
                let from = from()?;
                let mut drafts = vec![write::mail_draft(
                    &self.config,
                    mail,
                    raw,
                    MailKind::Note,
                    &from.email,
                    &from,
                    now,
                )];
                if noise == NoiseKind::Bounce
                    && let Some((entry, body)) = self.bounced_reply(ticket, mail)?
                {
                    drafts.push(write::bounce_delivery(entry, body));
                }
                self.append(ticket, drafts)?;
                self.known.filed.insert(mail.message_id.clone(), ticket);
                Action::Noted { ticket, noise }
            }
            Route::DeliveryOnly {
                ticket,
                noise,
                otherwise,
            } => match self.bounced_reply(ticket, mail)? {
                Some((entry, body)) => {
                    self.append(ticket, vec![write::bounce_delivery(entry, body)])?;
                    Action::Noted { ticket, noise }
                }
                None => return self.carry_out(*otherwise, mail, raw, now),
            },
            Route::FollowUp { ticket, kind } => {
                let reopened = self.write_follow_up(ticket, mail, raw, &from()?, kind, now)?;
                Action::FollowUp { ticket, reopened }
            }
            Route::KeptClosed {
                ticket,
                reopens,
                cap,
            } => {
                let from = from()?;
                let why = write::kept_closed_note(&from, reopens, cap);
                let drafts = vec![
                    write::mail_draft(
                        &self.config,
                        mail,
                        raw,
                        MailKind::Note,
                        &from.email,
                        &from,
                        now,
                    ),
                    why,
                ];
                let files = self.append(ticket, drafts)?;
                self.known.filed.insert(mail.message_id.clone(), ticket);
                if !self.dry_run {
                    self.counts.kept_closed_notes.push((ticket, files));
                }
                Action::KeptClosed { ticket }
            }
            Route::Rating {
                ticket,
                token,
                answer,
                first_word,
            } => {
                let from = from()?;
                let found = crate::domain::csat::Found {
                    token: token.clone(),
                    answer,
                    first_word,
                };
                let note = write::mail_draft(
                    &self.config,
                    mail,
                    raw,
                    MailKind::Note,
                    &from.email,
                    &from,
                    now,
                );
                let mut rating = Draft::with_body(
                    Event::Rating { token, answer },
                    crate::domain::csat::comment(&note.body, &found),
                );
                rating.author = Some(from.email.clone());
                self.append(ticket, vec![note, rating])?;
                self.known.filed.insert(mail.message_id.clone(), ticket);
                Action::Rated { ticket, answer }
            }
            Route::New { linked_to } => {
                let ticket = self.write_new_ticket(mail, raw, &from()?, linked_to, now)?;
                Action::Created { ticket, linked_to }
            }
        })
    }

    /// Plans `drafts` on `ticket` in the batch; returns the entry files.
    fn append(&mut self, ticket: TicketId, drafts: Vec<Draft>) -> Result<Vec<String>> {
        self.batch
            .append(&self.actor, ticket, "import", |_| Ok(drafts))?
            .ok_or_else(|| Error::internal("a message was not planned"))
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

    fn write_new_ticket(
        &mut self,
        mail: &InboundMail,
        raw: &[u8],
        from: &Party,
        linked_to: Option<TicketId>,
        now: Timestamp,
    ) -> Result<TicketId> {
        let id = self.new_ticket_id(&mail.message_id)?;
        let cc = self.participants_besides(mail, &[from.email.as_str()]);
        let mut participants: HashSet<String> =
            cc.iter().map(|p| p.email.to_ascii_lowercase()).collect();
        participants.insert(from.email.to_ascii_lowercase());
        let department = route::department_of(&self.config, mail);
        let mut drafts = write::new_ticket_drafts(mail, from, cc, department, linked_to);
        if let Some(assignment) = auto::assign(
            &self.config,
            &self.known.team,
            department.and_then(|d| d.group.as_deref()),
            Occasion::NewTicket,
        )? {
            self.known.team.record(&assignment.agent, now);
            drafts.push(assignment.draft);
        }
        drafts.push(write::mail_draft(
            &self.config,
            mail,
            raw,
            MailKind::Message,
            &from.email,
            from,
            now,
        ));
        self.batch.create(&self.actor, id, drafts)?;
        self.known.joined.insert(id, participants);
        self.known.filed.insert(mail.message_id.clone(), id);
        if !self.dry_run {
            self.counts.created.push(id);
        }
        Ok(id)
    }

    /// Adds `mail` to `ticket` as `kind`, with what it changes; returns
    /// whether it reopened the ticket.
    fn write_follow_up(
        &mut self,
        ticket: TicketId,
        mail: &InboundMail,
        raw: &[u8],
        from: &Party,
        kind: MailKind,
        now: Timestamp,
    ) -> Result<bool> {
        let is_agent = kind != MailKind::Message;
        let current = self.batch.ticket(ticket)?.clone();
        let known = &self.known;
        let takes_part = |address: &str| known.takes_part(ticket, &address.to_ascii_lowercase());
        // Someone who takes no part in the ticket got here by its headers
        // alone (knowing one Message-ID is enough): the message is kept,
        // but neither they nor the people they copied join the Cc, so the
        // agent's replies do not go to a stranger. `tix show` flags it.
        let outsider = !is_agent && !takes_part(&from.email);
        let new_cc: Vec<Party> = self
            .participants_besides(mail, &[from.email.as_str()])
            .into_iter()
            .chain((!is_agent).then(|| from.clone()))
            .filter(|_| !outsider)
            .filter(|p| !takes_part(&p.email))
            .filter(|p| self.config.agent(&p.email).is_none())
            .collect();
        self.known.take_failure()?;
        let author = match self.config.agent(&from.email) {
            Some(agent) => agent.handle.clone(),
            None => from.email.clone(),
        };
        let mut entry = write::mail_draft(&self.config, mail, raw, kind, &author, from, now);
        // Only an agent's mail is read for commands; what reaches the
        // trail (and the customer) is the text without them.
        let block = if is_agent {
            commands::parse(&entry.body)
        } else {
            commands::Block::default()
        };
        if !block.is_empty() {
            entry.body = if block.has_text() {
                block.text.clone()
            } else {
                block.lines()
            };
        }
        let mut drafts = vec![entry];
        drafts.extend(write::follow_up_changes(
            &current, &new_cc, is_agent, &author,
        ));
        let reopened = current.status == Status::Closed && !is_agent;
        // The customer is waiting on someone who is away: the rule picks
        // another agent now.
        if !is_agent
            && let Some(away) = current
                .assignee
                .as_ref()
                .filter(|a| self.known.team.away.contains_key(*a))
            && let Some(assignment) = auto::assign(
                &self.config,
                &self.known.team,
                current.group.as_deref(),
                Occasion::AssigneeAway { away },
            )?
        {
            self.known.team.record(&assignment.agent, now);
            drafts.push(assignment.draft);
        }
        let files = self.append(ticket, drafts)?;
        self.known.filed.insert(mail.message_id.clone(), ticket);
        let participants = self.known.joined.entry(ticket).or_default();
        for p in new_cc {
            participants.insert(p.email.to_ascii_lowercase());
        }
        if !block.is_empty()
            && let Some(agent) = self.config.agent(&from.email).cloned()
        {
            self.apply_commands(ticket, &block, &agent, &files[0], now)?;
        }
        if !self.dry_run {
            match kind {
                MailKind::Reply => self.counts.relay.push((ticket, files[0].clone())),
                MailKind::Message => self.counts.followed_up.push(ticket),
                MailKind::Note => {}
            }
        }
        Ok(reopened)
    }

    /// Applies the commands of `agent`'s mail (filed as `entry`) to
    /// `ticket`, each as its own change by the agent with the checks the
    /// command line makes; what is refused, and why, goes into a note by
    /// tix that the agent is answered with.
    fn apply_commands(
        &mut self,
        ticket: TicketId,
        block: &commands::Block,
        agent: &Agent,
        entry: &str,
        now: Timestamp,
    ) -> Result<()> {
        let actor = Actor {
            handle: agent.handle.clone(),
            name: agent.display_name().to_string(),
            email: agent.email.clone(),
            admin: agent.is_admin(),
            by: None,
        };
        let mut refused: Vec<String> = block
            .unknown
            .iter()
            .map(|u| format!("{}: {}", u.text, u.what))
            .collect();
        for line in &block.commands {
            match self.apply_command(&actor, ticket, &line.what, now) {
                Ok(()) => self.counts.commands_applied += 1,
                Err(e) if refusal(&e) => refused.push(format!("{}: {}", line.text, e.message())),
                Err(e) => return Err(e),
            }
        }
        if refused.is_empty() {
            return Ok(());
        }
        self.counts.commands_refused += refused.len();
        let mut body = format!(
            "Commands of {}'s e-mail ({entry}) not applied:\n",
            agent.handle
        );
        for r in &refused {
            body.push_str(&format!("  {r}\n"));
        }
        if !block.unknown.is_empty() && !block.note && block.has_text() {
            body.push_str(
                "Because a command was not understood, the text was kept as an internal note \
                 and not sent to the customer.\n",
            );
        }
        let files = self.append(
            ticket,
            vec![Draft::with_body(Event::Note { mail: None }, body).by(SYSTEM_HANDLE)],
        )?;
        if !self.dry_run {
            self.counts
                .refused
                .push((ticket, agent.handle.clone(), files[0].clone()));
        }
        Ok(())
    }

    /// One command as `actor` on `ticket`; an error is its refusal (or a
    /// failure to read the store).
    fn apply_command(
        &mut self,
        actor: &Actor,
        ticket: TicketId,
        command: &Command,
        now: Timestamp,
    ) -> Result<()> {
        let config = &self.config;
        let batch = &mut self.batch;
        match command {
            Command::Status(Status::Closed) => batch.append(actor, ticket, "close", |t| {
                Ok(ops::close::drafts(t, &[], None, None, false))
            })?,
            Command::Status(to) => {
                batch.append(actor, ticket, "status", |t| Ok(ops::change::status(t, *to)))?
            }
            Command::Priority(to) => batch.append(actor, ticket, "priority", |t| {
                Ok(ops::change::priority(t, *to))
            })?,
            Command::Tag(tags) => {
                batch.append(actor, ticket, "tag", |t| ops::change::tags(t, tags, true))?
            }
            Command::Untag(tags) => batch.append(actor, ticket, "untag", |t| {
                ops::change::tags(t, tags, false)
            })?,
            Command::Assign(who) => {
                let who = match who {
                    Assignee::Me => Some(actor.handle.as_str()),
                    Assignee::Nobody => None,
                    Assignee::Agent(name) => Some(name.as_str()),
                };
                batch.append(actor, ticket, "assign", |t| {
                    ops::change::assign(config, &actor.handle, t, who)
                })?
            }
            Command::Escalate(to) => {
                let team = &self.known.team;
                let mut chosen = None;
                let planned = batch.append(actor, ticket, "escalate", |t| {
                    // A missing group or a lock answers before a mistyped name.
                    ops::escalate::refuse(config, t)?;
                    let to = match to.as_deref() {
                        Some(name) => escalation_target(config, name)?,
                        None => EscalateTo::Next,
                    };
                    let note = EscalatedBy::Agent {
                        note: "Escalated by e-mail.\n",
                    };
                    let e = ops::escalate::escalate(config, team, t, to, note)?;
                    chosen = e.assigned_to().map(str::to_string);
                    Ok(e.drafts)
                })?;
                if let Some(agent) = chosen {
                    self.known.team.record(&agent, now);
                }
                if planned.is_some() {
                    self.tell_customer_of_escalation(actor, ticket)?;
                }
                planned
            }
            Command::Blacklist => return self.blacklist_customer(actor, ticket),
        };
        Ok(())
    }

    /// The team's `escalation_message`, when it has one, as a public reply
    /// by `actor` to the customer of `ticket`, passed on like the agent's
    /// own e-mailed reply: what `tix escalate` does.
    fn tell_customer_of_escalation(&mut self, actor: &Actor, ticket: TicketId) -> Result<()> {
        let Some(text) = &self.config.escalation_message else {
            return Ok(());
        };
        let template = super::template::Template::parse(text)
            .map_err(|e| Error::invalid(format!("escalation_message: {e}")))?;
        let (current, trail) = self.batch.trail(ticket)?;
        let writer = super::compose::Writer {
            name: &actor.name,
            email: &actor.email,
        };
        let body = template.render(&super::compose::template_values(
            &self.config,
            &current,
            &trail,
            &writer,
            "",
        ));
        let files = self.batch.append(actor, ticket, "reply", |_| {
            Ok(vec![Draft::with_body(Event::Reply { mail: None }, body)])
        })?;
        if let Some(files) = files
            && !self.dry_run
        {
            self.counts.relay.push((ticket, files[0].clone()));
        }
        Ok(())
    }

    /// Puts the customer of `ticket` on the blacklist, as `tix blacklist
    /// add` does (admins only), in the import's commit, with a note by
    /// `actor` saying so on the ticket.
    fn blacklist_customer(&mut self, actor: &Actor, ticket: TicketId) -> Result<()> {
        ops::team::refuse_blacklist_change(actor)?;
        let current = self.batch.ticket(ticket)?.clone();
        let Some(customer) = current.customer else {
            return Err(Error::invalid(format!("ticket {ticket} has no customer")));
        };
        if self.config.agent(&customer.email).is_some()
            || self.config.mail.is_support_address(&customer.email)
        {
            return Err(Error::invalid(format!(
                "{} is an agent's or a support address; it is not blacklisted",
                customer.email
            )));
        }
        let entry = BlacklistEntry {
            sender: ops::team::blacklist_sender(&customer.email)?,
            subject: None,
        };
        if self.config.mail.blacklist.contains(&entry) {
            return Ok(());
        }
        let text = format!(
            "{} blacklisted by e-mail: mail from that address is no longer filed.\n",
            entry.sender
        );
        self.batch.append(actor, ticket, "note", |_| {
            Ok(vec![Draft::with_body(Event::Note { mail: None }, text)])
        })?;
        for (path, bytes) in
            ops::team::blacklist_files(actor, &[(entry.clone(), false)], self.batch.now())?
        {
            self.batch.write_file(path, bytes)?;
        }
        self.config.mail.blacklist.push(entry);
        Ok(())
    }

    fn quarantine(&mut self, raw: &[u8], reason: &str) -> Result<Action> {
        self.quarantine_as(raw, reason, raw.len() as u64, false)
    }

    /// Quarantines `raw`; `truncated` when it is only the header of a
    /// message of `size` bytes that was too large to read.
    fn quarantine_as(
        &mut self,
        raw: &[u8],
        reason: &str,
        size: u64,
        truncated: bool,
    ) -> Result<Action> {
        let name = quarantine::name_of(raw);
        if !self.known.quarantined.insert(name.clone()) {
            return Ok(Action::Duplicate { ticket: None });
        }
        // What follows from the message alone, so that the same message
        // quarantined on two clones gives the same file and their merge
        // does not conflict; where and when it came is in the commit.
        let record = QuarantineRecord {
            format: 1,
            at: None,
            reason: reason.to_string(),
            source: None,
            size,
            truncated,
        };
        for (path, bytes) in quarantine::files(&name, raw, &record)? {
            self.batch.write_file(path, bytes)?;
        }
        Ok(Action::Quarantined {
            file: quarantine::eml_path(&name),
            reason: reason.to_string(),
        })
    }

    /// Ticket ids of mail-born tickets come from the first message's id, so
    /// importing the same mailbox again (after a crash, say) gives the same
    /// ids; a clash with another ticket moves on to the next candidate.
    fn new_ticket_id(&self, message_id: &str) -> Result<TicketId> {
        let view = View {
            known: &self.known,
            batch: &self.batch,
            hold_missing: self.hold_missing,
        };
        let id = (0u32..)
            .map(|n| {
                let seed = format!("{message_id}\n{n}");
                let oid = Oid::hash_object(git2::ObjectType::Blob, seed.as_bytes())
                    .unwrap_or(Oid::ZERO_SHA1);
                let b = oid.as_bytes();
                TicketId::from_random([b[0], b[1], b[2], b[3], b[4]])
            })
            .find(|id| view.ticket(*id).is_none())
            .expect("an unused id exists");
        self.known.take_failure()?;
        Ok(id)
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

/// Whether `e` refuses a command (the ticket, a name, a permission), as
/// opposed to a failure to read or write the store.
fn refusal(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotFound | ErrorKind::Invalid | ErrorKind::Denied | ErrorKind::Locked
    )
}

/// What `#escalate NAME` names: a group, or an agent in their group.
fn escalation_target<'c>(config: &'c Config, name: &str) -> Result<EscalateTo<'c>> {
    ops::escalate::target_named(config, name).map_err(|e| match e {
        ops::escalate::NoTarget::Unknown => Error::not_found(format!(
            "`{name}` is neither a group ({}) nor an agent",
            config
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ops::escalate::NoTarget::AgentInNoGroup { handle } => Error::invalid(format!(
            "{handle} is in no group; escalation goes to a group"
        )),
    })
}

/// Who import commits are by: `tix mail import` at the first support
/// address.
fn import_author(config: &Config) -> Author {
    Author::new(
        "tix mail import",
        config
            .mail
            .addresses
            .first()
            .cloned()
            .unwrap_or_else(|| "tix@localhost".into()),
    )
}

thread_local! {
    /// Set while this thread parses a message under a guard that turns a
    /// panic into a refusal (see [`parse_guarded`]).
    static GUARDED_PARSE: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic now is one [`parse_guarded`] will catch on this
/// thread, so a panic hook can keep it off the terminal. The library
/// never installs a hook itself (it is process-wide state that belongs to
/// the program); the tix binary installs one at start-up that consults
/// this and otherwise reports panics as the default hook does.
pub fn panic_is_caught_by_parser() -> bool {
    GUARDED_PARSE.with(Cell::get)
}

/// Parses with a panic guard: mail-parser has been seen to panic on
/// malformed MIME ("Invalid part ID"); such a message is refused like any
/// other unparseable one.
pub(super) fn parse_guarded(
    raw: &[u8],
    own: &OwnMarks,
    max_parts: usize,
) -> Result<InboundMail, String> {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            GUARDED_PARSE.with(|g| g.set(false));
        }
    }
    GUARDED_PARSE.with(|g| g.set(true));
    let reset = Reset;
    let result = std::panic::catch_unwind(|| parse_limited(raw, own, max_parts));
    drop(reset);
    result.unwrap_or_else(|_| {
        Err("the mail parser crashed on this message (malformed MIME structure)".into())
    })
}

/// The value of the `X-Tix-Loop` header on everything this store sends
/// (sending arrives with issue 5): its Message-ID domain, or `tix`. Mail
/// carrying it is never filed, so nothing tix sends can come back in and
/// set off an answer.
pub fn loop_token(config: &Config) -> String {
    config
        .mail
        .message_id_domain
        .clone()
        .unwrap_or_else(|| "tix".to_string())
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(crate) fn kind_name(kind: NoiseKind) -> &'static str {
    match kind {
        NoiseKind::Loop => "loop",
        NoiseKind::Bounce => "bounce",
        NoiseKind::AutoReply => "auto-reply",
        NoiseKind::List => "list",
    }
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
