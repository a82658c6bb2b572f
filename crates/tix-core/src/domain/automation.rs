//! The team's automation rules as data: what event a rule waits for,
//! what must hold of the ticket, and what it then does. Deciding which
//! rules fire is a pure function of the ticket, the event and the time;
//! turning actions into entries is `ops::automation`, sending the mail
//! they ask for is `mail`.
//!
//! Order: rules are tried in the order the config lists them; a rule whose
//! actions include `stop` ends the run for that event. A rule fires at
//! most once per ticket in one run (an event and whatever the rules' own
//! entries set off), so a rule cannot feed itself; a run goes at most
//! [`MAX_ROUNDS`] rounds of rules firing on other rules' entries.

use std::fmt;

use regex::Regex;

use super::config::Organisations;
use super::entry::{Entry, Event, FieldValue, Priority, Status};
use super::sla::Hours;
use super::ticket::Ticket;
use super::time::Timestamp;

/// How many rounds one event may set off: the event's rules, then the
/// rules of the entries those wrote, and so on.
pub const MAX_ROUNDS: usize = 4;

/// The most rules a config may hold.
pub const MAX_RULES: usize = 200;

/// The longest pattern accepted, in bytes of its source.
pub const MAX_PATTERN_BYTES: usize = 1024;

/// The most memory a compiled pattern may take (the `regex` crate's own
/// bound; its matching is linear in the text, so no pattern backtracks).
pub const MAX_PATTERN_MEMORY: usize = 1 << 20;

/// The most text of a ticket a text condition looks at.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// What sets a rule off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trigger {
    /// A new ticket, with its first message, tags and assignment.
    Created,
    /// A message from the customer (or someone in Cc) on an existing ticket.
    CustomerMessage,
    /// A public reply by an agent.
    AgentReply,
    /// An internal note by an agent.
    Note,
    /// The status changed (a close and a reopening included).
    Status,
    /// The ticket was given to an agent.
    Assigned,
    /// Tags were added.
    Tag,
    Priority,
    /// A custom field was set or cleared.
    Field,
    /// The ticket went to another group.
    Escalated,
    /// Evaluated by `tix tick`: nothing to react to but time passing.
    Idle,
}

