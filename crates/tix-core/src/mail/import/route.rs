//! Where a parsed message goes: a pure function of the message, what the
//! store knows (a [`MailView`]), the configuration and the time. Nothing
//! here reads or writes the store; [`super::Importer`] carries the
//! decision out.

use crate::domain::config::{ClosedReply, Department};
use crate::domain::csat::{self, Answer};
use crate::domain::{Config, Party, Status, Ticket, TicketId, Timestamp};
use crate::mail::classify::NoiseKind;
use crate::mail::parse::InboundMail;
use crate::mail::quote::split_reply;

use super::{find_subject_tag, kind_name};
use crate::mail::commands;

/// What routing needs to know of the store.
pub trait MailView {
    /// The ticket holding the mail with this Message-ID.
    fn ticket_of_message(&self, message_id: &str) -> Option<TicketId>;
    /// A ticket as it stands now.
    fn ticket(&self, id: TicketId) -> Option<&Ticket>;
    /// Whether `address` (lower case) is the customer, on the Cc, or wrote
    /// a message in ticket `id` as a participant.
    fn takes_part(&self, id: TicketId, address: &str) -> bool;
    /// Whether mail for a ticket this store does not have is held for it
    /// (another clone may have made the ticket) rather than made a new one.
    fn holds_mail_for_missing_tickets(&self) -> bool {
        false
    }
}

/// How the quarantine reason of held mail starts; what is held is retried
/// on every import and tick until its ticket is here.
pub const HELD_PREFIX: &str = "held: ";

/// What a message's headers and tag say of its ticket.
enum Threading {
    Onto(TicketId),
    /// Named by our own Message-ID or a tag, but not in this store.
    Missing(TicketId),
    Nothing,
}

/// The kinds of entry a message becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// A customer's (or anyone's but an agent's) message.
    Message,
    /// An agent's answer to the customer, sent by mail.
    Reply,
    /// Internal: automatic mail on its ticket, or an agent's mail that
    /// its commands keep from the customer (see [`commands::Block`]).
    Note,
}

impl MailKind {
    /// As in the entry's file name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Message => "message",
            MailKind::Reply => "reply",
            MailKind::Note => "note",
        }
    }
}

/// The decision for one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Its Message-ID is in the store already.
    Duplicate {
        ticket: TicketId,
    },
    /// Kept in the quarantine, not filed.
    Quarantine {
        reason: String,
    },
    /// Automatic mail that is not filed.
    Skip {
        noise: NoiseKind,
        reason: String,
    },
    Blacklisted {
        sender: String,
    },
    /// Automatic mail on its ticket: an internal note (which also records
    /// the failed delivery of a reply the ticket sent, for a bounce).
    Note {
        ticket: TicketId,
        noise: NoiseKind,
    },
    /// A bounce for a locked ticket, which takes no note: only the failed
    /// delivery of the reply it returns is recorded, or, when it returns
    /// none, `otherwise` is done.
    DeliveryOnly {
        ticket: TicketId,
        noise: NoiseKind,
        otherwise: Box<Route>,
    },
    /// Added to the ticket as `kind`.
    FollowUp {
        ticket: TicketId,
        kind: MailKind,
    },
    /// A person's message on a closed ticket that customers' mail has
    /// reopened `reopens` times in the day before, `cap` or more
    /// (`mail.reopen_limit`): filed as an internal note, the ticket left
    /// closed, and agents told.
    KeptClosed {
        ticket: TicketId,
        reopens: usize,
        cap: usize,
    },
    /// An answer to the satisfaction survey of `ticket` (its token is
    /// one of the ticket's, and the survey's window is still open): the
    /// mail as an internal note and a `rating` entry; the ticket stays as
    /// it is.
    Rating {
        ticket: TicketId,
        token: String,
        answer: Answer,
        /// The answer was the text's first word (not part of the comment).
        first_word: bool,
    },
    /// A new ticket, linked to `linked_to` when the message answered a
    /// locked ticket or a closed one that is not reopened.
    New {
        linked_to: Option<TicketId>,
    },
}

