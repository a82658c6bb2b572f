//! Customer satisfaction surveys answered by e-mail: the scale and its
//! answers, the survey token, which closed tickets are due a survey, and
//! how an answer is recognised in a reply. Pure: the mail is sent by
//! `rules/tick.rs` and answers are filed by `mail/import/route.rs`.
//!
//! There is no link in a survey, only reply addresses (`mailto:`) and a
//! token in the subject, so a mail scanner that fetches every URL of a
//! message records nothing: an answer is a mail the customer sends.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::config::CsatConfig;
use super::entry::Status;
use super::id::TicketId;
use super::party::Party;
use super::ticket::{Ticket, same_tag};
use super::time::Timestamp;

/// The choices a survey offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scale {
    #[default]
    #[serde(rename = "good-bad")]
    GoodBad,
    #[serde(rename = "1-5")]
    OneToFive,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::GoodBad => "good-bad",
            Scale::OneToFive => "1-5",
        }
    }

    /// Every answer, best first.
    pub fn answers(self) -> Vec<Answer> {
        match self {
            Scale::GoodBad => vec![Answer::Good, Answer::Bad],
            Scale::OneToFive => (1..=5).rev().map(Answer::Score).collect(),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One answer to a survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Answer {
    Good,
    Bad,
    /// 1 (worst) to 5 (best).
    Score(u8),
}

impl Answer {
    /// An answer as typed: `good`, `bad` (any case), or a digit 1 to 5.
    pub fn parse(word: &str) -> Option<Answer> {
        let w = word.trim().trim_end_matches(['.', '!', ',']);
        if w.eq_ignore_ascii_case("good") {
            Some(Answer::Good)
        } else if w.eq_ignore_ascii_case("bad") {
            Some(Answer::Bad)
        } else {
            match w.as_bytes() {
                [d @ b'1'..=b'5'] => Some(Answer::Score(d - b'0')),
                _ => None,
            }
        }
    }

    pub fn scale(self) -> Scale {
        match self {
            Answer::Good | Answer::Bad => Scale::GoodBad,
            Answer::Score(_) => Scale::OneToFive,
        }
    }

    /// Whether it counts as satisfied: `good`, or 4 and 5 of five, as
    /// CSAT is usually counted.
    pub fn is_good(self) -> bool {
        matches!(self, Answer::Good | Answer::Score(4..=5))
    }

    /// The words of the survey for this answer.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Good => "Good, I'm satisfied",
            Answer::Bad => "Bad, I'm not satisfied",
            Answer::Score(5) => "5 (very satisfied)",
            Answer::Score(4) => "4",
            Answer::Score(3) => "3",
            Answer::Score(2) => "2",
            Answer::Score(_) => "1 (very unsatisfied)",
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Good => f.write_str("good"),
            Answer::Bad => f.write_str("bad"),
            Answer::Score(n) => write!(f, "{n}"),
        }
    }
}

impl From<Answer> for String {
    fn from(a: Answer) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for Answer {
    type Error = String;
    fn try_from(s: String) -> Result<Answer, String> {
        Answer::parse(&s).ok_or_else(|| format!("`{s}` is not an answer (good, bad, or 1 to 5)"))
    }
}

/// The survey a ticket was sent, as the fold keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub at: Timestamp,
    pub scale: Scale,
    /// Every token sent for the ticket (normally one; two clones that
    /// both sent one before syncing leave two, and both are answered).
    pub tokens: Vec<String>,
}

/// The latest answer to the ticket's survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub at: Timestamp,
    pub answer: Answer,
    /// Who answered (the sender's address).
    pub by: String,
}

/// How many survey tokens a ticket remembers.
pub const MAX_TOKENS: usize = 8;
/// The longest comment kept with a rating (characters); the whole
/// reply is kept with the mail.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Characters of the random part of a token.
pub const SECRET_LEN: usize = 12;

/// The token of a survey of ticket `id`: its id (lower case, so that a
/// mail system that folds the case of addresses keeps it) and a random
/// part that cannot be guessed.
pub fn token(id: TicketId, secret: &str) -> String {
    format!("{}-{}", id.as_str(), secret).to_ascii_lowercase()
}

/// The ticket a token names, if it is well formed.
pub fn ticket_of_token(token: &str) -> Option<TicketId> {
    let (id, secret) = token.split_once('-')?;
    if secret.len() != SECRET_LEN || !secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    id.to_ascii_uppercase().parse().ok()
}

