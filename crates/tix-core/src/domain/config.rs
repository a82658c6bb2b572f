//! `.tix/config.yaml`: the team, its custom fields and its rules.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::entry::{FieldValue, Priority, Status};
use super::party::Party;

pub const CONFIG_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub format: u32,
    /// The team's name, used in output and, later, in mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub agents: Vec<Agent>,
    /// Accept actions from people not listed in `agents` (for a personal
    /// store, say). Off by default: an unknown name is usually a typo.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_unknown_agents: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDef>,
    /// Largest attachment accepted, in bytes.
    #[serde(
        default = "default_max_attachment",
        skip_serializing_if = "is_default_max"
    )]
    pub max_attachment_bytes: u64,
    #[serde(default, skip_serializing_if = "MailConfig::is_default")]
    pub mail: MailConfig,
    /// Service-level targets per priority, for `tix report sla`.
    #[serde(default, skip_serializing_if = "SlaConfig::is_empty")]
    pub sla: SlaConfig,
    /// Named groups of agents (first level, second level, …), in
    /// escalation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// How new tickets get an agent.
    #[serde(default, skip_serializing_if = "Assignment::is_default")]
    pub assignment: Assignment,
    /// Closing tickets left pending on the customer (by `tix tick`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_close: Option<AutoClose>,
    /// A public reply `tix escalate` gives the customer (a template text:
    /// placeholders as in `.tix/templates/`), e-mailed when sending is
    /// configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_message: Option<String>,
    /// The team's time zone (an IANA name such as `Europe/Berlin`, `UTC`,
    /// or an offset): times are shown and typed in it unless `TZ` says
    /// otherwise, and reports count its days. Default UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// Tickets pending on the customer for `pending_days` are closed by
/// `tix tick`, with `message` (a public reply, e-mailed when sending is
/// configured); with `lock_after_days`, closed tickets are locked that
/// many days after the close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoClose {
    pub pending_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_after_days: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Agent handles, in the order round-robin follows.
    pub agents: Vec<String>,
}

/// The rule new tickets (from `tix create` and from mail) are assigned by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Assignment {
    pub rule: super::assign::Rule,
    /// The group new tickets go to; default: the first group, or every
    /// agent when there are no groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The most active (not closed) tickets an agent is given by the rule;
    /// when everyone has this many, tickets wait unassigned until a later
    /// `tix tick` finds room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_active: Option<usize>,
}

impl Assignment {
    fn is_default(&self) -> bool {
        *self == Assignment::default()
    }
}

/// Targets per priority. A priority without targets is not measured.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlaConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<SlaTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normal: Option<SlaTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<SlaTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgent: Option<SlaTarget>,
    /// How the clocks count: `calendar` (every second, the default) or
    /// `business` (only the open hours of `business_hours`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<SlaCalendar>,
    /// The open hours, with `calendar: business`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<BusinessHours>,
    /// Statuses during which the clocks stand still. Absent: `pending` and
    /// `on-hold`; `[]`: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_on: Option<Vec<Status>>,
    /// When a running clock is at risk: a duration before the deadline
    /// (`1h`), or a share of the target still left (`20%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_before: Option<String>,
    /// What `tix tick` does when a clock passes the warning threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_warning: Vec<SlaAction>,
    /// What `tix tick` does when a target is breached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_breach: Vec<SlaAction>,
    /// Targets for tickets with a tag or a field value, which take the
    /// place of the priority's (the first that matches wins, each target
    /// separately).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special: Vec<SlaSpecial>,
}

/// Targets for the tickets a tag or a field value picks out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSpecial {
    /// Tickets with this tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Tickets whose custom field has this value: `{product: printer}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

impl SlaSpecial {
    fn matches(
        &self,
        tags: &std::collections::BTreeSet<String>,
        fields: &BTreeMap<String, FieldValue>,
    ) -> bool {
        self.tag
            .as_ref()
            .is_none_or(|t| tags.iter().any(|have| super::ticket::same_tag(have, t)))
            && self.field.iter().all(|(name, want)| {
                fields.get(name).is_some_and(|v| match v {
                    FieldValue::Text(t) => t == want,
                    FieldValue::Number(n) => want.parse::<f64>().is_ok_and(|w| w == *n),
                })
            })
    }
}

/// An action `tix tick` takes when an SLA clock reaches its warning
/// threshold or its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawSlaAction", into = "RawSlaAction")]
pub enum SlaAction {
    /// E-mail the assigned agent (every agent while unassigned), with the
    /// notify template.
    Notify,
    /// Escalate to this group (an agent of it chosen by the rule).
    Escalate(String),
    /// Set this priority (only ever raising it).
    Priority(Priority),
    /// Give the ticket to this agent.
    Assign(String),
}

/// An action as written: `notify`, or a one-key map such as
/// `{escalate: second-line}` (YAML tags like `!escalate` are not what
/// people write).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum RawSlaAction {
    Word(String),
    Pair(BTreeMap<String, String>),
}

impl TryFrom<RawSlaAction> for SlaAction {
    type Error = String;

    fn try_from(raw: RawSlaAction) -> Result<Self, String> {
        let expected =
            "expected notify, {escalate: GROUP}, {priority: PRIORITY} or {assign: AGENT}";
        match raw {
            RawSlaAction::Word(w) if w == "notify" => Ok(SlaAction::Notify),
            RawSlaAction::Word(w) => Err(format!("`{w}`: {expected}")),
            RawSlaAction::Pair(map) => {
                let mut pairs = map.into_iter();
                let (Some((key, value)), None) = (pairs.next(), pairs.next()) else {
                    return Err(expected.to_string());
                };
                match key.as_str() {
                    "escalate" => Ok(SlaAction::Escalate(value)),
                    "assign" => Ok(SlaAction::Assign(value)),
                    "priority" => Priority::ALL
                        .iter()
                        .find(|p| p.as_str() == value)
                        .map(|p| SlaAction::Priority(*p))
                        .ok_or_else(|| {
                            format!("priority `{value}`: expected low, normal, high or urgent")
                        }),
                    other => Err(format!("`{other}`: {expected}")),
                }
            }
        }
    }
}

