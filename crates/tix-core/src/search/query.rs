//! The search query language (docs/search.md), parsed into [`Query`]:
//! words that must all match, `"phrases"`, `-exclusions`, and
//! `key:value` filters. Pure and bounded: the text, the number of terms
//! and every value have a limit, control characters are refused, and
//! every error names the term it is about.

use chrono::NaiveDate;

use super::text;
use crate::domain::time::parse_when;
use crate::domain::{Priority, Status, Timestamp};
use crate::error::{Error, ErrorKind, Result};

/// Longer queries are refused rather than read.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Words, phrases and filters together.
pub const MAX_TERMS: usize = 32;

/// Where words are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everything an agent may see: subject, messages, replies, notes,
    /// attachment names, people, tags, custom field values.
    All,
    /// What the customer saw: subject, messages and replies, attachment
    /// names, people, tags, custom field values; no notes.
    Public,
    /// Only internal notes (and internal bodies: close, escalate).
    Notes,
}

/// Words or a phrase: the folded words of the text, in order. One word
/// is a word query; several (a quoted phrase, `error-42`, a run of Han
/// characters) must stand together, in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub words: Vec<String>,
    /// As typed, for messages.
    pub typed: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// The ticket id, upper case.
    Id(String),
    /// The customer or anyone whose message is in the ticket, by address
    /// or name (words, in order).
    From(Text),
    /// Someone in Cc, by address or name.
    Cc(Text),
    /// The customer's mail domain, lower case.
    Org(String),
    /// The assignee's handle, lower case.
    Assignee(String),
    Tag(String),
    Status(Status),
    Priority(Priority),
    Group(String),
    /// A custom field's value, both lower case.
    Field {
        name: String,
        value: String,
    },
    /// Created in `[from, until)`.
    Created {
        from: Option<Timestamp>,
        until: Option<Timestamp>,
    },
    HasAttachment,
    Locked,
    Assigned,
    Unassigned,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Text(Text),
    Filter(Filter),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub negated: bool,
    pub term: Term,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub clauses: Vec<Clause>,
    pub scope: Scope,
}

impl Query {
    /// Every word of the positive text terms, for marking matches.
    pub fn highlight_words(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .filter_map(|c| match &c.term {
                Term::Text(t) => Some(t.words.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// What the parser needs to know besides the text.
pub struct Context<'a> {
    pub now: Timestamp,
    /// Custom fields the config declares, which may be used as keys.
    pub fields: &'a [&'a str],
    /// A customer-facing search: notes are out of reach.
    pub public: bool,
}

pub fn parse(input: &str, cx: &Context<'_>) -> Result<Query> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(usage(format!(
            "the query is {} bytes long; at most {MAX_QUERY_BYTES} are searched",
            input.len()
        )));
    }
    if let Some(c) = input
        .chars()
        .find(|c| c.is_control() && !matches!(c, ' ' | '\t' | '\n'))
    {
        return Err(usage(format!(
            "the query holds the control character U+{:04X}",
            c as u32
        )));
    }
    let raw = split(input)?;
    if raw.len() > MAX_TERMS {
        return Err(usage(format!(
            "the query has {} terms; at most {MAX_TERMS} are searched",
            raw.len()
        )));
    }
    let mut query = Query {
        clauses: Vec::new(),
        scope: if cx.public { Scope::Public } else { Scope::All },
    };
    for term in raw {
        term_into(term, cx, &mut query)?;
    }
    if query.clauses.is_empty() {
        return Err(usage(
            "the query has nothing to look for: give a word, a phrase or a filter".to_string(),
        ));
    }
    Ok(query)
}

fn usage(message: String) -> Error {
    Error::new(ErrorKind::Usage, message)
        .with_hint("docs/search.md (and `tix search --help`) describe the query language")
}

/// One term as typed: its sign, its key if it has one, its value and
/// whether the value was quoted.
#[derive(Debug, PartialEq)]
struct RawTerm {
    negated: bool,
    key: Option<String>,
    value: String,
    quoted: bool,
    typed: String,
}

