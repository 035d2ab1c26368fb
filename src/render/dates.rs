//! Dates as written in front matter, taken apart for readers: `2025-12-23` is the year,
//! month and day that [`super::i18n::Translations::human_date`] writes as words in the
//! page's language ("23 December 2025", "23 de diciembre de 2025").
//!
//! The words (month names, the order of day, month and year) are in the theme's
//! translation files, not here, so a language is added without touching Rust.

/// The year, month and day of `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (an RFC 3339 date-time
/// reads as its date as written); `None` for anything else.
pub(crate) fn parts(date: &str) -> Option<(u16, Option<i8>, Option<u8>)> {
    let date = date.split_once('T').map_or(date, |(day, _)| day);
    let mut parts = date.split('-');
    let year = parts.next().filter(|y| y.len() == 4)?.parse::<u16>().ok()?;
    let month = match parts.next() {
        None => return Some((year, None, None)),
        Some(m) => m.parse::<i8>().ok().filter(|m| (1..=12).contains(m))?,
    };
    match parts.next() {
        None => Some((year, Some(month), None)),
        Some(d) => {
            let day = d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?;
            parts
                .next()
                .is_none()
                .then_some((year, Some(month), Some(day)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_taken_apart_at_every_precision() {
        assert_eq!(parts("2025-12-23"), Some((2025, Some(12), Some(23))));
        assert_eq!(parts("2025-01-05"), Some((2025, Some(1), Some(5))));
        assert_eq!(parts("2025-12"), Some((2025, Some(12), None)));
        assert_eq!(parts("2025"), Some((2025, None, None)));
        assert_eq!(
            parts("2025-12-23T23:30:00-06:00"),
            Some((2025, Some(12), Some(23))),
            "a date-time reads as its date as written"
        );
        for bad in [
            "",
            "soon",
            "2025-13",
            "2025-12-32",
            "25-12-23",
            "2025-12-23-1",
        ] {
            assert_eq!(parts(bad), None, "{bad:?}");
        }
    }
}
