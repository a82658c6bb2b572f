//! Spans of time as people write them, in the config (`first_response:
//! 1d12h`) and on the command line (`--since 7d`, `--until 3d`): one
//! grammar for both.
//!
//! The grammar: an optional `+`, then one or more groups of digits each
//! followed by a unit, `s`, `m`, `h`, `d` (24 hours) or `w` (7 days), with
//! nothing between them; surrounding space is ignored. The groups add up:
//! `1d12h` is 36 hours, `90m` an hour and a half. `4 h`, `4`, `h`, `4x`
//! and `-4h` are not durations.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration, with the text it was written as so that a config written
/// back keeps the team's spelling (`36h` stays `36h`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duration {
    seconds: i64,
    text: String,
}

impl Duration {
    /// Any duration of the grammar, zero (`0d`) included: an age of zero
    /// is the present.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let err = || {
            format!(
                "`{text}` is not a duration (expected a number and a unit: 30m, 4h, 2d, 1w, 1d12h)"
            )
        };
        let s = text.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty() {
            return Err(err());
        }
        let mut total: i64 = 0;
        let mut number: Option<i64> = None;
        for c in s.chars() {
            if let Some(digit) = c.to_digit(10) {
                let n = number
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(i64::from(digit)))
                    .ok_or_else(err)?;
                number = Some(n);
                continue;
            }
            let per = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 7 * 86_400,
                _ => return Err(err()),
            };
            let n = number.take().ok_or_else(err)?;
            total = n
                .checked_mul(per)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(err)?;
        }
        if number.is_some() {
            return Err(err());
        }
        Ok(Duration {
            seconds: total,
            text: text.to_string(),
        })
    }

    /// A duration that must be more than zero: targets, windows and
    /// timeouts, where zero would mean "always late" or "never wait".
    pub fn parse_positive(text: &str) -> Result<Duration, String> {
        let d = Duration::parse(text)?;
        if d.seconds == 0 {
            // Same words as any other bad duration: zero is never meant.
            return Err(format!(
                "`{text}` is not a duration (expected a number and a unit: 30m, 4h, 2d, 1w, 1d12h)"
            ));
        }
        Ok(d)
    }

    /// `n` days, written `{n}d`.
    pub fn days(n: u32) -> Duration {
        Duration {
            seconds: i64::from(n) * 86_400,
            text: format!("{n}d"),
        }
    }

    pub fn seconds(&self) -> i64 {
        self.seconds
    }

    /// For network and process timeouts.
    pub fn to_std(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds.unsigned_abs())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// As in the config: more than zero.
impl FromStr for Duration {
    type Err = String;

    fn from_str(text: &str) -> Result<Duration, String> {
        Duration::parse_positive(text)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ParseVisitor(Duration::parse_positive))
    }
}

/// Parses the string while the deserializer still stands on it: an error
/// raised here is placed by the YAML reader at the value's own key and line
/// (`sla.high.first_response: … at line 3 column 20`); raised after
/// deserializing a `String`, it would be placed at the enclosing map.
struct ParseVisitor<T>(fn(&str) -> Result<T, String>);

impl<T> serde::de::Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        (self.0)(text).map_err(E::custom)
    }
}

/// A value parsed when the config is read, written back as it was spelled
/// (a zone given as `Z` stays `Z`, a warning as `20%` stays `20%`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spelled<T> {
    value: T,
    text: String,
}

impl<T: FromStr<Err = String>> Spelled<T> {
    pub fn parse(text: &str) -> Result<Spelled<T>, String> {
        Ok(Spelled {
            value: text.parse()?,
            text: text.to_string(),
        })
    }
}

impl<T> Spelled<T> {
    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl<T> Serialize for Spelled<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de, T: FromStr<Err = String>> Deserialize<'de> for Spelled<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ParseVisitor(Spelled::parse))
    }
}

/// Seconds in the largest whole unit of the grammar (`2d`, `90m`), as a
/// duration is read back to people.
pub fn spell_seconds(secs: i64) -> String {
    for (unit, per) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs != 0 && secs % per == 0 {
            return format!("{}{unit}", secs / per);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_grammar_for_config_and_flags() {
        let secs = |t: &str| Duration::parse(t).map(|d| d.seconds());
        assert_eq!(secs("90s"), Ok(90));
        assert_eq!(secs("30m"), Ok(1800));
        assert_eq!(secs("1d12h"), Ok(129_600));
        assert_eq!(secs("1w"), Ok(604_800));
        assert_eq!(secs(" 2d "), Ok(172_800));
        assert_eq!(secs("+3d"), Ok(259_200));
        assert_eq!(secs("1h1h"), Ok(7200));
        assert_eq!(secs("0d"), Ok(0));
        for bad in [
            "",
            "+",
            "4",
            "h",
            "4x",
            "-4h",
            "4 h",
            "1d12",
            "d1",
            "++1d",
            "99999999999999999999s",
            "9999999999999999w",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn config_durations_are_positive_and_keep_their_spelling() {
        assert!(Duration::parse_positive("0h").is_err());
        assert!("0m".parse::<Duration>().is_err());
        let d: Duration = serde_yaml::from_str("36h").unwrap();
        assert_eq!(d.seconds(), 129_600);
        assert_eq!(serde_yaml::to_string(&d).unwrap().trim(), "36h");
        let err = serde_yaml::from_str::<Duration>("4 hours").unwrap_err();
        assert!(
            err.to_string().contains("`4 hours` is not a duration"),
            "{err}"
        );
    }
}
