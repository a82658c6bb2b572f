//! Custom fields: their declarations and how typed values are checked.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::entry::FieldValue;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// When a value must be present: at `create`, at `close`, or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    Text,
    Number,
    Date,
    Choice,
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Choice => "choice",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Create,
    Close,
}

impl FieldDef {
    pub fn parse_value(&self, raw: &str) -> Result<FieldValue, String> {
        let raw = raw.trim();
        let name = &self.name;
        match self.field_type {
            FieldType::Text if raw.is_empty() => Err(format!(
                "field `{name}`: empty value (use --unset to clear it)"
            )),
            FieldType::Text => Ok(FieldValue::Text(raw.to_string())),
            FieldType::Number => raw
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(FieldValue::Number)
                .ok_or_else(|| format!("field `{name}`: `{raw}` is not a number")),
            FieldType::Date => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| FieldValue::Text(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| {
                    format!("field `{name}`: `{raw}` is not a date (expected YYYY-MM-DD)")
                }),
            FieldType::Choice => self
                .choices
                .iter()
                .find(|c| c.as_str() == raw)
                .map(|c| FieldValue::Text(c.clone()))
                .ok_or_else(|| {
                    format!(
                        "field `{name}`: `{raw}` is not one of: {}",
                        self.choices.join(", ")
                    )
                }),
        }
    }
}

/// Names unique and well formed; choices exactly on choice fields.
pub(super) fn validate(fields: &[FieldDef]) -> Result<(), String> {
    let mut names = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if !super::is_valid_handle(&f.name) {
            return Err(format!(
                "fields[{i}].name: `{}` is not a field name (expected letters, digits, `.`, `_`, `-`)",
                f.name
            ));
        }
        if names.contains(&f.name) {
            return Err(format!("fields[{i}].name: `{}` is declared twice", f.name));
        }
        names.push(f.name.clone());
        match (f.field_type, f.choices.is_empty()) {
            (FieldType::Choice, true) => {
                return Err(format!(
                    "fields[{i}].choices: field `{}` has type choice but no choices",
                    f.name
                ));
            }
            (t, false) if t != FieldType::Choice => {
                return Err(format!(
                    "fields[{i}].choices: field `{}` has type {t}; only choice fields take choices",
                    f.name
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
