//! Read-your-writes: an answer waits, bounded, until its projection reflects a position.

use std::time::{Duration, Instant};

use crate::params::QueryParams;
use crate::{ApiError, ApiState};

/// The longest `wait_ms` a client may ask for.
pub const MAX_WAIT_MS: i64 = 10_000;
const POLL: Duration = Duration::from_millis(2);

/// The position `projection` reflects, once it reflects `min_position` if one was asked for.
pub async fn reflected_position(
    state: &ApiState,
    projection: &str,
    params: &QueryParams,
) -> Result<i64, ApiError> {
    let min_position = params.int("min_position", 0, i64::MAX)?;
    let wait_ms = params.int("wait_ms", 0, MAX_WAIT_MS)?.unwrap_or(0);
    let checkpoint = store::load_checkpoint(&state.pool, projection).await?;
    let Some(wanted) = min_position else {
        return Ok(checkpoint.global_position);
    };
    let deadline = Instant::now() + Duration::from_millis(wait_ms as u64);
    let mut checkpoint = checkpoint;
    loop {
        // Reached means: the event at that position is at or below the checkpoint in commit
        // order, which a comparison of global positions alone cannot tell.
        if let Some(target) = store::position_of(&state.pool, wanted).await?
            && checkpoint >= target
        {
            return Ok(checkpoint.global_position);
        }
        if Instant::now() >= deadline {
            return Err(ApiError::NotYetConsistent {
                wanted,
                reached: checkpoint.global_position,
            });
        }
        tokio::time::sleep(POLL).await;
        checkpoint = store::load_checkpoint(&state.pool, projection).await?;
    }
}

/// The log's head, for answers that read the log itself.
pub async fn log_position(state: &ApiState) -> Result<i64, ApiError> {
    Ok(store::head_position(&state.pool).await?)
}
