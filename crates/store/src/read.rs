//! Reads: by stream, and the whole log in commit order.

use sqlx::{PgExecutor, PgPool};

use crate::{Position, RecordedEvent};

const COLUMNS: &str = "global_position, transaction_id::text::bigint AS transaction_id, stream_id, stream_version, \
     event_id, event_type, schema_version, payload, metadata, occurred_at, recorded_at";

/// Up to `limit` events after `after`, in commit order, never one that a later read could
/// find before it. This is the only commit-order read in Foresight.
pub async fn read_after<'c, E: PgExecutor<'c>>(
    executor: E,
    after: Position,
    limit: i64,
) -> sqlx::Result<Vec<RecordedEvent>> {
    sqlx::query_as(include_str!("sql/read_commit_order.sql"))
        .bind(after.transaction_id.to_string())
        .bind(after.global_position)
        .bind(limit)
        .fetch_all(executor)
        .await
}

/// One stream's events in version order.
pub async fn read_stream<'c, E: PgExecutor<'c>>(
    executor: E,
    stream_id: &str,
) -> sqlx::Result<Vec<RecordedEvent>> {
    let sql = format!("SELECT {COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version");
    sqlx::query_as(&sql)
        .bind(stream_id)
        .fetch_all(executor)
        .await
}

/// Several streams' events at once, grouped by stream, each in version order.
pub async fn read_streams<'c, E: PgExecutor<'c>>(
    executor: E,
    stream_ids: &[String],
) -> sqlx::Result<Vec<RecordedEvent>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version"
    );
    sqlx::query_as(&sql)
        .bind(stream_ids)
        .fetch_all(executor)
        .await
}

/// The latest event of each type on every stream of `category` (`<category>-<id>`): what a
/// writer of derived events (the prediction worker) said last, read once on start.
pub async fn latest_of_category(pool: &PgPool, category: &str) -> sqlx::Result<Vec<RecordedEvent>> {
    sqlx::query_as(&format!(
        "SELECT DISTINCT ON (stream_id, event_type) {COLUMNS} FROM events
         WHERE starts_with(stream_id, $1)
         ORDER BY stream_id, event_type, stream_version DESC"
    ))
    .bind(format!("{category}-"))
    .fetch_all(pool)
    .await
}

/// The current version of each stream that exists among `stream_ids`.
pub async fn stream_versions<'c, E: PgExecutor<'c>>(
    executor: E,
    stream_ids: &[String],
) -> sqlx::Result<Vec<(String, i32)>> {
    sqlx::query_as("SELECT stream_id, max(stream_version) FROM events WHERE stream_id = ANY($1) GROUP BY stream_id")
        .bind(stream_ids)
        .fetch_all(executor)
        .await
}

/// The highest global position handed out and committed so far (0 for an empty log).
pub async fn head_position(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT coalesce(max(global_position), 0) FROM events")
        .fetch_one(pool)
        .await
}

/// Age in seconds of the oldest transaction on the cluster that holds a transaction id:
/// it is what holds every commit-order reader back.
pub async fn oldest_transaction_age_seconds(pool: &PgPool) -> sqlx::Result<f64> {
    sqlx::query_scalar(
        "SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::float8 \
         FROM pg_stat_activity WHERE backend_xid IS NOT NULL",
    )
    .fetch_one(pool)
    .await
}

/// Whether any event lies after `after`, readable yet or still behind an open transaction.
pub async fn has_events_after<'c, E: PgExecutor<'c>>(
    executor: E,
    after: Position,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2))",
    )
    .bind(after.transaction_id.to_string())
    .bind(after.global_position)
    .fetch_one(executor)
    .await
}

/// The last event in commit order recorded more than `age` ago (`Position::START` if none):
/// a reader that resumes after it sees everything recorded within `age`.
pub async fn last_recorded_before<'c, E: PgExecutor<'c>>(
    executor: E,
    age: std::time::Duration,
) -> sqlx::Result<Position> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT transaction_id::text::bigint, global_position FROM events \
         WHERE recorded_at < now() - make_interval(secs => $1) \
         ORDER BY transaction_id DESC, global_position DESC LIMIT 1",
    )
    .bind(age.as_secs_f64())
    .fetch_optional(executor)
    .await?;
    Ok(row
        .map(|(tx, pos)| Position::new(tx, pos))
        .unwrap_or(Position::START))
}

/// How far a reader at `after` is behind: events after it, and the age in seconds of the
/// oldest of them (0 when there are none). Counted against the log, so a stalled relay
/// shows up as lag too.
pub async fn lag_after(pool: &PgPool, after: Position) -> sqlx::Result<(i64, f64)> {
    sqlx::query_as(
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(recorded_at)), 0)::float8 \
         FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2)",
    )
    .bind(after.transaction_id.to_string())
    .bind(after.global_position)
    .fetch_one(pool)
    .await
}

/// Where the event at `global_position` stands in commit order, if it is in the log.
pub async fn position_of(pool: &PgPool, global_position: i64) -> sqlx::Result<Option<Position>> {
    let tx: Option<i64> = sqlx::query_scalar(
        "SELECT transaction_id::text::bigint FROM events WHERE global_position = $1",
    )
    .bind(global_position)
    .fetch_optional(pool)
    .await?;
    Ok(tx.map(|tx| Position::new(tx, global_position)))
}