impl Trigger {
    pub const ALL: [Trigger; 11] = [
        Trigger::Created,
        Trigger::CustomerMessage,
        Trigger::AgentReply,
        Trigger::Note,
        Trigger::Status,
        Trigger::Assigned,
        Trigger::Tag,
        Trigger::Priority,
        Trigger::Field,
        Trigger::Escalated,
        Trigger::Idle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Created => "created",
            Trigger::CustomerMessage => "customer-message",
            Trigger::AgentReply => "agent-reply",
            Trigger::Note => "note",
            Trigger::Status => "status",
            Trigger::Assigned => "assigned",
            Trigger::Tag => "tag",
            Trigger::Priority => "priority",
            Trigger::Field => "field",
            Trigger::Escalated => "escalated",
            Trigger::Idle => "idle",
        }
    }

    pub fn parse(text: &str) -> Result<Trigger, String> {
        Trigger::ALL
            .into_iter()
            .find(|t| t.as_str() == text.trim())
            .ok_or_else(|| {
                let names: Vec<_> = Trigger::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "`{text}` is not an event (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The handle tix writes its own entries under (`ops::SYSTEM_HANDLE`).
const SYSTEM: &str = "tix";

/// The events one new entry sets off, given the ticket before it. The
/// system's own replies and notes (acknowledgements, closing messages)
/// set off nothing as replies or notes, but what they change still does.
pub fn triggers_of(before: &Ticket, entry: &Entry) -> Vec<Trigger> {
    let by_system = entry.author == SYSTEM;
    match &entry.event {
        Event::Created { .. } => vec![Trigger::Created],
        Event::Message { .. } => vec![Trigger::CustomerMessage],
        Event::Call {
            direction: Direction::In,
            ..
        }
        | Event::Chat {} => vec![Trigger::CustomerMessage],
        Event::Reply { .. }
        | Event::Call {
            direction: Direction::Out,
            ..
        } if !by_system => vec![Trigger::AgentReply],
        Event::Note { mail } if !by_system && mail.is_none() => vec![Trigger::Note],
        Event::Status { to, .. } if *to != before.status => vec![Trigger::Status],
        Event::Close {} if before.status != Status::Closed => vec![Trigger::Status],
        Event::Assign { to: Some(to) } if before.assignee.as_deref() != Some(to) => {
            vec![Trigger::Assigned]
        }
        Event::Tags { add, .. } if add.iter().any(|t| !has_tag(before, t)) => vec![Trigger::Tag],
        Event::Priority { to } if *to != before.priority => vec![Trigger::Priority],
        Event::Field { .. } => vec![Trigger::Field],
        Event::Escalate { .. } => vec![Trigger::Escalated],
        _ => Vec::new(),
    }
}

/// A regular expression as the config spelled it. Compiled once, with
/// the size bounds above; compared and shown by its source.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Pattern, String> {
        if source.len() > MAX_PATTERN_BYTES {
            return Err(format!(
                "a pattern of {} bytes; at most {MAX_PATTERN_BYTES} are accepted",
                source.len()
            ));
        }
        let regex = regex::RegexBuilder::new(source)
            .size_limit(MAX_PATTERN_MEMORY)
            .dfa_size_limit(MAX_PATTERN_MEMORY)
            .build()
            .map_err(|e| format!("`{source}` is not a regular expression: {e}"))?;
        Ok(Pattern {
            source: source.to_string(),
            regex,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

/// Values a condition accepts: any of `want` (all when empty) and none
/// of `refuse` (the config's `!value`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OneOf<T> {
    pub want: Vec<T>,
    pub refuse: Vec<T>,
}

impl<T> OneOf<T> {
    pub fn holds(&self, matches: impl Fn(&T) -> bool) -> bool {
        (self.want.is_empty() || self.want.iter().any(&matches))
            && !self.refuse.iter().any(&matches)
    }
}

/// Which side wrote last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Customer,
    Agent,
}

pub use super::channel::Channel;
use super::channel::Direction;

/// A comparison of a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    AtLeast(u32),
    AtMost(u32),
    Exactly(u32),
}

impl Compare {
    pub fn parse(text: &str) -> Result<Compare, String> {
        let t = text.trim();
        let (make, rest): (fn(u32) -> Compare, &str) = if let Some(r) = t.strip_prefix(">=") {
            (Compare::AtLeast, r)
        } else if let Some(r) = t.strip_prefix("<=") {
            (Compare::AtMost, r)
        } else if let Some(r) = t.strip_prefix('>') {
            (|n| Compare::AtLeast(n.saturating_add(1)), r)
        } else if let Some(r) = t.strip_prefix('<') {
            (|n| Compare::AtMost(n.saturating_sub(1)), r)
        } else {
            (Compare::Exactly, t)
        };
        rest.trim()
            .parse::<u32>()
            .map(make)
            .map_err(|_| format!("`{text}` is not a count (expected 3, >=3, >2, <=1 or <2)"))
    }

    pub fn holds(self, n: u32) -> bool {
        match self {
            Compare::AtLeast(m) => n >= m,
            Compare::AtMost(m) => n <= m,
            Compare::Exactly(m) => n == m,
        }
    }
}

/// What must hold for a rule to fire. Times are seconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Subject(Pattern),
    /// The text of the entries that set the rule off (a new ticket's
    /// first message); for `idle`, the ticket's first message.
    Body(Pattern),
    /// Subject or body.
    Text(Pattern),
    /// The sender of the message that set the rule off, else the customer.
    From(OneOf<String>),
    FromDomain(OneOf<String>),
    /// The organisation of the customer (or sender), by the config's
    /// `organisations` (a domain otherwise).
    Organisation(OneOf<String>),
    /// The address the message came to (To or Cc of the mail).
    To(OneOf<String>),
    /// Someone is on the ticket's Cc.
    Cc(bool),
    Status(OneOf<Status>),
    Priority(OneOf<Priority>),
    Tags(OneOf<String>),
    /// `none` for no group.
    Group(OneOf<Option<String>>),
    /// `none` for no department.
    Department(OneOf<Option<String>>),
    /// `none` for unassigned.
    Assignee(OneOf<Option<String>>),
    /// A custom field's value as text, `none` for unset.
    Field(String, OneOf<Option<String>>),
    Channel(Channel),
    CustomerMessages(Compare),
    BusinessHours(bool),
    LastFrom(Side),
    /// At least this long since the last customer message.
    SinceCustomer(i64),
    /// At least this long since the last public reply (or since the
    /// ticket was opened, when nobody replied).
    SinceAgent(i64),
    /// At least this long since the last message either way (or since the
    /// ticket was opened).
    Idle(i64),
    /// Pending for at least this long.
    PendingFor(i64),
    /// The customer's last message has waited at least this long for a
    /// public reply.
    UnansweredFor(i64),
    /// An open task's deadline has passed (or not).
    TaskOverdue(bool),
}

/// What a rule does. Each becomes an entry by `tix` naming the rule, or,
/// for mail, a message sent after the commit with a note that records it.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Tag(Vec<String>),
    Untag(Vec<String>),
    Priority(Priority),
    Status(Status),
    /// Moves the ticket to the group without choosing an agent.
    Group(String),
    /// To an agent, or `None` for the group's assignment rule.
    Assign(Option<String>),
    Unassign,
    Field(String, FieldValue),
    Notify {
        to: Vec<Recipient>,
        template: Option<String>,
    },
    /// A template to the customer: never to noise or no-reply addresses,
    /// once per auto-reply window per rule and ticket.
    ReplyTemplate(String),
    /// To the named group, or the next one.
    Escalate(Option<String>),
    /// For this many seconds.
    Snooze(i64),
    Task {
        text: String,
        to: Option<String>,
        /// From the firing, counted by the SLA clock's hours.
        due: Option<super::duration::Duration>,
    },
    Link(super::entry::LinkRel, super::id::TicketId),
    Stop,
}

