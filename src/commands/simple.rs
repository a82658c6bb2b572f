//! Commands that change one attribute of a ticket.

use crate::cli::{
    AssignArgs, CcArgs, FieldArgs, LinkArgs, PriorityArgs, StatusArgs, SubjectArgs, TagArgs,
};
use tix_core::domain::{Event, Link, LinkRel, Party, Priority, Status, fold, same_tag};
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Draft};

use super::{Ctx, write};
use crate::ui::input;

pub fn assign(ctx: &Ctx, args: AssignArgs) -> Result<()> {
    write(ctx, &args.id, "assign", |store, actor, ticket| {
        let to = match args.agent.as_deref() {
            None => None,
            Some("me") => Some(actor.handle.clone()),
            Some(who) => Some(ops::check_assignee(store.config(), who)?),
        };
        Ok(if to == ticket.assignee {
            vec![]
        } else {
            vec![Draft::new(Event::Assign { to })]
        })
    })?;
    Ok(())
}

pub fn status(ctx: &Ctx, args: StatusArgs) -> Result<()> {
    let to: Status = args.status.into();
    if to == Status::Closed {
        // A close like `tix close ID`'s: the fields it requires are asked
        // for before the lock is taken, and the plan re-checks under it.
        let store = ctx.store()?;
        let config = store.config().clone();
        let id = store.resolve_id(&args.id)?;
        let current = fold(id, store.read_ticket(&id)?.entries).0;
        drop(store);
        let mut fields = Vec::new();
        for def in ops::close::missing_fields(&config, &current, &fields)? {
            fields.push((def.name.clone(), input::field_to_close(id, def)?));
        }
        write(ctx, id.as_str(), "close", |_, _, ticket| {
            Ok(ops::close::drafts(ticket, &fields, None, false))
        })?;
        return Ok(());
    }
    write(ctx, &args.id, "status", |_, _, ticket| {
        Ok(if ticket.status == to {
            vec![]
        } else {
            vec![Draft::new(Event::Status {
                to,
                from: Some(ticket.status),
            })]
        })
    })?;
    Ok(())
}

pub fn priority(ctx: &Ctx, args: PriorityArgs) -> Result<()> {
    let to: Priority = args.priority.into();
    write(ctx, &args.id, "priority", |_, _, ticket| {
        Ok(if ticket.priority == to {
            vec![]
        } else {
            vec![Draft::new(Event::Priority { to })]
        })
    })?;
    Ok(())
}

pub fn subject(ctx: &Ctx, args: SubjectArgs) -> Result<()> {
    ops::check_subject(&args.subject)?;
    write(ctx, &args.id, "subject", |_, _, ticket| {
        Ok(if ticket.subject == args.subject {
            vec![]
        } else {
            vec![Draft::new(Event::Subject {
                to: args.subject.clone(),
            })]
        })
    })?;
    Ok(())
}

pub fn tags(ctx: &Ctx, args: TagArgs, add: bool) -> Result<()> {
    for t in &args.tags {
        ops::check_tag(t)?;
    }
    let verb = if add { "tag" } else { "untag" };
    write(ctx, &args.id, verb, |_, _, ticket| {
        let mut change: Vec<String> = Vec::new();
        for t in &args.tags {
            let has = ticket.tags.iter().any(|have| same_tag(have, t));
            if has != add && !change.iter().any(|c| same_tag(c, t)) {
                change.push(t.clone());
            }
        }
        if change.is_empty() {
            return Ok(vec![]);
        }
        let event = if add {
            Event::Tags {
                add: change,
                remove: vec![],
            }
        } else {
            Event::Tags {
                add: vec![],
                remove: change,
            }
        };
        Ok(vec![Draft::new(event)])
    })?;
    Ok(())
}

pub fn cc(ctx: &Ctx, args: CcArgs) -> Result<()> {
    if args.add.is_empty() && args.remove.is_empty() {
        return Err(Error::invalid(
            "nothing to do: give --add ADDRESS and/or --remove ADDRESS",
        ));
    }
    let add = args
        .add
        .iter()
        .map(|a| Party::parse(a).map_err(|e| Error::invalid(format!("--add: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    write(ctx, &args.id, "cc", |_, _, ticket| {
        let add: Vec<Party> = add
            .into_iter()
            .filter(|p| !ticket.cc.iter().any(|c| c.same_address(&p.email)))
            .collect();
        let remove: Vec<String> = args
            .remove
            .iter()
            .filter(|r| ticket.cc.iter().any(|c| c.same_address(r)))
            .cloned()
            .collect();
        Ok(if add.is_empty() && remove.is_empty() {
            vec![]
        } else {
            vec![Draft::new(Event::Cc { add, remove })]
        })
    })?;
    Ok(())
}

pub fn field(ctx: &Ctx, args: FieldArgs) -> Result<()> {
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

pub fn link(ctx: &Ctx, args: LinkArgs, add: bool) -> Result<()> {
    let store = ctx.store()?;
    let target = store.resolve_id(&args.target)?;
    drop(store);
    let rel: LinkRel = args.rel.into();
    let verb = if add { "link" } else { "unlink" };
    write(ctx, &args.id, verb, |_, _, ticket| {
        if ticket.id == target {
            return Err(Error::invalid(format!(
                "ticket {target} cannot be linked to itself"
            )));
        }
        let present = ticket.links.contains(&Link { rel, target });
        if !add && !present {
            // Removing a link of the wrong kind is a mistake to point out,
            // not a no-op: the link the user meant is still there.
            let others: Vec<String> = ticket
                .links
                .iter()
                .filter(|l| l.target == target)
                .map(|l| l.rel.to_string())
                .collect();
            if let Some(first) = others.first() {
                return Err(Error::invalid(format!(
                    "ticket {} has no {rel} link to {target}; its link to {target} is {}",
                    ticket.id,
                    others.join(" and ")
                ))
                .with_hint(format!("tix unlink {} {target} --rel {first}", ticket.id)));
            }
        }
        Ok(match (add, present) {
            (true, false) => vec![Draft::new(Event::Link { rel, target })],
            (false, true) => vec![Draft::new(Event::Unlink { rel, target })],
            _ => vec![],
        })
    })?;
    Ok(())
}
