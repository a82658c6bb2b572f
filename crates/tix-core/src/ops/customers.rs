//! Notes about a customer: append-only records in the store, one file per
//! note under the address's folder, committed as the team's other records
//! are (`store.commit` under the lock, not a ticket entry).

use crate::domain::customers::address_key;
use crate::domain::records::CustomerNoteRecord;
use crate::error::{Error, Result};
use crate::store::{Committed, Store, StoreLock, random_tag};

use super::Actor;

pub use crate::domain::records::MAX_NOTE_BYTES;

/// Records a note about the customer with this address, whom some ticket
/// must name (a typo in the address is not a new customer).
pub fn add_note(
    store: &Store,
    lock: &StoreLock,
    actor: &Actor,
    email: &str,
    text: &str,
) -> Result<Committed> {
    let key = address_key(email);
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("the note is empty"));
    }
    if text.len() > MAX_NOTE_BYTES {
        return Err(Error::invalid(format!(
            "the note is {} bytes; a note holds at most {MAX_NOTE_BYTES}",
            text.len()
        )));
    }
    if store.customer_directory()?.cards_of(&key)?.is_empty() {
        return Err(Error::not_found(format!("no ticket names {key}")));
    }
    let record = CustomerNoteRecord {
        format: 1,
        customer: key.clone(),
        text: text.to_string(),
        at: super::now()?,
        by: actor.handle.clone(),
    };
    let yaml = serde_yaml::to_string(&record)
        .map_err(|e| Error::internal(format!("cannot write the customer note: {e}")))?;
    let path = format!(
        "{}/{}",
        Store::customer_notes_dir(&key),
        record.file_name(&random_tag(6)?)
    );
    store.commit(
        lock,
        vec![(path, yaml.into_bytes())],
        &format!("tix: customer note {key}"),
        &actor.author(),
    )
}
