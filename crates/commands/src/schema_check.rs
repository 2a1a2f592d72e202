//! Validation of incoming envelopes against the command schemas in `schemas/`.
//!
//! The validators are compiled from the same generator that writes `schemas/`, and a tidy
//! test keeps the files equal to it, so validating here is validating against the files.

use std::collections::HashMap;

use domain::{CommandType, Rejection, RejectionCode};
use jsonschema::error::ValidationErrorKind;

use crate::strict_json::printable;

pub struct SchemaCheck {
    validators: HashMap<&'static str, jsonschema::Validator>,
}

impl SchemaCheck {
    pub fn new() -> anyhow::Result<Self> {
        let mut validators = HashMap::new();
        for command_type in CommandType::ALL {
            let schema = domain::command_schema(command_type);
            let validator = jsonschema::validator_for(&schema).map_err(|e| {
                anyhow::anyhow!("compiling the schema of {}: {e}", command_type.as_str())
            })?;
            validators.insert(command_type.as_str(), validator);
        }
        Ok(Self { validators })
    }

    /// The first violation, as a rejection naming the field (`payload.estimate_hours`).
    pub fn check(
        &self,
        command_type: CommandType,
        envelope: &serde_json::Value,
    ) -> Result<(), Rejection> {
        let Some(validator) = self.validators.get(command_type.as_str()) else {
            return Err(Rejection::new(
                RejectionCode::UnknownCommandType,
                format!("unknown command type {}", command_type.as_str()),
            ));
        };
        let Some(error) = validator.iter_errors(envelope).next() else {
            return Ok(());
        };
        let mut path: Vec<String> = error
            .instance_path()
            .as_str()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(printable)
            .collect();
        // For a missing or unexpected property the instance path is its parent object.
        match error.kind() {
            ValidationErrorKind::Required { property } => path.push(
                property
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| property.to_string()),
            ),
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                // The client's key, as long and as odd as it likes: named printably.
                if let Some(name) = unexpected.first() {
                    path.push(printable(name))
                }
            }
            _ => {}
        }
        let field = if path.is_empty() {
            "command".to_owned()
        } else {
            path.join(".")
        };
        let message = match error.kind() {
            ValidationErrorKind::AdditionalProperties { .. } => format!("{field}: unknown field"),
            ValidationErrorKind::Required { .. } => format!("{field}: required field is missing"),
            _ => format!("{field}: {}", error.masked()),
        };
        Err(Rejection::new(RejectionCode::InvalidCommand, message).with_field(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope(payload: serde_json::Value) -> serde_json::Value {
        json!({
            "command_id": "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11",
            "type": "member.register",
            "actor": "alice",
            "payload": payload,
        })
    }

    #[test]
    fn a_valid_envelope_passes() {
        let check = SchemaCheck::new().expect("schemas compile");
        let ok = envelope(json!({
            "member_id": "0d6c6a57-3f1e-4d0b-8c9e-9c1e1f0b7a21",
            "name": "Ada", "skills": ["rust"], "capacity_hours_per_week": 32
        }));
        assert_eq!(check.check(CommandType::MemberRegister, &ok), Ok(()));
    }

    #[test]
    fn violations_name_the_field() {
        let check = SchemaCheck::new().expect("schemas compile");
        let wrong_type = envelope(json!({
            "member_id": "0d6c6a57-3f1e-4d0b-8c9e-9c1e1f0b7a21",
            "name": "Ada", "skills": ["rust"], "capacity_hours_per_week": "lots"
        }));
        let rejection = check
            .check(CommandType::MemberRegister, &wrong_type)
            .expect_err("wrong type");
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        assert_eq!(
            rejection.field.as_deref(),
            Some("payload.capacity_hours_per_week")
        );

        let missing = envelope(
            json!({"member_id": "0d6c6a57-3f1e-4d0b-8c9e-9c1e1f0b7a21", "skills": [], "capacity_hours_per_week": 1}),
        );
        let rejection = check
            .check(CommandType::MemberRegister, &missing)
            .expect_err("missing name");
        assert_eq!(rejection.field.as_deref(), Some("payload.name"));

        let mut unknown = envelope(json!({
            "member_id": "0d6c6a57-3f1e-4d0b-8c9e-9c1e1f0b7a21",
            "name": "Ada", "skills": [], "capacity_hours_per_week": 1, "salary": 3
        }));
        let rejection = check
            .check(CommandType::MemberRegister, &unknown)
            .expect_err("unknown field");
        assert_eq!(rejection.field.as_deref(), Some("payload.salary"));

        unknown["extra"] = json!(true);
        let rejection = check
            .check(CommandType::MemberRegister, &unknown)
            .expect_err("unknown envelope field");
        assert!(rejection.field.is_some());
    }
}
