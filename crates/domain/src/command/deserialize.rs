//! Turns JSON into a typed value, or into an `invalid_command` rejection that names the field.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::rejection::Rejection;

/// Deserializes `value`; on failure, names the offending field as `<prefix>.<field>`
/// (or just `<field>` when `prefix` is empty, for the envelope itself).
pub(crate) fn typed<T: DeserializeOwned>(value: &Value, prefix: &str) -> Result<T, Rejection> {
    let error = match T::deserialize(value) {
        Ok(typed) => return Ok(typed),
        Err(error) => error.to_string(),
    };
    let field = named_in_message(&error).or_else(|| culprit_key::<T>(value, &error));
    let path = match (field, prefix) {
        (Some(field), "") => field,
        (Some(field), prefix) => format!("{prefix}.{field}"),
        (None, "") => return Err(Rejection::new(crate::RejectionCode::InvalidCommand, error)),
        (None, prefix) => prefix.to_owned(),
    };
    Err(Rejection::invalid(&path, format!("{path}: {error}")))
}

/// serde names the field itself for missing, unknown and duplicate fields: "missing field `title`".
fn named_in_message(message: &str) -> Option<String> {
    ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|lead| {
            let rest = &message[message.find(lead)? + lead.len()..];
            rest.find('`').map(|end| rest[..end].to_owned())
        })
}

/// For type and value errors serde names no field. Without a path-tracking deserializer, find it
/// by elimination: the key whose removal makes this error go away is the one that caused it.
/// serde reports a field's error while visiting the map, before checking for missing fields, so
/// removing an innocent key leaves the same message.
fn culprit_key<T: DeserializeOwned>(value: &Value, error: &str) -> Option<String> {
    let object = value.as_object()?;
    object.keys().find_map(|key| {
        let mut without = object.clone();
        without.remove(key);
        let still_failing_alike =
            T::deserialize(&Value::Object(without)).is_err_and(|other| other.to_string() == error);
        (!still_failing_alike).then(|| key.clone())
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::rejection::RejectionCode;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only the deserialization is under test")]
    struct Sample {
        title: String,
        priority: u8,
        labels: Vec<String>,
    }

    fn field_of(value: Value) -> Option<String> {
        let rejection = typed::<Sample>(&value, "payload").unwrap_err();
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        rejection.field
    }

    #[test]
    fn names_missing_unknown_and_mistyped_fields() {
        let cases = [
            (json!({"priority": 1, "labels": []}), "payload.title"),
            (
                json!({"title": "t", "priority": 1, "labels": [], "colour": 1}),
                "payload.colour",
            ),
            (
                json!({"title": "t", "priority": "high", "labels": []}),
                "payload.priority",
            ),
            (
                json!({"title": "t", "priority": 300, "labels": []}),
                "payload.priority",
            ),
            (
                json!({"title": "t", "priority": 1, "labels": [1]}),
                "payload.labels",
            ),
            (json!({"title": 5, "priority": 1}), "payload.title"),
            (json!([1, 2]), "payload"),
            (json!(null), "payload"),
        ];
        for (value, field) in cases {
            assert_eq!(field_of(value.clone()).as_deref(), Some(field), "{value}");
        }
    }

    #[test]
    fn the_message_names_the_field_too() {
        let rejection = typed::<Sample>(
            &json!({"title": "t", "priority": "high", "labels": []}),
            "payload",
        )
        .unwrap_err();
        assert!(
            rejection
                .message
                .starts_with("payload.priority: invalid type"),
            "{}",
            rejection.message
        );
    }
}
