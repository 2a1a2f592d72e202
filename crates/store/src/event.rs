//! An event as the log holds it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, Row};
use uuid::Uuid;

use crate::Position;

/// One row of `events`, the unit every reader receives and the relay publishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub global_position: i64,
    /// The writing transaction's id (`xid8`), which orders the log together with the position.
    pub transaction_id: i64,
    pub stream_id: String,
    pub stream_version: i32,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: i16,
    pub payload: serde_json::Value,
    /// `command_id`, `correlation_id`, `causation_id`, `actor` and, where known, `project_id`.
    pub metadata: serde_json::Value,
    /// Business time: the command's `occurred_at`, else the time it was handled.
    pub occurred_at: DateTime<Utc>,
    /// The log's own time.
    pub recorded_at: DateTime<Utc>,
}

impl RecordedEvent {
    pub fn position(&self) -> Position {
        Position::new(self.transaction_id, self.global_position)
    }
}

// Written by hand: the derive would pull in sqlx's macro crates, a long build for one struct.
impl FromRow<'_, PgRow> for RecordedEvent {
    fn from_row(row: &PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            global_position: row.try_get("global_position")?,
            transaction_id: row.try_get("transaction_id")?,
            stream_id: row.try_get("stream_id")?,
            stream_version: row.try_get("stream_version")?,
            event_id: row.try_get("event_id")?,
            event_type: row.try_get("event_type")?,
            schema_version: row.try_get("schema_version")?,
            payload: row.try_get("payload")?,
            metadata: row.try_get("metadata")?,
            occurred_at: row.try_get("occurred_at")?,
            recorded_at: row.try_get("recorded_at")?,
        })
    }
}
