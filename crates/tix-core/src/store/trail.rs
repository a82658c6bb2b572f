//! A ticket's trail with what it shows by reference: the entries of the
//! tickets merged into it and those of the ticket it was split from. They
//! are read from those tickets when the trail is read, never copied, and
//! only when an entry of the ticket asks for them: a ticket without a
//! merge or a split costs what [`Store::read_ticket`] and the fold cost.

use std::collections::BTreeSet;

use super::{Problem, Store};
use crate::domain::{Event, Ticket, TicketId, TrailItem, fold};
use crate::error::{ErrorKind, Result};

/// How far a chain of merges is followed (A into B into C …) when a
/// trail is read: a store made by tix has short chains; a longer one
/// (made by hand, or by clones racing) is shown up to here, with a
/// warning.
pub const MAX_REFERENCE_DEPTH: usize = 8;

/// How many other tickets one trail reads at most.
pub const MAX_REFERENCED_TICKETS: usize = 64;

/// A ticket folded with the entries it shows by reference.
#[derive(Debug)]
pub struct Folded {
    pub ticket: Ticket,
    /// In time order; entries of other tickets carry their `origin`.
    pub trail: Vec<TrailItem>,
    /// Entry files (of this ticket or of those it shows) that could not
    /// be read.
    pub problems: Vec<Problem>,
    /// What the trail does not show that it should: a ticket it names
    /// that is missing, or past the limits.
    pub notices: Vec<String>,
}

/// What a read may still spend on other tickets.
struct Budget {
    seen: BTreeSet<TicketId>,
    left: usize,
}

impl Store {
    /// Ticket `id` as committed at HEAD, folded, its trail holding the
    /// entries of the tickets merged into it (following chains of merges)
    /// and the entries it was split from, each marked with its ticket.
    pub fn read_folded(&self, id: &TicketId) -> Result<Folded> {
        let files = self.read_ticket(id)?;
        let (ticket, trail) = fold(*id, files.entries);
        let mut folded = Folded {
            ticket,
            trail,
            problems: files.problems,
            notices: Vec::new(),
        };
        if folded.ticket.merged_from.is_empty() && folded.ticket.split_from.is_none() {
            return Ok(folded);
        }
        let mut budget = Budget {
            seen: BTreeSet::from([*id]),
            left: MAX_REFERENCED_TICKETS,
        };
        self.add_references(&mut folded, 1, &mut budget)?;
        Ok(folded)
    }

    fn add_references(&self, folded: &mut Folded, depth: usize, budget: &mut Budget) -> Result<()> {
        let id = folded.ticket.id;
        let mut shown: Vec<TrailItem> = Vec::new();
        let sources: Vec<TicketId> = folded.ticket.merged_from.keys().copied().collect();
        for source in sources {
            let Some(other) = self.referenced(source, depth, budget, true)? else {
                folded.notices.push(format!(
                    "the trail of {source}, merged into {id}, is not shown: missing, or past the limit of {MAX_REFERENCE_DEPTH} merges deep or {MAX_REFERENCED_TICKETS} tickets"
                ));
                continue;
            };
            if other.ticket.merged_into != Some(id) {
                // Merged elsewhere by a clone that had not seen this merge,
                // and that merge came first: say so where this one is shown.
                let elsewhere = other
                    .ticket
                    .merged_into
                    .map_or_else(|| "no other ticket".to_string(), |t| t.to_string());
                let why = format!(
                    "{source} is merged into {elsewhere}, not into {id}; its trail is not shown here"
                );
                for item in folded.trail.iter_mut().filter(|i| {
                    i.not_applied.is_none()
                        && matches!(&i.entry.event, Event::Merge { source: s, .. } if *s == source)
                }) {
                    item.not_applied = Some(why.clone());
                }
                continue;
            }
            folded.problems.extend(other.problems);
            folded.notices.extend(other.notices);
            // The merge entries between the two are this ticket's own too.
            let own_copy = |item: &TrailItem| {
                item.origin.is_none()
                    && matches!(&item.entry.event,
                        Event::Merge { target, .. } | Event::Unmerge { target, .. } if *target == id)
            };
            shown.extend(
                other
                    .trail
                    .into_iter()
                    .filter(|item| !own_copy(item))
                    .map(|mut item| {
                        item.origin.get_or_insert(source);
                        item
                    }),
            );
        }
        if let Some(split) = folded.ticket.split_from.clone() {
            match self.referenced(split.ticket, depth, budget, false)? {
                Some(other) => {
                    let wanted: BTreeSet<&str> = split.entries.iter().map(String::as_str).collect();
                    let mut found = BTreeSet::new();
                    for mut item in other.trail {
                        let owner = match &item.entry.event {
                            Event::Attachment {
                                entry: Some(owner), ..
                            } => owner.as_str(),
                            _ => item.file.as_str(),
                        };
                        if wanted.contains(owner) && item.origin.is_none() {
                            found.insert(owner.to_string());
                            item.origin = Some(split.ticket);
                            shown.push(item);
                        }
                    }
                    for missing in wanted.iter().filter(|w| !found.contains(**w)) {
                        folded.notices.push(format!(
                            "entry {missing} of {}, which this ticket was split from, is not there",
                            split.ticket
                        ));
                    }
                }
                None => folded.notices.push(format!(
                    "the entries of {}, which this ticket was split from, are not shown: the ticket is missing",
                    split.ticket
                )),
            }
        }
        if !shown.is_empty() {
            let own = std::mem::take(&mut folded.trail);
            folded.trail = by_time(own, shown);
        }
        Ok(())
    }

