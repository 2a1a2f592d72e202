//! The bounds on payload values, shared by the checks in `decide` and the JSON Schemas.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::rejection::Rejection;

pub const MAX_NAME_CHARS: u32 = 200;
pub const MAX_TITLE_CHARS: u32 = 500;
pub const MAX_DESCRIPTION_CHARS: u32 = 10_000;
pub const MAX_REASON_CHARS: u32 = 2_000;
pub const MAX_ROLE_CHARS: u32 = 100;
pub const MAX_TAG_CHARS: u32 = 100;
pub const MAX_ACTOR_CHARS: u32 = 200;
/// Labels and skills per task or member.
pub const MAX_TAGS: u32 = 50;
pub const MAX_DEPENDENCIES: u32 = 1_000;
pub const MAX_ESTIMATE_HOURS: f64 = 10_000.0;
/// One work-log entry covers at most a week.
pub const MAX_LOGGED_HOURS: f64 = 168.0;
pub const MAX_CAPACITY_HOURS_PER_WEEK: f64 = 168.0;
pub const MIN_PRIORITY: u8 = 1;
pub const MAX_PRIORITY: u8 = 4;

/// The first day a date or time may name. Earlier ones are no project's business, and every
/// reader may count days from here without meeting chrono's or PostgreSQL's edges.
pub const EARLIEST_DATE: NaiveDate = ymd(1970, 1, 1);
/// The last day a date or time may name: RFC 3339 has four-digit years, and weeks or days
/// added to it by the planners stay far inside chrono's and PostgreSQL's ranges.
pub const LATEST_DATE: NaiveDate = ymd(9999, 12, 31);
/// How far a command's `occurred_at` may lie after the time it is handled: clocks disagree a
/// little, but business time that runs ahead would move every time-based feature with it.
pub const MAX_OCCURRED_AHEAD: TimeDelta = TimeDelta::hours(1);

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("not a date"),
    }
}

/// The JSON Schema pattern for "not blank", mirroring [`required_text`].
pub const NOT_BLANK: &str = r"\S";

fn char_count(value: &str) -> u32 {
    u32::try_from(value.chars().count()).unwrap_or(u32::MAX)
}

/// A required text: not blank, at most `max` characters (counted as JSON Schema counts them).
pub(crate) fn required_text(field: &str, value: &str, max: u32) -> Result<(), Rejection> {
    if value.trim().is_empty() {
        return Err(Rejection::invalid(
            field,
            format!("{field} must not be blank"),
        ));
    }
    optional_text(field, Some(value), max)
}

