//! Prediction and model events into the log, through the normal append path: expected
//! versions, one statement per call, and ids fixed by the caller so that a retry after a
//! crash appends nothing twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::Event;
use serde_json::json;
use sqlx::PgPool;
use store::{AppendError, AppendRequest, NewEvent, StreamAppend};
use uuid::Uuid;

/// An event to append with its deterministic id and business time.
pub struct Emitted {
    pub event_id: Uuid,
    pub event: Event,
    pub occurred_at: DateTime<Utc>,
}

/// The namespace of every id the predictor derives.
pub const PREDICTION_IDS: Uuid = Uuid::from_u128(0x6f72_6573_6967_6874_7072_6564_6963_7473);

/// A deterministic event id from what makes the event unique.
pub fn event_id(parts: &[&str]) -> Uuid {
    Uuid::new_v5(&PREDICTION_IDS, parts.join("/").as_bytes())
}

/// Appends `events` in one statement, each on its own stream, after the streams' current
/// versions. Events already in the log (same ids: a retry) are not appended again; returns
/// how many were appended.
pub async fn append(pool: &PgPool, actor: &str, events: Vec<Emitted>) -> anyhow::Result<usize> {
    match append_all(pool, actor, &events).await? {
        Some(count) => Ok(count),
        None => {
            // Some were appended before a crash: append the rest one by one.
            let mut appended = 0;
            for event in &events {
                appended += append_all(pool, actor, std::slice::from_ref(event))
                    .await?
                    .unwrap_or(0);
            }
            Ok(appended)
        }
    }
}

/// Appends all or nothing; `None` when one of the events is in the log already.
async fn append_all(
    pool: &PgPool,
    actor: &str,
    events: &[Emitted],
) -> anyhow::Result<Option<usize>> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = request(pool, actor, events).await?;
        let count = request.streams.iter().map(|s| s.events.len()).sum();
        match store::append(pool, &request).await {
            Ok(_) => return Ok(Some(count)),
            Err(AppendError::DuplicateEvent) => return Ok(None),
            Err(AppendError::VersionConflict { .. }) if attempt < 5 => continue,
            Err(AppendError::Empty) => return Ok(Some(0)),
            Err(error) => return Err(error.into()),
        }
    }
}

async fn request(pool: &PgPool, actor: &str, events: &[Emitted]) -> anyhow::Result<AppendRequest> {
    let mut streams: BTreeMap<String, Vec<NewEvent>> = BTreeMap::new();
    for emitted in events {
        let mut metadata = json!({"actor": actor, "causation_id": emitted.event_id});
        if let Some(project) = emitted.event.project_id() {
            metadata["project_id"] = json!(project.0);
        }
        streams
            .entry(emitted.event.stream().as_str().to_owned())
            .or_default()
            .push(NewEvent {
                event_id: emitted.event_id,
                event_type: emitted.event.event_type().to_owned(),
                schema_version: emitted.event.schema_version(),
                payload: emitted.event.payload(),
                metadata,
                occurred_at: emitted.occurred_at,
            });
    }
    let ids: Vec<String> = streams.keys().cloned().collect();
    let versions: BTreeMap<String, i32> = store::stream_versions(pool, &ids)
        .await?
        .into_iter()
        .collect();
    Ok(AppendRequest {
        command: None,
        streams: streams
            .into_iter()
            .map(|(stream_id, events)| StreamAppend {
                expected_version: versions.get(&stream_id).copied().unwrap_or(0),
                stream_id,
                events,
            })
            .collect(),
    })
}
