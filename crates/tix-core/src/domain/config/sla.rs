//! `sla:`: targets, how the clocks count, what `tix tick` does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::entry::{FieldValue, Priority, Status};

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
        self.tag.as_ref().is_none_or(|t| {
            tags.iter()
                .any(|have| crate::domain::ticket::same_tag(have, t))
        }) && self.field.iter().all(|(name, want)| {
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
    pub(super) fn is_empty(&self) -> bool {
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

/// Targets, special targets and actions; the special targets' fields and
/// the actions' groups and agents must exist elsewhere in the config.
pub(super) fn validate(config: &super::Config) -> Result<(), String> {
    let sla = &config.sla;
    for (i, special) in sla.special.iter().enumerate() {
        let key = format!("sla.special[{i}]");
        if special.tag.is_none() && special.field.is_empty() {
            return Err(format!("{key}: give a tag or a field to pick tickets by"));
        }
        for name in special.field.keys() {
            if config.field(name).is_none() {
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
    for p in Priority::ALL {
        let Some(t) = sla.target(p) else {
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
    crate::domain::sla::Policy::from_config(sla)?;
    Ok(())
}