/// The department a new ticket opened by `mail` starts in: the first of
/// `mail.departments` (in the config's order) that its To, Cc or envelope
/// recipients name. The order, not which copy came first, decides, so a
/// message sent to two departments is filed alike on every clone.
pub fn department_of<'c>(config: &'c Config, mail: &InboundMail) -> Option<&'c Department> {
    config.mail.department_for(|d| {
        mail.to
            .iter()
            .chain(&mail.cc)
            .any(|p| d.has_address(&p.email))
            || mail.delivered_to.iter().any(|a| d.has_address(a))
    })
}

/// Who a message is from: From (or Sender), or, for automatic mail from
/// the null sender (bounces often are), a stand-in. None: nobody, and the
/// message is not automatic.
pub fn sender(mail: &InboundMail) -> Option<Party> {
    match (&mail.from, &mail.noise) {
        (Some(from), _) => Some(from.clone()),
        (None, Some(_)) => Some(Party {
            name: Some("unknown sender".into()),
            email: "unknown@invalid".into(),
        }),
        (None, None) => None,
    }
}

/// Where `mail` goes. The rules, in order: a Message-ID already in the
/// store is a duplicate; too many MIME parts quarantine it; our own mail
/// coming back (a loop) is skipped; no sender quarantines it; a
/// blacklisted sender is skipped; then it threads by its headers (or a
/// subject tag, when the sender takes part in that ticket; or, for a
/// bounce, by the message it returns). Automatic mail never starts or
/// reopens a ticket: threaded, it is a note; otherwise skipped (or
/// quarantined with `mail.quarantine_noise`).
pub fn route(mail: &InboundMail, view: &dyn MailView, config: &Config, now: Timestamp) -> Route {
    if let Some(ticket) = view.ticket_of_message(&mail.message_id) {
        return Route::Duplicate { ticket };
    }
    if mail.parts > config.mail.max_parts {
        // All or nothing: a part of a message filed would look like the
        // whole of it.
        return Route::Quarantine {
            reason: format!(
                "message has {} MIME parts; the limit is {} (mail.max_parts)",
                mail.parts, config.mail.max_parts
            ),
        };
    }
    if let Some(n) = &mail.noise
        && n.kind == NoiseKind::Loop
    {
        return Route::Skip {
            noise: n.kind,
            reason: n.reason.clone(),
        };
    }
    let Some(from) = sender(mail) else {
        return Route::Quarantine {
            reason: "no sender address in From or Sender".into(),
        };
    };
    if config
        .mail
        .blacklist
        .iter()
        .any(|b| b.matches(&from.email, &mail.subject))
    {
        return Route::Blacklisted { sender: from.email };
    }
    // Before threading: a survey's answer threads onto its ticket too, and
    // would otherwise be a message that reopens it.
    if mail.noise.is_none()
        && let Some(rating) = survey_answer(mail, &from, view, config, now)
    {
        return rating;
    }
    let is_bounce = mail
        .noise
        .as_ref()
        .is_some_and(|n| n.kind == NoiseKind::Bounce);
    let threaded = match thread(mail, &from, view, config) {
        Threading::Onto(ticket) => Some(ticket),
        Threading::Missing(ticket)
            if mail.noise.is_none() && view.holds_mail_for_missing_tickets() =>
        {
            return Route::Quarantine {
                reason: format!("{HELD_PREFIX}ticket {ticket} not here yet"),
            };
        }
        _ => None,
    };
    let threaded = threaded
        .or_else(|| {
            is_bounce
                .then(|| thread_bounce(mail, view, config))
                .flatten()
        })
        .map(|ticket| through_merges(view, ticket));
    let locked = |t: TicketId| view.ticket(t).is_some_and(|t| t.locked.is_some());
    match (&mail.noise, threaded) {
        (Some(noise), Some(ticket)) if !locked(ticket) => Route::Note {
            ticket,
            noise: noise.kind,
        },
        // A locked ticket takes no note, but what became of mail it sent
        // is still recorded (a delivery entry applies when locked).
        (Some(noise), Some(ticket)) if is_bounce => Route::DeliveryOnly {
            ticket,
            noise: noise.kind,
            otherwise: Box::new(unfiled_noise(noise.kind, &noise.reason, config)),
        },
        (Some(noise), _) => unfiled_noise(noise.kind, &noise.reason, config),
        (None, Some(ticket)) => follow_up_or_new(ticket, mail, &from, view, config, now),
        (None, None) => Route::New { linked_to: None },
    }
}

