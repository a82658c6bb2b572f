//! `tix tags`: every tag in use with how many tickets have it, from the
//! list rows. Tags ignore case, so spellings are counted as one tag.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::Status;
use crate::error::Result;
use crate::store::{ListRow, Store};

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct TagCount {
    /// The spelling most tickets have (the first in order on a tie).
    pub tag: String,
    /// The tickets that have it.
    pub count: usize,
    /// Of those, the ones not closed.
    pub open: usize,
    /// Every spelling in use, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spellings: Vec<String>,
}

/// The tags of every ticket, most used first (then by name).
pub fn counts(store: &Store) -> Result<Vec<TagCount>> {
    // Folded tag → (spelling → tickets, tickets, open).
    type Tally = (HashMap<String, usize>, usize, usize);
    let tally = |by_tag: &mut HashMap<String, Tally>, row: &ListRow<'_>| {
        for tag in &row.tags {
            let e = by_tag.entry(tag.to_lowercase()).or_default();
            *e.0.entry(tag.to_string()).or_default() += 1;
            e.1 += 1;
            if row.status != Status::Closed {
                e.2 += 1;
            }
        }
        false
    };
    let mut by_tag: HashMap<String, Tally> = HashMap::new();
    if store
        .list_rows()?
        .select(|row| tally(&mut by_tag, row))
        .is_err()
    {
        by_tag.clear();
        store
            .rebuild_list_rows()?
            .select(|row| tally(&mut by_tag, row))?;
    }
    let mut out: Vec<TagCount> = by_tag
        .into_values()
        .map(|(spellings, tickets, open)| {
            let mut spellings: Vec<(String, usize)> = spellings.into_iter().collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let tag = spellings[0].0.clone();
            TagCount {
                tag,
                count: tickets,
                open,
                spellings: if spellings.len() > 1 {
                    spellings.into_iter().map(|(s, _)| s).collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.tag.to_lowercase().cmp(&b.tag.to_lowercase()))
    });
    Ok(out)
}