pub(crate) fn optional_text(field: &str, value: Option<&str>, max: u32) -> Result<(), Rejection> {
    match value {
        Some(text) if char_count(text) > max => Err(Rejection::invalid(
            field,
            format!("{field} must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// A list of short tags (labels, skills): each not blank and short, and not too many.
pub(crate) fn tags(field: &str, values: &[String]) -> Result<(), Rejection> {
    count(field, values.len(), MAX_TAGS)?;
    values
        .iter()
        .try_for_each(|tag| required_text(field, tag, MAX_TAG_CHARS))
}

pub(crate) fn count(field: &str, len: usize, max: u32) -> Result<(), Rejection> {
    if u32::try_from(len).map_or(true, |len| len > max) {
        return Err(Rejection::invalid(
            field,
            format!("{field} must have at most {max} items"),
        ));
    }
    Ok(())
}

/// `0 < value <= max`, finite.
pub(crate) fn positive(field: &str, value: f64, max: f64) -> Result<(), Rejection> {
    if !value.is_finite() || value <= 0.0 || value > max {
        return Err(Rejection::invalid(
            field,
            format!("{field} must be a number greater than 0 and at most {max}, got {value}"),
        ));
    }
    Ok(())
}

/// `0 <= value <= max`, finite.
pub(crate) fn non_negative(field: &str, value: f64, max: f64) -> Result<(), Rejection> {
    if !value.is_finite() || value < 0.0 || value > max {
        return Err(Rejection::invalid(
            field,
            format!("{field} must be a number from 0 to {max}, got {value}"),
        ));
    }
    Ok(())
}

/// A calendar date from [`EARLIEST_DATE`] to [`LATEST_DATE`].
pub(crate) fn date(field: &str, value: NaiveDate) -> Result<(), Rejection> {
    if !(EARLIEST_DATE..=LATEST_DATE).contains(&value) {
        return Err(Rejection::invalid(
            field,
            format!("{field} must be from {EARLIEST_DATE} to {LATEST_DATE}, got {value}"),
        ));
    }
    Ok(())
}

/// An instant on a day from [`EARLIEST_DATE`] to [`LATEST_DATE`] (UTC).
pub(crate) fn instant(field: &str, value: DateTime<Utc>) -> Result<(), Rejection> {
    date(field, value.date_naive())
}

/// A command's business time: from [`EARLIEST_DATE`] to [`MAX_OCCURRED_AHEAD`] after `now`,
/// the time the command is handled.
pub fn occurred_at(value: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Rejection> {
    instant("occurred_at", value)?;
    let latest = now + MAX_OCCURRED_AHEAD;
    if value > latest {
        return Err(Rejection::invalid(
            "occurred_at",
            format!(
                "occurred_at must not be more than {} minutes after the time the command is handled ({now}), got {value}",
                MAX_OCCURRED_AHEAD.num_minutes()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rejection::RejectionCode;

    #[test]
    fn numbers_must_be_finite_and_in_range() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -1.0, 10.5] {
            let err = positive("payload.hours", bad, 10.0).unwrap_err();
            assert_eq!(err.code, RejectionCode::InvalidCommand);
            assert_eq!(err.field.as_deref(), Some("payload.hours"));
        }
        assert!(positive("h", 10.0, 10.0).is_ok());
        assert!(non_negative("h", 0.0, 10.0).is_ok());
        for bad in [f64::NAN, f64::INFINITY, -0.5, 10.5] {
            assert!(non_negative("h", bad, 10.0).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_times_stay_in_their_window() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for bad in [
            day(0, 1, 1),
            day(1969, 12, 31),
            day(10_000, 1, 1),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ] {
            let err = date("payload.due_date", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("payload.due_date"), "{bad}");
        }
        assert!(date("d", EARLIEST_DATE).is_ok() && date("d", LATEST_DATE).is_ok());
        let at = |d: NaiveDate| d.and_hms_opt(12, 0, 0).unwrap().and_utc();
        assert!(instant("t", at(day(-5, 1, 1))).is_err());
        assert!(instant("t", DateTime::<Utc>::MAX_UTC).is_err());

        let now = at(day(2026, 3, 2));
        assert!(occurred_at(now, now).is_ok());
        assert!(
            occurred_at(at(day(1999, 1, 1)), now).is_ok(),
            "history may be imported"
        );
        assert!(
            occurred_at(now + TimeDelta::minutes(59), now).is_ok(),
            "clocks disagree a little"
        );
        let ahead = occurred_at(now + TimeDelta::hours(2), now).unwrap_err();
        assert_eq!(ahead.field.as_deref(), Some("occurred_at"));
        assert!(occurred_at(DateTime::<Utc>::MIN_UTC, now).is_err());
    }

    #[test]
    fn text_is_counted_in_characters_and_must_not_be_blank() {
        assert!(required_text("n", " \t", 10).is_err());
        assert!(required_text("n", "ééééé", 5).is_ok());
        assert!(required_text("n", "éééééé", 5).is_err());
        assert!(optional_text("n", None, 0).is_ok());
        assert!(tags("t", &["a".to_owned(), " ".to_owned()]).is_err());
        assert!(count("d", 3, 2).is_err());
    }
}
