//! A place in the log's commit order: the pair (transaction id, global position).

use serde::{Deserialize, Serialize};

/// Ordered first by the writing transaction's id, then by global position, which is the
/// order commit-order reads return events in. `Position::START` is before every event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    pub transaction_id: i64,
    pub global_position: i64,
}

impl Position {
    pub const START: Position = Position {
        transaction_id: 0,
        global_position: 0,
    };

    pub fn new(transaction_id: i64, global_position: i64) -> Self {
        Self {
            transaction_id,
            global_position,
        }
    }
}
