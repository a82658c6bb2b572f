//! The team's state as the assignment rules see it, derived from the
//! store: loads and the newest assignment from the derived index's list
//! rows, absences from `.tix/availability/`.

use crate::domain::assign::{self, TeamState};
use crate::domain::availability::{AvailabilityRecord, away_at};
use crate::domain::config::BlacklistEntry;
use crate::domain::records::{AgentRecord, BlacklistRecord};
use crate::domain::{Agent, Role};
use crate::domain::{Config, Status, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::store::layout::{AGENTS_DIR, AVAILABILITY_DIR, BLACKLIST_DIR};
use crate::store::{Committed, StoreLock};
use crate::store::{Store, random_tag};

use super::Actor;

/// Every availability record at HEAD, with its file name. Unreadable
/// files are skipped here and reported by `tix check`.
pub fn availability_records(store: &Store) -> Result<Vec<(String, AvailabilityRecord)>> {
    Ok(store
        .read_dir_files(AVAILABILITY_DIR)?
        .into_iter()
        .filter_map(|(name, bytes)| {
            let text = String::from_utf8(bytes).ok()?;
            let record = serde_yaml::from_str(&text).ok()?;
            Some((name, record))
        })
        .collect())
}

/// Availability files that cannot be read, as `path: problem`.
pub fn check_availability(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (name, bytes) in store.read_dir_files(AVAILABILITY_DIR)? {
        let path = format!("{AVAILABILITY_DIR}/{name}");
        let parsed = String::from_utf8(bytes)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(|t| {
                serde_yaml::from_str::<AvailabilityRecord>(&t).map_err(|e| e.to_string())
            });
        match parsed {
            Err(e) => problems.push(format!("{path}: {e}")),
            Ok(r) if !store.config().agents.iter().any(|a| a.handle == r.agent) => {
                problems.push(format!("{path}: `{}` is not one of the agents", r.agent))
            }
            Ok(_) => {}
        }
    }
    Ok(problems)
}

/// Loads, the newest assignment and who is away, as of `now`.
pub fn team_state(store: &Store, now: Timestamp) -> Result<TeamState> {
    let rows = store.list_rows()?;
    let select = |rows: &crate::store::ListRows| -> Result<TeamState> {
        let mut state = TeamState::default();
        rows.select(|r| {
            if let Some(a) = r.assignee
                && let Some(at) = r.assigned_at.or(r.created_at)
            {
                state.count(a, at, r.status != Status::Closed);
            }
            for task in &r.tasks {
                if let Some(a) = task.assignee {
                    *state.open_tasks.entry(a.to_string()).or_default() += 1;
                }
            }
            false
        })?;
        Ok(state)
    };
    // Counted afresh from rebuilt rows when the saved ones are unreadable,
    // so nothing is counted twice.
    let mut state = match select(&rows) {
        Ok(state) => state,
        Err(_) => select(&store.rebuild_list_rows()?)?,
    };
    state.away = away_at(&availability_records(store)?, now);
    // Deactivated agents are away for good, for every rule that chooses.
    for a in store.config().agents.iter().filter(|a| a.inactive) {
        state.away.insert(a.handle.clone(), None);
    }
    Ok(state)
}

/// The agent the configured rule gives a new ticket (one starting in
/// `group`, if it does), if any.
pub fn choose_agent(
    config: &Config,
    state: &TeamState,
    group: Option<&str>,
) -> Result<Option<String>> {
    let rule = config.assignment.rule;
    if rule == assign::Rule::None {
        return Ok(None);
    }
    let mut random = [0u8; 8];
    getrandom::fill(&mut random)
        .map_err(|e| Error::internal(format!("no random numbers from the system: {e}")))?;
    Ok(assign::choose(
        rule,
        &config.assignment_members(group),
        config.assignment.max_active,
        state,
        u64::from_le_bytes(random),
    ))
}

/// Records that `agent` is away (until `until`) or back, as one commit;
/// returns a warning when the work tree could not be updated.
pub fn record_availability(
    store: &Store,
    actor: &Actor,
    agent: &str,
    away: bool,
    until: Option<Timestamp>,
) -> Result<Option<String>> {
    let lock = store.lock()?;
    let record = AvailabilityRecord {
        format: 1,
        agent: agent.to_string(),
        away,
        until,
        at: super::now()?,
        by: actor.handle.clone(),
    };
    let yaml = serde_yaml::to_string(&record)
        .map_err(|e| Error::internal(format!("cannot write the availability record: {e}")))?;
    let path = format!("{AVAILABILITY_DIR}/{}", record.file_name(&random_tag(6)?));
    let verb = if away { "away" } else { "back" };
    let committed = store.commit(
        &lock,
        vec![(path, yaml.into_bytes())],
        &format!("tix: agent {verb} {agent}"),
        &actor.author(),
    )?;
    Ok(committed.warning)
}

/// Records `agent` (new, or replacing the one of that handle) as one
/// commit under `lock`; `.tix/config.yaml` is left as it is.
pub fn record_agent(
    store: &Store,
    lock: &StoreLock,
    actor: &Actor,
    agent: &Agent,
) -> Result<Committed> {
    record_agent_as(store, lock, actor, agent, "add")
}

/// [`record_agent`] with the commit saying `verb` (`deactivate`,
/// `activate`).
pub fn record_agent_as(
    store: &Store,
    lock: &StoreLock,
    actor: &Actor,
    agent: &Agent,
    verb: &str,
) -> Result<Committed> {
    let mut roles: Vec<Role> = agent.roles.clone();
    roles.dedup();
    let record = AgentRecord {
        format: 1,
        handle: agent.handle.clone(),
        name: agent.name.clone(),
        email: agent.email.clone(),
        roles,
        signing_key: agent.signing_key.clone(),
        inactive: agent.inactive,
        at: super::now()?,
        by: actor.handle.clone(),
    };
    let yaml = serde_yaml::to_string(&record)
        .map_err(|e| Error::internal(format!("cannot write the agent record: {e}")))?;
    let path = format!("{AGENTS_DIR}/{}", record.file_name(&random_tag(6)?));
    store.commit(
        lock,
        vec![(path, yaml.into_bytes())],
        &format!("tix: agent {verb} {}", agent.handle),
        &actor.author(),
    )
}

/// Records blacklist changes (an entry, and whether it is removed) as one
/// commit under `lock` with `message`; refused unless `actor` is an admin.
pub fn record_blacklist(
    store: &Store,
    lock: &StoreLock,
    actor: &Actor,
    changes: &[(BlacklistEntry, bool)],
    message: &str,
) -> Result<Committed> {
    refuse_blacklist_change(actor)?;
    let files = blacklist_files(actor, changes, super::now()?)?;
    store.commit(lock, files, message, &actor.author())
}

/// Changing the blacklist is for admins: it decides whose mail is never
/// read.
pub fn refuse_blacklist_change(actor: &Actor) -> Result<()> {
    if actor.admin {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Denied,
        format!(
            "only an admin can change the blacklist; {} is not one",
            actor.handle
        ),
    ))
}

