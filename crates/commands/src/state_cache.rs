//! Aggregate states kept between commands, checked against the log before each use.
//!
//! One query asks the log for the current version of every stream a command needs; only
//! the streams whose version moved (or that were never loaded) are read and folded again.
//! A command decided on a stale state could not be appended anyway: the expected version
//! would conflict, and the retry starts from a fresh check.

use std::collections::HashMap;
use std::sync::Mutex;

use domain::{Event, State, StreamId};
use sqlx::PgPool;

/// Beyond this many streams the cache starts over (the next loads read the log again).
const CAPACITY: usize = 200_000;

#[derive(Default)]
pub struct StateCache {
    states: Mutex<HashMap<String, (State, i32)>>,
}

impl StateCache {
    /// The current state and version of each stream that exists among `streams`.
    pub async fn load(
        &self,
        pool: &PgPool,
        streams: &[StreamId],
    ) -> anyhow::Result<HashMap<String, (State, i32)>> {
        let ids: Vec<String> = streams.iter().map(|s| s.as_str().to_owned()).collect();
        let versions = store::stream_versions(pool, &ids).await?;
        let mut loaded = HashMap::with_capacity(versions.len());
        let mut stale = Vec::new();
        {
            let states = self.lock();
            for (stream, version) in versions {
                match states.get(&stream) {
                    Some((state, cached)) if *cached == version => {
                        loaded.insert(stream, (state.clone(), version));
                    }
                    _ => stale.push(stream),
                }
            }
        }
        if !stale.is_empty() {
            let recorded = store::read_streams(pool, &stale).await?;
            let mut states = self.lock();
            if states.len() > CAPACITY {
                states.clear();
            }
            for chunk in recorded.chunk_by(|a, b| a.stream_id == b.stream_id) {
                let (Some(state), version) = fold(chunk)? else {
                    continue;
                };
                states.insert(chunk[0].stream_id.clone(), (state.clone(), version));
                loaded.insert(chunk[0].stream_id.clone(), (state, version));
            }
        }
        Ok(loaded)
    }

    /// The last known state of a stream, unchecked: a guess to plan the real load with.
    pub fn load_cached(&self, stream: &StreamId) -> Option<State> {
        self.lock()
            .get(stream.as_str())
            .map(|(state, _)| state.clone())
    }

    /// Records what a successful append did to a stream.
    pub fn appended(
        &self,
        stream: &StreamId,
        before: Option<State>,
        events: &[Event],
        version: i32,
    ) {
        let after = events.iter().fold(before, domain::evolve);
        let mut states = self.lock();
        match after {
            Some(state) => {
                states.insert(stream.as_str().to_owned(), (state, version));
            }
            None => {
                states.remove(stream.as_str());
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (State, i32)>> {
        // A panic while holding the lock cannot leave a half-written entry: inserts are whole.
        self.states
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Folds one stream's events into its state and version.
pub fn fold(recorded: &[store::RecordedEvent]) -> anyhow::Result<(Option<State>, i32)> {
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
