//! `tix reply` and `tix comment`: entries whose point is their text.

use crate::cli::{CommentArgs, ReplyArgs, input};
use crate::domain::{Event, Status};
use crate::error::Result;
use crate::ops::{self, Draft};

use super::{Ctx, write};

pub fn reply(ctx: &Ctx, args: ReplyArgs) -> Result<()> {
    // Read everything the user gives before taking the store lock.
    let body = input::required_body(&args.body, "reply")?;
    let attachments = input::read_attachments(&args.attach)?;
    let wanted: Option<Status> = args.status.map(Into::into);
    write(ctx, &args.id, "reply", |store, _, ticket| {
        let mut drafts = vec![Draft {
            event: Event::Reply { mail: None },
            body,
            attachments,
        }];
        // Answering a new ticket means someone is on it.
        let next = wanted.or((ticket.status == Status::New).then_some(Status::Open));
        if let Some(to) = next.filter(|to| *to != ticket.status) {
            if to == Status::Closed {
                ops::check_closable(store.config(), ticket, &[])?;
            }
            drafts.push(Draft::new(if to == Status::Closed {
                Event::Close {}
            } else {
                Event::Status {
                    to,
                    from: Some(ticket.status),
                }
            }));
        }
        Ok(drafts)
    })?;
    Ok(())
}

pub fn comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    let body = input::required_body(&args.body, "note")?;
    let attachments = input::read_attachments(&args.attach)?;
    write(ctx, &args.id, "comment", |_, _, _| {
        Ok(vec![Draft {
            event: Event::Note { mail: None },
            body,
            attachments,
        }])
    })?;
    Ok(())
}
