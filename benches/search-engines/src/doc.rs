//! One ticket as both engines index it, made from its fold.

use tix_core::domain::{Event, FieldValue, TicketId, fold};
use tix_core::store::Store;

use crate::Result;

/// The searchable text of a ticket and what its filters look at. Text is
/// already through [`prepare`].
pub struct TicketDoc {
    pub id: String,
    pub subject: String,
    /// What the customer may see: the request, messages, replies, the
    /// names and addresses of everyone in it, attachment names, tags,
    /// field values.
    pub public: String,
    /// Notes, resolutions and escalation reasons: for agents only.
    pub notes: String,
    /// The request (the created entry's body), for "similar tickets".
    pub first: String,
    pub status: String,
    pub priority: String,
    pub assignee: String,
    pub customer: String,
    pub domain: String,
    pub tags: Vec<String>,
    pub created: i64,
    pub updated: i64,
}

impl TicketDoc {
    pub fn read(store: &Store, id: &TicketId) -> Result<TicketDoc> {
        let files = store.read_ticket(id)?;
        let (ticket, trail) = fold(*id, files.entries);
        let mut public = Vec::new();
        let mut notes = Vec::new();
        let mut first = String::new();
        for item in &trail {
            if item.copy_of.is_some() || item.redundant {
                continue;
            }
            let body = &item.entry.body;
            match &item.entry.event {
                Event::Created { customer, cc, .. } => {
                    first = body.clone();
                    public.push(body.clone());
                    public.extend(customer.name.clone());
                    public.push(customer.email.clone());
                    for p in cc {
                        public.extend(p.name.clone());
                        public.push(p.email.clone());
                    }
                }
                Event::Message { from, .. } => {
                    public.extend(from.name.clone());
                    public.push(from.email.clone());
                    public.push(body.clone());
                }
                Event::Reply { .. } => public.push(body.clone()),
                Event::Cc { add, .. } => {
                    for p in add {
                        public.extend(p.name.clone());
                        public.push(p.email.clone());
                    }
                }
                Event::Attachment { name, .. } => public.push(name.clone()),
                Event::Note { .. } | Event::Close {} | Event::Escalate { .. } => {
                    notes.push(body.clone())
                }
                _ => {}
            }
        }
        public.extend(ticket.tags.iter().cloned());
        for (name, value) in &ticket.fields {
            match value {
                FieldValue::Text(t) => public.push(format!("{name} {t}")),
                FieldValue::Number(n) => public.push(format!("{name} {n}")),
            }
        }
        let customer = ticket
            .customer
            .as_ref()
            .map(|c| c.email.to_lowercase())
            .unwrap_or_default();
        let domain = customer
            .rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_default();
        Ok(TicketDoc {
            id: id.to_string(),
            subject: prepare(&ticket.subject),
            public: prepare(&public.join("\n")),
            notes: prepare(&notes.join("\n")),
            first: prepare(&first),
            status: ticket.status.as_str().to_string(),
            priority: ticket.priority.as_str().to_string(),
            assignee: ticket.assignee.clone().unwrap_or_default(),
            customer,
            domain,
            tags: ticket.tags.iter().cloned().collect(),
            created: ticket.created_at.map_or(0, |t| t.datetime().timestamp()),
            updated: ticket.updated_at.map_or(0, |t| t.datetime().timestamp()),
        })
    }
}

/// Whether `c` is written without spaces between words (Han, kana,
/// Hangul), so that a word tokenizer would take a whole run for one word.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}')
}

/// Text as both engines are given it (documents and queries alike):
/// every CJK character stands alone, so each is a token and a CJK
/// word is found as a phrase of its characters. Both tokenizers then
/// lowercase and remove accents.
pub fn prepare(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut last_cjk = false;
    for c in text.chars() {
        let cjk = is_cjk(c);
        if cjk || last_cjk {
            out.push(' ');
        }
        out.push(c);
        last_cjk = cjk;
    }
    out
}
