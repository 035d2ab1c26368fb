//! Dates as readers read them: `2025-12-23` becomes "23 December 2025", for templates
//! (the `human_date` filter) and for the titles render builds itself (month pages,
//! breadcrumbs).
//!
//! The month names live here and nowhere else, so that a site language other than
//! English changes them in one place (the filter is the seam a languages issue extends
//! with a `lang` argument). They are in Rust rather than in the theme because page
//! titles such as "December 2025" are built here too, and both must agree.

use tera::{Kwargs, State, Tera};

/// English month names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English name of month `m` (1-12; out-of-range values are clamped).
pub(crate) fn month_name(m: i8) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// "23 December 2025", "December 2025" or "2025" for `YYYY-MM-DD`, `YYYY-MM` or
/// `YYYY` (an RFC 3339 date-time reads as its date); `None` for anything else.
pub(crate) fn human(date: &str) -> Option<String> {
    let date = date.split_once('T').map_or(date, |(day, _)| day);
    let mut parts = date.split('-');
    let year = parts.next().filter(|y| y.len() == 4)?;
    year.parse::<u16>().ok()?;
    let month = match parts.next() {
        None => return Some(year.to_string()),
        Some(m) => m.parse::<i8>().ok().filter(|m| (1..=12).contains(m))?,
    };
    let name = MONTHS[(month - 1) as usize];
    match parts.next() {
        None => Some(format!("{name} {year}")),
        Some(d) => {
            let day = d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?;
            parts
                .next()
                .is_none()
                .then(|| format!("{day} {name} {year}"))
        }
    }
}

/// Registers the `human_date` filter: `{{ a.date | human_date }}` gives "23 December
/// 2025"; a value that is no date is shown as it is.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("human_date", |value: &str, _: Kwargs, _: &State| {
        human(value).unwrap_or_else(|| value.to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_words_at_every_precision() {
        assert_eq!(human("2025-12-23").as_deref(), Some("23 December 2025"));
        assert_eq!(human("2025-01-05").as_deref(), Some("5 January 2025"));
        assert_eq!(human("2025-12").as_deref(), Some("December 2025"));
        assert_eq!(human("2025").as_deref(), Some("2025"));
        assert_eq!(
            human("2025-12-23T23:30:00-06:00").as_deref(),
            Some("23 December 2025"),
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
            assert_eq!(human(bad), None, "{bad:?}");
        }
        assert_eq!(month_name(12), "December");
        assert_eq!(month_name(0), "January", "clamped");
    }
}
