//! Entries: one immutable file per event in a ticket's directory.
//!
//! An entry file is YAML front matter between `---` lines, then the body:
//!
//! ```text
//! ---
//! format: 1
//! kind: reply
//! at: 2026-11-23T01:38:23.123456Z
//! seq: 3
//! author: alice
//! ---
//! Try turning it off and on
//! ```
//!
//! The body is stored verbatim followed by one newline that the reader
//! removes, so any text round-trips byte for byte. `seq` is a per-ticket
//! Lamport clock: a new entry gets one more than the highest `seq` its writer
//! saw, so an entry written after another always folds after it, whatever
//! the clocks of the machines said.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use super::channel::{Channel, Direction};
use super::csat::{Answer, Scale};
use super::duration::Duration;
use super::id::TicketId;
use super::party::Party;
use super::time::Timestamp;

/// The entry format this version writes, and the newest it reads.
pub const ENTRY_FORMAT: u32 = 1;

/// The largest front matter read. tix writes a few hundred bytes, a mail
/// entry with a long recipient list some kilobytes; past this a file is
/// reported as a problem rather than parsed.
pub const MAX_FRONT_MATTER: usize = 4 << 20;

/// The deepest nesting of front matter read. tix writes four levels at
/// most; the YAML parser's cost grows with the square of the depth, so a
/// hostile file is refused before it reaches the parser.
pub const MAX_FRONT_MATTER_DEPTH: usize = 64;

/// Which SLA clock: as written in `sla` entries and shown by `tix sla`
/// (`first-response`), and under its config key (`first_response`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    FirstResponse,
    Resolution,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::FirstResponse, Target::Resolution];

    /// The spelling in entries and in `tix sla`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::FirstResponse => "first-response",
            Target::Resolution => "resolution",
        }
    }

    /// The spelling of the config key (`sla.high.first_response`), which
    /// `tix report sla` uses too.
    pub fn key(self) -> &'static str {
        match self {
            Target::FirstResponse => "first_response",
            Target::Resolution => "resolution",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an SLA clock stands. `sla` entries record only `warning` and
/// `breached`, the standings `tix tick` acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Within the target (for a stopped clock: met).
    OnTime,
    /// Running or paused, past the warning threshold.
    Warning,
    /// The deadline passed before the clock stopped.
    Breached,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::OnTime => "on-time",
            Standing::Warning => "warning",
            Standing::Breached => "breached",
        }
    }
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Open,
        Status::Pending,
        Status::OnHold,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on-hold",
            Status::Closed => "closed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

/// How one ticket relates to another. Links are recorded on the ticket they
/// were made from; `parent-of` read from the other side means child-of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkRel {
    Related,
    DuplicateOf,
    ParentOf,
}

impl LinkRel {
    pub const ALL: [LinkRel; 3] = [LinkRel::Related, LinkRel::DuplicateOf, LinkRel::ParentOf];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkRel::Related => "related",
            LinkRel::DuplicateOf => "duplicate-of",
            LinkRel::ParentOf => "parent-of",
        }
    }
}

macro_rules! impl_text_enum {
    ($t:ty, $what:literal) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $t {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
                let wanted = if wanted == "onhold" {
                    "on-hold".to_string()
                } else {
                    wanted
                };
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<_> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        format!(
                            "`{s}` is not a {} (expected one of: {})",
                            $what,
                            names.join(", ")
                        )
                    })
            }
        }
    };
}

impl_text_enum!(Status, "status");
impl_text_enum!(Priority, "priority");
impl_text_enum!(LinkRel, "link type");

/// A custom field's value. Numbers are stored as YAML numbers, everything
/// else (text, dates as `YYYY-MM-DD`, choices) as strings.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Number(f64),
    Text(String),
}

