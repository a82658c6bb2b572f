//! `rules:` and `hooks:`: the automation rules as written, compiled into a
//! [`RuleBook`] when the config is loaded, every error naming the rule
//! and the key.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::domain::automation::{
    Action, Channel, Compare, Condition, MAX_RULES, OneOf, Pattern, Recipient, Rule, RuleBook,
    Side, Trigger,
};
use crate::domain::duration::{Duration, Spelled};
use crate::domain::entry::{LinkRel, Priority, Status};
use crate::domain::id::TicketId;

use super::Config;

/// The deepest nesting of `all`/`any`/`not` accepted.
const MAX_CONDITION_DEPTH: usize = 8;

/// The most conditions and actions one rule may hold.
const MAX_PARTS: usize = 64;

/// A command run after a commit for an event, with the event as JSON on
/// its standard input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Hook {
    Command(String),
    Full {
        run: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout: Option<Spelled<Duration>>,
    },
}

/// A hook's default time limit.
pub const DEFAULT_HOOK_TIMEOUT_SECS: i64 = 10;

impl Hook {
    pub fn command(&self) -> &str {
        match self {
            Hook::Command(c) | Hook::Full { run: c, .. } => c,
        }
    }

    pub fn timeout_secs(&self) -> i64 {
        match self {
            Hook::Full {
                timeout: Some(t), ..
            } => t.value().seconds(),
            _ => DEFAULT_HOOK_TIMEOUT_SECS,
        }
    }
}

/// Checks `hooks:`: each key an event, each command not blank.
pub fn validate_hooks(hooks: &BTreeMap<String, Hook>) -> Result<(), String> {
    for (event, hook) in hooks {
        Trigger::parse(event).map_err(|e| format!("hooks.{event}: {e}"))?;
        if hook.command().trim().is_empty() {
            return Err(format!("hooks.{event}: the command is empty"));
        }
        if let Hook::Full {
            timeout: Some(t), ..
        } = hook
            && t.value().seconds() <= 0
        {
            return Err(format!("hooks.{event}.timeout: must be more than zero"));
        }
    }
    Ok(())
}

/// Compiles `rules:` against the rest of the config (the agents, groups
/// and fields a rule names must exist).
pub fn compile(config: &Config) -> Result<RuleBook, String> {
    if config.rules.len() > MAX_RULES {
        return Err(format!(
            "rules: {} rules; at most {MAX_RULES} are accepted",
            config.rules.len()
        ));
    }
    let mut names = BTreeSet::new();
    let mut rules = Vec::new();
    for (n, value) in config.rules.iter().enumerate() {
        let rule = compile_rule(config, value).map_err(|e| {
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .map(|name| format!(" (`{name}`)"))
                .unwrap_or_default();
            format!("rules[{n}]{name}.{e}")
        })?;
        if !names.insert(rule.name.to_lowercase()) {
            return Err(format!(
                "rules[{n}].name: `{}` names two rules; each rule needs its own name",
                rule.name
            ));
        }
        rules.push(rule);
    }
    Ok(RuleBook { rules })
}

fn compile_rule(config: &Config, value: &Value) -> Result<Rule, String> {
    let Value::Mapping(map) = value else {
        return Err("name: a rule is a mapping with name, on, if and do".into());
    };
    for key in map.keys() {
        let key = key.as_str().unwrap_or("?");
        if !matches!(key, "name" | "on" | "if" | "do" | "description") {
            return Err(format!(
                "{key}: not a rule key (expected name, on, if, do, description)"
            ));
        }
    }
    let name = match map.get("name") {
        Some(Value::String(s)) if valid_name(s) => s.trim().to_string(),
        Some(_) => {
            return Err("name: expected 1 to 80 characters on one line".into());
        }
        None => return Err("name: every rule needs a name".into()),
    };
    let on = match map.get("on") {
        Some(v) => strings(v)
            .ok_or("on: expected an event or a list of events")?
            .iter()
            .map(|s| Trigger::parse(s).map_err(|e| format!("on: {e}")))
            .collect::<Result<Vec<_>, _>>()?,
        None => return Err("on: every rule says which event it waits for".into()),
    };
    if on.is_empty() {
        return Err("on: name at least one event".into());
    }
    let when = match map.get("if") {
        None | Some(Value::Null) => Condition::All(Vec::new()),
        Some(v) => condition(config, v, 0).map_err(|e| format!("if.{e}"))?,
    };
    if on.contains(&Trigger::Idle) && !has_time_condition(&when) {
        return Err(
            "if: a rule on `idle` needs a time condition (idle, pending-for, unanswered-for, since-customer, since-agent or task-overdue)"
                .into(),
        );
    }
    let actions = match map.get("do") {
        Some(Value::Sequence(items)) if !items.is_empty() => {
            if items.len() > MAX_PARTS {
                return Err(format!("do: at most {MAX_PARTS} actions"));
            }
            let mut actions = Vec::new();
            for (n, item) in items.iter().enumerate() {
                actions.extend(action(config, item).map_err(|e| format!("do[{n}].{e}"))?);
            }
            actions
        }
        Some(Value::String(_) | Value::Mapping(_)) => {
            action(config, map.get("do").unwrap_or(&Value::Null)).map_err(|e| format!("do.{e}"))?
        }
        _ => return Err("do: expected a list of actions".into()),
    };
    if actions.iter().all(|a| *a == Action::Stop) && actions.len() > 1 {
        return Err("do: only `stop`".into());
    }
    Ok(Rule {
        name,
        on,
        when,
        actions,
    })
}

