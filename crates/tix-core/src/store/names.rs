//! Fresh names for new files: entry tags and ticket ids.

use crate::domain::TicketId;
use crate::error::{Error, Result};

/// The tags that make entry file names unique, for one writer.
///
/// Every entry of one write shares its timestamp, so the tag alone must
/// tell their names apart. Drawing each tag at random would make that a
/// matter of luck (30 bits: a mail with tens of thousands of parts is
/// likely to repeat one). Instead only the start is random, so that two
/// clones writing at the same microsecond still pick different names, and
/// the tags after it count up: within one writer no tag repeats until
/// 32^6 (about a billion) names have been made.
pub struct TagSource {
    next: u32,
}

/// 32^6: the number of distinct 6-character tags.
const TAG_SPACE: u32 = 1 << 30;

impl TagSource {
    pub fn new() -> Result<TagSource> {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
        Ok(TagSource::starting_at(u32::from_le_bytes(bytes)))
    }

    /// A source whose first tag is `start` (modulo 32^6).
    pub fn starting_at(start: u32) -> TagSource {
        TagSource {
            next: start % TAG_SPACE,
        }
    }

    /// The next tag: six characters of the id alphabet.
    pub fn next_tag(&mut self) -> String {
        let value = self.next;
        self.next = (self.next + 1) % TAG_SPACE;
        (0..6)
            .rev()
            .map(|i| crate::domain::id::ALPHABET[((value >> (5 * i)) & 31) as usize] as char)
            .collect()
    }
}

/// Random characters for entry file names, from the id alphabet.
pub fn random_tag(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| crate::domain::id::ALPHABET[(b & 31) as usize] as char)
        .collect())
}

/// A fresh random ticket id.
pub fn random_id() -> Result<TicketId> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::internal(format!("no randomness available: {e}")))?;
    Ok(TicketId::from_random(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_do_not_repeat_within_a_writer_even_across_the_wrap() {
        let mut tags = TagSource::starting_at(TAG_SPACE - 50_000);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let tag = tags.next_tag();
            assert_eq!(tag.len(), 6);
            assert!(
                tag.bytes()
                    .all(|b| crate::domain::id::ALPHABET.contains(&b)),
                "{tag}"
            );
            assert!(seen.insert(tag.clone()), "tag {tag} repeated");
        }
    }

    #[test]
    fn tags_of_one_writer_start_at_random() {
        let a = TagSource::new().unwrap().next_tag();
        let b = TagSource::new().unwrap().next_tag();
        let c = TagSource::new().unwrap().next_tag();
        // Three equal draws of 30 random bits would be a broken source.
        assert!(a != b || b != c, "{a} {b} {c}");
    }
}