/// In YAML and JSON a field value is a bare number or string. Binary
/// formats (the derived index) cannot tell those apart on reading, so
/// there it carries its variant.
impl Serialize for FieldValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self, s.is_human_readable()) {
            (FieldValue::Number(n), true) => s.serialize_f64(*n),
            (FieldValue::Text(t), true) => s.serialize_str(t),
            (FieldValue::Number(n), false) => {
                s.serialize_newtype_variant("FieldValue", 0, "Number", n)
            }
            (FieldValue::Text(t), false) => s.serialize_newtype_variant("FieldValue", 1, "Text", t),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        enum Tagged {
            Number(f64),
            Text(String),
        }
        struct Bare;
        impl serde::de::Visitor<'_> for Bare {
            type Value = FieldValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_f64<E>(self, v: f64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(v))
            }
        }
        if d.is_human_readable() {
            d.deserialize_any(Bare)
        } else {
            Ok(match Tagged::deserialize(d)? {
                Tagged::Number(n) => FieldValue::Number(n),
                Tagged::Text(t) => FieldValue::Text(t),
            })
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                write!(f, "{}", *n as i64)
            }
            FieldValue::Number(n) => write!(f, "{n}"),
            FieldValue::Text(s) => f.write_str(s),
        }
    }
}

/// What an entry that came by e-mail records about the message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailMeta {
    /// The Message-ID without angle brackets; synthetic (`…@tix.invalid`,
    /// derived from the content) when the message had none.
    pub message_id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_reply_to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Party>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Party>,
    /// Blind copies of mail tix sent: recorded, never in its headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<Party>,
    pub subject: String,
    /// When it was sent: the Date header in UTC, or the import time when
    /// the header was missing or absurd (then `date_missing` is true).
    pub sent_at: Timestamp,
    #[serde(default, skip_serializing_if = "is_false")]
    pub date_missing: bool,
    /// The original message, byte for byte, relative to the ticket directory.
    pub raw: String,
    /// The quoted history and signature split off the body, if any, as a
    /// file relative to the ticket directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted: Option<String>,
    /// Why tix considered it automatic (`auto-reply`, `bounce`, …), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<String>,
    /// Attachments that were not stored, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<String>,
    /// Mail tix wrote to be sent (a reply to the customer), as opposed to
    /// mail it received. Whether it went out is told by `delivery` entries.
    #[serde(default, skip_serializing_if = "is_false")]
    pub outbound: bool,
}

