//! `sla:`: targets, how the clocks count, what `tix tick` does.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::duration::{Duration, Spelled};
use crate::domain::entry::{FieldValue, Priority, Status};
use crate::domain::sla::{Hours, Policy, Schedule, Warn, Zone, parse_day};

/// Targets per priority. A priority without targets is not measured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    pub warn_before: Option<Spelled<Warn>>,
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
    /// The rules above as the clocks use them, built when the config is
    /// read ([`super::Config::parse`]); the default policy until then.
    #[serde(skip)]
    pub(super) policy: Policy,
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
    /// Tickets of this department (`mail.departments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Duration>,
}

impl SlaSpecial {
    fn matches(
        &self,
        tags: &BTreeSet<String>,
        fields: &BTreeMap<String, FieldValue>,
        department: Option<&str>,
    ) -> bool {
        self.department
            .as_deref()
            .is_none_or(|d| department == Some(d))
            && self.tag.as_ref().is_none_or(|t| {
                tags.iter()
                    .any(|have| crate::domain::ticket::same_tag(have, t))
            })
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
/// checked into a [`crate::domain::sla::Schedule`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// An IANA zone name (`Europe/Berlin`), `UTC`, or a fixed offset
    /// (`+01:00`).
    pub timezone: Spelled<Zone>,
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
    pub first_response: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Duration>,
}

impl SlaConfig {
    pub(super) fn is_empty(&self) -> bool {
        *self == SlaConfig::default()
    }

    /// How the clocks count, pause and warn.
    pub fn policy(&self) -> &Policy {
        &self.policy
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
        (
            t.first_response.as_ref().map(Duration::seconds),
            t.resolution.as_ref().map(Duration::seconds),
        )
    }

    /// The targets for a ticket: a matching `special` entry's, else the
    /// priority's, for each target separately.
    pub fn seconds_for(
        &self,
        priority: Priority,
        tags: &BTreeSet<String>,
        fields: &BTreeMap<String, FieldValue>,
        department: Option<&str>,
    ) -> (Option<i64>, Option<i64>) {
        let (mut first, mut resolution) = self.seconds(priority);
        let special: Vec<&SlaSpecial> = self
            .special
            .iter()
            .filter(|s| s.matches(tags, fields, department))
            .collect();
        if let Some(s) = special.iter().find(|s| s.first_response.is_some()) {
            first = s.first_response.as_ref().map(Duration::seconds);
        }
        if let Some(s) = special.iter().find(|s| s.resolution.is_some()) {
            resolution = s.resolution.as_ref().map(Duration::seconds);
        }
        (first, resolution)
    }
}

/// Checks what serde cannot see (the special targets' fields and the
/// actions' groups and agents must exist elsewhere in the config) and
/// builds the policy.
pub(super) fn validate(config: &super::Config) -> Result<Policy, String> {
    let sla = &config.sla;
    for (i, special) in sla.special.iter().enumerate() {
        let key = format!("sla.special[{i}]");
        if special.tag.is_none() && special.field.is_empty() && special.department.is_none() {
            return Err(format!(
                "{key}: give a tag, a field or a department to pick tickets by"
            ));
        }
        if let Some(d) = &special.department
            && config.mail.department(d).is_none()
        {
            return Err(format!(
                "{key}.department: no department `{d}` in mail.departments"
            ));
        }
        for name in special.field.keys() {
            if config.field(name).is_none() {
                return Err(format!(
                    "{key}.field.{name}: no such custom field in fields"
                ));
            }
        }
    }
    for (key, actions) in [
        ("sla.on_warning", &sla.on_warning),
        ("sla.on_breach", &sla.on_breach),
    ] {
        for (i, action) in actions.iter().enumerate() {
            match action {
                SlaAction::Escalate(g) if !config.groups.iter().any(|x| &x.name == g) => {
                    return Err(format!("{key}[{i}].escalate: no group `{g}` in groups"));
                }
                SlaAction::Assign(a) if !config.agents.iter().any(|x| &x.handle == a) => {
                    return Err(format!("{key}[{i}].assign: `{a}` is not one of the agents"));
                }
                _ => {}
            }
        }
    }
    build_policy(sla)
}

/// The clocks' rules from `sla:`; errors name the key.
fn build_policy(sla: &SlaConfig) -> Result<Policy, String> {
    let business = sla.calendar.unwrap_or_default() == SlaCalendar::Business;
    let hours = match (&sla.business_hours, business) {
        (Some(b), true) => Hours::Business(Box::new(b.schedule()?)),
        (None, false) => Hours::Calendar,
        (None, true) => {
            return Err("sla.business_hours: required with `calendar: business`".into());
        }
        (Some(_), false) => {
            return Err("sla.business_hours: only used with `calendar: business`".into());
        }
    };
    let pause_on = match &sla.pause_on {
        None => Policy::default().pause_on,
        Some(list) => {
            for (i, s) in list.iter().enumerate() {
                if !matches!(s, Status::Pending | Status::OnHold) {
                    return Err(format!(
                        "sla.pause_on[{i}]: `{}` cannot pause the clocks (expected pending or on-hold)",
                        s.as_str()
                    ));
                }
            }
            list.clone()
        }
    };
    Ok(Policy {
        hours,
        pause_on,
        warn: sla.warn_before.as_ref().map(|w| *w.value()),
    })
}

impl BusinessHours {
    /// The schedule these hours describe; errors name the key.
    pub fn schedule(&self) -> Result<Schedule, String> {
        const KEY: &str = "sla.business_hours";
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        for (i, (key, text)) in self.days.days().into_iter().enumerate() {
            if let Some(text) = text {
                week[i] = parse_day(text).map_err(|e| format!("{KEY}.days.{key}: {e}"))?;
            }
        }
        let mut holidays = BTreeSet::new();
        for (i, h) in self.holidays.iter().enumerate() {
            let date = NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d").map_err(|_| {
                format!("{KEY}.holidays[{i}]: `{h}` is not a date (expected YYYY-MM-DD)")
            })?;
            holidays.insert(date);
        }
        Schedule::new(*self.timezone.value(), week, holidays)
            .map_err(|e| format!("{KEY}.days: {e}"))
    }
}
