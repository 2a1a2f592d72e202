//! The namespace's JetStream streams, created or updated on start.

use std::time::Duration;

use anyhow::Context as _;
use async_nats::jetstream::{self, stream};

use crate::Subjects;

/// How long JetStream remembers a `Nats-Msg-Id` to drop a republished duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// Creates the commands and events streams if they are missing.
pub async fn ensure_streams(js: &jetstream::Context, subjects: &Subjects) -> anyhow::Result<()> {
    js.get_or_create_stream(stream::Config {
        name: subjects.commands_stream(),
        subjects: vec![subjects.commands_filter()],
        // A command is done once its outcome is recorded: the handler's ack removes it.
        retention: stream::RetentionPolicy::WorkQueue,
        storage: stream::StorageType::File,
        duplicate_window: DUPLICATE_WINDOW,
        ..Default::default()
    })
    .await
    .with_context(|| format!("creating stream {}", subjects.commands_stream()))?;
    js.get_or_create_stream(stream::Config {
        name: subjects.events_stream(),
        subjects: vec![subjects.events_filter()],
        // PostgreSQL is the truth: the stream only carries news, so it may be trimmed.
        retention: stream::RetentionPolicy::Limits,
        storage: stream::StorageType::File,
        max_age: Duration::from_secs(7 * 24 * 3600),
        duplicate_window: DUPLICATE_WINDOW,
        ..Default::default()
    })
    .await
    .with_context(|| format!("creating stream {}", subjects.events_stream()))?;
    Ok(())
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
