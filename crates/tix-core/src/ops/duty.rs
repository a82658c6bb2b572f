//! The gate in front of every side effect a team must run once (importing
//! mail, `tix tick`, `tix outbox retry`): only the clone on duty passes,
//! after syncing so that what other clones wrote is here to thread onto.

use crate::domain::duration::Duration;
use crate::error::{Error, ErrorKind, Result};
use crate::store::{Author, DutyState, Store, SyncOptions};

/// The lease `tix duty take` gives when none is asked for.
pub const DEFAULT_LEASE: &str = "1h";

/// Lets `what` run on this clone, or refuses it (exit 9) because another
/// clone holds duty or nobody does. On the clone on duty it first syncs
/// (a remote that cannot be reached is a warning: the run goes on with
/// what is here) and renews a lease past half its time. `force` lets any
/// clone through and notes the override in every commit of the run.
pub fn before_side_effects(
    store: &Store,
    what: &str,
    force: bool,
    author: &Author,
    me: Option<&str>,
    warn: &dyn Fn(&str),
) -> Result<()> {
    let now = super::now()?;
    let status = store.duty_status(now)?;
    if matches!(status.state, DutyState::NoRemote | DutyState::NotInUse) {
        return Ok(());
    }
    let holding = status.state == DutyState::Mine || status.expired_mine;
    if !holding && !force {
        return Err(refusal(what, &status.clone, &status.describe()));
    }
    let sync = SyncOptions {
        remote: None,
        dry_run: false,
        author: author.clone(),
        me: me.map(str::to_string),
    };
    match store.sync(&sync) {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::RemoteUnreachable | ErrorKind::RemoteAuthFailed
            ) =>
        {
            warn(&format!(
                "{what} goes on without syncing first: {}",
                e.message()
            ));
        }
        Err(e) => return Err(e),
    }
    let status = store.duty_status(now)?;
    if status.state == DutyState::Mine || status.expired_mine {
        renew_if_due(store, &sync, &status, now, warn);
    }
    let status = store.duty_status(now)?;
    if status.allows_side_effects() {
        return Ok(());
    }
    if force {
        store.note_in_commits(format!(
            "Duty-Override: {what} forced with --force on clone {} ({})",
            status.clone,
            status.describe()
        ));
        return Ok(());
    }
    Err(refusal(what, &status.clone, &status.describe()))
}

fn refusal(what: &str, clone: &str, who: &str) -> Error {
    Error::new(
        ErrorKind::Denied,
        format!("{what} runs only on the clone on duty, and this clone ({clone}) is not: {who}"),
    )
    .with_hint("run it on the clone on duty, `tix duty take` to move duty here (once its lease has run out), or --force to run it here anyway (recorded)")
}

/// Renews this clone's lease once less than half of it is left, so a
/// clone that keeps running keeps duty; a lease that ran out is renewed
/// only if nobody took it meanwhile.
fn renew_if_due(
    store: &Store,
    sync: &SyncOptions,
    status: &crate::store::DutyStatus,
    now: crate::domain::Timestamp,
    warn: &dyn Fn(&str),
) {
    let Some(record) = &status.record else { return };
    let lease_text = record.lease.as_deref().unwrap_or(DEFAULT_LEASE);
    let Ok(lease) = Duration::parse_positive(lease_text) else {
        return;
    };
    let left = record
        .expires_at()
        .map(|e| now.seconds_until(e))
        .unwrap_or(0);
    if left * 2 > lease.seconds() {
        return;
    }
    let holder = record
        .holder
        .clone()
        .unwrap_or_else(|| sync.author.name.clone());
    if let Err(e) = store.duty_take(sync, &holder, lease_text, lease.seconds(), now, false) {
        warn(&format!("could not renew the duty lease: {}", e.message()));
    }
}

/// Who the sync before a side effect is by when no agent is named: the
/// same identity import commits carry.
pub fn side_effect_author(store: &Store) -> Author {
    Author::new(
        "tix duty",
        store
            .config()
            .mail
            .addresses
            .first()
            .cloned()
            .unwrap_or_else(|| "tix@localhost".into()),
    )
}
