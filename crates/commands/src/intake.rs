//! Turning a message's bytes into a command, or into a rejection that names the problem.
//! Pure: no I/O, so every malformed input is covered by unit tests.

use domain::{Command, CommandEnvelope, CommandType, Rejection, RejectionCode};
use uuid::Uuid;

use crate::SchemaCheck;

/// What a message turned out to be.
#[derive(Debug)]
pub enum Intake {
    /// No command id could be read: kept in `rejected_messages`, not answerable by id.
    Unanswerable { code: RejectionCode, error: String },
    /// Answerable by id, but rejected before any decision.
    Rejected {
        command_id: Uuid,
        command_type: String,
        rejection: Rejection,
    },
    Valid {
        envelope: Box<CommandEnvelope>,
        command: Box<Command>,
    },
}

/// Decodes and validates one message of `subject_type` (the subject's last two tokens).
pub fn decode(
    body: &[u8],
    subject_type: Option<&str>,
    max_bytes: usize,
    schemas: &SchemaCheck,
) -> Intake {
    if body.len() > max_bytes {
        // Still answer by id when the id can be read cheaply, so the client hears why.
        let error = format!(
            "the command is {} bytes; the limit is {max_bytes}",
            body.len()
        );
        return match peek_command_id(body) {
            Some(command_id) => Intake::Rejected {
                command_id,
                command_type: subject_type.unwrap_or("unknown").to_owned(),
                rejection: Rejection::new(RejectionCode::PayloadTooLarge, error),
            },
            None => Intake::Unanswerable {
                code: RejectionCode::PayloadTooLarge,
                error,
            },
        };
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Intake::Unanswerable {
            code: RejectionCode::InvalidUtf8,
            error: "the message is not UTF-8".into(),
        };
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return Intake::Unanswerable {
                code: RejectionCode::InvalidJson,
                error: format!("the message is not JSON: {e}"),
            };
        }
    };
    let Some(command_id) = value
        .get("command_id")
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Intake::Unanswerable {
            code: RejectionCode::InvalidCommand,
            error: "command_id is missing or not a UUID".into(),
        };
    };
    let reject = |command_type: &str, rejection: Rejection| Intake::Rejected {
        command_id,
        command_type: command_type.to_owned(),
        rejection,
    };
    let Some(subject_type) = subject_type else {
        return reject(
            "unknown",
            Rejection::new(
                RejectionCode::UnknownCommandType,
                "the subject names no command type",
            )
            .with_field("type"),
        );
    };
    let Some(command_type) = CommandType::parse(subject_type) else {
        return reject(
            subject_type,
            Rejection::new(
                RejectionCode::UnknownCommandType,
                format!("unknown command type {subject_type}"),
            )
            .with_field("type"),
        );
    };
    if value.get("type").and_then(|v| v.as_str()) != Some(subject_type) {
        return reject(
            subject_type,
            Rejection::new(
                RejectionCode::InvalidCommand,
                format!("type must equal the subject's command type {subject_type}"),
            )
            .with_field("type"),
        );
    }
    if let Err(rejection) = schemas.check(command_type, &value) {
        return reject(subject_type, rejection);
    }
    let envelope: CommandEnvelope = match serde_json::from_value(value) {
        Ok(envelope) => envelope,
        Err(e) => {
            return reject(
                subject_type,
                Rejection::new(RejectionCode::InvalidCommand, e.to_string()),
            );
        }
    };
    match Command::parse(subject_type, &envelope.payload) {
        Ok(command) => Intake::Valid {
            envelope: Box::new(envelope),
            command: Box::new(command),
        },
        Err(rejection) => reject(subject_type, rejection),
    }
}

