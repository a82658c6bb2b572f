//! Timestamps as stored: UTC with microsecond precision, written in one
//! fixed form so that file names and front matter sort as text. People
//! read and type them in a zone (see [`set_zones`]); storage, JSON and
//! commit subjects stay UTC.

use std::fmt;
use std::sync::RwLock;

use super::duration::Duration;
use super::zone::Zone;

/// The zones of this run: (display and input, report day boundaries).
/// None: UTC. Set once a command knows the config and the environment.
static ZONES: RwLock<Option<(Zone, Zone)>> = RwLock::new(None);

/// Sets the zone times are shown and typed in, and the zone whose days
/// reports count.
pub fn set_zones(display: Zone, report: Zone) {
    if let Ok(mut z) = ZONES.write() {
        *z = Some((display, report));
    }
}

/// The zone times are shown and typed in.
pub fn display_zone() -> Zone {
    ZONES
        .read()
        .ok()
        .and_then(|z| z.map(|(d, _)| d))
        .unwrap_or_else(Zone::utc)
}

/// The zone whose midnights split report periods into days.
pub fn report_zone() -> Zone {
    ZONES
        .read()
        .ok()
        .and_then(|z| z.map(|(_, r)| r))
        .unwrap_or_else(Zone::utc)
}

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Truncates to microseconds: that is all the on-disk form keeps, and a
    /// value must compare equal after a write and a read.
    pub fn new(t: DateTime<Utc>) -> Self {
        let micros = t.timestamp_micros();
        Timestamp(DateTime::from_timestamp_micros(micros).unwrap_or(t))
    }

    pub fn datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// `2026-11-23T01:38:23.123456Z`, as in front matter.
    pub fn to_rfc3339(&self) -> String {
        let mut out = String::with_capacity(27);
        self.write_rfc3339(&mut out);
        out
    }

    /// Appends [`Timestamp::to_rfc3339`]'s text. Written digit by digit:
    /// long listings print two per ticket, and chrono's general formatter
    /// took a third of `tix list`'s time.
    pub fn write_rfc3339(&self, out: &mut String) {
        let t = self.0;
        let Ok(year) = u32::try_from(t.year()) else {
            out.push_str(&t.to_rfc3339_opts(SecondsFormat::Micros, true));
            return;
        };
        if year > 9999 {
            out.push_str(&t.to_rfc3339_opts(SecondsFormat::Micros, true));
            return;
        }
        let mut digits = |value: u32, width: u32, after: char| {
            for place in (0..width).rev() {
                let digit = value / 10u32.pow(place) % 10;
                out.push(char::from(b'0' + digit as u8));
            }
            out.push(after);
        };
        digits(year, 4, '-');
        digits(t.month(), 2, '-');
        digits(t.day(), 2, 'T');
        digits(t.hour(), 2, ':');
        digits(t.minute(), 2, ':');
        digits(t.second(), 2, '.');
        // A leap second shows as 60 in chrono's formatter, and here too.
        let micros = t.timestamp_subsec_micros();
        digits(micros.min(999_999), 6, 'Z');
    }

    /// `20261123T013823.123456Z`, as at the start of entry file names.
    pub fn to_file_stamp(&self) -> String {
        self.0.format("%Y%m%dT%H%M%S%.6fZ").to_string()
    }

    /// A short human form for tables: `2026-11-23 01:38`, in the display
    /// zone, without a label (tables have no room for one per cell).
    pub fn to_short(&self) -> String {
        self.to_short_in(display_zone(), false)
    }

    /// `2026-11-23 01:38` in `zone`, with its label (`CET`, `UTC`,
    /// `+05:30`) when `label`.
    pub fn to_short_in(&self, zone: Zone, label: bool) -> String {
        let local = zone.to_local(self.0).format("%Y-%m-%d %H:%M");
        if label {
            format!("{local} {}", zone.label(self.0))
        } else {
            local.to_string()
        }
    }

    /// `2026-11-23 01:38Z`: minutes in UTC, marked as such, for text that
    /// outlives the reader's zone (commit subjects).
    pub fn to_short_utc(&self) -> String {
        self.0.format("%Y-%m-%d %H:%MZ").to_string()
    }

    /// A short form that says its zone (`2026-11-23 02:38 CET`), for
    /// confirmations, `show` and `log`: an hour repeated when clocks go
    /// back reads as two different times.
    pub fn to_short_labelled(&self) -> String {
        self.to_short_in(display_zone(), true)
    }

    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| Timestamp::new(t.with_timezone(&Utc)))
    }

    /// `seconds` later (earlier when negative); saturates at the ends of
    /// time.
    pub fn plus_seconds(&self, seconds: i64) -> Timestamp {
        self.0
            .checked_add_signed(chrono::TimeDelta::seconds(seconds))
            .map_or(*self, Timestamp)
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    pub fn seconds_until(&self, later: Timestamp) -> i64 {
        (later.0 - self.0).num_seconds()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// RFC 3339 text in YAML and JSON; microseconds since 1970 in binary
/// formats (the derived index), which are read far more often than written.
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_rfc3339())
        } else {
            s.serialize_i64(self.0.timestamp_micros())
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let micros = i64::deserialize(d)?;
            return DateTime::from_timestamp_micros(micros)
                .map(Timestamp)
                .ok_or_else(|| serde::de::Error::custom(format!("{micros} is not a time")));
        }
        let s = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a timestamp (expected RFC 3339 such as 2026-11-23T01:38:23.123456Z)"
            ))
        })
    }
}

