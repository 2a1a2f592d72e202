//! Messages that could not be answered by command id, kept so nothing is dropped silently.

use sqlx::PgExecutor;

/// How much of a bad message is kept: enough to recognise it, not enough to fill the disk.
const HEAD_BYTES: usize = 1024;

pub async fn record_rejected_message<'c, E: PgExecutor<'c>>(
    executor: E,
    subject: &str,
    body: &[u8],
    error_code: &str,
    error: &str,
) -> sqlx::Result<()> {
    let head = &body[..body.len().min(HEAD_BYTES)];
    sqlx::query(
        "INSERT INTO rejected_messages (subject, head, size_bytes, error_code, error) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(subject)
    .bind(head)
    .bind(i32::try_from(body.len()).unwrap_or(i32::MAX))
    .bind(error_code)
    .bind(error)
    .execute(executor)
    .await?;
    Ok(())
}
