//! Ids and query parameters parsed by hand, so that a bad one is named in the 400.

use std::collections::HashMap;

use uuid::Uuid;

use crate::ApiError;

pub fn parse_id(parameter: &str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::bad(parameter, format!("{raw:?} is not a UUID")))
}

/// The query string, with every parameter checked against what the route accepts.
pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    pub fn new(raw: HashMap<String, String>, allowed: &[&str]) -> Result<Self, ApiError> {
        if let Some(unknown) = raw
            .keys()
            .find(|k| !allowed.contains(&k.as_str()) && !READ_PARAMS.contains(&k.as_str()))
        {
            return Err(ApiError::bad(unknown, "unknown parameter"));
        }
        Ok(Self(raw))
    }

    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(raw) = self.0.get(name) else {
            return Ok(None);
        };
        let value: i64 = raw
            .parse()
            .map_err(|_| ApiError::bad(name, format!("{raw:?} is not an integer")))?;
        if !(min..=max).contains(&value) {
            return Err(ApiError::bad(
                name,
                format!("must be between {min} and {max}"),
            ));
        }
        Ok(Some(value))
    }

    pub fn uuid(&self, name: &str) -> Result<Option<Uuid>, ApiError> {
        self.0.get(name).map(|raw| parse_id(name, raw)).transpose()
    }

    pub fn date(&self, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
        self.0
            .get(name)
            .map(|raw| {
                raw.parse()
                    .map_err(|_| ApiError::bad(name, format!("{raw:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    }
}

/// Accepted by every route: read-your-writes.
pub const READ_PARAMS: &[&str] = &["min_position", "wait_ms"];
