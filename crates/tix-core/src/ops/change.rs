//! The plain changes of one ticket (assignee, status, priority, tags) as
//! drafts planned against its state, with their checks: what `tix
//! assign`, `tix status`, `tix priority`, `tix tag`/`untag` and the
//! commands of an agent's e-mail all write, so the policy is in one place.
//! An empty plan means there is nothing to change.

use crate::domain::{Config, Event, Priority, Status, Ticket, same_tag};
use crate::error::Result;

use super::{Draft, check_assignee, check_tag};

/// Who an assignment names: `None` is nobody, `me` the acting agent
/// (`acting`), any other name an agent checked by [`check_assignee`].
pub fn assign(
    config: &Config,
    acting: &str,
    ticket: &Ticket,
    who: Option<&str>,
) -> Result<Vec<Draft>> {
    let to = match who {
        None => None,
        Some(me) if me.eq_ignore_ascii_case("me") => Some(acting.to_string()),
        Some(who) => Some(check_assignee(config, who)?),
    };
    Ok(if to == ticket.assignee {
        vec![]
    } else {
        vec![Draft::new(Event::Assign { to })]
    })
}

/// A status other than closed (a close is [`super::close::drafts`]).
pub fn status(ticket: &Ticket, to: Status) -> Vec<Draft> {
    if ticket.status == to {
        return vec![];
    }
    vec![Draft::new(Event::Status {
        to,
        from: Some(ticket.status),
    })]
}

/// Moves `ticket` to department `to` (None: out of its department), with
/// `why` as the entry's text.
pub fn department(ticket: &Ticket, to: Option<&str>, why: &str) -> Vec<Draft> {
    if ticket.department.as_deref() == to {
        return vec![];
    }
    let event = Event::Department {
        to: to.map(str::to_string),
    };
    if why.trim().is_empty() {
        vec![Draft::new(event)]
    } else {
        vec![Draft::with_body(event, format!("{}\n", why.trim_end()))]
    }
}

pub fn priority(ticket: &Ticket, to: Priority) -> Vec<Draft> {
    if ticket.priority == to {
        return vec![];
    }
    vec![Draft::new(Event::Priority { to })]
}

/// Puts `to` in the place of `from` on `ticket` (both checked by the
/// caller): nothing when the ticket lacks `from`; the ticket's own
/// spelling of `from` is what is removed, and `to` is added unless the
/// ticket has it already. A change of spelling alone is two entries,
/// the removal first, since one entry adds before it removes and the
/// two spellings are one tag.
pub fn retag(ticket: &Ticket, from: &str, to: &str) -> Vec<Draft> {
    let Some(have) = ticket.tags.iter().find(|t| same_tag(t, from)) else {
        return vec![];
    };
    if same_tag(from, to) {
        if have == to {
            return vec![];
        }
        return vec![
            Draft::new(Event::Tags {
                add: vec![],
                remove: vec![have.clone()],
            }),
            Draft::new(Event::Tags {
                add: vec![to.to_string()],
                remove: vec![],
            }),
        ];
    }
    let add = if ticket.tags.iter().any(|t| same_tag(t, to)) {
        vec![]
    } else {
        vec![to.to_string()]
    };
    vec![Draft::new(Event::Tags {
        add,
        remove: vec![have.clone()],
    })]
}

/// Adds (`add`) or removes `tags`, each checked by [`check_tag`]; tags the
/// ticket already has (or lacks) are left out, in any case.
pub fn tags(ticket: &Ticket, tags: &[String], add: bool) -> Result<Vec<Draft>> {
    for t in tags {
        check_tag(t)?;
    }
    let mut change: Vec<String> = Vec::new();
    for t in tags {
        let has = ticket.tags.iter().any(|have| same_tag(have, t));
        if has != add && !change.iter().any(|c| same_tag(c, t)) {
            change.push(t.clone());
        }
    }
    if change.is_empty() {
        return Ok(vec![]);
    }
    let event = if add {
        Event::Tags {
            add: change,
            remove: vec![],
        }
    } else {
        Event::Tags {
            add: vec![],
            remove: change,
        }
    };
    Ok(vec![Draft::new(event)])
}
