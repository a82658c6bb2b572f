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
use crate::store::layout::{AGENTS_DIR, AVAILABILITY_DIR, BLACKLIST_DIR, GROUPS_DIR};
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
        removed: false,
        at: super::now()?,
        by: actor.handle.clone(),
    };
    commit_agent_record(store, lock, actor, &record, verb)
}

fn commit_agent_record(
    store: &Store,
    lock: &StoreLock,
    actor: &Actor,
    record: &AgentRecord,
    verb: &str,
) -> Result<Committed> {
    let yaml = serde_yaml::to_string(record)
        .map_err(|e| Error::internal(format!("cannot write the agent record: {e}")))?;
    let path = format!("{AGENTS_DIR}/{}", record.file_name(&random_tag(6)?));
    store.commit(
        lock,
        vec![(path, yaml.into_bytes())],
        &format!("tix: agent {verb} {}", record.handle),
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

/// What `tix agent edit` changes; `None` leaves a part as it is.
#[derive(Debug, Default)]
pub struct AgentEdit {
    pub name: Option<String>,
    pub email: Option<String>,
    pub roles: Option<Vec<Role>>,
}

fn refuse_unless_admin(actor: &Actor, what: &str) -> Result<()> {
    if actor.admin {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Denied,
        format!("only an admin can {what}; {} is not one", actor.handle),
    ))
}

/// Changes agent `who`'s name, address or roles (admins only), as a new
/// agent record that replaces the agent where it stands, config-declared
/// or not; returns the agent as recorded and a warning, if any.
pub fn edit_agent(
    store: &Store,
    actor: &Actor,
    who: &str,
    edit: AgentEdit,
) -> Result<(Agent, Option<String>)> {
    refuse_unless_admin(actor, "edit agents")?;
    let lock = store.lock()?;
    let config = store.config();
    let mut agent = config
        .agent(who)
        .cloned()
        .ok_or_else(|| Error::not_found(format!("no agent `{who}` in .tix/config.yaml")))?;
    if let Some(name) = edit.name {
        crate::domain::config::check_person_name(&name)
            .map_err(|e| Error::invalid(format!("--name: {e}")))?;
        agent.name = Some(name);
    }
    if let Some(email) = edit.email {
        let email = crate::domain::Party::parse(&email)
            .map_err(|e| Error::invalid(format!("--email: {e}")))?
            .email;
        if let Some(other) = config
            .agents
            .iter()
            .find(|a| a.handle != agent.handle && a.email.eq_ignore_ascii_case(&email))
        {
            return Err(Error::invalid(format!(
                "--email: {email} already belongs to agent `{}`",
                other.handle
            )));
        }
        agent.email = email;
    }
    if let Some(mut roles) = edit.roles {
        roles.sort_by_key(|r| *r != Role::Admin);
        roles.dedup();
        let admins_left = config
            .agents
            .iter()
            .filter(|a| a.handle != agent.handle && a.is_admin() && !a.inactive)
            .count();
        if agent.is_admin() && !roles.contains(&Role::Admin) && admins_left == 0 {
            return Err(Error::invalid(format!(
                "{} is the only active admin; make someone else admin first",
                agent.handle
            )));
        }
        agent.roles = roles;
    }
    if config.agent(&agent.handle) == Some(&agent) {
        return Err(Error::invalid(format!(
            "nothing to change: agent `{}` is like that already",
            agent.handle
        )));
    }
    let committed = record_agent_as(store, &lock, actor, &agent, "edit")?;
    Ok((agent, committed.warning))
}

/// What counts as an agent's history, found in the derived index and
/// the commits: anything here means the agent stays (deactivated).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AgentHistory {
    /// Commits of HEAD's history authored or committed with their address.
    pub commits: usize,
    /// Tickets with an entry by them, or that were ever assigned to them,
    /// or with a task of theirs.
    pub tickets: usize,
    /// Where the hand-written config names them.
    pub named_in: Option<String>,
}

impl AgentHistory {
    pub fn is_empty(&self) -> bool {
        *self == AgentHistory::default()
    }
}

