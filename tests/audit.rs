//! A projection wrapped so that every event it applies is recorded in the same transaction
//! as its writes and its checkpoint: direct evidence that no event was applied twice and
//! none was missed, whatever the faults did to the consumer in between.

use consumer::{LoggedEvent, Projection};
use sqlx::PgConnection;
use testkit::TestEnv;

/// `projection`, recording each event it applies in `test_applied_events`.
pub struct Audited<P>(P);

/// Wraps `projection` and creates the record in the namespace's own schema, beside the log,
/// so that a rebuild, which swaps the projection's schema, leaves it alone.
pub async fn audited<P: Projection>(env: &TestEnv, projection: P) -> Audited<P> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS test_applied_events (consumer text NOT NULL, global_position bigint NOT NULL)",
    )
    .execute(&env.pool)
    .await
    .expect("creating the apply record");
    Audited(projection)
}

impl<P: Projection> Projection for Audited<P> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn schema_sql(&self) -> &'static str {
        self.0.schema_sql()
    }

    async fn apply(&self, conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
        self.0.apply(&mut *conn, events).await?;
        let positions: Vec<i64> = events.iter().map(|e| e.recorded.global_position).collect();
        sqlx::query(
            "INSERT INTO test_applied_events (consumer, global_position) SELECT $1, unnest($2::bigint[])",
        )
        .bind(self.0.name())
        .bind(&positions)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn dump(&self, conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
        self.0.dump(conn).await
    }
}

/// What the record says of `consumer`: (applications, events applied at least once, events of
/// the log neither applied nor given up on as poison).
pub async fn applied(env: &TestEnv, consumer: &str) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM test_applied_events WHERE consumer = $1), \
                (SELECT count(DISTINCT global_position) FROM test_applied_events WHERE consumer = $1), \
                (SELECT count(*) FROM events e \
                  WHERE NOT EXISTS (SELECT 1 FROM test_applied_events a \
                                     WHERE a.consumer = $1 AND a.global_position = e.global_position) \
                    AND NOT EXISTS (SELECT 1 FROM dead_letters d \
                                     WHERE d.consumer = $1 AND d.global_position = e.global_position))",
    )
    .bind(consumer)
    .fetch_one(&env.pool)
    .await
    .expect("reading the apply record")
}

/// Whether the namespace has an apply record at all (some consumer ran audited).
pub async fn recorded(env: &TestEnv) -> bool {
    sqlx::query_scalar("SELECT to_regclass('test_applied_events') IS NOT NULL")
        .fetch_one(&env.pool)
        .await
        .expect("catalogue")
}
