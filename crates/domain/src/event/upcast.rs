//! The one place where payloads written with an older `schema_version` are brought up to date.

use std::borrow::Cow;

use serde_json::Value;

use super::{CURRENT_SCHEMA_VERSION, EventType};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpcastError {
    #[error("unknown event type {0:?}")]
    UnknownEventType(String),
    #[error("{event_type} has no schema version {version} (current is {current})")]
    UnsupportedSchemaVersion {
        event_type: &'static str,
        version: i16,
        current: i16,
    },
    #[error("{event_type} payload does not match its schema: {message}")]
    InvalidPayload {
        event_type: &'static str,
        message: String,
    },
}

/// Brings `payload` to [`CURRENT_SCHEMA_VERSION`].
///
/// Every type is at version 1 so far. When a payload shape changes, bump that type's
/// `EventType::schema_version`, and add here a step `(kind, old) => rewrite to old + 1`
/// applied in a loop, so that any stored version climbs one step at a time.
pub(super) fn to_current(
    kind: EventType,
    version: i16,
    payload: &Value,
) -> Result<Cow<'_, Value>, UpcastError> {
    if version == kind.schema_version() {
        return Ok(Cow::Borrowed(payload));
    }
    Err(UpcastError::UnsupportedSchemaVersion {
        event_type: kind.as_str(),
        version,
        current: CURRENT_SCHEMA_VERSION,
    })
}
