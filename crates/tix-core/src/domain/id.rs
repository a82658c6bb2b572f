//! Ticket ids: 8 characters of Crockford base32 drawn at random.
//!
//! 40 random bits make two clones that create tickets offline practically
//! never pick the same id (and a collision is detected and reported by the
//! fold, never silently merged). The alphabet has no I, L, O or U, so an id
//! read aloud or retyped from an e-mail subject survives; input is
//! normalised (case, O→0, I/L→1) before lookup.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const ID_LEN: usize = 8;

/// `IN_ALPHABET[b]`: whether byte `b` is an id character (a table: the
/// index checks every id it reads).
const IN_ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = true;
        i += 1;
    }
    table
};
/// Length of the directory that shards tickets: 32² = 1024 shards keep every
/// tree around a hundred entries at 100,000 tickets.
pub const SHARD_LEN: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketId([u8; ID_LEN]);

impl TicketId {
    /// Builds an id from 5 random bytes (40 bits, 8 base32 digits).
    pub fn from_random(bytes: [u8; 5]) -> Self {
        let mut value: u64 = 0;
        for b in bytes {
            value = (value << 8) | u64::from(b);
        }
        let mut out = [0u8; ID_LEN];
        for (i, slot) in out.iter_mut().enumerate() {
            let shift = 5 * (ID_LEN - 1 - i);
            *slot = ALPHABET[((value >> shift) & 31) as usize];
        }
        TicketId(out)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII from ALPHABET is ever stored.
        std::str::from_utf8(&self.0).unwrap_or("????????")
    }

    /// The shard directory this ticket lives in.
    pub fn shard(&self) -> &str {
        &self.as_str()[..SHARD_LEN]
    }
}

/// Normalises what a user typed as an id or id prefix: upper case, Crockford
/// look-alikes mapped, dashes and a leading `#` ignored. Returns `None` when a
/// character cannot be part of an id.
pub fn normalise_prefix(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().trim_start_matches('#').chars() {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            '-' => continue,
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    if out.is_empty() || out.len() > ID_LEN {
        None
    } else {
        Some(out)
    }
}

impl FromStr for TicketId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match normalise_prefix(s) {
            Some(n) if n.len() == ID_LEN => {
                let mut out = [0u8; ID_LEN];
                out.copy_from_slice(n.as_bytes());
                Ok(TicketId(out))
            }
            _ => Err(format!(
                "`{s}` is not a ticket id (expected {ID_LEN} characters of 0-9 and A-Z without I, L, O, U)"
            )),
        }
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TicketId({})", self.as_str())
    }
}

/// Text in YAML and JSON; in binary formats (the derived index) the eight
/// characters packed in a `u64`, read back without parsing.
impl Serialize for TicketId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(self.as_str())
        } else {
            s.serialize_u64(u64::from_be_bytes(self.0))
        }
    }
}

impl<'de> Deserialize<'de> for TicketId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let bytes = u64::deserialize(d)?.to_be_bytes();
            if bytes.iter().all(|&b| IN_ALPHABET[usize::from(b)]) {
                return Ok(TicketId(bytes));
            }
            return Err(serde::de::Error::custom("not a ticket id"));
        }
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_use_the_alphabet_and_round_trip() {
        let id = TicketId::from_random([0xff, 0x00, 0x12, 0x34, 0x56]);
        assert_eq!(id.as_str().len(), ID_LEN);
        assert!(id.as_str().bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(id.as_str().parse::<TicketId>().unwrap(), id);
        assert_eq!(TicketId::from_random([0; 5]).as_str(), "00000000");
        assert_eq!(TicketId::from_random([0xff; 5]).as_str(), "ZZZZZZZZ");
    }

    #[test]
    fn ids_round_trip_in_binary_formats() {
        let id = TicketId::from_random([0x12, 0x34, 0x56, 0x78, 0x9a]);
        let bin = postcard::to_allocvec(&id).unwrap();
        assert_eq!(postcard::from_bytes::<TicketId>(&bin).unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
        let bad = postcard::to_allocvec(&u64::from_be_bytes(*b"ILOU0000")).unwrap();
        assert!(postcard::from_bytes::<TicketId>(&bad).is_err());
    }

    #[test]
    fn prefixes_are_normalised() {
        assert_eq!(normalise_prefix("7k3f").as_deref(), Some("7K3F"));
        assert_eq!(normalise_prefix("#o1l-i").as_deref(), Some("0111"));
        assert_eq!(normalise_prefix("7K3U"), None);
        assert_eq!(normalise_prefix(""), None);
        assert_eq!(normalise_prefix("123456789"), None);
    }
}