/// What became of an attempt to send a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryStatus {
    /// The mail server (or sendmail, or the outbox directory) took it.
    Sent,
    /// It did not; the body says why. `tix send --retry` tries again.
    Failed,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What happened. The variant name is the entry's `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// The ticket was opened. The body is the customer's request.
    Created {
        subject: String,
        customer: Party,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cc: Vec<Party>,
        priority: Priority,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        fields: BTreeMap<String, FieldValue>,
        /// How the request came in, when the writer said (`tix create
        /// --channel`, an import); without it the fold derives it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
        /// The department it opened in (`mail.departments`): by the
        /// address its mail came to, or `tix create --department`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<String>,
        /// The group it starts in (its department's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    /// A message from the customer (or someone in Cc). Body: the text.
    Message {
        from: Party,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mail: Option<Box<MailMeta>>,
    },
    /// A public reply from an agent, meant for the customer. Body: the text.
    Reply {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mail: Option<Box<MailMeta>>,
    },
    /// A private internal note, never shown to a customer. Body: the text.
    /// Automatic mail (a bounce, an out-of-office) that threads onto a
    /// ticket is recorded as a note carrying its `mail`.
    Note {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mail: Option<Box<MailMeta>>,
    },
    /// A phone call with the customer, logged by the agent on it:
    /// `direction` `in` when the customer called, `out` when the agent
    /// did; `duration` how long it took, if given. Body: what was said.
    Call {
        direction: Direction,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration: Option<Duration>,
    },
    /// A chat with the customer, logged by the agent on it. Body: the
    /// transcript.
    Chat {},
    /// The ticket was given to an agent (`to`), or unassigned (`to: null`).
    Assign {
        // Required even though it may be null: a missing key means a
        // damaged entry, not an unassignment.
        #[serde(deserialize_with = "Option::deserialize")]
        to: Option<String>,
    },
    /// The status changed. `from` is what the writer saw, for readers of the
    /// raw file; the fold only uses `to`.
    Status {
        to: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Status>,
    },
    Priority {
        to: Priority,
    },
    Subject {
        to: String,
    },
    /// Tags added and removed. Sets change by add/remove so that concurrent
    /// edits in two clones compose instead of overwriting each other.
    Tags {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        add: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remove: Vec<String>,
    },
    /// People added to or removed from Cc (removal by address).
    Cc {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        add: Vec<Party>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remove: Vec<String>,
    },
    /// A custom field was set, or cleared (`value: null`).
    Field {
        name: String,
        #[serde(deserialize_with = "Option::deserialize")]
        value: Option<FieldValue>,
    },
    Link {
        rel: LinkRel,
        target: TicketId,
    },
    Unlink {
        rel: LinkRel,
        target: TicketId,
    },
    /// The ticket was closed. Body: an optional internal resolution note.
    Close {},
    /// The ticket refuses every further change until an admin unlocks it.
    /// Body: an optional reason.
    Lock {},
    /// An admin lifted the lock. Body: the reason.
    Unlock {},
    /// A file stored in the ticket directory at `file` (relative to it).
    Attachment {
        file: String,
        name: String,
        size: u64,
        /// The entry (file name) the attachment belongs to, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<String>,
    },
    /// An SLA clock of the ticket reached a state `tix tick` acts on:
    /// `target` is `first-response` or `resolution`, `standing` `warning`
    /// or `breached`. Body: the deadline and what was done.
    Sla {
        target: Target,
        standing: Standing,
    },
    /// Hidden from the default list until `until`; `until: null` wakes it
    /// (at that time, by `tix tick`, or when the customer writes).
    Snooze {
        #[serde(deserialize_with = "Option::deserialize")]
        until: Option<Timestamp>,
    },
    /// The ticket moved to department `to` (None: to no department): its
    /// mail goes out from that department's address from now on. Body:
    /// why (internal).
    Department {
        #[serde(deserialize_with = "Option::deserialize")]
        to: Option<String>,
    },
    /// The ticket moved to group `to` (the next level). Body: why, for the
    /// next agent (internal).
    Escalate {
        to: String,
    },
    /// An attempt to send the outbound reply `entry` (its file name).
    /// Body: the error, when it failed. Recorded even on a locked ticket:
    /// it reports what happened to mail already written, and changes
    /// nothing the lock protects.
    Delivery {
        entry: String,
        status: DeliveryStatus,
    },
    /// What solved the problem, worded to be offered on similar tickets.
    /// Body: the text. The latest one is the ticket's resolution.
    Resolution {},
    /// Ticket `source` was merged into ticket `target`: the same entry is
    /// written on both in one commit. The source becomes a closed pointer;
    /// the target shows both trails. `cc`: the source's customer and Cc
    /// who were not on the target yet, who join its Cc.
    Merge {
        source: TicketId,
        target: TicketId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cc: Vec<Party>,
    },
    /// A merge of `source` into `target` undone; written on both.
    Unmerge {
        source: TicketId,
        target: TicketId,
    },
    /// Entries of ticket `source` (by file name) continue on the new
    /// ticket `target`: written on both, read from the source by
    /// reference, never copied.
    Split {
        source: TicketId,
        target: TicketId,
        entries: Vec<String>,
    },
    /// A task on the ticket. Body: what is to be done. `to`: the agent
    /// it is given to; `due`: its deadline; `from`: the entry (file
    /// name, of this ticket's trail) it was made from. Later task entries
    /// name it by this entry's file name; its number is its place among
    /// the ticket's `task-add` entries in fold order.
    TaskAdd {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
    },
    /// Task `task` (the file name of its `task-add`) given to agent `to`.
    TaskAssign {
        task: String,
        to: String,
    },
    /// Task `task` has a new deadline, or none (`due: null`).
    TaskDue {
        task: String,
        #[serde(deserialize_with = "Option::deserialize")]
        due: Option<Timestamp>,
    },
    /// Task `task` was done.
    TaskDone {
        task: String,
    },
    /// Task `task`, done, is to be done again.
    TaskReopen {
        task: String,
    },
    /// `tix tick` told the assignee of task `task` that it is due, so
    /// that no later tick tells them again for that deadline.
    TaskReminder {
        task: String,
    },
    /// Entry `entry` of this ticket is hidden from every view: its text,
    /// its mail's subject and quoted text, its attachments' names. The
    /// bytes stay in git's history (see docs/format.md, "Redaction").
    /// Body: why.
    Redact {
        entry: String,
    },
    /// `tix tick` e-mailed the customer a satisfaction survey whose
    /// answers carry `token` (the mail itself is the outbound `note`
    /// written with it). Body: to whom.
    Survey {
        token: String,
        scale: Scale,
    },
    /// The customer answered the survey with `token`: `answer` is `good`
    /// or `bad`, or `1` to `5`. The latest one is the ticket's rating; it
    /// never reopens the ticket. Body: their comment, if any.
    Rating {
        token: String,
        answer: Answer,
    },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Message { .. } => "message",
            Event::Reply { .. } => "reply",
            Event::Note { .. } => "note",
            Event::Call { .. } => "call",
            Event::Chat {} => "chat",
            Event::Assign { .. } => "assign",
            Event::Status { .. } => "status",
            Event::Priority { .. } => "priority",
            Event::Subject { .. } => "subject",
            Event::Tags { .. } => "tags",
            Event::Cc { .. } => "cc",
            Event::Field { .. } => "field",
            Event::Link { .. } => "link",
            Event::Unlink { .. } => "unlink",
            Event::Close {} => "close",
            Event::Lock {} => "lock",
            Event::Unlock {} => "unlock",
            Event::Attachment { .. } => "attachment",
            Event::Delivery { .. } => "delivery",
            Event::Escalate { .. } => "escalate",
            Event::Department { .. } => "department",
            Event::Snooze { .. } => "snooze",
            Event::Sla { .. } => "sla",
            Event::Resolution {} => "resolution",
            Event::Merge { .. } => "merge",
            Event::Unmerge { .. } => "unmerge",
            Event::Split { .. } => "split",
            Event::TaskAdd { .. } => "task-add",
            Event::TaskAssign { .. } => "task-assign",
            Event::TaskDue { .. } => "task-due",
            Event::TaskDone { .. } => "task-done",
            Event::TaskReopen { .. } => "task-reopen",
            Event::TaskReminder { .. } => "task-reminder",
            Event::Redact { .. } => "redact",
            Event::Survey { .. } => "survey",
            Event::Rating { .. } => "rating",
        }
    }

    /// What the entry records about the e-mail it came by, if it did.
    pub fn mail(&self) -> Option<&MailMeta> {
        match self {
            Event::Message { mail, .. } | Event::Reply { mail } | Event::Note { mail } => {
                mail.as_deref()
            }
            _ => None,
        }
    }

    pub fn mail_mut(&mut self) -> Option<&mut MailMeta> {
        match self {
            Event::Message { mail, .. } | Event::Reply { mail } | Event::Note { mail } => {
                mail.as_deref_mut()
            }
            _ => None,
        }
    }

    /// Whether the entry applies to a ticket merged into another (a
    /// closed pointer): its unmerge, what became of mail it sent, and its
    /// tasks' changes with the mail that tells an agent of one. A merged
    /// ticket's tasks stay its own (they are listed with the target) and
    /// are worked on by its id; new ones go on the target.
    pub fn applies_when_merged(&self) -> bool {
        match self {
            Event::Unmerge { .. }
            | Event::Delivery { .. }
            | Event::TaskAssign { .. }
            | Event::TaskDue { .. }
            | Event::TaskDone { .. }
            | Event::TaskReopen { .. }
            | Event::TaskReminder { .. }
            | Event::Redact { .. } => true,
            Event::Note { mail: Some(m) } => m.outbound,
            _ => false,
        }
    }

    /// Kinds whose body is text meant for someone to read.
    pub fn has_text(&self) -> bool {
        matches!(
            self,
            Event::Created { .. }
                | Event::Message { .. }
                | Event::Reply { .. }
                | Event::Note { .. }
                | Event::Call { .. }
                | Event::Chat {}
                | Event::Resolution {}
                | Event::TaskAdd { .. }
                | Event::Rating { .. }
        )
    }
}

