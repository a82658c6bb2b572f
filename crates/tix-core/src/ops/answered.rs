//! Whether someone else has already answered what a reply would answer.

use crate::domain::{Entry, Event, TrailItem};

/// The public reply another agent wrote after the customer last wrote and
/// after `agent`'s own last entry on the ticket, if there is one: a reply
/// now may say the same thing twice. In a team this is usually an answer
/// that came in with the last `tix sync`. The trail is in fold order;
/// entries not applied do not count.
pub fn answered_by_others<'a>(trail: &'a [TrailItem], agent: &str) -> Option<&'a Entry> {
    let mut answer = None;
    for e in trail
        .iter()
        .filter(|i| i.not_applied.is_none())
        .map(|i| &i.entry)
    {
        match &e.event {
            Event::Message { .. } => answer = None,
            Event::Reply { .. } if e.author != agent => answer = Some(e),
            _ if e.author == agent => answer = None,
            _ => {}
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Party, Timestamp};

    fn item(author: &str, event: Event) -> TrailItem {
        TrailItem {
            file: format!("{author}.md"),
            entry: Entry {
                at: Timestamp::parse_rfc3339("2026-01-01T10:00:00Z").unwrap(),
                seq: 1,
                author: author.into(),
                event,
                body: String::new(),
                by: None,
                rule: None,
            },
            not_applied: None,
            redundant: false,
            outsider: false,
            copy_of: None,
            origin: None,
            redacted: None,
        }
    }

    fn message() -> Event {
        Event::Message {
            from: Party::parse("ann@example.com").unwrap(),
            mail: None,
        }
    }

    #[test]
    fn only_an_answer_after_the_customer_and_after_me_counts() {
        let reply = || Event::Reply { mail: None };
        let trail = [item("ann@example.com", message()), item("bob", reply())];
        assert_eq!(
            answered_by_others(&trail, "alice").map(|e| e.author.as_str()),
            Some("bob")
        );
        // Bob answering himself again is no news to him.
        assert!(answered_by_others(&trail, "bob").is_none());
        // The customer wrote since.
        let trail = [item("bob", reply()), item("ann@example.com", message())];
        assert!(answered_by_others(&trail, "alice").is_none());
        // Alice wrote since (a note counts: she has seen the ticket).
        let trail = [
            item("bob", reply()),
            item("alice", Event::Note { mail: None }),
        ];
        assert!(answered_by_others(&trail, "alice").is_none());
        // A refused reply does not count.
        let mut refused = item("bob", reply());
        refused.not_applied = Some("locked".into());
        assert!(answered_by_others(&[refused], "alice").is_none());
    }
}