/// Splits the query at white space outside quotes.
fn split(input: &str) -> Result<Vec<RawTerm>> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        if c == '-' {
            negated = true;
            chars.next();
        }
        let mut key = None;
        let mut value = String::new();
        let mut quoted = false;
        let mut end = input.len();
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() {
                end = at;
                break;
            }
            chars.next();
            if c == '"' {
                quoted = true;
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    value.push(c);
                }
                if !closed {
                    return Err(usage(format!(
                        "the quote opened in `{}` is not closed",
                        &input[start..]
                    )));
                }
            } else if c == ':' && key.is_none() && !quoted && is_key(&value) {
                key = Some(std::mem::take(&mut value).to_ascii_lowercase());
            } else {
                value.push(c);
            }
        }
        let typed = input[start..end].to_string();
        if negated && key.is_none() && value.is_empty() && !quoted {
            // A lone `-` is punctuation, not an exclusion of nothing.
            continue;
        }
        out.push(RawTerm {
            negated,
            key,
            value,
            quoted,
            typed,
        });
    }
    Ok(out)
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn term_into(raw: RawTerm, cx: &Context<'_>, query: &mut Query) -> Result<()> {
    let negated = raw.negated;
    let push = |query: &mut Query, term: Term| {
        query.clauses.push(Clause { negated, term });
    };
    let Some(key) = raw.key.as_deref() else {
        let words = text::words(&raw.value);
        if words.is_empty() {
            // Punctuation alone finds nothing and excludes nothing.
            return Ok(());
        }
        push(
            query,
            Term::Text(Text {
                words,
                typed: raw.typed,
            }),
        );
        return Ok(());
    };
    let value = raw.value.trim();
    let bad = |why: &str| usage(format!("`{}`: {why}", raw.typed));
    if value.is_empty() {
        return Err(bad("the filter has no value"));
    }
    let lower = value.to_lowercase();
    let people = |value: &str| -> Result<Text> {
        let words = text::words(value);
        if words.is_empty() {
            return Err(bad("the value has no letters or digits"));
        }
        Ok(Text {
            words,
            typed: raw.typed.clone(),
        })
    };
    let filter = match key {
        "id" => Filter::Id(value.to_ascii_uppercase()),
        "from" | "customer" => Filter::From(people(value)?),
        "cc" => Filter::Cc(people(value)?),
        "org" => Filter::Org(lower.trim_start_matches('@').to_string()),
        "agent" | "assignee" => Filter::Assignee(lower),
        "tag" => Filter::Tag(lower),
        "status" => Filter::Status(value.parse().map_err(|e: String| bad(&e))?),
        "priority" => Filter::Priority(value.parse().map_err(|e: String| bad(&e))?),
        "group" => Filter::Group(lower),
        "field" => {
            let Some((name, v)) = value.split_once('=') else {
                return Err(bad("write a custom field as field:NAME=VALUE"));
            };
            if name.trim().is_empty() || v.trim().is_empty() {
                return Err(bad("write a custom field as field:NAME=VALUE"));
            }
            Filter::Field {
                name: name.trim().to_lowercase(),
                value: v.trim().to_lowercase(),
            }
        }
        "before" => Filter::Created {
            from: None,
            until: Some(time(value, cx.now).map_err(|e| bad(&e))?),
        },
        "after" => Filter::Created {
            from: Some(time(value, cx.now).map_err(|e| bad(&e))?),
            until: None,
        },
        "on" => {
            let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| bad("on: takes a date, YYYY-MM-DD"))?;
            let next = day
                .succ_opt()
                .ok_or_else(|| bad("the date is out of range"))?;
            Filter::Created {
                from: Some(time(value, cx.now).map_err(|e| bad(&e))?),
                until: Some(
                    time(&next.format("%Y-%m-%d").to_string(), cx.now).map_err(|e| bad(&e))?,
                ),
            }
        }
        "has" => match lower.as_str() {
            "attachment" | "attachments" => Filter::HasAttachment,
            _ => return Err(bad("the one `has:` is has:attachment")),
        },
        "is" => match lower.as_str() {
            "locked" => Filter::Locked,
            "assigned" => Filter::Assigned,
            "unassigned" => Filter::Unassigned,
            other => match other.parse::<Status>() {
                Ok(status) => Filter::Status(status),
                Err(_) => {
                    return Err(bad(
                        "expected is:locked, is:assigned, is:unassigned or a status (is:open, is:closed, …)",
                    ));
                }
            },
        },
        "in" => {
            if negated {
                return Err(bad(
                    "in: chooses where words are looked for; it cannot be excluded",
                ));
            }
            query.scope = match (lower.as_str(), cx.public) {
                ("notes", true) => {
                    return Err(bad("notes are not searched in a public (--public) search"));
                }
                ("notes", false) => Scope::Notes,
                ("public", _) => Scope::Public,
                _ => return Err(bad("expected in:notes or in:public")),
            };
            return Ok(());
        }
        name if cx.fields.iter().any(|f| f.eq_ignore_ascii_case(name)) => Filter::Field {
            name: name.to_lowercase(),
            value: lower,
        },
        _ => {
            return Err(bad(
                "unknown filter; put the term in quotes to search for it as text",
            ));
        }
    };
    push(query, Term::Filter(filter));
    Ok(())
}