fn valid_name(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 80 && !t.chars().any(char::is_control)
}

fn has_time_condition(c: &Condition) -> bool {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().any(has_time_condition),
        Condition::Not(c) => has_time_condition(c),
        Condition::Idle(_)
        | Condition::PendingFor(_)
        | Condition::UnansweredFor(_)
        | Condition::SinceCustomer(_)
        | Condition::SinceAgent(_)
        | Condition::TaskOverdue(_) => true,
        _ => false,
    }
}

/// A string or a list of strings (numbers and booleans as their text).
fn strings(v: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Value::Sequence(items) => {
            if items.len() > MAX_PARTS {
                return None;
            }
            items.iter().map(one).collect()
        }
        other => one(other).map(|s| vec![s]),
    }
}

/// Values with `!` for the refused ones, each checked by `parse`.
fn one_of<T>(
    key: &str,
    v: &Value,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<OneOf<T>, String> {
    let items = strings(v).ok_or_else(|| format!("{key}: expected a value or a list"))?;
    let mut out = OneOf {
        want: Vec::new(),
        refuse: Vec::new(),
    };
    for item in items {
        let (refuse, text) = match item.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, item.as_str()),
        };
        if text.is_empty() {
            return Err(format!("{key}: an empty value"));
        }
        let value = parse(text).map_err(|e| format!("{key}: {e}"))?;
        if refuse {
            out.refuse.push(value);
        } else {
            out.want.push(value);
        }
    }
    Ok(out)
}

fn boolean(key: &str, v: &Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("{key}: expected true or false"))
}

fn duration(key: &str, v: &Value) -> Result<i64, String> {
    let text = strings(v)
        .and_then(|s| s.into_iter().next())
        .ok_or_else(|| format!("{key}: expected a duration such as 2d"))?;
    Duration::parse_positive(&text)
        .map(|d| d.seconds())
        .map_err(|e| format!("{key}: {e}"))
}

fn pattern(key: &str, v: &Value) -> Result<Pattern, String> {
    match v {
        Value::String(s) => Pattern::parse(s).map_err(|e| format!("{key}: {e}")),
        _ => Err(format!("{key}: expected a regular expression as a string")),
    }
}

fn agent(config: &Config, who: &str) -> Result<String, String> {
    match config.agent(who) {
        Some(a) => Ok(a.handle.clone()),
        None if config.allow_unknown_agents => Ok(who.to_string()),
        None => Err(format!("no agent `{who}` in agents")),
    }
}

fn department(config: &Config, name: &str) -> Result<String, String> {
    match config.mail.department(name) {
        Some(d) => Ok(d.name.clone()),
        None => Err(config.mail.no_department(name)),
    }
}

fn group(config: &Config, name: &str) -> Result<String, String> {
    if config.groups.iter().any(|g| g.name == name) {
        return Ok(name.to_string());
    }
    let known: Vec<_> = config.groups.iter().map(|g| g.name.as_str()).collect();
    Err(format!(
        "no group `{name}` (groups: {})",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    ))
}

fn lower(s: &str) -> Result<String, String> {
    Ok(s.to_ascii_lowercase())
}

