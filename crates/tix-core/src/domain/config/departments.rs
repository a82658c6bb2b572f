//! `mail.departments`: support addresses with a team, a sender and words
//! of their own (billing@, sales@, support@ on one store).
//!
//! A ticket belongs to at most one department, decided when it opens (by
//! the address its first mail came to, or `tix create --department`) and
//! changed only by a `department` entry. The department is recorded in
//! the trail, so every clone files, reports and answers alike whatever its
//! config said at the time.

use serde::{Deserialize, Serialize};

use super::is_valid_handle;
use crate::domain::duration::Spelled;
use crate::domain::party::Party;

/// The most departments a config may declare.
pub const MAX_DEPARTMENTS: usize = 64;
/// The longest signature, in bytes.
pub const MAX_SIGNATURE_BYTES: usize = 4096;

/// One department. Its order in the list decides which one a message
/// addressed to several departments is filed to: the first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// A handle-like name (`billing`): in entries, filters and reports.
    pub name: String,
    /// The addresses whose mail opens tickets in it. They are support
    /// addresses: never recorded as participants.
    pub addresses: Vec<String>,
    /// The From of mail about its tickets; default: its first address,
    /// named after the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spelled<Party>>,
    /// The group its new tickets go to: the assignment rule chooses among
    /// that group's agents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The sign-off of its mail (`{{signature}}`; the built-in reply
    /// template ends with it). Default: the team's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Whether its new tickets get the auto-responder's acknowledgement;
    /// default: as `mail.auto_reply.enabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_reply: Option<bool>,
}

impl Department {
    /// Whether mail to `email` is mail to this department.
    pub fn has_address(&self, email: &str) -> bool {
        self.addresses.iter().any(|a| a.eq_ignore_ascii_case(email))
    }

    /// The From of its mail, given the team's name.
    pub fn sender(&self, team: Option<&str>) -> Party {
        match &self.from {
            Some(from) => from.value().clone(),
            None => Party {
                name: team.map(str::to_string),
                email: self.addresses[0].clone(),
            },
        }
    }
}

/// Checks the departments on their own; which groups exist is checked
/// with the rest of the config.
pub(super) fn validate(departments: &[Department], addresses: &[String]) -> Result<(), String> {
    if departments.len() > MAX_DEPARTMENTS {
        return Err(format!(
            "mail.departments: {} departments; at most {MAX_DEPARTMENTS}",
            departments.len()
        ));
    }
    for (i, d) in departments.iter().enumerate() {
        let key = format!("mail.departments[{i}]");
        if !is_valid_handle(&d.name) {
            return Err(format!(
                "{key}.name: `{}` is not a department name (expected letters, digits, `.`, `_`, `-`)",
                d.name
            ));
        }
        if let Some(j) = departments[..i].iter().position(|o| o.name == d.name) {
            return Err(format!(
                "{key}.name: `{}` is already the name of mail.departments[{j}]",
                d.name
            ));
        }
        if d.addresses.is_empty() {
            return Err(format!(
                "{key}.addresses: department `{}` needs at least one address",
                d.name
            ));
        }
        for a in &d.addresses {
            if Party::parse(a).map(|p| p.email != *a).unwrap_or(true) {
                return Err(format!(
                    "{key}.addresses: `{a}` is not a bare e-mail address (like billing@example.com)"
                ));
            }
            if addresses.iter().any(|m| m.eq_ignore_ascii_case(a)) {
                return Err(format!(
                    "{key}.addresses: `{a}` is also in mail.addresses; an address belongs to \
                     one department or to none"
                ));
            }
            if let Some(other) = departments[..i].iter().find(|o| o.has_address(a)) {
                return Err(format!(
                    "{key}.addresses: `{a}` already belongs to department `{}`",
                    other.name
                ));
            }
        }
        if let Some(s) = &d.signature
            && s.len() > MAX_SIGNATURE_BYTES
        {
            return Err(format!(
                "{key}.signature: {} bytes; at most {MAX_SIGNATURE_BYTES}",
                s.len()
            ));
        }
    }
    Ok(())
}
