//! The team: agents, groups, how tickets are assigned and auto-closed.

use serde::{Deserialize, Serialize};

/// Tickets pending on the customer for `pending_days` are closed by
/// `tix tick`, with `message` (a public reply, e-mailed when sending is
/// configured); with `lock_after_days`, closed tickets are locked that
/// many days after the close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoClose {
    pub pending_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_after_days: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Agent handles, in the order round-robin follows.
    pub agents: Vec<String>,
}

/// The rule new tickets (from `tix create` and from mail) are assigned by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Assignment {
    pub rule: crate::domain::assign::Rule,
    /// The group new tickets go to; default: the first group, or every
    /// agent when there are no groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The most active (not closed) tickets an agent is given by the rule;
    /// when everyone has this many, tickets wait unassigned until a later
    /// `tix tick` finds room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_active: Option<usize>,
}

impl Assignment {
    pub(super) fn is_default(&self) -> bool {
        *self == Assignment::default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Short name used in commands and entries (`tix assign 7K3F bob`).
    pub handle: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// The public key this agent signs commits with: an ssh public key
    /// (`ssh-ed25519 AAAA…`) or an OpenPGP fingerprint, for `signed_commits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
    /// Deactivated (`tix agent deactivate`): their history stays, no rule
    /// chooses them and nobody assigns to them.
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub inactive: bool,
}

impl Agent {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.handle)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Admin,
    Agent,
}

/// Checks a person's name (an agent's, or git's `user.name`): it goes into
/// commit signatures and mail headers, where a line break or another
/// control character would forge a header or make a commit git cannot parse.
pub fn check_person_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("must not be empty (leave it out instead)".into());
    }
    check_identity_part(name)
}

/// The characters no part of a git identity may hold: control characters
/// (C0 with CR and LF, DEL, C1) and the angle brackets that delimit the
/// address in a signature.
pub fn check_identity_part(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{text:?} contains a control character (U+{:04X}); it must be one line of printable text",
            u32::from(c)
        ));
    }
    if text.contains(['<', '>']) {
        return Err(format!(
            "{text:?} contains `<` or `>`, which git signatures cannot hold"
        ));
    }
    Ok(())
}

pub fn is_valid_handle(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !s.starts_with(['.', '-'])
}

/// A handle proposed from an e-mail address: its local part, cleaned.
pub fn handle_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("");
    let cleaned: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches(['.', '-']).to_string();
    if cleaned.is_empty() {
        "agent".into()
    } else {
        cleaned
    }
}

/// Agents, groups and the rules that pick among them.
pub(super) fn validate(config: &super::Config) -> Result<(), String> {
    let mut seen = Vec::new();
    for (i, a) in config.agents.iter().enumerate() {
        if !is_valid_handle(&a.handle) {
            return Err(format!(
                "agents[{i}].handle: `{}` is not a handle (expected letters, digits, `.`, `_`, `-`)",
                a.handle
            ));
        }
        if seen.contains(&a.handle) {
            return Err(format!(
                "agents[{i}].handle: `{}` is declared twice",
                a.handle
            ));
        }
        seen.push(a.handle.clone());
        if let Some(name) = &a.name {
            check_person_name(name).map_err(|e| format!("agents[{i}].name: {e}"))?;
        }
        check_identity_part(&a.email).map_err(|e| format!("agents[{i}].email: {e}"))?;
        if let Some(key) = &a.signing_key
            && (key.trim().is_empty() || key.chars().any(char::is_control))
        {
            return Err(format!(
                "agents[{i}].signing_key: expected one line (an ssh public key or an OpenPGP fingerprint)"
            ));
        }
        if !a.email.contains('@') {
            return Err(format!(
                "agents[{i}].email: `{}` is not an e-mail address",
                a.email
            ));
        }
    }
    let mut group_names = Vec::new();
    for (i, g) in config.groups.iter().enumerate() {
        if !is_valid_handle(&g.name) {
            return Err(format!(
                "groups[{i}].name: `{}` is not a group name",
                g.name
            ));
        }
        if group_names.contains(&&g.name) {
            return Err(format!("groups[{i}].name: `{}` is declared twice", g.name));
        }
        group_names.push(&g.name);
        for a in &g.agents {
            if !config.agents.iter().any(|ag| &ag.handle == a) {
                return Err(format!(
                    "groups[{i}].agents: `{a}` is not one of the agents"
                ));
            }
        }
    }
    if let Some(g) = &config.assignment.group
        && !config.groups.iter().any(|x| &x.name == g)
    {
        return Err(format!("assignment.group: no group `{g}` in groups"));
    }
    if config
        .auto_close
        .as_ref()
        .is_some_and(|a| a.pending_days == 0)
    {
        return Err("auto_close.pending_days: must be at least 1".into());
    }
    if config.assignment.max_active == Some(0) {
        return Err("assignment.max_active: must be at least 1".into());
    }
    Ok(())
}
