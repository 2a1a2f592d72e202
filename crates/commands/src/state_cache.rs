//! Aggregate states kept between commands, checked against the log before use.
//!
//! One query asks the log for the current version of every stream a command needs; only
//! the streams whose version moved (or that were never loaded) are read and folded again.
//! When every stream a command needs was checked or written by this process within the
//! last second, even that query is skipped. A command decided on a stale target could not
//! be appended anyway: its expected version would conflict, and the retry checks afresh.
//! A referenced stream (the project of a new task) may thus be up to a second behind a
//! change made through another handler instance, no worse than the race between any read
//! and the append that follows it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use domain::{Event, State, StreamId, TaskId};
use sqlx::PgPool;

/// Beyond this many streams the cache starts over (the next loads read the log again).
const CAPACITY: usize = 200_000;
/// How long a checked state is trusted without asking the log again.
const FRESH: Duration = Duration::from_secs(1);

struct Entry {
    state: State,
    version: i32,
    checked: Instant,
}

#[derive(Default)]
pub struct StateCache {
    states: Mutex<HashMap<String, Entry>>,
}

impl StateCache {
    /// The current state and version of each stream that exists among `streams`.
    pub async fn load(
        &self,
        pool: &PgPool,
        streams: &[StreamId],
    ) -> anyhow::Result<HashMap<String, (State, i32)>> {
        if let Some(fresh) = self.all_fresh(streams) {
            return Ok(fresh);
        }
        let ids: Vec<String> = streams.iter().map(|s| s.as_str().to_owned()).collect();
        let versions = store::stream_versions(pool, &ids).await?;
        let checked = Instant::now();
        let mut loaded = HashMap::with_capacity(versions.len());
        let mut stale = Vec::new();
        {
            let mut states = self.lock();
            for (stream, version) in versions {
                match states.get_mut(&stream) {
                    Some(entry) if entry.version == version => {
                        entry.checked = checked;
                        loaded.insert(stream, (entry.state.clone(), version));
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
                let entry = Entry {
                    state: state.clone(),
                    version,
                    checked,
                };
                states.insert(chunk[0].stream_id.clone(), entry);
                loaded.insert(chunk[0].stream_id.clone(), (state, version));
            }
        }
        Ok(loaded)
    }

    /// Every stream's state, if all of them were checked within `FRESH`.
    fn all_fresh(&self, streams: &[StreamId]) -> Option<HashMap<String, (State, i32)>> {
        let states = self.lock();
        streams
            .iter()
            .map(|stream| {
                let entry = states
                    .get(stream.as_str())
                    .filter(|e| e.checked.elapsed() < FRESH)?;
                Some((
                    stream.as_str().to_owned(),
                    (entry.state.clone(), entry.version),
                ))
            })
            .collect()
    }

    /// The last known state of a stream, unchecked: a guess to plan the real load with.
    pub fn load_cached(&self, stream: &StreamId) -> Option<State> {
        self.lock()
            .get(stream.as_str())
            .map(|entry| entry.state.clone())
    }

    /// `from` and every task the cached states say they wait for, transitively, leaving out
    /// those `known` already, at most `limit`: a guess of a dependency closure, to be checked
    /// against the log with [`StateCache::load`].
    pub fn guess_closure(
        &self,
        from: &[TaskId],
        known: impl Fn(&TaskId) -> bool,
        limit: usize,
    ) -> Vec<TaskId> {
        let states = self.lock();
        let mut seen: HashSet<TaskId> = from.iter().copied().collect();
        let mut closure: Vec<TaskId> = from.iter().copied().take(limit).collect();
        let mut next = 0;
        while next < closure.len() && closure.len() < limit {
            let task = closure[next];
            next += 1;
            let Some(state) = states
                .get(StreamId::task(task).as_str())
                .and_then(|entry| entry.state.as_task())
            else {
                continue;
            };
            for dep in &state.depends_on {
                if closure.len() < limit && !known(dep) && seen.insert(*dep) {
                    closure.push(*dep);
                }
            }
        }
        closure
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
                let entry = Entry {
                    state,
                    version,
                    checked: Instant::now(),
                };
                states.insert(stream.as_str().to_owned(), entry);
            }
            None => {
                states.remove(stream.as_str());
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{ProjectId, TaskCreated};
    use uuid::Uuid;

    fn task(n: u128) -> TaskId {
        TaskId(Uuid::from_u128(n))
    }

    /// Task `n` created waiting for `depends_on`, as the cache records an append.
    fn cached(cache: &StateCache, n: u128, depends_on: &[u128]) {
        let created = Event::TaskCreated(TaskCreated {
            task_id: task(n),
            project_id: ProjectId(Uuid::from_u128(1000)),
            title: "t".into(),
            description: None,
            estimate_hours: 1.0,
            priority: 2,
            labels: vec![],
            skills: vec![],
            milestone_id: None,
            due_date: None,
            depends_on: depends_on.iter().copied().map(task).collect(),
        });
        cache.appended(&StreamId::task(task(n)), None, &[created], 1);
    }

    #[test]
    fn a_closure_is_guessed_from_cached_states_within_its_limit() {
        let cache = StateCache::default();
        // A chain 1 ← 2 ← … ← 500 (each waits for the one before), and 600 not cached.
        cached(&cache, 1, &[600]);
        for n in 2..=500 {
            cached(&cache, n, &[n - 1]);
        }
        let closure = cache.guess_closure(&[task(500)], |_| false, usize::MAX);
        assert_eq!(closure.len(), 501, "the whole chain and the uncached task");
        assert!(closure.contains(&task(600)));

        let known = cache.guess_closure(&[task(500)], |t| *t == task(250), usize::MAX);
        assert_eq!(
            known.len(),
            250,
            "nothing behind a known task is guessed again"
        );
        assert_eq!(cache.guess_closure(&[task(500)], |_| false, 10).len(), 10);
    }
}
