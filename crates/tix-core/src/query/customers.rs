//! `tix customer` and `tix customers` as queries: a person's card, the
//! directory of everyone the trail names, and an organisation's view.
//!
//! What each reads: a card reads the person's card rows (see
//! `store::index::cards`: the blocks of `customers.bin` that hold the
//! address, and the small recent file), never a shard file; the directory
//! reads `customers.bin` whole; an organisation reads it whole and the
//! shard files of the organisation's tickets. The figures are the report
//! layer's (`report::summary` for the medians, `report::sla` for the
//! breaches) over the facts of the tickets where the person, or someone
//! of the organisation, is the customer, as of `now`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Months;
use serde::Serialize;

use crate::domain::customers::{Contact, Organisation, Role, address_key, domain_of};
use crate::domain::{Config, Party, Priority, Status, TicketFacts, TicketId, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::report::{self, Period};
use crate::store::{CardRow, CustomerDirectory, IndexedTicket, PersonInTicket, Store};

/// What a card's or an organisation's figures count: the tickets where
/// the person (or a member) is the customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    pub tickets: usize,
    pub open: usize,
    pub closed: usize,
    /// Created in the twelve months before now.
    pub last_12_months: usize,
    /// Tickets the person only took part in (in Cc, or wrote to).
    pub cc: usize,
    pub oldest_open: Option<OldestOpen>,
    /// As `tix report summary` defines them, over all time until now.
    pub first_response_median_seconds: Option<i64>,
    pub resolution_median_seconds: Option<i64>,
    /// First-response and resolution targets breached or overdue, as `tix
    /// report sla` counts them.
    pub sla_breaches: usize,
    /// Satisfaction surveys, their answers and the good ones in percent,
    /// as `tix report csat` counts them, over all time.
    pub csat_surveyed: usize,
    pub csat_rated: usize,
    pub csat_percent: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OldestOpen {
    pub id: TicketId,
    pub created_at: Timestamp,
    pub age_seconds: i64,
}

/// One ticket of a card or an organisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CardTicket {
    pub id: TicketId,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<String>,
    /// The person's part in it (for an organisation: its strongest
    /// member's).
    pub role: Role,
    /// For an organisation: the member with that part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Card {
    pub email: String,
    /// Every name seen with the address, most recent first.
    pub names: Vec<String>,
    pub organisation: Option<Organisation>,
    pub first_contact: Option<Timestamp>,
    pub last_contact: Option<Timestamp>,
    pub figures: Figures,
    /// Open first, then by last activity, newest first.
    pub tickets: Vec<CardTicket>,
    /// The team's notes about the person, oldest first.
    pub notes: Vec<Note>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub at: Timestamp,
    pub by: String,
    pub text: String,
}

/// One person of the directory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Person {
    pub email: String,
    pub names: Vec<String>,
    /// The organisation's name.
    pub organisation: Option<String>,
    /// Tickets as customer, and of those the open ones.
    pub tickets: usize,
    pub open: usize,
    /// Tickets in Cc or written to only.
    pub cc: usize,
    pub first_contact: Option<Timestamp>,
    pub last_contact: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeopleSort {
    /// Most tickets as customer first.
    Tickets,
    /// Latest contact first.
    Recent,
    /// By name (the address when none), then address.
    Name,
}

