//! Closing a ticket, as `tix close` and `tix status ID closed` both do it:
//! which required fields are still missing, and the entries of the close.

use crate::domain::{Config, Event, FieldDef, FieldValue, Stage, Status, Ticket};
use crate::error::Result;

use super::{Draft, refuse_if_locked};

/// The custom fields required at close that `ticket` lacks and `given`
/// does not set, in the config's order. A locked ticket is refused here,
/// before anyone is asked for a value its lock would throw away.
pub fn missing_fields<'c>(
    config: &'c Config,
    ticket: &Ticket,
    given: &[(String, FieldValue)],
) -> Result<Vec<&'c FieldDef>> {
    let missing: Vec<&FieldDef> = config
        .required_fields(Stage::Close)
        .filter(|def| {
            !ticket.fields.contains_key(&def.name) && !given.iter().any(|(n, _)| *n == def.name)
        })
        .collect();
    if !missing.is_empty() {
        refuse_if_locked(ticket)?;
    }
    Ok(missing)
}

/// The entries that close `ticket`: the fields that change, then the close
/// with `message` as its text (on a ticket closed already, the message
/// alone, as a note), then the `resolution` if one is given, then the
/// lock if asked for and not there yet. The
/// fields required at close are checked where every close is, in
/// [`super::append`].
pub fn drafts(
    ticket: &Ticket,
    fields: &[(String, FieldValue)],
    message: Option<&str>,
    resolution: Option<&str>,
    lock: bool,
) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = fields
        .iter()
        .filter(|(name, value)| ticket.fields.get(name) != Some(value))
        .map(|(name, value)| {
            Draft::new(Event::Field {
                name: name.clone(),
                value: Some(value.clone()),
            })
        })
        .collect();
    if ticket.status != Status::Closed {
        drafts.push(Draft::with_body(
            Event::Close {},
            message.unwrap_or_default().to_string(),
        ));
    } else if let Some(m) = message {
        drafts.push(Draft::with_body(Event::Note { mail: None }, m.to_string()));
    }
    if let Some(text) = resolution {
        drafts.push(Draft::with_body(Event::Resolution {}, text.to_string()));
    }
    if lock && ticket.locked.is_none() {
        drafts.push(Draft::new(Event::Lock {}));
    }
    drafts
}
