//! `.tix/config.yaml`: the team, its custom fields and its rules.

mod csat;
mod customers;
mod departments;
mod fields;
mod mail;
mod rules;
mod sla;
mod tasks;
mod team;
mod views;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::duration::Spelled;
use super::entry::FieldValue;
use super::party::Party;
use super::zone::Zone;

pub use csat::CsatConfig;
pub use customers::Organisations;
pub use departments::{Department, MAX_DEPARTMENTS};
pub use fields::{FieldDef, FieldType, Stage};
pub use mail::{
    AfterImport, AutoReply, BlacklistEntry, ClosedReply, DEFAULT_SENDMAIL_COMMAND, MailAccount,
    MailConfig, MailOutgoing, MailProtocol, Notify, OutgoingTransport, ReopenLimit, TlsMode,
};
pub use rules::{ACTIONS, CONDITIONS, DEFAULT_HOOK_TIMEOUT_SECS, Hook};
pub use sla::{BusinessHours, SlaAction, SlaCalendar, SlaConfig, SlaSpecial, SlaTarget, WeekHours};
pub use tasks::TasksConfig;
pub use team::{
    Agent, Assignment, AutoClose, Group, Role, check_identity_part, check_person_name,
    handle_from_email, is_valid_handle,
};
pub use views::{VIEW_KEYS, View, ViewAssignee, is_view_name};

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
    /// Satisfaction surveys e-mailed after a close (by `tix tick`).
    #[serde(default, skip_serializing_if = "CsatConfig::is_default")]
    pub csat: CsatConfig,
    /// A public reply `tix escalate` gives the customer (a template text:
    /// placeholders as in `.tix/templates/`), e-mailed when sending is
    /// configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_message: Option<String>,
    /// The team's time zone (an IANA name such as `Europe/Berlin`, `UTC`,
    /// or an offset): times are shown and typed in it unless `TZ` says
    /// otherwise, and reports count its days. Default UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<Spelled<Zone>>,
    /// Which commits must be signed by a key declared for the agent who
    /// made them (`signing_key`), as `tix check --signatures` verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_commits: Option<SignedCommits>,
    /// Organisations spanning several mail domains, by name: otherwise an
    /// address's domain is its organisation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub organisations: BTreeMap<String, Vec<String>>,
    /// Mail providers whose users belong to no organisation, besides the
    /// built-in list (`name.*` for the name under any top-level domain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub free_mail_domains: Vec<String>,
    /// Rules about the tasks inside tickets.
    #[serde(default, skip_serializing_if = "TasksConfig::is_default")]
    pub tasks: TasksConfig,
    /// Who may hide an entry (`tix redact`) besides admins: its author,
    /// within this long of writing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction_window: Option<Spelled<super::duration::Duration>>,
    /// Automation rules as written (see docs/rules.md); [`Config::rule_book`]
    /// is what they compile to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<serde_yaml::Value>,
    #[serde(skip)]
    pub rule_book: crate::domain::automation::RuleBook,
    /// A command to run after each commit that records an event, by event.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hooks: BTreeMap<String, Hook>,
    /// Named listings as written (see docs/cli.md); [`Config::view_book`]
    /// is what they compile to.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, serde_yaml::Value>,
    #[serde(skip)]
    pub view_book: BTreeMap<String, View>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignedCommits {
    /// Admin actions: commits that change the config (agents, roles, the
    /// blacklist) and unlocks.
    Admin,
    /// Every commit.
    All,
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

const DEFAULT_MAX_ATTACHMENT: u64 = 25 * 1024 * 1024;

fn default_max_attachment() -> u64 {
    DEFAULT_MAX_ATTACHMENT
}

fn is_default_max(n: &u64) -> bool {
    *n == DEFAULT_MAX_ATTACHMENT
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
            csat: CsatConfig::default(),
            escalation_message: None,
            timezone: None,
            signed_commits: None,
            organisations: BTreeMap::new(),
            free_mail_domains: Vec::new(),
            tasks: TasksConfig::default(),
            redaction_window: None,
            rules: Vec::new(),
            rule_book: Default::default(),
            hooks: BTreeMap::new(),
            views: BTreeMap::new(),
            view_book: BTreeMap::new(),
        }
    }

    /// Parses and checks the config, naming the offending key on error.
    pub fn parse(text: &str) -> Result<Config, String> {
        Config::parse_unchecked(text)?.checked()
    }

    /// Parses the config without checking it, so that records can be added
    /// before [`Config::checked`] looks at the whole.
    pub fn parse_unchecked(text: &str) -> Result<Config, String> {
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
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    /// Checks the config, naming the offending key on error.
    pub fn checked(mut self) -> Result<Config, String> {
        self.sla.policy = self.validate()?;
        self.rule_book = rules::compile(&self)?;
        rules::validate_hooks(&self.hooks)?;
        self.view_book = views::compile(&self)?;
        Ok(self)
    }

    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).expect("config always serialises");
        format!("# tix configuration: see docs/format.md for every key.\n{body}")
    }

    /// Each part checks itself; what crosses parts (an SLA action naming a
    /// group, a special target naming a field) is checked by the part that
    /// names the other.
    fn validate(&self) -> Result<crate::domain::sla::Policy, String> {
        team::validate(self)?;
        self.mail.validate()?;
        if let Some(text) = &self.escalation_message {
            crate::domain::template::Template::parse(text)
                .map_err(|e| format!("escalation_message: {e}"))?;
        }
        fields::validate(&self.fields)?;
        customers::validate(self)?;
        for (i, d) in self.mail.departments.iter().enumerate() {
            if let Some(g) = &d.group
                && !self.groups.iter().any(|have| &have.name == g)
            {
                return Err(format!(
                    "mail.departments[{i}].group: no group `{g}` (declared groups: {})",
                    if self.groups.is_empty() {
                        "none".to_string()
                    } else {
                        self.groups
                            .iter()
                            .map(|g| g.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ));
            }
        }
        sla::validate(self)
    }

    /// The From of mail tix sends: `mail.from`, else the first of
    /// `mail.addresses` named after the team, else the first department's
    /// sender; None when none is set.
    pub fn mail_from(&self) -> Option<Party> {
        if let Some(from) = &self.mail.from {
            return Some(from.value().clone());
        }
        match self.mail.addresses.first() {
            Some(address) => Some(Party {
                name: self.name.clone(),
                email: address.clone(),
            }),
            None => self
                .mail
                .departments
                .first()
                .map(|d| d.sender(self.name.as_deref())),
        }
    }

    /// The From of mail about a ticket of `department` (its own sender),
    /// or of no department ([`Config::mail_from`]).
    pub fn mail_from_for(&self, department: Option<&str>) -> Option<Party> {
        match department.and_then(|name| self.mail.department(name)) {
            Some(d) => Some(d.sender(self.name.as_deref())),
            None => self.mail_from(),
        }
    }

    /// The agents a new ticket is assigned among, in order: those of the
    /// ticket's `group` when it starts in one (its department's), else of
    /// `assignment.group`, else of the first group, else every agent.
    pub fn assignment_members(&self, group: Option<&str>) -> Vec<String> {
        let wanted = group.or(self.assignment.group.as_deref());
        let group = match wanted {
            Some(name) => self.groups.iter().find(|g| g.name == name),
            None => self.groups.first(),
        };
        match group {
            Some(g) => g.agents.clone(),
            None => self.agents.iter().map(|a| a.handle.clone()).collect(),
        }
    }

    /// How long an entry's author may still hide it (`redaction_window`,
    /// one hour unless set).
    pub fn redaction_window_secs(&self) -> i64 {
        self.redaction_window
            .as_ref()
            .map(|d| d.value().seconds())
            .unwrap_or(3600)
    }

    /// The team's zone (`timezone`), if set.
    /// How addresses map to organisations.
    pub fn organisations(&self) -> Organisations<'_> {
        Organisations {
            mapped: &self.organisations,
            free_mail_domains: &self.free_mail_domains,
        }
    }

    pub fn zone(&self) -> Option<Zone> {
        self.timezone.as_ref().map(|z| *z.value())
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

/// Field values keyed by name, as given with `--field name=value`.
pub type FieldValues = BTreeMap<String, FieldValue>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::Priority;

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
    fn signing_keys_and_the_signed_commits_rule_parse_and_name_their_key() {
        let text = "format: 1\nsigned_commits: admin\nagents:\n  - handle: alice\n    email: alice@example.com\n    signing_key: ssh-ed25519 AAAAC3Nza alice\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.signed_commits, Some(SignedCommits::Admin));
        assert_eq!(
            c.agents[0].signing_key.as_deref(),
            Some("ssh-ed25519 AAAAC3Nza alice")
        );
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
        let blank = text.replace("ssh-ed25519 AAAAC3Nza alice", "''");
        assert!(
            Config::parse(&blank)
                .unwrap_err()
                .contains("agents[0].signing_key")
        );
        let bad = text.replace("signed_commits: admin", "signed_commits: sometimes");
        assert!(Config::parse(&bad).unwrap_err().contains("signed_commits"));
    }

    #[test]
    fn the_reopen_limit_defaults_to_five_a_day_and_names_its_key() {
        let c = Config::parse("format: 1\n").unwrap();
        assert_eq!(c.mail.reopen_limit.cap(), Some(5));
        let off = Config::parse("format: 1\nmail:\n  reopen_limit:\n    per_day: 0\n").unwrap();
        assert_eq!(off.mail.reopen_limit.cap(), None);
        assert_eq!(Config::parse(&off.to_yaml()).unwrap(), off);
        let err =
            Config::parse("format: 1\nmail:\n  reopen_limit:\n    per_day: 1000\n").unwrap_err();
        assert!(err.contains("mail.reopen_limit.per_day"), "{err}");
        let err = Config::parse("format: 1\nmail:\n  reopen_limit:\n    daily: 3\n").unwrap_err();
        assert!(err.contains("daily"), "{err}");
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

    /// `tix agent add` writes the config back: parsed values keep the
    /// spelling they were typed in.
    #[test]
    fn values_written_back_keep_their_spelling() {
        let text = "format: 1\ntimezone: Z\nmail:\n  from: help@example.com\n  auto_reply:\n    window: 36h\nsla:\n  high: {first_response: 90m}\n  warn_before: 20%\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.zone(), Some(Zone::utc()));
        assert_eq!(c.mail.auto_reply.window_secs(), 36 * 3600);
        assert_eq!(c.sla.seconds(Priority::High), (Some(5400), None));
        assert_eq!(
            c.sla.policy().warn,
            Some(crate::domain::sla::Warn::Percent(20))
        );
        let yaml = c.to_yaml();
        for kept in [
            "timezone: Z\n",
            "from: help@example.com\n",
            "window: 36h\n",
            "first_response: 90m\n",
            "warn_before: 20%\n",
        ] {
            assert!(yaml.contains(kept), "{kept:?} in {yaml}");
        }
        assert_eq!(Config::parse(&yaml).unwrap(), c);
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
            let yaml = format!("format: 1\nsla:\n  urgent: {{first_response: '{bad}'}}\n");
            let err = Config::parse(&yaml).unwrap_err();
            assert!(err.contains("sla.urgent.first_response"), "{bad:?}: {err}");
        }
    }
}