/// The rating `mail` gives, if it answers a survey: by the token of the
/// address it was sent to or of its subject, which must be a token of
/// the survey of the ticket it names (a made-up or stale one is ordinary
/// mail), on the survey's scale, within `csat.window` of the survey. An
/// agent's mail is never a rating.
fn survey_answer(
    mail: &InboundMail,
    from: &Party,
    view: &dyn MailView,
    config: &Config,
    now: Timestamp,
) -> Option<Route> {
    if config.agent(&from.email).is_some() {
        return None;
    }
    let to: Vec<&str> = mail
        .to
        .iter()
        .chain(&mail.cc)
        .map(|p| p.email.as_str())
        .collect();
    let reply = split_reply(&mail.text).reply;
    let found = csat::recognise(&to, &mail.subject, &reply)?;
    let ticket = csat::ticket_of_token(&found.token)?;
    let t = view.ticket(ticket)?;
    let survey = t.survey.as_ref()?;
    let known = survey
        .tokens
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&found.token));
    let open = survey.at.seconds_until(now) <= config.csat.window.seconds();
    (known
        && open
        && found.answer.scale() == survey.scale
        && t.locked.is_none()
        && t.merged_into.is_none())
    .then_some(Route::Rating {
        ticket,
        token: found.token,
        answer: found.answer,
        first_word: found.first_word,
    })
}

/// The ticket mail for `id` goes to: `id`, or, when it was merged into
/// another, the end of the chain of merges (bounded; a chain that goes
/// round stops where it started).
fn through_merges(view: &dyn MailView, id: TicketId) -> TicketId {
    let mut at = id;
    for _ in 0..crate::store::MAX_REFERENCE_DEPTH {
        match view.ticket(at).and_then(|t| t.merged_into) {
            Some(next) if next != id => at = next,
            _ => break,
        }
    }
    at
}

/// Automatic mail that belongs to no ticket (or to one that takes
/// nothing): skipped, or quarantined when the team asked for that.
fn unfiled_noise(noise: NoiseKind, reason: &str, config: &Config) -> Route {
    if config.mail.quarantine_noise {
        Route::Quarantine {
            reason: format!("automatic mail ({}): {reason}", kind_name(noise)),
        }
    } else {
        Route::Skip {
            noise,
            reason: reason.to_string(),
        }
    }
}

/// The ticket a message threads onto: by a message of the store it
/// answers, then by the ticket id in our own Message-ID it answers, then
/// by the subject tag (those two only when the sender takes part in the
/// ticket, so naming an id is not enough to write into a ticket).
fn thread(mail: &InboundMail, from: &Party, view: &dyn MailView, config: &Config) -> Threading {
    let answered = || mail.in_reply_to.iter().chain(mail.references.iter().rev());
    if let Some(ticket) = answered().find_map(|id| view.ticket_of_message(id)) {
        return Threading::Onto(ticket);
    }
    let sender = from.email.to_ascii_lowercase();
    let is_agent = config.agent(&from.email).is_some();
    let domain = crate::mail::send::message_id_domain(&config.mail);
    let by_own_id =
        answered().find_map(|id| crate::mail::send::ticket_of_own_message_id(id, &domain));
    let tagged = find_subject_tag(&config.mail.subject_tag, &mail.subject);
    let mut missing = None;
    for ticket in by_own_id.into_iter().chain(tagged) {
        if view.ticket(ticket).is_none() {
            missing.get_or_insert(ticket);
            continue;
        }
        if view.takes_part(ticket, &sender) || is_agent {
            return Threading::Onto(ticket);
        }
    }
    missing.map_or(Threading::Nothing, Threading::Missing)
}

