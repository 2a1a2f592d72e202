//! Outcomes as the contract shapes them, and their delivery.

use domain::Rejection;
use serde_json::json;
use uuid::Uuid;

pub fn rejected(command_id: Uuid, rejection: &Rejection) -> serde_json::Value {
    // Intake refuses NUL characters, yet a message may quote the sender's text: the record of
    // a rejection must never be what PostgreSQL refuses, or the rejection would be retried.
    let mut error = rejection.clone();
    error.message = error.message.replace('\0', "\\u0000");
    error.field = error.field.map(|field| field.replace('\0', "\\u0000"));
    json!({"command_id": command_id, "status": "rejected", "error": error})
}

pub fn accepted(command_id: Uuid, appended: &store::Appended) -> serde_json::Value {
    json!({
        "command_id": command_id,
        "status": "accepted",
        "stream_id": appended.stream_id,
        "version": appended.version,
        "positions": appended.positions,
    })
}

/// `accepted` or `rejected`, for metrics.
pub fn status(outcome: &serde_json::Value) -> &str {
    outcome
        .get("status")
        .and_then(|s| s.as_str())
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::RejectionCode;

    #[test]
    fn a_rejection_record_holds_no_nul() {
        let rejection =
            Rejection::new(RejectionCode::InvalidCommand, "bad \0 value").with_field("payload.a\0");
        let outcome = rejected(Uuid::nil(), &rejection);
        assert_eq!(outcome["error"]["message"], "bad \\u0000 value");
        assert_eq!(outcome["error"]["field"], "payload.a\\u0000");
    }
}