#[derive(Clone, Debug)]
pub struct DirectoryOptions {
    pub sort: PeopleSort,
    pub limit: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrganisationView {
    pub organisation: Organisation,
    pub people: Vec<Person>,
    pub figures: Figures,
    pub tickets: Vec<CardTicket>,
}

/// The card of the person with this address (`Name <addr>` accepted).
/// Not found (exit 3) when no ticket names it, with a near address as the
/// hint when there is one.
pub fn card(store: &Store, address: &str, now: Timestamp) -> Result<Card> {
    let email = Party::parse(address)
        .map(|p| p.email)
        .unwrap_or_else(|_| address.trim().to_string());
    let key = address_key(&email);
    let config = store.config();
    let (directory, found) = rows_of(store, &key)?;
    if found.is_empty() {
        return Err(unknown(&directory, &key)?);
    }
    let mut person = Aggregate::default();
    for r in &found {
        person.add(&r.contact, r.facts.status == Status::Closed);
    }
    let mut tickets: Vec<CardTicket> = found
        .iter()
        .map(|r| CardTicket {
            id: r.facts.id,
            subject: r.facts.subject.clone(),
            status: r.facts.status,
            priority: r.facts.priority,
            assignee: r.facts.assignee.clone(),
            role: r.contact.role,
            person: None,
            created_at: r.facts.created_at,
            updated_at: r.updated_at,
        })
        .collect();
    sort_card_tickets(&mut tickets);
    let facts: Vec<TicketFacts> = found
        .into_iter()
        .filter(|r| r.contact.role == Role::Customer)
        .map(|r| r.facts)
        .collect();
    let mut figures = figures(&facts, config, now);
    figures.cc = person.cc;
    let organisation = config.organisations().of_address(&key);
    let p = person.person(&organisation);
    Ok(Card {
        email: p.email,
        names: p.names,
        organisation,
        first_contact: p.first_contact,
        last_contact: p.last_contact,
        figures,
        tickets,
        notes: store
            .customer_notes(&key)?
            .into_iter()
            .map(|n| Note {
                at: n.at,
                by: n.by,
                text: n.text,
            })
            .collect(),
    })
}

/// Everyone the trail names.
pub fn directory(store: &Store, options: &DirectoryOptions) -> Result<Vec<Person>> {
    let config = store.config();
    let (_, people) = everyone(store, open(store)?)?;
    let mut out = aggregate(&people, config, |_| true);
    sort_people(&mut out, options);
    Ok(out)
}

/// The organisation `name_or_domain` names (see `Organisations::named`):
/// its people, its figures and its tickets. A free-mail domain is no
/// organisation (exit 2).
pub fn organisation(
    store: &Store,
    name_or_domain: &str,
    options: &DirectoryOptions,
    now: Timestamp,
) -> Result<OrganisationView> {
    let config = store.config();
    let organisation = config
        .organisations()
        .named(name_or_domain)
        .map_err(|domain| {
            Error::new(
                ErrorKind::Usage,
                format!("{domain} is a free-mail domain: its users belong to no organisation"),
            )
        })?;
    let (directory, people) = everyone(store, open(store)?)?;
    let members = |key: &str| organisation.domains.contains(&domain_of(key));
    let mut persons = aggregate(&people, config, |p| members(&p.contact.key));
    // Each member spelled one way in the ticket list, as last written.
    let spelling: BTreeMap<String, String> = persons
        .iter()
        .map(|p| (address_key(&p.email), p.email.clone()))
        .collect();
    sort_people(&mut persons, options);
    // Per ticket, the member with the strongest part in it.
    let mut strongest: BTreeMap<TicketId, &PersonInTicket> = BTreeMap::new();
    for p in people.iter().filter(|p| members(&p.contact.key)) {
        let e = strongest.entry(p.ticket).or_insert(p);
        if p.contact.role < e.contact.role {
            *e = p;
        }
    }
    let mut found = Vec::with_capacity(strongest.len());
    for (id, p) in &strongest {
        if let Some(t) = directory.ticket(*id)? {
            found.push((t, &p.contact));
        }
    }
    let tickets = card_tickets(found.iter().map(|(t, c)| {
        let email = spelling.get(&c.key).unwrap_or(&c.email).clone();
        (*t, *c, Some(email))
    }));
    let facts = facts_as_customer(&found)?;
    let mut figures = figures(&facts, config, now);
    figures.cc = found.len() - facts.len();
    Ok(OrganisationView {
        organisation,
        people: persons,
        figures,
        tickets,
    })
}

fn open(store: &Store) -> Result<CustomerDirectory<'_>> {
    store.customer_directory()
}

