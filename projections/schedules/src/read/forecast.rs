//! A project's latest completion forecast, as the prediction worker last wrote it.

use sqlx::PgPool;
use uuid::Uuid;

/// The latest `prediction.project_forecasted` payload of `project_id`; `None` while it has none.
pub async fn project_forecast(
    pool: &PgPool,
    project_id: Uuid,
) -> anyhow::Result<Option<serde_json::Value>> {
    Ok(
        sqlx::query_scalar("SELECT forecast FROM schedules_forecasts WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(pool)
            .await?,
    )
}
