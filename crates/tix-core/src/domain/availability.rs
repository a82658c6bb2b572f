//! Who is away: records under `.tix/availability/`, one file per change
//! (`tix agent away`, `tix agent back`), so that changes made in two
//! clones merge without conflict. The latest record per agent wins.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRecord {
    pub format: u32,
    pub agent: String,
    /// Away from `at` on (until `until`, if given); false: back.
    pub away: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
    pub at: Timestamp,
    /// Who recorded it.
    pub by: String,
}

impl AvailabilityRecord {
    /// `<time>-<random>-<agent>.yaml`: sorts by time, never collides.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!(
            "{}-{random_tag}-{}.yaml",
            self.at.to_file_stamp(),
            self.agent
        )
    }
}

/// Agents away at `now`, with when they are back (None: until further
/// notice). `records` are (file name, record), in any order.
pub fn away_at(
    records: &[(String, AvailabilityRecord)],
    now: Timestamp,
) -> BTreeMap<String, Option<Timestamp>> {
    let mut latest: BTreeMap<&str, (&Timestamp, &str, &AvailabilityRecord)> = BTreeMap::new();
    for (file, r) in records {
        if r.at > now {
            continue;
        }
        let newer = latest
            .get(r.agent.as_str())
            .is_none_or(|(at, f, _)| (&r.at, file.as_str()) > (*at, *f));
        if newer {
            latest.insert(&r.agent, (&r.at, file, r));
        }
    }
    latest
        .into_iter()
        .filter(|(_, (_, _, r))| r.away && r.until.is_none_or(|u| now < u))
        .map(|(agent, (_, _, r))| (agent.to_string(), r.until))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(agent: &str, away: bool, at: &str, until: Option<&str>) -> AvailabilityRecord {
        AvailabilityRecord {
            format: 1,
            agent: agent.into(),
            away,
            until: until.map(|u| Timestamp::parse_rfc3339(u).unwrap()),
            at: Timestamp::parse_rfc3339(at).unwrap(),
            by: agent.into(),
        }
    }

    #[test]
    fn the_latest_record_wins_and_until_expires() {
        let records = vec![
            (
                "1".to_string(),
                rec("bob", true, "2026-01-01T00:00:00Z", None),
            ),
            (
                "2".to_string(),
                rec("bob", false, "2026-01-02T00:00:00Z", None),
            ),
            (
                "3".to_string(),
                rec(
                    "ann",
                    true,
                    "2026-01-01T00:00:00Z",
                    Some("2026-01-05T00:00:00Z"),
                ),
            ),
        ];
        let now = |s| Timestamp::parse_rfc3339(s).unwrap();
        let away = away_at(&records, now("2026-01-01T12:00:00Z"));
        assert_eq!(away.keys().collect::<Vec<_>>(), ["ann", "bob"]);
        let away = away_at(&records, now("2026-01-03T00:00:00Z"));
        assert_eq!(away.keys().collect::<Vec<_>>(), ["ann"]);
        assert!(away_at(&records, now("2026-01-06T00:00:00Z")).is_empty());
    }
}
