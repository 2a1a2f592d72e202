//! `Boards`, the projection the consumer runtime drives: load what a batch touches, fold, write.

use sqlx::PgConnection;

use consumer::{LoggedEvent, Projection};

use crate::keys::Keys;
use crate::{load, write};

/// The boards read model: columns per project, cards, counts, each member's open work.
#[derive(Debug, Clone, Copy, Default)]
pub struct Boards;

impl Projection for Boards {
    fn name(&self) -> &'static str {
        "boards"
    }

    fn schema_sql(&self) -> &'static str {
        include_str!("schema.sql")
    }

    async fn apply(&self, conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
        let keys = Keys::of(events.iter().map(|e| &e.event));
        let mut working = load::working(conn, &keys).await?;
        for e in events {
            working.apply(&e.event, e.recorded.occurred_at, e.recorded.global_position);
        }
        write::changes(conn, &working).await
    }

    async fn dump(&self, conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
        let dump = sqlx::query_scalar(include_str!("sql/dump.sql"))
            .fetch_one(conn)
            .await?;
        Ok(dump)
    }
}
