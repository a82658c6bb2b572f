//! The bench's query language, a subset of what `tix search` will take:
//! words, `"phrases"`, `-word`, `status:`, `tag:`, `after:`, `before:`.

use crate::Result;
use crate::doc::prepare;

#[derive(Debug, Default)]
pub struct Query {
    /// Each must match; a word that tokenizes into several terms (CJK)
    /// is a phrase.
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
    pub status: Option<String>,
    pub tag: Option<String>,
    /// Unix seconds, created at or after.
    pub after: Option<i64>,
    /// Unix seconds, created before.
    pub before: Option<i64>,
}

impl Query {
    pub fn parse(input: &str) -> Result<Query> {
        let mut q = Query::default();
        let mut rest = input.trim();
        while !rest.is_empty() {
            if let Some(after_quote) = rest.strip_prefix('"') {
                let end = after_quote.find('"').ok_or("unclosed quote")?;
                q.phrases.push(prepare(&after_quote[..end]));
                rest = after_quote[end + 1..].trim_start();
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = rest[end..].trim_start();
            if let Some(x) = word.strip_prefix('-') {
                q.excluded.push(prepare(x));
            } else if let Some((field, value)) = word.split_once(':') {
                match field {
                    "status" => q.status = Some(value.to_string()),
                    "tag" => q.tag = Some(value.to_string()),
                    "after" => q.after = Some(day(value)?),
                    "before" => q.before = Some(day(value)?),
                    _ => return Err(format!("unknown field {field}").into()),
                }
            } else {
                q.words.push(prepare(word));
            }
        }
        if q.words.is_empty() && q.phrases.is_empty() {
            return Err("a query needs a word or a phrase".into());
        }
        Ok(q)
    }
}

fn day(value: &str) -> Result<i64> {
    tix_core::domain::Timestamp::parse_rfc3339(&format!("{value}T00:00:00Z"))
        .map(|t| t.datetime().timestamp())
        .ok_or_else(|| format!("`{value}` is not a date (YYYY-MM-DD)").into())
}