/// The reply address of one answer: the support address with
/// `+rate-<token>-<answer>` added to its local part.
pub fn answer_address(support: &str, token: &str, answer: Answer) -> String {
    match support.rsplit_once('@') {
        Some((local, domain)) => format!("{local}+rate-{token}-{answer}@{domain}"),
        None => format!("{support}+rate-{token}-{answer}"),
    }
}

/// What a survey's subject carries, so that a plain reply is recognised.
pub fn subject_mark(token: &str) -> String {
    format!("[rate {token}]")
}

/// How to answer, then the choices: `{{text}}` of the survey template.
pub fn survey_text(support: &Party, token: &str, scale: Scale) -> String {
    let word = match scale {
        Scale::GoodBad => "one word, good or bad,",
        Scale::OneToFive => "one number, from 1 (very unsatisfied) to 5 (very satisfied),",
    };
    format!(
        "Reply to this mail with {word} at the top,\nor write to the address of your answer:\n\n{}",
        choices_text(support, token, scale)
    )
}

/// The choices of a survey, one line each, for `{{text}}` of its
/// template: the answer and the address that gives it, as `mailto:` (a
/// scanner does not send mail).
pub fn choices_text(support: &Party, token: &str, scale: Scale) -> String {
    scale
        .answers()
        .into_iter()
        .map(|a| {
            format!(
                "  {:<22} mailto:{}\n",
                a.label(),
                answer_address(&support.email, token, a)
            )
        })
        .collect()
}

/// An answer found in a message: by the address it was sent to, or by
/// the token in its subject and its first word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub token: String,
    pub answer: Answer,
    /// The answer was the first word of the text, which is then not
    /// part of the comment.
    pub first_word: bool,
}

/// The answer `to` (the recipients' addresses), `subject` and `reply`
/// (the text above the quote) give, if any. Bounded: only the first
/// recipients and a subject of sane length are looked at.
pub fn recognise(to: &[&str], subject: &str, reply: &str) -> Option<Found> {
    for address in to.iter().take(20) {
        let local = address.rsplit_once('@').map_or(*address, |(l, _)| l);
        let Some((_, tail)) = local.split_once('+') else {
            continue;
        };
        let Some(rest) = tail
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("rate-"))
            .map(|_| &tail[5..])
        else {
            continue;
        };
        let Some((token, answer)) = rest.rsplit_once('-') else {
            continue;
        };
        if let (Some(answer), Some(_)) = (Answer::parse(answer), ticket_of_token(token)) {
            return Some(Found {
                token: token.to_ascii_lowercase(),
                answer,
                first_word: false,
            });
        }
    }
    if subject.len() > 4096 {
        return None;
    }
    let lower = subject.to_ascii_lowercase();
    let start = lower.find("[rate ")?;
    let inside = &lower[start + 6..];
    let inside = &inside[..inside.find(']')?];
    let mut words = inside.split_whitespace();
    let token = words.next()?;
    ticket_of_token(token)?;
    let (answer, first_word) = match words.next() {
        Some(w) => (Answer::parse(w)?, false),
        None => (Answer::parse(reply.split_whitespace().next()?)?, true),
    };
    Some(Found {
        token: token.to_string(),
        answer,
        first_word,
    })
}

/// The comment of an answer: the reply text, without the answer word
/// when that was the answer, bounded.
pub fn comment(reply: &str, found: &Found) -> String {
    let text = reply.trim();
    let text = if found.first_word {
        text.split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest)
            .trim()
    } else {
        text
    };
    let mut out: String = text.chars().take(MAX_COMMENT_CHARS).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Why a ticket is not (yet) due a survey as of `now`, or None when it is:
/// closed at least `delay` ago (and not more than the window after
/// that, so that turning surveys on does not mail every customer of the
/// past), not reopened since, not surveyed before, not locked or merged,
/// with a customer whose address is not a no-reply one (`no_reply`
/// decides, the auto-responder's policy) and none of the excluded tags.
pub fn not_due(
    config: &CsatConfig,
    ticket: &Ticket,
    now: Timestamp,
    no_reply: impl Fn(&Party) -> bool,
) -> Option<&'static str> {
    let Some(closed) = ticket.closed_at.filter(|_| ticket.status == Status::Closed) else {
        return Some("not closed");
    };
    let age = closed.seconds_until(now);
    if ticket.survey.is_some() {
        return Some("surveyed already");
    }
    if age < config.delay.seconds() {
        return Some("closed too recently");
    }
    if age > config.delay.seconds() + config.window.seconds() {
        return Some("closed too long ago");
    }
    if ticket.locked.is_some() || ticket.merged_into.is_some() {
        return Some("locked or merged");
    }
    let Some(customer) = &ticket.customer else {
        return Some("no customer");
    };
    if no_reply(customer) {
        return Some("the customer's address takes no replies");
    }
    if ticket
        .tags
        .iter()
        .any(|t| config.exclude.iter().any(|x| same_tag(t, x)))
    {
        return Some("an excluded tag");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "7k3f0000-abcdefghjkmn";

    #[test]
    fn answers_parse_and_count() {
        assert_eq!(Answer::parse("Good"), Some(Answer::Good));
        assert_eq!(Answer::parse("BAD!"), Some(Answer::Bad));
        assert_eq!(Answer::parse("4"), Some(Answer::Score(4)));
        assert_eq!(Answer::parse("0"), None);
        assert_eq!(Answer::parse("6"), None);
        assert_eq!(Answer::parse("45"), None);
        assert_eq!(Answer::parse("goodish"), None);
        let good: Vec<bool> = Scale::OneToFive
            .answers()
            .iter()
            .map(|a| a.is_good())
            .collect();
        assert_eq!(good, [true, true, false, false, false]);
        assert!(Answer::Good.is_good() && !Answer::Bad.is_good());
    }

    #[test]
    fn a_token_names_its_ticket_and_nothing_else_does() {
        let id: TicketId = "7K3F0000".parse().unwrap();
        assert_eq!(token(id, "ABCDEFGHJKMN"), TOKEN);
        assert_eq!(ticket_of_token(TOKEN), Some(id));
        assert_eq!(ticket_of_token("7k3f0000-short"), None);
        assert_eq!(ticket_of_token("7k3f0000"), None);
        assert_eq!(ticket_of_token("!!!-abcdefghjkmn"), None);
    }

    #[test]
    fn an_answer_by_address_subject_or_first_word() {
        let address = answer_address("support@example.com", TOKEN, Answer::Good);
        assert_eq!(address, format!("support+rate-{TOKEN}-good@example.com"));
        let found = recognise(&[&address.to_ascii_uppercase()], "Re: x", "Thanks!").unwrap();
        assert_eq!((found.token.as_str(), found.answer), (TOKEN, Answer::Good));
        assert_eq!(comment("Thanks!", &found), "Thanks!\n");

        let subject = format!("Re: [tix #7K3F0000] printer {}", subject_mark(TOKEN));
        let found = recognise(&["support@example.com"], &subject, "3 it took long").unwrap();
        assert_eq!(found.answer, Answer::Score(3));
        assert!(found.first_word);
        assert_eq!(comment("3 it took long", &found), "it took long\n");
        // A reply whose first word is no answer is no rating.
        assert_eq!(recognise(&[], &subject, "Hello again"), None);
        assert_eq!(
            recognise(&[], &format!("[rate {TOKEN} bad]"), "")
                .unwrap()
                .answer,
            Answer::Bad
        );
        // Malformed: no token, a bad answer, a huge subject.
        assert_eq!(recognise(&["support+rate-x-good@e.com"], "", ""), None);
        assert_eq!(
            recognise(&[&format!("support+rate-{TOKEN}-9@e.com")], "", ""),
            None
        );
        assert_eq!(recognise(&[], &"[rate ".repeat(10_000), "good"), None);
        assert_eq!(recognise(&[], "[rate ", "good"), None);
    }

    #[test]
    fn a_long_comment_is_cut() {
        let found = Found {
            token: TOKEN.into(),
            answer: Answer::Good,
            first_word: false,
        };
        let long = "é".repeat(MAX_COMMENT_CHARS + 10);
        let c = comment(&long, &found);
        assert_eq!(c.chars().count(), MAX_COMMENT_CHARS + 2);
    }

    #[test]
    fn the_survey_offers_every_answer_with_no_link() {
        let support = Party::parse("Support <support@example.com>").unwrap();
        let text = choices_text(&support, TOKEN, Scale::OneToFive);
        assert_eq!(text.lines().count(), 5);
        assert!(text.contains(&format!("mailto:support+rate-{TOKEN}-5@example.com")));
        assert!(!text.contains("http"));
    }
}