impl Action {
    /// Its name in the config.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Tag(_) => "tag",
            Action::Untag(_) => "untag",
            Action::Priority(_) => "priority",
            Action::Status(_) => "status",
            Action::Group(_) => "group",
            Action::Assign(_) => "assign",
            Action::Unassign => "unassign",
            Action::Field(..) => "field",
            Action::Notify { .. } => "notify",
            Action::ReplyTemplate(_) => "reply-template",
            Action::Escalate(_) => "escalate",
            Action::Snooze(_) => "snooze",
            Action::Task { .. } => "task",
            Action::Link(..) => "link",
            Action::Stop => "stop",
        }
    }
}

/// Who a notification goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    Agent(String),
    Assignee,
    /// Every agent of the ticket's group (or of the named group).
    Group(Option<String>),
    Address(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub name: String,
    pub on: Vec<Trigger>,
    pub when: Condition,
    pub actions: Vec<Action>,
}

impl Rule {
    pub fn stops(&self) -> bool {
        self.actions.contains(&Action::Stop)
    }
}

/// The config's rules, in order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RuleBook {
    pub rules: Vec<Rule>,
}

impl RuleBook {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether any rule waits for `trigger`.
    pub fn waits_for(&self, trigger: Trigger) -> bool {
        self.rules.iter().any(|r| r.on.contains(&trigger))
    }
}

/// What a rule's conditions are checked against besides the ticket.
#[derive(Clone, Debug)]
pub struct Situation<'a> {
    pub trigger: Trigger,
    pub now: Timestamp,
    /// The text of the entries that set the rule off.
    pub text: &'a str,
    /// Who wrote the message that set it off, if a message did.
    pub from: Option<&'a str>,
    /// The addresses the mail came to.
    pub to: &'a [String],
    pub channel: Channel,
    pub hours: &'a Hours,
    pub organisations: &'a Organisations<'a>,
}

