//! The `Analytics` projection as the consumer runtime drives it.

use consumer::{LoggedEvent, Projection};
use sqlx::PgConnection;

/// The analytics read model: facts stored at apply time, answers computed at read time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Analytics;

impl Projection for Analytics {
    fn name(&self) -> &'static str {
        "analytics"
    }

    fn schema_sql(&self) -> &'static str {
        include_str!("schema.sql")
    }

    async fn apply(&self, conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
        crate::apply::apply(conn, events).await
    }

    async fn dump(&self, conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
        let dump = sqlx::query_scalar(include_str!("sql/dump.sql"))
            .fetch_one(&mut *conn)
            .await?;
        Ok(dump)
    }
}
