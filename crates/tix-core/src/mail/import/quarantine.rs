//! The quarantine: messages that could not be filed, kept whole in
//! `quarantine/<name>.eml` with a record of why beside them, to be filed
//! again (`tix quarantine retry`) once the cause is fixed.

use serde::Serialize;

use crate::domain::Timestamp;
use crate::error::{Error, Result};
use crate::mail::parse::synthetic_message_id;

pub use crate::store::QUARANTINE_DIR;

/// A quarantined message's record, beside its `.eml`: the same bytes for
/// the same message on every clone.
#[derive(Serialize, serde::Deserialize, Clone, Debug)]
pub struct QuarantineRecord {
    pub format: u32,
    /// When it was quarantined, in records written before the record was
    /// made the same on every clone; newer ones take the time of the
    /// commit that added them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    pub reason: String,
    /// Where it came from, in older records only (see `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub size: u64,
    /// Only the header of the message is kept: it was too large to read,
    /// so it cannot be filed from the quarantine.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// The name a message is quarantined under: the same for the same bytes,
/// so quarantining it again finds it there.
pub fn name_of(raw: &[u8]) -> String {
    synthetic_message_id(raw)
        .trim_end_matches("@tix.invalid")
        .to_string()
}

/// The files that quarantine `raw` as `name`: the message and its record.
pub fn files(name: &str, raw: &[u8], record: &QuarantineRecord) -> Result<[(String, Vec<u8>); 2]> {
    let yaml = serde_yaml::to_string(record)
        .map_err(|e| Error::internal(format!("cannot write quarantine record: {e}")))?;
    Ok([
        (eml_path(name), raw.to_vec()),
        (record_path(name), yaml.into_bytes()),
    ])
}

pub fn eml_path(name: &str) -> String {
    format!("{QUARANTINE_DIR}/{name}.eml")
}

pub fn record_path(name: &str) -> String {
    format!("{QUARANTINE_DIR}/{name}.yaml")
}
