//! The people outside the team as the trail shows them: who took part in
//! a ticket (its customer, its Cc, everyone whose message it holds), under
//! which names and when, and which organisation an address belongs to.
//!
//! An address is one person whatever its case: the whole address is
//! folded to lower case (ASCII), as the fold already compares Cc and
//! participants. Nothing else is folded: dots and `+tags` can be separate
//! mailboxes on some providers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::Organisations;
use super::entry::Event;
use super::party::Party;
use super::ticket::{Ticket, TrailItem};
use super::time::Timestamp;

/// How a person took part in a ticket, strongest first: the customer,
/// someone in Cc (now), or someone who only wrote to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Customer,
    Cc,
    Sender,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Cc => "cc",
            Role::Sender => "sender",
        }
    }
}

/// One person in one ticket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// The address folded as [`address_key`] folds it.
    pub key: String,
    /// The address as last written.
    pub email: String,
    pub role: Role,
    /// Names seen with the address, each with the last time it was seen,
    /// newest first.
    pub names: Vec<(Timestamp, String)>,
    /// The first and last entry naming the person: the ticket's creation
    /// with them as customer or in Cc, their messages, their addition to
    /// Cc.
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

/// The form in which addresses are compared.
pub fn address_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// A fixed name for an address's folder of notes: FNV-1a, 64 bits, in
/// hex, of the folded address (the address itself may hold any
/// character). The same in every build, since it names files in the
/// store; a collision only puts two people's notes in one folder, each
/// note naming its customer.
pub fn address_folder(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The domain of an address, lower case; empty when it has none.
pub fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Everyone who took part in the ticket, by address, in address order.
pub fn contacts(ticket: &Ticket, trail: &[TrailItem]) -> Vec<Contact> {
    let mut by_key: BTreeMap<String, Contact> = BTreeMap::new();
    let mut seen = |party: &Party, at: Timestamp, role: Role| {
        let key = address_key(&party.email);
        if key.is_empty() {
            return;
        }
        let c = by_key.entry(key.clone()).or_insert_with(|| Contact {
            key,
            email: party.email.clone(),
            role,
            names: Vec::new(),
            first: None,
            last: None,
        });
        c.role = c.role.min(role);
        if c.last.is_none_or(|l| at >= l) {
            c.email.clone_from(&party.email);
        }
        c.first = Some(c.first.map_or(at, |f| f.min(at)));
        c.last = Some(c.last.map_or(at, |l| l.max(at)));
        if let Some(name) = party
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match c.names.iter_mut().find(|(_, n)| n == name) {
                Some(entry) => entry.0 = entry.0.max(at),
                None => c.names.push((at, name.to_string())),
            }
        }
    };
    for item in trail.iter().filter(|i| i.copy_of.is_none()) {
        let at = item.entry.at;
        match &item.entry.event {
            Event::Created { customer, cc, .. } => {
                seen(customer, at, Role::Sender);
                for p in cc {
                    seen(p, at, Role::Sender);
                }
            }
            Event::Message { from, .. } if !item.outsider => seen(from, at, Role::Sender),
            Event::Cc { add, .. } if item.not_applied.is_none() => {
                for p in add {
                    seen(p, at, Role::Sender);
                }
            }
            _ => {}
        }
    }
    // The roles the ticket has now: a customer changed or a Cc removed
    // leaves the person a sender of what they wrote.
    for (party, role) in ticket
        .customer
        .iter()
        .map(|p| (p, Role::Customer))
        .chain(ticket.cc.iter().map(|p| (p, Role::Cc)))
    {
        let key = address_key(&party.email);
        match by_key.get_mut(&key) {
            Some(c) => c.role = c.role.min(role),
            None => {
                let when = ticket.created_at;
                by_key.insert(
                    key.clone(),
                    Contact {
                        key,
                        email: party.email.clone(),
                        role,
                        names: when.zip(party.name.clone()).into_iter().collect(),
                        first: when,
                        last: when,
                    },
                );
            }
        }
    }
    let mut out: Vec<Contact> = by_key.into_values().collect();
    for c in &mut out {
        c.names
            .sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    }
    out
}

/// Mail providers whose addresses belong to no organisation. `name.*`
/// stands for the name under any top-level domain (`yahoo.co.uk`).
pub const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.*",
    "live.com",
    "msn.com",
    "yahoo.*",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "tutanota.com",
    "zoho.com",
    "gmx.*",
    "web.de",
    "t-online.de",
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "yandex.*",
    "ya.ru",
    "rambler.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "naver.com",
    "fastmail.com",
    "hey.com",
    "mail.com",
    "laposte.net",
    "orange.fr",
    "free.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
];

/// Whether `domain` (lower case) matches `pattern` of [`FREE_MAIL_DOMAINS`].
pub fn domain_matches(pattern: &str, domain: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(name) => domain
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1),
        None => pattern == domain,
    }
}

/// An organisation: its name (a mapped name, or the domain itself) and
/// its domains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub name: String,
    pub domains: Vec<String>,
}