/// The command id of an oversized message, without building its whole tree.
fn peek_command_id(body: &[u8]) -> Option<Uuid> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        command_id: Uuid,
    }
    serde_json::from_slice::<IdOnly>(body)
        .ok()
        .map(|id| id.command_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMIT: usize = 256 * 1024;

    fn schemas() -> SchemaCheck {
        SchemaCheck::new().expect("schemas compile")
    }

    fn register(payload: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11",
            "type": "member.register",
            "actor": "alice",
            "payload": payload,
        }))
        .expect("json")
    }

    fn valid_payload() -> serde_json::Value {
        json!({"member_id": "0d6c6a57-3f1e-4d0b-8c9e-9c1e1f0b7a21", "name": "Ada", "skills": [], "capacity_hours_per_week": 30})
    }

    #[test]
    fn a_good_command_is_valid() {
        let intake = decode(
            &register(valid_payload()),
            Some("member.register"),
            LIMIT,
            &schemas(),
        );
        assert!(matches!(intake, Intake::Valid { .. }), "{intake:?}");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_unanswerable() {
        let intake = decode(
            &[0x7b, 0xff, 0xfe, 0x7d],
            Some("member.register"),
            LIMIT,
            &schemas(),
        );
        assert!(
            matches!(
                intake,
                Intake::Unanswerable {
                    code: RejectionCode::InvalidUtf8,
                    ..
                }
            ),
            "{intake:?}"
        );
    }

    #[test]
    fn bad_json_is_unanswerable() {
        let intake = decode(
            b"{\"command_id\": ",
            Some("member.register"),
            LIMIT,
            &schemas(),
        );
        assert!(
            matches!(
                intake,
                Intake::Unanswerable {
                    code: RejectionCode::InvalidJson,
                    ..
                }
            ),
            "{intake:?}"
        );
    }

    #[test]
    fn json_without_an_id_is_unanswerable() {
        let intake = decode(
            b"{\"type\": \"member.register\"}",
            Some("member.register"),
            LIMIT,
            &schemas(),
        );
        assert!(
            matches!(
                intake,
                Intake::Unanswerable {
                    code: RejectionCode::InvalidCommand,
                    ..
                }
            ),
            "{intake:?}"
        );
    }

    #[test]
    fn an_unknown_type_is_rejected_by_id() {
        let body = serde_json::to_vec(&json!({"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "type": "task.fly", "actor": "a", "payload": {}})).expect("json");
        match decode(&body, Some("task.fly"), LIMIT, &schemas()) {
            Intake::Rejected { rejection, .. } => {
                assert_eq!(rejection.code, RejectionCode::UnknownCommandType)
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn a_type_that_disagrees_with_the_subject_is_rejected() {
        match decode(
            &register(valid_payload()),
            Some("member.change_capacity"),
            LIMIT,
            &schemas(),
        ) {
            Intake::Rejected { rejection, .. } => {
                assert_eq!(rejection.field.as_deref(), Some("type"))
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn a_schema_violation_names_the_field() {
        let mut payload = valid_payload();
        payload["capacity_hours_per_week"] = json!("many");
        match decode(
            &register(payload),
            Some("member.register"),
            LIMIT,
            &schemas(),
        ) {
            Intake::Rejected { rejection, .. } => {
                assert_eq!(rejection.code, RejectionCode::InvalidCommand);
                assert_eq!(
                    rejection.field.as_deref(),
                    Some("payload.capacity_hours_per_week")
                );
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn an_oversized_command_is_rejected_by_id_when_it_has_one() {
        let mut payload = valid_payload();
        payload["name"] = json!("x".repeat(LIMIT));
        match decode(
            &register(payload),
            Some("member.register"),
            LIMIT,
            &schemas(),
        ) {
            Intake::Rejected { rejection, .. } => {
                assert_eq!(rejection.code, RejectionCode::PayloadTooLarge)
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        let garbage = vec![b'x'; LIMIT + 1];
        let intake = decode(&garbage, Some("member.register"), LIMIT, &schemas());
        assert!(matches!(
            intake,
            Intake::Unanswerable {
                code: RejectionCode::PayloadTooLarge,
                ..
            }
        ));
    }
}
