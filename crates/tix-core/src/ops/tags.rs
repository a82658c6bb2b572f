//! Renaming a tag, or folding one into another, on every ticket that has
//! it: one `tags` entry per ticket (two for a change of spelling alone),
//! all in one commit.

use crate::domain::{TicketId, TicketView, same_tag};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::store::{ListRow, Store};

use super::{Actor, Batch, change, check_tag};

/// Whether the new tag may already be in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retag {
    /// `to` must be a new tag (or `from` in another spelling).
    Rename,
    /// `from` is folded into `to`, which may be in use already.
    Merge,
}

/// What a rename or merge did.
#[derive(Debug)]
pub struct Retagged {
    /// The commit, `None` when no ticket could change.
    pub commit: Option<String>,
    pub changed: Vec<TicketId>,
    /// Tickets that have the tag but take no changes (locked, or merged
    /// into another ticket), with why: they keep the old tag.
    pub skipped: Vec<(TicketId, String)>,
    pub warnings: Vec<String>,
}

/// Puts `to` in the place of `from` on every ticket that has `from`, as
/// one commit by `actor`. A ticket that takes no changes is left as it
/// was and reported; the others change. `from` on no ticket is not found;
/// a rename to a tag in use, or a merge of a tag into itself, is refused.
pub fn retag(store: &Store, actor: &Actor, from: &str, to: &str, how: Retag) -> Result<Retagged> {
    check_tag(from)?;
    check_tag(to)?;
    if how == Retag::Merge && same_tag(from, to) {
        return Err(Error::invalid(format!(
            "tags `{from}` and `{to}` are one tag (tags ignore case); nothing to merge"
        )));
    }
    let mut batch = Batch::begin(store)?;
    // Read after the lock is held, so no ticket tagged meanwhile is missed.
    let having = |tag: &str| tickets_with(store, tag);
    let ids = having(from)?;
    if ids.is_empty() {
        return Err(Error::not_found(format!("no ticket has the tag `{from}`")));
    }
    if how == Retag::Rename && !same_tag(from, to) {
        let taken = having(to)?.len();
        if taken > 0 {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!(
                    "tag `{to}` is already on {taken} ticket{}; renaming `{from}` to it would merge the two",
                    if taken == 1 { "" } else { "s" }
                ),
            )
            .with_remedy(Remedy::MergeTags(Box::new((
                from.to_string(),
                to.to_string(),
            )))));
        }
    }
    let mut changed = Vec::new();
    let mut skipped = Vec::new();
    for id in ids {
        let ticket = batch.ticket(id)?;
        let refusal = super::refuse_if_locked(ticket)
            .and_then(|()| super::refuse_if_merged(ticket))
            .err();
        if let Some(e) = refusal {
            skipped.push((id, e.message().to_string()));
            continue;
        }
        if batch
            .append(actor, id, "tag", |t| Ok(change::retag(t, from, to)))?
            .is_some()
        {
            changed.push(id);
        }
    }
    let verb = match how {
        Retag::Rename => format!("rename tag {from} to {to}"),
        Retag::Merge => format!("merge tag {from} into {to}"),
    };
    let done = batch.commit(&actor.author(), &verb)?;
    Ok(match done {
        Some(done) => Retagged {
            commit: Some(done.commit),
            changed,
            skipped,
            warnings: done.warnings,
        },
        None => Retagged {
            commit: None,
            changed,
            skipped,
            warnings: Vec::new(),
        },
    })
}

/// The tickets with `tag` (in any spelling), from the list rows.
fn tickets_with(store: &Store, tag: &str) -> Result<Vec<TicketId>> {
    let keep = |row: &ListRow<'_>| row.has_tag(tag);
    let rows = match store.list_rows()?.select(keep) {
        Ok(rows) => rows.iter().map(|r| r.id).collect(),
        Err(_) => store
            .rebuild_list_rows()?
            .select(keep)?
            .iter()
            .map(|r| r.id)
            .collect(),
    };
    Ok(rows)
}
