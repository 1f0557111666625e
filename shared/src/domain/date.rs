use std::fmt;
use std::str::FromStr;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};

/// A calendar day, as days since 1970-01-01. Stored in documents as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Why text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date: {0:?} (expected YYYY-MM-DD)")]
pub struct ParseDateError(pub String);

impl Date {
    /// The day `year-month-day`, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Self(era * 146_097 + doe - 719_468))
    }

    pub fn from_days(days: i32) -> Self {
        Self(days)
    }

    pub fn days(self) -> i32 {
        self.0
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// Monday is 0, Sunday is 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.0 + 3).rem_euclid(7) as u32
    }

    pub fn add_days(self, days: i32) -> Self {
        Self(self.0 + days)
    }

    /// The day of a moment given in milliseconds since the Unix epoch (UTC).
    pub fn from_millis(ms: i64) -> Self {
        Self(ms.div_euclid(86_400_000) as i32)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseDateError(s.to_owned());
        let mut parts = s.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (y, m, d) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        Date::from_ymd(y, m, d).ok_or_else(bad)
    }
}

impl Reconcile for Date {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        self.to_string().reconcile(reconciler)
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        s.parse().map_err(|e: ParseDateError| HydrateError::unexpected("a date", e.to_string()))
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        let d = Date::from_ymd(2026, 11, 11).expect("双十一");
        assert_eq!(d.to_string(), "2026-11-11");
        assert_eq!(d.weekday(), 2, "2026-11-11 is a Wednesday");
        assert_eq!("2024-02-29".parse::<Date>().map(|d| d.ymd()), Ok((2024, 2, 29)));
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-1-01".parse::<Date>().is_err());
        assert!("tomorrow".parse::<Date>().is_err());
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date::from_days(0)));
    }

    proptest! {
        #[test]
        fn days_and_text_round_trip(days in -200_000i32..200_000) {
            let date = Date::from_days(days);
            let (y, m, d) = date.ymd();
            prop_assert_eq!(Date::from_ymd(y, m, d), Some(date));
            if (0..=9999).contains(&y) {
                prop_assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            }
            prop_assert_eq!(date.add_days(1).weekday(), (date.weekday() + 1) % 7);
        }
    }
}