/// The person's card rows; rows that do not read (derived data) mean
/// building the directory again rather than failing.
fn rows_of<'s>(store: &'s Store, key: &str) -> Result<(CustomerDirectory<'s>, Vec<CardRow>)> {
    let directory = open(store)?;
    match directory.cards_of(key) {
        Ok(rows) => Ok((directory, rows)),
        Err(_) => {
            drop(directory);
            let directory = store.rebuild_customer_directory()?;
            let rows = directory.cards_of(key)?;
            Ok((directory, rows))
        }
    }
}

/// Everyone in the directory; records that do not decode (derived data)
/// mean building it again rather than failing.
fn everyone<'s>(
    store: &'s Store,
    directory: CustomerDirectory<'s>,
) -> Result<(CustomerDirectory<'s>, Vec<PersonInTicket>)> {
    match directory.people() {
        Ok(people) => Ok((directory, people)),
        Err(_) => {
            let directory = store.rebuild_customer_directory()?;
            let people = directory.people()?;
            Ok((directory, people))
        }
    }
}

/// The facts of the tickets where the person is the customer: what the
/// figures count (Cc'd and sender-only tickets are listed, not counted).
fn facts_as_customer(found: &[(&IndexedTicket, &Contact)]) -> Result<Vec<TicketFacts>> {
    found
        .iter()
        .filter(|(_, c)| c.role == Role::Customer)
        .map(|(t, _)| t.facts())
        .collect()
}

fn card_tickets<'a>(
    found: impl Iterator<Item = (&'a IndexedTicket, &'a Contact, Option<String>)>,
) -> Vec<CardTicket> {
    let mut out: Vec<CardTicket> = found
        .map(|(t, c, person)| CardTicket {
            id: t.ticket.id,
            subject: t.ticket.subject.clone(),
            status: t.ticket.status,
            priority: t.ticket.priority,
            assignee: t.ticket.assignee.clone(),
            role: c.role,
            person,
            created_at: t.ticket.created_at,
            updated_at: t.ticket.updated_at,
        })
        .collect();
    sort_card_tickets(&mut out);
    out
}

/// Open first, then by last activity, newest first.
fn sort_card_tickets(tickets: &mut [CardTicket]) {
    tickets.sort_by(|a, b| {
        (a.status == Status::Closed)
            .cmp(&(b.status == Status::Closed))
            .then_with(|| b.updated_at.cmp(&a.updated_at))
            .then_with(|| b.id.cmp(&a.id))
    });
}

/// The figures of the tickets whose facts these are, as of `now`.
fn figures(facts: &[TicketFacts], config: &Config, now: Timestamp) -> Figures {
    let year_ago = now
        .datetime()
        .checked_sub_months(Months::new(12))
        .map(Timestamp::new);
    let mut f = Figures {
        tickets: facts.len(),
        ..Figures::default()
    };
    for t in facts {
        if t.status == Status::Closed {
            f.closed += 1;
        } else {
            f.open += 1;
            if let Some(created) = t.created_at
                && f.oldest_open
                    .as_ref()
                    .is_none_or(|o| created < o.created_at)
            {
                f.oldest_open = Some(OldestOpen {
                    id: t.id,
                    created_at: created,
                    age_seconds: created.seconds_until(now).max(0),
                });
            }
        }
        if let (Some(c), Some(y)) = (t.created_at, year_ago)
            && c >= y
            && c < now
        {
            f.last_12_months += 1;
        }
    }
    // All time: from the first ticket's creation to now.
    let Some(since) = facts.iter().filter_map(|t| t.created_at).min() else {
        return f;
    };
    if since >= now {
        return f;
    }
    let period = Period { since, until: now };
    let refs: Vec<&TicketFacts> = facts.iter().collect();
    let summary = report::summary(&refs, &period);
    f.first_response_median_seconds = summary.first_response.median_seconds;
    f.resolution_median_seconds = summary.resolution.median_seconds;
    f.sla_breaches = report::sla(&refs, &period, &config.sla).breaches.len();
    let csat = report::csat(&refs, &period, None).total;
    f.csat_surveyed = csat.surveyed;
    f.csat_rated = csat.rated;
    f.csat_percent = csat.score_percent;
    f
}

