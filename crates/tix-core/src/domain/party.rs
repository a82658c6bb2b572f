//! A person outside the team: a customer or someone in Cc.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default)]
    pub name: Option<String>,
    pub email: String,
}

/// A missing name is left out of YAML and JSON; binary formats (the
/// derived index) read fields by position, so there it is always written.
impl Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let readable = s.is_human_readable();
        let mut st = s.serialize_struct("Party", 2)?;
        match &self.name {
            None if readable => st.skip_field("name")?,
            name => st.serialize_field("name", name)?,
        }
        st.serialize_field("email", &self.email)?;
        st.end()
    }
}

impl Party {
    /// Parses `Ann Lee <ann@example.com>`, `"Lee, Ann" <ann@example.com>` or a
    /// bare `ann@example.com`.
    pub fn parse(input: &str) -> Result<Party, String> {
        let s = input.trim();
        let (name, email) = match (s.rfind('<'), s.ends_with('>')) {
            (Some(open), true) => {
                let name = s[..open].trim().trim_matches('"').trim();
                let email = s[open + 1..s.len() - 1].trim();
                ((!name.is_empty()).then(|| name.to_string()), email)
            }
            (None, false) => (None, s),
            _ => {
                return Err(format!(
                    "`{input}` is not an address (expected `Name <user@example.com>` or `user@example.com`)"
                ));
            }
        };
        if !is_plausible_email(email) {
            return Err(format!(
                "`{input}` is not an address (expected `Name <user@example.com>` or `user@example.com`)"
            ));
        }
        if let Some(n) = &name
            && n.chars().any(char::is_control)
        {
            return Err(format!(
                "`{input}`: a name cannot contain control characters"
            ));
        }
        Ok(Party {
            name,
            email: email.to_string(),
        })
    }

    /// Addresses compare without regard to case: mail systems treat them so in
    /// practice, and a customer who types their address in capitals is the
    /// same customer.
    pub fn same_address(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email)
    }

    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

fn is_plausible_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !s
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ','))
        }
        None => false,
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{n} <{}>", self.email),
            None => f.write_str(&self.email),
        }
    }
}

/// As in the config's `mail.from`.
impl std::str::FromStr for Party {
    type Err = String;

    fn from_str(input: &str) -> Result<Party, String> {
        Party::parse(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let p = Party::parse("Ann Lee <ann@example.com>").unwrap();
        assert_eq!(p.name.as_deref(), Some("Ann Lee"));
        assert_eq!(p.email, "ann@example.com");
        assert_eq!(p.to_string(), "Ann Lee <ann@example.com>");
        let p = Party::parse("\"Lee, Ann\" <ann@example.com>").unwrap();
        assert_eq!(p.name.as_deref(), Some("Lee, Ann"));
        assert_eq!(Party::parse("bob@x.org").unwrap().name, None);
        assert!(Party::parse("Ann Lee").is_err());
        assert!(Party::parse("<ann@example.com").is_err());
        assert!(Party::parse("a b@c").is_err());
    }
}
