//! `tix export customer EMAIL --html DIR` and `--org DOMAIN`: the
//! customer's tickets as a folder of static pages: `index.html`, one
//! `ticket-ID.html` per ticket, `style.css`, and the public entries'
//! attachments under `files/ID/` by safe names. No script, nothing
//! loaded from elsewhere, every text escaped.
//!
//! Whose tickets: those where the address (or, for an organisation, one
//! of its members) is the customer, as the customer directory has them
//! (`tix customer`); a ticket they are only in Cc of is left out, since
//! it is someone else's. A ticket merged into another of theirs is shown
//! in that one; entries that came from a ticket not theirs (merged in
//! from another customer) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::customers::Role;
use crate::domain::public::{self, PublicAttachment};
use crate::domain::{TicketId, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::query::customers::{self, CardTicket, DirectoryOptions, PeopleSort};
use crate::render::html::{Css, STYLE};
use crate::render::site::{self as pages, SiteTicket, safe_file_name};
use crate::store::Store;

/// The largest attachment copied into a site; a larger one is named on
/// its page but not copied (a customer who sent it has it).
pub const MAX_ATTACHMENT_BYTES: usize = 64 << 20;

/// The most tickets one site holds: past it the export is refused, with
/// the number, rather than writing a folder nobody can browse.
pub const MAX_TICKETS: usize = 10_000;

/// Whose history.
#[derive(Clone, Debug)]
pub enum Whose {
    /// An address (`Name <addr>` accepted).
    Customer(String),
    /// An organisation, by name or domain (see `tix customers org`).
    Organisation(String),
}

#[derive(Clone, Debug)]
pub struct SiteOptions {
    pub whose: Whose,
    /// Made if missing; must be empty if it exists.
    pub dir: PathBuf,
    pub now: Timestamp,
}

/// What a site holds.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// The address, or the organisation's name.
    pub heading: String,
    pub tickets: usize,
    /// Public entries shown, over all pages.
    pub entries: usize,
    pub attachments: usize,
    /// Attachments named but not copied: missing from the store or too
    /// large (`ticket/file: why`).
    pub not_copied: Vec<String>,
    /// Every file written, relative to the folder.
    pub files: Vec<String>,
}

/// Writes the site for `options.whose` into `options.dir`.
pub fn write(store: &Store, options: &SiteOptions) -> Result<Site> {
    let (heading, listed) = tickets_of(store, &options.whose, options.now)?;
    if listed.len() > MAX_TICKETS {
        return Err(Error::invalid(format!(
            "{heading} has {} tickets, more than the {MAX_TICKETS} one site holds",
            listed.len()
        )));
    }
    let theirs: BTreeSet<TicketId> = listed.iter().map(|t| t.id).collect();
    prepare_dir(&options.dir)?;
    let mut site = Site {
        heading: heading.clone(),
        ..Site::default()
    };
    let mut shown: Vec<SiteTicket> = Vec::new();
    let mut hrefs: BTreeMap<(TicketId, String), String> = BTreeMap::new();
    for listed in &listed {
        let folded = store.read_folded(&listed.id)?;
        let ticket = folded.ticket;
        if ticket.merged_into.is_some_and(|t| theirs.contains(&t)) {
            continue;
        }
        let thread = public::thread(&ticket, &folded.trail, |origin| theirs.contains(&origin));
        let mut n = 0usize;
        for a in thread.iter().flat_map(|e| &e.attachments) {
            n += 1;
            let key = (a.ticket, a.file.clone());
            if hrefs.contains_key(&key) {
                continue;
            }
            match copy_attachment(store, &options.dir, ticket.id, n, a, &mut site)? {
                Some(href) => {
                    hrefs.insert(key, href);
                }
                None => continue,
            }
        }
        site.entries += thread.len();
        shown.push(SiteTicket {
            id: ticket.id,
            subject: ticket.subject.clone(),
            status: ticket.status,
            created_at: ticket.created_at,
            updated_at: thread.last().map(|e| e.at),
            thread,
        });
    }
    site.tickets = shown.len();
    write_file(&options.dir, "style.css", STYLE.as_bytes(), &mut site)?;
    let index = pages::index_page(&heading, &shown, options.now);
    write_file(&options.dir, "index.html", index.as_bytes(), &mut site)?;
    let href = |a: &PublicAttachment| hrefs.get(&(a.ticket, a.file.clone())).cloned();
    for t in &shown {
        let page = pages::ticket_page(
            t,
            Some("index.html"),
            Css::Linked("style.css"),
            &href,
            options.now,
        );
        write_file(
            &options.dir,
            &pages::ticket_page_name(&t.id),
            page.as_bytes(),
            &mut site,
        )?;
    }
    Ok(site)
}