/// One person over all their tickets.
#[derive(Default)]
struct Aggregate {
    email: String,
    names: BTreeMap<String, Timestamp>,
    /// The time the email spelling was seen.
    email_at: Option<Timestamp>,
    tickets: usize,
    open: usize,
    cc: usize,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

impl Aggregate {
    fn add(&mut self, c: &Contact, closed: bool) {
        if self.email.is_empty() || c.last > self.email_at {
            self.email.clone_from(&c.email);
            self.email_at = c.last;
        }
        for (at, name) in &c.names {
            let e = self.names.entry(name.clone()).or_insert(*at);
            *e = (*e).max(*at);
        }
        if c.role == Role::Customer {
            self.tickets += 1;
            self.open += usize::from(!closed);
        } else {
            self.cc += 1;
        }
        self.first = match (self.first, c.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(c.last);
    }

    fn person(self, organisation: &Option<Organisation>) -> Person {
        let mut names: Vec<(Timestamp, String)> =
            self.names.into_iter().map(|(n, at)| (at, n)).collect();
        names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Person {
            email: self.email,
            names: names.into_iter().map(|(_, n)| n).collect(),
            organisation: organisation.as_ref().map(|o| o.name.clone()),
            tickets: self.tickets,
            open: self.open,
            cc: self.cc,
            first_contact: self.first,
            last_contact: self.last,
        }
    }
}

fn aggregate(
    people: &[PersonInTicket],
    config: &Config,
    keep: impl Fn(&PersonInTicket) -> bool,
) -> Vec<Person> {
    let mut by_key: BTreeMap<&str, Aggregate> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, TicketId)> = BTreeSet::new();
    for p in people.iter().filter(|p| keep(p)) {
        if seen.insert((&p.contact.key, p.ticket)) {
            by_key
                .entry(&p.contact.key)
                .or_default()
                .add(&p.contact, p.closed);
        }
    }
    let organisations = config.organisations();
    by_key
        .into_iter()
        .map(|(key, a)| a.person(&organisations.of_address(key)))
        .collect()
}

fn sort_people(people: &mut Vec<Person>, options: &DirectoryOptions) {
    match options.sort {
        PeopleSort::Tickets => people.sort_by(|a, b| {
            (b.tickets, b.cc)
                .cmp(&(a.tickets, a.cc))
                .then_with(|| b.last_contact.cmp(&a.last_contact))
                .then_with(|| a.email.cmp(&b.email))
        }),
        PeopleSort::Recent => people.sort_by(|a, b| {
            b.last_contact
                .cmp(&a.last_contact)
                .then_with(|| a.email.cmp(&b.email))
        }),
        PeopleSort::Name => people.sort_by_cached_key(|p| {
            (
                p.names.first().unwrap_or(&p.email).to_lowercase(),
                p.email.to_ascii_lowercase(),
            )
        }),
    }
    if let Some(n) = options.limit {
        people.truncate(n);
    }
}

/// The error for an address no ticket names, with the nearest known
/// address as the hint.
fn unknown(directory: &CustomerDirectory<'_>, key: &str) -> Result<Error> {
    let people = directory.people()?;
    let (local, domain) = key.rsplit_once('@').unwrap_or((key, ""));
    let near = people
        .iter()
        .map(|p| p.contact.key.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|k| {
            let (l, d) = k.rsplit_once('@').unwrap_or((k, ""));
            let distance = if l == local || d == domain {
                edit_distance(k, key)
            } else {
                edit_distance(k, key).saturating_add(1)
            };
            (distance <= 3 || l == local).then_some((distance, k))
        })
        .min();
    let err = Error::not_found(format!("no ticket names {key}"));
    Ok(match near {
        Some((_, k)) => err.with_hint(format!("did you mean {k}?")),
        None => {
            err.with_hint("a customer is anyone a ticket names: its customer, its Cc, a sender")
        }
    })
}

/// Levenshtein distance over characters, stopping early past 8.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 8 {
        return 9;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("ann@example.com", "ann@example.com"), 0);
        assert_eq!(edit_distance("ann@example.com", "an@example.com"), 1);
        assert_eq!(edit_distance("ann@example.com", "anne@exampel.com"), 3);
    }
}
