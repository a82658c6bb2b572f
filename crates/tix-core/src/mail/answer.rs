//! What follows filing mail, whichever way it came in (a mailbox, a
//! fetch, a quarantine retry): acknowledging the tickets it opened,
//! notifying agents, answering agents whose e-mailed commands were
//! refused, passing agents' e-mailed replies on to customers.

use crate::ops;
use crate::store::Store;

use super::file::Counts;
use super::respond;

/// Acknowledges, notifies and relays for what an import filed, counting
/// what was sent in `counts`. Its problems go to `warn` as they happen
/// and stop nothing, since the mail is filed either way.
pub fn answer_filed(store: &Store, counts: &mut Counts, mut warn: impl FnMut(&str)) {
    let now = match ops::now() {
        Ok(now) => now,
        Err(e) => return warn(e.message()),
    };
    match respond::acknowledge(store, &counts.created, now) {
        Ok(done) => {
            counts.acknowledged = done.sent;
            unsent(&done.failed, &mut warn);
        }
        Err(e) => warn(&format!(
            "the new tickets are filed but were not acknowledged: {}",
            e.message()
        )),
    }
    if !counts.relay.is_empty() && store.config().mail.outgoing.is_none() {
        warn(
            "agents' e-mailed replies are filed but not passed on: mail.outgoing is not configured",
        );
    }
    match respond::notify(
        store,
        &counts.created,
        &counts.followed_up,
        &counts.kept_closed_notes,
        now,
    ) {
        Ok(done) => {
            counts.notified = done.sent;
            unsent(&done.failed, &mut warn);
        }
        Err(e) => warn(&format!("agents were not notified: {}", e.message())),
    }
    match super::rule_mail::send_all(store, &counts.rule_mail) {
        Ok(done) => {
            counts.rule_mail_sent = done.sent;
            for why in &done.skipped {
                warn(why);
            }
            unsent(&done.failed, &mut warn);
        }
        Err(e) => warn(&format!(
            "the mail the rules asked for was not sent: {}",
            e.message()
        )),
    }
    match respond::answer_refused_commands(store, &counts.refused, now) {
        Ok(done) => {
            counts.refusals_answered = done.sent;
            unsent(&done.failed, &mut warn);
        }
        Err(e) => warn(&format!(
            "agents' refused e-mail commands are recorded but were not answered: {}",
            e.message()
        )),
    }
    match respond::relay(store, &counts.relay, now) {
        Ok(done) => {
            counts.relayed = done.sent;
            unsent(&done.failed, &mut warn);
        }
        Err(e) => warn(&format!(
            "agents' e-mailed replies are filed but were not passed on: {}",
            e.message()
        )),
    }
}

fn unsent(failed: &[String], warn: &mut impl FnMut(&str)) {
    for f in failed {
        warn(&format!("{f} (recorded; `tix outbox retry` sends it)"));
    }
}