impl From<SlaAction> for RawSlaAction {
    fn from(action: SlaAction) -> Self {
        let pair = |k: &str, v: String| RawSlaAction::Pair(BTreeMap::from([(k.to_string(), v)]));
        match action {
            SlaAction::Notify => RawSlaAction::Word("notify".into()),
            SlaAction::Escalate(g) => pair("escalate", g),
            SlaAction::Priority(p) => pair("priority", p.as_str().to_string()),
            SlaAction::Assign(a) => pair("assign", a),
        }
    }
}

/// Whether SLA time is every second or only business hours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlaCalendar {
    #[default]
    Calendar,
    Business,
}

/// Business hours as written: a weekly schedule of local times in a zone,
/// and holidays (dates in that zone) on which nothing is open. Parsed and
/// checked into a [`super::sla::Schedule`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// An IANA zone name (`Europe/Berlin`), `UTC`, or a fixed offset
    /// (`+01:00`).
    pub timezone: String,
    #[serde(default)]
    pub days: WeekHours,
    /// `YYYY-MM-DD`, in the schedule's zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
}

/// Open hours per weekday, such as `09:00-17:00` or
/// `09:00-12:00,13:00-17:00`; a day left out (or null) is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WeekHours {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sat: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sun: Option<String>,
}

impl WeekHours {
    /// Monday first, with the key each is written under.
    pub fn days(&self) -> [(&'static str, Option<&str>); 7] {
        [
            ("mon", self.mon.as_deref()),
            ("tue", self.tue.as_deref()),
            ("wed", self.wed.as_deref()),
            ("thu", self.thu.as_deref()),
            ("fri", self.fri.as_deref()),
            ("sat", self.sat.as_deref()),
            ("sun", self.sun.as_deref()),
        ]
    }
}

/// How soon a ticket must be answered and resolved, as durations such as
/// `30m`, `4h`, `2d`, `1w` or `1d12h`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

impl SlaConfig {
    fn is_empty(&self) -> bool {
        *self == SlaConfig::default()
    }

    pub fn target(&self, priority: Priority) -> Option<&SlaTarget> {
        match priority {
            Priority::Low => self.low.as_ref(),
            Priority::Normal => self.normal.as_ref(),
            Priority::High => self.high.as_ref(),
            Priority::Urgent => self.urgent.as_ref(),
        }
    }

    /// The targets in seconds for `priority`: (first response, resolution).
    pub fn seconds(&self, priority: Priority) -> (Option<i64>, Option<i64>) {
        let Some(t) = self.target(priority) else {
            return (None, None);
        };
        let secs = |d: &Option<String>| d.as_deref().and_then(|d| parse_duration(d).ok());
        (secs(&t.first_response), secs(&t.resolution))
    }

    /// The targets for a ticket: a matching `special` entry's, else the
    /// priority's, for each target separately.
    pub fn seconds_for(
        &self,
        priority: Priority,
        tags: &std::collections::BTreeSet<String>,
        fields: &BTreeMap<String, FieldValue>,
    ) -> (Option<i64>, Option<i64>) {
        let secs = |d: &Option<String>| d.as_deref().and_then(|d| parse_duration(d).ok());
        let (mut first, mut resolution) = self.seconds(priority);
        let special: Vec<&SlaSpecial> = self
            .special
            .iter()
            .filter(|s| s.matches(tags, fields))
            .collect();
        if let Some(s) = special.iter().find(|s| s.first_response.is_some()) {
            first = secs(&s.first_response);
        }
        if let Some(s) = special.iter().find(|s| s.resolution.is_some()) {
            resolution = secs(&s.resolution);
        }
        (first, resolution)
    }
}

/// Parses a duration such as `30m`, `4h`, `2d`, `1w` or `1d12h` (units
/// `s`, `m`, `h`, `d`, `w`) into seconds; it must be more than zero.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let err = || {
        format!("`{text}` is not a duration (expected a number and a unit: 30m, 4h, 2d, 1w, 1d12h)")
    };
    let s = text.trim();
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let per = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(err()),
        };
        let n: i64 = number.parse().map_err(|_| err())?;
        number.clear();
        total = n
            .checked_mul(per)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(err)?;
    }
    if !number.is_empty() || total <= 0 {
        return Err(err());
    }
    Ok(total)
}

