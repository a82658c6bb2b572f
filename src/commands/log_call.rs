//! `tix log-call`: a phone call with the customer, recorded on the ticket.

use clap::{Args, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use tix_core::domain::Event;
use tix_core::domain::channel::Direction;
use tix_core::domain::duration::Duration;
use tix_core::error::{Error, Result};
use tix_core::ops::Draft;

use super::prelude::{AttachArgs, BodyArgs, Ctx, write_on};

#[derive(Args, Debug)]
pub struct LogCallArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Who called: `in`, the customer (counts as their message, answered
    /// at once), or `out`, you (counts as a reply)
    #[arg(long, value_enum, default_value_t = DirectionValue::In)]
    pub direction: DirectionValue,
    /// How long the call took (6m, 1h15m)
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub attach: AttachArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionValue {
    In,
    Out,
}

impl From<DirectionValue> for Direction {
    fn from(v: DirectionValue) -> Direction {
        match v {
            DirectionValue::In => Direction::In,
            DirectionValue::Out => Direction::Out,
        }
    }
}

pub fn cmd_log_call(ctx: &Ctx, args: LogCallArgs) -> Result<()> {
    let duration = args
        .duration
        .as_deref()
        .map(Duration::parse_positive)
        .transpose()
        .map_err(|e| Error::invalid(format!("--duration: {e}")))?;
    let (store, actor, id) = ctx.target(&args.id)?;
    let attachments = args.attach.read(store.config().max_attachment_bytes)?;
    let body = args.body.required("call summary")?;
    write_on(&store, &actor, id, "log-call", |_, _, _| {
        Ok(vec![Draft::with_attachments(
            Event::Call {
                direction: args.direction.into(),
                duration,
            },
            body,
            attachments,
        )])
    })?;
    Ok(())
}