fn condition(config: &Config, v: &Value, depth: usize) -> Result<Condition, String> {
    if depth > MAX_CONDITION_DEPTH {
        return Err(format!(
            "all: conditions nest deeper than {MAX_CONDITION_DEPTH} levels"
        ));
    }
    let Value::Mapping(map) = v else {
        return Err("conditions: expected a mapping of conditions".into());
    };
    if map.len() > MAX_PARTS {
        return Err(format!("conditions: at most {MAX_PARTS}"));
    }
    let mut all = Vec::new();
    for (k, v) in map {
        let key = k.as_str().unwrap_or("?");
        let list = |v: &Value| -> Result<Vec<Condition>, String> {
            let Value::Sequence(items) = v else {
                return Err(format!("{key}: expected a list of condition mappings"));
            };
            items
                .iter()
                .enumerate()
                .map(|(n, c)| {
                    condition(config, c, depth + 1).map_err(|e| format!("{key}[{n}].{e}"))
                })
                .collect()
        };
        let opt_name = |text: &str, check: &dyn Fn(&str) -> Result<String, String>| {
            if text.eq_ignore_ascii_case("none") {
                Ok(None)
            } else {
                check(text).map(Some)
            }
        };
        all.push(match key {
            "all" => Condition::All(list(v)?),
            "any" => Condition::Any(list(v)?),
            "not" => Condition::Not(Box::new(
                condition(config, v, depth + 1).map_err(|e| format!("not.{e}"))?,
            )),
            "subject" => Condition::Subject(pattern(key, v)?),
            "body" => Condition::Body(pattern(key, v)?),
            "text" => Condition::Text(pattern(key, v)?),
            "from" => Condition::From(one_of(key, v, lower)?),
            "from-domain" => Condition::FromDomain(one_of(key, v, lower)?),
            "customer-org" => Condition::Organisation(one_of(key, v, lower)?),
            "to" => Condition::To(one_of(key, v, lower)?),
            "cc" => Condition::Cc(boolean(key, v)?),
            "status" => Condition::Status(one_of(key, v, |s| s.parse::<Status>())?),
            "priority" => Condition::Priority(one_of(key, v, |s| s.parse::<Priority>())?),
            "tag" => Condition::Tags(one_of(key, v, |s| Ok(s.to_string()))?),
            "group" => Condition::Group(one_of(key, v, |s| opt_name(s, &|g| group(config, g)))?),
            "department" => {
                Condition::Department(one_of(key, v, |s| opt_name(s, &|d| department(config, d)))?)
            }
            "assignee" => {
                Condition::Assignee(one_of(key, v, |s| opt_name(s, &|a| agent(config, a)))?)
            }
            "unassigned" => {
                let none = Condition::Assignee(OneOf {
                    want: vec![None],
                    refuse: Vec::new(),
                });
                if boolean(key, v)? {
                    none
                } else {
                    Condition::Not(Box::new(none))
                }
            }
            "field" => {
                let Value::Mapping(fields) = v else {
                    return Err("field: expected a mapping of field names to values".into());
                };
                let mut each = Vec::new();
                for (name, want) in fields {
                    let name = name.as_str().unwrap_or("?");
                    if config.field(name).is_none() {
                        return Err(format!("field.{name}: no such field in fields"));
                    }
                    each.push(Condition::Field(
                        name.to_string(),
                        one_of(&format!("field.{name}"), want, |s| {
                            if s.eq_ignore_ascii_case("none") {
                                return Ok(None);
                            }
                            config
                                .parse_field_value(name, s)
                                .map(|v| Some(v.to_string()))
                        })?,
                    ));
                }
                Condition::All(each)
            }
            "channel" => Condition::Channel(match strings(v).unwrap_or_default().first() {
                Some(name) => name
                    .parse::<Channel>()
                    .map_err(|e| format!("channel: {e}"))?,
                None => {
                    return Err(format!(
                        "channel: expected one of {}",
                        crate::domain::channel::names()
                    ));
                }
            }),
            "customer-messages" => Condition::CustomerMessages(
                Compare::parse(
                    &strings(v)
                        .and_then(|s| s.into_iter().next())
                        .unwrap_or_default(),
                )
                .map_err(|e| format!("{key}: {e}"))?,
            ),
            "business-hours" => Condition::BusinessHours(boolean(key, v)?),
            "last-from" => Condition::LastFrom(
                match strings(v).unwrap_or_default().first().map(String::as_str) {
                    Some("customer") => Side::Customer,
                    Some("agent") => Side::Agent,
                    _ => return Err("last-from: expected customer or agent".into()),
                },
            ),
            "since-customer" => Condition::SinceCustomer(duration(key, v)?),
            "since-agent" => Condition::SinceAgent(duration(key, v)?),
            "idle" => Condition::Idle(duration(key, v)?),
            "pending-for" => Condition::PendingFor(duration(key, v)?),
            "unanswered-for" => Condition::UnansweredFor(duration(key, v)?),
            "task-overdue" => Condition::TaskOverdue(boolean(key, v)?),
            other => {
                return Err(format!(
                    "{other}: not a condition (expected one of: {})",
                    CONDITIONS.join(", ")
                ));
            }
        });
    }
    Ok(if all.len() == 1 {
        all.pop().unwrap_or(Condition::All(Vec::new()))
    } else {
        Condition::All(all)
    })
}

