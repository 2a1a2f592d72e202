//! The command envelope as it arrives on `<ns>.cmd.<aggregate>.<verb>`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Command;
use super::deserialize::typed;
use crate::limits::{self, MAX_ACTOR_CHARS, NOT_BLANK};
use crate::rejection::{Rejection, RejectionCode};

/// `{command_id, type, occurred_at?, expected_version?, actor, correlation_id?, payload}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandEnvelope {
    /// Chosen by the client; a command re-sent with the same id gets its first outcome again.
    pub command_id: Uuid,
    /// `<aggregate>.<verb>`, the last two tokens of the subject.
    #[serde(rename = "type")]
    pub command_type: String,
    /// Business time of the change; the handler uses the time of handling when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<Utc>>,
    /// The version the client last saw of the target stream (0: it must not exist yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub expected_version: Option<i64>,
    /// Who sends the command.
    #[schemars(length(min = 1, max = MAX_ACTOR_CHARS), regex(pattern = NOT_BLANK))]
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    /// The command's own fields; their shape depends on `type`.
    pub payload: serde_json::Value,
}

impl CommandEnvelope {
    /// Reads an envelope from the raw message body.
    ///
    /// Only the envelope is checked here; [`CommandEnvelope::command`] reads the payload.
    pub fn from_slice(body: &[u8]) -> Result<CommandEnvelope, Rejection> {
        let text = std::str::from_utf8(body).map_err(|e| {
            Rejection::new(
                RejectionCode::InvalidUtf8,
                format!("the body is not UTF-8: {e}"),
            )
        })?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Rejection::new(
                RejectionCode::InvalidJson,
                format!("the body is not JSON: {e}"),
            )
        })?;
        Self::from_value(&value)
    }

    /// Reads an envelope from a JSON tree; a refusal names the field (`occurred_at`).
    pub fn from_value(value: &serde_json::Value) -> Result<CommandEnvelope, Rejection> {
        let envelope: CommandEnvelope = typed(value, "")?;
        envelope.validate()?;
        Ok(envelope)
    }

    /// The typed command, from `type` and `payload`.
    pub fn command(&self) -> Result<Command, Rejection> {
        Command::parse(&self.command_type, &self.payload)
    }

    fn validate(&self) -> Result<(), Rejection> {
        limits::required_text("actor", &self.actor, MAX_ACTOR_CHARS)?;
        if self.expected_version.is_some_and(|v| v < 0) {
            return Err(Rejection::invalid(
                "expected_version",
                "expected_version must be 0 or more",
            ));
        }
        Ok(())
    }
}

/// The `command_id` of a body that may be malformed otherwise, so the rejection can still be
/// answered by id. `None` when even that cannot be read.
pub fn read_command_id(body: &[u8]) -> Option<Uuid> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Uuid::parse_str(value.get("command_id")?.as_str()?).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(value: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&value).unwrap()
    }

    fn envelope() -> serde_json::Value {
        json!({
            "command_id": "7d0f6f4e-8a51-4b8e-9a43-1b1c2a1d6c01",
            "type": "task.start",
            "actor": "alice",
            "payload": {"task_id": "0b4c7f0e-0a51-4b8e-9a43-1b1c2a1d6c02"}
        })
    }

    #[test]
    fn reads_a_well_formed_envelope_and_its_command() {
        let envelope = CommandEnvelope::from_slice(&body(envelope())).unwrap();
        assert_eq!(envelope.command_type, "task.start");
        assert_eq!(
            envelope.command().unwrap().command_type().as_str(),
            "task.start"
        );
    }

    #[test]
    fn tells_bad_bytes_from_bad_json_from_bad_envelopes() {
        let code = |bytes: &[u8]| CommandEnvelope::from_slice(bytes).unwrap_err().code;
        assert_eq!(code(b"\xff\xfe"), RejectionCode::InvalidUtf8);
        assert_eq!(code(b"{\"command_id\":"), RejectionCode::InvalidJson);

        let mut extra = envelope();
        extra["colour"] = json!("red");
        let mut no_actor = envelope();
        no_actor.as_object_mut().unwrap().remove("actor");
        let mut negative = envelope();
        negative["expected_version"] = json!(-1);
        let mut bad_id = envelope();
        bad_id["command_id"] = json!("not-a-uuid");
        for (value, field) in [
            (extra, "colour"),
            (no_actor, "actor"),
            (negative, "expected_version"),
            (bad_id, "command_id"),
        ] {
            let rejection = CommandEnvelope::from_slice(&body(value)).unwrap_err();
            assert_eq!(rejection.code, RejectionCode::InvalidCommand);
            assert_eq!(rejection.field.as_deref(), Some(field));
        }
    }

    #[test]
    fn finds_the_command_id_of_an_otherwise_bad_body() {
        let mut bad = envelope();
        bad["payload"] = json!("nonsense");
        assert!(read_command_id(&body(bad)).is_some());
        assert_eq!(read_command_id(b"not json"), None);
        assert_eq!(read_command_id(&body(json!({"command_id": 5}))), None);
    }
}