    /// Another ticket a trail shows, folded, with what it shows in turn
    /// when `follow` (a chain of merges); `None` when it is missing or
    /// the budget is spent.
    fn referenced(
        &self,
        id: TicketId,
        depth: usize,
        budget: &mut Budget,
        follow: bool,
    ) -> Result<Option<Folded>> {
        if depth > MAX_REFERENCE_DEPTH || budget.left == 0 || !budget.seen.insert(id) {
            return Ok(None);
        }
        budget.left -= 1;
        let files = match self.read_ticket(&id) {
            Ok(files) => files,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let (ticket, trail) = fold(id, files.entries);
        let mut folded = Folded {
            ticket,
            trail,
            problems: files.problems,
            notices: Vec::new(),
        };
        if follow && !folded.ticket.merged_from.is_empty() {
            self.add_references(&mut folded, depth + 1, budget)?;
        }
        Ok(Some(folded))
    }
}

/// Two trails as one, in time order; each keeps its own order, and of
/// entries at the same time the ticket's own come first.
fn by_time(own: Vec<TrailItem>, shown: Vec<TrailItem>) -> Vec<TrailItem> {
    let mut shown = shown;
    shown.sort_by_key(|i| i.entry.at);
    let mut out = Vec::with_capacity(own.len() + shown.len());
    let mut shown = shown.into_iter().peekable();
    for item in own {
        while let Some(next) = shown.next_if(|s| s.entry.at < item.entry.at) {
            out.push(next);
        }
        out.push(item);
    }
    out.extend(shown);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Entry, Party, Priority, Timestamp};
    use crate::store::random_id;

    fn entry(at: &str, seq: u64, event: Event) -> Vec<u8> {
        Entry {
            at: Timestamp::parse_rfc3339(at).unwrap(),
            seq,
            author: "alice".into(),
            by: None,
            rule: None,
            event,
            body: String::new(),
        }
        .encode()
        .into_bytes()
    }

    /// A chain of merges longer than readers follow (made by hand, or by
    /// clones racing: tix does not make one) is shown as far as the
    /// limit, with a notice, and nothing further is read.
    #[test]
    fn a_chain_past_the_limit_is_shown_up_to_it() {
        let (_dir, store) = crate::store::scratch::store();
        let ids: Vec<TicketId> = (0..MAX_REFERENCE_DEPTH + 3)
            .map(|_| random_id().unwrap())
            .collect();
        let mut files = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let dir = Store::ticket_dir(id);
            let created = Event::Created {
                subject: format!("Ticket {i}"),
                customer: Party::parse("ann@example.com").unwrap(),
                cc: vec![],
                priority: Priority::Normal,
                tags: vec![],
                fields: Default::default(),
                channel: None,
                department: None,
                group: None,
            };
            files.push((
                format!("{dir}/a-created.md"),
                entry("2026-01-01T10:00:00Z", 1, created),
            ));
            let merge = |source: TicketId, target: TicketId, n: usize| {
                entry(
                    &format!("2026-01-02T10:{n:02}:00Z"),
                    2 + n as u64,
                    Event::Merge {
                        source,
                        target,
                        cc: vec![],
                    },
                )
            };
            if i > 0 {
                files.push((format!("{dir}/m-from.md"), merge(ids[i - 1], *id, i - 1)));
            }
            if i + 1 < ids.len() {
                files.push((format!("{dir}/m-into.md"), merge(*id, ids[i + 1], i)));
            }
        }
        let lock = store.lock().unwrap();
        store
            .commit(&lock, files, "test", &crate::store::scratch::author())
            .unwrap();
        drop(lock);
        let end = *ids.last().unwrap();
        let folded = store.read_folded(&end).unwrap();
        let origins: BTreeSet<TicketId> = folded.trail.iter().filter_map(|i| i.origin).collect();
        assert_eq!(origins.len(), MAX_REFERENCE_DEPTH);
        let shown_from = ids.len() - 1 - MAX_REFERENCE_DEPTH;
        assert_eq!(
            origins,
            ids[shown_from..ids.len() - 1].iter().copied().collect()
        );
        assert_eq!(folded.notices.len(), 1, "{:?}", folded.notices);
        assert!(folded.notices[0].contains(ids[shown_from - 1].as_str()));
        // The start of the chain, a pointer, shows its own trail only.
        let first = store.read_folded(&ids[0]).unwrap();
        assert!(first.trail.iter().all(|i| i.origin.is_none()));
        assert!(first.notices.is_empty());
    }
}
