//! Merging duplicates, undoing a merge, and splitting a new problem off
//! a ticket. Nothing is moved or rewritten: each records the same entry
//! on both tickets, in one commit, and the fold and the read of a trail
//! (`Store::read_folded`) do the rest.

use crate::domain::{Event, Party, Ticket, TicketId};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::store::{MAX_REFERENCE_DEPTH, Store};

use super::{Actor, Batch, Draft, Outcome};

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    pub source: TicketId,
    /// Where the source went: the ticket named, or the end of its chain
    /// when that ticket was merged into another already.
    pub target: TicketId,
    /// The ticket named, when it was a pointer and the merge followed it.
    pub followed_from: Option<TicketId>,
    pub commit: String,
    pub subject: String,
    pub warnings: Vec<String>,
}

/// The ticket that `id` stands for, and how many merges lead there:
/// itself (none), or the end of the chain of merges it starts, as `held`
/// folds them. A chain longer than [`MAX_REFERENCE_DEPTH`], or going
/// round, is refused.
pub fn end_of_merges(
    id: TicketId,
    mut held: impl FnMut(TicketId) -> Result<Option<TicketId>>,
) -> Result<(TicketId, usize)> {
    let mut at = id;
    let mut seen = vec![id];
    while let Some(next) = held(at)? {
        if seen.contains(&next) || seen.len() > MAX_REFERENCE_DEPTH {
            return Err(Error::invalid(format!(
                "ticket {id} is merged along a chain that goes round or runs over {MAX_REFERENCE_DEPTH} tickets ({})",
                seen.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" → ")
            ))
            .with_hint("unmerge one of them"));
        }
        seen.push(next);
        at = next;
    }
    Ok((at, seen.len() - 1))
}

/// The longest chain of merges ending at `id` (0 when nothing was merged
/// into it), counted no further than past [`MAX_REFERENCE_DEPTH`].
fn merges_into(batch: &mut Batch<'_>, id: TicketId, level: usize) -> Result<usize> {
    if level > MAX_REFERENCE_DEPTH {
        return Ok(0);
    }
    let sources: Vec<TicketId> = batch.ticket(id)?.merged_from.keys().copied().collect();
    let mut deepest = 0;
    for source in sources {
        deepest = deepest.max(1 + merges_into(batch, source, level + 1)?);
    }
    Ok(deepest)
}

/// Merges `source` into `target` (or into the ticket `target` was merged
/// into, following the chain). Refused when they are the same ticket
/// (a usage error), when the source is merged already or the merge
/// would go round (invalid), and, through the one check of every write,
/// when either is locked.
pub fn merge(store: &Store, actor: &Actor, source: TicketId, target: TicketId) -> Result<Merged> {
    if source == target {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("cannot merge ticket {source} into itself"),
        ));
    }
    let mut batch = Batch::begin(store)?;
    let (end, hops) = end_of_merges(target, |t| Ok(batch.ticket(t)?.merged_into))?;
    let from = batch.ticket(source)?.clone();
    if let Some(already) = from.merged_into {
        return Err(
            Error::invalid(format!("ticket {source} is merged into {already} already"))
                .with_remedy(Remedy::WriteToMergeTarget {
                    source: source.to_string(),
                    target: already.to_string(),
                }),
        );
    }
    if end == source {
        return Err(Error::invalid(format!(
            "ticket {target} is merged into {source}: merging {source} into it would go round"
        )));
    }
    // Readers follow a chain so far and no further: a longer one is not
    // made.
    let chain = merges_into(&mut batch, source, 1)? + 1 + hops;
    if chain > MAX_REFERENCE_DEPTH {
        return Err(Error::invalid(format!(
            "merging {source} into {end} would make a chain of {chain} merges; tix follows at most {MAX_REFERENCE_DEPTH}"
        ))
        .with_hint(format!(
            "unmerge the tickets merged into {source} and merge each into {end} directly"
        )));
    }
    let into = batch.ticket(end)?.clone();
    let event = Event::Merge {
        source,
        target: end,
        cc: joining_cc(&from, &into),
    };
    batch.append(actor, source, "merge", |_| {
        Ok(vec![Draft::new(event.clone())])
    })?;
    batch.append(actor, end, "merge", |_| Ok(vec![Draft::new(event.clone())]))?;
    let subject = into.subject.clone();
    let done = batch
        .commit(&actor.author(), &format!("merge {source} into {end}"))?
        .ok_or_else(|| Error::internal("a merge was not committed"))?;
    Ok(Merged {
        source,
        target: end,
        followed_from: (end != target).then_some(target),
        commit: done.commit,
        subject,
        warnings: done.warnings,
    })
}

