//! Generates a store of N synthetic tickets (about 5 entries each) in one
//! commit, for benchmarks: `cargo run --release --example gen_store -- DIR N`.
//! DIR must already be a tix store (`tix init`).

use std::collections::BTreeMap;

use tix_core::domain::{Entry, Event, Party, Priority, Status, Timestamp};
use tix_core::store::{Author, Store, random_id, random_tag};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: gen_store DIR N")?;
    let n: usize = args.next().ok_or("usage: gen_store DIR N")?.parse()?;
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
        let events = vec![
            (
                Event::Created {
                    subject: format!("Synthetic ticket {i}: printer says error {}", i % 97),
                    customer: Party::parse(&format!("Customer {i} <c{i}@example{}.com>", i % 50))?,
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
        for (seq, (event, body)) in events.into_iter().enumerate() {
            let entry = Entry {
                at: at(seq as i64 * 7),
                seq: seq as u64 + 1,
                author: agent.clone(),
                by: None,
                event,
                body,
            };
            let name = entry.file_name(&random_tag(6)?);
            files.push((
                format!("{}/{name}", Store::ticket_dir(&id)),
                entry.encode().into_bytes(),
            ));
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
