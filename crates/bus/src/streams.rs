//! The namespace's JetStream streams, created or updated on start.

use std::time::Duration;

use anyhow::Context as _;
use async_nats::jetstream::{self, stream};

use crate::Subjects;

/// How long JetStream remembers a `Nats-Msg-Id` to drop a republished duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// How the namespace's streams are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// Copies of each stream kept by a JetStream cluster: 1 on a single server, 3 on a
    /// three-node cluster so that one node may fail or restart without losing the stream.
    replicas: usize,
}

/// JetStream keeps at most five copies of a stream.
const MAX_REPLICAS: usize = 5;

impl StreamOptions {
    pub fn new(replicas: usize) -> Result<Self, String> {
        if (1..=MAX_REPLICAS).contains(&replicas) {
            Ok(Self { replicas })
        } else {
            Err(format!(
                "{replicas} stream replicas: JetStream keeps 1 to {MAX_REPLICAS}"
            ))
        }
    }

    pub fn replicas(&self) -> usize {
        self.replicas
    }
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self { replicas: 1 }
    }
}

/// How long the events stream keeps an event (the relay publishes again what a lost stream
/// would still hold).
const EVENTS_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Creates the commands and events streams if they are missing. An existing stream keeps
/// its replica count (JetStream changes it only on an explicit edit): a difference is logged.
pub async fn ensure_streams(
    js: &jetstream::Context,
    subjects: &Subjects,
    options: &StreamOptions,
) -> anyhow::Result<()> {
    create(
        js,
        stream::Config {
            name: subjects.commands_stream(),
            subjects: vec![subjects.commands_filter()],
            // A command is done once its outcome is recorded: the handler's ack removes it.
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: DUPLICATE_WINDOW,
            num_replicas: options.replicas,
            ..Default::default()
        },
    )
    .await?;
    create_events_stream(js, subjects, options.replicas).await
}

/// Creates the events stream if it is missing: the relay and every consumer call it when they
/// (re)start, so that a deleted stream comes back without restarting any process. It gets as
/// many copies as the commands stream has, which `ensure_streams` created as configured.
pub async fn ensure_events_stream(
    js: &jetstream::Context,
    subjects: &Subjects,
) -> anyhow::Result<()> {
    let replicas = match js.get_stream(subjects.commands_stream()).await {
        Ok(stream) => stream.cached_info().config.num_replicas,
        Err(_) => StreamOptions::default().replicas,
    };
    create_events_stream(js, subjects, replicas).await
}

async fn create_events_stream(
    js: &jetstream::Context,
    subjects: &Subjects,
    replicas: usize,
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
            num_replicas: replicas,
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
            Ok(stream) => {
                let replicas = stream.cached_info().config.num_replicas;
                if replicas != config.num_replicas {
                    tracing::warn!(
                        stream = %name,
                        replicas,
                        configured = config.num_replicas,
                        "the stream exists with another replica count; change it with `nats stream edit --replicas`"
                    );
                }
                return Ok(());
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_are_one_to_five() {
        assert_eq!(StreamOptions::default().replicas(), 1);
        assert_eq!(StreamOptions::new(3).map(|o| o.replicas()), Ok(3));
        assert!(StreamOptions::new(0).is_err());
        assert!(StreamOptions::new(6).is_err());
    }
}
