//! Commands decided and appended straight to a test namespace's log, without the broker:
//! for tests of what reads the log (projections, workers).

use chrono::{DateTime, Utc};
use domain::{Command, CommandEnvelope};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Decides and appends one command as the handler would; returns its outcome (accepted or
/// rejected, as the contract shapes them).
pub async fn execute(
    pool: &PgPool,
    command_type: &str,
    payload: Value,
    occurred_at: Option<DateTime<Utc>>,
) -> Value {
    let envelope = CommandEnvelope {
        command_id: Uuid::new_v4(),
        command_type: command_type.to_owned(),
        occurred_at,
        expected_version: None,
        actor: "test".into(),
        correlation_id: None,
        payload,
    };
    let command = match Command::parse(command_type, &envelope.payload) {
        Ok(command) => command,
        Err(rejection) => return serde_json::json!({"status": "rejected", "error": rejection}),
    };
    commands::execute(
        pool,
        &commands::StateCache::default(),
        &commands::Appender::direct(pool.clone()),
        &envelope,
        &command,
    )
    .await
    .expect("the database answers")
    .outcome
}

/// Like `execute`, but the command must be accepted.
pub async fn accept(
    pool: &PgPool,
    command_type: &str,
    payload: Value,
    occurred_at: Option<DateTime<Utc>>,
) -> Value {
    let outcome = execute(pool, command_type, payload, occurred_at).await;
    assert_eq!(
        outcome["status"], "accepted",
        "{command_type} was rejected: {outcome}"
    );
    outcome
}