/// How mail is filed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The support addresses (support@…): never recorded as participants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The ticket tag in subjects; `{id}` stands for the ticket id.
    pub subject_tag: String,
    /// What a customer's reply to a closed (not locked) ticket does.
    pub closed_reply: ClosedReply,
    /// With `closed_reply: new-after-days`, how many days after the close a
    /// reply still reopens.
    pub reopen_days: u32,
    /// Senders whose mail is skipped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blacklist: Vec<BlacklistEntry>,
    /// Larger messages are quarantined, not filed.
    pub max_message_bytes: u64,
    /// Messages with more MIME parts are quarantined, not filed: each part
    /// can become files in the ticket, and the import holds the store lock.
    pub max_parts: usize,
    /// Domain of the Message-IDs tix generates; mail with such an id is tix's
    /// own coming back, and is skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id_domain: Option<String>,
    /// Keep automatic mail (auto-replies, bounces, list mail) that threads to
    /// no ticket in the quarantine instead of dropping it.
    #[serde(skip_serializing_if = "is_false")]
    pub quarantine_noise: bool,
    /// Mailboxes `tix import pop3|imap` fetches, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, MailAccount>,
    /// The From of mail tix sends (`Support <support@example.com>` or an
    /// address). Default: the first of `addresses`, named after the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// How mail is sent; absent, sending is not configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outgoing: Option<MailOutgoing>,
    /// The acknowledgement a new ticket from e-mail gets (when sending is
    /// configured).
    #[serde(skip_serializing_if = "AutoReply::is_default")]
    pub auto_reply: AutoReply,
    /// E-mails to agents about customers' mail (off unless set).
    #[serde(skip_serializing_if = "Notify::is_default")]
    pub notify: Notify,
}

/// Notifications to agents: the assigned agent (every agent, for an
/// unassigned ticket) gets an e-mail with the thread when a customer's
/// mail opens a ticket or follows up on one. Answering that e-mail
/// answers the customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notify {
    pub new_ticket: bool,
    pub follow_up: bool,
    /// The template (built in: `notify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl Notify {
    fn is_default(&self) -> bool {
        *self == Notify::default()
    }

    pub fn template(&self) -> &str {
        self.template.as_deref().unwrap_or("notify")
    }
}

/// The auto-responder: one acknowledgement per new ticket from e-mail,
/// never to automatic mail or no-reply addresses, and at most one per
/// sender within `window`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AutoReply {
    pub enabled: bool,
    /// A duration (`1d`, `12h`): a sender who got an acknowledgement this
    /// recently gets no other.
    pub window: String,
    /// The template (`.tix/templates/<name>.md`, built in: `auto-reply`).
    pub template: String,
}

impl Default for AutoReply {
    fn default() -> Self {
        AutoReply {
            enabled: true,
            window: "1d".into(),
            template: "auto-reply".into(),
        }
    }
}

impl AutoReply {
    fn is_default(&self) -> bool {
        *self == AutoReply::default()
    }

    /// The window in seconds.
    pub fn window_secs(&self) -> i64 {
        parse_duration(&self.window).unwrap_or(86_400)
    }
}

/// How tix hands over the mail it sends: to an SMTP server, to a local
/// `sendmail`, or into a directory of `.eml` files (offline use, tests).
/// As with [`MailAccount`], the password is never here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailOutgoing {
    pub transport: OutgoingTransport,
    /// SMTP: the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// SMTP: default 465 with implicit TLS, 587 with STARTTLS, 25 plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// SMTP: default STARTTLS (the submission port's usual mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsMode>,
    /// SMTP: `tls: plain` sends mail (and any password) in clear: refused
    /// unless this says so.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_plaintext: bool,
    /// SMTP: a PEM file of the CA of a self-hosted server, trusted besides
    /// the built-in roots (relative paths: to the store's root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// SMTP: the login; without it tix does not authenticate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// SMTP: the environment variable holding the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    /// SMTP: a command printing the password, run by `sh -c`; its first
    /// line is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// SMTP: network timeout; sendmail: how long the command may run. A
    /// duration (`30s`, `2m`); default 30 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// sendmail: the command (run by `sh -c`) that reads the message on
    /// its standard input. Default `/usr/sbin/sendmail -t -i`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// file: the directory (relative to the store's root, or absolute)
    /// where each message is written as `<message-id>.eml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// Only here to be refused with a clear message.
    #[serde(default, skip_serializing)]
    password: Option<serde_yaml::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutgoingTransport {
    Smtp,
    Sendmail,
    File,
}

impl OutgoingTransport {
    pub fn as_str(self) -> &'static str {
        match self {
            OutgoingTransport::Smtp => "smtp",
            OutgoingTransport::Sendmail => "sendmail",
            OutgoingTransport::File => "file",
        }
    }
}

/// The sendmail command used when `command` is not given.
pub const DEFAULT_SENDMAIL_COMMAND: &str = "/usr/sbin/sendmail -t -i";

/// A mailbox on a POP3 or IMAP server. The password is never here: this
/// file is committed and pushed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailAccount {
    pub protocol: MailProtocol,
    pub host: String,
    /// Default: 995/993 with implicit TLS, else 110/143.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub user: String,
    #[serde(default)]
    pub tls: TlsMode,
    /// `tls: plain` sends the password in clear: refused unless this says
    /// so.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_plaintext: bool,
    /// A PEM file of the certificate authority of a self-hosted server,
    /// trusted besides the system's (relative paths: to the store's root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// The environment variable holding the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    /// A command printing the password (`pass show support`), run by
    /// `sh -c`; its first line is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// IMAP folder to fetch.
    #[serde(default = "default_folder")]
    pub folder: String,
    /// What happens on the server to a message once the commit storing it
    /// is on disk.
    #[serde(default)]
    pub after_import: AfterImport,
    /// With `after_import: move`, the IMAP folder to move messages to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_to: Option<String>,
    /// Network timeout, as a duration (`30s`, `2m`). Default 30 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Only here to be refused with a clear message.
    #[serde(default, skip_serializing)]
    password: Option<serde_yaml::Value>,
}