/// What a rule's conditions read of a message when no new entry set
/// the rule off (`idle`, `tix rules test`): the ticket's last message
/// from the customer (the opening request included).
#[derive(Clone, Debug)]
pub struct LastMessage {
    pub text: String,
    pub from: Option<String>,
    /// The addresses it came to, when it came by mail.
    pub to: Vec<String>,
    /// `Mail` when it came by mail; the ticket's channel otherwise.
    pub channel: Channel,
}

/// [`LastMessage`] of `ticket` with its `trail`.
pub fn last_message_of(ticket: &Ticket, trail: &[super::ticket::TrailItem]) -> LastMessage {
    let mut out = LastMessage {
        text: String::new(),
        from: ticket.customer.as_ref().map(|c| c.email.clone()),
        to: Vec::new(),
        channel: ticket.channel(),
    };
    let last = trail.iter().rev().find(|i| {
        i.not_applied.is_none()
            && matches!(i.entry.event, Event::Message { .. } | Event::Created { .. })
            && !i.entry.body.trim().is_empty()
    });
    if let Some(item) = last {
        out.text = item.entry.body.clone();
        if let Event::Message { from, mail } = &item.entry.event {
            out.from = Some(from.email.clone());
            if let Some(mail) = mail {
                out.channel = Channel::Mail;
                out.to = mail
                    .to
                    .iter()
                    .chain(&mail.cc)
                    .map(|p| p.email.clone())
                    .collect();
            }
        }
    }
    out
}