/// One event, as stored in one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub at: Timestamp,
    pub seq: u64,
    pub author: String,
    /// Who wrote it for the author (an admin acting as them), if not the
    /// author themselves.
    pub by: Option<String>,
    /// The automation rule that wrote it, for entries by `tix`.
    pub rule: Option<String>,
    pub event: Event,
    pub body: String,
}

impl Entry {
    /// The entry file's name: timestamp first so `ls` shows the trail in
    /// order, then a random tag so two clones never pick the same name.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!(
            "{}-{}-{}.md",
            self.at.to_file_stamp(),
            random_tag,
            self.event.kind()
        )
    }

    /// The file's bytes.
    pub fn encode(&self) -> String {
        let mut front = Mapping::new();
        front.insert("format".into(), Value::from(ENTRY_FORMAT));
        front.insert("kind".into(), self.event.kind().into());
        front.insert("at".into(), self.at.to_rfc3339().into());
        front.insert("seq".into(), Value::from(self.seq));
        front.insert("author".into(), self.author.clone().into());
        if let Some(by) = &self.by {
            front.insert("by".into(), by.clone().into());
        }
        if let Some(rule) = &self.rule {
            front.insert("rule".into(), rule.clone().into());
        }
        if let Ok(Value::Mapping(fields)) = serde_yaml::to_value(&self.event) {
            for (k, v) in fields {
                if k.as_str() != Some("kind") {
                    front.insert(k, v);
                }
            }
        }
        let yaml = serde_yaml::to_string(&front).expect("entry front matter always serialises");
        let mut out = String::with_capacity(yaml.len() + self.body.len() + 10);
        out.push_str("---\n");
        out.push_str(&yaml);
        out.push_str("---\n");
        out.push_str(&self.body);
        out.push('\n');
        out
    }

    /// Parses an entry file. Errors say what is wrong, for the caller to
    /// report with the file's path.
    pub fn decode(bytes: &[u8]) -> Result<Entry, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text ({e})"))?;
        let rest = text
            .strip_prefix("---\n")
            .ok_or("does not start with a `---` front matter line")?;
        let (yaml, body) =
            split_front_matter(rest).ok_or("front matter has no closing `---` line")?;
        let body = body.strip_suffix('\n').unwrap_or(body);
        if yaml.len() > MAX_FRONT_MATTER {
            return Err(format!(
                "front matter is {} bytes; tix reads at most {MAX_FRONT_MATTER}",
                yaml.len()
            ));
        }
        if nesting_exceeds(yaml, MAX_FRONT_MATTER_DEPTH) {
            return Err(format!(
                "front matter nests deeper than {MAX_FRONT_MATTER_DEPTH} levels; not read"
            ));
        }
        let value: Value = serde_yaml::from_str(yaml)
            .map_err(|e| format!("front matter is not valid YAML: {e}"))?;
        let Value::Mapping(mut map) = value else {
            return Err("front matter is not a YAML mapping".into());
        };
        let format = map
            .remove("format")
            .and_then(|v| v.as_u64())
            .ok_or("front matter has no `format` number")?;
        if format == 0 || format > u64::from(ENTRY_FORMAT) {
            return Err(format!(
                "entry format {format} is not supported (this tix reads format {ENTRY_FORMAT}); upgrade tix"
            ));
        }
        let at = match map.remove("at") {
            Some(Value::String(s)) => Timestamp::parse_rfc3339(&s)
                .ok_or_else(|| format!("`at: {s}` is not an RFC 3339 timestamp"))?,
            _ => return Err("front matter has no `at` timestamp".into()),
        };
        let seq = map
            .remove("seq")
            .and_then(|v| v.as_u64())
            .filter(|s| *s >= 1)
            .ok_or("front matter has no `seq` number of 1 or more")?;
        let author = match map.remove("author") {
            Some(Value::String(s)) if !s.is_empty() => s,
            _ => return Err("front matter has no `author`".into()),
        };
        let by = match map.remove("by") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(_) => return Err("`by` is not an agent's handle".into()),
        };
        let rule = match map.remove("rule") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(_) => return Err("`rule` is not a rule's name".into()),
        };
        if !map.contains_key("kind") {
            return Err("front matter has no `kind`".into());
        }
        let event: Event = serde_yaml::from_value(Value::Mapping(map))
            .map_err(|e| format!("front matter: {e}"))?;
        Ok(Entry {
            at,
            seq,
            author,
            by,
            rule,
            event,
            body: body.to_string(),
        })
    }
}

