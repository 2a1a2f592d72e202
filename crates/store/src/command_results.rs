//! Command outcomes: the first one recorded for a command id stands forever.

use sqlx::PgExecutor;
use uuid::Uuid;

/// The recorded outcome of a command, if it was handled.
pub async fn find_outcome<'c, E: PgExecutor<'c>>(
    executor: E,
    command_id: Uuid,
) -> sqlx::Result<Option<serde_json::Value>> {
    sqlx::query_scalar("SELECT outcome FROM command_results WHERE command_id = $1")
        .bind(command_id)
        .fetch_optional(executor)
        .await
}

/// Records a rejection unless the command already has an outcome; returns the outcome that stands.
pub async fn record_rejection<'c, E: PgExecutor<'c>>(
    executor: E,
    command_id: Uuid,
    command_type: &str,
    outcome: &serde_json::Value,
) -> sqlx::Result<serde_json::Value> {
    sqlx::query_scalar(
        "WITH new AS ( \
             INSERT INTO command_results (command_id, command_type, status, outcome) \
             VALUES ($1, $2, 'rejected', $3) ON CONFLICT (command_id) DO NOTHING RETURNING outcome) \
         SELECT outcome FROM new UNION ALL \
         SELECT outcome FROM command_results WHERE command_id = $1 AND NOT EXISTS (SELECT 1 FROM new) \
         LIMIT 1",
    )
    .bind(command_id)
    .bind(command_type)
    .bind(outcome)
    .fetch_one(executor)
    .await
}
