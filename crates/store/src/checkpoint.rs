//! Consumer checkpoints: the last position a consumer has applied, written with its tables.

use sqlx::PgExecutor;

use crate::Position;

pub async fn load_checkpoint<'c, E: PgExecutor<'c>>(
    executor: E,
    consumer: &str,
) -> sqlx::Result<Position> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT transaction_id::text::bigint, global_position FROM checkpoints WHERE consumer = $1",
    )
    .bind(consumer)
    .fetch_optional(executor)
    .await?;
    Ok(row
        .map(|(tx, pos)| Position::new(tx, pos))
        .unwrap_or(Position::START))
}

/// Moves the checkpoint forward; never back, so a late writer cannot rewind it.
pub async fn save_checkpoint<'c, E: PgExecutor<'c>>(
    executor: E,
    consumer: &str,
    at: Position,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checkpoints (consumer, transaction_id, global_position) VALUES ($1, $2::text::xid8, $3) \
         ON CONFLICT (consumer) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, \
             global_position = EXCLUDED.global_position, updated_at = now() \
         WHERE (checkpoints.transaction_id, checkpoints.global_position) \
             < (EXCLUDED.transaction_id, EXCLUDED.global_position)",
    )
    .bind(consumer)
    .bind(at.transaction_id.to_string())
    .bind(at.global_position)
    .execute(executor)
    .await?;
    Ok(())
}

/// Sets the checkpoint to exactly `at`, backwards too: for a rebuilt projection swapped in.
pub async fn reset_checkpoint<'c, E: PgExecutor<'c>>(
    executor: E,
    consumer: &str,
    at: Position,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checkpoints (consumer, transaction_id, global_position) VALUES ($1, $2::text::xid8, $3) \
         ON CONFLICT (consumer) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, \
             global_position = EXCLUDED.global_position, updated_at = now()",
    )
    .bind(consumer)
    .bind(at.transaction_id.to_string())
    .bind(at.global_position)
    .execute(executor)
    .await?;
    Ok(())
}

/// Every consumer's checkpoint, for exporting their lag from outside them.
pub async fn all_checkpoints<'c, E: PgExecutor<'c>>(
    executor: E,
) -> sqlx::Result<Vec<(String, Position)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT consumer, transaction_id::text::bigint, global_position FROM checkpoints ORDER BY consumer",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, tx, pos)| (c, Position::new(tx, pos)))
        .collect())
}