fn time(value: &str, now: Timestamp) -> std::result::Result<Timestamp, String> {
    parse_when(value, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        Context {
            now: Timestamp::parse_rfc3339("2026-11-23T12:00:00Z").unwrap(),
            fields: &["product"],
            public: false,
        }
    }

    fn q(s: &str) -> Query {
        parse(s, &cx()).unwrap()
    }

    fn err(s: &str) -> String {
        let e = parse(s, &cx()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Usage, "{s}");
        e.message().to_string()
    }

    fn text(words: &[&str], typed: &str) -> Term {
        Term::Text(Text {
            words: words.iter().map(|w| w.to_string()).collect(),
            typed: typed.to_string(),
        })
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let query = q(r#"Printer "error 42" -toner -"paper jam""#);
        let got: Vec<(bool, Term)> = query
            .clauses
            .into_iter()
            .map(|c| (c.negated, c.term))
            .collect();
        assert_eq!(
            got,
            vec![
                (false, text(&["printer"], "Printer")),
                (false, text(&["error", "42"], "\"error 42\"")),
                (true, text(&["toner"], "-toner")),
                (true, text(&["paper", "jam"], "-\"paper jam\"")),
            ]
        );
        assert_eq!(query.scope, Scope::All);
    }

    #[test]
    fn filters() {
        let query = q(
            "from:Ann@Example.com org:@Example.COM agent:Bob tag:Billing status:on-hold \
             priority:high group:L2 field:Product=Widget product:gadget id:7k3f has:attachment \
             is:locked is:closed cc:\"Bo Li\" customer:ann",
        );
        let filters: Vec<Filter> = query
            .clauses
            .into_iter()
            .map(|c| match c.term {
                Term::Filter(f) => f,
                other => panic!("{other:?}"),
            })
            .collect();
        let people = |words: &[&str], typed: &str| Text {
            words: words.iter().map(|w| w.to_string()).collect(),
            typed: typed.to_string(),
        };
        assert_eq!(
            filters,
            vec![
                Filter::From(people(&["ann", "example", "com"], "from:Ann@Example.com")),
                Filter::Org("example.com".into()),
                Filter::Assignee("bob".into()),
                Filter::Tag("billing".into()),
                Filter::Status(Status::OnHold),
                Filter::Priority(Priority::High),
                Filter::Group("l2".into()),
                Filter::Field {
                    name: "product".into(),
                    value: "widget".into()
                },
                Filter::Field {
                    name: "product".into(),
                    value: "gadget".into()
                },
                Filter::Id("7K3F".into()),
                Filter::HasAttachment,
                Filter::Locked,
                Filter::Status(Status::Closed),
                Filter::Cc(people(&["bo", "li"], "cc:\"Bo Li\"")),
                Filter::From(people(&["ann"], "customer:ann")),
            ]
        );
    }

    #[test]
    fn dates_are_creation_ranges() {
        let at = |s: &str| Some(Timestamp::parse_rfc3339(s).unwrap());
        let only = |s: &str| match q(s).clauses.remove(0).term {
            Term::Filter(f) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            only("after:2026-01-01"),
            Filter::Created {
                from: at("2026-01-01T00:00:00Z"),
                until: None
            }
        );
        assert_eq!(
            only("before:7d"),
            Filter::Created {
                from: None,
                until: at("2026-11-16T12:00:00Z")
            }
        );
        assert_eq!(
            only("on:2026-02-28"),
            Filter::Created {
                from: at("2026-02-28T00:00:00Z"),
                until: at("2026-03-01T00:00:00Z")
            }
        );
        assert!(err("on:7d").contains("on:7d"));
        assert!(err("after:yesterday").contains("after:yesterday"));
    }

    #[test]
    fn scope_and_is_unassigned() {
        assert_eq!(q("in:notes vpn").scope, Scope::Notes);
        assert_eq!(q("in:public vpn").scope, Scope::Public);
        let public = Context {
            public: true,
            ..cx()
        };
        assert_eq!(parse("vpn", &public).unwrap().scope, Scope::Public);
        let e = parse("in:notes vpn", &public).unwrap_err();
        assert!(e.message().contains("in:notes"), "{}", e.message());
        let c = q("vpn is:unassigned").clauses.remove(1);
        assert!(!c.negated);
        assert_eq!(c.term, Term::Filter(Filter::Unassigned));
    }

    #[test]
    fn words_with_colons_need_no_key() {
        // Quoted, a key is text; a URL's scheme is no known key.
        assert_eq!(
            q("\"tag:x\"").clauses[0].term,
            text(&["tag", "x"], "\"tag:x\"")
        );
        assert!(err("http://example.com").contains("http://example.com"));
    }

    #[test]
    fn malformed_queries_name_the_term() {
        assert!(err("printer status:broken").contains("status:broken"));
        assert!(err("priority:").contains("priority:"));
        assert!(err("colour:red").contains("colour:red"));
        assert!(err("field:product").contains("field:product"));
        assert!(err("-in:notes").contains("-in:notes"));
        assert!(err("has:cats").contains("has:cats"));
        assert!(err("\"open quote").contains("not closed"));
        assert!(q("-printer").clauses[0].negated);
        assert!(err("").contains("nothing to look for"));
        assert!(err(",,, ;").contains("nothing to look for"));
    }

    #[test]
    fn hostile_queries_are_bounded() {
        assert!(err(&"a ".repeat(MAX_QUERY_BYTES)).contains("bytes long"));
        assert!(err(&"w ".repeat(MAX_TERMS + 1)).contains("terms"));
        assert!(err("printer\u{0}").contains("U+0000"));
        assert!(err("bell\u{7}").contains("U+0007"));
        // Deeply nested quotes are only quotes: pairs, then an open one.
        assert!(err(&"\"".repeat(41)).contains("not closed"));
        assert!(err(&"\"".repeat(40)).contains("nothing to look for"));
    }
}
