//! Entries written on both tickets they name, in one commit: `merge`,
//! `unmerge` and `split`. Each ticket folds from what it holds alone, so
//! when one side's entry is gone (deleted by hand, lost in a bad merge)
//! the two tickets disagree about each other; this finds such entries
//! for `tix check`.

use std::collections::{BTreeMap, BTreeSet};

use super::entry::{Entry, Event};
use super::id::TicketId;

/// Per ticket, the file and entry of each of its merge, unmerge and
/// split entries.
pub type TwinEntries = BTreeMap<TicketId, Vec<(String, Entry)>>;

/// The two tickets an entry recorded on both names, as (source, target).
pub fn twin_tickets(event: &Event) -> Option<(TicketId, TicketId)> {
    match event {
        Event::Merge { source, target, .. }
        | Event::Unmerge { source, target }
        | Event::Split { source, target, .. } => Some((*source, *target)),
        _ => None,
    }
}

/// An entry of one ticket (`ticket`, file `file`) that its other ticket
/// does not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpaired {
    pub ticket: TicketId,
    pub file: String,
    pub kind: &'static str,
    pub source: TicketId,
    pub target: TicketId,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// The entry names neither its own ticket as source nor as target.
    NamesNeither,
    /// Source and target are the same ticket.
    SameTicket,
    /// The other ticket is not in the store.
    OtherMissing(TicketId),
    /// The other ticket holds no entry of the same kind, time and fields.
    TwinMissing(TicketId),
}

/// The entries of `held` (per ticket, the file and entry of each of its
/// merge, unmerge and split entries; others are ignored) whose other
/// ticket is missing from `tickets`, or holds no entry of the same time
/// and fields. Entries kept but not applied (two clones merging the same
/// tickets, say) are twins all the same and are not reported.
pub fn unpaired(held: &TwinEntries, tickets: &BTreeSet<TicketId>) -> Vec<Unpaired> {
    let mut out = Vec::new();
    for (ticket, entries) in held {
        for (file, entry) in entries {
            let Some((source, target)) = twin_tickets(&entry.event) else {
                continue;
            };
            let why = if source == target {
                Some(Why::SameTicket)
            } else if *ticket != source && *ticket != target {
                Some(Why::NamesNeither)
            } else {
                let other = if *ticket == source { target } else { source };
                if !tickets.contains(&other) {
                    Some(Why::OtherMissing(other))
                } else {
                    let twin = held.get(&other).is_some_and(|theirs| {
                        theirs
                            .iter()
                            .any(|(_, e)| e.at == entry.at && e.event == entry.event)
                    });
                    (!twin).then_some(Why::TwinMissing(other))
                }
            };
            if let Some(why) = why {
                out.push(Unpaired {
                    ticket: *ticket,
                    file: file.clone(),
                    kind: entry.event.kind(),
                    source,
                    target,
                    why,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    fn id(s: &str) -> TicketId {
        s.parse().unwrap()
    }

    fn merge(at: &str, source: &str, target: &str) -> Entry {
        Entry {
            at: Timestamp::parse_rfc3339(at).unwrap(),
            seq: 2,
            author: "alice".into(),
            by: None,
            rule: None,
            event: Event::Merge {
                source: id(source),
                target: id(target),
                cc: Vec::new(),
            },
            body: String::new(),
        }
    }

    const X: &str = "AA000001";
    const Y: &str = "AA000002";
    const Z: &str = "AA000003";
    const T1: &str = "2026-03-02T10:00:00Z";
    const T2: &str = "2026-03-02T10:01:00Z";

    fn store(entries: &[(&str, &str, Entry)]) -> (TwinEntries, BTreeSet<TicketId>) {
        let mut held = TwinEntries::new();
        for (ticket, file, entry) in entries {
            held.entry(id(ticket))
                .or_default()
                .push((file.to_string(), entry.clone()));
        }
        (held, [X, Y, Z].iter().map(|t| id(t)).collect())
    }

    #[test]
    fn a_merge_on_both_tickets_is_paired_even_when_a_race_left_it_not_applied() {
        // X into Y on one clone, Y into X on another: all four exist.
        let (held, tickets) = store(&[
            (X, "1.md", merge(T1, X, Y)),
            (Y, "1.md", merge(T1, X, Y)),
            (X, "2.md", merge(T2, Y, X)),
            (Y, "2.md", merge(T2, Y, X)),
        ]);
        assert_eq!(unpaired(&held, &tickets), []);
    }

    #[test]
    fn a_lost_twin_a_missing_ticket_and_a_stray_entry_are_reported() {
        let gone = id("AA000009");
        let (held, tickets) = store(&[
            (X, "1.md", merge(T1, X, Y)),
            // Y's twin has another time: not the same entry.
            (Y, "1.md", merge(T2, X, Y)),
            (Z, "2.md", merge(T1, Z, "AA000009")),
            (Z, "3.md", merge(T1, X, Y)),
            (Z, "4.md", merge(T1, Z, Z)),
        ]);
        let found: Vec<(TicketId, &str, Why)> = unpaired(&held, &tickets)
            .into_iter()
            .map(|u| (u.ticket, if u.file == "1.md" { "1" } else { "n" }, u.why))
            .collect();
        assert_eq!(
            found,
            [
                (id(X), "1", Why::TwinMissing(id(Y))),
                (id(Y), "1", Why::TwinMissing(id(X))),
                (id(Z), "n", Why::OtherMissing(gone)),
                (id(Z), "n", Why::NamesNeither),
                (id(Z), "n", Why::SameTicket),
            ]
        );
    }
}