/// Whether the YAML's collections nest deeper than `limit`, found in one
/// pass without parsing. It follows what opens a level (an indented line,
/// a `- ` item, a `[` or `{` where a value starts or inside a flow
/// collection) and skips what cannot (quoted scalars, block scalars,
/// comments, brackets inside plain text), so text full of brackets is not
/// mistaken for nesting. A miscount can only err towards shallower: the
/// parser still rejects what this lets through, just more slowly.
pub(crate) fn nesting_exceeds(yaml: &str, limit: usize) -> bool {
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    // Indentation of the line that opened a block scalar (`|`, `>`).
    let mut block_scalar: Option<usize> = None;
    let mut indents: Vec<usize> = Vec::new();
    let mut token_start = true;
    for line in yaml.lines() {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let blank = bytes[indent..].iter().all(|b| b.is_ascii_whitespace());
        if let Some(opened) = block_scalar {
            if blank || indent > opened {
                continue;
            }
            block_scalar = None;
        }
        let mut i = 0;
        let mut depth = 0;
        if quote.is_none() && flow == 0 {
            if blank || bytes[indent] == b'#' {
                continue;
            }
            while indents.last().is_some_and(|top| *top > indent) {
                indents.pop();
            }
            if indents.last().is_none_or(|top| *top < indent) {
                indents.push(indent);
            }
            depth = indents.len();
            i = indent;
            // `- `, `? ` and `: ` at the start of a line each open a level.
            while i < bytes.len()
                && matches!(bytes[i], b'-' | b'?' | b':')
                && bytes.get(i + 1).is_none_or(|b| *b == b' ')
            {
                depth += 1;
                i += 1;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            token_start = true;
        }
        if depth + flow > limit {
            return true;
        }
        let mut prev_space = true;
        while i < bytes.len() {
            let c = bytes[i];
            i += 1;
            match quote {
                Some(b'\'') => {
                    if c == b'\'' {
                        if bytes.get(i) == Some(&b'\'') {
                            i += 1;
                        } else {
                            quote = None;
                        }
                    }
                    continue;
                }
                Some(_) => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        quote = None;
                    }
                    continue;
                }
                None => {}
            }
            let space = c == b' ' || c == b'\t';
            if c == b'#' && prev_space {
                break;
            }
            prev_space = space;
            if space {
                continue;
            }
            let next_ends = bytes
                .get(i)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}'));
            match c {
                b'[' | b'{' if flow > 0 || token_start => {
                    flow += 1;
                    if depth + flow > limit {
                        return true;
                    }
                    token_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    token_start = false;
                }
                b',' if flow > 0 => token_start = true,
                b':' if next_ends => token_start = true,
                b'\'' | b'"' if token_start => {
                    quote = Some(c);
                    token_start = false;
                }
                b'|' | b'>' if token_start && flow == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                b'&' | b'!' | b'*' if token_start => {
                    // An anchor, tag or alias: the value, if any, follows.
                    while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t') {
                        i += 1;
                    }
                }
                _ => token_start = false,
            }
        }
    }
    false
}

