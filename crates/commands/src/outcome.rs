//! Outcomes as the contract shapes them, and their delivery.

use domain::Rejection;
use serde_json::json;
use uuid::Uuid;

pub fn rejected(command_id: Uuid, rejection: &Rejection) -> serde_json::Value {
    json!({"command_id": command_id, "status": "rejected", "error": rejection})
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
