//! Appending to the log: one statement per append, with expected versions and command idempotency.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// An event to append; the store gives it its stream version and position.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: i16,
    pub payload: serde_json::Value,
    pub metadata: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// Events for one stream, appended after `expected_version` (0 for a stream that must not exist).
#[derive(Debug, Clone)]
pub struct StreamAppend {
    pub stream_id: String,
    pub expected_version: i32,
    pub events: Vec<NewEvent>,
}

/// The command an append answers: its accepted outcome is recorded in the same transaction.
#[derive(Debug, Clone)]
pub struct CommandRecord {
    pub command_id: Uuid,
    pub command_type: String,
}

#[derive(Debug, Clone)]
pub struct AppendRequest {
    pub command: Option<CommandRecord>,
    pub streams: Vec<StreamAppend>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Appended {
    /// Global positions of the new events, in order.
    pub positions: Vec<i64>,
    /// The last stream's id and new version: the command's target.
    pub stream_id: String,
    pub version: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// Another writer got there first, or the expected version is not the stream's.
    #[error("stream {stream_id} is not at the expected version")]
    VersionConflict { stream_id: String },
    /// The command was already handled: its first outcome stands.
    #[error("command already handled")]
    DuplicateCommand,
    #[error("an event with one of these ids is already in the log")]
    DuplicateEvent,
    #[error("nothing to append")]
    Empty,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl AppendError {
    /// Failures worth retrying later, as opposed to answers about the command.
    pub fn is_infrastructure(&self) -> bool {
        matches!(self, AppendError::Database(_))
    }
}

/// Appends in one statement. On a pool that is one implicit transaction; inside an open
/// transaction it joins it, which tests use to force interleavings.
pub async fn append<'c, E: PgExecutor<'c>>(
    executor: E,
    request: &AppendRequest,
) -> Result<Appended, AppendError> {
    let last = request
        .streams
        .iter()
        .rev()
        .find(|s| !s.events.is_empty())
        .ok_or(AppendError::Empty)?;
    let target_stream = last.stream_id.clone();
    let target_version = last.expected_version + last.events.len() as i32;

    let columns = Columns::of(std::slice::from_ref(&request));

    let row: (bool, Vec<i64>) = sqlx::query_as(include_str!("sql/append.sql"))
        .bind(&columns.stream_ids)
        .bind(&columns.versions)
        .bind(&columns.event_ids)
        .bind(&columns.types)
        .bind(&columns.schema_versions)
        .bind(&columns.payloads)
        .bind(&columns.metadata)
        .bind(&columns.occurred)
        .bind(request.command.as_ref().map(|c| c.command_id))
        .bind(request.command.as_ref().map(|c| c.command_type.as_str()))
        .bind(&target_stream)
        .bind(target_version)
        .fetch_one(executor)
        .await
        .map_err(|error| classify(error, &columns.stream_ids))?;

    let (ok, positions) = row;
    if !ok {
        return Err(AppendError::VersionConflict {
            stream_id: target_stream,
        });
    }
    Ok(Appended {
        positions,
        stream_id: target_stream,
        version: target_version,
    })
}

/// Appends several commands' requests in one statement, all or nothing: one transaction and
/// one WAL flush for all of them. Each request must carry its command. On any error nothing
/// was written, and the caller can append the requests one by one to learn whose it was.
pub async fn append_many<'c, E: PgExecutor<'c>>(
    executor: E,
    requests: &[&AppendRequest],
) -> Result<Vec<Appended>, AppendError> {
    let mut targets = Vec::with_capacity(requests.len());
    for request in requests {
        let last = request
            .streams
            .iter()
            .rev()
            .find(|s| !s.events.is_empty())
            .ok_or(AppendError::Empty)?;
        targets.push((
            last.stream_id.as_str(),
            last.expected_version + last.events.len() as i32,
        ));
    }
    let columns = Columns::of(requests);
    let command_ids: Vec<Option<Uuid>> = requests
        .iter()
        .map(|r| r.command.as_ref().map(|c| c.command_id))
        .collect();
    let command_types: Vec<Option<&str>> = requests
        .iter()
        .map(|r| r.command.as_ref().map(|c| c.command_type.as_str()))
        .collect();

    let rows: Vec<(bool, Option<i32>, Vec<i64>)> =
        sqlx::query_as(include_str!("sql/append_many.sql"))
            .bind(&columns.commands)
            .bind(&columns.stream_ids)
            .bind(&columns.versions)
            .bind(&columns.event_ids)
            .bind(&columns.types)
            .bind(&columns.schema_versions)
            .bind(&columns.payloads)
            .bind(&columns.metadata)
            .bind(&columns.occurred)
            .bind(&command_ids)
            .bind(&command_types)
            .bind(targets.iter().map(|(s, _)| *s).collect::<Vec<_>>())
            .bind(targets.iter().map(|(_, v)| *v).collect::<Vec<_>>())
            .fetch_all(executor)
            .await
            .map_err(|error| classify(error, &columns.stream_ids))?;

    if rows.first().is_none_or(|(ok, _, _)| !ok) {
        return Err(AppendError::VersionConflict {
            stream_id: targets
                .first()
                .map(|(s, _)| (*s).to_owned())
                .unwrap_or_default(),
        });
    }
    let mut positions = vec![Vec::new(); requests.len()];
    for (_, cmd, found) in rows {
        if let Some(index) = cmd.and_then(|c| usize::try_from(c - 1).ok())
            && let Some(slot) = positions.get_mut(index)
        {
            *slot = found;
        }
    }
    Ok(positions
        .into_iter()
        .zip(targets)
        .map(|(positions, (stream_id, version))| Appended {
            positions,
            stream_id: stream_id.to_owned(),
            version,
        })
        .collect())
}

/// The events of some requests as parallel arrays, one element per event, for `unnest`.
struct Columns<'a> {
    /// The 1-based index of the request each event belongs to.
    commands: Vec<i32>,
    stream_ids: Vec<&'a str>,
    versions: Vec<i32>,
    event_ids: Vec<Uuid>,
    types: Vec<&'a str>,
    schema_versions: Vec<i16>,
    payloads: Vec<&'a serde_json::Value>,
    metadata: Vec<&'a serde_json::Value>,
    occurred: Vec<DateTime<Utc>>,
}

impl<'a> Columns<'a> {
    fn of(requests: &[&'a AppendRequest]) -> Self {
        let count: usize = requests
            .iter()
            .flat_map(|r| &r.streams)
            .map(|s| s.events.len())
            .sum();
        let mut columns = Columns {
            commands: Vec::with_capacity(count),
            stream_ids: Vec::with_capacity(count),
            versions: Vec::with_capacity(count),
            event_ids: Vec::with_capacity(count),
            types: Vec::with_capacity(count),
            schema_versions: Vec::with_capacity(count),
            payloads: Vec::with_capacity(count),
            metadata: Vec::with_capacity(count),
            occurred: Vec::with_capacity(count),
        };
        for (index, request) in requests.iter().enumerate() {
            for stream in &request.streams {
                for (offset, event) in stream.events.iter().enumerate() {
                    columns.commands.push(index as i32 + 1);
                    columns.stream_ids.push(stream.stream_id.as_str());
                    columns
                        .versions
                        .push(stream.expected_version + 1 + offset as i32);
                    columns.event_ids.push(event.event_id);
                    columns.types.push(event.event_type.as_str());
                    columns.schema_versions.push(event.schema_version);
                    columns.payloads.push(&event.payload);
                    columns.metadata.push(&event.metadata);
                    columns.occurred.push(event.occurred_at);
                }
            }
        }
        columns
    }
}

fn classify(error: sqlx::Error, stream_ids: &[&str]) -> AppendError {
    let constraint = error
        .as_database_error()
        .and_then(|e| e.constraint())
        .map(str::to_owned);
    match constraint.as_deref() {
        Some("events_stream_id_stream_version_key") => {
            // Postgres names the conflicting key in the detail; the first stream is a fine fallback.
            let detail = error.as_database_error().and_then(|e| {
                e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                    .and_then(|pg| pg.detail().map(str::to_owned))
            });
            let stream_id = stream_ids
                .iter()
                .find(|s| detail.as_deref().is_some_and(|d| d.contains(*s)))
                .or(stream_ids.first())
                .map(|s| (*s).to_owned())
                .unwrap_or_default();
            AppendError::VersionConflict { stream_id }
        }
        Some("command_results_pkey") => AppendError::DuplicateCommand,
        Some("events_event_id_key") => AppendError::DuplicateEvent,
        _ => AppendError::Database(error),
    }
}