fn default_folder() -> String {
    "INBOX".into()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailProtocol {
    Pop3,
    Imap,
}

impl MailProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            MailProtocol::Pop3 => "pop3",
            MailProtocol::Imap => "imap",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// TLS from the first byte (POP3S 995, IMAPS 993).
    #[default]
    Implicit,
    /// Plain connection upgraded by STLS/STARTTLS before logging in.
    Starttls,
    /// No TLS at all.
    Plain,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AfterImport {
    /// Leave messages on the server (tix remembers what it fetched).
    #[default]
    Keep,
    /// Delete them (POP3 DELE, IMAP \Deleted and EXPUNGE).
    Delete,
    /// Move them to `move_to` (IMAP only).
    Move,
}

impl MailAccount {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match (self.protocol, self.tls) {
            (MailProtocol::Pop3, TlsMode::Implicit) => 995,
            (MailProtocol::Pop3, _) => 110,
            (MailProtocol::Imap, TlsMode::Implicit) => 993,
            (MailProtocol::Imap, _) => 143,
        })
    }

    /// The network timeout in seconds.
    pub fn timeout_secs(&self) -> u64 {
        self.timeout
            .as_deref()
            .and_then(|t| parse_duration(t).ok())
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(30)
    }

    fn validate(&self, key: &str) -> Result<(), String> {
        if self.password.is_some() {
            return Err(format!(
                "{key}.password: passwords never go into this file (it is committed and pushed); \
                 set password_env or password_command"
            ));
        }
        if self.host.trim().is_empty() || self.host.contains(char::is_whitespace) {
            return Err(format!("{key}.host: `{}` is not a host name", self.host));
        }
        if self.user.is_empty() {
            return Err(format!("{key}.user: must not be empty"));
        }
        if self.tls == TlsMode::Plain && !self.allow_plaintext {
            return Err(format!(
                "{key}.tls: plain sends the password unencrypted; use implicit or starttls, \
                 or set allow_plaintext: true"
            ));
        }
        if self.password_env.is_none() && self.password_command.is_none() {
            return Err(format!(
                "{key}: no password source; set password_env (an environment variable) \
                 or password_command"
            ));
        }
        if let Some(t) = &self.timeout {
            parse_duration(t).map_err(|e| format!("{key}.timeout: {e}"))?;
        }
        match (self.after_import, self.protocol, &self.move_to) {
            (AfterImport::Move, MailProtocol::Pop3, _) => Err(format!(
                "{key}.after_import: POP3 has no folders to move to; use keep or delete"
            )),
            (AfterImport::Move, MailProtocol::Imap, None) => Err(format!(
                "{key}.move_to: after_import is move but no folder is given"
            )),
            (AfterImport::Keep | AfterImport::Delete, _, Some(_)) => {
                Err(format!("{key}.move_to: only used with after_import: move"))
            }
            _ => Ok(()),
        }
    }
}

impl MailOutgoing {
    /// A section for `transport` with nothing else set.
    pub fn new(transport: OutgoingTransport) -> MailOutgoing {
        MailOutgoing {
            transport,
            host: None,
            port: None,
            tls: None,
            allow_plaintext: false,
            ca_file: None,
            user: None,
            password_env: None,
            password_command: None,
            timeout: None,
            command: None,
            dir: None,
            password: None,
        }
    }

    /// The TLS mode: STARTTLS unless set.
    pub fn tls(&self) -> TlsMode {
        self.tls.unwrap_or(TlsMode::Starttls)
    }

    /// The SMTP port: the one given, else 465 (implicit TLS), 587
    /// (STARTTLS) or 25 (plain).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls() {
            TlsMode::Implicit => 465,
            TlsMode::Starttls => 587,
            TlsMode::Plain => 25,
        })
    }

    /// The timeout in seconds (default 30).
    pub fn timeout_secs(&self) -> u64 {
        self.timeout
            .as_deref()
            .and_then(|t| parse_duration(t).ok())
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(30)
    }

    /// The sendmail command.
    pub fn command(&self) -> &str {
        self.command.as_deref().unwrap_or(DEFAULT_SENDMAIL_COMMAND)
    }

    fn validate(&self, key: &str) -> Result<(), String> {
        if self.password.is_some() {
            return Err(format!(
                "{key}.password: passwords never go into this file (it is committed and pushed); \
                 set password_env or password_command"
            ));
        }
        if let Some(t) = &self.timeout {
            parse_duration(t).map_err(|e| format!("{key}.timeout: {e}"))?;
        }
        let transport = self.transport;
        let only = |name: &str, set: bool, wanted: OutgoingTransport| {
            if set && transport != wanted {
                Err(format!(
                    "{key}.{name}: only used with transport: {}, not {}",
                    wanted.as_str(),
                    transport.as_str()
                ))
            } else {
                Ok(())
            }
        };
        use OutgoingTransport::{File, Sendmail, Smtp};
        only("host", self.host.is_some(), Smtp)?;
        only("port", self.port.is_some(), Smtp)?;
        only("tls", self.tls.is_some(), Smtp)?;
        only("allow_plaintext", self.allow_plaintext, Smtp)?;
        only("ca_file", self.ca_file.is_some(), Smtp)?;
        only("user", self.user.is_some(), Smtp)?;
        only("password_env", self.password_env.is_some(), Smtp)?;
        only("password_command", self.password_command.is_some(), Smtp)?;
        only("command", self.command.is_some(), Sendmail)?;
        only("dir", self.dir.is_some(), File)?;
        match transport {
            Smtp => {
                let host = self.host.as_deref().unwrap_or("");
                if self.host.is_none() {
                    return Err(format!("{key}.host: transport smtp needs a server"));
                }
                if host.trim().is_empty() || host.contains(char::is_whitespace) {
                    return Err(format!("{key}.host: `{host}` is not a host name"));
                }
                if self.port == Some(0) {
                    return Err(format!("{key}.port: 0 is not a port"));
                }
                if self.tls() == TlsMode::Plain && !self.allow_plaintext {
                    return Err(format!(
                        "{key}.tls: plain sends mail and any password unencrypted; use starttls \
                         or implicit, or set allow_plaintext: true"
                    ));
                }
                let has_source = self.password_env.is_some() || self.password_command.is_some();
                match &self.user {
                    Some(user) if user.trim().is_empty() => {
                        Err(format!("{key}.user: must not be empty"))
                    }
                    Some(_) if !has_source => Err(format!(
                        "{key}: no password source for user; set password_env (an environment \
                         variable) or password_command"
                    )),
                    None if has_source => Err(format!(
                        "{key}.user: a password source is set but no user to log in with"
                    )),
                    _ => Ok(()),
                }
            }
            Sendmail => match &self.command {
                Some(c) if c.trim().is_empty() => Err(format!("{key}.command: must not be empty")),
                _ => Ok(()),
            },
            File => match self.dir.as_deref() {
                None => Err(format!(
                    "{key}.dir: transport file needs the directory to write messages to"
                )),
                Some(d) if d.trim().is_empty() => Err(format!("{key}.dir: must not be empty")),
                Some(_) => Ok(()),
            },
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            addresses: Vec::new(),
            subject_tag: "[tix #{id}]".into(),
            closed_reply: ClosedReply::Reopen,
            reopen_days: 14,
            blacklist: Vec::new(),
            max_message_bytes: 50 * 1024 * 1024,
            max_parts: 500,
            message_id_domain: None,
            quarantine_noise: false,
            accounts: BTreeMap::new(),
            from: None,
            outgoing: None,
            auto_reply: AutoReply::default(),
            notify: Notify::default(),
        }
    }
}