impl Organisations<'_> {
    /// Whether `domain` is a free-mail provider, built in or configured.
    pub fn is_free_mail(&self, domain: &str) -> bool {
        let domain = domain.to_ascii_lowercase();
        FREE_MAIL_DOMAINS
            .iter()
            .copied()
            .chain(self.free_mail_domains.iter().map(String::as_str))
            .any(|p| domain_matches(p, &domain))
    }

    /// The organisation of an address: none for a free-mail address or one
    /// without a domain.
    pub fn of_address(&self, email: &str) -> Option<Organisation> {
        self.of_domain(&domain_of(email))
    }

    /// The organisation a domain belongs to.
    pub fn of_domain(&self, domain: &str) -> Option<Organisation> {
        let domain = domain.to_ascii_lowercase();
        if domain.is_empty() || self.is_free_mail(&domain) {
            return None;
        }
        Some(
            self.mapped
                .iter()
                .find(|(_, ds)| ds.iter().any(|d| d.eq_ignore_ascii_case(&domain)))
                .map(|(name, ds)| Organisation {
                    name: name.clone(),
                    domains: ds.iter().map(|d| d.to_ascii_lowercase()).collect(),
                })
                .unwrap_or(Organisation {
                    name: domain.clone(),
                    domains: vec![domain],
                }),
        )
    }

    /// The organisation `--org` names: a mapped name (any case) or a
    /// domain. Err with the domain when it is a free-mail one.
    pub fn named(&self, name_or_domain: &str) -> Result<Organisation, String> {
        let wanted = name_or_domain.trim();
        if let Some((name, ds)) = self
            .mapped
            .iter()
            .find(|(name, _)| name.to_lowercase() == wanted.to_lowercase())
        {
            return Ok(Organisation {
                name: name.clone(),
                domains: ds.iter().map(|d| d.to_ascii_lowercase()).collect(),
            });
        }
        let domain = wanted.trim_start_matches('@').to_ascii_lowercase();
        self.of_domain(&domain).ok_or(domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Entry, Priority, StoredEntry, TicketId, fold};

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn entry(seq: u64, when: &str, event: Event) -> StoredEntry {
        StoredEntry {
            file: format!("{seq}.md"),
            entry: Entry {
                at: at(when),
                seq,
                author: "agent".into(),
                by: None,
                rule: None,
                event,
                body: "text".into(),
            },
        }
    }

    #[test]
    fn contacts_keep_every_name_newest_first_and_the_strongest_role() {
        let id: TicketId = "AB000001".parse().unwrap();
        let (ticket, trail) = fold(
            id,
            vec![
                entry(
                    1,
                    "2026-01-01T10:00:00Z",
                    Event::Created {
                        subject: "Printer".into(),
                        customer: Party::parse("Ann Lee <Ann@Example.com>").unwrap(),
                        cc: vec![Party::parse("bob@example.com").unwrap()],
                        priority: Priority::Normal,
                        tags: vec![],
                        fields: BTreeMap::new(),
                        channel: None,
                        department: None,
                        group: None,
                    },
                ),
                entry(
                    2,
                    "2026-01-03T10:00:00Z",
                    Event::Message {
                        from: Party::parse("Анна Ли <ann@example.COM>").unwrap(),
                        mail: None,
                    },
                ),
                entry(
                    3,
                    "2026-01-04T10:00:00Z",
                    Event::Cc {
                        add: vec![],
                        remove: vec!["BOB@example.com".into()],
                    },
                ),
            ],
        );
        let cs = contacts(&ticket, &trail);
        assert_eq!(cs.len(), 2);
        let ann = &cs[0];
        assert_eq!(ann.key, "ann@example.com");
        assert_eq!(ann.email, "ann@example.COM");
        assert_eq!(ann.role, Role::Customer);
        let names: Vec<&str> = ann.names.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Анна Ли", "Ann Lee"]);
        assert_eq!(ann.first, Some(at("2026-01-01T10:00:00Z")));
        assert_eq!(ann.last, Some(at("2026-01-03T10:00:00Z")));
        // Removed from Cc: still someone the ticket names, no longer in Cc.
        assert_eq!(cs[1].key, "bob@example.com");
        assert_eq!(cs[1].role, Role::Sender);
    }

    #[test]
    fn the_folder_of_an_address_is_fixed() {
        assert_eq!(address_folder(""), "cbf29ce484222325");
        assert_eq!(address_folder("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn free_mail_is_no_organisation_and_mapped_domains_are_one() {
        let config = crate::domain::Config::parse(
            "format: 1\norganisations:\n  Example Corp: [example.com, Example.co.uk]\nfree_mail_domains: [mailbox.example]\n",
        )
        .unwrap();
        let orgs = config.organisations();
        assert_eq!(orgs.of_address("a@gmail.com"), None);
        assert_eq!(orgs.of_address("a@yahoo.co.uk"), None);
        assert_eq!(orgs.of_address("a@GMX.de"), None);
        assert_eq!(orgs.of_address("a@mailbox.example"), None);
        assert_eq!(orgs.of_address("nobody"), None);
        assert!(orgs.of_address("a@yahoo").is_some());
        let corp = orgs.of_address("a@EXAMPLE.co.uk").unwrap();
        assert_eq!(corp.name, "Example Corp");
        assert_eq!(corp.domains, ["example.com", "example.co.uk"]);
        assert_eq!(orgs.named("example corp").unwrap(), corp);
        assert_eq!(orgs.named("example.com").unwrap(), corp);
        assert_eq!(orgs.named("other.org").unwrap().domains, ["other.org"]);
        assert_eq!(orgs.named("gmail.com"), Err("gmail.com".to_string()));
    }
}
