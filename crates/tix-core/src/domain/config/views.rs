//! `views:`: named listings, each a mapping of the filters and order of
//! `tix list`, compiled when the config is loaded so a misspelt key or
//! value is an error naming the view and the key, not an empty list.

use std::collections::BTreeMap;

use serde_yaml::Value;

use crate::domain::automation::Side;
use crate::domain::entry::{FieldValue, Priority, Status};
use crate::domain::view::{SlaFilter, SortKey};

use super::Config;

/// The keys a view may have, as `tix views` and the errors list them.
pub const VIEW_KEYS: &str = "status, priority, tag, assignee, customer, group, department, waiting-on, \
     unanswered, has-tasks, field, all, snoozed, sla, sort, reverse";

/// Whose tickets a view shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewAssignee {
    /// The agent running the command (`assignee: me`).
    Me,
    /// Unassigned tickets (`assignee: none`).
    Nobody,
    Agent(String),
}

/// A named view: the filters and order of a `tix list`, as typed values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub tags: Vec<String>,
    pub assignee: Option<ViewAssignee>,
    /// Lower case, as the `--customer` filter takes it.
    pub customer: Option<String>,
    pub group: Option<String>,
    pub department: Option<String>,
    pub waiting_on: Option<Side>,
    pub unanswered: bool,
    pub has_tasks: bool,
    pub fields: Vec<(String, FieldValue)>,
    pub all: bool,
    pub snoozed: bool,
    pub sla: Option<SlaFilter>,
    pub sort: Option<SortKey>,
    pub reverse: bool,
}

/// Whether `name` can name a view (`tix list @name`).
pub fn is_view_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Compiles `views:` against the rest of the config (the agents, groups
/// and fields a view names must exist).
pub fn compile(config: &Config) -> Result<BTreeMap<String, View>, String> {
    let mut out = BTreeMap::new();
    for (name, value) in &config.views {
        if !is_view_name(name) {
            return Err(format!(
                "views.{name}: not a view name (letters, digits, `-` and `_`)"
            ));
        }
        if !value.is_mapping() {
            return Err(format!(
                "views.{name}: a view is a mapping of list filters ({VIEW_KEYS})"
            ));
        }
        let view = compile_view(config, value).map_err(|e| format!("views.{name}.{e}"))?;
        out.insert(name.clone(), view);
    }
    Ok(out)
}

fn compile_view(config: &Config, value: &Value) -> Result<View, String> {
    let Value::Mapping(map) = value else {
        return Ok(View::default());
    };
    let mut view = View::default();
    for (key, value) in map {
        let key = key.as_str().unwrap_or("?");
        let at = |e: String| format!("{key}: {e}");
        match key {
            "status" => {
                view.statuses = words(value)
                    .map_err(at)?
                    .iter()
                    .map(|w| w.parse::<Status>().map_err(|e| at(format!("`{w}`: {e}"))))
                    .collect::<Result<_, _>>()?
            }
            "priority" => {
                view.priorities = words(value)
                    .map_err(at)?
                    .iter()
                    .map(|w| w.parse::<Priority>().map_err(|e| at(format!("`{w}`: {e}"))))
                    .collect::<Result<_, _>>()?
            }
            "tag" => view.tags = words(value).map_err(at)?,
            "assignee" => {
                let who = text(value).map_err(at)?;
                view.assignee = Some(match who.as_str() {
                    "me" => ViewAssignee::Me,
                    "none" => ViewAssignee::Nobody,
                    _ => match config.agent(&who) {
                        Some(a) => ViewAssignee::Agent(a.handle.clone()),
                        None if config.allow_unknown_agents => ViewAssignee::Agent(who),
                        None => {
                            return Err(at(format!(
                                "`{who}` is not one of the agents (or `me`, `none`)"
                            )));
                        }
                    },
                })
            }
            "customer" => view.customer = Some(text(value).map_err(at)?.to_lowercase()),
            "group" => {
                let g = text(value).map_err(at)?;
                if !config.groups.iter().any(|x| x.name == g) {
                    return Err(at(format!("no group `{g}` in groups")));
                }
                view.group = Some(g)
            }
            "department" => {
                let d = text(value).map_err(at)?;
                if config.mail.department(&d).is_none() {
                    return Err(at(format!("no department `{d}` in mail.departments")));
                }
                view.department = Some(d)
            }
            "waiting-on" => {
                view.waiting_on = Some(match text(value).map_err(at)?.as_str() {
                    "us" => Side::Agent,
                    "customer" => Side::Customer,
                    other => return Err(at(format!("`{other}` is neither `us` nor `customer`"))),
                })
            }
            "unanswered" => view.unanswered = flag(value).map_err(at)?,
            "has-tasks" => view.has_tasks = flag(value).map_err(at)?,
            "all" => view.all = flag(value).map_err(at)?,
            "snoozed" => view.snoozed = flag(value).map_err(at)?,
            "reverse" => view.reverse = flag(value).map_err(at)?,
            "sla" => {
                let s = text(value).map_err(at)?;
                view.sla = Some(SlaFilter::parse(&s).ok_or_else(|| {
                    at(format!("`{s}` is not an SLA state ({})", SlaFilter::NAMES))
                })?)
            }
            "sort" => {
                let s = text(value).map_err(at)?;
                view.sort =
                    Some(SortKey::parse(&s).ok_or_else(|| {
                        at(format!("`{s}` is not a sort order ({})", SortKey::NAMES))
                    })?)
            }
            "field" => {
                let Value::Mapping(fields) = value else {
                    return Err(at("a mapping of field names to values".into()));
                };
                for (name, v) in fields {
                    let name = name.as_str().unwrap_or("?");
                    let raw = text(v).map_err(|e| format!("{key}.{name}: {e}"))?;
                    let v = config
                        .parse_field_value(name, &raw)
                        .map_err(|e| format!("{key}.{name}: {e}"))?;
                    view.fields.push((name.to_string(), v));
                }
            }
            _ => return Err(format!("{key}: not a view key (expected {VIEW_KEYS})")),
        }
    }
    if view.all && view.snoozed {
        return Err("snoozed: a view with `all` shows snoozed tickets already".into());
    }
    if view.all && !view.statuses.is_empty() {
        return Err("status: a view with `all` takes every status".into());
    }
    Ok(view)
}

/// A word or a list of words (`high` or `[urgent, high]` or `urgent,high`).
fn words(value: &Value) -> Result<Vec<String>, String> {
    let items: Vec<String> = match value {
        Value::Sequence(items) => items.iter().map(text).collect::<Result<_, _>>()?,
        other => text(other)?
            .split(',')
            .map(|w| w.trim().to_string())
            .collect(),
    };
    if items.iter().any(String::is_empty) {
        return Err("an empty value".into());
    }
    Ok(items)
}

fn text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err("expected a word".into()),
    }
}