impl MailConfig {
    fn is_default(&self) -> bool {
        *self == MailConfig::default()
    }

    pub fn is_support_address(&self, email: &str) -> bool {
        self.addresses.iter().any(|a| a.eq_ignore_ascii_case(email))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClosedReply {
    /// Reopen the ticket.
    Reopen,
    /// Start a new ticket linked to the closed one.
    New,
    /// Reopen within `reopen_days` of the close, else start a new one.
    NewAfterDays,
}

/// A sender to skip: an address (`spam@example.com`) or a whole domain
/// (`example.com`, subdomains included), optionally only when the subject
/// contains `subject` (case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlacklistEntry {
    pub sender: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl BlacklistEntry {
    pub fn matches(&self, from: &str, subject: &str) -> bool {
        let from = from.to_ascii_lowercase();
        let sender = self.sender.to_ascii_lowercase();
        let sender_hit = if sender.contains('@') {
            from == sender
        } else {
            from.rsplit_once('@')
                .is_some_and(|(_, d)| d == sender || d.ends_with(&format!(".{sender}")))
        };
        sender_hit
            && self
                .subject
                .as_ref()
                .is_none_or(|s| subject.to_lowercase().contains(&s.to_lowercase()))
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

const DEFAULT_MAX_ATTACHMENT: u64 = 25 * 1024 * 1024;

fn default_max_attachment() -> u64 {
    DEFAULT_MAX_ATTACHMENT
}

fn is_default_max(n: &u64) -> bool {
    *n == DEFAULT_MAX_ATTACHMENT
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Short name used in commands and entries (`tix assign 7K3F bob`).
    pub handle: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}

impl Agent {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.handle)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Admin,
    Agent,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// When a value must be present: at `create`, at `close`, or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    Text,
    Number,
    Date,
    Choice,
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Choice => "choice",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Create,
    Close,
}

impl Config {
    pub fn new(name: Option<String>, first_admin: Agent) -> Config {
        Config {
            format: CONFIG_FORMAT,
            name,
            agents: vec![first_admin],
            allow_unknown_agents: false,
            fields: Vec::new(),
            max_attachment_bytes: DEFAULT_MAX_ATTACHMENT,
            mail: MailConfig::default(),
            sla: SlaConfig::default(),
            groups: Vec::new(),
            assignment: Assignment::default(),
            auto_close: None,
            escalation_message: None,
            timezone: None,
        }
    }

    /// Parses and checks the config, naming the offending key on error.
    pub fn parse(text: &str) -> Result<Config, String> {
        let probe: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
        match probe.get("format").and_then(|v| v.as_u64()) {
            Some(f) if f > u64::from(CONFIG_FORMAT) => {
                return Err(format!(
                    "format {f} is newer than this tix understands ({CONFIG_FORMAT}); upgrade tix"
                ));
            }
            Some(_) => {}
            None => return Err("missing `format: 1`".into()),
        }
        let config: Config = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).expect("config always serialises");
        format!("# tix configuration: see docs/format.md for every key.\n{body}")
    }

    fn validate(&self) -> Result<(), String> {
        let mut seen = Vec::new();
        for (i, a) in self.agents.iter().enumerate() {
            if !is_valid_handle(&a.handle) {
                return Err(format!(
                    "agents[{i}].handle: `{}` is not a handle (expected letters, digits, `.`, `_`, `-`)",
                    a.handle
                ));
            }
            if seen.contains(&a.handle) {
                return Err(format!(
                    "agents[{i}].handle: `{}` is declared twice",
                    a.handle
                ));
            }
            seen.push(a.handle.clone());
            if let Some(name) = &a.name {
                check_person_name(name).map_err(|e| format!("agents[{i}].name: {e}"))?;
            }
            check_identity_part(&a.email).map_err(|e| format!("agents[{i}].email: {e}"))?;
            if !a.email.contains('@') {
                return Err(format!(
                    "agents[{i}].email: `{}` is not an e-mail address",
                    a.email
                ));
            }
        }
        let tag = &self.mail.subject_tag;
        if tag.matches("{id}").count() != 1 {
            return Err(format!(
                "mail.subject_tag: `{tag}` must contain `{{id}}` exactly once"
            ));
        }
        if self.mail.max_parts == 0 {
            return Err("mail.max_parts: must be at least 1 (a message is one part)".into());
        }
        for (i, b) in self.mail.blacklist.iter().enumerate() {
            if b.sender.trim().is_empty() || b.sender.contains(char::is_whitespace) {
                return Err(format!(
                    "mail.blacklist[{i}].sender: `{}` is not an address or domain",
                    b.sender
                ));
            }
        }
        parse_duration(&self.mail.auto_reply.window)
            .map_err(|e| format!("mail.auto_reply.window: {e}"))?;
        if !is_valid_handle(&self.mail.auto_reply.template) {
            return Err(format!(
                "mail.auto_reply.template: `{}` is not a template name (expected letters, digits, `.`, `_`, `-`)",
                self.mail.auto_reply.template
            ));
        }
        if !is_valid_handle(self.mail.notify.template()) {
            return Err(format!(
                "mail.notify.template: `{}` is not a template name (expected letters, digits, `.`, `_`, `-`)",
                self.mail.notify.template()
            ));
        }
        let mut group_names = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            if !is_valid_handle(&g.name) {
                return Err(format!(
                    "groups[{i}].name: `{}` is not a group name",
                    g.name
                ));
            }
            if group_names.contains(&&g.name) {
                return Err(format!("groups[{i}].name: `{}` is declared twice", g.name));
            }
            group_names.push(&g.name);
            for a in &g.agents {
                if !self.agents.iter().any(|ag| &ag.handle == a) {
                    return Err(format!(
                        "groups[{i}].agents: `{a}` is not one of the agents"
                    ));
                }
            }
        }
        if let Some(g) = &self.assignment.group
            && !self.groups.iter().any(|x| &x.name == g)
        {
            return Err(format!("assignment.group: no group `{g}` in groups"));
        }
        if let Some(zone) = &self.timezone {
            super::sla::Zone::parse(zone).map_err(|e| format!("timezone: {e}"))?;
        }
        if let Some(text) = &self.escalation_message {
            super::template::Template::parse(text)
                .map_err(|e| format!("escalation_message: {e}"))?;
        }
        for (i, special) in self.sla.special.iter().enumerate() {
            let key = format!("sla.special[{i}]");
            if special.tag.is_none() && special.field.is_empty() {
                return Err(format!("{key}: give a tag or a field to pick tickets by"));
            }
            for name in special.field.keys() {
                if self.field(name).is_none() {
                    return Err(format!(
                        "{key}.field.{name}: no such custom field in fields"
                    ));
                }
            }
            for (what, value) in [
                ("first_response", &special.first_response),
                ("resolution", &special.resolution),
            ] {
                if let Some(v) = value {
                    parse_duration(v).map_err(|e| format!("{key}.{what}: {e}"))?;
                }
            }
        }
        for (key, actions) in [
            ("sla.on_warning", &self.sla.on_warning),
            ("sla.on_breach", &self.sla.on_breach),
        ] {
            for (i, action) in actions.iter().enumerate() {
                match action {
                    SlaAction::Escalate(g) if !self.groups.iter().any(|x| &x.name == g) => {
                        return Err(format!("{key}[{i}].escalate: no group `{g}` in groups"));
                    }
                    SlaAction::Assign(a) if !self.agents.iter().any(|x| &x.handle == a) => {
                        return Err(format!("{key}[{i}].assign: `{a}` is not one of the agents"));
                    }
                    _ => {}
                }
            }
        }
        if self
            .auto_close
            .as_ref()
            .is_some_and(|a| a.pending_days == 0)
        {
            return Err("auto_close.pending_days: must be at least 1".into());
        }
        if self.assignment.max_active == Some(0) {
            return Err("assignment.max_active: must be at least 1".into());
        }
        for (name, account) in &self.mail.accounts {
            if !is_valid_handle(name) {
                return Err(format!(
                    "mail.accounts.{name}: not an account name (expected letters, digits, `.`, `_`, `-`)"
                ));
            }
            account.validate(&format!("mail.accounts.{name}"))?;
        }
        if let Some(from) = &self.mail.from {
            Party::parse(from).map_err(|e| format!("mail.from: {e}"))?;
        }
        if let Some(outgoing) = &self.mail.outgoing {
            outgoing.validate("mail.outgoing")?;
        }
        for p in Priority::ALL {
            let Some(t) = self.sla.target(p) else {
                continue;
            };
            for (key, value) in [
                ("first_response", &t.first_response),
                ("resolution", &t.resolution),
            ] {
                if let Some(v) = value {
                    parse_duration(v).map_err(|e| format!("sla.{p}.{key}: {e}"))?;
                }
            }
        }
        super::sla::Policy::from_config(&self.sla)?;
        let mut names = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            if !is_valid_handle(&f.name) {
                return Err(format!(
                    "fields[{i}].name: `{}` is not a field name (expected letters, digits, `.`, `_`, `-`)",
                    f.name
                ));
            }
            if names.contains(&f.name) {
                return Err(format!("fields[{i}].name: `{}` is declared twice", f.name));
            }
            names.push(f.name.clone());
            match (f.field_type, f.choices.is_empty()) {
                (FieldType::Choice, true) => {
                    return Err(format!(
                        "fields[{i}].choices: field `{}` has type choice but no choices",
                        f.name
                    ));
                }
                (t, false) if t != FieldType::Choice => {
                    return Err(format!(
                        "fields[{i}].choices: field `{}` has type {t}; only choice fields take choices",
                        f.name
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The From of mail tix sends: `mail.from`, else the first of
    /// `mail.addresses` named after the team; None when neither is set.
    pub fn mail_from(&self) -> Option<Party> {
        if let Some(from) = &self.mail.from {
            return Party::parse(from).ok();
        }
        let address = self.mail.addresses.first()?;
        Some(Party {
            name: self.name.clone(),
            email: address.clone(),
        })
    }

    /// The agents new tickets are assigned among, in order.
    pub fn assignment_members(&self) -> Vec<String> {
        let group = match &self.assignment.group {
            Some(name) => self.groups.iter().find(|g| &g.name == name),
            None => self.groups.first(),
        };
        match group {
            Some(g) => g.agents.clone(),
            None => self.agents.iter().map(|a| a.handle.clone()).collect(),
        }
    }

    /// The team's zone (`timezone`), if set and valid.
    pub fn zone(&self) -> Option<super::sla::Zone> {
        self.timezone
            .as_deref()
            .and_then(|z| super::sla::Zone::parse(z).ok())
    }

    /// Finds an agent by handle or by e-mail address.
    pub fn agent(&self, who: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.handle == who).or_else(|| {
            self.agents
                .iter()
                .find(|a| a.email.eq_ignore_ascii_case(who))
        })
    }

    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn required_fields(&self, stage: Stage) -> impl Iterator<Item = &FieldDef> {
        self.fields
            .iter()
            .filter(move |f| f.required.contains(&stage))
    }

    /// Checks a value typed by a user against the field's declaration.
    pub fn parse_field_value(&self, name: &str, raw: &str) -> Result<FieldValue, String> {
        let def = self.field(name).ok_or_else(|| {
            let known: Vec<_> = self.fields.iter().map(|f| f.name.as_str()).collect();
            if known.is_empty() {
                format!("unknown field `{name}`: no custom fields are declared in .tix/config.yaml")
            } else {
                format!(
                    "unknown field `{name}` (declared fields: {})",
                    known.join(", ")
                )
            }
        })?;
        def.parse_value(raw)
    }
}

impl FieldDef {
    pub fn parse_value(&self, raw: &str) -> Result<FieldValue, String> {
        let raw = raw.trim();
        let name = &self.name;
        match self.field_type {
            FieldType::Text if raw.is_empty() => Err(format!(
                "field `{name}`: empty value (use --unset to clear it)"
            )),
            FieldType::Text => Ok(FieldValue::Text(raw.to_string())),
            FieldType::Number => raw
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(FieldValue::Number)
                .ok_or_else(|| format!("field `{name}`: `{raw}` is not a number")),
            FieldType::Date => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| FieldValue::Text(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| {
                    format!("field `{name}`: `{raw}` is not a date (expected YYYY-MM-DD)")
                }),
            FieldType::Choice => self
                .choices
                .iter()
                .find(|c| c.as_str() == raw)
                .map(|c| FieldValue::Text(c.clone()))
                .ok_or_else(|| {
                    format!(
                        "field `{name}`: `{raw}` is not one of: {}",
                        self.choices.join(", ")
                    )
                }),
        }
    }
}

/// Checks a person's name (an agent's, or git's `user.name`): it goes into
/// commit signatures and mail headers, where a line break or another
/// control character would forge a header or make a commit git cannot parse.
pub fn check_person_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("must not be empty (leave it out instead)".into());
    }
    check_identity_part(name)
}

/// The characters no part of a git identity may hold: control characters
/// (C0 with CR and LF, DEL, C1) and the angle brackets that delimit the
/// address in a signature.
pub fn check_identity_part(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{text:?} contains a control character (U+{:04X}); it must be one line of printable text",
            u32::from(c)
        ));
    }
    if text.contains(['<', '>']) {
        return Err(format!(
            "{text:?} contains `<` or `>`, which git signatures cannot hold"
        ));
    }
    Ok(())
}

