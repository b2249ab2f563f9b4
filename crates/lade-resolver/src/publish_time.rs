//! Publish times from a packument's `time` field, as milliseconds since the Unix epoch, for
//! `resolution-mode=time-based` and `minimumReleaseAge`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch of an ISO 8601 timestamp with a `Z` or `±hh:mm` offset
/// (`2020-01-01T00:00:00.000Z`, the npm registry's form; `…00.000000+00:00` from some
/// mirrors); `None` for anything else.
pub(crate) fn parse_millis(text: &str) -> Option<i64> {
    let (local, offset_minutes) = split_offset(text)?;
    Some(parse_utc(local)? - offset_minutes * 60 * 1000)
}

/// The timestamp without its offset, and the offset in minutes east of UTC.
fn split_offset(text: &str) -> Option<(&str, i64)> {
    if let Some(local) = text.strip_suffix('Z') {
        return Some((local, 0));
    }
    let at = text.len().checked_sub(6)?;
    let (local, offset) = (text.get(..at)?, text.get(at..)?);
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = offset[1..].split_once(':')?;
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    Some((local, sign * (hours * 60 + minutes)))
}

fn parse_utc(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut clock_parts = clock.splitn(3, ':');
    let hour: i64 = clock_parts.next()?.parse().ok()?;
    let minute: i64 = clock_parts.next()?.parse().ok()?;
    let second: i64 = clock_parts.next()?.parse().ok()?;
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis)
}

/// The current time in the same unit.
pub(crate) fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registry_timestamps() {
        assert_eq!(parse_millis("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_millis("2020-01-01T00:00:01.500Z"), Some(1_577_836_801_500));
        assert_eq!(parse_millis("2024-02-29T23:59:59Z"), Some(1_709_251_199_000));
        assert_eq!(parse_millis("2011-10-05T14:48:00.12Z"), Some(1_317_826_080_120));
        assert_eq!(parse_millis("2026-08-23T03:48:14.307000+00:00"), Some(1_787_456_894_307));
        assert_eq!(parse_millis("2020-01-01T02:00:00+02:00"), Some(1_577_836_800_000));
        assert_eq!(parse_millis("2020-01-01T00:00:00"), None, "no offset");
        assert_eq!(parse_millis("not a date"), None);
        assert_eq!(parse_millis("2020-13-01T00:00:00.000Z"), None);
    }
}
