//! Poison events a consumer gave up on, kept with their error; rebuilds skip them too.

use std::collections::HashSet;

use sqlx::PgExecutor;

use crate::{Position, RecordedEvent};

/// Keeps `event` as given up on by `consumer`; a second record of it changes nothing.
pub async fn record_dead_letter<'c, E: PgExecutor<'c>>(
    executor: E,
    consumer: &str,
    event: &RecordedEvent,
    attempts: u32,
    error: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dead_letters (consumer, global_position, transaction_id, event_id, event_type, stream_id, attempts, error) \
         VALUES ($1, $2, $3::text::xid8, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(consumer)
    .bind(event.global_position)
    .bind(event.transaction_id.to_string())
    .bind(event.event_id)
    .bind(&event.event_type)
    .bind(&event.stream_id)
    .bind(i32::try_from(attempts).unwrap_or(i32::MAX))
    .bind(error)
    .execute(executor)
    .await?;
    Ok(())
}

/// The positions `consumer` gave up on, which its rebuilds skip.
pub async fn dead_letter_positions<'c, E: PgExecutor<'c>>(
    executor: E,
    consumer: &str,
) -> sqlx::Result<HashSet<Position>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT transaction_id::text::bigint, global_position FROM dead_letters WHERE consumer = $1",
    )
    .bind(consumer)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(tx, pos)| Position::new(tx, pos))
        .collect())
}

/// Drops the events `consumer` gave up on from `events`.
pub fn without_dead_letters(
    events: Vec<RecordedEvent>,
    dead: &HashSet<Position>,
) -> Vec<RecordedEvent> {
    if dead.is_empty() {
        return events;
    }
    events
        .into_iter()
        .filter(|e| !dead.contains(&e.position()))
        .collect()
}