/// Parses a point in time given on the command line, relative to `now`:
/// RFC 3339, `YYYY-MM-DD` (midnight), `YYYY-MM-DD HH:MM`, or an age such
/// as `30m`, `12h`, `7d`, `2w` or `1d12h` (that long before `now`, in the
/// grammar of [`Duration`]). Dates and times
/// without an offset are in the display zone.
pub fn parse_when(input: &str, now: Timestamp) -> Result<Timestamp, String> {
    parse_when_in(input, now, display_zone())
}

/// [`parse_when`] with local dates and times in `zone`. A local time that
/// occurs twice (clocks going back) is its first occurrence; one that
/// never occurs (clocks going forward) is the moment of the jump.
pub fn parse_when_in(input: &str, now: Timestamp, zone: Zone) -> Result<Timestamp, String> {
    let s = input.trim();
    if let Some(t) = Timestamp::parse_rfc3339(s) {
        return Ok(t);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let dt = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        return Ok(Timestamp::new(zone.from_local(dt)));
    }
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Timestamp::new(zone.from_local(dt)));
        }
    }
    if let Ok(age) = Duration::parse(s) {
        let seconds = age.seconds();
        let delta = chrono::TimeDelta::try_seconds(seconds).ok_or("age too large")?;
        let then = now
            .datetime()
            .checked_sub_signed(delta)
            .ok_or("age too large")?;
        return Ok(Timestamp::new(then));
    }
    Err(format!(
        "`{input}` is not a time (expected 2026-11-23, 2026-11-23 14:00, RFC 3339, or an age like 30m, 12h, 7d, 2w)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_written_rfc3339_matches_chrono() {
        let mut micros: i64 = -62_135_596_800_000_000; // 0001-01-01
        let end: i64 = 253_402_300_799_999_999; // 9999-12-31T23:59:59.999999
        let step = 7_777_777_777_777; // about 90 days, odd digits everywhere
        while micros <= end {
            let t = Timestamp(DateTime::from_timestamp_micros(micros).unwrap());
            assert_eq!(
                t.to_rfc3339(),
                t.0.to_rfc3339_opts(SecondsFormat::Micros, true)
            );
            micros += step;
        }
        for text in ["2026-11-23T00:00:00.000000Z", "1970-01-01T00:00:00.000001Z"] {
            assert_eq!(Timestamp::parse_rfc3339(text).unwrap().to_rfc3339(), text);
        }
    }

    #[test]
    fn round_trips_and_truncates_to_micros() {
        let t = Timestamp::parse_rfc3339("2026-11-23T01:38:23.123456789Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-23T01:38:23.123456Z");
        assert_eq!(t.to_file_stamp(), "20261123T013823.123456Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t));
    }

    #[test]
    fn parses_relative_and_absolute_times() {
        let now = Timestamp::parse_rfc3339("2026-11-23T12:00:00Z").unwrap();
        assert_eq!(
            parse_when("2d", now).unwrap().to_short(),
            "2026-11-21 12:00"
        );
        assert_eq!(
            parse_when("2026-01-02", now).unwrap().to_short(),
            "2026-01-02 00:00"
        );
        assert_eq!(
            parse_when("2026-01-02 13:14", now).unwrap().to_short(),
            "2026-01-02 13:14"
        );
        assert!(parse_when("yesterday", now).is_err());
        assert!(parse_when("-3d", now).is_err());
    }
}
