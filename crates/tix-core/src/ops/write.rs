//! Appending entries: the one path every change takes.

use crate::domain::names::{safe_file_name, unique_name};
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::ticket::apply_appended;
use crate::domain::{
    Entry, Event, Stage, Status, StoredEntry, Ticket, TicketId, Timestamp, TrailItem, fold,
};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::store::{Author, FILES_DIR, Store, TICKETS_DIR, TagSource, random_id};

use super::Actor;
use super::automation::RuleMail;
use crate::domain::automation::{
    Channel, MAX_ROUNDS, Situation, Trigger, should_fire, triggers_of,
};

/// A file to store with an entry.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The file name to store it under (in `files/<entry>/`) when the
    /// caller chose one; otherwise it is made from `name`. Mail import
    /// names unnamed parts by their type (`attachment.pdf`).
    pub stored_as: Option<String>,
}

/// An entry to write: what happened, its text, files that go with it.
#[derive(Clone, Debug)]
pub struct Draft {
    pub event: Event,
    pub body: String,
    pub attachments: Vec<NewAttachment>,
    /// The e-mail the entry is about, byte for byte: stored as
    /// `<entry stem>.eml` beside the entry, which its mail block's `raw`
    /// then names.
    pub original: Option<Vec<u8>>,
    /// Who the entry is by when not the acting agent: `tix` for what a
    /// rule did on its own, whoever ran the command that set it off.
    pub author: Option<String>,
    /// The quoted part and the HTML of the e-mail the entry carries, kept
    /// beside it like the original.
    pub mail_text: Option<MailText>,
    /// The automation rule that wrote it.
    pub rule: Option<String>,
}

/// What of an e-mail is stored beside its entry besides the original: the
/// quoted history (`<entry stem>.quoted.txt`, which the mail block's
/// `quoted` then names) and the HTML (`<entry stem>.html`).
#[derive(Clone, Debug, Default)]
pub struct MailText {
    pub quoted: Option<String>,
    pub html: Option<String>,
}

impl Draft {
    pub fn new(event: Event) -> Draft {
        Draft::with_body(event, String::new())
    }

    pub fn with_body(event: Event, body: impl Into<String>) -> Draft {
        Draft {
            event,
            body: body.into(),
            attachments: Vec::new(),
            original: None,
            author: None,
            mail_text: None,
            rule: None,
        }
    }

    /// An entry with its text and the files that go with it.
    pub fn with_attachments(
        event: Event,
        body: impl Into<String>,
        attachments: Vec<NewAttachment>,
    ) -> Draft {
        let mut draft = Draft::with_body(event, body);
        draft.attachments = attachments;
        draft
    }

    /// The same entry, by `handle` rather than by the acting agent.
    pub fn by(mut self, handle: impl Into<String>) -> Draft {
        self.author = Some(handle.into());
        self
    }
}

/// What a write did.
#[derive(Debug)]
pub struct Outcome {
    pub id: TicketId,
    pub commit: String,
    /// Entry files written, relative to the ticket directory.
    pub files: Vec<String>,
    /// The state after the write.
    pub ticket: Ticket,
    /// Problems that did not stop the write (see [`crate::store::Committed`]).
    pub warnings: Vec<String>,
    /// What changed, for a confirmation: `to bob`, `+vip -new`, `until …`
    /// (times as the user reads them); empty when the verb says it all.
    pub detail: String,
    /// Mail the rules asked for, to send now that it is committed.
    pub rule_mail: Vec<RuleMail>,
    /// The rules' changes written with it, as `rule: what`.
    pub rules_applied: Vec<String>,
}

impl Outcome {
    /// What the committed batch `done` did to ticket `id`: the entry
    /// `files` of its change, its state after, and what the rules did.
    pub fn committed(
        id: TicketId,
        files: Vec<String>,
        ticket: Ticket,
        detail: String,
        done: BatchOutcome,
    ) -> Outcome {
        Outcome {
            id,
            commit: done.commit,
            files,
            ticket,
            warnings: done.warnings,
            detail,
            rules_applied: rules_applied(&done.changes),
            rule_mail: done.rule_mail,
        }
    }
}

/// The changes rules made, as `rule: what`.
pub fn rules_applied(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| {
            let rule = c.rule.as_ref()?;
            Some(format!("`{rule}`: {} {}", c.id, c.detail))
        })
        .collect()
}

/// What a set of drafts changes, in a few words: the first entry's change
/// without its kind (the verb names it), later ones with theirs. `time`
/// writes a time (UTC in commit subjects, the user's zone on screen).
pub fn describe_change(drafts: &[Draft], time: &dyn Fn(Timestamp) -> String) -> String {
    describe_events(drafts.iter().map(|d| &d.event), time, false)
}

/// [`describe_change`] for a sequence of events.
/// With `named`, every change says its kind, the first too (a rule's
/// changes, which no verb names).
fn describe_events<'e>(
    events: impl Iterator<Item = &'e Event>,
    time: &dyn Fn(Timestamp) -> String,
    named: bool,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, event) in events.enumerate() {
        let (kind, what) = match event {
            Event::Assign { to } => (
                "assign",
                format!("to {}", to.as_deref().unwrap_or("nobody")),
            ),
            Event::Status { to, .. } => ("status", format!("to {}", to.as_str())),
            Event::Priority { to } => ("priority", to.as_str().to_string()),
            Event::Tags { add, remove } => ("tags", signed(add, remove)),
            Event::Cc { add, remove } => {
                let add: Vec<String> = add.iter().map(|p| p.email.clone()).collect();
                ("cc", signed(&add, remove))
            }
            Event::Field { name, value } => (
                "field",
                match value {
                    Some(v) => format!("{name}={v}"),
                    None => format!("{name} unset"),
                },
            ),
            Event::Link { rel, target } | Event::Unlink { rel, target } => {
                (event.kind(), format!("{} {target}", rel.as_str()))
            }
            Event::Snooze { until } => (
                "snooze",
                match until {
                    Some(t) => format!("until {}", time(*t)),
                    None => "off".to_string(),
                },
            ),
            Event::Escalate { to } => ("escalate", format!("to {to}")),
            Event::Close {} if i > 0 || named => ("close", String::new()),
            _ => continue,
        };
        parts.push(match (i, what.is_empty()) {
            (0, _) if !named => what,
            (_, true) => kind.to_string(),
            (_, false) => format!("{kind} {what}"),
        });
    }
    parts.retain(|p| !p.is_empty());
    parts.join(", ")
}

