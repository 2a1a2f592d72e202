//! Turning a message's bytes into a command, or into a rejection that names the problem.
//! Pure: no I/O and no clock of its own, so every malformed input is covered by unit tests.

use chrono::{DateTime, Utc};
use domain::{Command, CommandEnvelope, CommandType, Rejection, RejectionCode};
use uuid::Uuid;

use crate::SchemaCheck;
use crate::strict_json::{self, Problem, printable};

/// What a message turned out to be.
#[derive(Debug)]
pub enum Intake {
    /// No command id could be read: kept in `rejected_messages`, not answerable by id.
    Unanswerable { code: RejectionCode, error: String },
    /// Answerable by id, but rejected before any decision.
    Rejected {
        command_id: Uuid,
        /// The subject's command type as given (printable, bounded): it may name no type at all.
        command_type: String,
        rejection: Rejection,
    },
    Valid {
        envelope: Box<CommandEnvelope>,
        command: Box<Command>,
    },
}

/// Decodes and validates one message of `subject_type` (the subject's last two tokens),
/// handled at `now` (the bound on `occurred_at`).
pub fn decode(
    body: &[u8],
    subject_type: Option<&str>,
    max_bytes: usize,
    schemas: &SchemaCheck,
    now: DateTime<Utc>,
) -> Intake {
    let named_type = subject_type.map_or_else(|| "unknown".to_owned(), printable);
    let answer = |command_id: Option<Uuid>, rejection: Rejection| match command_id {
        Some(command_id) => Intake::Rejected {
            command_id,
            command_type: named_type.clone(),
            rejection,
        },
        None => Intake::Unanswerable {
            code: rejection.code,
            error: rejection.message,
        },
    };
    if body.len() > max_bytes {
        // Still answer by id when the id can be read cheaply, so the client hears why.
        let error = format!(
            "the command is {} bytes; the limit is {max_bytes}",
            body.len()
        );
        return answer(
            peek_command_id(body),
            Rejection::new(RejectionCode::PayloadTooLarge, error),
        );
    }
    let value = match strict_json::parse(body) {
        Ok(value) => value,
        Err(refused) => {
            let code = match refused.problem {
                _ if std::str::from_utf8(body).is_err() => RejectionCode::InvalidUtf8,
                Problem::Syntax => RejectionCode::InvalidJson,
                Problem::TooDeep | Problem::Nul | Problem::DuplicateKey => {
                    RejectionCode::InvalidCommand
                }
            };
            let command_id = refused
                .command_id
                .and_then(|id| Uuid::parse_str(&id).ok())
                .or_else(|| peek_command_id(body));
            let mut rejection = Rejection::new(code, refused.message);
            if let Some(field) = refused.field {
                rejection = rejection.with_field(field);
            }
            return answer(command_id, rejection);
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
    let reject = |rejection: Rejection| answer(Some(command_id), rejection);
    let Some(subject_type) = subject_type else {
        return reject(
            Rejection::new(
                RejectionCode::UnknownCommandType,
                "the subject names no command type",
            )
            .with_field("type"),
        );
    };
    let Some(command_type) = CommandType::parse(subject_type) else {
        return reject(
            Rejection::new(
                RejectionCode::UnknownCommandType,
                format!("unknown command type {named_type}"),
            )
            .with_field("type"),
        );
    };
    if value.get("type").and_then(|v| v.as_str()) != Some(subject_type) {
        return reject(
            Rejection::new(
                RejectionCode::InvalidCommand,
                format!("type must equal the subject's command type {subject_type}"),
            )
            .with_field("type"),
        );
    }
    if let Err(rejection) = schemas.check(command_type, &value) {
        return reject(rejection);
    }
    let envelope = match CommandEnvelope::from_value(&value) {
        Ok(envelope) => envelope,
        Err(rejection) => return reject(rejection),
    };
    if let Some(occurred_at) = envelope.occurred_at
        && let Err(rejection) = domain::limits::occurred_at(occurred_at, now)
    {
        return reject(rejection);
    }
    match Command::parse(subject_type, &envelope.payload) {
        Ok(command) => Intake::Valid {
            envelope: Box::new(envelope),
            command: Box::new(command),
        },
        Err(rejection) => reject(rejection),
    }
}

/// The command id of a message too large (or too deep) to build a tree of: serde_json skips
/// what it ignores without building it, at any depth.
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

    fn now() -> DateTime<Utc> {
        "2026-03-02T09:00:00Z".parse().expect("time")
    }

    /// `decode` at a fixed time.
    fn decode(
        body: &[u8],
        subject_type: Option<&str>,
        max_bytes: usize,
        schemas: &SchemaCheck,
    ) -> Intake {
        super::decode(body, subject_type, max_bytes, schemas, now())
    }

    fn rejection_of(intake: Intake) -> Rejection {
        match intake {
            Intake::Rejected { rejection, .. } => rejection,
            other => panic!("expected a rejection by id, got {other:?}"),
        }
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

    #[test]
    fn a_nul_anywhere_is_rejected_naming_the_field() {
        let mut payload = valid_payload();
        payload["skills"] = json!(["rust", "c\u{0}"]);
        let rejection = rejection_of(decode(
            &register(payload),
            Some("member.register"),
            LIMIT,
            &schemas(),
        ));
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        assert_eq!(rejection.field.as_deref(), Some("payload.skills.1"));
        assert!(!rejection.message.contains('\0'), "{}", rejection.message);

        let mut envelope: serde_json::Value =
            serde_json::from_slice(&register(valid_payload())).unwrap();
        envelope["actor"] = json!("a\u{0}");
        let rejection = rejection_of(decode(
            &serde_json::to_vec(&envelope).unwrap(),
            Some("member.register"),
            LIMIT,
            &schemas(),
        ));
        assert_eq!(rejection.field.as_deref(), Some("actor"));
    }

    #[test]
    fn deep_nesting_is_rejected_by_id_even_past_serde_jsons_limit() {
        for depth in [20, 200, 100_000] {
            let body = format!(
                r#"{{"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "type": "member.register", "actor": "a", "payload": {{"name": {}"x"{}}}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let rejection = rejection_of(decode(
                body.as_bytes(),
                Some("member.register"),
                LIMIT,
                &schemas(),
            ));
            assert_eq!(rejection.code, RejectionCode::InvalidCommand, "{depth}");
            assert!(
                rejection
                    .field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("payload.name.0")),
                "{rejection:?}"
            );
        }
        // The id after the deep part: read by skipping, which has no depth limit.
        let late_id = format!(
            r#"{{"payload": {}1{}, "command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11"}}"#,
            "[".repeat(1000),
            "]".repeat(1000)
        );
        let rejection = rejection_of(decode(
            late_id.as_bytes(),
            Some("member.register"),
            LIMIT,
            &schemas(),
        ));
        assert_eq!(
            rejection.field.as_deref().map(|f| &f[..9]),
            Some("payload.0")
        );
    }

    #[test]
    fn unreadable_parts_after_the_id_are_answered_by_id_naming_where() {
        let mut latin1 = br#"{"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "type": "member.register", "actor": "a", "payload": {"name": "Jos"#.to_vec();
        latin1.extend_from_slice(b"\xe9\"}}");
        let rejection = rejection_of(decode(&latin1, Some("member.register"), LIMIT, &schemas()));
        assert_eq!(rejection.code, RejectionCode::InvalidUtf8);
        assert_eq!(rejection.field.as_deref(), Some("payload.name"));

        let huge = br#"{"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "payload": {"capacity_hours_per_week": 1e999}}"#;
        let rejection = rejection_of(decode(huge, Some("member.register"), LIMIT, &schemas()));
        assert_eq!(rejection.code, RejectionCode::InvalidJson);
        assert_eq!(
            rejection.field.as_deref(),
            Some("payload.capacity_hours_per_week")
        );
    }

    #[test]
    fn a_key_twice_is_rejected() {
        let body = br#"{"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "type": "member.register", "actor": "a", "actor": "b", "payload": {}}"#;
        let rejection = rejection_of(decode(body, Some("member.register"), LIMIT, &schemas()));
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        assert_eq!(rejection.field.as_deref(), Some("actor"));
    }

    #[test]
    fn business_time_stays_in_its_window() {
        let mut envelope: serde_json::Value =
            serde_json::from_slice(&register(valid_payload())).unwrap();
        for (occurred_at, ok) in [
            ("2026-03-02T09:59:00Z", true),
            ("2001-01-01T00:00:00Z", true),
            ("2026-03-02T11:00:00Z", false),
            ("1969-12-31T23:59:59Z", false),
            ("0000-01-01T00:00:00Z", false),
            ("+10000-01-01T00:00:00Z", false),
            ("+262143-12-31T23:59:59Z", false),
        ] {
            envelope["occurred_at"] = json!(occurred_at);
            let intake = decode(
                &serde_json::to_vec(&envelope).unwrap(),
                Some("member.register"),
                LIMIT,
                &schemas(),
            );
            if ok {
                assert!(
                    matches!(intake, Intake::Valid { .. }),
                    "{occurred_at}: {intake:?}"
                );
            } else {
                let rejection = rejection_of(intake);
                assert_eq!(
                    rejection.code,
                    RejectionCode::InvalidCommand,
                    "{occurred_at}"
                );
                assert_eq!(
                    rejection.field.as_deref(),
                    Some("occurred_at"),
                    "{occurred_at}"
                );
            }
        }
    }

    #[test]
    fn an_odd_subject_type_is_named_printably() {
        let body = serde_json::to_vec(&json!({"command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11", "type": "x", "actor": "a", "payload": {}})).unwrap();
        let odd = format!("task.{}", "\u{0}".repeat(500));
        match decode(&body, Some(&odd), LIMIT, &schemas()) {
            Intake::Rejected {
                command_type,
                rejection,
                ..
            } => {
                assert_eq!(rejection.code, RejectionCode::UnknownCommandType);
                assert!(!command_type.contains('\0') && command_type.len() < 500);
                assert!(!rejection.message.contains('\0'));
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }
}
