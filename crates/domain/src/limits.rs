//! The bounds on payload values, shared by the checks in `decide` and the JSON Schemas.

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
    fn text_is_counted_in_characters_and_must_not_be_blank() {
        assert!(required_text("n", " \t", 10).is_err());
        assert!(required_text("n", "ééééé", 5).is_ok());
        assert!(required_text("n", "éééééé", 5).is_err());
        assert!(optional_text("n", None, 0).is_ok());
        assert!(tags("t", &["a".to_owned(), " ".to_owned()]).is_err());
        assert!(count("d", 3, 2).is_err());
    }
}
