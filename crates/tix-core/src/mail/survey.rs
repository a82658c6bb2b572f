//! The satisfaction survey mail (`csat:`): a reply on the ticket's
//! thread whose subject carries the survey's token and whose text gives
//! one `mailto:` address per answer. `tix tick` records and sends it
//! (`rules/tick.rs`); the answers are filed by `mail/import/route.rs`.

use crate::domain::csat::{self, Scale};
use crate::domain::{Config, Event, Ticket, Timestamp, TrailItem};
use crate::error::Result;
use crate::ops::{Actor, Draft};

use super::compose::{self, Composed, Content, Context, Writer};
use super::respond::outbound_note;
use super::send;
use super::template::Template;

/// The entries that record a survey of `ticket` with `token` (the
/// `survey` and the outbound note carrying the mail, in this order) and
/// the mail to send once they are committed.
#[allow(clippy::too_many_arguments)]
pub fn draft(
    config: &Config,
    ticket: &Ticket,
    trail: &[TrailItem],
    actor: &Actor,
    template: &Template,
    token: &str,
    scale: Scale,
    now: Timestamp,
) -> Result<(Vec<Draft>, Composed)> {
    let support = compose::from_address(config)?;
    let text = csat::survey_text(&support, token, scale);
    let mut composed = compose::to_customer(
        &Context {
            config,
            ticket,
            trail,
            writer: Writer {
                name: &actor.name,
                email: &actor.email,
            },
        },
        &Content {
            template,
            text: &text,
            attachments: &[],
            automatic: true,
            similar_resolved: "",
        },
        now,
    )?;
    // A plain reply keeps the subject, and with it the token.
    let subject = format!(
        "{} {}",
        composed.outgoing.subject,
        csat::subject_mark(token)
    );
    composed.outgoing.subject = subject.clone();
    composed.meta.subject = subject;
    composed.bytes = send::render(&composed.outgoing)?;
    let survey = Draft::with_body(
        Event::Survey {
            token: token.to_string(),
            scale,
        },
        format!(
            "Satisfaction survey ({scale}) for {}.\n",
            composed.outgoing.recipients().join(", ")
        ),
    );
    let note = outbound_note("Satisfaction survey e-mailed to", &composed);
    Ok((vec![survey, note], composed))
}