/// `+a +b -c`, for sets changed by add and remove.
fn signed(add: &[String], remove: &[String]) -> String {
    add.iter()
        .map(|a| format!("+{a}"))
        .chain(remove.iter().map(|r| format!("-{r}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The verbs whose point is the value they set, so a confirmation without
/// it says nothing; replies, notes, closes and reopenings say it all.
const SETTING_VERBS: [&str; 11] = [
    "assign", "status", "priority", "tag", "untag", "cc", "field", "link", "unlink", "snooze",
    "escalate",
];

/// [`describe_change`] for `verb`: empty unless it is one of the
/// [`SETTING_VERBS`].
fn detail_for(verb: &str, drafts: &[Draft], time: &dyn Fn(Timestamp) -> String) -> String {
    if SETTING_VERBS.contains(&verb) {
        describe_change(drafts, time)
    } else if verb == "reply" {
        // A reply says itself, but not the status it also set
        // (`--status pending`); the open that answering a new ticket always
        // brings goes without saying.
        let automatic = |e: &&Event| {
            matches!(
                e,
                Event::Status {
                    to: Status::Open,
                    from: Some(Status::New)
                }
            )
        };
        describe_events(
            drafts.iter().map(|d| &d.event).filter(|e| !automatic(e)),
            time,
            false,
        )
    } else if verb == "rule" {
        describe_events(drafts.iter().map(|d| &d.event), time, true)
    } else {
        String::new()
    }
}

/// A commit subject: `tix: <verb> <id>`, then what changed.
fn commit_subject(verb: &str, id: TicketId, drafts: &[Draft]) -> String {
    let detail = detail_for(verb, drafts, &|t| t.to_short_utc());
    if detail.is_empty() {
        format!("tix: {verb} {id}")
    } else {
        format!("tix: {verb} {id} {detail}")
    }
}

/// Appends entries to ticket `id` as one commit. `plan` sees the current
/// state (read under the lock) and returns the drafts, or an error; it may
/// return no drafts when there is nothing to do. Locked tickets refuse
/// everything except `unlock`; a close is refused while a field required
/// at close has no value. A [`Batch`] of one change.
pub fn append(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    verb: &str,
    plan: impl FnOnce(&Ticket) -> Result<Vec<Draft>>,
) -> Result<Option<Outcome>> {
    let mut batch = Batch::begin(store)?;
    let Some(files) = batch.append(actor, id, verb, plan)? else {
        return Ok(None);
    };
    let ticket = batch.ticket(id)?.clone();
    let detail = batch
        .changes()
        .first()
        .map(|c| c.detail.clone())
        .unwrap_or_default();
    let Some(done) = batch.commit(&actor.author(), verb)? else {
        return Err(Error::internal("a planned change was not committed"));
    };
    Ok(Some(Outcome::committed(id, files, ticket, detail, done)))
}

/// The same change to several tickets, planned against each under one
/// hold of the lock and written as one commit.
#[derive(Debug)]
pub struct ManyOutcome {
    pub commit: Option<String>,
    /// The tickets changed, with what changed and their subject.
    pub changed: Vec<Change>,
    /// Tickets that had nothing to change.
    pub unchanged: Vec<TicketId>,
    /// Tickets left out (with `skip_invalid`), with why.
    pub skipped: Vec<(TicketId, Error)>,
    pub warnings: Vec<String>,
    pub rule_mail: Vec<RuleMail>,
    pub rules_applied: Vec<String>,
}

/// Appends the change `plan` makes to each of `ids`, as one commit. Every
/// ticket is planned first: when any refuses (locked, merged, a field
/// required at close missing, the plan's own error) nothing is written and
/// the error names each refusal, unless `skip_invalid`, which writes the
/// others and reports the refused ones.
pub fn append_many(
    store: &Store,
    actor: &Actor,
    ids: &[TicketId],
    verb: &str,
    skip_invalid: bool,
    plan: impl Fn(&Ticket) -> Result<Vec<Draft>>,
) -> Result<ManyOutcome> {
    let mut batch = Batch::begin(store)?;
    let mut unchanged = Vec::new();
    let mut refused: Vec<(TicketId, Error)> = Vec::new();
    for &id in ids {
        match batch.append(actor, id, verb, &plan) {
            Ok(Some(_)) => {}
            Ok(None) => unchanged.push(id),
            Err(e) if e.kind() == ErrorKind::Internal => return Err(e),
            Err(e) => refused.push((id, e)),
        }
    }
    if !refused.is_empty() && !skip_invalid {
        let kind = refused[0].1.kind();
        let lines: Vec<String> = refused
            .iter()
            .map(|(id, e)| format!("  {id}: {}", e.message()))
            .collect();
        return Err(Error::new(
            kind,
            format!(
                "nothing written: {} of {} tickets refuse the change:\n{}",
                refused.len(),
                ids.len(),
                lines.join("\n")
            ),
        )
        .with_remedy(Remedy::SkipInvalid));
    }
    let changed: Vec<Change> = batch.changes().to_vec();
    let Some(done) = batch.commit(&actor.author(), &format!("{verb} {} tickets", ids.len()))?
    else {
        return Ok(ManyOutcome {
            commit: None,
            changed: Vec::new(),
            unchanged,
            skipped: refused,
            warnings: Vec::new(),
            rule_mail: Vec::new(),
            rules_applied: Vec::new(),
        });
    };
    Ok(ManyOutcome {
        commit: Some(done.commit),
        rules_applied: rules_applied(&done.changes),
        changed: changed.into_iter().filter(|c| c.rule.is_none()).collect(),
        unchanged,
        skipped: refused,
        warnings: done.warnings,
        rule_mail: done.rule_mail,
    })
}

/// Changes to any number of tickets made under one hold of the store lock
/// and written as one commit (or, for a long run such as a mail import,
/// as several commits made with [`Batch::flush`] under the same hold).
/// Each change is planned against its ticket's current state: what was
/// committed (read under the lock) plus what the batch already planned
/// for it. Every rule [`append`] applies is applied per change, and a
/// refused change leaves the batch as it was, so a caller can report it
/// and go on with the other tickets. Dropping a batch without committing
/// it writes nothing (a dry run).
///
/// This is the one path every write of entries takes: the lock, the
/// rules of [`check_change`], the numbering of entries and, in the store's
/// commit, the refusal while git is half way through an operation and the
/// check that the branch did not move since the lock was taken.
pub struct Batch<'s> {
    store: &'s Store,
    lock: crate::store::StoreLock,
    now: Timestamp,
    tickets: BTreeMap<TicketId, Held>,
    files: Vec<(String, Vec<u8>)>,
    /// Files outside the tickets that leave the store with the next commit.
    removals: Vec<String>,
    pending_bytes: usize,
    changes: Vec<Change>,
    /// One source for the whole batch, so no two of its entries share a
    /// file name.
    tags: TagSource,
    /// Write the blobs of a commit as one packfile: a mail import writes
    /// thousands of files per commit, and a loose object each is most of
    /// its cost.
    packed: bool,
    /// Whether the config's rules run on what is planned.
    automate: bool,
    /// The team's loads, read the first time a rule chooses an agent.
    team: Option<crate::domain::assign::TeamState>,
    /// Mail the rules asked for, to send once committed.
    rule_mail: Vec<RuleMail>,
    /// What the rules could not do, and runs cut short.
    rule_warnings: Vec<String>,
    /// The events of what is planned, for the hooks after the commit.
    hook_events: Vec<HookEvent>,
}

/// What one change set off: its events and what the rules' conditions
/// read of it.
#[derive(Clone, Debug)]
struct ChangeEvents {
    triggers: Vec<Trigger>,
    text: String,
    from: Option<String>,
    to: Vec<String>,
    channel: Channel,
}

impl ChangeEvents {
    fn none() -> ChangeEvents {
        ChangeEvents {
            triggers: Vec::new(),
            text: String::new(),
            from: None,
            to: Vec::new(),
            channel: Channel::Cli,
        }
    }

    /// Takes in entry `e`, given the ticket `before` it is applied.
    fn observe(&mut self, before: &Ticket, e: &StoredEntry) {
        for t in triggers_of(before, &e.entry) {
            if !self.triggers.contains(&t) {
                self.triggers.push(t);
            }
        }
        match &e.entry.event {
            Event::Created {
                customer, channel, ..
            } => {
                self.from = Some(customer.email.clone());
                push_text(&mut self.text, &e.entry.body);
                if let Some(channel) = channel {
                    self.channel = *channel;
                }
            }
            Event::Call { .. } => {
                self.channel = Channel::Phone;
                push_text(&mut self.text, &e.entry.body);
            }
            Event::Chat {} => {
                self.channel = Channel::Chat;
                push_text(&mut self.text, &e.entry.body);
            }
            Event::Message { from, mail } => {
                self.from = Some(from.email.clone());
                push_text(&mut self.text, &e.entry.body);
                if let Some(mail) = mail {
                    self.channel = Channel::Mail;
                    self.to
                        .extend(mail.to.iter().chain(&mail.cc).map(|p| p.email.clone()));
                }
            }
            Event::Reply { .. } | Event::Note { .. } => push_text(&mut self.text, &e.entry.body),
            _ => {}
        }
    }

    /// A new ticket's first message, tags and assignment are part of its
    /// creation.
    fn finish(&mut self) {
        if self.triggers.contains(&Trigger::Created) {
            self.triggers = vec![Trigger::Created];
        }
    }
}

fn push_text(text: &mut String, body: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(body);
}

/// An event committed, as a hook receives it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct HookEvent {
    pub event: String,
    pub ticket: TicketId,
    pub subject: String,
    pub status: String,
    pub assignee: Option<String>,
    pub by: String,
    /// The rule whose entries set it off, if a rule's did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub entries: Vec<String>,
    pub at: Timestamp,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub commit: String,
}

/// A ticket as the batch sees it.
struct Held {
    ticket: Ticket,
    /// Entries planned but not yet committed.
    pending: Vec<StoredEntry>,
}

/// One planned change of a batch.
#[derive(Clone, Debug)]
pub struct Change {
    pub id: TicketId,
    pub verb: String,
    /// The ticket's subject before the change (a new ticket's own).
    pub subject: String,
    /// `tix: <verb> <id>` and what changed, times in UTC: the commit
    /// subject when the change is committed alone.
    pub summary: String,
    /// What changed, times as the user reads them (see [`Outcome::detail`]).
    pub detail: String,
    /// Entry files written, relative to the ticket directory.
    pub files: Vec<String>,
    /// The automation rule that made it, if one did.
    pub rule: Option<String>,
}

/// What a committed batch did.
#[derive(Debug)]
pub struct BatchOutcome {
    pub commit: String,
    pub changes: Vec<Change>,
    /// Problems that did not stop the write (see [`crate::store::Committed`]).
    pub warnings: Vec<String>,
    /// Mail the rules asked for, to send now that it is committed.
    pub rule_mail: Vec<RuleMail>,
}

/// What one [`Batch::flush`] committed.
#[derive(Debug)]
pub struct Flushed {
    pub commit: String,
    /// Problems that did not stop the write (see [`crate::store::Committed`]).
    pub warnings: Vec<String>,
}

impl<'s> Batch<'s> {
    /// Takes the store lock; every entry of the batch is written at the
    /// time taken now (see [`Batch::set_now`]).
    pub fn begin(store: &'s Store) -> Result<Batch<'s>> {
        let lock = store.lock()?;
        Ok(Batch {
            store,
            lock,
            now: super::now()?,
            tickets: BTreeMap::new(),
            files: Vec::new(),
            removals: Vec::new(),
            pending_bytes: 0,
            changes: Vec::new(),
            tags: TagSource::new()?,
            packed: false,
            automate: true,
            team: None,
            rule_mail: Vec::new(),
            rule_warnings: Vec::new(),
            hook_events: Vec::new(),
        })
    }

    /// Plans without running the config's rules (what `tix rules test`
    /// plans itself, and changes that must not set anything off).
    pub fn without_rules(&mut self) {
        self.automate = false;
    }

    /// The mail the rules asked for since the last call, to send after
    /// the commit.
    pub fn take_rule_mail(&mut self) -> Vec<RuleMail> {
        std::mem::take(&mut self.rule_mail)
    }

    /// What the rules could not do since the last call.
    pub fn take_rule_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.rule_warnings)
    }

    /// Writes each commit's blobs as one packfile rather than as loose
    /// objects (for batches of many files).
    pub fn pack_blobs(&mut self) {
        self.packed = true;
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Entries planned from now on are written at `now`: a run that lasts
    /// (a mail import fetching message after message) records each change
    /// when it was made.
    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    /// Changes planned since the last commit.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Bytes of the files waiting for the next commit.
    pub fn pending_bytes(&self) -> usize {
        self.pending_bytes
    }

    fn held(&mut self, id: TicketId) -> Result<&mut Held> {
        held_in(self.store, &mut self.tickets, id)
    }

    /// Ticket `id` as it stands with what the batch planned for it.
    pub fn ticket(&mut self, id: TicketId) -> Result<&Ticket> {
        Ok(&self.held(id)?.ticket)
    }

    /// Ticket `id` as the batch holds it, when the batch has read or
    /// changed it; None for a ticket it has not touched.
    pub fn held_ticket(&self, id: TicketId) -> Option<&Ticket> {
        self.tickets.get(&id).map(|h| &h.ticket)
    }

    /// Ticket `id` and its trail, with what the batch planned for it.
    pub fn trail(&mut self, id: TicketId) -> Result<(Ticket, Vec<TrailItem>)> {
        let pending = self.held(id)?.pending.clone();
        let mut entries = match self.store.read_ticket(&id) {
            Ok(files) => files.entries,
            Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        entries.extend(pending);
        Ok(fold(id, entries))
    }

    /// Plans a change to ticket `id`, as [`append`] does, without writing
    /// it yet. Returns the entry files it will write, or `None` when
    /// `plan` found nothing to do. An error (the plan's, or a refusal)
    /// leaves the batch unchanged.
    pub fn append(
        &mut self,
        actor: &Actor,
        id: TicketId,
        verb: &str,
        plan: impl FnOnce(&Ticket) -> Result<Vec<Draft>>,
    ) -> Result<Option<Vec<String>>> {
        let drafts = plan(&self.held(id)?.ticket)?;
        if drafts.is_empty() {
            return Ok(None);
        }
        let subject = self.held(id)?.ticket.subject.clone();
        let (files, events) = self.plan(actor, id, verb, subject, drafts, None)?;
        self.automate(actor, id, events, None)?;
        Ok(Some(files))
    }

    /// Plans a new ticket `id`: `drafts` start with its `created` entry.
    /// Refused when a ticket `id` exists. Returns the entry files.
    pub fn create(
        &mut self,
        actor: &Actor,
        id: TicketId,
        drafts: Vec<Draft>,
    ) -> Result<Vec<String>> {
        let Some(Event::Created { subject, .. }) = drafts.first().map(|d| &d.event) else {
            return Err(Error::internal(
                "a new ticket needs a `created` entry first",
            ));
        };
        let subject = subject.clone();
        if self.tickets.contains_key(&id) || self.store.ticket_exists(&id)? {
            return Err(Error::internal(format!("ticket {id} exists already")));
        }
        self.tickets.insert(
            id,
            Held {
                ticket: fold(id, Vec::new()).0,
                pending: Vec::new(),
            },
        );
        let planned = self.plan(actor, id, "create", subject, drafts, None);
        let (files, events) = match planned {
            Ok(done) => done,
            Err(e) => {
                self.tickets.remove(&id);
                return Err(e);
            }
        };
        self.automate(actor, id, events, None)?;
        Ok(files)
    }

    /// Plans ticket `id` as another store had it (`tix import json`): its
    /// entries under their own file names, times and `seq`, and the files
    /// they name beside them (`files`, relative to the ticket directory).
    /// Refused when a ticket `id` exists. No rule runs and no hook is
    /// told: this is history being copied, not something happening.
    pub fn restore(
        &mut self,
        id: TicketId,
        entries: Vec<StoredEntry>,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<()> {
        if self.tickets.contains_key(&id) || self.store.ticket_exists(&id)? {
            return Err(Error::invalid(format!("ticket {id} exists already")));
        }
        let dir = Store::ticket_dir(&id);
        let (ticket, _) = fold(id, entries.clone());
        let mut written = Vec::with_capacity(entries.len() + files.len());
        for e in &entries {
            let bytes = e.entry.encode().into_bytes();
            self.pending_bytes += bytes.len();
            self.files.push((format!("{dir}/{}", e.file), bytes));
            written.push(e.file.clone());
        }
        for (path, bytes) in files {
            self.pending_bytes += bytes.len();
            self.files.push((format!("{dir}/{path}"), bytes));
        }
        self.changes.push(Change {
            id,
            verb: "import".into(),
            subject: ticket.subject.clone(),
            summary: format!("tix: import {id}"),
            detail: String::new(),
            files: written,
            rule: None,
        });
        self.tickets.insert(
            id,
            Held {
                ticket,
                pending: entries,
            },
        );
        Ok(())
    }

    /// Runs the rules that wait for `trigger` on ticket `id` as held (for
    /// `tix tick`'s `idle`, and `tix rules test`), and what their entries
    /// set off. The text the conditions read is the ticket's last message
    /// from the customer. Returns the names of the rules that fired.
    pub fn run_rules(
        &mut self,
        actor: &Actor,
        id: TicketId,
        trigger: Trigger,
    ) -> Result<Vec<String>> {
        let (ticket, trail) = self.trail(id)?;
        let last = crate::domain::automation::last_message_of(&ticket, &trail);
        let events = ChangeEvents {
            triggers: vec![trigger],
            text: last.text,
            from: last.from,
            to: last.to,
            channel: last.channel,
        };
        let mut fired = Vec::new();
        self.automate(actor, id, events, Some(&mut fired))?;
        Ok(fired)
    }

    /// The config's rules on what a change set off, round after round on
    /// what the rules' own entries set off, each rule at most once per
    /// ticket per run and at most [`MAX_ROUNDS`] rounds. A rule's
    /// refused change (the ticket is locked, a field required at close is
    /// missing) is a warning, never the failure of the change that set it
    /// off.
    fn automate(
        &mut self,
        actor: &Actor,
        id: TicketId,
        first: ChangeEvents,
        mut fired_out: Option<&mut Vec<String>>,
    ) -> Result<()> {
        let store = self.store;
        let config = store.config();
        if !self.automate || config.rule_book.is_empty() {
            return Ok(());
        }
        let now = self.now;
        let hours = config.sla.policy().hours.clone();
        let organisations = config.organisations();
        let mut fired: Vec<String> = Vec::new();
        let mut pending = vec![(first, None::<String>)];
        for _ in 0..MAX_ROUNDS {
            let mut next = Vec::new();
            for (events, _) in std::mem::take(&mut pending) {
                for trigger in &events.triggers {
                    let situation = Situation {
                        trigger: *trigger,
                        now,
                        text: &events.text,
                        from: events.from.as_deref(),
                        to: &events.to,
                        channel: events.channel,
                        hours: &hours,
                        organisations: &organisations,
                    };
                    for rule in &config.rule_book.rules {
                        // Each rule sees what the rules before it did.
                        let held = self.held(id)?.ticket.clone();
                        if !should_fire(rule, &held, &situation, &fired) {
                            continue;
                        }
                        fired.push(rule.name.clone());
                        let team_slot = &mut self.team;
                        let mut team = || -> Result<crate::domain::assign::TeamState> {
                            if team_slot.is_none() {
                                *team_slot = Some(super::team::team_state(store, now)?);
                            }
                            Ok(team_slot.clone().unwrap_or_default())
                        };
                        let firing =
                            super::automation::plan(config, &mut team, &held, rule, *trigger, now)?;
                        let stops = rule.stops();
                        for why in firing.skipped {
                            self.rule_warnings
                                .push(format!("ticket {id}: rule `{}`: {why}", rule.name));
                        }
                        self.rule_mail.extend(firing.mail);
                        if let Some(out) = fired_out.as_deref_mut() {
                            out.push(rule.name.clone());
                        }
                        if !firing.drafts.is_empty() {
                            let subject = held.subject.clone();
                            match self.plan(
                                actor,
                                id,
                                "rule",
                                subject,
                                firing.drafts,
                                Some(&rule.name),
                            ) {
                                Ok((_, events)) => next.push((events, Some(rule.name.clone()))),
                                Err(e) if e.kind() == ErrorKind::Internal => return Err(e),
                                Err(e) => self.rule_warnings.push(format!(
                                    "ticket {id}: rule `{}` was not applied: {}",
                                    rule.name,
                                    e.message()
                                )),
                            }
                        }
                        if stops {
                            break;
                        }
                    }
                }
            }
            if next.is_empty() {
                return Ok(());
            }
            pending = next;
        }
        if pending.iter().any(|(e, _)| !e.triggers.is_empty()) {
            self.rule_warnings.push(format!(
                "ticket {id}: rules stopped after {MAX_ROUNDS} rounds of rules firing on other rules' entries"
            ));
        }
        Ok(())
    }

    /// Checks `drafts` against ticket `id` as held and, when they pass,
    /// renders them into the pending files and folds them in.
    fn plan(
        &mut self,
        actor: &Actor,
        id: TicketId,
        verb: &str,
        subject: String,
        drafts: Vec<Draft>,
        rule: Option<&str>,
    ) -> Result<(Vec<String>, ChangeEvents)> {
        let (store, now) = (self.store, self.now);
        let held = held_in(store, &mut self.tickets, id)?;
        check_change(store.config(), &held.ticket, &drafts)?;
        let summary = commit_subject(verb, id, &drafts);
        let detail = detail_for(verb, &drafts, &|t| t.to_short_labelled());
        let (files, new_entries) =
            render(store, actor, id, &held.ticket, now, drafts, &mut self.tags)?;
        let written: Vec<String> = new_entries.iter().map(|e| e.file.clone()).collect();
        // Only a config with rules or hooks needs to know what happened.
        let config = store.config();
        let observe = !(config.rule_book.is_empty() && config.hooks.is_empty());
        let mut events = ChangeEvents::none();
        for entry in &new_entries {
            if observe {
                events.observe(&held.ticket, entry);
            }
            apply_appended(&mut held.ticket, entry);
        }
        events.finish();
        for trigger in events
            .triggers
            .iter()
            .filter(|t| config.hooks.contains_key(t.as_str()))
        {
            self.hook_events.push(HookEvent {
                event: trigger.as_str().to_string(),
                ticket: id,
                subject: held.ticket.subject.clone(),
                status: held.ticket.status.as_str().to_string(),
                assignee: held.ticket.assignee.clone(),
                by: actor.handle.clone(),
                rule: rule.map(str::to_string),
                entries: written.clone(),
                at: now,
                commit: String::new(),
            });
        }
        held.pending.extend(new_entries);
        self.pending_bytes += files.iter().map(|(_, b)| b.len()).sum::<usize>();
        self.files.extend(files);
        self.changes.push(Change {
            id,
            verb: verb.to_string(),
            subject,
            summary,
            detail,
            files: written.clone(),
            rule: rule.map(str::to_string),
        });
        Ok((written, events))
    }

    /// Writes a file that is not a ticket entry (a quarantined message and
    /// its record) with the next commit; it replaces one of that path.
    /// Ticket files are written only as entries, through [`Batch::append`].
    pub fn write_file(&mut self, path: String, bytes: Vec<u8>) -> Result<()> {
        refuse_ticket_path(&path)?;
        self.pending_bytes += bytes.len();
        self.files.push((path, bytes));
        Ok(())
    }

    /// Removes a file that is not a ticket entry with the next commit
    /// (a quarantined message filed on retry). Entries are never removed.
    pub fn remove_file(&mut self, path: String) -> Result<()> {
        refuse_ticket_path(&path)?;
        self.removals.push(path);
        Ok(())
    }

    /// Forgets what is planned and not committed, keeping the state it
    /// led to (for a dry run that must not hold a whole mailbox in
    /// memory): later changes are planned as if it had been written, and
    /// [`Batch::trail`] no longer shows it.
    pub fn discard_pending(&mut self) {
        self.files.clear();
        self.removals.clear();
        self.changes.clear();
        self.hook_events.clear();
        self.pending_bytes = 0;
        for held in self.tickets.values_mut() {
            held.pending.clear();
        }
    }

    /// Commits what is planned so far as one commit by `author` with
    /// `message`, and goes on holding the lock for more; `None` when
    /// nothing is pending.
    pub fn flush(&mut self, author: &Author, message: &str) -> Result<Option<Flushed>> {
        let Some((mut flushed, events)) = self.flush_quietly(author, message)? else {
            return Ok(None);
        };
        flushed
            .warnings
            .extend(super::hooks::run(self.store, &events));
        Ok(Some(flushed))
    }

    /// [`Batch::flush`] without running the hooks: the events committed
    /// are returned for the caller to run once it lets go of the lock.
    fn flush_quietly(
        &mut self,
        author: &Author,
        message: &str,
    ) -> Result<Option<(Flushed, Vec<HookEvent>)>> {
        if self.files.is_empty() && self.removals.is_empty() {
            return Ok(None);
        }
        let files = std::mem::take(&mut self.files);
        let removals = std::mem::take(&mut self.removals);
        let committed = if self.packed || !removals.is_empty() {
            let contents: Vec<&[u8]> = files.iter().map(|(_, b)| b.as_slice()).collect();
            let ids = self.store.write_blobs_packed(&contents)?;
            let blobs = files.into_iter().map(|(p, _)| p).zip(ids).collect();
            self.store
                .commit_changes(&self.lock, blobs, removals, message, author)?
        } else {
            self.store.commit(&self.lock, files, message, author)?
        };
        self.changes.clear();
        self.pending_bytes = 0;
        for held in self.tickets.values_mut() {
            held.pending.clear();
        }
        let commit = committed.oid.to_string();
        let mut events = std::mem::take(&mut self.hook_events);
        for e in &mut events {
            e.commit = commit.clone();
        }
        let mut warnings: Vec<String> = committed.warning.into_iter().collect();
        warnings.extend(self.take_rule_warnings());
        Ok(Some((Flushed { commit, warnings }, events)))
    }

    /// Writes every planned change as one commit by `author`; `None` when
    /// nothing was planned. The message is that of the one change, or
    /// `tix: <what>` and a line per change.
    pub fn commit(mut self, author: &Author, what: &str) -> Result<Option<BatchOutcome>> {
        let message = match self.changes.as_slice() {
            [] => return Ok(None),
            [one] => format!("{}\n\n{}", one.summary, one.subject),
            // One change and what the rules did about it.
            [first, rest @ ..]
                if first.rule.is_none()
                    && rest.iter().all(|c| c.rule.is_some() && c.id == first.id) =>
            {
                let mut m = format!("{}\n\n{}\n\nRules:\n", first.summary, first.subject);
                for line in rules_applied(rest) {
                    m.push_str(&format!("{line}\n"));
                }
                m
            }
            many => {
                let tickets: BTreeSet<TicketId> = many.iter().map(|c| c.id).collect();
                let mut m = format!(
                    "tix: {what}: {} changes to {} ticket{}\n\n",
                    many.len(),
                    tickets.len(),
                    if tickets.len() == 1 { "" } else { "s" }
                );
                for c in many {
                    let line = c.summary.strip_prefix("tix: ").unwrap_or(&c.summary);
                    m.push_str(&format!("{line}: {}\n", c.subject));
                }
                m
            }
        };
        let changes = self.changes.clone();
        let Some((mut done, events)) = self.flush_quietly(author, &message)? else {
            return Err(Error::internal("planned changes wrote no files"));
        };
        let rule_mail = self.take_rule_mail();
        let store = self.store;
        // The hooks run once the lock is let go, so one may call tix.
        drop(self);
        done.warnings.extend(super::hooks::run(store, &events));
        Ok(Some(BatchOutcome {
            commit: done.commit,
            changes,
            warnings: done.warnings,
            rule_mail,
        }))
    }
}

/// Refuses `path` inside the tickets: entries are written only as drafts,
/// so every rule of [`check_change`] sees them.
fn refuse_ticket_path(path: &str) -> Result<()> {
    if path.starts_with(&format!("{TICKETS_DIR}/")) {
        return Err(Error::internal(format!(
            "{path}: ticket files are written as entries, not as loose files"
        )));
    }
    Ok(())
}

/// Ticket `id` as `tickets` holds it, read from the store the first time.
fn held_in<'t>(
    store: &Store,
    tickets: &'t mut BTreeMap<TicketId, Held>,
    id: TicketId,
) -> Result<&'t mut Held> {
    Ok(match tickets.entry(id) {
        std::collections::btree_map::Entry::Occupied(held) => held.into_mut(),
        std::collections::btree_map::Entry::Vacant(slot) => {
            let entries = store.read_ticket(&id)?.entries;
            let ticket = fold(id, entries).0;
            slot.insert(Held {
                ticket,
                pending: Vec::new(),
            })
        }
    })
}

/// The rules every change obeys, whatever command makes it: a locked
/// ticket takes nothing but an unlock and what happened to mail already
/// sent; a ticket merged into another takes nothing but its unmerge (and
/// what happened to mail it sent); a ticket is not closed while a field required at close has no
/// value (counting the values the same change sets).
/// The error for any change but an unlock to a locked ticket. Commands
/// whose own checks could refuse first (a required field, the last group)
/// call it before them, so the lock is what a locked ticket answers.
pub fn refuse_if_locked(ticket: &Ticket) -> Result<()> {
    let Some(lock_info) = &ticket.locked else {
        return Ok(());
    };
    let id = ticket.id;
    Err(Error::new(
        ErrorKind::Locked,
        format!(
            "ticket {id} is locked (by {} at {}); it accepts no changes",
            lock_info.by,
            lock_info.at.to_short_labelled()
        ),
    )
    .with_remedy(Remedy::Unlock))
}

/// The error for any change but its unmerge to a ticket merged into
/// another: it is a pointer, and what is written about it belongs on the
/// ticket it points to.
pub fn refuse_if_merged(ticket: &Ticket) -> Result<()> {
    let Some(target) = ticket.merged_into else {
        return Ok(());
    };
    let source = ticket.id;
    Err(Error::invalid(format!(
        "ticket {source} was merged into {target}; it takes no changes"
    ))
    .with_remedy(Remedy::WriteToMergeTarget {
        source: source.to_string(),
        target: target.to_string(),
    }))
}

fn check_change(config: &crate::domain::Config, ticket: &Ticket, drafts: &[Draft]) -> Result<()> {
    if !drafts.iter().all(|d| {
        matches!(
            d.event,
            Event::Unlock {} | Event::Delivery { .. } | Event::Redact { .. }
        )
    }) {
        refuse_if_locked(ticket)?;
    }
    if !drafts.iter().all(|d| d.event.applies_when_merged()) {
        refuse_if_merged(ticket)?;
    }
    let closes = drafts.iter().any(|d| {
        matches!(
            d.event,
            Event::Close {}
                | Event::Status {
                    to: Status::Closed,
                    ..
                }
        )
    });
    if closes && ticket.is_open() {
        let being_set: Vec<String> = drafts
            .iter()
            .filter_map(|d| match &d.event {
                Event::Field {
                    name,
                    value: Some(_),
                } => Some(name.clone()),
                _ => None,
            })
            .collect();
        super::check_closable(config, ticket, &being_set)?;
        check_open_tasks(config, ticket)?;
    }
    Ok(())
}

/// A close of a ticket with open tasks: refused when the config says so
/// (`tasks.refuse_close_with_open`), else a warning, since the tasks stay
/// open on the closed ticket and in `tix tasks`.
fn check_open_tasks(config: &crate::domain::Config, ticket: &Ticket) -> Result<()> {
    let open: Vec<String> = ticket.open_tasks().map(|t| t.number.to_string()).collect();
    if open.is_empty() {
        return Ok(());
    }
    let what = format!(
        "ticket {} has {} open task{} ({})",
        ticket.id,
        open.len(),
        if open.len() == 1 { "" } else { "s" },
        open.join(", ")
    );
    if config.tasks.refuse_close_with_open {
        return Err(
            Error::invalid(format!("{what}; it cannot be closed until they are done")).with_remedy(
                Remedy::FinishTasks {
                    ticket: ticket.id.to_string(),
                },
            ),
        );
    }
    crate::warnings::warn(&format!("{what}; closed with them still open"));
    Ok(())
}

/// The fields of a new ticket.
pub struct NewTicket {
    pub created: Event,
    pub body: String,
    pub attachments: Vec<NewAttachment>,
    /// Further entries written in the same commit (an assignment, say).
    pub extra: Vec<Draft>,
}

pub fn create_ticket(store: &Store, actor: &Actor, new: NewTicket) -> Result<Outcome> {
    let Event::Created {
        subject, fields, ..
    } = &new.created
    else {
        return Err(Error::internal("create_ticket needs a `created` event"));
    };
    super::check_subject(subject)?;
    let missing: Vec<_> = store
        .config()
        .required_fields(Stage::Create)
        .filter(|f| !fields.contains_key(&f.name))
        .map(|f| f.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Error::invalid(format!(
            "missing required field{} at create: {}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ))
        .with_remedy(Remedy::GiveFieldsAtCreate));
    }
    let mut batch = Batch::begin(store)?;
    let mut id = random_id()?;
    while store.ticket_exists(&id)? {
        id = random_id()?;
    }
    let mut drafts = vec![Draft {
        event: new.created,
        body: new.body,
        attachments: new.attachments,
        original: None,
        author: None,
        mail_text: None,
        rule: None,
    }];
    drafts.extend(new.extra);
    let files = batch.create(actor, id, drafts)?;
    let ticket = batch.ticket(id)?.clone();
    let Some(done) = batch.commit(&actor.author(), "create")? else {
        return Err(Error::internal("a new ticket was not committed"));
    };
    Ok(Outcome::committed(id, files, ticket, String::new(), done))
}

/// The files that write `drafts` to ticket `id` (in state `ticket`) at
/// `now`, and the entries they hold.
#[allow(clippy::type_complexity)]
fn render(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    ticket: &Ticket,
    now: Timestamp,
    drafts: Vec<Draft>,
    tags: &mut TagSource,
) -> Result<(Vec<(String, Vec<u8>)>, Vec<StoredEntry>)> {
    let dir = Store::ticket_dir(&id);
    let mut seq = ticket.next_seq();
    let mut out_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut written = Vec::new();
    for draft in drafts {
        // An entry written in someone else's name (a customer's mail, tix's
        // own) was not written for the actor, so no one acted on its behalf.
        let by = match &draft.author {
            None => actor.by.as_ref().map(|p| p.handle.clone()),
            Some(_) => None,
        };
        let author = draft.author.unwrap_or_else(|| actor.handle.clone());
        let mut entry = Entry {
            at: now,
            seq,
            author: author.clone(),
            by: by.clone(),
            rule: draft.rule,
            event: draft.event,
            body: draft.body,
        };
        seq += 1;
        let file = entry.file_name(&tags.next_tag());
        if let Some(bytes) = draft.original {
            let raw = format!("{}.eml", file.trim_end_matches(".md"));
            let Some(mail) = entry.event.mail_mut() else {
                return Err(Error::internal(format!(
                    "a `{}` entry cannot carry an e-mail",
                    entry.event.kind()
                )));
            };
            mail.raw = raw.clone();
            out_files.push((format!("{dir}/{raw}"), bytes));
        }
        if let Some(text) = draft.mail_text {
            let stem = file.trim_end_matches(".md");
            let Some(mail) = entry.event.mail_mut() else {
                return Err(Error::internal(format!(
                    "a `{}` entry cannot carry an e-mail",
                    entry.event.kind()
                )));
            };
            if let Some(quoted) = text.quoted {
                let path = format!("{stem}.quoted.txt");
                mail.quoted = Some(path.clone());
                out_files.push((format!("{dir}/{path}"), quoted.into_bytes()));
            }
            if let Some(html) = text.html {
                out_files.push((format!("{dir}/{stem}.html"), html.into_bytes()));
            }
        }
        out_files.push((format!("{dir}/{file}"), entry.encode().into_bytes()));
        written.push(StoredEntry {
            file: file.clone(),
            entry,
        });
        let stem = file.trim_end_matches(".md").to_string();
        let mut taken = Vec::new();
        for att in draft.attachments {
            let limit = store.config().max_attachment_bytes;
            if att.bytes.len() as u64 > limit {
                return Err(Error::invalid(format!(
                    "attachment `{}` is {} bytes; the limit is {limit} (max_attachment_bytes in .tix/config.yaml)",
                    att.name,
                    att.bytes.len()
                )));
            }
            let safe = match att.stored_as {
                Some(name) => name,
                None => unique_name(&safe_file_name(&att.name, "attachment"), &taken),
            };
            taken.push(safe.clone());
            let rel = format!("{FILES_DIR}/{stem}/{safe}");
            let record = Entry {
                at: now,
                seq,
                author: author.clone(),
                by: by.clone(),
                rule: None,
                event: Event::Attachment {
                    file: rel.clone(),
                    name: att.name.clone(),
                    size: att.bytes.len() as u64,
                    entry: Some(file.clone()),
                },
                body: String::new(),
            };
            seq += 1;
            let record_file = record.file_name(&tags.next_tag());
            out_files.push((format!("{dir}/{rel}"), att.bytes));
            out_files.push((format!("{dir}/{record_file}"), record.encode().into_bytes()));
            written.push(StoredEntry {
                file: record_file,
                entry: record,
            });
        }
    }
    Ok((out_files, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One draft with many attachments: every entry of the write shares
    /// the timestamp, so only the tags keep their names apart. The source
    /// starts just below the end of the tag space, so the run also wraps.
    #[test]
    fn every_entry_of_one_write_gets_its_own_file() {
        let (_dir, store) = crate::store::scratch::store();
        let author = crate::store::scratch::author();
        let actor = Actor {
            handle: "alice".into(),
            name: "Alice".into(),
            email: "alice@example.com".into(),
            admin: true,
            by: None,
        };
        let id = random_id().unwrap();
        let now = Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456Z").unwrap();
        let count = 400;
        let mut draft = Draft::with_body(Event::Note { mail: None }, "many files");
        draft.attachments = (0..count)
            .map(|i| NewAttachment {
                name: format!("part{i}.txt"),
                bytes: format!("{i}").into_bytes(),
                stored_as: None,
            })
            .collect();
        let lock = store.lock().unwrap();
        let empty = fold(id, Vec::new()).0;
        let mut tags = TagSource::starting_at((1 << 30) - 7);
        let (files, written) =
            render(&store, &actor, id, &empty, now, vec![draft], &mut tags).unwrap();
        store.commit(&lock, files, "test", &author).unwrap();
        drop(lock);
        assert_eq!(written.len(), count + 1);
        let mut names: Vec<&str> = written.iter().map(|e| e.file.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count + 1, "two entries share a file name");
        let files = store.read_ticket(&id).unwrap();
        assert!(files.problems.is_empty(), "{:?}", files.problems);
        assert_eq!(files.entries.len(), count + 1);
    }
}
