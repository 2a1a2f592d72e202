//! Deciding a valid command: load its streams, decide, append; conflicts retried in a fresh
//! attempt, never inside the failed one.

use std::collections::HashSet;

use chrono::Utc;
use domain::{
    Command, CommandEnvelope, Event, References, Rejection, RejectionCode, State, StreamId,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::handler::Shared;
use crate::outcome;

/// Attempts for a command without a client `expected_version` that keeps losing races.
const CONFLICT_ATTEMPTS: usize = 8;
/// More streams than this in a dependency closure is a graph no one can schedule anyway.
const CLOSURE_LIMIT: usize = 10_000;

/// The outcome of a valid command, or an infrastructure failure to retry later.
pub async fn execute(
    shared: &Shared,
    envelope: &CommandEnvelope,
    command: &Command,
) -> anyhow::Result<serde_json::Value> {
    let command_type = command.command_type().as_str();
    for _ in 0..CONFLICT_ATTEMPTS {
        let target = command.target();
        let (current, version) = load(&shared.pool, &target).await?;
        if let Some(expected) = envelope.expected_version
            && expected != i64::from(version)
        {
            let rejection = Rejection::new(
                RejectionCode::VersionConflict,
                format!(
                    "{} is at version {version}, not {expected}",
                    target.as_str()
                ),
            )
            .with_field("expected_version");
            return reject(shared, envelope.command_id, command_type, &rejection).await;
        }
        let refs = load_references(&shared.pool, command, current.as_ref()).await?;
        let events = match domain::decide(command, current.as_ref(), &refs) {
            Ok(events) => events,
            Err(rejection) => {
                return reject(shared, envelope.command_id, command_type, &rejection).await;
            }
        };
        let request = append_request(
            envelope,
            command_type,
            &target,
            version,
            current.as_ref(),
            &events,
        );
        match store::append(&shared.pool, &request).await {
            Ok(appended) => {
                shared.notifier.wake();
                for event in &events {
                    let category = event.event_type().split('.').next().unwrap_or("unknown");
                    shared
                        .metrics
                        .events_appended
                        .with_label_values(&[category])
                        .inc();
                }
                return Ok(outcome::accepted(envelope.command_id, &appended));
            }
            Err(store::AppendError::VersionConflict { stream_id }) => {
                if envelope.expected_version.is_some() {
                    let rejection = Rejection::new(
                        RejectionCode::VersionConflict,
                        format!("{stream_id} changed concurrently"),
                    )
                    .with_field("expected_version");
                    return reject(shared, envelope.command_id, command_type, &rejection).await;
                }
                tracing::debug!(%stream_id, command_id = %envelope.command_id, "version conflict, deciding again");
            }
            Err(store::AppendError::DuplicateCommand | store::AppendError::DuplicateEvent) => {
                let first = store::find_outcome(&shared.pool, envelope.command_id).await?;
                return first.ok_or_else(|| {
                    anyhow::anyhow!("a duplicate command without a recorded outcome")
                });
            }
            Err(store::AppendError::Empty) => {
                let rejection = Rejection::new(
                    RejectionCode::InvalidTransition,
                    "the command changes nothing",
                );
                return reject(shared, envelope.command_id, command_type, &rejection).await;
            }
            Err(store::AppendError::Database(error)) => return Err(error.into()),
        }
    }
    let rejection = Rejection::new(
        RejectionCode::VersionConflict,
        "the stream kept changing; send the command again",
    );
    reject(shared, envelope.command_id, command_type, &rejection).await
}

pub async fn reject(
    shared: &Shared,
    command_id: Uuid,
    command_type: &str,
    rejection: &Rejection,
) -> anyhow::Result<serde_json::Value> {
    let outcome = outcome::rejected(command_id, rejection);
    Ok(store::record_rejection(&shared.pool, command_id, command_type, &outcome).await?)
}

/// Folds a stream into its state; returns it with the stream's version.
async fn load(pool: &PgPool, stream: &StreamId) -> anyhow::Result<(Option<State>, i32)> {
    let recorded = store::read_stream(pool, stream.as_str()).await?;
    fold(&recorded)
}

fn fold(recorded: &[store::RecordedEvent]) -> anyhow::Result<(Option<State>, i32)> {
    let mut state = None;
    let mut version = 0;
    for event in recorded {
        let decoded =
            Event::from_stored(&event.event_type, event.schema_version, &event.payload)
                .map_err(|e| anyhow::anyhow!("event {} cannot be read: {e:?}", event.event_id))?;
        state = domain::evolve(state, &decoded);
        version = event.stream_version;
    }
    Ok((state, version))
}

async fn load_references(
    pool: &PgPool,
    command: &Command,
    current: Option<&State>,
) -> anyhow::Result<References> {
    let mut refs = References::new();
    let mut wanted: Vec<StreamId> = command.references(current);
    let mut seen: HashSet<String> = wanted.iter().map(|s| s.as_str().to_owned()).collect();
    // A new dependency may close a cycle anywhere downstream: load the whole closure.
    let follow_dependencies = command.command_type().as_str() == "task.add_dependency";
    while !wanted.is_empty() {
        let ids: Vec<String> = wanted.iter().map(|s| s.as_str().to_owned()).collect();
        let recorded = store::read_streams(pool, &ids).await?;
        wanted.clear();
        for chunk in recorded.chunk_by(|a, b| a.stream_id == b.stream_id) {
            let (Some(state), _) = fold(chunk)? else {
                continue;
            };
            let Some(stream) = StreamId::parse(&chunk[0].stream_id) else {
                continue;
            };
            if follow_dependencies && let State::Task(task) = &state {
                for dependency in &task.depends_on {
                    let next = StreamId::task(*dependency);
                    if seen.len() < CLOSURE_LIMIT && seen.insert(next.as_str().to_owned()) {
                        wanted.push(next);
                    }
                }
            }
            refs.insert(stream, state);
        }
    }
    Ok(refs)
}

fn append_request(
    envelope: &CommandEnvelope,
    command_type: &str,
    target: &StreamId,
    version: i32,
    current: Option<&State>,
    events: &[Event],
) -> store::AppendRequest {
    let occurred_at = envelope.occurred_at.unwrap_or_else(Utc::now);
    let known_project = match current {
        Some(State::Task(task)) => Some(task.project_id.0),
        Some(State::Project(project)) => Some(project.id.0),
        _ => None,
    };
    let new_events = events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let project_id = event.project_id().map(|p| p.0).or(known_project);
            let mut metadata = json!({
                "command_id": envelope.command_id,
                "correlation_id": envelope.correlation_id.unwrap_or(envelope.command_id),
                "causation_id": envelope.command_id,
                "actor": envelope.actor,
            });
            if let Some(project_id) = project_id {
                metadata["project_id"] = json!(project_id);
            }
            store::NewEvent {
                // Derived from the command, so a re-sent command can never append twice.
                event_id: Uuid::new_v5(&envelope.command_id, index.to_string().as_bytes()),
                event_type: event.event_type().to_owned(),
                schema_version: event.schema_version(),
                payload: event.payload(),
                metadata,
                occurred_at,
            }
        })
        .collect();
    store::AppendRequest {
        command: Some(store::CommandRecord {
            command_id: envelope.command_id,
            command_type: command_type.to_owned(),
        }),
        streams: vec![store::StreamAppend {
            stream_id: target.as_str().to_owned(),
            expected_version: version,
            events: new_events,
        }],
    }
}
