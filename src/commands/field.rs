//! `tix field`: set or clear a custom field.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::error::{Error, Result};
use tix_core::ops::Draft;

use super::prelude::{Ctx, write};

#[derive(Args, Debug)]
pub struct FieldArgs {
    /// Ticket id (or a unique prefix); several as ID,ID or `-` for ids on
    /// standard input, one commit
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Field name, as declared in .tix/config.yaml
    #[arg(add = ArgValueCompleter::new(complete::field_names))]
    pub name: String,
    /// The value: text, a number, a date (YYYY-MM-DD) or one of the choices
    #[arg(required_unless_present = "unset")]
    pub value: Option<String>,
    /// Clear the field
    #[arg(long, conflicts_with = "value")]
    pub unset: bool,
}

pub fn cmd_field(ctx: &Ctx, args: FieldArgs) -> Result<()> {
    write(ctx, &args.id, "field", |store, _, ticket| {
        let config = store.config();
        let value = match &args.value {
            Some(raw) => Some(
                config
                    .parse_field_value(&args.name, raw)
                    .map_err(Error::invalid)?,
            ),
            None => {
                if config.field(&args.name).is_none() && !ticket.fields.contains_key(&args.name) {
                    return Err(Error::not_found(format!(
                        "ticket {} has no field `{}`",
                        ticket.id, args.name
                    )));
                }
                None
            }
        };
        Ok(if ticket.fields.get(&args.name) == value.as_ref() {
            vec![]
        } else {
            vec![Draft::new(Event::Field {
                name: args.name.clone(),
                value,
            })]
        })
    })?;
    Ok(())
}