/// Every condition key, as the docs list them.
pub const CONDITIONS: [&str; 29] = [
    "all",
    "any",
    "not",
    "subject",
    "body",
    "text",
    "from",
    "from-domain",
    "customer-org",
    "to",
    "cc",
    "status",
    "priority",
    "tag",
    "group",
    "department",
    "assignee",
    "unassigned",
    "field",
    "channel",
    "customer-messages",
    "business-hours",
    "last-from",
    "since-customer",
    "since-agent",
    "idle",
    "pending-for",
    "unanswered-for",
    "task-overdue",
];

/// Every action key.
pub const ACTIONS: [&str; 15] = [
    "tag",
    "untag",
    "priority",
    "status",
    "group",
    "assign",
    "unassign",
    "field",
    "notify",
    "reply-template",
    "escalate",
    "snooze",
    "task",
    "link",
    "stop",
];

fn check_tag(tag: &str) -> Result<String, String> {
    crate::domain::names::check_tag(tag).map(|()| tag.to_string())
}

fn template_name(key: &str, name: &str) -> Result<String, String> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "{key}: `{name}` is not a template name (letters, digits, - and _; the file is .tix/templates/NAME.md)"
        ));
    }
    Ok(name.to_string())
}

fn action(config: &Config, v: &Value) -> Result<Vec<Action>, String> {
    let (key, arg) = match v {
        Value::String(s) => (s.trim().to_string(), &Value::Null),
        Value::Mapping(map) if map.len() == 1 || map.contains_key("notify") => {
            let Some((k, arg)) = map
                .iter()
                .find(|(k, _)| k.as_str() != Some("template"))
                .or_else(|| map.iter().next())
            else {
                return Err("action: an empty mapping".into());
            };
            (k.as_str().unwrap_or("?").to_string(), arg)
        }
        _ => {
            return Err(
                "action: expected `stop`, `unassign` or a mapping of one action to its value"
                    .into(),
            );
        }
    };
    let key = key.as_str();
    let text = || -> Result<String, String> {
        strings(arg)
            .filter(|s| s.len() == 1)
            .and_then(|s| s.into_iter().next())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("{key}: expected a value"))
    };
    let one = |a: Action| Ok(vec![a]);
    match key {
        "stop" => one(Action::Stop),
        "unassign" => one(Action::Unassign),
        "tag" | "untag" => {
            let tags = strings(arg)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| format!("{key}: expected a tag or a list of tags"))?
                .iter()
                .map(|t| check_tag(t).map_err(|e| format!("{key}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            one(if key == "tag" {
                Action::Tag(tags)
            } else {
                Action::Untag(tags)
            })
        }
        "priority" => one(Action::Priority(
            text()?.parse().map_err(|e| format!("priority: {e}"))?,
        )),
        "status" => one(Action::Status(
            text()?.parse().map_err(|e| format!("status: {e}"))?,
        )),
        "group" => one(Action::Group(
            group(config, &text()?).map_err(|e| format!("group: {e}"))?,
        )),
        "assign" => {
            let who = text()?;
            one(match who.as_str() {
                "group" | "rule" => Action::Assign(None),
                "nobody" | "none" => Action::Unassign,
                _ => Action::Assign(Some(
                    agent(config, &who).map_err(|e| format!("assign: {e}"))?,
                )),
            })
        }
        "field" => {
            let Value::Mapping(fields) = arg else {
                return Err("field: expected a mapping of a field name to its value".into());
            };
            let mut out = Vec::new();
            for (name, value) in fields {
                let name = name.as_str().unwrap_or("?");
                let raw = strings(value)
                    .and_then(|s| s.into_iter().next())
                    .ok_or_else(|| format!("field.{name}: expected a value"))?;
                let value = config
                    .parse_field_value(name, &raw)
                    .map_err(|e| format!("field.{name}: {e}"))?;
                out.push(Action::Field(name.to_string(), value));
            }
            Ok(out)
        }
        "notify" => {
            let template = match v.get("template") {
                None => None,
                Some(Value::String(t)) => Some(template_name("notify.template", t)?),
                Some(_) => return Err("notify.template: expected a template name".into()),
            };
            let to = strings(arg)
                .filter(|t| !t.is_empty())
                .ok_or("notify: expected who to tell: assignee, group, an agent or an address")?
                .iter()
                .map(|who| recipient(config, who).map_err(|e| format!("notify: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            one(Action::Notify { to, template })
        }
        "reply-template" => one(Action::ReplyTemplate(template_name(key, &text()?)?)),
        "escalate" => one(Action::Escalate(match arg {
            Value::Null | Value::Bool(true) => None,
            _ => {
                let name = text()?;
                if name == "next" {
                    None
                } else {
                    Some(group(config, &name).map_err(|e| format!("escalate: {e}"))?)
                }
            }
        })),
        "snooze" => one(Action::Snooze(duration(key, arg)?)),
        "task" => {
            let (text, to, due) = match arg {
                Value::Mapping(m) => {
                    for k in m.keys() {
                        let k = k.as_str().unwrap_or("?");
                        if !matches!(k, "text" | "to" | "due") {
                            return Err(format!("task.{k}: not a task key (text, to, due)"));
                        }
                    }
                    let text = m
                        .get("text")
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .ok_or("task.text: expected the task's text")?
                        .to_string();
                    let to = match m.get("to").and_then(Value::as_str) {
                        None => None,
                        Some(w) => Some(agent(config, w).map_err(|e| format!("task.to: {e}"))?),
                    };
                    let due = match m.get("due") {
                        None => None,
                        Some(d) => Some(
                            Duration::parse_positive(
                                &strings(d)
                                    .and_then(|s| s.into_iter().next())
                                    .unwrap_or_default(),
                            )
                            .map_err(|e| format!("task.due: {e}"))?,
                        ),
                    };
                    (text, to, due)
                }
                _ => (text()?, None, None),
            };
            if text.chars().count() > 500 {
                return Err("task: the text is longer than 500 characters".into());
            }
            one(Action::Task { text, to, due })
        }
        "link" => {
            let (target, rel) = match arg {
                Value::Mapping(m) => (
                    m.get("to")
                        .and_then(Value::as_str)
                        .ok_or("link.to: expected a ticket id")?
                        .to_string(),
                    match m.get("rel").and_then(Value::as_str) {
                        None => LinkRel::Related,
                        Some(r) => r.parse().map_err(|e| format!("link.rel: {e}"))?,
                    },
                ),
                _ => (text()?, LinkRel::Related),
            };
            let id: TicketId = target
                .parse()
                .map_err(|e| format!("link: `{target}`: {e}"))?;
            one(Action::Link(rel, id))
        }
        other => Err(format!(
            "{other}: not an action (expected one of: {})",
            ACTIONS.join(", ")
        )),
    }
}

fn recipient(config: &Config, who: &str) -> Result<Recipient, String> {
    if who == "assignee" {
        return Ok(Recipient::Assignee);
    }
    if who == "group" {
        return Ok(Recipient::Group(None));
    }
    if let Some(name) = who.strip_prefix("group:") {
        return Ok(Recipient::Group(Some(group(config, name.trim())?)));
    }
    if let Some(agent) = config.agent(who) {
        return Ok(Recipient::Agent(agent.handle.clone()));
    }
    if who.contains('@') {
        let party = crate::domain::party::Party::parse(who)?;
        return Ok(Recipient::Address(party.email));
    }
    Err(format!(
        "`{who}` is neither an agent, `assignee`, `group`, `group:NAME` nor an address"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::automation::{Compare, Condition};

    fn parse(rules: &str) -> Result<Config, String> {
        Config::parse(&format!(
            "format: 1\nagents:\n  - handle: alice\n    email: alice@example.com\ngroups:\n  - name: first\n    agents: [alice]\nrules:\n{rules}"
        ))
    }

    #[test]
    fn a_rule_compiles_with_its_conditions_and_actions_in_order() {
        let c = parse(
            "  - name: r\n    on: [created, tag]\n    if: {subject: '(?i)refund', tag: [vip, '!spam'], customer-messages: '>=2'}\n    do: [{tag: [a, b]}, {assign: group}, {notify: [assignee, 'x@example.net'], template: t}, stop]\n",
        )
        .unwrap();
        let rule = &c.rule_book.rules[0];
        assert_eq!(rule.on, [Trigger::Created, Trigger::Tag]);
        let Condition::All(parts) = &rule.when else {
            panic!("{:?}", rule.when)
        };
        assert_eq!(parts.len(), 3);
        assert!(parts.contains(&Condition::CustomerMessages(Compare::AtLeast(2))));
        assert_eq!(
            rule.actions,
            [
                Action::Tag(vec!["a".into(), "b".into()]),
                Action::Assign(None),
                Action::Notify {
                    to: vec![
                        Recipient::Assignee,
                        Recipient::Address("x@example.net".into())
                    ],
                    template: Some("t".into())
                },
                Action::Stop
            ]
        );
        // Written back and read again, the rules are the same.
        assert_eq!(Config::parse(&c.to_yaml()).unwrap(), c);
    }

    #[test]
    fn errors_name_the_rule_and_the_key() {
        let cases = [
            (
                "  - name: r\n    on: created\n    if: {subject: 'a{99999}'}\n    do: [stop]\n",
                "rules[0] (`r`).if.subject",
            ),
            (
                "  - name: r\n    on: created\n    if: {any: [{status: sleepy}]}\n    do: [stop]\n",
                "if.any[0].status",
            ),
            (
                "  - name: r\n    on: created\n    do: [{priority: hot}]\n",
                "do[0].priority",
            ),
            (
                "  - name: r\n    on: created\n    do: [{snooze: soon}]\n",
                "do[0].snooze",
            ),
            (
                "  - name: r\n    on: created\n    do: [{notify: [nobody-here]}]\n",
                "do[0].notify",
            ),
            (
                "  - name: r\n    on: created\n    do: [{reply-template: ../etc/passwd}]\n",
                "reply-template",
            ),
            (
                "  - name: r\n    on: created\n    do: [{link: not-an-id}]\n",
                "do[0].link",
            ),
            (
                "  - name: r\n    on: created\n    whenever: true\n    do: [stop]\n",
                "whenever: not a rule key",
            ),
            (
                "  - name: r\n    on: created\n    if: {customer-messages: many}\n    do: [stop]\n",
                "customer-messages",
            ),
        ];
        for (yaml, expected) in cases {
            let err = parse(yaml).expect_err(yaml);
            assert!(err.contains(expected), "{yaml}: {err}");
        }
        let deep = format!(
            "  - name: r\n    on: created\n    if: {}{{status: open}}{}\n    do: [stop]\n",
            "{not: ".repeat(20),
            "}".repeat(20)
        );
        assert!(parse(&deep).unwrap_err().contains("nest deeper"));
    }

    #[test]
    fn counts_compare_as_written() {
        assert_eq!(Compare::parse("3").unwrap(), Compare::Exactly(3));
        assert!(Compare::parse(">2").unwrap().holds(3));
        assert!(!Compare::parse(">2").unwrap().holds(2));
        assert!(Compare::parse("<2").unwrap().holds(1));
        assert!(Compare::parse("<=1").unwrap().holds(1));
        assert!(Compare::parse("two").is_err());
    }

    #[test]
    fn hooks_name_their_event() {
        let c = Config::parse(
            "format: 1\nhooks:\n  created: notify.sh\n  status: {run: x, timeout: 2s}\n",
        )
        .unwrap();
        assert_eq!(c.hooks["created"].command(), "notify.sh");
        assert_eq!(c.hooks["status"].timeout_secs(), 2);
        assert_eq!(c.hooks["created"].timeout_secs(), DEFAULT_HOOK_TIMEOUT_SECS);
        assert!(
            Config::parse("format: 1\nhooks:\n  someday: x\n")
                .unwrap_err()
                .contains("hooks.someday")
        );
        assert!(
            Config::parse("format: 1\nhooks:\n  created: '  '\n")
                .unwrap_err()
                .contains("empty")
        );
    }
}