/// Finds the line that closes the front matter. Our writer never emits a
/// line that is exactly `---` inside the YAML (multi-line strings are
/// indented block scalars), so the first such line is the delimiter.
fn split_front_matter(rest: &str) -> Option<(&str, &str)> {
    if let Some(body) = rest.strip_prefix("---\n") {
        return Some(("", body));
    }
    let pos = rest.find("\n---\n")?;
    Some((&rest[..pos + 1], &rest[pos + 5..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: Event, body: &str) -> Entry {
        Entry {
            at: Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456Z").unwrap(),
            seq: 1,
            author: "alice".into(),
            by: None,
            rule: None,
            event,
            body: body.into(),
        }
    }

    #[test]
    fn encodes_front_matter_in_a_stable_order() {
        let e = entry(Event::Reply { mail: None }, "Hello");
        assert_eq!(
            e.encode(),
            "---\nformat: 1\nkind: reply\nat: 2026-11-23T01:38:23.123456Z\nseq: 1\nauthor: alice\n---\nHello\n"
        );
        assert_eq!(
            e.file_name("ABC123"),
            "20261123T013823.123456Z-ABC123-reply.md"
        );
    }

    /// `sla` entries written before the target and standing were typed
    /// read the same, and are written the same.
    #[test]
    fn sla_entries_keep_their_spelling() {
        let text = "---\nformat: 1\nkind: sla\nat: 2026-11-23T01:38:23.123456Z\nseq: 1\nauthor: alice\ntarget: first-response\nstanding: breached\n---\nSLA: late.\n";
        let e = Entry::decode(text.as_bytes()).unwrap();
        assert_eq!(
            e.event,
            Event::Sla {
                target: Target::FirstResponse,
                standing: Standing::Breached
            }
        );
        assert_eq!(e.encode(), text);
        let odd = text.replace("first-response", "first_response");
        assert!(Entry::decode(odd.as_bytes()).is_err());
    }

    /// A committed entry nested 200,000 levels deep: libyaml's cost grows
    /// with the square of the depth (over a minute), so such a file must be
    /// refused before it reaches the parser, quickly and with a reason.
    #[test]
    fn deeply_nested_front_matter_is_refused_quickly() {
        let depth = 200_000;
        let head =
            "---\nformat: 1\nkind: note\nat: 2026-11-23T01:38:23.123456Z\nseq: 1\nauthor: a\n";
        let cases = [
            format!("{head}x: {}{}\n---\n", "[".repeat(depth), "]".repeat(depth)),
            format!("{head}x: {}\n---\n", "{a: ".repeat(depth)),
            format!("{head}x:\n{}1\n---\n", "- ".repeat(depth)),
        ];
        for text in cases {
            let started = std::time::Instant::now();
            let err = Entry::decode(text.as_bytes()).unwrap_err();
            let took = started.elapsed();
            assert!(err.contains("deep"), "{err}");
            assert!(took.as_secs_f64() < 1.0, "took {took:?}");
        }
    }

    /// Brackets and quotes inside strings are text, not nesting.
    #[test]
    fn brackets_in_text_are_not_nesting() {
        let many = "[{".repeat(500);
        let e = entry(
            Event::Created {
                subject: many.clone(),
                customer: Party::parse("Ann <ann@example.com>").unwrap(),
                cc: vec![],
                priority: Priority::High,
                tags: vec![
                    format!("a{many}"),
                    format!("it's {many}"),
                    format!("\"{many}"),
                ],
                fields: BTreeMap::from([(
                    "notes".into(),
                    FieldValue::Text(format!("line\n{many}\n  {many}\n- {many}")),
                )]),
                channel: None,
                department: None,
                group: None,
            },
            &many,
        );
        let back = Entry::decode(e.encode().as_bytes()).unwrap();
        assert_eq!(back, e);
        let plain =
            "---\nformat: 1\nkind: note\nat: 2026-11-23T01:38:23.123456Z\nseq: 1\nauthor: a\n";
        for extra in [
            format!("x: a{many}\n"),
            format!("x: |\n  {many}\n  [[[[\n"),
            format!("x: >-\n    {many}\n"),
            format!("x: 'it''s {many}'\n"),
            format!("x: \"\\\" {many}\"\n"),
            format!("x: \"a\n  {many}\"\n"),
            format!("# {many}\n"),
            format!("x: b # {many}\n"),
            format!("x: [a{many}b]\n").replace("[{", "(("),
        ] {
            let text = format!("{plain}{extra}---\n");
            if let Err(e) = Entry::decode(text.as_bytes()) {
                assert!(!e.contains("deep"), "{extra:?}: {e}");
            }
        }
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let text = format!(
            "---\nformat: 1\nkind: note\nat: 2026-11-23T01:38:23.123456Z\nseq: 1\nauthor: a\nx: '{}'\n---\n",
            "a".repeat(MAX_FRONT_MATTER + 1)
        );
        let err = Entry::decode(text.as_bytes()).unwrap_err();
        assert!(err.contains("front matter is"), "{err}");
    }

    #[test]
    fn hostile_text_round_trips() {
        let subjects = [
            "key: value",
            "---",
            "a\n---\nb",
            "'quoted' \"double\"",
            "# not a comment",
            "  leading spaces",
            "\ttab",
            "שלום עולם",
            "null",
            "123",
            "yes",
            "- item",
            "{flow}",
            "",
        ];
        for s in subjects {
            let e = entry(
                Event::Created {
                    subject: s.into(),
                    customer: Party::parse("Ann <ann@example.com>").unwrap(),
                    cc: vec![],
                    priority: Priority::High,
                    tags: vec![s.into()],
                    fields: BTreeMap::from([(s.into(), FieldValue::Text(s.into()))]),
                    channel: None,
                    department: None,
                    group: None,
                },
                s,
            );
            let back = Entry::decode(e.encode().as_bytes()).unwrap();
            assert_eq!(back, e, "subject {s:?}");
        }
        for body in [
            "",
            "\n",
            "\n\n",
            "---\n---\n",
            "x\r\ny",
            "ends with newline\n",
        ] {
            let e = entry(Event::Note { mail: None }, body);
            assert_eq!(Entry::decode(e.encode().as_bytes()).unwrap().body, body);
        }
    }

    #[test]
    fn values_round_trip_in_text_and_binary_formats() {
        let values = [
            FieldValue::Number(3.5),
            FieldValue::Number(-2.0),
            FieldValue::Text("42".into()),
        ];
        for v in &values {
            let yaml = serde_yaml::to_string(v).unwrap();
            assert_eq!(
                &serde_yaml::from_str::<FieldValue>(&yaml).unwrap(),
                v,
                "{yaml}"
            );
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(
                &serde_json::from_str::<FieldValue>(&json).unwrap(),
                v,
                "{json}"
            );
            let bin = postcard::to_allocvec(v).unwrap();
            assert_eq!(&postcard::from_bytes::<FieldValue>(&bin).unwrap(), v);
        }
        // Text and JSON keep the bare forms the on-disk format promises.
        assert_eq!(serde_json::to_string(&values[2]).unwrap(), "\"42\"");
        assert_eq!(serde_json::to_string(&values[0]).unwrap(), "3.5");
        for p in [
            Party::parse("Ann <ann@example.com>").unwrap(),
            Party::parse("b@example.com").unwrap(),
        ] {
            assert!(
                !serde_json::to_string(&p).unwrap().contains("null"),
                "no null name in JSON"
            );
            let bin = postcard::to_allocvec(&p).unwrap();
            assert_eq!(postcard::from_bytes::<Party>(&bin).unwrap(), p);
        }
        let t = Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456Z").unwrap();
        assert_eq!(
            postcard::from_bytes::<Timestamp>(&postcard::to_allocvec(&t).unwrap()).unwrap(),
            t
        );
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-11-23T01:38:23.123456Z\""
        );
    }

    #[test]
    fn rejects_broken_files_with_reasons() {
        assert!(
            Entry::decode(b"hello")
                .unwrap_err()
                .contains("front matter")
        );
        assert!(
            Entry::decode(b"---\nformat: 1\n")
                .unwrap_err()
                .contains("closing")
        );
        let future =
            "---\nformat: 9\nkind: note\nat: 2026-11-23T01:38:23Z\nseq: 1\nauthor: a\n---\n";
        assert!(
            Entry::decode(future.as_bytes())
                .unwrap_err()
                .contains("upgrade")
        );
        let unknown =
            "---\nformat: 1\nkind: frobnicate\nat: 2026-11-23T01:38:23Z\nseq: 1\nauthor: a\n---\n";
        assert!(
            Entry::decode(unknown.as_bytes())
                .unwrap_err()
                .contains("frobnicate")
        );
        let bad_status = "---\nformat: 1\nkind: status\nto: done\nat: 2026-11-23T01:38:23Z\nseq: 1\nauthor: a\n---\n";
        assert!(Entry::decode(bad_status.as_bytes()).is_err());
    }
}
