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

/// An exact hint for a date in a form other generators write (`Dec 3 2025`, Jekyll's
/// `2025-12-03 14:30:00 -0500`, `03/12/2025`) or one that does not exist (`2026-11-31`).
/// `with_time`: whether the key takes a date-time (`date`, `updated`), or a date only.
/// The form stays an error: gloss reads one spelling, and the hint writes it.
pub(crate) fn correction(s: &str, with_time: bool) -> Option<String> {
    let s = s.trim();
    if let Some(problem) = impossible(s) {
        return Some(problem);
    }
    if let Some(date) = month_name_date(s).or_else(|| numeric_date(s)) {
        return Some(match date {
            Reading::One(d) => format!("write `{d}`"),
            Reading::Two {
                month_first,
                day_first,
            } => format!(
                "`{s}` is ambiguous: write `{month_first}` if the month comes first, or \
                 `{day_first}` if the day does"
            ),
        });
    }
    let (date, time) = s.split_once([' ', 'T', 't'])?;
    let date: civil::Date = date.parse().ok()?;
    let (rfc, has_zone) = rfc3339(date, time.trim())?;
    Some(if !with_time {
        format!("write the date alone: `{date}`")
    } else if !has_zone {
        format!(
            "write an RFC 3339 date-time with its offset: `{rfc}` if the time is UTC, else \
             your offset in place of `Z` (e.g. `{}`)",
            rfc.replace('Z', "-05:00")
        )
    } else {
        format!("write an RFC 3339 date-time: `{rfc}`")
    })
}

/// The date of a month-name form (`November 30, 2015`, `3 Dec 2025`), when it has
/// one reading: what embed code and other generators write.
pub(crate) fn from_month_name(s: &str) -> Option<civil::Date> {
    match month_name_date(s.trim())? {
        Reading::One(d) => Some(d),
        Reading::Two { .. } => None,
    }
}

/// One or two readings of a date.
enum Reading {
    One(civil::Date),
    Two {
        month_first: civil::Date,
        day_first: civil::Date,
    },
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| m.starts_with(&w))?;
    Some(i as i8 + 1)
}

/// `Dec 3 2025`, `December 3, 2025`, `3 December 2025`, `Dec. 3rd, 2025`.
fn month_name_date(s: &str) -> Option<Reading> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let day = |w: &str| -> Option<i8> {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()
    };
    let (month, day_n, year) = match words.as_slice() {
        [m, d, y] if month_of(m).is_some() => (month_of(m)?, day(d)?, y),
        [d, m, y] if month_of(m).is_some() => (month_of(m)?, day(d)?, y),
        _ => return None,
    };
    let year: i16 = year.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    civil::Date::new(year, month, day_n).ok().map(Reading::One)
}

/// `03/12/2025` (ambiguous unless a part is over 12), `2025/12/03`, `3.12.2025` (day
/// first, as where dots are written), `2025-1-5`.
fn numeric_date(s: &str) -> Option<Reading> {
    let sep = ['/', '.', '-'].into_iter().find(|c| s.contains(*c))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<i16>().ok();
    let date = |y: i16, m: i16, d: i16| {
        civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
    };
    if a.len() == 4 {
        return date(n(a)?, n(b)?, n(c)?).map(Reading::One);
    }
    if c.len() != 4 || sep == '-' {
        return None;
    }
    let (x, y, year) = (n(a)?, n(b)?, n(c)?);
    let month_first = date(year, x, y);
    let day_first = date(year, y, x);
    match (month_first, day_first) {
        (Some(m), Some(d)) if m != d && sep == '/' => Some(Reading::Two {
            month_first: m,
            day_first: d,
        }),
        (_, Some(d)) if sep == '.' => Some(Reading::One(d)),
        (Some(m), _) => Some(Reading::One(m)),
        (None, Some(d)) => Some(Reading::One(d)),
        (None, None) => None,
    }
}

