//! Templates for the mail tix writes: text with placeholders such as
//! `{{customer.first_name|there}}`, filled from a ticket and its thread. Unknown placeholders are refused when a template is checked
//! (`tix check`), so a typo never reaches a customer.
//!
//! Syntax: `{{name}}` or `{{name|fallback}}`, where the fallback is used
//! when the value is empty. `{{{{` stands for a literal `{{`.

use std::collections::BTreeMap;

/// Every placeholder a template may use, with what it stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("ticket.id", "the ticket id"),
    ("ticket.subject", "the ticket's subject"),
    ("ticket.status", "its status"),
    ("ticket.priority", "its priority"),
    ("ticket.tag", "the subject tag, e.g. [tix #4K7Q2M9X]"),
    ("customer.name", "the customer's name, else address"),
    (
        "customer.first_name",
        "the first word of the customer's name",
    ),
    ("customer.email", "the customer's address"),
    ("agent.name", "the acting agent's name, else handle"),
    ("agent.email", "the acting agent's address"),
    ("team.name", "the team's name (config `name`)"),
    (
        "department.name",
        "the ticket's department (mail.departments), empty when none",
    ),
    (
        "signature",
        "the department's signature, else the team's name",
    ),
    ("ticket.group", "the group it was last escalated to"),
    ("ticket.assignee", "the assigned agent's handle"),
    (
        "text",
        "the agent's answer (reply template); the task and why, or the e-mail commands refused and why (task template); why mail left a ticket closed, or nothing (notify template)",
    ),
    ("thread", "every public message of the ticket, oldest first"),
    ("last_message", "the customer's last message"),
    (
        "message_count",
        "the number of public messages (those in {{thread}})",
    ),
    ("attachments", "the ticket's attachments, one per line"),
    (
        "similar_resolved",
        "notify template: resolved tickets like this one, a heading and a blank line after; empty when none",
    ),
];

/// The built-in templates, used when `.tix/templates/` has none.
pub const DEFAULT_REPLY: &str = "Hello {{customer.first_name|there}},\n\n{{text}}\n\n\
Best regards,\n{{agent.name}}\n{{signature}}\n";
pub const DEFAULT_AUTO_REPLY: &str = "Hello {{customer.first_name|there}},\n\n\
We received your message and opened ticket {{ticket.id}} for it.\n\
Replies to this mail (keep {{ticket.tag}} in the subject) go to the same ticket.\n\n\
{{team.name}}\n";
pub const DEFAULT_NOTIFY: &str = "{{ticket.tag}} {{ticket.subject}} ({{ticket.status}}, {{ticket.priority}})\n\
Customer: {{customer.name}} <{{customer.email}}>\n\
Status: {{ticket.status}}, group: {{ticket.group|none}}, assignee: {{ticket.assignee|nobody}}\n\n\
{{text}}{{thread}}\n\n\
{{similar_resolved}}\
--\nReply to this mail to answer the customer (greeting and sign-off are added).\n\
Commands, one per line at the top of the reply: #note (the rest stays internal),\n\
#assign me|AGENT|nobody, #open, #pending, #close, #status STATUS,\n\
#priority low|normal|high|urgent, #tag TAG..., #untag TAG..., #escalate [GROUP],\n\
#blacklist. A reply of commands alone sends the customer nothing.\n";

/// The satisfaction survey `tix tick` sends after a close (`csat:`);
/// `{{text}}` is how to answer and the address of each answer.
pub const DEFAULT_CSAT: &str = "Hello {{customer.first_name|there}},\n\n\
We closed ticket {{ticket.id}} ({{ticket.subject}}). How did we do?\n\n\
{{text}}\n\
Anything you write under your answer reaches us as a comment, and answering\n\
again changes your answer.\n\n\
{{team.name}}\n";

/// Mail to an agent about a task of a ticket: given to them, or due.
/// `{{text}}` says which task and why.
/// `tix forward`: the agent's words and the forwarded messages, which the
/// command puts in `{{text}}`.
pub const DEFAULT_FORWARD: &str = "{{text}}";

pub const DEFAULT_TASK: &str = "{{ticket.tag}} {{ticket.subject}} ({{ticket.status}}, {{ticket.priority}})\n\
Customer: {{customer.name}} <{{customer.email}}>\n\n\
{{text}}\n\n\
--\nReply to this mail to answer the customer (greeting and sign-off are added);\n\
start with a line #note to leave an internal note instead.\n";

#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Value { name: String, fallback: String },
}

/// A checked template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses and checks `text`. The error names the line and the
    /// placeholder.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            literal.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(tail) = after.strip_prefix("{{") {
                literal.push_str("{{");
                rest = tail;
                continue;
            }
            let line = 1 + text[..text.len() - rest.len() + start]
                .matches('\n')
                .count();
            let Some(end) = after.find("}}") else {
                return Err(format!("line {line}: `{{{{` without a closing `}}}}`"));
            };
            let inner = &after[..end];
            let (name, fallback) = inner.split_once('|').unwrap_or((inner, ""));
            let name = name.trim();
            if !PLACEHOLDERS.iter().any(|(n, _)| *n == name) {
                return Err(format!(
                    "line {line}: unknown placeholder `{{{{{name}}}}}` (known: {})",
                    PLACEHOLDERS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Value {
                name: name.to_string(),
                fallback: fallback.to_string(),
            });
            rest = &after[end + 2..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template { pieces })
    }

    /// Fills the placeholders; one without a value (or an empty one) takes
    /// its fallback.
    pub fn render(&self, values: &BTreeMap<&str, String>) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Value { name, fallback } => match values.get(name.as_str()) {
                    Some(v) if !v.is_empty() => out.push_str(v),
                    _ => out.push_str(fallback),
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn placeholders_fallbacks_and_escapes() {
        let t = Template::parse("Hello {{customer.first_name|there}}, {{{{literal}} {{ text }}!")
            .unwrap();
        assert_eq!(
            t.render(&values(&[("customer.first_name", "Ann"), ("text", "done")])),
            "Hello Ann, {{literal}} done!"
        );
        assert_eq!(t.render(&values(&[])), "Hello there, {{literal}} !");
    }

    #[test]
    fn defaults_are_valid() {
        for text in [DEFAULT_REPLY, DEFAULT_AUTO_REPLY, DEFAULT_NOTIFY] {
            Template::parse(text).unwrap();
        }
    }

    #[test]
    fn unknown_or_unclosed_placeholders_name_the_line() {
        let e = Template::parse("Hi\n\n{{custmer.name}}").unwrap_err();
        assert!(
            e.starts_with("line 3: unknown placeholder `{{custmer.name}}`"),
            "{e}"
        );
        let e = Template::parse("Hi {{text").unwrap_err();
        assert!(e.starts_with("line 1:"), "{e}");
    }
}
