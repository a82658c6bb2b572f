//! The automation rules as the team reads them: `tix rules` (each rule,
//! with how often it fired) and `tix rules test` (what the rules would do
//! to a ticket now, planned exactly as a real event plans them and never
//! committed).

use serde::Serialize;

use crate::domain::automation::{self, Situation, Trigger};
use crate::domain::{TicketId, Timestamp};
use crate::error::Result;
use crate::mail::respond;
use crate::ops::Batch;
use crate::ops::automation::{RuleMailKind, describe_action, recipient_name};
use crate::store::Store;

/// The window `tix rules` counts firings in.
pub const RECENT_DAYS: i64 = 30;

/// One rule as `tix rules` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleLine {
    pub position: usize,
    pub name: String,
    pub on: Vec<String>,
    pub conditions: String,
    pub actions: Vec<String>,
    /// Firings in the last [`RECENT_DAYS`] days, and on how many tickets.
    pub fired: usize,
    pub tickets: usize,
    pub last_fired: Option<Timestamp>,
}

/// The config's rules in order, with their firings counted from the
/// index (each ticket remembers when each rule acted on it).
pub fn overview(store: &Store, now: Timestamp) -> Result<Vec<RuleLine>> {
    let book = &store.config().rule_book;
    let mut lines: Vec<RuleLine> = book
        .rules
        .iter()
        .enumerate()
        .map(|(n, r)| RuleLine {
            position: n + 1,
            name: r.name.clone(),
            on: r.on.iter().map(|t| t.as_str().to_string()).collect(),
            conditions: match automation::describe(&r.when) {
                d if d.is_empty() => "always".to_string(),
                d => d,
            },
            actions: r.actions.iter().map(describe_action).collect(),
            fired: 0,
            tickets: 0,
            last_fired: None,
        })
        .collect();
    if lines.is_empty() {
        return Ok(lines);
    }
    let since = now.plus_seconds(-RECENT_DAYS * 86_400);
    let index = store.index()?;
    for t in index.tickets() {
        for line in lines.iter_mut() {
            let Some(times) = t.ticket.rules_fired.get(&line.name) else {
                continue;
            };
            let recent = times
                .iter()
                .filter(|at| **at >= since && **at <= now)
                .count();
            if recent > 0 {
                line.fired += recent;
                line.tickets += 1;
            }
            line.last_fired = line.last_fired.max(times.last().copied());
        }
    }
    std::mem::forget(index);
    Ok(lines)
}

/// What one rule would do for one event.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub event: String,
    pub rule: String,
    pub fires: bool,
    /// When it would not fire: why (a condition that fails, a rule before
    /// it that stops, an idle rule that fired in this quiet spell).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
    /// The changes it would write, as the trail would say them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// The mail it would send.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mail: Vec<String>,
    /// Actions it could not do, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// What the rules would do to ticket `id` now for `on` (every event some
/// rule waits for, each on its own, when None). Planned in a batch that is
/// dropped, so nothing is written and no mail is sent.
pub fn test(store: &Store, id: TicketId, on: Option<Trigger>) -> Result<Vec<Verdict>> {
    let book = &store.config().rule_book;
    let triggers: Vec<Trigger> = match on {
        Some(t) => vec![t],
        None => Trigger::ALL
            .into_iter()
            .filter(|t| book.waits_for(*t))
            .collect(),
    };
    let actor = respond::system_actor(store);
    let config = store.config();
    let hours = config.sla.policy().hours.clone();
    let organisations = config.organisations();
    let mut out = Vec::new();
    for trigger in triggers {
        let mut batch = Batch::begin(store)?;
        let now = batch.now();
        let (before, trail) = batch.trail(id)?;
        crate::ops::refuse_if_merged(&before)?;
        let fired = batch.run_rules(&actor, id, trigger)?;
        let changes: Vec<(Option<String>, String)> = batch
            .changes()
            .iter()
            .map(|c| (c.rule.clone(), c.detail.clone()))
            .collect();
        let mail = batch.take_rule_mail();
        let problems = batch.take_rule_warnings();
        drop(batch);
        // What the rules read, as `run_rules` gave it to them.
        let last = automation::last_message_of(&before, &trail);
        let situation = Situation {
            trigger,
            now,
            text: &last.text,
            from: last.from.as_deref(),
            to: &last.to,
            channel: last.channel,
            hours: &hours,
            organisations: &organisations,
        };
        let mut stopped_by: Option<String> = None;
        for rule in book.rules.iter().filter(|r| r.on.contains(&trigger)) {
            let fires = fired.contains(&rule.name);
            let why_not = if fires {
                None
            } else if let Some(by) = &stopped_by {
                Some(format!("rule `{by}` before it stops the rules"))
            } else if let Some(failed) = automation::explain(&rule.when, &before, &situation) {
                Some(format!("not {failed}"))
            } else if trigger == Trigger::Idle {
                Some("fired already since the last message".into())
            } else {
                Some("its conditions hold only before the rules before it acted".into())
            };
            if fires && rule.stops() {
                stopped_by = Some(rule.name.clone());
            }
            out.push(Verdict {
                event: trigger.as_str().to_string(),
                rule: rule.name.clone(),
                fires,
                why_not,
                changes: changes
                    .iter()
                    .filter(|(r, _)| r.as_deref() == Some(rule.name.as_str()))
                    .map(|(_, d)| d.clone())
                    .collect(),
                mail: mail
                    .iter()
                    .filter(|m| m.rule == rule.name)
                    .map(|m| match &m.kind {
                        RuleMailKind::Notify { to, template } => format!(
                            "notify {}{}",
                            to.iter().map(recipient_name).collect::<Vec<_>>().join(", "),
                            template
                                .as_ref()
                                .map(|t| format!(" with template {t}"))
                                .unwrap_or_default()
                        ),
                        RuleMailKind::Reply { template } => {
                            format!("reply to the customer with template {template}")
                        }
                    })
                    .collect(),
                problems: problems
                    .iter()
                    .filter(|p| p.contains(&format!("rule `{}`", rule.name)))
                    .cloned()
                    .collect(),
            });
        }
    }
    Ok(out)
}