/// Whether `when` holds of `ticket` in `situation`.
pub fn holds(when: &Condition, ticket: &Ticket, s: &Situation<'_>) -> bool {
    let since = |t: Option<Timestamp>| t.map(|t| t.seconds_until(s.now));
    let at_least = |t: Option<Timestamp>, secs: i64| since(t).is_some_and(|d| d >= secs);
    let sender = || {
        s.from
            .map(str::to_string)
            .or_else(|| ticket.customer.as_ref().map(|c| c.email.clone()))
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let bounded = |text: &'_ str| -> String { clip(text, MAX_TEXT_BYTES).to_string() };
    match when {
        Condition::All(all) => all.iter().all(|c| holds(c, ticket, s)),
        Condition::Any(any) => any.iter().any(|c| holds(c, ticket, s)),
        Condition::Not(c) => !holds(c, ticket, s),
        Condition::Subject(p) => p.is_match(&bounded(&ticket.subject)),
        Condition::Body(p) => p.is_match(&bounded(s.text)),
        Condition::Text(p) => p.is_match(&bounded(&ticket.subject)) || p.is_match(&bounded(s.text)),
        Condition::From(one) => {
            let from = sender();
            one.holds(|a| *a == from)
        }
        Condition::FromDomain(one) => {
            let from = sender();
            let domain = super::customers::domain_of(&from);
            one.holds(|d| super::customers::domain_matches(d, &domain))
        }
        Condition::Organisation(one) => {
            let org = s.organisations.of_address(&sender());
            one.holds(|name| {
                org.as_ref().is_some_and(|o| {
                    o.name.eq_ignore_ascii_case(name) || o.domains.iter().any(|d| d == name)
                })
            })
        }
        Condition::To(one) => one.holds(|a| s.to.iter().any(|t| t.eq_ignore_ascii_case(a))),
        Condition::Cc(want) => ticket.cc.is_empty() != *want,
        Condition::Status(one) => one.holds(|st| *st == ticket.status),
        Condition::Priority(one) => one.holds(|p| *p == ticket.priority),
        Condition::Tags(one) => {
            // Every wanted tag, none of the refused ones.
            one.want.iter().all(|t| has_tag(ticket, t))
                && !one.refuse.iter().any(|t| has_tag(ticket, t))
        }
        Condition::Group(one) => one.holds(|g| *g == ticket.group),
        Condition::Department(one) => one.holds(|d| *d == ticket.department),
        Condition::Assignee(one) => one.holds(|a| *a == ticket.assignee),
        Condition::Field(name, one) => {
            let value = ticket.fields.get(name).map(|v| v.to_string());
            one.holds(|v| *v == value)
        }
        Condition::Channel(c) => *c == s.channel,
        Condition::CustomerMessages(cmp) => cmp.holds(ticket.customer_messages),
        Condition::BusinessHours(want) => is_open(s.hours, s.now) == *want,
        Condition::LastFrom(side) => last_from(ticket) == Some(*side),
        Condition::SinceCustomer(secs) => at_least(ticket.last_customer_at, *secs),
        Condition::SinceAgent(secs) => at_least(ticket.last_agent_at.or(ticket.created_at), *secs),
        Condition::Idle(secs) => at_least(last_message(ticket), *secs),
        Condition::PendingFor(secs) => {
            ticket.status == Status::Pending && at_least(ticket.status_since, *secs)
        }
        Condition::UnansweredFor(secs) => {
            last_from(ticket) == Some(Side::Customer) && at_least(ticket.last_customer_at, *secs)
        }
        Condition::TaskOverdue(want) => ticket.tasks.iter().any(|t| t.is_overdue(s.now)) == *want,
    }
}

/// The last message either way, or the opening.
pub fn last_message(ticket: &Ticket) -> Option<Timestamp> {
    ticket
        .last_customer_at
        .max(ticket.last_agent_at)
        .or(ticket.created_at)
}

/// Who wrote the last message: the customer (their first message
/// counts) or an agent (a public reply).
pub fn last_from(ticket: &Ticket) -> Option<Side> {
    last_side(ticket.last_customer_at, ticket.last_agent_at)
}

/// [`last_from`] given the times of the customer's last message and of
/// the last public reply, for views of a ticket that keep only those.
pub fn last_side(customer_at: Option<Timestamp>, agent_at: Option<Timestamp>) -> Option<Side> {
    match (customer_at, agent_at) {
        (Some(c), Some(a)) if a >= c => Some(Side::Agent),
        (Some(_), _) => Some(Side::Customer),
        (None, Some(_)) => Some(Side::Agent),
        (None, None) => None,
    }
}

fn is_open(hours: &Hours, at: Timestamp) -> bool {
    match hours {
        Hours::Calendar => true,
        Hours::Business(schedule) => schedule.business_seconds_between(at, at.plus_seconds(1)) > 0,
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The rules that fire for `situation`, in order, skipping those in
/// `fired` (already fired on this ticket in this run) and ending after
/// the first that stops.
pub fn decide<'b>(
    book: &'b RuleBook,
    ticket: &Ticket,
    situation: &Situation<'_>,
    fired: &[String],
) -> Vec<&'b Rule> {
    let mut out = Vec::new();
    for rule in &book.rules {
        if should_fire(rule, ticket, situation, fired) {
            out.push(rule);
            if rule.stops() {
                break;
            }
        }
    }
    out
}

/// Whether `rule` fires on `ticket` in `situation`: it waits for the
/// event, has not fired in this run (`fired`), an idle rule has not
/// fired in this quiet spell, and its conditions hold.
pub fn should_fire(
    rule: &Rule,
    ticket: &Ticket,
    situation: &Situation<'_>,
    fired: &[String],
) -> bool {
    rule.on.contains(&situation.trigger)
        && !fired.contains(&rule.name)
        && (situation.trigger != Trigger::Idle || idle_again(rule, ticket))
        && holds(&rule.when, ticket, situation)
}

/// An idle rule fires once per quiet spell: not again until someone
/// wrote after its last firing.
fn idle_again(rule: &Rule, ticket: &Ticket) -> bool {
    match ticket
        .rules_fired
        .get(&rule.name)
        .and_then(|times| times.last())
    {
        None => true,
        Some(last) => last_message(ticket).is_some_and(|m| m > *last),
    }
}

/// Why a rule did or did not fire, for `tix rules test`: the first
/// condition that failed, spelled as in the config.
pub fn explain(when: &Condition, ticket: &Ticket, s: &Situation<'_>) -> Option<String> {
    match when {
        Condition::All(all) => all.iter().find_map(|c| explain(c, ticket, s)),
        other if holds(other, ticket, s) => None,
        other => Some(describe(other)),
    }
}

/// A condition in a few words.
pub fn describe(c: &Condition) -> String {
    fn list<T: fmt::Debug>(one: &OneOf<T>, show: impl Fn(&T) -> String) -> String {
        let mut parts: Vec<String> = one.want.iter().map(&show).collect();
        parts.extend(one.refuse.iter().map(|v| format!("!{}", show(v))));
        parts.join(", ")
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    let secs = super::duration::spell_seconds;
    match c {
        Condition::All(all) => all.iter().map(describe).collect::<Vec<_>>().join(" and "),
        Condition::Any(any) => format!(
            "any of ({})",
            any.iter().map(describe).collect::<Vec<_>>().join("; ")
        ),
        Condition::Not(c) => format!("not ({})", describe(c)),
        Condition::Subject(p) => format!("subject ~ {}", p.source()),
        Condition::Body(p) => format!("body ~ {}", p.source()),
        Condition::Text(p) => format!("text ~ {}", p.source()),
        Condition::From(o) => format!("from: {}", list(o, Clone::clone)),
        Condition::FromDomain(o) => format!("from-domain: {}", list(o, Clone::clone)),
        Condition::Organisation(o) => format!("customer-org: {}", list(o, Clone::clone)),
        Condition::To(o) => format!("to: {}", list(o, Clone::clone)),
        Condition::Cc(b) => format!("cc: {b}"),
        Condition::Status(o) => format!("status: {}", list(o, |s| s.to_string())),
        Condition::Priority(o) => format!("priority: {}", list(o, |p| p.to_string())),
        Condition::Tags(o) => format!("tag: {}", list(o, Clone::clone)),
        Condition::Group(o) => format!("group: {}", list(o, opt)),
        Condition::Department(o) => format!("department: {}", list(o, opt)),
        Condition::Assignee(o) => format!("assignee: {}", list(o, opt)),
        Condition::Field(n, o) => format!("field {n}: {}", list(o, opt)),
        Condition::Channel(ch) => format!("channel: {}", ch.as_str()),
        Condition::CustomerMessages(cmp) => format!("customer-messages: {cmp:?}"),
        Condition::BusinessHours(b) => format!("business-hours: {b}"),
        Condition::LastFrom(side) => format!(
            "last-from: {}",
            match side {
                Side::Customer => "customer",
                Side::Agent => "agent",
            }
        ),
        Condition::SinceCustomer(s) => format!("since-customer: {}", secs(*s)),
        Condition::SinceAgent(s) => format!("since-agent: {}", secs(*s)),
        Condition::Idle(s) => format!("idle: {}", secs(*s)),
        Condition::PendingFor(s) => format!("pending-for: {}", secs(*s)),
        Condition::UnansweredFor(s) => format!("unanswered-for: {}", secs(*s)),
        Condition::TaskOverdue(b) => format!("task-overdue: {b}"),
    }
}

fn has_tag(ticket: &Ticket, tag: &str) -> bool {
    ticket.tags.iter().any(|t| super::ticket::same_tag(t, tag))
}

/// Whether `rule` could fire on `ticket` for `idle` as the index holds
/// it, before the ticket is read in full: a rule with a text condition
/// needs the text, so only its quiet spell is checked.
pub fn may_fire_idle(rule: &Rule, ticket: &Ticket, situation: &Situation<'_>) -> bool {
    if !rule.on.contains(&Trigger::Idle) || !idle_again(rule, ticket) {
        return false;
    }
    reads_text(&rule.when) || holds(&rule.when, ticket, situation)
}

fn reads_text(c: &Condition) -> bool {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().any(reads_text),
        Condition::Not(c) => reads_text(c),
        Condition::Body(_) | Condition::Text(_) | Condition::From(_) | Condition::To(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::Event;
    use crate::domain::id::TicketId;
    use crate::domain::party::Party;
    use crate::domain::ticket::{StoredEntry, fold};

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn entry(when: &str, seq: u64, author: &str, event: Event, body: &str) -> StoredEntry {
        StoredEntry {
            file: format!("{seq}.md"),
            entry: Entry {
                at: at(when),
                seq,
                author: author.into(),
                by: None,
                rule: None,
                event,
                body: body.into(),
            },
        }
    }

    fn ticket() -> Ticket {
        let ann = Party {
            name: None,
            email: "ann@corp.test".into(),
        };
        let created = Event::Created {
            subject: "Printer".into(),
            customer: ann.clone(),
            cc: Vec::new(),
            priority: Priority::Normal,
            tags: Vec::new(),
            fields: Default::default(),
            channel: None,
            department: None,
            group: None,
        };
        let id: TicketId = "7K3FAB12".parse().unwrap();
        fold(
            id,
            vec![
                entry(
                    "2026-11-02T09:00:00Z",
                    1,
                    "ann@corp.test",
                    created,
                    "broken",
                ),
                entry(
                    "2026-11-02T10:00:00Z",
                    2,
                    "alice",
                    Event::Reply { mail: None },
                    "try",
                ),
                entry(
                    "2026-11-03T09:00:00Z",
                    3,
                    "ann@corp.test",
                    Event::Message {
                        from: ann,
                        mail: None,
                    },
                    "still broken",
                ),
            ],
        )
        .0
    }

    #[test]
    fn time_conditions_read_the_last_messages_either_way() {
        let t = ticket();
        assert_eq!(t.customer_messages, 2);
        assert_eq!(last_from(&t), Some(Side::Customer));
        let orgs = crate::domain::config::Organisations {
            mapped: &Default::default(),
            free_mail_domains: &[],
        };
        let s = |now: &str| Situation {
            trigger: Trigger::Idle,
            now: at(now),
            text: "",
            from: None,
            to: &[],
            channel: Channel::Cli,
            hours: &Hours::Calendar,
            organisations: &orgs,
        };
        let day = 86_400;
        assert!(!holds(
            &Condition::UnansweredFor(day),
            &t,
            &s("2026-11-03T20:00:00Z")
        ));
        assert!(holds(
            &Condition::UnansweredFor(day),
            &t,
            &s("2026-11-04T09:00:00Z")
        ));
        assert!(holds(
            &Condition::SinceAgent(day),
            &t,
            &s("2026-11-03T10:00:00Z")
        ));
        assert!(holds(&Condition::Idle(day), &t, &s("2026-11-04T09:00:00Z")));
        assert!(!holds(
            &Condition::Idle(day),
            &t,
            &s("2026-11-04T08:59:59Z")
        ));
        assert!(holds(
            &Condition::Organisation(OneOf {
                want: vec!["corp.test".into()],
                refuse: Vec::new()
            }),
            &t,
            &s("2026-11-04T09:00:00Z")
        ));
        assert!(holds(
            &Condition::Not(Box::new(Condition::Cc(true))),
            &t,
            &s("2026-11-04T09:00:00Z")
        ));
    }

    #[test]
    fn a_new_entry_sets_off_only_what_it_changes() {
        let t = ticket();
        let e = |event: Event| entry("2026-11-04T09:00:00Z", 9, "alice", event, "").entry;
        assert_eq!(
            triggers_of(
                &t,
                &e(Event::Priority {
                    to: Priority::Normal
                })
            ),
            []
        );
        assert_eq!(
            triggers_of(&t, &e(Event::Priority { to: Priority::High })),
            [Trigger::Priority]
        );
        assert_eq!(
            triggers_of(
                &t,
                &e(Event::Tags {
                    add: vec!["x".into()],
                    remove: Vec::new()
                })
            ),
            [Trigger::Tag]
        );
        let mut by_tix = e(Event::Note { mail: None });
        by_tix.author = "tix".into();
        assert_eq!(triggers_of(&t, &by_tix), []);
        assert_eq!(triggers_of(&t, &e(Event::Close {})), [Trigger::Status]);
    }

    #[test]
    fn patterns_are_bounded() {
        assert!(Pattern::parse(&"a".repeat(MAX_PATTERN_BYTES + 1)).is_err());
        assert!(
            !Pattern::parse("(a+)+$")
                .unwrap()
                .is_match(&format!("{}b", "a".repeat(10_000)))
        );
        assert!(Pattern::parse("a{100000}").is_err());
    }
}