fn flag(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| "expected true or false".into())
}

#[cfg(test)]
mod tests {
    use crate::domain::Config;

    const BASE: &str = "format: 1\nagents:\n  - handle: alice\n    email: alice@example.com\ngroups:\n  - name: billing\n    agents: [alice]\n";

    fn parse(views: &str) -> Result<Config, String> {
        Config::parse(&format!("{BASE}views:\n{views}"))
    }

    #[test]
    fn a_view_compiles_to_typed_filters() {
        let c = parse(
            "  urgent-mine:\n    assignee: me\n    priority: [urgent, high]\n    sort: sla\n    waiting-on: us\n    group: billing\n",
        )
        .unwrap();
        let v = &c.view_book["urgent-mine"];
        assert_eq!(v.priorities.len(), 2);
        assert_eq!(v.assignee, Some(super::ViewAssignee::Me));
        assert_eq!(v.sort, Some(crate::domain::view::SortKey::Sla));
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
    }

    #[test]
    fn errors_name_the_view_and_the_key() {
        let cases = [
            ("  a:\n    prio: high\n", "views.a.prio: not a view key"),
            ("  a:\n    priority: hihg\n", "views.a.priority: `hihg`"),
            ("  a:\n    assignee: bob\n", "views.a.assignee: `bob`"),
            ("  a:\n    group: sales\n", "views.a.group: no group"),
            ("  a:\n    waiting-on: them\n", "views.a.waiting-on"),
            ("  a:\n    sort: oldest\n", "views.a.sort: `oldest`"),
            ("  a:\n    unanswered: yes please\n", "views.a.unanswered"),
            (
                "  a:\n    field:\n      colour: red\n",
                "views.a.field.colour",
            ),
            ("  a: --mine\n", "views.a: a view is a mapping"),
            ("  a b:\n    all: true\n", "views.a b: not a view name"),
        ];
        for (yaml, expected) in cases {
            let err = parse(yaml).expect_err(yaml);
            assert!(err.contains(expected), "{yaml}: {err}");
        }
    }
}