/// The people of `from` (its customer, then its Cc) who are not on
/// `into` yet: they join its Cc, so replies on the merged ticket reach
/// everyone who wrote about it.
fn joining_cc(from: &Ticket, into: &Ticket) -> Vec<Party> {
    let mut out: Vec<Party> = Vec::new();
    for p in from.customer.iter().chain(from.cc.iter()) {
        let present = into
            .customer
            .iter()
            .chain(into.cc.iter())
            .chain(out.iter())
            .any(|c| c.same_address(&p.email));
        if !present {
            out.push(p.clone());
        }
    }
    out
}

/// What an unmerge did.
#[derive(Debug)]
pub struct Unmerged {
    pub source: TicketId,
    pub target: TicketId,
    pub commit: String,
    pub warnings: Vec<String>,
}

/// Undoes the merge of `source`: an `unmerge` entry on it and on the
/// ticket it was merged into, after which both fold as before the merge
/// (the source's status as it was). Refused when it is not merged, and
/// when either is locked.
pub fn unmerge(store: &Store, actor: &Actor, source: TicketId) -> Result<Unmerged> {
    let mut batch = Batch::begin(store)?;
    let Some(target) = batch.ticket(source)?.merged_into else {
        return Err(Error::invalid(format!(
            "ticket {source} is not merged into another ticket"
        )));
    };
    let event = Event::Unmerge { source, target };
    batch.append(actor, source, "unmerge", |_| {
        Ok(vec![Draft::new(event.clone())])
    })?;
    batch.append(actor, target, "unmerge", |_| {
        Ok(vec![Draft::new(event.clone())])
    })?;
    let done = batch
        .commit(&actor.author(), &format!("unmerge {source} from {target}"))?
        .ok_or_else(|| Error::internal("an unmerge was not committed"))?;
    Ok(Unmerged {
        source,
        target,
        commit: done.commit,
        warnings: done.warnings,
    })
}

/// Which entries of a ticket a split takes.
#[derive(Clone, Debug)]
pub enum SplitEntries {
    /// This entry and every later message, reply and note.
    From(String),
    /// These entries.
    Only(Vec<String>),
}

/// What a split did.
#[derive(Debug)]
pub struct SplitOff {
    pub source: TicketId,
    pub new: Outcome,
    /// The entry files the new ticket shows.
    pub entries: Vec<String>,
}

