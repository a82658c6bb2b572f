//! What commands do, independent of how they parse arguments or print:
//! who is acting, what time it is, and appending entries to tickets with
//! every rule checked under the store lock.

mod write;

mod answered;
pub mod assign;
pub mod automation;
pub mod change;
pub mod close;
pub mod customers;
pub mod duty;
pub mod escalate;
pub mod hooks;
pub mod merge;
pub mod ndjson;
pub mod purge;
pub mod redact;
pub mod tags;
pub mod tasks;
pub mod team;
pub use answered::answered_by_others;
pub use write::{
    Batch, BatchOutcome, Change, Draft, Flushed, HookEvent, MailText, ManyOutcome, NewAttachment,
    NewTicket, Outcome, append, append_many, create_ticket, refuse_if_locked, refuse_if_merged,
    rules_applied,
};

use crate::domain::{Config, Stage, Ticket, Timestamp};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::store::{ActedBy, Author, Store};

/// The handle of the entries tix writes on its own (what a rule did).
pub const SYSTEM_HANDLE: &str = "tix";

/// The agent performing a command.
#[derive(Clone, Debug)]
pub struct Actor {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub admin: bool,
    /// The person at the keyboard, when they act for this agent.
    pub by: Option<Person>,
}

/// Someone identified by the clone's git identity.
#[derive(Clone, Debug)]
pub struct Person {
    /// The agent's handle, or the e-mail address when no agent has it.
    pub handle: String,
    pub name: String,
    pub email: String,
}

impl Actor {
    /// Who the commits are by: the agent acted for, committed by the
    /// person who acted.
    pub fn author(&self) -> Author {
        let mut author = Author::new(self.name.clone(), self.email.clone());
        author.acted_by = self.by.as_ref().map(|by| ActedBy {
            name: by.name.clone(),
            email: by.email.clone(),
            note: format!(
                "On behalf of {} by {} <{}>.",
                self.handle, by.handle, by.email
            ),
        });
        author
    }
}

/// Who is acting: `--as` (or `TIX_AGENT`), else git's `user.email`. The
/// result must be an agent declared in the config unless the config allows
/// unknown agents.
///
/// Acting as another agent than the clone's own (git's `user.email` when
/// an agent is declared with it) is for admins, and is recorded: the
/// actor carries the person in `by`. A clone whose git identity is no
/// declared agent's (none at all, as for a cron job or an MTA, or an
/// address no agent has) is bound to no agent, so the agent named is who
/// acts; any git identity it has is still recorded as the committer.
pub fn resolve_actor(store: &Store, explicit: Option<&str>) -> Result<Actor> {
    let (git_name, git_email) = store.git_identity();
    let git_email = git_email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    let Some(who) = explicit.map(str::trim).filter(|s| !s.is_empty()) else {
        let who = git_email.ok_or_else(|| {
            Error::new(
                ErrorKind::Denied,
                "cannot tell who you are: no acting agent named and no git user.email",
            )
            .with_remedy(Remedy::NameActor)
        })?;
        return actor_from_config(store.config(), &who, git_name);
    };
    let mut actor = actor_from_config(store.config(), who, git_name.clone())?;
    let Some(email) = git_email else {
        return Ok(actor);
    };
    let config = store.config();
    let person = match config.agent(&email) {
        Some(own) => {
            if own.handle == actor.handle {
                return Ok(actor);
            }
            if !own.is_admin() {
                return Err(Error::new(
                    ErrorKind::Denied,
                    format!(
                        "{} (git user.email {email}) cannot act as {}: only an admin can act for another agent",
                        own.handle, actor.handle
                    ),
                )
                .with_remedy(Remedy::ActAsYourself {
                    handle: own.handle.clone(),
                }));
            }
            Person {
                handle: own.handle.clone(),
                name: own.display_name().to_string(),
                email: own.email.clone(),
            }
        }
        None if email.eq_ignore_ascii_case(&actor.email) => return Ok(actor),
        None => Person {
            handle: email.clone(),
            name: git_name.unwrap_or_else(|| email.clone()),
            email,
        },
    };
    actor.by = Some(person);
    Ok(actor)
}

