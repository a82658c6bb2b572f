//! How a ticket or a customer contact came in: by mail, typed at the
//! command line (by an agent or a tool acting as one), by phone, in a chat,
//! through a web form, or from another program. The one list, used by the
//! fold, the automation rules' `channel` condition and the reports.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How the ticket or the contact came in (`channel:` in entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Mail,
    Cli,
    Phone,
    Chat,
    Web,
    Api,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Mail,
        Channel::Cli,
        Channel::Phone,
        Channel::Chat,
        Channel::Web,
        Channel::Api,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Cli => "cli",
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Web => "web",
            Channel::Api => "api",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Channel, String> {
        let wanted = s.trim().to_ascii_lowercase();
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == wanted)
            .ok_or_else(|| format!("`{s}` is not a channel (expected one of: {})", names()))
    }
}

/// The channels' names, comma-separated, for messages.
pub fn names() -> String {
    Channel::ALL.map(Channel::as_str).join(", ")
}

/// Who started a phone call (`direction:` in `call` entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The customer called the team.
    In,
    /// An agent called the customer.
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// The largest chat transcript `tix log-chat` records. A transcript is
/// text for people to read; past this it is more likely a wrong file.
pub const MAX_TRANSCRIPT_BYTES: usize = 1 << 20;

/// Whether `text`, read from `source` (a file name, standard input), may
/// be recorded as a chat transcript; the error says why not.
pub fn check_transcript(text: &str, source: &str) -> Result<(), String> {
    if text.len() > MAX_TRANSCRIPT_BYTES {
        return Err(format!(
            "{source} is {} bytes; a chat transcript is at most {MAX_TRANSCRIPT_BYTES} bytes",
            text.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_reads_back_from_its_name() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        assert_eq!(" Phone ".parse::<Channel>(), Ok(Channel::Phone));
        let err = "fax".parse::<Channel>().unwrap_err();
        assert!(err.contains("`fax`") && err.contains("phone"), "{err}");
    }

    #[test]
    fn a_transcript_past_the_bound_is_refused_naming_its_source() {
        assert!(check_transcript(&"x".repeat(MAX_TRANSCRIPT_BYTES), "t.txt").is_ok());
        let err = check_transcript(&"x".repeat(MAX_TRANSCRIPT_BYTES + 1), "t.txt").unwrap_err();
        assert!(err.starts_with("t.txt is "), "{err}");
    }
}
