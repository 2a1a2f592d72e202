//! Many writers, some rolling back, and several tailing readers: every reader sees every
//! committed event exactly once, all in the same order, and nothing rolled back.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use store::{AppendError, Position, RecordedEvent};
use testkit::TestEnv;
use uuid::Uuid;

use crate::support::{event, read_count};

const WRITERS: usize = 8;
const READERS: usize = 3;
const EVENTS_PER_WRITER: usize = 2_600;
const STREAMS: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tailing_readers_see_every_committed_event_once_in_one_order() {
    let env = TestEnv::new().await;
    let streams: Arc<Vec<String>> = Arc::new(
        (0..STREAMS)
            .map(|_| format!("task-{}", Uuid::new_v4()))
            .collect(),
    );
    let writing = Arc::new(AtomicBool::new(true));

    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (pool, writing) = (env.pool.clone(), writing.clone());
        readers.push(tokio::spawn(async move { tail(pool, writing).await }));
    }
    let mut writers = Vec::new();
    for seed in 0..WRITERS as u64 {
        let (pool, streams) = (env.pool.clone(), streams.clone());
        writers.push(tokio::spawn(
            async move { write(pool, streams, seed).await },
        ));
    }
    let mut committed = HashSet::new();
    let mut rolled_back = HashSet::new();
    for writer in writers {
        let (ok, undone) = writer.await.expect("writer");
        committed.extend(ok);
        rolled_back.extend(undone);
    }
    writing.store(false, Ordering::Release);
    assert!(
        committed.len() >= 20_000,
        "only {} events committed",
        committed.len()
    );
    assert!(!rolled_back.is_empty(), "some transactions must roll back");

    let everything = read_count(
        &env.pool,
        Position::START,
        committed.len(),
        Duration::from_secs(60),
    )
    .await;
    let expected: Vec<Uuid> = everything.iter().map(|e| e.event_id).collect();
    assert_eq!(expected.len(), committed.len());
    for reader in readers {
        let seen = reader.await.expect("reader");
        let ids: Vec<Uuid> = seen.iter().map(|e| e.event_id).collect();
        assert_eq!(
            ids.len(),
            committed.len(),
            "every committed event, exactly once"
        );
        assert_eq!(ids, expected, "every reader sees the same order");
        assert!(
            ids.iter().all(|id| !rolled_back.contains(id)),
            "nothing of a rolled-back transaction"
        );
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            ids.len(),
            "no duplicates"
        );
        assert_versions_in_order(&seen);
        assert!(
            seen.windows(2).all(|w| w[0].position() < w[1].position()),
            "positions strictly increase"
        );
    }
}

/// Appends until this writer has committed its share; about one append in ten is made in
/// a transaction that is rolled back.
async fn write(pool: sqlx::PgPool, streams: Arc<Vec<String>>, seed: u64) -> (Vec<Uuid>, Vec<Uuid>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (mut committed, mut rolled_back) = (Vec::new(), Vec::new());
    while committed.len() < EVENTS_PER_WRITER {
        let stream = &streams[rng.random_range(0..streams.len())];
        let count = rng.random_range(1..=4);
        let version = store::stream_versions(&pool, std::slice::from_ref(stream))
            .await
            .expect("versions")
            .first()
            .map_or(0, |(_, v)| *v);
        let request = store::AppendRequest {
            command: None,
            streams: vec![store::StreamAppend {
                stream_id: stream.clone(),
                expected_version: version,
                events: (0..count).map(|_| event()).collect(),
            }],
        };
        let ids: Vec<Uuid> = request.streams[0]
            .events
            .iter()
            .map(|e| e.event_id)
            .collect();
        if rng.random_bool(0.1) {
            let mut tx = pool.begin().await.expect("begin");
            if store::append(&mut *tx, &request).await.is_ok() {
                rolled_back.extend(ids);
            }
            tokio::time::sleep(Duration::from_micros(rng.random_range(0..500))).await;
            tx.rollback().await.expect("rollback");
            continue;
        }
        match store::append(&pool, &request).await {
            Ok(_) => committed.extend(ids),
            Err(AppendError::VersionConflict { .. }) => {}
            Err(error) => panic!("append failed: {error}"),
        }
    }
    (committed, rolled_back)
}

/// Reads in commit order, in small batches, until the writers are done and nothing is left.
async fn tail(pool: sqlx::PgPool, writing: Arc<AtomicBool>) -> Vec<RecordedEvent> {
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut seen = Vec::new();
    let mut after = Position::START;
    loop {
        assert!(Instant::now() < deadline, "the reader did not finish");
        let done_writing = !writing.load(Ordering::Acquire);
        let batch = store::read_after(&pool, after, 97).await.expect("read");
        match batch.last() {
            Some(last) => after = last.position(),
            None if done_writing && !store::has_events_after(&pool, after).await.expect("head") => {
                return seen;
            }
            None => tokio::time::sleep(Duration::from_millis(2)).await,
        }
        seen.extend(batch);
    }
}

fn assert_versions_in_order(events: &[RecordedEvent]) {
    let mut last: HashMap<&str, i32> = HashMap::new();
    for event in events {
        let previous = last
            .insert(&event.stream_id, event.stream_version)
            .unwrap_or(0);
        assert_eq!(
            event.stream_version,
            previous + 1,
            "stream {} skipped or repeated a version",
            event.stream_id
        );
    }
}
