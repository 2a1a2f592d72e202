//! The namespace's JetStream streams, created or updated on start.

use std::time::Duration;

use anyhow::Context as _;
use async_nats::jetstream::{self, stream};

use crate::Subjects;

/// How long JetStream remembers a `Nats-Msg-Id` to drop a republished duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// How long the events stream keeps an event (the relay publishes again what a lost stream
/// would still hold).
const EVENTS_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Creates the commands and events streams if they are missing.
pub async fn ensure_streams(js: &jetstream::Context, subjects: &Subjects) -> anyhow::Result<()> {
    create(
        js,
        stream::Config {
            name: subjects.commands_stream(),
            subjects: vec![subjects.commands_filter()],
            // A command is done once its outcome is recorded: the handler's ack removes it.
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: DUPLICATE_WINDOW,
            ..Default::default()
        },
    )
    .await?;
    ensure_events_stream(js, subjects).await
}

/// Creates the events stream if it is missing: the relay and every consumer call it when they
/// (re)start, so that a deleted stream comes back without restarting any process.
pub async fn ensure_events_stream(
    js: &jetstream::Context,
    subjects: &Subjects,
) -> anyhow::Result<()> {
    create(
        js,
        stream::Config {
            name: subjects.events_stream(),
            subjects: vec![subjects.events_filter()],
            // PostgreSQL is the truth: the stream only carries news, so it may be trimmed.
            retention: stream::RetentionPolicy::Limits,
            storage: stream::StorageType::File,
            max_age: EVENTS_MAX_AGE,
            duplicate_window: DUPLICATE_WINDOW,
            ..Default::default()
        },
    )
    .await
}

/// Creates a stream unless it exists. A 2.9 server removes an account's storage directory
/// when its last stream is deleted, and a creation racing that removal fails once
/// ("error creating store for stream", code 10049); a moment later it succeeds.
async fn create(js: &jetstream::Context, config: stream::Config) -> anyhow::Result<()> {
    let name = config.name.clone();
    let mut attempt = 1;
    loop {
        match js.get_or_create_stream(config.clone()).await {
            Ok(_) => return Ok(()),
            Err(error) if attempt < 5 && error.to_string().contains("creating store") => {
                tracing::warn!(%error, stream = %name, attempt, "creating a stream failed; trying again");
                tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                attempt += 1;
            }
            Err(error) => return Err(error).with_context(|| format!("creating stream {name}")),
        }
    }
}

/// Deletes the namespace's streams. For tests and tear-down only.
pub async fn delete_streams(js: &jetstream::Context, subjects: &Subjects) -> anyhow::Result<()> {
    for name in [subjects.commands_stream(), subjects.events_stream()] {
        match js.delete_stream(&name).await {
            Ok(_) => {}
            Err(error) if error.to_string().contains("not found") => {}
            Err(error) => return Err(error).with_context(|| format!("deleting stream {name}")),
        }
    }
    Ok(())
}
