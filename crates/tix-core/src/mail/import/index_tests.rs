//! What filing one message costs in index reads: shard files decoded,
//! counted by the importer's index view, on a store of many shards.

use std::collections::HashSet;

use super::*;

fn new_store() -> (tempfile::TempDir, Store) {
    crate::store::scratch::store()
}

fn mail(n: usize, extra: &str) -> Vec<u8> {
    format!(
        "From: Customer {n} <c{n}@example.com>\nTo: support@example.com\n\
         Subject: Printer {n}\nDate: Mon, 02 Mar 2026 10:00:00 +0000\n{extra}\
         Content-Type: text/plain\n\nHello {n}.\n"
    )
    .into_bytes()
}

fn message(n: usize) -> Vec<u8> {
    mail(n, &format!("Message-ID: <m{n}@example.com>\n"))
}

fn created(outcome: MessageOutcome) -> TicketId {
    match outcome.action {
        Action::Created { ticket, .. } => ticket,
        other => panic!("not created: {other:?}"),
    }
}

#[test]
fn one_message_decodes_only_the_shards_it_touches() {
    let (_dir, store) = new_store();
    let n = 600;
    let mut importer = Importer::new(&store, false).unwrap();
    importer.set_batch_limit(n);
    let tickets: Vec<TicketId> = (0..n)
        .map(|i| created(importer.import(&message(i), "setup").unwrap()))
        .collect();
    importer.finish().unwrap();
    let shards: HashSet<&str> = tickets.iter().map(|t| t.shard()).collect();
    assert!(shards.len() > 300, "{} shards", shards.len());

    // The first run after builds the map, from every shard once.
    let first = Importer::new(&store, false).unwrap();
    assert_eq!(first.index_shards_decoded(), shards.len());
    first.finish().unwrap();

    // A new message: at most the shard of the id it is given.
    let mut importer = Importer::new(&store, false).unwrap();
    assert_eq!(importer.index_shards_decoded(), 0);
    let new = created(importer.import(&message(n), "new").unwrap());
    assert!(importer.index_shards_decoded() <= 1);
    importer.finish().unwrap();

    // A duplicate: the shard the last run changed, and the duplicate's.
    let mut importer = Importer::new(&store, false).unwrap();
    assert_eq!(importer.index_shards_decoded(), 1);
    let dup = importer.import(&message(7), "dup").unwrap();
    assert_eq!(
        dup.action,
        Action::Duplicate {
            ticket: Some(tickets[7])
        }
    );
    let again = importer.import(&message(n), "dup").unwrap();
    assert_eq!(again.action, Action::Duplicate { ticket: Some(new) });
    assert!(importer.index_shards_decoded() <= 3);

    // Follow-ups by In-Reply-To and by References.
    let reply = mail(
        8,
        "Message-ID: <r8@example.com>\nIn-Reply-To: <m8@example.com>\n",
    );
    assert_eq!(
        importer.import(&reply, "reply").unwrap().action,
        Action::FollowUp {
            ticket: tickets[8],
            reopened: false
        }
    );
    let referring = mail(
        9,
        "Message-ID: <r9@example.com>\nReferences: <m9@example.com> <elsewhere@example.com>\n",
    );
    assert_eq!(
        importer.import(&referring, "refs").unwrap().action,
        Action::FollowUp {
            ticket: tickets[9],
            reopened: false
        }
    );
    assert!(importer.index_shards_decoded() <= 5);
    // Within the run, the reply is known already.
    assert!(importer.knows_message_id("r8@example.com").unwrap());
    importer.finish().unwrap();

    // And in the next, through the map.
    let mut importer = Importer::new(&store, false).unwrap();
    assert!(importer.index_shards_decoded() <= 2);
    assert_eq!(
        importer.import(&reply, "reply again").unwrap().action,
        Action::Duplicate {
            ticket: Some(tickets[8])
        }
    );
    assert!(!importer.knows_message_id("never@example.com").unwrap());
    assert!(importer.index_shards_decoded() <= 3);
}
