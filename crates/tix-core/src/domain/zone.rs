//! Time zones: the team's, the display's, and the one business hours are
//! written in.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

const MICROS: i64 = 1_000_000;

/// Out-of-range instants saturate rather than panic.
fn utc(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or(if us < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// The zone business hours are written in. An IANA zone follows its
/// daylight-saving rules (via chrono-tz's built-in copy of the tz
/// database); a fixed offset never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Iana(chrono_tz::Tz),
}

impl Zone {
    /// `UTC`, `+01:00`/`-05:30`, or an IANA name such as `Europe/Berlin`
    /// (case matters, as in the tz database).
    pub fn parse(text: &str) -> Result<Zone, String> {
        let s = text.trim();
        if s == "UTC" || s == "Z" {
            return Ok(Zone::Fixed(Utc.fix()));
        }
        if let Some(offset) = parse_offset(s) {
            return Ok(Zone::Fixed(offset));
        }
        s.parse::<chrono_tz::Tz>().map(Zone::Iana).map_err(|_| {
            format!(
                "`{text}` is not a time zone (expected an IANA name such as Europe/Berlin, UTC, or an offset such as +01:00)"
            )
        })
    }

    /// UTC: the zone times are shown in when nothing else is set.
    pub fn utc() -> Zone {
        Zone::Fixed(Utc.fix())
    }

    /// The wall-clock time of an instant in this zone.
    pub fn to_local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        self.local(t.timestamp_micros())
    }

    /// The instant a wall-clock time names (see [`Zone::instant`] for
    /// times that occur twice or never).
    pub fn from_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let us = self.instant(local);
        DateTime::from_timestamp_micros(us).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// What a reader needs to place an instant: `CET`/`CEST` for an IANA
    /// zone (its abbreviation, or its offset where it has none), `UTC`,
    /// or the offset (`+05:30`).
    pub fn label(&self, t: DateTime<Utc>) -> String {
        match self {
            Zone::Fixed(o) if o.local_minus_utc() == 0 => "UTC".into(),
            Zone::Fixed(o) => o.to_string(),
            Zone::Iana(tz) => tz
                .from_utc_datetime(&t.naive_utc())
                .format("%Z")
                .to_string(),
        }
    }

    pub(crate) fn local(&self, us: i64) -> NaiveDateTime {
        let utc = utc(us).naive_utc();
        match self {
            Zone::Fixed(o) => utc + *o,
            Zone::Iana(tz) => tz.from_utc_datetime(&utc).naive_local(),
        }
    }

    pub(crate) fn local_date(&self, us: i64) -> NaiveDate {
        self.local(us).date()
    }

    /// The instant a wall-clock time names. Every local time maps to one
    /// instant, and later local times never map to earlier instants, so
    /// intervals stay ordered:
    /// * a time that occurs twice (clocks going back) is its **first**
    ///   occurrence;
    /// * a time that never occurs (clocks going forward) is the moment of
    ///   the jump, the first instant whose local time is at or after it.
    ///
    /// So a day of `00:00-24:00` lasts 23 or 25 hours across a change, and
    /// an interval inside the skipped hour is empty.
    pub(crate) fn instant(&self, local: NaiveDateTime) -> i64 {
        match self {
            Zone::Fixed(o) => (local - *o).and_utc().timestamp_micros(),
            Zone::Iana(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => t.timestamp_micros(),
                LocalResult::Ambiguous(a, b) => a.timestamp_micros().min(b.timestamp_micros()),
                LocalResult::None => self.jump(local),
            },
        }
    }

    /// The first instant whose local time is at or after `local`, found by
    /// bisection in whole seconds (zones change offset on whole seconds).
    /// Offsets stay within ±26 h of UTC, and no zone changes twice within
    /// such a window, so the local time is monotone in between.
    fn jump(&self, local: NaiveDateTime) -> i64 {
        let guess = local.and_utc().timestamp();
        let (mut lo, mut hi) = (guess - 26 * 3600, guess + 26 * 3600);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.local(mid * MICROS) >= local {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi * MICROS
    }

    pub(crate) fn is_fixed(&self) -> bool {
        matches!(self, Zone::Fixed(_))
    }
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

impl FromStr for Zone {
    type Err = String;

    fn from_str(text: &str) -> Result<Zone, String> {
        Zone::parse(text)
    }
}