pub fn actor_from_config(
    config: &Config,
    who: &str,
    fallback_name: Option<String>,
) -> Result<Actor> {
    if let Some(agent) = config.agent(who) {
        return Ok(Actor {
            handle: agent.handle.clone(),
            name: agent.display_name().to_string(),
            email: agent.email.clone(),
            admin: agent.is_admin(),
            by: None,
        });
    }
    if config.allow_unknown_agents {
        let email = if who.contains('@') {
            who.to_string()
        } else {
            format!("{who}@localhost")
        };
        return Ok(Actor {
            handle: who.to_string(),
            name: fallback_name.unwrap_or_else(|| who.to_string()),
            email,
            admin: false,
            by: None,
        });
    }
    let known: Vec<_> = config.agents.iter().map(|a| a.handle.as_str()).collect();
    Err(Error::new(
        ErrorKind::Denied,
        format!(
            "`{who}` is not an agent of this store (agents: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ),
    )
    .with_remedy(Remedy::AddAgentOrActAsAnother))
}

/// The current time, or `TIX_NOW` when set (for tests and dry runs).
pub fn now() -> Result<Timestamp> {
    match std::env::var("TIX_NOW") {
        Ok(s) if !s.trim().is_empty() => Timestamp::parse_rfc3339(s.trim()).ok_or_else(|| {
            Error::invalid(format!(
                "TIX_NOW=`{s}` is not an RFC 3339 time (expected e.g. 2026-11-23T09:00:00Z)"
            ))
        }),
        _ => Ok(Timestamp::new(chrono::Utc::now())),
    }
}

/// Checks an agent handle given as an assignee.
pub fn check_assignee(config: &Config, who: &str) -> Result<String> {
    match config.agent(who) {
        Some(a) if a.inactive => Err(Error::invalid(format!(
            "agent `{}` is deactivated; an admin can `tix agent activate {}`",
            a.handle, a.handle
        ))),
        Some(a) => Ok(a.handle.clone()),
        None if config.allow_unknown_agents => Ok(who.to_string()),
        None => {
            let known: Vec<_> = config.agents.iter().map(|a| a.handle.as_str()).collect();
            Err(
                Error::not_found(format!("no agent `{who}` (agents: {})", known.join(", ")))
                    .with_remedy(Remedy::AddAgent),
            )
        }
    }
}

/// The department called `name`, or an error listing the declared ones.
pub fn check_department<'c>(
    config: &'c Config,
    name: &str,
) -> Result<&'c crate::domain::config::Department> {
    config
        .mail
        .department(name)
        .ok_or_else(|| Error::not_found(config.mail.no_department(name)))
}

/// Refuses to close `ticket` while a field required at close has no
/// value (counting the values in `being_set`, written in the same commit).
pub fn check_closable(config: &Config, ticket: &Ticket, being_set: &[String]) -> Result<()> {
    let missing: Vec<_> = config
        .required_fields(Stage::Close)
        .filter(|d| !ticket.fields.contains_key(&d.name) && !being_set.contains(&d.name))
        .map(|d| {
            if d.choices.is_empty() {
                d.name.clone()
            } else {
                format!("{} (one of {})", d.name, d.choices.join(", "))
            }
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "ticket {} cannot be closed without: {}",
        ticket.id,
        missing.join(", ")
    ))
    .with_remedy(Remedy::GiveFieldsAtClose {
        ticket: ticket.id.to_string(),
    }))
}

/// Checks a subject: one line, not blank. Leading spaces and tabs are kept
/// as typed.
pub fn check_subject(subject: &str) -> Result<()> {
    if subject.trim().is_empty() {
        return Err(Error::invalid("subject: must not be empty"));
    }
    if subject.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(
            "subject: must be one line without control characters (tabs are allowed)",
        ));
    }
    Ok(())
}

/// Checks a tag: a word without spaces, commas or control characters.
pub fn check_tag(tag: &str) -> Result<()> {
    crate::domain::names::check_tag(tag).map_err(Error::invalid)
}