/// A sender as the blacklist keeps it (lower case), or why `given` is none.
pub fn blacklist_sender(given: &str) -> Result<String> {
    let sender = given.trim().to_ascii_lowercase();
    if sender.is_empty() || sender.contains(char::is_whitespace) || sender.ends_with('@') {
        return Err(Error::invalid(format!(
            "`{given}` is not an address or a domain (expected spam@example.com or example.com)"
        )));
    }
    Ok(sender)
}

/// The record files of `changes` (each an entry and whether it is
/// removed) made by `actor` at `at`, to commit.
pub fn blacklist_files(
    actor: &Actor,
    changes: &[(BlacklistEntry, bool)],
    at: Timestamp,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (entry, removed) in changes {
        let record = BlacklistRecord {
            format: 1,
            sender: entry.sender.clone(),
            subject: entry.subject.clone(),
            removed: *removed,
            at,
            by: actor.handle.clone(),
        };
        let yaml = serde_yaml::to_string(&record)
            .map_err(|e| Error::internal(format!("cannot write the blacklist record: {e}")))?;
        let path = format!("{BLACKLIST_DIR}/{}", record.file_name(&random_tag(6)?));
        files.push((path, yaml.into_bytes()));
    }
    Ok(files)
}

/// What `tix agent deactivate|activate` did.
#[derive(Debug, Default)]
pub struct Activation {
    pub handle: String,
    /// With a reassignment: each open ticket of theirs, and who has it now.
    pub reassigned: Vec<(crate::domain::TicketId, Option<String>)>,
    pub warnings: Vec<String>,
}