/// The history of `agent`: commits made as them, and the tickets whose
/// facts name them (assigned, replied, noted, closed, reopened) or whose
/// row does (assignee, a task's assignee).
pub fn agent_history(store: &Store, agent: &Agent) -> Result<AgentHistory> {
    let handle = agent.handle.as_str();
    let mut tickets = std::collections::BTreeSet::new();
    let rows = store.list_rows()?;
    rows.select(|r| {
        if r.assignee == Some(handle) || r.tasks.iter().any(|t| t.assignee == Some(handle)) {
            tickets.insert(r.id);
        }
        false
    })?;
    let facts = match store.report_rows()?.select(None, |_| true) {
        Ok(s) => s,
        Err(_) => store.rebuild_report_rows()?.select(None, |_| true)?,
    };
    for f in &facts.facts {
        let by = |acts: &[crate::domain::facts::Act]| acts.iter().any(|a| a.by == handle);
        if by(&f.replies)
            || by(&f.notes)
            || by(&f.closes)
            || by(&f.reopens)
            || f.assignments
                .iter()
                .any(|a| a.by == handle || a.to.as_deref() == Some(handle))
            || f.tasks
                .iter()
                .any(|t| t.assignee.as_deref() == Some(handle))
        {
            tickets.insert(f.id);
        }
    }
    let named_in =
        crate::domain::records::config_names_agent(&store.hand_written_config()?, handle).or_else(
            || {
                store
                    .config()
                    .groups
                    .iter()
                    .find(|g| g.agents.iter().any(|a| a == handle))
                    .map(|g| format!("group `{}`", g.name))
            },
        );
    Ok(AgentHistory {
        commits: store.commits_by_address(&agent.email)?,
        tickets: tickets.len(),
        named_in,
    })
}

/// Removes agent `who` (admins only), which only an agent without
/// history can be: declared by a record, not by `.tix/config.yaml`,
/// with no commit, ticket or group naming them. Recorded as an agent
/// record with `removed: true`.
pub fn remove_agent(store: &Store, actor: &Actor, who: &str) -> Result<(String, Option<String>)> {
    refuse_unless_admin(actor, "remove agents")?;
    let lock = store.lock()?;
    let agent = store
        .config()
        .agent(who)
        .cloned()
        .ok_or_else(|| Error::not_found(format!("no agent `{who}` in .tix/config.yaml")))?;
    if agent.handle == actor.handle {
        return Err(Error::invalid("you cannot remove yourself"));
    }
    if store
        .hand_written_config()?
        .agents
        .iter()
        .any(|a| a.handle == agent.handle)
    {
        return Err(Error::invalid(format!(
            "agent `{}` is declared in .tix/config.yaml; a record cannot take them out of it",
            agent.handle
        ))
        .with_hint("delete them from .tix/config.yaml and commit it, if they have no history"));
    }
    let history = agent_history(store, &agent)?;
    if !history.is_empty() {
        let mut found = Vec::new();
        if history.commits > 0 {
            found.push(format!(
                "{} commit(s) made as {}",
                history.commits, agent.email
            ));
        }
        if history.tickets > 0 {
            found.push(format!("{} ticket(s) naming them", history.tickets));
        }
        if let Some(place) = &history.named_in {
            found.push(format!("named in {place}"));
        }
        return Err(Error::invalid(format!(
            "agent `{}` has history ({}); only an agent without history can be removed",
            agent.handle,
            found.join(", ")
        ))
        .with_remedy(crate::error::Remedy::DeactivateAgent {
            handle: agent.handle.clone(),
        }));
    }
    let record = AgentRecord {
        format: 1,
        handle: agent.handle.clone(),
        name: agent.name.clone(),
        email: agent.email.clone(),
        roles: agent.roles.clone(),
        signing_key: agent.signing_key.clone(),
        inactive: agent.inactive,
        removed: true,
        at: super::now()?,
        by: actor.handle.clone(),
    };
    let committed = commit_agent_record(store, &lock, actor, &record, "remove")?;
    Ok((agent.handle, committed.warning))
}

/// Creates group `name` with nobody in it (admins only), as a group
/// record; it comes after the config's groups, so in escalation order
/// after them.
pub fn create_group(store: &Store, actor: &Actor, name: &str) -> Result<Option<String>> {
    refuse_unless_admin(actor, "create groups")?;
    if !crate::domain::config::is_valid_handle(name) {
        return Err(Error::invalid(format!(
            "group `{name}`: expected letters, digits, `.`, `_` or `-`"
        )));
    }
    let lock = store.lock()?;
    if store.config().groups.iter().any(|g| g.name == name) {
        return Err(Error::invalid(format!("group `{name}` exists already")));
    }
    let files = group_files(actor, name, &[None], false)?;
    Ok(store
        .commit(
            &lock,
            files,
            &format!("tix: group create {name}"),
            &actor.author(),
        )?
        .warning)
}

/// The most agents one `tix group add|remove` names: far more than a
/// team has, and within what the records' three-digit counter orders.
pub const MAX_MEMBERS_PER_CHANGE: usize = 500;

/// What `tix group add|remove` did.
#[derive(Debug, Default)]
pub struct Membership {
    pub group: String,
    /// The handles changed, in the order given.
    pub changed: Vec<String>,
    pub warnings: Vec<String>,
}

