//! WordPress's dates (`YYYY-MM-DD HH:MM:SS`, local and UTC) as gloss's RFC 3339: the
//! export states no time zone, but each post's local date minus its UTC date is the
//! site's offset on that day (daylight saving time included).

use super::wxr::Item;

/// True for a date-time as WordPress writes them, `YYYY-MM-DD HH:MM:SS` (not the
/// `0000-00-00 00:00:00` of a draft never published): the only form later steps slice.
pub(super) fn is_datetime(s: &str) -> bool {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", s).is_ok() && s.len() == 19
}

/// The offset in seconds of local `date` from UTC `gmt` (both `YYYY-MM-DD HH:MM:SS`).
pub(super) fn offset(date: &str, gmt: &str) -> Option<i64> {
    let parse = |s: &str| jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", s).ok();
    let (d, g) = (parse(date)?, parse(gmt)?);
    let secs = d.duration_since(g).as_secs();
    // Offsets are whole quarter hours; anything else is no offset (a broken GMT date).
    (secs % 900 == 0 && secs.abs() <= 14 * 3600).then_some(secs)
}

/// `YYYY-MM-DD HH:MM:SS` local with `offset` seconds as RFC 3339.
pub(super) fn rfc3339(date: &str, offset: Option<i64>) -> String {
    let base = date.replacen(' ', "T", 1);
    match offset {
        Some(0) | None => format!("{base}Z"),
        Some(s) => {
            let (sign, s) = if s < 0 { ('-', -s) } else { ('+', s) };
            format!("{base}{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
        }
    }
}

/// `updated:` from `wp:post_modified_gmt`, when later than the publication.
pub(crate) fn updated(item: &Item, date: &str) -> Option<String> {
    let modified: jiff::Timestamp = format!("{}Z", item.modified_gmt.trim().replacen(' ', "T", 1))
        .parse()
        .ok()?;
    let published: jiff::Timestamp = date.parse().ok()?;
    (modified.as_second() > published.as_second() + 60)
        .then(|| modified.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_carry_the_sites_offset() {
        let o = offset("2024-03-15 09:30:00", "2024-03-15 14:30:00");
        assert_eq!(o, Some(-5 * 3600));
        assert_eq!(
            rfc3339("2024-03-15 09:30:00", o),
            "2024-03-15T09:30:00-05:00"
        );
        assert_eq!(offset("2024-03-15 09:30:00", "0000-00-00 00:00:00"), None);
        assert_eq!(rfc3339("2024-03-15 09:30:00", None), "2024-03-15T09:30:00Z");
        assert_eq!(
            rfc3339("2024-03-15 09:30:00", Some(5 * 3600 + 1800)),
            "2024-03-15T09:30:00+05:30"
        );
    }

    #[test]
    fn only_real_dates_are_sliced() {
        assert!(is_datetime("2024-03-15 09:30:00"));
        assert!(!is_datetime("0000-00-00 00:00:00"));
        assert!(!is_datetime(""));
        assert!(!is_datetime("2024-03-1é 09:30:00"));
    }
}