/// Deactivates (or activates again) agent `who`, admins only, recorded as
/// an agent record; with `reassign`, their open tickets then go to others
/// by the assignment rule (or to nobody) in one more commit.
pub fn set_active(
    store: &Store,
    actor: &Actor,
    who: &str,
    active: bool,
    reassign: bool,
) -> Result<Activation> {
    if !actor.admin {
        return Err(Error::new(
            crate::error::ErrorKind::Denied,
            format!(
                "only an admin can {} agents; {} is not one",
                if active { "activate" } else { "deactivate" },
                actor.handle
            ),
        ));
    }
    let config = store.config();
    let mut agent = config
        .agent(who)
        .cloned()
        .ok_or_else(|| Error::not_found(format!("no agent `{who}` in .tix/config.yaml")))?;
    if agent.handle == actor.handle && !active {
        return Err(Error::invalid("you cannot deactivate yourself"));
    }
    let mut done = Activation {
        handle: agent.handle.clone(),
        ..Activation::default()
    };
    if agent.inactive != active {
        done.warnings.push(format!(
            "{} is {} already; nothing recorded",
            agent.handle,
            if active { "active" } else { "deactivated" }
        ));
    } else {
        agent.inactive = !active;
        let lock = store.lock()?;
        let committed = record_agent_as(
            store,
            &lock,
            actor,
            &agent,
            if active { "activate" } else { "deactivate" },
        )?;
        done.warnings.extend(committed.warning);
    }
    if !reassign {
        return Ok(done);
    }
    let now = super::now()?;
    let mut team = team_state(store, now)?;
    team.away.insert(agent.handle.clone(), None);
    let rows = store.list_rows()?;
    let mut theirs = Vec::new();
    rows.select(|r| {
        if r.assignee == Some(agent.handle.as_str()) && r.status != Status::Closed {
            theirs.push((r.id, r.group.map(str::to_string)));
        }
        false
    })?;
    let mut batch = super::Batch::begin(store)?;
    for (id, group) in theirs {
        let choice = super::assign::assign(
            config,
            &team,
            group.as_deref(),
            super::assign::Occasion::WaitingForRoom,
        )?;
        let to = choice.as_ref().map(|c| c.agent.clone());
        let planned = batch.append(actor, id, "assign", |t| {
            if t.assignee.as_deref() != Some(agent.handle.as_str()) {
                return Ok(Vec::new());
            }
            Ok(vec![match &choice {
                Some(c) => c.draft.clone(),
                None => super::Draft::with_body(
                    crate::domain::Event::Assign { to: None },
                    format!(
                        "{} was deactivated; nobody was free to take it.",
                        agent.handle
                    ),
                ),
            }])
        });
        match planned {
            Ok(Some(_)) => {
                if let Some(a) = &to {
                    team.record(a, now);
                }
                done.reassigned.push((id, to));
            }
            Ok(None) => {}
            Err(e) => done
                .warnings
                .push(format!("{id}: not reassigned: {}", e.message())),
        }
    }
    if let Some(c) = batch.commit(&actor.author(), "reassign")? {
        done.warnings.extend(c.warnings);
    }
    Ok(done)
}