/// For `YYYY-MM-DD` (alone or starting a date-time) naming no real day: why.
fn impossible(s: &str) -> Option<String> {
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b[4] != b'-'
        || b[7] != b'-'
        || !head
            .bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    let year: i16 = head[..4].parse().ok()?;
    let month: i8 = head[5..7].parse().ok()?;
    let day: i8 = head[8..10].parse().ok()?;
    if !(1..=12).contains(&month) {
        return Some(format!(
            "there is no month {month}: months go from 01 to 12"
        ));
    }
    let first = civil::Date::new(year, month, 1).ok()?;
    let days = first.days_in_month();
    if day == 0 || day > days {
        let name = MONTHS[month as usize - 1];
        let name = format!("{}{}", name[..1].to_ascii_uppercase(), &name[1..]);
        let which = if month == 2 {
            format!("{name} {year}")
        } else {
            name
        };
        return Some(format!("the day does not exist ({which} has {days} days)"));
    }
    None
}

/// `date` at the clock `time` (`14:30`, `14:30:00.5`, with `Z`, `UTC`, `-0500` or
/// `+01:00` after it, or nothing) as RFC 3339, `Z` when no offset is written; and
/// whether one was.
fn rfc3339(date: civil::Date, time: &str) -> Option<(String, bool)> {
    let split = time
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(time.len());
    let (clock, zone) = (&time[..split], time[split..].trim());
    let mut parts = clock.split(':');
    let h: i8 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let sec: i8 = match parts.next() {
        Some(p) => p.split('.').next()?.parse().ok()?,
        None => 0,
    };
    civil::Time::new(h, m, sec, 0).ok()?;
    let offset = match zone {
        "" | "Z" | "z" | "UTC" | "GMT" => "Z".to_string(),
        z => {
            let (sign, digits) = z.split_at_checked(1)?;
            if sign != "+" && sign != "-" {
                return None;
            }
            let digits = digits.replace(':', "");
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            format!("{sign}{}:{}", &digits[..2], &digits[2..])
        }
    };
    let rfc = format!("{date}T{h:02}:{m:02}:{sec:02}{offset}");
    Some((rfc, !zone.is_empty()))
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
    fn foreign_forms_get_the_exact_value() {
        let cases = [
            ("Dec 3 2025", "write `2025-12-03`"),
            ("December 3, 2025", "write `2025-12-03`"),
            ("3 December 2025", "write `2025-12-03`"),
            ("Sept. 3rd, 2025", "write `2025-09-03`"),
            (
                "2025-12-03 14:30:00 -0500",
                "write an RFC 3339 date-time: `2025-12-03T14:30:00-05:00`",
            ),
            (
                "2025-12-03T14:30:00+0100",
                "write an RFC 3339 date-time: `2025-12-03T14:30:00+01:00`",
            ),
            (
                "2025-12-03 14:30:00 UTC",
                "write an RFC 3339 date-time: `2025-12-03T14:30:00Z`",
            ),
            ("2025/12/03", "write `2025-12-03`"),
            ("2025-1-5", "write `2025-01-05`"),
            ("3.12.2025", "write `2025-12-03`"),
            ("13/12/2025", "write `2025-12-13`"),
            ("12/13/2025", "write `2025-12-13`"),
            ("03/03/2025", "write `2025-03-03`"),
            (
                "03/12/2025",
                "`03/12/2025` is ambiguous: write `2025-03-12` if the month comes first, or `2025-12-03` if the day does",
            ),
            (
                "2026-11-31",
                "the day does not exist (November has 30 days)",
            ),
            (
                "2026-02-29",
                "the day does not exist (February 2026 has 28 days)",
            ),
            (
                "2025-13-01",
                "there is no month 13: months go from 01 to 12",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(correction(input, true).as_deref(), Some(want), "{input}");
        }
        let local = correction("2025-12-03 14:30", true).unwrap_or_default();
        assert!(
            local.starts_with("write an RFC 3339 date-time with its offset: `2025-12-03T14:30:00Z` if the time is UTC"),
            "{local}"
        );
        assert_eq!(
            correction("2025-12-03 14:30:00 -0500", false).as_deref(),
            Some("write the date alone: `2025-12-03`")
        );
        for none in [
            "yesterday",
            "2025",
            "12/2025",
            "Dec 2025",
            "2025-12-03 noon",
        ] {
            assert_eq!(correction(none, true), None, "{none}");
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