/// The ticket a bounce belongs to by the message it returns: that
/// message's own id (ours, when it is a reply tix sent), then its
/// In-Reply-To and References, then the ticket tag in its subject, but
/// only when the returned message carries tix's Message-ID domain, so a
/// made-up bounce cannot write into a ticket by naming its tag.
fn thread_bounce(mail: &InboundMail, view: &dyn MailView, config: &Config) -> Option<TicketId> {
    let r = &mail.returned;
    let by_id = r
        .message_id
        .iter()
        .chain(r.thread.iter())
        .find_map(|id| view.ticket_of_message(id));
    if by_id.is_some() {
        return by_id;
    }
    let domain = crate::mail::send::message_id_domain(&config.mail);
    let ours = r
        .message_id
        .as_ref()
        .and_then(|id| id.rsplit_once('@'))
        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(&domain));
    let tagged = find_subject_tag(&config.mail.subject_tag, r.subject.as_deref()?)?;
    (ours && view.ticket(tagged).is_some()).then_some(tagged)
}

/// A person's message on `ticket`: a follow-up, unless the ticket is
/// locked, or closed and the team's `closed_reply` rule starts a new one,
/// or closed and reopened by mail as often as `mail.reopen_limit` allows
/// in the day before `now`.
fn follow_up_or_new(
    ticket: TicketId,
    mail: &InboundMail,
    from: &Party,
    view: &dyn MailView,
    config: &Config,
    now: Timestamp,
) -> Route {
    let new_linked = Route::New {
        linked_to: Some(ticket),
    };
    let Some(t) = view.ticket(ticket) else {
        return Route::New { linked_to: None };
    };
    if t.locked.is_some() {
        return new_linked;
    }
    let is_agent = config.agent(&from.email).is_some();
    if t.status == Status::Closed && !is_agent {
        let start_new = match config.mail.closed_reply {
            ClosedReply::Reopen => false,
            ClosedReply::New => true,
            ClosedReply::NewAfterDays => t.closed_at.is_some_and(|closed| {
                closed.seconds_until(now) > i64::from(config.mail.reopen_days) * 86_400
            }),
        };
        if start_new {
            return new_linked;
        }
        if let Some(cap) = config.mail.reopen_limit.cap() {
            let reopens = t.mail_reopens_in_day_before(now);
            if reopens >= cap {
                return Route::KeptClosed {
                    ticket,
                    reopens,
                    cap,
                };
            }
        }
    }
    // An agent writing by mail answers the customer, unless the commands
    // at the top of the text keep it internal (`#note`, a command not
    // understood) or there is nothing but commands.
    let kind = if !is_agent {
        MailKind::Message
    } else if commands::parse(&split_reply(&mail.text).reply).reaches_customer() {
        MailKind::Reply
    } else {
        MailKind::Note
    };
    Route::FollowUp { ticket, kind }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::domain::ticket::LockInfo;
    use crate::domain::{Agent, Role, fold};
    use crate::mail::classify::OwnMarks;
    use crate::mail::parse::parse;

    /// A store of tickets by hand.
    #[derive(Default)]
    struct Fake {
        messages: HashMap<String, TicketId>,
        tickets: HashMap<TicketId, Ticket>,
        participants: HashMap<TicketId, HashSet<String>>,
        hold: bool,
    }

    impl MailView for Fake {
        fn ticket_of_message(&self, message_id: &str) -> Option<TicketId> {
            self.messages.get(message_id).copied()
        }
        fn ticket(&self, id: TicketId) -> Option<&Ticket> {
            self.tickets.get(&id)
        }
        fn takes_part(&self, id: TicketId, address: &str) -> bool {
            self.participants
                .get(&id)
                .is_some_and(|p| p.contains(address))
        }
        fn holds_mail_for_missing_tickets(&self) -> bool {
            self.hold
        }
    }

    const ID: &str = "7K3F0000";

    fn config() -> Config {
        Config::new(
            None,
            Agent {
                handle: "alice".into(),
                name: None,
                email: "alice@example.com".into(),
                roles: vec![Role::Admin],
                signing_key: None,
                inactive: false,
            },
        )
    }

    fn now() -> Timestamp {
        Timestamp::parse_rfc3339("2026-03-02T10:00:00Z").unwrap()
    }

    /// A store with ticket ID (status `status`), whose customer is
    /// carol@example.com and which holds `<first@example.com>`.
    fn store_with(status: Status) -> Fake {
        let id: TicketId = ID.parse().unwrap();
        let mut ticket = fold(id, Vec::new()).0;
        ticket.status = status;
        if status == Status::Closed {
            ticket.closed_at = Some(now());
        }
        let mut fake = Fake::default();
        fake.messages.insert("first@example.com".into(), id);
        fake.tickets.insert(id, ticket);
        fake.participants
            .insert(id, HashSet::from(["carol@example.com".to_string()]));
        fake
    }

    fn mail(headers: &str) -> InboundMail {
        let raw = format!("{headers}\nContent-Type: text/plain\n\nHello.\n");
        parse(raw.as_bytes(), &OwnMarks::default()).unwrap()
    }

    fn id() -> TicketId {
        ID.parse().unwrap()
    }

    #[test]
    fn a_reply_by_its_headers_follows_up_and_a_known_id_is_a_duplicate() {
        let store = store_with(Status::Open);
        let reply = mail(
            "From: Carol <carol@example.com>\nMessage-ID: <second@example.com>\n\
             In-Reply-To: <first@example.com>\nSubject: Re: printer",
        );
        assert_eq!(
            route(&reply, &store, &config(), now()),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Message
            }
        );
        let again = mail("From: carol@example.com\nMessage-ID: <first@example.com>\nSubject: x");
        assert_eq!(
            route(&again, &store, &config(), now()),
            Route::Duplicate { ticket: id() }
        );
    }

    #[test]
    fn an_agents_mail_is_a_reply_or_with_a_note_marker_a_note() {
        let store = store_with(Status::Open);
        let headers = "From: alice@example.com\nMessage-ID: <a@example.com>\n\
                       In-Reply-To: <first@example.com>\nSubject: Re: printer";
        assert_eq!(
            route(&mail(headers), &store, &config(), now()),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Reply
            }
        );
        let raw = format!("{headers}\nContent-Type: text/plain\n\n#note\nFor the team.\n");
        let note = parse(raw.as_bytes(), &OwnMarks::default()).unwrap();
        assert_eq!(
            route(&note, &store, &config(), now()),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Note
            }
        );
    }

    /// Commands keep an agent's mail from the customer when they say so
    /// (`#note`), when one is not understood, or when there is no text.
    #[test]
    fn an_agents_commands_decide_whether_the_text_is_a_reply() {
        let store = store_with(Status::Open);
        let headers = "From: alice@example.com\nMessage-ID: <c@example.com>\n\
                       In-Reply-To: <first@example.com>\nSubject: Re: printer";
        for (text, kind) in [
            ("#pending\n\nWe ordered the part.\n", MailKind::Reply),
            ("#pending\n#tag parts\n", MailKind::Note),
            ("#pendng\nWe ordered the part.\n", MailKind::Note),
            ("#assign me\n#note\nOrdered.\n", MailKind::Note),
            ("Thanks.\n#close\n", MailKind::Reply),
        ] {
            let raw = format!("{headers}\nContent-Type: text/plain\n\n{text}");
            let m = parse(raw.as_bytes(), &OwnMarks::default()).unwrap();
            assert_eq!(
                route(&m, &store, &config(), now()),
                Route::FollowUp { ticket: id(), kind },
                "{text:?}"
            );
        }
    }

    /// Mail threading onto a ticket merged into another goes to the end
    /// of the chain, whose rules (open, closed, locked) then apply.
    #[test]
    fn mail_for_a_merged_ticket_goes_to_the_end_of_its_chain() {
        let mut store = store_with(Status::Closed);
        let middle: TicketId = "9QX20000".parse().unwrap();
        let end: TicketId = "ZZ990000".parse().unwrap();
        store.tickets.get_mut(&id()).unwrap().merged_into = Some(middle);
        let mut pointer = fold(middle, Vec::new()).0;
        pointer.status = Status::Closed;
        pointer.merged_into = Some(end);
        store.tickets.insert(middle, pointer);
        let mut target = fold(end, Vec::new()).0;
        target.status = Status::Open;
        store.tickets.insert(end, target);
        let reply = mail(
            "From: Carol <carol@example.com>\nMessage-ID: <second@example.com>\n\
             In-Reply-To: <first@example.com>\nSubject: Re: printer",
        );
        assert_eq!(
            route(&reply, &store, &config(), now()),
            Route::FollowUp {
                ticket: end,
                kind: MailKind::Message
            }
        );
        store.tickets.get_mut(&end).unwrap().locked = Some(crate::domain::ticket::LockInfo {
            by: "alice".into(),
            at: now(),
        });
        assert_eq!(
            route(&reply, &store, &config(), now()),
            Route::New {
                linked_to: Some(end)
            }
        );
    }

    #[test]
    fn a_subject_tag_threads_only_a_participant() {
        let store = store_with(Status::Open);
        let tagged = |from: &str| {
            mail(&format!(
                "From: {from}\nMessage-ID: <{from}.x>\nSubject: Re: [tix #{ID}] printer"
            ))
        };
        assert_eq!(
            route(&tagged("carol@example.com"), &store, &config(), now()),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Message
            }
        );
        assert_eq!(
            route(&tagged("mallory@example.com"), &store, &config(), now()),
            Route::New { linked_to: None }
        );
    }

    /// An answer to mail tix sent for ticket `ticket`, which the store
    /// has not seen (it was sent from another clone).
    fn answer_to_ours(from: &str, ticket: &str) -> InboundMail {
        let domain = crate::mail::send::message_id_domain(&config().mail);
        let ours = crate::mail::send::new_ticket_message_id(&domain, ticket.parse().unwrap());
        mail(&format!(
            "From: {from}\nMessage-ID: <{from}.y>\nIn-Reply-To: <{ours}>\nSubject: Re: printer"
        ))
    }

    #[test]
    fn an_answer_to_our_message_threads_by_the_ticket_id_in_its_message_id() {
        let store = store_with(Status::Open);
        assert_eq!(
            route(
                &answer_to_ours("carol@example.com", ID),
                &store,
                &config(),
                now()
            ),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Message
            }
        );
        // Naming the ticket is not enough for a stranger.
        assert_eq!(
            route(
                &answer_to_ours("mallory@example.com", ID),
                &store,
                &config(),
                now()
            ),
            Route::New { linked_to: None }
        );
    }

    #[test]
    fn mail_for_a_missing_ticket_is_held_only_where_another_clone_may_have_it() {
        let missing = "9Q2M0000";
        let mut store = store_with(Status::Open);
        let by_id = answer_to_ours("dave@example.com", missing);
        let by_tag = mail(&format!(
            "From: dave@example.com\nMessage-ID: <d.z>\nSubject: Re: [tix #{missing}] x"
        ));
        for m in [&by_id, &by_tag] {
            assert_eq!(
                route(m, &store, &config(), now()),
                Route::New { linked_to: None }
            );
        }
        store.hold = true;
        for m in [&by_id, &by_tag] {
            assert_eq!(
                route(m, &store, &config(), now()),
                Route::Quarantine {
                    reason: format!("{HELD_PREFIX}ticket {missing} not here yet")
                }
            );
        }
    }

    #[test]
    fn a_reply_to_a_locked_or_closed_ticket_starts_a_linked_one_as_configured() {
        let reply = mail(
            "From: carol@example.com\nMessage-ID: <b@example.com>\n\
             In-Reply-To: <first@example.com>\nSubject: Re: printer",
        );
        let mut locked = store_with(Status::Closed);
        locked.tickets.get_mut(&id()).unwrap().locked = Some(LockInfo {
            by: "alice".into(),
            at: now(),
        });
        assert_eq!(
            route(&reply, &locked, &config(), now()),
            Route::New {
                linked_to: Some(id())
            }
        );
        let closed = store_with(Status::Closed);
        assert_eq!(
            route(&reply, &closed, &config(), now()),
            Route::FollowUp {
                ticket: id(),
                kind: MailKind::Message
            }
        );
        let mut config = config();
        config.mail.closed_reply = ClosedReply::New;
        assert_eq!(
            route(&reply, &closed, &config, now()),
            Route::New {
                linked_to: Some(id())
            }
        );
    }

    #[test]
    fn a_closed_ticket_reopened_by_mail_up_to_the_cap_in_a_day_stays_closed() {
        let reply = mail(
            "From: carol@example.com\nMessage-ID: <b@example.com>\n\
             In-Reply-To: <first@example.com>\nSubject: Re: printer",
        );
        let mut store = store_with(Status::Closed);
        let hours_ago = |h: i64| now().plus_seconds(-h * 3600);
        store.tickets.get_mut(&id()).unwrap().mail_reopens =
            vec![hours_ago(30), hours_ago(20), hours_ago(2)];
        let mut config = config();
        config.mail.reopen_limit.per_day = 3;
        let follow_up = Route::FollowUp {
            ticket: id(),
            kind: MailKind::Message,
        };
        assert_eq!(route(&reply, &store, &config, now()), follow_up);
        config.mail.reopen_limit.per_day = 2;
        assert_eq!(
            route(&reply, &store, &config, now()),
            Route::KeptClosed {
                ticket: id(),
                reopens: 2,
                cap: 2
            }
        );
        // An agent's mail never reopens, so the cap is not theirs.
        let agents = mail(
            "From: alice@example.com\nMessage-ID: <c@example.com>\n\
             In-Reply-To: <first@example.com>\nSubject: Re: printer",
        );
        assert!(matches!(
            route(&agents, &store, &config, now()),
            Route::FollowUp {
                kind: MailKind::Reply,
                ..
            }
        ));
        config.mail.reopen_limit.per_day = 0;
        assert_eq!(route(&reply, &store, &config, now()), follow_up);
    }

    #[test]
    fn automatic_mail_is_noted_on_its_ticket_and_otherwise_skipped_or_quarantined() {
        let store = store_with(Status::Open);
        let auto = |thread: &str| {
            mail(&format!(
                "From: carol@example.com\nMessage-ID: <ooo{thread}@example.com>\n\
                 Auto-Submitted: auto-replied\n{thread}Subject: Out of office"
            ))
        };
        assert!(matches!(
            route(
                &auto("In-Reply-To: <first@example.com>\n"),
                &store,
                &config(),
                now()
            ),
            Route::Note { ticket, noise: NoiseKind::AutoReply } if ticket == id()
        ));
        assert!(matches!(
            route(&auto(""), &store, &config(), now()),
            Route::Skip {
                noise: NoiseKind::AutoReply,
                ..
            }
        ));
        let mut config = config();
        config.mail.quarantine_noise = true;
        assert!(matches!(
            route(&auto(""), &store, &config, now()),
            Route::Quarantine { reason } if reason.starts_with("automatic mail (auto-reply)")
        ));
    }

    #[test]
    fn mail_without_a_sender_is_quarantined() {
        let store = Fake::default();
        let nobody = mail("Message-ID: <n@example.com>\nSubject: who");
        assert_eq!(
            route(&nobody, &store, &config(), now()),
            Route::Quarantine {
                reason: "no sender address in From or Sender".into()
            }
        );
    }
}
