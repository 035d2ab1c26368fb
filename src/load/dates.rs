//! Parsing of the date forms front matter accepts.

use jiff::civil;
use jiff::tz::TimeZone;

use crate::model::{PartialDate, Published};

/// The accepted forms of `date` and `updated`, for hints.
pub(crate) const PUBLISHED_FORMS: &str = "write `YYYY-MM-DD` (e.g. `2025-12-23`) or an RFC 3339 date-time (e.g. `2025-12-23T14:30:00-06:00`)";

/// The accepted forms of partial dates (`said`, a source's `published`), for hints.
pub(crate) const PARTIAL_FORMS: &str =
    "write `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (e.g. `2025-12-23`)";

/// Parses `YYYY-MM-DD` or an RFC 3339 date-time.
pub(crate) fn published(s: &str) -> Option<Published> {
    let s = s.trim();
    if s.len() == 10 {
        let date: civil::Date = s.parse().ok()?;
        let instant = TimeZone::UTC
            .to_timestamp(date.to_datetime(civil::Time::midnight()))
            .ok()?;
        return Some(Published {
            date,
            instant,
            rfc3339: format!("{date}T00:00:00Z"),
        });
    }
    let instant: jiff::Timestamp = s.parse().ok()?;
    // The calendar date as written, before any offset is applied.
    let date: civil::Date = s.get(..10)?.parse().ok()?;
    let offset = s
        .get(19..)
        .map(|rest| rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()));
    let suffix = match offset {
        Some("" | "Z" | "z") | None => "Z".to_string(),
        Some(o) => o.to_string(),
    };
    let clock = s.get(11..19)?;
    Some(Published {
        date,
        instant,
        rfc3339: format!("{date}T{clock}{suffix}"),
    })
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub(crate) fn partial(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if digits(y, 4) => Some(PartialDate {
            year: y.parse().ok()?,
            month: None,
            day: None,
        }),
        [y, m] if digits(y, 4) && digits(m, 2) => {
            let month: i8 = m.parse().ok()?;
            (1..=12).contains(&month).then_some(PartialDate {
                year: y.parse().ok()?,
                month: Some(month),
                day: None,
            })
        }
        [_, _, _] => {
            let date: civil::Date = s.parse().ok()?;
            Some(PartialDate {
                year: date.year(),
                month: Some(date.month()),
                day: Some(date.day()),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_accepts_dates_and_datetimes() {
        let p = published("2025-12-23").unwrap_or_else(|| panic!("date"));
        assert_eq!(p.rfc3339, "2025-12-23T00:00:00Z");
        let p = published("2025-12-23T23:30:00-06:00").unwrap_or_else(|| panic!("datetime"));
        assert_eq!(p.date.to_string(), "2025-12-23");
        assert_eq!(p.rfc3339, "2025-12-23T23:30:00-06:00");
        assert_eq!(p.instant.to_string(), "2025-12-24T05:30:00Z");
    }

    #[test]
    fn published_rejects_nonsense() {
        for bad in [
            "2025-13-01",
            "2025-02-30",
            "23.12.2025",
            "yesterday",
            "2025-12-23T25:00:00Z",
        ] {
            assert!(published(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn partial_dates() {
        assert_eq!(partial("2025").map(|d| d.to_string()), Some("2025".into()));
        assert_eq!(
            partial("2025-03").map(|d| d.to_string()),
            Some("2025-03".into())
        );
        assert_eq!(
            partial("2025-03-09").map(|d| d.to_string()),
            Some("2025-03-09".into())
        );
        assert!(partial("2025-13").is_none());
        assert!(partial("25").is_none());
        assert!(partial("2025-02-30").is_none());
    }
}
