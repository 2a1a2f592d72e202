//! Deciding a valid command: load its streams, decide, append; conflicts retried in a fresh
//! attempt, never inside the failed one.

use chrono::Utc;
use domain::{
    Command, CommandEnvelope, Event, References, Rejection, RejectionCode, State, StreamId,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::appender::Appender;
use crate::state_cache::StateCache;
use crate::{dependency_closure, outcome};

/// Attempts for a command without a client `expected_version` that keeps losing races.
const CONFLICT_ATTEMPTS: usize = 8;

/// A decided command: its outcome and the categories of the events it appended.
#[derive(Debug)]
pub struct Executed {
    pub outcome: serde_json::Value,
    pub appended: Vec<&'static str>,
    /// False when the command had been handled before and its first outcome stands.
    pub first_time: bool,
}

/// The outcome of a valid command, or an infrastructure failure to retry later.
pub async fn execute(
    pool: &PgPool,
    cache: &StateCache,
    appender: &Appender,
    envelope: &CommandEnvelope,
    command: &Command,
) -> anyhow::Result<Executed> {
    let command_type = command.command_type().as_str();
    let target = command.target();
    for _ in 0..CONFLICT_ATTEMPTS {
        let (current, version, refs) = match load_streams(pool, cache, command, &target).await? {
            Ok(loaded) => loaded,
            Err(rejection) => {
                return rejected(pool, envelope.command_id, command_type, &rejection).await;
            }
        };
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
            return rejected(pool, envelope.command_id, command_type, &rejection).await;
        }
        let events = match domain::decide(command, current.as_ref(), &refs) {
            Ok(events) => events,
            Err(rejection) => {
                return rejected(pool, envelope.command_id, command_type, &rejection).await;
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
        match appender.append(request).await {
            Ok(appended) => {
                cache.appended(&target, current, &events, appended.version);
                return Ok(Executed {
                    outcome: outcome::accepted(envelope.command_id, &appended),
                    appended: events.iter().map(|e| e.kind().category()).collect(),
                    first_time: true,
                });
            }
            Err(store::AppendError::VersionConflict { stream_id }) => {
                if envelope.expected_version.is_some() {
                    let rejection = Rejection::new(
                        RejectionCode::VersionConflict,
                        format!("{stream_id} changed concurrently"),
                    )
                    .with_field("expected_version");
                    return rejected(pool, envelope.command_id, command_type, &rejection).await;
                }
                tracing::debug!(%stream_id, command_id = %envelope.command_id, "version conflict, deciding again");
            }
            Err(store::AppendError::DuplicateCommand | store::AppendError::DuplicateEvent) => {
                let first = store::find_outcome(pool, envelope.command_id).await?;
                let outcome = first.ok_or_else(|| {
                    anyhow::anyhow!("a duplicate command without a recorded outcome")
                })?;
                return Ok(Executed {
                    outcome,
                    appended: Vec::new(),
                    first_time: false,
                });
            }
            Err(store::AppendError::Empty) => {
                let rejection = Rejection::new(
                    RejectionCode::InvalidTransition,
                    "the command changes nothing",
                );
                return rejected(pool, envelope.command_id, command_type, &rejection).await;
            }
            Err(store::AppendError::Database(error)) => {
                let Some(reason) = data_exception(&error) else {
                    return Err(error.into());
                };
                tracing::warn!(command_id = %envelope.command_id, %reason, "the log refused a value of a command; rejected, not retried");
                let rejection = Rejection::new(
                    RejectionCode::InvalidCommand,
                    format!("the log cannot store a value of this command: {reason}"),
                );
                return rejected(pool, envelope.command_id, command_type, &rejection).await;
            }
        }
    }
    let rejection = Rejection::new(
        RejectionCode::VersionConflict,
        "the stream kept changing; send the command again",
    );
    rejected(pool, envelope.command_id, command_type, &rejection).await
}

/// Records a rejection (unless the command already has an outcome) and returns what stands.
pub async fn reject(
    pool: &PgPool,
    command_id: Uuid,
    command_type: &str,
    rejection: &Rejection,
) -> anyhow::Result<serde_json::Value> {
    let outcome = outcome::rejected(command_id, rejection);
    Ok(store::record_rejection(pool, command_id, command_type, &outcome).await?)
}

pub async fn rejected(
    pool: &PgPool,
    command_id: Uuid,
    command_type: &str,
    rejection: &Rejection,
) -> anyhow::Result<Executed> {
    let attempted = outcome::rejected(command_id, rejection);
    let outcome = store::record_rejection(pool, command_id, command_type, &attempted).await?;
    // Another outcome stands when the command was handled before: a resend.
    let first_time = outcome == attempted;
    Ok(Executed {
        outcome,
        appended: Vec::new(),
        first_time,
    })
}

/// The target's state and version, and the states of the streams the command refers to;
/// a rejection when they are too many to load.
async fn load_streams(
    pool: &PgPool,
    cache: &StateCache,
    command: &Command,
    target: &StreamId,
) -> anyhow::Result<Result<(Option<State>, i32, References), Rejection>> {
    // The references of a known target (the project of a task, say) are asked for in the
    // same round trip as the target itself, from the state of its last use.
    let guess = cache.load_cached(target);
    let mut wanted = vec![target.clone()];
    wanted.extend(command.references(guess.as_ref()));
    let mut loaded = cache.load(pool, &wanted).await?;
    let (current, version) = match loaded.remove(target.as_str()) {
        Some((state, version)) => (Some(state), version),
        None => (None, 0),
    };
    let missing: Vec<StreamId> = command
        .references(current.as_ref())
        .into_iter()
        .filter(|s| !wanted.contains(s))
        .collect();
    if !missing.is_empty() {
        loaded.extend(cache.load(pool, &missing).await?);
    }
    let mut refs = References::new();
    for (stream, (state, _)) in loaded {
        if let Some(stream) = StreamId::parse(&stream) {
            refs.insert(stream, state);
        }
    }
    // A new dependency may close a cycle anywhere downstream: load the whole closure.
    if let Command::AddDependency(c) = command
        && let Err(rejection) =
            dependency_closure::load(pool, cache, c.depends_on, &mut refs).await?
    {
        return Ok(Err(rejection));
    }
    Ok(Ok((current, version, refs)))
}

/// A data exception (SQLSTATE class 22: a character PostgreSQL cannot store, a value out of
/// its range) comes from the command itself: retried, it would fail forever and hold up every
/// command behind it on the stream. Intake refuses what it knows of; this catches the rest.
fn data_exception(error: &sqlx::Error) -> Option<String> {
    let database = error.as_database_error()?;
    database.code().filter(|code| code.starts_with("22"))?;
    Some(database.message().to_owned())
}

/// The append of a decided command: its events after `version`, with metadata (command,
/// correlation, causation, actor, project) and ids derived from the command id, so that a
/// re-sent command can never append twice.
pub fn append_request(
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
