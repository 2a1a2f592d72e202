//! Why a command was refused: a closed set of stable codes plus a message naming the field.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable error codes clients branch on. Adding one is a contract change: add only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionCode {
    InvalidJson,
    InvalidUtf8,
    UnknownCommandType,
    InvalidCommand,
    NotFound,
    AlreadyExists,
    VersionConflict,
    InvalidTransition,
    PayloadTooLarge,
}

impl RejectionCode {
    pub const ALL: [RejectionCode; 9] = [
        RejectionCode::InvalidJson,
        RejectionCode::InvalidUtf8,
        RejectionCode::UnknownCommandType,
        RejectionCode::InvalidCommand,
        RejectionCode::NotFound,
        RejectionCode::AlreadyExists,
        RejectionCode::VersionConflict,
        RejectionCode::InvalidTransition,
        RejectionCode::PayloadTooLarge,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            RejectionCode::InvalidJson => "invalid_json",
            RejectionCode::InvalidUtf8 => "invalid_utf8",
            RejectionCode::UnknownCommandType => "unknown_command_type",
            RejectionCode::InvalidCommand => "invalid_command",
            RejectionCode::NotFound => "not_found",
            RejectionCode::AlreadyExists => "already_exists",
            RejectionCode::VersionConflict => "version_conflict",
            RejectionCode::InvalidTransition => "invalid_transition",
            RejectionCode::PayloadTooLarge => "payload_too_large",
        }
    }

    pub fn parse(s: &str) -> Option<RejectionCode> {
        Self::ALL.into_iter().find(|code| code.as_str() == s)
    }
}

impl fmt::Display for RejectionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused command: a value sent back to the client, never a failure to retry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub code: RejectionCode,
    pub message: String,
    /// The offending field as a path from the envelope, e.g. `payload.task_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Rejection {
    pub fn new(code: RejectionCode, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(self, field: impl Into<String>) -> Self {
        Rejection {
            field: Some(field.into()),
            ..self
        }
    }

    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        Rejection::new(RejectionCode::InvalidCommand, message).with_field(field)
    }

    pub(crate) fn not_found(field: &str, message: impl Into<String>) -> Self {
        Rejection::new(RejectionCode::NotFound, message).with_field(field)
    }

    pub(crate) fn already_exists(field: &str, message: impl Into<String>) -> Self {
        Rejection::new(RejectionCode::AlreadyExists, message).with_field(field)
    }

    pub(crate) fn transition(field: &str, message: impl Into<String>) -> Self {
        Rejection::new(RejectionCode::InvalidTransition, message).with_field(field)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field}): {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_match_as_str_for_every_code() {
        for code in RejectionCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(RejectionCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn serializes_field_only_when_present() {
        let bare = Rejection::new(RejectionCode::NotFound, "no such task");
        assert_eq!(
            serde_json::to_value(&bare).unwrap(),
            serde_json::json!({"code": "not_found", "message": "no such task"})
        );
        let with_field = bare.with_field("payload.task_id");
        assert_eq!(
            serde_json::to_value(&with_field).unwrap(),
            serde_json::json!({"code": "not_found", "message": "no such task", "field": "payload.task_id"})
        );
    }
}
