//! `mail:`: how mail is filed, fetched and sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::departments::{self, Department};
use super::{is_false, is_valid_handle};
use crate::domain::duration::Duration;
use crate::domain::duration::Spelled;
use crate::domain::party::Party;

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
    /// How often customers' mail may reopen a closed ticket a day; beyond
    /// that it is filed as a note and the ticket stays closed.
    #[serde(skip_serializing_if = "ReopenLimit::is_default")]
    pub reopen_limit: ReopenLimit,
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
    pub from: Option<Spelled<Party>>,
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
    /// Support addresses with a group, a sender and words of their own;
    /// the first that a message is addressed to files it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<Department>,
}

/// The cap on reopenings by mail: a mail loop (a customer's robot
/// answering every close) or a customer writing on and on after each
/// close would otherwise reopen the ticket without end. Counted from the
/// ticket's own trail over the 24 hours before the mail's filing, so
/// every clone counts alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReopenLimit {
    /// Reopenings by mail in any 24 hours; 0: no cap.
    pub per_day: u32,
}

impl Default for ReopenLimit {
    fn default() -> Self {
        ReopenLimit { per_day: 5 }
    }
}

impl ReopenLimit {
    pub(super) fn is_default(&self) -> bool {
        *self == ReopenLimit::default()
    }

    /// The cap, or None when there is none.
    pub fn cap(&self) -> Option<usize> {
        (self.per_day > 0).then_some(self.per_day as usize)
    }
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
    pub(super) fn is_default(&self) -> bool {
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
    pub window: Duration,
    /// The template (`.tix/templates/<name>.md`, built in: `auto-reply`).
    pub template: String,
}

impl Default for AutoReply {
    fn default() -> Self {
        AutoReply {
            enabled: true,
            window: Duration::days(1),
            template: "auto-reply".into(),
        }
    }
}

impl AutoReply {
    pub(super) fn is_default(&self) -> bool {
        *self == AutoReply::default()
    }

    /// The window in seconds.
    pub fn window_secs(&self) -> i64 {
        self.window.seconds()
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
    pub timeout: Option<Duration>,
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
    pub timeout: Option<Duration>,
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
            .as_ref()
            .and_then(|t| u64::try_from(t.seconds()).ok())
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
            .as_ref()
            .and_then(|t| u64::try_from(t.seconds()).ok())
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
            reopen_limit: ReopenLimit::default(),
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
            departments: Vec::new(),
        }
    }
}

impl MailConfig {
    pub(super) fn is_default(&self) -> bool {
        *self == MailConfig::default()
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        let tag = &self.subject_tag;
        if tag.matches("{id}").count() != 1 {
            return Err(format!(
                "mail.subject_tag: `{tag}` must contain `{{id}}` exactly once"
            ));
        }
        if self.max_parts == 0 {
            return Err("mail.max_parts: must be at least 1 (a message is one part)".into());
        }
        let most = crate::domain::ticket::MAX_MAIL_REOPENS;
        if self.reopen_limit.per_day as usize > most {
            return Err(format!(
                "mail.reopen_limit.per_day: {} is more than {most} (0 turns the cap off)",
                self.reopen_limit.per_day
            ));
        }
        for (i, b) in self.blacklist.iter().enumerate() {
            if b.sender.trim().is_empty() || b.sender.contains(char::is_whitespace) {
                return Err(format!(
                    "mail.blacklist[{i}].sender: `{}` is not an address or domain",
                    b.sender
                ));
            }
        }
        if !is_valid_handle(&self.auto_reply.template) {
            return Err(format!(
                "mail.auto_reply.template: `{}` is not a template name (expected letters, digits, `.`, `_`, `-`)",
                self.auto_reply.template
            ));
        }
        if !is_valid_handle(self.notify.template()) {
            return Err(format!(
                "mail.notify.template: `{}` is not a template name (expected letters, digits, `.`, `_`, `-`)",
                self.notify.template()
            ));
        }
        for (name, account) in &self.accounts {
            if !is_valid_handle(name) {
                return Err(format!(
                    "mail.accounts.{name}: not an account name (expected letters, digits, `.`, `_`, `-`)"
                ));
            }
            account.validate(&format!("mail.accounts.{name}"))?;
        }
        if let Some(outgoing) = &self.outgoing {
            outgoing.validate("mail.outgoing")?;
        }
        departments::validate(&self.departments, &self.addresses)
    }

    /// Whether `email` is one of the team's own addresses (a department's
    /// included).
    pub fn is_support_address(&self, email: &str) -> bool {
        self.addresses.iter().any(|a| a.eq_ignore_ascii_case(email))
            || self.departments.iter().any(|d| d.has_address(email))
    }

    /// Whether a new ticket of `department` (None: of none) gets the
    /// auto-responder's acknowledgement: as the department says, else as
    /// `auto_reply.enabled`.
    pub fn acknowledges(&self, department: Option<&str>) -> bool {
        department
            .and_then(|d| self.department(d))
            .and_then(|d| d.auto_reply)
            .unwrap_or(self.auto_reply.enabled)
    }

    /// Whether any new ticket can get an acknowledgement.
    pub fn acknowledges_any(&self) -> bool {
        self.auto_reply.enabled || self.departments.iter().any(|d| d.auto_reply == Some(true))
    }

    /// Why `name` is no department: the message, naming the declared ones.
    pub fn no_department(&self, name: &str) -> String {
        let known: Vec<&str> = self.departments.iter().map(|d| d.name.as_str()).collect();
        format!(
            "no department `{name}` (mail.departments: {})",
            if known.is_empty() {
                "none declared".to_string()
            } else {
                known.join(", ")
            }
        )
    }

    /// The department called `name`.
    pub fn department(&self, name: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.name == name)
    }

    /// The department mail sent to `recipients` is filed to: the first in
    /// the config's order that any of them names, so a message copied to
    /// two departments is filed alike whichever copy is read first.
    pub fn department_for(
        &self,
        mut recipients: impl FnMut(&Department) -> bool,
    ) -> Option<&Department> {
        self.departments.iter().find(|d| recipients(d))
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
