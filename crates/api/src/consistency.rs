//! Read-your-writes: an answer waits, bounded, until its projection reflects a position.

use std::time::Duration;

use store::Position;

use crate::params::QueryParams;
use crate::{ApiError, ApiState};

/// The longest `wait_ms` a client may ask for.
pub const MAX_WAIT_MS: i64 = 10_000;

/// The position `projection` reflects, once it reflects `min_position` if one was asked for.
pub async fn reflected_position(
    state: &ApiState,
    projection: &str,
    params: &QueryParams,
) -> Result<Position, ApiError> {
    let min_position = params.int("min_position", 0, i64::MAX)?;
    let wait_ms = params.int("wait_ms", 0, MAX_WAIT_MS)?.unwrap_or(0);
    let current = state.positions.get(projection);
    let Some(wanted) = min_position else {
        return Ok(current);
    };
    // Reached means: the event at that position is at or below the checkpoint in commit
    // order, which a comparison of global positions alone cannot tell.
    let target = match store::position_of(&state.pool, wanted).await? {
        Some(target) => target,
        // Not in the log (yet): nothing reflects it.
        None => {
            return Err(ApiError::NotYetConsistent {
                wanted,
                reached: current.global_position,
            });
        }
    };
    if current >= target {
        return Ok(current);
    }
    let reached = state
        .positions
        .wait_for(projection, target, Duration::from_millis(wait_ms as u64))
        .await;
    if reached >= target {
        Ok(reached)
    } else {
        Err(ApiError::NotYetConsistent {
            wanted,
            reached: reached.global_position,
        })
    }
}

/// The log's head, for answers that read the log itself.
pub async fn log_position(state: &ApiState) -> Result<i64, ApiError> {
    Ok(store::head_position(&state.pool).await?)
}
