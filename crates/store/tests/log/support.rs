//! Shared pieces of the log tests.

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;
use store::{AppendRequest, NewEvent, Position, RecordedEvent, StreamAppend};
use uuid::Uuid;

pub fn event() -> NewEvent {
    NewEvent {
        event_id: Uuid::new_v4(),
        event_type: "task.work_logged".into(),
        schema_version: 1,
        payload: json!({"hours": 1}),
        metadata: json!({"actor": "test"}),
        occurred_at: Utc::now(),
    }
}

pub fn stream_append(stream: &str, expected_version: i32, count: usize) -> AppendRequest {
    AppendRequest {
        command: None,
        streams: vec![StreamAppend {
            stream_id: stream.to_owned(),
            expected_version,
            events: (0..count).map(|_| event()).collect(),
        }],
    }
}

/// Rows in the log, readable in commit order yet or not.
pub async fn count_events(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(pool)
        .await
        .expect("count")
}

/// Reads after `after` until `count` events came, or fails after `limit`: transactions of
/// other tests on the same cluster may hold the read horizon back for a moment.
pub async fn read_count(
    pool: &PgPool,
    mut after: Position,
    count: usize,
    limit: Duration,
) -> Vec<RecordedEvent> {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while seen.len() < count {
        assert!(
            Instant::now() < deadline,
            "only {} of {count} events became readable",
            seen.len()
        );
        let batch = store::read_after(pool, after, 1000).await.expect("read");
        match batch.last() {
            Some(last) => after = last.position(),
            None => tokio::time::sleep(Duration::from_millis(5)).await,
        }
        seen.extend(batch);
    }
    seen
}