pub fn is_valid_handle(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !s.starts_with(['.', '-'])
}

/// A handle proposed from an e-mail address: its local part, cleaned.
pub fn handle_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("");
    let cleaned: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches(['.', '-']).to_string();
    if cleaned.is_empty() {
        "agent".into()
    } else {
        cleaned
    }
}

/// Field values keyed by name, as given with `--field name=value`.
pub type FieldValues = BTreeMap<String, FieldValue>;

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "format: 1\nagents:\n  - handle: alice\n    email: alice@example.com\n    roles: [admin]\nfields:\n  - name: product\n    type: choice\n    choices: [printer, scanner]\n    required: [create]\n  - name: units\n    type: number\n";

    #[test]
    fn parses_and_validates_field_values() {
        let c = Config::parse(SAMPLE).unwrap();
        assert!(c.agent("alice").unwrap().is_admin());
        assert!(c.agent("ALICE@example.com").is_some());
        assert_eq!(
            c.parse_field_value("product", "printer").unwrap(),
            FieldValue::Text("printer".into())
        );
        assert!(
            c.parse_field_value("product", "fax")
                .unwrap_err()
                .contains("printer, scanner")
        );
        assert_eq!(
            c.parse_field_value("units", "3").unwrap(),
            FieldValue::Number(3.0)
        );
        assert!(c.parse_field_value("units", "three").is_err());
        assert!(
            c.parse_field_value("colour", "red")
                .unwrap_err()
                .contains("unknown field")
        );
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
    }

    #[test]
    fn rejects_bad_config_naming_the_key() {
        assert!(
            Config::parse("format: 1\nagnets: []\n")
                .unwrap_err()
                .contains("agnets")
        );
        assert!(
            Config::parse("format: 2\n")
                .unwrap_err()
                .contains("upgrade")
        );
        let no_choices = "format: 1\nfields:\n  - name: p\n    type: choice\n";
        assert!(
            Config::parse(no_choices)
                .unwrap_err()
                .contains("fields[0].choices")
        );
        assert_eq!(handle_from_email("Ann.Lee+x@example.com"), "ann.lee-x");
        assert!(
            Config::parse("format: 1\nsla:\n  high: {first_response: 4 hours}\n")
                .unwrap_err()
                .contains("sla.high.first_response")
        );
        assert!(
            Config::parse("format: 1\nsla:\n  hihg: {first_response: 4h}\n")
                .unwrap_err()
                .contains("hihg")
        );
    }

    fn outgoing(yaml: &str) -> Result<Config, String> {
        Config::parse(&format!("format: 1\nmail:\n  outgoing:\n{yaml}"))
    }

    #[test]
    fn outgoing_mail_defaults_and_round_trip() {
        let c = outgoing("    transport: smtp\n    host: smtp.example.com\n").unwrap();
        let o = c.mail.outgoing.as_ref().unwrap();
        assert_eq!(o.tls(), TlsMode::Starttls);
        assert_eq!(o.port(), 587);
        assert_eq!(o.timeout_secs(), 30);
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
        let implicit = outgoing(
            "    transport: smtp\n    host: smtp.example.com\n    tls: implicit\n    user: help\n    password_env: SMTP_PASSWORD\n    timeout: 2m\n",
        )
        .unwrap();
        let o = implicit.mail.outgoing.as_ref().unwrap();
        assert_eq!((o.port(), o.timeout_secs()), (465, 120));
        let plain = outgoing(
            "    transport: smtp\n    host: localhost\n    tls: plain\n    allow_plaintext: true\n",
        )
        .unwrap();
        assert_eq!(plain.mail.outgoing.unwrap().port(), 25);
        let sendmail = outgoing("    transport: sendmail\n").unwrap();
        assert_eq!(
            sendmail.mail.outgoing.unwrap().command(),
            "/usr/sbin/sendmail -t -i"
        );
        assert!(outgoing("    transport: file\n    dir: outbox-mail\n").is_ok());
        assert!(
            Config::parse("format: 1\n")
                .unwrap()
                .mail
                .outgoing
                .is_none()
        );
    }

    #[test]
    fn outgoing_mail_errors_name_the_key() {
        let cases = [
            ("    transport: smtp\n", "mail.outgoing.host"),
            ("    transport: smtp\n    host: a b\n", "mail.outgoing.host"),
            (
                "    transport: smtp\n    host: h\n    tls: plain\n",
                "mail.outgoing.tls",
            ),
            (
                "    transport: smtp\n    host: h\n    user: u\n",
                "mail.outgoing: no password source",
            ),
            (
                "    transport: smtp\n    host: h\n    password_env: P\n",
                "mail.outgoing.user",
            ),
            (
                "    transport: smtp\n    host: h\n    user: u\n    password: hunter2\n",
                "mail.outgoing.password: passwords never go",
            ),
            (
                "    transport: smtp\n    host: h\n    timeout: soon\n",
                "mail.outgoing.timeout",
            ),
            (
                "    transport: smtp\n    host: h\n    dir: x\n",
                "mail.outgoing.dir: only used with transport: file",
            ),
            (
                "    transport: sendmail\n    host: h\n",
                "mail.outgoing.host: only used with transport: smtp",
            ),
            ("    transport: file\n", "mail.outgoing.dir"),
            ("    transport: pigeon\n", "pigeon"),
            ("    transport: smtp\n    hots: h\n", "hots"),
        ];
        for (yaml, expected) in cases {
            let err = outgoing(yaml).expect_err(yaml);
            assert!(err.contains(expected), "{yaml}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn mail_from_comes_from_the_config() {
        let c = Config::parse(
            "format: 1\nname: Example Support\nmail:\n  addresses: [support@example.com, help@example.com]\n",
        )
        .unwrap();
        let from = c.mail_from().unwrap();
        assert_eq!(from.name.as_deref(), Some("Example Support"));
        assert_eq!(from.email, "support@example.com");
        let c = Config::parse(
            "format: 1\nmail:\n  addresses: [support@example.com]\n  from: \"Help Desk <help@example.com>\"\n",
        )
        .unwrap();
        let from = c.mail_from().unwrap();
        assert_eq!(from.name.as_deref(), Some("Help Desk"));
        assert_eq!(from.email, "help@example.com");
        assert!(
            Config::parse("format: 1\nmail:\n  from: nobody\n")
                .unwrap_err()
                .contains("mail.from")
        );
        assert!(Config::parse("format: 1\n").unwrap().mail_from().is_none());
    }

    #[test]
    fn sla_targets_parse_as_seconds() {
        let c = Config::parse(
            "format: 1\nsla:\n  urgent: {first_response: 30m, resolution: 1d12h}\n  normal: {resolution: 1w}\n",
        )
        .unwrap();
        assert_eq!(c.sla.seconds(Priority::Urgent), (Some(1800), Some(129_600)));
        assert_eq!(c.sla.seconds(Priority::Normal), (None, Some(604_800)));
        assert_eq!(c.sla.seconds(Priority::Low), (None, None));
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
        for bad in ["", "4", "h", "0h", "4x", "-4h", "4 h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_duration("90s"), Ok(90));
    }
}
