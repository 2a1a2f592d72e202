//! The `Projection` implementation: load what a batch touches, fold it in memory, write it back.

use consumer::{LoggedEvent, Projection};
use sqlx::PgConnection;

use crate::{fold, load, write};

/// The schedules projection (consumer name `schedules`, tables `schedules_*`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Schedules;

impl Projection for Schedules {
    fn name(&self) -> &'static str {
        "schedules"
    }

    fn schema_sql(&self) -> &'static str {
        include_str!("schema.sql")
    }

    async fn apply(&self, conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
        let keys = fold::keys(events.iter().map(|e| &e.event));
        let mut rows = load::rows(conn, &keys).await?;
        for logged in events {
            rows.apply(
                &logged.event,
                logged.recorded.occurred_at,
                logged.recorded.global_position,
            );
        }
        write::changed_rows(conn, &rows).await
    }

    async fn dump(&self, conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
        Ok(sqlx::query_scalar(include_str!("sql/dump.sql"))
            .fetch_one(conn)
            .await?)
    }
}