/// The entry of `ticket`'s trail that `typed` names: its file name, or a
/// unique start of it.
pub(super) fn entry_named<'t>(
    id: TicketId,
    trail: &'t [crate::domain::TrailItem],
    typed: &str,
) -> Result<&'t crate::domain::TrailItem> {
    let typed = typed.trim();
    if let Some(exact) = trail.iter().find(|i| i.file == typed) {
        return Ok(exact);
    }
    let matching: Vec<_> = trail
        .iter()
        .filter(|i| !typed.is_empty() && i.file.starts_with(typed))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::not_found(format!(
            "ticket {id} has no entry `{typed}` (entries are named as `tix show {id} --format json` lists them, `entry_file`)"
        ))),
        many => Err(Error::new(
            ErrorKind::Ambiguous,
            format!(
                "`{typed}` names {} entries of ticket {id}: {}",
                many.len(),
                many.iter()
                    .map(|i| i.file.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Whether a split can take the entry: text someone wrote after the
/// ticket was opened.
fn splittable(event: &Event) -> bool {
    matches!(
        event,
        Event::Message { .. } | Event::Reply { .. } | Event::Note { .. }
    )
}

/// Starts a new ticket from entries of `source`: the new ticket's
/// `created` (subject `subject` or the first entry's mail subject, the
/// customer the author of the first message chosen or the source's
/// customer), a `split` entry naming the entries (read from the source
/// when the trail is read, never copied) and a `related` link to the
/// source; the source gets the same `split` entry. All in one commit.
pub fn split(
    store: &Store,
    actor: &Actor,
    source: TicketId,
    which: SplitEntries,
    subject: Option<String>,
) -> Result<SplitOff> {
    let mut batch = Batch::begin(store)?;
    let (old, trail) = batch.trail(source)?;
    super::refuse_if_locked(&old)?;
    super::refuse_if_merged(&old)?;
    let own: Vec<&crate::domain::TrailItem> = trail.iter().filter(|i| i.origin.is_none()).collect();
    let chosen: Vec<&crate::domain::TrailItem> = match &which {
        SplitEntries::From(typed) => {
            let first = entry_named(source, &trail, typed)?;
            let start = own.iter().position(|i| i.file == first.file).unwrap_or(0);
            own[start..]
                .iter()
                .copied()
                .filter(|i| splittable(&i.entry.event))
                .collect()
        }
        SplitEntries::Only(typed) => {
            let mut out: Vec<&crate::domain::TrailItem> = Vec::new();
            for t in typed {
                let item = entry_named(source, &trail, t)?;
                if !out.iter().any(|o| o.file == item.file) {
                    out.push(item);
                }
            }
            out.sort_by_key(|i| own.iter().position(|o| o.file == i.file));
            out
        }
    };
    for item in &chosen {
        if !splittable(&item.entry.event) {
            return Err(Error::invalid(format!(
                "entry {} of ticket {source} is a `{}`; a split takes messages, replies and notes",
                item.file,
                item.entry.event.kind()
            )));
        }
        if let Some(to) = old.split_off.get(&item.file) {
            return Err(Error::invalid(format!(
                "entry {} of ticket {source} was split off to {to} already",
                item.file
            )));
        }
    }
    let Some(first) = chosen.first() else {
        return Err(Error::invalid(format!(
            "nothing to split off ticket {source}: no message, reply or note from there on"
        )));
    };
    let subject = match subject {
        Some(s) => s,
        None => first
            .entry
            .event
            .mail()
            .map(|m| m.subject.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("Split from {source}: {}", old.subject)),
    };
    super::check_subject(&subject)?;
    let customer = chosen
        .iter()
        .find_map(|i| match &i.entry.event {
            Event::Message { from, .. } => Some(from.clone()),
            _ => None,
        })
        .or_else(|| old.customer.clone())
        .ok_or_else(|| Error::invalid(format!("ticket {source} has no customer to split for")))?;
    let entries: Vec<String> = chosen.iter().map(|i| i.file.clone()).collect();
    let mut new_id = crate::store::random_id()?;
    while store.ticket_exists(&new_id)? {
        new_id = crate::store::random_id()?;
    }
    let split = Event::Split {
        source,
        target: new_id,
        entries: entries.clone(),
    };
    let created = Event::Created {
        subject,
        customer,
        cc: Vec::new(),
        priority: old.priority,
        tags: Vec::new(),
        fields: Default::default(),
        channel: None,
        // Mail about the new ticket goes out as about the old one.
        department: old.department.clone(),
        group: None,
    };
    batch.append(actor, source, "split", |_| {
        Ok(vec![Draft::new(split.clone())])
    })?;
    let drafts = vec![
        Draft::new(created),
        Draft::new(split),
        Draft::new(Event::Link {
            rel: crate::domain::LinkRel::Related,
            target: source,
        }),
    ];
    let files = batch.create(actor, new_id, drafts)?;
    let ticket = batch.ticket(new_id)?.clone();
    let done = batch
        .commit(&actor.author(), &format!("split {source}"))?
        .ok_or_else(|| Error::internal("a split was not committed"))?;
    Ok(SplitOff {
        source,
        entries,
        new: Outcome::committed(new_id, files, ticket, String::new(), done),
    })
}
