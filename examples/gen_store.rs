//! Generates a store of N synthetic tickets (about 5 entries each) in one
//! commit, for benchmarks: `cargo run --release --example gen_store -- DIR N`.
//! DIR must already be a tix store (`tix init`).
//!
//! With a third argument `mail` (`gen_store DIR N mail`), each ticket is
//! born of mail as an imported one is: after its created entry comes the
//! customer's message, carrying the Message-ID `<gen-I-R@exampleK.com>`
//! (I the ticket's number, R random, K = I mod 50) and its raw `.eml`,
//! and the agent's reply carries an outbound Message-ID
//! `<reply-I-R@example.com>`; so the store has a realistic Message-ID map
//! for `tix import eml` (a message whose In-Reply-To names one threads onto
//! that ticket). Without it, the output is as before.

use std::collections::BTreeMap;

use tix_core::domain::{Entry, Event, MailMeta, Party, Priority, Status, Timestamp};
use tix_core::store::{Author, Store, random_id, random_tag};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: gen_store DIR N")?;
    let n: usize = args.next().ok_or("usage: gen_store DIR N")?.parse()?;
    let with_mail = match args.next().as_deref() {
        None => false,
        Some("mail") => true,
        Some(other) => {
            return Err(format!("unknown option {other}: usage: gen_store DIR N [mail]").into());
        }
    };
    let store = Store::discover(std::path::Path::new(&dir))?;
    let agents: Vec<String> = store
        .config()
        .agents
        .iter()
        .map(|a| a.handle.clone())
        .collect();
    let start = Timestamp::parse_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let mut files = Vec::with_capacity(n * 5);
    for i in 0..n {
        let id = random_id()?;
        let at = |minutes: i64| {
            Timestamp::new(start.datetime() + chrono::TimeDelta::minutes(i as i64 * 50 + minutes))
        };
        let agent = agents[i % agents.len()].clone();
        let customer = Party::parse(&format!("Customer {i} <c{i}@example{}.com>", i % 50))?;
        let mut events = vec![
            (
                Event::Created {
                    subject: format!("Synthetic ticket {i}: printer says error {}", i % 97),
                    customer: customer.clone(),
                    cc: vec![],
                    priority: Priority::ALL[i % 4],
                    tags: vec![format!("tag{}", i % 10)],
                    fields: BTreeMap::new(),
                },
                "The printer in room 4 says error 42 again. ".repeat(3),
            ),
            (
                Event::Assign {
                    to: Some(agent.clone()),
                },
                String::new(),
            ),
            (
                Event::Reply { mail: None },
                "Please try turning it off and on again.".to_string(),
            ),
            (
                Event::Note { mail: None },
                "Customer is on the old firmware.".to_string(),
            ),
            (
                if i % 3 == 0 {
                    Event::Close {}
                } else {
                    Event::Status {
                        to: Status::Pending,
                        from: Some(Status::Open),
                    }
                },
                String::new(),
            ),
        ];
        if with_mail {
            let sent = at(1);
            let message_id = format!("gen-{i}-{}@example{}.com", random_tag(6)?, i % 50);
            events.insert(
                1,
                (
                    Event::Message {
                        from: customer.clone(),
                        mail: Some(Box::new(mail_meta(&message_id, sent, false))),
                    },
                    "The printer in room 4 says error 42 again.".to_string(),
                ),
            );
            let reply_id = format!("reply-{i}-{}@example.com", random_tag(6)?);
            let mut reply = mail_meta(&reply_id, sent, true);
            reply.in_reply_to = vec![message_id];
            reply.to = vec![customer.clone()];
            events[3].0 = Event::Reply {
                mail: Some(Box::new(reply)),
            };
        }
        for (seq, (event, body)) in events.into_iter().enumerate() {
            let author = match &event {
                Event::Message { from, .. } => from.email.clone(),
                _ => agent.clone(),
            };
            let mut entry = Entry {
                at: at(seq as i64 * 7),
                seq: seq as u64 + 1,
                author,
                by: None,
                event,
                body,
            };
            let name = entry.file_name(&random_tag(6)?);
            let dir = Store::ticket_dir(&id);
            if let Some(mail) = entry.event.mail_mut() {
                mail.raw = format!("{}.eml", name.trim_end_matches(".md"));
                let raw = format!(
                    "Message-ID: <{}>\nSubject: {}\nContent-Type: text/plain\n\n{}\n",
                    mail.message_id, mail.subject, entry.body
                );
                files.push((format!("{dir}/{}", mail.raw), raw.into_bytes()));
            }
            files.push((format!("{dir}/{name}"), entry.encode().into_bytes()));
        }
    }
    let lock = store.lock()?;
    let author = Author::new("Generator", "gen@example.com");
    store.commit(
        &lock,
        files,
        &format!("gen: {n} synthetic tickets"),
        &author,
    )?;
    println!("generated {n} tickets in {dir}");
    Ok(())
}

/// The mail of a generated message; `raw` is filled in with the entry's
/// file name.
fn mail_meta(message_id: &str, sent_at: Timestamp, outbound: bool) -> MailMeta {
    MailMeta {
        message_id: message_id.to_string(),
        in_reply_to: vec![],
        references: vec![],
        to: vec![],
        cc: vec![],
        subject: "Printer error".to_string(),
        sent_at,
        date_missing: false,
        raw: String::new(),
        quoted: None,
        noise: None,
        omitted: vec![],
        outbound,
    }
}