/// The heading and the tickets where they are the customer, open first,
/// then the most recently active.
fn tickets_of(store: &Store, whose: &Whose, now: Timestamp) -> Result<(String, Vec<CardTicket>)> {
    match whose {
        Whose::Customer(address) => {
            let card = customers::card(store, address, now)?;
            let tickets = card
                .tickets
                .into_iter()
                .filter(|t| t.role == Role::Customer)
                .collect();
            Ok((card.email, tickets))
        }
        Whose::Organisation(name) => {
            let options = DirectoryOptions {
                sort: PeopleSort::Name,
                limit: None,
            };
            let org = customers::organisation(store, name, &options, now)?;
            let tickets = org
                .tickets
                .into_iter()
                .filter(|t| t.role == Role::Customer)
                .collect();
            Ok((org.organisation.name, tickets))
        }
    }
}

/// Makes `dir`, or accepts it empty: a site is never written over other
/// files, which could be an older export's pages of someone else.
fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "{} is not empty: the export writes into a new or empty folder",
                        dir.display()
                    ),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::internal(format!("cannot make {}: {e}", dir.display())).with_source(e)
            })
        }
        Err(e) => {
            Err(Error::internal(format!("cannot read {}: {e}", dir.display())).with_source(e))
        }
    }
}

/// Writes `rel` (a name made here, never a user's) as a new file.
fn write_file(dir: &Path, rel: &str, bytes: &[u8], site: &mut Site) -> Result<()> {
    let path = dir.join(rel);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            Error::internal(format!("cannot write {}: {e}", path.display())).with_source(e)
        })?;
    f.write_all(bytes).map_err(|e| {
        Error::internal(format!("cannot write {}: {e}", path.display())).with_source(e)
    })?;
    site.files.push(rel.to_string());
    Ok(())
}

/// Copies attachment `a` to `files/ID/n-name`; its link, or None when
/// it is missing or too large (then noted in `not_copied`).
fn copy_attachment(
    store: &Store,
    dir: &Path,
    page: TicketId,
    n: usize,
    a: &PublicAttachment,
    site: &mut Site,
) -> Result<Option<String>> {
    let what = format!("{}/{}", a.ticket, a.file);
    if a.size as usize > MAX_ATTACHMENT_BYTES {
        site.not_copied
            .push(format!("{what}: larger than {MAX_ATTACHMENT_BYTES} bytes"));
        return Ok(None);
    }
    let Some(bytes) = store.read_file(&format!("{}/{}", Store::ticket_dir(&a.ticket), a.file))?
    else {
        site.not_copied.push(format!("{what}: not in the store"));
        return Ok(None);
    };
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        site.not_copied
            .push(format!("{what}: larger than {MAX_ATTACHMENT_BYTES} bytes"));
        return Ok(None);
    }
    let folder = format!("files/{page}");
    let full = dir.join(&folder);
    std::fs::create_dir_all(&full).map_err(|e| {
        Error::internal(format!("cannot make {}: {e}", full.display())).with_source(e)
    })?;
    let rel = format!("{folder}/{}", safe_file_name(n, &a.name));
    write_file(dir, &rel, &bytes, site)?;
    site.attachments += 1;
    Ok(Some(rel))
}