/// Puts `agents` (handles or addresses) into group `name`, or with
/// `remove` takes them out (admins only): one group record per agent, in
/// one commit. A member of the config's group is taken out by a record
/// too; the config file is never edited.
pub fn change_group(
    store: &Store,
    actor: &Actor,
    name: &str,
    agents: &[String],
    remove: bool,
) -> Result<Membership> {
    refuse_unless_admin(actor, "change groups")?;
    if agents.is_empty() {
        return Err(Error::invalid("name at least one agent"));
    }
    if agents.len() > MAX_MEMBERS_PER_CHANGE {
        return Err(Error::invalid(format!(
            "{} agents named; one change names at most {MAX_MEMBERS_PER_CHANGE}",
            agents.len()
        )));
    }
    let lock = store.lock()?;
    let config = store.config();
    let group = config
        .groups
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = config.groups.iter().map(|g| g.name.as_str()).collect();
            Error::not_found(format!(
                "no group `{name}` (groups: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })?;
    let mut done = Membership {
        group: name.to_string(),
        ..Membership::default()
    };
    for who in agents {
        let handle = config
            .agent(who)
            .map(|a| a.handle.clone())
            .ok_or_else(|| Error::not_found(format!("no agent `{who}` in .tix/config.yaml")))?;
        let member = group.agents.contains(&handle);
        if member != remove {
            done.warnings.push(format!(
                "{handle} is {} group {name} already; nothing recorded for them",
                if remove { "not in" } else { "in" }
            ));
        } else if !done.changed.contains(&handle) {
            done.changed.push(handle);
        }
    }
    if done.changed.is_empty() {
        return Ok(done);
    }
    let members: Vec<Option<&str>> = done.changed.iter().map(|h| Some(h.as_str())).collect();
    let files = group_files(actor, name, &members, remove)?;
    let verb = if remove { "remove" } else { "add" };
    let committed = store.commit(
        &lock,
        files,
        &format!("tix: group {name} {verb} {}", done.changed.join(" ")),
        &actor.author(),
    )?;
    done.warnings.extend(committed.warning);
    Ok(done)
}

fn group_files(
    actor: &Actor,
    group: &str,
    agents: &[Option<&str>],
    removed: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let at = super::now()?;
    // One random tag and a counter: the records of one change share `at`,
    // and their names then sort (and fold) in the order given.
    let tag = random_tag(6)?;
    let mut files = Vec::new();
    for (i, agent) in agents.iter().enumerate() {
        let record = crate::domain::records::GroupRecord {
            format: 1,
            group: group.to_string(),
            agent: agent.map(String::from),
            removed,
            at,
            by: actor.handle.clone(),
        };
        let yaml = serde_yaml::to_string(&record)
            .map_err(|e| Error::internal(format!("cannot write the group record: {e}")))?;
        files.push((
            format!("{GROUPS_DIR}/{}", record.file_name(&format!("{tag}{i:03}"))),
            yaml.into_bytes(),
        ));
    }
    Ok(files)
}

/// A group as `tix group list` shows it.
#[derive(Debug, serde::Serialize)]
pub struct GroupListing {
    pub name: String,
    pub members: Vec<GroupMember>,
    /// The group new tickets are assigned in.
    pub assignment: bool,
    /// Open tickets that are with this group (escalated to it).
    pub open_tickets: usize,
}

#[derive(Debug, serde::Serialize)]
pub struct GroupMember {
    pub handle: String,
    /// Deactivated: listed, never chosen.
    pub inactive: bool,
}

/// The groups in force (config and records), in escalation order.
pub fn list_groups(store: &Store) -> Result<Vec<GroupListing>> {
    let config = store.config();
    let mut open: std::collections::HashMap<String, usize> = Default::default();
    store.list_rows()?.select(|r| {
        if let Some(g) = r.group
            && r.status != Status::Closed
        {
            *open.entry(g.to_string()).or_default() += 1;
        }
        false
    })?;
    let assignment = match &config.assignment.group {
        Some(g) => Some(g.as_str()),
        None => config.groups.first().map(|g| g.name.as_str()),
    };
    Ok(config
        .groups
        .iter()
        .map(|g| GroupListing {
            name: g.name.clone(),
            members: g
                .agents
                .iter()
                .map(|h| GroupMember {
                    handle: h.clone(),
                    inactive: config.agent(h).is_some_and(|a| a.inactive),
                })
                .collect(),
            assignment: assignment == Some(g.name.as_str()),
            open_tickets: open.get(&g.name).copied().unwrap_or(0),
        })
        .collect())
}
