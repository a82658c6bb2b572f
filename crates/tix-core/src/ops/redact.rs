//! Hiding an entry (`tix redact`): a password pasted into a note, a
//! customer's data that must not be read any more. The entry stays (the
//! trail is append-only); a `redact` entry names it and the fold hides it
//! from every view.

use crate::domain::{Event, TicketId};
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;

use super::{Actor, Batch, Draft, Outcome};

/// The longest reason accepted.
pub const MAX_REASON_CHARS: usize = 500;

/// Redacts entry `typed` (its file name, or a unique start of it) of
/// ticket `id` for `reason`. Admins may redact any entry; an entry's
/// author may redact theirs within the config's `redaction_window`.
pub fn redact(
    store: &Store,
    actor: &Actor,
    id: TicketId,
    typed: &str,
    reason: &str,
) -> Result<Outcome> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("--reason: say why the entry is hidden"));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(format!(
            "--reason: at most {MAX_REASON_CHARS} characters"
        )));
    }
    let mut batch = Batch::begin(store)?;
    let now = batch.now();
    let (_, trail) = batch.trail(id)?;
    let item = super::merge::entry_named(id, &trail, typed)?;
    if let Some(origin) = item.origin {
        return Err(Error::invalid(format!(
            "entry {} is ticket {origin}'s, shown here: redact it there (tix redact {origin} {})",
            item.file, item.file
        )));
    }
    let text_bearing = matches!(
        item.entry.event,
        Event::Created { .. }
            | Event::Message { .. }
            | Event::Reply { .. }
            | Event::Note { .. }
            | Event::Close {}
            | Event::Resolution {}
            | Event::Escalate { .. }
            | Event::Attachment { .. }
            | Event::Call { .. }
            | Event::Chat { .. }
    );
    if !text_bearing {
        return Err(Error::invalid(format!(
            "entry {} is a `{}`, which holds no text to hide",
            item.file,
            item.entry.event.kind()
        )));
    }
    if let Some(r) = &item.redacted {
        return Err(Error::invalid(format!(
            "entry {} is redacted already (by {} at {})",
            item.file,
            r.by,
            r.at.to_short_labelled()
        )));
    }
    let window = store.config().redaction_window_secs();
    let own_and_recent =
        item.entry.author == actor.handle && item.entry.at.seconds_until(now) <= window;
    if !actor.admin && !own_and_recent {
        return Err(Error::new(
            ErrorKind::Denied,
            format!(
                "only an admin can redact entry {} (its author may, within {} of writing it)",
                item.file,
                crate::domain::duration::spell_seconds(window)
            ),
        ));
    }
    let entry = item.file.clone();
    let files = batch
        .append(actor, id, "redact", |_| {
            Ok(vec![Draft::with_body(
                Event::Redact {
                    entry: entry.clone(),
                },
                format!("{reason}\n"),
            )])
        })?
        .ok_or_else(|| Error::internal("a redaction was not planned"))?;
    let ticket = batch.ticket(id)?.clone();
    let done = batch
        .commit(&actor.author(), "redact")?
        .ok_or_else(|| Error::internal("a redaction was not committed"))?;
    Ok(Outcome::committed(id, files, ticket, entry, done))
}
